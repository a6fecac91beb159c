//! The envelopes of a projection, built from the dialect table: the success envelope around
//! a payload, the error envelope, DocSpace's binding-failure envelope, and the 401.

use serde_json::{json, Map, Value};

use super::components::{Components, Side};
use crate::ir::{
    CountRule, DialectDef, ErrorField, ErrorKey, MediaRefusal, NullStyle, ObjectCount, SuccessKey,
    TypeRef, ValidationStyle,
};
use fileops_vocabulary::Word;

/// The success envelope around `payload` for an answer with HTTP `status`.
pub fn success(c: &mut Components<'_>, status: Option<u16>, payload: Value) -> Value {
    let d = c.dialect();
    let omits_zero = d.count == CountRule::LengthOmitZero;
    let count = if omits_zero {
        // Left out when 0, so a written count is at least 1 (reference §4b).
        json!({"type": "integer", "minimum": 1})
    } else {
        json!({"type": "integer", "minimum": 0})
    };
    // A list is counted by the list rule, an object by the object rule (reference §13.2).
    let list = payload.get("type").and_then(Value::as_str) == Some("array");
    let count_always = match (list, d.object_count) {
        (true, _) | (false, ObjectCount::OwnCount) => !omits_zero,
        (false, ObjectCount::One) => true,
        (false, ObjectCount::None) => false,
    };
    let mut properties = Map::new();
    let mut required = Vec::new();
    for key in &d.success_keys {
        let (schema, always) = match key {
            SuccessKey::Response => (payload.clone(), true),
            SuccessKey::Count => (count.clone(), count_always),
            SuccessKey::Links if d.links => {
                let link = c.schema(&TypeRef::Link, Side::Answer);
                (json!({"type": "array", "items": link}), true)
            }
            SuccessKey::Links => continue,
            SuccessKey::Status => (json!({"type": "integer", "enum": [0]}), true),
            SuccessKey::StatusCode => (status_code(status), true),
            // Written only when set.
            SuccessKey::Total | SuccessKey::StartIndex | SuccessKey::NextIndex => {
                (json!({"type": "integer"}), false)
            }
        };
        if always {
            required.push(key.word());
        }
        properties.insert(key.word().to_owned(), schema);
    }
    object(properties, required)
}

/// The error envelope for an answer with HTTP `status`.
pub fn error(c: &mut Components<'_>, status: Option<u16>) -> Value {
    let d = c.dialect();
    let mut properties = Map::new();
    for key in &d.error_keys {
        let schema = match key {
            ErrorKey::Error => c.schema(&TypeRef::ApiError, Side::Answer),
            ErrorKey::Status => json!({"type": "integer", "enum": [1]}),
            ErrorKey::StatusCode => status_code(status),
        };
        properties.insert(key.word().to_owned(), schema);
    }
    let required: Vec<_> = d.error_keys.iter().map(|k| k.word()).collect();
    object(properties, required)
}

/// DocSpace's answer to a binding failure: the success envelope with `status` 1 around
/// problem details (reference §4a).
pub fn validation(c: &mut Components<'_>, status: Option<u16>) -> Value {
    let problem = c.schema(&TypeRef::ProblemDetails, Side::Answer);
    let mut envelope = success(c, status, problem);
    envelope["properties"]["status"] = json!({"type": "integer", "enum": [1]});
    envelope
}

/// The success envelope with `status` 0 around plain problem details: DocSpace's 415 by
/// code reading (reference §4a).
fn plain_problem(c: &mut Components<'_>, status: Option<u16>) -> Value {
    let problem = c.schema(&TypeRef::ProblemDetails, Side::Answer);
    success(c, status, problem)
}

/// Every error envelope a dialect may answer `status` with: a 400 may be a binding failure
/// or an exception's error envelope; a 415 is as the dialect's `unsupported-media` says.
pub fn any_error(c: &mut Components<'_>, status: Option<u16>) -> Value {
    let d = c.dialect();
    match status {
        Some(415) => match d.unsupported_media {
            MediaRefusal::ErrorEnvelope => error(c, status),
            MediaRefusal::ProblemDetails => plain_problem(c, status),
            MediaRefusal::ValidationProblemDetails => validation(c, status),
        },
        Some(400) if d.validation == ValidationStyle::ProblemDetails => {
            json!({"anyOf": [error(c, status), validation(c, status)]})
        }
        _ => error(c, status),
    }
}

/// The `error` object as the dialect writes it (reference §4a, §4b).
pub fn api_error(d: &DialectDef) -> Value {
    let writes_nulls = d.error_nulls == NullStyle::Write;
    let mut properties = Map::new();
    let mut required = Vec::new();
    for key in &d.error_fields {
        let (schema, always) = match key {
            ErrorField::Message => (json!({"type": "string"}), true),
            ErrorField::Type | ErrorField::Stack if writes_nulls => {
                (json!({"type": "string", "nullable": true}), true)
            }
            ErrorField::Type | ErrorField::Stack => (json!({"type": "string"}), false),
            ErrorField::Hresult => (json!({"type": "integer"}), writes_nulls),
            // The exception's data, written as an object even when empty.
            ErrorField::Data => (json!({"type": "object"}), true),
        };
        if always {
            required.push(key.word());
        }
        properties.insert(key.word().to_owned(), schema);
    }
    object(properties, required)
}

/// RFC 9110 problem details as ASP.NET Core writes them.
pub fn problem_details() -> Value {
    json!({
        "type": "object",
        "required": ["title", "status"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "traceId": {"type": "string"},
        },
    })
}

/// A DocSpace link: the request itself.
pub fn link() -> Value {
    json!({
        "type": "object",
        "required": ["href", "action"],
        "properties": {"href": {"type": "string"}, "action": {"type": "string"}},
    })
}

/// The dialect's answer to a missing or bad token: no body, its error envelope, or its text
/// under each content type real servers send it with (reference §8).
pub fn unauthorized(c: &mut Components<'_>) -> Value {
    let d = c.dialect();
    let mut response = json!({"description": "No valid token."});
    if d.unauthorized_envelope {
        let envelope = error(c, Some(d.unauthorized_status));
        response["content"] = json!({"application/json": {"schema": envelope}});
        return response;
    }
    if d.unauthorized_body.is_empty() {
        return response;
    }
    let mut content = Map::new();
    let types = d
        .unauthorized_content_type
        .iter()
        .chain(&d.unauthorized_also);
    for media in types {
        content.insert(
            media.clone(),
            json!({"schema": {"type": "string", "enum": [d.unauthorized_body]}}),
        );
    }
    response["content"] = Value::Object(content);
    response
}

/// `statusCode` equals the HTTP status (reference §4a, §4b).
fn status_code(status: Option<u16>) -> Value {
    match status {
        Some(status) => json!({"type": "integer", "enum": [status]}),
        None => json!({"type": "integer"}),
    }
}

fn object<K: serde::Serialize>(properties: Map<String, Value>, required: Vec<K>) -> Value {
    json!({"type": "object", "required": required, "properties": properties})
}
