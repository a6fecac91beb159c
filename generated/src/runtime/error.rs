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

/// Appends one JSON-pointer step, escaping `~` and `/`.
pub(crate) fn push_pointer(base: &str, step: &str) -> String {
    let escaped = step.replace('~', "~0").replace('/', "~1");
    format!("{base}/{escaped}")
}
