//! JSON and XML round trips of arbitrary operation lists (empty and one-item lists
//! included) in every dialect, with what each writes checked against the schema.

mod support;

use fileops_api::dialects;
use fileops_api::runtime::model::InDialect;
use fileops_api::runtime::wire::Wire;
use fileops_api::runtime::{codec, xml, Dialect, EntryId, Format, Model, Success};
use fileops_api::types::*;
use proptest::prelude::*;

/// Text that XML can carry (no control characters), with the characters that need care.
fn text() -> impl Strategy<Value = String> {
    "[ -~\u{a0}-\u{24ff}<>&/\"']{0,12}"
}

fn entry_id() -> impl Strategy<Value = EntryId> {
    prop_oneof![
        (0i64..=i64::from(i32::MAX)).prop_map(EntryId::Int),
        "sbox-[0-9]{1,3}-\\|[a-z]{1,6}\\|[a-z]{1,6}\\.docx".prop_map(EntryId::Str),
    ]
}

fn date() -> impl Strategy<Value = fileops_api::runtime::ApiDateTime> {
    (
        2000i32..2100,
        1u32..13,
        1u32..29,
        0u32..24,
        0u32..60,
        0u32..10_000_000,
        -720i32..=840,
    )
        .prop_map(|(y, mo, d, h, mi, ticks, offset)| {
            fileops_api::runtime::ApiDateTime::from_parts(
                (y, mo, d),
                (h, mi, 0),
                ticks,
                offset - offset % 15,
            )
        })
}

fn enum_of<E: fileops_api::runtime::WireEnum + std::fmt::Debug>() -> impl Strategy<Value = E> {
    (0..E::ALL.len()).prop_map(|i| E::ALL[i].clone())
}

fn file() -> impl Strategy<Value = File> {
    (
        entry_id(),
        text(),
        proptest::option::of(date()),
        proptest::option::of(1i32..50),
        proptest::option::of(text()),
        proptest::option::of(0i64..1 << 40),
        enum_of::<FileType>(),
        0i64..512,
    )
        .prop_map(
            |(id, title, created, version, comment, size, file_type, status)| File {
                id: Some(id),
                title: Some(title),
                access: Some(FileShare::Read),
                shared: Some(true),
                created,
                created_by: None,
                updated: None,
                updated_by: None,
                root_folder_type: Some(FolderType::User),
                root_folder_id: None,
                provider_item: None,
                provider_key: None,
                provider_id: None,
                deny_download: None,
                deny_sharing: None,
                file_entry_type: None,
                folder_id: Some(EntryId::Int(3)),
                version,
                version_group: version,
                content_length: None,
                pure_content_length: size,
                file_status: Some(FileStatus(status)),
                view_url: None,
                web_url: None,
                file_type: Some(file_type),
                file_exst: Some(".docx".into()),
                comment,
                encrypted: None,
                thumbnail_url: None,
                locked: None,
            },
        )
}

fn folder() -> impl Strategy<Value = Folder> {
    (
        entry_id(),
        text(),
        0i32..1000,
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(id, title, count, shareable)| Folder {
            id: Some(id),
            title: Some(title),
            access: None,
            shared: None,
            created: None,
            created_by: None,
            updated: None,
            updated_by: None,
            root_folder_type: Some(FolderType::Trash),
            root_folder_id: None,
            provider_item: None,
            provider_key: None,
            provider_id: None,
            deny_download: None,
            deny_sharing: None,
            file_entry_type: None,
            parent_id: Some(EntryId::Int(1)),
            files_count: Some(count),
            folders_count: Some(0),
            is_shareable: shareable,
            is_favorite: None,
            new: None,
        })
}

fn list<T: std::fmt::Debug>(
    item: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<Vec<T>>> {
    proptest::option::of(prop::collection::vec(item, 0..3))
}

fn operation() -> impl Strategy<Value = FileOperation> {
    (
        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        enum_of::<FileOperationType>(),
        0i32..=100,
        proptest::option::of(text()),
        0u32..1000,
        any::<bool>(),
        proptest::option::of(text()),
        list(file()),
        list(folder()),
        proptest::option::of(enum_of::<DistributedTaskStatus>()),
    )
        .prop_map(
            |(id, operation, progress, error, processed, finished, url, files, folders, status)| {
                FileOperation {
                    id,
                    operation: Some(operation),
                    progress,
                    error,
                    processed: processed.to_string(),
                    finished,
                    url,
                    files,
                    folders,
                    status,
                }
            },
        )
}

/// What a dialect can say of an operation: its own fields only.
fn as_dialect_sees(mut op: FileOperation, dialect: &Dialect) -> FileOperation {
    if dialect.name != "docspace" {
        op.status = None;
        for f in op.files.iter_mut().flatten() {
            f.file_entry_type = None;
            f.root_folder_id = None;
            f.locked = None;
        }
        for f in op.folders.iter_mut().flatten() {
            f.new = None;
        }
    }
    op
}

proptest! {
    #![proptest_config(support::proptest_config(64))]

    #[test]
    fn operation_lists_round_trip_in_every_dialect_and_format(ops in prop::collection::vec(operation(), 0..4)) {
        for dialect in dialects::ALL {
            let expected: Vec<FileOperation> = ops.iter().cloned().map(|op| as_dialect_sees(op, dialect)).collect();
            let problems = support::schema_problems("FileOperationListEnvelope", &Success::ok(ops.clone()).to_wire(dialect).expect("writes"));
            prop_assert!(problems.is_empty(), "{}: {:?}", dialect.name, problems);
            for format in dialect.formats {
                let body = codec::encode_success(&Success::ok(ops.clone()), dialect, *format).expect("writes");
                let back = codec::decode_success::<Vec<FileOperation>>(body.as_bytes(), *format, Some(dialect))
                    .map_err(|e| TestCaseError::fail(format!("{} {format:?}: {e}\n{body}", dialect.name)))?;
                prop_assert!(back.response == expected, "{} {:?}: {}\n{}", dialect.name, format, support::debug_diff(&expected, &back.response), body);
                prop_assert_eq!(back.status_code, 200);
            }
        }
    }
}

proptest! {
    #![proptest_config(support::proptest_config(64))]

    /// Generated structs write themselves (`Model::serialize_wire`); the shape-guided
    /// adaptor (`Wire`) is the general writer. Both must say the same thing, in JSON and XML.
    #[test]
    fn the_typed_writer_writes_what_the_shape_guided_one_does(ops in prop::collection::vec(operation(), 0..4)) {
        for dialect in dialects::ALL {
            let typed = InDialect::new(&ops, dialect);
            let guided = Wire::new(&ops, <Vec<FileOperation>>::SHAPE, dialect);
            prop_assert_eq!(
                serde_json::to_string(&typed).expect("writes"),
                serde_json::to_string(&guided).expect("writes"),
                "{} JSON", dialect.name
            );
            prop_assert_eq!(
                xml::to_string("result", &typed).expect("writes"),
                xml::to_string("result", &guided).expect("writes"),
                "{} XML", dialect.name
            );
        }
    }
}

#[test]
fn the_edge_lists_round_trip_in_xml() {
    // Empty list (no <response> at all), one item (looks like a single object), an operation
    // whose files are an empty list (nothing written) and one whose files are null (<files />).
    let mut op = support::operations().remove(0);
    op.files = Some(Vec::new());
    let mut null_files = op.clone();
    null_files.files = None;
    for ops in [Vec::new(), vec![op.clone()], vec![op, null_files]] {
        let body =
            codec::encode_success(&Success::ok(ops.clone()), &dialects::WORKSPACE, Format::Xml)
                .expect("writes");
        let back = codec::decode_success::<Vec<FileOperation>>(
            body.as_bytes(),
            Format::Xml,
            Some(&dialects::WORKSPACE),
        )
        .expect("reads");
        let expected: Vec<_> = ops
            .into_iter()
            .map(|o| as_dialect_sees(o, &dialects::WORKSPACE))
            .collect();
        support::assert_same(&expected, &back.response, &body);
    }
}

/// The same agreement for one-ofs (both variants of each), an enum written as a name by
/// one dialect and unlisted enum values.
#[test]
fn the_typed_writer_writes_one_ofs_and_unlisted_values_as_the_shape_guided_one_does() {
    let mut folder = support::folder(6, "Sub");
    folder.root_folder_type = Some(FolderType::Unlisted(36));
    let check = CheckDestFolder {
        result: CheckDestFolderResult::PartAllowed,
        files: vec![
            FileEntry::File(support::file(5, "a.docx")),
            FileEntry::Folder(folder.clone()),
        ],
    };
    let listing = FolderContent {
        files: vec![support::file(7, "b.docx")],
        folders: vec![folder],
        current: Some(support::folder(1, "My documents")),
        path_parts: vec![
            PathPart::EntryId(1.into()),
            PathPart::PathStep(PathStep {
                id: Some(EntryId::Str("sbox-1".into())),
                title: Some("Room".into()),
                room_type: Some(2),
                folder_type: Some(FolderType::UnlistedName("NewRoom".into())),
            }),
        ],
        start_index: Some(0),
        count: Some(2),
        total: Some(2),
        new: None,
    };
    let requests: Vec<BatchRequest> = [
        FileConflictResolveType::Overwrite,
        FileConflictResolveType::Unlisted(7),
        FileConflictResolveType::UnlistedName("Rename".into()),
    ]
    .into_iter()
    .map(|resolve| BatchRequest {
        folder_ids: vec![EntryId::Int(3)],
        file_ids: vec![EntryId::Str("sbox-2".into())],
        dest_folder_id: EntryId::Int(4),
        conflict_resolve_type: Some(resolve),
        delete_after: Some(true),
        content: None,
        to_fill_out: None,
        return_single_operation: None,
    })
    .collect();
    for dialect in dialects::ALL {
        same_from_both_writers(&check, dialect);
        same_from_both_writers(&listing, dialect);
        same_from_both_writers(&requests, dialect);
    }
}

fn same_from_both_writers<T: Model>(value: &T, dialect: &Dialect) {
    let typed = InDialect::new(value, dialect);
    let guided = Wire::new(value, T::SHAPE, dialect);
    assert_eq!(
        serde_json::to_string(&typed).expect("writes"),
        serde_json::to_string(&guided).expect("writes"),
        "{} JSON",
        dialect.name
    );
    assert_eq!(
        xml::to_string("result", &typed).expect("writes"),
        xml::to_string("result", &guided).expect("writes"),
        "{} XML",
        dialect.name
    );
}
