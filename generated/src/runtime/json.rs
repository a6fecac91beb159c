//! JSON text per dialect.

use serde::Serialize;
use serde_json::Value;
use std::io::{self, Write};

use super::dialect::Dialect;
use super::error::DecodeError;

/// Writes a wire value as JSON text the way `dialect` does (Workspace escapes `/`).
pub fn write(value: &Value, dialect: &Dialect) -> String {
    if !dialect.escape_slash {
        return value.to_string();
    }
    let mut out = Vec::with_capacity(256);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, SlashEscaping);
    // Writing a `Value` into memory cannot fail.
    let _ = value.serialize(&mut serializer);
    String::from_utf8(out).unwrap_or_default()
}

/// serde_json's compact output, with `/` inside strings written as `\/` (DataContract style).
struct SlashEscaping;

impl serde_json::ser::Formatter for SlashEscaping {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut parts = fragment.split('/');
        if let Some(first) = parts.next() {
            writer.write_all(first.as_bytes())?;
        }
        for part in parts {
            writer.write_all(b"\\/")?;
            writer.write_all(part.as_bytes())?;
        }
        Ok(())
    }
}

/// Reads JSON text, locating a syntax error by line and column.
pub fn read(body: &[u8]) -> Result<Value, DecodeError> {
    serde_json::from_slice(body).map_err(|e| {
        DecodeError::new(
            "",
            format!(
                "malformed JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })
}
