//! The command line: it listens where told, says so once ready, serves, and stops cleanly on
//! SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn serves_until_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fileops-reference"))
        .args([
            "--dialect",
            "workspace",
            "--listen",
            "127.0.0.1:0",
            "--user",
            "carol=secret",
        ])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("a line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected: {line}"))
        .to_owned();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (status, body) = runtime.block_on(async {
        let answer = reqwest::Client::new()
            .get(format!("http://{addr}/api/2.0/files/@my.xml"))
            .header("Authorization", "secret")
            .send()
            .await
            .expect("answers");
        (answer.status().as_u16(), answer.text().await.expect("body"))
    });
    assert_eq!(status, 200);
    assert!(body.contains("<title>My documents</title>"), "{body}");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let exit = child.wait().expect("exits");
    assert!(exit.success(), "a clean shutdown exits 0, got {exit:?}");
}

#[test]
fn bad_arguments_are_usage_errors() {
    let out = Command::new(env!("CARGO_BIN_EXE_fileops-reference"))
        .args(["--dialect", "sharepoint"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_fileops-reference"))
        .args(["--user", "nobody"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NAME=TOKEN"));
}
