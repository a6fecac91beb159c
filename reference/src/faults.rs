//! Deliberately broken variants of the emulator, so a conformance suite can prove it catches
//! each departure. All off by default; none of them is upstream behaviour.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

/// Which faults to inject.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults {
    /// Refuse enums sent as names (only numbers accepted).
    pub enum_names_rejected: bool,
    /// Write enums in answers as names instead of numbers.
    pub enums_as_names: bool,
    /// Write every key of an answer in PascalCase.
    pub wrong_key_case: bool,
    /// Write XML booleans as .NET's `True`/`False`.
    pub xml_booleans_capitalized: bool,
    /// Write an empty XML list as an empty element instead of nothing.
    pub empty_list_as_element: bool,
    /// Write `statusCode` 200 whatever the HTTP status.
    pub status_code_always_200: bool,
    /// Serve protected operations without a token (as the first user).
    pub no_auth: bool,
    /// List every user's operations to everyone.
    pub shared_operations: bool,
    /// Keep reporting finished operations.
    pub read_once_broken: bool,
    /// Let Skip overwrite the target.
    pub skip_overwrites: bool,
    /// Overwrite the target's content without a new version.
    pub overwrite_without_version: bool,
    /// Delete for good instead of moving to Trash.
    pub delete_bypasses_trash: bool,
    /// Answer malformed JSON with a 500.
    pub malformed_json_500: bool,
    /// Write `progress` as a numeric string (`"50"`).
    pub progress_as_string: bool,
    /// Write `progress` 100 as 101.
    pub progress_over_100: bool,
    /// Write `finished` as a string (`"true"`).
    pub finished_as_string: bool,
    /// Write `processed` as a number.
    pub processed_as_number: bool,
    /// Write internal entry ids as numeric strings.
    pub ids_as_strings: bool,
    /// Write the envelope's `status` as a string (`"0"`).
    pub status_as_string: bool,
    /// Write an operation kind only the other family has (Duplicate, 7).
    pub foreign_operation_kind: bool,
    /// Write dates without their seven fractional digits.
    pub dates_without_fraction: bool,
    /// Write JSON without escaping `/` as `\/`.
    pub slash_unescaped: bool,
    /// Write dates as upstream's spec models them, `{utcTime, timeZoneOffset}` objects.
    pub dates_as_objects: bool,
}

/// Switches one fault on.
pub type Setter = fn(&mut Faults);

/// Names of the faults that can be set from the outside, with a setter each.
pub const ALL: &[(&str, Setter)] = &[
    ("enum-names-rejected", |f| f.enum_names_rejected = true),
    ("enums-as-names", |f| f.enums_as_names = true),
    ("wrong-key-case", |f| f.wrong_key_case = true),
    ("xml-booleans-capitalized", |f| {
        f.xml_booleans_capitalized = true
    }),
    ("empty-list-as-element", |f| f.empty_list_as_element = true),
    ("status-code-always-200", |f| {
        f.status_code_always_200 = true
    }),
    ("no-auth", |f| f.no_auth = true),
    ("shared-operations", |f| f.shared_operations = true),
    ("read-once-broken", |f| f.read_once_broken = true),
    ("skip-overwrites", |f| f.skip_overwrites = true),
    ("overwrite-without-version", |f| {
        f.overwrite_without_version = true
    }),
    ("delete-bypasses-trash", |f| f.delete_bypasses_trash = true),
    ("malformed-json-500", |f| f.malformed_json_500 = true),
    ("progress-as-string", |f| f.progress_as_string = true),
    ("progress-over-100", |f| f.progress_over_100 = true),
    ("finished-as-string", |f| f.finished_as_string = true),
    ("processed-as-number", |f| f.processed_as_number = true),
    ("ids-as-strings", |f| f.ids_as_strings = true),
    ("status-as-string", |f| f.status_as_string = true),
    ("foreign-operation-kind", |f| {
        f.foreign_operation_kind = true
    }),
    ("dates-without-fraction", |f| {
        f.dates_without_fraction = true
    }),
    ("slash-unescaped", |f| f.slash_unescaped = true),
    ("dates-as-objects", |f| f.dates_as_objects = true),
];

impl Faults {
    /// Whether any wire fault needs the HTTP layer.
    pub fn touches_wire(&self) -> bool {
        self.enum_names_rejected
            || self.enums_as_names
            || self.wrong_key_case
            || self.xml_booleans_capitalized
            || self.empty_list_as_element
            || self.status_code_always_200
            || self.no_auth
            || self.malformed_json_500
            || self.rewrites_values()
    }

    /// Whether a fault rewrites values in JSON answers.
    fn rewrites_values(&self) -> bool {
        self.progress_as_string
            || self.progress_over_100
            || self.finished_as_string
            || self.processed_as_number
            || self.ids_as_strings
            || self.status_as_string
            || self.foreign_operation_kind
            || self.dates_without_fraction
            || self.slash_unescaped
            || self.dates_as_objects
    }
}

/// What the wire layer needs: the faults and a token to impersonate with.
#[derive(Clone)]
pub struct Wire {
    /// The faults.
    pub faults: Faults,
    /// A valid token (for `no_auth`).
    pub token: String,
}

/// The middleware that injects the wire faults.
pub async fn inject(State(wire): State<Wire>, request: Request, next: Next) -> Response {
    let faults = wire.faults;
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, 8 << 20).await else {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, "too large");
    };
    let json_body = !bytes.is_empty();
    if faults.malformed_json_500 && json_body && serde_json::from_slice::<Value>(&bytes).is_err() {
        return plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Unable to deserialize json",
        );
    }
    if faults.enum_names_rejected && json_body {
        let named = serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| v.get("conflictResolveType").cloned())
            .is_some_and(|v| v.as_str().is_some_and(|s| s.parse::<i64>().is_err()));
        if named {
            return json(
                StatusCode::BAD_REQUEST,
                r#"{"status":1,"statusCode":400,"error":{"message":"names are not accepted"}}"#
                    .into(),
            );
        }
    }
    if faults.no_auth && !parts.headers.contains_key(header::AUTHORIZATION) {
        if let Ok(value) = HeaderValue::from_str(&wire.token) {
            parts.headers.insert(header::AUTHORIZATION, value);
        }
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    rewrite(response, faults).await
}

async fn rewrite(response: Response, faults: Faults) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, 64 << 20).await else {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "unreadable answer");
    };
    let kind = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let text = if kind.contains("xml") {
        let mut text = text;
        if faults.xml_booleans_capitalized {
            text = text
                .replace(">true<", ">True<")
                .replace(">false<", ">False<");
        }
        if faults.empty_list_as_element && !text.contains("<files>") {
            text = text.replacen("<current>", "<files />\n    <current>", 1);
        }
        text
    } else if kind.contains("json") {
        let original_escapes_slash = text.contains("\\/");
        match serde_json::from_str::<Value>(&text) {
            Ok(mut value) => {
                if faults.status_code_always_200 {
                    if let Some(map) = value.as_object_mut() {
                        map.insert("statusCode".into(), Value::from(200));
                    }
                }
                if faults.enums_as_names {
                    value = names(value);
                }
                if faults.wrong_key_case {
                    value = pascal(value);
                }
                value = values(value, faults);
                let text = value.to_string();
                // serde_json drops Workspace's `\/`; every `/` in JSON text is inside a
                // string, so putting them back keeps the other faults apart from this one.
                if original_escapes_slash && !faults.slash_unescaped {
                    text.replace('/', "\\/")
                } else {
                    text
                }
            }
            Err(_) => text,
        }
    } else {
        text
    };
    let mut response = Response::from_parts(parts, Body::from(text));
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}

/// The value faults, applied key by key through the whole answer.
fn values(value: Value, faults: Faults) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = value_fault(&k, values(v, faults), faults);
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| values(v, faults)).collect()),
        other => other,
    }
}

fn value_fault(key: &str, value: Value, faults: Faults) -> Value {
    match (key, value) {
        ("progress", Value::Number(n)) if faults.progress_as_string => Value::from(n.to_string()),
        ("progress", Value::Number(n)) if faults.progress_over_100 && n.as_i64() == Some(100) => {
            Value::from(101)
        }
        ("finished", Value::Bool(b)) if faults.finished_as_string => Value::from(b.to_string()),
        ("processed", Value::String(s)) if faults.processed_as_number => {
            s.parse::<i64>().map_or(Value::String(s), Value::from)
        }
        ("id" | "folderId" | "parentId", Value::Number(n)) if faults.ids_as_strings => {
            Value::from(n.to_string())
        }
        ("status", Value::Number(n)) if faults.status_as_string => Value::from(n.to_string()),
        ("operation" | "Operation", Value::Number(_)) if faults.foreign_operation_kind => {
            Value::from(7)
        }
        ("created" | "updated", Value::String(s)) if faults.dates_without_fraction => {
            Value::from(drop_fraction(&s))
        }
        ("created" | "updated", Value::String(s)) if faults.dates_as_objects => {
            serde_json::json!({"utcTime": s, "timeZoneOffset": "00:00:00"})
        }
        (_, other) => other,
    }
}

/// `2026-01-01T10:00:00.1234567Z` → `2026-01-01T10:00:00Z`.
fn drop_fraction(date: &str) -> String {
    match date.split_once('.') {
        Some((head, rest)) => {
            let zone = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            format!("{head}{zone}")
        }
        None => date.to_owned(),
    }
}

fn names(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), &v) {
                        ("rootFolderType", Value::Number(n)) if n.as_i64() == Some(5) => {
                            Value::from("USER")
                        }
                        ("rootFolderType", Value::Number(n)) if n.as_i64() == Some(3) => {
                            Value::from("TRASH")
                        }
                        ("fileType", Value::Number(n)) if n.as_i64() == Some(7) => {
                            Value::from("Document")
                        }
                        _ => names(v),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(names).collect()),
        other => other,
    }
}

fn pascal(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let mut chars = k.chars();
                    let key = chars
                        .next()
                        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                        .unwrap_or_default();
                    (key, pascal(v))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(pascal).collect()),
        other => other,
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response
}

fn json(status: StatusCode, text: String) -> Response {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}
