//! Time and peak memory of moving or copying a folder of N files (DocSpace) on the
//! reference server, over HTTP, in one process.
//!
//! `cargo run --release -p fileops-reference --example bulk_memory -- move|copy [N]`
//!
//! Prints N, the operation, the elapsed seconds (the `PUT` plus the wait for the engine),
//! the peak resident memory (`VmHWM` from `/proc/self/status`) once the tree is built and
//! after the operation, and the number of store entries afterwards.

use fileops_reference::{Config, Reference};
use serde_json::json;
use std::time::Instant;

const ALICE: &str = "alice-token";
const USAGE: &str = "usage: bulk_memory move|copy [N]";

/// A field of `/proc/self/status` in kB (e.g. `VmHWM`), if the system has it.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

fn mib(kb: Option<u64>) -> String {
    kb.map_or_else(
        || "n/a".to_owned(),
        |kb| format!("{:.1} MiB", kb as f64 / 1024.0),
    )
}

fn main() {
    let mut args = std::env::args().skip(1);
    let operation = match args.next().as_deref() {
        Some(op @ ("move" | "copy")) => op.to_owned(),
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    let files: usize = match args.next() {
        None => 100_000,
        Some(n) => n.parse().unwrap_or_else(|_| {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }),
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(&operation, files));
}

async fn run(operation: &str, files: usize) {
    let reference = Reference::new(Config::demo(&fileops_api::dialects::DOCSPACE));
    let built = Instant::now();
    let (src, dst) = {
        let mut store = reference.store();
        let my = store.users[&1].my;
        let src = store.create_folder(1, my, "src", 0).expect("src");
        let dst = store.create_folder(1, my, "dst", 0).expect("dst");
        for i in 0..files {
            let title = format!("file-{i:06}.docx");
            let content = format!("bench content {i}").into_bytes();
            store
                .create_file(1, src, &title, content, "Created", 0)
                .expect("file");
        }
        (src, dst)
    };
    let build_secs = built.elapsed().as_secs_f64();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    reference.set_base_url(base.clone());
    let app = reference.router();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let client = reqwest::Client::new();
    let entries_before = reference.store().entries.len();
    let hwm_before = status_kb("VmHWM");

    let url = format!("{base}/api/2.0/files/fileops/{operation}");
    let body = json!({ "destFolderId": dst, "folderIds": [src] }).to_string();
    let start = Instant::now();
    let response = client
        .put(&url)
        .header("Authorization", ALICE)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let status = response.status();
    let text = response.text().await.expect("body");
    assert!(status.is_success(), "{operation}: {status} {text}");
    let accepted = start.elapsed().as_secs_f64();
    while reference.engine().unfinished() > 0 {
        tokio::task::yield_now().await;
    }
    let elapsed = start.elapsed().as_secs_f64();

    let hwm_after = status_kb("VmHWM");
    let (entries_after, below_dst) = {
        let store = reference.store();
        (store.entries.len(), store.count_below(dst).0)
    };

    println!("files:            {files}");
    println!("operation:        {operation}");
    println!("tree built in:    {build_secs:.3} s (not part of elapsed)");
    println!("PUT answered in:  {accepted:.3} s");
    println!("elapsed:          {elapsed:.3} s");
    println!("VmHWM before:     {} (tree built)", mib(hwm_before));
    println!("VmHWM after:      {}", mib(hwm_after));
    println!("entries before:   {entries_before}");
    println!("entries after:    {entries_after}");
    println!("files under dst:  {below_dst}");
}
