//! Generates `$OUT_DIR/shelf.rs` from `spec/shelf.yaml`: the types and the handler trait,
//! reaching the runtime at `::fileops_api::runtime`, with neither the router nor the client.

use fileops_codegen::emit::{Options, Part, RuntimePath};
use std::path::PathBuf;

fn main() {
    let spec = "spec/shelf.yaml";
    println!("cargo:rerun-if-changed={spec}");
    let text = std::fs::read_to_string(spec).expect("the spec is readable");
    let options = Options {
        runtime: RuntimePath::At("::fileops_api::runtime".into()),
        server: Part::Never,
        client: Part::Never,
    };
    let output = match fileops_codegen::generate_with(&text, &options) {
        Ok(output) => output,
        Err(failure) => panic!("{spec}: {failure}"),
    };
    for warning in &output.diagnostics {
        println!("cargo:warning={spec}: {warning}");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("shelf.rs"), output.code).expect("OUT_DIR is writable");
}
