//! The command line end to end: the embedded run passes in every dialect and writes every
//! report; a server that departs from the dialect is caught; selections, token sources,
//! flags, verbosity, colours and a closed stdout behave; unreachable servers, bad addresses
//! and missing settings are errors.

use serde_json::Value;
use std::process::{Command, Output, Stdio};

use fileops_conformance::embedded::Embedded;

fn cli() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fileops-conformance"));
    // The outer environment (a CI job's secrets, a terminal's colour settings) stays out.
    for name in [
        "FILEOPS_URL",
        "FILEOPS_TOKEN",
        "FILEOPS_TOKEN2",
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
    ] {
        command.env_remove(name);
    }
    command
}

fn output(command: &mut Command) -> Output {
    command.output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("fileops-conformance-{}-{name}", std::process::id()))
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("utf8 path")
}

fn read_json(p: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).expect("a JSON report")).expect("JSON")
}

/// An embedded reference served by URL, and the runtime that serves it.
fn server(dialect: &'static fileops_api::runtime::Dialect) -> (tokio::runtime::Runtime, Embedded) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime
        .block_on(fileops_conformance::embedded::start(dialect))
        .expect("server");
    (runtime, server)
}

fn docspace() -> (tokio::runtime::Runtime, Embedded) {
    server(&fileops_api::dialects::DOCSPACE)
}

/// Each result's id and state in a JSON report.
fn states(report: &Value) -> Vec<(String, String)> {
    report["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let field = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            (field("id"), field("state"))
        })
        .collect()
}

fn state_of(report: &Value, id: &str) -> Option<String> {
    states(report)
        .into_iter()
        .find(|(i, _)| i == id)
        .map(|(_, s)| s)
}

#[test]
fn the_embedded_reference_passes_strict_in_every_dialect_and_all_reports_are_written() {
    let (junit, json, html) = (temp("junit.xml"), temp("report.json"), temp("report.html"));
    let out = output(cli().args(["run", "--strict", "--quiet"]).args([
        "--junit",
        path(&junit),
        "--report",
        path(&json),
        "--html",
        path(&html),
    ]));
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    let report = read_json(&json);
    assert_eq!(report["summary"]["fail"], 0);
    assert_eq!(
        report["summary"]["warn"], 0,
        "--strict: no SHOULD is broken"
    );
    assert_eq!(report["summary"]["error"], 0);
    assert_eq!(report["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(report["target"], "embedded reference");
    assert_eq!(report["seed"], 20261122);
    assert!(report["started"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert_eq!(
        report["dialects"],
        serde_json::json!(["docspace", "workspace", "r7"])
    );
    let profiled: Vec<&str> = report["profile"]
        .as_array()
        .expect("a profile")
        .iter()
        .filter_map(|p| p["dialect"].as_str())
        .collect();
    assert_eq!(
        profiled,
        ["docspace", "workspace", "r7"],
        "a profile per dialect, in run order"
    );
    let junit = std::fs::read_to_string(&junit).expect("junit report");
    for dialect in ["docspace", "workspace", "r7"] {
        assert!(
            junit.contains(&format!("<testsuite name=\"{dialect}\"")),
            "{junit}"
        );
    }
    assert!(junit.contains("failures=\"0\"") && junit.contains("timestamp=\""));
    assert!(
        junit.contains("<property name=\"seed\" value=\"20261122\"/>"),
        "{junit}"
    );
    assert!(junit.contains("<property name=\"profile."), "{junit}");
    let html = std::fs::read_to_string(&html).expect("html report");
    assert!(
        html.starts_with("<!DOCTYPE html>") && !html.contains("src=") && !html.contains("href=")
    );
    let first = report["results"][0]["id"].as_str().expect("an id");
    assert!(html.contains(&format!("<code>{first}</code>")));
    assert!(stdout.contains("passed, 0 failed"), "{stdout}");
    assert!(
        !stdout.contains("PASS "),
        "--quiet prints no passes: {stdout}"
    );
}

#[test]
fn a_server_speaking_another_dialect_is_caught_with_replayable_evidence() {
    let (runtime, server) = docspace();
    let (json, html) = (temp("mismatch.json"), temp("mismatch.html"));
    let out = output(
        cli()
            .args(["run", "--url", &server.base_url, "--token", &server.token])
            .args(["--dialect", "workspace", "--format", "json"])
            .args(["--report", path(&json), "--html", path(&html)]),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let report = read_json(&json);
    for expected in [
        "envelope.success.keys",
        "envelope.operation.key",
        "envelope.error.keys",
    ] {
        assert_eq!(
            state_of(&report, expected).as_deref(),
            Some("fail"),
            "{expected} must catch the mismatch"
        );
    }
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("replay: curl -sS -X"),
        "failures print the request as curl: {stdout}"
    );
    let html = std::fs::read_to_string(&html).expect("html report");
    assert!(
        html.contains("class=\"replay\">curl -sS -X"),
        "the page carries the replay"
    );
    drop(runtime);
}

#[test]
fn json_states_are_the_terminal_states() {
    let (runtime, server) = docspace();
    let json = temp("states.json");
    let out = output(
        cli()
            .args(["run", "--url", &server.base_url, "--token", &server.token])
            .args(["--dialect", "workspace", "--format", "json"])
            .args(["--report", path(&json)]),
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let report = read_json(&json);
    for (id, state) in states(&report) {
        let shown = format!("{:<5} workspace {id}", state.to_uppercase());
        assert!(stdout.contains(&shown), "{shown:?} is printed: {stdout}");
    }
    let counted = |state: &str| states(&report).iter().filter(|(_, s)| s == state).count();
    assert_eq!(report["summary"]["warn"], counted("warn"));
    assert_eq!(report["summary"]["fail"], counted("fail"));
    drop(runtime);
}

#[test]
fn an_unreachable_server_is_an_error_never_a_pass() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let out = output(cli().args(["run", "--url", &url, "--token", "a-test-token"]));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: ") && stderr.contains("cannot reach"),
        "{stderr}"
    );
}

#[test]
fn a_bad_url_is_a_plain_usage_error_before_any_check() {
    let api_path = "http://127.0.0.1:9/api/2.0";
    for url in [api_path, "portal.example", "ftp://portal.example"] {
        let out = output(cli().args(["run", "--url", url, "--token", "a-test-token"]));
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(2), "{url}: {stdout}{stderr}");
        assert!(stderr.starts_with("error: "), "{url}: {stderr}");
        for dump in ["panicked", "TargetError(", "SetupError(", "Error {"] {
            assert!(!stderr.contains(dump), "{url}: no debug dump: {stderr}");
        }
        for state in ["PASS ", "FAIL ", "SKIP ", "ERROR"] {
            assert!(!stdout.contains(state), "{url}: no check ran: {stdout}");
        }
    }
}

#[test]
fn usage_errors_exit_2() {
    let out = output(cli().args(["run", "--url", "http://127.0.0.1:9"]));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("--token") && stderr.contains("--token-file"),
        "{stderr}"
    );
    let out = output(cli().args(["run", "--dialect", "sharepoint"]));
    assert_eq!(out.status.code(), Some(2));
    let out = output(cli().args(["run", "--quiet", "--verbose"]));
    assert_eq!(out.status.code(), Some(2), "--quiet and --verbose conflict");
}

#[test]
fn a_selection_that_runs_nothing_names_the_closest_ids() {
    let out = output(cli().args([
        "run",
        "--dialect",
        "docspace",
        "--include",
        "envelope.sucess*",
    ]));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains("envelope.success.keys"),
        "the nearest id is named: {stderr}"
    );
    assert!(text(&out.stdout).is_empty(), "nothing ran");
    // The XML parity check exists, but not in DocSpace.
    let out = output(cli().args([
        "run",
        "--dialect",
        "docspace",
        "--include",
        "envelope.xml.parity",
    ]));
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("closest check ids: envelope.xml.parity (workspace, r7 only)"),
        "{stderr}"
    );
    let out = output(
        cli()
            .args(["run", "--dialect", "workspace", "--format", "json"])
            .args(["--include", "envelope.xml.*"]),
    );
    assert_eq!(out.status.code(), Some(2), "XML checks with JSON only");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("format json") && stderr.contains("closest check ids: envelope.xml."),
        "{stderr}"
    );
    let out = output(cli().args(["run", "--exclude", "*"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("leaves no check to run"));
}

#[test]
fn the_catalogue_is_listed_as_data() {
    let out = output(cli().arg("list"));
    assert_eq!(out.status.code(), Some(0));
    let listed = text(&out.stdout);
    for check in fileops_conformance::catalogue::CATALOGUE {
        assert!(listed.contains(check.id), "{} is listed", check.id);
        assert!(!check.source.is_empty() && !check.rule.is_empty());
    }
    assert!(listed.contains("SHOULD"));
}

/// A pipe whose reading end is already closed, as `| head -1` leaves it once `head` is done.
fn closed_pipe() -> Stdio {
    let mut reader = Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .expect("`true` runs");
    let write_end = reader.stdin.take().expect("a pipe");
    reader.wait().expect("`true` exits");
    Stdio::from(write_end)
}

#[test]
fn a_closed_stdout_ends_quietly_without_a_panic() {
    let list = output(cli().arg("list").stdout(closed_pipe()));
    let run = output(
        cli()
            .args(["run", "--dialect", "r7", "--include", "envelope.*"])
            .stdout(closed_pipe()),
    );
    for out in [list, run] {
        let stderr = text(&out.stderr);
        assert!(stderr.is_empty(), "a quiet exit, no panic: {stderr}");
        assert_eq!(out.status.code(), Some(141), "as if SIGPIPE ended it");
    }
}

#[test]
fn list_into_head_prints_one_line_and_no_panic() {
    let bin = env!("CARGO_BIN_EXE_fileops-conformance");
    let out = output(Command::new("sh").args(["-c", "\"$0\" list | head -1", bin]));
    assert_eq!(out.status.code(), Some(0), "head's status");
    let first = fileops_conformance::catalogue::CATALOGUE[0].id;
    assert!(text(&out.stdout).starts_with(first));
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn include_and_exclude_select_checks() {
    let json = temp("selection.json");
    let out = output(
        cli()
            .args(["run", "--quiet", "--dialect", "docspace"])
            .args(["--include", "effects.*", "--exclude", "*duplicate*"])
            .args(["--report", path(&json)]),
    );
    assert_eq!(out.status.code(), Some(0));
    let ids: Vec<String> = states(&read_json(&json))
        .into_iter()
        .map(|(id, _)| id)
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
    let (runtime, server) = server(&fileops_api::dialects::WORKSPACE);
    let out = output(
        cli()
            .args([
                "run",
                "--quiet",
                "--dialect",
                "workspace",
                "--include",
                "envelope.*",
            ])
            .env("FILEOPS_URL", &server.base_url)
            .env("FILEOPS_TOKEN", &server.token),
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("workspace"), "{stdout}");
    drop(runtime);
}

/// `auth.isolation`'s state in a docspace run by URL with the extra arguments.
fn isolation(server: &Embedded, configure: impl FnOnce(&mut Command)) -> (Output, Option<String>) {
    let json = temp(&format!("isolation-{}.json", uuid::Uuid::new_v4()));
    let mut command = cli();
    command
        .args(["run", "--url", &server.base_url, "--dialect", "docspace"])
        .args(["--include", "auth.isolation", "--report", path(&json)]);
    configure(&mut command);
    let out = output(&mut command);
    let state = std::fs::read_to_string(&json)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|r| state_of(&r, "auth.isolation"));
    let _ = std::fs::remove_file(&json);
    (out, state)
}

#[test]
fn a_token_file_holds_both_tokens() {
    let (runtime, server) = docspace();
    let file = temp("tokens");
    std::fs::write(
        &file,
        format!("\n  {}  \r\n{}\n", server.token, server.token2),
    )
    .expect("write");
    let (out, state) = isolation(&server, |c| {
        c.args(["--token-file", path(&file)]);
    });
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        state.as_deref(),
        Some("pass"),
        "the second line is the second user"
    );
    std::fs::write(&file, &server.token).expect("write");
    let (out, state) = isolation(&server, |c| {
        c.args(["--token-file", path(&file)]);
    });
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(state.as_deref(), Some("skip"), "one line: no second user");
    drop(runtime);
}

#[test]
fn flags_win_over_the_token_file_and_the_file_over_the_environment() {
    let (runtime, server) = docspace();
    let file = temp("wrong-tokens");
    std::fs::write(&file, "not-a-token\n").expect("write");
    let (out, state) = isolation(&server, |c| {
        c.args(["--token-file", path(&file), "--token", &server.token])
            .env("FILEOPS_TOKEN2", &server.token2);
    });
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(
        state.as_deref(),
        Some("pass"),
        "--token and FILEOPS_TOKEN2 were used"
    );
    std::fs::write(&file, format!("{}\n", server.token)).expect("write");
    let (out, _) = isolation(&server, |c| {
        c.args(["--token-file", path(&file)])
            .env("FILEOPS_TOKEN", "not-a-token");
    });
    assert_eq!(
        out.status.code(),
        Some(0),
        "the file beats FILEOPS_TOKEN: {}",
        text(&out.stdout)
    );
    drop(runtime);
}

#[test]
fn an_unreadable_or_empty_token_file_is_a_clear_error() {
    let missing = temp("no-such-token-file");
    let empty = temp("empty-token-file");
    std::fs::write(&empty, "\n  \n").expect("write");
    for (file, says) in [
        (&missing, "cannot read the token file"),
        (&empty, "holds no token"),
    ] {
        let out = output(cli().args([
            "run",
            "--url",
            "http://127.0.0.1:9",
            "--token-file",
            path(file),
        ]));
        assert_eq!(out.status.code(), Some(2));
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with("error: ") && stderr.contains(says),
            "{stderr}"
        );
        assert!(stderr.contains(path(file)), "the file is named: {stderr}");
    }
}

#[test]
fn timeouts_and_tls_flags_are_parsed() {
    for bad in [
        vec!["--request-timeout", "0"],
        vec!["--request-timeout", "soon"],
        vec!["--timeout", "0"],
        vec!["--ca-cert"],
    ] {
        let out = output(cli().arg("run").args(&bad));
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(bad[0]), "{bad:?} is named: {stderr}");
    }
    let out = output(cli().args([
        "run",
        "--dialect",
        "docspace",
        "--include",
        "envelope.success.keys",
        "--request-timeout",
        "5",
        "--insecure",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("warning: --insecure") && stderr.contains("verification is OFF"),
        "{stderr}"
    );
}

#[test]
fn the_header_names_the_run_and_no_output_holds_a_token() {
    let (runtime, server) = docspace();
    let (junit, json, html) = (temp("h.xml"), temp("h.json"), temp("h.html"));
    let out = output(
        cli()
            .args(["run", "--url", &server.base_url, "--dialect", "docspace"])
            .args(["--token", &server.token, "--token2", &server.token2])
            .args(["--include", "auth.*", "--seed", "7", "--verbose"])
            .args([
                "--junit",
                path(&junit),
                "--report",
                path(&json),
                "--html",
                path(&html),
            ]),
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let header: Vec<&str> = stdout.lines().take(5).collect();
    assert_eq!(
        header,
        [
            format!("fileops-conformance {}", env!("CARGO_PKG_VERSION")).as_str(),
            format!("target:    {}", server.base_url).as_str(),
            "dialects:  docspace",
            "seed:      7 (16 cases per property check)",
            "selection: include auth.*; exclude -; format both",
        ]
    );
    let reports = [junit, json, html].map(|p| std::fs::read_to_string(p).expect("report"));
    for written in reports.iter().chain([&stdout, &text(&out.stderr)]) {
        assert!(!written.contains(&server.token) && !written.contains(&server.token2));
    }
    drop(runtime);
}

#[test]
fn verbosity_chooses_the_lines() {
    let run = |flag: Option<&str>| {
        let mut command = cli();
        command.args(["run", "--dialect", "docspace", "--include", "envelope.*"]);
        command.args(flag);
        let out = output(&mut command);
        assert_eq!(out.status.code(), Some(0));
        text(&out.stdout)
    };
    let normal = run(None);
    assert!(
        normal.starts_with("fileops-conformance ")
            && normal.contains("PASS  docspace  envelope.success.keys\n"),
        "off a terminal every check has a line: {normal}"
    );
    assert!(normal.contains(" in ") && normal.lines().last().is_some_and(|l| l.ends_with('s')));
    let verbose = run(Some("--verbose"));
    assert!(
        verbose.contains("PASS  docspace  envelope.success.keys (") && verbose.contains(" ms)"),
        "{verbose}"
    );
    let quiet = run(Some("--quiet"));
    assert!(
        !quiet.contains("PASS") && !quiet.contains("fileops-conformance "),
        "{quiet}"
    );
    assert!(quiet.contains("passed, 0 failed"), "{quiet}");
}

#[test]
fn skips_and_their_reasons_always_show() {
    let (runtime, server) = docspace();
    for flag in ["--quiet", "--verbose"] {
        let (out, state) = isolation(&server, |c| {
            c.args(["--token", &server.token, flag]);
        });
        assert_eq!(state.as_deref(), Some("skip"));
        let stdout = text(&out.stdout);
        let reason_shown = stdout
            .lines()
            .any(|l| l.contains("auth.isolation") && (l.contains(": ") || l.contains(" (")));
        assert!(
            reason_shown && stdout.contains("token2"),
            "{flag}: {stdout}"
        );
    }
    drop(runtime);
}

#[test]
fn colours_are_off_off_a_terminal_and_under_no_color() {
    let run = |env: &[(&str, &str)]| {
        let mut command = cli();
        command.args([
            "run",
            "--dialect",
            "docspace",
            "--include",
            "envelope.success.keys",
        ]);
        command.envs(env.iter().copied());
        text(&output(&mut command).stdout)
    };
    assert!(!run(&[]).contains('\u{1b}'), "no colour into a pipe");
    assert!(
        run(&[("CLICOLOR_FORCE", "1")]).contains("\u{1b}["),
        "forced colour"
    );
    assert!(
        !run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\u{1b}'),
        "NO_COLOR wins"
    );
}

/// What the terminal shows for a fact of a JSON report's profile (as `Shown::text`).
fn shown_text(fact: &Value) -> String {
    let shown = &fact["shown"];
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str().map(str::to_owned))
            .collect()
    };
    match shown["state"].as_str() {
        Some("reading") => shown["reading"].as_str().unwrap_or_default().to_owned(),
        Some("undecided") => names(&shown["readings"]).join(" or "),
        Some("not-observed") => "not observed".to_owned(),
        other => other.unwrap_or_default().to_owned(),
    }
}

/// The terminal's profile line of each fact in a JSON report's profile, worked out from the
/// JSON alone: the id in one column, what was shown, and the default where it departs.
fn profile_lines(report: &Value) -> Vec<String> {
    let dialects = report["profile"].as_array().expect("a profile");
    let facts = || {
        dialects
            .iter()
            .flat_map(|d| d["facts"].as_array().expect("facts"))
    };
    let width = facts()
        .map(|f| f["fact"].as_str().map_or(0, str::len))
        .max()
        .unwrap_or(0);
    facts()
        .map(|f| {
            let id = f["fact"].as_str().unwrap_or_default();
            let default = f["default"].as_str();
            let shown = &f["shown"];
            let departs = default.is_some_and(|d| match shown["state"].as_str() {
                Some("reading") => shown["reading"] != d,
                Some("undecided") => !shown["readings"]
                    .as_array()
                    .is_some_and(|rs| rs.iter().any(|r| r == d)),
                Some("inconsistent") => true,
                _ => false,
            });
            let marker = match (departs, default) {
                (true, Some(d)) => format!(" (default: {d})"),
                _ => String::new(),
            };
            format!("  {id:<width$}  {}{marker}", shown_text(f))
        })
        .collect()
}

#[test]
fn the_profile_is_in_every_report_and_quiet_still_prints_it() {
    let (junit, json, html) = (
        temp("profile.xml"),
        temp("profile.json"),
        temp("profile.html"),
    );
    let out = output(
        cli()
            .args(["run", "--quiet", "--dialect", "workspace"])
            .args(["--include", "envelope.*", "--junit", path(&junit)])
            .args(["--report", path(&json), "--html", path(&html)]),
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let report = read_json(&json);
    let profile = report["profile"].as_array().expect("a profile");
    assert_eq!(profile.len(), 1, "one dialect ran");
    assert_eq!(profile[0]["dialect"], "workspace");
    let facts = profile[0]["facts"].as_array().expect("facts");
    assert!(!facts.is_empty(), "open facts concern Workspace");
    assert!(
        facts.iter().any(|f| f["shown"]["state"] == "reading"),
        "the envelope checks tell some readings apart: {report}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    let heading = lines
        .iter()
        .position(|l| *l == "behaviour profile")
        .unwrap_or_else(|| panic!("--quiet prints the profile: {stdout}"));
    assert_eq!(lines[heading + 1], "workspace");
    let expected = profile_lines(&report);
    assert_eq!(
        lines[heading + 2..heading + 2 + expected.len()],
        expected[..],
        "every fact, observed or not, as the JSON says: {stdout}"
    );
    assert!(
        lines.last().is_some_and(|l| l.contains("passed, 0 failed")),
        "the closing line stays last: {stdout}"
    );
    let table = lines
        .iter()
        .position(|l| l.starts_with("dialect "))
        .expect("the table");
    assert!(table < heading, "the profile follows the table: {stdout}");
    let junit = std::fs::read_to_string(&junit).expect("junit report");
    let html = std::fs::read_to_string(&html).expect("html report");
    let section = html
        .split("<h2>Behaviour profile</h2>")
        .nth(1)
        .and_then(|rest| rest.split("<h2>").next())
        .unwrap_or_else(|| panic!("the page has a profile: {html}"));
    assert!(section.contains("<h3>workspace</h3>"), "{section}");
    let rows: Vec<&str> = section.split("<tr class=\"fact").skip(1).collect();
    assert_eq!(rows.len(), facts.len(), "a row per fact: {section}");
    for (fact, row) in facts.iter().zip(rows) {
        let id = fact["fact"].as_str().expect("an id");
        let property = format!(
            "<property name=\"profile.{id}\" value=\"{}\"/>",
            shown_text(fact)
        );
        assert!(junit.contains(&property), "{property}: {junit}");
        assert!(row.contains(&format!("<code>{id}</code>")), "{id}: {row}");
        assert!(
            row.contains(&format!("\">{}</td>", shown_text(fact))),
            "{id}: {row}"
        );
    }
}

#[test]
fn verbose_shows_each_facts_observations_and_a_departure_is_marked() {
    let (runtime, server) = docspace();
    let json = temp("profile-mismatch.json");
    let out = output(
        cli()
            .args(["run", "--url", &server.base_url, "--token", &server.token])
            .args(["--dialect", "workspace", "--format", "json", "--verbose"])
            .args(["--report", path(&json)]),
    );
    let stdout = text(&out.stdout);
    let report = read_json(&json);
    let lines: Vec<&str> = stdout.lines().collect();
    let heading = lines
        .iter()
        .position(|l| *l == "behaviour profile")
        .unwrap_or_else(|| panic!("{stdout}"));
    let profile = &lines[heading..];
    let expected = profile_lines(&report);
    for line in &expected {
        assert!(profile.contains(&line.as_str()), "{line:?}: {stdout}");
    }
    assert!(
        expected.iter().any(|l| l.contains(" (default: ")),
        "a DocSpace server departs from some Workspace default: {stdout}"
    );
    let facts = report["profile"][0]["facts"].as_array().expect("facts");
    let observations: Vec<&Value> = facts
        .iter()
        .flat_map(|f| f["observations"].as_array().expect("observations"))
        .collect();
    assert!(!observations.is_empty(), "{report}");
    for o in observations {
        let readings: Vec<&str> = o["readings"]
            .as_array()
            .expect("readings")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let line = format!(
            "      {}: {} ({}; {} answer(s))",
            o["check"].as_str().unwrap_or_default(),
            o["what"].as_str().unwrap_or_default().replace('\n', " "),
            readings.join(" or "),
            o["times"]
        );
        assert!(profile.contains(&line.as_str()), "{line:?}: {stdout}");
    }
    drop(runtime);
}
