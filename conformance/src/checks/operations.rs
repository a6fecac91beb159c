//! How the operation routes answer (reference §1a, §2a): which operations an answer lists,
//! by kind and by id, with returnSingleOperation or an empty selection, and terminate by id.

use serde_json::json;

use super::fixture::{self, Batch};
use super::raw::{api, failed, kinds, last_operation, operation_ids, send};
use crate::context::{Ctx, RawAnswer};
use crate::outcome::{Outcome, Step};

/// Starts a copy of `count` fresh files into a fresh folder (a delete when `delete`); the
/// answer and the new operation's id.
async fn start(ctx: &Ctx, name: &str, count: usize, delete: bool) -> Step<(RawAnswer, String)> {
    let src = ctx.scratch(&format!("{name}-src")).await?;
    let mut files = Vec::new();
    for i in 0..count {
        files.push(ctx.create_file(src, &format!("{name}{i}.docx")).await?);
    }
    let (path, body) = if delete {
        (
            "files/fileops/delete",
            json!({"fileIds": files, "immediately": true}),
        )
    } else {
        let dst = ctx.scratch(&format!("{name}-dst")).await?;
        (
            "files/fileops/copy",
            json!({"fileIds": files, "destFolderId": dst}),
        )
    };
    let answer = send(ctx, "PUT", &api(path), Some(body)).await?;
    match last_operation(&answer).filter(|_| answer.status == 200) {
        Some(id) => Ok((answer, id)),
        None => Err(failed(format!("PUT {path} started no operation"), &answer)),
    }
}

/// reference §1a: DocSpace answers a copy with copy operations only, a move with moves only
/// and a delete with deletes only, each manager answering for its own queue.
pub async fn answer_kinds(ctx: &Ctx) -> Step<Outcome> {
    let (_, delete) = start(ctx, "kinds-delete", 3, true).await?;
    let (copied, _) = start(ctx, "kinds-copy", 3, false).await?;
    let foreign = |answer: &RawAnswer, allowed: &[i64]| {
        kinds(answer).iter().any(|k| !allowed.contains(k))
            || operation_ids(answer).contains(&delete) && !allowed.contains(&2)
    };
    if foreign(&copied, &[1]) {
        return Ok(failed(
            "a copy's answer lists operations of other kinds",
            &copied,
        ));
    }
    let (deleted, _) = start(ctx, "kinds-delete-again", 1, true).await?;
    Ok(if foreign(&deleted, &[2]) {
        failed(
            "a delete's answer lists operations of other kinds",
            &deleted,
        )
    } else {
        Outcome::Pass
    })
}

/// reference §1a, §2a: `GET fileops/{operationType}` lists only that kind (Move and Copy
/// together), and the `id` query (on either route) only that operation.
///
/// A copy and a delete are started, each from its own queue, so neither start's answer
/// hands out the other (§5 read-once). The reads then go from narrow to wide: by id, by
/// id and another kind, by the delete's kind, by the copy's kind; the copy stays unread
/// until the last one, so a server that ignores a filter lists it where it must not.
pub async fn list_by_kind(ctx: &Ctx) -> Step<Outcome> {
    let (copied, copy) = start(ctx, "by-kind-copy", 5, false).await?;
    let (_, delete) = start(ctx, "by-kind-delete", 5, true).await?;
    let path = api(&format!("files/fileops?id={delete}"));
    let by_id = send(ctx, "GET", &path, None).await?;
    if operation_ids(&by_id).iter().any(|id| *id != delete) {
        return Ok(failed(
            "GET fileops?id= must list that operation alone",
            &by_id,
        ));
    }
    let path = api(&format!("files/fileops/1?id={delete}"));
    let crossed = send(ctx, "GET", &path, None).await?;
    if !operation_ids(&crossed).is_empty() {
        return Ok(failed(
            "GET fileops/1?id= with a delete's id must list nothing: the kind and the id both filter",
            &crossed,
        ));
    }
    let deletes = send(ctx, "GET", &api("files/fileops/2"), None).await?;
    if kinds(&deletes).iter().any(|k| *k != 2) || operation_ids(&deletes).contains(&copy) {
        return Ok(failed("GET fileops/2 must list deletes only", &deletes));
    }
    let copies = send(ctx, "GET", &api("files/fileops/1"), None).await?;
    // A copy that finished before its own start answered was handed out there (§5).
    let handed_out = finished(&copied, &copy);
    let listed = operation_ids(&copies).contains(&copy);
    if !(listed || handed_out) || kinds(&copies).iter().any(|k| ![0, 1].contains(k)) {
        return Ok(failed(
            "GET fileops/1 must list the copy, and moves or copies only",
            &copies,
        ));
    }
    Ok(Outcome::Pass)
}

/// Whether an answer lists operation `id` as finished.
fn finished(answer: &RawAnswer, id: &str) -> bool {
    answer
        .json()
        .get("response")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .any(|o| o["id"] == id && o["finished"] == true)
}

/// reference §2a: with returnSingleOperation the answer lists only the new operation.
pub async fn single_operation(ctx: &Ctx) -> Step<Outcome> {
    let (_, first) = start(ctx, "single-first", 5, false).await?;
    let src = ctx.scratch("single-src").await?;
    let dst = ctx.scratch("single-dst").await?;
    let file = ctx.create_file(src, "single.docx").await?;
    let body = json!({"fileIds": [file], "destFolderId": dst, "returnSingleOperation": true});
    let answer = send(ctx, "PUT", &api("files/fileops/copy"), Some(body)).await?;
    let ids = operation_ids(&answer);
    Ok(if ids.len() == 1 && ids[0] != first {
        Outcome::Pass
    } else {
        failed(
            "with returnSingleOperation the answer lists the new operation alone",
            &answer,
        )
    })
}

/// reference §2a ([RUBY] agrees): an empty selection queues nothing and answers with the
/// caller's operations of that kind already there.
pub async fn empty_selection(ctx: &Ctx) -> Step<Outcome> {
    let (_, copy) = start(ctx, "empty-selection", 5, false).await?;
    let dst = ctx.scratch("empty-selection-dst").await?;
    let body = json!({"fileIds": [], "folderIds": [], "destFolderId": dst});
    let answer = send(ctx, "PUT", &api("files/fileops/copy"), Some(body)).await?;
    let ids = operation_ids(&answer);
    let listed_only_known = ids.iter().all(|id| *id == copy);
    Ok(if answer.status == 200 && listed_only_known {
        Outcome::Pass
    } else {
        failed(
            "an empty selection must queue nothing and answer the copies already there",
            &answer,
        )
    })
}

/// reference §1a: `PUT fileops/terminate/{id}` cancels that operation alone: another one of
/// the caller's, running when terminate comes, finishes and is reported, without error. The
/// batches grow until the kept one is seen running ([`fixture`]).
pub async fn terminate_by_id(ctx: &Ctx) -> Step<Outcome> {
    for size in fixture::SIZES {
        let doomed =
            fixture::start(ctx, &format!("by-id-doomed-{size}"), size, Batch::Copy).await?;
        let kept = fixture::start(ctx, &format!("by-id-kept-{size}"), size, Batch::Copy).await?;
        if !fixture::is_running(&kept.answer.json(), &kept.id) {
            continue;
        }
        let path = api(&format!("files/fileops/terminate/{}", doomed.id));
        let answer = send(ctx, "PUT", &path, None).await?;
        if answer.status != 200 {
            return Ok(failed("terminate by id was refused", &answer));
        }
        return kept_finishes(ctx, &answer, &kept.id).await;
    }
    Ok(fixture::too_fast("terminate by id"))
}

/// After terminating another operation by id: `kept`, running before, finishes in full and
/// without an error.
async fn kept_finishes(ctx: &Ctx, answer: &RawAnswer, kept: &str) -> Step<Outcome> {
    // The answer lists what is left, and hands out what has finished (read once).
    let listed = answer.json()["response"]
        .as_array()
        .and_then(|ops| ops.iter().find(|o| o["id"] == kept).cloned());
    // Running until now and read by nobody since, it is listed: running, or finished and
    // handed out here.
    let Some(listed) = listed else {
        return Ok(failed(
            "terminating another operation by id took this one out of the listing",
            answer,
        ));
    };
    let finished = Some(listed).filter(|o| o["finished"] == true);
    let (progress, error) = match finished {
        Some(op) => (
            op["progress"].as_i64().unwrap_or_default(),
            op["error"].as_str().unwrap_or_default().to_owned(),
        ),
        None => {
            let done = ctx.wait(&ctx.api(), kept).await?;
            (i64::from(done.progress), done.error.unwrap_or_default())
        }
    };
    Ok(if progress == 100 && error.is_empty() {
        Outcome::Pass
    } else {
        Outcome::fail(
            format!("terminating another operation by id must leave this one to finish: progress {progress}, error {error:?}"),
            vec![answer.evidence()],
        )
    })
}
