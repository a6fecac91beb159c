//! JSON text per dialect.

use serde::Serialize;
use std::io::{self, Write};

use super::dialect::Dialect;
use super::error::{DecodeError, EncodeError};

/// Writes a value as JSON text the way `dialect` does (Workspace escapes `/`).
pub fn to_string<T: Serialize + ?Sized>(
    value: &T,
    dialect: &Dialect,
) -> Result<String, EncodeError> {
    let mut out = Vec::with_capacity(4096);
    if dialect.escape_slash {
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut out,
            SlashEscaping,
        ))?;
    } else {
        value.serialize(&mut serde_json::Serializer::new(&mut out))?;
    }
    String::from_utf8(out).map_err(|e| EncodeError::new(format!("the JSON is not UTF-8: {e}")))
}

/// serde_json's compact output, with `/` inside strings written as `\/` (DataContract style).
struct SlashEscaping;

impl serde_json::ser::Formatter for SlashEscaping {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut start = 0;
        for (at, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b'/') {
            writer.write_all(&bytes[start..at])?;
            writer.write_all(b"\\/")?;
            start = at + 1;
        }
        writer.write_all(&bytes[start..])
    }
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
