//! What operations do to the file tree.

mod deletes;
mod downloads;
mod transfers;

pub use deletes::{delete_immediately, delete_to_trash, delete_versions, empty_trash};
pub use downloads::{download, download_handler, duplicate, mark_as_read};
pub use transfers::{
    check_dest_folder, conflict_check, copy_duplicate, copy_overwrite, copy_skip, duplicate_title,
    moves,
};

use fileops_api::operations::*;
use fileops_api::runtime::EntryId;
use fileops_api::types::FileConflictResolveType as Resolve;

use crate::context::{answer, failed, Ctx};
use crate::outcome::{Outcome, Step};

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
/// A source folder and a destination holding a same-titled file.
async fn clash(ctx: &Ctx, name: &str) -> Step<(i64, i64, i64, i64)> {
    let src = ctx.scratch(&format!("{name}-src")).await?;
    let dst = ctx.scratch(&format!("{name}-dst")).await?;
    let file = ctx.create_file(src, "clash.docx").await?;
    let target = ctx.create_file(dst, "clash.docx").await?;
    Ok((src, dst, file, target))
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
