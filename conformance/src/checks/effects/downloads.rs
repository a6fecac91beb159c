//! Downloads, and the operations on files where they lie: duplicate and mark as read.

use fileops_api::operations::*;
use fileops_api::runtime::EntryId;
use fileops_api::types::DownloadRequest;

use super::mismatch;
use crate::checks::UNKNOWN_ID;
use crate::context::{answer, failed, started, Ctx};
use crate::outcome::{Evidence, Outcome, Step};
use crate::profile;

/// Downloads a folder holding one file; the finished operation's url.
async fn finished_download(ctx: &Ctx) -> Step<String> {
    let folder = ctx.scratch("download").await?;
    ctx.create_file(folder, "packed.docx").await?;
    let body = DownloadRequest {
        folder_ids: vec![EntryId::Int(folder)],
        file_ids: Vec::new(),
        file_convert_ids: Vec::new(),
        return_single_operation: None,
    };
    let (resp, exchange) = answer(ctx.api().bulk_download(&BulkDownloadRequest { body }).await)?;
    let BulkDownloadResponse::Ok(ops) = resp else {
        return Err(failed("bulk download was refused", &exchange));
    };
    let id = started(&ops).ok_or_else(|| failed("no operation was started", &exchange))?;
    let done = ctx.wait(&ctx.api(), &id).await?;
    done.url
        .filter(|u| !u.is_empty())
        .ok_or_else(|| failed("the finished download has no url", &exchange))
}

pub async fn download(ctx: &Ctx) -> Step<Outcome> {
    let url = finished_download(ctx).await?;
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or(url.clone());
    let (sent, status, bytes) = ctx.raw("GET", &path, None, true).await?;
    Ok(if status == 200 && !bytes.is_empty() {
        Outcome::Pass
    } else {
        Outcome::fail(
            format!("the download url {url} does not serve content"),
            vec![Evidence::new(&sent, status, &bytes)],
        )
    })
}

/// reference §13.8: the url names the family's handler, right below the portal's address
/// (which may carry a path of its own), with `action=bulk` and a file name.
pub async fn download_handler(ctx: &Ctx) -> Step<Outcome> {
    let url = finished_download(ctx).await?;
    let handler = ctx.target.dialect.behaviour.download_handler;
    let path_of = |u: &str| reqwest::Url::parse(u).ok().map(|u| u.path().to_owned());
    let portal = path_of(&ctx.target.base_url).unwrap_or_default();
    let expected = format!("{}{handler}", portal.trim_end_matches('/'));
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let asks_bulk = query.split('&').any(|p| p == "action=bulk");
    let names_file = query.split('&').any(|p| p.starts_with("filename="));
    Ok(
        if path_of(&url) == Some(expected) && asks_bulk && names_file {
            Outcome::Pass
        } else {
            Outcome::fail(
                format!("the download url {url} must name {handler}?action=bulk&filename=…"),
                Vec::new(),
            )
        },
    )
}

pub async fn duplicate(ctx: &Ctx) -> Step<Outcome> {
    let folder = ctx.scratch("duplicate").await?;
    let file = ctx.create_file(folder, "twin.docx").await?;
    let body = fileops_api::types::BaseBatchRequest {
        folder_ids: Vec::new(),
        file_ids: vec![EntryId::Int(file)],
        return_single_operation: None,
    };
    let (resp, exchange) = answer(
        ctx.api()
            .duplicate_batch_items(&DuplicateBatchItemsRequest { body })
            .await,
    )?;
    let DuplicateBatchItemsResponse::Ok(ops) = resp else {
        return Ok(failed("duplicate was refused", &exchange));
    };
    let id = started(&ops).ok_or_else(|| failed("no operation was started", &exchange))?;
    ctx.wait(&ctx.api(), &id).await?;
    let titles = ctx.file_titles(folder).await?;
    if titles != ["twin (1).docx", "twin.docx"] {
        return Ok(mismatch(
            "duplicate",
            &titles,
            &["twin (1).docx", "twin.docx"],
        ));
    }
    // An unknown file: by code reading a null dereference (500), else a refusal (§13.8).
    let body = format!("{{\"fileIds\":[{UNKNOWN_ID}]}}");
    let unknown = ctx
        .raw_as(
            "PUT",
            "/api/2.0/files/fileops/duplicate",
            Some(&body),
            Some(&ctx.target.token),
        )
        .await?;
    let status = unknown.status;
    let facts = profile::setting(&["behaviour/duplicate-unknown-file-status"]);
    let what = format!("duplicate of an unknown file: {status}");
    Ok(
        if ctx.fits(&facts, &what, |d| {
            d.behaviour.duplicate_unknown_file_status == status
        }) {
            Outcome::Pass
        } else {
            Outcome::fail(
                format!("duplicating an unknown file answered {status}, which no reading allows"),
                vec![unknown.evidence()],
            )
        },
    )
}

pub async fn mark_as_read(ctx: &Ctx) -> Step<Outcome> {
    let file = ctx.create_file(ctx.work, "read.docx").await?;
    let body = fileops_api::types::BaseBatchRequest {
        folder_ids: Vec::new(),
        file_ids: vec![EntryId::Int(file)],
        return_single_operation: None,
    };
    let (resp, exchange) = answer(ctx.api().mark_as_read(&MarkAsReadRequest { body }).await)?;
    let MarkAsReadResponse::Ok(ops) = resp else {
        return Ok(failed("mark as read was refused", &exchange));
    };
    let id = started(&ops).ok_or_else(|| failed("no operation was started", &exchange))?;
    let done = ctx.wait(&ctx.api(), &id).await?;
    let reported = done
        .files
        .unwrap_or_default()
        .iter()
        .any(|f| f.id == Some(EntryId::Int(file)));
    let new = ctx
        .listing(ctx.work)
        .await?
        .files
        .into_iter()
        .find(|f| f.id == Some(EntryId::Int(file)))
        .and_then(|f| f.file_status);
    let facts = profile::setting(&["behaviour/mark-as-read-reports"]);
    let what = if reported {
        "the file was listed in files"
    } else {
        "nothing was listed"
    };
    let fits = ctx.fits(&facts, what, |d| {
        d.behaviour.mark_as_read_reports == reported
    });
    let still_new = new.is_some_and(|s| s.contains(fileops_api::types::FileStatus::IS_NEW));
    Ok(if fits && !still_new {
        Outcome::Pass
    } else {
        Outcome::fail(format!("the file should be reported as a reading says and no longer new (reported {reported}, status {new:?})"), Vec::new())
    })
}
