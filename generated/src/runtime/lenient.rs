//! Lenient, schema-guided reading, straight from the input.
//!
//! [`Lenient`] wraps any serde deserializer (serde_json's, or the XML tree's in
//! [`super::xml::de`]) and a static [`Shape`]. The type being read asks for what its
//! canonical form holds; the adaptor takes what the sender wrote and coerces on the way:
//! keys in any case or under another dialect's name, numbers written as text, .NET
//! booleans (`True`), enum names or numbers, XML's missing empty lists. It only coerces;
//! what still does not fit is refused by the type with the path of the offending value.

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use std::fmt;
use std::marker::PhantomData;

use super::buffer::Content;
use super::dialect::{lookup, Dialect};
use super::one_of;
use super::shape::{EnumShape, ObjectShape, Shape};
use super::wire_enum::EnumError;

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

// ------------------------------------------------------------------ forwarding visitors

/// Implements the visitor methods a wrapper does not change by handing them to `$inner`.
macro_rules! forward_visits {
    ($inner:ident; $($method:ident($($ty:ty)?)),* $(,)?) => {
        $(forward_visits!(@one $inner $method $($ty)?);)*
    };
    (@one $inner:ident $method:ident $ty:ty) => {
        fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            self.$inner.$method(v)
        }
    };
    (@one $inner:ident $method:ident) => {
        fn $method<E: de::Error>(self) -> Result<Self::Value, E> {
            self.$inner.$method()
        }
    };
}

/// The compound visits (`seq`, `map`, `some`, ...) a wrapper hands on unchanged.
macro_rules! forward_compound {
    ($inner:ident) => {
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            self.$inner.visit_some(d)
        }

        fn visit_newtype_struct<D2: Deserializer<'de>>(
            self,
            d: D2,
        ) -> Result<Self::Value, D2::Error> {
            self.$inner.visit_newtype_struct(d)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            self.$inner.visit_seq(seq)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            self.$inner.visit_map(map)
        }

        fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
            self.$inner.visit_enum(data)
        }
    };
}

/// The scalar a shape wants, for coercion from text and back.
#[derive(Clone, Copy)]
enum Scalar {
    Bool,
    Integer,
    Number,
    String,
}

/// Reads a scalar, converting text to the number or boolean the shape wants (and numbers
/// or booleans to text where it wants a string), as .NET's converters do.
struct Coerce<V> {
    visitor: V,
    want: Scalar,
}

impl<V> Coerce<V> {
    fn new(visitor: V, want: Scalar) -> Self {
        Self { visitor, want }
    }
}

impl<'de, V: Visitor<'de>> Coerce<V> {
    fn text<E: de::Error>(
        self,
        text: &str,
        keep: impl FnOnce(V) -> Result<V::Value, E>,
    ) -> Result<V::Value, E> {
        match self.want {
            Scalar::Bool => match parse_bool(text.trim()) {
                Some(b) => self.visitor.visit_bool(b),
                None => keep(self.visitor),
            },
            Scalar::Integer => match text.trim().parse::<i64>() {
                Ok(n) => self.visitor.visit_i64(n),
                Err(_) => keep(self.visitor),
            },
            Scalar::Number => match text.trim().parse::<f64>() {
                Ok(n) if n.is_finite() => self.visitor.visit_f64(n),
                _ => keep(self.visitor),
            },
            Scalar::String => keep(self.visitor),
        }
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Coerce<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        match self.want {
            Scalar::String => self.visitor.visit_string(v.to_string()),
            _ => self.visitor.visit_i64(v),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        match self.want {
            Scalar::String => self.visitor.visit_string(v.to_string()),
            _ => self.visitor.visit_u64(v),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        match (self.want, serde_json::Number::from_f64(v)) {
            (Scalar::String, Some(n)) => self.visitor.visit_string(n.to_string()),
            _ => self.visitor.visit_f64(v),
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        match self.want {
            Scalar::String => self.visitor.visit_str(if v { "true" } else { "false" }),
            _ => self.visitor.visit_bool(v),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.text(v, |visitor| visitor.visit_str(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.text(v, |visitor| visitor.visit_borrowed_str(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        match self.want {
            Scalar::String => self.visitor.visit_string(v),
            _ => self.text(&v, |visitor| visitor.visit_str(&v)),
        }
    }

    forward_visits! { visitor;
        visit_i8(i8), visit_i16(i16), visit_i32(i32), visit_i128(i128), visit_u8(u8),
        visit_u16(u16), visit_u32(u32), visit_u128(u128), visit_f32(f32), visit_char(char),
        visit_bytes(&[u8]), visit_byte_buf(Vec<u8>), visit_none(), visit_unit(),
    }
    forward_compound!(visitor);
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

/// Reads an enum: a listed number or name passes; an unlisted one maps to the dialect's
/// default where it has one, is refused in a request, and is kept otherwise.
struct EnumValue<'d, V> {
    visitor: V,
    shape: &'static EnumShape,
    how: Reading<'d>,
}

impl<'de, V: Visitor<'de>> EnumValue<'_, V> {
    /// The listed number `text` stands for, or the dialect's default for an unlisted one.
    fn listed(&self, text: &str) -> Option<i64> {
        let trimmed = text.trim();
        match trimmed.parse::<i64>() {
            Ok(n) => self.listed_number(n),
            Err(_) => self.shape.value_of(trimmed).or_else(|| self.fallback()),
        }
    }

    /// The number if listed, or the dialect's default for an unlisted one.
    fn listed_number(&self, n: i64) -> Option<i64> {
        self.shape.name_of(n).map(|_| n).or_else(|| self.fallback())
    }

    fn fallback(&self) -> Option<i64> {
        self.how
            .dialect
            .and_then(|d| lookup(self.shape.unknown_by_dialect, d))
            .and_then(|name| self.shape.value_of(name))
    }

    fn read<E: de::Error>(
        self,
        text: &str,
        keep: impl FnOnce(V) -> Result<V::Value, E>,
    ) -> Result<V::Value, E> {
        let listed = self.listed(text);
        self.settle(listed, text, keep)
    }

    fn settle<E: de::Error>(
        self,
        listed: Option<i64>,
        text: &str,
        keep: impl FnOnce(V) -> Result<V::Value, E>,
    ) -> Result<V::Value, E> {
        match listed {
            Some(n) => self.visitor.visit_i64(n),
            None if self.how.request => Err(E::custom(EnumError::new(self.shape, text))),
            None => keep(self.visitor),
        }
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for EnumValue<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        match self.listed_number(v) {
            Some(n) => self.visitor.visit_i64(n),
            None => self.settle(None, &v.to_string(), |visitor| visitor.visit_i64(v)),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        match i64::try_from(v) {
            Ok(n) => self.visit_i64(n),
            Err(_) => self.read(&v.to_string(), |visitor| visitor.visit_u64(v)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.read(v, |visitor| visitor.visit_str(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.read(v, |visitor| visitor.visit_borrowed_str(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.visit_str(&v)
    }

    forward_visits! { visitor;
        visit_bool(bool), visit_i8(i8), visit_i16(i16), visit_i32(i32), visit_i128(i128),
        visit_u8(u8), visit_u16(u16), visit_u32(u32), visit_u128(u128), visit_f32(f32),
        visit_f64(f64), visit_char(char), visit_bytes(&[u8]), visit_byte_buf(Vec<u8>),
        visit_none(), visit_unit(),
    }
    forward_compound!(visitor);
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

// ------------------------------------------------------------------ lists and maps

/// A list's items or a map's values, each read as the item shape (a map's keys as they
/// are): the visitor wrapper and, once the input is reached, the access wrapper.
struct Each<'d, X> {
    inner: X,
    item: &'static Shape,
    how: Reading<'d>,
}

impl<'d, X> Each<'d, X> {
    fn around<Y>(&self, inner: Y) -> Each<'d, Y> {
        Each {
            inner,
            item: self.item,
            how: self.how,
        }
    }

    fn seed<S>(&self, seed: S) -> Seed<'d, S> {
        Seed {
            seed,
            shape: self.item,
            how: self.how,
        }
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Each<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let items = self.around(seq);
        self.inner.visit_seq(items)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let entries = self.around(map);
        self.inner.visit_map(entries)
    }

    forward_visits! { inner;
        visit_bool(bool), visit_i64(i64), visit_u64(u64), visit_f64(f64), visit_str(&str),
        visit_string(String), visit_none(), visit_unit(),
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Each<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        if self.how.request && matches!(self.item, Shape::EntryId) {
            return self.next_id(seed);
        }
        let seed = self.seed(seed);
        self.inner.next_element_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: SeqAccess<'de>> Each<'_, A> {
    /// The next id of a requested id list: values that are neither numbers nor text are
    /// skipped, as DocSpace's `GetIds` skips them silently (reference §2a). Community
    /// Server's binding never sees them: its values are all text.
    fn next_id<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        while let Some(item) = self.inner.next_element::<Content>()? {
            if matches!(
                item,
                Content::I64(_) | Content::U64(_) | Content::F64(_) | Content::Str(_)
            ) {
                let value = IntoDeserializer::<A::Error>::into_deserializer(item);
                return seed
                    .deserialize(Lenient::new(value, self.item, self.how))
                    .map(Some);
            }
        }
        Ok(None)
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Each<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.inner.next_key_seed(seed)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let seed = self.seed(seed);
        self.inner.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

// ------------------------------------------------------------------ objects

/// An object with known fields.
struct Object<'d, V> {
    visitor: V,
    object: &'static ObjectShape,
    how: Reading<'d>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Object<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor
            .visit_map(FieldAccess::new(map, self.object, self.how))
    }

    forward_visits! { visitor;
        visit_bool(bool), visit_i64(i64), visit_u64(u64), visit_f64(f64), visit_str(&str),
        visit_string(String), visit_none(), visit_unit(),
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(seq)
    }
}

/// What the last key was.
enum Current {
    /// The field at this index.
    Field(usize),
    /// A key the shape does not know (the type ignores it).
    Unknown,
    /// A list field the XML did not write: it reads as empty.
    MissingList,
}

/// The entries of an object, keys renamed to the schema's, values read per field.
pub struct FieldAccess<'d, A> {
    inner: A,
    object: &'static ObjectShape,
    how: Reading<'d>,
    current: Current,
    /// Where the next field is expected: senders write fields in schema order, so the
    /// lookup is one comparison in the usual case.
    next: usize,
    /// Fields seen, for XML (where an empty list is not written at all).
    seen: Vec<bool>,
    /// Once the input is exhausted, the next field to check for a missing list.
    missing_from: Option<usize>,
}

impl<'d, A> FieldAccess<'d, A> {
    fn new(inner: A, object: &'static ObjectShape, how: Reading<'d>) -> Self {
        let seen = match how.source {
            Source::Xml => vec![false; object.fields.len()],
            Source::Json => Vec::new(),
        };
        Self {
            inner,
            object,
            how,
            current: Current::Unknown,
            next: 0,
            seen,
            missing_from: None,
        }
    }

    fn missing_list<'de, K: DeserializeSeed<'de>, E: de::Error>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, E> {
        let from = self.missing_from.unwrap_or(0);
        let found = (from..self.object.fields.len()).find(|&i| {
            !self.seen.get(i).copied().unwrap_or(true)
                && matches!(self.object.fields[i].shape, Shape::Array(_))
        });
        let Some(index) = found else {
            self.missing_from = Some(self.object.fields.len());
            return Ok(None);
        };
        self.missing_from = Some(index + 1);
        self.current = Current::MissingList;
        let name = self.object.fields[index].name;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(name))
            .map(Some)
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for FieldAccess<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if self.missing_from.is_some() {
            return self.missing_list(seed);
        }
        let Some(key) = self.inner.next_key_seed(KeySeed)? else {
            if self.seen.is_empty() {
                return Ok(None);
            }
            return self.missing_list(seed);
        };
        let Some(index) = self.object.position(key.as_str(), self.next) else {
            self.current = Current::Unknown;
            return key.deserialize_with(seed).map(Some);
        };
        self.current = Current::Field(index);
        self.next = index + 1;
        if let Some(seen) = self.seen.get_mut(index) {
            *seen = true;
        }
        let name = self.object.fields[index].name;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        match self.current {
            Current::Field(index) => self.inner.next_value_seed(Seed {
                seed,
                shape: self.object.fields[index].shape,
                how: self.how,
            }),
            Current::Unknown => self.inner.next_value_seed(seed),
            Current::MissingList => seed.deserialize(EmptyList(PhantomData)),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A key as the input spelled it, borrowed where the input allows.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> Key<'de> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }

    fn deserialize_with<K: DeserializeSeed<'de>, E: de::Error>(
        self,
        seed: K,
    ) -> Result<K::Value, E> {
        match self {
            Key::Borrowed(s) => seed.deserialize(de::value::BorrowedStrDeserializer::new(s)),
            Key::Owned(s) => seed.deserialize(s.into_deserializer()),
        }
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_string()))
    }
}

/// The value of a list field the XML left out: an empty list (or `Some` of one).
struct EmptyList<E>(PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for EmptyList<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_seq(de::value::SeqDeserializer::new(std::iter::empty::<()>()))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

// ------------------------------------------------------------------ one-ofs

/// A one-of: the value is buffered, its variant chosen by its keys (or its kind), and
/// then handed to the type read as that variant's shape.
struct OneOf<'d, V> {
    visitor: V,
    one: &'static super::shape::OneOfShape,
    how: Reading<'d>,
}

impl<'de, V: Visitor<'de>> OneOf<'_, V> {
    /// Hands a scalar to the type as the scalar variant reads it.
    fn scalar<E: de::Error>(self, content: Content) -> Result<V::Value, E> {
        let shape = one_of::scalar_shape(self.one);
        Lenient::new(content.into_deserializer(), shape, self.how).deserialize_any(self.visitor)
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for OneOf<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let content = Content::from_map(map)?;
        let index = one_of::pick_content(&content, self.one).map_err(de::Error::custom)?;
        let shape = self.one.variants[index].1;
        Lenient::new(content.into_deserializer(), shape, self.how).deserialize_any(self.visitor)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.scalar(Content::I64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.scalar(Content::U64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.scalar(Content::F64(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.scalar(Content::Bool(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.scalar(Content::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.scalar(Content::Str(v))
    }

    forward_visits! { visitor; visit_none(), visit_unit() }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(seq)
    }
}
