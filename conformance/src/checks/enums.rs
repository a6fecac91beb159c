//! String/int duality in requests, numbers in answers, ids and dates.

use fileops_api::operations::*;
use fileops_api::runtime::client::EnumEncoding;
use fileops_api::runtime::{ApiDateTime, EntryId, Format};
use fileops_api::types::FileConflictResolveType;
use serde_json::Value;

use fileops_api::runtime::UnqueuedTypes;

use crate::context::{answer, failed, started, Ctx};
use crate::outcome::{Outcome, Step};
use crate::profile;

pub async fn conflict_resolve_duality(ctx: &Ctx) -> Step<Outcome> {
    let src = ctx.scratch("duality-src").await?;
    let dst = ctx.scratch("duality-dst").await?;
    let file = ctx.create_file(src, "d.docx").await?;
    let target = ctx.create_file(dst, "d.docx").await?;
    let encodings = [
        EnumEncoding::Number,
        EnumEncoding::NumericString,
        EnumEncoding::Name,
        EnumEncoding::NameCase(vec![false]),
        EnumEncoding::NameCase(vec![true]),
    ];
    for (round, encoding) in encodings.into_iter().enumerate() {
        let client = ctx.client(Format::Json, encoding.clone());
        let body = super::batch(dst, &[file], FileConflictResolveType::Overwrite);
        let (resp, exchange) = answer(
            client
                .copy_batch_items(&CopyBatchItemsRequest { body })
                .await,
        )?;
        let CopyBatchItemsResponse::Ok(ops) = resp else {
            return Ok(failed(
                format!("copy with conflictResolveType as {encoding:?} was refused"),
                &exchange,
            ));
        };
        let id = started(&ops).ok_or_else(|| failed("no operation was started", &exchange))?;
        ctx.wait(&ctx.api(), &id).await?;
        let (info, info_exchange) = answer(
            ctx.api()
                .get_file_info(&GetFileInfoRequest {
                    file_id: EntryId::Int(target),
                    version: None,
                })
                .await,
        )?;
        let GetFileInfoResponse::Ok(info) = info else {
            return Ok(failed("the target file vanished", &info_exchange));
        };
        if info.version != Some(round as i32 + 2) {
            return Ok(failed(
                format!("with conflictResolveType as {encoding:?} the target should be at version {}, is {:?}", round + 2, info.version),
                &exchange,
            ));
        }
    }
    Ok(Outcome::Pass)
}

pub async fn written_as_numbers(ctx: &Ctx) -> Step<Outcome> {
    ctx.create_file(ctx.work, "numbers.docx").await?;
    let request = GetFolderByFolderIdRequest {
        folder_id: EntryId::Int(ctx.work),
        start_index: None,
        count: None,
    };
    let (_, exchange) = answer(ctx.api().get_folder_by_folder_id(&request).await)?;
    let body: Value =
        serde_json::from_slice(&exchange.body).map_err(|e| failed(e.to_string(), &exchange))?;
    let file = &body["response"]["files"][0];
    for key in ["rootFolderType", "fileType", "access"] {
        if file.get(key).is_some_and(|v| !v.is_number()) {
            return Ok(failed(
                format!("`{key}` must be written as a number"),
                &exchange,
            ));
        }
    }
    Ok(Outcome::Pass)
}

pub async fn ids_as_strings(ctx: &Ctx) -> Step<Outcome> {
    let dst = ctx.scratch("ids").await?;
    let file = ctx.create_file(ctx.work, "id-as-string.docx").await?;
    let body = format!(r#"{{"destFolderId":"{dst}","fileIds":["{file}"]}}"#);
    let (sent, status, bytes) = ctx
        .raw("PUT", "/api/2.0/files/fileops/copy", Some(&body), true)
        .await?;
    let evidence = vec![crate::outcome::Evidence::new(&sent, status, &bytes)];
    if status != 200 {
        return Ok(Outcome::fail(
            "ids as numeric strings were refused",
            evidence,
        ));
    }
    let value: Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let id = value["response"]
        .as_array()
        .and_then(|a| a.last())
        .and_then(|o| o["id"].as_str())
        .unwrap_or_default()
        .to_owned();
    ctx.wait(&ctx.api(), &id).await?;
    let titles = ctx.file_titles(dst).await?;
    Ok(if titles == ["id-as-string.docx"] {
        Outcome::Pass
    } else {
        Outcome::fail(format!("the copy is missing: {titles:?}"), evidence)
    })
}

pub async fn dates(ctx: &Ctx) -> Step<Outcome> {
    let file = ctx.create_file(ctx.work, "dates.docx").await?;
    let (_, exchange) = answer(
        ctx.api()
            .get_file_info(&GetFileInfoRequest {
                file_id: EntryId::Int(file),
                version: None,
            })
            .await,
    )?;
    let body: Value =
        serde_json::from_slice(&exchange.body).map_err(|e| failed(e.to_string(), &exchange))?;
    let created = body["response"]["created"].as_str().unwrap_or_default();
    match ApiDateTime::parse(created) {
        Ok(date) if date.as_str() == created => Ok(Outcome::Pass),
        _ => Ok(failed(
            format!(
                "`created` is {created:?}, not yyyy-MM-ddTHH:mm:ss.fffffff with Z or an offset"
            ),
            &exchange,
        )),
    }
}

/// The `{operationType}` route reads a kind by number; by name in any case where a reading
/// says so (reference §5, §12: "by my understanding of .NET"); a kind without a queue
/// (Import 5, Convert 6) is refused with 400 or answered with an empty list (§12: the code
/// throws, [RUBY] says an empty array). What the server showed goes into the profile.
pub async fn operation_type_route(ctx: &Ctx) -> Step<Outcome> {
    let get = |segment: String| async move {
        ctx.raw_as(
            "GET",
            &format!("/api/2.0/files/fileops/{segment}"),
            None,
            Some(&ctx.target.token),
        )
        .await
    };
    let number = get("2".into()).await?;
    if number.status != 200 {
        let message = "the operation kind as the number 2 should be read as Delete";
        return Ok(Outcome::fail(message, vec![number.evidence()]));
    }
    let names = profile::setting(&["behaviour/operation-type-names"]);
    for segment in ["delete", "Delete", "DELETE"] {
        let answer = get(segment.into()).await?;
        let status = answer.status;
        let what = format!("the kind as {segment:?}: {status}");
        let fits = ctx.fits(&names, &what, |d| {
            if d.behaviour.operation_type_names {
                status == 200
            } else {
                status == 400
            }
        });
        if !fits {
            let message = format!("the operation kind as {segment:?} answered {status}: neither read as Delete nor refused with 400");
            return Ok(Outcome::fail(message, vec![answer.evidence()]));
        }
    }
    let unqueued = profile::setting(&["behaviour/unqueued-operation-types"]);
    for segment in ["5", "6"] {
        let answer = get(segment.into()).await?;
        let status = answer.status;
        let empty = answer.json()["response"]
            .as_array()
            .is_some_and(Vec::is_empty);
        let what = format!("the kind {segment} (no queue): {status}");
        let fits = ctx.fits(&unqueued, &what, |d| {
            match d.behaviour.unqueued_operation_types {
                UnqueuedTypes::BadRequest => status == 400,
                UnqueuedTypes::EmptyList => status == 200 && empty,
            }
        });
        if !fits {
            let message = format!(
                "the kind {segment} (no queue) answered {status}: neither 400 nor an empty list"
            );
            return Ok(Outcome::fail(message, vec![answer.evidence()]));
        }
    }
    Ok(Outcome::Pass)
}
