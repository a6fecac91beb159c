//! Reading a spec: YAML or JSON text into the raw document and `openapiv3::OpenAPI`.
//!
//! The raw document is kept beside the typed one for JSON pointers in diagnostics and for
//! what openapiv3 drops.

use serde_json::Value;

use crate::diag::{join, Diagnostic, Failure};

/// A spec as read.
#[derive(Debug)]
pub struct Loaded {
    /// The document as plain JSON.
    pub raw: Value,
    /// The typed document.
    pub api: openapiv3::OpenAPI,
}

/// Reads a file's text; an unreadable file is a [`Failure::Unreadable`].
pub fn read_file(path: &std::path::Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::Unreadable(format!("cannot read {}: {e}", path.display())))
}

/// Parses YAML or JSON text into the raw document (syntax errors carry line and column).
pub fn parse_raw(text: &str) -> Result<Value, Failure> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            Failure::Unreadable(format!(
                "malformed JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            ))
        });
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" at line {} column {}", l.line(), l.column()))
            .unwrap_or_default();
        Failure::Unreadable(format!("malformed YAML{at}: {e}"))
    })?;
    yaml_to_json(yaml, "")
}

/// Converts YAML to JSON; mapping keys that are numbers or booleans (`200:`) become strings.
fn yaml_to_json(yaml: serde_yaml::Value, pointer: &str) -> Result<Value, Failure> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(&n).unwrap_or(Value::Null),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &join(pointer, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(Failure::Unreadable(format!(
                            "unsupported YAML key {other:?} at {pointer}"
                        )))
                    }
                };
                let child = yaml_to_json(v, &join(pointer, &key))?;
                out.insert(key, child);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

/// Reads the raw document as `openapiv3::OpenAPI`, locating a structural error.
pub fn typed(raw: &Value) -> Result<openapiv3::OpenAPI, Diagnostic> {
    serde_path_to_error::deserialize(raw).map_err(|e| {
        let pointer = e.path().iter().fold(String::new(), |acc, segment| {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => join(&acc, &index.to_string()),
                Segment::Map { key } => join(&acc, key),
                Segment::Enum { variant } => join(&acc, variant),
                Segment::Unknown => acc,
            }
        });
        Diagnostic::error(
            pointer,
            format!("not a valid OpenAPI 3.0 node: {}", e.into_inner()),
        )
    })
}
