//! Choosing the variant of a `oneOf`/`anyOf` for a value.

use serde_json::Value;

use super::shape::{OneOfShape, Shape};

/// The index of the variant `value` belongs to.
///
/// A variant that declares keys of its own wins when the object has one of them (any
/// case); otherwise the first variant whose kind (object or scalar) fits.
pub fn pick(value: &Value, shape: &OneOfShape) -> Result<usize, String> {
    if let Value::Object(map) = value {
        let by_key = shape.variants.iter().position(|(_, _, keys)| {
            keys.iter()
                .any(|k| map.keys().any(|present| present.eq_ignore_ascii_case(k)))
        });
        if let Some(index) = by_key {
            return Ok(index);
        }
    }
    let wants_object = value.is_object();
    shape
        .variants
        .iter()
        .position(|(_, variant, _)| fits_kind(variant, wants_object))
        .ok_or_else(|| format!("the value fits none of the {} variants", shape.name))
}

fn fits_kind(shape: &Shape, object: bool) -> bool {
    match shape {
        Shape::Any => true,
        Shape::OneOf(inner) => inner.variants.iter().any(|(_, s, _)| fits_kind(s, object)),
        other => other.is_object() == object,
    }
}
