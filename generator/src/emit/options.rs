//! What the caller chooses about the emitted file: where the runtime lives and which of the
//! HTTP parts are emitted, so the same generator serves fileops-api's own build and a user's
//! `build.rs` on their own spec.

use proc_macro2::TokenStream;
use quote::quote;

/// Where the generated modules find the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimePath {
    /// A module named `runtime` beside the included file (fileops-api's own layout).
    Sibling,
    /// This path, e.g. `::fileops_api::runtime` (a user's crate).
    At(String),
}

/// Whether an HTTP part (the axum router, the reqwest client) is emitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Always.
    Always,
    /// Not at all.
    Never,
    /// Behind `#[cfg(feature = "…")]` of the crate that includes the file.
    WhenFeature(String),
}

/// The choices an emitted file is made with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Where the runtime is.
    pub runtime: RuntimePath,
    /// The server glue (`router`).
    pub server: Part,
    /// The typed client (`client`).
    pub client: Part,
}

impl Default for Options {
    /// For a user's crate that depends on fileops-api with its default features.
    fn default() -> Self {
        Self {
            runtime: RuntimePath::At("::fileops_api::runtime".into()),
            server: Part::Always,
            client: Part::Always,
        }
    }
}

impl Options {
    /// fileops-api's own build: the runtime beside the file, the HTTP parts behind the
    /// `server` and `client` features.
    pub fn fileops_api() -> Self {
        Self {
            runtime: RuntimePath::Sibling,
            server: Part::WhenFeature("server".into()),
            client: Part::WhenFeature("client".into()),
        }
    }

    /// Checks the runtime path, so a typo is an error naming the option, not a compile
    /// failure deep in the generated file.
    pub fn validate(&self) -> Result<(), String> {
        if let RuntimePath::At(path) = &self.runtime {
            syn::parse_str::<syn::Path>(path)
                .map_err(|e| format!("the runtime path {path:?} is not a Rust path: {e}"))?;
        }
        for (name, part) in [("server", &self.server), ("client", &self.client)] {
            if let Part::WhenFeature(feature) = part {
                if feature.is_empty() || feature.contains('"') {
                    return Err(format!("the {name} feature name {feature:?} is not usable"));
                }
            }
        }
        Ok(())
    }

    /// The `use` that brings the runtime in beside the modules (none for a sibling).
    pub(super) fn runtime_use(&self) -> TokenStream {
        match &self.runtime {
            RuntimePath::Sibling => TokenStream::new(),
            RuntimePath::At(path) => {
                let path: syn::Path = syn::parse_str(path).expect("validated before emitting");
                quote!(#[allow(unused_imports)] use #path as runtime;)
            }
        }
    }
}

impl Part {
    /// The module attribute and whether the module is emitted at all.
    pub(super) fn gate(&self) -> Option<TokenStream> {
        match self {
            Part::Always => Some(TokenStream::new()),
            Part::Never => None,
            Part::WhenFeature(feature) => Some(quote!(#[cfg(feature = #feature)])),
        }
    }
}
