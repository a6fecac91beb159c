//! Shared by the tests of recorded and proxied traffic: a client's session against a portal,
//! and a reference with a planted fault.

use fileops_api::client::Client;
use fileops_api::operations::*;
use fileops_api::runtime::{Dialect, EntryId};
use fileops_api::types::{BatchRequest, FileConflictResolveType};
use fileops_conformance::context::{create_file_with, create_folder_with, my_folder_with};
use fileops_reference::{faults, Config};

/// A session as a client has it: folders and a file, a copy, the listing polled until the
/// copy is reported finished, and listed once more.
pub async fn client_session(client: &Client) {
    let my = my_folder_with(client).await.expect("My documents");
    let from = create_folder_with(client, my, "from")
        .await
        .expect("folder");
    let to = create_folder_with(client, my, "to").await.expect("folder");
    let file = create_file_with(client, from, "a.docx")
        .await
        .expect("file");
    let body = BatchRequest {
        file_ids: vec![EntryId::Int(file)],
        folder_ids: Vec::new(),
        dest_folder_id: EntryId::Int(to),
        conflict_resolve_type: Some(FileConflictResolveType::Skip),
        delete_after: Some(false),
        content: None,
        to_fill_out: None,
        return_single_operation: None,
    };
    client
        .copy_batch_items(&CopyBatchItemsRequest { body })
        .await
        .expect("copies");
    for _ in 0..10_000 {
        let listed = client
            .get_operation_statuses(&GetOperationStatusesRequest { id: None })
            .await
            .expect("lists");
        if matches!(&listed.answer, Ok(GetOperationStatusesResponse::Ok(ops)) if ops.iter().any(|o| o.finished))
        {
            break;
        }
    }
    client
        .get_operation_statuses(&GetOperationStatusesRequest { id: None })
        .await
        .expect("lists");
}

/// The demo reference of `dialect` with the planted fault `name`.
pub fn with_fault(dialect: &'static Dialect, name: &str) -> Config {
    let mut config = Config::demo(dialect);
    let fault = faults::ALL
        .iter()
        .find(|f| f.name == name)
        .expect("a fault");
    (fault.set)(&mut config.faults);
    config
}
