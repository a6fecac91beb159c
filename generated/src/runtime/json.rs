//! JSON text per dialect.

use serde_json::Value;

use super::dialect::Dialect;
use super::error::DecodeError;

/// Writes a wire value as JSON text the way `dialect` does (Workspace escapes `/`).
pub fn write(value: &Value, dialect: &Dialect) -> String {
    let text = value.to_string();
    if dialect.escape_slash {
        // In JSON text a `/` can only stand inside a string, so this touches strings only.
        text.replace('/', "\\/")
    } else {
        text
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
