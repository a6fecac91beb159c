//! Success and error envelopes, written and read per dialect.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

use super::codec::from_canonical;
use super::conform::{conform, xml_occurrences, Reading, Source};
use super::dialect::{
    CountRule, Dialect, ErrorField, ErrorKey, NullStyle, SuccessKey, ValidationStyle,
};
use super::error::DecodeError;
use super::model::Model;
use super::shape::{Field, ObjectShape, Shape};
use super::wire::to_wire;
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

    /// The envelope in `dialect`'s wire form.
    pub fn to_wire(&self, dialect: &Dialect) -> Value {
        let canonical = serde_json::to_value(&self.response).unwrap_or(Value::Null);
        let mut payload = Some(to_wire(canonical, T::SHAPE, dialect));
        let count = match self.count {
            // An explicit count wins over the dialect's rule (paged listings set it).
            Some(explicit) => Some(Value::from(explicit)),
            None => count_value(dialect.count, payload.as_ref().map_or(0, payload_count)),
        };
        let mut map = Map::new();
        for key in dialect.success_keys {
            let value = match key {
                // Moved, not copied: the payload is written once.
                SuccessKey::Response => payload.take(),
                SuccessKey::Count => count.clone(),
                SuccessKey::Total => self.total.map(Value::from),
                SuccessKey::StartIndex => self.start_index.filter(|i| *i != 0).map(Value::from),
                SuccessKey::NextIndex => self.next_index.map(Value::from),
                SuccessKey::Links => dialect.links.then(|| links_value(&self.links)),
                SuccessKey::Status => Some(Value::from(self.status)),
                SuccessKey::StatusCode => Some(Value::from(self.status_code)),
            };
            if let Some(value) = value {
                map.insert(key.word().to_owned(), value);
            }
        }
        Value::Object(map)
    }

    /// Reads an envelope (JSON value, or grouped XML) leniently.
    pub fn from_wire(value: Value, how: Reading<'_>) -> Result<Self, DecodeError> {
        let mut map = envelope_map(value)?;
        let payload = match take(&mut map, "response") {
            Some(v) => v,
            None if how.source == Source::Xml && matches!(T::SHAPE, Shape::Array(_)) => {
                Value::Array(Vec::new())
            }
            None => {
                return Err(DecodeError::new(
                    "/response",
                    "the envelope has no response",
                ))
            }
        };
        let payload = match how.source {
            Source::Json => payload,
            Source::Xml => xml_occurrences(payload, T::SHAPE, false),
        };
        let response = from_canonical(conform(payload, T::SHAPE, how), "/response")?;
        let links = take(&mut map, "links")
            .map(|v| read_field::<Vec<Link>>(v, "links", how))
            .transpose()?
            .unwrap_or_default();
        Ok(Self {
            response,
            status_code: read_int(&mut map, "statusCode", how)?.unwrap_or(0) as u16,
            status: read_int(&mut map, "status", how)?.unwrap_or(0),
            count: read_int(&mut map, "count", how)?,
            total: read_int(&mut map, "total", how)?,
            start_index: read_int(&mut map, "startIndex", how)?,
            next_index: read_int(&mut map, "nextIndex", how)?,
            links,
        })
    }
}

fn payload_count(payload: &Value) -> i64 {
    match payload {
        Value::Array(items) => items.len() as i64,
        Value::Null => 0,
        _ => 1,
    }
}

fn count_value(rule: CountRule, count: i64) -> Option<Value> {
    match rule {
        CountRule::One => Some(Value::from(1)),
        CountRule::Length => Some(Value::from(count)),
        CountRule::LengthOmitZero => (count != 0).then(|| Value::from(count)),
    }
}

fn links_value(links: &[Link]) -> Value {
    serde_json::to_value(links).unwrap_or_else(|_| Value::Array(Vec::new()))
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

    /// The envelope in `dialect`'s wire form.
    pub fn to_wire(&self, dialect: &Dialect) -> Value {
        match self {
            ErrorEnvelope::Validation {
                status_code,
                problem,
                links,
            } if dialect.validation == ValidationStyle::ProblemDetails => {
                let mut success = Success::with_status(problem.clone(), *status_code);
                success.status = 1;
                success.count = Some(1);
                success.links = links.clone();
                success.to_wire(dialect)
            }
            ErrorEnvelope::Validation {
                status_code,
                problem,
                ..
            } => error_envelope(
                dialect,
                *status_code,
                &ApiError::new(problem_message(problem)),
            ),
            ErrorEnvelope::Error { status_code, error } => {
                error_envelope(dialect, *status_code, error)
            }
        }
    }

    /// Reads an error envelope (JSON value, or grouped XML) leniently.
    pub fn from_wire(value: Value, how: Reading<'_>) -> Result<Self, DecodeError> {
        let mut map = envelope_map(value)?;
        let status_code = read_int(&mut map, "statusCode", how)?.unwrap_or(0) as u16;
        if let Some(error) = take(&mut map, "error") {
            let error = read_field::<ApiError>(error, "error", how)?;
            return Ok(ErrorEnvelope::Error { status_code, error });
        }
        let problem = take(&mut map, "response").ok_or_else(|| {
            DecodeError::new(
                "/error",
                "the error envelope has neither error nor response",
            )
        })?;
        let links = take(&mut map, "links")
            .map(|v| read_field::<Vec<Link>>(v, "links", how))
            .transpose()?
            .unwrap_or_default();
        Ok(ErrorEnvelope::Validation {
            status_code,
            problem: read_field::<ProblemDetails>(problem, "response", how)?,
            links,
        })
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

fn error_envelope(dialect: &Dialect, status_code: u16, error: &ApiError) -> Value {
    let mut map = Map::new();
    for key in dialect.error_keys {
        let value = match key {
            ErrorKey::Error => error_object(dialect, error),
            ErrorKey::Status => Value::from(1),
            ErrorKey::StatusCode => Value::from(status_code),
        };
        map.insert(key.word().to_owned(), value);
    }
    Value::Object(map)
}

fn error_object(dialect: &Dialect, error: &ApiError) -> Value {
    let write_nulls = dialect.error_nulls == NullStyle::Write;
    let mut map = Map::new();
    for key in dialect.error_fields {
        let value = match key {
            ErrorField::Message => Some(Value::from(error.message.clone())),
            ErrorField::Type => optional_text(&error.kind, write_nulls),
            ErrorField::Stack => optional_text(&error.stack, write_nulls),
            ErrorField::Hresult => {
                (write_nulls || error.hresult != 0).then(|| Value::from(error.hresult))
            }
            ErrorField::Data => Some(Value::Object(error.data.clone().unwrap_or_default())),
        };
        if let Some(value) = value {
            map.insert(key.word().to_owned(), value);
        }
    }
    Value::Object(map)
}

fn optional_text(text: &Option<String>, write_nulls: bool) -> Option<Value> {
    match text {
        Some(t) => Some(Value::from(t.clone())),
        None if write_nulls => Some(Value::Null),
        None => None,
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

impl<T: Model> Answer<T> {
    /// Reads whichever envelope `value` is: an `error` key or `status` 1 means an error.
    pub fn from_wire(value: Value, how: Reading<'_>) -> Result<Self, DecodeError> {
        let is_error = match &value {
            Value::Object(map) => map.iter().any(|(k, v)| {
                k.eq_ignore_ascii_case("error")
                    || (k.eq_ignore_ascii_case("status") && scalar_text(v).as_deref() == Some("1"))
            }),
            _ => false,
        };
        if is_error {
            ErrorEnvelope::from_wire(value, how).map(Answer::Error)
        } else {
            Success::from_wire(value, how).map(Answer::Success)
        }
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Array(items) if items.len() == 1 => scalar_text(&items[0]),
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn envelope_map(value: Value) -> Result<Map<String, Value>, DecodeError> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(DecodeError::new(
            "",
            format!("an envelope must be an object, not {}", kind_name(&other)),
        )),
    }
}

/// Removes a key, matched without regard to case.
fn take(map: &mut Map<String, Value>, key: &str) -> Option<Value> {
    let found = map.keys().find(|k| k.eq_ignore_ascii_case(key))?.clone();
    map.remove(&found)
}

fn read_field<T: Model>(value: Value, key: &str, how: Reading<'_>) -> Result<T, DecodeError> {
    let value = match how.source {
        Source::Json => value,
        Source::Xml => xml_occurrences(value, T::SHAPE, false),
    };
    from_canonical(conform(value, T::SHAPE, how), &format!("/{key}"))
}

fn read_int(
    map: &mut Map<String, Value>,
    key: &str,
    how: Reading<'_>,
) -> Result<Option<i64>, DecodeError> {
    take(map, key)
        .filter(|v| !v.is_null())
        .map(|v| read_field::<i64>(v, key, how))
        .transpose()
}

pub(crate) fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
