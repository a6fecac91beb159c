//! Generates `$OUT_DIR/fileops.rs` from `../schema/fileops.yaml`, or from the spec named by
//! the `FILEOPS_SPEC` environment variable (a path relative to this crate, or absolute).

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=FILEOPS_SPEC");
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let spec = match std::env::var_os("FILEOPS_SPEC").filter(|p| !p.is_empty()) {
        Some(path) => manifest.join(path),
        None => manifest.join("../schema/fileops.yaml"),
    };
    println!("cargo:rerun-if-changed={}", spec.display());
    let output = match fileops_codegen::generate_file(&spec) {
        Ok(output) => output,
        Err(failure) => {
            eprintln!(
                "fileops-codegen could not generate code from {}:",
                spec.display()
            );
            if let fileops_codegen::diag::Failure::Invalid(diags) = &failure {
                for d in diags {
                    eprintln!("  {d}");
                }
            }
            panic!("{failure}");
        }
    };
    for warning in &output.diagnostics {
        println!("cargo:warning={}: {warning}", spec.display());
    }
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("fileops.rs");
    std::fs::write(&out, output.code).expect("OUT_DIR is writable");
}
