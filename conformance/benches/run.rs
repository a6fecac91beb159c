//! The full check run against the embedded reference, per dialect: time per run, checks per
//! second (criterion's throughput), and requests per second (counted at the server).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fileops_conformance::catalogue::CATALOGUE;
use fileops_conformance::context::Target;
use fileops_conformance::runner::{self, Selection};
use fileops_reference::{Config, Reference};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn count(
    axum::extract::State(counter): axum::extract::State<Arc<AtomicUsize>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    counter.fetch_add(1, Ordering::Relaxed);
    next.run(request).await
}

fn full_run(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("conformance");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8))
        .warm_up_time(Duration::from_secs(1));
    for dialect in fileops_api::dialects::ALL {
        let selection = Selection {
            xml: true,
            json: true,
            ..Selection::default()
        };
        let checks = CATALOGUE
            .iter()
            .filter(|c| selection.wants(c, dialect.name))
            .count();
        let counter = Arc::new(AtomicUsize::new(0));
        let base_url = runtime.block_on(async {
            let reference = Reference::new(Config::demo(dialect));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let base = format!("http://{}", listener.local_addr().expect("addr"));
            reference.set_base_url(base.clone());
            let app = reference
                .router()
                .layer(axum::middleware::from_fn_with_state(counter.clone(), count));
            tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            });
            base
        });
        let target = Target::builder(base_url, dialect)
            .token("alice-token")
            .token2(Some("bob-token".into()))
            .build()
            .expect("target");
        group.throughput(Throughput::Elements(checks as u64));
        let (mut runs, mut spent) = (0u64, Duration::ZERO);
        group.bench_function(dialect.name, |b| {
            b.iter_custom(|iters| {
                let started = Instant::now();
                for _ in 0..iters {
                    let results = runtime
                        .block_on(runner::run(target.clone(), &selection, |_| {}))
                        .expect("runs")
                        .results;
                    assert!(
                        results.iter().all(|r| r.state() != "fail"),
                        "the reference passes"
                    );
                }
                let elapsed = started.elapsed();
                runs += iters;
                spent += elapsed;
                elapsed
            })
        });
        let requests = counter.load(Ordering::Relaxed) as f64;
        eprintln!(
            "{}: {checks} checks, {:.0} requests per run, {:.0} requests/s over {runs} runs",
            dialect.name,
            requests / runs as f64,
            requests / spent.as_secs_f64()
        );
    }
    group.finish();
}

criterion_group!(benches, full_run);
criterion_main!(benches);
