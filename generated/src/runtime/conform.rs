//! Lenient, schema-guided reading: turns what a server or client sent (JSON, or XML as
//! grouped by [`crate::runtime::xml::read`]) into the canonical form serde reads.
//!
//! It only coerces; it never rejects. What still does not fit is reported by serde with
//! the path of the offending value.

use serde_json::{Map, Number, Value};

use super::dialect::{lookup, Dialect};
use super::one_of;
use super::shape::{EnumShape, ObjectShape, Shape};

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A JSON document.
    Json,
    /// An XML document: every element's children are grouped by name into arrays of
    /// occurrences, leaves are text, `<x />` is null.
    Xml,
}

/// How to read: the source kind and, when known, the dialect (for unknown-enum defaults).
#[derive(Debug, Clone, Copy)]
pub struct Reading<'d> {
    /// Where the value came from.
    pub source: Source,
    /// The dialect that wrote it, if known.
    pub dialect: Option<&'d Dialect>,
}

/// Coerces `value` towards `shape`.
pub fn conform(value: Value, shape: &Shape, how: Reading<'_>) -> Value {
    match (shape, value) {
        (_, Value::Null) => Value::Null,
        (Shape::Bool, Value::String(s)) => parse_bool(&s).map_or(Value::String(s), Value::Bool),
        (Shape::Integer, Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map_or(Value::String(s), |n| Value::Number(n.into())),
        (Shape::Number, Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or(Value::String(s), Value::Number),
        (Shape::String, Value::Number(n)) => Value::String(n.to_string()),
        (Shape::String, Value::Bool(b)) => Value::String(b.to_string()),
        (Shape::Enum(e), v) => conform_enum(v, e, how),
        (Shape::Array(item), Value::Array(items)) => {
            Value::Array(items.into_iter().map(|v| conform(v, item, how)).collect())
        }
        (Shape::Array(item), v) if how.source == Source::Xml => {
            Value::Array(vec![conform(v, item, how)])
        }
        (Shape::Map(item), Value::Object(map)) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, conform(unwrap_single(v, how), item, how)))
                .collect(),
        ),
        (Shape::Object(obj), Value::Object(map)) => conform_object(map, obj, how),
        (Shape::OneOf(one), v) => match one_of::pick(&v, one) {
            Ok(index) => conform(v, one.variants[index].1, how),
            Err(_) => v,
        },
        (Shape::Any, v) if how.source == Source::Xml => xml_to_plain(v),
        (_, v) => v,
    }
}

fn conform_object(map: Map<String, Value>, obj: &ObjectShape, how: Reading<'_>) -> Value {
    let mut out = Map::with_capacity(map.len());
    for (key, value) in map {
        match obj.field(&key) {
            Some(field) => {
                let value = match how.source {
                    Source::Json => value,
                    Source::Xml => xml_occurrences(value, field.shape, field.nullable),
                };
                out.insert(field.name.to_owned(), conform(value, field.shape, how));
            }
            None => {
                let value = match how.source {
                    Source::Json => value,
                    Source::Xml => xml_to_plain(value),
                };
                out.entry(key).or_insert(value);
            }
        }
    }
    if how.source == Source::Xml {
        // Newtonsoft writes nothing for an empty array, so a missing list is an empty one.
        for field in obj.fields {
            if matches!(field.shape, Shape::Array(_)) && !out.contains_key(field.name) {
                out.insert(field.name.to_owned(), Value::Array(Vec::new()));
            }
        }
    }
    Value::Object(out)
}

/// Turns the occurrences of one XML element name into the value a field of `shape` holds.
pub fn xml_occurrences(value: Value, shape: &Shape, nullable: bool) -> Value {
    let Value::Array(mut occurrences) = value else {
        return value;
    };
    match shape {
        Shape::Array(_) if nullable && occurrences.len() == 1 && occurrences[0].is_null() => {
            Value::Null
        }
        Shape::Array(_) => Value::Array(occurrences),
        _ => occurrences.pop().unwrap_or(Value::Null),
    }
}

fn unwrap_single(value: Value, how: Reading<'_>) -> Value {
    match (how.source, value) {
        (Source::Xml, Value::Array(mut items)) if items.len() == 1 => items.remove(0),
        (_, v) => v,
    }
}

/// Turns a grouped XML value into plain JSON (single occurrences unwrapped).
fn xml_to_plain(value: Value) -> Value {
    match value {
        Value::Array(mut items) if items.len() == 1 => xml_to_plain(items.remove(0)),
        Value::Array(items) => Value::Array(items.into_iter().map(xml_to_plain).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, xml_to_plain(v))).collect())
        }
        v => v,
    }
}

fn conform_enum(value: Value, shape: &EnumShape, how: Reading<'_>) -> Value {
    if shape.flags {
        return value;
    }
    let text = match &value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return value,
    };
    let known = match text.trim().parse::<i64>() {
        Ok(n) => shape.name_of(n).map(|_| n),
        Err(_) => shape.value_of(text.trim()),
    };
    let fallback = || {
        how.dialect
            .and_then(|d| lookup(shape.unknown_by_dialect, d))
            .and_then(|name| shape.value_of(name))
    };
    match known.or_else(fallback) {
        Some(n) => Value::Number(n.into()),
        None => value,
    }
}

/// Reads a boolean the way .NET's `bool.Parse` does (`true`, `True`, `TRUE`...).
pub fn parse_bool(text: &str) -> Option<bool> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}
