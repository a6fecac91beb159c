//! `validate --har` on a recording of 10,000 DocSpace exchanges (copies started, listings
//! polled to the end, read once): reading the HAR alone is the baseline the judging is
//! compared with, in the same run.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fileops_conformance::traffic::har::{self, HarWriter, Recorded};
use fileops_conformance::traffic::judge_har;
use std::time::Duration;

const EXCHANGES: usize = 10_000;
const BASE: &str = "https://portal.example.com/api/2.0/files/fileops";

fn exchange(index: usize, method: &str, path: &str, ops: &[String]) -> Recorded {
    let href = format!("{BASE}{path}");
    let body = format!(
        r#"{{"response":[{}],"count":{},"links":[{{"href":"{href}","action":"{method}"}}],"status":0,"statusCode":200}}"#,
        ops.join(","),
        ops.len()
    );
    Recorded {
        index,
        method: method.into(),
        url: href,
        request_headers: vec![("Authorization".into(), "bench-token".into())],
        request_body: (method == "PUT").then(|| r#"{"fileIds":[1],"destFolderId":2}"#.into()),
        status: 200,
        headers: vec![(
            "Content-Type".into(),
            "application/json; charset=utf-8".into(),
        )],
        body: body.into_bytes(),
    }
}

fn op(id: &str, progress: u32, finished: bool) -> String {
    format!(
        r#"{{"id":"{id}","Operation":1,"progress":{progress},"error":"","processed":"{}","finished":{finished}}}"#,
        u32::from(finished)
    )
}

/// A recording of `EXCHANGES` exchanges: per copy, its start, three listings while it runs,
/// the one that reports it finished and an empty one.
fn recording() -> Vec<u8> {
    let mut writer = HarWriter::new(Vec::new()).expect("starts");
    let mut index = 0;
    let mut copy = 0u64;
    while index < EXCHANGES {
        copy += 1;
        let id = format!("00000000-0000-4000-8000-{copy:012}");
        let steps = [
            ("PUT", "/copy", vec![op(&id, 0, false)]),
            ("GET", "", vec![op(&id, 25, false)]),
            ("GET", "", vec![op(&id, 50, false)]),
            ("GET", "", vec![op(&id, 75, false)]),
            ("GET", "", vec![op(&id, 100, true)]),
            ("GET", "", vec![]),
        ];
        for (method, path, ops) in steps {
            if index == EXCHANGES {
                break;
            }
            index += 1;
            writer
                .entry(&exchange(index, method, path, &ops))
                .expect("writes");
        }
    }
    writer.finish().expect("ends")
}

fn traffic(c: &mut Criterion) {
    let har_bytes = recording();
    let mut group = c.benchmark_group("traffic");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10))
        .throughput(Throughput::Elements(EXCHANGES as u64));
    group.bench_function("read 10k exchanges (baseline)", |b| {
        b.iter(|| {
            let mut n = 0;
            har::read(&har_bytes[..], &mut |_| n += 1).expect("reads");
            assert_eq!(n, EXCHANGES);
        });
    });
    group.bench_function("judge 10k exchanges", |b| {
        b.iter(|| {
            let judged = judge_har(
                &fileops_api::dialects::DOCSPACE,
                &har_bytes[..],
                "bench",
                &mut |_| {},
            )
            .expect("judges");
            assert_eq!(judged.judged, EXCHANGES);
        });
    });
    group.finish();
}

criterion_group!(benches, traffic);
criterion_main!(benches);
