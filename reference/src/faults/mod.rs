//! Deliberately broken variants of the emulator, so a conformance suite can prove it catches
//! each departure. All off by default; none of them is upstream behaviour.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

mod reach;

/// Every dialect.
const ALL_DIALECTS: &[&str] = &["docspace", "workspace", "r7"];
/// DocSpace alone.
const DOCSPACE_ONLY: &[&str] = &["docspace"];
/// Workspace and its fork, the families that serve XML and escape `/`.
const WORKSPACE_FAMILY: &[&str] = &["workspace", "r7"];

/// Declares each fault once: its switch, its name, the dialects it applies to, and what it
/// breaks (the switch's doc).
macro_rules! faults {
    ($($(#[doc = $doc:literal])* $field:ident: $name:literal, $dialects:expr, $layer:ident;)*) => {
        /// Which faults to inject.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct Faults {
            $($(#[doc = $doc])* pub $field: bool,)*
        }

        impl Faults {
            /// The faults switched on.
            pub fn active(&self) -> Vec<&'static Fault> {
                let mut on = Vec::new();
                $(if self.$field {
                    on.extend(Fault::by_name($name));
                })*
                on
            }
        }

        /// Every fault that can be set from the outside.
        pub const ALL: &[Fault] = &[
            $(Fault {
                name: $name,
                dialects: $dialects,
                layer: Layer::$layer,
                breaks: concat!($($doc),*),
                set: |f| f.$field = true,
            },)*
        ];
    };
}

/// One fault, as data.
#[derive(Debug, Clone, Copy)]
pub struct Fault {
    /// Its name (`--fault NAME`).
    pub name: &'static str,
    /// The dialects it applies to.
    pub dialects: &'static [&'static str],
    /// Where it is injected.
    pub layer: Layer,
    /// What it breaks.
    pub breaks: &'static str,
    /// Switches it on.
    pub set: Setter,
}

/// Switches one fault on.
pub type Setter = fn(&mut Faults);

/// Where a fault is injected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// The HTTP layer rewrites requests or answers.
    Wire,
    /// The emulator itself behaves wrongly.
    Engine,
}

faults! {
    /// Refuse enums sent as names (only numbers accepted).
    enum_names_rejected: "enum-names-rejected", ALL_DIALECTS, Wire;
    /// Write enums in answers as names instead of numbers.
    enums_as_names: "enums-as-names", ALL_DIALECTS, Wire;
    /// Write every key of an answer in PascalCase.
    wrong_key_case: "wrong-key-case", ALL_DIALECTS, Wire;
    /// Write XML booleans as .NET's `True`/`False`.
    xml_booleans_capitalized: "xml-booleans-capitalized", WORKSPACE_FAMILY, Wire;
    /// Write an empty XML list as an empty element instead of nothing.
    empty_list_as_element: "empty-list-as-element", WORKSPACE_FAMILY, Wire;
    /// Write `statusCode` 200 whatever the HTTP status.
    status_code_always_200: "status-code-always-200", ALL_DIALECTS, Wire;
    /// Serve protected operations without a token (as the first user).
    no_auth: "no-auth", ALL_DIALECTS, Wire;
    /// List every user's operations to everyone.
    shared_operations: "shared-operations", ALL_DIALECTS, Engine;
    /// Keep reporting finished operations.
    read_once_broken: "read-once-broken", ALL_DIALECTS, Engine;
    /// Let Skip overwrite the target.
    skip_overwrites: "skip-overwrites", ALL_DIALECTS, Engine;
    /// Overwrite the target's content without a new version.
    overwrite_without_version: "overwrite-without-version", ALL_DIALECTS, Engine;
    /// Delete for good instead of moving to Trash.
    delete_bypasses_trash: "delete-bypasses-trash", ALL_DIALECTS, Engine;
    /// Answer malformed JSON with a 500.
    malformed_json_500: "malformed-json-500", ALL_DIALECTS, Wire;
    /// Write `progress` as a numeric string (`"50"`).
    progress_as_string: "progress-as-string", ALL_DIALECTS, Wire;
    /// Write `progress` 100 as 101.
    progress_over_100: "progress-over-100", ALL_DIALECTS, Wire;
    /// Write `finished` as a string (`"true"`).
    finished_as_string: "finished-as-string", ALL_DIALECTS, Wire;
    /// Write `processed` as a number.
    processed_as_number: "processed-as-number", ALL_DIALECTS, Wire;
    /// Write internal entry ids as numeric strings.
    ids_as_strings: "ids-as-strings", ALL_DIALECTS, Wire;
    /// Write the envelope's `status` as a string (`"0"`).
    status_as_string: "status-as-string", ALL_DIALECTS, Wire;
    /// Write an operation kind only the other family has (Duplicate, 7).
    foreign_operation_kind: "foreign-operation-kind", WORKSPACE_FAMILY, Wire;
    /// Write dates without their seven fractional digits.
    dates_without_fraction: "dates-without-fraction", ALL_DIALECTS, Wire;
    /// Write JSON without escaping `/` as `\/`.
    slash_unescaped: "slash-unescaped", WORKSPACE_FAMILY, Wire;
    /// Write dates as upstream's spec models them, `{utcTime, timeZoneOffset}` objects.
    dates_as_objects: "dates-as-objects", ALL_DIALECTS, Wire;
    /// Write the success envelope's `count` one too high.
    count_off_by_one: "count-off-by-one", WORKSPACE_FAMILY, Wire;
    /// Leave DocSpace's `links` out of the envelope.
    links_missing: "links-missing", DOCSPACE_ONLY, Wire;
    /// Write `status` 0 in the error envelope.
    error_status_0: "error-status-0", ALL_DIALECTS, Wire;
    /// Leave `message` out of the error object.
    error_message_missing: "error-message-missing", ALL_DIALECTS, Wire;
    /// Leave keys out instead of writing `null` (Workspace writes url, files, folders as null).
    nulls_omitted: "nulls-omitted", WORKSPACE_FAMILY, Wire;
    /// Write `"url": null` in operations (DocSpace omits nulls).
    nulls_written: "nulls-written", DOCSPACE_ONLY, Wire;
    /// Write `processed` as `"-1"`.
    processed_negative: "processed-negative", ALL_DIALECTS, Wire;
    /// Write operation ids that are not GUIDs.
    operation_id_not_guid: "operation-id-not-guid", ALL_DIALECTS, Wire;
    /// Write a folder type only DocSpace has (VirtualRooms, 14).
    folder_type_foreign: "folder-type-foreign", WORKSPACE_FAMILY, Wire;
    /// Write an access level only DocSpace has (RoomManager, 9).
    access_foreign: "access-foreign", WORKSPACE_FAMILY, Wire;
    /// Write dates without `Z` or an offset.
    date_zone_missing: "date-zone-missing", ALL_DIALECTS, Wire;
    /// Write a file's `version` as a string.
    version_as_string: "version-as-string", ALL_DIALECTS, Wire;
    /// Label JSON answers `text/plain`.
    json_as_text_plain: "json-as-text-plain", ALL_DIALECTS, Wire;
    /// Answer 401 with Workspace's plain-text body (DocSpace's challenge has none, or the
    /// error envelope).
    unauthorized_with_body: "unauthorized-with-body", DOCSPACE_ONLY, Wire;
    /// Answer a write sent to its `.xml` route in JSON (every Workspace route serves XML).
    xml_writes_json: "xml-writes-json", WORKSPACE_FAMILY, Wire;
    /// Write XML under `<answer>` instead of `<result>`.
    xml_root_renamed: "xml-root-renamed", WORKSPACE_FAMILY, Wire;
    /// Label XML answers `application/json`.
    xml_labelled_json: "xml-labelled-json", WORKSPACE_FAMILY, Wire;
    /// Refuse `Authorization: Bearer <token>` with 401 (only the raw token works).
    bearer_refused: "bearer-refused", ALL_DIALECTS, Wire;
    /// Serve emptytrash without a token (as the first user).
    empty_trash_anonymous: "empty-trash-anonymous", ALL_DIALECTS, Wire;
    /// Carry out every user's mutating requests as the first user.
    mutations_as_first_user: "mutations-as-first-user", ALL_DIALECTS, Wire;
    /// Refuse third-party string ids in bodies with 400.
    third_party_ids_rejected: "third-party-ids-rejected", ALL_DIALECTS, Wire;
    /// Read a non-boolean `immediately` as false instead of refusing it.
    bad_bool_accepted: "bad-bool-accepted", ALL_DIALECTS, Wire;
    /// Answer an unknown `conflictResolveType` name with 500.
    unknown_enum_500: "unknown-enum-500", ALL_DIALECTS, Wire;
    /// Skip DocSpace's refusal of a move into the folder's own subfolder.
    subfolder_move_allowed: "subfolder-move-allowed", DOCSPACE_ONLY, Engine;
    /// Queue a move or copy toward an unknown destination (DocSpace refuses it up front).
    unknown_destination_accepted: "unknown-destination-accepted", DOCSPACE_ONLY, Engine;
    /// Move items already in Trash to Trash again instead of removing them.
    trash_delete_not_permanent: "trash-delete-not-permanent", ALL_DIALECTS, Engine;
    /// Empty trash without removing anything.
    empty_trash_noop: "empty-trash-noop", ALL_DIALECTS, Engine;
    /// Let deleteversion delete the current version.
    current_version_deletable: "current-version-deletable", DOCSPACE_ONLY, Engine;
    /// Keep the title of a Duplicate copy (DocSpace renames it `a (1).docx`).
    duplicate_keeps_title: "duplicate-keeps-title", DOCSPACE_ONLY, Engine;
    /// Rename a Duplicate copy (Workspace keeps the title).
    duplicate_renamed: "duplicate-renamed", WORKSPACE_FAMILY, Engine;
    /// Report finished operations started with deleteAfter anyway.
    delete_after_ignored: "delete-after-ignored", ALL_DIALECTS, Engine;
    /// Terminate every user's operations.
    terminate_others: "terminate-others", ALL_DIALECTS, Engine;
    /// Terminate the other family's way (DocSpace drops at once, Workspace signals).
    terminate_flipped: "terminate-flipped", ALL_DIALECTS, Engine;
    /// Serve no finished download at its url.
    download_url_broken: "download-url-broken", ALL_DIALECTS, Engine;
    /// Accept a second bulk download while the caller's first is unfinished.
    downloads_concurrent: "downloads-concurrent", ALL_DIALECTS, Engine;
    /// Report a copy's source in `files`/`folders` instead of the copy.
    copy_reports_source: "copy-reports-source", ALL_DIALECTS, Engine;
    /// Report the entry a skipped file clashed with, as if it were the result.
    skip_reported: "skip-reported", ALL_DIALECTS, Engine;
    /// Refuse form and multipart bodies with 415 (DocSpace's binding on Workspace).
    forms_refused: "forms-refused", WORKSPACE_FAMILY, Wire;
    /// Read no flags on DELETE file/{id} and folder/{id} (always to Trash).
    delete_routes_ignore_flags: "delete-routes-ignore-flags", ALL_DIALECTS, Engine;
    /// Serve downloads at the other family's handler path.
    download_handler_foreign: "download-handler-foreign", ALL_DIALECTS, Engine;
    /// Let deleteversion finish without deleting the versions it names.
    version_deletion_noop: "version-deletion-noop", DOCSPACE_ONLY, Engine;
    // The facts register's newer checks (issue 23): each breaks one fact.
    /// List every kind on GET fileops/{operationType}.
    kind_filter_ignored: "kind-filter-ignored", DOCSPACE_ONLY, Wire;
    /// Ignore the `id` query of the operation lists.
    id_filter_ignored: "id-filter-ignored", DOCSPACE_ONLY, Wire;
    /// Answer a copy, move or delete with the caller's operations of every kind.
    answers_every_kind: "answers-every-kind", DOCSPACE_ONLY, Engine;
    /// Cancel all of the caller's operations on PUT terminate/{id}.
    terminate_by_id_all: "terminate-by-id-all", DOCSPACE_ONLY, Wire;
    /// Serve DocSpace's duplicate route on Workspace.
    docspace_routes_on_workspace: "docspace-routes-on-workspace", WORKSPACE_FAMILY, Wire;
    /// Refuse the `.json` route suffix (404).
    json_suffix_refused: "json-suffix-refused", WORKSPACE_FAMILY, Wire;
    /// Serve `fileops.json` as the operations' list on DocSpace.
    docspace_json_suffix: "docspace-json-suffix", DOCSPACE_ONLY, Wire;
    /// Drop request body properties written in another case than camelCase.
    keys_case_sensitive: "keys-case-sensitive", ALL_DIALECTS, Wire;
    /// Refuse id lists holding values of other JSON kinds with 400.
    other_id_kinds_refused: "other-id-kinds-refused", DOCSPACE_ONLY, Wire;
    /// Ignore returnSingleOperation.
    single_operation_ignored: "single-operation-ignored", DOCSPACE_ONLY, Wire;
    /// Queue an operation for an empty selection.
    empty_selection_queues: "empty-selection-queues", DOCSPACE_ONLY, Engine;
    /// Ignore query values named `name[]`.
    query_brackets_ignored: "query-brackets-ignored", ALL_DIALECTS, Wire;
    /// Give checkdestfolder's verdict on the distinct ids (a repeated one is AllAllowed).
    checkdest_dedup: "checkdest-dedup", DOCSPACE_ONLY, Engine;
    /// Write a url on every operation.
    url_on_every_operation: "url-on-every-operation", ALL_DIALECTS, Wire;
    /// Ignore the asc_auth_key cookie.
    cookie_refused: "cookie-refused", ALL_DIALECTS, Wire;
    /// Leave the WWW-Authenticate challenge out.
    challenge_missing: "challenge-missing", WORKSPACE_FAMILY, Wire;
    /// Refuse a login with a bare text body, no envelope.
    login_refusal_bare: "login-refusal-bare", ALL_DIALECTS, Wire;
    /// Ignore a listing's startIndex and count.
    paging_ignored: "paging-ignored", ALL_DIALECTS, Wire;
    /// Give Trash the rootFolderType of My documents (5).
    trash_root_type: "trash-root-type", ALL_DIALECTS, Wire;
    /// List an entry that is not a direct child.
    listing_deep: "listing-deep", ALL_DIALECTS, Wire;
    /// Write a listing's pathParts from the folder up to the root.
    path_parts_reversed: "path-parts-reversed", ALL_DIALECTS, Wire;
    /// Answer an unknown folder or file with 500.
    unknown_entry_500: "unknown-entry-500", ALL_DIALECTS, Wire;
    /// Answer an unknown file's history with 404.
    history_unknown_404: "history-unknown-404", DOCSPACE_ONLY, Wire;
    /// List a folder inside Trash.
    trash_preview_allowed: "trash-preview-allowed", ALL_DIALECTS, Engine;
    /// Give a folder's information its own id as parentId.
    info_wrong_parent: "info-wrong-parent", ALL_DIALECTS, Wire;
    /// Answer a file's history with no versions.
    history_empty: "history-empty", DOCSPACE_ONLY, Wire;
    /// Answer a POST with 200 instead of Workspace's 201.
    post_status_200: "post-status-200", WORKSPACE_FAMILY, Wire;
    /// Rename a folder created with a title already there (`x (1)`).
    folder_titles_deduplicated: "folder-titles-deduplicated", DOCSPACE_ONLY, Engine;
    /// Keep the characters titles may not hold.
    titles_unsanitized: "titles-unsanitized", ALL_DIALECTS, Engine;
    /// Create a folder without a title, as `New folder`.
    untitled_folder_accepted: "untitled-folder-accepted", ALL_DIALECTS, Wire;
    /// Create folders and files in Trash, in unknown folders and with titles of any length.
    create_anywhere: "create-anywhere", DOCSPACE_ONLY, Engine;
    /// Keep a new file's title as asked (`Notes.txt`).
    extension_kept: "extension-kept", ALL_DIALECTS, Engine;
    /// Write a new file's version as 0.
    new_file_version_0: "new-file-version-0", ALL_DIALECTS, Wire;
    /// Refuse an unknown source folder of a move or copy with 404.
    unknown_source_404: "unknown-source-404", DOCSPACE_ONLY, Engine;
    /// Give a moved file a new id.
    move_new_id: "move-new-id", ALL_DIALECTS, Engine;
    /// Replace an overwritten target with a new file (a new id).
    overwrite_new_id: "overwrite-new-id", ALL_DIALECTS, Engine;
    /// Send the source of an overwriting move to Trash.
    overwrite_move_to_trash: "overwrite-move-to-trash", ALL_DIALECTS, Engine;
    /// Rename a file moved with Duplicate (`a (1).docx`).
    duplicate_move_renames: "duplicate-move-renames", ALL_DIALECTS, Engine;
    /// Merge a folder copied with Duplicate into a same-named one.
    duplicate_folder_merges: "duplicate-folder-merges", DOCSPACE_ONLY, Engine;
    /// Make a copy of a folder copied into its own parent with Skip.
    same_parent_copies: "same-parent-copies", ALL_DIALECTS, Engine;
    /// Queue a delete of an unknown file or folder.
    delete_unknown_accepted: "delete-unknown-accepted", DOCSPACE_ONLY, Engine;
    /// Total Trash one entry too many.
    trash_total_stale: "trash-total-stale", ALL_DIALECTS, Wire;
    /// Duplicate a folder without its content.
    duplicate_folder_empty: "duplicate-folder-empty", DOCSPACE_ONLY, Engine;
    /// Copy a file without its content.
    copy_empties: "copy-empties", ALL_DIALECTS, Engine;
    /// List a file in finished downloads.
    download_lists_entries: "download-lists-entries", ALL_DIALECTS, Wire;
    /// Pack a download of one file into a zip.
    single_download_zipped: "single-download-zipped", DOCSPACE_ONLY, Engine;
    /// Queue a download of nothing the portal has.
    download_nothing_accepted: "download-nothing-accepted", DOCSPACE_ONLY, Engine;
    /// Delete versions of a file in Trash.
    versions_in_trash_deletable: "versions-in-trash-deletable", DOCSPACE_ONLY, Engine;
    /// Answer an `.xml` route in XML even when the request is JSON.
    xml_for_json_requests: "xml-for-json-requests", WORKSPACE_FAMILY, Wire;
}

impl Fault {
    /// The fault named `name`.
    pub fn by_name(name: &str) -> Option<&'static Fault> {
        ALL.iter().find(|f| f.name == name)
    }

    /// One line for `--list-faults`: name, dialects, what it breaks.
    pub fn line(&self) -> String {
        format!(
            "{}\t{}\t{}",
            self.name,
            self.dialects.join(","),
            self.breaks.trim()
        )
    }
}

impl Faults {
    /// Whether any wire fault needs the HTTP layer.
    pub fn touches_wire(&self) -> bool {
        self.active().iter().any(|f| f.layer == Layer::Wire)
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
    let Ok(mut bytes) = to_bytes(body, 8 << 20).await else {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, "too large");
    };
    let seen = reach::Seen {
        method: parts.method.clone(),
        path: parts.uri.path().to_owned(),
    };
    if let Some(answer) = reach::request(&mut parts, &mut bytes, faults) {
        return answer;
    }
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
    if let Some(refused) = refuse_request(&parts, &bytes, faults) {
        return refused;
    }
    let mutating = parts.method != axum::http::Method::GET;
    let anonymous_trash =
        faults.empty_trash_anonymous && parts.uri.path().ends_with("/fileops/emptytrash");
    if (anonymous_trash && !parts.headers.contains_key(header::AUTHORIZATION))
        || (faults.mutations_as_first_user
            && mutating
            && parts.headers.contains_key(header::AUTHORIZATION))
    {
        if let Ok(value) = HeaderValue::from_str(&wire.token) {
            parts.headers.insert(header::AUTHORIZATION, value);
        }
    }
    let bytes = if faults.bad_bool_accepted {
        lenient_bool(bytes)
    } else {
        bytes
    };
    if faults.xml_writes_json && parts.method == axum::http::Method::PUT {
        let stripped = parts.uri.path().strip_suffix(".xml").map(str::to_owned);
        if let Some(uri) = stripped.and_then(|p| p.parse().ok()) {
            parts.uri = uri;
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
    rewrite(response, &seen, faults).await
}

async fn rewrite(response: Response, seen: &reach::Seen, faults: Faults) -> Response {
    let (mut parts, body) = response.into_parts();
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
    if faults.unauthorized_with_body && parts.status == StatusCode::UNAUTHORIZED && text.is_empty()
    {
        let mut answer = plain(StatusCode::UNAUTHORIZED, "Unauthorized");
        answer.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        return answer;
    }
    relabel(&mut parts.headers, &kind, faults);
    let text = if kind.contains("xml") {
        let mut text = text;
        if faults.xml_root_renamed {
            text = text
                .replace("<result>", "<answer>")
                .replace("</result>", "</answer>");
        }
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
                envelope_faults(&mut value, faults);
                reach::answer(
                    seen,
                    &mut parts.status,
                    &mut parts.headers,
                    Some(&mut value),
                    faults,
                );
                let text = value.to_string();
                // serde_json drops Workspace's `\/`; every `/` in JSON text is inside a
                // string, so putting them back keeps the other faults apart from this one.
                if original_escapes_slash && !faults.slash_unescaped {
                    text.replace('/', "\\/")
                } else {
                    text
                }
            }
            Err(_) => {
                reach::answer(seen, &mut parts.status, &mut parts.headers, None, faults);
                text
            }
        }
    } else {
        text
    };
    if !kind.contains("json") {
        reach::answer(seen, &mut parts.status, &mut parts.headers, None, faults);
    }
    let mut response = Response::from_parts(parts, Body::from(text));
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}

/// Request faults that answer at once: a refused Bearer token, refused third-party ids, a
/// 500 for an unknown enum name.
fn refuse_request(
    parts: &axum::http::request::Parts,
    bytes: &[u8],
    faults: Faults,
) -> Option<Response> {
    let authorization = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if faults.bearer_refused && authorization.starts_with("Bearer ") {
        return Some(plain(StatusCode::UNAUTHORIZED, ""));
    }
    let media = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if faults.forms_refused && (media.contains("form-urlencoded") || media.contains("multipart")) {
        return Some(json(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            r#"{"status":1,"statusCode":415,"error":{"message":"Unsupported media type"}}"#.into(),
        ));
    }
    let body: Value = serde_json::from_slice(bytes).ok()?;
    let third_party = ["fileIds", "folderIds"].iter().any(|key| {
        body[key].as_array().is_some_and(|ids| {
            ids.iter()
                .any(|id| id.as_str().is_some_and(|s| s.parse::<i64>().is_err()))
        })
    });
    if faults.third_party_ids_rejected && third_party {
        return Some(json(
            StatusCode::BAD_REQUEST,
            r#"{"status":1,"statusCode":400,"error":{"message":"ids must be numbers"}}"#.into(),
        ));
    }
    let unknown_enum = body["conflictResolveType"].as_str().is_some_and(|s| {
        !["skip", "overwrite", "duplicate"].contains(&s.to_ascii_lowercase().as_str())
            && s.parse::<i64>().is_err()
    });
    if faults.unknown_enum_500 && unknown_enum {
        return Some(plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Requested value was not found.",
        ));
    }
    None
}

/// A body whose non-boolean `immediately` reads as false.
fn lenient_bool(bytes: axum::body::Bytes) -> axum::body::Bytes {
    let Ok(mut body) = serde_json::from_slice::<Value>(&bytes) else {
        return bytes;
    };
    match body.get_mut("immediately") {
        Some(value) if !value.is_boolean() => *value = Value::Bool(false),
        _ => return bytes,
    }
    axum::body::Bytes::from(body.to_string())
}

/// Content types that lie about the body.
fn relabel(headers: &mut axum::http::HeaderMap, kind: &str, faults: Faults) {
    let label = if faults.json_as_text_plain && kind.contains("json") {
        "text/plain; charset=utf-8"
    } else if faults.xml_labelled_json && kind.contains("xml") {
        "application/json; charset=utf-8"
    } else {
        return;
    };
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(label));
}

/// Faults of the envelope itself (the answer's root object).
fn envelope_faults(value: &mut Value, faults: Faults) {
    let Some(root) = value.as_object_mut() else {
        return;
    };
    if faults.count_off_by_one {
        if let Some(count) = root.get("count").and_then(Value::as_i64) {
            root.insert("count".into(), Value::from(count + 1));
        }
    }
    if faults.links_missing {
        root.remove("links");
    }
    let is_error = root.contains_key("error");
    if faults.error_status_0 && is_error {
        root.insert("status".into(), Value::from(0));
    }
    if faults.error_message_missing {
        if let Some(error) = root.get_mut("error").and_then(Value::as_object_mut) {
            error.remove("message");
        }
    }
}

/// The value faults, applied key by key through the whole answer.
fn values(value: Value, faults: Faults) -> Value {
    match value {
        Value::Object(map) => {
            let operation = map.contains_key("progress");
            let mut map: serde_json::Map<String, Value> = map
                .into_iter()
                .filter(|(_, v)| !(faults.nulls_omitted && v.is_null()))
                .map(|(k, v)| {
                    let v = value_fault(&k, values(v, faults), faults);
                    let v = match (operation, k.as_str(), v) {
                        (true, "id", Value::String(s)) if faults.operation_id_not_guid => {
                            Value::from(format!("op-{}", s.chars().take(8).collect::<String>()))
                        }
                        (_, _, v) => v,
                    };
                    (k, v)
                })
                .collect();
            if operation && faults.nulls_written {
                map.entry("url").or_insert(Value::Null);
            }
            Value::Object(map)
        }
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
        ("processed", Value::String(_)) if faults.processed_negative => Value::from("-1"),
        ("rootFolderType", Value::Number(_)) if faults.folder_type_foreign => Value::from(14),
        ("access", Value::Number(_)) if faults.access_foreign => Value::from(9),
        ("version", Value::Number(n)) if faults.version_as_string => Value::from(n.to_string()),
        ("created" | "updated", Value::String(s)) if faults.date_zone_missing => {
            Value::from(s.trim_end_matches('Z').to_owned())
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

pub(super) fn json(status: StatusCode, text: String) -> Response {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}
