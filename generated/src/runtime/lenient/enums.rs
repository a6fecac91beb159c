//! Enums: a listed number or name, or the dialect's fallback for an unlisted one.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

use crate::runtime::dialect::lookup;
use crate::runtime::shape::EnumShape;
use crate::runtime::wire_enum::EnumError;

use super::Reading;

/// Reads an enum: a listed number or name passes; an unlisted one maps to the dialect's
/// default where it has one, is refused in a request, and is kept otherwise.
pub(super) struct EnumValue<'d, V> {
    pub(super) visitor: V,
    pub(super) shape: &'static EnumShape,
    pub(super) how: Reading<'d>,
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
