//! Lowering `x-fileops-dialects` (the top-level dialect table) into [`DialectDef`]s.

use serde::Deserialize;
use serde_json::Value;

use crate::diag::{join, Diagnostic, Diagnostics};
use crate::ir::{Behaviour, DialectDef, NullStyle};

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawDialect {
    title: String,
    formats: Vec<String>,
    #[serde(default)]
    xml_suffixes: Vec<String>,
    #[serde(default)]
    json_suffixes: Vec<String>,
    nulls: RawNulls,
    #[serde(default)]
    escape_slash: bool,
    success_envelope: RawSuccess,
    error_envelope: RawError,
    validation_errors: RawValidation,
    unauthorized: RawUnauthorized,
    post_status: u16,
    behaviour: Behaviour,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum RawNulls {
    Omit,
    Write,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum RawValidation {
    ProblemDetails,
    ErrorEnvelope,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum RawCount {
    One,
    Length,
    LengthOmitZero,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawSuccess {
    keys: Vec<String>,
    count: RawCount,
    #[serde(default)]
    links: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawError {
    keys: Vec<String>,
    error_keys: Vec<String>,
    error_nulls: RawNulls,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawUnauthorized {
    status: u16,
    content_type: Option<String>,
    #[serde(default)]
    also_content_types: Vec<String>,
    #[serde(default)]
    body: String,
}

const SUCCESS_KEYS: [&str; 8] = [
    "response",
    "count",
    "total",
    "links",
    "status",
    "statusCode",
    "startIndex",
    "nextIndex",
];
const ERROR_KEYS: [&str; 3] = ["error", "status", "statusCode"];
const ERROR_FIELDS: [&str; 5] = ["message", "type", "stack", "hresult", "data"];
const FORMATS: [&str; 2] = ["json", "xml"];

/// The dialect table, or one JSON-only default dialect when the spec has none.
pub fn lower(
    extensions: &indexmap::IndexMap<String, Value>,
    out: &mut Diagnostics,
) -> Vec<DialectDef> {
    let Some(table) = extensions.get("x-fileops-dialects") else {
        return vec![default_dialect()];
    };
    let at = "/x-fileops-dialects";
    let Some(map) = table.as_object().filter(|m| !m.is_empty()) else {
        out.push(Diagnostic::error(
            at,
            "must map dialect names to their rules",
        ));
        return vec![default_dialect()];
    };
    map.iter()
        .filter_map(|(name, raw)| {
            let here = join(at, name);
            match serde_path_to_error::deserialize::<_, RawDialect>(raw) {
                Ok(d) => Some(build(name, d, &here, out)),
                Err(e) => {
                    let path = e.path().to_string().replace('.', "/");
                    let pointer = if path == "." {
                        here
                    } else {
                        format!("{here}/{path}")
                    };
                    out.push(Diagnostic::error(pointer, e.into_inner().to_string()));
                    None
                }
            }
        })
        .collect()
}

fn build(name: &str, d: RawDialect, at: &str, out: &mut Diagnostics) -> DialectDef {
    check_words(&d.formats, &FORMATS, &join(at, "formats"), out);
    check_words(
        &d.success_envelope.keys,
        &SUCCESS_KEYS,
        &format!("{at}/success-envelope/keys"),
        out,
    );
    check_words(
        &d.error_envelope.keys,
        &ERROR_KEYS,
        &format!("{at}/error-envelope/keys"),
        out,
    );
    check_words(
        &d.error_envelope.error_keys,
        &ERROR_FIELDS,
        &format!("{at}/error-envelope/error-keys"),
        out,
    );
    let has_xml = d.formats.iter().any(|f| f == "xml");
    if has_xml == d.xml_suffixes.is_empty() {
        out.push(Diagnostic::error(
            join(at, "xml-suffixes"),
            "a dialect lists `xml` in formats exactly when it has XML path suffixes",
        ));
    }
    for (list, required, key) in [
        (
            &d.success_envelope.keys,
            "response",
            "success-envelope/keys",
        ),
        (&d.error_envelope.keys, "error", "error-envelope/keys"),
        (
            &d.error_envelope.error_keys,
            "message",
            "error-envelope/error-keys",
        ),
    ] {
        if !list.iter().any(|k| k == required) {
            out.push(Diagnostic::error(
                format!("{at}/{key}"),
                format!("must include `{required}`"),
            ));
        }
    }
    if d.formats.first().map(String::as_str) != Some("json") {
        out.push(Diagnostic::error(
            join(at, "formats"),
            "every dialect speaks JSON, listed first",
        ));
    }
    DialectDef {
        name: name.to_owned(),
        title: d.title,
        formats: d.formats,
        xml_suffixes: d.xml_suffixes,
        json_suffixes: d.json_suffixes,
        nulls: nulls(d.nulls),
        escape_slash: d.escape_slash,
        success_keys: d.success_envelope.keys,
        count: match d.success_envelope.count {
            RawCount::One => "one",
            RawCount::Length => "length",
            RawCount::LengthOmitZero => "length-omit-zero",
        }
        .to_owned(),
        links: d.success_envelope.links,
        error_keys: d.error_envelope.keys,
        error_fields: d.error_envelope.error_keys,
        error_nulls: nulls(d.error_envelope.error_nulls),
        validation: match d.validation_errors {
            RawValidation::ProblemDetails => "problem-details",
            RawValidation::ErrorEnvelope => "error-envelope",
        }
        .to_owned(),
        unauthorized_status: d.unauthorized.status,
        unauthorized_content_type: d.unauthorized.content_type,
        unauthorized_also: d.unauthorized.also_content_types,
        unauthorized_body: d.unauthorized.body,
        post_status: d.post_status,
        behaviour: d.behaviour,
    }
}

fn nulls(raw: RawNulls) -> NullStyle {
    match raw {
        RawNulls::Omit => NullStyle::Omit,
        RawNulls::Write => NullStyle::Write,
    }
}

fn check_words(words: &[String], allowed: &[&str], at: &str, out: &mut Diagnostics) {
    for (i, word) in words.iter().enumerate() {
        if !allowed.contains(&word.as_str()) {
            out.push(Diagnostic::error(
                join(at, &i.to_string()),
                format!("unknown entry `{word}` (allowed: {})", allowed.join(", ")),
            ));
        }
    }
}

/// The dialect a spec without `x-fileops-dialects` gets: plain JSON in the DocSpace envelope.
fn default_dialect() -> DialectDef {
    let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    DialectDef {
        name: "default".into(),
        title: "the spec's own dialect (no x-fileops-dialects given)".into(),
        formats: words(&["json"]),
        xml_suffixes: Vec::new(),
        json_suffixes: Vec::new(),
        nulls: NullStyle::Omit,
        escape_slash: false,
        success_keys: words(&["response", "count", "links", "status", "statusCode"]),
        count: "length".into(),
        links: true,
        error_keys: words(&["error", "status", "statusCode"]),
        error_fields: words(&["message", "type", "stack", "hresult"]),
        error_nulls: NullStyle::Write,
        validation: "problem-details".into(),
        unauthorized_status: 401,
        unauthorized_content_type: None,
        unauthorized_also: Vec::new(),
        unauthorized_body: String::new(),
        post_status: 200,
        behaviour: Behaviour::default(),
    }
}
