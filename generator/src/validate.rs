//! Checks on the raw document that must pass before lowering: the OpenAPI version,
//! 3.1-only syntax, unique operationIds and resolvable `$ref`s.

use serde_json::Value;
use std::collections::BTreeMap;

use crate::diag::{join, Diagnostic, Diagnostics};

/// HTTP methods an OpenAPI path item may hold.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Runs every raw check.
pub fn validate(raw: &Value, out: &mut Diagnostics) {
    check_version(raw, out);
    if let Some(map) = raw.as_object() {
        for key in ["webhooks", "jsonSchemaDialect"] {
            if map.contains_key(key) {
                out.push(Diagnostic::error(
                    join("", key),
                    format!("`{key}` is OpenAPI 3.1 syntax; only 3.0.x is supported"),
                ));
            }
        }
    }
    walk(raw, raw, "", false, out);
    check_operation_ids(raw, out);
}

fn check_version(raw: &Value, out: &mut Diagnostics) {
    match raw.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => out.push(Diagnostic::error(
            "/openapi",
            format!("OpenAPI {v} is not supported; only 3.0.x is"),
        )),
        None => out.push(Diagnostic::error(
            "/openapi",
            "missing `openapi` version (3.0.x expected); is this an OpenAPI document?",
        )),
    }
}

/// Keys whose children are names chosen by the author, not keywords.
const NAME_MAPS: [&str; 13] = [
    "properties",
    "schemas",
    "responses",
    "parameters",
    "headers",
    "securitySchemes",
    "requestBodies",
    "links",
    "callbacks",
    "paths",
    "content",
    "mapping",
    "encoding",
];

/// Walks every node: dangling `$ref`s and 3.1-only keywords.
fn walk(root: &Value, node: &Value, pointer: &str, names: bool, out: &mut Diagnostics) {
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                let at = join(pointer, key);
                if !names {
                    if key.starts_with("x-")
                        || key == "example"
                        || key == "examples"
                        || key == "default"
                    {
                        continue;
                    }
                    keyword(root, key, child, &at, out);
                }
                walk(
                    root,
                    child,
                    &at,
                    !names && NAME_MAPS.contains(&key.as_str()),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(root, child, &join(pointer, &i.to_string()), false, out);
            }
        }
        _ => {}
    }
}

fn keyword(root: &Value, key: &str, value: &Value, at: &str, out: &mut Diagnostics) {
    match (key, value) {
        ("$ref", Value::String(target)) => check_ref(root, target, at, out),
        ("$ref", _) => out.push(Diagnostic::error(at, "`$ref` must be a string")),
        ("type", Value::Array(_)) => out.push(Diagnostic::error(
            at,
            "a list of types is OpenAPI 3.1 syntax; use one type and `nullable: true`",
        )),
        ("type", Value::String(t)) if t == "null" => out.push(Diagnostic::error(
            at,
            "`type: null` is OpenAPI 3.1 syntax; use `nullable: true`",
        )),
        ("const" | "$defs" | "prefixItems" | "unevaluatedProperties" | "dependentSchemas" | "$schema", _) => {
            out.push(Diagnostic::error(
                at,
                format!("`{key}` is JSON Schema 2020-12 (OpenAPI 3.1) syntax; only 3.0.x is supported"),
            ))
        }
        ("exclusiveMinimum" | "exclusiveMaximum", Value::Number(_)) => out.push(Diagnostic::error(
            at,
            format!("a numeric `{key}` is OpenAPI 3.1 syntax; in 3.0 it is a boolean beside minimum/maximum"),
        )),
        _ => {}
    }
}

/// Resolves a local `$ref`; external ones are reported as unsupported.
fn check_ref(root: &Value, target: &str, at: &str, out: &mut Diagnostics) {
    match target.strip_prefix('#') {
        Some(local) if root.pointer(local).is_some() => {}
        Some(_) => out.push(Diagnostic::error(at, "`$ref` points at nothing").with_target(target)),
        None => out.push(
            Diagnostic::error(
                at,
                "external `$ref`s are not supported; bundle the spec first",
            )
            .with_target(target),
        ),
    }
}

fn check_operation_ids(raw: &Value, out: &mut Diagnostics) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        out.push(Diagnostic::error("/paths", "missing `paths`"));
        return;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let at = join(&join("/paths", path), method);
            match op.get("operationId").and_then(Value::as_str) {
                Some(id) => {
                    if let Some(first) = seen.get(id) {
                        out.push(Diagnostic::error(
                            join(&at, "operationId"),
                            format!("operationId `{id}` is used twice (first at {first})"),
                        ));
                    } else {
                        seen.insert(id.to_owned(), at);
                    }
                }
                None => out.push(Diagnostic::warning(
                    at,
                    "no operationId; a name is made from the method and path",
                )),
            }
        }
    }
}
