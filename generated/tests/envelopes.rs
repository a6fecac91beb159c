//! Envelopes per dialect and format: reviewed snapshots, schema validity, JSON/XML parity.

mod support;

use fileops_api::dialects;
use fileops_api::runtime::{codec, ApiError, ErrorEnvelope, Format, Link, ProblemDetails, Success};
use fileops_api::types::*;
use serde_json::Value;
use support::{operations, schema_problems};

fn formats(dialect: &fileops_api::runtime::Dialect) -> Vec<Format> {
    dialect.formats.to_vec()
}

/// JSON laid out one value per line for review; string contents stay byte for byte (the
/// text is re-indented, not decoded), so Workspace's `\/` escapes stay visible.
fn layout(text: &str, format: Format) -> String {
    if format == Format::Xml {
        return text.to_owned();
    }
    jsonxf::pretty_print(text).unwrap_or_else(|e| panic!("re-indenting {text}: {e}"))
}

fn success() -> Success<Vec<FileOperation>> {
    let mut s = Success::ok(operations());
    s.links = vec![Link {
        href: "http://portal.example/api/2.0/files/fileops".into(),
        action: "GET".into(),
    }];
    s
}

#[test]
fn operation_lists_in_every_dialect_and_format() {
    for dialect in dialects::ALL {
        for format in formats(dialect) {
            let text = codec::encode_success(&success(), dialect, format).expect("writes");
            let name = format!("operations_{}_{:?}", dialect.name, format).to_lowercase();
            insta::assert_snapshot!(name, layout(&text, format));
        }
    }
}

#[test]
fn error_envelopes_in_every_dialect_and_format() {
    let error = ErrorEnvelope::Error {
        status_code: 403,
        error: ApiError::new("Too many downloads."),
    };
    let mut problem = ProblemDetails {
        title: Some("One or more validation errors occurred.".into()),
        status: Some(400),
        ..Default::default()
    };
    problem.errors.insert(
        "conflictResolveType".into(),
        vec!["The value 'Replace' is not valid.".into()],
    );
    let validation = ErrorEnvelope::Validation {
        status_code: 400,
        problem,
        links: Vec::new(),
    };
    for dialect in dialects::ALL {
        for format in formats(dialect) {
            for (kind, envelope) in [("error", &error), ("validation", &validation)] {
                let text = codec::encode_error(envelope, dialect, format).expect("writes");
                let name = format!("{kind}_{}_{:?}", dialect.name, format).to_lowercase();
                insta::assert_snapshot!(name, layout(&text, format));
                let back = codec::decode_error(text.as_bytes(), format, Some(dialect))
                    .expect("reads back");
                assert_eq!(back.status_code(), envelope.status_code());
                assert!(back.message().contains(if kind == "error" {
                    "Too many downloads."
                } else {
                    "Replace"
                }));
            }
        }
    }
}

#[test]
fn what_the_types_write_validates_against_the_schema() {
    for dialect in dialects::ALL {
        let wire = success().to_wire(dialect).expect("writes");
        let problems = schema_problems("FileOperationListEnvelope", &wire);
        assert!(
            problems.is_empty(),
            "{}: {problems:?}\n{wire:#}",
            dialect.name
        );
        let error = ErrorEnvelope::Error {
            status_code: 404,
            error: ApiError::new("The required file was not found"),
        };
        let problems = schema_problems("ErrorEnvelope", &error.to_wire(dialect).expect("writes"));
        assert!(problems.is_empty(), "{}: {problems:?}", dialect.name);
        let listing = Success::ok(FolderContent {
            files: vec![support::file(5, "a.docx")],
            folders: vec![support::folder(6, "Sub")],
            current: Some(support::folder(1, "My documents")),
            path_parts: vec![PathPart::EntryId(1.into())],
            start_index: Some(0),
            count: Some(2),
            total: Some(2),
            new: Some(0),
        });
        let problems = schema_problems(
            "FolderContentEnvelope",
            &listing.to_wire(dialect).expect("writes"),
        );
        assert!(problems.is_empty(), "{}: {problems:?}", dialect.name);
    }
}

#[test]
fn the_schema_validator_catches_a_wrong_answer() {
    // A guard that the validation above can fail: progress must be an integer.
    let mut wire = success().to_wire(&dialects::WORKSPACE).expect("writes");
    wire["response"][0]["progress"] = Value::String("a lot".into());
    assert!(!schema_problems("FileOperationListEnvelope", &wire).is_empty());
}

#[test]
fn dialects_differ_exactly_where_the_reference_says() {
    let docspace = success().to_wire(&dialects::DOCSPACE).expect("writes");
    let workspace = success().to_wire(&dialects::WORKSPACE).expect("writes");
    let first = |v: &Value| v["response"][0].clone();
    // Key of the operation kind, and the DocSpace-only status.
    assert_eq!(first(&docspace)["Operation"], 0);
    assert!(first(&docspace).get("operation").is_none());
    assert_eq!(first(&workspace)["operation"], 0);
    assert!(first(&workspace).get("status").is_none());
    // Nulls: omitted by DocSpace, written by Workspace.
    assert!(first(&docspace).get("url").is_none());
    assert_eq!(first(&workspace)["url"], Value::Null);
    // Envelope: DocSpace count is always 1 and has links; Workspace counts the list.
    assert_eq!(docspace["count"], 1);
    assert!(docspace.get("links").is_some());
    assert_eq!(workspace["count"], 2);
    assert!(workspace.get("links").is_none());
    // Workspace escapes slashes in JSON strings.
    let text =
        codec::encode_success(&success(), &dialects::WORKSPACE, Format::Json).expect("writes");
    assert!(text.contains(r"http:\/\/portal.example"), "{text}");
    // An empty list drops Workspace's count but keeps DocSpace's.
    let empty = Success::ok(Vec::<FileOperation>::new());
    assert!(empty
        .to_wire(&dialects::WORKSPACE)
        .expect("writes")
        .get("count")
        .is_none());
    assert_eq!(
        empty.to_wire(&dialects::DOCSPACE).expect("writes")["count"],
        1
    );
}

#[test]
fn conflict_resolve_type_is_written_as_a_name_for_docspace_only() {
    let body = BatchRequest {
        folder_ids: Vec::new(),
        file_ids: vec![1.into(), "sbox-1-|a.docx".into()],
        dest_folder_id: 2.into(),
        conflict_resolve_type: Some(FileConflictResolveType::Duplicate),
        delete_after: Some(true),
        content: Some(false),
        to_fill_out: None,
        return_single_operation: None,
    };
    let docspace: Value =
        serde_json::from_str(&codec::encode_json(&body, &dialects::DOCSPACE).expect("writes"))
            .expect("json");
    let workspace: Value =
        serde_json::from_str(&codec::encode_json(&body, &dialects::WORKSPACE).expect("writes"))
            .expect("json");
    assert_eq!(docspace["conflictResolveType"], "Duplicate");
    assert_eq!(workspace["conflictResolveType"], 2);
    assert!(
        workspace.get("content").is_none(),
        "content is a DocSpace-only field"
    );
    assert_eq!(
        docspace["fileIds"],
        serde_json::json!([1, "sbox-1-|a.docx"])
    );
}

#[test]
fn workspace_xml_reads_back_equal_to_the_json() {
    for dialect in [&dialects::WORKSPACE, &dialects::R7] {
        let json = codec::encode_success(&success(), dialect, Format::Json).expect("writes");
        let xml = codec::encode_success(&success(), dialect, Format::Xml).expect("writes");
        let from_json = codec::decode_success::<Vec<FileOperation>>(
            json.as_bytes(),
            Format::Json,
            Some(dialect),
        )
        .expect("json");
        let from_xml =
            codec::decode_success::<Vec<FileOperation>>(xml.as_bytes(), Format::Xml, Some(dialect))
                .expect("xml");
        support::assert_same(&from_json, &from_xml, dialect.name);
    }
}

#[test]
fn a_failed_comparison_shows_only_the_difference() {
    // The helper the comparisons above fail through: one changed field gives a short
    // unified diff naming it, not two whole documents.
    let expected = success();
    let mut got = success();
    got.response[0].progress = 99;
    let diff = support::debug_diff(&expected, &got);
    assert!(diff.starts_with("--- expected\n+++ got\n"), "{diff}");
    assert!(diff.contains("-            progress: 100,\n"), "{diff}");
    assert!(diff.contains("+            progress: 99,\n"), "{diff}");
    let whole = format!("{expected:#?}").lines().count();
    assert!(
        diff.lines().count() < 15 && whole > 100,
        "{whole} lines:\n{diff}"
    );
    assert!(support::debug_diff(&expected, &success()).is_empty());
}
