//! # fileops-api
//!
//! Rust types, enums, envelopes and an async handler trait for the ONLYOFFICE-family
//! "file operations" API, generated at build time from `schema/fileops.yaml` (or the spec
//! named by the `FILEOPS_SPEC` environment variable), next to a small hand-written
//! [`runtime`] that the generated items plug into.
//!
//! Reading is lenient like the .NET servers (any-case keys, enums as numbers, numeric
//! strings or names, XML booleans `True`); writing is exact for the chosen [`runtime::Dialect`].
//!
//! ```
//! use fileops_api::runtime::{codec, Format};
//! use fileops_api::types::FileConflictResolveType;
//!
//! // Every accepted encoding of a variant reads as that variant.
//! for text in ["1", "\"1\"", "\"Overwrite\"", "\"oVeRwRiTe\""] {
//!     let v: FileConflictResolveType = serde_json::from_str(text).unwrap();
//!     assert_eq!(v, FileConflictResolveType::Overwrite);
//! }
//! # let _ = (codec::decode_success::<Vec<fileops_api::types::FileOperation>>, Format::Json);
//! ```

pub mod runtime;

include!(concat!(env!("OUT_DIR"), "/fileops.rs"));

/// Each dialect's exact OpenAPI 3.0.3 document, projected from the same schema at build time
/// (what `fileops-codegen project` writes): for standard tools, and for strict judges of
/// answers.
pub mod projections {
    /// One dialect's projection, as JSON and YAML text.
    #[derive(Debug, Clone, Copy)]
    pub struct Projection {
        /// The dialect's name (`docspace`, `workspace`, `r7`).
        pub dialect: &'static str,
        /// The document as JSON.
        pub json: &'static str,
        /// The same document as YAML.
        pub yaml: &'static str,
    }

    include!(concat!(env!("OUT_DIR"), "/projections.rs"));

    /// The projection of a dialect, by name in any case.
    pub fn by_name(dialect: &str) -> Option<&'static Projection> {
        ALL.iter().find(|p| p.dialect.eq_ignore_ascii_case(dialect))
    }
}
