//! The trait every generated type implements: serde plus a static shape.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::BTreeMap;

use super::shape::Shape;
use super::{ApiDateTime, EntryId};

/// A value the codecs can read leniently and write per dialect.
///
/// Its serde form is the *canonical* one (schema key names, enums as numbers, nulls kept);
/// [`crate::runtime::wire`] turns that into a dialect's wire form and
/// [`crate::runtime::conform`] turns any accepted input back into it.
pub trait Model: Serialize + DeserializeOwned {
    /// The static description of the type.
    const SHAPE: &'static Shape;
}

impl<T: Model> Model for Vec<T> {
    const SHAPE: &'static Shape = &Shape::Array(T::SHAPE);
}

impl<T: Model> Model for Box<T> {
    const SHAPE: &'static Shape = T::SHAPE;
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
    serde_json::Value => Shape::Any,
}
