//! How the operation routes answer (reference §1a, §2a): which operations an answer lists,
//! by kind and by id, with returnSingleOperation or an empty selection, and terminate by id.

use serde_json::json;

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
/// together), and its `id` query only that operation.
pub async fn list_by_kind(ctx: &Ctx) -> Step<Outcome> {
    let (_, copy) = start(ctx, "by-kind-copy", 5, false).await?;
    let (_, delete) = start(ctx, "by-kind-delete", 5, true).await?;
    let by_id = send(
        ctx,
        "GET",
        &api(&format!("files/fileops/2?id={delete}")),
        None,
    )
    .await?;
    if operation_ids(&by_id) != [delete.clone()] {
        return Ok(failed(
            "GET fileops/2?id= must list that delete alone",
            &by_id,
        ));
    }
    let copies = send(ctx, "GET", &api("files/fileops/1"), None).await?;
    let ids = operation_ids(&copies);
    if !ids.contains(&copy) || kinds(&copies).iter().any(|k| ![0, 1].contains(k)) {
        return Ok(failed(
            "GET fileops/1 must list the copy and moves or copies only",
            &copies,
        ));
    }
    Ok(Outcome::Pass)
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
/// the caller's finishes and is reported, without error.
pub async fn terminate_by_id(ctx: &Ctx) -> Step<Outcome> {
    let (_, doomed) = start(ctx, "by-id-doomed", 20, false).await?;
    let (_, kept) = start(ctx, "by-id-kept", 5, false).await?;
    let answer = send(
        ctx,
        "PUT",
        &api(&format!("files/fileops/terminate/{doomed}")),
        None,
    )
    .await?;
    if answer.status != 200 {
        return Ok(failed("terminate by id was refused", &answer));
    }
    // The answer lists what is left, and hands out what has finished (read once).
    let listed = answer.json()["response"]
        .as_array()
        .and_then(|ops| ops.iter().find(|o| o["id"] == kept.as_str()).cloned());
    let finished = listed.filter(|o| o["finished"] == true);
    let (progress, error) = match finished {
        Some(op) => (
            op["progress"].as_i64().unwrap_or_default(),
            op["error"].as_str().unwrap_or_default().to_owned(),
        ),
        None => {
            let done = ctx.wait(&ctx.api(), &kept).await?;
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
