//! One bulk download at a time per caller (reference §9, §13.8): a second request while the
//! first is unfinished is refused with 403 "Too many downloads.".

use fileops_api::operations::*;
use fileops_api::runtime::EntryId;
use fileops_api::types::DownloadRequest;

use crate::context::{failed, Ctx};
use crate::outcome::{Outcome, Step};

/// Files in the folder packed, so the first download is still running when the second
/// request arrives.
const FILES: usize = 20;

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
/// with 403. When the first finishes before the second arrives, nothing can be judged.
pub async fn concurrent(ctx: &Ctx) -> Step<Outcome> {
    let folder = ctx.scratch("downloads").await?;
    for i in 0..FILES {
        ctx.create_file(folder, &format!("packed{i}.docx")).await?;
    }
    let client = ctx.api();
    let unreachable = |e: fileops_api::runtime::client::ClientError| Outcome::Error {
        message: e.to_string(),
    };
    let first = client
        .bulk_download(&of_folder(folder))
        .await
        .map_err(unreachable)?;
    let Ok(BulkDownloadResponse::Ok(ops)) = &first.answer else {
        return Ok(failed("the first download was refused", &first));
    };
    let Some(first_id) = ops.last().map(|o| o.id.clone()) else {
        return Ok(failed("the first download started no operation", &first));
    };
    let second = client
        .bulk_download(&of_folder(folder))
        .await
        .map_err(unreachable)?;
    let verdict = match &second.answer {
        Ok(BulkDownloadResponse::Forbidden(_)) => Outcome::Pass,
        Ok(BulkDownloadResponse::Ok(ops)) => {
            let still_running = ops.iter().any(|o| o.id == first_id && !o.finished);
            if still_running {
                failed(
                    "a second download while the first is unfinished must be refused with 403",
                    &second,
                )
            } else {
                Outcome::skip("the first download finished before the second request arrived")
            }
        }
        _ => failed(
            format!(
                "a second concurrent download must be refused with 403, got {}",
                second.status
            ),
            &second,
        ),
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
