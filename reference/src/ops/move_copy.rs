//! Move and copy with Skip / Overwrite / Duplicate conflict resolution, folder merging and
//! the titles and versions upstream produces (reference §13.6).

use fileops_api::runtime::ReportedEntries;
use fileops_api::types::FileConflictResolveType;

use crate::engine::Outcome;
use crate::store::{EntryKey, Store, UserId};

use super::Source;

/// How a clash is resolved: the listed conflict resolutions. An unlisted one never gets this
/// far, since the server glue refuses a request with an enum value the schema does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolve {
    /// Keep what is there.
    Skip,
    /// Replace it (a new version).
    Overwrite,
    /// Keep both.
    Duplicate,
}

impl Resolve {
    /// The resolution a request asks for (Skip when it names none).
    pub fn of(sent: Option<&FileConflictResolveType>) -> Self {
        match sent {
            Some(FileConflictResolveType::Overwrite) => Resolve::Overwrite,
            Some(FileConflictResolveType::Duplicate) => Resolve::Duplicate,
            _ => Resolve::Skip,
        }
    }
}

/// One move or copy request.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// The caller.
    pub user: UserId,
    /// Conflict resolution.
    pub resolve: Resolve,
    /// Fault: Overwrite replaces the content without a new version.
    pub overwrite_keeps_version: bool,
    /// Fault: Overwrite replaces the target with a new file (a new id).
    pub overwrite_new_id: bool,
    /// Fault: an overwriting move sends its source to Trash instead of removing it.
    pub overwrite_move_to_trash: bool,
    /// Fault: a moved file gets a new id.
    pub move_new_id: bool,
    /// Copy (else move).
    pub copy: bool,
    /// Whether a Duplicate copy takes the next free title (DocSpace).
    pub duplicate_renames: bool,
    /// Fault: a file moved with Duplicate takes the next free title.
    pub duplicate_move_renames: bool,
    /// Fault: a folder copied with Duplicate merges into a same-named one.
    pub duplicate_folder_merges: bool,
    /// Fault: a folder copied into its own parent with Skip is copied beside itself.
    pub same_parent_copies: bool,
    /// Fault: a duplicated folder is created without its content.
    pub duplicate_folder_empty: bool,
    /// Fault: a file copied under a free title holds no content.
    pub copy_empties: bool,
    /// What the finished operation lists (reference §13.6).
    pub reported: ReportedEntries,
    /// Fault: a copy reports its source instead of the copy.
    pub copy_reports_source: bool,
    /// Fault: a file skipped for a clash reports the entry it clashed with.
    pub skip_reported: bool,
    /// Clock reading.
    pub now: u64,
}

/// Where a source stands in its request: DocSpace's report restarts with the first folder
/// and again with the first file (its folder and file phases).
#[derive(Debug, Clone, Copy, Default)]
pub struct Phase {
    /// The request's first folder (its folder phase starts here).
    pub first_folder: bool,
    /// The request's first file (its file phase starts here).
    pub first_file: bool,
}

impl Phase {
    /// The phase of the source at `index` of a request whose first `folders` sources are
    /// folders (files follow).
    pub fn of(folders: usize, index: usize) -> Self {
        Self {
            first_folder: index == 0 && folders > 0,
            first_file: index == folders,
        }
    }
}

/// Where one top-level source ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placed {
    /// A new entry (a copy, or a renamed Duplicate move).
    New(EntryKey),
    /// The source itself, in its new place.
    Moved(EntryKey),
    /// Merged into a same-named folder; whether the emptied source was removed.
    Merged { target: EntryKey, removed: bool },
    /// A file overwrote a same-named one, which is the result.
    Overwrote(EntryKey),
    /// Skipped for a clash with this entry.
    Skipped(EntryKey),
}

impl Placed {
    /// The entry that holds the result (none for a skip).
    fn result(self) -> Option<EntryKey> {
        match self {
            Placed::New(id) | Placed::Moved(id) | Placed::Overwrote(id) => Some(id),
            Placed::Merged { target, .. } => Some(target),
            Placed::Skipped(_) => None,
        }
    }
}

/// Where a transfer puts each source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// This folder (move, copy).
    Folder(EntryKey),
    /// The source's own parent (duplicate).
    OwnParent,
}

/// A move, copy or duplicate as per-entry steps, so that no step holds the store for long:
/// each [`Transfer::step`] handles one entry (a file, or a folder before its content) or
/// finishes a folder once its content is done (reference §13.6 merging and reporting).
pub struct Transfer {
    plan: Plan,
    destination: Destination,
    sources: Vec<Source>,
    /// How many of `sources` are folders (they come first), counted once.
    folders: usize,
    next: usize,
    pending: Vec<Task>,
    moved_below: i64,
}

/// Work left inside the current source, last first.
#[derive(Debug, Clone, Copy)]
enum Task {
    /// The content of `from` into `into` with `resolve`, walked one child per step in id
    /// order (the child after `after` comes next), so no step looks at the whole folder.
    Contents {
        from: EntryKey,
        into: EntryKey,
        resolve: Resolve,
        after: Option<EntryKey>,
    },
    /// A folder whose content is done: remove an emptied or renamed source, then report a
    /// top-level one.
    Finish {
        source: EntryKey,
        placed: Placed,
        remove: Removal,
        top: Option<Top>,
    },
}

/// What happens to a folder's source once its content is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Removal {
    /// Keep it (a copy).
    Keep,
    /// Remove it if nothing was left behind (a merge-move).
    IfEmpty,
    /// Remove it (a Duplicate move renamed into a new folder).
    Always,
}

/// A top-level source being handled, for its report.
#[derive(Debug, Clone, Copy)]
struct Top {
    source: Source,
    phase: Phase,
    dest: EntryKey,
}

impl Transfer {
    /// A transfer of `sources` (folders first, then files) by `plan`.
    pub fn new(plan: Plan, destination: Destination, sources: Vec<Source>) -> Self {
        Self {
            plan,
            destination,
            folders: sources.iter().filter(|s| s.folder).count(),
            sources,
            next: 0,
            pending: Vec::new(),
            moved_below: 0,
        }
    }

    /// Handles the next entry; `done` once every source is through.
    pub fn step(&mut self, store: &mut Store) -> Outcome {
        let mut outcome = match self.pending.pop() {
            Some(task) => self.task(store, task),
            None => match self.sources.get(self.next).copied() {
                Some(source) => {
                    let phase = Phase::of(self.folders, self.next);
                    self.next += 1;
                    self.source(store, source, phase)
                }
                None => Outcome::default(),
            },
        };
        outcome.processed += std::mem::take(&mut self.moved_below);
        outcome.done = self.pending.is_empty() && self.next >= self.sources.len();
        outcome
    }

    fn source(&mut self, store: &mut Store, source: Source, phase: Phase) -> Outcome {
        let mut outcome = Outcome::default();
        let dest = match self.destination {
            Destination::Folder(dest) => Some(dest),
            Destination::OwnParent => store.entries.get(&source.id).and_then(|e| e.parent),
        };
        let Some(dest) = dest.filter(|d| store.folder(self.plan.user, *d).is_ok()) else {
            // Workspace checks nothing up front: an unknown destination ends with no effect.
            return outcome;
        };
        let plan = self.plan;
        let top = Top {
            source,
            phase,
            dest,
        };
        let found =
            if source.folder {
                match store.folder(plan.user, source.id) {
                    Ok(_) if store.is_within(dest, source.id) => {
                        Err("You cannot copy the folder to its subfolder".to_owned())
                    }
                    Ok(_) => {
                        let placed = self.folder(store, &plan, source.id, dest, Some(top));
                        outcome.processed += 1;
                        Ok(placed)
                    }
                    Err(refusal) => Err(refusal.message()),
                }
            } else {
                match store.file(plan.user, source.id) {
                    Ok(_) => Ok(file(store, &plan, source.id, dest, &mut outcome.processed)
                        .map(Started::Done)),
                    Err(refusal) => Err(refusal.message()),
                }
            };
        match found {
            // A folder with content reports when its Finish step runs.
            Ok(Some(Started::Pending)) => {}
            Ok(Some(Started::Done(placed))) => report(&mut outcome, &plan, top, Some(placed)),
            Ok(None) => report(&mut outcome, &plan, top, None),
            Err(error) => outcome.error = Some(error),
        }
        outcome
    }

    fn task(&mut self, store: &mut Store, task: Task) -> Outcome {
        let mut outcome = Outcome::default();
        match task {
            Task::Contents {
                from,
                into,
                resolve,
                after,
            } => {
                let Some((id, is_folder)) = store.next_child(from, after) else {
                    return outcome;
                };
                // The rest of the content comes after this child's own content.
                self.pending.push(Task::Contents {
                    from,
                    into,
                    resolve,
                    after: Some(id),
                });
                let plan = Plan {
                    resolve,
                    ..self.plan
                };
                if is_folder {
                    outcome.processed += 1;
                    self.folder(store, &plan, id, into, None);
                } else {
                    file(store, &plan, id, into, &mut outcome.processed);
                }
            }
            Task::Finish {
                source,
                placed,
                remove,
                top,
            } => {
                let removed = match remove {
                    Removal::Keep => false,
                    Removal::IfEmpty => store.is_empty_folder(source),
                    Removal::Always => true,
                };
                if removed {
                    store.remove(source);
                }
                let placed = match placed {
                    Placed::Merged { target, .. } => Placed::Merged { target, removed },
                    other => other,
                };
                if let Some(top) = top {
                    report(&mut outcome, &self.plan, top, Some(placed));
                }
            }
        }
        outcome
    }

    /// One folder into `dest` (merging into a same-titled folder): done at once when it moves
    /// whole or is a no-op, else its content is queued before a Finish step.
    fn folder(
        &mut self,
        store: &mut Store,
        plan: &Plan,
        id: EntryKey,
        dest: EntryKey,
        top: Option<Top>,
    ) -> Option<Started> {
        let entry = store.entries.get(&id)?;
        let title = entry.title.clone();
        let same_parent = entry.parent == Some(dest);
        let duplicate = plan.resolve == Resolve::Duplicate;
        // Fault: a folder copied into its own parent with Skip is copied beside itself.
        let copied_beside =
            same_parent && plan.copy && plan.resolve == Resolve::Skip && plan.same_parent_copies;
        if same_parent && !duplicate && !copied_beside {
            return None;
        }
        let existing = store.child_titled(dest, &title, true).filter(|e| *e != id);
        let renames = (duplicate && plan.duplicate_renames) || copied_beside;
        // Fault: a folder copied with Duplicate merges into a same-named one.
        let merges = duplicate && plan.copy && plan.duplicate_folder_merges;
        if let (Some(target), false) = (existing, renames && !merges) {
            let remove = if plan.copy {
                Removal::Keep
            } else {
                Removal::IfEmpty
            };
            let placed = Placed::Merged {
                target,
                removed: false,
            };
            self.queue(id, target, plan.resolve, placed, remove, top);
            return Some(Started::Pending);
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
            let remove = if plan.copy {
                Removal::Keep
            } else {
                Removal::Always
            };
            let placed = Placed::New(created);
            // Fault: a duplicated folder is left without its content.
            if plan.copy && plan.duplicate_folder_empty {
                return Some(Started::Done(placed));
            }
            // The content goes into a fresh folder, where nothing can clash.
            self.queue(id, created, Resolve::Skip, placed, remove, top);
            return Some(Started::Pending);
        }
        store.relocate(id, dest, None, plan.now);
        // A folder moved whole counts everything below it as processed.
        let (files, folders) = store.count_below(id);
        self.moved_below += files + folders;
        Some(Started::Done(Placed::Moved(id)))
    }

    /// Queues a folder's content into `into`, and its Finish step to run after it.
    fn queue(
        &mut self,
        from: EntryKey,
        into: EntryKey,
        resolve: Resolve,
        placed: Placed,
        remove: Removal,
        top: Option<Top>,
    ) {
        self.pending.push(Task::Finish {
            source: from,
            placed,
            remove,
            top,
        });
        self.pending.push(Task::Contents {
            from,
            into,
            resolve,
            after: None,
        });
    }
}

/// How a folder's handling started.
#[derive(Debug, Clone, Copy)]
enum Started {
    /// Finished in this step (moved whole).
    Done(Placed),
    /// Its content is queued; it reports when it finishes.
    Pending,
}

/// What the operation lists for one top-level source, by the family's rule (reference §13.6).
fn report(outcome: &mut Outcome, plan: &Plan, top: Top, placed: Option<Placed>) {
    let Top { source, phase, .. } = top;
    let placed = match placed {
        Some(Placed::Skipped(clash)) if plan.skip_reported => Some(Placed::Moved(clash)),
        Some(Placed::New(_)) if plan.copy_reports_source => Some(Placed::Moved(source.id)),
        other => other,
    };
    match plan.reported {
        ReportedEntries::LastPhase | ReportedEntries::AllPhases => {
            let all_phases = plan.reported == ReportedEntries::AllPhases;
            // Listed again by every item; the answer keeps the first of each entry.
            if all_phases || (source.folder && phase.first_folder) {
                outcome.folders.push(top.dest);
            }
            if source.folder {
                let shown = match placed {
                    // A merge-move shows the target only once the source was emptied away.
                    Some(Placed::Merged { target, removed }) => {
                        (plan.copy || removed).then_some(target)
                    }
                    other => other.and_then(Placed::result),
                };
                outcome.folders.extend(shown);
            } else {
                // DocSpace's file phase overwrites whatever the folder phase reported.
                outcome.replace = phase.first_file && !all_phases;
                outcome.files.extend(placed.and_then(Placed::result));
            }
        }
        ReportedEntries::SourcesAndResults | ReportedEntries::SourcesResultsAndDestination => {
            let Some(placed) = placed.filter(|p| p.result().is_some()) else {
                return;
            };
            let with_destination = plan.reported == ReportedEntries::SourcesResultsAndDestination;
            if source.folder || with_destination {
                outcome.folders.push(top.dest);
            }
            let list = if source.folder {
                if matches!(placed, Placed::Merged { .. }) {
                    return;
                }
                &mut outcome.folders
            } else {
                &mut outcome.files
            };
            // The source first; one that is gone or the same entry drops out when listed.
            list.push(source.id);
            list.extend(placed.result());
        }
    }
}

/// One file into `dest`; where it ended up (`None` when it was not there to handle).
fn file(
    store: &mut Store,
    plan: &Plan,
    id: EntryKey,
    dest: EntryKey,
    processed: &mut i64,
) -> Option<Placed> {
    *processed += 1;
    let entry = store.entries.get(&id)?;
    let title = entry.title.clone();
    let same_parent = entry.parent == Some(dest);
    let conflict = store.child_titled(dest, &title, false);
    match (conflict, plan.resolve, plan.copy) {
        (None, _, true) => {
            let copied = store.copy_file(id, dest, &title, plan.now)?;
            if plan.copy_empties {
                store.clear_content(copied);
            }
            Some(Placed::New(copied))
        }
        (None, _, false) if plan.move_new_id => {
            // Fault: the file is copied to the destination and the original removed, so
            // it gets a new id.
            let moved = store.copy_file(id, dest, &title, plan.now)?;
            store.remove(id);
            Some(Placed::New(moved))
        }
        (None, _, false) => {
            store.relocate(id, dest, None, plan.now);
            Some(Placed::Moved(id))
        }
        (Some(clash), Resolve::Skip, _) => Some(Placed::Skipped(clash)),
        (Some(target), Resolve::Overwrite, copy) => {
            let result = if plan.overwrite_new_id && target != id {
                // Fault: the target is replaced by a new file (a new id), not a new version.
                store.remove(target);
                store.copy_file(id, dest, &title, plan.now)?
            } else {
                if plan.overwrite_keeps_version {
                    store.replace_content(target, id);
                } else {
                    store.overwrite(target, id, plan.now);
                }
                target
            };
            if !copy && target != id {
                match store.users.get(&plan.user).map(|u| u.trash) {
                    // Fault: an overwriting move sends its source to Trash, not away for good.
                    Some(trash) if plan.overwrite_move_to_trash => {
                        store.relocate(id, trash, None, plan.now);
                    }
                    _ => {
                        store.remove(id);
                    }
                }
            }
            Some(Placed::Overwrote(result))
        }
        (Some(_), Resolve::Duplicate, true) => {
            let title = if plan.duplicate_renames {
                store.free_title(dest, &title, false)
            } else {
                title
            };
            store.copy_file(id, dest, &title, plan.now).map(Placed::New)
        }
        (Some(_), Resolve::Duplicate, false) => {
            if !same_parent {
                // Fault: the moved file takes the next free title (`a (1).docx`).
                let renamed = plan
                    .duplicate_move_renames
                    .then(|| store.free_title(dest, &title, false));
                store.relocate(id, dest, renamed, plan.now);
            }
            Some(Placed::Moved(id))
        }
    }
}

/// What GET fileops/move lists (reference §1a, §1b): the requested entries themselves that
/// clash by title at `dest`, never the entries already there; folders first, then files, each
/// once. Files clash by title (`IsExist(file.Title, toFolder)`); neither server leaves out a
/// source already in `dest`, which clashes with itself. A source folder whose lower-case title names a folder in `dest` is listed itself
/// where the dialect reports folders (DocSpace, contents not looked at); elsewhere (Workspace)
/// it is a merge and the files inside it that would clash are listed instead, at any depth,
/// after the requested files (Workspace checks files before folders). Nothing changes.
pub fn conflicts(
    store: &Store,
    user: u32,
    dest: EntryKey,
    sources: &[Source],
    include_folders: bool,
) -> Vec<EntryKey> {
    let (mut folders, mut files, mut merged) = (Vec::new(), Vec::new(), Vec::new());
    for s in sources {
        let Some(entry) = store
            .entries
            .get(&s.id)
            .filter(|e| e.owner == user && e.is_folder() == s.folder)
        else {
            continue;
        };
        if !s.folder {
            if store.child_titled(dest, &entry.title, false).is_some() {
                files.push(s.id);
            }
        } else if let Some(existing) = folder_like(store, dest, &entry.title) {
            if include_folders {
                folders.push(s.id);
            } else {
                merge_clashes(store, s.id, existing, &mut merged);
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    folders
        .into_iter()
        .chain(files)
        .chain(merged)
        .filter(|id| seen.insert(*id))
        .collect()
}

/// The oldest folder in `parent` whose title equals `title` compared lower-case (both
/// servers' `lower(title)` look-up, reference §1a, §1b).
fn folder_like(store: &Store, parent: EntryKey, title: &str) -> Option<EntryKey> {
    let title = title.to_lowercase();
    store
        .children(parent)
        .iter()
        .filter(|e| e.is_folder() && e.title.to_lowercase() == title)
        .map(|e| e.id)
        .min()
}

/// Workspace's `FolderDao.CanMoveOrCopy` for a merge of `from` into `into` (reference §1b):
/// the files directly in `from` whose lower-case title matches a file of `into`, then the same
/// for each subfolder against `into`'s same-named subfolder, depth first. A work list instead
/// of recursion, so deep trees cannot exhaust the stack.
fn merge_clashes(store: &Store, from: EntryKey, into: EntryKey, out: &mut Vec<EntryKey>) {
    let mut pending = vec![(from, into)];
    while let Some((from, into)) = pending.pop() {
        let existing: std::collections::HashSet<String> = store
            .children(into)
            .iter()
            .filter(|e| !e.is_folder())
            .map(|e| e.title.to_lowercase())
            .collect();
        let children = store.children(from);
        out.extend(
            children
                .iter()
                .filter(|e| !e.is_folder() && existing.contains(&e.title.to_lowercase()))
                .map(|e| e.id),
        );
        let nested = children
            .iter()
            .filter(|e| e.is_folder())
            .filter_map(|e| Some((e.id, folder_like(store, into, &e.title)?)));
        let at = pending.len();
        pending.extend(nested);
        pending[at..].reverse();
    }
}
