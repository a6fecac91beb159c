//! Shared test helpers: the seed samples (`tests/fixtures/seeds`), the schema as a JSON
//! Schema validator, fixtures, and diffs for failure messages.
#![allow(dead_code)] // each test binary uses a different part

use fileops_api::runtime::ApiDateTime;
use fileops_api::types::*;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Where the seed pages' sample bodies are kept in the repository (see the README there).
pub fn seed_fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds")
}

/// A sample body copied from a seed page: `tests/fixtures/seeds/<prefix>-*/<file>`, where
/// `prefix` is the page's number (`"002"`) and `file` the sample (`"response.json"`).
pub fn seed_sample(prefix: &str, file: &str) -> String {
    let dir = seed_fixtures();
    let page = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the seed fixtures must be at {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("{prefix}-"))
        })
        .unwrap_or_else(|| panic!("no folder {prefix}-* in {}", dir.display()));
    let path = page.path().join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `tests/fixtures/seeds/<page>/`, as `<page>/<file>`, sorted.
pub fn seed_sample_files() -> Vec<String> {
    let dir = seed_fixtures();
    let mut files = Vec::new();
    for page in std::fs::read_dir(&dir).expect("the seed fixtures folder is readable") {
        let page = page.expect("a readable entry");
        if !page.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(page.path()).expect("a readable page folder") {
            let file = file.expect("a readable entry");
            files.push(format!(
                "{}/{}",
                page.file_name().to_string_lossy(),
                file.file_name().to_string_lossy()
            ));
        }
    }
    files.sort();
    files
}

/// A unified diff of two values' pretty `Debug` forms, for failure messages: a whole
/// document on each side is hundreds of lines, the diff shows only what differs.
pub fn debug_diff<T: std::fmt::Debug>(expected: &T, got: &T) -> String {
    let (expected, got) = (format!("{expected:#?}\n"), format!("{got:#?}\n"));
    similar::TextDiff::from_lines(&expected, &got)
        .unified_diff()
        .context_radius(3)
        .header("expected", "got")
        .to_string()
}

/// Panics with [`debug_diff`] (and `context`) unless `expected == got`.
#[track_caller]
pub fn assert_same<T: std::fmt::Debug + PartialEq>(expected: &T, got: &T, context: &str) {
    if expected != got {
        panic!(
            "{context}: the values differ\n{}",
            debug_diff(expected, got)
        );
    }
}

/// `schema/fileops.yaml` as JSON, with OpenAPI 3.0's `nullable` translated to JSON Schema.
pub fn schema_document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let text = std::fs::read_to_string(repo().join("schema/fileops.yaml")).expect("schema");
        let mut doc: Value = serde_yaml::from_str(&text).expect("schema is YAML");
        translate_nullable(&mut doc);
        doc
    })
}

fn translate_nullable(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = map.get("type").cloned() {
                    map.insert("type".into(), serde_json::json!([t, "null"]));
                }
            }
            map.values_mut().for_each(translate_nullable);
        }
        Value::Array(items) => items.iter_mut().for_each(translate_nullable),
        _ => {}
    }
}

/// Problems `instance` has against `#/components/schemas/{component}` (empty when valid).
pub fn schema_problems(component: &str, instance: &Value) -> Vec<String> {
    let mut root = schema_document().clone();
    root.as_object_mut().expect("object").insert(
        "$ref".into(),
        Value::String(format!("#/components/schemas/{component}")),
    );
    let validator = jsonschema::draft7::new(&root).expect("the schema compiles as JSON Schema");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

/// A fixed date.
pub fn date() -> ApiDateTime {
    ApiDateTime::parse("2026-11-22T10:15:30.1234567+03:00").expect("valid")
}

/// A fixed person.
pub fn person() -> Employee {
    Employee {
        id: Some("00000000-0000-0000-0000-000000000001".into()),
        display_name: Some("Ann Example".into()),
        title: None,
        avatar: None,
        avatar_original: None,
        avatar_max: None,
        avatar_medium: None,
        avatar_small: Some("/img/a.png".into()),
        profile_url: Some("http://portal.example/people/ann".into()),
        has_avatar: Some(false),
        is_anonim: None,
    }
}

/// A fixed file.
pub fn file(id: i64, title: &str) -> File {
    File {
        id: Some(id.into()),
        title: Some(title.into()),
        access: Some(FileShare::ReadWrite),
        shared: Some(false),
        created: Some(date()),
        created_by: Some(person()),
        updated: Some(date()),
        updated_by: Some(person()),
        root_folder_type: Some(FolderType::User),
        root_folder_id: Some(1.into()),
        provider_item: None,
        provider_key: None,
        provider_id: None,
        deny_download: None,
        deny_sharing: None,
        file_entry_type: Some(FileEntryType::File),
        folder_id: Some(10.into()),
        version: Some(2),
        version_group: Some(2),
        content_length: Some("12.06 KB".into()),
        pure_content_length: Some(12345),
        file_status: Some(FileStatus::IS_NEW),
        view_url: Some("http://portal.example/view?id=1".into()),
        web_url: None,
        file_type: Some(FileType::Document),
        file_exst: Some(".docx".into()),
        comment: Some("Overwritten".into()),
        encrypted: None,
        thumbnail_url: None,
        locked: None,
    }
}

/// A fixed folder.
pub fn folder(id: i64, title: &str) -> Folder {
    Folder {
        id: Some(id.into()),
        title: Some(title.into()),
        access: Some(FileShare::None),
        shared: Some(false),
        created: Some(date()),
        created_by: Some(person()),
        updated: Some(date()),
        updated_by: None,
        root_folder_type: Some(FolderType::User),
        root_folder_id: Some(1.into()),
        provider_item: None,
        provider_key: None,
        provider_id: None,
        deny_download: None,
        deny_sharing: None,
        file_entry_type: Some(FileEntryType::Folder),
        parent_id: Some(1.into()),
        files_count: Some(3),
        folders_count: Some(0),
        is_shareable: Some(true),
        is_favorite: None,
        new: Some(0),
    }
}

/// A fixed finished move with one file, and a running delete.
pub fn operations() -> Vec<FileOperation> {
    vec![
        FileOperation {
            id: "9d6e0c8e-1f3c-4b1a-9c55-0a4f5e6d7c8b".into(),
            operation: Some(FileOperationType::Move),
            progress: 100,
            error: Some(String::new()),
            processed: "1".into(),
            finished: true,
            url: None,
            files: Some(vec![file(857864274, "Report.docx")]),
            folders: None,
            status: Some(DistributedTaskStatus::Completed),
        },
        FileOperation {
            id: "1b2c3d4e-0000-4000-8000-000000000002".into(),
            operation: Some(FileOperationType::Delete),
            progress: 40,
            error: None,
            processed: "2".into(),
            finished: false,
            url: None,
            files: None,
            folders: Some(vec![folder(20, "Old/Archive")]),
            status: Some(DistributedTaskStatus::Running),
        },
    ]
}

/// Bounded, deterministic proptest settings: `PROPTEST_CASES` (default `cases`) and
/// `PROPTEST_RNG_SEED` (default a fixed seed) override them.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let env = |name: &str| std::env::var(name).ok();
    Config {
        cases: env("PROPTEST_CASES")
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        rng_seed: RngSeed::Fixed(
            env("PROPTEST_RNG_SEED")
                .and_then(|v| v.parse().ok())
                .unwrap_or(20_261_122),
        ),
        failure_persistence: None,
        ..Config::default()
    }
}
