//! The operation lifecycle: progress, finished, read-once, deleteAfter, retention (with the
//! injected clock), terminate per family, per-user isolation and the download limit.

mod support;

use fileops_api::dialects::{DOCSPACE, WORKSPACE};
use serde_json::{json, Value};
use support::{dialects, start, Server, ALICE, BOB};

async fn folder_of_files(s: &Server, n: usize) -> (i64, i64) {
    let my = s.my(ALICE).await;
    let src = s.mkdir(ALICE, my, "many").await;
    for i in 0..n {
        s.touch(ALICE, src, &format!("f{i}.docx")).await;
    }
    (my, src)
}

/// Closes the gate and starts a copy of the folder `src` into `dst`; the operation's id.
async fn held_folder_copy(s: &Server, src: i64, dst: i64) -> String {
    s.reference.gate().close();
    let started = s
        .ok(
            "PUT",
            "files/fileops/copy",
            ALICE,
            Some(json!({"destFolderId": dst, "folderIds": [src]})),
        )
        .await;
    started[0]["id"].as_str().expect("id").to_owned()
}

fn op<'a>(ops: &'a Value, id: &str) -> Option<&'a Value> {
    ops.as_array()?.iter().find(|o| o["id"] == id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_rises_monotonically_then_the_result_is_read_once() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let dst = s.mkdir(ALICE, my, "dst").await;
        let files: Vec<i64> = {
            let mut v = Vec::new();
            for i in 0..4 {
                v.push(s.touch(ALICE, my, &format!("f{i}.docx")).await);
            }
            v
        };
        s.reference.gate().close();
        let started = s
            .ok(
                "PUT",
                "files/fileops/copy",
                ALICE,
                Some(json!({"destFolderId": dst, "fileIds": files})),
            )
            .await;
        let id = started[0]["id"].as_str().expect("id").to_owned();
        assert_eq!(started[0]["finished"], false);
        let mut last = -1;
        for step in 0..4 {
            let ops = s.ok("GET", "files/fileops", ALICE, None).await;
            let progress = op(&ops, &id).expect("listed while running")["progress"]
                .as_i64()
                .expect("progress");
            assert!(
                progress >= last,
                "{}: progress fell from {last} to {progress}",
                dialect.name
            );
            assert!(progress < 100, "still running at step {step}");
            last = progress;
            s.reference.gate().release(1);
            while s
                .reference
                .engine()
                .peek(&id)
                .is_some_and(|t| t.processed <= step)
            {
                tokio::task::yield_now().await;
            }
        }
        s.reference.gate().open();
        let done = s.wait(ALICE, &id).await;
        assert_eq!(done["progress"], 100);
        assert_eq!(done["processed"], "4");
        // Read once: the next listing no longer has it.
        let ops = s.ok("GET", "files/fileops", ALICE, None).await;
        assert!(
            op(&ops, &id).is_none(),
            "{}: a finished operation is reported once",
            dialect.name
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_after_drops_the_finished_operation_at_once() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let f = s.touch(ALICE, my, "a.docx").await;
        let started = s
            .ok(
                "PUT",
                "files/fileops/delete",
                ALICE,
                Some(json!({"fileIds": [f], "deleteAfter": true})),
            )
            .await;
        let id = started[0]["id"].as_str().expect("id").to_owned();
        while s.reference.engine().peek(&id).is_some_and(|t| !t.finished) {
            tokio::task::yield_now().await;
        }
        let ops = s.ok("GET", "files/fileops", ALICE, None).await;
        assert!(
            op(&ops, &id).is_none(),
            "{}: deleteAfter hides the finished result",
            dialect.name
        );
        assert_eq!(s.titles(ALICE, s.trash(ALICE).await).await.0, ["a.docx"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_tasks_expire_by_the_family_rule_on_the_injected_clock() {
    for (dialect, keep) in [
        (&DOCSPACE, DOCSPACE.behaviour.retention_seconds),
        (&WORKSPACE, WORKSPACE.behaviour.retention_seconds),
    ] {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let f = s.touch(ALICE, my, "a.docx").await;
        let started = s
            .ok(
                "PUT",
                "files/fileops/delete",
                ALICE,
                Some(json!({"fileIds": [f]})),
            )
            .await;
        let id = started[0]["id"].as_str().expect("id").to_owned();
        while s.reference.engine().peek(&id).is_some_and(|t| !t.finished) {
            tokio::task::yield_now().await;
        }
        s.clock.advance_secs(keep);
        assert!(s.reference.engine().peek(&id).is_some(), "kept for {keep}s");
        s.clock.advance_secs(1);
        let ops = s.ok("GET", "files/fileops", ALICE, None).await;
        assert!(
            op(&ops, &id).is_none(),
            "{}: unread for over {keep}s, dropped",
            dialect.name
        );
        assert!(s.reference.engine().peek(&id).is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminate_removes_in_docspace_and_signals_in_workspace() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let (my, src) = folder_of_files(&s, 3).await;
        let dst = s.mkdir(ALICE, my, "dst").await;
        let id = held_folder_copy(&s, src, dst).await;
        let left = s.ok("PUT", "files/fileops/terminate", ALICE, None).await;
        s.reference.gate().open();
        if dialect.name == "docspace" {
            assert!(
                op(&left, &id).is_none(),
                "DocSpace drops the cancelled operation: {left}"
            );
            assert!(s.reference.engine().peek(&id).is_none());
        } else {
            assert!(
                op(&left, &id).is_some(),
                "Workspace keeps it listed: {left}"
            );
            let done = s.wait(ALICE, &id).await;
            assert_eq!(done["error"], "The operation was canceled");
            assert!(
                s.titles(ALICE, dst).await.1.is_empty(),
                "nothing was copied after the signal"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_are_private_to_their_owner() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let f = s.touch(ALICE, my, "a.docx").await;
        s.reference.gate().close();
        let started = s
            .ok(
                "PUT",
                "files/fileops/delete",
                ALICE,
                Some(json!({"fileIds": [f]})),
            )
            .await;
        let id = started[0]["id"].as_str().expect("id").to_owned();
        let bobs = s.ok("GET", "files/fileops", BOB, None).await;
        assert!(
            op(&bobs, &id).is_none(),
            "{}: bob sees alice's operation",
            dialect.name
        );
        let bob_terminates = s.ok("PUT", "files/fileops/terminate", BOB, None).await;
        assert!(bob_terminates.as_array().is_some_and(Vec::is_empty));
        s.reference.gate().open();
        assert_eq!(
            s.wait(ALICE, &id).await["finished"],
            true,
            "bob's terminate did not touch alice's operation"
        );
        // Bob cannot act on alice's entries either.
        let bob_trash = s.trash(BOB).await;
        let g = s.touch(ALICE, my, "b.docx").await;
        let answer = s
            .call(
                "PUT",
                "files/fileops/move",
                Some(BOB),
                Some(json!({"destFolderId": bob_trash, "fileIds": [g]})),
            )
            .await;
        if dialect.behaviour.validate_up_front {
            // Another user's file is there, but not Bob's to move (reference §13.6).
            assert_eq!(
                answer.status, 403,
                "DocSpace refuses up front: {}",
                answer.body
            );
        } else {
            let id = answer.response()[0]["id"]
                .as_str()
                .expect("queued")
                .to_owned();
            assert_eq!(
                s.wait(BOB, &id).await["error"],
                "The required file was not found"
            );
        }
        assert_eq!(
            s.titles(ALICE, my).await.0,
            ["b.docx"],
            "alice's file stays"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_download_while_one_runs_is_refused_with_403() {
    for dialect in dialects() {
        let s = start(dialect).await;
        let my = s.my(ALICE).await;
        let f = s.touch(ALICE, my, "a.docx").await;
        s.reference.gate().close();
        s.ok(
            "PUT",
            "files/fileops/bulkdownload",
            ALICE,
            Some(json!({"fileIds": [f]})),
        )
        .await;
        let second = s
            .call(
                "PUT",
                "files/fileops/bulkdownload",
                Some(ALICE),
                Some(json!({"fileIds": [f]})),
            )
            .await;
        assert_eq!(second.status, 403, "{}", dialect.name);
        assert_eq!(second.json()["error"]["message"], "Too many downloads.");
        s.reference.gate().open();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_operations_of_a_kind_run_at_once_per_user() {
    use fileops_api::types::DistributedTaskStatus as Status;
    let s = start(&DOCSPACE).await;
    let my = s.my(ALICE).await;
    let mut files = Vec::new();
    for i in 0..12 {
        files.push(s.touch(ALICE, my, &format!("f{i}.docx")).await);
    }
    s.reference.gate().close();
    let mut ids = Vec::new();
    for f in &files {
        let started = s
            .ok(
                "PUT",
                "files/fileops/delete",
                ALICE,
                Some(json!({"fileIds": [f], "returnSingleOperation": true})),
            )
            .await;
        ids.push(started[0]["id"].as_str().expect("id").to_owned());
    }
    let statuses = || {
        ids.iter()
            .filter_map(|id| s.reference.engine().peek(id))
            .map(|t| t.status)
            .collect::<Vec<_>>()
    };
    while statuses()
        .iter()
        .filter(|st| **st == Status::Running)
        .count()
        < 10
    {
        tokio::task::yield_now().await;
    }
    let now = statuses();
    assert_eq!(
        now.iter().filter(|st| **st == Status::Running).count(),
        10,
        "{now:?}"
    );
    assert_eq!(
        now.iter().filter(|st| **st == Status::Created).count(),
        2,
        "two wait for a slot: {now:?}"
    );
    // Another user's queue is separate.
    let bob_file = s
        .touch(support::BOB, s.my(support::BOB).await, "b.docx")
        .await;
    let bobs = s
        .ok(
            "PUT",
            "files/fileops/delete",
            support::BOB,
            Some(json!({"fileIds": [bob_file]})),
        )
        .await;
    let bob_id = bobs[0]["id"].as_str().expect("id").to_owned();
    while s
        .reference
        .engine()
        .peek(&bob_id)
        .is_some_and(|t| t.status == Status::Created)
    {
        tokio::task::yield_now().await;
    }
    s.reference.gate().open();
    while s.reference.engine().unfinished() > 0 {
        tokio::task::yield_now().await;
    }
    // One listing hands every finished operation out once.
    let listed = s.ok("GET", "files/fileops", ALICE, None).await;
    for id in &ids {
        assert_eq!(
            op(&listed, id).map(|o| o["finished"].clone()),
            Some(json!(true)),
            "{id}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminate_by_id_cancels_only_that_operation() {
    let s = start(&DOCSPACE).await;
    let my = s.my(ALICE).await;
    let a = s.touch(ALICE, my, "a.docx").await;
    let b = s.touch(ALICE, my, "b.docx").await;
    s.reference.gate().close();
    let first = s
        .ok(
            "PUT",
            "files/fileops/delete",
            ALICE,
            Some(json!({"fileIds": [a], "returnSingleOperation": true})),
        )
        .await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let second = s
        .ok(
            "PUT",
            "files/fileops/delete",
            ALICE,
            Some(json!({"fileIds": [b], "returnSingleOperation": true})),
        )
        .await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let left = s
        .ok(
            "PUT",
            &format!("files/fileops/terminate/{first}"),
            ALICE,
            None,
        )
        .await;
    assert!(op(&left, &first).is_none(), "{left}");
    assert!(op(&left, &second).is_some(), "{left}");
    s.reference.gate().open();
    assert_eq!(s.wait(ALICE, &second).await["finished"], true);
    assert_eq!(
        s.titles(ALICE, my).await.0,
        ["a.docx"],
        "the cancelled delete never ran"
    );
}

/// One folder is copied one entry at a time (the engine's per-entry units): its progress
/// climbs in steps instead of jumping from 0 to 100, and nothing is lost on the way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_folder_copy_progresses_in_steps() {
    let s = start(&fileops_api::dialects::DOCSPACE).await;
    let (my, src) = folder_of_files(&s, 8).await;
    let dst = s.mkdir(ALICE, my, "dst").await;
    let id = held_folder_copy(&s, src, dst).await;
    let mut seen = Vec::new();
    for step in 1..=4 {
        s.reference.gate().release(1);
        while s
            .reference
            .engine()
            .peek(&id)
            .is_some_and(|t| t.processed < step)
        {
            tokio::task::yield_now().await;
        }
        let ops = s.ok("GET", "files/fileops", ALICE, None).await;
        let progress = op(&ops, &id).expect("listed while running")["progress"]
            .as_i64()
            .expect("progress");
        seen.push(progress);
    }
    s.reference.gate().open();
    let done = s.wait(ALICE, &id).await;
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]) && seen.iter().all(|p| (1..100).contains(p)),
        "progress climbs in steps below 100: {seen:?}"
    );
    assert_eq!(done["progress"], 100);
    let copy = s.list(ALICE, dst).await["folders"][0]["id"]
        .as_i64()
        .expect("the copy");
    assert_eq!(s.titles(ALICE, copy).await.0.len(), 8, "every file copied");
}
