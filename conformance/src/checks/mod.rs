//! The checks, grouped by area.

pub mod auth;
pub mod bad_input;
pub mod effects;
pub mod enums;
pub mod envelope;
pub mod lifecycle;
pub mod model;
pub mod shapes;

use fileops_api::runtime::EntryId;
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
