//! The trait every generated type implements: serde plus a static shape.

use serde::de::DeserializeOwned;
use serde::ser::SerializeStruct;
use serde::Serialize;
use std::collections::BTreeMap;

use super::shape::Shape;
use super::{ApiDateTime, EntryId};

/// A value the codecs can read leniently and write per dialect.
///
/// Its serde form is the *canonical* one (schema key names, enums as numbers, absent
/// optional values left out);
/// [`crate::runtime::wire`] writes it in a dialect's wire form and
/// [`crate::runtime::lenient`] reads any accepted input into it, both guided by `SHAPE`.
pub trait Model: Serialize + DeserializeOwned {
    /// The static description of the type.
    const SHAPE: &'static Shape;

    /// How many items the value is, for an envelope's `count`: a list's length, else 1.
    fn count(&self) -> i64 {
        1
    }
}

/// Writes one optional field of a generated struct: its value, or, when absent, a skipped
/// field (the wire writer turns that into `null` where the dialect writes the field's nulls).
pub fn write_optional<S: SerializeStruct, T: Serialize>(
    out: &mut S,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    match value {
        Some(value) => out.serialize_field(key, value),
        None => out.skip_field(key),
    }
}

impl<T: Model> Model for Vec<T> {
    const SHAPE: &'static Shape = &Shape::Array(T::SHAPE);

    fn count(&self) -> i64 {
        i64::try_from(self.len()).unwrap_or(i64::MAX)
    }
}

impl<T: Model> Model for Box<T> {
    const SHAPE: &'static Shape = T::SHAPE;

    fn count(&self) -> i64 {
        T::count(self)
    }
}

impl Model for serde_json::Value {
    const SHAPE: &'static Shape = &Shape::Any;

    fn count(&self) -> i64 {
        match self {
            serde_json::Value::Array(items) => i64::try_from(items.len()).unwrap_or(i64::MAX),
            serde_json::Value::Null => 0,
            _ => 1,
        }
    }
}

impl<T: Model> Model for BTreeMap<String, T> {
    const SHAPE: &'static Shape = &Shape::Map(T::SHAPE);
}

macro_rules! scalar_model {
    ($($ty:ty => $shape:expr),* $(,)?) => {
        $(impl Model for $ty {
            const SHAPE: &'static Shape = &$shape;
        })*
    };
}

scalar_model! {
    bool => Shape::Bool,
    i32 => Shape::Integer,
    i64 => Shape::Integer,
    f64 => Shape::Number,
    String => Shape::String,
    EntryId => Shape::EntryId,
    ApiDateTime => Shape::Date,
}
