//! A value held in memory while a one-of's variant is chosen by its keys.
//!
//! Only one-ofs buffer (a variant can be told only once its keys are known); every other
//! value is read straight from the input.

use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// A buffered value, in the serde data model's terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// `null`, unit, or XML's `<x />`.
    Unit,
    /// A boolean.
    Bool(bool),
    /// A signed integer.
    I64(i64),
    /// An unsigned integer beyond `i64`.
    U64(u64),
    /// A floating-point number.
    F64(f64),
    /// Text.
    Str(String),
    /// A list.
    Seq(Vec<Content>),
    /// An object's entries in input order.
    Map(Vec<(String, Content)>),
}

impl Content {
    /// Buffers the rest of a map.
    pub fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(entry) = map.next_entry::<String, Content>()? {
            entries.push(entry);
        }
        Ok(Content::Map(entries))
    }

    /// The keys, if this is an object.
    pub fn keys(&self) -> Option<impl Iterator<Item = &str> + Clone> {
        match self {
            Content::Map(entries) => Some(entries.iter().map(|(k, _)| k.as_str())),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Content {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ContentVisitor)
    }
}

struct ContentVisitor;

impl<'de> Visitor<'de> for ContentVisitor {
    type Value = Content;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Content, E> {
        Ok(Content::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Content, E> {
        Ok(Content::I64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Content, E> {
        Ok(i64::try_from(v).map_or(Content::U64(v), Content::I64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Content, E> {
        Ok(Content::F64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Content, E> {
        Ok(Content::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Content, E> {
        Ok(Content::Str(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Content, E> {
        Ok(Content::Unit)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Content, E> {
        Ok(Content::Unit)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Content, D::Error> {
        Content::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Content, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Content::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Content, A::Error> {
        Content::from_map(map)
    }
}

/// Reads a buffered value back.
pub struct ContentDeserializer<E> {
    content: Content,
    error: PhantomData<E>,
}

impl<E> IntoDeserializer<'_, E> for Content
where
    E: de::Error,
{
    type Deserializer = ContentDeserializer<E>;

    fn into_deserializer(self) -> ContentDeserializer<E> {
        ContentDeserializer {
            content: self,
            error: PhantomData,
        }
    }
}

impl<'de, E: de::Error> Deserializer<'de> for ContentDeserializer<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.content {
            Content::Unit => visitor.visit_unit(),
            Content::Bool(v) => visitor.visit_bool(v),
            Content::I64(v) => visitor.visit_i64(v),
            Content::U64(v) => visitor.visit_u64(v),
            Content::F64(v) => visitor.visit_f64(v),
            Content::Str(v) => visitor.visit_string(v),
            Content::Seq(items) => {
                visitor.visit_seq(de::value::SeqDeserializer::new(items.into_iter()))
            }
            Content::Map(entries) => {
                visitor.visit_map(de::value::MapDeserializer::new(entries.into_iter()))
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.content {
            Content::Unit => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffered_value_reads_back_as_it_came() {
        let text = r#"{"a":1,"b":[true,null,"x"],"c":{"d":-2.5},"e":18446744073709551615}"#;
        let content: Content = serde_json::from_str(text).expect("buffers");
        assert_eq!(
            content.keys().expect("an object").collect::<Vec<_>>(),
            ["a", "b", "c", "e"]
        );
        let back = serde_json::Value::deserialize(
            IntoDeserializer::<serde_json::Error>::into_deserializer(content),
        )
        .expect("reads back");
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(text).expect("json")
        );
    }
}
