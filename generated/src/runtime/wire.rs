//! Writing per dialect: turns the canonical serde form into a dialect's wire form
//! (key names, dialect-only fields, nulls, enum forms).

use serde_json::{Map, Value};

use super::dialect::{lookup, Dialect, NullStyle};
use super::one_of;
use super::shape::{EnumWire, ObjectShape, Shape};

/// Rewrites a canonical value of `shape` into `dialect`'s wire form.
pub fn to_wire(value: Value, shape: &Shape, dialect: &Dialect) -> Value {
    match (shape, value) {
        (Shape::Object(obj), Value::Object(map)) => object_to_wire(map, obj, dialect),
        (Shape::Array(item), Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|v| to_wire(v, item, dialect))
                .collect(),
        ),
        (Shape::Map(item), Value::Object(map)) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, to_wire(v, item, dialect)))
                .collect(),
        ),
        (Shape::OneOf(one), v) => match one_of::pick(&v, one) {
            Ok(index) => to_wire(v, one.variants[index].1, dialect),
            Err(_) => v,
        },
        (Shape::Enum(e), v) if !e.flags => {
            let wire = lookup(e.wire_by_dialect, dialect)
                .copied()
                .unwrap_or(e.wire);
            let number = match &v {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => e.value_of(s),
                _ => None,
            };
            match (wire, number) {
                (EnumWire::Name, Some(n)) => e
                    .name_of(n)
                    .map_or(v, |name| Value::String(name.to_owned())),
                (EnumWire::Integer, Some(n)) => Value::Number(n.into()),
                _ => v,
            }
        }
        (_, v) => v,
    }
}

fn object_to_wire(map: Map<String, Value>, obj: &ObjectShape, dialect: &Dialect) -> Value {
    let mut out = Map::with_capacity(map.len());
    for (key, value) in map {
        let Some(field) = obj.field(&key) else {
            out.insert(key, value);
            continue;
        };
        if !dialect.is_in(field.dialects) {
            continue;
        }
        if value.is_null() && !(field.nullable && dialect.nulls == NullStyle::Write) {
            continue;
        }
        out.insert(
            field.wire_name(dialect.name).to_owned(),
            to_wire(value, field.shape, dialect),
        );
    }
    Value::Object(out)
}
