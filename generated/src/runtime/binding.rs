//! Community Server's request binding (reference §2c): the query string and the body —
//! JSON, XML, form or multipart — merged into one collection of text values, names in any
//! case, repeated keys and `name[]` forming lists. Each value is then read as its field's
//! type by the lenient reader, as .NET's converters do.
//!
//! The collection is kept in the grouped form the XML reader produces (every name maps to
//! the list of its occurrences), so [`conform`] with [`Source::Xml`] types it.

use serde_json::{Map, Value};

use super::conform::{conform, Reading, Source};
use super::dialect::Dialect;
use super::error::DecodeError;
use super::model::Model;
use super::shape::Shape;

/// What a body's content type says about how to read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyMedia {
    /// `application/json` (or `+json`).
    Json,
    /// `text/xml` or `application/xml`.
    Xml,
    /// `multipart/form-data`.
    Multipart,
    /// Anything else: read as form fields, as Community Server does.
    Form,
}

impl BodyMedia {
    /// The media of a `Content-Type` value (none: form fields).
    pub fn of(content_type: Option<&str>) -> Self {
        let Some(media) = content_type.map(|t| t.split(';').next().unwrap_or("").trim()) else {
            return BodyMedia::Form;
        };
        let media = media.to_ascii_lowercase();
        if media == "application/json" || media.ends_with("+json") {
            BodyMedia::Json
        } else if media == "text/xml" || media == "application/xml" {
            BodyMedia::Xml
        } else if media == "multipart/form-data" {
            BodyMedia::Multipart
        } else {
            BodyMedia::Form
        }
    }
}

/// Name-value pairs in arrival order.
pub type Pairs = Vec<(String, String)>;

/// The fields of a multipart body (files are ignored: no fileops operation takes one).
pub async fn multipart_fields(
    content_type: &str,
    body: axum::body::Bytes,
) -> Result<Pairs, DecodeError> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| DecodeError::new("", format!("the multipart body has no boundary: {e}")))?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut pairs = Pairs::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| DecodeError::new("", format!("the multipart body is malformed: {e}")))?
    {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        if field.file_name().is_some() {
            continue;
        }
        let text = field
            .text()
            .await
            .map_err(|e| DecodeError::new(format!("/{name}"), format!("unreadable field: {e}")))?;
        pairs.push((name, text));
    }
    Ok(pairs)
}

/// The fields of a form body (`a=1&b=2`).
pub fn form_fields(body: &[u8]) -> Pairs {
    form_urlencoded::parse(body).into_owned().collect()
}

/// Groups pairs by name (`name[]` counts as `name`), each name to its occurrences.
pub fn group(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut grouped: Map<String, Value> = Map::new();
    for (name, value) in pairs {
        let name = name.strip_suffix("[]").unwrap_or(name);
        let key = grouped
            .keys()
            .find(|k| k.eq_ignore_ascii_case(name))
            .cloned()
            .unwrap_or_else(|| name.to_owned());
        if let Value::Array(values) = grouped
            .entry(key)
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            values.push(Value::String(value.clone()));
        }
    }
    grouped
}

/// Adds the query's fields to a grouped body where the body does not name them (the body
/// wins, as the later source of upstream's collection).
pub fn merge_query(
    mut fields: Map<String, Value>,
    query: &[(String, String)],
) -> Map<String, Value> {
    for (name, values) in group(query) {
        if !fields.keys().any(|k| k.eq_ignore_ascii_case(&name)) {
            fields.insert(name, values);
        }
    }
    fields
}

/// Reads a grouped collection as `T`: every text converted to its field's type.
pub fn read<T: Model>(fields: Map<String, Value>, dialect: &Dialect) -> Result<T, DecodeError> {
    let how = Reading {
        source: Source::Xml,
        dialect: Some(dialect),
    };
    super::codec::from_request(conform(Value::Object(fields), T::SHAPE, how), "")
}

/// Adds the query's fields to a JSON body where the body does not name them, each as text
/// (a list for a list field), for the lenient JSON reader to type.
pub fn merge_query_into_json(body: Value, shape: &Shape, query: &[(String, String)]) -> Value {
    let (Shape::Object(object), Value::Object(mut map)) = (shape, body.clone()) else {
        return body;
    };
    for (name, values) in group(query) {
        if map.keys().any(|k| k.eq_ignore_ascii_case(&name)) {
            continue;
        }
        let Some(field) = object.field(&name) else {
            continue;
        };
        let Value::Array(mut values) = values else {
            continue;
        };
        let value = match field.shape {
            Shape::Array(_) => Value::Array(values),
            _ => values.pop().unwrap_or(Value::Null),
        };
        map.insert(name, value);
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_choose_the_reader() {
        assert_eq!(
            BodyMedia::of(Some("application/json; charset=utf-8")),
            BodyMedia::Json
        );
        assert_eq!(BodyMedia::of(Some("TEXT/XML")), BodyMedia::Xml);
        assert_eq!(
            BodyMedia::of(Some("multipart/form-data; boundary=x")),
            BodyMedia::Multipart
        );
        assert_eq!(BodyMedia::of(Some("text/plain")), BodyMedia::Form);
        assert_eq!(BodyMedia::of(None), BodyMedia::Form);
    }

    #[test]
    fn repeated_and_suffixed_names_form_one_list_in_any_case() {
        let pairs = form_fields(b"fileIds=1&FILEIDS=2&fileIds%5B%5D=3&destFolderId=9");
        let grouped = group(&pairs);
        assert_eq!(grouped["fileIds"], serde_json::json!(["1", "2", "3"]));
        assert_eq!(grouped["destFolderId"], serde_json::json!(["9"]));
    }

    #[test]
    fn the_body_wins_over_the_query() {
        let body = group(&[("immediately".into(), "true".into())]);
        let merged = merge_query(
            body,
            &[
                ("Immediately".into(), "false".into()),
                ("deleteAfter".into(), "true".into()),
            ],
        );
        assert_eq!(merged["immediately"], serde_json::json!(["true"]));
        assert_eq!(merged["deleteAfter"], serde_json::json!(["true"]));
    }
}
