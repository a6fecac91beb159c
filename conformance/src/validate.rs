//! Validating one captured answer against the schema and the dialect's rules.
//!
//! Strict about what a server writes: the dialect's envelope and key names (exact case), the
//! wire form of every value (enums as the dialect writes them, dates, ids), `statusCode`
//! equal to the HTTP status, nulls as the dialect treats them, Workspace's `\/` escaping and
//! XML as Newtonsoft writes it. Lenient where upstream varies: DocSpace `count`, Workspace
//! `error` null or `""`, extra unknown keys.

use fileops_api::runtime::conform::{conform, xml_occurrences, Reading, Source};
use fileops_api::runtime::operation::{BodyKind, OperationInfo, ResponseInfo};
use fileops_api::runtime::shape::{EnumWire, ObjectShape, Shape};
use fileops_api::runtime::{ApiDateTime, Dialect, Format, NullStyle};
use serde_json::{Map, Value};

/// One problem, located by a JSON pointer into the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

/// Why the input could not be validated at all.
#[derive(Debug)]
pub struct Unusable(pub String);

fn push(problems: &mut Vec<Problem>, pointer: &str, message: impl Into<String>) {
    problems.push(Problem {
        pointer: if pointer.is_empty() {
            "/".into()
        } else {
            pointer.to_owned()
        },
        message: message.into(),
    });
}

fn join(base: &str, key: &str) -> String {
    format!("{base}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// The documented response an answer should be, by status (or the first success).
pub fn response_for(
    operation: &'static OperationInfo,
    dialect: &Dialect,
    status: Option<u16>,
) -> Result<&'static ResponseInfo, Unusable> {
    let served = |r: &&ResponseInfo| dialect.is_in(r.dialects);
    let found = match status {
        Some(code) => operation
            .responses
            .iter()
            .filter(served)
            .find(|r| r.status == Some(code)),
        None => operation
            .responses
            .iter()
            .filter(served)
            .find(|r| r.status.is_some_and(|s| (200..300).contains(&s))),
    };
    found.ok_or_else(|| {
        Unusable(format!(
            "{} documents no {} answer for {}",
            operation.id,
            status.map_or("success".into(), |s| s.to_string()),
            dialect.name
        ))
    })
}

/// Validates a body; the problems found (empty when it conforms).
pub fn validate(
    dialect: &'static Dialect,
    response: &ResponseInfo,
    status: Option<u16>,
    format: Format,
    body: &[u8],
) -> Result<Vec<Problem>, Unusable> {
    let mut problems = Vec::new();
    let text =
        std::str::from_utf8(body).map_err(|e| Unusable(format!("the body is not UTF-8: {e}")))?;
    let envelope = match format {
        Format::Json => {
            let value: Value =
                serde_json::from_str(text).map_err(|e| Unusable(format!("malformed JSON: {e}")))?;
            if dialect.escape_slash && has_unescaped_slash(text) {
                push(
                    &mut problems,
                    "",
                    "this dialect escapes `/` in strings as `\\/`",
                );
            }
            Some(value)
        }
        Format::Xml => {
            if !dialect.supports(Format::Xml) {
                push(
                    &mut problems,
                    "",
                    format!("{} has no XML answers", dialect.name),
                );
            }
            let (root, value) =
                fileops_api::runtime::xml::read(text).map_err(|e| Unusable(e.to_string()))?;
            if root != "result" {
                push(
                    &mut problems,
                    "",
                    format!("the XML root must be <result>, not <{root}>"),
                );
            }
            if text.contains(">True<") || text.contains(">False<") {
                push(&mut problems, "", "XML booleans are written `true`/`false`");
            }
            Some(value)
        }
    };
    let Some(envelope) = envelope else {
        return Ok(problems);
    };
    let xml = format == Format::Xml;
    match response.kind {
        BodyKind::Envelope => {
            check_success(dialect, response, status, &envelope, xml, &mut problems)
        }
        BodyKind::Error => check_error(dialect, status, &envelope, xml, &mut problems),
        _ => {}
    }
    Ok(problems)
}

/// Reads a scalar out of an XML occurrence list or takes a JSON value as it is.
fn single(value: &Value, xml: bool) -> Value {
    if xml {
        xml_occurrences(value.clone(), &Shape::String, false)
    } else {
        value.clone()
    }
}

fn check_status_keys(
    map: &Map<String, Value>,
    status: Option<u16>,
    want_status: i64,
    xml: bool,
    problems: &mut Vec<Problem>,
) {
    let read = |key: &str| {
        map.get(key).map(|v| {
            conform(
                single(v, xml),
                &Shape::Integer,
                Reading {
                    source: Source::Json,
                    dialect: None,
                },
            )
        })
    };
    match read("status") {
        Some(v) if v == want_status => {}
        Some(v) => push(
            problems,
            "/status",
            format!("must be {want_status}, is {v}"),
        ),
        None => push(problems, "/status", "missing"),
    }
    match (read("statusCode"), status) {
        (None, _) => push(problems, "/statusCode", "missing"),
        (Some(v), Some(code)) if v != code => push(
            problems,
            "/statusCode",
            format!("must equal the HTTP status {code}, is {v}"),
        ),
        _ => {}
    }
}

fn check_success(
    dialect: &Dialect,
    response: &ResponseInfo,
    status: Option<u16>,
    envelope: &Value,
    xml: bool,
    problems: &mut Vec<Problem>,
) {
    let Some(map) = envelope.as_object() else {
        push(problems, "", "the envelope must be an object");
        return;
    };
    for key in map
        .keys()
        .filter(|k| !dialect.success_keys.contains(&k.as_str()))
    {
        push(
            problems,
            &join("", key),
            format!("not a key of the {} success envelope", dialect.name),
        );
    }
    check_status_keys(map, status, 0, xml, problems);
    if dialect.links && !xml && !map.get("links").is_some_and(Value::is_array) {
        push(
            problems,
            "/links",
            "the envelope carries the request as links",
        );
    }
    if let Some(shape) = response.payload {
        match map.get("response") {
            Some(payload) if xml => value(
                dialect,
                &xml_occurrences(payload.clone(), shape, false),
                shape,
                "/response",
                true,
                problems,
            ),
            Some(payload) => value(dialect, payload, shape, "/response", false, problems),
            None if xml && matches!(shape, Shape::Array(_)) => {}
            None => push(problems, "/response", "missing"),
        }
    }
}

fn check_error(
    dialect: &Dialect,
    status: Option<u16>,
    envelope: &Value,
    xml: bool,
    problems: &mut Vec<Problem>,
) {
    let Some(map) = envelope.as_object() else {
        push(problems, "", "the envelope must be an object");
        return;
    };
    if map.contains_key("response")
        && dialect.validation == fileops_api::runtime::ValidationStyle::ProblemDetails
    {
        check_status_keys(map, status, 1, xml, problems);
        return;
    }
    for key in map
        .keys()
        .filter(|k| !dialect.error_keys.contains(&k.as_str()))
    {
        push(
            problems,
            &join("", key),
            format!("not a key of the {} error envelope", dialect.name),
        );
    }
    check_status_keys(map, status, 1, xml, problems);
    let error = map.get("error").map(|e| single(e, xml));
    match error.as_ref().and_then(Value::as_object) {
        None => push(problems, "/error", "missing"),
        Some(error) => {
            if !error
                .get("message")
                .map(|m| single(m, xml))
                .is_some_and(|m| m.is_string())
            {
                push(problems, "/error/message", "must be a string");
            }
            for (key, v) in error {
                if !dialect.error_fields.contains(&key.as_str()) {
                    push(
                        problems,
                        &join("/error", key),
                        format!("not a key of the {} error object", dialect.name),
                    );
                } else if !xml && v.is_null() && dialect.error_nulls == NullStyle::Omit {
                    push(
                        problems,
                        &join("/error", key),
                        "this dialect leaves null error fields out",
                    );
                }
            }
        }
    }
}

/// Checks a value against its shape, the dialect's wire rules applied.
fn value(
    dialect: &Dialect,
    v: &Value,
    shape: &Shape,
    at: &str,
    xml: bool,
    problems: &mut Vec<Problem>,
) {
    let text = |v: &Value| v.as_str().map(str::to_owned);
    match shape {
        Shape::Object(obj) => object(dialect, v, obj, at, xml, problems),
        Shape::Array(item) => match v {
            Value::Array(items) => items.iter().enumerate().for_each(|(i, x)| {
                value(dialect, x, item, &join(at, &i.to_string()), xml, problems)
            }),
            _ => push(problems, at, "must be a list"),
        },
        Shape::OneOf(one) => match fileops_api::runtime::one_of::pick(v, one) {
            Ok(i) => value(dialect, v, one.variants[i].1, at, xml, problems),
            Err(e) => push(problems, at, e),
        },
        Shape::Enum(e) if !e.flags => {
            let wire = e
                .wire_by_dialect
                .iter()
                .find(|(d, _)| *d == dialect.name)
                .map_or(e.wire, |(_, w)| *w);
            let number = if xml {
                text(v).and_then(|t| t.parse::<i64>().ok())
            } else {
                v.as_i64()
            };
            match wire {
                EnumWire::Integer if number.is_none() => push(
                    problems,
                    at,
                    format!("{} is written as a number in {}", e.name, dialect.name),
                ),
                EnumWire::Integer if number.and_then(|n| e.name_of(n)).is_none() => {
                    push(problems, at, format!("{v} is not a {} value", e.name))
                }
                EnumWire::Name if text(v).is_none_or(|t| e.value_of(&t).is_none()) => push(
                    problems,
                    at,
                    format!("{} is written as a name in {}", e.name, dialect.name),
                ),
                _ => {}
            }
        }
        Shape::Bool => {
            let ok = if xml {
                matches!(text(v).as_deref(), Some("true" | "false"))
            } else {
                v.is_boolean()
            };
            if !ok {
                push(problems, at, "must be a boolean (true/false)");
            }
        }
        Shape::Integer | Shape::Enum(_) => {
            let ok = if xml {
                text(v).is_some_and(|t| t.parse::<i64>().is_ok())
            } else {
                v.as_i64().is_some()
            };
            if !ok {
                push(problems, at, "must be an integer");
            }
        }
        Shape::String if !xml && !v.is_string() => push(problems, at, "must be a string"),
        Shape::Date => match text(v) {
            Some(t) if ApiDateTime::parse(&t).is_ok_and(|d| d.as_str() == t) => {}
            _ => push(
                problems,
                at,
                "must be a date with seven fractional digits and Z or an offset",
            ),
        },
        Shape::EntryId if !xml && !v.is_i64() && v.as_str().is_none_or(str::is_empty) => {
            push(problems, at, "must be a number or a non-empty string")
        }
        _ => {}
    }
}

fn object(
    dialect: &Dialect,
    v: &Value,
    obj: &ObjectShape,
    at: &str,
    xml: bool,
    problems: &mut Vec<Problem>,
) {
    let Some(map) = v.as_object() else {
        push(problems, at, format!("{} must be an object", obj.name));
        return;
    };
    for field in obj.fields.iter().filter(|f| dialect.is_in(f.dialects)) {
        let wire = field.wire_name(dialect.name);
        let here = join(at, wire);
        match map.get(wire) {
            Some(found) => {
                let found = if xml {
                    xml_occurrences(found.clone(), field.shape, field.nullable)
                } else {
                    found.clone()
                };
                if found.is_null() {
                    if !field.nullable {
                        push(problems, &here, "must not be null");
                    } else if !xml && dialect.nulls == NullStyle::Omit {
                        push(
                            problems,
                            &here,
                            format!("{} leaves null values out", dialect.name),
                        );
                    }
                } else {
                    value(dialect, &found, field.shape, &here, xml, problems);
                }
            }
            None => {
                if let Some(other) = map
                    .keys()
                    .find(|k| k.eq_ignore_ascii_case(wire) || field.matches(k))
                {
                    push(
                        problems,
                        &join(at, other),
                        format!("the key is `{wire}` in {}", dialect.name),
                    );
                } else if field.required {
                    push(problems, &here, "required");
                }
            }
        }
    }
}

/// Whether JSON text has a `/` not written as `\/`.
fn has_unescaped_slash(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .any(|(i, b)| *b == b'/' && (i == 0 || bytes[i - 1] != b'\\'))
}
