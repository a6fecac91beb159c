//! Moving and copying a folder of 100,000 files (DocSpace): per iteration a fresh reference
//! server is built with the tree in place (not timed); the time is the `PUT` of the move or
//! copy over HTTP plus the wait until the engine has no unfinished operation.
//!
//! `cargo bench -p fileops-reference --bench bulk`

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use fileops_reference::{Config, Reference};
use serde_json::json;
use std::time::{Duration, Instant};

mod support;
use support::{put, serve};

const FILES: usize = 100_000;

/// A fresh reference server with `My documents/src` holding `files` files and an empty
/// `My documents/dst`; the server's base address and the two folder ids.
struct Fixture {
    reference: Reference,
    base: String,
    server: tokio::task::JoinHandle<()>,
    src: i64,
    dst: i64,
}

fn fixture(runtime: &tokio::runtime::Runtime, files: usize) -> Fixture {
    let reference = Reference::new(Config::demo(&fileops_api::dialects::DOCSPACE));
    let (src, dst) = {
        let mut store = reference.store();
        let my = store.users[&1].my;
        let src = store.create_folder(1, my, "src", 0).expect("src");
        let dst = store.create_folder(1, my, "dst", 0).expect("dst");
        for i in 0..files {
            let title = format!("file-{i:06}.docx");
            let content = format!("bench content {i}").into_bytes();
            store
                .create_file(1, src, &title, content, "Created", 0)
                .expect("file");
        }
        (src, dst)
    };
    let (base, server) = serve(runtime, reference.router(), Some(&reference));
    Fixture {
        reference,
        base,
        server,
        src,
        dst,
    }
}

/// Starts the operation over HTTP and waits for the engine to finish it; the time taken.
async fn run(client: &reqwest::Client, fixture: &Fixture, operation: &str) -> Duration {
    let url = format!("{}/api/2.0/files/fileops/{operation}", fixture.base);
    let body = json!({ "destFolderId": fixture.dst, "folderIds": [fixture.src] });
    let start = Instant::now();
    put(client, &url, &body).await;
    while fixture.reference.engine().unfinished() > 0 {
        tokio::task::yield_now().await;
    }
    start.elapsed()
}

/// Checks (untimed) that the operation did what it should.
fn check(fixture: &Fixture, operation: &str, files: usize) {
    let store = fixture.reference.store();
    let (below_dst, _) = store.count_below(fixture.dst);
    assert_eq!(below_dst as usize, files, "{operation}: files under dst");
    let (below_src, _) = store.count_below(fixture.src);
    assert_eq!(below_src as usize, files, "{operation}: files under src");
    let src_in_dst = store.entries[&fixture.src].parent == Some(fixture.dst);
    assert_eq!(src_in_dst, operation == "move", "{operation}: where src is");
}

fn bulk(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = reqwest::Client::new();

    let mut group = c.benchmark_group("bulk_100k");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(FILES as u64));
    for operation in ["move", "copy"] {
        group.bench_function(operation, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let fixture = fixture(&runtime, FILES);
                    total += runtime.block_on(run(&client, &fixture, operation));
                    check(&fixture, operation, FILES);
                    fixture.server.abort();
                    // The 100k-entry store is dropped here, outside the timed part.
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bulk);
criterion_main!(benches);
