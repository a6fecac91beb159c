//! Requests per second of `GET /api/2.0/files/fileops` on the reference server (DocSpace,
//! alice) next to a bare axum handler answering a small fixed JSON body, with the same
//! reqwest client and the same multi-thread tokio runtime, sequentially and with 8
//! requests in flight.
//!
//! `cargo bench -p fileops-reference --bench http`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fileops_reference::{Config, Reference};
use std::time::{Duration, Instant};

mod support;
use support::{serve, ALICE};

const BARE_BODY: &str = r#"{"response":[],"count":1,"status":0,"statusCode":200}"#;
const IN_FLIGHT: u64 = 8;

/// One request; panics unless it succeeds, so a broken server cannot look fast.
async fn get(client: &reqwest::Client, url: &str) {
    let response = client
        .get(url)
        .header("Authorization", ALICE)
        .send()
        .await
        .expect("the server answers");
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    let body = response.bytes().await.expect("body");
    assert!(!body.is_empty());
}

/// `iters` requests one after another.
fn sequential(
    runtime: &tokio::runtime::Runtime,
    client: &reqwest::Client,
    url: &str,
    iters: u64,
) -> Duration {
    runtime.block_on(async {
        let start = Instant::now();
        for _ in 0..iters {
            get(client, url).await;
        }
        start.elapsed()
    })
}

/// `iters` requests split over `IN_FLIGHT` tasks (the first ones take the remainder).
fn concurrent(
    runtime: &tokio::runtime::Runtime,
    client: &reqwest::Client,
    url: &str,
    iters: u64,
) -> Duration {
    runtime.block_on(async {
        let start = Instant::now();
        let tasks: Vec<_> = (0..IN_FLIGHT)
            .map(|i| {
                let share = iters / IN_FLIGHT + u64::from(i < iters % IN_FLIGHT);
                let client = client.clone();
                let url = url.to_owned();
                tokio::spawn(async move {
                    for _ in 0..share {
                        get(&client, &url).await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("request task");
        }
        start.elapsed()
    })
}

fn requests(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");

    let reference = Reference::new(Config::demo(&fileops_api::dialects::DOCSPACE));
    let (reference_base, _) = serve(&runtime, reference.router(), Some(&reference));
    let reference_url = format!("{reference_base}/api/2.0/files/fileops");

    let bare = axum::Router::new().route(
        "/api/2.0/files/fileops",
        axum::routing::get(|| async {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                BARE_BODY,
            )
        }),
    );
    let (bare_base, _) = serve(&runtime, bare, None);
    let bare_url = format!("{bare_base}/api/2.0/files/fileops");

    let client = reqwest::Client::new();
    // Both answer before anything is measured.
    runtime.block_on(async {
        get(&client, &reference_url).await;
        get(&client, &bare_url).await;
    });

    let mut group = c.benchmark_group("requests");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(20)
        .throughput(Throughput::Elements(1));
    for (name, url) in [("reference", &reference_url), ("bare_axum", &bare_url)] {
        group.bench_function(format!("{name}/sequential"), |b| {
            b.iter_custom(|iters| sequential(&runtime, &client, url, iters))
        });
        group.bench_function(format!("{name}/in_flight_8"), |b| {
            b.iter_custom(|iters| concurrent(&runtime, &client, url, iters))
        });
    }
    group.finish();
}

criterion_group!(benches, requests);
criterion_main!(benches);
