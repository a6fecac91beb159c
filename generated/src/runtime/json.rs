//! JSON text per dialect.

use serde::Serialize;

use super::dialect::Dialect;
use super::error::{DecodeError, EncodeError};

/// Writes a value as JSON text the way `dialect` does (Workspace escapes `/`).
pub fn to_string<T: Serialize + ?Sized>(
    value: &T,
    dialect: &Dialect,
) -> Result<String, EncodeError> {
    let text = serde_json::to_string(value)?;
    Ok(if dialect.escape_slash {
        escape_slashes(&text)
    } else {
        text
    })
}

/// Compact JSON with every `/` written as `\/` (DataContract style).
///
/// Outside strings JSON text has no `/` (numbers, literals and punctuation never hold one),
/// so escaping every slash of the finished text is escaping those inside strings and keys;
/// one pass over the whole text is much cheaper than one per string. `/` is ASCII, so the
/// pieces between slashes are whole characters and the text stays valid without a check.
fn escape_slashes(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    let mut start = 0;
    for at in memchr::memchr_iter(b'/', json.as_bytes()) {
        out.push_str(&json[start..at]);
        out.push_str("\\/");
        start = at + 1;
    }
    out.push_str(&json[start..]);
    out
}

/// A JSON error as a decode error: a syntax error located by line and column; a data error
/// at the pointer of the offending value.
pub fn error(e: serde_path_to_error::Error<serde_json::Error>) -> DecodeError {
    let pointer = super::error::pointer_of(e.path());
    let inner = e.into_inner();
    if inner.is_syntax() || inner.is_eof() {
        return malformed(&inner);
    }
    DecodeError::new(pointer, without_position(&inner))
}

/// A syntax error, located by line and column.
pub fn malformed(e: &serde_json::Error) -> DecodeError {
    DecodeError::new(
        "",
        format!(
            "malformed JSON at line {} column {}: {e}",
            e.line(),
            e.column()
        ),
    )
}

/// serde_json's message without the position it appends (the pointer says where).
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}
