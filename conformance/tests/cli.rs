//! The command line end to end: the embedded run passes in every dialect; a server that
//! departs from the dialect is caught; unreachable servers and missing settings are errors.

use serde_json::Value;
use std::process::Command;

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fileops-conformance"))
}

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("fileops-conformance-{}-{name}", std::process::id()))
}

#[test]
fn the_embedded_reference_passes_strict_in_every_dialect_and_reports_are_written() {
    let (junit, json) = (temp("junit.xml"), temp("report.json"));
    let out = cli()
        .args([
            "run",
            "--strict",
            "--quiet",
            "--junit",
            junit.to_str().expect("utf8"),
            "--report",
            json.to_str().expect("utf8"),
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json report")).expect("JSON");
    assert_eq!(report["summary"]["fail"], 0);
    assert_eq!(
        report["summary"]["warn"], 0,
        "--strict: no SHOULD is broken"
    );
    assert_eq!(report["summary"]["error"], 0);
    let dialects: std::collections::BTreeSet<&str> = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["dialect"].as_str())
        .collect();
    assert_eq!(
        dialects.into_iter().collect::<Vec<_>>(),
        ["docspace", "r7", "workspace"]
    );
    let junit = std::fs::read_to_string(&junit).expect("junit report");
    assert!(
        junit.contains("<testsuite name=\"docspace\"") && junit.contains("failures=\"0\""),
        "{junit}"
    );
    assert!(stdout.contains("passed, 0 failed"), "{stdout}");
}

#[test]
fn a_server_speaking_another_dialect_is_caught_with_replayable_evidence() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime
        .block_on(fileops_conformance::embedded::start(
            &fileops_api::dialects::DOCSPACE,
        ))
        .expect("server");
    let json = temp("mismatch.json");
    let out = cli()
        .args([
            "run",
            "--url",
            &server.base_url,
            "--token",
            &server.token,
            "--dialect",
            "workspace",
            "--format",
            "json",
        ])
        .args(["--report", json.to_str().expect("utf8")])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report")).expect("JSON");
    let failed: Vec<&str> = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["outcome"]["state"] == "fail")
        .filter_map(|r| r["id"].as_str())
        .collect();
    for expected in [
        "envelope.success.keys",
        "envelope.operation.key",
        "envelope.error.keys",
    ] {
        assert!(
            failed.contains(&expected),
            "{expected} must catch the mismatch; failed: {failed:?}"
        );
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("replay: curl -sS -X"),
        "failures print the request as curl: {stdout}"
    );
    drop(runtime);
}

#[test]
fn an_unreachable_server_is_an_error_never_a_pass() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let out = cli()
        .args(["run", "--url", &url, "--token", "t"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot reach"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = cli()
        .args(["run", "--url", "http://127.0.0.1:9"])
        .env_remove("FILEOPS_TOKEN")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--token"));
    let out = cli()
        .args(["run", "--dialect", "sharepoint"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_catalogue_is_listed_as_data() {
    let out = cli().arg("list").output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for check in fileops_conformance::catalogue::CATALOGUE {
        assert!(text.contains(check.id), "{} is listed", check.id);
        assert!(!check.source.is_empty() && !check.rule.is_empty());
    }
    assert!(text.contains("SHOULD"));
}

#[test]
fn include_and_exclude_select_checks() {
    let json = temp("selection.json");
    let out = cli()
        .args([
            "run",
            "--quiet",
            "--dialect",
            "docspace",
            "--include",
            "effects.*",
            "--exclude",
            "*duplicate*",
        ])
        .args(["--report", json.to_str().expect("utf8")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report")).expect("JSON");
    let ids: Vec<&str> = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(
        !ids.is_empty()
            && ids
                .iter()
                .all(|id| id.starts_with("effects.") && !id.contains("duplicate")),
        "{ids:?}"
    );
}

#[test]
fn fileops_url_and_token_stand_for_the_flags() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime
        .block_on(fileops_conformance::embedded::start(
            &fileops_api::dialects::WORKSPACE,
        ))
        .expect("server");
    let out = cli()
        .args([
            "run",
            "--quiet",
            "--dialect",
            "workspace",
            "--include",
            "envelope.*",
        ])
        .env("FILEOPS_URL", &server.base_url)
        .env("FILEOPS_TOKEN", &server.token)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("workspace"), "{stdout}");
    drop(runtime);
}
