//! Errors that say where and why.

use std::fmt;

/// A failure to read a body: where it happened (a JSON pointer into the body) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// JSON pointer of the offending value (`""` for the whole body).
    pub pointer: String,
    /// What is wrong, for people.
    pub message: String,
}

impl DecodeError {
    /// An error at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// The field's name as a client would say it (the pointer without the leading `/`).
    pub fn field(&self) -> &str {
        self.pointer.strip_prefix('/').unwrap_or(&self.pointer)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.pointer, self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

/// Errors raised by serde while deserializing; the caller adds the path.
impl serde::de::Error for DecodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DecodeError::new("", msg.to_string())
    }
}

/// The JSON pointer of a serde path (keys as the schema names them).
pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(String::new(), |acc, segment| match segment {
            Segment::Seq { index } => push_pointer(&acc, &index.to_string()),
            Segment::Map { key } => push_pointer(&acc, key),
            Segment::Enum { variant } => push_pointer(&acc, variant),
            Segment::Unknown => acc,
        })
}

/// Appends one JSON-pointer step, escaping `~` and `/`.
pub(crate) fn push_pointer(base: &str, step: &str) -> String {
    let escaped = step.replace('~', "~0").replace('/', "~1");
    format!("{base}/{escaped}")
}

/// A failure to write a value: what could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    /// What went wrong, for people.
    pub message: String,
}

impl EncodeError {
    /// An error saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write the value: {}", self.message)
    }
}

impl std::error::Error for EncodeError {}

impl serde::ser::Error for EncodeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self::new(message.to_string())
    }
}

impl From<serde_json::Error> for EncodeError {
    fn from(e: serde_json::Error) -> Self {
        Self::new(e.to_string())
    }
}
