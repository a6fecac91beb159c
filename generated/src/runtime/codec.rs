//! Entry points: read and write models and envelopes in JSON or XML for a dialect.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::conform::{conform, Reading, Source};
use super::dialect::{Dialect, Format};
use super::envelope::{Answer, ErrorEnvelope, Success};
use super::error::{push_pointer, DecodeError};
use super::model::Model;
use super::{json, wire, xml};

/// The root element of Workspace XML answers.
pub const XML_ROOT: &str = "result";

/// A model in `dialect`'s wire form, as a JSON value.
pub fn to_wire_value<T: Model>(value: &T, dialect: &Dialect) -> Value {
    let canonical = serde_json::to_value(value).unwrap_or(Value::Null);
    wire::to_wire(canonical, T::SHAPE, dialect)
}

/// A model as `dialect` writes it in JSON (for request bodies and bare payloads).
pub fn encode_json<T: Model>(value: &T, dialect: &Dialect) -> String {
    json::write(&to_wire_value(value, dialect), dialect)
}

/// Reads a model from JSON leniently (any-case keys, enum names or numbers, numeric strings).
pub fn decode_json<T: Model>(body: &[u8], dialect: Option<&Dialect>) -> Result<T, DecodeError> {
    let value = json::read(body)?;
    let how = Reading {
        source: Source::Json,
        dialect,
    };
    from_canonical(conform(value, T::SHAPE, how), "")
}

/// Writes a success envelope in `format`.
pub fn encode_success<T: Model>(success: &Success<T>, dialect: &Dialect, format: Format) -> String {
    write_value(&success.to_wire(dialect), dialect, format)
}

/// Writes an error envelope in `format`.
pub fn encode_error(error: &ErrorEnvelope, dialect: &Dialect, format: Format) -> String {
    write_value(&error.to_wire(dialect), dialect, format)
}

/// Reads a success envelope, schema-guided for XML.
pub fn decode_success<T: Model>(
    body: &[u8],
    format: Format,
    dialect: Option<&Dialect>,
) -> Result<Success<T>, DecodeError> {
    let (value, how) = read_value(body, format, dialect)?;
    Success::from_wire(value, how)
}

/// Reads an error envelope.
pub fn decode_error(
    body: &[u8],
    format: Format,
    dialect: Option<&Dialect>,
) -> Result<ErrorEnvelope, DecodeError> {
    let (value, how) = read_value(body, format, dialect)?;
    ErrorEnvelope::from_wire(value, how)
}

/// Reads whichever envelope the body holds.
pub fn decode_answer<T: Model>(
    body: &[u8],
    format: Format,
    dialect: Option<&Dialect>,
) -> Result<Answer<T>, DecodeError> {
    let (value, how) = read_value(body, format, dialect)?;
    Answer::from_wire(value, how)
}

fn write_value(value: &Value, dialect: &Dialect, format: Format) -> String {
    match format {
        Format::Json => json::write(value, dialect),
        Format::Xml => xml::write(XML_ROOT, value),
    }
}

fn read_value<'d>(
    body: &[u8],
    format: Format,
    dialect: Option<&'d Dialect>,
) -> Result<(Value, Reading<'d>), DecodeError> {
    match format {
        Format::Json => Ok((
            json::read(body)?,
            Reading {
                source: Source::Json,
                dialect,
            },
        )),
        Format::Xml => {
            let text = std::str::from_utf8(body)
                .map_err(|e| DecodeError::new("", format!("the XML body is not UTF-8: {e}")))?;
            let (_root, value) = xml::read(text)?;
            Ok((
                value,
                Reading {
                    source: Source::Xml,
                    dialect,
                },
            ))
        }
    }
}

/// Deserializes a canonical value of a request: an enum value the schema does not list is
/// refused (see [`super::listed`]), everything else as [`from_canonical`].
#[cfg(feature = "server")]
pub(crate) fn from_request<T: Model>(value: Value, prefix: &str) -> Result<T, DecodeError> {
    super::listed::check(&value, T::SHAPE, prefix)?;
    from_canonical(value, prefix)
}

/// Deserializes a canonical value, reporting the failing value's JSON pointer.
pub(crate) fn from_canonical<T: DeserializeOwned>(
    value: Value,
    prefix: &str,
) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = e.path().iter().fold(prefix.to_owned(), |acc, segment| {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => push_pointer(&acc, &index.to_string()),
                Segment::Map { key } => push_pointer(&acc, key),
                Segment::Enum { variant } => push_pointer(&acc, variant),
                Segment::Unknown => acc,
            }
        });
        DecodeError::new(pointer, e.into_inner().to_string())
    })
}
