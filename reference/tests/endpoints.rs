//! Every endpoint, over real HTTP, in both families.

mod support;

use serde_json::json;
use support::{dialects, start, ALICE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_listings_and_creation_in_both_families() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let name = dialect.name;
        // Login: DocSpace 200, Workspace 201.
        let login = s
            .call(
                "POST",
                "authentication",
                None,
                Some(json!({"userName": "alice", "password": ALICE})),
            )
            .await;
        assert_eq!(login.status, dialect.post_status, "{name}: {}", login.body);
        assert_eq!(login.response()["token"], ALICE);
        let bad = s
            .call(
                "POST",
                "authentication",
                None,
                Some(json!({"userName": "alice", "password": "nope"})),
            )
            .await;
        assert_eq!(
            bad.status, dialect.behaviour.bad_credentials_status,
            "{name}"
        );
        assert_eq!(bad.json()["error"]["message"], "User authentication failed");

        let my = s.my(ALICE).await;
        let listing = s.list(ALICE, my).await;
        assert_eq!(listing["current"]["title"], "My documents");
        assert_eq!(listing["current"]["rootFolderType"], 5);
        let trash = s.ok("GET", "files/@trash", ALICE, None).await;
        assert_eq!(trash["current"]["title"], "Trash");
        assert_eq!(trash["current"]["rootFolderType"], 3);

        // Create: folder and file (extension rule), then their info endpoints.
        let created = s
            .call(
                "POST",
                &format!("files/folder/{my}"),
                Some(ALICE),
                Some(json!({"title": "Work"})),
            )
            .await;
        assert_eq!(created.status, dialect.post_status, "{name}");
        let work = created.response()["id"].as_i64().expect("id");
        let file = s
            .ok(
                "POST",
                &format!("files/{work}/file"),
                ALICE,
                Some(json!({"title": "Report.txt"})),
            )
            .await;
        assert_eq!(file["title"], "Report.docx");
        assert_eq!(file["version"], 1);
        assert_eq!(file["fileType"], 7);
        assert_eq!(file["comment"], "Created");
        let plain = s
            .ok(
                "POST",
                &format!("files/{work}/file"),
                ALICE,
                Some(json!({"title": "Notes"})),
            )
            .await;
        assert_eq!(plain["title"], "Notes.docx");
        let file_id = file["id"].as_i64().expect("id");
        let info = s
            .ok("GET", &format!("files/file/{file_id}"), ALICE, None)
            .await;
        assert_eq!(info["folderId"], work);
        let folder = s
            .ok("GET", &format!("files/folder/{work}"), ALICE, None)
            .await;
        assert_eq!(folder["title"], "Work");
        assert_eq!(folder["filesCount"], 2);
        let (files, folders) = s.titles(ALICE, my).await;
        assert!(files.is_empty());
        assert_eq!(folders, ["Work"]);

        // Unknown entries: DocSpace 404, Workspace 403, with the upstream message.
        let missing = s.call("GET", "files/file/999999", Some(ALICE), None).await;
        assert_eq!(
            missing.status, dialect.behaviour.missing_entry_status,
            "{name}"
        );
        assert_eq!(
            missing.json()["error"]["message"],
            "The required file was not found"
        );
        let missing = s
            .call("GET", "files/folder/999999", Some(ALICE), None)
            .await;
        assert_eq!(
            missing.status, dialect.behaviour.missing_entry_status,
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fileops_operation_answers_in_both_families() {
    for dialect in dialects() {
        // checkdestfolder's verdict outside every room is a reading of an open fact (§2b).
        let verdict: &[(&str, &str)] = if dialect.name == "docspace" {
            &[("docspace-checkdest-outside-rooms", "verdict")]
        } else {
            &[]
        };
        let s = support::start_in(dialect, verdict).await;
        let name = dialect.name;
        let my = s.my(ALICE).await;
        let a = s.mkdir(ALICE, my, "A").await;
        let b = s.mkdir(ALICE, my, "B").await;
        let f = s.touch(ALICE, a, "one.docx").await;
        let g = s.touch(ALICE, a, "two.docx").await;

        let copied = s
            .run(
                "PUT",
                "files/fileops/copy",
                ALICE,
                json!({"destFolderId": b, "fileIds": [f]}),
            )
            .await;
        assert_eq!(copied["progress"], 100, "{name}: {copied}");
        let moved = s
            .run(
                "PUT",
                "files/fileops/move",
                ALICE,
                json!({"destFolderId": b, "fileIds": [g]}),
            )
            .await;
        assert_eq!(moved["processed"], "1");
        assert_eq!(s.titles(ALICE, b).await.0, ["one.docx", "two.docx"]);
        assert_eq!(s.titles(ALICE, a).await.0, ["one.docx"]);

        let clashes = s
            .ok(
                "GET",
                &format!("files/fileops/move?destFolderId={b}&fileIds={f}"),
                ALICE,
                None,
            )
            .await;
        assert_eq!(
            clashes.as_array().map(Vec::len),
            Some(1),
            "{name}: {clashes}"
        );
        assert_eq!(
            clashes[0]["id"], f,
            "{name}: the source is listed: {clashes}"
        );
        assert_eq!(
            clashes[0]["folderId"], a,
            "{name}: in its own folder: {clashes}"
        );
        let marked = s
            .run(
                "PUT",
                "files/fileops/markasread",
                ALICE,
                json!({"fileIds": [f]}),
            )
            .await;
        assert_eq!(marked["finished"], true);
        let download = s
            .run(
                "PUT",
                "files/fileops/bulkdownload",
                ALICE,
                json!({"folderIds": [a]}),
            )
            .await;
        assert!(
            download["url"]
                .as_str()
                .is_some_and(|u| u.starts_with(&s.base)),
            "{name}: {download}"
        );
        let deleted = s
            .run(
                "PUT",
                "files/fileops/delete",
                ALICE,
                json!({"fileIds": [f]}),
            )
            .await;
        assert!(
            deleted.get("files").is_none_or(|f| f.is_null()),
            "deletes report no entries: {deleted}"
        );
        assert_eq!(s.titles(ALICE, s.trash(ALICE).await).await.0, ["one.docx"]);
        let emptied = s
            .run("PUT", "files/fileops/emptytrash", ALICE, json!({}))
            .await;
        assert_eq!(emptied["finished"], true);
        assert!(s.titles(ALICE, s.trash(ALICE).await).await.0.is_empty());
        let terminated = s.ok("PUT", "files/fileops/terminate", ALICE, None).await;
        assert!(
            terminated.as_array().is_some_and(Vec::is_empty),
            "{name}: {terminated}"
        );

        if dialect.name == "docspace" {
            let dup = s
                .run(
                    "PUT",
                    "files/fileops/duplicate",
                    ALICE,
                    json!({"fileIds": [g]}),
                )
                .await;
            assert_eq!(dup["files"][0]["title"], "two (1).docx", "{dup}");
            let verdict = s
                .ok(
                    "GET",
                    &format!("files/fileops/checkdestfolder?destFolderId={a}&fileIds={g}"),
                    ALICE,
                    None,
                )
                .await;
            assert_eq!(verdict["result"], 0, "{verdict}");
            assert_eq!(
                verdict["files"][0]["id"], g,
                "the allowed file is listed: {verdict}"
            );
            let by_type = s.ok("GET", "files/fileops/delete", ALICE, None).await;
            assert!(by_type.is_array());
            let refused = s
                .call("GET", "files/fileops/import", Some(ALICE), None)
                .await;
            assert_eq!(refused.status, 400);
            let one = s
                .ok("PUT", "files/fileops/terminate/no-such-id", ALICE, None)
                .await;
            assert!(one.is_array());
        } else {
            // Workspace has no duplicate, checkdestfolder, typed listing or terminate/{id}.
            for path in ["files/fileops/duplicate", "files/fileops/terminate/x"] {
                assert_eq!(
                    s.call("PUT", path, Some(ALICE), Some(json!({})))
                        .await
                        .status,
                    404,
                    "{path}"
                );
            }
        }
    }
}
