//! Enum duality and id forms in requests: names in any case, numbers and numeric strings
//! give the same outcome.

mod support;

use serde_json::{json, Value};
use support::{dialects, start, ALICE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflict_resolve_type_in_every_encoding_gives_the_same_outcome() {
    for dialect in dialects() {
        for (encoding, expected) in [
            (json!("Skip"), "skip"),
            (json!("skip"), "skip"),
            (json!(0), "skip"),
            (json!("0"), "skip"),
            (json!("Overwrite"), "overwrite"),
            (json!("OVERWRITE"), "overwrite"),
            (json!(1), "overwrite"),
            (json!("1"), "overwrite"),
        ] {
            let s = start(dialect).await;
            let my = s.my(ALICE).await;
            let src = s.mkdir(ALICE, my, "src").await;
            let dst = s.mkdir(ALICE, my, "dst").await;
            let file = s.touch(ALICE, src, "a.docx").await;
            let target = s.touch(ALICE, dst, "a.docx").await;
            s.run("PUT", "files/fileops/copy", ALICE, json!({"destFolderId": dst.to_string(), "fileIds": [file.to_string()], "conflictResolveType": encoding})).await;
            let version = s
                .ok("GET", &format!("files/file/{target}"), ALICE, None)
                .await["version"]
                .clone();
            let want = if expected == "skip" { 1 } else { 2 };
            assert_eq!(version, Value::from(want), "{} {encoding}", dialect.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_as_numbers_and_strings_and_query_lists_with_brackets() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let dst = s.mkdir(ALICE, my, "dst").await;
        let a = s.touch(ALICE, my, "a.docx").await;
        let b = s.touch(ALICE, my, "b.docx").await;
        s.touch(ALICE, dst, "a.docx").await;
        s.touch(ALICE, dst, "b.docx").await;
        for query in [
            format!("destFolderId={dst}&fileIds={a}&fileIds={b}"),
            format!("destFolderId={dst}&fileIds[]={a}&fileIds[]={b}"),
            format!("DESTFOLDERID={dst}&fileids%5B%5D={a}&fileIds={b}"),
        ] {
            let clashes = s
                .ok("GET", &format!("files/fileops/move?{query}"), ALICE, None)
                .await;
            assert_eq!(
                clashes.as_array().map(Vec::len),
                Some(2),
                "{} {query}: {clashes}",
                dialect.name
            );
        }
        let moved = s.run("PUT", "files/fileops/move", ALICE, json!({"destFolderId": dst.to_string(), "fileIds": [a, b.to_string()], "conflictResolveType": "duplicate"})).await;
        assert_eq!(moved["finished"], true);
        assert_eq!(s.titles(ALICE, dst).await.0.len(), 4, "{}", dialect.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operation_type_route_takes_names_and_numbers() {
    let s = start(&fileops_api::dialects::DOCSPACE).await;
    for path in [
        "files/fileops/2",
        "files/fileops/delete",
        "files/fileops/DELETE",
        "files/fileops/7",
        "files/fileops/duplicate",
    ] {
        let answer = s.call("GET", path, Some(ALICE), None).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    }
    let unknown = s
        .call("GET", "files/fileops/Teleport", Some(ALICE), None)
        .await;
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.body.contains("FileOperationType"),
        "{}",
        unknown.body
    );
}
