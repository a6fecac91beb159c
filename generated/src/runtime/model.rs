//! The trait every generated type implements: serde plus a static shape.

use serde::de::DeserializeOwned;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

use super::dialect::Dialect;
use super::shape::{Field, Shape};
use super::wire::{writes_null, Wire};
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

    /// Whether the value is a list (counted by the dialect's list rule, not its object
    /// rule).
    fn is_list(&self) -> bool {
        false
    }

    /// The object's own `count` member, if it has one (a folder listing's page size).
    fn own_count(&self) -> Option<i64> {
        None
    }

    /// Writes the value in `dialect`'s wire form.
    ///
    /// The default hands the canonical form to the [`Wire`] adaptor, which rewrites it as
    /// `SHAPE` says. Generated structs, the containers and the scalars write directly
    /// instead: they know their fields and types, so nothing is looked up by key.
    #[inline]
    fn serialize_wire<S: Serializer>(
        &self,
        serializer: S,
        dialect: &Dialect,
    ) -> Result<S::Ok, S::Error> {
        Wire::new(self, Self::SHAPE, dialect).serialize(serializer)
    }

    /// Whether the value is null (an absent option, a JSON `null`).
    #[inline]
    fn is_null(&self) -> bool {
        false
    }
}

/// A model in one dialect's wire form, ready for any serde format.
pub struct InDialect<'a, T: ?Sized> {
    value: &'a T,
    dialect: &'a Dialect,
}

impl<'a, T: Model> InDialect<'a, T> {
    /// `value` as `dialect` writes it.
    #[inline]
    pub fn new(value: &'a T, dialect: &'a Dialect) -> Self {
        Self { value, dialect }
    }
}

impl<T: Model> Serialize for InDialect<'_, T> {
    #[inline]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize_wire(serializer, self.dialect)
    }
}

/// Writes one field of a generated struct in `dialect`'s wire form: under the dialect's key,
/// left out where the dialect lacks the field, and a null value as `null` or not at all, as
/// the dialect writes that field's nulls.
#[inline(always)]
pub fn write_field<S: SerializeStruct, T: Model>(
    out: &mut S,
    field: &'static Field,
    value: &T,
    dialect: &Dialect,
) -> Result<(), S::Error> {
    if !dialect.is_in(field.dialects) {
        return out.skip_field(field.name);
    }
    write_value(out, field, field.wire_name(dialect.name), value, dialect)
}

/// [`write_field`] for a field every dialect has under its one name (the generator knows
/// which fields those are), so nothing is looked up.
#[inline(always)]
pub fn write_common_field<S: SerializeStruct, T: Model>(
    out: &mut S,
    field: &'static Field,
    value: &T,
    dialect: &Dialect,
) -> Result<(), S::Error> {
    debug_assert!(field.dialects.is_empty() && field.wire_names.is_empty());
    write_value(out, field, field.name, value, dialect)
}

#[inline(always)]
fn write_value<S: SerializeStruct, T: Model>(
    out: &mut S,
    field: &'static Field,
    key: &'static str,
    value: &T,
    dialect: &Dialect,
) -> Result<(), S::Error> {
    // A required, non-nullable field is written as it is, even if its value is null.
    if (field.nullable || !field.required) && value.is_null() {
        return if writes_null(field, dialect) {
            out.serialize_field(key, &None::<()>)
        } else {
            out.skip_field(key)
        };
    }
    out.serialize_field(key, &InDialect::new(value, dialect))
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

    fn is_list(&self) -> bool {
        true
    }

    #[inline]
    fn serialize_wire<S: Serializer>(
        &self,
        serializer: S,
        dialect: &Dialect,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(|item| InDialect::new(item, dialect)))
    }
}

/// An optional value: its shape is the value's (whether the field may be null is the
/// field's business).
impl<T: Model> Model for Option<T> {
    const SHAPE: &'static Shape = T::SHAPE;

    /// An absent value is no items.
    fn count(&self) -> i64 {
        self.as_ref().map_or(0, T::count)
    }

    fn is_list(&self) -> bool {
        self.as_ref().is_some_and(T::is_list)
    }

    fn own_count(&self) -> Option<i64> {
        self.as_ref().and_then(T::own_count)
    }

    #[inline]
    fn serialize_wire<S: Serializer>(
        &self,
        serializer: S,
        dialect: &Dialect,
    ) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&InDialect::new(value, dialect)),
            None => serializer.serialize_none(),
        }
    }

    #[inline]
    fn is_null(&self) -> bool {
        self.as_ref().is_none_or(T::is_null)
    }
}

impl<T: Model> Model for Box<T> {
    const SHAPE: &'static Shape = T::SHAPE;

    fn count(&self) -> i64 {
        T::count(self)
    }

    fn is_list(&self) -> bool {
        T::is_list(self)
    }

    fn own_count(&self) -> Option<i64> {
        T::own_count(self)
    }

    #[inline]
    fn serialize_wire<S: Serializer>(
        &self,
        serializer: S,
        dialect: &Dialect,
    ) -> Result<S::Ok, S::Error> {
        T::serialize_wire(self, serializer, dialect)
    }

    #[inline]
    fn is_null(&self) -> bool {
        T::is_null(self)
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

    fn is_list(&self) -> bool {
        self.is_array()
    }

    fn own_count(&self) -> Option<i64> {
        self.get("count").and_then(serde_json::Value::as_i64)
    }

    /// Free-form JSON has no shape to rewrite it by: it is written as it is.
    #[inline]
    fn serialize_wire<S: Serializer>(&self, serializer: S, _: &Dialect) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }

    #[inline]
    fn is_null(&self) -> bool {
        self.is_null()
    }
}

impl<T: Model> Model for BTreeMap<String, T> {
    const SHAPE: &'static Shape = &Shape::Map(T::SHAPE);

    #[inline]
    fn serialize_wire<S: Serializer>(
        &self,
        serializer: S,
        dialect: &Dialect,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.iter()
                .map(|(key, value)| (key, InDialect::new(value, dialect))),
        )
    }
}

/// Scalars are written alike in every dialect (enums are not scalars here: they are
/// generated types with their own shape).
macro_rules! scalar_model {
    ($($ty:ty => $shape:expr),* $(,)?) => {
        $(impl Model for $ty {
            const SHAPE: &'static Shape = &$shape;

            #[inline]
            fn serialize_wire<S: Serializer>(
                &self,
                serializer: S,
                _: &Dialect,
            ) -> Result<S::Ok, S::Error> {
                self.serialize(serializer)
            }
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
