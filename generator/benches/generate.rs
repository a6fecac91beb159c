//! Generation time for the project schema (1x) and for synthetic specs 10x and 100x its
//! size.
//!
//! A synthetic spec of factor N holds the schema itself plus N-1 suffixed copies of it:
//! copy k clones every `components.schemas`, `components.responses` and
//! `components.parameters` entry as `{name}_{k}`, and every path as `/k{k}{path}` with
//! `operationId`s `{id}_{k}`; every `$ref` inside a copy is rewritten to the copy's
//! suffixed component, and so are the variant schema names keying
//! `x-fileops-variant-keys`. The specs are built, serialized to JSON and checked to generate
//! in setup, outside the timing.

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use serde_json::Value;
use std::hint::black_box;
use std::time::Duration;

const SCHEMA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../schema/fileops.yaml"
));

/// Component sections that are cloned per copy (and whose `$ref`s are rewritten).
const SECTIONS: [&str; 3] = ["schemas", "responses", "parameters"];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Rewrites every `#/components/{section}/{name}` `$ref` under `node` to `{name}_{k}`, and
/// the schema names that key `x-fileops-variant-keys` (and a union's
/// `x-fileops-variant-dialects`) likewise.
fn suffix_refs(node: &mut Value, k: usize) {
    match node {
        Value::Object(map) => {
            // On a union, variant names are the referenced schema names (on an enum they
            // are its own names, which copies keep).
            let union = map.contains_key("anyOf") || map.contains_key("oneOf");
            for (key, child) in map.iter_mut() {
                match (key.as_str(), child) {
                    ("$ref", Value::String(target)) => {
                        if SECTIONS
                            .iter()
                            .any(|s| target.starts_with(&format!("#/components/{s}/")))
                        {
                            target.push_str(&format!("_{k}"));
                        }
                    }
                    // Keyed by the names of the referenced variant schemas.
                    ("x-fileops-variant-dialects", Value::Object(variants)) if union => {
                        *variants = std::mem::take(variants)
                            .into_iter()
                            .map(|(name, dialects)| (format!("{name}_{k}"), dialects))
                            .collect();
                    }
                    ("x-fileops-variant-keys", Value::Object(variants)) => {
                        *variants = std::mem::take(variants)
                            .into_iter()
                            .map(|(name, keys)| (format!("{name}_{k}"), keys))
                            .collect();
                    }
                    (_, child) => suffix_refs(child, k),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| suffix_refs(item, k)),
        _ => {}
    }
}

/// The schema grown to `factor` times its size.
fn synthetic(base: &Value, factor: usize) -> Value {
    let mut spec = base.clone();
    let components = base["components"].as_object().expect("components");
    let paths = base["paths"].as_object().expect("paths");
    for k in 2..=factor {
        for section in SECTIONS {
            let originals = components[section].as_object().expect("a component map");
            let target = spec["components"][section]
                .as_object_mut()
                .expect("a component map");
            for (name, item) in originals {
                let mut copy = item.clone();
                suffix_refs(&mut copy, k);
                target.insert(format!("{name}_{k}"), copy);
            }
        }
        let target = spec["paths"].as_object_mut().expect("paths");
        for (path, item) in paths {
            let mut copy = item.clone();
            suffix_refs(&mut copy, k);
            for method in METHODS {
                if let Some(Value::String(id)) = copy
                    .get_mut(method)
                    .and_then(|op| op.get_mut("operationId"))
                {
                    id.push_str(&format!("_{k}"));
                }
            }
            target.insert(format!("/k{k}{path}"), copy);
        }
    }
    spec
}

/// How many operations a spec holds.
fn operations(spec: &Value) -> u64 {
    spec["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count() as u64)
        .sum()
}

fn generate(c: &mut Criterion) {
    // Setup (untimed): the specs, as text, each checked to generate.
    let base = fileops_codegen::load::parse_raw(SCHEMA).expect("the schema parses");
    let base_out = fileops_codegen::generate(SCHEMA).expect("the schema generates");
    // `1x_yaml` is the schema file as is; the others are JSON text, so 1x:10x:100x compare
    // like with like (the 1x JSON spec is the schema itself).
    let mut specs: Vec<(String, String, u64)> =
        vec![("1x_yaml".to_owned(), SCHEMA.to_owned(), operations(&base))];
    for factor in [1usize, 10, 100] {
        let spec = synthetic(&base, factor);
        let text = serde_json::to_string(&spec).expect("the spec serializes");
        let out = fileops_codegen::generate(&text)
            .unwrap_or_else(|e| panic!("the {factor}x spec generates: {e:?}"));
        assert!(
            factor == 1 || out.code.len() > base_out.code.len() * factor / 2,
            "the {factor}x spec generates several times the code"
        );
        specs.push((format!("{factor}x"), text, operations(&spec)));
    }

    let mut group = c.benchmark_group("generate");
    group.warm_up_time(Duration::from_secs(1));
    for (label, text, ops) in &specs {
        // A 100x generation takes seconds: flat sampling with criterion's minimum of 10
        // samples keeps the run as short as it can be (that case still overruns 5 s).
        let (mode, samples, secs) = match label.as_str() {
            "10x" | "100x" => (SamplingMode::Flat, 10, 5),
            _ => (SamplingMode::Auto, 20, 5),
        };
        group
            .sampling_mode(mode)
            .sample_size(samples)
            .measurement_time(Duration::from_secs(secs))
            .throughput(Throughput::Elements(*ops));
        group.bench_with_input(BenchmarkId::from_parameter(label), text, |b, text| {
            b.iter(|| fileops_codegen::generate(black_box(text)).expect("generates"))
        });
    }
    group.finish();
}

/// A projection per dialect against the Rust generation of the same spec (the baseline, in
/// the same run): both lower the same IR, then emit a document or source.
fn project(c: &mut Criterion) {
    let text = serde_json::to_string(&fileops_codegen::load::parse_raw(SCHEMA).expect("parses"))
        .expect("serializes");
    let mut group = c.benchmark_group("project");
    group.warm_up_time(Duration::from_secs(1)).sample_size(20);
    group.bench_function("generate_rust_baseline", |b| {
        b.iter(|| fileops_codegen::generate(black_box(&text)).expect("generates"))
    });
    for dialect in ["docspace", "workspace"] {
        group.bench_function(BenchmarkId::new("openapi_yaml", dialect), |b| {
            b.iter(|| {
                fileops_codegen::project(
                    black_box(&text),
                    dialect,
                    fileops_codegen::project::Syntax::Yaml,
                )
                .expect("projects")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, generate, project);
criterion_main!(benches);
