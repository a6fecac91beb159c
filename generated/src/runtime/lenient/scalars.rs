//! Scalars: text coerced to the number or boolean the shape wants, and back.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The scalar a shape wants, for coercion from text and back.
#[derive(Clone, Copy)]
pub(super) enum Scalar {
    Bool,
    Integer,
    Number,
    String,
}

/// Reads a scalar, converting text to the number or boolean the shape wants (and numbers
/// or booleans to text where it wants a string), as .NET's converters do.
pub(super) struct Coerce<V> {
    visitor: V,
    want: Scalar,
}

impl<V> Coerce<V> {
    pub(super) fn new(visitor: V, want: Scalar) -> Self {
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
