//! The validating proxy: a client's session through it to the reference is judged clean, in
//! each family named or decided (`auto`); through it to a reference with a planted fault the
//! fault's rule is reported and named in `X-Fileops-Violations`; other APIs stream through
//! unchanged; the command stops on SIGTERM with its verdict and a HAR file free of secrets,
//! which judges as the proxy did (the committed `tests/fixtures/har/proxy-session.har` is one).

use axum::body::Body;
use fileops_api::client::Client;
use fileops_api::operations::*;
use fileops_api::runtime::client::{ClientConfig, EnumEncoding};
use fileops_api::runtime::{Dialect, Format};
use fileops_conformance::context::my_folder_with;
use fileops_conformance::detect::Decision;
use fileops_conformance::embedded;
use fileops_conformance::proxy::{Events, Family, Proxy, ProxyConfig};
use fileops_conformance::traffic::har::{self, Recorded};
use fileops_conformance::traffic::Judged;
use fileops_reference::{Config, Reference, DEMO_USERS};
use process::shown;
use session::with_fault;
use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[allow(dead_code)] // not every test uses every helper
mod process;
mod session;

/// What the proxy told.
#[derive(Default)]
struct Seen {
    rules: Mutex<Vec<String>>,
    decided: Mutex<Option<&'static str>>,
    exchanges: Mutex<Vec<Recorded>>,
}

impl Events for Seen {
    fn exchange(&self, recorded: &Recorded) {
        self.exchanges.lock().expect("lock").push(recorded.clone());
    }
    fn judged(&self, judged: &Judged) {
        let mut rules = self.rules.lock().expect("lock");
        rules.extend(judged.violations.iter().map(|v| v.rule.id().to_owned()));
    }
    fn decided(&self, decision: &Decision) {
        *self.decided.lock().expect("lock") = Some(decision.dialect.name);
    }
}

/// A proxy to `upstream` served in the background: its address, and a sender that stops it.
async fn serve_proxy(
    upstream: &str,
    family: Family,
    seen: Arc<Seen>,
) -> (
    String,
    Arc<Proxy>,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let proxy = Proxy::new(
        ProxyConfig {
            upstream: upstream.to_owned(),
            client: reqwest::Client::new(),
            violations_header: true,
            keep_secrets: false,
        },
        family,
        Box::new(seen),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let app = proxy.router();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
    });
    (address, proxy, stop, served)
}

fn client(base_url: &str, dialect: &'static Dialect) -> Client {
    Client::new(ClientConfig {
        observer: None,
        http: None,
        base_url: base_url.to_owned(),
        dialect,
        authorization: Some(DEMO_USERS[0].1.to_owned()),
        format: Format::Json,
        enums: EnumEncoding::Wire,
    })
}

/// A short session through a proxy judging by `family`: the rules broken, how many answers
/// carried the violations header, and the family decided.
async fn through_proxy(
    config: Config,
    family: Family,
) -> (Vec<String>, usize, Option<&'static str>) {
    let dialect = config.dialect;
    let upstream = embedded::serve(Reference::new(config))
        .await
        .expect("serves");
    let seen = Arc::new(Seen::default());
    let (address, _proxy, _stop, _served) =
        serve_proxy(&upstream.base_url, family, seen.clone()).await;
    let client = client(&address, dialect);
    my_folder_with(&client).await.expect("My documents");
    let listed = client
        .get_operation_statuses(&GetOperationStatusesRequest { id: None })
        .await
        .expect("lists");
    let header = listed
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("x-fileops-violations"))
        .count();
    let rules = seen.rules.lock().expect("lock").clone();
    let decided = *seen.decided.lock().expect("lock");
    (rules, header, decided)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_through_the_proxy_is_judged_named_or_auto() {
    for dialect in fileops_api::dialects::ALL {
        // R7 answers as Workspace does (reference §1): auto takes Workspace for it.
        let expected = if dialect.name == "docspace" {
            "docspace"
        } else {
            "workspace"
        };
        for family in [Family::Named(dialect), Family::Auto] {
            let (rules, header, decided) = through_proxy(Config::demo(dialect), family).await;
            assert!(rules.is_empty(), "{} {family:?}: {rules:?}", dialect.name);
            assert_eq!(header, 0);
            if matches!(family, Family::Auto) {
                assert_eq!(decided, Some(expected), "{}", dialect.name);
            }
            let config = with_fault(dialect, "status-as-string");
            let (rules, header, _) = through_proxy(config, family).await;
            assert!(
                rules.iter().any(|r| r == "wire.types"),
                "{} {family:?}: {rules:?}",
                dialect.name
            );
            assert_eq!(header, 1, "{} {family:?}", dialect.name);
        }
    }
}

/// An upstream of another API: a download whose second half is sent only once `release`
/// fires, and an upload echoed back.
fn other_api(release: Arc<tokio::sync::Notify>) -> axum::Router {
    use axum::routing::{get, post};
    let half = 64 * 1024;
    axum::Router::new()
        .route(
            "/download",
            get(move || async move {
                let stream = futures_stream(release, half);
                axum::response::Response::builder()
                    .header("content-length", (2 * half).to_string())
                    .header("content-type", "application/octet-stream")
                    .body(Body::from_stream(stream))
                    .expect("answer")
            }),
        )
        .route(
            "/upload",
            post(|body: axum::body::Bytes| async move { body }),
        )
        .layer(axum::extract::DefaultBodyLimit::disable())
}

/// `half` bytes of `A`, then, once released, `half` bytes of `B`.
fn futures_stream(
    release: Arc<tokio::sync::Notify>,
    half: usize,
) -> impl futures_util::Stream<Item = Result<axum::body::Bytes, std::io::Error>> + Send + 'static {
    futures_util::stream::unfold(0u8, move |step| {
        let release = release.clone();
        async move {
            let chunk = match step {
                0 => vec![b'A'; half],
                1 => {
                    release.notified().await;
                    vec![b'B'; half]
                }
                _ => return None,
            };
            Some((Ok(axum::body::Bytes::from(chunk)), step + 1))
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_apis_stream_through_unchanged() {
    let release = Arc::new(tokio::sync::Notify::new());
    let upstream = embedded::serve_router(other_api(release.clone()), "", "")
        .await
        .expect("serves");
    let seen = Arc::new(Seen::default());
    let (address, proxy, stop, served) = serve_proxy(
        &upstream.base_url,
        Family::Named(&fileops_api::dialects::DOCSPACE),
        seen.clone(),
    )
    .await;
    let http = reqwest::Client::new();

    // The first half arrives while the upstream still holds the second: it streamed.
    let mut download = tokio::time::timeout(
        Duration::from_secs(30),
        http.get(format!("{address}/download")).send(),
    )
    .await
    .expect("the download's head comes within 30 s")
    .expect("answers");
    assert_eq!(
        download.headers()["content-length"],
        (128 * 1024).to_string(),
        "the length is kept"
    );
    let mut body = Vec::new();
    while body.len() < 64 * 1024 {
        let chunk = tokio::time::timeout(Duration::from_secs(30), download.chunk())
            .await
            .expect("the first half comes while the second is held")
            .expect("reads")
            .expect("a chunk");
        body.extend_from_slice(&chunk);
    }
    release.notify_one();
    while let Some(chunk) = download.chunk().await.expect("reads") {
        body.extend_from_slice(&chunk);
    }
    let mut expected = vec![b'A'; 64 * 1024];
    expected.extend(vec![b'B'; 64 * 1024]);
    assert!(body == expected, "the body is passed on unchanged");

    let upload: Vec<u8> = (0..3 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    let echoed = http
        .post(format!("{address}/upload"))
        .body(upload.clone())
        .send()
        .await
        .expect("answers")
        .bytes()
        .await
        .expect("reads");
    assert!(
        echoed.as_ref() == upload.as_slice(),
        "the upload is passed on unchanged"
    );

    stop.send(()).expect("stops");
    served.await.expect("served");
    // Finishing waits for the judge to take every exchange handed over.
    let traffic = proxy.finish("test").expect("judged");
    assert_eq!((traffic.judged, traffic.ignored), (0, 2));
    let exchanges = seen.exchanges.lock().expect("lock").clone();
    assert_eq!(exchanges.len(), 2);
    assert!(exchanges
        .iter()
        .all(|e| e.body.is_empty() && e.request_body.is_none()));
}

/// What the `proxy` command did for one session: its exit code, standard output and error.
struct Stopped {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the `proxy` command in front of `config`, drives a client's session through it,
/// stops it with SIGTERM.
fn proxy_command(config: Config, extra: &[&str]) -> Stopped {
    let dialect = config.dialect;
    let upstream = process::reference_in_background(config);
    let mut child = Command::new(env!("CARGO_BIN_EXE_fileops-conformance"))
        .env("NO_COLOR", "1")
        .args(["proxy", "--upstream", &upstream, "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let mut head = String::new();
    let address = loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).expect("reads") == 0 {
            panic!("the proxy ended before it listened: {head}");
        }
        head.push_str(&line);
        if let Some(at) = line.find("proxying http://") {
            let rest = &line[at + "proxying ".len()..];
            break rest.split_whitespace().next().expect("address").to_owned();
        }
    };
    let rest = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let mut stdout = child.stdout.take().expect("stdout");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut text);
        text
    });
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(session::client_session(&client(&address, dialect)));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("ends");
    Stopped {
        code: status.code(),
        stdout: out.join().expect("stdout"),
        stderr: head + &rest.join().expect("stderr"),
    }
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("fileops-proxy-{}-{name}", std::process::id()))
}

/// The operations a HAR file's exchanges name, with their statuses, in order; a listing
/// polled several times in a row counts once (how often depends on the machine's pace).
fn operations(har_file: &Path) -> Vec<(String, u16)> {
    let catalogue = fileops_conformance::routes::Catalogue::new(&fileops_api::dialects::DOCSPACE);
    let mut seen = Vec::new();
    har::read(std::fs::File::open(har_file).expect("opens"), &mut |r| {
        let named = catalogue.find(&r.method, &r.url);
        let exchange = (named.map_or("-", |n| n.operation.id).to_owned(), r.status);
        if seen.last() != Some(&exchange) {
            seen.push(exchange);
        }
    })
    .expect("reads");
    seen
}

fn validate_har(har_file: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fileops-conformance"))
        .env("NO_COLOR", "1")
        .args(["validate", "--dialect", "docspace", "--strict", "--har"])
        .arg(har_file)
        .output()
        .expect("runs")
}

#[cfg(unix)]
#[test]
fn the_command_stops_on_sigterm_with_its_verdict_and_a_clean_har() {
    let token = DEMO_USERS[0].1;
    let har_file = temp("session.har");
    let har_arg = har_file.to_str().expect("utf8");
    let faithful = proxy_command(
        Config::demo(&fileops_api::dialects::DOCSPACE),
        &["--dialect", "auto", "--har", har_arg],
    );
    let text = format!("{}\n{}", faithful.stdout, faithful.stderr);
    assert_eq!(faithful.code, Some(0), "{text}");
    assert!(text.contains("--dialect auto: docspace"), "{text}");
    assert!(text.contains("exchange(s) judged"), "{text}");
    assert!(!text.contains(token), "a token showed: {text}");
    let recording = std::fs::read_to_string(&har_file).expect("the HAR");
    assert!(!recording.contains(token), "a token in the HAR");
    assert!(recording.contains("$FILEOPS_TOKEN"), "the token is masked");
    let out = validate_har(&har_file);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));

    // The committed fixture is such a recording: the same exchanges, judged clean.
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/har/proxy-session.har");
    if std::env::var_os("FILEOPS_UPDATE_FIXTURES").is_some() {
        std::fs::copy(&har_file, &fixture).expect("updates the fixture");
    }
    assert_eq!(operations(&fixture), operations(&har_file), "re-record it");
    let out = validate_har(&fixture);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));

    for (fault, rule) in [
        ("progress-as-string", "wire.types"),
        ("read-once-broken", "traffic.read-once"),
    ] {
        let config = with_fault(&fileops_api::dialects::DOCSPACE, fault);
        let broken = proxy_command(config, &["--dialect", "docspace"]);
        let text = format!("{}\n{}", broken.stdout, broken.stderr);
        assert_eq!(broken.code, Some(1), "{fault}: {text}");
        assert!(
            text.lines()
                .any(|l| l.starts_with("FAIL") && l.contains(rule)),
            "{fault} must fail {rule}: {text}"
        );
        assert!(text.contains("replay: curl"), "{fault}: {text}");
        assert!(!text.contains(token), "a token showed: {text}");
    }
}
