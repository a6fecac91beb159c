//! The validating proxy in front of the embedded DocSpace reference, against the reference
//! reached directly in the same run (the baseline):
//!
//! - `proxy-latency`: one request at a time over a kept-alive connection; the difference of
//!   the medians is what the proxy adds to an exchange (it reads, forwards, answers; judging
//!   happens on the judge's thread, or before the answer with `--violations-header`);
//! - `proxy-load`: 256 requests, 32 at a time; the ratio of the medians is the request rate
//!   the proxy keeps. A bare forwarder (the same axum and reqwest hop, judging nothing) is
//!   measured too: what any proxy costs here before it judges anything;
//! - `proxy-load-paced`: the same load against the reference answering after 10 ms, the pace
//!   of a real portal rather than of an in-memory emulator.
//!
//! Client, proxies and reference share one runtime on this machine's cores: against the
//! in-memory reference (about 25 µs of CPU an answer) every hop's own cost shows in full.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fileops_conformance::embedded;
use fileops_conformance::proxy::{Events, Family, Proxy, ProxyConfig};
use fileops_reference::{Config, Reference, DEMO_USERS};
use futures_util::stream::{self, StreamExt};
use std::time::Duration;

/// Prints nothing, keeps nothing: the proxy's own cost.
struct Quiet;
impl Events for Quiet {
    fn wants_exchanges(&self) -> bool {
        false
    }
}

const PATHS: [(&str, &str); 2] = [
    ("operations", "/api/2.0/files/fileops"),
    ("my-documents", "/api/2.0/files/@my"),
];
const LOAD: usize = 256;
const CONCURRENCY: usize = 32;

/// A portal's pace: each answer after this long.
const PACE: Duration = Duration::from_millis(10);

/// The addresses of one setup.
struct Served {
    direct: String,
    bare: String,
    /// As `proxy` runs by default: answers pass on at once, judged on the judge's thread.
    proxied: String,
    /// With `--violations-header`: each answer waits for its verdict.
    with_header: String,
}

async fn paced(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // A modelled service time, not a synchronisation.
    tokio::time::sleep(PACE).await;
    next.run(request).await
}

/// The reference (at a portal's pace if `pace`), the proxy in front of it and a bare
/// forwarder in front of it.
async fn serve(pace: bool) -> Served {
    let dialect = &fileops_api::dialects::DOCSPACE;
    let upstream = embedded::serve_router_with(
        |base| {
            let reference = Reference::new(Config::demo(dialect));
            reference.set_base_url(base.to_owned());
            let router = reference.router();
            if pace {
                router.layer(axum::middleware::from_fn(paced))
            } else {
                router
            }
        },
        DEMO_USERS[0].1,
        DEMO_USERS[1].1,
    )
    .await
    .expect("serves");
    let proxy = |violations_header| {
        Proxy::new(
            ProxyConfig {
                upstream: upstream.base_url.clone(),
                client: reqwest::Client::new(),
                violations_header,
                keep_secrets: false,
            },
            Family::Named(dialect),
            Box::new(Quiet),
        )
    };
    let bare = axum::Router::new()
        .fallback(forward_only)
        .with_state((upstream.base_url.clone(), reqwest::Client::new()));
    Served {
        proxied: listen(proxy(false).router()).await,
        with_header: listen(proxy(true).router()).await,
        bare: listen(bare).await,
        direct: upstream.base_url,
    }
}

async fn listen(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    address
}

/// The baseline hop: a GET passed on and its answer passed back, nothing judged or kept.
async fn forward_only(
    axum::extract::State((upstream, client)): axum::extract::State<(String, reqwest::Client)>,
    request: axum::extract::Request,
) -> axum::response::Response {
    let target = format!("{upstream}{}", request.uri());
    let mut outgoing = client.get(target);
    if let Some(auth) = request.headers().get("authorization") {
        outgoing = outgoing.header("authorization", auth);
    }
    let answer = outgoing.send().await.expect("answers");
    let status = answer.status();
    let body = answer.bytes().await.expect("reads");
    axum::response::Response::builder()
        .status(status)
        .body(axum::body::Body::from(body))
        .expect("answer")
}

/// 256 GETs of `url`, 32 at a time.
fn load(runtime: &tokio::runtime::Runtime, http: &reqwest::Client, url: &str) {
    runtime.block_on(async {
        stream::iter(0..LOAD)
            .map(|_| get(http, url))
            .buffer_unordered(CONCURRENCY)
            .collect::<Vec<()>>()
            .await
    });
}

async fn get(http: &reqwest::Client, url: &str) {
    let answer = http
        .get(url)
        .header("Authorization", DEMO_USERS[0].1)
        .send()
        .await
        .expect("answers");
    assert_eq!(answer.status(), 200);
    assert!(
        answer.headers().get("x-fileops-violations").is_none(),
        "the reference's answers break no rule"
    );
    answer.bytes().await.expect("reads");
}

fn proxy(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let served = runtime.block_on(serve(false));
    let http = reqwest::Client::new();

    let mut group = c.benchmark_group("proxy-latency");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(5));
    for (name, path) in PATHS {
        for (route, base) in [
            ("direct", &served.direct),
            ("proxied", &served.proxied),
            ("proxied-with-header", &served.with_header),
        ] {
            let url = format!("{base}{path}");
            group.bench_function(format!("{name}/{route}"), |b| {
                b.iter(|| runtime.block_on(get(&http, &url)));
            });
        }
    }
    group.finish();

    load_group(c, &runtime, &http, "proxy-load", 20, &served);
    let paced = runtime.block_on(serve(true));
    load_group(c, &runtime, &http, "proxy-load-paced", 10, &paced);
}

/// The load on `served` by each route, as the benchmark group `name`.
fn load_group(
    c: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    http: &reqwest::Client,
    name: &str,
    samples: usize,
    served: &Served,
) {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(samples)
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Elements(LOAD as u64));
    for (route, base) in [
        ("direct", &served.direct),
        ("bare-forwarder", &served.bare),
        ("proxied", &served.proxied),
        ("proxied-with-header", &served.with_header),
    ] {
        let url = format!("{base}{}", PATHS[1].1);
        group.bench_function(format!("my-documents/{route}"), |b| {
            b.iter(|| load(runtime, http, &url));
        });
    }
    group.finish();
}

criterion_group!(benches, proxy);
criterion_main!(benches);
