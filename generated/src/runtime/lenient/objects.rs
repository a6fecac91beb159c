//! Objects: keys renamed to the schema's, values read per field, missing XML lists filled in.

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use std::fmt;
use std::marker::PhantomData;

use crate::runtime::shape::{ObjectShape, Shape};

use super::{Reading, Seed, Source};

/// An object with known fields.
pub(super) struct Object<'d, V> {
    pub(super) visitor: V,
    pub(super) object: &'static ObjectShape,
    pub(super) how: Reading<'d>,
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
