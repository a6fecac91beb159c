//! How long a GET waits while a 100,000-file copy runs, or while that folder is moved back and
//! forth without pause (DocSpace), against the same GET on an idle server in the same run:
//! `get_latency/idle`, `get_latency/during_copy_100k` and `get_latency/during_moves_100k` (one
//! GET of file info per iteration, over HTTP). The engine copies one entry per step, so a
//! request never waits behind the whole folder. After the run, p50, p99 and the maximum of
//! each are printed.
//!
//! `cargo bench -p fileops-reference --bench latency`

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use fileops_reference::{Config, Reference};
use serde_json::json;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const ALICE: &str = "alice-token";
const FILES: usize = 100_000;

/// A served reference with `My documents/src` holding the files and an empty `dst`.
struct Fixture {
    reference: Reference,
    base: String,
    src: i64,
    dst: i64,
    probe: i64,
}

fn fixture(runtime: &tokio::runtime::Runtime) -> Fixture {
    let reference = Reference::new(Config::demo(&fileops_api::dialects::DOCSPACE));
    let (src, dst, probe) = {
        let mut store = reference.store();
        let my = store.users[&1].my;
        let src = store.create_folder(1, my, "src", 0).expect("src");
        let dst = store.create_folder(1, my, "dst", 0).expect("dst");
        let probe = store
            .create_file(1, my, "probe.docx", b"probe".to_vec(), "Created", 0)
            .expect("probe");
        for i in 0..FILES {
            let title = format!("file-{i:06}.docx");
            store
                .create_file(1, src, &title, Vec::new(), "Created", 0)
                .expect("file");
        }
        (src, dst, probe)
    };
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    reference.set_base_url(base.clone());
    let app = reference.router();
    runtime.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Fixture {
        reference,
        base,
        src,
        dst,
        probe,
    }
}

/// One GET of the probe file's info; its latency.
async fn get(client: &reqwest::Client, fixture: &Fixture) -> Duration {
    let url = format!("{}/api/2.0/files/file/{}", fixture.base, fixture.probe);
    let start = Instant::now();
    let response = client
        .get(&url)
        .header("Authorization", ALICE)
        .send()
        .await
        .expect("the server answers");
    assert!(response.status().is_success());
    response.bytes().await.expect("body");
    start.elapsed()
}

/// `iters` GETs one after the other, each latency kept in `samples`; their total.
async fn gets(
    client: &reqwest::Client,
    fixture: &Fixture,
    iters: u64,
    samples: &Mutex<Vec<Duration>>,
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let took = get(client, fixture).await;
        samples.lock().expect("samples").push(took);
        total += took;
    }
    total
}

/// Makes sure a copy of `src` is running: once the last one finished, its result is
/// removed (untimed) and a new one is started.
async fn keep_copying(client: &reqwest::Client, fixture: &Fixture) {
    if fixture.reference.engine().unfinished() > 0 {
        return;
    }
    {
        let mut store = fixture.reference.store();
        let copies: Vec<i64> = store.children(fixture.dst).iter().map(|e| e.id).collect();
        for copy in copies {
            store.remove(copy);
        }
    }
    let url = format!("{}/api/2.0/files/fileops/copy", fixture.base);
    let body =
        json!({"destFolderId": fixture.dst, "folderIds": [fixture.src], "deleteAfter": true});
    let response = client
        .put(&url)
        .header("Authorization", ALICE)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("the server answers");
    assert!(response.status().is_success());
}

/// p50, p99 and the maximum of the samples.
fn percentiles(samples: &mut [Duration]) -> (Duration, Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.50), at(0.99), at(1.0))
}

/// Moves `src` into `dst` and back, over and over, until `stop` is set.
async fn keep_moving(
    client: reqwest::Client,
    reference: Reference,
    base: String,
    src: i64,
    dst: i64,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) {
    let my = reference.store().users[&1].my;
    let url = format!("{base}/api/2.0/files/fileops/move");
    for to in [dst, my].into_iter().cycle() {
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let body = json!({"destFolderId": to, "folderIds": [src], "deleteAfter": true});
        let response = client
            .put(&url)
            .header("Authorization", ALICE)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("the server answers");
        assert!(response.status().is_success());
        while reference.engine().unfinished() > 0 {
            tokio::task::yield_now().await;
        }
    }
}

fn latency(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = reqwest::Client::new();
    let fixture = fixture(&runtime);
    let idle = Mutex::new(Vec::new());
    let busy = Mutex::new(Vec::new());

    let mut group = c.benchmark_group("get_latency");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("idle", |b| {
        b.iter_custom(|iters| runtime.block_on(gets(&client, &fixture, iters, &idle)))
    });
    group.bench_function("during_copy_100k", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    keep_copying(&client, &fixture).await;
                    let took = get(&client, &fixture).await;
                    // Only a GET that started and ended during the copy counts as busy.
                    if fixture.reference.engine().unfinished() > 0 {
                        busy.lock().expect("samples").push(took);
                    }
                    total += took;
                }
                total
            })
        })
    });
    let moving = Mutex::new(Vec::new());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mover = runtime.spawn(keep_moving(
        client.clone(),
        fixture.reference.clone(),
        fixture.base.clone(),
        fixture.src,
        fixture.dst,
        stop.clone(),
    ));
    group.bench_function("during_moves_100k", |b| {
        b.iter_custom(|iters| runtime.block_on(gets(&client, &fixture, iters, &moving)))
    });
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let _ = runtime.block_on(mover);
    group.finish();
    for (name, samples) in [
        ("idle", &idle),
        ("during_copy_100k", &busy),
        ("during_moves_100k", &moving),
    ] {
        let mut samples = samples.lock().expect("samples");
        if samples.is_empty() {
            continue;
        }
        let (p50, p99, max) = percentiles(&mut samples);
        println!(
            "get_latency/{name}: {} samples, p50 {p50:?}, p99 {p99:?}, max {max:?}",
            samples.len()
        );
    }
}

criterion_group!(benches, latency);
criterion_main!(benches);
