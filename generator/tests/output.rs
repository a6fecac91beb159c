//! The generated source: reviewed snapshot, byte-identical across runs and input syntaxes,
//! and upstream's own specs digested.

use fileops_codegen::diag::Failure;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn schema() -> String {
    read("../schema/fileops.yaml")
}

#[test]
fn generated_source_snapshot() {
    let out = fileops_codegen::generate(&schema()).expect("generates");
    insta::assert_snapshot!("fileops_rs", out.code);
}

#[test]
fn output_is_byte_identical_across_runs_and_between_yaml_and_json() {
    let first = fileops_codegen::generate(&schema())
        .expect("generates")
        .code;
    let second = fileops_codegen::generate(&schema())
        .expect("generates")
        .code;
    assert_eq!(first, second);
    let as_json =
        serde_json::to_string_pretty(&fileops_codegen::load::parse_raw(&schema()).expect("raw"))
            .expect("json");
    let from_json = fileops_codegen::generate(&as_json).expect("generates").code;
    assert_eq!(first, from_json);
}

#[test]
fn the_output_parses_as_rust_and_covers_every_operation() {
    let code = fileops_codegen::generate(&schema())
        .expect("generates")
        .code;
    syn::parse_file(&code).expect("valid Rust");
    for method in [
        "fn move_batch_items(",
        "fn terminate_all_tasks(",
        "fn terminate_tasks(",
        "fn authenticate_me(",
    ] {
        assert!(code.contains(method), "{method}");
    }
}

/// The folder of upstream's own documents, named by `FILEOPS_UPSTREAM_SPECS`; `None` (with a
/// note on stderr) when the variable is unset, so a clone without them still passes. CI sets
/// it (`.ci/run`), so there these tests always run.
fn upstream(test: &str) -> Option<std::path::PathBuf> {
    match std::env::var_os("FILEOPS_UPSTREAM_SPECS").filter(|v| !v.is_empty()) {
        Some(dir) => {
            let dir = std::path::PathBuf::from(dir);
            assert!(
                dir.is_dir(),
                "FILEOPS_UPSTREAM_SPECS={} is not a folder",
                dir.display()
            );
            Some(dir)
        }
        None => {
            eprintln!(
                "skipping {test}: set FILEOPS_UPSTREAM_SPECS to the folder of upstream's specs to run it"
            );
            None
        }
    }
}

fn read_upstream(dir: &std::path::Path, spec: &str) -> String {
    let path = dir.join(spec);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn upstream_fileops_specs_generate_without_errors() {
    let Some(dir) = upstream("upstream_fileops_specs_generate_without_errors") else {
        return;
    };
    for spec in [
        "docspace-fileops.json",
        "docspace-fileops-and-folders.json",
        "DocSpace-server/json_files_2.0.json",
        "api.onlyoffice.com/docspace-backend.yaml",
    ] {
        let out =
            fileops_codegen::generate(&read_upstream(&dir, spec)).unwrap_or_else(|e| match e {
                Failure::Invalid(d) => panic!("{spec}: {d:#?}"),
                Failure::Unreadable(m) => panic!("{spec}: {m}"),
            });
        syn::parse_file(&out.code).unwrap_or_else(|e| panic!("{spec}: {e}"));
        // Upstream's enum style becomes an enum with string/int duality.
        assert!(out.code.contains("pub enum FileOperationType"), "{spec}");
        assert!(
            out.code
                .contains("impl super::runtime::WireEnum for FileOperationType"),
            "{spec}"
        );
    }
}

#[test]
fn upstream_community_server_spec_is_refused_as_3_1() {
    // The general rule (3.1 is refused at /openapi) is tested on our own schema in
    // malformed.rs; this is upstream's real 3.1 document.
    let Some(dir) = upstream("upstream_community_server_spec_is_refused_as_3_1") else {
        return;
    };
    match fileops_codegen::check(&read_upstream(
        &dir,
        "api.onlyoffice.com/community-server.yaml",
    )) {
        Err(Failure::Invalid(diags)) => {
            assert!(diags.iter().any(|d| d.pointer == "/openapi"), "{diags:#?}")
        }
        other => panic!("3.1.0 must be refused, got {other:?}"),
    }
}
