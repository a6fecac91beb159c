//! Folder listings, folder and file information (reference §13.2, §13.3): what a listing
//! holds and how it pages, the roots, unknown ids and folders inside Trash.

use serde_json::Value;

use super::raw::{api, failed, send};
use super::UNKNOWN_ID;
use crate::context::{Ctx, RawAnswer};
use crate::outcome::{Outcome, Step};
use crate::profile;

/// An integer at `pointer` of an answer.
fn int(answer: &RawAnswer, pointer: &str) -> Option<i64> {
    let value = answer.json().pointer(pointer)?.clone();
    value.as_i64().or_else(|| value.as_str()?.parse().ok())
}

/// A path part's id: DocSpace's `{id, ...}` objects or Workspace's bare ids (§13.2).
fn part_id(part: &Value) -> Option<i64> {
    part.get("id").unwrap_or(part).as_i64()
}

/// reference §13.2, §13.3: the roots are My documents (rootFolderType 5) and Trash (3); a
/// listing holds the direct children only, echoes startIndex, counts its page's entries and
/// totals all of them, and its pathParts run from the root to the folder; folder and file
/// information describe the entry and its parent.
pub async fn listing(ctx: &Ctx) -> Step<Outcome> {
    for (root, kind) in [("files/@my", 5), ("files/@trash", 3)] {
        let answer = send(ctx, "GET", &api(root), None).await?;
        if int(&answer, "/response/current/rootFolderType") != Some(kind) {
            return Ok(failed(
                format!("{root}'s current folder must have rootFolderType {kind}"),
                &answer,
            ));
        }
    }
    let folder = ctx.scratch("listing").await?;
    let mut files = Vec::new();
    for title in ["l1.docx", "l2.docx", "l3.docx"] {
        files.push(ctx.create_file(folder, title).await?);
    }
    let sub = ctx.create_folder(folder, "inner").await?;
    ctx.create_file(sub, "deep.docx").await?;
    let whole = send(ctx, "GET", &api(&format!("files/{folder}")), None).await?;
    let listed = |answer: &RawAnswer, key: &str| {
        answer.json()["response"][key]
            .as_array()
            .map_or(0, Vec::len)
    };
    if (listed(&whole, "files"), listed(&whole, "folders")) != (3, 1) {
        return Ok(failed(
            "the listing must hold the 3 files and 1 folder directly inside, no deeper entry",
            &whole,
        ));
    }
    if int(&whole, "/response/total") != Some(4) || int(&whole, "/response/count") != Some(4) {
        return Ok(failed(
            "a whole listing counts and totals its 4 entries",
            &whole,
        ));
    }
    let parts = whole.json()["response"]["pathParts"].clone();
    let ids: Vec<Option<i64>> = parts
        .as_array()
        .into_iter()
        .flatten()
        .map(part_id)
        .collect();
    if ids.last() != Some(&Some(folder)) || ids.iter().rev().nth(1) != Some(&Some(ctx.work)) {
        return Ok(failed(
            "pathParts must run from the root to the folder (…, its parent, itself)",
            &whole,
        ));
    }
    let page = send(
        ctx,
        "GET",
        &api(&format!("files/{folder}?startIndex=1&count=2")),
        None,
    )
    .await?;
    let paged = (
        int(&page, "/response/startIndex"),
        int(&page, "/response/count"),
        int(&page, "/response/total"),
        listed(&page, "files") + listed(&page, "folders"),
    );
    if paged != (Some(1), Some(2), Some(4), 2) {
        return Ok(failed(format!("startIndex=1&count=2 must echo startIndex 1, count 2 entries and total 4; got {paged:?}"), &page));
    }
    let info = send(ctx, "GET", &api(&format!("files/folder/{sub}")), None).await?;
    if int(&info, "/response/id") != Some(sub) || int(&info, "/response/parentId") != Some(folder) {
        return Ok(failed(
            format!("folder information of {sub} must describe it with parentId {folder}"),
            &info,
        ));
    }
    let file = send(ctx, "GET", &api(&format!("files/file/{}", files[0])), None).await?;
    let described = (int(&file, "/response/id"), int(&file, "/response/folderId"));
    if described != (Some(files[0]), Some(folder)) || file.json()["response"]["title"] != "l1.docx"
    {
        return Ok(failed(
            "file information must give the file's id, title and folderId",
            &file,
        ));
    }
    Ok(Outcome::Pass)
}

/// reference §13.2, §13.3: an unknown folder or file, listed or described, is refused in the
/// error envelope with the family's missing-entry status (DocSpace 404, live for files;
/// Workspace 403 by code reading, an open fact); DocSpace refuses an unknown file's history
/// with 403 (live).
pub async fn unknown(ctx: &Ctx) -> Step<Outcome> {
    let facts = profile::setting(&["behaviour/missing-entry-status"]);
    for path in [
        format!("files/{UNKNOWN_ID}"),
        format!("files/folder/{UNKNOWN_ID}"),
        format!("files/file/{UNKNOWN_ID}"),
    ] {
        let answer = send(ctx, "GET", &api(&path), None).await?;
        let status = answer.status;
        let enveloped = answer.json()["status"] == 1;
        let what = format!("GET {path}: {status}");
        if !enveloped
            || !ctx.fits(&facts, &what, |d| {
                d.behaviour.missing_entry_status == status
            })
        {
            return Ok(failed(format!("GET {path} of an unknown id answered {status}, not the family's missing-entry status in the error envelope"), &answer));
        }
    }
    let history = fileops_api::operations::by_id("getFileHistory")
        .is_some_and(|op| ctx.target.dialect.is_in(op.dialects));
    if history {
        let answer = send(
            ctx,
            "GET",
            &api(&format!("files/file/{UNKNOWN_ID}/history")),
            None,
        )
        .await?;
        if answer.status != 403 {
            return Ok(failed(
                "the history of an unknown file is refused with 403",
                &answer,
            ));
        }
    }
    Ok(Outcome::Pass)
}

/// reference §13.2, §13.7: a folder inside Trash cannot be listed (403), Trash itself can.
pub async fn trash_preview(ctx: &Ctx) -> Step<Outcome> {
    let folder = ctx.scratch("trashed-folder").await?;
    ctx.create_file(folder, "inside.docx").await?;
    let mut body = super::deletion(&[], false, false);
    body.folder_ids = vec![fileops_api::runtime::EntryId::Int(folder)];
    let body = serde_json::to_value(&body).unwrap_or_default();
    super::raw::run(ctx, "PUT", &api("files/fileops/delete"), body.clone()).await?;
    let answer = send(ctx, "GET", &api(&format!("files/{folder}")), None).await?;
    // Gone for good afterwards: deleting what is in Trash removes it (§13.7).
    super::raw::run(ctx, "PUT", &api("files/fileops/delete"), body).await?;
    Ok(if answer.status == 403 {
        Outcome::Pass
    } else {
        failed(
            format!(
                "a folder inside Trash must not be listed (403), got {}",
                answer.status
            ),
            &answer,
        )
    })
}
