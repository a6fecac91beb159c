//! Deletes: into Trash, for good, of versions, and emptying Trash.

use fileops_api::operations::*;
use fileops_api::runtime::EntryId;
use fileops_api::types::FileConflictResolveType as Resolve;

use super::{clash, delete, in_trash, transfer, version};
use crate::context::{answer, failed, started, Ctx};
use crate::outcome::{Outcome, Step};
use crate::profile;

pub async fn delete_to_trash(ctx: &Ctx) -> Step<Outcome> {
    let file = ctx.create_file(ctx.work, "to-trash.docx").await?;
    delete(ctx, file, false).await?;
    let trashed = in_trash(ctx, file).await?;
    // Leave nothing behind in the caller's Trash.
    delete(ctx, file, true).await?;
    Ok(if trashed {
        Outcome::Pass
    } else {
        Outcome::fail("the deleted file is not in @trash", Vec::new())
    })
}

pub async fn delete_immediately(ctx: &Ctx) -> Step<Outcome> {
    let file = ctx.create_file(ctx.work, "for-good.docx").await?;
    delete(ctx, file, true).await?;
    if in_trash(ctx, file).await? {
        return Ok(Outcome::fail(
            "immediately must not go through Trash",
            Vec::new(),
        ));
    }
    Ok(
        if ctx
            .file_titles(ctx.work)
            .await?
            .contains(&"for-good.docx".to_owned())
        {
            Outcome::fail("the file is still there", Vec::new())
        } else {
            Outcome::Pass
        },
    )
}
pub async fn delete_versions(ctx: &Ctx) -> Step<Outcome> {
    let (_, dst, file, target) = clash(ctx, "versions").await?;
    transfer(ctx, true, dst, &[file], Resolve::Overwrite).await?;
    let current = version(ctx, target).await?.unwrap_or(0);
    let body = fileops_api::types::DeleteVersionBatchRequest {
        file_id: target as i32,
        versions: vec![current],
        delete_after: None,
        return_single_operation: None,
    };
    let (resp, exchange) = answer(
        ctx.api()
            .delete_file_versions(&DeleteFileVersionsRequest { body })
            .await,
    )?;
    if !matches!(resp, DeleteFileVersionsResponse::Forbidden(_)) {
        return Ok(failed(
            "deleting the current version must be refused with 403",
            &exchange,
        ));
    }
    let body = fileops_api::types::DeleteVersionBatchRequest {
        file_id: target as i32,
        versions: vec![current - 1],
        delete_after: None,
        return_single_operation: None,
    };
    let (resp, exchange) = answer(
        ctx.api()
            .delete_file_versions(&DeleteFileVersionsRequest { body })
            .await,
    )?;
    let DeleteFileVersionsResponse::Ok(ops) = resp else {
        return Ok(failed("deleting an old version was refused", &exchange));
    };
    let id = started(&ops).ok_or_else(|| failed("no operation was started", &exchange))?;
    ctx.wait(&ctx.api(), &id).await?;
    if let Some(v) = version(ctx, target).await?.filter(|v| *v != current) {
        return Ok(Outcome::fail(
            format!("the current version must stay {current}, is {v}"),
            Vec::new(),
        ));
    }
    // §13.8: the deleted row leaves GET file/{id}/history; the others keep their numbers.
    let (resp, exchange) = answer(
        ctx.api()
            .get_file_history(&GetFileHistoryRequest {
                file_id: EntryId::Int(target),
            })
            .await,
    )?;
    let GetFileHistoryResponse::Ok(history) = resp else {
        return Ok(failed("the file's history could not be read", &exchange));
    };
    let mut left: Vec<Option<i32>> = history.iter().map(|f| f.version).collect();
    left.sort();
    if left != [Some(current)] {
        return Ok(failed(
            format!(
                "after deleting version {} the history must hold only version {current}, it holds {left:?}",
                current - 1
            ),
            &exchange,
        ));
    }
    version_refusals(ctx, dst, target).await
}

/// reference §13.8: deleteversion refuses an unknown file with 404 and a file in Trash with
/// 403; an empty version list deletes the whole file (for good by code reading, an open
/// fact).
async fn version_refusals(ctx: &Ctx, folder: i64, file: i64) -> Step<Outcome> {
    let send = |id: i64, versions: &str| {
        let body = format!(r#"{{"fileId": {id}, "versions": {versions}}}"#);
        async move {
            ctx.raw_as(
                "PUT",
                "/api/2.0/files/fileops/deleteversion",
                Some(&body),
                Some(&ctx.target.token),
            )
            .await
        }
    };
    let unknown = send(crate::checks::UNKNOWN_ID, "[1]").await?;
    if unknown.status != 404 {
        return Ok(Outcome::fail(
            "deleting a version of an unknown file is refused with 404",
            vec![unknown.evidence()],
        ));
    }
    let binned = ctx.create_file(folder, "binned.docx").await?;
    delete(ctx, binned, false).await?;
    let in_bin = send(binned, "[1]").await?;
    delete(ctx, binned, true).await?;
    if in_bin.status != 403 {
        return Ok(Outcome::fail(
            "deleting a version of a file in Trash is refused with 403",
            vec![in_bin.evidence()],
        ));
    }
    let whole = send(file, "[]").await?;
    let Some(id) = crate::checks::raw::last_operation(&whole).filter(|_| whole.status == 200)
    else {
        return Ok(Outcome::fail(
            "deleteversion with no versions must start a deletion of the file",
            vec![whole.evidence()],
        ));
    };
    ctx.wait(&ctx.api(), &id).await?;
    let listed = ctx
        .listing(folder)
        .await?
        .files
        .iter()
        .any(|f| f.id == Some(EntryId::Int(file)));
    let trashed = in_trash(ctx, file).await?;
    let what = if trashed {
        "the whole file went to Trash"
    } else {
        "the whole file was removed for good"
    };
    let facts = crate::profile::setting(&["behaviour/empty-versions-for-good"]);
    if trashed {
        delete(ctx, file, true).await?;
    }
    Ok(
        if listed
            || !ctx.fits(&facts, what, |d| {
                d.behaviour.empty_versions_for_good != trashed
            })
        {
            Outcome::fail(format!("deleteversion with no versions must delete the whole file: listed {listed}, in Trash {trashed}"), Vec::new())
        } else {
            Outcome::Pass
        },
    )
}

/// Empties the (empty) Trash: whether an operation is queued is open (reference §13.7: DocSpace
/// queues nothing, Workspace an empty operation, both code readings). A failure when neither.
async fn empty_trash_when_empty(ctx: &Ctx) -> Step<Option<Outcome>> {
    let ids = |ops: &[fileops_api::types::FileOperation]| -> Vec<String> {
        ops.iter().map(|o| o.id.clone()).collect()
    };
    let (resp, exchange) = answer(
        ctx.api()
            .get_operation_statuses(&GetOperationStatusesRequest { id: None })
            .await,
    )?;
    let GetOperationStatusesResponse::Ok(listed) = resp else {
        return Ok(Some(failed("listing operations failed", &exchange)));
    };
    let known = ids(&listed);
    let (resp, exchange) = answer(
        ctx.api()
            .empty_trash(&EmptyTrashRequest { single: None })
            .await,
    )?;
    let EmptyTrashResponse::Ok(ops) = resp else {
        return Ok(Some(failed(
            "emptying an empty Trash was refused",
            &exchange,
        )));
    };
    let queued: Vec<String> = ids(&ops)
        .into_iter()
        .filter(|id| !known.contains(id))
        .collect();
    for id in &queued {
        ctx.wait(&ctx.api(), id).await?;
    }
    let facts = profile::setting(&["behaviour/empty-trash-always-queues"]);
    let what = format!(
        "emptying an empty Trash queued {} operation(s)",
        queued.len()
    );
    let fits = ctx.fits(&facts, &what, |d| {
        d.behaviour.empty_trash_always_queues != queued.is_empty()
    });
    Ok((!fits).then(|| failed(format!("{what}, which no reading allows"), &exchange)))
}

pub async fn empty_trash(ctx: &Ctx) -> Step<Outcome> {
    let (resp, exchange) = answer(
        ctx.api()
            .get_trash_folder(&GetTrashFolderRequest {
                start_index: None,
                count: None,
            })
            .await,
    )?;
    let GetTrashFolderResponse::Ok(before) = resp else {
        return Ok(failed("GET @trash failed", &exchange));
    };
    if !before.files.is_empty() || !before.folders.is_empty() {
        return Ok(Outcome::skip("the caller's Trash holds entries this run did not put there; emptying it would destroy them"));
    }
    if let Some(problem) = empty_trash_when_empty(ctx).await? {
        return Ok(problem);
    }
    let file = ctx.create_file(ctx.work, "trash-me.docx").await?;
    delete(ctx, file, false).await?;
    let (resp, exchange) = answer(
        ctx.api()
            .empty_trash(&EmptyTrashRequest { single: None })
            .await,
    )?;
    let EmptyTrashResponse::Ok(ops) = resp else {
        return Ok(failed("empty trash was refused", &exchange));
    };
    if let Some(id) = started(&ops) {
        ctx.wait(&ctx.api(), &id).await?;
    }
    if in_trash(ctx, file).await? {
        return Ok(failed("the Trash still holds the file", &exchange));
    }
    // §13.7: afterwards Trash lists nothing and totals 0.
    let trash = ctx
        .raw_as(
            "GET",
            "/api/2.0/files/@trash",
            None,
            Some(&ctx.target.token),
        )
        .await?;
    Ok(if trash.json()["response"]["total"] == 0 {
        Outcome::Pass
    } else {
        Outcome::fail("an emptied Trash totals 0", vec![trash.evidence()])
    })
}
