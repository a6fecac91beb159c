//! String/int duality for enums and flag sets.
//!
//! Reading accepts the number, the numeric string and the name in any case, and keeps a
//! value the schema does not list; writing the canonical form uses the number (the dialect
//! may rewrite it, see [`crate::runtime::wire`]).

use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;
use std::fmt;

use super::dialect::Dialect;
use super::shape::{EnumShape, EnumWire};

/// A generated enum with a name and a number per variant, open to values the schema does
/// not list: upstream adds values often, and one new value must not make a whole answer
/// unreadable. An unlisted number or name is kept as received and written back unchanged.
pub trait WireEnum: Sized + Clone + 'static {
    /// The schema's description of the enum.
    const SHAPE: &'static EnumShape;
    /// Every listed variant, in schema order.
    const ALL: &'static [Self];

    /// The number: a listed variant's, or an unlisted number; `None` for an unlisted name.
    fn value(&self) -> Option<i64>;

    /// The name as the schema spells it, or an unlisted name as received; `None` for an
    /// unlisted number.
    fn wire_name(&self) -> Option<&str>;

    /// The value for a number the schema does not list.
    fn unlisted(value: i64) -> Self;

    /// The value for a name the schema does not list.
    fn unlisted_name(name: &str) -> Self;

    /// Whether the schema lists this value.
    fn is_listed(&self) -> bool {
        self.value()
            .is_some_and(|n| Self::ALL.iter().any(|v| v.value() == Some(n)))
    }

    /// The variant with this number, or the number kept as unlisted.
    fn from_value(value: i64) -> Self {
        Self::ALL
            .iter()
            .find(|v| v.value() == Some(value))
            .cloned()
            .unwrap_or_else(|| Self::unlisted(value))
    }

    /// Reads a number, a numeric string or a name (any case); anything else is kept as an
    /// unlisted name, so reading never fails.
    fn parse(text: &str) -> Self {
        let trimmed = text.trim();
        match trimmed.parse::<i64>() {
            Ok(n) => Self::from_value(n),
            Err(_) => Self::ALL
                .iter()
                .find(|v| {
                    v.wire_name()
                        .is_some_and(|n| n.eq_ignore_ascii_case(trimmed))
                })
                .cloned()
                .unwrap_or_else(|| Self::unlisted_name(trimmed)),
        }
    }
}

/// Writes an enum for people: its name, or the number when it has none.
pub fn display<E: WireEnum>(value: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match (value.wire_name(), value.value()) {
        (Some(name), _) => f.write_str(name),
        (None, Some(number)) => write!(f, "{number}"),
        (None, None) => Ok(()),
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
/// or the name for enums written as names). An unlisted value is written as it came: a
/// number as a number, a name as a name.
pub fn serialize<E: WireEnum, S: Serializer>(value: &E, serializer: S) -> Result<S::Ok, S::Error> {
    serialize_as(value, serializer, E::SHAPE.wire)
}

/// Serializes an enum in `dialect`'s wire form (the number or the name, as the dialect
/// writes this enum); an unlisted value as it came.
#[inline]
pub fn serialize_in<E: WireEnum, S: Serializer>(
    value: &E,
    serializer: S,
    dialect: &Dialect,
) -> Result<S::Ok, S::Error> {
    serialize_as(value, serializer, E::SHAPE.wire_in(dialect.name))
}

#[inline]
fn serialize_as<E: WireEnum, S: Serializer>(
    value: &E,
    serializer: S,
    wire: EnumWire,
) -> Result<S::Ok, S::Error> {
    match (wire, value.value(), value.wire_name()) {
        (EnumWire::Integer, Some(number), _) | (EnumWire::Name, Some(number), None) => {
            serializer.serialize_i64(number)
        }
        (_, _, Some(name)) => serializer.serialize_str(name),
        (_, None, None) => serializer.serialize_str(""),
    }
}

/// Deserializes an enum from a number, a numeric string or a name; an unlisted one is kept.
pub fn deserialize<'de, E: WireEnum, D: Deserializer<'de>>(deserializer: D) -> Result<E, D::Error> {
    deserializer.deserialize_any(DualVisitor(
        |text: &str| Ok(E::parse(text)),
        |n| Ok(E::from_value(n)),
        E::SHAPE,
    ))
}

/// Deserializes a flag set from a number, a numeric string or names.
pub fn deserialize_flags<'de, F: WireFlags, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<F, D::Error> {
    deserializer.deserialize_any(DualVisitor(
        |text: &str| F::parse(text),
        |n| Ok(F::from_bits(n)),
        F::SHAPE,
    ))
}

/// Reads text with the first function and numbers (without a detour through text) with the
/// second.
struct DualVisitor<P, N>(P, N, &'static EnumShape);

impl<'de, T, P, N> Visitor<'de> for DualVisitor<P, N>
where
    P: Fn(&str) -> Result<T, EnumError>,
    N: Fn(i64) -> Result<T, EnumError>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} number, numeric string or name", self.2.name)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        (self.1)(v).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        match i64::try_from(v) {
            Ok(n) => (self.1)(n).map_err(E::custom),
            Err(_) => (self.0)(&v.to_string()).map_err(E::custom),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Err(E::custom(EnumError::new(self.2, &v.to_string())))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.0)(v).map_err(E::custom)
    }
}
