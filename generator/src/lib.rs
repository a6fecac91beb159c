//! # fileops-codegen
//!
//! Turns an OpenAPI 3.0 description of the fileops API into Rust: types, enums with
//! string/int duality, envelopes per dialect, typed per-status responses and an async
//! handler trait. The pipeline flows one way: [`load`] → [`validate`] → [`lower`] (to the
//! [`ir`]) → [`emit`]. Every problem is a [`diag::Diagnostic`] with a JSON pointer.

pub mod diag;
pub mod emit;
pub mod facts;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod project;
pub mod validate;

use diag::{Diagnostic, Diagnostics, Failure};
use ir::Ir;

/// Generated source and the warnings met on the way.
#[derive(Debug)]
pub struct Output {
    /// The Rust source, pretty-printed.
    pub code: String,
    /// Warnings (never errors: those fail).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads, validates and lowers a spec given as YAML or JSON text.
pub fn analyse(text: &str) -> Result<(Ir, Vec<Diagnostic>), Failure> {
    let raw = load::parse_raw(text)?;
    let mut diags = Diagnostics::default();
    validate::validate(&raw, &mut diags);
    if diags.has_errors() {
        return Err(Failure::Invalid(diags.finish()));
    }
    let api = match load::typed(&raw) {
        Ok(api) => api,
        Err(d) => {
            diags.push(d);
            return Err(Failure::Invalid(diags.finish()));
        }
    };
    let ir = lower::lower(&api, &mut diags);
    if diags.has_errors() {
        return Err(Failure::Invalid(diags.finish()));
    }
    Ok((ir, diags.finish()))
}

/// Checks a spec; the diagnostics are warnings when it is usable.
pub fn check(text: &str) -> Result<Vec<Diagnostic>, Failure> {
    analyse(text).map(|(_, diags)| diags)
}

/// Generates Rust source from a spec given as YAML or JSON text, for a crate that depends on
/// fileops-api ([`emit::Options::default`]).
pub fn generate(text: &str) -> Result<Output, Failure> {
    generate_with(text, &emit::Options::default())
}

/// Generates Rust source from a spec given as YAML or JSON text, made with `options`.
pub fn generate_with(text: &str, options: &emit::Options) -> Result<Output, Failure> {
    let (ir, diagnostics) = analyse(text)?;
    let code =
        emit::emit(&ir, options).map_err(|e| Failure::Invalid(vec![Diagnostic::error("", e)]))?;
    Ok(Output { code, diagnostics })
}

/// The exact OpenAPI document of one dialect, from a spec given as YAML or JSON text.
pub fn project(text: &str, dialect: &str, syntax: project::Syntax) -> Result<Output, Failure> {
    let (ir, diagnostics) = analyse(text)?;
    let invalid = |e: String| Failure::Invalid(vec![Diagnostic::error("", e)]);
    let document = project::project(&ir, dialect).map_err(invalid)?;
    let code = project::render(&document, syntax).map_err(invalid)?;
    Ok(Output { code, diagnostics })
}

/// The open facts of a spec given as YAML or JSON text, as a Markdown table.
pub fn facts(text: &str) -> Result<String, Failure> {
    analyse(text).map(|(ir, _)| facts::table(&ir))
}

/// Rust source made with `options` and every dialect's projection (by dialect name), from
/// one analysis.
pub fn generate_with_projections(
    text: &str,
    options: &emit::Options,
) -> Result<(Output, Vec<(String, serde_json::Value)>), Failure> {
    let (ir, diagnostics) = analyse(text)?;
    let invalid = |e: String| Failure::Invalid(vec![Diagnostic::error("", e)]);
    let code = emit::emit(&ir, options).map_err(invalid)?;
    let projections = project::dialect_names(&ir)
        .into_iter()
        .map(|name| {
            Ok((
                name.to_owned(),
                project::project(&ir, name).map_err(invalid)?,
            ))
        })
        .collect::<Result<_, Failure>>()?;
    Ok((Output { code, diagnostics }, projections))
}

/// Generates Rust source from a spec file, made with `options`.
pub fn generate_file(path: &std::path::Path, options: &emit::Options) -> Result<Output, Failure> {
    generate_with(&load::read_file(path)?, options)
}
