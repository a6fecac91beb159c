//! Batches that grow until the server is seen working on one.
//!
//! A check that must see an operation running (terminate, progress, one download at a time,
//! terminate by id, another user's terminate) cannot judge a server that finishes the
//! operation before its start is answered. Such a server is fast, not wrong: a finished
//! operation is handed out once (reference §5), maybe by the very answer that started it.
//! These checks start a batch of each size in turn, larger each time and bounded, until the
//! start's answer lists the new operation unfinished; when even the largest batch finished
//! at once they say so (a skip), and never pass on what they could not see.

use serde_json::{json, Value};

use super::raw::{api, failed, last_operation, send};
use crate::context::{Ctx, RawAnswer};
use crate::outcome::{Outcome, Step};

/// The batch sizes (files) tried in turn.
pub const SIZES: [usize; 3] = [20, 100, 400];

/// What a batch does with its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batch {
    /// Copies the files into a fresh folder.
    Copy,
    /// Deletes the folder holding them, for good.
    Delete,
    /// Downloads the folder holding them.
    Download,
}

/// An operation seen running: its id, the answer that started it, the batch's folder and
/// files, and (for a copy) the destination folder.
#[derive(Debug)]
pub struct Running {
    /// The new operation's id.
    pub id: String,
    /// The answer to the start.
    pub answer: RawAnswer,
    /// The folder holding the batch's files.
    pub folder: i64,
    /// The files.
    pub files: Vec<i64>,
    /// Where a copy goes.
    pub dest: Option<i64>,
}

/// A fresh folder of `size` fresh files: the folder and the files.
pub async fn files(ctx: &Ctx, name: &str, size: usize) -> Step<(i64, Vec<i64>)> {
    let folder = ctx.scratch(name).await?;
    let mut files = Vec::with_capacity(size);
    for i in 0..size {
        files.push(ctx.create_file(folder, &format!("{name}-{i}.docx")).await?);
    }
    Ok((folder, files))
}

/// Starts `batch` on fresh batches of growing size until the start's answer lists the new
/// operation unfinished; `None` when every batch finished at once. What each earlier batch
/// started has finished (it was handed out finished), so nothing is left running.
pub async fn running(ctx: &Ctx, name: &str, batch: Batch) -> Step<Option<Running>> {
    for size in SIZES {
        let started = start(ctx, &format!("{name}-{size}"), size, batch).await?;
        if is_running(&started.answer.json(), &started.id) {
            return Ok(Some(started));
        }
    }
    Ok(None)
}

/// Starts one batch of `size` files.
pub async fn start(ctx: &Ctx, name: &str, size: usize, batch: Batch) -> Step<Running> {
    let (folder, files) = self::files(ctx, name, size).await?;
    let (path, body, dest) = match batch {
        Batch::Copy => {
            let dest = ctx.scratch(&format!("{name}-dst")).await?;
            let body = json!({"fileIds": files, "destFolderId": dest});
            ("files/fileops/copy", body, Some(dest))
        }
        Batch::Delete => {
            let body = json!({"folderIds": [folder], "immediately": true});
            ("files/fileops/delete", body, None)
        }
        Batch::Download => (
            "files/fileops/bulkdownload",
            json!({"folderIds": [folder]}),
            None,
        ),
    };
    let answer = send(ctx, "PUT", &api(path), Some(body)).await?;
    match last_operation(&answer).filter(|_| answer.status == 200) {
        Some(id) => Ok(Running {
            id,
            answer,
            folder,
            files,
            dest,
        }),
        None => Err(failed(format!("PUT {path} started no operation"), &answer)),
    }
}

/// Whether an answer lists operation `id` unfinished.
pub fn is_running(body: &Value, id: &str) -> bool {
    body.get("response")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|o| o["id"] == id && o["finished"] == false)
}

/// The skip when even the largest batch finished before its start was answered.
pub fn too_fast(what: &str) -> Outcome {
    let largest = SIZES[SIZES.len() - 1];
    Outcome::skip(format!(
        "{what}: the server finished every batch, up to {largest} files, before the answer \
         that started it, so it was never seen running"
    ))
}
