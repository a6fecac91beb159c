//! Deletes: of a batch, of one file or folder, of the Trash's content, of file versions.

use fileops_api::operations::*;
use fileops_api::runtime::EntryId;
use fileops_api::types::{FileOperation, FileOperationType as Kind};

use crate::api::ids::Named;
use crate::engine::{Job, Outcome, Work};
use crate::ops::{self, delete};
use crate::store::{Refusal, Root, Store, UserId};
use crate::Reference;

impl Reference {
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
            if self.faults().delete_unknown_accepted {
                // Fault: entries that do not exist are not checked, so they are queued.
                let store = self.store();
                let known = named.0.iter().copied().filter(|s| {
                    s.source()
                        .is_some_and(|s| store.entries.contains_key(&s.id))
                });
                let known = Named(known.collect());
                drop(store);
                self.check_sources(user, &known)?;
            } else {
                self.check_sources(user, &named)?;
            }
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
        Ok(self.queue(
            Job {
                owner: Some(user),
                kind: Kind::Delete,
                hold,
                weight,
                units: items,
                work,
            },
            body.return_single_operation,
        ))
    }

    pub(in crate::api) fn delete_batch(
        &self,
        user: UserId,
        request: DeleteBatchItemsRequest,
    ) -> DeleteBatchItemsResponse {
        match self.delete(user, &request.body) {
            Ok(list) => DeleteBatchItemsResponse::Ok(list),
            Err(refusal) => self.refuse(&refusal),
        }
    }

    pub(in crate::api) fn delete_one_file(
        &self,
        user: UserId,
        request: DeleteFileRequest,
    ) -> DeleteFileResponse {
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

    pub(in crate::api) fn delete_one_folder(
        &self,
        user: UserId,
        request: DeleteFolderRequest,
    ) -> DeleteFolderResponse {
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

    pub(in crate::api) fn empty_trash_of(&self, user: UserId) -> EmptyTrashResponse {
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
            None,
        ))
    }

    pub(in crate::api) fn delete_versions(
        &self,
        user: UserId,
        request: DeleteFileVersionsRequest,
    ) -> DeleteFileVersionsResponse {
        let body = request.body;
        let file = i64::from(body.file_id);
        {
            let store = self.store();
            let entry = match store.file(user, file) {
                Ok(entry) => entry,
                Err(refusal) => return self.refuse(&refusal),
            };
            let binned = store.root_of(file) == Root::Trash;
            // Fault: a file in Trash is accepted, with no further check.
            let binned_accepted = binned && self.faults().versions_in_trash_deletable;
            if binned && !binned_accepted {
                return self.refuse(&Refusal::Forbidden("Access denied".into()));
            }
            if entry
                .current()
                .is_some_and(|v| body.versions.contains(&v.number))
                && !self.faults().current_version_deletable
                && !binned_accepted
            {
                return self.refuse(&Refusal::Forbidden("Access denied".into()));
            }
        }
        let versions = if self.faults().version_deletion_noop && !body.versions.is_empty() {
            vec![i32::MIN]
        } else {
            body.versions.clone()
        };
        // An empty list deletes the whole file: for good by code reading (reference §13.8),
        // an open fact.
        let whole = delete::WholeFile {
            user,
            for_good: self.dialect().behaviour.empty_versions_for_good,
            now: self.now(),
        };
        let work: Work =
            Box::new(move |store: &mut Store, _| delete::versions(store, file, &versions, whole));
        let hold = !body.delete_after.unwrap_or(false);
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
            body.return_single_operation,
        ))
    }
}
