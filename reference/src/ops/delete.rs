//! Delete to Trash or for good, empty trash, and delete file versions (reference §13.7, §13.8).

use crate::engine::Outcome;
use crate::store::{EntryKey, Root, Store, UserId};

use super::Source;

/// Deletes one source: into the caller's Trash, or for good with `immediately` or when it is
/// already in Trash.
pub fn item(
    store: &mut Store,
    user: UserId,
    source: Source,
    immediately: bool,
    now: u64,
) -> Outcome {
    let mut outcome = Outcome::default();
    let found = if source.folder {
        store.folder(user, source.id)
    } else {
        store.file(user, source.id)
    };
    if let Err(refusal) = found {
        outcome.error = Some(refusal.message());
        return outcome;
    }
    let Some(trash) = store.users.get(&user).map(|u| u.trash) else {
        return outcome;
    };
    if source.id == trash || store.users.get(&user).is_some_and(|u| u.my == source.id) {
        outcome.error = Some("You don't have enough permission to delete the folder".into());
        return outcome;
    }
    if immediately || store.root_of(source.id) == Root::Trash {
        outcome.processed = store.remove(source.id);
    } else {
        let (files, folders) = if source.folder {
            store.count_below(source.id)
        } else {
            (0, 0)
        };
        store.relocate(source.id, trash, None, now);
        outcome.processed = 1 + files + folders;
    }
    outcome
}

/// The top-level entries of the caller's Trash.
pub fn trash_contents(store: &Store, user: UserId) -> Vec<Source> {
    let Some(trash) = store.users.get(&user).map(|u| u.trash) else {
        return Vec::new();
    };
    store
        .children(trash)
        .iter()
        .map(|e| Source {
            id: e.id,
            folder: e.is_folder(),
        })
        .collect()
}

/// What deleting versions with an empty list does to the whole file.
#[derive(Debug, Clone, Copy)]
pub struct WholeFile {
    /// Whose Trash it would go to.
    pub user: UserId,
    /// For good, or to the Trash.
    pub for_good: bool,
    /// Now, for the move to Trash.
    pub now: u64,
}

/// Deletes versions of a file; an empty list deletes the whole file as `whole` says.
pub fn versions(store: &mut Store, file: EntryKey, versions: &[i32], whole: WholeFile) -> Outcome {
    if versions.is_empty() {
        let source = Source {
            id: file,
            folder: false,
        };
        return item(store, whole.user, source, whole.for_good, whole.now);
    }
    let mut outcome = Outcome::default();
    for v in versions {
        store.remove_version(file, *v);
        outcome.processed += 1;
    }
    outcome.files.push(file);
    outcome
}
