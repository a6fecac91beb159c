//! Reading is lenient like the .NET servers; bad input gets an error that says where and why.

mod support;

use fileops_api::dialects;
use fileops_api::runtime::{codec, EntryId, Format, Success, WireEnum};
use fileops_api::types::*;

#[test]
fn keys_match_in_any_case_and_docspace_operation_reads() {
    let body =
        br#"{"ID":"x","Operation":2,"PROGRESS":"40","Error":"","processed":1,"Finished":"True"}"#;
    let op: FileOperation = codec::decode_json(body, None).expect("lenient");
    assert_eq!(op.operation, Some(FileOperationType::Delete));
    assert_eq!(op.progress, 40);
    assert_eq!(op.processed, "1");
    assert!(op.finished);
}

#[test]
fn ids_read_as_numbers_numeric_strings_or_third_party_strings() {
    let body = br#"{"fileIds":[123,"123","sbox-12-|Docs|a.docx"],"destFolderId":"7"}"#;
    let request: BatchRequest = codec::decode_json(body, None).expect("ids");
    assert_eq!(
        request.file_ids,
        vec![
            EntryId::Int(123),
            EntryId::Int(123),
            EntryId::Str("sbox-12-|Docs|a.docx".into())
        ]
    );
    assert_eq!(request.dest_folder_id, EntryId::Int(7));
}

#[test]
fn an_unlisted_enum_value_is_kept_when_read_and_refused_in_a_request() {
    let body = br#"{"destFolderId":1,"conflictResolveType":"Replace"}"#;
    let request: BatchRequest = codec::decode_json(body, None).expect("kept");
    assert_eq!(
        request.conflict_resolve_type,
        Some(FileConflictResolveType::UnlistedName("Replace".into()))
    );
    // A server refuses it, naming the field, the enum and the value.
    let err = codec::decode_request_json::<BatchRequest>(body, &dialects::DOCSPACE)
        .expect_err("unlisted in a request");
    assert_eq!(err.pointer, "/conflictResolveType");
    assert!(err.message.contains("FileConflictResolveType"), "{err}");
    assert!(err.message.contains("Replace"), "{err}");
    let body = br#"{"destFolderId":1,"conflictResolveType":9}"#;
    let request: BatchRequest = codec::decode_json(body, None).expect("kept");
    assert_eq!(
        request.conflict_resolve_type,
        Some(FileConflictResolveType::Unlisted(9))
    );
    let err = codec::decode_request_json::<BatchRequest>(body, &dialects::WORKSPACE)
        .expect_err("unlisted number");
    assert!(err.message.contains("\"9\""), "{err}");
    // A listed value passes.
    let body = br#"{"destFolderId":1,"conflictResolveType":"overwrite"}"#;
    let request: BatchRequest = codec::decode_json(body, None).expect("listed");
    let served: BatchRequest =
        codec::decode_request_json(body, &dialects::DOCSPACE).expect("a listed value passes");
    assert_eq!(served, request);
}

#[test]
fn docspace_maps_unknown_file_share_input_to_none_as_upstream_does() {
    let body = br#"{"title":"a","access":"NoSuchLevel"}"#;
    let folder: Folder = codec::decode_json(body, Some(&dialects::DOCSPACE)).expect("mapped");
    assert_eq!(folder.access, Some(FileShare::None));
    let folder: Folder = codec::decode_json(body, Some(&dialects::WORKSPACE)).expect("kept");
    assert_eq!(
        folder.access,
        Some(FileShare::UnlistedName("NoSuchLevel".into()))
    );
}

/// A folder type a newer DocSpace added (36) in a listing: read in JSON and XML by every
/// dialect, visible to the caller, and written back unchanged.
#[test]
fn an_unlisted_enum_value_round_trips_in_json_and_xml() {
    for dialect in dialects::ALL {
        for format in dialect.formats {
            let body = br#"{"id":5,"title":"new kind","rootFolderType":36}"#;
            let folder: Folder = codec::decode_json(body, Some(dialect)).expect("kept");
            assert_eq!(folder.root_folder_type, Some(FolderType::Unlisted(36)));
            let answer = Success::ok(vec![folder.clone()]);
            let text = codec::encode_success(&answer, dialect, *format).expect("writes");
            assert!(text.contains("36"), "{}: {text}", dialect.name);
            let read: Success<Vec<Folder>> =
                codec::decode_success(text.as_bytes(), *format, Some(dialect))
                    .unwrap_or_else(|e| panic!("{} {format:?}: {e}\n{text}", dialect.name));
            assert_eq!(
                read.response[0].root_folder_type,
                Some(FolderType::Unlisted(36)),
                "{} {format:?}",
                dialect.name
            );
            let again = codec::encode_success(&Success::ok(read.response), dialect, *format)
                .expect("writes");
            assert_eq!(again, text, "{} {format:?}", dialect.name);
        }
    }
    let named: FolderType = serde_json::from_str("\"BrandNewRoom\"").expect("kept");
    assert_eq!(named, FolderType::UnlistedName("BrandNewRoom".into()));
    assert_eq!(
        serde_json::to_string(&named).expect("writes"),
        "\"BrandNewRoom\""
    );
    assert_eq!(named.to_string(), "BrandNewRoom");
    assert_eq!(FolderType::Unlisted(36).to_string(), "36");
    assert!(!named.is_listed() && FolderType::Trash.is_listed());
}

#[test]
fn missing_required_fields_and_wrong_types_are_located() {
    let err = codec::decode_json::<BatchRequest>(br#"{"fileIds":[1]}"#, None).expect_err("missing");
    assert!(err.message.contains("destFolderId"), "{err}");
    let err =
        codec::decode_json::<BatchRequest>(br#"{"destFolderId":1,"deleteAfter":"maybe"}"#, None)
            .expect_err("not a bool");
    assert_eq!(err.pointer, "/deleteAfter");
    let err = codec::decode_json::<BatchRequest>(br#"{"destFolderId":1,"fileIds":[true]}"#, None)
        .expect_err("not an id");
    assert_eq!(err.pointer, "/fileIds/0");
    let err =
        codec::decode_json::<BatchRequest>(b"{\"destFolderId\":", None).expect_err("truncated");
    assert!(err.message.starts_with("malformed JSON"), "{err}");
    // Bytes that are not UTF-8 inside a string: a located error, not a panic.
    let err = codec::decode_json::<BatchRequest>(b"{\"destFolderId\":\"a\xff\"}", None)
        .expect_err("not UTF-8");
    assert!(err.message.contains("line 1 column"), "{err}");
}

#[test]
fn malformed_xml_is_an_error_not_a_panic() {
    for body in [
        "<result><status>0</status>",
        "<result><a></b></result>",
        "",
        "not xml",
    ] {
        let err = codec::decode_success::<Vec<FileOperation>>(body.as_bytes(), Format::Xml, None);
        assert!(err.is_err(), "{body:?} must not parse");
    }
}

#[test]
fn dates_keep_seven_digits_and_offset_and_pad_shorter_fractions() {
    let d: fileops_api::runtime::ApiDateTime =
        serde_json::from_str("\"2010-07-07T17:06:03.5845502+03:00\"").expect("date");
    assert_eq!(d.as_str(), "2010-07-07T17:06:03.5845502+03:00");
    let d: fileops_api::runtime::ApiDateTime =
        serde_json::from_str("\"2010-07-07T17:06:03.58Z\"").expect("short");
    assert_eq!(d.as_str(), "2010-07-07T17:06:03.5800000Z");
    let err = serde_json::from_str::<fileops_api::runtime::ApiDateTime>("\"yesterday\"")
        .expect_err("bad");
    assert!(err.to_string().contains("yesterday"));
    // The same rules from borrowed text.
    use fileops_api::runtime::ApiDateTime;
    let kept = ApiDateTime::parse("2010-07-07T17:06:03.5845502Z").expect("date");
    assert_eq!(kept.as_str(), "2010-07-07T17:06:03.5845502Z");
    let padded = ApiDateTime::parse("2010-07-07T17:06:03-05:00").expect("no fraction");
    assert_eq!(padded.as_str(), "2010-07-07T17:06:03.0000000-05:00");
    assert!(ApiDateTime::parse("2010-07-07T17:06:03.58455021Z").is_err());
}

#[test]
fn flags_read_numbers_and_names() {
    let status: FileStatus = serde_json::from_str("\"IsEditing, isnew\"").expect("names");
    assert_eq!(status, FileStatus::IS_EDITING | FileStatus::IS_NEW);
    assert!(status.contains(FileStatus::IS_NEW));
    let status: FileStatus = serde_json::from_str("3").expect("number");
    assert_eq!(status, FileStatus::IS_EDITING | FileStatus::IS_NEW);
    assert!(serde_json::from_str::<FileStatus>("\"IsNothing\"").is_err());
}
