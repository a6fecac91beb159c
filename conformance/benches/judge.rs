//! The strict judge on a 1,000-operation listing, per dialect and format, against the
//! baseline of merely parsing the same body with serde_json (same run).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fileops_api::runtime::{codec, Format, Success};
use fileops_api::types::{FileOperation, FileOperationType};
use fileops_conformance::answers::judge_for;
use fileops_conformance::judge::{media_type, Answer};
use std::hint::black_box;

fn operations() -> Vec<FileOperation> {
    (0..1000)
        .map(|i| FileOperation {
            id: format!("9d6e0c8e-1f3c-4b1a-9c55-{i:012x}"),
            operation: Some(FileOperationType::Copy),
            progress: i % 101,
            error: Some(String::new()),
            processed: (i % 7).to_string(),
            finished: i % 2 == 0,
            url: None,
            files: None,
            folders: None,
            status: None,
        })
        .collect()
}

fn judge(c: &mut Criterion) {
    let mut group = c.benchmark_group("judge_1000_ops");
    group.sample_size(20).throughput(Throughput::Elements(1000));
    for dialect in [
        &fileops_api::dialects::DOCSPACE,
        &fileops_api::dialects::WORKSPACE,
    ] {
        let judge = judge_for(dialect).expect("a judge");
        for format in dialect.formats {
            let body = codec::encode_success(&Success::ok(operations()), dialect, *format)
                .expect("writes");
            let operation = match format {
                Format::Json => "getOperationStatuses",
                Format::Xml => "getOperationStatusesXml",
            };
            let answer = Answer {
                operation,
                status: 200,
                content_type: Some(media_type(*format)),
                body: body.as_bytes(),
            };
            assert!(
                judge.judge(&answer).is_empty(),
                "a faithful answer conforms"
            );
            let id = format!("{}_{:?}", dialect.name, format).to_lowercase();
            group.bench_with_input(BenchmarkId::new("judge", &id), &answer, |b, answer| {
                b.iter(|| judge.judge(black_box(answer)))
            });
            if *format == Format::Json {
                group.bench_with_input(
                    BenchmarkId::new("parse_baseline", &id),
                    &body,
                    |b, body| b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(body))),
                );
            }
        }
    }
    group.finish();
}

criterion_group!(benches, judge);
criterion_main!(benches);
