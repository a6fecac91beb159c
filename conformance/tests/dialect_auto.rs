//! `--dialect auto`: the family is decided from the server's answers and said, with why;
//! R7 cannot be told from Workspace and the note says so; without answers to decide by, the
//! command stops with exit 2.

use fileops_reference::{Config, DEMO_USERS};
use process::shown;
use std::path::Path;
use std::process::{Command, Output};

mod process;

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fileops-conformance"))
        .env("NO_COLOR", "1")
        .env_remove("FILEOPS_URL")
        .env_remove("FILEOPS_TOKEN")
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn run_decides_the_family_from_the_servers_answer() {
    for (dialect, decided, r7_named) in [
        (&fileops_api::dialects::DOCSPACE, "docspace", false),
        (&fileops_api::dialects::WORKSPACE, "workspace", true),
        (&fileops_api::dialects::R7, "workspace", true),
    ] {
        let url = process::reference_in_background(Config::demo(dialect));
        let out = cli(&[
            "run",
            "--url",
            &url,
            "--token",
            DEMO_USERS[0].1,
            "--dialect",
            "auto",
            "--include",
            "envelope.success.keys",
        ]);
        let text = shown(&out);
        assert_eq!(out.status.code(), Some(0), "{}: {text}", dialect.name);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("--dialect auto: {decided} (")),
            "{}: {text}",
            dialect.name
        );
        assert_eq!(stderr.contains("r7"), r7_named, "{}: {text}", dialect.name);
        assert!(!text.contains(DEMO_USERS[0].1), "a token showed: {text}");
    }
}

#[test]
fn auto_needs_answers_to_decide_by() {
    let out = cli(&["run", "--dialect", "auto"]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("needs --url"),
        "{}",
        shown(&out)
    );

    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/har");
    let good = fixtures.join("good-sequence.har");
    let out = cli(&[
        "validate",
        "--dialect",
        "auto",
        "--har",
        good.to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--dialect auto: docspace ("),
        "{}",
        shown(&out)
    );

    let page = std::env::temp_dir().join(format!("fileops-auto-{}.json", std::process::id()));
    std::fs::write(&page, "<html>not an answer</html>").expect("writes");
    let out = cli(&[
        "validate",
        "--dialect",
        "auto",
        "--operation",
        "getMyFolder",
        page.to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--dialect auto"),
        "{}",
        shown(&out)
    );
}
