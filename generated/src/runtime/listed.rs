//! What a server accepts in a request: every enum value one the schema lists.
//!
//! Reading answers keeps an unlisted value (a newer server's), but a request is the caller's
//! to get right: upstream refuses an enum it cannot bind with 400, so the server glue refuses
//! an unlisted value too, naming the field.

use serde_json::Value;

use super::error::{push_pointer, DecodeError};
use super::one_of;
use super::shape::Shape;
use super::wire_enum::EnumError;

/// The first enum value in a canonical `value` of `shape` that the schema does not list.
pub fn check(value: &Value, shape: &Shape, at: &str) -> Result<(), DecodeError> {
    match (shape, value) {
        (Shape::Enum(e), Value::Number(n)) if !e.flags => {
            let listed = n.as_i64().and_then(|n| e.name_of(n)).is_some();
            unlisted(listed, at, || EnumError::new(e, &n.to_string()))
        }
        (Shape::Enum(e), Value::String(s)) if !e.flags => {
            unlisted(e.value_of(s.trim()).is_some(), at, || EnumError::new(e, s))
        }
        (Shape::Array(item), Value::Array(items)) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check(v, item, &push_pointer(at, &i.to_string()))),
        (Shape::Map(item), Value::Object(map)) => map
            .iter()
            .try_for_each(|(k, v)| check(v, item, &push_pointer(at, k))),
        (Shape::Object(obj), Value::Object(map)) => map.iter().try_for_each(|(k, v)| {
            obj.field(k)
                .map_or(Ok(()), |f| check(v, f.shape, &push_pointer(at, k)))
        }),
        (Shape::OneOf(one), v) => match one_of::pick(v, one) {
            Ok(index) => check(v, one.variants[index].1, at),
            Err(_) => Ok(()),
        },
        _ => Ok(()),
    }
}

fn unlisted(listed: bool, at: &str, error: impl FnOnce() -> EnumError) -> Result<(), DecodeError> {
    if listed {
        Ok(())
    } else {
        Err(DecodeError::new(at, error().to_string()))
    }
}
