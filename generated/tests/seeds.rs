//! Every sample in the seed pages parses into the generated types.

mod support;

use fileops_api::dialects;
use fileops_api::runtime::{codec, Format};
use fileops_api::types::*;
use support::{json_blocks, seed, xml_blocks};

/// The seeds with response samples, and the dialect whose page each is.
const RESPONSE_SEEDS: [(&str, &str); 3] =
    [("002", "workspace"), ("003", "r7"), ("004", "workspace")];

#[test]
fn every_json_response_sample_parses() {
    for (prefix, dialect) in RESPONSE_SEEDS {
        let text = seed(prefix);
        let responses: Vec<String> = json_blocks(&text)
            .into_iter()
            .filter(|b| b.contains("\"response\""))
            .collect();
        assert_eq!(
            responses.len(),
            1,
            "seed {prefix} has one JSON response sample"
        );
        let dialect = dialects::by_name(dialect).expect("dialect");
        let answer = codec::decode_success::<Vec<FileOperation>>(
            responses[0].as_bytes(),
            Format::Json,
            Some(dialect),
        )
        .unwrap_or_else(|e| panic!("seed {prefix} JSON: {e}"));
        check_sample(prefix, &answer.response);
    }
}

#[test]
fn every_xml_response_sample_parses() {
    for (prefix, dialect) in RESPONSE_SEEDS {
        let text = seed(prefix);
        let blocks = xml_blocks(&text);
        assert_eq!(blocks.len(), 1, "seed {prefix} has one XML sample");
        let dialect = dialects::by_name(dialect).expect("dialect");
        let answer = codec::decode_success::<Vec<FileOperation>>(
            blocks[0].as_bytes(),
            Format::Xml,
            Some(dialect),
        )
        .unwrap_or_else(|e| panic!("seed {prefix} XML: {e}"));
        check_sample(prefix, &answer.response);
        // The doc pages write booleans as .NET's `False`/`True`; both read as booleans.
        assert!(!answer.response[0].finished);
    }
}

/// What every response sample in the seeds says, read through the types.
fn check_sample(prefix: &str, ops: &[FileOperation]) {
    assert_eq!(ops.len(), 1, "seed {prefix}: one operation");
    let op = &ops[0];
    assert_eq!(op.progress, 100);
    assert_eq!(op.processed, "1");
    assert!(
        op.operation.is_some(),
        "seed {prefix}: the operation kind is read"
    );
    let files = op.files.as_ref().expect("files");
    let folders = op.folders.as_ref().expect("folders");
    assert_eq!(
        files.len(),
        1,
        "seed {prefix}: a one-item array reads as a list of one"
    );
    assert_eq!(folders.len(), 1);
    let file = &files[0];
    assert_eq!(file.folder_id, Some(12334.into()));
    assert_eq!(file.version, Some(3));
    assert_eq!(file.file_type, Some(FileType::Document));
    assert_eq!(file.file_status, Some(FileStatus::IS_NEW));
    assert_eq!(file.access, Some(FileShare::ReadWrite));
    assert_eq!(file.root_folder_type, Some(FolderType::Bunch));
    assert_eq!(file.file_exst.as_deref(), Some(".txt"));
    assert!(file
        .created
        .as_ref()
        .expect("created")
        .as_str()
        .ends_with('Z'));
    assert_eq!(
        file.updated_by
            .as_ref()
            .and_then(|p| p.display_name.as_deref()),
        Some("Mike Zanyatski")
    );
    assert!(folders[0].files_count.is_some());
}

#[test]
fn every_request_sample_parses() {
    let delete_bodies = ["002", "003"].map(|p| request_block(&seed(p)));
    for body in delete_bodies {
        let request: DeleteBatchRequest =
            codec::decode_json(body.as_bytes(), None).expect("delete request");
        assert_eq!(
            request.file_ids,
            vec![fileops_api::runtime::EntryId::Str("some text".into())]
        );
        assert_eq!(request.immediately, Some(true));
    }
    let move_body = request_block(&seed("004"));
    let request: BatchRequest =
        codec::decode_json(move_body.as_bytes(), None).expect("move request");
    assert_eq!(
        request.conflict_resolve_type,
        Some(FileConflictResolveType::Skip)
    );
    assert_eq!(request.dest_folder_id, "some text".into());
}

/// The first JSON block of a page that is a request (no envelope).
fn request_block(text: &str) -> String {
    json_blocks(text)
        .into_iter()
        .find(|b| !b.contains("\"response\""))
        .expect("a request sample")
}

#[test]
fn the_field_list_pages_name_enums_the_types_know() {
    // 000 and 001 list fields rather than samples; their enum names must all be known.
    let docspace = seed("001");
    for name in [
        "Move",
        "Copy",
        "Delete",
        "Download",
        "MarkAsRead",
        "Import",
        "Convert",
        "Duplicate",
    ] {
        assert!(docspace.contains(name));
        let parsed: FileOperationType = name.parse().expect("known FileOperationType name");
        assert_eq!(parsed.to_string(), name);
    }
    for name in ["RoomManager", "Editing", "ContentCreator", "CustomFilter"] {
        assert!(docspace.contains(name));
        let _: FileShare = name.parse().expect("known FileShare name");
    }
    for name in [
        "VirtualRooms",
        "FormFillingFolderInProgress",
        "VirtualDataRoom",
        "TRASH",
    ] {
        let _: FolderType = name.parse().expect("known FolderType name");
    }
}
