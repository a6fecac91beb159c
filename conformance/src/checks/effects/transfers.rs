//! Moves and copies, and the checks a client makes before one.

use fileops_api::operations::*;
use fileops_api::runtime::EntryId;
use fileops_api::types::FileConflictResolveType as Resolve;

use super::{clash, delete, mismatch, transfer, version};
use crate::checks::UNKNOWN_ID;
use crate::context::{answer, failed, Ctx};
use crate::outcome::{Outcome, Step};
use crate::profile;

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
