//! The fileops operations: what each request queues on the engine and how the caller's
//! operations are listed and terminated. Deletes, moves and copies, and downloads have their
//! own modules.

mod delete;
mod download;
mod transfer;

use fileops_api::operations::*;
use fileops_api::runtime::UnqueuedTypes;
use fileops_api::types::{FileOperation, FileOperationType as Kind};

use super::ids::Named;
use crate::engine::{Job, Outcome, Owner, Work};
use crate::ops;
use crate::store::{Refusal, Store, UserId};
use crate::Reference;

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

impl Reference {
    /// Queues an operation and answers the way upstream does: the caller's operations of
    /// `kinds`, or only the new one with `returnSingleOperation`.
    /// Starts `job` and answers with the caller's operations of its kind, or only the new one
    /// when the request asked for a single operation.
    fn queue(&self, job: Job, single: Option<bool>) -> Vec<FileOperation> {
        // Fault: a copy, move or delete answers with the caller's operations of every kind.
        let every_kind = self.faults().answers_every_kind
            && matches!(job.kind, Kind::Move | Kind::Copy | Kind::Delete);
        let kinds = if every_kind {
            ALL_KINDS.to_vec()
        } else {
            vec![job.kind.clone()]
        };
        let owner = job.owner;
        let id = self.engine().start(self.store_handle(), job);
        let single = single.unwrap_or(false).then_some(id.as_str());
        self.list(owner, &kinds, single)
    }

    fn check_sources(&self, user: UserId, named: &Named) -> Result<(), Refusal> {
        named.first_missing(&self.store(), user).map_or(Ok(()), Err)
    }

    pub(super) fn operation_statuses(
        &self,
        owner: Owner,
        request: GetOperationStatusesRequest,
    ) -> GetOperationStatusesResponse {
        GetOperationStatusesResponse::Ok(self.list(owner, &ALL_KINDS, request.id.as_deref()))
    }

    pub(super) fn operation_statuses_by_type(
        &self,
        owner: Owner,
        request: GetOperationStatusesByTypeRequest,
    ) -> GetOperationStatusesByTypeResponse {
        let kinds: &[Kind] = match request.operation_type {
            Kind::Move | Kind::Copy => &[Kind::Move, Kind::Copy],
            // No queue: by code reading an ArgumentOutOfRangeException (400); [RUBY] says an
            // empty list. An open fact (reference §5, §12).
            Kind::Import | Kind::Convert => match self.dialect().behaviour.unqueued_operation_types {
                UnqueuedTypes::BadRequest => return self.refuse(&Refusal::Invalid(
                    "Specified argument was out of the range of valid values. (Parameter 'operationType')".into(),
                )),
                UnqueuedTypes::EmptyList => return GetOperationStatusesByTypeResponse::Ok(Vec::new()),
            },
            other => std::slice::from_ref(ALL_KINDS.iter().find(|k| **k == other).unwrap_or(&Kind::Move)),
        };
        GetOperationStatusesByTypeResponse::Ok(self.list(owner, kinds, request.id.as_deref()))
    }

    pub(super) fn terminate_all(&self, owner: Owner) -> TerminateAllTasksResponse {
        let tasks = self.engine().terminate(owner, None, &ALL_KINDS);
        TerminateAllTasksResponse::Ok(self.answer(owner, tasks))
    }

    pub(super) fn terminate_by_id(
        &self,
        owner: Owner,
        request: TerminateTasksRequest,
    ) -> TerminateTasksResponse {
        let tasks = self
            .engine()
            .terminate(owner, Some(&request.id), &ALL_KINDS);
        TerminateTasksResponse::Ok(self.answer(owner, tasks))
    }

    pub(super) fn mark_read(&self, user: UserId, request: MarkAsReadRequest) -> MarkAsReadResponse {
        let body = request.body;
        let named = Named::of(&body.folder_ids, &body.file_ids);
        if named.is_empty() {
            return MarkAsReadResponse::Ok(self.list(Some(user), &[Kind::MarkAsRead], None));
        }
        let items = named.len();
        let slots = named.0;
        // Whether the entries handled are listed is a code reading (reference §13.8).
        let reports = self.dialect().behaviour.mark_as_read_reports;
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
                let list = if source.folder {
                    &mut outcome.folders
                } else {
                    &mut outcome.files
                };
                if reports {
                    list.push(source.id);
                }
            }
            outcome
        });
        MarkAsReadResponse::Ok(self.queue(
            Job {
                owner: Some(user),
                kind: Kind::MarkAsRead,
                hold: true,
                weight: items as i64,
                units: items,
                work,
            },
            body.return_single_operation,
        ))
    }
}
