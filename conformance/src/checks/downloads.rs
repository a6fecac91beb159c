//! One bulk download at a time per caller (reference §9, §13.8): a second request while the
//! first is unfinished is refused with 403 "Too many downloads.".

use fileops_api::operations::*;
use fileops_api::runtime::EntryId;
use fileops_api::types::DownloadRequest;

use super::fixture;
use crate::context::{failed, Ctx};
use crate::outcome::{Outcome, Step};

fn of_folder(folder: i64) -> BulkDownloadRequest {
    BulkDownloadRequest {
        body: DownloadRequest {
            folder_ids: vec![EntryId::Int(folder)],
            file_ids: Vec::new(),
            file_convert_ids: Vec::new(),
            return_single_operation: None,
        },
    }
}

/// reference §9, §13.8: a second download while the caller has one unfinished is refused
/// with 403. The folder grows until the first download is seen running when the second
/// request arrives ([`fixture`]).
pub async fn concurrent(ctx: &Ctx) -> Step<Outcome> {
    for size in fixture::SIZES {
        let (folder, _) = fixture::files(ctx, &format!("downloads-{size}"), size).await?;
        if let Some(verdict) = two_downloads(ctx, folder).await? {
            return Ok(verdict);
        }
    }
    Ok(fixture::too_fast("one download at a time"))
}

/// Two downloads of `folder`, the second while the first runs; `None` when the first was
/// not seen running when the second was answered (nothing to judge).
async fn two_downloads(ctx: &Ctx, folder: i64) -> Step<Option<Outcome>> {
    let client = ctx.api();
    let unreachable = |e: fileops_api::runtime::client::ClientError| Outcome::Error {
        message: e.to_string(),
    };
    let first = client
        .bulk_download(&of_folder(folder))
        .await
        .map_err(unreachable)?;
    let Ok(BulkDownloadResponse::Ok(ops)) = &first.answer else {
        return Ok(Some(failed("the first download was refused", &first)));
    };
    let Some(first_id) = ops.last().map(|o| o.id.clone()) else {
        return Ok(Some(failed(
            "the first download started no operation",
            &first,
        )));
    };
    if !ops.iter().any(|o| o.id == first_id && !o.finished) {
        return Ok(None);
    }
    let second = client
        .bulk_download(&of_folder(folder))
        .await
        .map_err(unreachable)?;
    let verdict = match &second.answer {
        Ok(BulkDownloadResponse::Forbidden(_)) => Some(Outcome::Pass),
        Ok(BulkDownloadResponse::Ok(ops)) => {
            let still_running = ops.iter().any(|o| o.id == first_id && !o.finished);
            still_running.then(|| {
                failed(
                    "a second download while the first is unfinished must be refused with 403",
                    &second,
                )
            })
        }
        _ => Some(failed(
            format!(
                "a second concurrent download must be refused with 403, got {}",
                second.status
            ),
            &second,
        )),
    };
    // Leave nothing running: wait for what the latest answer shows unfinished (a finished
    // one has been handed out and will not be listed again).
    let latest = match &second.answer {
        Ok(BulkDownloadResponse::Ok(ops)) => ops.clone(),
        _ => ops.clone(),
    };
    for op in latest.iter().filter(|o| !o.finished) {
        ctx.wait(&client, &op.id).await?;
    }
    Ok(verdict)
}
