//! One-ofs: the value buffered, and read as the variant its keys (or its kind) pick.

use serde::de::{self, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

use crate::runtime::buffer::Content;
use crate::runtime::one_of;
use crate::runtime::shape::OneOfShape;

use super::{Lenient, Reading};

/// A one-of: the value is buffered, its variant chosen by its keys (or its kind), and
/// then handed to the type read as that variant's shape.
pub(super) struct OneOf<'d, V> {
    pub(super) visitor: V,
    pub(super) one: &'static OneOfShape,
    pub(super) how: Reading<'d>,
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
