//! Generates `$OUT_DIR/fileops.rs` from `schema/fileops.yaml` (a link to the workspace's), or from the spec named by
//! the `FILEOPS_SPEC` environment variable (a path relative to this crate, or absolute),
//! and beside it each dialect's projection (`<dialect>.openapi.{json,yaml}`) with
//! `projections.rs`, the table that includes them.

use fileops_codegen::emit::Options;
use fileops_codegen::project::{render, Syntax};
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-env-changed=FILEOPS_SPEC");
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let spec = match std::env::var_os("FILEOPS_SPEC").filter(|p| !p.is_empty()) {
        Some(path) => manifest.join(path),
        // A link to the workspace's `schema/fileops.yaml`, so the packaged crate carries it.
        None => manifest.join("schema/fileops.yaml"),
    };
    println!("cargo:rerun-if-changed={}", spec.display());
    let generated = fileops_codegen::load::read_file(&spec).and_then(|text| {
        fileops_codegen::generate_with_projections(&text, &Options::fileops_api())
    });
    let (output, projections) = match generated {
        Ok(found) => found,
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
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("fileops.rs"), output.code).expect("OUT_DIR is writable");
    let mut table = String::from(
        "/// Every dialect's projection, in schema order.\npub static ALL: &[Projection] = &[\n",
    );
    for (dialect, document) in &projections {
        for (syntax, ext) in [(Syntax::Json, "json"), (Syntax::Yaml, "yaml")] {
            let text = render(document, syntax).expect("a projection renders");
            write(&out, &format!("{dialect}.openapi.{ext}"), &text);
        }
        table.push_str(&format!(
            "    Projection {{ dialect: {dialect:?}, json: include_str!(concat!(env!(\"OUT_DIR\"), \"/{dialect}.openapi.json\")), yaml: include_str!(concat!(env!(\"OUT_DIR\"), \"/{dialect}.openapi.yaml\")) }},\n"
        ));
    }
    table.push_str("];\n");
    write(&out, "projections.rs", &table);
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("OUT_DIR is writable");
}
