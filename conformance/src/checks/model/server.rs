//! What the sequence asks of the server: listings, and move, copy and delete requests.

use fileops_api::client::Client;
use fileops_api::operations::*;
use fileops_api::runtime::client::{EnumEncoding, Exchange};
use fileops_api::runtime::{EntryId, Format};
use fileops_api::types::FileConflictResolveType as Resolve;
use fileops_api::types::{BatchRequest, DeleteBatchRequest, FolderContent};
use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use super::state::{At, Doc, Trashed};
use crate::context::{answer, failed, started, Ctx};
use crate::outcome::{Outcome, Step};

/// How deep the server's tree is listed (a bound against a server gone wrong).
const LIST_DEPTH: usize = 10;
/// Entries per page of a folder listing: small, so that most folders are read over several
/// pages and every page's `total` is compared with what the pages held (§13.2).
const PAGE: i32 = 2;
/// Entries per page of Trash, which holds whatever else the run deleted (DocSpace allows
/// at most 100, §13.2).
const TRASH_PAGE: i32 = 100;

/// A user as the sequence drives it.
pub(super) struct Actor {
    pub(super) token: String,
    pub(super) api: Client,
}

impl Actor {
    pub(super) fn new(ctx: &Ctx, token: &str) -> Actor {
        Actor {
            token: token.to_owned(),
            api: ctx.client_for(Some(token.to_owned()), Format::Json, EnumEncoding::Wire),
        }
    }
}

/// What the server lists of a folder, recursively.
#[derive(Debug, Clone, Default)]
pub(super) struct Listed {
    pub(super) id: i64,
    pub(super) files: Vec<(Doc, i64)>,
    /// Each file's `pureContentLength`, by title.
    lengths: Vec<(String, Option<i64>)>,
    pub(super) dirs: Vec<(String, Listed)>,
}

impl Listed {
    /// Every file's title, place and `pureContentLength` in the tree.
    pub(super) fn lengths(&self, at: &At, out: &mut Vec<(String, String, Option<i64>)>) {
        for (title, length) in &self.lengths {
            out.push((title.clone(), format!("{at:?} {title}"), *length));
        }
        for (title, sub) in &self.dirs {
            let mut path = at.clone();
            path.0.push(title.clone());
            sub.lengths(&path, out);
        }
    }

    pub(super) fn at(&self, at: &At) -> Option<&Listed> {
        at.0.iter().try_fold(self, |dir, t| {
            dir.dirs
                .iter()
                .find(|(title, _)| title == t)
                .map(|(_, d)| d)
        })
    }
}

fn transport(e: impl fmt::Display) -> Outcome {
    Outcome::Error {
        message: e.to_string(),
    }
}

pub(super) fn divergence(message: String) -> Outcome {
    Outcome::fail(message, Vec::new())
}

/// One page of a folder (`None`: the caller's Trash).
async fn page(client: &Client, folder: Option<i64>, start: i32) -> Step<FolderContent> {
    let start_index = Some(start);
    let Some(folder) = folder else {
        let count = Some(TRASH_PAGE);
        let request = GetTrashFolderRequest { start_index, count };
        let (resp, exchange) = answer(client.get_trash_folder(&request).await)?;
        return match resp {
            GetTrashFolderResponse::Ok(content) => Ok(content),
            other => Err(failed(
                format!("listing Trash answered {other:?}"),
                &exchange,
            )),
        };
    };
    let request = GetFolderByFolderIdRequest {
        folder_id: EntryId::Int(folder),
        start_index,
        count: Some(PAGE),
    };
    let (resp, exchange) = answer(client.get_folder_by_folder_id(&request).await)?;
    match resp {
        GetFolderByFolderIdResponse::Ok(content) => Ok(content),
        other => Err(failed(
            format!("listing folder {folder} answered {other:?}"),
            &exchange,
        )),
    }
}

/// A folder's whole listing, every page: its files and folders. In a folder of the model's
/// (`Some`), which nothing else changes, every page's `total` must be the number of entries
/// the pages held (§13.2).
async fn contents(
    client: &Client,
    folder: Option<i64>,
) -> Step<(
    Vec<fileops_api::types::File>,
    Vec<fileops_api::types::Folder>,
)> {
    let (mut files, mut folders) = (Vec::new(), Vec::new());
    let mut totals = BTreeSet::new();
    let mut start = 0;
    for _ in 0..100 {
        let content = page(client, folder, start).await?;
        let n = content.files.len() + content.folders.len();
        files.extend(content.files);
        folders.extend(content.folders);
        start += n as i32;
        totals.extend(content.total);
        if n == 0 || content.total.is_none_or(|total| start >= total) {
            break;
        }
    }
    let held = (files.len() + folders.len()) as i32;
    if let Some(folder) = folder.filter(|_| totals.iter().any(|t| *t != held)) {
        return Err(divergence(format!(
            "folder {folder}'s pages of {PAGE} held {held} entries, their totals said {totals:?}"
        )));
    }
    Ok((files, folders))
}

/// A folder's tree as the server lists it (boxed to recurse; `Send` as the check's future
/// awaits it).
pub(super) fn listed(
    client: &Client,
    id: i64,
    depth: usize,
) -> Pin<Box<dyn Future<Output = Step<Listed>> + Send + '_>> {
    Box::pin(async move {
        let (files, folders) = contents(client, Some(id)).await?;
        let lengths = files
            .iter()
            .filter_map(|f| Some((f.title.clone()?, f.pure_content_length)))
            .collect();
        let mut tree = Listed {
            id,
            lengths,
            files: files
                .into_iter()
                .filter_map(|f| {
                    let doc = Doc {
                        title: f.title?,
                        version: f.version,
                    };
                    Some((doc, f.id?.as_int()?))
                })
                .collect(),
            dirs: Vec::new(),
        };
        for folder in folders {
            let (Some(title), Some(sub)) = (folder.title, folder.id.and_then(|i| i.as_int()))
            else {
                continue;
            };
            let sub = if depth < LIST_DEPTH {
                listed(client, sub, depth + 1).await?
            } else {
                Listed {
                    id: sub,
                    ..Listed::default()
                }
            };
            tree.dirs.push((title, sub));
        }
        Ok(tree)
    })
}

/// The entries of the caller's Trash among `ids`.
pub(super) async fn trash_among(client: &Client, ids: &BTreeSet<i64>) -> Step<Vec<(Trashed, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (files, folders) = contents(client, None).await?;
    let files = files
        .into_iter()
        .filter_map(|f| Some((false, f.title?, f.id?.as_int()?)));
    let folders = folders
        .into_iter()
        .filter_map(|f| Some((true, f.title?, f.id?.as_int()?)));
    Ok(files
        .chain(folders)
        .filter(|(_, _, id)| ids.contains(id))
        .map(|(folder, title, id)| (Trashed { folder, title }, id))
        .collect())
}

fn ids(ids: &[i64]) -> Vec<EntryId> {
    ids.iter().map(|i| EntryId::Int(*i)).collect()
}

/// A move or copy of `entries` (id, whether a folder) into `dest`.
pub(super) fn transfer_body(dest: i64, entries: &[(i64, bool)], resolve: Resolve) -> BatchRequest {
    let pick = |folder: bool| -> Vec<i64> {
        entries
            .iter()
            .filter(|(_, f)| *f == folder)
            .map(|(id, _)| *id)
            .collect()
    };
    let (folders, files) = (pick(true), pick(false));
    BatchRequest {
        folder_ids: ids(&folders),
        file_ids: ids(&files),
        dest_folder_id: EntryId::Int(dest),
        conflict_resolve_type: Some(resolve),
        delete_after: None,
        content: None,
        to_fill_out: None,
        return_single_operation: None,
    }
}

pub(super) fn delete_body(folders: &[i64], files: &[i64], immediately: bool) -> DeleteBatchRequest {
    DeleteBatchRequest {
        folder_ids: ids(folders),
        file_ids: ids(files),
        delete_after: Some(false),
        immediately: Some(immediately),
        return_single_operation: None,
    }
}

/// The started operation's id, if the answer started one (`None` for a refusal).
fn accepted<R>(
    exchange: &Exchange<R>,
    ops: impl Fn(&R) -> Option<&Vec<fileops_api::types::FileOperation>>,
) -> Option<String> {
    exchange
        .answer
        .as_ref()
        .ok()
        .and_then(ops)
        .and_then(|o| started(o))
}

/// Sends a delete; the started operation, if any.
pub(super) async fn send_delete(
    client: &Client,
    body: DeleteBatchRequest,
) -> Step<(Option<String>, Exchange<DeleteBatchItemsResponse>)> {
    let exchange = client
        .delete_batch_items(&DeleteBatchItemsRequest { body })
        .await
        .map_err(transport)?;
    let id = accepted(&exchange, |r| match r {
        DeleteBatchItemsResponse::Ok(ops) => Some(ops),
        _ => None,
    });
    Ok((id, exchange))
}

/// Sends a move or copy; the started operation, if any.
pub(super) async fn send_transfer(
    client: &Client,
    copy: bool,
    body: BatchRequest,
) -> Step<Option<String>> {
    Ok(if copy {
        let exchange = client
            .copy_batch_items(&CopyBatchItemsRequest { body })
            .await
            .map_err(transport)?;
        accepted(&exchange, |r| match r {
            CopyBatchItemsResponse::Ok(ops) => Some(ops),
            _ => None,
        })
    } else {
        let exchange = client
            .move_batch_items(&MoveBatchItemsRequest { body })
            .await
            .map_err(transport)?;
        accepted(&exchange, |r| match r {
            MoveBatchItemsResponse::Ok(ops) => Some(ops),
            _ => None,
        })
    })
}
