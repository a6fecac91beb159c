//! Users and their file trees: My documents, Trash, folders and files with versions.
//!
//! Every change happens under one lock, one entry at a time, so an entry is always in
//! exactly one place and never lost or duplicated, however many clients act at once.

use std::collections::{BTreeMap, BTreeSet};

/// A user's account id.
pub type UserId = u32;

/// An entry id (the portal's own storage only: numbers).
pub type EntryKey = i64;

/// A portal user.
#[derive(Debug, Clone)]
pub struct User {
    /// Account id.
    pub id: UserId,
    /// Login name.
    pub name: String,
    /// Token (also the password for `POST /api/2.0/authentication`).
    pub token: String,
    /// GUID shown in `createdBy`.
    pub guid: String,
    /// The user's My documents folder.
    pub my: EntryKey,
    /// The user's Trash folder.
    pub trash: EntryKey,
}

/// What kind of root an entry lives under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// My documents (`USER`, 5).
    My,
    /// Trash (`TRASH`, 3).
    Trash,
}

/// One stored version of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Version number from 1.
    pub number: i32,
    /// Version group.
    pub group: i32,
    /// Version comment (`Created`, `Copied`, `Overwritten`...).
    pub comment: String,
    /// Content.
    pub content: Vec<u8>,
    /// When it was made (milliseconds of the clock).
    pub at: u64,
}

/// What an entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A folder with its children.
    Folder {
        /// Child ids.
        children: BTreeSet<EntryKey>,
        /// What lies below it, all levels, kept current on every change so that progress
        /// weights and `filesCount`/`foldersCount` never walk a subtree under the lock.
        below: Below,
    },
    /// A file with its versions, current last.
    File {
        /// Versions, oldest first; the last is current.
        versions: Vec<Version>,
    },
}

/// How many files and folders lie below a folder, all levels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Below {
    /// Files.
    pub files: i64,
    /// Folders.
    pub folders: i64,
}

impl Below {
    /// What an entry adds to each folder above it: itself and, for a folder, its content.
    fn of(entry: &Entry) -> Below {
        match entry.kind {
            Kind::Folder { below, .. } => Below {
                files: below.files,
                folders: below.folders + 1,
            },
            Kind::File { .. } => Below {
                files: 1,
                folders: 0,
            },
        }
    }
}

/// A file or folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Id.
    pub id: EntryKey,
    /// Title.
    pub title: String,
    /// Parent folder (`None` for roots).
    pub parent: Option<EntryKey>,
    /// Owner.
    pub owner: UserId,
    /// Folder or file.
    pub kind: Kind,
    /// Created (clock milliseconds).
    pub created: u64,
    /// Last modified (clock milliseconds).
    pub updated: u64,
    /// Users for whom the entry is new.
    pub new_for: BTreeSet<UserId>,
}

impl Entry {
    /// Whether it is a folder.
    pub fn is_folder(&self) -> bool {
        matches!(self.kind, Kind::Folder { .. })
    }

    /// The current version of a file.
    pub fn current(&self) -> Option<&Version> {
        self.versions().last()
    }

    /// A file's stored versions, oldest first (none for a folder).
    pub fn versions(&self) -> &[Version] {
        match &self.kind {
            Kind::File { versions } => versions,
            Kind::Folder { .. } => &[],
        }
    }

    /// A file's stored version by number.
    pub fn version(&self, number: i32) -> Option<&Version> {
        self.versions().iter().find(|v| v.number == number)
    }
}

/// Why a store change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No such folder (for this user).
    FolderNotFound,
    /// No such file (for this user).
    FileNotFound,
    /// Moving or copying a folder into itself or below itself.
    IntoItself,
    /// The rule in the message.
    Forbidden(String),
    /// A bad argument.
    Invalid(String),
    /// A failure of the server's own (upstream dereferences a null entry): 500.
    Failed(String),
}

impl Refusal {
    /// The upstream message for people.
    pub fn message(&self) -> String {
        match self {
            Refusal::FolderNotFound => "The required folder was not found".into(),
            Refusal::FileNotFound => "The required file was not found".into(),
            Refusal::IntoItself => "You cannot copy the folder to its subfolder".into(),
            Refusal::Forbidden(m) | Refusal::Invalid(m) | Refusal::Failed(m) => m.clone(),
        }
    }

    /// The same refusal where upstream raises it as an `InvalidOperationException` (its
    /// `ErrorIf`) instead of a not-found: the message is kept and every family answers 403.
    pub fn as_forbidden(&self) -> Refusal {
        Refusal::Forbidden(self.message())
    }
}

/// All users and entries.
#[derive(Debug, Default)]
pub struct Store {
    /// Users by id.
    pub users: BTreeMap<UserId, User>,
    /// Entries by id.
    pub entries: BTreeMap<EntryKey, Entry>,
    /// Children by (folder, is-folder, title), so conflict look-ups stay O(log n). A B-tree
    /// rather than a hash map: it grows one node at a time, where a hash map's rehash of
    /// every title would stall all requests in the middle of a large copy.
    titles: BTreeMap<(EntryKey, bool, String), BTreeSet<EntryKey>>,
    next_id: EntryKey,
}

impl Store {
    /// A store with these `(name, token)` users, each with an empty My documents and Trash.
    pub fn with_users(users: &[(String, String)], now: u64) -> Self {
        let mut store = Store {
            next_id: 1,
            ..Store::default()
        };
        for (i, (name, token)) in users.iter().enumerate() {
            let id = i as UserId + 1;
            let my = store.insert_root(id, "My documents", now);
            let trash = store.insert_root(id, "Trash", now);
            let guid = format!("00000000-0000-4000-8000-{:012x}", id);
            store.users.insert(
                id,
                User {
                    id,
                    name: name.clone(),
                    token: token.clone(),
                    guid,
                    my,
                    trash,
                },
            );
        }
        store
    }

    fn insert_root(&mut self, owner: UserId, title: &str, now: u64) -> EntryKey {
        let id = self.fresh_id();
        self.entries
            .insert(id, new_entry(id, title, None, owner, empty_folder(), now));
        id
    }

    fn fresh_id(&mut self) -> EntryKey {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The user with this token.
    pub fn user_by_token(&self, token: &str) -> Option<&User> {
        self.users.values().find(|u| u.token == token)
    }

    /// The user's entry with this id, if it is a folder.
    pub fn folder(&self, user: UserId, id: EntryKey) -> Result<&Entry, Refusal> {
        match self.entries.get(&id) {
            Some(e) if e.owner == user && e.is_folder() => Ok(e),
            _ => Err(Refusal::FolderNotFound),
        }
    }

    /// The user's entry with this id, if it is a file.
    pub fn file(&self, user: UserId, id: EntryKey) -> Result<&Entry, Refusal> {
        match self.entries.get(&id) {
            Some(e) if e.owner == user && !e.is_folder() => Ok(e),
            _ => Err(Refusal::FileNotFound),
        }
    }

    /// The top folder above an entry (the entry itself for a root).
    pub fn top(&self, id: EntryKey) -> EntryKey {
        let mut current = id;
        while let Some(parent) = self.entries.get(&current).and_then(|e| e.parent) {
            current = parent;
        }
        current
    }

    /// The root an entry lives under: its owner's Trash, or My documents.
    pub fn root_of(&self, id: EntryKey) -> Root {
        let owner_trash = self
            .entries
            .get(&id)
            .and_then(|e| self.users.get(&e.owner))
            .map(|u| u.trash);
        if owner_trash == Some(self.top(id)) {
            Root::Trash
        } else {
            Root::My
        }
    }

    /// The path from the root down to `id`, root first.
    pub fn path(&self, id: EntryKey) -> Vec<EntryKey> {
        let mut path = vec![id];
        let mut current = self.entries.get(&id).and_then(|e| e.parent);
        while let Some(c) = current {
            path.push(c);
            current = self.entries.get(&c).and_then(|e| e.parent);
        }
        path.reverse();
        path
    }

    /// Children of a folder (folders first, then files, each by title then id).
    pub fn children(&self, id: EntryKey) -> Vec<&Entry> {
        self.children_in_order(id).collect()
    }

    /// Children of a folder in the order [`Store::children`] lists them, read off the title
    /// index as they come, so a page or a count never sorts the whole folder.
    pub fn children_in_order(&self, id: EntryKey) -> impl Iterator<Item = &Entry> + '_ {
        let from = |is_folder: bool| (id, is_folder, String::new());
        let folders = self
            .titles
            .range(from(true)..(id + 1, false, String::new()));
        let files = self.titles.range(from(false)..from(true));
        folders
            .chain(files)
            .flat_map(|(_, ids)| ids.iter())
            .filter_map(|child| self.entries.get(child))
    }

    /// How many children a folder has.
    pub fn child_count(&self, id: EntryKey) -> usize {
        match self.entries.get(&id).map(|e| &e.kind) {
            Some(Kind::Folder { children, .. }) => children.len(),
            _ => 0,
        }
    }

    /// The child of `folder` after `after` in id order (the first one for `None`), and whether
    /// it is a folder: a walk over a folder's content that costs one look-up per step.
    pub fn next_child(
        &self,
        folder: EntryKey,
        after: Option<EntryKey>,
    ) -> Option<(EntryKey, bool)> {
        use std::ops::Bound::{Excluded, Unbounded};
        let Some(Kind::Folder { children, .. }) = self.entries.get(&folder).map(|e| &e.kind) else {
            return None;
        };
        let from = after.map_or(Unbounded, Excluded);
        children
            .range((from, Unbounded))
            .find_map(|id| Some((*id, self.entries.get(id)?.is_folder())))
    }

    /// Files and folders below a folder, all levels (kept current, so O(1)).
    pub fn count_below(&self, id: EntryKey) -> (i64, i64) {
        match self.entries.get(&id).map(|e| &e.kind) {
            Some(Kind::Folder { below, .. }) => (below.files, below.folders),
            _ => (0, 0),
        }
    }

    /// Whether a folder has no children (an unknown id or a file counts as empty).
    pub fn is_empty_folder(&self, id: EntryKey) -> bool {
        match self.entries.get(&id).map(|e| &e.kind) {
            Some(Kind::Folder { children, .. }) => children.is_empty(),
            _ => true,
        }
    }

    /// Adds `delta` (or takes it away) from the counts of `folder` and every folder above it.
    fn carry(&mut self, folder: EntryKey, delta: Below, add: bool) {
        let sign = if add { 1 } else { -1 };
        let mut current = Some(folder);
        while let Some(id) = current {
            let Some(entry) = self.entries.get_mut(&id) else {
                return;
            };
            if let Kind::Folder { below, .. } = &mut entry.kind {
                below.files += sign * delta.files;
                below.folders += sign * delta.folders;
            }
            current = entry.parent;
        }
    }

    /// A child of `folder` with this title and kind (the oldest if there are several).
    pub fn child_titled(&self, folder: EntryKey, title: &str, is_folder: bool) -> Option<EntryKey> {
        self.titles
            .get(&(folder, is_folder, title.to_owned()))
            .and_then(|ids| ids.first().copied())
    }

    /// Whether `id` is `ancestor` or lies below it.
    pub fn is_within(&self, id: EntryKey, ancestor: EntryKey) -> bool {
        self.path(id).contains(&ancestor)
    }

    /// Creates a folder.
    pub fn create_folder(
        &mut self,
        user: UserId,
        parent: EntryKey,
        title: &str,
        now: u64,
    ) -> Result<EntryKey, Refusal> {
        self.folder(user, parent)?;
        if self.root_of(parent) == Root::Trash {
            return Err(Refusal::Forbidden("Access denied".into()));
        }
        self.create_folder_anywhere(user, parent, title, now)
    }

    /// Creates a folder without refusing one in Trash (for the `create-anywhere` fault).
    pub fn create_folder_anywhere(
        &mut self,
        user: UserId,
        parent: EntryKey,
        title: &str,
        now: u64,
    ) -> Result<EntryKey, Refusal> {
        self.folder(user, parent)?;
        let id = self.fresh_id();
        self.entries.insert(
            id,
            new_entry(id, title, Some(parent), user, empty_folder(), now),
        );
        self.link(parent, id);
        Ok(id)
    }

    /// Creates a file with one version.
    pub fn create_file(
        &mut self,
        user: UserId,
        parent: EntryKey,
        title: &str,
        content: Vec<u8>,
        comment: &str,
        now: u64,
    ) -> Result<EntryKey, Refusal> {
        self.folder(user, parent)?;
        let id = self.fresh_id();
        let kind = Kind::File {
            versions: vec![Version {
                number: 1,
                group: 1,
                comment: comment.into(),
                content,
                at: now,
            }],
        };
        self.entries
            .insert(id, new_entry(id, title, Some(parent), user, kind, now));
        self.link(parent, id);
        Ok(id)
    }

    fn title_key(&self, parent: EntryKey, child: EntryKey) -> Option<(EntryKey, bool, String)> {
        self.entries
            .get(&child)
            .map(|e| (parent, e.is_folder(), e.title.clone()))
    }

    fn link(&mut self, parent: EntryKey, child: EntryKey) {
        let Some(delta) = self.entries.get(&child).map(Below::of) else {
            return;
        };
        if let Some(key) = self.title_key(parent, child) {
            self.titles.entry(key).or_default().insert(child);
        }
        if let Some(Kind::Folder { children, .. }) =
            self.entries.get_mut(&parent).map(|e| &mut e.kind)
        {
            children.insert(child);
        }
        self.carry(parent, delta, true);
    }

    fn unlink(&mut self, parent: Option<EntryKey>, child: EntryKey) {
        let Some(parent) = parent else { return };
        let Some(delta) = self.entries.get(&child).map(Below::of) else {
            return;
        };
        if let Some(key) = self.title_key(parent, child) {
            if let Some(ids) = self.titles.get_mut(&key) {
                ids.remove(&child);
                if ids.is_empty() {
                    self.titles.remove(&key);
                }
            }
        }
        if let Some(Kind::Folder { children, .. }) =
            self.entries.get_mut(&parent).map(|e| &mut e.kind)
        {
            children.remove(&child);
        }
        self.carry(parent, delta, false);
    }

    /// Moves an entry under another folder (title optionally changed).
    pub fn relocate(&mut self, id: EntryKey, to: EntryKey, title: Option<String>, now: u64) {
        let parent = self.entries.get(&id).and_then(|e| e.parent);
        self.unlink(parent, id);
        if let Some(e) = self.entries.get_mut(&id) {
            e.parent = Some(to);
            e.updated = now;
            if let Some(t) = title {
                e.title = t;
            }
        }
        self.link(to, id);
    }

    /// Copies a file into a folder with a title and comment; returns the copy's id.
    pub fn copy_file(
        &mut self,
        id: EntryKey,
        to: EntryKey,
        title: &str,
        now: u64,
    ) -> Option<EntryKey> {
        let source = self.entries.get(&id)?.clone();
        let content = source.current()?.content.clone();
        self.create_file(source.owner, to, title, content, "Copied", now)
            .ok()
    }

    /// Adds a version to `target` with the content of `source` (Overwrite).
    pub fn overwrite(&mut self, target: EntryKey, source: EntryKey, now: u64) {
        let Some(content) = self
            .entries
            .get(&source)
            .and_then(|e| e.current())
            .map(|v| v.content.clone())
        else {
            return;
        };
        if let Some(e) = self.entries.get_mut(&target) {
            e.updated = now;
            if let Kind::File { versions } = &mut e.kind {
                let last = versions.last().cloned();
                let (number, group) = last.map_or((1, 1), |v| (v.number + 1, v.group + 1));
                versions.push(Version {
                    number,
                    group,
                    comment: "Overwritten".into(),
                    content,
                    at: now,
                });
            }
        }
    }

    /// Empties the current version's content (a fault's copy).
    pub fn clear_content(&mut self, target: EntryKey) {
        if let Some(Kind::File { versions }) = self.entries.get_mut(&target).map(|e| &mut e.kind) {
            if let Some(current) = versions.last_mut() {
                current.content.clear();
            }
        }
    }

    /// Replaces the current version's content in place (no new version).
    pub fn replace_content(&mut self, target: EntryKey, source: EntryKey) {
        let Some(content) = self
            .entries
            .get(&source)
            .and_then(|e| e.current())
            .map(|v| v.content.clone())
        else {
            return;
        };
        if let Some(Kind::File { versions }) = self.entries.get_mut(&target).map(|e| &mut e.kind) {
            if let Some(current) = versions.last_mut() {
                current.content = content;
            }
        }
    }

    /// Removes an entry and everything below it for good; returns how many were removed.
    pub fn remove(&mut self, id: EntryKey) -> i64 {
        let parent = self.entries.get(&id).and_then(|e| e.parent);
        self.unlink(parent, id);
        let mut removed = 0;
        let mut stack = vec![id];
        while let Some(current) = stack.pop() {
            if let Some(e) = self.entries.remove(&current) {
                removed += 1;
                if let (Some(p), true) = (e.parent, current != id) {
                    let key = (p, e.is_folder(), e.title.clone());
                    if let Some(ids) = self.titles.get_mut(&key) {
                        ids.remove(&current);
                        if ids.is_empty() {
                            self.titles.remove(&key);
                        }
                    }
                }
                if let Kind::Folder { children, .. } = e.kind {
                    stack.extend(children);
                }
            }
        }
        removed
    }

    /// Removes one version of a file (not the current one).
    pub fn remove_version(&mut self, id: EntryKey, number: i32) {
        if let Some(Kind::File { versions }) = self.entries.get_mut(&id).map(|e| &mut e.kind) {
            if versions.len() > 1 && versions.last().map(|v| v.number) != Some(number) {
                versions.retain(|v| v.number != number);
            }
        }
    }

    /// The next free title in a folder: `a.docx` → `a (1).docx` (files), `F` → `F (1)` (folders).
    pub fn free_title(&self, folder: EntryKey, title: &str, is_folder: bool) -> String {
        if self.child_titled(folder, title, is_folder).is_none() {
            return title.to_owned();
        }
        let (stem, ext) = match (is_folder, title.rfind('.')) {
            (false, Some(dot)) if dot > 0 => (&title[..dot], &title[dot..]),
            _ => (title, ""),
        };
        (1..)
            .map(|n| format!("{stem} ({n}){ext}"))
            .find(|candidate| self.child_titled(folder, candidate, is_folder).is_none())
            .unwrap_or_else(|| title.to_owned())
    }
}

fn empty_folder() -> Kind {
    Kind::Folder {
        children: BTreeSet::new(),
        below: Below::default(),
    }
}

fn new_entry(
    id: EntryKey,
    title: &str,
    parent: Option<EntryKey>,
    owner: UserId,
    kind: Kind,
    now: u64,
) -> Entry {
    Entry {
        id,
        title: title.to_owned(),
        parent,
        owner,
        kind,
        created: now,
        updated: now,
        new_for: BTreeSet::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(store: &Store, id: EntryKey) -> (i64, i64) {
        store.children(id).iter().fold((0, 0), |(f, d), e| {
            if e.is_folder() {
                let (files, folders) = walk(store, e.id);
                (f + files, d + folders + 1)
            } else {
                (f + 1, d)
            }
        })
    }

    fn check(store: &Store) {
        for (id, entry) in &store.entries {
            if entry.is_folder() {
                assert_eq!(store.count_below(*id), walk(store, *id), "counts of {id}");
                let mut sorted = store.children(*id);
                sorted.sort_by(|a, b| {
                    (!a.is_folder(), &a.title, a.id).cmp(&(!b.is_folder(), &b.title, b.id))
                });
                let listed: Vec<_> = store.children(*id).iter().map(|e| e.id).collect();
                let expected: Vec<_> = sorted.iter().map(|e| e.id).collect();
                assert_eq!(listed, expected, "order of {id}");
                assert_eq!(store.child_count(*id), listed.len());
            }
        }
    }

    #[test]
    fn kept_counts_and_order_follow_every_change() {
        let mut store = Store::with_users(&[("a".into(), "t".into())], 0);
        let my = store.users[&1].my;
        let a = store.create_folder(1, my, "A", 0).unwrap();
        let b = store.create_folder(1, a, "B", 0).unwrap();
        let z = store.create_folder(1, my, "Z", 0).unwrap();
        for title in ["z.docx", "b.docx", "b.docx", "a.docx"] {
            store
                .create_file(1, b, title, Vec::new(), "Created", 0)
                .unwrap();
        }
        let top = store
            .create_file(1, a, "top.docx", Vec::new(), "Created", 0)
            .unwrap();
        check(&store);
        assert_eq!(store.count_below(my), (5, 3));
        store.relocate(b, z, Some("B2".into()), 1);
        check(&store);
        assert_eq!(store.count_below(a), (1, 0));
        assert_eq!(store.count_below(z), (4, 1));
        store.copy_file(top, b, "top.docx", 2).unwrap();
        check(&store);
        assert_eq!(store.count_below(z), (5, 1));
        assert_eq!(store.remove(z), 7);
        check(&store);
        assert_eq!(store.count_below(my), (1, 1));
        assert!(!store.is_empty_folder(my) && !store.is_empty_folder(a));
        assert!(store.is_empty_folder(b), "a removed folder holds nothing");
    }
}
