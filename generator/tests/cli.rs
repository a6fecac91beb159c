//! The command line: exit 0 fine, 1 problems found and listed, 2 unreadable input.

use std::process::Command;

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fileops-codegen"))
}

fn schema_path() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/fileops.yaml").to_owned()
}

fn temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("fileops-codegen-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn check_accepts_the_schema() {
    let out = cli()
        .args(["check", &schema_path()])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_lists_problems_with_pointers_and_exits_1() {
    let text = std::fs::read_to_string(schema_path())
        .expect("schema")
        .replacen("openapi: 3.0.3", "openapi: 3.1.0", 1);
    let path = temp("v31.yaml", &text);
    let out = cli()
        .args(["check", path.to_str().expect("utf8")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error at /openapi"), "{stderr}");
}

#[test]
fn unreadable_input_exits_2() {
    let out = cli()
        .args(["check", "/nonexistent/spec.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let path = temp("broken.yaml", "openapi: 3.0.3\npaths: {a: [1,\n");
    let out = cli()
        .args(["generate", path.to_str().expect("utf8")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line"));
}

#[test]
fn generate_writes_what_the_library_makes() {
    let target = std::env::temp_dir().join(format!("fileops-cli-out-{}.rs", std::process::id()));
    let out = cli()
        .args([
            "generate",
            &schema_path(),
            "-o",
            target.to_str().expect("utf8"),
        ])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(&target).expect("written");
    let expected = fileops_codegen::generate_file(
        std::path::Path::new(&schema_path()),
        &fileops_codegen::emit::Options::default(),
    )
    .expect("generates")
    .code;
    assert_eq!(written, expected);
    let stdout = cli()
        .args(["generate", &schema_path()])
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&stdout.stdout), expected);
}
