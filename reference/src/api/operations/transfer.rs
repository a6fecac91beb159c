//! Moves, copies and duplicates, and the checks a client runs before a move or copy.

use fileops_api::operations::*;
use fileops_api::types::{
    CheckDestFolder, CheckDestFolderResult, FileOperation, FileOperationType as Kind,
};
use std::collections::VecDeque;

use fileops_api::runtime::{ApiError, UnknownDestination};

use crate::api::answers::answer_at;
use crate::api::ids::{own_folder, Key, Named, Slot};
use crate::engine::{Job, Outcome, Work};
use crate::ops::{self, move_copy};
use crate::store::{EntryKey, Refusal, Store, UserId};
use crate::{dto, Reference};

/// .NET's message for a null dereference, what a 500 of a null folder or file says.
const NULL_REFERENCE: &str = "Object reference not set to an instance of an object.";

impl Reference {
    /// DocSpace's checks before queuing a move or copy (reference §13.6). The destination
    /// is checked where the family refuses an unknown one up front.
    fn check_move_copy(&self, user: UserId, dest: Key, named: &Named) -> Result<(), Refusal> {
        let store = self.store();
        let faults = self.faults();
        let refuses = self.dialect().behaviour.unknown_destination == UnknownDestination::Refused;
        if refuses && !faults.unknown_destination_accepted {
            store.folder(user, dest.or(Refusal::FolderNotFound)?)?;
        }
        for slot in &named.0 {
            // [DS-T]: an unknown source file is 403; an unknown source folder is 500, a null
            // folder dereferenced (reference §13.6).
            let Some(s) = slot.source().filter(|s| ops::exists(&store, user, *s)) else {
                return Err(self.unknown_source(&store, *slot));
            };
            // A third-party destination lies inside nothing here.
            let inside = matches!(dest, Key::Portal(dest) if store.is_within(dest, s.id));
            if s.folder && inside && !faults.subfolder_move_allowed {
                return Err(Refusal::IntoItself);
            }
        }
        Ok(())
    }

    /// The refusal of a source the caller does not have, checked up front (reference
    /// §13.6, [DS-T]): another user's entry is "Access denied"; a file that does not exist is
    /// 403; a folder that does not exist is the family's status for it (DocSpace 500).
    fn unknown_source(&self, store: &Store, slot: Slot) -> Refusal {
        let exists = slot
            .source()
            .is_some_and(|s| store.entries.contains_key(&s.id));
        if exists {
            return Refusal::Forbidden("Access denied".into());
        }
        if !slot.folder {
            return slot.missing().as_forbidden();
        }
        // Fault: an unknown source folder is refused as not found (404).
        if self.faults().unknown_source_404 {
            return Refusal::FolderNotFound;
        }
        match self.dialect().behaviour.unknown_source_folder_status {
            500 => Refusal::Failed(NULL_REFERENCE.into()),
            _ => slot.missing().as_forbidden(),
        }
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
            if self.faults().empty_selection_queues {
                // Fault: an empty selection queues an operation that does nothing.
                return Ok(self.queue(
                    Job {
                        owner: Some(user),
                        kind,
                        hold: true,
                        weight: 0,
                        units: 0,
                        work: no_effect(0, None),
                    },
                    body.return_single_operation,
                ));
            }
            return Ok(self.list(Some(user), &[kind], None));
        }
        let behaviour = self.dialect().behaviour;
        if behaviour.validate_up_front {
            self.check_move_copy(user, dest, &named)?;
        }
        // Where the family refuses nothing up front, an unknown destination is its own open
        // fact (reference §13.6): refused, or queued to end with or without an error.
        let known = dest
            .or(Refusal::FolderNotFound)
            .is_ok_and(|d| self.store().folder(user, d).is_ok());
        let unknown = (!known).then_some(behaviour.unknown_destination);
        if unknown == Some(UnknownDestination::Refused)
            && !self.faults().unknown_destination_accepted
        {
            return Err(Refusal::FolderNotFound);
        }
        let faults = self.faults();
        let weight = named.weight(&self.store());
        let work = match (dest, unknown) {
            (_, Some(UnknownDestination::OperationError)) => {
                no_effect(named.len(), Some(Refusal::FolderNotFound.message()))
            }
            (Key::Portal(dest), _) => transfer_work(self.plan(user, body, copy), dest, &named.0),
            // A third-party destination matches nothing: as with an unknown one, the
            // operation ends with no effect (reference §13.6).
            (Key::Foreign, _) => no_effect(named.len(), None),
        };
        let hold = !body.delete_after.unwrap_or(false) || faults.delete_after_ignored;
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
            body.return_single_operation,
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
        let resolve = match move_copy::Resolve::of(body.conflict_resolve_type.as_ref()) {
            move_copy::Resolve::Skip if faults.skip_overwrites => move_copy::Resolve::Overwrite,
            other => other,
        };
        move_copy::Plan {
            user,
            resolve,
            overwrite_keeps_version: faults.overwrite_without_version,
            overwrite_new_id: faults.overwrite_new_id,
            overwrite_move_to_trash: faults.overwrite_move_to_trash,
            move_new_id: faults.move_new_id,
            copy,
            duplicate_renames: (self.dialect().behaviour.duplicate_renames
                || faults.duplicate_renamed)
                && !faults.duplicate_keeps_title,
            duplicate_move_renames: faults.duplicate_move_renames,
            duplicate_folder_merges: faults.duplicate_folder_merges,
            same_parent_copies: faults.same_parent_copies,
            duplicate_folder_empty: false,
            copy_empties: faults.copy_empties,
            reported: self.dialect().behaviour.reported_entries,
            copy_reports_source: faults.copy_reports_source,
            skip_reported: faults.skip_reported,
            now: self.now(),
        }
    }

    pub(in crate::api) fn move_batch(
        &self,
        user: UserId,
        request: MoveBatchItemsRequest,
    ) -> MoveBatchItemsResponse {
        match self.move_copy(user, &request.body, false) {
            Ok(list) => MoveBatchItemsResponse::Ok(list),
            Err(refusal) => self.refuse(&refusal),
        }
    }

    pub(in crate::api) fn copy_batch(
        &self,
        user: UserId,
        request: CopyBatchItemsRequest,
    ) -> CopyBatchItemsResponse {
        match self.move_copy(user, &request.body, true) {
            Ok(list) => CopyBatchItemsResponse::Ok(list),
            Err(refusal) => self.refuse(&refusal),
        }
    }

    pub(in crate::api) fn move_copy_conflicts(
        &self,
        user: UserId,
        request: CheckMoveOrCopyBatchItemsRequest,
    ) -> CheckMoveOrCopyBatchItemsResponse {
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

    pub(in crate::api) fn check_dest_folder(
        &self,
        user: UserId,
        request: CheckMoveOrCopyDestFolderRequest,
    ) -> CheckMoveOrCopyDestFolderResponse {
        let store = self.store();
        let behaviour = self.dialect().behaviour;
        if let Err(refusal) = own_folder(&store, user, &request.dest_folder_id) {
            let status = behaviour.checkdest_unknown_destination_status;
            return answer_at(status, ApiError::new(refusal.message()));
        }
        // Every folder here lies outside every room (the reference has none): by code
        // reading the service then reaches a null room (reference §2b), an open fact.
        if behaviour.checkdest_outside_rooms_status != 200 {
            return answer_at(
                behaviour.checkdest_outside_rooms_status,
                ApiError::new(NULL_REFERENCE),
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        // A third-party id is requested but loads as no file.
        let allowed: Vec<_> = request
            .file_ids
            .iter()
            .filter_map(|id| Key::file(id).and_then(|id| store.file(user, id)).ok())
            .filter(|file| seen.insert(file.id))
            .collect();
        let requested = if self.faults().checkdest_dedup {
            // Fault: a repeated id counts once, as the file it loads does.
            request
                .file_ids
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        } else {
            request.file_ids.len()
        };
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

    pub(in crate::api) fn duplicate(
        &self,
        user: UserId,
        request: DuplicateBatchItemsRequest,
    ) -> DuplicateBatchItemsResponse {
        let body = request.body;
        let named = Named::of(&body.folder_ids, &body.file_ids);
        if named.is_empty() {
            return DuplicateBatchItemsResponse::Ok(self.list(
                Some(user),
                &[Kind::Duplicate],
                None,
            ));
        }
        // The check looks at files only; an unknown one is the open fact's status (by code
        // reading a null dereference, 500). Anything else refused is 403.
        if let Err(refusal) = self.check_sources(user, &named) {
            if refusal == Refusal::FileNotFound {
                let status = self.dialect().behaviour.duplicate_unknown_file_status;
                let message = if status == 500 {
                    NULL_REFERENCE.to_owned()
                } else {
                    refusal.message()
                };
                return answer_at(status, ApiError::new(message));
            }
            return self.refuse(&refusal.as_forbidden());
        }
        // Past the check every named entry is the portal's own.
        let sources = named.sources();
        let now = self.now();
        let weight = ops::weight(&self.store(), &sources);
        let faults = self.faults();
        let plan = move_copy::Plan {
            user,
            resolve: move_copy::Resolve::Duplicate,
            overwrite_keeps_version: false,
            overwrite_new_id: false,
            overwrite_move_to_trash: false,
            move_new_id: false,
            copy: true,
            duplicate_renames: true,
            duplicate_move_renames: false,
            duplicate_folder_merges: false,
            same_parent_copies: false,
            duplicate_folder_empty: faults.duplicate_folder_empty,
            copy_empties: faults.copy_empties,
            reported: self.dialect().behaviour.reported_entries,
            copy_reports_source: faults.copy_reports_source,
            skip_reported: faults.skip_reported,
            now,
        };
        // Each item into its own parent.
        let mut transfer =
            move_copy::Transfer::new(plan, move_copy::Destination::OwnParent, sources);
        let work: Work = Box::new(move |store: &mut Store, _| transfer.step(store));
        DuplicateBatchItemsResponse::Ok(self.queue(
            Job {
                owner: Some(user),
                kind: Kind::Duplicate,
                hold: true,
                weight,
                units: usize::MAX,
                work,
            },
            body.return_single_operation,
        ))
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

/// The work of a move or copy that reaches nothing (reference §6, §13.6): each named entry
/// takes its step with no effect, the last one reporting `error` if given.
fn no_effect(steps: usize, error: Option<String>) -> Work {
    let mut left = steps;
    Box::new(move |_: &mut Store, _| {
        left = left.saturating_sub(1);
        Outcome {
            done: left == 0,
            error: error.clone().filter(|_| left == 0),
            ..Outcome::default()
        }
    })
}
