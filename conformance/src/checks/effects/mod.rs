//! What operations do to the file tree.

use fileops_api::operations::*;
use fileops_api::runtime::EntryId;
use fileops_api::types::{DownloadRequest, FileConflictResolveType as Resolve};

use super::UNKNOWN_ID;
use crate::context::{answer, failed, started, Ctx};
use crate::outcome::{Evidence, Outcome, Step};
use crate::profile;

/// Copies or moves `files` into `dest` and waits.
async fn transfer(ctx: &Ctx, copy: bool, dest: i64, files: &[i64], resolve: Resolve) -> Step<()> {
    let client = ctx.api();
    let started = super::start_transfer(&client, copy, super::batch(dest, files, resolve)).await?;
    ctx.wait(&client, &started.id).await.map(|_| ())
}

async fn version(ctx: &Ctx, file: i64) -> Step<Option<i32>> {
    let (resp, exchange) = answer(
        ctx.api()
            .get_file_info(&GetFileInfoRequest {
                file_id: EntryId::Int(file),
                version: None,
            })
            .await,
    )?;
    match resp {
        GetFileInfoResponse::Ok(f) => Ok(f.version),
        other => Err(failed(format!("file info answered {other:?}"), &exchange)),
    }
}

fn mismatch(what: &str, got: &[String], want: &[&str]) -> Outcome {
    Outcome::fail(
        format!("{what}: expected {want:?}, found {got:?}"),
        Vec::new(),
    )
}

pub async fn moves(ctx: &Ctx) -> Step<Outcome> {
    let src = ctx.scratch("move-src").await?;
    let dst = ctx.scratch("move-dst").await?;
    let file = ctx.create_file(src, "moved.docx").await?;
    transfer(ctx, false, dst, &[file], Resolve::Skip).await?;
    let (there, here) = (ctx.file_titles(dst).await?, ctx.file_titles(src).await?);
    if there != ["moved.docx"] {
        return Ok(mismatch("destination", &there, &["moved.docx"]));
    }
    // §13.6: a move keeps the file's id.
    let moved = ctx.listing(dst).await?.files;
    if !moved.iter().any(|f| f.id == Some(EntryId::Int(file))) {
        return Ok(Outcome::fail(
            format!("the moved file must keep its id {file}"),
            Vec::new(),
        ));
    }
    Ok(if here.is_empty() {
        Outcome::Pass
    } else {
        mismatch("source", &here, &[])
    })
}

/// A source folder and a destination holding a same-titled file.
async fn clash(ctx: &Ctx, name: &str) -> Step<(i64, i64, i64, i64)> {
    let src = ctx.scratch(&format!("{name}-src")).await?;
    let dst = ctx.scratch(&format!("{name}-dst")).await?;
    let file = ctx.create_file(src, "clash.docx").await?;
    let target = ctx.create_file(dst, "clash.docx").await?;
    Ok((src, dst, file, target))
}

pub async fn copy_skip(ctx: &Ctx) -> Step<Outcome> {
    let (_, dst, file, target) = clash(ctx, "skip").await?;
    transfer(ctx, true, dst, &[file], Resolve::Skip).await?;
    let titles = ctx.file_titles(dst).await?;
    if titles != ["clash.docx"] {
        return Ok(mismatch(
            "Skip must not add a file",
            &titles,
            &["clash.docx"],
        ));
    }
    Ok(match version(ctx, target).await? {
        Some(1) => Outcome::Pass,
        v => Outcome::fail(
            format!("Skip must leave the target at version 1, it is at {v:?}"),
            Vec::new(),
        ),
    })
}

pub async fn copy_overwrite(ctx: &Ctx) -> Step<Outcome> {
    let (_, dst, file, target) = clash(ctx, "overwrite").await?;
    transfer(ctx, true, dst, &[file], Resolve::Overwrite).await?;
    // §13.6: a new version of the existing target: one file, its id and title.
    let listed = ctx.listing(dst).await?.files;
    let kept = listed.len() == 1
        && listed[0].id == Some(EntryId::Int(target))
        && listed[0].title.as_deref() == Some("clash.docx");
    if !kept {
        return Ok(Outcome::fail(
            "Overwrite must keep the target (one file, its id and title)",
            Vec::new(),
        ));
    }
    Ok(match version(ctx, target).await? {
        Some(2) => Outcome::Pass,
        v => Outcome::fail(
            format!("Overwrite must make version 2 of the target, it is at {v:?}"),
            Vec::new(),
        ),
    })
}

pub async fn copy_duplicate(ctx: &Ctx) -> Step<Outcome> {
    let (_, dst, file, _) = clash(ctx, "duplicate").await?;
    transfer(ctx, true, dst, &[file], Resolve::Duplicate).await?;
    let titles = ctx.file_titles(dst).await?;
    Ok(if titles.len() == 2 {
        Outcome::Pass
    } else {
        Outcome::fail(
            format!("Duplicate must add a second file, found {titles:?}"),
            Vec::new(),
        )
    })
}

pub async fn duplicate_title(ctx: &Ctx) -> Step<Outcome> {
    let (_, dst, file, _) = clash(ctx, "duplicate-title").await?;
    transfer(ctx, true, dst, &[file], Resolve::Duplicate).await?;
    let titles = ctx.file_titles(dst).await?;
    let want: &[&str] = if ctx.target.dialect.behaviour.duplicate_renames {
        &["clash (1).docx", "clash.docx"]
    } else {
        &["clash.docx", "clash.docx"]
    };
    Ok(if titles == want {
        Outcome::Pass
    } else {
        mismatch("Duplicate titles", &titles, want)
    })
}

async fn delete(ctx: &Ctx, file: i64, immediately: bool) -> Step<()> {
    let started = super::start_delete(ctx, &[file], immediately, false).await?;
    ctx.wait(&ctx.api(), &started.id).await.map(|_| ())
}

/// Whether the caller's Trash lists this file.
pub(crate) async fn in_trash(ctx: &Ctx, file: i64) -> Step<bool> {
    trash_lists(ctx, file, false).await
}

/// Whether the caller's Trash lists this folder.
pub(crate) async fn folder_in_trash(ctx: &Ctx, folder: i64) -> Step<bool> {
    trash_lists(ctx, folder, true).await
}

/// Whether the caller's Trash lists the entry among its folders or its files (the two may
/// share ids on a server with separate id sequences).
async fn trash_lists(ctx: &Ctx, id: i64, folder: bool) -> Step<bool> {
    let (resp, exchange) = answer(
        ctx.api()
            .get_trash_folder(&GetTrashFolderRequest {
                start_index: None,
                count: None,
            })
            .await,
    )?;
    let id = Some(EntryId::Int(id));
    match resp {
        GetTrashFolderResponse::Ok(content) if folder => {
            Ok(content.folders.iter().any(|f| f.id == id))
        }
        GetTrashFolderResponse::Ok(content) => Ok(content.files.iter().any(|f| f.id == id)),
        other => Err(failed(format!("GET @trash answered {other:?}"), &exchange)),
    }
}

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

/// GET fileops/move lists the requested sources that clash at the destination, never the
/// entries already there, and changes nothing (reference §1a, §1b). A clashing file is listed
/// with its own folderId. A same-named folder is listed itself where the family reports folders
/// (DocSpace, its contents unchecked); elsewhere (Workspace) it is a merge: the clashing files
/// inside it are listed and never a folder.
pub async fn conflict_check(ctx: &Ctx) -> Step<Outcome> {
    use fileops_api::runtime::client::Exchange;
    use fileops_api::types::FileEntry;

    type Asked = (Vec<FileEntry>, Exchange<CheckMoveOrCopyBatchItemsResponse>);

    /// Each folder's entries (kind, id, title, version), sorted: what "nothing moved" compares.
    async fn contents(ctx: &Ctx, folders: &[i64]) -> Step<Vec<Vec<String>>> {
        let mut all = Vec::new();
        for folder in folders {
            let content = ctx.listing(*folder).await?;
            let files = content
                .files
                .iter()
                .map(|f| format!("file {:?} {:?} v{:?}", f.id, f.title, f.version));
            let folders = content
                .folders
                .iter()
                .map(|f| format!("folder {:?} {:?}", f.id, f.title));
            let mut entries: Vec<String> = files.chain(folders).collect();
            entries.sort();
            all.push(entries);
        }
        Ok(all)
    }

    /// Asks GET fileops/move; a refusal or any change to `watched` is a failure.
    async fn ask(
        ctx: &Ctx,
        dest: i64,
        (folders, files): (&[i64], &[i64]),
        watched: &[i64],
    ) -> Step<Asked> {
        let ids = |list: &[i64]| list.iter().map(|id| EntryId::Int(*id)).collect();
        let request = CheckMoveOrCopyBatchItemsRequest {
            dest_folder_id: EntryId::Int(dest),
            folder_ids: ids(folders),
            file_ids: ids(files),
            conflict_resolve_type: None,
            delete_after: None,
        };
        let before = contents(ctx, watched).await?;
        let (resp, exchange) = answer(ctx.api().check_move_or_copy_batch_items(&request).await)?;
        let CheckMoveOrCopyBatchItemsResponse::Ok(entries) = resp else {
            return Err(failed("the conflict check was refused", &exchange));
        };
        if contents(ctx, watched).await? != before {
            return Err(failed(
                "the conflict check changed the folders' contents; nothing may move",
                &exchange,
            ));
        }
        Ok((entries, exchange))
    }

    fn find(entries: &[FileEntry], id: i64, folder: bool) -> Option<&FileEntry> {
        entries.iter().find(|e| match e {
            FileEntry::File(f) => !folder && f.id == Some(EntryId::Int(id)),
            FileEntry::Folder(f) => folder && f.id == Some(EntryId::Int(id)),
        })
    }

    /// The folderId of a listed file, if it is listed as a file.
    fn folder_of(entries: &[FileEntry], id: i64) -> Option<Option<EntryId>> {
        match find(entries, id, false) {
            Some(FileEntry::File(f)) => Some(f.folder_id.clone()),
            _ => None,
        }
    }

    // Files: the source a.docx, and a same-titled a.docx already at the destination.
    let src = ctx.scratch("conflict-check-src").await?;
    let dst = ctx.scratch("conflict-check-dst").await?;
    let file = ctx.create_file(src, "a.docx").await?;
    let target = ctx.create_file(dst, "a.docx").await?;
    let (entries, exchange) = ask(ctx, dst, (&[], &[file]), &[src, dst]).await?;
    match folder_of(&entries, file) {
        None => return Ok(failed("the clashing source file is not listed", &exchange)),
        Some(folder) if folder != Some(EntryId::Int(src)) => {
            return Ok(failed(
                format!(
                    "the source file is listed with folderId {folder:?}, not its own folder {src}"
                ),
                &exchange,
            ))
        }
        Some(_) => {}
    }
    if find(&entries, target, false).is_some() {
        return Ok(failed(
            "the file already at the destination is listed; the check lists the sources",
            &exchange,
        ));
    }

    // Folders: a source F holding x.docx, and a destination holding an F with x.docx.
    let src = ctx.scratch("conflict-check-folder-src").await?;
    let dst = ctx.scratch("conflict-check-folder-dst").await?;
    let folder = ctx.create_folder(src, "F").await?;
    let inner = ctx.create_file(folder, "x.docx").await?;
    let existing = ctx.create_folder(dst, "F").await?;
    let existing_inner = ctx.create_file(existing, "x.docx").await?;
    let watched = [src, dst, folder, existing];
    let (entries, exchange) = ask(ctx, dst, (&[folder], &[]), &watched).await?;
    if find(&entries, existing, true).is_some() || find(&entries, existing_inner, false).is_some() {
        return Ok(failed(
            "an entry already at the destination is listed; the check lists the sources",
            &exchange,
        ));
    }
    let wrong = if ctx.target.dialect.behaviour.conflicts_include_folders {
        match (find(&entries, folder, true), find(&entries, inner, false)) {
            (None, _) => Some("the clashing source folder F is not listed".to_owned()),
            (_, Some(_)) => Some("x.docx inside the clashing folder F is listed; a clashing folder is listed itself, its contents are not checked".to_owned()),
            _ => None,
        }
    } else if entries.iter().any(|e| matches!(e, FileEntry::Folder(_))) {
        Some("a folder is listed; this family lists only files".to_owned())
    } else {
        match folder_of(&entries, inner) {
            None => Some("x.docx inside the source folder F, which clashes in the merge with the destination's F, is not listed".to_owned()),
            Some(parent) if parent != Some(EntryId::Int(folder)) => Some(format!(
                "x.docx is listed with folderId {parent:?}, not its own folder {folder}"
            )),
            Some(_) => None,
        }
    };
    Ok(wrong.map_or(Outcome::Pass, |message| failed(message, &exchange)))
}

/// checkdestfolder lists the requested files the destination allows and makes no name-clash
/// check (reference §2b): two readable files, one of them clashing by title, are AllAllowed
/// and both listed; a readable file with an unknown id is PartAllowed with the readable one
/// listed. Order is not judged.
pub async fn check_dest_folder(ctx: &Ctx) -> Step<Outcome> {
    use fileops_api::runtime::client::Exchange;
    use fileops_api::types::{CheckDestFolder, CheckDestFolderResult as Verdict, FileEntry};

    type Asked = (CheckDestFolder, Exchange<CheckMoveOrCopyDestFolderResponse>);

    /// Asks checkdestfolder. §2b (code reading) lets a destination outside every room reach
    /// a null room, so a server error is a skip, not a verdict.
    async fn ask(ctx: &Ctx, dest: i64, files: &[i64]) -> Step<Asked> {
        let request = CheckMoveOrCopyDestFolderRequest {
            dest_folder_id: EntryId::Int(dest),
            file_ids: files.iter().map(|id| EntryId::Int(*id)).collect(),
        };
        let exchange = ctx
            .api()
            .check_move_or_copy_dest_folder(&request)
            .await
            .map_err(|e| Outcome::Error {
                message: e.to_string(),
            })?;
        let status = exchange.status;
        let facts = profile::setting(&["behaviour/checkdest-outside-rooms-status"]);
        let what = format!("checkdestfolder into a folder of My documents: {status}");
        if !ctx.fits(&facts, &what, |d| {
            d.behaviour.checkdest_outside_rooms_status == status
        }) {
            return Err(failed(
                format!("checkdestfolder into a folder of My documents answered {status}, which no reading allows"),
                &exchange,
            ));
        }
        if status >= 500 {
            return Err(Outcome::skip(format!(
                "checkdestfolder answered {status} for a destination outside every room, as \
                 upstream's code reaches a null room there (reference §2b, code reading), so \
                 its verdict cannot be judged without a room"
            )));
        }
        let (resp, exchange) = answer(Ok::<_, std::convert::Infallible>(exchange))?;
        match resp {
            CheckMoveOrCopyDestFolderResponse::Ok(verdict) => Ok((verdict, exchange)),
            _ => Err(failed("checkdestfolder was refused", &exchange)),
        }
    }

    fn listed(verdict: &CheckDestFolder) -> Vec<Option<EntryId>> {
        verdict
            .files
            .iter()
            .filter_map(|e| match e {
                FileEntry::File(f) => Some(f.id.clone()),
                FileEntry::Folder(_) => None,
            })
            .collect()
    }

    let src = ctx.scratch("checkdest-src").await?;
    let dst = ctx.scratch("checkdest-dst").await?;
    let first = ctx.create_file(src, "a.docx").await?;
    // An unknown destination: by code reading a null folder (500), else a refusal (§2b).
    let unknown = ctx
        .raw_as(
            "GET",
            &format!(
                "/api/2.0/files/fileops/checkdestfolder?destFolderId={UNKNOWN_ID}&fileIds={first}"
            ),
            None,
            Some(&ctx.target.token),
        )
        .await?;
    let status = unknown.status;
    let facts = profile::setting(&["behaviour/checkdest-unknown-destination-status"]);
    let what = format!("checkdestfolder toward an unknown folder: {status}");
    if !ctx.fits(&facts, &what, |d| {
        d.behaviour.checkdest_unknown_destination_status == status
    }) {
        return Ok(Outcome::fail(
            format!("an unknown destination answered {status}, which no reading allows"),
            vec![unknown.evidence()],
        ));
    }
    let second = ctx.create_file(src, "b.docx").await?;
    // A same-titled file at the destination: there is no name-clash check.
    ctx.create_file(dst, "a.docx").await?;
    let gone = ctx.create_file(src, "gone.docx").await?;
    delete(ctx, gone, true).await?;
    let has = |ids: &[Option<EntryId>], id: i64| ids.contains(&Some(EntryId::Int(id)));

    let (verdict, exchange) = ask(ctx, dst, &[first, second]).await?;
    let ids = listed(&verdict);
    if verdict.result != Verdict::AllAllowed || !has(&ids, first) || !has(&ids, second) {
        return Ok(failed(
            format!(
                "two readable files must be AllAllowed and both listed; got {:?} listing {ids:?}",
                verdict.result
            ),
            &exchange,
        ));
    }
    // §2b: a repeated id is counted twice but loaded once: PartAllowed.
    let (verdict, exchange) = ask(ctx, dst, &[first, first]).await?;
    if verdict.result != Verdict::PartAllowed || !has(&listed(&verdict), first) {
        return Ok(failed(
            format!(
                "a repeated id must give PartAllowed listing the file; got {:?}",
                verdict.result
            ),
            &exchange,
        ));
    }
    let (verdict, exchange) = ask(ctx, dst, &[first, gone]).await?;
    let ids = listed(&verdict);
    Ok(
        if verdict.result != Verdict::PartAllowed || !has(&ids, first) || has(&ids, gone) {
            failed(
                format!(
                    "a readable file and an unknown id must be PartAllowed listing only the \
                     readable one ({first}); got {:?} listing {ids:?}",
                    verdict.result
                ),
                &exchange,
            )
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
    let unknown = send(super::UNKNOWN_ID, "[1]").await?;
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
    let Some(id) = super::raw::last_operation(&whole).filter(|_| whole.status == 200) else {
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
