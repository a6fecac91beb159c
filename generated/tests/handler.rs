//! The handler trait can be implemented with plain `async fn`s, and its futures are `Send`,
//! so an implementation can run on a multi-threaded runtime (and be mounted in a router).

use fileops_api::operations::*;
use fileops_api::runtime::{ApiError, Format, RequestContext};
use fileops_api::types::*;
use fileops_api::{dialects, operations, FileopsApi};
use std::sync::Mutex;

/// A tiny implementation: it remembers the last move and lists nothing else.
#[derive(Default)]
struct Recorder {
    moves: Mutex<Vec<BatchRequest>>,
}

impl FileopsApi for Recorder {
    async fn get_operation_statuses(
        &self,
        _: RequestContext,
        _: GetOperationStatusesRequest,
    ) -> GetOperationStatusesResponse {
        GetOperationStatusesResponse::Ok(Vec::new())
    }
    async fn get_operation_statuses_by_type(
        &self,
        _: RequestContext,
        r: GetOperationStatusesByTypeRequest,
    ) -> GetOperationStatusesByTypeResponse {
        match r.operation_type {
            FileOperationType::Import | FileOperationType::Convert => {
                GetOperationStatusesByTypeResponse::BadRequest(ApiError::new(
                    "no queue for this kind",
                ))
            }
            _ => GetOperationStatusesByTypeResponse::Ok(Vec::new()),
        }
    }
    async fn terminate_all_tasks(
        &self,
        _: RequestContext,
        _: TerminateAllTasksRequest,
    ) -> TerminateAllTasksResponse {
        TerminateAllTasksResponse::Ok(Vec::new())
    }
    async fn terminate_tasks(
        &self,
        _: RequestContext,
        _: TerminateTasksRequest,
    ) -> TerminateTasksResponse {
        TerminateTasksResponse::Ok(Vec::new())
    }
    async fn delete_batch_items(
        &self,
        _: RequestContext,
        _: DeleteBatchItemsRequest,
    ) -> DeleteBatchItemsResponse {
        DeleteBatchItemsResponse::Ok(Vec::new())
    }
    async fn move_batch_items(
        &self,
        context: RequestContext,
        r: MoveBatchItemsRequest,
    ) -> MoveBatchItemsResponse {
        if context.token().is_none() {
            return MoveBatchItemsResponse::Unauthorized;
        }
        self.moves.lock().expect("lock").push(r.body);
        MoveBatchItemsResponse::Ok(Vec::new())
    }
    async fn check_move_or_copy_batch_items(
        &self,
        _: RequestContext,
        _: CheckMoveOrCopyBatchItemsRequest,
    ) -> CheckMoveOrCopyBatchItemsResponse {
        CheckMoveOrCopyBatchItemsResponse::Ok(Vec::new())
    }
    async fn copy_batch_items(
        &self,
        _: RequestContext,
        _: CopyBatchItemsRequest,
    ) -> CopyBatchItemsResponse {
        CopyBatchItemsResponse::Ok(Vec::new())
    }
    async fn check_move_or_copy_dest_folder(
        &self,
        _: RequestContext,
        _: CheckMoveOrCopyDestFolderRequest,
    ) -> CheckMoveOrCopyDestFolderResponse {
        CheckMoveOrCopyDestFolderResponse::Ok(CheckDestFolder {
            result: CheckDestFolderResult::AllAllowed,
            files: Vec::new(),
        })
    }
    async fn bulk_download(
        &self,
        _: RequestContext,
        _: BulkDownloadRequest,
    ) -> BulkDownloadResponse {
        BulkDownloadResponse::Forbidden(ApiError::new("Too many downloads."))
    }
    async fn mark_as_read(&self, _: RequestContext, _: MarkAsReadRequest) -> MarkAsReadResponse {
        MarkAsReadResponse::Ok(Vec::new())
    }
    async fn empty_trash(&self, _: RequestContext, _: EmptyTrashRequest) -> EmptyTrashResponse {
        EmptyTrashResponse::Ok(Vec::new())
    }
    async fn delete_file_versions(
        &self,
        _: RequestContext,
        _: DeleteFileVersionsRequest,
    ) -> DeleteFileVersionsResponse {
        DeleteFileVersionsResponse::Ok(Vec::new())
    }
    async fn duplicate_batch_items(
        &self,
        _: RequestContext,
        _: DuplicateBatchItemsRequest,
    ) -> DuplicateBatchItemsResponse {
        DuplicateBatchItemsResponse::Ok(Vec::new())
    }
    async fn get_my_folder(&self, _: RequestContext, _: GetMyFolderRequest) -> GetMyFolderResponse {
        GetMyFolderResponse::Unauthorized
    }
    async fn get_trash_folder(
        &self,
        _: RequestContext,
        _: GetTrashFolderRequest,
    ) -> GetTrashFolderResponse {
        GetTrashFolderResponse::Unauthorized
    }
    async fn get_folder_by_folder_id(
        &self,
        _: RequestContext,
        _: GetFolderByFolderIdRequest,
    ) -> GetFolderByFolderIdResponse {
        GetFolderByFolderIdResponse::NotFound(ApiError::new("The required folder was not found"))
    }
    async fn get_folder_info(
        &self,
        _: RequestContext,
        _: GetFolderInfoRequest,
    ) -> GetFolderInfoResponse {
        GetFolderInfoResponse::NotFound(ApiError::new("The required folder was not found"))
    }
    async fn create_folder(
        &self,
        _: RequestContext,
        _: CreateFolderRequest,
    ) -> CreateFolderResponse {
        CreateFolderResponse::Forbidden(ApiError::new("Access denied"))
    }
    async fn create_file(&self, _: RequestContext, _: CreateFileRequest) -> CreateFileResponse {
        CreateFileResponse::Forbidden(ApiError::new("Access denied"))
    }
    async fn get_file_info(&self, _: RequestContext, _: GetFileInfoRequest) -> GetFileInfoResponse {
        GetFileInfoResponse::NotFound(ApiError::new("The required file was not found"))
    }
    async fn get_file_history(
        &self,
        _: RequestContext,
        _: GetFileHistoryRequest,
    ) -> GetFileHistoryResponse {
        GetFileHistoryResponse::Forbidden(ApiError::new("The required file was not found"))
    }
    async fn delete_file(&self, _: RequestContext, _: DeleteFileRequest) -> DeleteFileResponse {
        DeleteFileResponse::Ok(Vec::new())
    }
    async fn delete_folder(
        &self,
        _: RequestContext,
        _: DeleteFolderRequest,
    ) -> DeleteFolderResponse {
        DeleteFolderResponse::Ok(Vec::new())
    }
    async fn authenticate_me(
        &self,
        _: RequestContext,
        _: AuthenticateMeRequest,
    ) -> AuthenticateMeResponse {
        AuthenticateMeResponse::Unauthorized(ApiError::new("User authentication failed"))
    }
}

fn context(token: Option<&str>) -> RequestContext {
    RequestContext {
        dialect: &dialects::WORKSPACE,
        format: Format::Json,
        authorization: token.map(str::to_owned),
    }
}

fn move_request() -> MoveBatchItemsRequest {
    MoveBatchItemsRequest {
        body: BatchRequest {
            folder_ids: Vec::new(),
            file_ids: vec![5.into()],
            dest_folder_id: 7.into(),
            conflict_resolve_type: Some(FileConflictResolveType::Overwrite),
            delete_after: None,
            content: None,
            to_fill_out: None,
            return_single_operation: None,
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn futures_are_send_and_run_on_other_threads() {
    let api = std::sync::Arc::new(Recorder::default());
    let worker = api.clone();
    let answer = tokio::spawn(async move {
        worker
            .move_batch_items(context(Some("Bearer abc")), move_request())
            .await
    })
    .await
    .expect("task");
    assert_eq!(answer, MoveBatchItemsResponse::Ok(Vec::new()));
    assert_eq!(answer.status(), 200);
    assert_eq!(api.moves.lock().expect("lock")[0].dest_folder_id, 7.into());
    let refused = api.move_batch_items(context(None), move_request()).await;
    assert_eq!(refused.status(), 401);
}

#[test]
fn response_variants_carry_their_documented_status() {
    assert_eq!(
        CreateFolderResponse::Forbidden(ApiError::new("x")).status(),
        403
    );
    assert_eq!(
        BulkDownloadResponse::Forbidden(ApiError::new("x")).status(),
        403
    );
    assert_eq!(
        GetMyFolderResponse::NotFound(ApiError::new("x")).status(),
        404
    );
}

#[test]
fn tokens_are_read_raw_or_after_bearer() {
    assert_eq!(context(Some("abc")).token(), Some("abc"));
    assert_eq!(context(Some("Bearer abc")).token(), Some("abc"));
    assert_eq!(context(Some("bearer  abc")).token(), Some("abc"));
    assert_eq!(context(Some("Bearer ")).token(), None);
    assert_eq!(context(None).token(), None);
}

#[test]
fn the_catalogue_describes_every_operation_and_its_dialects() {
    let ids: Vec<&str> = operations::CATALOGUE.iter().map(|o| o.id).collect();
    for id in [
        "getOperationStatuses",
        "getOperationStatusesByType",
        "terminateTasks",
        "terminateAllTasks",
        "deleteBatchItems",
        "moveBatchItems",
        "copyBatchItems",
        "checkMoveOrCopyBatchItems",
        "checkMoveOrCopyDestFolder",
        "bulkDownload",
        "markAsRead",
        "emptyTrash",
        "deleteFileVersions",
        "duplicateBatchItems",
        "getMyFolder",
        "getTrashFolder",
        "getFolderByFolderId",
        "getFolderInfo",
        "getFileInfo",
        "createFolder",
        "createFile",
        "authenticateMe",
    ] {
        assert!(ids.contains(&id), "{id} is in the catalogue");
    }
    let duplicate = operations::by_id("duplicateBatchItems").expect("duplicate");
    assert_eq!(duplicate.dialects, ["docspace"]);
    // Who lists operations without a token is an open fact (reference §8): DocSpace serves
    // an empty session by default, Workspace refuses.
    let list = operations::by_id("getOperationStatuses").expect("list");
    assert_eq!(
        list.anonymous_setting,
        Some(fileops_api::runtime::AnonymousSetting::Operations)
    );
    assert!(list.lets_in_anonymous(&dialects::DOCSPACE));
    assert!(!list.lets_in_anonymous(&dialects::WORKSPACE));
    let check = operations::by_id("checkMoveOrCopyBatchItems").expect("check");
    let file_ids = check
        .params
        .iter()
        .find(|p| p.name == "fileIds")
        .expect("fileIds");
    assert!(file_ids.array_suffix);
    assert!(dialects::WORKSPACE.supports(Format::Xml));
    assert!(!dialects::DOCSPACE.supports(Format::Xml));
}
