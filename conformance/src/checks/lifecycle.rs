//! The operation lifecycle: progress, read-once, deleteAfter.

use fileops_api::operations::*;
use fileops_api::types::FileConflictResolveType;

use fileops_api::runtime::{CancelError, Terminate};

use crate::context::{answer, failed, Ctx};
use crate::outcome::{Outcome, Step};
use crate::profile;

/// Copies a folder's worth of `count` fresh files into another fresh folder; the answer's
/// operations and the new operation's id.
async fn copy_of_files(
    ctx: &Ctx,
    name: &str,
    count: usize,
) -> Step<(Vec<fileops_api::types::FileOperation>, String)> {
    let src = ctx.scratch(&format!("{name}-src")).await?;
    let dst = ctx.scratch(&format!("{name}-dst")).await?;
    let mut files = Vec::new();
    for i in 0..count {
        files.push(ctx.create_file(src, &format!("{name}{i}.docx")).await?);
    }
    let body = super::batch(dst, &files, FileConflictResolveType::Skip);
    let started = super::start_transfer(&ctx.api(), true, body).await?;
    Ok((started.ops, started.id))
}

pub async fn progress(ctx: &Ctx) -> Step<Outcome> {
    let (ops, id) = copy_of_files(ctx, "progress", 5).await?;
    let mut seen: Vec<i32> = ops
        .iter()
        .filter(|o| o.id == id)
        .map(|o| o.progress)
        .collect();
    let deadline = tokio::time::Instant::now() + ctx.target.timeout;
    loop {
        let (list, list_exchange) = answer(
            ctx.api()
                .get_operation_statuses(&GetOperationStatusesRequest { id: None })
                .await,
        )?;
        let GetOperationStatusesResponse::Ok(list) = list else {
            return Ok(failed("listing failed", &list_exchange));
        };
        let Some(op) = list.into_iter().find(|o| o.id == id) else {
            return Ok(failed(
                "the operation left the listing before it was reported finished",
                &list_exchange,
            ));
        };
        seen.push(op.progress);
        if !(0..=100).contains(&op.progress) || seen.windows(2).any(|w| w[1] < w[0]) {
            return Ok(failed(
                format!("progress must stay in 0..100 and never fall: {seen:?}"),
                &list_exchange,
            ));
        }
        if op.finished {
            return Ok(if op.progress == 100 {
                Outcome::Pass
            } else {
                failed(
                    format!("finished at progress {}", op.progress),
                    &list_exchange,
                )
            });
        }
        if tokio::time::Instant::now() > deadline {
            return Ok(failed(
                format!("the copy did not finish within {:?}", ctx.target.timeout),
                &list_exchange,
            ));
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

pub async fn read_once(ctx: &Ctx) -> Step<Outcome> {
    let file = ctx.create_file(ctx.work, "read-once.docx").await?;
    let super::Started { id, .. } = super::start_delete(ctx, &[file], true, false).await?;
    ctx.wait(&ctx.api(), &id).await?;
    let (again, again_exchange) = answer(
        ctx.api()
            .get_operation_statuses(&GetOperationStatusesRequest { id: None })
            .await,
    )?;
    match again {
        GetOperationStatusesResponse::Ok(list) if list.iter().any(|o| o.id == id) => Ok(failed(
            "a finished operation was reported a second time",
            &again_exchange,
        )),
        _ => Ok(Outcome::Pass),
    }
}

pub async fn delete_after(ctx: &Ctx) -> Step<Outcome> {
    let file = ctx.create_file(ctx.work, "delete-after.docx").await?;
    let super::Started { id, .. } = super::start_delete(ctx, &[file], true, true).await?;
    let deadline = tokio::time::Instant::now() + ctx.target.timeout;
    loop {
        let (list, list_exchange) = answer(
            ctx.api()
                .get_operation_statuses(&GetOperationStatusesRequest { id: None })
                .await,
        )?;
        let GetOperationStatusesResponse::Ok(list) = list else {
            return Ok(failed("listing failed", &list_exchange));
        };
        match list.iter().find(|o| o.id == id) {
            Some(op) if op.finished => {
                return Ok(failed(
                    "with deleteAfter the finished operation must not be reported",
                    &list_exchange,
                ))
            }
            Some(_) => {}
            None => return Ok(Outcome::Pass),
        }
        if tokio::time::Instant::now() > deadline {
            return Ok(failed(
                "the operation stayed listed past the timeout",
                &list_exchange,
            ));
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// reference §3a, §3b, §13.7: a finished one-file delete says Delete, processed "1", the
/// family's no-error value (DocSpace "", Workspace null by code reading, an open fact), no
/// url (only downloads have one) and no entries.
pub async fn finished_fields(ctx: &Ctx) -> Step<Outcome> {
    let file = ctx.create_file(ctx.work, "fields.docx").await?;
    let super::Started { id, .. } = super::start_delete(ctx, &[file], true, false).await?;
    let done = ctx.wait(&ctx.api(), &id).await?;
    let what = format!("a finished delete's error: {:?}", done.error);
    let error_ok = ctx.fits(
        &profile::setting(&["behaviour/success-error"]),
        &what,
        |d| match d.behaviour.success_error {
            fileops_api::runtime::SuccessError::Empty => done.error.as_deref() == Some(""),
            fileops_api::runtime::SuccessError::Null => done.error.is_none(),
        },
    );
    let entries_absent = done.files.as_ref().is_none_or(Vec::is_empty)
        && done.folders.as_ref().is_none_or(Vec::is_empty);
    let url_absent = done.url.as_deref().is_none_or(str::is_empty);
    let kind = done.operation.clone();
    Ok(match (done.processed.as_str(), error_ok, entries_absent && url_absent, kind) {
        ("1", true, true, Some(fileops_api::types::FileOperationType::Delete)) => Outcome::Pass,
        _ => Outcome::fail(format!("a finished one-file delete should say Delete, processed 1, no error, no url and no entries: {done:?}"), Vec::new()),
    })
}

/// Terminate drops the caller's operations at once (DocSpace; one may come back once,
/// finished, in the next listing, an open fact) or signals them to finish (Workspace, with or
/// without an error saying so, an open fact) (reference §9, §11).
pub async fn terminate(ctx: &Ctx) -> Step<Outcome> {
    let (ops, id) = copy_of_files(ctx, "terminate", 20).await?;
    if ops.iter().any(|o| o.id == id && o.finished) {
        return Ok(Outcome::skip(
            "the operation finished before it could be terminated",
        ));
    }
    let (left, left_exchange) = answer(
        ctx.api()
            .terminate_all_tasks(&TerminateAllTasksRequest {})
            .await,
    )?;
    let TerminateAllTasksResponse::Ok(left) = left else {
        return Ok(failed("terminate was refused", &left_exchange));
    };
    let listed = left.iter().find(|o| o.id == id);
    match (ctx.target.dialect.behaviour.terminate, listed) {
        (Terminate::Remove, None) => after_removal(ctx, &id).await,
        (Terminate::Remove, Some(op)) if op.finished => Ok(Outcome::skip(
            "the operation finished before it could be terminated",
        )),
        (Terminate::Remove, Some(_)) => Ok(failed(
            "the cancelled operation should leave the listing at once",
            &left_exchange,
        )),
        // Handed out finished in the answer itself: read once, so it is not listed again.
        (Terminate::Signal, Some(op)) if op.finished => {
            cancelled_with(ctx, op);
            Ok(Outcome::Pass)
        }
        (Terminate::Signal, Some(_)) => {
            let done = ctx.wait(&ctx.api(), &id).await?;
            if !done.finished {
                return Ok(failed(
                    "the signalled operation should finish",
                    &left_exchange,
                ));
            }
            cancelled_with(ctx, &done);
            Ok(Outcome::Pass)
        }
        (Terminate::Signal, None) => Ok(failed(
            "a signalled operation stays listed until it finishes",
            &left_exchange,
        )),
    }
}

/// Records what a signalled operation's error showed: only an error tells that it was
/// cancelled rather than done before the signal came, so only an error is evidence (of the
/// reading that writes one).
fn cancelled_with(ctx: &Ctx, op: &fileops_api::types::FileOperation) {
    let error = op.error.clone().unwrap_or_default();
    if !error.is_empty() {
        let what = format!("a signalled operation finished with error {error:?}");
        ctx.fits(&profile::setting(&["behaviour/cancel-error"]), &what, |d| {
            d.behaviour.cancel_error == CancelError::Message
        });
    }
}

/// After a removal: the next two listings. A removed operation may come back once, finished
/// (a reading of the notes), but never twice.
async fn after_removal(ctx: &Ctx, id: &str) -> Step<Outcome> {
    let mut seen = Vec::new();
    for _ in 0..2 {
        let (list, exchange) = answer(
            ctx.api()
                .get_operation_statuses(&GetOperationStatusesRequest { id: None })
                .await,
        )?;
        let GetOperationStatusesResponse::Ok(list) = list else {
            return Ok(failed("listing failed", &exchange));
        };
        seen.push((list.into_iter().find(|o| o.id == id), exchange));
    }
    let again = seen[0].0.is_some();
    if let Some(op) = &seen[0].0 {
        if !op.finished {
            let message = "the cancelled operation came back unfinished";
            return Ok(failed(message, &seen[0].1));
        }
    }
    if seen[1].0.is_some() {
        let message = "the cancelled operation was listed twice after terminate";
        return Ok(failed(message, &seen[1].1));
    }
    // Coming back is evidence; staying away is not (the operation may have been done before
    // terminate came).
    let facts = profile::setting(&["behaviour/terminated-reappear"]);
    let what = "the cancelled operation came back once, finished";
    if again && !ctx.fits(&facts, what, |d| d.behaviour.terminated_reappear) {
        return Ok(failed(
            "a cancelled operation must not come back in this family",
            &seen[0].1,
        ));
    }
    Ok(Outcome::Pass)
}
