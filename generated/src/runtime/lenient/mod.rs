//! Lenient, schema-guided reading, straight from the input.
//!
//! [`Lenient`] wraps any serde deserializer (serde_json's, or the XML tree's in
//! [`super::xml::de`]) and a static [`Shape`]. The type being read asks for what its
//! canonical form holds; the adaptor takes what the sender wrote and coerces on the way:
//! keys in any case or under another dialect's name, numbers written as text, .NET
//! booleans (`True`), enum names or numbers, XML's missing empty lists. It only coerces;
//! what still does not fit is refused by the type with the path of the offending value.

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use std::fmt;

use super::dialect::Dialect;
use super::shape::Shape;

// First, so that its macros are in scope in the modules after it.
#[macro_use]
mod forward;

mod collections;
mod enums;
mod objects;
mod one_ofs;
mod scalars;

use collections::Each;
use enums::EnumValue;
use objects::Object;
use one_ofs::OneOf;
use scalars::{Coerce, Scalar};

pub use objects::FieldAccess;
pub use scalars::parse_bool;

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A JSON document.
    Json,
    /// An XML document or name-value pairs: every leaf is text and an empty list is not
    /// written at all.
    Xml,
}

/// How to read.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'d> {
    /// Where the value came from.
    pub source: Source,
    /// The dialect that wrote it, if known (for its unknown-enum defaults).
    pub dialect: Option<&'d Dialect>,
    /// Whether this is a request: a server refuses an enum value the schema does not list,
    /// as upstream's binding does, where a client keeps it.
    pub request: bool,
}

impl<'d> Reading<'d> {
    /// Reading an answer (or any document) from `source`.
    pub fn answer(source: Source, dialect: Option<&'d Dialect>) -> Self {
        Self {
            source,
            dialect,
            request: false,
        }
    }

    /// Reading a request from `source` for `dialect`.
    pub fn request(source: Source, dialect: &'d Dialect) -> Self {
        Self {
            source,
            dialect: Some(dialect),
            request: true,
        }
    }
}

/// A deserializer that reads `inner` as a value of `shape`, leniently.
pub struct Lenient<'d, D> {
    inner: D,
    shape: &'static Shape,
    how: Reading<'d>,
}

impl<'d, D> Lenient<'d, D> {
    /// Wraps `inner`, whose value should have `shape`.
    pub fn new(inner: D, shape: &'static Shape, how: Reading<'d>) -> Self {
        Self { inner, shape, how }
    }
}

/// A seed that reads its value through [`Lenient`].
struct Seed<'d, S> {
    seed: S,
    shape: &'static Shape,
    how: Reading<'d>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, inner: D) -> Result<S::Value, D::Error> {
        self.seed
            .deserialize(Lenient::new(inner, self.shape, self.how))
    }
}

impl<'de, D: Deserializer<'de>> Lenient<'_, D> {
    /// Reads what the shape says, whatever the type asked for (it asks for its canonical
    /// form, which the shape describes).
    fn typed<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let Lenient { inner, shape, how } = self;
        match shape {
            Shape::Bool => inner.deserialize_any(Coerce::new(visitor, Scalar::Bool)),
            Shape::Integer => inner.deserialize_any(Coerce::new(visitor, Scalar::Integer)),
            Shape::Number => inner.deserialize_any(Coerce::new(visitor, Scalar::Number)),
            Shape::String => inner.deserialize_any(Coerce::new(visitor, Scalar::String)),
            Shape::Enum(e) if !e.flags => inner.deserialize_any(EnumValue {
                visitor,
                shape: e,
                how,
            }),
            Shape::Array(item) => inner.deserialize_seq(Each {
                inner: visitor,
                item,
                how,
            }),
            Shape::Map(item) => inner.deserialize_map(Each {
                inner: visitor,
                item,
                how,
            }),
            Shape::Object(object) => inner.deserialize_map(Object {
                visitor,
                object,
                how,
            }),
            Shape::OneOf(one) => inner.deserialize_any(OneOf { visitor, one, how }),
            Shape::EntryId | Shape::Date | Shape::Any | Shape::Enum(_) => {
                inner.deserialize_any(visitor)
            }
        }
    }
}

macro_rules! typed {
    ($($method:ident),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.typed(visitor)
        })*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Lenient<'_, D> {
    type Error = D::Error;

    typed! {
        deserialize_any, deserialize_bool, deserialize_i8, deserialize_i16, deserialize_i32,
        deserialize_i64, deserialize_i128, deserialize_u8, deserialize_u16, deserialize_u32,
        deserialize_u64, deserialize_u128, deserialize_f32, deserialize_f64, deserialize_char,
        deserialize_str, deserialize_string, deserialize_bytes, deserialize_byte_buf,
        deserialize_unit, deserialize_seq, deserialize_map, deserialize_identifier,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let (shape, how) = (self.shape, self.how);
        self.inner.deserialize_option(Optional {
            visitor,
            shape,
            how,
        })
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.typed(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.typed(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.typed(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.typed(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_ignored_any(visitor)
    }
}
/// An `Option`: null is `None`, anything else the shape's value.
struct Optional<'d, V> {
    visitor: V,
    shape: &'static Shape,
    how: Reading<'d>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Optional<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<V::Value, D2::Error> {
        self.visitor
            .visit_some(Lenient::new(d, self.shape, self.how))
    }
}
