//! Projection: the IR seen by one server family, as a plain OpenAPI 3.0.3 document.
//!
//! The schema describes every family at once, with the differences as `x-fileops-*` data.
//! A projection applies that data for one dialect and leaves nothing to interpret: only the
//! family's operations and parameters, its own key names, enum domains and wire forms, its
//! envelopes (with `statusCode` pinned to the HTTP status), nullability and `required` as
//! the family writes them, its 401, and its XML routes. Extra keys stay legal everywhere
//! (no `additionalProperties: false`), because upstream adds fields often.
//!
//! Like emit, a projection sees only the [`Ir`]; its output is deterministic (maps keep
//! insertion order, which follows the IR's sorted order).

mod components;
mod envelopes;
mod merge;
mod paths;

use serde_json::{json, Map, Value};

use crate::ir::{DialectDef, Ir};
use components::Components;

/// How a projection is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// YAML.
    Yaml,
    /// JSON, pretty-printed.
    Json,
}

impl Syntax {
    /// JSON for a path ending in `.json`, YAML otherwise.
    pub fn for_path(path: &std::path::Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Syntax::Json,
            _ => Syntax::Yaml,
        }
    }
}

/// The names of the dialects a spec describes, in schema order.
pub fn dialect_names(ir: &Ir) -> Vec<&str> {
    ir.dialects.iter().map(|d| d.name.as_str()).collect()
}

/// The OpenAPI 3.0.3 document that describes `dialect` exactly: its own rules, and wherever
/// the reference notes leave a point open, every reading they allow (each open fact that
/// concerns the family, projected in each of its readings and merged in).
pub fn project(ir: &Ir, dialect: &str) -> Result<Value, String> {
    let d = ir
        .dialects
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(dialect))
        .ok_or_else(|| {
            format!(
                "unknown dialect `{dialect}` (known: {})",
                dialect_names(ir).join(", ")
            )
        })?;
    let mut doc = project_one(ir, d);
    for fact in ir.open_facts.iter().filter(|f| f.concerns(&d.name)) {
        let own = fact.reading_of(d).map(|r| r.name.as_str());
        for reading in fact
            .readings
            .iter()
            .filter(|r| Some(r.name.as_str()) != own)
        {
            if let Some(variant) = fact.variant(&d.name, reading) {
                merge::merge(&mut doc, &project_one(ir, variant));
            }
        }
    }
    Ok(doc)
}

/// The document of one dialect in the readings it shows.
fn project_one(ir: &Ir, d: &DialectDef) -> Value {
    let mut components = Components::new(ir, d);
    let paths = paths::paths(ir, d, &mut components);
    let mut doc = Map::new();
    doc.insert("openapi".into(), json!("3.0.3"));
    doc.insert("info".into(), info(ir, d));
    doc.insert("paths".into(), Value::Object(paths));
    doc.insert("components".into(), components.finish());
    doc.insert("security".into(), json!([{ "Token": [] }]));
    Value::Object(doc)
}

/// A projection as text.
pub fn render(document: &Value, syntax: Syntax) -> Result<String, String> {
    match syntax {
        Syntax::Json => serde_json::to_string_pretty(document)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| e.to_string()),
        Syntax::Yaml => serde_yaml::to_string(document).map_err(|e| e.to_string()),
    }
}

fn info(ir: &Ir, d: &DialectDef) -> Value {
    let formats = if d.formats.contains(&crate::ir::Format::Xml) {
        format!(
            " Answers are JSON; every route also answers XML under the suffix {} (a request \
             with a JSON body is answered in JSON).",
            d.xml_suffixes.first().map_or("", String::as_str)
        )
    } else {
        " Answers are JSON only.".to_owned()
    };
    let open = ir.open_facts.iter().filter(|f| f.concerns(&d.name)).count();
    let formats = format!(
        "{formats} Where the reference notes leave a point open ({open} open facts for this \
         family), every reading they allow is documented."
    );
    json!({
        "title": format!("fileops: {}", d.title),
        "version": env!("CARGO_PKG_VERSION"),
        "description": format!(
            "The file operations API exactly as {} writes it, projected from the fileops \
             schema for this one family: its routes, parameters, key names, enum numbers, \
             envelopes and status codes. Keys not listed here may appear too.{formats}",
            d.title
        ),
    })
}
