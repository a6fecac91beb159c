//! The reference implementation of the generated handler trait.
//!
//! Where upstream differs by family, the rule comes from the dialect's data
//! (`Dialect::behaviour`); where the reference notes mark a rule "code reading", that
//! reading is implemented and said so on the method.

mod answers;
mod entries;
mod ids;
mod operations;
#[cfg(test)]
mod tests;

pub use entries::{clean_title, new_file_title};

use fileops_api::operations::*;
use fileops_api::runtime::RequestContext;
use fileops_api::FileopsApi;

use crate::store::Refusal;
use crate::Reference;
use fileops_api::runtime::AnonymousSetting;

// Each handler answers an unknown token itself and hands a known caller to its area's
// method (entries, operations), so the routes read as one list.
impl FileopsApi for Reference {
    async fn get_operation_statuses(
        &self,
        context: RequestContext,
        request: GetOperationStatusesRequest,
    ) -> GetOperationStatusesResponse {
        match self.session(&context) {
            Ok(owner) => self.operation_statuses(owner, request),
            Err(answer) => answer,
        }
    }

    /// Import and Convert have no queue: refused with 400, as DocSpace's
    /// `ArgumentOutOfRangeException` is (code reading; a live server may answer `[]`).
    async fn get_operation_statuses_by_type(
        &self,
        context: RequestContext,
        request: GetOperationStatusesByTypeRequest,
    ) -> GetOperationStatusesByTypeResponse {
        match self.session(&context) {
            Ok(owner) => self.operation_statuses_by_type(owner, request),
            Err(answer) => answer,
        }
    }

    async fn terminate_all_tasks(
        &self,
        context: RequestContext,
        _: TerminateAllTasksRequest,
    ) -> TerminateAllTasksResponse {
        match self.session(&context) {
            Ok(owner) => self.terminate_all(owner),
            Err(answer) => answer,
        }
    }

    async fn terminate_tasks(
        &self,
        context: RequestContext,
        request: TerminateTasksRequest,
    ) -> TerminateTasksResponse {
        match self.session(&context) {
            Ok(owner) => self.terminate_by_id(owner, request),
            Err(answer) => answer,
        }
    }

    async fn delete_batch_items(
        &self,
        context: RequestContext,
        request: DeleteBatchItemsRequest,
    ) -> DeleteBatchItemsResponse {
        let Some(user) = self.user(&context) else {
            return DeleteBatchItemsResponse::Unauthorized;
        };
        self.delete_batch(user, request)
    }

    async fn delete_file(
        &self,
        context: RequestContext,
        request: DeleteFileRequest,
    ) -> DeleteFileResponse {
        let Some(user) = self.user(&context) else {
            return DeleteFileResponse::Unauthorized;
        };
        self.delete_one_file(user, request)
    }

    async fn delete_folder(
        &self,
        context: RequestContext,
        request: DeleteFolderRequest,
    ) -> DeleteFolderResponse {
        let Some(user) = self.user(&context) else {
            return DeleteFolderResponse::Unauthorized;
        };
        self.delete_one_folder(user, request)
    }

    async fn move_batch_items(
        &self,
        context: RequestContext,
        request: MoveBatchItemsRequest,
    ) -> MoveBatchItemsResponse {
        let Some(user) = self.user(&context) else {
            return MoveBatchItemsResponse::Unauthorized;
        };
        self.move_batch(user, request)
    }

    async fn copy_batch_items(
        &self,
        context: RequestContext,
        request: CopyBatchItemsRequest,
    ) -> CopyBatchItemsResponse {
        let Some(user) = self.user(&context) else {
            return CopyBatchItemsResponse::Unauthorized;
        };
        self.copy_batch(user, request)
    }

    /// Nothing moves. Lists the requested sources that clash at the destination, read-filtered,
    /// with their own `folderId`/`parentId` (reference §1a, §1b; `move_copy::conflicts`); a
    /// missing destination is refused.
    async fn check_move_or_copy_batch_items(
        &self,
        context: RequestContext,
        request: CheckMoveOrCopyBatchItemsRequest,
    ) -> CheckMoveOrCopyBatchItemsResponse {
        let Some(user) = self.user(&context) else {
            return CheckMoveOrCopyBatchItemsResponse::Unauthorized;
        };
        self.move_copy_conflicts(user, request)
    }

    /// DocSpace's destination check (reference §2b): no name-clash check, and outside a
    /// FillingFormsRoom (the reference has no rooms) every requested id passes. `files` is the
    /// passed ids loaded as files, so missing and unreadable ids drop out and a repeated id is
    /// read once; the verdict compares that count with the number of ids requested.
    async fn check_move_or_copy_dest_folder(
        &self,
        context: RequestContext,
        request: CheckMoveOrCopyDestFolderRequest,
    ) -> CheckMoveOrCopyDestFolderResponse {
        let Some(user) = self.user(&context) else {
            return CheckMoveOrCopyDestFolderResponse::Unauthorized;
        };
        self.check_dest_folder(user, request)
    }

    async fn bulk_download(
        &self,
        context: RequestContext,
        request: BulkDownloadRequest,
    ) -> BulkDownloadResponse {
        match self.session(&context) {
            Ok(Some(owner)) => self.start_download(owner, request.body),
            Ok(None) => self.anonymous_download(&request.body),
            Err(answer) => answer,
        }
    }

    async fn mark_as_read(
        &self,
        context: RequestContext,
        request: MarkAsReadRequest,
    ) -> MarkAsReadResponse {
        let Some(user) = self.user(&context) else {
            return MarkAsReadResponse::Unauthorized;
        };
        self.mark_read(user, request)
    }

    /// Empties the caller's Trash for good. DocSpace queues nothing when it is already empty;
    /// Workspace queues an empty operation anyway (code reading).
    async fn empty_trash(
        &self,
        context: RequestContext,
        _: EmptyTrashRequest,
    ) -> EmptyTrashResponse {
        let Some(user) = self.user(&context) else {
            return EmptyTrashResponse::Unauthorized;
        };
        self.empty_trash_of(user)
    }

    /// An empty version list deletes the whole file for good (code reading).
    async fn delete_file_versions(
        &self,
        context: RequestContext,
        request: DeleteFileVersionsRequest,
    ) -> DeleteFileVersionsResponse {
        let Some(user) = self.user(&context) else {
            return DeleteFileVersionsResponse::Unauthorized;
        };
        self.delete_versions(user, request)
    }

    async fn duplicate_batch_items(
        &self,
        context: RequestContext,
        request: DuplicateBatchItemsRequest,
    ) -> DuplicateBatchItemsResponse {
        let Some(user) = self.user(&context) else {
            return DuplicateBatchItemsResponse::Unauthorized;
        };
        self.duplicate(user, request)
    }

    async fn get_my_folder(
        &self,
        context: RequestContext,
        request: GetMyFolderRequest,
    ) -> GetMyFolderResponse {
        let Some(user) = self.user(&context) else {
            return GetMyFolderResponse::Unauthorized;
        };
        self.my_folder(user, request)
    }

    async fn get_trash_folder(
        &self,
        context: RequestContext,
        request: GetTrashFolderRequest,
    ) -> GetTrashFolderResponse {
        let Some(user) = self.user(&context) else {
            return GetTrashFolderResponse::Unauthorized;
        };
        self.trash_folder(user, request)
    }

    async fn get_folder_by_folder_id(
        &self,
        context: RequestContext,
        request: GetFolderByFolderIdRequest,
    ) -> GetFolderByFolderIdResponse {
        let user = match self.reader(
            &context,
            AnonymousSetting::FolderListing,
            Refusal::FolderNotFound,
        ) {
            Ok(user) => user,
            Err(answer) => return answer,
        };
        self.folder_content(user, request)
    }

    async fn get_folder_info(
        &self,
        context: RequestContext,
        request: GetFolderInfoRequest,
    ) -> GetFolderInfoResponse {
        let user = match self.reader(
            &context,
            AnonymousSetting::FolderInfo,
            Refusal::FolderNotFound,
        ) {
            Ok(user) => user,
            Err(answer) => return answer,
        };
        self.folder_info(user, request)
    }

    async fn create_folder(
        &self,
        context: RequestContext,
        request: CreateFolderRequest,
    ) -> CreateFolderResponse {
        let Some(user) = self.user(&context) else {
            return CreateFolderResponse::Unauthorized;
        };
        self.new_folder(user, request)
    }

    async fn create_file(
        &self,
        context: RequestContext,
        request: CreateFileRequest,
    ) -> CreateFileResponse {
        let Some(user) = self.user(&context) else {
            return CreateFileResponse::Unauthorized;
        };
        self.new_file(user, request)
    }

    async fn get_file_info(
        &self,
        context: RequestContext,
        request: GetFileInfoRequest,
    ) -> GetFileInfoResponse {
        let user = match self.reader(&context, AnonymousSetting::FileReads, Refusal::FileNotFound) {
            Ok(user) => user,
            Err(answer) => return answer,
        };
        self.file_info(user, request)
    }

    /// DocSpace's version list (reference §13.3): one file description per stored version,
    /// newest first; an unknown file is refused with 403 (live).
    async fn get_file_history(
        &self,
        context: RequestContext,
        request: GetFileHistoryRequest,
    ) -> GetFileHistoryResponse {
        let user = match self.reader(&context, AnonymousSetting::FileReads, Refusal::FileNotFound) {
            Ok(user) => user,
            Err(answer) => return answer,
        };
        self.file_history(user, request)
    }

    /// The password of a reference user is its token.
    async fn authenticate_me(
        &self,
        _: RequestContext,
        request: AuthenticateMeRequest,
    ) -> AuthenticateMeResponse {
        self.authenticate(request)
    }
}
