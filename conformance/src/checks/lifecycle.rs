//! The operation lifecycle: progress, read-once, deleteAfter.

use fileops_api::operations::*;

use fileops_api::runtime::{CancelError, Terminate};

use serde_json::json;

use super::fixture::{self, Batch};
use super::raw::{api, send};
use crate::context::{answer, failed, Ctx};
use crate::outcome::{Outcome, Step};
use crate::profile;

/// reference §9: progress stays in 0..100, never falls and is 100 when the operation
/// finishes; the finished copy has done its work (every file is at the destination). The
/// copy grows until it is seen running ([`fixture`]).
pub async fn progress(ctx: &Ctx) -> Step<Outcome> {
    let Some(run) = fixture::running(ctx, "progress", Batch::Copy).await? else {
        return Ok(fixture::too_fast("progress"));
    };
    let id = run.id.as_str();
    let mut seen: Vec<i32> = run.answer.json()["response"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["id"] == id)
        .filter_map(|o| o["progress"].as_i64().and_then(|p| i32::try_from(p).ok()))
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
            if op.progress != 100 {
                let message = format!("finished at progress {}", op.progress);
                return Ok(failed(message, &list_exchange));
            }
            return copied_in_full(ctx, &run).await;
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

/// reference §9, §13.2: once a copy is reported finished, its destination holds every file.
async fn copied_in_full(ctx: &Ctx, run: &fixture::Running) -> Step<Outcome> {
    let Some(dest) = run.dest else {
        return Ok(Outcome::Pass);
    };
    let listing = ctx.listing(dest).await?;
    let held = listing
        .total
        .map_or(listing.files.len(), |t| usize::try_from(t).unwrap_or(0));
    Ok(if held == run.files.len() {
        Outcome::Pass
    } else {
        Outcome::fail(
            format!(
                "the copy was reported finished, but its destination holds {held} of the {} files",
                run.files.len()
            ),
            Vec::new(),
        )
    })
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

/// reference §2a, §9: with `deleteAfter` a finished operation is not reported, not even
/// once. The delete grows until it is seen running ([`fixture`]): one that finished before
/// its start was answered is, rightly, never listed, and shows nothing.
pub async fn delete_after(ctx: &Ctx) -> Step<Outcome> {
    for size in fixture::SIZES {
        let (folder, _) = fixture::files(ctx, &format!("delete-after-{size}"), size).await?;
        let body = json!({"folderIds": [folder], "immediately": true, "deleteAfter": true});
        let started = send(ctx, "PUT", &api("files/fileops/delete"), Some(body)).await?;
        // Finished, it is not listed, so the last one listed unfinished is the new one.
        let body = started.json();
        let unfinished = body["response"]
            .as_array()
            .into_iter()
            .flatten()
            .rev()
            .filter(|o| o["finished"] == false)
            .find_map(|o| o["id"].as_str());
        if let Some(id) = unfinished {
            return not_reported_finished(ctx, id).await;
        }
    }
    Ok(fixture::too_fast("deleteAfter"))
}

/// Polls the listing until `id` leaves it; it must never be listed finished.
async fn not_reported_finished(ctx: &Ctx, id: &str) -> Step<Outcome> {
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
    for size in fixture::SIZES {
        let run = fixture::start(ctx, &format!("terminate-{size}"), size, Batch::Copy).await?;
        if !fixture::is_running(&run.answer.json(), &run.id) {
            continue;
        }
        if let Some(verdict) = terminated(ctx, &run.id).await? {
            return Ok(verdict);
        }
    }
    Ok(fixture::too_fast("terminate"))
}

/// Terminates the caller's operations while `id` runs, and judges what happens to it;
/// `None` when it finished before terminate came (nothing to judge).
async fn terminated(ctx: &Ctx, id: &str) -> Step<Option<Outcome>> {
    let (left, left_exchange) = answer(
        ctx.api()
            .terminate_all_tasks(&TerminateAllTasksRequest {})
            .await,
    )?;
    let TerminateAllTasksResponse::Ok(left) = left else {
        return Ok(Some(failed("terminate was refused", &left_exchange)));
    };
    let listed = left.iter().find(|o| o.id == id);
    let verdict = match (ctx.target.dialect.behaviour.terminate, listed) {
        (Terminate::Remove, None) => after_removal(ctx, id).await?,
        (Terminate::Remove, Some(op)) if op.finished => return Ok(None),
        (Terminate::Remove, Some(_)) => failed(
            "the cancelled operation should leave the listing at once",
            &left_exchange,
        ),
        // Handed out finished in the answer itself: read once, so it is not listed again.
        (Terminate::Signal, Some(op)) if op.finished => {
            cancelled_with(ctx, op);
            Outcome::Pass
        }
        (Terminate::Signal, Some(_)) => {
            let done = ctx.wait(&ctx.api(), id).await?;
            if !done.finished {
                return Ok(Some(failed(
                    "the signalled operation should finish",
                    &left_exchange,
                )));
            }
            cancelled_with(ctx, &done);
            Outcome::Pass
        }
        (Terminate::Signal, None) => failed(
            "a signalled operation stays listed until it finishes",
            &left_exchange,
        ),
    };
    Ok(Some(verdict))
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
