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

#[test]
fn faults_are_listed_as_data_and_set_by_name() {
    let out = Command::new(env!("CARGO_BIN_EXE_fileops-reference"))
        .arg("--list-faults")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), fileops_reference::faults::ALL.len());
    for line in &lines {
        let columns: Vec<&str> = line.split('\t').collect();
        assert_eq!(columns.len(), 3, "name, dialects, what it breaks: {line}");
        assert!(columns[1]
            .split(',')
            .all(|d| ["docspace", "workspace", "r7"].contains(&d)));
        assert!(!columns[2].is_empty());
    }
    assert!(
        text.contains("xml-booleans-capitalized\tworkspace,r7\t"),
        "{text}"
    );
    let unknown = Command::new(env!("CARGO_BIN_EXE_fileops-reference"))
        .args(["--fault", "no-such-fault"])
        .output()
        .expect("runs");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("--list-faults"));
    let wrong_family = Command::new(env!("CARGO_BIN_EXE_fileops-reference"))
        .args([
            "--dialect",
            "docspace",
            "--fault",
            "xml-booleans-capitalized",
            "--listen",
            "127.0.0.1:0",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        wrong_family.status.code(),
        Some(2),
        "DocSpace has no XML to break"
    );
}

#[test]
fn a_fault_set_by_name_breaks_the_wire() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fileops-reference"))
        .args([
            "--fault",
            "status-as-string",
            "--fault",
            "progress-over-100",
            "--listen",
            "127.0.0.1:0",
        ])
        .env("RUST_LOG", "error")
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
        .unwrap_or_default()
        .to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let body = runtime.block_on(async {
        reqwest::Client::new()
            .get(format!("http://{addr}/api/2.0/files/@my"))
            .header("Authorization", "alice-token")
            .send()
            .await
            .expect("answers")
            .text()
            .await
            .expect("body")
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        body.contains(r#""status":"0""#),
        "the envelope status is a string: {body}"
    );
}
