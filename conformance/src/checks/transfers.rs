//! More of what moves, copies, deletes and downloads do (reference §13.6-§13.8): unknown
//! sources, overwriting and duplicating moves, folders duplicated or copied into their own
//! parent, unknown entries deleted, and what a finished download is.

use fileops_api::runtime::EntryId;
use serde_json::json;

use super::raw::{api, failed, last_operation, run, send};
use super::UNKNOWN_ID;
use crate::context::Ctx;
use crate::outcome::{Outcome, Step};
use crate::profile;

/// The titles of a folder's files and folders, sorted.
async fn titles(ctx: &Ctx, folder: i64) -> Step<(Vec<String>, Vec<String>)> {
    let listing = ctx.listing(folder).await?;
    let mut files: Vec<String> = listing.files.into_iter().filter_map(|f| f.title).collect();
    let mut folders: Vec<String> = listing
        .folders
        .into_iter()
        .filter_map(|f| f.title)
        .collect();
    files.sort();
    folders.sort();
    Ok((files, folders))
}

/// reference §13.6 ([DS-T]): DocSpace refuses a copy of a source file nobody has with 403
/// and of a source folder nobody has with 500; Workspace reports them in the finished
/// operation's error (a code reading; refusing up front is the other reading).
pub async fn unknown_sources(ctx: &Ctx) -> Step<Outcome> {
    let dst = ctx.scratch("unknown-sources").await?;
    let facts = profile::setting(&["behaviour/validate-up-front"]);
    for (key, folder) in [("fileIds", false), ("folderIds", true)] {
        let body = json!({ key: [UNKNOWN_ID], "destFolderId": dst });
        let answer = send(ctx, "PUT", &api("files/fileops/copy"), Some(body)).await?;
        let status = answer.status;
        let error = match last_operation(&answer).filter(|_| status == 200) {
            Some(id) => Some(ctx.wait(&ctx.api(), &id).await?.error.unwrap_or_default()),
            None => None,
        };
        let what = format!("a copy of an unknown source ({key}): {status}, error {error:?}");
        let fits = ctx.fits(&facts, &what, |d| {
            if !d.behaviour.validate_up_front {
                return error.as_deref().is_some_and(|e| !e.is_empty());
            }
            let want = if folder {
                d.behaviour.unknown_source_folder_status
            } else {
                403
            };
            status == want
        });
        if !fits {
            return Ok(failed(
                format!("{what}: neither refused with the family's status nor queued to an error"),
                &answer,
            ));
        }
    }
    Ok(Outcome::Pass)
}

/// A source folder and a destination, each holding a file `a.docx`.
async fn clash(ctx: &Ctx, name: &str) -> Step<(i64, i64, i64, i64)> {
    let src = ctx.scratch(&format!("{name}-src")).await?;
    let dst = ctx.scratch(&format!("{name}-dst")).await?;
    let source = ctx.create_file(src, "a.docx").await?;
    let target = ctx.create_file(dst, "a.docx").await?;
    Ok((src, dst, source, target))
}

/// reference §13.6: an overwriting move gives the target a new version and removes the
/// source for good (not to Trash).
pub async fn overwriting_move(ctx: &Ctx) -> Step<Outcome> {
    let (src, dst, source, target) = clash(ctx, "overwrite-move").await?;
    let body = super::batch(
        dst,
        &[source],
        fileops_api::types::FileConflictResolveType::Overwrite,
    );
    let body = serde_json::to_value(&body).unwrap_or_default();
    run(ctx, "PUT", &api("files/fileops/move"), body).await?;
    let (left, _) = titles(ctx, src).await?;
    let (at_dst, _) = titles(ctx, dst).await?;
    let trashed = super::effects::in_trash(ctx, source).await?;
    let version = ctx
        .listing(dst)
        .await?
        .files
        .into_iter()
        .find(|f| f.id == Some(EntryId::Int(target)))
        .and_then(|f| f.version);
    Ok(
        if left.is_empty() && at_dst == ["a.docx"] && !trashed && version == Some(2) {
            Outcome::Pass
        } else {
            Outcome::fail(format!("an overwriting move must leave the target at version 2 alone and the source gone for good (source folder {left:?}, destination {at_dst:?}, target version {version:?}, source in Trash {trashed})"), Vec::new())
        },
    )
}

/// reference §13.6: a move with Duplicate moves the file unchanged: two files of the same
/// title at the destination.
pub async fn duplicating_move(ctx: &Ctx) -> Step<Outcome> {
    let (src, dst, source, _) = clash(ctx, "duplicate-move").await?;
    let body = super::batch(
        dst,
        &[source],
        fileops_api::types::FileConflictResolveType::Duplicate,
    );
    let body = serde_json::to_value(&body).unwrap_or_default();
    run(ctx, "PUT", &api("files/fileops/move"), body).await?;
    let (left, _) = titles(ctx, src).await?;
    let (at_dst, _) = titles(ctx, dst).await?;
    Ok(if left.is_empty() && at_dst == ["a.docx", "a.docx"] {
        Outcome::Pass
    } else {
        Outcome::fail(format!("a Duplicate move leaves two `a.docx` at the destination; source {left:?}, destination {at_dst:?}"), Vec::new())
    })
}

/// reference §13.6, §13.8: a Duplicate copy of a folder onto a same-named one is renamed
/// `F (1)` on DocSpace (no merge) and merged on Workspace; DocSpace's duplicate of a folder
/// is `F (1)` beside it, with its content.
pub async fn duplicate_folder(ctx: &Ctx) -> Step<Outcome> {
    let src = ctx.scratch("dup-folder-src").await?;
    let dst = ctx.scratch("dup-folder-dst").await?;
    let folder = ctx.create_folder(src, "F").await?;
    ctx.create_file(folder, "inside.docx").await?;
    ctx.create_folder(dst, "F").await?;
    let mut body = super::batch(
        dst,
        &[],
        fileops_api::types::FileConflictResolveType::Duplicate,
    );
    body.folder_ids = vec![EntryId::Int(folder)];
    let body = serde_json::to_value(&body).unwrap_or_default();
    run(ctx, "PUT", &api("files/fileops/copy"), body).await?;
    let (_, folders) = titles(ctx, dst).await?;
    let renames = ctx.target.dialect.behaviour.duplicate_renames;
    let want: &[&str] = if renames { &["F", "F (1)"] } else { &["F"] };
    if folders != want {
        return Ok(Outcome::fail(format!("a Duplicate copy of folder F onto a same-named one leaves {want:?} at the destination, found {folders:?}"), Vec::new()));
    }
    let duplicates = fileops_api::operations::by_id("duplicateBatchItems")
        .is_some_and(|op| ctx.target.dialect.is_in(op.dialects));
    if !duplicates {
        return Ok(Outcome::Pass);
    }
    run(
        ctx,
        "PUT",
        &api("files/fileops/duplicate"),
        json!({"folderIds": [folder]}),
    )
    .await?;
    let listing = ctx.listing(src).await?;
    let copy = listing
        .folders
        .iter()
        .find(|f| f.title.as_deref() == Some("F (1)"));
    let Some(copy) = copy.and_then(|f| f.id.as_ref()?.as_int()) else {
        return Ok(Outcome::fail(
            "duplicating folder F must put `F (1)` beside it",
            Vec::new(),
        ));
    };
    let (inside, _) = titles(ctx, copy).await?;
    Ok(if inside == ["inside.docx"] {
        Outcome::Pass
    } else {
        Outcome::fail(
            format!("the duplicate `F (1)` must hold F's content, found {inside:?}"),
            Vec::new(),
        )
    })
}

/// reference §13.6 ([DS-T]): a folder copied into its own parent with Skip changes nothing.
pub async fn same_parent(ctx: &Ctx) -> Step<Outcome> {
    let parent = ctx.scratch("same-parent").await?;
    let folder = ctx.create_folder(parent, "X").await?;
    ctx.create_file(folder, "x.docx").await?;
    let before = (titles(ctx, parent).await?, titles(ctx, folder).await?);
    let mut body = super::batch(
        parent,
        &[],
        fileops_api::types::FileConflictResolveType::Skip,
    );
    body.folder_ids = vec![EntryId::Int(folder)];
    let body = serde_json::to_value(&body).unwrap_or_default();
    run(ctx, "PUT", &api("files/fileops/copy"), body).await?;
    let after = (titles(ctx, parent).await?, titles(ctx, folder).await?);
    Ok(if before == after {
        Outcome::Pass
    } else {
        Outcome::fail(format!("a folder copied into its own parent with Skip must change nothing: before {before:?}, after {after:?}"), Vec::new())
    })
}

/// reference §13.7: DocSpace refuses a delete of a file or folder nobody has with 404 (live);
/// Workspace checks nothing up front and reports it in the finished operation's error (or
/// refuses it up front with its missing-entry status, the other reading).
pub async fn delete_unknown(ctx: &Ctx) -> Step<Outcome> {
    let facts = profile::setting(&[
        "behaviour/validate-up-front",
        "behaviour/missing-entry-status",
    ]);
    for key in ["fileIds", "folderIds"] {
        let body = json!({ key: [UNKNOWN_ID], "immediately": true });
        let answer = send(ctx, "PUT", &api("files/fileops/delete"), Some(body)).await?;
        let status = answer.status;
        let error = match last_operation(&answer).filter(|_| status == 200) {
            Some(id) => Some(ctx.wait(&ctx.api(), &id).await?.error.unwrap_or_default()),
            None => None,
        };
        let what = format!("a delete of an unknown entry ({key}): {status}, error {error:?}");
        let fits = ctx.fits(&facts, &what, |d| {
            if d.behaviour.validate_up_front {
                status == d.behaviour.missing_entry_status
            } else {
                error.as_deref().is_some_and(|e| !e.is_empty())
            }
        });
        if !fits {
            return Ok(failed(
                format!("{what}: neither refused with the family's status nor queued to an error"),
                &answer,
            ));
        }
    }
    Ok(Outcome::Pass)
}

/// Starts a download of `folders` and `files` and waits for it; the finished operation.
async fn download(ctx: &Ctx, folders: &[i64], files: &[i64]) -> Step<serde_json::Value> {
    let body = json!({"folderIds": folders, "fileIds": files});
    run(ctx, "PUT", &api("files/fileops/bulkdownload"), body).await
}

/// The file name a finished download's url serves, from its `Content-Disposition`.
async fn served_name(ctx: &Ctx, url: &str) -> Step<Option<String>> {
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .unwrap_or_else(|| url.to_owned());
    let answer = send(ctx, "GET", &path, None).await?;
    Ok(answer.header("content-disposition").and_then(|d| {
        let name = d.split("filename=").nth(1)?.trim().trim_matches('"');
        Some(
            percent_encoding::percent_decode_str(name)
                .decode_utf8_lossy()
                .into_owned(),
        )
    }))
}

/// reference §3a, §13.8: a finished download lists no files or folders.
pub async fn download_entries(ctx: &Ctx) -> Step<Outcome> {
    let folder = ctx.scratch("download-entries").await?;
    ctx.create_file(folder, "entry.docx").await?;
    let done = download(ctx, &[folder], &[]).await?;
    let listed = |key: &str| done[key].as_array().is_some_and(|l| !l.is_empty());
    Ok(if listed("files") || listed("folders") {
        Outcome::fail(
            format!("a finished download lists no entries: {done}"),
            Vec::new(),
        )
    } else {
        Outcome::Pass
    })
}

/// reference §13.8: DocSpace serves a download of one file as that file and of one folder as
/// `<title>.zip`, and refuses a download of nothing it has with 404.
pub async fn download_names(ctx: &Ctx) -> Step<Outcome> {
    let folder = ctx.scratch("named").await?;
    let file = ctx.create_file(folder, "alone.docx").await?;
    for (folders, files, want) in [
        (vec![folder], vec![], "named.zip"),
        (vec![], vec![file], "alone.docx"),
    ] {
        let done = download(ctx, &folders, &files).await?;
        let url = done["url"].as_str().unwrap_or_default().to_owned();
        let name = served_name(ctx, &url).await?;
        if name.as_deref() != Some(want) {
            return Ok(Outcome::fail(
                format!("the download's url must serve {want:?}, it serves {name:?}"),
                Vec::new(),
            ));
        }
    }
    let body = json!({"fileIds": [UNKNOWN_ID]});
    let answer = send(ctx, "PUT", &api("files/fileops/bulkdownload"), Some(body)).await?;
    Ok(if answer.status == 404 {
        Outcome::Pass
    } else {
        failed(
            "a download of nothing the portal has is refused with 404",
            &answer,
        )
    })
}
