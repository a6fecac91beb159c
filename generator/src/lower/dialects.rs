//! Lowering `x-fileops-dialects` (the top-level dialect table) into [`DialectDef`]s.

use serde::Deserialize;
use serde_json::Value;

use crate::diag::{join, Diagnostic, Diagnostics};
use fileops_vocabulary::{
    AnonymousAnswer, CancelError, CountRule, ErrorField, ErrorKey, Format, MediaRefusal, NullStyle,
    ObjectCount, ReportedEntries, RequestBinding, RetentionFrom, SuccessError, SuccessKey,
    Terminate, UnknownDestination, UnqueuedTypes, ValidationStyle, Word,
};

use crate::ir::{Behaviour, DialectDef};

/// One entry of `x-fileops-dialects` as the schema nests it; every word is read straight
/// into the shared vocabulary, so a misspelt one is an error listing the words allowed.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawDialect {
    title: String,
    formats: Vec<Format>,
    #[serde(default)]
    xml_suffixes: Vec<String>,
    #[serde(default)]
    json_suffixes: Vec<String>,
    nulls: NullStyle,
    #[serde(default)]
    escape_slash: bool,
    success_envelope: RawSuccess,
    error_envelope: RawError,
    validation_errors: ValidationStyle,
    #[serde(default = "refused_with_error")]
    unsupported_media: MediaRefusal,
    unauthorized: RawUnauthorized,
    post_status: u16,
    behaviour: Behaviour,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawSuccess {
    keys: Vec<SuccessKey>,
    count: CountRule,
    #[serde(default = "one_object")]
    object_count: ObjectCount,
    #[serde(default)]
    links: bool,
}

fn one_object() -> ObjectCount {
    ObjectCount::One
}

fn refused_with_error() -> MediaRefusal {
    MediaRefusal::ErrorEnvelope
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawError {
    keys: Vec<ErrorKey>,
    error_keys: Vec<ErrorField>,
    error_nulls: NullStyle,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawUnauthorized {
    status: u16,
    content_type: Option<String>,
    #[serde(default)]
    also_content_types: Vec<String>,
    #[serde(default)]
    body: String,
    #[serde(default)]
    envelope: bool,
    #[serde(default)]
    challenge: bool,
}

/// The dialect table, or one JSON-only default dialect when the spec has none.
pub fn lower(
    extensions: &indexmap::IndexMap<String, Value>,
    out: &mut Diagnostics,
) -> Vec<DialectDef> {
    let Some(table) = extensions.get("x-fileops-dialects") else {
        return vec![default_dialect()];
    };
    let at = "/x-fileops-dialects";
    let Some(map) = table.as_object().filter(|m| !m.is_empty()) else {
        out.push(Diagnostic::error(
            at,
            "must map dialect names to their rules",
        ));
        return vec![default_dialect()];
    };
    map.iter()
        .filter_map(|(name, raw)| one(name, raw, &join(at, name), out))
        .collect()
}

/// One entry of the table, read at `at`; problems go to `out`.
pub fn one(name: &str, raw: &Value, at: &str, out: &mut Diagnostics) -> Option<DialectDef> {
    match serde_path_to_error::deserialize::<_, RawDialect>(raw) {
        Ok(d) => Some(build(name, d, at, out)),
        Err(e) => {
            use serde_path_to_error::Segment;
            let pointer = e
                .path()
                .iter()
                .fold(at.to_owned(), |at, segment| match segment {
                    Segment::Seq { index } => join(&at, &index.to_string()),
                    Segment::Map { key } => join(&at, key),
                    Segment::Enum { variant } => join(&at, variant),
                    Segment::Unknown => at,
                });
            out.push(Diagnostic::error(pointer, e.into_inner().to_string()));
            None
        }
    }
}

fn build(name: &str, d: RawDialect, at: &str, out: &mut Diagnostics) -> DialectDef {
    let has_xml = d.formats.contains(&Format::Xml);
    if has_xml == d.xml_suffixes.is_empty() {
        out.push(Diagnostic::error(
            join(at, "xml-suffixes"),
            "a dialect lists `xml` in formats exactly when it has XML path suffixes",
        ));
    }
    for (present, required, key) in [
        (
            d.success_envelope.keys.contains(&SuccessKey::Response),
            SuccessKey::Response.word(),
            "success-envelope/keys",
        ),
        (
            d.error_envelope.keys.contains(&ErrorKey::Error),
            ErrorKey::Error.word(),
            "error-envelope/keys",
        ),
        (
            d.error_envelope.error_keys.contains(&ErrorField::Message),
            ErrorField::Message.word(),
            "error-envelope/error-keys",
        ),
    ] {
        if !present {
            out.push(Diagnostic::error(
                format!("{at}/{key}"),
                format!("must include `{required}`"),
            ));
        }
    }
    if d.formats.first() != Some(&Format::Json) {
        out.push(Diagnostic::error(
            join(at, "formats"),
            "every dialect speaks JSON, listed first",
        ));
    }
    DialectDef {
        name: name.to_owned(),
        title: d.title,
        formats: d.formats,
        xml_suffixes: d.xml_suffixes,
        json_suffixes: d.json_suffixes,
        nulls: d.nulls,
        escape_slash: d.escape_slash,
        success_keys: d.success_envelope.keys,
        count: d.success_envelope.count,
        object_count: d.success_envelope.object_count,
        links: d.success_envelope.links,
        error_keys: d.error_envelope.keys,
        error_fields: d.error_envelope.error_keys,
        error_nulls: d.error_envelope.error_nulls,
        validation: d.validation_errors,
        unsupported_media: d.unsupported_media,
        unauthorized_status: d.unauthorized.status,
        unauthorized_content_type: d.unauthorized.content_type,
        unauthorized_also: d.unauthorized.also_content_types,
        unauthorized_body: d.unauthorized.body,
        unauthorized_envelope: d.unauthorized.envelope,
        unauthorized_challenge: d.unauthorized.challenge,
        post_status: d.post_status,
        behaviour: d.behaviour,
        readings: Vec::new(),
    }
}

/// The dialect a spec without `x-fileops-dialects` gets: plain JSON in the DocSpace envelope.
fn default_dialect() -> DialectDef {
    DialectDef {
        name: "default".into(),
        title: "the spec's own dialect (no x-fileops-dialects given)".into(),
        formats: vec![Format::Json],
        xml_suffixes: Vec::new(),
        json_suffixes: Vec::new(),
        nulls: NullStyle::Omit,
        escape_slash: false,
        success_keys: vec![
            SuccessKey::Response,
            SuccessKey::Count,
            SuccessKey::Links,
            SuccessKey::Status,
            SuccessKey::StatusCode,
        ],
        count: CountRule::Length,
        object_count: ObjectCount::One,
        links: true,
        error_keys: vec![ErrorKey::Error, ErrorKey::Status, ErrorKey::StatusCode],
        error_fields: vec![
            ErrorField::Message,
            ErrorField::Type,
            ErrorField::Stack,
            ErrorField::Hresult,
        ],
        error_nulls: NullStyle::Write,
        validation: ValidationStyle::ProblemDetails,
        unsupported_media: MediaRefusal::ErrorEnvelope,
        unauthorized_status: 401,
        unauthorized_content_type: None,
        unauthorized_also: Vec::new(),
        unauthorized_body: String::new(),
        unauthorized_envelope: false,
        unauthorized_challenge: false,
        post_status: 200,
        behaviour: docspace_behaviour(),
        readings: Vec::new(),
    }
}

/// DocSpace's rules, for a spec without a dialect table.
fn docspace_behaviour() -> Behaviour {
    Behaviour {
        terminate: Terminate::Remove,
        retention_seconds: 60,
        download_retention_seconds: 120,
        retention_from: RetentionFrom::LastChange,
        validate_up_front: true,
        duplicate_renames: true,
        success_error: SuccessError::Empty,
        conflicts_include_folders: true,
        path_parts_as_objects: true,
        empty_trash_always_queues: false,
        single_file_download_is_archive: false,
        reported_entries: ReportedEntries::LastPhase,
        download_handler: "/filehandler.ashx".into(),
        request_binding: RequestBinding::JsonBody,
        missing_entry_status: 404,
        bad_credentials_status: 401,
        unknown_source_folder_status: 500,
        login_status: 200,
        terminated_reappear: false,
        cancel_error: CancelError::Message,
        unknown_destination: UnknownDestination::Refused,
        anonymous_folder_listing: AnonymousAnswer::Unauthorized,
        anonymous_folder_info: AnonymousAnswer::Unauthorized,
        anonymous_file_reads: AnonymousAnswer::Unauthorized,
        anonymous_operations: AnonymousAnswer::Served,
        checkdest_unknown_destination_status: 404,
        checkdest_outside_rooms_status: 200,
        duplicate_unknown_file_status: 404,
        operation_type_names: true,
        unqueued_operation_types: UnqueuedTypes::BadRequest,
        mark_as_read_reports: true,
        empty_versions_for_good: true,
    }
}
