//! JSON text per dialect.

use serde::Serialize;

use super::dialect::Dialect;
use super::error::{DecodeError, EncodeError};

/// Writes a value as JSON text the way `dialect` does (Workspace escapes `/`).
pub fn to_string<T: Serialize + ?Sized>(
    value: &T,
    dialect: &Dialect,
) -> Result<String, EncodeError> {
    let mut out = Vec::with_capacity(4096);
    value.serialize(&mut serde_json::Serializer::new(&mut out))?;
    if dialect.escape_slash {
        out = escape_slashes(&out);
    }
    String::from_utf8(out).map_err(|e| EncodeError::new(format!("the JSON is not UTF-8: {e}")))
}

/// Compact JSON with every `/` written as `\/` (DataContract style).
///
/// Outside strings JSON text has no `/` (numbers, literals and punctuation never hold one),
/// so escaping every slash of the finished text is escaping those inside strings and keys;
/// one pass over the whole text is much cheaper than one per string.
fn escape_slashes(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + json.len() / 16);
    let mut start = 0;
    for at in memchr::memchr_iter(b'/', json) {
        out.extend_from_slice(&json[start..at]);
        out.extend_from_slice(b"\\/");
        start = at + 1;
    }
    out.extend_from_slice(&json[start..]);
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
