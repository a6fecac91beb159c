//! No token in any output: a run against a deliberately broken reference fails with
//! evidence, and neither the terminal nor the reports show the tokens; the replays read them
//! from `$FILEOPS_TOKEN` and `$FILEOPS_TOKEN2` and still send them.

use fileops_api::dialects::DOCSPACE;
use fileops_reference::faults::{Fault, Faults};
use fileops_reference::{Config, Reference, DEMO_USERS};
use serde_json::Value;
use std::process::Command;

/// Serves the reference with `faults` from a runtime of its own (the test blocks on the
/// child process while the runtime's workers serve); the runtime and the base address.
fn serve_broken(faults: &[&str]) -> (tokio::runtime::Runtime, String) {
    let mut config = Config::demo(&DOCSPACE);
    for name in faults {
        let fault = Fault::by_name(name).unwrap_or_else(|| panic!("no fault {name}"));
        (fault.set)(&mut config.faults);
    }
    assert_ne!(config.faults, Faults::default());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime
        .block_on(fileops_conformance::embedded::serve(Reference::new(config)))
        .expect("serves");
    (runtime, server.base_url)
}

/// Every string in a JSON document.
fn strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// What a replay sends: run through bash with a `curl` that prints its arguments, one a
/// line, and the tokens exported.
fn replayed(curl: &str) -> Vec<String> {
    let script = format!("curl() {{ printf '%s\\n' \"$@\"; }}\n{curl}\n");
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .env_clear()
        .env("FILEOPS_TOKEN", DEMO_USERS[0].1)
        .env("FILEOPS_TOKEN2", DEMO_USERS[1].1)
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{curl}: {out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn no_output_of_a_failing_run_shows_a_token_and_the_replays_still_send_them() {
    // Both faults fail checks whose evidence carries a token: the Bearer form of the first
    // user's, and the second user's mutations.
    let (_runtime, base_url) = serve_broken(&["bearer-refused", "mutations-as-first-user"]);
    let dir = std::env::temp_dir().join(format!("fileops-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (junit, json) = (dir.join("junit.xml"), dir.join("report.json"));
    let out = Command::new(env!("CARGO_BIN_EXE_fileops-conformance"))
        .env_remove("FILEOPS_TOKEN")
        .env_remove("FILEOPS_TOKEN2")
        .args([
            "run",
            "--url",
            &base_url,
            "--token",
            DEMO_USERS[0].1,
            "--token2",
            DEMO_USERS[1].1,
            "--dialect",
            "docspace",
            "--include",
            "coverage.auth.bearer",
            "--include",
            "coverage.isolation.mutations",
            "--junit",
            junit.to_str().expect("utf8"),
            "--report",
            json.to_str().expect("utf8"),
        ])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let junit = std::fs::read_to_string(&junit).expect("junit report");
    let report = std::fs::read_to_string(&json).expect("json report");
    for (name, text) in [
        ("stdout", &stdout),
        ("stderr", &stderr),
        ("junit", &junit),
        ("json", &report),
    ] {
        for (user, token) in DEMO_USERS {
            assert!(
                !text.contains(token),
                "{name} shows {user}'s token:\n{text}"
            );
        }
    }
    for (name, text) in [("stdout", &stdout), ("junit", &junit), ("json", &report)] {
        assert!(text.contains("$FILEOPS_TOKEN"), "{name}:\n{text}");
        assert!(text.contains("$FILEOPS_TOKEN2"), "{name}:\n{text}");
    }

    // Each replay in the JSON report sends the real tokens once they are exported.
    let report: Value = serde_json::from_str(&report).expect("JSON");
    let mut all = Vec::new();
    strings(&report, &mut all);
    let replays: Vec<&str> = all
        .into_iter()
        .filter(|s| s.starts_with("curl ") && s.contains("Authorization"))
        .collect();
    let mut sent = std::collections::BTreeSet::new();
    for curl in &replays {
        let args = replayed(curl);
        let header = args
            .iter()
            .find(|a| a.starts_with("Authorization: "))
            .unwrap_or_else(|| panic!("{curl} sends no Authorization: {args:?}"));
        sent.insert(header.clone());
    }
    for expected in [
        format!("Authorization: Bearer {}", DEMO_USERS[0].1),
        format!("Authorization: {}", DEMO_USERS[1].1),
    ] {
        assert!(sent.contains(&expected), "{expected} not in {sent:?}");
    }
}
