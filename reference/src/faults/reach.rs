//! The HTTP-layer faults of the facts register's newer checks: each rewrites one request or
//! one answer so that exactly one fact of the notes breaks.

use axum::body::Bytes;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::{json as json_answer, Faults};

/// What the answer-side faults need to know of the request.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The method.
    pub method: Method,
    /// The path, as sent.
    pub path: String,
}

/// The API's fileops path.
const FILEOPS: &str = "/api/2.0/files/fileops";

/// Rewrites a request before the router sees it, or answers it at once.
pub fn request(parts: &mut Parts, bytes: &mut Bytes, faults: Faults) -> Option<Response> {
    let path = parts.uri.path().to_owned();
    let get = parts.method == Method::GET;
    if faults.docspace_routes_on_workspace && path.starts_with(&format!("{FILEOPS}/duplicate")) {
        return Some(json_answer(
            StatusCode::OK,
            r#"{"status":0,"statusCode":200,"response":[]}"#.into(),
        ));
    }
    if faults.json_suffix_refused && path.ends_with(".json") {
        return Some(json_answer(
            StatusCode::NOT_FOUND,
            r#"{"status":1,"statusCode":404,"error":{"message":"No route","data":{}}}"#.into(),
        ));
    }
    if faults.other_id_kinds_refused && other_id_kinds(bytes) {
        return Some(json_answer(
            StatusCode::BAD_REQUEST,
            r#"{"error":{"message":"ids must be numbers or strings"},"status":1,"statusCode":400}"#
                .into(),
        ));
    }
    let mut new_path = path.clone();
    if faults.docspace_json_suffix {
        new_path = new_path.trim_end_matches(".json").to_owned();
    }
    if faults.kind_filter_ignored && get {
        if let Some(kind) = new_path.strip_prefix(&format!("{FILEOPS}/")) {
            if kind.parse::<i64>().is_ok() {
                new_path = FILEOPS.to_owned();
            }
        }
    }
    if faults.terminate_by_id_all && new_path.starts_with(&format!("{FILEOPS}/terminate/")) {
        new_path = format!("{FILEOPS}/terminate");
    }
    let listing = get && is_listing(&new_path);
    let drop_query = |name: &str| {
        (faults.id_filter_ignored && get && new_path.starts_with(FILEOPS) && name == "id")
            || (faults.query_brackets_ignored && (name.ends_with("[]") || name.ends_with("%5B%5D")))
            || (faults.paging_ignored && listing && (name == "startIndex" || name == "count"))
    };
    let query: Vec<&str> = parts
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty() && !drop_query(pair.split('=').next().unwrap_or("")))
        .collect();
    let uri = if query.is_empty() {
        new_path
    } else {
        format!("{new_path}?{}", query.join("&"))
    };
    if let Ok(uri) = uri.parse() {
        parts.uri = uri;
    }
    if faults.cookie_refused {
        parts.headers.remove(header::COOKIE);
    }
    let json_request = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.contains("json"));
    if faults.xml_for_json_requests && json_request && path.ends_with(".xml") {
        parts
            .headers
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    }
    rewrite_body(&path, bytes, faults);
    None
}

/// Whether a path lists a folder (`/api/2.0/files/{id}`).
fn is_listing(path: &str) -> bool {
    let path = path.trim_end_matches(".json").trim_end_matches(".xml");
    path.strip_prefix("/api/2.0/files/")
        .is_some_and(|rest| !rest.contains('/') && rest.parse::<i64>().is_ok())
}

/// Whether a JSON body's id lists hold values that are neither numbers nor strings.
fn other_id_kinds(bytes: &Bytes) -> bool {
    let Ok(body) = serde_json::from_slice::<Value>(bytes) else {
        return false;
    };
    ["fileIds", "folderIds"].iter().any(|key| {
        body[key]
            .as_array()
            .is_some_and(|ids| ids.iter().any(|id| !(id.is_number() || id.is_string())))
    })
}

/// The JSON body faults: keys in another case dropped, returnSingleOperation dropped, a
/// folder without a title given one.
fn rewrite_body(path: &str, bytes: &mut Bytes, faults: Faults) {
    if !(faults.keys_case_sensitive
        || faults.single_operation_ignored
        || faults.untitled_folder_accepted)
    {
        return;
    }
    let Ok(Value::Object(mut body)) = serde_json::from_slice::<Value>(bytes) else {
        return;
    };
    if faults.keys_case_sensitive {
        body.retain(|key, _| !key.starts_with(|c: char| c.is_ascii_uppercase()));
    }
    if faults.single_operation_ignored {
        body.remove("returnSingleOperation");
    }
    let new_folder = path.starts_with("/api/2.0/files/folder/");
    if faults.untitled_folder_accepted && new_folder && !body.contains_key("title") {
        body.insert("title".into(), json!("New folder"));
    }
    *bytes = Bytes::from(Value::Object(body).to_string());
}

/// Rewrites an answer's status, headers or JSON body for the request `seen`.
pub fn answer(
    seen: &Seen,
    status: &mut StatusCode,
    headers: &mut axum::http::HeaderMap,
    value: Option<&mut Value>,
    faults: Faults,
) {
    let before = *status;
    if faults.challenge_missing {
        headers.remove(header::WWW_AUTHENTICATE);
    }
    let path = seen.path.trim_end_matches(".json").trim_end_matches(".xml");
    let get = seen.method == Method::GET;
    if faults.post_status_200 && seen.method == Method::POST && *status == StatusCode::CREATED {
        *status = StatusCode::OK;
    }
    let entry_read = get
        && (is_listing(path)
            || path.starts_with("/api/2.0/files/folder/")
            || (path.starts_with("/api/2.0/files/file/") && !path.ends_with("/history")));
    let history = get && path.ends_with("/history");
    if faults.unknown_entry_500 && entry_read && [403, 404].contains(&status.as_u16()) {
        *status = StatusCode::INTERNAL_SERVER_ERROR;
    }
    if faults.history_unknown_404 && history && *status == StatusCode::FORBIDDEN {
        *status = StatusCode::NOT_FOUND;
    }
    let Some(value) = value else {
        return;
    };
    if *status != before {
        if let Some(code) = value.get_mut("statusCode") {
            *code = json!(status.as_u16());
        }
    }
    let ok = status.is_success();
    let login = seen.method == Method::POST && path == "/api/2.0/authentication";
    if faults.login_refusal_bare && login && !ok {
        *value = json!("User authentication failed");
        return;
    }
    let Some(response) = value.get_mut("response") else {
        return;
    };
    if faults.history_empty && history && ok {
        *response = json!([]);
    }
    if faults.trash_root_type && get && path == "/api/2.0/files/@trash" && ok {
        response["current"]["rootFolderType"] = json!(5);
    }
    if faults.trash_total_stale && get && path == "/api/2.0/files/@trash" && ok {
        let total = response["total"].as_i64().unwrap_or(0);
        response["total"] = json!(total + 1);
    }
    if faults.path_parts_reversed && get && is_listing(path) && ok {
        if let Some(parts) = response["pathParts"].as_array_mut() {
            parts.reverse();
        }
    }
    if faults.listing_deep && get && is_listing(path) && ok {
        if let Some(files) = response["files"].as_array_mut() {
            if let Some(mut deep) = files.first().cloned() {
                deep["id"] = json!(deep["id"].as_i64().unwrap_or(0) + 1_000_000);
                deep["title"] = json!("deeper.docx");
                files.push(deep);
            }
        }
    }
    if faults.info_wrong_parent && get && path.starts_with("/api/2.0/files/folder/") && ok {
        response["parentId"] = response["id"].clone();
    }
    let new_file = seen.method == Method::POST && path.ends_with("/file");
    if faults.new_file_version_0 && new_file && ok {
        response["version"] = json!(0);
    }
    operation_faults(response, faults);
}

/// Faults of the operations an answer lists: a url on every one, entries on downloads.
fn operation_faults(response: &mut Value, faults: Faults) {
    let Some(ops) = response.as_array_mut() else {
        return;
    };
    for op in ops.iter_mut().filter(|o| o.get("progress").is_some()) {
        let kind = op
            .get("Operation")
            .or_else(|| op.get("operation"))
            .and_then(Value::as_i64);
        if faults.url_on_every_operation && kind != Some(3) {
            op["url"] = json!("http://127.0.0.1/filehandler.ashx?action=bulk&filename=x");
        }
        if faults.download_lists_entries && kind == Some(3) {
            op["files"] = json!([{"id": 1, "title": "listed.docx"}]);
        }
    }
}
