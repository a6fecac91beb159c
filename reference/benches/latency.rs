//! How long a GET waits while a 100,000-file copy runs, or while that folder is moved back and
//! forth without pause (DocSpace), against the same GET on an idle server in the same run:
//! `get_latency/idle`, `get_latency/during_copy_100k` and `get_latency/during_moves_100k` (one
//! GET of file info per iteration, over HTTP), and `get_latency/beside_busy_core`, the control:
//! the same GET while a thread that never touches the store keeps one core busy, as the copy
//! does. The engine copies one entry per step, so a
//! request never waits behind the whole folder; the store is handed to a waiting request after
//! each step. `step_hold/copy_100k` and `step_hold/move_100k` time each step alone, on one
//! thread with nothing else running: how long the operation holds the store at a time, the
//! longest a request can wait behind it (the GET figures also hold the scheduling of a 2-core
//! machine whose one core the copy keeps busy). After the run, p50, p99, p99.9 and the maximum
//! of each are printed, with how many samples took over 10 ms.
//!
//! `cargo bench -p fileops-reference --bench latency`

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use fileops_api::runtime::ReportedEntries;
use fileops_reference::ops::move_copy::{Destination, Plan, Resolve, Transfer};
use fileops_reference::ops::Source;
use fileops_reference::store::Store;
use fileops_reference::{Config, Reference};
use serde_json::json;
use std::sync::Mutex;
use std::time::{Duration, Instant};

mod support;
use support::{put, serve, ALICE};

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
    let (base, _) = serve(runtime, reference.router(), Some(&reference));
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
    clear(&mut fixture.reference.store(), fixture.dst);
    let url = format!("{}/api/2.0/files/fileops/copy", fixture.base);
    let body =
        json!({"destFolderId": fixture.dst, "folderIds": [fixture.src], "deleteAfter": true});
    put(client, &url, &body).await;
}

/// Removes everything in `folder` (the last copy's result; untimed where it is called).
fn clear(store: &mut Store, folder: i64) {
    let copies: Vec<i64> = store.children(folder).iter().map(|e| e.id).collect();
    for copy in copies {
        store.remove(copy);
    }
}

/// A transfer of `src` into `to` as the engine runs it (DocSpace's rules, Skip).
fn transfer(fixture: &Fixture, copy: bool, to: i64) -> Transfer {
    let plan = Plan {
        user: 1,
        resolve: Resolve::Skip,
        overwrite_keeps_version: false,
        overwrite_new_id: false,
        overwrite_move_to_trash: false,
        move_new_id: false,
        copy,
        duplicate_renames: true,
        duplicate_move_renames: false,
        duplicate_folder_merges: false,
        same_parent_copies: false,
        duplicate_folder_empty: false,
        copy_empties: false,
        reported: ReportedEntries::LastPhase,
        copy_reports_source: false,
        skip_reported: false,
        now: 0,
    };
    let source = Source {
        id: fixture.src,
        folder: true,
    };
    Transfer::new(plan, Destination::Folder(to), vec![source])
}

/// Runs `iters` steps of copies (or moves back and forth) of `src`, one after the other, each
/// step timed alone under the store lock and kept in `samples`; their total.
fn steps(fixture: &Fixture, copy: bool, iters: u64, samples: &Mutex<Vec<Duration>>) -> Duration {
    let my = fixture.reference.store().users[&1].my;
    let mut total = Duration::ZERO;
    let mut running: Option<Transfer> = None;
    let mut there = false;
    for _ in 0..iters {
        let mut store = fixture.reference.store();
        let mut current = match running.take() {
            Some(current) => current,
            None if copy => {
                // The last copy's result goes, untimed, before the next one starts.
                clear(&mut store, fixture.dst);
                transfer(fixture, true, fixture.dst)
            }
            None => {
                there = !there;
                transfer(fixture, false, if there { fixture.dst } else { my })
            }
        };
        let start = Instant::now();
        let outcome = current.step(&mut store);
        let took = start.elapsed();
        drop(store);
        if !outcome.done {
            running = Some(current);
        }
        samples.lock().expect("samples").push(took);
        total += took;
    }
    total
}

/// p50, p99, p99.9, the maximum, and how many samples took over 10 ms.
fn percentiles(samples: &mut [Duration]) -> (Duration, Duration, Duration, Duration, usize) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let over = samples
        .iter()
        .filter(|d| **d > Duration::from_millis(10))
        .count();
    (at(0.50), at(0.99), at(0.999), at(1.0), over)
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
        put(&client, &url, &body).await;
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
    // The control for the copy: one core kept busy by a thread that never touches the store,
    // as the copy keeps it busy; what the GETs lose to that is scheduling, not waiting.
    let burning = Mutex::new(Vec::new());
    let burn = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let burner = {
        let burn = burn.clone();
        std::thread::spawn(move || {
            let mut x = 0u64;
            while burn.load(std::sync::atomic::Ordering::Relaxed) {
                x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
            }
        })
    };
    group.bench_function("beside_busy_core", |b| {
        b.iter_custom(|iters| runtime.block_on(gets(&client, &fixture, iters, &burning)))
    });
    burn.store(false, std::sync::atomic::Ordering::Relaxed);
    burner.join().expect("burner");
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
    // The moves end wherever they stopped; the step timings start from `src` in My documents.
    {
        let mut store = fixture.reference.store();
        let my = store.users[&1].my;
        store.relocate(fixture.src, my, None, 0);
    }
    let copy_steps = Mutex::new(Vec::new());
    let move_steps = Mutex::new(Vec::new());
    let mut group = c.benchmark_group("step_hold");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("copy_100k", |b| {
        b.iter_custom(|iters| steps(&fixture, true, iters, &copy_steps))
    });
    group.bench_function("move_100k", |b| {
        b.iter_custom(|iters| steps(&fixture, false, iters, &move_steps))
    });
    group.finish();
    for (name, samples) in [
        ("get_latency/idle", &idle),
        ("get_latency/beside_busy_core", &burning),
        ("get_latency/during_copy_100k", &busy),
        ("get_latency/during_moves_100k", &moving),
        ("step_hold/copy_100k", &copy_steps),
        ("step_hold/move_100k", &move_steps),
    ] {
        let mut samples = samples.lock().expect("samples");
        if samples.is_empty() {
            continue;
        }
        let (p50, p99, p999, max, over) = percentiles(&mut samples);
        println!(
            "{name}: {} samples, p50 {p50:?}, p99 {p99:?}, p99.9 {p999:?}, max {max:?}, \
             {over} over 10 ms",
            samples.len()
        );
    }
}

criterion_group!(benches, latency);
criterion_main!(benches);
