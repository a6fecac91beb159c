//! What move, copy and delete do to folders and to Trash, and what they refuse: merges of
//! same-named folders, permanence in Trash, moves into a folder's own subfolder, unknown
//! destinations and third-party ids. Family differences come from the dialect's behaviour.

use fileops_api::operations::*;
use fileops_api::runtime::EntryId;
use fileops_api::types::{BatchRequest, FileConflictResolveType as Resolve};

use fileops_api::runtime::UnknownDestination;

use super::UNKNOWN_ID;
use crate::context::{failed, Ctx};
use crate::outcome::{Outcome, Step};
use crate::profile;

/// A move or copy of folders and files.
fn request(dest: i64, folders: &[i64], files: &[EntryId], resolve: Resolve) -> BatchRequest {
    let mut body = super::batch(dest, &[], resolve);
    body.folder_ids = folders.iter().map(|f| EntryId::Int(*f)).collect();
    body.file_ids = files.to_vec();
    body
}

/// Sends a move and keeps the exchange, whatever the answer.
async fn send_move(
    ctx: &Ctx,
    body: BatchRequest,
) -> Step<fileops_api::runtime::client::Exchange<MoveBatchItemsResponse>> {
    ctx.api()
        .move_batch_items(&MoveBatchItemsRequest { body })
        .await
        .map_err(|e| Outcome::Error {
            message: e.to_string(),
        })
}

/// Titles and ids of a folder's subfolders.
async fn subfolders(ctx: &Ctx, folder: i64) -> Step<Vec<(String, i64)>> {
    Ok(ctx
        .listing(folder)
        .await?
        .folders
        .into_iter()
        .filter_map(|f| Some((f.title?, f.id?.as_int()?)))
        .collect())
}

/// The version of the file titled `title` in `folder`.
async fn version_of(ctx: &Ctx, folder: i64, title: &str) -> Step<Option<i32>> {
    Ok(ctx
        .listing(folder)
        .await?
        .files
        .into_iter()
        .find(|f| f.title.as_deref() == Some(title))
        .and_then(|f| f.version))
}

async fn delete_and_wait(ctx: &Ctx, file: i64) -> Step<()> {
    let started = super::start_delete(ctx, &[file], false, false).await?;
    ctx.wait(&ctx.api(), &started.id).await.map(|_| ())
}

/// reference §13.7: an item already in Trash is removed for good, even without `immediately`.
pub async fn delete_from_trash(ctx: &Ctx) -> Step<Outcome> {
    let file = ctx.create_file(ctx.work, "twice-deleted.docx").await?;
    delete_and_wait(ctx, file).await?;
    if !super::effects::in_trash(ctx, file).await? {
        return Ok(Outcome::fail(
            "the first delete did not put the file in Trash",
            Vec::new(),
        ));
    }
    delete_and_wait(ctx, file).await?;
    Ok(if super::effects::in_trash(ctx, file).await? {
        Outcome::fail(
            "deleting an item already in Trash must remove it for good; Trash still lists it",
            Vec::new(),
        )
    } else {
        Outcome::Pass
    })
}

/// reference §13.6: a same-named folder at the destination is merged into, recursively, with
/// the request's resolve type; on move the source goes only once emptied.
pub async fn merge(ctx: &Ctx) -> Step<Outcome> {
    let mut problems = Vec::new();
    for copy in [true, false] {
        for resolve in [Resolve::Skip, Resolve::Overwrite] {
            if let Some(problem) = merge_case(ctx, copy, resolve).await? {
                problems.push(problem);
            }
        }
    }
    Ok(if problems.is_empty() {
        Outcome::Pass
    } else {
        Outcome::fail(problems.join("\n"), Vec::new())
    })
}

async fn merge_case(ctx: &Ctx, copy: bool, resolve: Resolve) -> Step<Option<String>> {
    let what = format!("{} with {resolve:?}", if copy { "copy" } else { "move" });
    let src = ctx.scratch("merge-src").await?;
    let dst = ctx.scratch("merge-dst").await?;
    let from = ctx.create_folder(src, "Merged").await?;
    let into = ctx.create_folder(dst, "Merged").await?;
    ctx.create_file(from, "a.docx").await?;
    ctx.create_file(from, "b.docx").await?;
    ctx.create_file(into, "a.docx").await?;
    let before = version_of(ctx, into, "a.docx").await?;
    let client = ctx.api();
    let started =
        super::start_transfer(&client, copy, request(dst, &[from], &[], resolve.clone())).await?;
    ctx.wait(&client, &started.id).await?;
    let folders = subfolders(ctx, dst).await?;
    if folders.len() != 1 || folders[0].1 != into {
        return Ok(Some(format!(
            "{what}: the destination must keep one folder `Merged` (id {into}), found {folders:?}"
        )));
    }
    let mut titles = ctx.file_titles(into).await?;
    titles.dedup();
    if titles != ["a.docx", "b.docx"] {
        return Ok(Some(format!(
            "{what}: the merged folder must hold a.docx and b.docx once each, found {titles:?}"
        )));
    }
    let after = version_of(ctx, into, "a.docx").await?;
    let versioned = after > before;
    if versioned != (resolve == Resolve::Overwrite) {
        return Ok(Some(format!(
            "{what}: a.docx at the destination went from version {before:?} to {after:?}"
        )));
    }
    // A skipped file keeps the moved source folder alive (§13.6).
    let left = subfolders(ctx, src).await?;
    let source_stays = copy || resolve == Resolve::Skip;
    if source_stays == left.is_empty() {
        return Ok(Some(format!(
            "{what}: the source folder {} (found {left:?})",
            if source_stays {
                "must stay"
            } else {
                "must be gone once emptied"
            }
        )));
    }
    Ok(None)
}

/// reference §13.6: moving a folder into its own subfolder is refused: DocSpace up front with
/// 403, Workspace in the finished operation's error (a code reading; refusing up front is
/// the other reading); either way nothing moves.
pub async fn into_own_subfolder(ctx: &Ctx) -> Step<Outcome> {
    let parent = ctx.scratch("self-parent").await?;
    let child = ctx.create_folder(parent, "child").await?;
    let body = request(child, &[parent], &[], Resolve::Skip);
    let exchange = send_move(ctx, body).await?;
    let refused_up_front = matches!(exchange.answer, Ok(MoveBatchItemsResponse::Forbidden(_)));
    let error = match &exchange.answer {
        Ok(MoveBatchItemsResponse::Ok(ops)) => match ops.last() {
            Some(op) => Some(
                ctx.wait(&ctx.api(), &op.id)
                    .await?
                    .error
                    .unwrap_or_default(),
            ),
            None => None,
        },
        _ => None,
    };
    let what = match &error {
        Some(error) => format!("queued; finished with error {error:?}"),
        None => format!("answered {}", exchange.status),
    };
    let facts = profile::setting(&["behaviour/validate-up-front"]);
    let fits = ctx.fits(&facts, &what, |d| {
        if d.behaviour.validate_up_front {
            refused_up_front
        } else {
            error.as_deref().is_some_and(|e| !e.is_empty())
        }
    });
    let verdict = (!fits).then(|| {
        if ctx.target.dialect.behaviour.validate_up_front {
            format!(
                "a move into the folder's own subfolder must be refused up front with 403, got {}",
                exchange.status
            )
        } else {
            format!("the move must be refused, or queued to finish with an error: {what}")
        }
    });
    let still = subfolders(ctx, ctx.work)
        .await?
        .iter()
        .any(|(_, id)| *id == parent)
        && subfolders(ctx, parent)
            .await?
            .iter()
            .any(|(_, id)| *id == child);
    let problem = verdict.or_else(|| (!still).then(|| "the folder moved anyway".to_owned()));
    Ok(match problem {
        None => Outcome::Pass,
        Some(message) => failed(message, &exchange),
    })
}

/// reference §13.6: an unknown destination is refused before queuing by DocSpace (its
/// missing-entry status, 404); on Workspace it is queued and ends with no effect and no
/// error (a code reading: ending with an error, or a refusal up front, are the other
/// readings). The file stays.
pub async fn unknown_destination(ctx: &Ctx) -> Step<Outcome> {
    let src = ctx.scratch("nowhere-src").await?;
    let file = ctx.create_file(src, "stays.docx").await?;
    let body = request(UNKNOWN_ID, &[], &[EntryId::Int(file)], Resolve::Skip);
    let exchange = send_move(ctx, body).await?;
    let finished = match &exchange.answer {
        Ok(MoveBatchItemsResponse::Ok(ops)) => match ops.last() {
            Some(op) => Some(ctx.wait(&ctx.api(), &op.id).await?),
            None => None,
        },
        _ => None,
    };
    let status = exchange.status;
    let error = finished
        .as_ref()
        .map(|op| op.error.clone().unwrap_or_default());
    let what = match &error {
        Some(error) => format!("queued; finished with error {error:?}"),
        None => format!("answered {status}"),
    };
    let facts = profile::setting(&[
        "behaviour/unknown-destination",
        "behaviour/missing-entry-status",
    ]);
    let fits = ctx.fits(&facts, &what, |d| match d.behaviour.unknown_destination {
        UnknownDestination::Refused => status == d.behaviour.missing_entry_status,
        UnknownDestination::Silent => error.as_deref() == Some(""),
        UnknownDestination::OperationError => error.as_deref().is_some_and(|e| !e.is_empty()),
    });
    let stayed = ctx.file_titles(src).await? == ["stays.docx"];
    let problem = if !fits {
        Some(format!(
            "an unknown destination must be refused up front or queued to no effect as this \
             family's readings say; {what}"
        ))
    } else {
        (!stayed).then(|| "the file left its folder".to_owned())
    };
    Ok(match problem {
        None => Outcome::Pass,
        Some(message) => failed(message, &exchange),
    })
}

/// reference §2a, §2c, §6: a third-party string id binds (it is an id, not bad input) and,
/// with no such storage connected, matches nothing: never 400 or 5xx, and nothing changes
/// but what the request's own files do.
pub async fn third_party_ids(ctx: &Ctx) -> Step<Outcome> {
    let src = ctx.scratch("third-party-src").await?;
    let dst = ctx.scratch("third-party-dst").await?;
    let file = ctx.create_file(src, "ours.docx").await?;
    let foreign = EntryId::Str("sbox-987654-|Documents|nothing.docx".into());
    let body = request(dst, &[], &[EntryId::Int(file), foreign], Resolve::Skip);
    let exchange = send_move(ctx, body).await?;
    if exchange.status == 400 || exchange.status >= 500 {
        return Ok(failed(
            format!(
                "a third-party id must bind as an id, got {}",
                exchange.status
            ),
            &exchange,
        ));
    }
    if let Ok(MoveBatchItemsResponse::Ok(ops)) = &exchange.answer {
        if let Some(op) = ops.last() {
            ctx.wait(&ctx.api(), &op.id).await?;
        }
        if ctx.file_titles(dst).await? != ["ours.docx"] {
            return Ok(failed(
                "the request's own file did not move beside the third-party id",
                &exchange,
            ));
        }
    }
    Ok(Outcome::Pass)
}
