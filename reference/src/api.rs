//! The reference implementation of the generated handler trait.
//!
//! Where upstream differs by family, the rule comes from the dialect's data
//! (`Dialect::behaviour`); where the reference notes mark a rule "code reading", that
//! reading is implemented and said so on the method.

use fileops_api::operations::*;
use fileops_api::runtime::{ApiError, EntryId, RequestContext};
use fileops_api::types::{
    AuthToken, CheckDestFolder, CheckDestFolderResult, FileConflictResolveType, FileOperation,
    FileOperationType as Kind, FolderContent,
};
use fileops_api::FileopsApi;

use crate::engine::{Job, Outcome, Owner, Work};
use crate::ops::{self, delete, download, move_copy, Source};
use crate::store::{EntryKey, Refusal, Root, Store, UserId};
use crate::{dto, Reference};

const ALL_KINDS: [Kind; 8] = [
    Kind::Duplicate,
    Kind::Move,
    Kind::Copy,
    Kind::Delete,
    Kind::Download,
    Kind::MarkAsRead,
    Kind::Import,
    Kind::Convert,
];

/// Who is calling: a known account, an anonymous caller, or a token nobody has.
enum Caller {
    User(UserId),
    Anonymous,
    Unknown,
}

impl Reference {
    fn caller(&self, context: &RequestContext) -> Caller {
        match context.token() {
            None => Caller::Anonymous,
            Some(token) => match self.store().user_by_token(token) {
                Some(user) => Caller::User(user.id),
                None => Caller::Unknown,
            },
        }
    }

    /// The owner for listings: anonymous callers see their own (empty) session.
    fn owner(&self, context: &RequestContext) -> Result<Owner, ()> {
        match self.caller(context) {
            Caller::User(id) => Ok(Some(id)),
            Caller::Anonymous => Ok(None),
            Caller::Unknown => Err(()),
        }
    }

    /// DocSpace serves bulkdownload anonymously, scoped to the caller's external-share
    /// session (reference §8): here no entry is shared, so an empty request lists the
    /// session's (no) downloads and anything else is not downloadable (§13.8, 404).
    fn anonymous_download(
        &self,
        body: &fileops_api::types::DownloadRequest,
    ) -> BulkDownloadResponse {
        let nothing = body.file_ids.is_empty()
            && body.folder_ids.is_empty()
            && body.file_convert_ids.is_empty();
        if nothing {
            return BulkDownloadResponse::Ok(self.list(None, &[Kind::Download], None));
        }
        let refusal = if body.file_ids.is_empty() && body.file_convert_ids.is_empty() {
            Refusal::FolderNotFound
        } else {
            Refusal::FileNotFound
        };
        BulkDownloadResponse::NotFound(ApiError::new(refusal.message()))
    }

    fn user(&self, context: &RequestContext) -> Option<UserId> {
        match self.caller(context) {
            Caller::User(id) => Some(id),
            _ => None,
        }
    }

    fn answer(&self, owner: Owner, tasks: Vec<crate::engine::Task>) -> Vec<FileOperation> {
        let store = self.store();
        tasks
            .iter()
            .map(|t| dto::operation(&store, t, owner))
            .collect()
    }

    fn list(&self, owner: Owner, kinds: &[Kind], single: Option<&str>) -> Vec<FileOperation> {
        let tasks = self.engine().list(owner, kinds, single);
        self.answer(owner, tasks)
    }

    /// Queues an operation and answers the way upstream does: the caller's operations of
    /// `kinds`, or only the new one with `returnSingleOperation`.
    fn queue(&self, job: Job, kinds: &[Kind], single: bool) -> Vec<FileOperation> {
        let owner = job.owner;
        let id = self.engine().start(self.store_handle(), job);
        self.list(owner, kinds, single.then_some(id.as_str()))
    }

    /// Where finished downloads are served (the other family's path under the fault).
    pub(crate) fn download_handler(&self) -> &'static str {
        let own = self.dialect().behaviour.download_handler;
        if !self.faults().download_handler_foreign {
            return own;
        }
        fileops_api::dialects::ALL
            .iter()
            .map(|d| d.behaviour.download_handler)
            .find(|h| *h != own)
            .unwrap_or(own)
    }

    fn status(&self, refusal: &Refusal) -> u16 {
        match refusal {
            Refusal::FolderNotFound | Refusal::FileNotFound => {
                self.dialect().behaviour.missing_entry_status
            }
            Refusal::Invalid(_) => 400,
            Refusal::IntoItself | Refusal::Forbidden(_) => 403,
        }
    }

    /// Sources as upstream reads id lists: numbers and numeric strings are the portal's own
    /// entries; other strings (third-party ids) exist nowhere here.
    fn ids(list: &[EntryId]) -> Vec<EntryKey> {
        list.iter().map(|id| id.as_int().unwrap_or(-1)).collect()
    }

    /// DocSpace's checks before queuing a move or copy (reference §13.6).
    fn check_move_copy(
        &self,
        user: UserId,
        dest: EntryKey,
        sources: &[Source],
    ) -> Result<(), Refusal> {
        let store = self.store();
        let faults = self.faults();
        if !faults.unknown_destination_accepted {
            store.folder(user, dest)?;
        }
        for s in sources {
            if !ops::exists(&store, user, *s) {
                return Err(if s.folder {
                    Refusal::FolderNotFound
                } else {
                    Refusal::FileNotFound
                });
            }
            if s.folder && store.is_within(dest, s.id) && !faults.subfolder_move_allowed {
                return Err(Refusal::IntoItself);
            }
        }
        Ok(())
    }

    fn check_sources(&self, user: UserId, sources: &[Source]) -> Result<(), Refusal> {
        let store = self.store();
        match sources.iter().find(|s| !ops::exists(&store, user, **s)) {
            Some(s) if s.folder => Err(Refusal::FolderNotFound),
            Some(_) => Err(Refusal::FileNotFound),
            None => Ok(()),
        }
    }

    /// A `fileops/delete` body for one file or folder route (`DELETE file/{id}`,
    /// `DELETE folder/{id}`): the same flags, the same operation.
    fn one_entry(
        folder_ids: Vec<EntryId>,
        file_ids: Vec<EntryId>,
        flags: Option<fileops_api::types::DeleteEntryRequest>,
        single: Option<bool>,
        ignore_flags: bool,
    ) -> fileops_api::types::DeleteBatchRequest {
        let flags =
            flags
                .filter(|_| !ignore_flags)
                .unwrap_or(fileops_api::types::DeleteEntryRequest {
                    delete_after: None,
                    immediately: None,
                });
        fileops_api::types::DeleteBatchRequest {
            folder_ids,
            file_ids,
            delete_after: flags.delete_after,
            immediately: flags.immediately,
            return_single_operation: single,
        }
    }

    /// Starts a delete (reference §13.7): DocSpace refuses unknown entries up front.
    fn delete(
        &self,
        user: UserId,
        body: &fileops_api::types::DeleteBatchRequest,
    ) -> Result<Vec<FileOperation>, Refusal> {
        let sources = ops::sources(&Self::ids(&body.folder_ids), &Self::ids(&body.file_ids));
        if sources.is_empty() {
            return Ok(self.list(Some(user), &[Kind::Delete], None));
        }
        if self.dialect().behaviour.validate_up_front {
            self.check_sources(user, &sources)?;
        }
        let faults = self.faults();
        let immediately = body.immediately.unwrap_or(false) || faults.delete_bypasses_trash;
        let again_to_trash = faults.trash_delete_not_permanent;
        let now = self.now();
        let weight = ops::weight(&self.store(), &sources);
        let items = sources.len();
        let work: Work = Box::new(move |store: &mut Store, i| {
            if again_to_trash && store.root_of(sources[i].id) == Root::Trash {
                return Outcome::default();
            }
            delete::item(store, user, sources[i], immediately, now)
        });
        let hold = !body.delete_after.unwrap_or(false) || faults.delete_after_ignored;
        let single = body.return_single_operation.unwrap_or(false);
        Ok(self.queue(
            Job {
                owner: Some(user),
                kind: Kind::Delete,
                hold,
                weight,
                units: items,
                work,
            },
            &[Kind::Delete],
            single,
        ))
    }

    fn move_copy(
        &self,
        user: UserId,
        body: &fileops_api::types::BatchRequest,
        copy: bool,
    ) -> Result<Vec<FileOperation>, Refusal> {
        let kind = if copy { Kind::Copy } else { Kind::Move };
        let sources = ops::sources(&Self::ids(&body.folder_ids), &Self::ids(&body.file_ids));
        let dest = body.dest_folder_id.as_int().unwrap_or(-1);
        if sources.is_empty() {
            return Ok(self.list(Some(user), &[kind], None));
        }
        if self.dialect().behaviour.validate_up_front {
            self.check_move_copy(user, dest, &sources)?;
        }
        let faults = self.faults();
        let resolve = match body
            .conflict_resolve_type
            .unwrap_or(FileConflictResolveType::Skip)
        {
            FileConflictResolveType::Skip if faults.skip_overwrites => {
                FileConflictResolveType::Overwrite
            }
            other => other,
        };
        let plan = move_copy::Plan {
            user,
            dest,
            resolve,
            overwrite_keeps_version: faults.overwrite_without_version,
            copy,
            duplicate_renames: (self.dialect().behaviour.duplicate_renames
                || faults.duplicate_renamed)
                && !faults.duplicate_keeps_title,
            reported: self.dialect().behaviour.reported_entries,
            copy_reports_source: faults.copy_reports_source,
            skip_reported: faults.skip_reported,
            now: self.now(),
        };
        let weight = ops::weight(&self.store(), &sources);
        let items = sources.len();
        let work: Work = Box::new(move |store: &mut Store, i| {
            let phase = move_copy::Phase::of(&sources, i);
            move_copy::item(store, &plan, sources[i], phase)
        });
        let hold = !body.delete_after.unwrap_or(false) || faults.delete_after_ignored;
        let single = body.return_single_operation.unwrap_or(false);
        Ok(self.queue(
            Job {
                owner: Some(user),
                kind,
                hold,
                weight,
                units: items,
                work,
            },
            &[kind],
            single,
        ))
    }

    fn listing(
        &self,
        user: UserId,
        folder: EntryKey,
        start: Option<i32>,
        count: Option<i32>,
    ) -> Result<FolderContent, Refusal> {
        let store = self.store();
        let entry = store.folder(user, folder)?;
        let trash = store.users.get(&user).map(|u| u.trash);
        if store.root_of(folder) == Root::Trash && Some(folder) != trash {
            return Err(Refusal::Forbidden(
                "You are not allowed to preview the elements in the Trash".into(),
            ));
        }
        let start = start.unwrap_or(0);
        if start < 0 || count.is_some_and(|c| c < 0) {
            return Err(Refusal::Invalid(
                "startIndex and count must not be negative".into(),
            ));
        }
        let children = store.children(folder);
        let total = children.len();
        let page: Vec<_> = children
            .into_iter()
            .skip(start as usize)
            .take(count.map_or(usize::MAX, |c| c as usize))
            .collect();
        let files: Vec<_> = page
            .iter()
            .filter(|e| !e.is_folder())
            .map(|e| dto::file(&store, e, Some(user)))
            .collect();
        let folders: Vec<_> = page
            .iter()
            .filter(|e| e.is_folder())
            .map(|e| dto::folder(&store, e, Some(user)))
            .collect();
        let current = dto::folder(&store, entry, Some(user));
        Ok(FolderContent {
            count: Some((files.len() + folders.len()) as i32),
            files,
            folders,
            new: current.new,
            current: Some(current),
            path_parts: dto::path_parts(&store, folder, self.dialect()),
            start_index: Some(start),
            total: Some(total as i32),
        })
    }
}

/// Titles as both servers store them: invalid characters replaced, cut to 170 characters.
pub fn clean_title(title: &str) -> String {
    title
        .trim()
        .chars()
        .map(|c| if "\t*+:\"<>?|\\/".contains(c) { '_' } else { c })
        .take(170)
        .collect()
}

/// The title a new file gets: the type's own extension replaces a known one, `.docx` is
/// appended otherwise (reference §13.5).
pub fn new_file_title(title: &str) -> String {
    let internal = |ext: &str| match dto::file_type(&format!("x.{ext}")) {
        fileops_api::types::FileType::Document => Some(".docx"),
        fileops_api::types::FileType::Spreadsheet => Some(".xlsx"),
        fileops_api::types::FileType::Presentation => Some(".pptx"),
        fileops_api::types::FileType::Pdf => Some(".pdf"),
        _ => None,
    };
    match title.rsplit_once('.') {
        Some((_, "docxf")) => title.to_owned(),
        Some((stem, ext)) => match internal(&ext.to_ascii_lowercase()) {
            Some(own) => format!("{stem}{own}"),
            None => format!("{title}.docx"),
        },
        None => format!("{title}.docx"),
    }
}

/// The blank content of a new document (its size is what `pureContentLength` shows).
fn blank(title: &str) -> Vec<u8> {
    format!("fileops reference blank document: {title}").into_bytes()
}

impl FileopsApi for Reference {
    async fn get_operation_statuses(
        &self,
        context: RequestContext,
        request: GetOperationStatusesRequest,
    ) -> GetOperationStatusesResponse {
        match self.owner(&context) {
            Ok(owner) => GetOperationStatusesResponse::Ok(self.list(
                owner,
                &ALL_KINDS,
                request.id.as_deref(),
            )),
            Err(()) => GetOperationStatusesResponse::Unauthorized,
        }
    }

    /// Import and Convert have no queue: refused with 400, as DocSpace's
    /// `ArgumentOutOfRangeException` is (code reading; a live server may answer `[]`).
    async fn get_operation_statuses_by_type(
        &self,
        context: RequestContext,
        request: GetOperationStatusesByTypeRequest,
    ) -> GetOperationStatusesByTypeResponse {
        let Ok(owner) = self.owner(&context) else {
            return GetOperationStatusesByTypeResponse::Unauthorized;
        };
        let kinds: &[Kind] = match request.operation_type {
            Kind::Move | Kind::Copy => &[Kind::Move, Kind::Copy],
            Kind::Import | Kind::Convert => {
                return GetOperationStatusesByTypeResponse::BadRequest(ApiError::new(
                    "Specified argument was out of the range of valid values. (Parameter 'operationType')",
                ))
            }
            other => std::slice::from_ref(ALL_KINDS.iter().find(|k| **k == other).unwrap_or(&Kind::Move)),
        };
        GetOperationStatusesByTypeResponse::Ok(self.list(owner, kinds, request.id.as_deref()))
    }

    async fn terminate_all_tasks(
        &self,
        context: RequestContext,
        _: TerminateAllTasksRequest,
    ) -> TerminateAllTasksResponse {
        match self.owner(&context) {
            Ok(owner) => {
                let tasks = self.engine().terminate(owner, None, &ALL_KINDS);
                TerminateAllTasksResponse::Ok(self.answer(owner, tasks))
            }
            Err(()) => TerminateAllTasksResponse::Unauthorized,
        }
    }

    async fn terminate_tasks(
        &self,
        context: RequestContext,
        request: TerminateTasksRequest,
    ) -> TerminateTasksResponse {
        match self.owner(&context) {
            Ok(owner) => {
                let tasks = self
                    .engine()
                    .terminate(owner, Some(&request.id), &ALL_KINDS);
                TerminateTasksResponse::Ok(self.answer(owner, tasks))
            }
            Err(()) => TerminateTasksResponse::Unauthorized,
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
        match self.delete(user, &request.body) {
            Ok(list) => DeleteBatchItemsResponse::Ok(list),
            Err(refusal) => match self.status(&refusal) {
                404 => DeleteBatchItemsResponse::NotFound(ApiError::new(refusal.message())),
                _ => DeleteBatchItemsResponse::Forbidden(ApiError::new(refusal.message())),
            },
        }
    }

    async fn delete_file(
        &self,
        context: RequestContext,
        request: DeleteFileRequest,
    ) -> DeleteFileResponse {
        let Some(user) = self.user(&context) else {
            return DeleteFileResponse::Unauthorized;
        };
        let body = Self::one_entry(
            Vec::new(),
            vec![request.file_id],
            request.body,
            request.return_single_operation,
            self.faults().delete_routes_ignore_flags,
        );
        match self.delete(user, &body) {
            Ok(list) => DeleteFileResponse::Ok(list),
            Err(refusal) => match self.status(&refusal) {
                404 => DeleteFileResponse::NotFound(ApiError::new(refusal.message())),
                _ => DeleteFileResponse::Forbidden(ApiError::new(refusal.message())),
            },
        }
    }

    async fn delete_folder(
        &self,
        context: RequestContext,
        request: DeleteFolderRequest,
    ) -> DeleteFolderResponse {
        let Some(user) = self.user(&context) else {
            return DeleteFolderResponse::Unauthorized;
        };
        let body = Self::one_entry(
            vec![request.folder_id],
            Vec::new(),
            request.body,
            None,
            self.faults().delete_routes_ignore_flags,
        );
        match self.delete(user, &body) {
            Ok(list) => DeleteFolderResponse::Ok(list),
            Err(refusal) => match self.status(&refusal) {
                404 => DeleteFolderResponse::NotFound(ApiError::new(refusal.message())),
                _ => DeleteFolderResponse::Forbidden(ApiError::new(refusal.message())),
            },
        }
    }

    async fn move_batch_items(
        &self,
        context: RequestContext,
        request: MoveBatchItemsRequest,
    ) -> MoveBatchItemsResponse {
        let Some(user) = self.user(&context) else {
            return MoveBatchItemsResponse::Unauthorized;
        };
        match self.move_copy(user, &request.body, false) {
            Ok(list) => MoveBatchItemsResponse::Ok(list),
            Err(refusal) => match self.status(&refusal) {
                404 => MoveBatchItemsResponse::NotFound(ApiError::new(refusal.message())),
                _ => MoveBatchItemsResponse::Forbidden(ApiError::new(refusal.message())),
            },
        }
    }

    async fn copy_batch_items(
        &self,
        context: RequestContext,
        request: CopyBatchItemsRequest,
    ) -> CopyBatchItemsResponse {
        let Some(user) = self.user(&context) else {
            return CopyBatchItemsResponse::Unauthorized;
        };
        match self.move_copy(user, &request.body, true) {
            Ok(list) => CopyBatchItemsResponse::Ok(list),
            Err(refusal) => match self.status(&refusal) {
                404 => CopyBatchItemsResponse::NotFound(ApiError::new(refusal.message())),
                _ => CopyBatchItemsResponse::Forbidden(ApiError::new(refusal.message())),
            },
        }
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
        let sources = ops::sources(
            &Self::ids(&request.folder_ids),
            &Self::ids(&request.file_ids),
        );
        let dest = request.dest_folder_id.as_int().unwrap_or(-1);
        let store = self.store();
        if let Err(refusal) = store.folder(user, dest) {
            return CheckMoveOrCopyBatchItemsResponse::Forbidden(ApiError::new(refusal.message()));
        }
        let include_folders = self.dialect().behaviour.conflicts_include_folders;
        let clashes = move_copy::conflicts(&store, user, dest, &sources, include_folders);
        let entries = clashes
            .iter()
            .filter_map(|id| store.entries.get(id))
            .map(|e| dto::entry(&store, e, Some(user)))
            .collect();
        CheckMoveOrCopyBatchItemsResponse::Ok(entries)
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
        let requested = Self::ids(&request.file_ids);
        let dest = request.dest_folder_id.as_int().unwrap_or(-1);
        let store = self.store();
        if let Err(refusal) = store.folder(user, dest) {
            return CheckMoveOrCopyDestFolderResponse::Forbidden(ApiError::new(refusal.message()));
        }
        let mut seen = std::collections::BTreeSet::new();
        let allowed: Vec<_> = requested
            .iter()
            .filter_map(|id| store.file(user, *id).ok())
            .filter(|file| seen.insert(file.id))
            .collect();
        let result = match (requested.len() - allowed.len(), allowed.len()) {
            (0, _) => CheckDestFolderResult::AllAllowed,
            (_, 0) => CheckDestFolderResult::NoneAllowed,
            _ => CheckDestFolderResult::PartAllowed,
        };
        let files = allowed
            .into_iter()
            .map(|e| dto::entry(&store, e, Some(user)))
            .collect();
        CheckMoveOrCopyDestFolderResponse::Ok(CheckDestFolder { result, files })
    }

    async fn bulk_download(
        &self,
        context: RequestContext,
        request: BulkDownloadRequest,
    ) -> BulkDownloadResponse {
        let owner = match self.caller(&context) {
            Caller::User(id) => id,
            Caller::Anonymous => return self.anonymous_download(&request.body),
            Caller::Unknown => return BulkDownloadResponse::Unauthorized,
        };
        let body = request.body;
        if self.engine().has_running_download(Some(owner)) && !self.faults().downloads_concurrent {
            return BulkDownloadResponse::Forbidden(ApiError::new("Too many downloads."));
        }
        let converted: Vec<EntryId> = body
            .file_convert_ids
            .iter()
            .map(|item| item.key.clone())
            .collect();
        let mut file_ids = Self::ids(&body.file_ids);
        file_ids.extend(Self::ids(&converted));
        let sources = ops::sources(&Self::ids(&body.folder_ids), &file_ids);
        if sources.is_empty() {
            if self.dialect().behaviour.validate_up_front {
                return BulkDownloadResponse::Ok(self.list(Some(owner), &[Kind::Download], None));
            }
            return BulkDownloadResponse::Forbidden(ApiError::new("Bad request."));
        }
        if self.dialect().behaviour.validate_up_front
            && !sources
                .iter()
                .any(|s| ops::exists(&self.store(), owner, *s))
        {
            let message = if sources.iter().any(|s| !s.folder) {
                Refusal::FileNotFound
            } else {
                Refusal::FolderNotFound
            };
            return BulkDownloadResponse::NotFound(ApiError::new(message.message()));
        }
        let always_archive = self.dialect().behaviour.single_file_download_is_archive;
        let now = self.now();
        let downloads = self.downloads();
        let base = self.base_url();
        let handler = self.download_handler();
        // One unit per entry read, the last one also packs: progress moves in steps.
        let units = ops::weight(&self.store(), &sources).max(1) as usize;
        let work: Work = Box::new(move |store: &mut Store, unit| {
            let mut outcome = Outcome {
                processed: 1,
                ..Outcome::default()
            };
            if unit + 1 < units {
                return outcome;
            }
            match download::pack(store, owner, &sources, always_archive, now) {
                Some(package) => {
                    let token = uuid::Uuid::new_v4().simple().to_string();
                    let name = percent_encoding::utf8_percent_encode(
                        &package.name,
                        percent_encoding::NON_ALPHANUMERIC,
                    );
                    outcome.url = Some(format!(
                        "{base}{handler}?action=bulk&filename={name}&key={token}"
                    ));
                    downloads
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(token, package);
                }
                None => {
                    let missing = if sources.iter().any(|s| !s.folder) {
                        Refusal::FileNotFound
                    } else {
                        Refusal::FolderNotFound
                    };
                    outcome.error = Some(missing.message());
                }
            }
            outcome
        });
        let single = body.return_single_operation.unwrap_or(false);
        BulkDownloadResponse::Ok(self.queue(
            Job {
                owner: Some(owner),
                kind: Kind::Download,
                hold: true,
                weight: units as i64,
                units,
                work,
            },
            &[Kind::Download],
            single,
        ))
    }

    async fn mark_as_read(
        &self,
        context: RequestContext,
        request: MarkAsReadRequest,
    ) -> MarkAsReadResponse {
        let Some(user) = self.user(&context) else {
            return MarkAsReadResponse::Unauthorized;
        };
        let body = request.body;
        let sources = ops::sources(&Self::ids(&body.folder_ids), &Self::ids(&body.file_ids));
        if sources.is_empty() {
            return MarkAsReadResponse::Ok(self.list(Some(user), &[Kind::MarkAsRead], None));
        }
        let items = sources.len();
        let work: Work = Box::new(move |store: &mut Store, i| {
            let source = sources[i];
            let mut outcome = Outcome {
                processed: 1,
                ..Outcome::default()
            };
            if ops::exists(store, user, source) {
                if let Some(e) = store.entries.get_mut(&source.id) {
                    e.new_for.remove(&user);
                }
                if source.folder {
                    outcome.folders.push(source.id);
                } else {
                    outcome.files.push(source.id);
                }
            }
            outcome
        });
        let single = body.return_single_operation.unwrap_or(false);
        MarkAsReadResponse::Ok(self.queue(
            Job {
                owner: Some(user),
                kind: Kind::MarkAsRead,
                hold: true,
                weight: items as i64,
                units: items,
                work,
            },
            &[Kind::MarkAsRead],
            single,
        ))
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
        let sources = delete::trash_contents(&self.store(), user);
        if sources.is_empty() && !self.dialect().behaviour.empty_trash_always_queues {
            return EmptyTrashResponse::Ok(self.list(Some(user), &[Kind::Delete], None));
        }
        let now = self.now();
        let weight = ops::weight(&self.store(), &sources);
        let items = sources.len();
        let noop = self.faults().empty_trash_noop;
        let work: Work = Box::new(move |store: &mut Store, i| {
            if noop {
                return Outcome::default();
            }
            delete::item(store, user, sources[i], true, now)
        });
        EmptyTrashResponse::Ok(self.queue(
            Job {
                owner: Some(user),
                kind: Kind::Delete,
                hold: true,
                weight,
                units: items,
                work,
            },
            &[Kind::Delete],
            false,
        ))
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
        let body = request.body;
        let file = i64::from(body.file_id);
        {
            let store = self.store();
            let entry = match store.file(user, file) {
                Ok(entry) => entry,
                Err(refusal) => {
                    return DeleteFileVersionsResponse::NotFound(ApiError::new(refusal.message()))
                }
            };
            if store.root_of(file) == Root::Trash {
                return DeleteFileVersionsResponse::Forbidden(ApiError::new("Access denied"));
            }
            if entry
                .current()
                .is_some_and(|v| body.versions.contains(&v.number))
                && !self.faults().current_version_deletable
            {
                return DeleteFileVersionsResponse::Forbidden(ApiError::new("Access denied"));
            }
        }
        let versions = if self.faults().version_deletion_noop && !body.versions.is_empty() {
            vec![i32::MIN]
        } else {
            body.versions.clone()
        };
        let work: Work =
            Box::new(move |store: &mut Store, _| delete::versions(store, file, &versions));
        let hold = !body.delete_after.unwrap_or(false);
        let single = body.return_single_operation.unwrap_or(false);
        let weight = body.versions.len().max(1) as i64;
        DeleteFileVersionsResponse::Ok(self.queue(
            Job {
                owner: Some(user),
                kind: Kind::Delete,
                hold,
                weight,
                units: 1,
                work,
            },
            &[Kind::Delete],
            single,
        ))
    }

    async fn duplicate_batch_items(
        &self,
        context: RequestContext,
        request: DuplicateBatchItemsRequest,
    ) -> DuplicateBatchItemsResponse {
        let Some(user) = self.user(&context) else {
            return DuplicateBatchItemsResponse::Unauthorized;
        };
        let body = request.body;
        let sources = ops::sources(&Self::ids(&body.folder_ids), &Self::ids(&body.file_ids));
        if sources.is_empty() {
            return DuplicateBatchItemsResponse::Ok(self.list(
                Some(user),
                &[Kind::Duplicate],
                None,
            ));
        }
        if let Err(refusal) = self.check_sources(user, &sources) {
            return DuplicateBatchItemsResponse::Forbidden(ApiError::new(refusal.message()));
        }
        let now = self.now();
        let weight = ops::weight(&self.store(), &sources);
        let items = sources.len();
        let (reported, faults) = (self.dialect().behaviour.reported_entries, self.faults());
        let work: Work = Box::new(move |store: &mut Store, i| {
            let source = sources[i];
            let Some(parent) = store.entries.get(&source.id).and_then(|e| e.parent) else {
                return Outcome::default();
            };
            let plan = move_copy::Plan {
                user,
                dest: parent,
                resolve: FileConflictResolveType::Duplicate,
                overwrite_keeps_version: false,
                copy: true,
                duplicate_renames: true,
                reported,
                copy_reports_source: faults.copy_reports_source,
                skip_reported: faults.skip_reported,
                now,
            };
            move_copy::item(store, &plan, source, move_copy::Phase::of(&sources, i))
        });
        let single = body.return_single_operation.unwrap_or(false);
        DuplicateBatchItemsResponse::Ok(self.queue(
            Job {
                owner: Some(user),
                kind: Kind::Duplicate,
                hold: true,
                weight,
                units: items,
                work,
            },
            &[Kind::Duplicate],
            single,
        ))
    }

    async fn get_my_folder(
        &self,
        context: RequestContext,
        request: GetMyFolderRequest,
    ) -> GetMyFolderResponse {
        let Some(user) = self.user(&context) else {
            return GetMyFolderResponse::Unauthorized;
        };
        let my = self.store().users[&user].my;
        match self.listing(user, my, request.start_index, request.count) {
            Ok(content) => GetMyFolderResponse::Ok(content),
            Err(Refusal::Invalid(m)) => GetMyFolderResponse::BadRequest(ApiError::new(m)),
            Err(refusal) => GetMyFolderResponse::NotFound(ApiError::new(refusal.message())),
        }
    }

    async fn get_trash_folder(
        &self,
        context: RequestContext,
        request: GetTrashFolderRequest,
    ) -> GetTrashFolderResponse {
        let Some(user) = self.user(&context) else {
            return GetTrashFolderResponse::Unauthorized;
        };
        let trash = self.store().users[&user].trash;
        match self.listing(user, trash, request.start_index, request.count) {
            Ok(content) => GetTrashFolderResponse::Ok(content),
            Err(Refusal::Invalid(m)) => GetTrashFolderResponse::BadRequest(ApiError::new(m)),
            Err(refusal) => GetTrashFolderResponse::NotFound(ApiError::new(refusal.message())),
        }
    }

    async fn get_folder_by_folder_id(
        &self,
        context: RequestContext,
        request: GetFolderByFolderIdRequest,
    ) -> GetFolderByFolderIdResponse {
        let Some(user) = self.user(&context) else {
            return GetFolderByFolderIdResponse::Unauthorized;
        };
        let folder = request.folder_id.as_int().unwrap_or(-1);
        match self.listing(user, folder, request.start_index, request.count) {
            Ok(content) => GetFolderByFolderIdResponse::Ok(content),
            Err(refusal) => {
                let error = ApiError::new(refusal.message());
                match self.status(&refusal) {
                    400 => GetFolderByFolderIdResponse::BadRequest(error),
                    404 => GetFolderByFolderIdResponse::NotFound(error),
                    _ => GetFolderByFolderIdResponse::Forbidden(error),
                }
            }
        }
    }

    async fn get_folder_info(
        &self,
        context: RequestContext,
        request: GetFolderInfoRequest,
    ) -> GetFolderInfoResponse {
        let Some(user) = self.user(&context) else {
            return GetFolderInfoResponse::Unauthorized;
        };
        let store = self.store();
        match store.folder(user, request.folder_id.as_int().unwrap_or(-1)) {
            Ok(entry) => GetFolderInfoResponse::Ok(dto::folder(&store, entry, Some(user))),
            Err(refusal) => match self.status(&refusal) {
                404 => GetFolderInfoResponse::NotFound(ApiError::new(refusal.message())),
                _ => GetFolderInfoResponse::Forbidden(ApiError::new(refusal.message())),
            },
        }
    }

    async fn create_folder(
        &self,
        context: RequestContext,
        request: CreateFolderRequest,
    ) -> CreateFolderResponse {
        let Some(user) = self.user(&context) else {
            return CreateFolderResponse::Unauthorized;
        };
        let title = clean_title(&request.body.title);
        if title.is_empty() || request.body.title.chars().count() > 165 {
            return CreateFolderResponse::BadRequest(ApiError::new(
                "The title must not be empty or longer than 165 characters (Parameter 'title')",
            ));
        }
        let parent = request.folder_id.as_int().unwrap_or(-1);
        let now = self.now();
        let mut store = self.store();
        match store.create_folder(user, parent, &title, now) {
            Ok(id) => {
                let folder = dto::folder(&store, &store.entries[&id], Some(user));
                match self.dialect().post_status {
                    201 => CreateFolderResponse::Created(folder),
                    _ => CreateFolderResponse::Ok(folder),
                }
            }
            Err(refusal) => CreateFolderResponse::Forbidden(ApiError::new(refusal.message())),
        }
    }

    async fn create_file(
        &self,
        context: RequestContext,
        request: CreateFileRequest,
    ) -> CreateFileResponse {
        let Some(user) = self.user(&context) else {
            return CreateFileResponse::Unauthorized;
        };
        let body = request.body;
        let raw = clean_title(&body.title);
        if raw.is_empty() || body.title.chars().count() > 165 {
            return CreateFileResponse::BadRequest(ApiError::new(
                "The title must not be empty or longer than 165 characters (Parameter 'title')",
            ));
        }
        let title = if body.enable_external_ext.unwrap_or(false) {
            raw
        } else {
            new_file_title(&raw)
        };
        let parent = request.folder_id.as_int().unwrap_or(-1);
        let now = self.now();
        let mut store = self.store();
        if store.folder(user, parent).is_err() || store.root_of(parent) == Root::Trash {
            return CreateFileResponse::Forbidden(ApiError::new("Access denied"));
        }
        let content = match body.template_id.as_ref().map(|t| t.as_int().unwrap_or(-1)) {
            Some(template) => match store.file(user, template) {
                Ok(entry) => entry
                    .current()
                    .map(|v| v.content.clone())
                    .unwrap_or_default(),
                Err(refusal) => {
                    return CreateFileResponse::Forbidden(ApiError::new(refusal.message()))
                }
            },
            None => blank(&title),
        };
        match store.create_file(user, parent, &title, content, "Created", now) {
            Ok(id) => {
                let file = dto::file(&store, &store.entries[&id], Some(user));
                match self.dialect().post_status {
                    201 => CreateFileResponse::Created(file),
                    _ => CreateFileResponse::Ok(file),
                }
            }
            Err(refusal) => CreateFileResponse::Forbidden(ApiError::new(refusal.message())),
        }
    }

    async fn get_file_info(
        &self,
        context: RequestContext,
        request: GetFileInfoRequest,
    ) -> GetFileInfoResponse {
        let Some(user) = self.user(&context) else {
            return GetFileInfoResponse::Unauthorized;
        };
        let store = self.store();
        let found = store
            .file(user, request.file_id.as_int().unwrap_or(-1))
            .and_then(|entry| match request.version {
                None => Ok((entry, entry.current())),
                Some(number) => entry
                    .version(number)
                    .map(|v| (entry, Some(v)))
                    .ok_or(Refusal::FileNotFound),
            });
        match found {
            Ok((entry, version)) => {
                GetFileInfoResponse::Ok(dto::file_at(&store, entry, version, Some(user)))
            }
            Err(refusal) => match self.status(&refusal) {
                404 => GetFileInfoResponse::NotFound(ApiError::new(refusal.message())),
                _ => GetFileInfoResponse::Forbidden(ApiError::new(refusal.message())),
            },
        }
    }

    /// DocSpace's version list (reference §13.3): one file description per stored version,
    /// newest first; an unknown file is refused with 403 (live).
    async fn get_file_history(
        &self,
        context: RequestContext,
        request: GetFileHistoryRequest,
    ) -> GetFileHistoryResponse {
        let Some(user) = self.user(&context) else {
            return GetFileHistoryResponse::Unauthorized;
        };
        let store = self.store();
        match store.file(user, request.file_id.as_int().unwrap_or(-1)) {
            Ok(entry) => GetFileHistoryResponse::Ok(
                entry
                    .versions()
                    .iter()
                    .rev()
                    .map(|v| dto::file_at(&store, entry, Some(v), Some(user)))
                    .collect(),
            ),
            Err(refusal) => GetFileHistoryResponse::Forbidden(ApiError::new(refusal.message())),
        }
    }

    /// The password of a reference user is its token.
    async fn authenticate_me(
        &self,
        _: RequestContext,
        request: AuthenticateMeRequest,
    ) -> AuthenticateMeResponse {
        let body = request.body;
        let found = {
            let store = self.store();
            store
                .users
                .values()
                .find(|u| u.name.eq_ignore_ascii_case(&body.user_name) && u.token == body.password)
                .map(|u| u.token.clone())
        };
        let Some(token) = found else {
            let error = ApiError::new("User authentication failed");
            return match self.dialect().behaviour.bad_credentials_status {
                401 => AuthenticateMeResponse::Unauthorized(error),
                _ => AuthenticateMeResponse::InternalServerError(error),
            };
        };
        let answer = AuthToken {
            token: Some(token),
            expires: Some(crate::clock::api_date(self.now() + 24 * 3600 * 1000).to_string()),
            sms: None,
            tfa: None,
        };
        match self.dialect().post_status {
            201 => AuthenticateMeResponse::Created(answer),
            _ => AuthenticateMeResponse::Ok(answer),
        }
    }
}
