//! Entry points: read and write models and envelopes in JSON or XML for a dialect.
//!
//! Writing serializes the value in its dialect form ([`Model::serialize_wire`]) straight
//! into the output format; reading deserializes straight from the input through
//! [`Lenient`]. Neither builds an intermediate value.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::dialect::{Dialect, Format};
use super::envelope::{Answer, AnswerKind, ErrorEnvelope, ErrorIn, Success, SuccessIn};
use super::error::{DecodeError, EncodeError};
use super::lenient::{Lenient, Reading, Source};
use super::model::{InDialect, Model};
use super::shape::Shape;
use super::{json, xml};

/// The root element of Workspace XML answers.
pub const XML_ROOT: &str = "result";

/// A model in `dialect`'s wire form, as a JSON value (for building query strings and for
/// checks; the codecs write [`InDialect`] directly).
pub fn to_wire_value<T: Model>(
    value: &T,
    dialect: &Dialect,
) -> Result<serde_json::Value, EncodeError> {
    serde_json::to_value(InDialect::new(value, dialect)).map_err(EncodeError::from)
}

/// A model as `dialect` writes it in JSON (for request bodies and bare payloads).
pub fn encode_json<T: Model>(value: &T, dialect: &Dialect) -> Result<String, EncodeError> {
    json::to_string(&InDialect::new(value, dialect), dialect)
}

/// Reads a model from JSON leniently (any-case keys, enum names or numbers, numeric strings).
pub fn decode_json<T: Model>(body: &[u8], dialect: Option<&Dialect>) -> Result<T, DecodeError> {
    decode(body, Format::Json, dialect)
}

/// Reads a bare model (no envelope) from JSON or XML leniently; XML's root element holds
/// the value.
pub fn decode<T: Model>(
    body: &[u8],
    format: Format,
    dialect: Option<&Dialect>,
) -> Result<T, DecodeError> {
    read(
        body,
        format,
        T::SHAPE,
        Reading::answer(source(format), dialect),
    )
}

/// Reads a JSON request body as a server does: leniently, but an enum value the schema
/// does not list is refused, naming the field (upstream's binding answers 400).
pub fn decode_request_json<T: Model>(body: &[u8], dialect: &Dialect) -> Result<T, DecodeError> {
    read_json(body, T::SHAPE, Reading::request(Source::Json, dialect))
}

/// Writes a success envelope in `format`.
pub fn encode_success<T: Model>(
    success: &Success<T>,
    dialect: &Dialect,
    format: Format,
) -> Result<String, EncodeError> {
    write(&success.wire(dialect), dialect, format)
}

/// Writes an error envelope in `format`.
pub fn encode_error(
    error: &ErrorEnvelope,
    dialect: &Dialect,
    format: Format,
) -> Result<String, EncodeError> {
    write(&error.wire(dialect), dialect, format)
}

/// Reads a success envelope.
pub fn decode_success<T: Model>(
    body: &[u8],
    format: Format,
    dialect: Option<&Dialect>,
) -> Result<Success<T>, DecodeError> {
    let how = Reading::answer(source(format), dialect);
    read::<SuccessIn<T>>(body, format, SuccessIn::<T>::SHAPE, how)?.into_success()
}

/// Reads an error envelope.
pub fn decode_error(
    body: &[u8],
    format: Format,
    dialect: Option<&Dialect>,
) -> Result<ErrorEnvelope, DecodeError> {
    let how = Reading::answer(source(format), dialect);
    read::<ErrorIn>(body, format, ErrorIn::SHAPE, how)?.into_error()
}

/// Reads whichever envelope the body holds: an `error` key or `status` 1 means an error.
pub fn decode_answer<T: Model>(
    body: &[u8],
    format: Format,
    dialect: Option<&Dialect>,
) -> Result<Answer<T>, DecodeError> {
    let how = Reading::answer(source(format), dialect);
    // The kind is known only once every key is seen, so a first pass reads just that.
    let kind: AnswerKind = read(body, format, AnswerKind::SHAPE, how)?;
    if kind.is_error() {
        decode_error(body, format, dialect).map(Answer::Error)
    } else {
        decode_success(body, format, dialect).map(Answer::Success)
    }
}

fn write<S: Serialize>(
    value: &S,
    dialect: &Dialect,
    format: Format,
) -> Result<String, EncodeError> {
    match format {
        Format::Json => json::to_string(value, dialect),
        Format::Xml => xml::to_string(XML_ROOT, value).map_err(|e| EncodeError::new(e.to_string())),
    }
}

fn source(format: Format) -> Source {
    match format {
        Format::Json => Source::Json,
        Format::Xml => Source::Xml,
    }
}

/// Reads a value of `shape` from a JSON or XML body.
pub(crate) fn read<T: DeserializeOwned>(
    body: &[u8],
    format: Format,
    shape: &'static Shape,
    how: Reading<'_>,
) -> Result<T, DecodeError> {
    match format {
        Format::Json => read_json(body, shape, how),
        Format::Xml => {
            let text = std::str::from_utf8(body)
                .map_err(|e| DecodeError::new("", format!("the XML body is not UTF-8: {e}")))?;
            let tree = xml::tree::Tree::parse(text)?;
            read_with(|| xml::de::root(&tree), shape, how, "")
        }
    }
}

/// Reads a value of `shape` from JSON text.
pub(crate) fn read_json<T: DeserializeOwned>(
    body: &[u8],
    shape: &'static Shape,
    how: Reading<'_>,
) -> Result<T, DecodeError> {
    match std::str::from_utf8(body) {
        // Checked once as a whole, the text is not checked again string by string.
        Ok(text) => read_json_from(|| serde_json::Deserializer::from_str(text), shape, how),
        // serde_json says where the bad bytes are.
        Err(_) => read_json_from(|| serde_json::Deserializer::from_slice(body), shape, how),
    }
}

fn read_json_from<'de, R: serde_json::de::Read<'de>, T: DeserializeOwned>(
    reader: impl Fn() -> serde_json::Deserializer<R>,
    shape: &'static Shape,
    how: Reading<'_>,
) -> Result<T, DecodeError> {
    let mut input = reader();
    // Tracking the path costs as much as the leniency; it is paid only to locate an error,
    // by reading the body a second time.
    match T::deserialize(Lenient::new(&mut input, shape, how)) {
        Ok(value) => {
            input.end().map_err(|e| json::malformed(&e))?;
            Ok(value)
        }
        Err(_) => {
            let mut again = reader();
            let error =
                serde_path_to_error::deserialize::<_, T>(Lenient::new(&mut again, shape, how))
                    .err()
                    .map(json::error);
            Err(error.unwrap_or_else(|| {
                DecodeError::new(
                    "",
                    "the body could not be read (a second reading succeeded)",
                )
            }))
        }
    }
}

/// Reads a value of `shape` from a buffered value (request parameters), errors located
/// under `prefix`.
#[cfg(feature = "server")]
pub(crate) fn read_content<T: DeserializeOwned>(
    content: super::buffer::Content,
    shape: &'static Shape,
    how: Reading<'_>,
    prefix: &str,
) -> Result<T, DecodeError> {
    // Request parameters are a few values: tracked in the one reading, not read twice.
    read_located(
        serde::de::IntoDeserializer::<DecodeError>::into_deserializer(content),
        shape,
        how,
        prefix,
    )
}

/// Reads a value of `shape` from an input whose errors are [`DecodeError`]s and that
/// `input` can make twice (an XML element), errors located under `prefix`.
///
/// As for JSON, the path is tracked only on a second reading, made to locate an error.
pub(crate) fn read_with<'de, T: DeserializeOwned, D>(
    input: impl Fn() -> D,
    shape: &'static Shape,
    how: Reading<'_>,
    prefix: &str,
) -> Result<T, DecodeError>
where
    D: serde::Deserializer<'de, Error = DecodeError>,
{
    let first = match T::deserialize(Lenient::new(input(), shape, how)) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    match read_located::<T, D>(input(), shape, how, prefix) {
        Err(located) => Err(located),
        // Not expected (the input is read the same way twice): the first error, unlocated.
        Ok(_) => Err(DecodeError::new(prefix, first.message)),
    }
}

/// Reads a value of `shape`, tracking the path so that an error names where it is (under
/// `prefix`).
fn read_located<'de, T: DeserializeOwned, D>(
    input: D,
    shape: &'static Shape,
    how: Reading<'_>,
    prefix: &str,
) -> Result<T, DecodeError>
where
    D: serde::Deserializer<'de, Error = DecodeError>,
{
    serde_path_to_error::deserialize(Lenient::new(input, shape, how)).map_err(|e| {
        let pointer = format!("{prefix}{}", super::error::pointer_of(e.path()));
        DecodeError::new(pointer, e.into_inner().message)
    })
}
