//! Every sample in the seed pages parses into the generated types. The samples are copied,
//! byte for byte, into `tests/fixtures/seeds` (its README says which page and sample each
//! file is), so a fresh clone runs these tests without the pages themselves.

mod support;

use fileops_api::dialects;
use fileops_api::runtime::{codec, Format, WireEnum};
use fileops_api::types::*;
use serde_json::Value;
use std::collections::BTreeSet;
use support::{seed_sample, seed_sample_files};

/// The seeds with response samples, and the dialect whose page each is.
const RESPONSE_SEEDS: [(&str, &str); 3] =
    [("002", "workspace"), ("003", "r7"), ("004", "workspace")];

/// The seeds with request samples.
const REQUEST_SEEDS: [&str; 3] = ["002", "003", "004"];

/// The field-list pages: no samples, only the enums they list (`enums.json`).
const ENUM_SEEDS: [&str; 2] = ["000", "001"];

#[test]
fn every_json_response_sample_parses() {
    for (prefix, dialect) in RESPONSE_SEEDS {
        let body = seed_sample(prefix, "response.json");
        assert!(
            body.contains("\"response\""),
            "seed {prefix}'s response.json is an envelope"
        );
        let dialect = dialects::by_name(dialect).expect("dialect");
        let answer = codec::decode_success::<Vec<FileOperation>>(
            body.as_bytes(),
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
        let body = seed_sample(prefix, "response.xml");
        assert!(
            body.trim_start().starts_with("<result>"),
            "seed {prefix}'s response.xml is a <result> document"
        );
        let dialect = dialects::by_name(dialect).expect("dialect");
        let answer = codec::decode_success::<Vec<FileOperation>>(
            body.as_bytes(),
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
    let delete_bodies = ["002", "003"].map(|p| seed_sample(p, "request.json"));
    for body in delete_bodies {
        let request: DeleteBatchRequest =
            codec::decode_json(body.as_bytes(), None).expect("delete request");
        assert_eq!(
            request.file_ids,
            vec![fileops_api::runtime::EntryId::Str("some text".into())]
        );
        assert_eq!(request.immediately, Some(true));
    }
    let move_body = seed_sample("004", "request.json");
    let request: BatchRequest =
        codec::decode_json(move_body.as_bytes(), None).expect("move request");
    assert_eq!(
        request.conflict_resolve_type,
        Some(FileConflictResolveType::Skip)
    );
    assert_eq!(request.dest_folder_id, "some text".into());
}

/// A field-list page's enums: field name → its names and numbers, as the page lists them.
fn listed_enums(prefix: &str) -> serde_json::Map<String, Value> {
    let text = seed_sample(prefix, "enums.json");
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => map,
        other => panic!("seed {prefix}'s enums.json must be an object: {other:?}"),
    }
}

/// One listed enum's names (may be absent) and numbers.
fn names_and_values(prefix: &str, field: &str, listed: &Value) -> (Vec<String>, Vec<i64>) {
    let list = |key: &str| listed.get(key).and_then(Value::as_array);
    let names: Vec<String> = list("names")
        .map(|a| {
            a.iter()
                .map(|n| n.as_str().expect("a name").to_owned())
                .collect()
        })
        .unwrap_or_default();
    let values: Vec<i64> = list("values")
        .unwrap_or_else(|| panic!("seed {prefix}: {field} lists no numbers"))
        .iter()
        .map(|v| v.as_i64().expect("a number"))
        .collect();
    assert!(
        names.is_empty() || names.len() == values.len(),
        "seed {prefix}: {field} lists {} names for {} numbers",
        names.len(),
        values.len()
    );
    (names, values)
}

/// Every listed number is a variant of `T`, and each listed name is spelled as the schema
/// spells that variant (the pages list names and numbers in the same order).
fn check_enum<T: WireEnum + std::fmt::Debug + PartialEq>(
    prefix: &str,
    field: &str,
    names: &[String],
    values: &[i64],
) {
    for (i, value) in values.iter().enumerate() {
        let variant = T::from_value(*value);
        assert!(
            variant.is_listed(),
            "seed {prefix}: {field} {value} is no variant"
        );
        if let Some(name) = names.get(i) {
            assert_eq!(
                variant.wire_name(),
                Some(name.as_str()),
                "seed {prefix}: {field} {value}"
            );
            assert_eq!(T::parse(name), variant, "seed {prefix}: {name}");
        }
    }
}

#[test]
fn the_field_list_pages_name_enums_the_types_know() {
    // 000 and 001 list fields rather than samples; their enum names must all be known.
    let docspace = listed_enums("001");
    let (operation_names, _) = names_and_values("001", "Operation", &docspace["Operation"]);
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
        assert!(
            operation_names.iter().any(|n| n == name),
            "001 lists {name}"
        );
        let parsed: FileOperationType = name.parse().expect("known FileOperationType name");
        assert_eq!(parsed.to_string(), name);
    }
    let (access_names, _) = names_and_values("001", "access", &docspace["access"]);
    for name in ["RoomManager", "Editing", "ContentCreator", "CustomFilter"] {
        assert!(access_names.iter().any(|n| n == name), "001 lists {name}");
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
    // Beyond the names above: every name and number either page lists, per enum.
    let mut checked = 0;
    for prefix in ENUM_SEEDS {
        for (field, listed) in listed_enums(prefix) {
            let (names, values) = names_and_values(prefix, &field, &listed);
            match field.to_ascii_lowercase().as_str() {
                "operation" | "operationtype" => {
                    check_enum::<FileOperationType>(prefix, &field, &names, &values)
                }
                "access" => check_enum::<FileShare>(prefix, &field, &names, &values),
                "rootfoldertype" | "parentroomtype" => {
                    check_enum::<FolderType>(prefix, &field, &names, &values)
                }
                "fileentrytype" => check_enum::<FileEntryType>(prefix, &field, &names, &values),
                other => panic!("seed {prefix}: no type is known for the enum field {other}"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 8, "000 lists 3 enums and 001 lists 5");
}

#[test]
fn every_seed_fixture_is_read_here_and_listed_in_the_readme() {
    // A fixture added without a test that reads it, or without its source in the README,
    // would break "every sample parses" silently.
    let mut read: BTreeSet<String> = BTreeSet::new();
    let files = seed_sample_files();
    let page = |prefix: &str| {
        files
            .iter()
            .find(|f| f.starts_with(&format!("{prefix}-")))
            .and_then(|f| f.split('/').next())
            .unwrap_or_else(|| panic!("no fixture folder for seed {prefix}"))
            .to_owned()
    };
    for (prefix, _) in RESPONSE_SEEDS {
        read.insert(format!("{}/response.json", page(prefix)));
        read.insert(format!("{}/response.xml", page(prefix)));
    }
    for prefix in REQUEST_SEEDS {
        read.insert(format!("{}/request.json", page(prefix)));
    }
    for prefix in ENUM_SEEDS {
        read.insert(format!("{}/enums.json", page(prefix)));
    }
    let on_disk: BTreeSet<String> = files.iter().cloned().collect();
    let unread: Vec<_> = on_disk.difference(&read).collect();
    let missing: Vec<_> = read.difference(&on_disk).collect();
    assert!(
        unread.is_empty() && missing.is_empty(),
        "fixtures no test reads: {unread:?}; fixtures the tests read that are missing: {missing:?}"
    );
    let readme = std::fs::read_to_string(support::seed_fixtures().join("README.md"))
        .expect("tests/fixtures/seeds/README.md");
    for file in &on_disk {
        assert!(
            readme.contains(&format!("`{file}`")),
            "the README names the source of {file}"
        );
    }
}
