//! The effects of each operation, one entry at a time, as upstream performs them.
//! Each function runs under the store lock and reports what it processed.

pub mod delete;
pub mod download;
pub mod move_copy;

use crate::store::{EntryKey, Store, UserId};

/// A source of an operation: a file or a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// Entry id.
    pub id: EntryKey,
    /// Whether the request named it as a folder.
    pub folder: bool,
}

/// The sources a request names: folders first, then files (upstream's order).
pub fn sources(folders: &[EntryKey], files: &[EntryKey]) -> Vec<Source> {
    folders
        .iter()
        .map(|&id| Source { id, folder: true })
        .chain(files.iter().map(|&id| Source { id, folder: false }))
        .collect()
}

/// The weight of the sources for progress: files, plus each folder with everything below it.
pub fn weight(store: &Store, sources: &[Source]) -> i64 {
    sources
        .iter()
        .map(|s| {
            if s.folder {
                let (files, folders) = store.count_below(s.id);
                1 + files + folders
            } else {
                1
            }
        })
        .sum()
}

/// Whether a source exists for this user with the kind it was named as.
pub fn exists(store: &Store, user: UserId, source: Source) -> bool {
    if source.folder {
        store.folder(user, source.id).is_ok()
    } else {
        store.file(user, source.id).is_ok()
    }
}
