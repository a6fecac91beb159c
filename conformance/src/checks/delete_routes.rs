//! `DELETE file/{fileId}` and `DELETE folder/{folderId}` (reference §1a notes, §13.7): each
//! starts a Delete operation, answered like `fileops/delete`, and takes the same
//! `deleteAfter`/`immediately` flags.

use fileops_api::operations::*;
use fileops_api::runtime::EntryId;
use fileops_api::types::{DeleteEntryRequest, FileOperation, FileOperationType};

use super::effects::{folder_in_trash, in_trash};
use crate::context::{answer, failed, started, Ctx};
use crate::outcome::{Outcome, Step};

fn flags(immediately: bool) -> Option<DeleteEntryRequest> {
    Some(DeleteEntryRequest {
        delete_after: None,
        immediately: Some(immediately),
    })
}

/// The started operation of a route's answer, which must be a Delete.
fn delete_started<R>(
    ops: &[FileOperation],
    exchange: &fileops_api::runtime::client::Exchange<R>,
    route: &str,
) -> Step<String> {
    let id =
        started(ops).ok_or_else(|| failed(format!("{route} started no operation"), exchange))?;
    match ops.last().and_then(|o| o.operation.clone()) {
        Some(FileOperationType::Delete) => Ok(id),
        other => Err(failed(
            format!("{route} must start a Delete operation, it started {other:?}"),
            exchange,
        )),
    }
}

/// reference §13.7 through the one-entry routes: a file goes to Trash by default; a folder
/// with `immediately` is removed for good with its content, not via Trash.
pub async fn routes(ctx: &Ctx) -> Step<Outcome> {
    let client = ctx.api();
    let file = ctx.create_file(ctx.work, "route-to-trash.docx").await?;
    let request = DeleteFileRequest {
        file_id: EntryId::Int(file),
        return_single_operation: None,
        body: flags(false),
    };
    let (resp, exchange) = answer(client.delete_file(&request).await)?;
    let DeleteFileResponse::Ok(ops) = resp else {
        return Ok(failed("DELETE file/{id} was refused", &exchange));
    };
    let id = delete_started(&ops, &exchange, "DELETE file/{id}")?;
    ctx.wait(&client, &id).await?;
    if !in_trash(ctx, file).await? {
        return Ok(failed(
            "after DELETE file/{id} the file must be in the caller's Trash",
            &exchange,
        ));
    }
    // Leave the caller's Trash as it was.
    let started = super::start_delete(ctx, &[file], true, false).await?;
    ctx.wait(&client, &started.id).await?;

    let folder = ctx.scratch("route-doomed").await?;
    ctx.create_file(folder, "inside.docx").await?;
    let request = DeleteFolderRequest {
        folder_id: EntryId::Int(folder),
        body: flags(true),
    };
    let (resp, exchange) = answer(client.delete_folder(&request).await)?;
    let DeleteFolderResponse::Ok(ops) = resp else {
        return Ok(failed("DELETE folder/{id} was refused", &exchange));
    };
    let id = delete_started(&ops, &exchange, "DELETE folder/{id}")?;
    ctx.wait(&client, &id).await?;
    let listed = ctx
        .listing(ctx.work)
        .await?
        .folders
        .iter()
        .any(|f| f.id == Some(EntryId::Int(folder)));
    Ok(if listed || folder_in_trash(ctx, folder).await? {
        failed(
            "DELETE folder/{id} with immediately must remove the folder for good, not leave it or send it to Trash",
            &exchange,
        )
    } else {
        Outcome::Pass
    })
}
