//! String/int duality for enums and flag sets.
//!
//! Reading accepts the number, the numeric string and the name in any case; writing the
//! canonical form uses the number (the dialect may rewrite it, see [`crate::runtime::wire`]).

use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;
use std::fmt;

use super::shape::{EnumShape, EnumWire};

/// A generated enum with a name and a number per variant.
pub trait WireEnum: Sized + Copy + 'static {
    /// The schema's description of the enum.
    const SHAPE: &'static EnumShape;
    /// Every variant, in schema order.
    const ALL: &'static [Self];

    /// The variant's number.
    fn value(self) -> i64;

    /// The variant's name as the schema spells it.
    fn wire_name(self) -> &'static str;

    /// The variant with this number.
    fn from_value(value: i64) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.value() == value)
    }

    /// Reads a number, a numeric string or a name (any case).
    fn parse(text: &str) -> Result<Self, EnumError> {
        let trimmed = text.trim();
        let found = match trimmed.parse::<i64>() {
            Ok(n) => Self::from_value(n),
            Err(_) => Self::ALL
                .iter()
                .copied()
                .find(|v| v.wire_name().eq_ignore_ascii_case(trimmed)),
        };
        found.ok_or_else(|| EnumError::new(Self::SHAPE, text))
    }
}

/// A generated flag set: a sum of named values.
pub trait WireFlags: Sized + Copy + 'static {
    /// The schema's description of the flags.
    const SHAPE: &'static EnumShape;

    /// Wraps raw bits.
    fn from_bits(bits: i64) -> Self;

    /// The raw bits.
    fn bits(self) -> i64;

    /// Reads a number, a numeric string, or names (any case) joined by `,` or `|`.
    fn parse(text: &str) -> Result<Self, EnumError> {
        parse_flags(Self::SHAPE, text).map(Self::from_bits)
    }
}

/// Reads a flag set against its table.
pub fn parse_flags(shape: &EnumShape, text: &str) -> Result<i64, EnumError> {
    let trimmed = text.trim();
    if let Ok(n) = trimmed.parse::<i64>() {
        return Ok(n);
    }
    trimmed
        .split([',', '|'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .try_fold(0i64, |acc, part| {
            shape
                .value_of(part)
                .map(|v| acc | v)
                .ok_or_else(|| EnumError::new(shape, text))
        })
}

/// An enum value that names no variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumError {
    /// The enum's schema name.
    pub enum_name: &'static str,
    /// The value as received.
    pub value: String,
    /// The accepted names, for the message.
    pub expected: String,
}

impl EnumError {
    /// An error for `value` read as `shape`.
    pub fn new(shape: &EnumShape, value: &str) -> Self {
        let expected = shape
            .variants
            .iter()
            .map(|(n, v)| format!("{n} ({v})"))
            .collect::<Vec<_>>()
            .join(", ");
        Self {
            enum_name: shape.name,
            value: value.to_owned(),
            expected,
        }
    }
}

impl fmt::Display for EnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a {} value (expected a number, numeric string or name of: {})",
            self.value, self.enum_name, self.expected
        )
    }
}

impl std::error::Error for EnumError {}

/// Serializes an enum in its canonical form: the schema's default wire form (the number,
/// or the name for enums written as names).
pub fn serialize<E: WireEnum, S: Serializer>(value: &E, serializer: S) -> Result<S::Ok, S::Error> {
    match E::SHAPE.wire {
        EnumWire::Integer => serializer.serialize_i64(value.value()),
        EnumWire::Name => serializer.serialize_str(value.wire_name()),
    }
}

/// Deserializes an enum from a number, a numeric string or a name.
pub fn deserialize<'de, E: WireEnum, D: Deserializer<'de>>(deserializer: D) -> Result<E, D::Error> {
    deserializer.deserialize_any(DualVisitor(|text: &str| E::parse(text), E::SHAPE))
}

/// Deserializes a flag set from a number, a numeric string or names.
pub fn deserialize_flags<'de, F: WireFlags, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<F, D::Error> {
    deserializer.deserialize_any(DualVisitor(|text: &str| F::parse(text), F::SHAPE))
}

struct DualVisitor<P>(P, &'static EnumShape);

impl<'de, T, P: Fn(&str) -> Result<T, EnumError>> Visitor<'de> for DualVisitor<P> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} number, numeric string or name", self.1.name)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        (self.0)(&v.to_string()).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        (self.0)(&v.to_string()).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Err(E::custom(EnumError::new(self.1, &v.to_string())))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.0)(v).map_err(E::custom)
    }
}
