//! The reference implementation of the generated handler trait.
//!
//! Where upstream differs by family, the rule comes from the dialect's data
//! (`Dialect::behaviour`); where the reference notes mark a rule "code reading", that
//! reading is implemented and said so on the method.

use fileops_api::operations::*;
use fileops_api::runtime::{ApiError, EntryId, ErrorAnswer, RequestContext};
use fileops_api::types::{
    AuthToken, CheckDestFolder, CheckDestFolderResult, FileConflictResolveType, FileOperation,
    FileOperationType as Kind, FolderContent,
};
use fileops_api::FileopsApi;
use std::collections::VecDeque;

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

/// An id from a request, as upstream reads it (reference §2a, §2c, §6): a number or a
/// numeric string names one of the portal's own entries; any other string is a third-party
/// id, and with no third-party storage connected here it matches nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// One of the portal's own entries.
    Portal(EntryKey),
    /// A third-party id: nothing here has it.
    Foreign,
}

impl Key {
    fn of(id: &EntryId) -> Self {
        id.as_int().map_or(Key::Foreign, Key::Portal)
    }

    /// The portal's entry, or `missing`: what a lookup that finds nothing refuses with.
    fn or(self, missing: Refusal) -> Result<EntryKey, Refusal> {
        match self {
            Key::Portal(id) => Ok(id),
            Key::Foreign => Err(missing),
        }
    }

    /// The folder a request names; a third-party id is refused as an unknown folder is.
    fn folder(id: &EntryId) -> Result<EntryKey, Refusal> {
        Self::of(id).or(Refusal::FolderNotFound)
    }

    /// The file a request names; a third-party id is refused as an unknown file is.
    fn file(id: &EntryId) -> Result<EntryKey, Refusal> {
        Self::of(id).or(Refusal::FileNotFound)
    }
}

/// One entry a request names, and whether it names it as a folder.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: Key,
    folder: bool,
}

impl Slot {
    /// The entry as an `ops` source; `None` for a third-party id, which the `ops` code (keyed
    /// by the portal's own ids) never sees.
    fn source(self) -> Option<Source> {
        match self.key {
            Key::Portal(id) => Some(Source {
                id,
                folder: self.folder,
            }),
            Key::Foreign => None,
        }
    }

    fn exists(self, store: &Store, user: UserId) -> bool {
        self.source().is_some_and(|s| ops::exists(store, user, s))
    }

    /// What upstream refuses with, or reports, when this entry is not there.
    fn missing(self) -> Refusal {
        if self.folder {
            Refusal::FolderNotFound
        } else {
            Refusal::FileNotFound
        }
    }

    /// A third-party id's step in an operation: the lookup finds nothing and says so, as
    /// for any unknown entry (reference §13.6, §13.7).
    fn not_found(self) -> Outcome {
        Outcome {
            error: Some(self.missing().message()),
            ..Outcome::default()
        }
    }
}

/// The entries a request names in upstream's order (folders first, then files), third-party
/// ids kept in their place, so that what they cause (a refusal up front, an error in the
/// operation) comes where it comes for any unknown entry.
struct Named(Vec<Slot>);

impl Named {
    fn of(folders: &[EntryId], files: &[EntryId]) -> Self {
        let slot = |folder| {
            move |id: &EntryId| Slot {
                key: Key::of(id),
                folder,
            }
        };
        let folders = folders.iter().map(slot(true));
        Self(folders.chain(files.iter().map(slot(false))).collect())
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    /// The portal's own entries as `ops` sources, in order.
    fn sources(&self) -> Vec<Source> {
        self.0.iter().filter_map(|s| s.source()).collect()
    }

    /// Items for progress: the sources' weight, and one for each third-party id (what an
    /// entry that is not there weighs).
    fn weight(&self, store: &Store) -> i64 {
        let foreign = self.0.iter().filter(|s| s.key == Key::Foreign).count();
        ops::weight(store, &self.sources()) + foreign as i64
    }

    /// The first entry that is not there for `user`, refused as upstream's up-front checks
    /// refuse it.
    fn first_missing(&self, store: &Store, user: UserId) -> Option<Refusal> {
        self.0
            .iter()
            .find(|s| !s.exists(store, user))
            .map(|s| s.missing())
    }

    /// What a download of none of these says: files if any were named (reference §13.8).
    fn none_found(&self) -> Refusal {
        if self.0.iter().any(|s| !s.folder) {
            Refusal::FileNotFound
        } else {
            Refusal::FolderNotFound
        }
    }
}

/// The status upstream answers a refusal with when the operation documents no answer at the
/// refusal's own status: 403, as it answers whatever it raises as an `InvalidOperationException`
/// or a `SecurityException` (reference §4a, §13.2-§13.5).
const FALLBACK_STATUS: u16 = 403;

/// `R`'s documented answer at `status`. An operation that does not document `status` answers
/// at [`FALLBACK_STATUS`] and, if it does not document that either, at its lowest documented
/// error status, so the choice depends only on the operation's documented answers.
fn answer_at<R: ErrorAnswer>(status: u16, error: ApiError) -> R {
    let documented = |s: &u16| R::error_statuses().contains(s);
    [status, FALLBACK_STATUS]
        .into_iter()
        .find(documented)
        .and_then(|s| R::from_error(s, error.clone()))
        .unwrap_or_else(|| R::first_error(error))
}

/// The folder a request names, when the caller has it.
fn own_folder(store: &Store, user: UserId, id: &EntryId) -> Result<EntryKey, Refusal> {
    Key::folder(id).and_then(|folder| store.folder(user, folder).map(|_| folder))
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
        self.refuse(&refusal)
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

    /// The operation's documented answer to a refusal: the refusal is mapped to this
    /// family's status here, once, and the variant comes from the operation's data.
    fn refuse<R: ErrorAnswer>(&self, refusal: &Refusal) -> R {
        answer_at(self.status(refusal), ApiError::new(refusal.message()))
    }

    /// DocSpace's checks before queuing a move or copy (reference §13.6).
    fn check_move_copy(&self, user: UserId, dest: Key, named: &Named) -> Result<(), Refusal> {
        let store = self.store();
        let faults = self.faults();
        if !faults.unknown_destination_accepted {
            store.folder(user, dest.or(Refusal::FolderNotFound)?)?;
        }
        for slot in &named.0 {
            let Some(s) = slot.source().filter(|s| ops::exists(&store, user, *s)) else {
                return Err(slot.missing());
            };
            // A third-party destination lies inside nothing here.
            let inside = matches!(dest, Key::Portal(dest) if store.is_within(dest, s.id));
            if s.folder && inside && !faults.subfolder_move_allowed {
                return Err(Refusal::IntoItself);
            }
        }
        Ok(())
    }

    fn check_sources(&self, user: UserId, named: &Named) -> Result<(), Refusal> {
        named.first_missing(&self.store(), user).map_or(Ok(()), Err)
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
        let named = Named::of(&body.folder_ids, &body.file_ids);
        if named.is_empty() {
            return Ok(self.list(Some(user), &[Kind::Delete], None));
        }
        if self.dialect().behaviour.validate_up_front {
            self.check_sources(user, &named)?;
        }
        let faults = self.faults();
        let immediately = body.immediately.unwrap_or(false) || faults.delete_bypasses_trash;
        let again_to_trash = faults.trash_delete_not_permanent;
        let now = self.now();
        let weight = named.weight(&self.store());
        let items = named.len();
        let slots = named.0;
        let work: Work = Box::new(move |store: &mut Store, i| {
            let Some(slot) = slots.get(i) else {
                return Outcome::default();
            };
            let Some(source) = slot.source() else {
                return slot.not_found();
            };
            if again_to_trash && store.root_of(source.id) == Root::Trash {
                return Outcome::default();
            }
            delete::item(store, user, source, immediately, now)
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
        let named = Named::of(&body.folder_ids, &body.file_ids);
        let dest = Key::of(&body.dest_folder_id);
        if named.is_empty() {
            return Ok(self.list(Some(user), &[kind], None));
        }
        if self.dialect().behaviour.validate_up_front {
            self.check_move_copy(user, dest, &named)?;
        }
        let faults = self.faults();
        let weight = named.weight(&self.store());
        let work = match dest {
            Key::Portal(dest) => transfer_work(self.plan(user, body, copy), dest, &named.0),
            // A third-party destination matches nothing: as with an unknown one, the
            // operation ends with no effect (reference §13.6).
            Key::Foreign => no_effect(named.len()),
        };
        let hold = !body.delete_after.unwrap_or(false) || faults.delete_after_ignored;
        let single = body.return_single_operation.unwrap_or(false);
        Ok(self.queue(
            Job {
                owner: Some(user),
                kind,
                hold,
                weight,
                // One entry per step until the transfer says it is done.
                units: usize::MAX,
                work,
            },
            &[kind],
            single,
        ))
    }

    /// How a move or copy runs, by the family's rules and the faults.
    fn plan(
        &self,
        user: UserId,
        body: &fileops_api::types::BatchRequest,
        copy: bool,
    ) -> move_copy::Plan {
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
        move_copy::Plan {
            user,
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
        }
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
        let total = store.child_count(folder);
        let page: Vec<_> = store
            .children_in_order(folder)
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

/// One part of a move or copy's work: a run of the portal's own entries, or a third-party id.
enum Leg {
    Portal(move_copy::Transfer),
    Foreign(Slot),
}

/// A move or copy's work over the named entries in order (reference §6, §13.6): each run of
/// the portal's own entries goes through one `Transfer`, and a third-party id takes one step
/// of its own, in its place, failing as an unknown entry does. Without third-party ids this
/// is a single `Transfer` over every source, the only shape DocSpace queues (it refuses them
/// up front), so its report phases always see the whole request.
fn transfer_work(plan: move_copy::Plan, dest: EntryKey, slots: &[Slot]) -> Work {
    let mut legs: VecDeque<Leg> = slots
        .chunk_by(|a, b| a.key != Key::Foreign && b.key != Key::Foreign)
        .map(|run| match run {
            [slot] if slot.key == Key::Foreign => Leg::Foreign(*slot),
            run => {
                let sources = run.iter().filter_map(|s| s.source()).collect();
                Leg::Portal(move_copy::Transfer::new(
                    plan,
                    move_copy::Destination::Folder(dest),
                    sources,
                ))
            }
        })
        .collect();
    Box::new(move |store: &mut Store, _| {
        let mut outcome = match legs.front_mut() {
            Some(Leg::Portal(transfer)) => transfer.step(store),
            Some(Leg::Foreign(slot)) => foreign_step(store, &plan, dest, *slot),
            None => Outcome::default(),
        };
        if outcome.done || legs.is_empty() {
            legs.pop_front();
            outcome.done = legs.is_empty();
        }
        outcome
    })
}

/// A third-party id's step in a move or copy: it fails as an unknown entry does, unless the
/// destination is unknown, which ends every step with no effect (reference §13.6).
fn foreign_step(store: &Store, plan: &move_copy::Plan, dest: EntryKey, slot: Slot) -> Outcome {
    let mut outcome = if store.folder(plan.user, dest).is_ok() {
        slot.not_found()
    } else {
        Outcome::default()
    };
    outcome.done = true;
    outcome
}

/// The work of a move or copy into a third-party destination (reference §6, §13.6): it
/// matches nothing, so, as with an unknown destination, each named entry takes its step with
/// no effect and no error.
fn no_effect(steps: usize) -> Work {
    let mut left = steps;
    Box::new(move |_: &mut Store, _| {
        left = left.saturating_sub(1);
        Outcome {
            done: left == 0,
            ..Outcome::default()
        }
    })
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
                return self.refuse(&Refusal::Invalid(
                    "Specified argument was out of the range of valid values. (Parameter 'operationType')".into(),
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
            Err(refusal) => self.refuse(&refusal),
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
            Err(refusal) => self.refuse(&refusal),
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
            Err(refusal) => self.refuse(&refusal),
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
            Err(refusal) => self.refuse(&refusal),
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
            Err(refusal) => self.refuse(&refusal),
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
        let sources = Named::of(&request.folder_ids, &request.file_ids).sources();
        let store = self.store();
        let dest = match own_folder(&store, user, &request.dest_folder_id) {
            Ok(dest) => dest,
            Err(refusal) => return self.refuse(&refusal.as_forbidden()),
        };
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
        let store = self.store();
        if let Err(refusal) = own_folder(&store, user, &request.dest_folder_id) {
            return self.refuse(&refusal.as_forbidden());
        }
        let mut seen = std::collections::BTreeSet::new();
        // A third-party id is requested but loads as no file.
        let allowed: Vec<_> = request
            .file_ids
            .iter()
            .filter_map(|id| Key::file(id).and_then(|id| store.file(user, id)).ok())
            .filter(|file| seen.insert(file.id))
            .collect();
        let requested = request.file_ids.len();
        let result = match (requested - allowed.len(), allowed.len()) {
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
            return self.refuse(&Refusal::Forbidden("Too many downloads.".into()));
        }
        let converted = body.file_convert_ids.iter().map(|item| item.key.clone());
        let files: Vec<EntryId> = body.file_ids.iter().cloned().chain(converted).collect();
        let named = Named::of(&body.folder_ids, &files);
        if named.is_empty() {
            if self.dialect().behaviour.validate_up_front {
                return BulkDownloadResponse::Ok(self.list(Some(owner), &[Kind::Download], None));
            }
            return self.refuse(&Refusal::Forbidden("Bad request.".into()));
        }
        let none_found = named.none_found();
        if self.dialect().behaviour.validate_up_front
            && !named.0.iter().any(|s| s.exists(&self.store(), owner))
        {
            return self.refuse(&none_found);
        }
        let always_archive = self.dialect().behaviour.single_file_download_is_archive;
        let now = self.now();
        let downloads = self.downloads();
        let base = self.base_url();
        let handler = self.download_handler();
        // One unit per entry read, the last one also packs: progress moves in steps.
        let units = named.weight(&self.store()).max(1) as usize;
        let sources = named.sources();
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
                None => outcome.error = Some(none_found.message()),
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
        let named = Named::of(&body.folder_ids, &body.file_ids);
        if named.is_empty() {
            return MarkAsReadResponse::Ok(self.list(Some(user), &[Kind::MarkAsRead], None));
        }
        let items = named.len();
        let slots = named.0;
        let work: Work = Box::new(move |store: &mut Store, i| {
            let mut outcome = Outcome {
                processed: 1,
                ..Outcome::default()
            };
            // Unknown ids, third-party ones included, are skipped silently (reference §13.8).
            let Some(source) = slots.get(i).and_then(|s| s.source()) else {
                return outcome;
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
                Err(refusal) => return self.refuse(&refusal),
            };
            if store.root_of(file) == Root::Trash {
                return self.refuse(&Refusal::Forbidden("Access denied".into()));
            }
            if entry
                .current()
                .is_some_and(|v| body.versions.contains(&v.number))
                && !self.faults().current_version_deletable
            {
                return self.refuse(&Refusal::Forbidden("Access denied".into()));
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
        let named = Named::of(&body.folder_ids, &body.file_ids);
        if named.is_empty() {
            return DuplicateBatchItemsResponse::Ok(self.list(
                Some(user),
                &[Kind::Duplicate],
                None,
            ));
        }
        // Refused with 403 in every case (DocSpace's own null dereference would be a 500).
        if let Err(refusal) = self.check_sources(user, &named) {
            return self.refuse(&refusal.as_forbidden());
        }
        // Past the check every named entry is the portal's own.
        let sources = named.sources();
        let now = self.now();
        let weight = ops::weight(&self.store(), &sources);
        let faults = self.faults();
        let plan = move_copy::Plan {
            user,
            resolve: FileConflictResolveType::Duplicate,
            overwrite_keeps_version: false,
            copy: true,
            duplicate_renames: true,
            reported: self.dialect().behaviour.reported_entries,
            copy_reports_source: faults.copy_reports_source,
            skip_reported: faults.skip_reported,
            now,
        };
        // Each item into its own parent.
        let mut transfer =
            move_copy::Transfer::new(plan, move_copy::Destination::OwnParent, sources);
        let work: Work = Box::new(move |store: &mut Store, _| transfer.step(store));
        let single = body.return_single_operation.unwrap_or(false);
        DuplicateBatchItemsResponse::Ok(self.queue(
            Job {
                owner: Some(user),
                kind: Kind::Duplicate,
                hold: true,
                weight,
                units: usize::MAX,
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
            Err(refusal) => self.refuse(&refusal),
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
            Err(refusal) => self.refuse(&refusal),
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
        let found = Key::folder(&request.folder_id)
            .and_then(|folder| self.listing(user, folder, request.start_index, request.count));
        match found {
            Ok(content) => GetFolderByFolderIdResponse::Ok(content),
            Err(refusal) => self.refuse(&refusal),
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
        match Key::folder(&request.folder_id).and_then(|id| store.folder(user, id)) {
            Ok(entry) => GetFolderInfoResponse::Ok(dto::folder(&store, entry, Some(user))),
            Err(refusal) => self.refuse(&refusal),
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
            return self.refuse(&Refusal::Invalid(
                "The title must not be empty or longer than 165 characters (Parameter 'title')"
                    .into(),
            ));
        }
        let now = self.now();
        let mut store = self.store();
        let created = Key::folder(&request.folder_id)
            .and_then(|parent| store.create_folder(user, parent, &title, now));
        match created {
            Ok(id) => {
                let folder = dto::folder(&store, &store.entries[&id], Some(user));
                match self.dialect().post_status {
                    201 => CreateFolderResponse::Created(folder),
                    _ => CreateFolderResponse::Ok(folder),
                }
            }
            // Both families raise an unknown parent through `ErrorIf` (reference §13.4).
            Err(refusal) => self.refuse(&refusal.as_forbidden()),
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
            return self.refuse(&Refusal::Invalid(
                "The title must not be empty or longer than 165 characters (Parameter 'title')"
                    .into(),
            ));
        }
        let title = if body.enable_external_ext.unwrap_or(false) {
            raw
        } else {
            new_file_title(&raw)
        };
        let now = self.now();
        let mut store = self.store();
        let parent = match own_folder(&store, user, &request.folder_id) {
            Ok(parent) if store.root_of(parent) != Root::Trash => parent,
            _ => return self.refuse(&Refusal::Forbidden("Access denied".into())),
        };
        let template = body.template_id.as_ref().map(Key::file);
        let template = template.map(|t| t.and_then(|t| store.file(user, t)));
        let content = match template {
            Some(Ok(entry)) => entry
                .current()
                .map(|v| v.content.clone())
                .unwrap_or_default(),
            // An unknown template is refused through `ErrorIf` (reference §13.5).
            Some(Err(refusal)) => return self.refuse(&refusal.as_forbidden()),
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
            Err(refusal) => self.refuse(&refusal.as_forbidden()),
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
        let found = Key::file(&request.file_id)
            .and_then(|id| store.file(user, id))
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
            Err(refusal) => self.refuse(&refusal),
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
        match Key::file(&request.file_id).and_then(|id| store.file(user, id)) {
            Ok(entry) => GetFileHistoryResponse::Ok(
                entry
                    .versions()
                    .iter()
                    .rev()
                    .map(|v| dto::file_at(&store, entry, Some(v), Some(user)))
                    .collect(),
            ),
            Err(refusal) => self.refuse(&refusal.as_forbidden()),
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
            return answer_at(self.dialect().behaviour.bad_credentials_status, error);
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

#[cfg(test)]
mod tests {
    use super::*;
    use fileops_api::dialects::{DOCSPACE, WORKSPACE};
    use fileops_api::runtime::{Dialect, Format};
    use fileops_api::types::BatchRequest;

    fn context(dialect: &'static Dialect) -> RequestContext {
        RequestContext {
            dialect,
            format: Format::Json,
            authorization: Some("alice-token".into()),
        }
    }

    fn foreign() -> EntryId {
        EntryId::Str("sbox-987654-|Documents|nothing.docx".into())
    }

    /// A reference whose first user has a file and a folder in My documents.
    fn setup(dialect: &'static Dialect) -> (Reference, EntryKey, EntryKey) {
        let reference = Reference::new(crate::Config::demo(dialect));
        let (file, folder) = {
            let mut store = reference.store();
            let user = store.user_by_token("alice-token").map(|u| (u.id, u.my));
            let (user, my) = user.expect("a demo user");
            let file = store.create_file(user, my, "ours.docx", Vec::new(), "Created", 0);
            let folder = store.create_folder(user, my, "dest", 0);
            (file.expect("a file"), folder.expect("a folder"))
        };
        (reference, file, folder)
    }

    fn batch(folders: Vec<EntryId>, files: Vec<EntryId>, dest: EntryId) -> MoveBatchItemsRequest {
        MoveBatchItemsRequest {
            body: BatchRequest {
                folder_ids: folders,
                file_ids: files,
                dest_folder_id: dest,
                conflict_resolve_type: None,
                delete_after: None,
                content: None,
                to_fill_out: None,
                return_single_operation: Some(true),
            },
        }
    }

    /// The operation a move started, once it is finished.
    async fn finished(reference: &Reference, answer: MoveBatchItemsResponse) -> FileOperation {
        let MoveBatchItemsResponse::Ok(started) = answer else {
            panic!("not queued: {answer:?}");
        };
        let id = started.last().map(|op| op.id.clone());
        for _ in 0..400 {
            let request = GetOperationStatusesRequest { id: id.clone() };
            let context = context(reference.dialect());
            if let GetOperationStatusesResponse::Ok(list) =
                reference.get_operation_statuses(context, request).await
            {
                if let Some(op) = list.into_iter().find(|op| op.finished) {
                    return op;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        panic!("the move did not finish");
    }

    fn parent(reference: &Reference, id: EntryKey) -> Option<EntryKey> {
        reference.store().entries.get(&id).and_then(|e| e.parent)
    }

    #[test]
    fn an_undocumented_status_falls_back_to_403_then_to_the_lowest() {
        let error = || ApiError::new("refused");
        let answer: MoveBatchItemsResponse = answer_at(404, error());
        assert_eq!(answer, MoveBatchItemsResponse::NotFound(error()));
        let answer: MoveBatchItemsResponse = answer_at(409, error());
        assert_eq!(answer, MoveBatchItemsResponse::Forbidden(error()));
        let answer: GetTrashFolderResponse = answer_at(403, error());
        assert_eq!(answer, GetTrashFolderResponse::BadRequest(error()));
    }

    #[tokio::test]
    async fn docspace_refuses_a_third_party_source_or_destination_up_front() {
        let (reference, file, folder) = setup(&DOCSPACE);
        let missing =
            MoveBatchItemsResponse::NotFound(ApiError::new("The required folder was not found"));
        let request = batch(
            vec![foreign()],
            vec![EntryId::Int(file)],
            EntryId::Int(folder),
        );
        let answer = reference
            .move_batch_items(context(&DOCSPACE), request)
            .await;
        assert_eq!(answer, missing);
        let request = batch(Vec::new(), vec![EntryId::Int(file)], foreign());
        let answer = reference
            .move_batch_items(context(&DOCSPACE), request)
            .await;
        assert_eq!(answer, missing);
        assert_eq!(parent(&reference, file), parent(&reference, folder));
    }

    #[tokio::test]
    async fn workspace_ends_with_no_effect_or_with_the_not_found_error() {
        let (reference, file, folder) = setup(&WORKSPACE);
        let my = parent(&reference, folder);
        let request = batch(Vec::new(), vec![EntryId::Int(file)], foreign());
        let answer = reference
            .move_batch_items(context(&WORKSPACE), request)
            .await;
        let op = finished(&reference, answer).await;
        assert_eq!((op.error, parent(&reference, file)), (None, my));

        let files = vec![EntryId::Int(file), foreign()];
        let request = batch(Vec::new(), files, EntryId::Int(folder));
        let answer = reference
            .move_batch_items(context(&WORKSPACE), request)
            .await;
        let op = finished(&reference, answer).await;
        assert_eq!(op.error.as_deref(), Some("The required file was not found"));
        assert_eq!(parent(&reference, file), Some(folder));
    }
}
