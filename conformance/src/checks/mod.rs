//! The checks, grouped by area.

pub mod auth;
pub mod bad_input;
pub mod binding;
pub mod coverage;
pub mod create;
pub mod delete_routes;
pub mod downloads;
pub mod effects;
pub mod enums;
pub mod envelope;
pub mod fixture;
pub mod folders;
pub mod lifecycle;
pub mod listing;
pub mod model;
pub mod operations;
pub mod raw;
pub mod reported;
pub mod routes;
pub mod transfers;
pub mod wire;

use fileops_api::runtime::EntryId;

/// An entry id no portal has reached; within 32 bits, so DocSpace still reads it as an
/// internal id rather than a third-party one (reference §2a).
pub const UNKNOWN_ID: i64 = i32::MAX as i64;
use fileops_api::types::{BatchRequest, DeleteBatchRequest, FileConflictResolveType};

/// A copy or move request for files.
pub fn batch(dest: i64, files: &[i64], resolve: FileConflictResolveType) -> BatchRequest {
    BatchRequest {
        folder_ids: Vec::new(),
        file_ids: files.iter().map(|f| EntryId::Int(*f)).collect(),
        dest_folder_id: EntryId::Int(dest),
        conflict_resolve_type: Some(resolve),
        delete_after: None,
        content: None,
        to_fill_out: None,
        return_single_operation: None,
    }
}

/// A delete request for files.
pub fn deletion(files: &[i64], immediately: bool, delete_after: bool) -> DeleteBatchRequest {
    DeleteBatchRequest {
        folder_ids: Vec::new(),
        file_ids: files.iter().map(|f| EntryId::Int(*f)).collect(),
        delete_after: Some(delete_after),
        immediately: Some(immediately),
        return_single_operation: None,
    }
}

use fileops_api::client::Client;
use fileops_api::operations::*;
use fileops_api::runtime::client::Exchange;
use fileops_api::types::FileOperation;

use crate::context::{answer, failed, started, Ctx};
use crate::outcome::Step;

/// A started operation: the answer's list, the new operation's id, and the exchange.
pub struct Started<R> {
    /// The operations the answer lists.
    pub ops: Vec<FileOperation>,
    /// The new operation's id (the last one listed).
    pub id: String,
    /// The exchange, for evidence.
    pub exchange: Exchange<R>,
}

fn take<R>(ops: Option<Vec<FileOperation>>, exchange: Exchange<R>, what: &str) -> Step<Started<R>> {
    let Some(ops) = ops else {
        return Err(failed(format!("{what} was refused"), &exchange));
    };
    let id =
        started(&ops).ok_or_else(|| failed(format!("{what} started no operation"), &exchange))?;
    Ok(Started { ops, id, exchange })
}

/// Starts a delete of files.
pub async fn start_delete(
    ctx: &Ctx,
    files: &[i64],
    immediately: bool,
    delete_after: bool,
) -> Step<Started<DeleteBatchItemsResponse>> {
    let body = deletion(files, immediately, delete_after);
    let (resp, exchange) = answer(
        ctx.api()
            .delete_batch_items(&DeleteBatchItemsRequest { body })
            .await,
    )?;
    let ops = match resp {
        DeleteBatchItemsResponse::Ok(ops) => Some(ops),
        _ => None,
    };
    take(ops, exchange, "delete")
}

/// Starts a copy or move of files with `client` (any encoding).
pub async fn start_transfer(client: &Client, copy: bool, body: BatchRequest) -> Step<Started<()>> {
    let (ops, exchange) = if copy {
        let (resp, exchange) = answer(
            client
                .copy_batch_items(&CopyBatchItemsRequest { body })
                .await,
        )?;
        (
            match resp {
                CopyBatchItemsResponse::Ok(ops) => Some(ops),
                _ => None,
            },
            forget(exchange),
        )
    } else {
        let (resp, exchange) = answer(
            client
                .move_batch_items(&MoveBatchItemsRequest { body })
                .await,
        )?;
        (
            match resp {
                MoveBatchItemsResponse::Ok(ops) => Some(ops),
                _ => None,
            },
            forget(exchange),
        )
    };
    take(ops, exchange, if copy { "copy" } else { "move" })
}

/// An exchange without its typed answer (for evidence only).
fn forget<R>(exchange: Exchange<R>) -> Exchange<()> {
    Exchange {
        sent: exchange.sent,
        status: exchange.status,
        headers: exchange.headers,
        body: exchange.body,
        answer: exchange.answer.map(|_| ()),
    }
}
