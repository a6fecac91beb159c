//! How the suite reaches a server: HTTPS with a private CA (or none), and requests that get
//! no answer, which end the run at about the request timeout.

use axum::Router;
use fileops_api::dialects::DOCSPACE;
use fileops_conformance::embedded;
use fileops_conformance::runner::{self, Selection};
use fileops_reference::{Config, Reference, DEMO_USERS};
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

#[allow(dead_code)] // not every test uses every helper
mod process;

/// The bound for runs that must stop at about a 1 s request timeout: a guard against a
/// hang, not a speed test.
const HANG_GUARD: Duration = Duration::from_secs(20);

fn cli() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fileops-conformance"));
    // Only the trust this test gives counts.
    command
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR");
    for name in ["FILEOPS_URL", "FILEOPS_TOKEN", "FILEOPS_TOKEN2"] {
        command.env_remove(name);
    }
    command
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("fileops-transport-{}-{name}", std::process::id()))
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A private CA, and a certificate it signed for 127.0.0.1 and localhost (PEM).
struct Pki {
    ca: String,
    cert: String,
    key: String,
}

fn pki() -> Pki {
    let ca_key = rcgen::KeyPair::generate().expect("CA key");
    let mut ca = rcgen::CertificateParams::new(Vec::new()).expect("CA params");
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "fileops test CA");
    ca.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
    ];
    let ca = ca.self_signed(&ca_key).expect("CA signs itself");
    let key = rcgen::KeyPair::generate().expect("server key");
    let mut server = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).expect("params");
    server
        .subject_alt_names
        .push(rcgen::SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    let cert = server.signed_by(&key, &ca, &ca_key).expect("CA signs");
    Pki {
        ca: ca.pem(),
        cert: cert.pem(),
        key: key.serialize_pem(),
    }
}

/// Serves the router `make` builds for its base address from a runtime on a thread of its
/// own (the test itself blocks on the child process); HTTPS when given a certificate.
fn serve(make: impl FnOnce(&str) -> Router, tls: Option<&Pki>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("address").port();
    let scheme = if tls.is_some() { "https" } else { "http" };
    let base_url = format!("{scheme}://127.0.0.1:{port}");
    let pem = tls.map(|p| (p.cert.clone().into_bytes(), p.key.clone().into_bytes()));
    let app = make(&base_url);
    process::in_background(move || async move {
        match pem {
            Some((cert, key)) => {
                let config = axum_server::tls_rustls::RustlsConfig::from_pem(cert, key)
                    .await
                    .expect("TLS config");
                axum_server::from_tcp_rustls(listener, config)
                    .expect("listener")
                    .serve(app.into_make_service())
                    .await
                    .expect("serves");
            }
            None => {
                listener.set_nonblocking(true).expect("non-blocking");
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                axum::serve(listener, app).await.expect("serves");
            }
        }
    });
    base_url
}

fn reference_router(base_url: &str) -> Router {
    let reference = Reference::new(Config::demo(&DOCSPACE));
    reference.set_base_url(base_url.to_owned());
    reference.router()
}

fn write(name: &str, text: &str) -> PathBuf {
    let path = temp(name);
    std::fs::write(&path, text).expect("writes");
    path
}

fn run_https(base_url: &str, extra: &[&str], ca: Option<&Path>) -> Output {
    let mut command = cli();
    command.args([
        "run",
        "--url",
        base_url,
        "--token",
        DEMO_USERS[0].1,
        "--token2",
        DEMO_USERS[1].1,
        "--dialect",
        "docspace",
        "--format",
        "json",
    ]);
    if let Some(ca) = ca {
        command.arg("--ca-cert").arg(ca);
    }
    command.args(extra).output().expect("runs")
}

#[test]
fn https_with_a_private_ca_is_trusted_only_when_told() {
    let pki = pki();
    let ca = write("ca.pem", &pki.ca);
    let base_url = serve(reference_router, Some(&pki));

    // The download link is absolute and https too: the one client trusts the CA for it.
    let out = run_https(
        &base_url,
        &[
            "--include",
            "effects.*",
            "--include",
            "envelope.success.keys",
        ],
        Some(&ca),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("effects.download.url"), "{}", text(&out));

    // Without the CA the platform's store does not know the issuer: a connection error
    // that says it is about the certificate.
    let out = run_https(&base_url, &["--include", "envelope.success.keys"], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(stderr.contains("certificate"), "{}", text(&out));

    // SSL_CERT_FILE names the CA when no --ca-cert is given.
    let mut command = cli();
    let out = command
        .env("SSL_CERT_FILE", &ca)
        .args([
            "run",
            "--url",
            &base_url,
            "--token",
            DEMO_USERS[0].1,
            "--dialect",
            "docspace",
            "--include",
            "envelope.success.keys",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // --insecure accepts the unknown issuer, and says loudly what that means.
    let out = run_https(
        &base_url,
        &["--insecure", "--include", "envelope.success.keys"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(
        stderr.contains("--insecure") && stderr.contains("verification"),
        "{}",
        text(&out)
    );
}

#[test]
fn an_unreadable_ca_file_is_named() {
    let missing = temp("no-such-ca.pem");
    let out = run_https("https://127.0.0.1:9", &[], Some(&missing));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no-such-ca.pem") && stderr.contains("cannot read"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_server_that_never_answers_ends_the_run_at_the_request_timeout() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("address").port();
    // Accepts every connection and keeps it open without a word.
    std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in listener.incoming().flatten() {
            open.push(stream);
        }
    });
    let base_url = format!("http://127.0.0.1:{port}");
    let clock = Instant::now();
    let out = cli()
        .args([
            "run",
            "--url",
            &base_url,
            "--token",
            DEMO_USERS[0].1,
            "--dialect",
            "docspace",
            "--request-timeout",
            "1",
        ])
        .output()
        .expect("runs");
    let took = clock.elapsed();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(took < HANG_GUARD, "took {took:?}\n{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("GET {base_url}/api/2.0/")),
        "names the request: {}",
        text(&out)
    );
    assert!(
        stderr.contains("timed out") && stderr.contains("request timeout (1 s)"),
        "{}",
        text(&out)
    );
}

/// Runs the checks matching `include` against a reference whose batch operations
/// (`PUT …/fileops/…`) never answer, with a 1 s request timeout: the run must stop at the
/// first of them, naming it, instead of every later request waiting as long.
async fn stalled_batch_operations(include: &str) {
    let reference = Reference::new(Config::demo(&DOCSPACE));
    let stall = axum::middleware::from_fn(
        |request: axum::extract::Request, next: axum::middleware::Next| async move {
            if request.method() == axum::http::Method::PUT
                && request.uri().path().contains("/fileops/")
            {
                std::future::pending::<()>().await;
            }
            next.run(request).await
        },
    );
    let server = embedded::serve_router_with(
        |base_url| {
            reference.set_base_url(base_url.to_owned());
            reference.router().layer(stall)
        },
        DEMO_USERS[0].1,
        DEMO_USERS[1].1,
    )
    .await
    .expect("serves");
    let target = server
        .target(&DOCSPACE)
        .request_timeout(Duration::from_secs(1))
        .build()
        .expect("target");
    let selection = Selection {
        include: vec![include.into()],
        ..embedded::every_check()
    };
    let clock = Instant::now();
    let mut reported = Vec::new();
    let stopped = runner::run(target, &selection, |r| reported.push(r.id))
        .await
        .expect_err("the run stops");
    assert!(clock.elapsed() < HANG_GUARD, "took {:?}", clock.elapsed());
    let message = stopped.to_string();
    let prefix = include.trim_end_matches('*');
    assert!(
        message.contains(&format!("PUT {}/api/2.0/files/fileops/", server.base_url))
            && message.contains("request timeout (1 s)")
            && message.contains(&format!("in check {prefix}")),
        "{message}"
    );
    assert!(!message.contains("alice-token"), "{message}");
    // The checks before it were reported as they came; the stalled one was not.
    let stalled = message
        .split("in check ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("names the check");
    assert!(!reported.contains(&stalled), "{reported:?} {message}");
}

#[tokio::test]
async fn a_request_that_stalls_mid_run_stops_the_run() {
    stalled_batch_operations("effects.*").await;
}

/// The model check runs and shrinks many sequences: after a timeout the rest fail at once,
/// and the check ends with the timeout instead of a shrunk "failure".
#[tokio::test]
async fn a_request_that_stalls_in_the_model_check_stops_the_run() {
    stalled_batch_operations("model.*").await;
}
