//! For the tests that run the command as a process beside a server of their own: the server
//! runs on a runtime and a thread of its own (the test's thread waits for the command), and a
//! command's output is shown whole in assertion messages.

use fileops_conformance::embedded;
use fileops_reference::{Config, Reference};
use std::future::Future;
use std::process::Output;

/// Runs the future `serve` makes (a server's accept loop) on a one-worker runtime on a thread
/// of its own, for the rest of the test process.
pub fn in_background<F>(serve: impl FnOnce() -> F + Send + 'static)
where
    F: Future<Output = ()> + 'static,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(serve());
    });
}

/// Serves the reference configured by `config` in the background; its address.
pub fn reference_in_background(config: Config) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    in_background(move || async move {
        let server = embedded::serve(Reference::new(config))
            .await
            .expect("serves");
        sender.send(server.base_url.clone()).expect("sends");
        std::future::pending::<()>().await;
    });
    receiver.recv().expect("address")
}

/// A command's exit code and both outputs.
pub fn shown(out: &Output) -> String {
    format!(
        "exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
