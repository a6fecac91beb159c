//! Community Server's request binding (reference §2c): the query string and the body —
//! JSON, XML, form or multipart — merged into one collection of text values, names in any
//! case, repeated keys and `name[]` forming lists. Each value is then read as its field's
//! type by the lenient reader, as .NET's converters do.
//!
//! The collection is kept as an element tree like an XML body's ([`Tree`]), so the XML
//! reader and the lenient reader type it the same way.

use serde::de::DeserializeOwned;

use super::buffer::Content;
use super::codec;
use super::dialect::Dialect;
use super::error::DecodeError;
use super::json;
use super::lenient::{Reading, Source};
use super::model::Model;
use super::shape::{ObjectShape, Shape};
use super::xml::{self, tree::Tree};

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

/// A body the dialect binds as name-value pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameValueBody {
    /// An XML body (the call's body holds it; it was checked well-formed on arrival).
    Xml,
    /// Form or multipart fields in arrival order.
    Pairs(Pairs),
}

impl NameValueBody {
    /// An XML body, refused here if it is not well-formed XML.
    pub fn xml(body: &[u8]) -> Result<Self, DecodeError> {
        Tree::parse(xml_text(body)?)?;
        Ok(NameValueBody::Xml)
    }
}

fn xml_text(body: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(body).map_err(|_| DecodeError::new("", "the XML body is not UTF-8"))
}

/// Reads a bound body as `T`, the query's fields joining it where the body does not name
/// them (the body wins, as the later source of upstream's collection); every text is
/// converted to its field's type.
pub fn read<T: Model>(
    fields: &NameValueBody,
    body: &[u8],
    query: &[(String, String)],
    dialect: &Dialect,
) -> Result<T, DecodeError> {
    let mut tree = match fields {
        NameValueBody::Xml => Tree::parse(xml_text(body)?)?,
        NameValueBody::Pairs(pairs) => Tree::from_pairs("body", pairs),
    };
    tree.add_missing(query);
    let how = Reading::request(Source::Xml, dialect);
    codec::read_with(|| xml::de::root(&tree), T::SHAPE, how, "")
}

/// Reads a JSON body as a value of `shape`, the query's fields joining it where the body
/// does not name them, each as text (a list for a list field).
pub fn read_json_with_query<T: DeserializeOwned>(
    body: &[u8],
    shape: &'static Shape,
    query: &[(String, String)],
    how: Reading<'_>,
) -> Result<T, DecodeError> {
    let content: Content = serde_json::from_slice(body).map_err(|e| json::malformed(&e))?;
    let content = match (shape, content) {
        (Shape::Object(object), Content::Map(entries)) => {
            Content::Map(join_query(entries, object, query))
        }
        (_, other) => other,
    };
    codec::read_content(content, shape, how, "")
}

fn join_query(
    mut entries: Vec<(String, Content)>,
    object: &ObjectShape,
    query: &[(String, String)],
) -> Vec<(String, Content)> {
    let named = |entries: &[(String, Content)], name: &str| {
        entries.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    let before = entries.len();
    for (name, value) in query {
        let name = name.strip_suffix("[]").unwrap_or(name);
        let Some(field) = object.field(name) else {
            continue;
        };
        if named(&entries[..before], name) {
            continue;
        }
        let value = Content::Str(value.clone());
        match entries[before..]
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            // A repeated query name: a list gathers every value, a single value keeps the last.
            Some((_, Content::Seq(items))) => items.push(value),
            Some((_, slot)) => *slot = value,
            None if matches!(field.shape, Shape::Array(_)) => {
                entries.push((name.to_owned(), Content::Seq(vec![value])))
            }
            None => entries.push((name.to_owned(), value)),
        }
    }
    entries
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
    fn a_json_body_takes_the_query_fields_it_does_not_name() {
        static OBJECT: ObjectShape = ObjectShape {
            name: "Probe",
            fields: &[
                super::super::shape::Field {
                    name: "ids",
                    wire_names: &[],
                    dialects: &[],
                    nullable: false,
                    required: false,
                    shape: &Shape::Array(&Shape::Integer),
                },
                super::super::shape::Field {
                    name: "flag",
                    wire_names: &[],
                    dialects: &[],
                    nullable: false,
                    required: false,
                    shape: &Shape::Bool,
                },
            ],
        };
        let query = [
            ("IDS".to_owned(), "1".to_owned()),
            ("ids[]".to_owned(), "2".to_owned()),
            ("flag".to_owned(), "True".to_owned()),
            ("other".to_owned(), "x".to_owned()),
        ];
        let joined = join_query(vec![("Flag".into(), Content::Bool(false))], &OBJECT, &query);
        assert_eq!(
            joined,
            vec![
                ("Flag".into(), Content::Bool(false)),
                (
                    "IDS".into(),
                    Content::Seq(vec![Content::Str("1".into()), Content::Str("2".into())])
                ),
            ]
        );
    }
}
