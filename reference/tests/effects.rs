//! What each operation does to the trees: conflict resolution, merging, Trash, versions,
//! and the download archive's content.

mod support;

use serde_json::json;
use std::io::Read;
use support::{dialects, start, ALICE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skip_overwrite_and_duplicate_on_copy_and_move() {
    for dialect in dialects() {
        for copy in [true, false] {
            let path = if copy {
                "files/fileops/copy"
            } else {
                "files/fileops/move"
            };
            let s = start(dialect).await;
            let my = s.my(ALICE).await;
            let src = s.mkdir(ALICE, my, "src").await;
            let dst = s.mkdir(ALICE, my, "dst").await;
            let a = s.touch(ALICE, src, "a.docx").await;
            let b = s.touch(ALICE, src, "b.docx").await;
            let c = s.touch(ALICE, src, "c.docx").await;
            let ta = s.touch(ALICE, dst, "a.docx").await;
            let tb = s.touch(ALICE, dst, "b.docx").await;
            s.touch(ALICE, dst, "c.docx").await;
            let name = format!("{} {path}", dialect.name);

            // Skip: nothing happens to the clash, the source stays.
            let op = s
                .run(
                    "PUT",
                    path,
                    ALICE,
                    json!({"destFolderId": dst, "fileIds": [a], "conflictResolveType": "Skip"}),
                )
                .await;
            assert!(
                op["files"].is_null() || op.get("files").is_none(),
                "{name}: skipped file not reported: {op}"
            );
            assert_eq!(
                s.ok("GET", &format!("files/file/{ta}"), ALICE, None).await["version"],
                1,
                "{name}"
            );
            assert!(
                s.titles(ALICE, src).await.0.contains(&"a.docx".to_owned()),
                "{name}: skip leaves the source"
            );

            // Overwrite: a new version of the existing target; a moved source is gone.
            let op = s.run("PUT", path, ALICE, json!({"destFolderId": dst, "fileIds": [b], "conflictResolveType": "Overwrite"})).await;
            let target = s.ok("GET", &format!("files/file/{tb}"), ALICE, None).await;
            assert_eq!(target["version"], 2, "{name}");
            assert_eq!(target["versionGroup"], 2, "{name}");
            assert_eq!(target["comment"], "Overwritten", "{name}");
            let reported: Vec<_> = op["files"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| f["id"].clone())
                .collect();
            assert!(
                reported.contains(&json!(tb)),
                "{name}: the target is reported: {op}"
            );
            let source_left = s.titles(ALICE, src).await.0.contains(&"b.docx".to_owned());
            assert_eq!(
                source_left, copy,
                "{name}: overwrite-move deletes the source for good"
            );
            if !copy {
                assert!(
                    s.titles(ALICE, s.trash(ALICE).await).await.0.is_empty(),
                    "{name}: not via Trash"
                );
            }

            // Duplicate.
            s.run(
                "PUT",
                path,
                ALICE,
                json!({"destFolderId": dst, "fileIds": [c], "conflictResolveType": "Duplicate"}),
            )
            .await;
            let titles = s.titles(ALICE, dst).await.0;
            let expected: &[&str] = match (copy, dialect.behaviour.duplicate_renames) {
                (true, true) => &["a.docx", "b.docx", "c (1).docx", "c.docx"],
                _ => &["a.docx", "b.docx", "c.docx", "c.docx"],
            };
            assert_eq!(titles, expected, "{name}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_named_folders_merge() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let src = s.mkdir(ALICE, my, "src").await;
        let dst = s.mkdir(ALICE, my, "dst").await;
        let docs = s.mkdir(ALICE, src, "Docs").await;
        s.touch(ALICE, docs, "new.docx").await;
        let existing = s.mkdir(ALICE, dst, "Docs").await;
        s.touch(ALICE, existing, "old.docx").await;
        s.run(
            "PUT",
            "files/fileops/move",
            ALICE,
            json!({"destFolderId": dst, "folderIds": [docs]}),
        )
        .await;
        assert_eq!(
            s.titles(ALICE, dst).await.1,
            ["Docs"],
            "{}: merged, not doubled",
            dialect.name
        );
        assert_eq!(s.titles(ALICE, existing).await.0, ["new.docx", "old.docx"]);
        assert!(
            s.titles(ALICE, src).await.1.is_empty(),
            "the emptied source folder is gone"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_cannot_go_into_itself() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let a = s.mkdir(ALICE, my, "A").await;
        let inner = s.mkdir(ALICE, a, "inner").await;
        let answer = s
            .call(
                "PUT",
                "files/fileops/move",
                Some(ALICE),
                Some(json!({"destFolderId": inner, "folderIds": [a]})),
            )
            .await;
        if dialect.behaviour.validate_up_front {
            assert_eq!(answer.status, 403, "{}", answer.body);
            assert_eq!(
                answer.json()["error"]["message"],
                "You cannot copy the folder to its subfolder"
            );
        } else {
            let id = answer.response()[0]["id"]
                .as_str()
                .expect("queued")
                .to_owned();
            assert_eq!(
                s.wait(ALICE, &id).await["error"],
                "You cannot copy the folder to its subfolder"
            );
        }
        assert_eq!(s.titles(ALICE, my).await.1, ["A"], "nothing moved");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_goes_to_trash_unless_immediately_and_trash_deletes_for_good() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let trash = s.trash(ALICE).await;
        let folder = s.mkdir(ALICE, my, "old").await;
        s.touch(ALICE, folder, "inside.docx").await;
        let f = s.touch(ALICE, my, "a.docx").await;
        let g = s.touch(ALICE, my, "b.docx").await;
        s.run(
            "PUT",
            "files/fileops/delete",
            ALICE,
            json!({"folderIds": [folder], "fileIds": [f]}),
        )
        .await;
        assert_eq!(
            s.titles(ALICE, trash).await,
            (vec!["a.docx".to_owned()], vec!["old".to_owned()])
        );
        let listing = s
            .call("GET", &format!("files/{folder}"), Some(ALICE), None)
            .await;
        assert_eq!(listing.status, 403, "trashed folders cannot be listed");
        s.run(
            "PUT",
            "files/fileops/delete",
            ALICE,
            json!({"fileIds": [g], "immediately": true}),
        )
        .await;
        assert_eq!(
            s.titles(ALICE, trash).await.0,
            ["a.docx"],
            "immediately skips Trash"
        );
        s.run(
            "PUT",
            "files/fileops/delete",
            ALICE,
            json!({"fileIds": [f]}),
        )
        .await;
        assert!(
            s.titles(ALICE, trash).await.0.is_empty(),
            "deleting from Trash is for good"
        );
        s.run("PUT", "files/fileops/emptytrash", ALICE, json!({}))
            .await;
        let emptied = s.list(ALICE, trash).await;
        assert_eq!(emptied["total"], 0);
        assert!(s.titles(ALICE, my).await.0.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_versions_keeps_the_current_one_and_refuses_it() {
    let s = start(&fileops_api::dialects::DOCSPACE).await;
    let my = s.my(ALICE).await;
    let src = s.mkdir(ALICE, my, "src").await;
    let target = s.touch(ALICE, my, "a.docx").await;
    let other = s.touch(ALICE, src, "a.docx").await;
    for _ in 0..2 {
        s.run(
            "PUT",
            "files/fileops/copy",
            ALICE,
            json!({"destFolderId": my, "fileIds": [other], "conflictResolveType": 1}),
        )
        .await;
    }
    assert_eq!(
        s.ok("GET", &format!("files/file/{target}"), ALICE, None)
            .await["version"],
        3
    );
    // §13.3: the history lists every version, newest first; `?version=` describes one.
    assert_eq!(history(&s, target).await, [3, 2, 1]);
    let first = s
        .ok(
            "GET",
            &format!("files/file/{target}?version=1"),
            ALICE,
            None,
        )
        .await;
    assert_eq!(
        (first["version"].clone(), first["comment"].clone()),
        (json!(1), json!("Created"))
    );
    assert_eq!(
        s.call("GET", "files/file/999999/history", Some(ALICE), None)
            .await
            .status,
        403,
        "an unknown file's history is refused with 403"
    );
    let refused = s
        .call(
            "PUT",
            "files/fileops/deleteversion",
            Some(ALICE),
            Some(json!({"fileId": target, "versions": [3]})),
        )
        .await;
    assert_eq!(refused.status, 403);
    let op = s
        .run(
            "PUT",
            "files/fileops/deleteversion",
            ALICE,
            json!({"fileId": target, "versions": [1, 2]}),
        )
        .await;
    assert_eq!(op["finished"], true);
    let versions: Vec<i32> = {
        let store = s.reference.store();
        match &store.entries[&target].kind {
            fileops_reference::store::Kind::File { versions } => {
                versions.iter().map(|v| v.number).collect()
            }
            fileops_reference::store::Kind::Folder { .. } => Vec::new(),
        }
    };
    assert_eq!(versions, [3]);
    assert_eq!(
        history(&s, target).await,
        [3],
        "the deleted rows leave the history"
    );
    assert_eq!(
        s.call(
            "GET",
            &format!("files/file/{target}?version=1"),
            Some(ALICE),
            None
        )
        .await
        .status,
        404,
        "a deleted version is not found"
    );
    s.run(
        "PUT",
        "files/fileops/deleteversion",
        ALICE,
        json!({"fileId": target, "versions": []}),
    )
    .await;
    assert_eq!(
        s.call("GET", &format!("files/file/{target}"), Some(ALICE), None)
            .await
            .status,
        404,
        "an empty list deletes the file"
    );
    assert!(
        s.titles(ALICE, s.trash(ALICE).await).await.0.is_empty(),
        "for good, not via Trash"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_download_archive_holds_the_files() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let folder = s.mkdir(ALICE, my, "Pack").await;
        s.touch(ALICE, folder, "one.docx").await;
        let sub = s.mkdir(ALICE, folder, "sub").await;
        s.touch(ALICE, sub, "two.docx").await;
        let op = s
            .run(
                "PUT",
                "files/fileops/bulkdownload",
                ALICE,
                json!({"folderIds": [folder]}),
            )
            .await;
        let url = op["url"].as_str().expect("url");
        assert!(url.contains("filename=Pack%2Ezip"), "{url}");
        let bytes = s
            .client
            .get(url)
            .send()
            .await
            .expect("download")
            .bytes()
            .await
            .expect("bytes");
        let mut archive =
            zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip archive");
        let mut names: Vec<String> = (0..archive.len())
            .map(|i| {
                archive
                    .by_index(i)
                    .expect("entry")
                    .name()
                    .expect("a UTF-8 name")
                    .into_owned()
            })
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["Pack/one.docx", "Pack/sub/two.docx"],
            "{}",
            dialect.name
        );
        let mut content = String::new();
        archive
            .by_name("Pack/one.docx")
            .expect("entry")
            .read_to_string(&mut content)
            .expect("text");
        assert!(content.contains("one.docx"));
    }
}

/// The ids of a GET fileops/move or checkdestfolder list, with each entry's own folder.
fn listed(entries: &serde_json::Value) -> Vec<(i64, Option<i64>)> {
    entries
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| {
            let parent = e.get("folderId").or_else(|| e.get("parentId"));
            (
                e["id"].as_i64().expect("id"),
                parent.and_then(|p| p.as_i64()),
            )
        })
        .collect()
}

/// GET fileops/move lists the clashing sources themselves (reference §1a, §1b): DocSpace a
/// clashing folder itself (contents unchecked), Workspace the clashing files inside a
/// same-named folder at any depth and never a folder. Titles of folders (and of merged files
/// on Workspace) are compared lower-case. Nothing moves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conflict_check_lists_the_clashing_sources() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let name = dialect.name;
        let my = s.my(ALICE).await;
        let src = s.mkdir(ALICE, my, "src").await;
        let dst = s.mkdir(ALICE, my, "dst").await;
        let a = s.touch(ALICE, src, "a.docx").await;
        let target = s.touch(ALICE, dst, "a.docx").await;
        let fresh = s.touch(ALICE, src, "fresh.docx").await;
        // src/F/{x.docx, only.docx, Sub/{y.docx, Deep/z.docx}}
        let f = s.mkdir(ALICE, src, "F").await;
        let x = s.touch(ALICE, f, "x.docx").await;
        s.touch(ALICE, f, "only.docx").await;
        let sub = s.mkdir(ALICE, f, "Sub").await;
        let y = s.touch(ALICE, sub, "y.docx").await;
        let deep = s.mkdir(ALICE, sub, "Deep").await;
        let z = s.touch(ALICE, deep, "z.docx").await;
        // dst/f/{x.docx, Sub/{y.docx, Deep/Z.docx}}: same names, other case.
        let existing = s.mkdir(ALICE, dst, "f").await;
        s.touch(ALICE, existing, "x.docx").await;
        let existing_sub = s.mkdir(ALICE, existing, "Sub").await;
        s.touch(ALICE, existing_sub, "y.docx").await;
        let existing_deep = s.mkdir(ALICE, existing_sub, "Deep").await;
        s.touch(ALICE, existing_deep, "Z.docx").await;
        let before = (s.titles(ALICE, src).await, s.titles(ALICE, dst).await);

        let query = format!("destFolderId={dst}&folderIds={f}&fileIds={a}&fileIds={fresh}");
        let answer = s
            .ok("GET", &format!("files/fileops/move?{query}"), ALICE, None)
            .await;
        let got = listed(&answer);
        if dialect.behaviour.conflicts_include_folders {
            // Folders first, then files; each with its own parent, never the target's.
            assert_eq!(got, [(f, Some(src)), (a, Some(src))], "{name}: {answer}");
        } else {
            assert_eq!(
                got,
                [
                    (a, Some(src)),
                    (x, Some(f)),
                    (y, Some(sub)),
                    (z, Some(deep))
                ],
                "{name}: {answer}"
            );
            assert!(
                answer
                    .as_array()
                    .expect("list")
                    .iter()
                    .all(|e| e.get("parentId").is_none()),
                "{name}: only files: {answer}"
            );
        }
        assert!(
            !got.iter().any(|(id, _)| *id == target || *id == existing),
            "{name}"
        );
        let after = (s.titles(ALICE, src).await, s.titles(ALICE, dst).await);
        assert_eq!(before, after, "{name}: nothing moves");
    }
}

/// checkdestfolder (reference §2b): no name-clash check; every readable requested file is
/// allowed and listed; the verdict compares the loaded files with the ids requested, so a
/// repeated id (loaded once) or a missing one gives PartAllowed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkdestfolder_allows_every_readable_file() {
    // Outside every room the code reaches a null room (reference §2b): the verdict needs the
    // reading where the folder is treated as an ordinary one.
    let verdict = [("docspace-checkdest-outside-rooms", "verdict")];
    let s = support::start_in(&fileops_api::dialects::DOCSPACE, &verdict).await;
    let my = s.my(ALICE).await;
    let src = s.mkdir(ALICE, my, "src").await;
    let dst = s.mkdir(ALICE, my, "dst").await;
    let a = s.touch(ALICE, src, "a.docx").await;
    let b = s.touch(ALICE, src, "b.docx").await;
    s.touch(ALICE, dst, "a.docx").await;
    let bobs = s
        .touch(support::BOB, s.my(support::BOB).await, "b.docx")
        .await;
    let cases: &[(&[i64], i64, &[i64])] = &[
        (&[a, b], 0, &[a, b]),
        (&[], 0, &[]),
        (&[a, a], 1, &[a]),
        (&[a, 999_999], 1, &[a]),
        (&[b, bobs], 1, &[b]),
        (&[999_998, 999_999], 2, &[]),
    ];
    for (ids, result, files) in cases {
        let query: String = ids.iter().map(|id| format!("&fileIds={id}")).collect();
        let verdict = s
            .ok(
                "GET",
                &format!("files/fileops/checkdestfolder?destFolderId={dst}{query}"),
                ALICE,
                None,
            )
            .await;
        assert_eq!(verdict["result"], *result, "{ids:?}: {verdict}");
        let got: Vec<i64> = listed(&verdict["files"])
            .iter()
            .map(|(id, _)| *id)
            .collect();
        assert_eq!(got, *files, "{ids:?}: {verdict}");
    }
}

/// What a finished move or copy lists (reference §13.6), per family: DocSpace starts with the
/// destination, adds top-level results and lets the file phase replace everything; Workspace
/// lists each source before its result, a folder adding the destination first, and drops
/// entries that are gone or repeated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reported_entries_per_family() {
    type Case = (
        &'static str,
        bool,
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    );
    // (name, copy, resolve, DocSpace files | folders, Workspace files | folders); `new X` is
    // an entry created by the operation, `dst` the destination, `old` what was already there.
    let cases: &[(Case, Case)] = &[
        (
            ("file copy", true, "Skip", &["new a.docx"], &[]),
            ("file copy", true, "Skip", &["a.docx", "new a.docx"], &[]),
        ),
        (
            ("file move", false, "Skip", &["a.docx"], &[]),
            ("file move", false, "Skip", &["a.docx"], &[]),
        ),
        (
            ("overwrite copy", true, "Overwrite", &["old b.docx"], &[]),
            (
                "overwrite copy",
                true,
                "Overwrite",
                &["b.docx", "old b.docx"],
                &[],
            ),
        ),
        (
            ("overwrite move", false, "Overwrite", &["old b.docx"], &[]),
            ("overwrite move", false, "Overwrite", &["old b.docx"], &[]),
        ),
        (
            ("skip", true, "Skip", &[], &[]),
            ("skip", true, "Skip", &[], &[]),
        ),
        (
            ("folder copy", true, "Skip", &[], &["dst", "new F"]),
            ("folder copy", true, "Skip", &[], &["F", "dst", "new F"]),
        ),
        (
            ("folder move", false, "Skip", &[], &["F", "dst"]),
            ("folder move", false, "Skip", &[], &["F", "dst"]),
        ),
        (
            ("merge copy", true, "Skip", &[], &["dst", "old G"]),
            ("merge copy", true, "Skip", &[], &["dst"]),
        ),
        (
            (
                "duplicate copy",
                true,
                "Duplicate",
                &["new b (1).docx"],
                &[],
            ),
            (
                "duplicate copy",
                true,
                "Duplicate",
                &["b.docx", "new b.docx"],
                &[],
            ),
        ),
        (
            ("duplicate move", false, "Duplicate", &["b.docx"], &[]),
            ("duplicate move", false, "Duplicate", &["b.docx"], &[]),
        ),
        (
            ("mixed copy", true, "Skip", &["new a.docx"], &[]),
            (
                "mixed copy",
                true,
                "Skip",
                &["a.docx", "new a.docx"],
                &["F", "dst", "new F"],
            ),
        ),
    ];
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        for (docspace, workspace) in cases {
            let (name, copy, resolve, files, folders) = if dialect.name == "docspace" {
                docspace
            } else {
                workspace
            };
            let src = s.mkdir(ALICE, my, "src").await;
            let dst = s.mkdir(ALICE, my, "dst").await;
            let mut known = vec![(src, "src".to_owned()), (dst, "dst".to_owned())];
            known.push((s.touch(ALICE, src, "a.docx").await, "a.docx".into()));
            known.push((s.touch(ALICE, src, "b.docx").await, "b.docx".into()));
            let f = s.mkdir(ALICE, src, "F").await;
            known.push((f, "F".into()));
            let g = s.mkdir(ALICE, src, "G").await;
            known.push((g, "G".into()));
            known.push((s.touch(ALICE, dst, "b.docx").await, "old b.docx".into()));
            known.push((s.mkdir(ALICE, dst, "G").await, "old G".into()));
            let id = |label: &str| known.iter().find(|(_, l)| l == label).map(|(id, _)| *id);
            let (file_ids, folder_ids): (Vec<i64>, Vec<i64>) = match *name {
                "file copy" | "file move" => (vec![id("a.docx").unwrap()], vec![]),
                "overwrite copy" | "overwrite move" | "skip" | "duplicate copy"
                | "duplicate move" => (vec![id("b.docx").unwrap()], vec![]),
                "folder copy" | "folder move" => (vec![], vec![f]),
                "merge copy" => (vec![], vec![g]),
                _ => (vec![id("a.docx").unwrap()], vec![f]),
            };
            let path = if *copy {
                "files/fileops/copy"
            } else {
                "files/fileops/move"
            };
            let op = s
                .run(
                    "PUT",
                    path,
                    ALICE,
                    json!({"destFolderId": dst, "fileIds": file_ids, "folderIds": folder_ids, "conflictResolveType": resolve}),
                )
                .await;
            let labels = |list: &serde_json::Value| {
                let mut out: Vec<String> = list
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| {
                        let id = e["id"].as_i64().expect("numeric id");
                        known
                            .iter()
                            .find(|(k, _)| *k == id)
                            .map(|(_, l)| l.clone())
                            .unwrap_or_else(|| {
                                format!("new {}", e["title"].as_str().unwrap_or("?"))
                            })
                    })
                    .collect();
                out.sort();
                out
            };
            let context = format!("{} {name}: {op}", dialect.name);
            assert_eq!(labels(&op["files"]), *files, "{context}");
            assert_eq!(labels(&op["folders"]), *folders, "{context}");
        }
    }
}

/// The version numbers GET file/{id}/history lists, in its order.
async fn history(s: &support::Server, file: i64) -> Vec<i64> {
    let list = s
        .ok("GET", &format!("files/file/{file}/history"), ALICE, None)
        .await;
    list.as_array()
        .expect("a list")
        .iter()
        .map(|f| f["version"].as_i64().expect("a version"))
        .collect()
}

/// `DELETE file/{id}` and `DELETE folder/{id}` start a delete like `fileops/delete`
/// (reference §1a notes, §13.7): Trash by default, for good with `immediately`, no body
/// needed; DocSpace refuses an unknown file up front with 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_delete_routes_start_a_delete() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let name = dialect.name;
        let file = s.touch(ALICE, my, "gone.docx").await;
        let op = s
            .run("DELETE", &format!("files/file/{file}"), ALICE, json!({}))
            .await;
        assert_eq!(op["finished"], true, "{name}: {op}");
        let kind = if name == "docspace" {
            "Operation"
        } else {
            "operation"
        };
        assert_eq!(op[kind], 2, "{name}: a Delete operation: {op}");
        let trash = s.trash(ALICE).await;
        assert_eq!(s.titles(ALICE, trash).await.0, ["gone.docx"], "{name}");

        let folder = s.mkdir(ALICE, my, "Doomed").await;
        s.touch(ALICE, folder, "inside.docx").await;
        s.run(
            "DELETE",
            &format!("files/folder/{folder}"),
            ALICE,
            json!({"immediately": true, "deleteAfter": false}),
        )
        .await;
        assert!(s.titles(ALICE, my).await.1.is_empty(), "{name}");
        assert!(
            s.titles(ALICE, trash).await.1.is_empty(),
            "{name}: immediately skips Trash"
        );

        let bare = s.touch(ALICE, my, "bare.docx").await;
        let answer = s
            .raw("DELETE", &format!("files/file/{bare}"), Some(ALICE), None)
            .await;
        assert_eq!(
            answer.status, 200,
            "{name}: no body needed: {}",
            answer.body
        );

        let unknown = s
            .call("DELETE", "files/file/999999", Some(ALICE), Some(json!({})))
            .await;
        let want = if dialect.behaviour.validate_up_front {
            404
        } else {
            200
        };
        assert_eq!(unknown.status, want, "{name}: {}", unknown.body);
    }
}

/// By code reading checkdestfolder dereferences a null folder for an unknown destination and a
/// null room for one outside every room (reference §2b): 500 in both, the notes' reading; the
/// other readings answer 403 or 404, and the verdict.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkdestfolder_answers_each_reading_of_its_open_facts() {
    let path = |dest: i64, file: i64| {
        format!("files/fileops/checkdestfolder?destFolderId={dest}&fileIds={file}")
    };
    for (readings, unknown, outside) in [
        (&[][..], 500, 500),
        (
            &[("docspace-checkdest-unknown-destination", "404")][..],
            404,
            500,
        ),
        (
            &[
                ("docspace-checkdest-unknown-destination", "403"),
                ("docspace-checkdest-outside-rooms", "verdict"),
            ][..],
            403,
            200,
        ),
    ] {
        let s = support::start_in(&fileops_api::dialects::DOCSPACE, readings).await;
        let my = s.my(ALICE).await;
        let dst = s.mkdir(ALICE, my, "dst").await;
        let file = s.touch(ALICE, my, "a.docx").await;
        let answer = s.call("GET", &path(987_654, file), Some(ALICE), None).await;
        assert_eq!(answer.status, unknown, "{readings:?}: {}", answer.body);
        let answer = s.call("GET", &path(dst, file), Some(ALICE), None).await;
        assert_eq!(answer.status, outside, "{readings:?}: {}", answer.body);
    }
}
