//! Merging two projections of one family in different readings of its open facts into one
//! document that accepts what either describes.
//!
//! The merge follows the document's structure: operations, statuses and media types are
//! united, and where two schemas differ the union is pushed down to the node that differs
//! (a property's type, an enum's values, a `required` list), so that readings of different
//! facts combine: a server showing one fact's second reading and another fact's second
//! reading fits too. Where a node cannot be united keyword by keyword, it becomes an
//! `anyOf` of both. A response documented without a body in one reading and with one in
//! the other is documented without a body, the body under `x-content-if-any`: standard tools
//! then accept either answer, and the judge holds a body to that content.

use serde_json::{json, Map, Value};

/// Adds what `other` documents to `doc`.
pub fn merge(doc: &mut Value, other: &Value) {
    if let (Some(paths), Some(theirs)) = (
        doc.get_mut("paths").and_then(Value::as_object_mut),
        other.get("paths").and_then(Value::as_object),
    ) {
        unite(paths, theirs, |item, their| {
            unite_objects(item, their, operation)
        });
    }
    if let (Some(schemas), Some(theirs)) = (
        doc.pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut),
        other
            .pointer("/components/schemas")
            .and_then(Value::as_object),
    ) {
        unite(schemas, theirs, |mine, their| *mine = schema(mine, their));
    }
}

/// Adds `theirs`' entries to `mine`, merging those both have with `both`.
fn unite(
    mine: &mut Map<String, Value>,
    theirs: &Map<String, Value>,
    both: impl Fn(&mut Value, &Value),
) {
    for (key, their) in theirs {
        match mine.get_mut(key) {
            Some(value) => both(value, their),
            None => {
                mine.insert(key.clone(), their.clone());
            }
        }
    }
}

fn unite_objects(mine: &mut Value, theirs: &Value, both: fn(&mut Value, &Value)) {
    if let (Some(mine), Some(theirs)) = (mine.as_object_mut(), theirs.as_object()) {
        unite(mine, theirs, both);
    }
}

/// One operation (under one method): security and responses united.
fn operation(mine: &mut Value, theirs: &Value) {
    if let Some(security) = theirs.get("security").and_then(Value::as_array) {
        let held = mine.as_object_mut().map(|m| {
            m.entry("security")
                .or_insert_with(|| json!([{"Token": []}]))
        });
        if let Some(Value::Array(held)) = held {
            for requirement in security {
                if !held.contains(requirement) {
                    held.push(requirement.clone());
                }
            }
        }
    }
    if let (Some(responses), Some(theirs)) = (
        mine.get_mut("responses").and_then(Value::as_object_mut),
        theirs.get("responses").and_then(Value::as_object),
    ) {
        unite(responses, theirs, response);
    }
}

/// One response: media types united. Where one reading answers with a body and another
/// without, the body moves to `x-content-if-any`: OpenAPI cannot say "no body, or this one",
/// and documenting the body would make standard tools refuse the empty answer.
fn response(mine: &mut Value, theirs: &Value) {
    let Some(mine) = mine.as_object_mut() else {
        return;
    };
    let optional = mine.contains_key(OPTIONAL)
        || theirs.get(OPTIONAL).is_some()
        || mine.contains_key("content") != theirs.get("content").is_some();
    let mut content = json!({});
    for key in ["content", OPTIONAL] {
        if let Some(held) = mine.remove(key) {
            unite_content(&mut content, &held);
        }
        if let Some(their) = theirs.get(key) {
            unite_content(&mut content, their);
        }
    }
    if content.as_object().is_some_and(|c| !c.is_empty()) {
        let key = if optional { OPTIONAL } else { "content" };
        mine.insert(key.into(), content);
    }
}

/// The extension holding a body that some reading leaves out.
const OPTIONAL: &str = "x-content-if-any";

/// Adds `theirs`' media types to `mine`, uniting the schemas of those both have.
fn unite_content(mine: &mut Value, theirs: &Value) {
    if let (Some(content), Some(their)) = (mine.as_object_mut(), theirs.as_object()) {
        unite(content, their, |media, their| {
            if let (Some(schema), Some(their)) = (media.get("schema").cloned(), their.get("schema"))
            {
                media["schema"] = self::schema(&schema, their);
            }
        });
    }
}

/// A schema that accepts what either does.
pub fn schema(a: &Value, b: &Value) -> Value {
    if a == b {
        return a.clone();
    }
    if let (Some(ma), Some(mb)) = (a.as_object(), b.as_object()) {
        let plain = |m: &Map<String, Value>| !m.contains_key("anyOf") && !m.contains_key("$ref");
        if plain(ma) && plain(mb) && ma.get("type") == mb.get("type") {
            if let Some(merged) = keywords(ma, mb) {
                return Value::Object(merged);
            }
        }
    }
    let mut alternatives = alternatives_of(a);
    for alternative in alternatives_of(b) {
        if !alternatives.contains(&alternative) {
            alternatives.push(alternative);
        }
    }
    json!({"anyOf": alternatives})
}

/// The schemas an `anyOf` holds, or the schema itself.
fn alternatives_of(a: &Value) -> Vec<Value> {
    match a.as_object() {
        Some(m) if m.len() == 1 && m.contains_key("anyOf") => {
            m["anyOf"].as_array().cloned().unwrap_or_default()
        }
        _ => vec![a.clone()],
    }
}

/// Two schemas of the same type united keyword by keyword, or `None` where a keyword cannot
/// be.
fn keywords(a: &Map<String, Value>, b: &Map<String, Value>) -> Option<Map<String, Value>> {
    // Objects of different keys are different things (an error envelope and a success
    // envelope): alternatives, not one schema accepting a mixture.
    let keys = |m: &Map<String, Value>| {
        m.get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect::<Vec<_>>())
    };
    if keys(a) != keys(b) {
        return None;
    }
    let mut out = Map::new();
    let keys: Vec<&String> = a
        .keys()
        .chain(b.keys().filter(|k| !a.contains_key(*k)))
        .collect();
    for key in keys {
        let merged = match (a.get(key), b.get(key)) {
            (Some(x), Some(y)) if x == y => Some(x.clone()),
            (Some(x), Some(y)) => Some(both(key, x, y)?),
            (Some(x), None) | (None, Some(x)) => one_side(key, x)?,
            (None, None) => None,
        };
        if let Some(value) = merged {
            out.insert(key.clone(), value);
        }
    }
    Some(out)
}

/// A keyword both schemas have with different values.
fn both(key: &str, x: &Value, y: &Value) -> Option<Value> {
    // Integers stay integers (`minimum: 0`, not `0.0`).
    let bound = |pick: fn(f64, f64) -> f64| -> Option<Value> {
        match (x.as_i64(), y.as_i64()) {
            (Some(a), Some(b)) => Some(json!(pick(a as f64, b as f64) as i64)),
            _ => Some(json!(pick(x.as_f64()?, y.as_f64()?))),
        }
    };
    Some(match key {
        "properties" => {
            let (mut x, y) = (x.as_object()?.clone(), y.as_object()?);
            unite(&mut x, y, |p, q| *p = schema(p, q));
            Value::Object(x)
        }
        "items" | "additionalProperties" if x.is_object() && y.is_object() => schema(x, y),
        "required" => {
            let y = y.as_array()?;
            let kept: Vec<Value> = x
                .as_array()?
                .iter()
                .filter(|k| y.contains(k))
                .cloned()
                .collect();
            Value::Array(kept)
        }
        "enum" | "x-enum-varnames" => {
            let mut values = x.as_array()?.clone();
            for v in y.as_array()? {
                if !values.contains(v) {
                    values.push(v.clone());
                }
            }
            Value::Array(values)
        }
        "minimum" | "minLength" | "minItems" => bound(f64::min)?,
        "maximum" | "maxLength" | "maxItems" => bound(f64::max)?,
        "nullable" => json!(x.as_bool()? || y.as_bool()?),
        "description" | "title" => x.clone(),
        _ => return None,
    })
}

/// A keyword only one schema has: `Some(None)` drops it (the other schema does without it),
/// `None` means the schemas cannot be united keyword by keyword.
fn one_side(key: &str, x: &Value) -> Option<Option<Value>> {
    match key {
        "required" | "enum" | "x-enum-varnames" | "minimum" | "maximum" | "minLength"
        | "maxLength" | "minItems" | "maxItems" | "pattern" | "format" => Some(None),
        "nullable" => Some(x.as_bool().filter(|n| *n).map(Value::Bool)),
        "type" | "$ref" | "anyOf" | "oneOf" | "allOf" | "items" => None,
        _ => Some(Some(x.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_united_where_they_are() {
        let a = json!({"type": "object", "required": ["a", "b"], "properties": {
            "a": {"type": "integer", "enum": [1]},
            "b": {"type": "string", "nullable": true},
        }});
        let b = json!({"type": "object", "required": ["a"], "properties": {
            "a": {"type": "integer", "enum": [2]},
            "b": {"type": "string"},
        }});
        assert_eq!(
            schema(&a, &b),
            json!({"type": "object", "required": ["a"], "properties": {
                "a": {"type": "integer", "enum": [1, 2]},
                "b": {"type": "string", "nullable": true},
            }})
        );
        let other_keys = json!({"type": "object", "properties": {"c": {"type": "boolean"}}});
        assert_eq!(schema(&a, &other_keys), json!({"anyOf": [a, other_keys]}));
    }

    #[test]
    fn schemas_of_other_types_become_alternatives() {
        let a = json!({"type": "integer"});
        let b = json!({"type": "string"});
        let c = json!({"type": "boolean"});
        let ab = schema(&a, &b);
        assert_eq!(ab, json!({"anyOf": [a, b]}));
        assert_eq!(schema(&ab, &c), json!({"anyOf": [a, b, c]}));
        assert_eq!(schema(&ab, &a), ab);
    }

    #[test]
    fn statuses_and_bodies_are_united() {
        let mut doc = json!({"paths": {"/x": {"get": {
            "responses": {"401": {"description": "d"}, "200": {"description": "ok"}},
        }}}});
        let other = json!({"paths": {"/x": {"get": {
            "security": [{}, {"Token": []}],
            "responses": {
                "401": {"description": "d", "content": {"application/json": {"schema": {"type": "object"}}}},
                "403": {"description": "no"},
            },
        }}}});
        merge(&mut doc, &other);
        let op = &doc["paths"]["/x"]["get"];
        assert_eq!(op["security"], json!([{"Token": []}, {}]));
        assert!(op["responses"]["401"].get("content").is_none());
        assert!(op["responses"]["401"]["x-content-if-any"]["application/json"].is_object());
        assert!(op["responses"]["403"].is_object());
        // Merging the same again changes nothing.
        let once = doc.clone();
        merge(&mut doc, &other);
        assert_eq!(doc, once);
    }
}
