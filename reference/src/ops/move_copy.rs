//! Move and copy with Skip / Overwrite / Duplicate conflict resolution, folder merging and
//! the titles and versions upstream produces (reference §13.6).

use fileops_api::types::FileConflictResolveType as Resolve;

use crate::engine::Outcome;
use crate::store::{EntryKey, Store, UserId};

use super::Source;

/// One move or copy request.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// The caller.
    pub user: UserId,
    /// Destination folder.
    pub dest: EntryKey,
    /// Conflict resolution.
    pub resolve: Resolve,
    /// Fault: Overwrite replaces the content without a new version.
    pub overwrite_keeps_version: bool,
    /// Copy (else move).
    pub copy: bool,
    /// Whether a Duplicate copy takes the next free title (DocSpace).
    pub duplicate_renames: bool,
    /// Clock reading.
    pub now: u64,
}

/// Moves or copies one source into the destination.
pub fn item(store: &mut Store, plan: &Plan, source: Source) -> Outcome {
    let mut outcome = Outcome::default();
    if store.folder(plan.user, plan.dest).is_err() {
        // Workspace checks nothing up front: an unknown destination ends with no effect.
        return outcome;
    }
    if source.folder {
        match store.folder(plan.user, source.id) {
            Ok(_) if store.is_within(plan.dest, source.id) => {
                outcome.error = Some("You cannot copy the folder to its subfolder".into());
            }
            Ok(_) => {
                if let Some(result) =
                    folder(store, plan, source.id, plan.dest, &mut outcome.processed)
                {
                    outcome.folders.push(result);
                }
            }
            Err(refusal) => outcome.error = Some(refusal.message()),
        }
    } else {
        match store.file(plan.user, source.id) {
            Ok(_) => {
                if let Some(result) =
                    file(store, plan, source.id, plan.dest, &mut outcome.processed)
                {
                    outcome.files.push(result);
                }
            }
            Err(refusal) => outcome.error = Some(refusal.message()),
        }
    }
    outcome
}

/// One file into `dest`; the id to report, if any.
fn file(
    store: &mut Store,
    plan: &Plan,
    id: EntryKey,
    dest: EntryKey,
    processed: &mut i64,
) -> Option<EntryKey> {
    *processed += 1;
    let entry = store.entries.get(&id)?;
    let title = entry.title.clone();
    let same_parent = entry.parent == Some(dest);
    let conflict = store.child_titled(dest, &title, false);
    match (conflict, plan.resolve, plan.copy) {
        (None, _, true) => store.copy_file(id, dest, &title, plan.now),
        (None, _, false) => {
            store.relocate(id, dest, None, plan.now);
            Some(id)
        }
        (Some(_), Resolve::Skip, _) => None,
        (Some(target), Resolve::Overwrite, copy) => {
            if plan.overwrite_keeps_version {
                store.replace_content(target, id);
            } else {
                store.overwrite(target, id, plan.now);
            }
            if !copy && target != id {
                store.remove(id);
            }
            Some(target)
        }
        (Some(_), Resolve::Duplicate, true) => {
            let title = if plan.duplicate_renames {
                store.free_title(dest, &title, false)
            } else {
                title
            };
            store.copy_file(id, dest, &title, plan.now)
        }
        (Some(_), Resolve::Duplicate, false) => {
            if !same_parent {
                store.relocate(id, dest, None, plan.now);
            }
            Some(id)
        }
    }
}

/// One folder into `dest` (merging into a same-titled folder); the id to report, if any.
fn folder(
    store: &mut Store,
    plan: &Plan,
    id: EntryKey,
    dest: EntryKey,
    processed: &mut i64,
) -> Option<EntryKey> {
    *processed += 1;
    let entry = store.entries.get(&id)?;
    let title = entry.title.clone();
    let same_parent = entry.parent == Some(dest);
    let duplicate = plan.resolve == Resolve::Duplicate;
    if same_parent && !duplicate {
        return None;
    }
    let existing = store.child_titled(dest, &title, true).filter(|e| *e != id);
    let renames = duplicate && plan.duplicate_renames;
    if let (Some(target), false) = (existing, renames) {
        merge(store, plan, id, target, processed);
        if !plan.copy && store.children(id).is_empty() {
            store.remove(id);
        }
        return Some(target);
    }
    let fresh_title = if renames {
        store.free_title(dest, &title, true)
    } else {
        title
    };
    if plan.copy || (same_parent && renames) {
        let created = store
            .create_folder(plan.user, dest, &fresh_title, plan.now)
            .ok()?;
        let into = Plan {
            resolve: Resolve::Skip,
            ..*plan
        };
        merge(store, &into, id, created, processed);
        if !plan.copy {
            store.remove(id);
        }
        Some(created)
    } else {
        store.relocate(id, dest, None, plan.now);
        let (files, folders) = store.count_below(id);
        *processed += files + folders;
        Some(id)
    }
}

/// Moves or copies a folder's children into `target`, each with the plan's resolution.
fn merge(store: &mut Store, plan: &Plan, from: EntryKey, target: EntryKey, processed: &mut i64) {
    let children: Vec<(EntryKey, bool)> = store
        .children(from)
        .iter()
        .map(|e| (e.id, e.is_folder()))
        .collect();
    for (child, is_folder) in children {
        if is_folder {
            folder(store, plan, child, target, processed);
        } else {
            file(store, plan, child, target, processed);
        }
    }
}

/// The entries at `dest` whose titles clash with the sources (files, and folders when the
/// dialect reports them). Nothing changes.
pub fn conflicts(
    store: &Store,
    user: u32,
    dest: EntryKey,
    sources: &[Source],
    include_folders: bool,
) -> Vec<EntryKey> {
    sources
        .iter()
        .filter(|s| include_folders || !s.folder)
        .filter_map(|s| {
            let entry = store
                .entries
                .get(&s.id)
                .filter(|e| e.owner == user && e.is_folder() == s.folder)?;
            store
                .child_titled(dest, &entry.title, s.folder)
                .filter(|c| *c != s.id)
        })
        .collect()
}
