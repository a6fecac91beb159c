//! Choosing the variant of a `oneOf`/`anyOf` for a value.

use super::buffer::Content;
use super::shape::{OneOfShape, Shape};

/// The index of the variant a buffered value belongs to.
pub fn pick_content(content: &Content, shape: &OneOfShape) -> Result<usize, String> {
    pick(content.keys(), shape)
}

/// The index of the variant for a value with these keys (`None`: not an object).
///
/// A variant that declares keys of its own wins when the object has one of them (any
/// case); otherwise the first variant whose kind (object or scalar) fits.
pub fn pick<'k>(
    keys: Option<impl Iterator<Item = &'k str> + Clone>,
    shape: &OneOfShape,
) -> Result<usize, String> {
    if let Some(keys) = &keys {
        let by_key = shape.variants.iter().position(|(_, _, own)| {
            own.iter()
                .any(|k| keys.clone().any(|present| present.eq_ignore_ascii_case(k)))
        });
        if let Some(index) = by_key {
            return Ok(index);
        }
    }
    pick_kind(shape, keys.is_some())
        .ok_or_else(|| format!("the value fits none of the {} variants", shape.name))
}

/// The shape a scalar of a one-of reads and writes as: its first variant that takes
/// scalars (anything, if none does).
pub fn scalar_shape(shape: &OneOfShape) -> &'static Shape {
    pick_kind(shape, false).map_or(&Shape::Any, |i| shape.variants[i].1)
}

/// The first variant whose values are objects (or are not).
pub fn pick_kind(shape: &OneOfShape, object: bool) -> Option<usize> {
    shape
        .variants
        .iter()
        .position(|(_, variant, _)| fits_kind(variant, object))
}

fn fits_kind(shape: &Shape, object: bool) -> bool {
    match shape {
        Shape::Any => true,
        Shape::OneOf(inner) => inner.variants.iter().any(|(_, s, _)| fits_kind(s, object)),
        other => other.is_object() == object,
    }
}
