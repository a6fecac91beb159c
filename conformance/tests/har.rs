//! `validate --har`: traffic recorded from the reference passes in every family; the same
//! traffic from a reference with a wire fault or a lifecycle fault is judged broken by the
//! rule that fault breaks; each sequence rule has a hand-made recording that breaks it alone
//! (`tests/fixtures/har/`); tokens never show.

use fileops_api::client::Client;
use fileops_api::runtime::client::{ClientConfig, EnumEncoding, Observed, Observer};
use fileops_api::runtime::{Dialect, Format};
use fileops_conformance::embedded;
use fileops_conformance::traffic::har::{HarWriter, Recorded};
use fileops_reference::{Config, Reference};
use process::shown;
use session::with_fault;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

#[allow(dead_code)] // not every test uses every helper
mod process;
mod session;

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("fileops-har-{}-{name}", std::process::id()))
}

fn validate(har: &Path, dialect: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fileops-conformance"))
        .env("NO_COLOR", "1")
        .args(["validate", "--dialect", dialect, "--har"])
        .arg(har)
        .args(extra)
        .output()
        .expect("runs")
}

/// A client whose every exchange lands in the returned list.
fn recording_client(
    server: &embedded::Embedded,
    dialect: &'static Dialect,
) -> (Client, Arc<Mutex<Vec<Recorded>>>) {
    let recorded: Arc<Mutex<Vec<Recorded>>> = Arc::default();
    let sink = recorded.clone();
    let observer = Observer(Arc::new(move |o: Observed<'_>| {
        let mut all = sink.lock().expect("lock");
        let index = all.len() + 1;
        all.push(Recorded {
            index,
            method: o.sent.method.clone(),
            url: o.sent.url.clone(),
            request_headers: o.sent.headers.clone(),
            request_body: o.sent.body.clone(),
            status: o.status,
            headers: o.headers.to_vec(),
            body: o.body.to_vec(),
        });
    }));
    let client = Client::new(ClientConfig {
        observer: Some(observer),
        http: None,
        base_url: server.base_url.clone(),
        dialect,
        authorization: Some(server.token.clone()),
        format: Format::Json,
        enums: EnumEncoding::Wire,
    });
    (client, recorded)
}

/// A session (see [`session::client_session`]) against `reference`, recorded.
async fn session(reference: Reference) -> Vec<Recorded> {
    let dialect = reference.dialect();
    let server = embedded::serve(reference).await.expect("serves");
    let (client, recorded) = recording_client(&server, dialect);
    session::client_session(&client).await;
    let all = recorded.lock().expect("lock").clone();
    all
}

fn write_har(name: &str, entries: &[Recorded]) -> PathBuf {
    let path = temp(name);
    let file = std::fs::File::create(&path).expect("creates");
    let mut writer = HarWriter::new(std::io::BufWriter::new(file)).expect("starts");
    for e in entries {
        writer.entry(e).expect("writes");
    }
    writer.finish().expect("ends");
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traffic_from_the_reference_passes_and_a_faults_traffic_fails_by_its_rule() {
    for dialect in fileops_api::dialects::ALL {
        let faithful = session(Reference::new(Config::demo(dialect))).await;
        let har = write_har(&format!("{}-faithful.har", dialect.name), &faithful);
        let report = temp(&format!("{}-report.json", dialect.name));
        let out = validate(
            &har,
            dialect.name,
            &["--strict", "--report", report.to_str().expect("utf8")],
        );
        let text = shown(&out);
        assert_eq!(out.status.code(), Some(0), "{}: {text}", dialect.name);
        assert!(text.contains("exchange(s) judged"), "{text}");
        assert!(
            !text.contains(fileops_reference::DEMO_USERS[0].1),
            "a token showed: {text}"
        );
        let json = std::fs::read_to_string(&report).expect("report");
        assert!(json.contains("traffic.read-once"), "{json}");

        for (fault, rule) in [
            ("progress-as-string", "wire.types"),
            ("read-once-broken", "traffic.read-once"),
        ] {
            let broken = session(Reference::new(with_fault(dialect, fault))).await;
            let har = write_har(&format!("{}-{fault}.har", dialect.name), &broken);
            let out = validate(&har, dialect.name, &[]);
            let text = shown(&out);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{} {fault}: {text}",
                dialect.name
            );
            assert!(
                text.lines()
                    .any(|l| l.starts_with("FAIL") && l.contains(rule)),
                "{} {fault} must fail {rule}: {text}",
                dialect.name
            );
            assert!(text.contains("replay: curl"), "{text}");
            assert!(
                !text.contains(fileops_reference::DEMO_USERS[0].1),
                "a token showed: {text}"
            );
        }
    }
}

/// Each hand-made recording breaks one sequence rule, and no other.
#[test]
fn each_sequence_rule_is_broken_by_its_recording_alone() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/har");
    let rules = [
        "traffic.operation-kind",
        "traffic.progress",
        "traffic.finished-complete",
        "traffic.read-once",
        "traffic.terminate",
    ];
    let out = validate(&fixtures.join("good-sequence.har"), "docspace", &[]);
    let text = shown(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    for rule in rules {
        assert!(
            text.lines()
                .any(|l| l.starts_with("PASS") && l.contains(rule)),
            "{rule}: {text}"
        );
    }
    for (file, broken) in [
        ("kind-changes.har", "traffic.operation-kind"),
        ("progress-falls.har", "traffic.progress"),
        ("finished-below-100.har", "traffic.finished-complete"),
        ("finished-twice.har", "traffic.read-once"),
        ("terminate-keeps-running.har", "traffic.terminate"),
        ("terminate-one-keeps-running.har", "traffic.terminate"),
    ] {
        let out = validate(&fixtures.join(file), "docspace", &[]);
        let text = shown(&out);
        assert_eq!(out.status.code(), Some(1), "{file}: {text}");
        for rule in rules {
            let failed = text
                .lines()
                .any(|l| l.starts_with("FAIL") && l.contains(rule));
            assert_eq!(failed, rule == broken, "{file}: {rule}\n{text}");
        }
    }
}

/// Not a HAR, or not there: exit 2 with the reason.
#[test]
fn an_unreadable_recording_is_a_usage_error() {
    let missing = temp("missing.har");
    let out = validate(&missing, "docspace", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    let bad = temp("bad.har");
    std::fs::write(&bad, r#"{"log": {"entries": [{"request": {}}]}}"#).expect("writes");
    let out = validate(&bad, "docspace", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("method"),
        "{}",
        shown(&out)
    );
}
