//! Success and error envelopes, written and read per dialect.

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

use super::dialect::{
    CountRule, Dialect, ErrorField, ErrorKey, NullStyle, ObjectCount, SuccessKey, ValidationStyle,
};
use super::error::{DecodeError, EncodeError};
use super::model::{InDialect, Model};
use super::shape::{Field, ObjectShape, Shape};
use fileops_vocabulary::Word;

/// A link in the DocSpace success envelope: the request itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Link {
    /// The request address.
    #[serde(default)]
    pub href: String,
    /// The request method.
    #[serde(default)]
    pub action: String,
}

/// What went wrong, as the error envelope's `error` object says it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ApiError {
    /// The exception message (may be localised).
    #[serde(default)]
    pub message: String,
    /// The exception type, when the server shows it.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The stack trace, when the server shows it.
    #[serde(default)]
    pub stack: Option<String>,
    /// The exception's HRESULT.
    #[serde(default)]
    pub hresult: i64,
    /// Extra data (Workspace; usually empty).
    #[serde(default)]
    pub data: Option<Map<String, Value>>,
}

impl ApiError {
    /// An error with just a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            ..Self::default()
        }
    }
}

/// RFC 9110 problem details, as DocSpace answers a binding failure.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProblemDetails {
    /// A link describing the problem kind.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// A summary for people.
    #[serde(default)]
    pub title: Option<String>,
    /// The HTTP status.
    #[serde(default)]
    pub status: Option<i64>,
    /// Messages per offending field.
    #[serde(default)]
    pub errors: BTreeMap<String, Vec<String>>,
    /// The request's trace id.
    #[serde(default, rename = "traceId")]
    pub trace_id: Option<String>,
}

macro_rules! field {
    ($name:literal, $shape:expr) => {
        Field {
            name: $name,
            wire_names: &[],
            dialects: &[],
            nullable: true,
            required: false,
            shape: $shape,
        }
    };
}

/// Reads an optional integer field of an envelope (any case, text or number).
macro_rules! int_field {
    ($name:literal) => {
        field!($name, &Shape::Integer)
    };
}

static LINK_SHAPE: Shape = Shape::Object(&ObjectShape {
    name: "Link",
    fields: &[
        field!("href", &Shape::String),
        field!("action", &Shape::String),
    ],
});

static API_ERROR_SHAPE: Shape = Shape::Object(&ObjectShape {
    name: "ApiError",
    fields: &[
        field!("message", &Shape::String),
        field!("type", &Shape::String),
        field!("stack", &Shape::String),
        field!("hresult", &Shape::Integer),
        field!("data", &Shape::Any),
    ],
});

static PROBLEM_SHAPE: Shape = Shape::Object(&ObjectShape {
    name: "ProblemDetails",
    fields: &[
        field!("type", &Shape::String),
        field!("title", &Shape::String),
        field!("status", &Shape::Integer),
        field!("errors", &Shape::Map(&Shape::Array(&Shape::String))),
        field!("traceId", &Shape::String),
    ],
});

impl Model for Link {
    const SHAPE: &'static Shape = &LINK_SHAPE;

    /// Two strings every dialect writes alike, in the shape's order: the derived form.
    fn serialize_wire<S: Serializer>(&self, serializer: S, _: &Dialect) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }
}

impl Model for ApiError {
    const SHAPE: &'static Shape = &API_ERROR_SHAPE;
}

impl Model for ProblemDetails {
    const SHAPE: &'static Shape = &PROBLEM_SHAPE;
}

/// A success answer: the payload and what the envelope says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Success<T> {
    /// The payload.
    pub response: T,
    /// The HTTP status, repeated as `statusCode`.
    pub status_code: u16,
    /// `status` (0 for success).
    pub status: i64,
    /// `count` as read; for writing, an explicit value overrides the dialect's rule.
    pub count: Option<i64>,
    /// `total`, when the answer is paged.
    pub total: Option<i64>,
    /// `startIndex` (Workspace paging).
    pub start_index: Option<i64>,
    /// `nextIndex` (Workspace paging).
    pub next_index: Option<i64>,
    /// `links` (DocSpace): the request.
    pub links: Vec<Link>,
}

impl<T: Model> Success<T> {
    /// A 200 answer around `response`.
    pub fn ok(response: T) -> Self {
        Self::with_status(response, 200)
    }

    /// An answer with another success status (201 for a Workspace POST).
    pub fn with_status(response: T, status_code: u16) -> Self {
        Self {
            response,
            status_code,
            status: 0,
            count: None,
            total: None,
            start_index: None,
            next_index: None,
            links: Vec::new(),
        }
    }

    /// The envelope as `dialect` writes it, ready for any serde format.
    pub fn wire<'a>(&'a self, dialect: &'a Dialect) -> SuccessWire<'a, T> {
        SuccessWire {
            success: self,
            dialect,
        }
    }

    /// The envelope in `dialect`'s wire form, as a JSON value (for checking against the
    /// schema; the codecs write [`Success::wire`] directly).
    pub fn to_wire(&self, dialect: &Dialect) -> Result<Value, EncodeError> {
        serde_json::to_value(self.wire(dialect)).map_err(EncodeError::from)
    }
}

/// A success envelope in one dialect's wire form.
pub struct SuccessWire<'a, T> {
    success: &'a Success<T>,
    dialect: &'a Dialect,
}

impl<T: Model> Serialize for SuccessWire<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (success, dialect) = (self.success, self.dialect);
        // An explicit count wins over the dialect's rule (paged listings set it).
        let count = match success.count {
            Some(explicit) => Some(explicit),
            None => envelope_count(dialect, &success.response),
        };
        let mut map = serializer.serialize_map(None)?;
        for key in dialect.success_keys {
            let name = key.word();
            match key {
                SuccessKey::Response => {
                    map.serialize_entry(name, &InDialect::new(&success.response, dialect))?
                }
                SuccessKey::Count => optional_entry(&mut map, name, count)?,
                SuccessKey::Total => optional_entry(&mut map, name, success.total)?,
                SuccessKey::StartIndex => {
                    optional_entry(&mut map, name, success.start_index.filter(|i| *i != 0))?
                }
                SuccessKey::NextIndex => optional_entry(&mut map, name, success.next_index)?,
                SuccessKey::Links if dialect.links => {
                    map.serialize_entry(name, &InDialect::new(&success.links, dialect))?
                }
                SuccessKey::Links => {}
                SuccessKey::Status => map.serialize_entry(name, &success.status)?,
                SuccessKey::StatusCode => map.serialize_entry(name, &success.status_code)?,
            }
        }
        map.end()
    }
}

fn optional_entry<M: SerializeMap>(
    map: &mut M,
    key: &'static str,
    value: Option<i64>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(key, &value),
        None => Ok(()),
    }
}

/// The `count` a dialect writes around `response`: a list by its list rule, an object by its
/// object rule (reference §4a, §4b, §13.2).
pub fn envelope_count<T: Model>(dialect: &Dialect, response: &T) -> Option<i64> {
    count_by(dialect.count, dialect.object_count, response)
}

/// The `count` written around `response` by a list rule and an object rule.
pub fn count_by<T: Model>(list: CountRule, object: ObjectCount, response: &T) -> Option<i64> {
    if response.is_list() {
        return count_value(list, response.count());
    }
    match object {
        ObjectCount::One => count_value(list, response.count()),
        ObjectCount::OwnCount => {
            let own = response.own_count().unwrap_or_else(|| response.count());
            let rule = match list {
                CountRule::One => CountRule::Length,
                rule => rule,
            };
            count_value(rule, own)
        }
        ObjectCount::None => None,
    }
}

fn count_value(rule: CountRule, count: i64) -> Option<i64> {
    match rule {
        CountRule::One => Some(1),
        CountRule::Length => Some(count),
        CountRule::LengthOmitZero => (count != 0).then_some(count),
    }
}

/// A success envelope as read: every key optional, the payload checked afterwards.
#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
pub(crate) struct SuccessIn<T> {
    #[serde(default)]
    response: Option<T>,
    #[serde(default, rename = "statusCode")]
    status_code: Option<i64>,
    #[serde(default)]
    status: Option<i64>,
    #[serde(default)]
    count: Option<i64>,
    #[serde(default)]
    total: Option<i64>,
    #[serde(default, rename = "startIndex")]
    start_index: Option<i64>,
    #[serde(default, rename = "nextIndex")]
    next_index: Option<i64>,
    #[serde(default)]
    links: Vec<Link>,
}

impl<T: Model> SuccessIn<T> {
    /// The envelope's shape around the payload's.
    pub(crate) const SHAPE: &'static Shape = &Shape::Object(&ObjectShape {
        name: "SuccessEnvelope",
        fields: &[
            field!("response", T::SHAPE),
            int_field!("statusCode"),
            int_field!("status"),
            int_field!("count"),
            int_field!("total"),
            int_field!("startIndex"),
            int_field!("nextIndex"),
            field!("links", <Vec<Link>>::SHAPE),
        ],
    });

    /// The answer, once the payload is known to be there.
    pub(crate) fn into_success(self) -> Result<Success<T>, DecodeError> {
        let response = self
            .response
            .ok_or_else(|| DecodeError::new("/response", "the envelope has no response"))?;
        Ok(Success {
            response,
            status_code: status_code(self.status_code)?,
            status: self.status.unwrap_or(0),
            count: self.count,
            total: self.total,
            start_index: self.start_index,
            next_index: self.next_index,
            links: self.links,
        })
    }
}

fn status_code(value: Option<i64>) -> Result<u16, DecodeError> {
    let value = value.unwrap_or(0);
    u16::try_from(value)
        .map_err(|_| DecodeError::new("/statusCode", format!("{value} is not an HTTP status code")))
}

/// An error answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorEnvelope {
    /// The ordinary error envelope: `{error: {...}, status: 1, statusCode}`.
    Error {
        /// The HTTP status.
        status_code: u16,
        /// What went wrong.
        error: ApiError,
    },
    /// A request-binding failure (DocSpace writes problem details in the success envelope).
    Validation {
        /// The HTTP status (400).
        status_code: u16,
        /// The problem details.
        problem: ProblemDetails,
        /// The request, for DocSpace's `links`.
        links: Vec<Link>,
    },
}

impl ErrorEnvelope {
    /// The HTTP status.
    pub fn status_code(&self) -> u16 {
        match self {
            ErrorEnvelope::Error { status_code, .. }
            | ErrorEnvelope::Validation { status_code, .. } => *status_code,
        }
    }

    /// A one-line message for people.
    pub fn message(&self) -> String {
        match self {
            ErrorEnvelope::Error { error, .. } => error.message.clone(),
            ErrorEnvelope::Validation { problem, .. } => problem_message(problem),
        }
    }

    /// The envelope as `dialect` writes it, ready for any serde format.
    pub fn wire<'a>(&'a self, dialect: &'a Dialect) -> ErrorWire<'a> {
        ErrorWire {
            envelope: self,
            dialect,
        }
    }

    /// The envelope in `dialect`'s wire form, as a JSON value (for checking against the
    /// schema; the codecs write [`ErrorEnvelope::wire`] directly).
    pub fn to_wire(&self, dialect: &Dialect) -> Result<Value, EncodeError> {
        serde_json::to_value(self.wire(dialect)).map_err(EncodeError::from)
    }
}

/// An error envelope in one dialect's wire form.
pub struct ErrorWire<'a> {
    envelope: &'a ErrorEnvelope,
    dialect: &'a Dialect,
}

impl Serialize for ErrorWire<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let dialect = self.dialect;
        match self.envelope {
            ErrorEnvelope::Validation {
                status_code,
                problem,
                links,
            } if dialect.validation == ValidationStyle::ProblemDetails => {
                // DocSpace answers a binding failure in its success envelope, status 1.
                let mut success = Success::with_status(problem.clone(), *status_code);
                success.status = 1;
                success.count = Some(1);
                success.links = links.clone();
                success.wire(dialect).serialize(serializer)
            }
            ErrorEnvelope::Validation {
                status_code,
                problem,
                ..
            } => {
                let error = ApiError::new(problem_message(problem));
                error_envelope(serializer, dialect, *status_code, &error)
            }
            ErrorEnvelope::Error { status_code, error } => {
                error_envelope(serializer, dialect, *status_code, error)
            }
        }
    }
}

fn problem_message(problem: &ProblemDetails) -> String {
    let details: Vec<String> = problem
        .errors
        .iter()
        .map(|(field, messages)| format!("{field}: {}", messages.join("; ")))
        .collect();
    match (problem.title.as_deref(), details.is_empty()) {
        (Some(title), true) => title.to_owned(),
        (Some(title), false) => format!("{title} {}", details.join(" | ")),
        (None, _) => details.join(" | "),
    }
}

fn error_envelope<S: Serializer>(
    serializer: S,
    dialect: &Dialect,
    status_code: u16,
    error: &ApiError,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(dialect.error_keys.len()))?;
    for key in dialect.error_keys {
        let name = key.word();
        match key {
            ErrorKey::Error => map.serialize_entry(name, &ErrorObject { dialect, error })?,
            ErrorKey::Status => map.serialize_entry(name, &1)?,
            ErrorKey::StatusCode => map.serialize_entry(name, &status_code)?,
        }
    }
    map.end()
}

/// The `error` object, with the dialect's keys and null rules.
struct ErrorObject<'a> {
    dialect: &'a Dialect,
    error: &'a ApiError,
}

impl Serialize for ErrorObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (dialect, error) = (self.dialect, self.error);
        let write_nulls = dialect.error_nulls == NullStyle::Write;
        let mut map = serializer.serialize_map(None)?;
        for key in dialect.error_fields {
            let name = key.word();
            match key {
                ErrorField::Message => map.serialize_entry(name, &error.message)?,
                ErrorField::Type if write_nulls || error.kind.is_some() => {
                    map.serialize_entry(name, &error.kind)?
                }
                ErrorField::Stack if write_nulls || error.stack.is_some() => {
                    map.serialize_entry(name, &error.stack)?
                }
                ErrorField::Hresult if write_nulls || error.hresult != 0 => {
                    map.serialize_entry(name, &error.hresult)?
                }
                ErrorField::Type | ErrorField::Stack | ErrorField::Hresult => {}
                ErrorField::Data => match &error.data {
                    Some(data) => map.serialize_entry(name, data)?,
                    None => map.serialize_entry(name, &Map::new())?,
                },
            }
        }
        map.end()
    }
}

/// An error envelope as read: either the `error` object or DocSpace's problem details.
#[derive(Deserialize)]
pub(crate) struct ErrorIn {
    #[serde(default)]
    error: Option<ApiError>,
    #[serde(default)]
    response: Option<ProblemDetails>,
    #[serde(default)]
    links: Vec<Link>,
    #[serde(default, rename = "statusCode")]
    status_code: Option<i64>,
}

impl ErrorIn {
    pub(crate) const SHAPE: &'static Shape = &Shape::Object(&ObjectShape {
        name: "ErrorEnvelope",
        fields: &[
            field!("error", ApiError::SHAPE),
            field!("response", ProblemDetails::SHAPE),
            field!("links", <Vec<Link>>::SHAPE),
            int_field!("statusCode"),
        ],
    });

    pub(crate) fn into_error(self) -> Result<ErrorEnvelope, DecodeError> {
        let status_code = status_code(self.status_code)?;
        match (self.error, self.response) {
            (Some(error), _) => Ok(ErrorEnvelope::Error { status_code, error }),
            (None, Some(problem)) => Ok(ErrorEnvelope::Validation {
                status_code,
                problem,
                links: self.links,
            }),
            (None, None) => Err(DecodeError::new(
                "/error",
                "the error envelope has neither error nor response",
            )),
        }
    }
}

/// Either kind of answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer<T> {
    /// A success envelope.
    Success(Success<T>),
    /// An error envelope.
    Error(ErrorEnvelope),
}

/// What tells an error envelope from a success: an `error` key, or `status` 1.
#[derive(Deserialize)]
pub(crate) struct AnswerKind {
    #[serde(default)]
    error: Present,
    #[serde(default)]
    status: Option<i64>,
}

impl AnswerKind {
    pub(crate) const SHAPE: &'static Shape = &Shape::Object(&ObjectShape {
        name: "Envelope",
        fields: &[field!("error", &Shape::Any), int_field!("status")],
    });

    /// Whether the envelope is an error one.
    pub(crate) fn is_error(&self) -> bool {
        self.error.0 || self.status == Some(1)
    }
}

/// Whether a key was there at all (its value, even null, is skipped unread).
#[derive(Default)]
struct Present(bool);

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Present(true))
    }
}
