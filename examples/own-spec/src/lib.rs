//! Types generated from `spec/shelf.yaml` at build time (see `build.rs`), inside a module of
//! this crate: the generated modules reach each other through `super::`, and the runtime at
//! the path the build script chose.

/// The generated `types`, `dialects`, `operations` and `handler` modules of the shelf API.
#[allow(missing_docs)]
pub mod shelf {
    include!(concat!(env!("OUT_DIR"), "/shelf.rs"));
}
