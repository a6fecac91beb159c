//! OpenAPI 3.0.3 schemas to JSON Schema (draft 7).
//!
//! The converted document is one JSON value: `definitions` holds every component schema,
//! `nullables` the same components with `null` allowed (so a nullable `$ref` stays a plain
//! `$ref` and its errors stay precise instead of collapsing into one `anyOf` error), and
//! `responses` the documented response schemas, addressed by index.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

/// A private keyword left on integer enums that name a value domain (an enum component or
/// an enum with `x-enum-varnames`): `{"name": ..., "names": [...]}`. JSON Schema ignores
/// unknown keywords, so it only feeds messages and the fail/warn decision.
pub(super) const ENUM_MARK: &str = "x-judge-enum";

const REF_PREFIX: &str = "#/components/schemas/";

/// Keywords copied as they are: they mean the same in OpenAPI 3.0 and draft 7.
const COPIED: &[&str] = &[
    "required",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "minProperties",
    "maxProperties",
];

/// Builds the converted document; `responses` are the response schemas in the order the
/// caller addresses them (`#/responses/{index}`).
pub(super) fn document(components: &Map<String, Value>, responses: &[&Value]) -> Value {
    let mut definitions = Map::new();
    let mut nullables = Map::new();
    for (name, schema) in components {
        definitions.insert(name.clone(), convert(schema, &Context::component(name)));
        let nullable = Context {
            nullable: true,
            ..Context::component(name)
        };
        nullables.insert(name.clone(), convert(schema, &nullable));
    }
    let responses: Vec<Value> = responses
        .iter()
        .map(|schema| convert(schema, &Context::inline()))
        .collect();
    json!({"definitions": definitions, "nullables": nullables, "responses": responses})
}

/// Where a schema sits, for naming enum domains.
#[derive(Clone)]
struct Context {
    /// `Component` or `Component.property...`; empty for inline response schemas.
    name: String,
    /// Whether the schema is the whole component (an enum there names its domain).
    top: bool,
    /// Whether `null` is allowed whatever the schema says (the `nullables` copies).
    nullable: bool,
}

impl Context {
    fn component(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            top: true,
            nullable: false,
        }
    }

    fn inline() -> Self {
        Self {
            name: String::new(),
            top: false,
            nullable: false,
        }
    }

    /// The context of a subschema that is the same value (allOf/anyOf member, `not`).
    fn same(&self) -> Self {
        Self {
            nullable: false,
            ..self.clone()
        }
    }

    fn child(&self, property: &str) -> Self {
        let name = if self.name.is_empty() {
            property.to_owned()
        } else {
            format!("{}.{property}", self.name)
        };
        Self {
            name,
            top: false,
            nullable: false,
        }
    }

    fn items(&self) -> Self {
        Self {
            top: false,
            ..self.same()
        }
    }
}

/// Converts one OpenAPI schema.
fn convert(schema: &Value, ctx: &Context) -> Value {
    let Some(map) = schema.as_object() else {
        // A boolean schema means the same in both.
        return schema.clone();
    };
    let nullable = ctx.nullable || map.get("nullable") == Some(&Value::Bool(true));
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        return reference_schema(map, reference, nullable, ctx);
    }
    if let Some(target) = single_all_of_ref(map).filter(|_| nullable) {
        // `allOf: [$ref]` + `nullable` is OpenAPI 3.0's way to say "this type or null".
        return json!({"$ref": nullable_ref(target)});
    }
    let mut out = Map::new();
    keywords(map, ctx, &mut out);
    allow_null(nullable, out)
}

/// A `$ref`, with its siblings kept as an `allOf` (draft 7 ignores siblings of `$ref`).
fn reference_schema(
    map: &Map<String, Value>,
    reference: &str,
    nullable: bool,
    ctx: &Context,
) -> Value {
    let target = if nullable {
        nullable_ref(reference)
    } else {
        rewrite_ref(reference)
    };
    let mut rest = Map::new();
    let without_ref: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| k.as_str() != "$ref")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    keywords(&without_ref, &ctx.same(), &mut rest);
    if rest.is_empty() {
        json!({"$ref": target})
    } else {
        json!({"allOf": [{"$ref": target}, Value::Object(rest)]})
    }
}

fn rewrite_ref(reference: &str) -> String {
    match reference.strip_prefix(REF_PREFIX) {
        Some(rest) => format!("#/definitions/{rest}"),
        None => reference.to_owned(),
    }
}

/// The nullable copy of a component, or the plain target when it is not a whole component.
fn nullable_ref(reference: &str) -> String {
    match reference.strip_prefix(REF_PREFIX) {
        Some(name) if !name.contains('/') => format!("#/nullables/{name}"),
        _ => rewrite_ref(reference),
    }
}

fn single_all_of_ref(map: &Map<String, Value>) -> Option<&str> {
    let all_of = map.get("allOf")?.as_array()?;
    let constraint = map
        .keys()
        .any(|k| k != "allOf" && k != "nullable" && !ignored(k));
    match all_of.as_slice() {
        [only] if !constraint => only.get("$ref")?.as_str(),
        _ => None,
    }
}

/// Keywords with no meaning for validation.
fn ignored(key: &str) -> bool {
    key.starts_with("x-")
        || matches!(
            key,
            "xml"
                | "example"
                | "examples"
                | "description"
                | "title"
                | "default"
                | "discriminator"
                | "readOnly"
                | "writeOnly"
                | "deprecated"
                | "externalDocs"
        )
}

/// Copies and converts the validating keywords of `map` into `out`.
fn keywords(map: &Map<String, Value>, ctx: &Context, out: &mut Map<String, Value>) {
    for key in COPIED {
        if let Some(v) = map.get(*key) {
            out.insert((*key).to_owned(), v.clone());
        }
    }
    for key in ["type", "enum"] {
        if let Some(v) = map.get(key) {
            out.insert(key.to_owned(), v.clone());
        }
    }
    exclusive_bounds(map, out);
    integer_format_bounds(map, out);
    subschemas(map, ctx, out);
    enum_mark(map, ctx, out);
}

/// OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` become draft 7's numbers.
fn exclusive_bounds(map: &Map<String, Value>, out: &mut Map<String, Value>) {
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match map.get(flag) {
            Some(Value::Bool(true)) => {
                if let Some(limit) = out.remove(bound) {
                    out.insert(flag.to_owned(), limit);
                }
            }
            Some(Value::Number(n)) => {
                out.insert(flag.to_owned(), Value::Number(n.clone()));
            }
            _ => {}
        }
    }
}

/// `format: int32`/`int64` on an integer is a range (JSON Schema ignores these formats).
fn integer_format_bounds(map: &Map<String, Value>, out: &mut Map<String, Value>) {
    let (min, max) = match map.get("format").and_then(Value::as_str) {
        Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
        Some("int64") => (i64::MIN, i64::MAX),
        _ => return,
    };
    if map.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    if !out.contains_key("minimum") && !out.contains_key("exclusiveMinimum") {
        out.insert("minimum".into(), min.into());
    }
    if !out.contains_key("maximum") && !out.contains_key("exclusiveMaximum") {
        out.insert("maximum".into(), max.into());
    }
}

fn subschemas(map: &Map<String, Value>, ctx: &Context, out: &mut Map<String, Value>) {
    if let Some(Value::Object(properties)) = map.get("properties") {
        let converted: Map<String, Value> = properties
            .iter()
            .map(|(name, s)| (name.clone(), convert(s, &ctx.child(name))))
            .collect();
        out.insert("properties".into(), Value::Object(converted));
    }
    if let Some(items) = map.get("items") {
        out.insert("items".into(), convert(items, &ctx.items()));
    }
    match map.get("additionalProperties") {
        Some(Value::Bool(b)) => {
            out.insert("additionalProperties".into(), Value::Bool(*b));
        }
        Some(schema @ Value::Object(_)) => {
            out.insert("additionalProperties".into(), convert(schema, &ctx.items()));
        }
        _ => {}
    }
    if let Some(not) = map.get("not") {
        out.insert("not".into(), convert(not, &ctx.same()));
    }
    if let Some(all_of) = list(map, "allOf", ctx) {
        out.insert("allOf".into(), all_of);
    }
    unions(map, ctx, out);
}

/// `oneOf` is judged as `anyOf`: the projected variants may overlap (objects whose keys are
/// all optional), and a server cannot be wrong because two variants of ours both fit.
fn unions(map: &Map<String, Value>, ctx: &Context, out: &mut Map<String, Value>) {
    let any_of = list(map, "anyOf", ctx);
    let one_of = list(map, "oneOf", ctx);
    match (any_of, one_of) {
        (Some(a), Some(o)) => {
            let all = out
                .entry("allOf")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(members) = all {
                members.push(json!({"anyOf": a}));
                members.push(json!({"anyOf": o}));
            }
        }
        (Some(u), None) | (None, Some(u)) => {
            out.insert("anyOf".into(), u);
        }
        (None, None) => {}
    }
}

fn list(map: &Map<String, Value>, key: &str, ctx: &Context) -> Option<Value> {
    let members = map.get(key)?.as_array()?;
    Some(Value::Array(
        members.iter().map(|m| convert(m, &ctx.same())).collect(),
    ))
}

/// Marks an integer enum that names a domain, for the fail/warn decision on unknown values.
///
/// Its name is its `title` if it has one, else the component's name for a whole enum
/// component, else `Component.property` for an inline enum with `x-enum-varnames`.
fn enum_mark(map: &Map<String, Value>, ctx: &Context, out: &mut Map<String, Value>) {
    let Some(values) = map.get("enum").and_then(Value::as_array) else {
        return;
    };
    if !values.iter().all(|v| v.is_i64() || v.is_null()) {
        return;
    }
    let names = map.get("x-enum-varnames").cloned();
    let title = map.get("title").and_then(Value::as_str);
    let name = title.unwrap_or(&ctx.name);
    if !(title.is_some() || ctx.top || names.is_some()) || name.is_empty() {
        return;
    }
    out.insert(
        ENUM_MARK.into(),
        json!({"name": name, "names": names.unwrap_or(Value::Array(Vec::new()))}),
    );
}

/// Adds the values of every marked enum in a converted document to `known`, by name.
pub(super) fn marked_enums(node: &Value, known: &mut BTreeMap<String, BTreeSet<i64>>) {
    match node {
        Value::Object(map) => {
            let name = map
                .get(ENUM_MARK)
                .and_then(|m| m.get("name"))
                .and_then(Value::as_str);
            let values = map.get("enum").and_then(Value::as_array);
            if let (Some(name), Some(values)) = (name, values) {
                known
                    .entry(name.to_owned())
                    .or_default()
                    .extend(values.iter().filter_map(Value::as_i64));
            }
            map.values().for_each(|child| marked_enums(child, known));
        }
        Value::Array(items) => items.iter().for_each(|child| marked_enums(child, known)),
        _ => {}
    }
}

/// Lets `null` through a converted schema: in `type` and `enum` where they exist, else by
/// wrapping the schema in `anyOf: [schema, {type: null}]`.
fn allow_null(nullable: bool, mut out: Map<String, Value>) -> Value {
    if !nullable {
        return Value::Object(out);
    }
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    match out.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            out.insert("type".into(), json!([t, "null"]));
        }
        Some(Value::Array(types)) if !types.contains(&json!("null")) => types.push(json!("null")),
        _ => {}
    }
    // `type` and `enum` now take null; unions, `allOf` and `not` would still refuse it, so
    // those need the wrapper. A schema with no constraint at all takes null already.
    let composite = ["anyOf", "allOf", "not"]
        .iter()
        .any(|k| out.contains_key(*k));
    if !composite {
        return Value::Object(out);
    }
    json!({"anyOf": [Value::Object(out), {"type": "null"}]})
}
