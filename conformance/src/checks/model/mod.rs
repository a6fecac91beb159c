//! Property-based: random sequences of operations on files and folders, by one user or two,
//! run against the server and compared, after every step, with a model of each user's tree
//! and Trash; a failure is shrunk to a minimal sequence and reported with the seed.
//!
//! Each user (the second one only with `--token2`) gets a fresh root folder per sequence: the
//! first user's in the run's work folder, the second's in a work folder this check creates in
//! that user's own My documents and removes for good at the end. The start is generated (and
//! shrunk) too: folders `/x` and `/папка`, maybe `/папка/x`, any of the files in them, and maybe a
//! file and an empty folder already in Trash. A step creates a file or a nested folder, moves
//! or copies a file (Skip, Overwrite, Duplicate) or a folder with its subtree (Skip,
//! Overwrite, Duplicate; a same-titled folder at the destination is merged recursively with the
//! same resolve type, and a moved source goes only when emptied, except that DocSpace copies
//! with Duplicate as `Name (1)`, §13.6), deletes an entry into
//! Trash (a folder with its subtree) or for good, or deletes an entry that is in Trash (for
//! good even without `immediately`, §13.7). Isolation steps have the second user try to move,
//! copy or delete the first user's entries (Trash included), or put its own entries into the
//! first user's folders: the model predicts that nothing changes in either tree, whatever the
//! answer, a 4xx or an operation that ends with an error (§9, §13.6, §13.7). Move and copy
//! requests use a random enum encoding, so any encoding that the server reads differently
//! shows up as a divergence from the model.
//!
//! Where a fact is open the model asks only what every reading allows (§13.10): entries are
//! compared as sets of titles per folder (with their counts), never in order; titles never
//! differ by case only; a copied file's version is not predicted (only a new file's 1 and
//! Overwrite's + 1); no folder Duplicate move onto a same-titled folder in DocSpace (two folders
//! of one title); no transfer into the entry's
//! own parent or its own subtree (both families refuse the latter), none merging into a
//! folder that holds the source, and none whose effect would depend on which of two
//! same-titled files a server takes. Trash is compared on the entries this sequence put
//! there, found by id, so whatever else the user's Trash holds does not matter. Every file a
//! sequence makes is a blank `.docx` or a copy of one, so all files of a user's tree must show
//! one `pureContentLength` (§13.5, §13.6): a copy that loses or changes content diverges.

use fileops_api::client::Client;
use fileops_api::operations::*;
use fileops_api::runtime::client::{ClientError, EnumEncoding, Exchange};
use fileops_api::runtime::{EntryId, Format};
use fileops_api::types::FileConflictResolveType as Resolve;
use fileops_api::types::{BatchRequest, DeleteBatchRequest, FolderContent};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::Union;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use proptest_state_machine::ReferenceStateMachine;
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

use crate::context::{
    answer, create_file_with, create_folder_with, failed, my_folder_with, started, Ctx,
};
use crate::outcome::{Outcome, Step};

/// File titles (distinct beyond case, and from the folder titles); one in Cyrillic, as on
/// R7's Russian portals.
const FILES: [&str; 3] = ["a.docx", "b.docx", "отчёт.docx"];
/// Folder titles; each root starts with one empty folder of each.
const FOLDERS: [&str; 2] = ["x", "папка"];
/// How deep a new folder may be created (the root is depth 0).
const MAX_DEPTH: usize = 3;
/// How deep the server's tree is listed (a bound against a server gone wrong).
const LIST_DEPTH: usize = 10;
/// Entries per page of a folder listing: small, so that most folders are read over several
/// pages and every page's `total` is compared with what the pages held (§13.2).
const PAGE: i32 = 2;
/// Entries per page of Trash, which holds whatever else the run deleted (DocSpace allows
/// at most 100, §13.2).
const TRASH_PAGE: i32 = 100;

thread_local! {
    /// Whether the dialect renames Duplicate copies (set per run; the model reads it).
    static RENAMES: Cell<bool> = const { Cell::new(true) };
    /// How many users take part (set per run).
    static USERS: Cell<usize> = const { Cell::new(1) };
}

/// Who does a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The first user (`--token`).
    A,
    /// The second user (`--token2`).
    B,
}

impl Who {
    fn of(index: usize) -> Who {
        if index == 0 {
            Who::A
        } else {
            Who::B
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A folder, as the titles on the way from the user's root (`/` is the root).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct At(Vec<String>);

impl At {
    fn child(&self, title: &str) -> At {
        let mut path = self.0.clone();
        path.push(title.to_owned());
        At(path)
    }

    /// The parent and the last title (`None` for the root).
    fn split(&self) -> Option<(At, &str)> {
        let (last, parent) = self.0.split_last()?;
        Some((At(parent.to_vec()), last))
    }

    /// Whether this is `other` or lies inside it.
    fn within(&self, other: &At) -> bool {
        self.0.starts_with(&other.0)
    }
}

impl Item {
    /// The entry's title.
    fn title(&self) -> &str {
        match self {
            Item::File(_, title) => title,
            Item::Folder(at) => at.0.last().map_or("", String::as_str),
        }
    }

    /// Whether this entry lies in `folder` or below it (a folder: or is it).
    fn within(&self, folder: &At) -> bool {
        match self {
            Item::File(at, _) | Item::Folder(at) => at.within(folder),
        }
    }

    /// Whether moving this entry and `other` into `to` in one request does each one's move
    /// alone: neither inside the other, different titles, and neither inside the folder the
    /// other one merges into. Then the order a server takes them in does not matter.
    fn apart(&self, other: &Item, to: &At) -> bool {
        let inside = |a: &Item, b: &Item| match b {
            Item::Folder(folder) => a.within(folder) || a.within(&to.child(b.title())),
            Item::File(..) => false,
        };
        self != other
            && self.title() != other.title()
            && !inside(self, other)
            && !inside(other, self)
    }
}

impl fmt::Debug for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.0.join("/"))
    }
}

/// An entry of a user's tree.
#[derive(Clone, PartialEq, Eq)]
pub enum Item {
    /// The file of this title in a folder.
    File(At, String),
    /// A folder (never the root).
    Folder(At),
}

impl fmt::Debug for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::File(at, title) if at.0.is_empty() => write!(f, "file /{title}"),
            Item::File(at, title) => write!(f, "file {at:?}/{title}"),
            Item::Folder(at) => write!(f, "folder {at:?}"),
        }
    }
}

/// A top-level entry of Trash.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Trashed {
    folder: bool,
    title: String,
}

impl fmt::Debug for Trashed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.folder { "folder" } else { "file" };
        write!(f, "{kind} {}", self.title)
    }
}

/// A file: its title and, where the rules fix it, its version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Doc {
    title: String,
    version: Option<i32>,
}

/// A folder's content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dir {
    /// Files, kept sorted.
    files: Vec<Doc>,
    /// Subfolders by title (a folder never holds two of one title here).
    dirs: BTreeMap<String, Dir>,
}

impl Dir {
    fn at(&self, at: &At) -> Option<&Dir> {
        at.0.iter().try_fold(self, |dir, t| dir.dirs.get(t))
    }

    fn at_mut(&mut self, at: &At) -> Option<&mut Dir> {
        at.0.iter().try_fold(self, |dir, t| dir.dirs.get_mut(t))
    }

    fn count(&self, title: &str) -> usize {
        self.files.iter().filter(|d| d.title == title).count()
    }

    /// Whether no folder of the subtree holds two files of one title.
    fn clean(&self) -> bool {
        self.files.windows(2).all(|w| w[0].title != w[1].title)
            && self.dirs.values().all(Dir::clean)
    }

    /// A copy of the subtree: new files, whose versions the model does not predict.
    fn copied(&self) -> Dir {
        Dir {
            files: self
                .files
                .iter()
                .map(|d| Doc {
                    title: d.title.clone(),
                    version: None,
                })
                .collect(),
            dirs: self
                .dirs
                .iter()
                .map(|(t, d)| (t.clone(), d.copied()))
                .collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.files.is_empty() && self.dirs.is_empty()
    }

    fn add(&mut self, doc: Doc) {
        self.files.push(doc);
        self.files.sort();
    }

    fn take(&mut self, title: &str) -> Option<Doc> {
        let i = self.files.iter().position(|d| d.title == title)?;
        Some(self.files.remove(i))
    }

    /// Every folder of the subtree, this one first.
    fn folders(&self, at: At, out: &mut Vec<At>) {
        out.push(at.clone());
        for (t, d) in &self.dirs {
            d.folders(at.child(t), out);
        }
    }
}

/// One user's side: the tree under the sequence's root, and what the sequence put in Trash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    root: Dir,
    /// Kept sorted.
    trash: Vec<Trashed>,
}

impl Side {
    fn fresh() -> Side {
        let dirs = FOLDERS
            .iter()
            .map(|t| (t.to_string(), Dir::default()))
            .collect();
        Side {
            root: Dir {
                files: Vec::new(),
                dirs,
            },
            trash: Vec::new(),
        }
    }

    fn folders(&self) -> Vec<At> {
        let mut out = Vec::new();
        self.root.folders(At::default(), &mut out);
        out
    }

    /// Every entry but the root (a file title once per folder).
    fn items(&self) -> Vec<Item> {
        let mut out = Vec::new();
        for at in self.folders() {
            let dir = self.root.at(&at).expect("listed");
            let titles: BTreeSet<&String> = dir.files.iter().map(|d| &d.title).collect();
            out.extend(
                titles
                    .into_iter()
                    .map(|t| Item::File(at.clone(), t.clone())),
            );
            if !at.0.is_empty() {
                out.push(Item::Folder(at));
            }
        }
        out
    }

    fn has(&self, item: &Item) -> bool {
        match item {
            Item::File(at, title) => self.root.at(at).is_some_and(|d| d.count(title) > 0),
            Item::Folder(at) => !at.0.is_empty() && self.root.at(at).is_some(),
        }
    }

    /// The resolve types the model predicts for moving or copying `item` into `to`; empty
    /// where it predicts nothing (or the move is of a kind left out, see the module notes).
    /// `renames`: the family renames Duplicate copies (DocSpace).
    fn resolves(&self, item: &Item, to: &At, copy: bool, renames: bool) -> Vec<Resolve> {
        let Some(dest) = self.root.at(to) else {
            return Vec::new();
        };
        match item {
            Item::File(at, title) => {
                let alone = self.root.at(at).is_some_and(|d| d.count(title) == 1);
                if !alone || at == to {
                    return Vec::new();
                }
                if dest.count(title) > 1 {
                    vec![Resolve::Skip, Resolve::Duplicate]
                } else {
                    vec![Resolve::Skip, Resolve::Overwrite, Resolve::Duplicate]
                }
            }
            Item::Folder(at) => {
                let (Some(source), Some((parent, title))) = (self.root.at(at), at.split()) else {
                    return Vec::new();
                };
                if to.within(at) || *to == parent || !source.clean() {
                    return Vec::new();
                }
                let Some(existing) = dest.dirs.get(title) else {
                    return vec![Resolve::Skip, Resolve::Overwrite, Resolve::Duplicate];
                };
                // A merge into a folder that holds the source would move the source
                // while it is read; a merge with same-titled files is ambiguous.
                if at.within(&to.child(title)) || !existing.clean() {
                    return Vec::new();
                }
                // Duplicate onto a namesake: DocSpace copies as `Name (1)` and moves beside
                // it (two folders of one title, which the model does not hold); Workspace
                // merges as with the other types (§13.6, folders).
                match (renames, copy) {
                    (true, false) => vec![Resolve::Skip, Resolve::Overwrite],
                    _ => vec![Resolve::Skip, Resolve::Overwrite, Resolve::Duplicate],
                }
            }
        }
    }

    fn transfer(&mut self, item: &Item, to: &At, copy: bool, resolve: Resolve, renames: bool) {
        match item {
            Item::File(at, title) => {
                let mut source = self.root.at(at).cloned().unwrap_or_default();
                if let Some(dest) = self.root.at_mut(to) {
                    put_file(&mut source, title, dest, resolve, copy, renames);
                }
                if let Some(dir) = self.root.at_mut(at) {
                    dir.files = source.files;
                }
            }
            Item::Folder(at) => {
                let (Some(source), Some((parent, title))) = (self.root.at(at).cloned(), at.split())
                else {
                    return;
                };
                let Some(dest) = self.root.at_mut(to) else {
                    return;
                };
                let renamed = renames && resolve == Resolve::Duplicate;
                let left = match dest.dirs.get_mut(title) {
                    None if copy => {
                        dest.dirs.insert(title.to_owned(), source.copied());
                        return;
                    }
                    Some(_) if copy && renamed => {
                        let titles: Vec<String> = dest.dirs.keys().cloned().collect();
                        dest.dirs
                            .insert(free_folder_title(&titles, title), source.copied());
                        return;
                    }
                    None => {
                        dest.dirs.insert(title.to_owned(), source);
                        None
                    }
                    Some(existing) => {
                        let mut left = source;
                        merge(&mut left, existing, resolve, copy);
                        Some(left).filter(|l| !l.is_empty())
                    }
                };
                if copy {
                    return;
                }
                if let Some(parent) = self.root.at_mut(&parent) {
                    match left {
                        Some(left) => parent.dirs.insert(title.to_owned(), left),
                        None => parent.dirs.remove(title),
                    };
                }
            }
        }
    }

    fn delete(&mut self, item: &Item, immediately: bool) {
        let (removed, folder) = match item {
            Item::File(at, title) => (
                self.root.at_mut(at).and_then(|d| d.take(title)).is_some(),
                false,
            ),
            Item::Folder(at) => {
                let removed = at.split().is_some_and(|(parent, title)| {
                    self.root
                        .at_mut(&parent)
                        .and_then(|p| p.dirs.remove(title))
                        .is_some()
                });
                (removed, true)
            }
        };
        if removed && !immediately {
            let title = match item {
                Item::File(_, title) => title.clone(),
                Item::Folder(at) => at.0.last().cloned().unwrap_or_default(),
            };
            self.trash.push(Trashed { folder, title });
            self.trash.sort();
        }
    }
}

/// Moves or copies the file `title` of `source` into `dest` (§13.6, files).
fn put_file(
    source: &mut Dir,
    title: &str,
    dest: &mut Dir,
    resolve: Resolve,
    copy: bool,
    renames: bool,
) {
    let Some(doc) = source.files.iter().find(|d| d.title == title).cloned() else {
        return;
    };
    let clashes = dest.count(title);
    let copy_titled = |title: String| Doc {
        title,
        version: None,
    };
    let placed = match (clashes, resolve) {
        (0, _) => {
            dest.add(if copy { copy_titled(doc.title) } else { doc });
            true
        }
        // The model never sends an unlisted resolution; one would change nothing.
        (_, Resolve::Skip | Resolve::Unlisted(_) | Resolve::UnlistedName(_)) => false,
        (_, Resolve::Overwrite) => {
            // A new version of the existing file: version + 1.
            for d in dest.files.iter_mut().filter(|d| d.title == title) {
                d.version = if clashes == 1 {
                    d.version.map(|v| v + 1)
                } else {
                    None
                };
            }
            true
        }
        (_, Resolve::Duplicate) if copy => {
            let title = if renames {
                let titles: Vec<String> = dest.files.iter().map(|d| d.title.clone()).collect();
                free_title(&titles, title)
            } else {
                doc.title
            };
            dest.add(copy_titled(title));
            true
        }
        (_, Resolve::Duplicate) => {
            dest.add(doc);
            true
        }
    };
    if placed && !copy {
        source.take(title);
    }
}

/// Merges `source` into the same-titled `into` (§13.6, folders): files and subfolders go in
/// with the same resolve type, same-titled subfolders merge in turn and, on a move, leave
/// their source only when emptied. `source` keeps what stays behind.
fn merge(source: &mut Dir, into: &mut Dir, resolve: Resolve, copy: bool) {
    let titles: Vec<String> = source.files.iter().map(|d| d.title.clone()).collect();
    for title in titles {
        put_file(source, &title, into, resolve.clone(), copy, false);
    }
    for (title, mut sub) in std::mem::take(&mut source.dirs) {
        let stays = match into.dirs.get_mut(&title) {
            Some(existing) => {
                merge(&mut sub, existing, resolve.clone(), copy);
                copy || !sub.is_empty()
            }
            None => {
                into.dirs
                    .insert(title.clone(), if copy { sub.copied() } else { sub.clone() });
                copy
            }
        };
        if stays {
            source.dirs.insert(title, sub);
        }
    }
}

/// The next free title for a folder: ` (n)` at the end (§13.6).
fn free_folder_title(titles: &[String], title: &str) -> String {
    (1..)
        .map(|n| format!("{title} ({n})"))
        .find(|c| !titles.contains(c))
        .unwrap_or_default()
}

fn free_title(titles: &[String], title: &str) -> String {
    if !titles.iter().any(|t| t == title) {
        return title.to_owned();
    }
    let (stem, ext) = title
        .rsplit_once('.')
        .map_or((title, String::new()), |(s, e)| (s, format!(".{e}")));
    (1..)
        .map(|n| format!("{stem} ({n}){ext}"))
        .find(|c| !titles.contains(c))
        .unwrap_or_default()
}

/// Each user's side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    sides: Vec<Side>,
    renames: bool,
}

impl Model {
    #[cfg(test)]
    fn new(users: usize, renames: bool) -> Model {
        Model {
            sides: vec![Side::fresh(); users],
            renames,
        }
    }

    fn side(&self, who: Who) -> Option<&Side> {
        self.sides.get(who.index())
    }

    /// The trees in one line: every folder with its files, per user.
    fn describe(&self) -> String {
        let sides: Vec<String> = self
            .sides
            .iter()
            .enumerate()
            .map(|(u, side)| {
                let folders: Vec<String> = side
                    .folders()
                    .into_iter()
                    .map(|at| {
                        let dir = side.root.at(&at).expect("listed");
                        let files: Vec<&str> = dir.files.iter().map(|d| d.title.as_str()).collect();
                        format!("{at:?} {files:?}")
                    })
                    .collect();
                let trash = if side.trash.is_empty() {
                    String::new()
                } else {
                    format!(", Trash {:?}", side.trash)
                };
                format!("user {:?}: {}{trash}", Who::of(u), folders.join(", "))
            })
            .collect();
        sides.join("; ")
    }
}

/// What may be in a user's Trash at the start (put there by the set-up).
fn trashed_at_start() -> [Trashed; 2] {
    [
        Trashed {
            folder: false,
            title: FILES[0].to_owned(),
        },
        Trashed {
            folder: true,
            title: FOLDERS[0].to_owned(),
        },
    ]
}

/// A user's start: `/x` and `/папка`, maybe `/папка/x`, any of the files in each, and maybe a file
/// and an empty folder in Trash.
fn start() -> impl Strategy<Value = Side> {
    let files = prop::array::uniform3(any::<bool>());
    let trash = prop::array::uniform2(any::<bool>());
    (prop::array::uniform4(files), any::<bool>(), trash).prop_map(|(files, nested, trash)| {
        let mut side = Side::fresh();
        side.trash = trashed_at_start()
            .into_iter()
            .zip(trash)
            .filter(|(_, t)| *t)
            .map(|(e, _)| e)
            .collect();
        let [x, y] = FOLDERS;
        let folders = [vec![], vec![x], vec![y], vec![y, x]];
        for (at, picked) in folders.iter().zip(files) {
            let at = At(at.iter().map(|t| t.to_string()).collect());
            if at.0.len() == 2 && !nested {
                continue;
            }
            let Some((parent, title)) = at.split() else {
                side.root.files = created(picked);
                continue;
            };
            if let Some(parent) = side.root.at_mut(&parent) {
                let dir = parent.dirs.entry(title.to_owned()).or_default();
                dir.files = created(picked);
            }
        }
        side
    })
}

/// Freshly created files: those of `FILES` picked.
fn created(picked: [bool; 3]) -> Vec<Doc> {
    FILES
        .iter()
        .zip(picked)
        .filter(|(_, p)| *p)
        .map(|(t, _)| Doc {
            title: t.to_string(),
            version: Some(1),
        })
        .collect()
}

/// One step.
#[derive(Debug, Clone)]
pub enum Op {
    /// Create a file.
    CreateFile {
        by: Who,
        folder: At,
        title: &'static str,
    },
    /// Create a folder.
    CreateFolder {
        by: Who,
        folder: At,
        title: &'static str,
    },
    /// Move or copy a file or a folder (with its subtree) into another folder, and `with`
    /// another entry in the same request (a mixed request).
    Transfer {
        by: Who,
        copy: bool,
        item: Item,
        with: Option<Item>,
        to: At,
        resolve: Resolve,
        encoding: EnumEncoding,
    },
    /// Delete an entry: into Trash, or for good.
    Delete {
        by: Who,
        item: Item,
        immediately: bool,
    },
    /// Delete an entry that is in Trash (`immediately: false`: for good all the same).
    DeleteFromTrash { by: Who, entry: Trashed },
    /// The second user tries the first user's entries; nothing may change.
    Intrude(Intrusion),
}

/// What the second user tries on the first user's entries.
#[derive(Debug, Clone)]
pub enum Intrusion {
    /// Delete one of A's entries.
    Delete { item: Item, immediately: bool },
    /// Delete an entry of A's Trash.
    DeleteFromTrash { entry: Trashed },
    /// Move or copy one of A's entries into a folder of `to.0`.
    Transfer {
        copy: bool,
        item: Item,
        to: (Who, At),
        resolve: Resolve,
    },
    /// Move or copy one of B's own entries into one of A's folders.
    Push {
        copy: bool,
        item: Item,
        to: At,
        resolve: Resolve,
    },
}

fn encoding() -> impl Strategy<Value = EnumEncoding> {
    prop_oneof![
        Just(EnumEncoding::Wire),
        Just(EnumEncoding::Number),
        Just(EnumEncoding::NumericString),
        Just(EnumEncoding::Name),
        prop::collection::vec(any::<bool>(), 1..4).prop_map(EnumEncoding::NameCase),
    ]
}

fn any_resolve() -> impl Strategy<Value = Resolve> {
    prop_oneof![
        Just(Resolve::Skip),
        Just(Resolve::Overwrite),
        Just(Resolve::Duplicate)
    ]
}

type Arms = Vec<(u32, BoxedStrategy<Op>)>;

/// The steps a user may take on its own side.
fn own_steps(by: Who, side: &Side, renames: bool, arms: &mut Arms) {
    let folders = side.folders();
    let files: Vec<(At, &'static str)> = folders
        .iter()
        .flat_map(|at| FILES.iter().map(move |t| (at.clone(), *t)))
        .filter(|(at, t)| side.root.at(at).is_some_and(|d| d.count(t) == 0))
        .collect();
    if !files.is_empty() {
        let s = select(files).prop_map(move |(folder, title)| Op::CreateFile { by, folder, title });
        arms.push((2, s.boxed()));
    }
    let subfolders: Vec<(At, &'static str)> = folders
        .iter()
        .filter(|at| at.0.len() < MAX_DEPTH)
        .flat_map(|at| FOLDERS.iter().map(move |t| (at.clone(), *t)))
        .filter(|(at, t)| side.root.at(at).is_some_and(|d| !d.dirs.contains_key(*t)))
        .collect();
    if !subfolders.is_empty() {
        let s = select(subfolders).prop_map(move |(folder, title)| Op::CreateFolder {
            by,
            folder,
            title,
        });
        arms.push((1, s.boxed()));
    }
    let items = side.items();
    let transfers: Vec<Transfer> = items
        .iter()
        .flat_map(|item| folders.iter().map(move |to| (item.clone(), to.clone())))
        .flat_map(|(item, to)| [false, true].map(|copy| (item.clone(), to.clone(), copy)))
        .map(|(item, to, copy)| {
            let resolves = side.resolves(&item, &to, copy, renames);
            (item, to, copy, resolves)
        })
        .filter(|(_, _, _, r)| !r.is_empty())
        .collect();
    // Weighted toward clashes, where the resolve types differ: a file onto a namesake, a
    // folder into a merge.
    let clashes = |(item, to, _, _): &Transfer| {
        let dest = side.root.at(to);
        match item {
            Item::File(_, title) => dest.is_some_and(|d| d.count(title) > 0),
            Item::Folder(at) => {
                let title = at.0.last();
                dest.is_some_and(|d| title.is_some_and(|t| d.dirs.contains_key(t)))
            }
        }
    };
    let pairs = pairs(&transfers);
    if !pairs.is_empty() {
        let s = (select(pairs), any::<Index>(), encoding()).prop_map(
            move |((item, with, to, copy, resolves), i, encoding)| Op::Transfer {
                by,
                copy,
                item,
                with: Some(with),
                to,
                resolve: i.get(&resolves).clone(),
                encoding,
            },
        );
        arms.push((2, s.boxed()));
    }
    let (clashing, free): (Vec<_>, Vec<_>) = transfers.into_iter().partition(clashes);
    for (weight, transfers) in [(5, clashing), (3, free)] {
        if transfers.is_empty() {
            continue;
        }
        let s = (select(transfers), any::<Index>(), encoding()).prop_map(
            move |((item, to, copy, resolves), i, encoding)| Op::Transfer {
                by,
                copy,
                item,
                with: None,
                to,
                resolve: i.get(&resolves).clone(),
                encoding,
            },
        );
        arms.push((weight, s.boxed()));
    }
    let deletable: Vec<Item> = items
        .into_iter()
        .filter(|item| match item {
            Item::File(at, t) => side.root.at(at).is_some_and(|d| d.count(t) == 1),
            Item::Folder(_) => true,
        })
        .collect();
    if !deletable.is_empty() {
        let s =
            (select(deletable), any::<bool>()).prop_map(move |(item, immediately)| Op::Delete {
                by,
                item,
                immediately,
            });
        arms.push((2, s.boxed()));
    }
    if !side.trash.is_empty() {
        let s = select(side.trash.clone()).prop_map(move |entry| Op::DeleteFromTrash { by, entry });
        arms.push((2, s.boxed()));
    }
}

/// One move (`false`) or copy (`true`) of an entry into a folder, with the resolve types the
/// model predicts for it.
type Transfer = (Item, At, bool, Vec<Resolve>);

/// Two transfers into the same folder that one request can carry (see [`Item::apart`]), with
/// the resolve types both allow.
type Pair = (Item, Item, At, bool, Vec<Resolve>);

fn pairs(transfers: &[Transfer]) -> Vec<Pair> {
    let mut out = Vec::new();
    for (i, (item, to, copy, resolves)) in transfers.iter().enumerate() {
        for (with, other_to, other_copy, others) in &transfers[i + 1..] {
            let both: Vec<Resolve> = resolves
                .iter()
                .filter(|r| others.contains(r))
                .cloned()
                .collect();
            if to == other_to && copy == other_copy && !both.is_empty() && item.apart(with, to) {
                out.push((item.clone(), with.clone(), to.clone(), *copy, both));
            }
        }
    }
    out
}

/// The second user's attempts on the first user's side.
fn intrusions(a: &Side, b: &Side, arms: &mut Arms) {
    let theirs = a.items();
    let mut folders: Vec<(Who, At)> = a.folders().into_iter().map(|f| (Who::A, f)).collect();
    folders.extend(b.folders().into_iter().map(|f| (Who::B, f)));
    if !theirs.is_empty() {
        let s = (select(theirs.clone()), any::<bool>())
            .prop_map(|(item, immediately)| Op::Intrude(Intrusion::Delete { item, immediately }));
        arms.push((1, s.boxed()));
        let s = (
            select(theirs),
            select(folders),
            any::<bool>(),
            any_resolve(),
        )
            .prop_map(|(item, to, copy, resolve)| {
                Op::Intrude(Intrusion::Transfer {
                    copy,
                    item,
                    to,
                    resolve,
                })
            });
        arms.push((2, s.boxed()));
    }
    let own = b.items();
    if !own.is_empty() {
        let s = (
            select(own),
            select(a.folders()),
            any::<bool>(),
            any_resolve(),
        )
            .prop_map(|(item, to, copy, resolve)| {
                Op::Intrude(Intrusion::Push {
                    copy,
                    item,
                    to,
                    resolve,
                })
            });
        arms.push((1, s.boxed()));
    }
    if !a.trash.is_empty() {
        let s = select(a.trash.clone())
            .prop_map(|entry| Op::Intrude(Intrusion::DeleteFromTrash { entry }));
        arms.push((1, s.boxed()));
    }
}

impl ReferenceStateMachine for Model {
    type State = Model;
    type Transition = Op;

    fn init_state() -> BoxedStrategy<Model> {
        let renames = RENAMES.with(Cell::get);
        prop::collection::vec(start(), USERS.with(Cell::get))
            .prop_map(move |sides| Model { sides, renames })
            .boxed()
    }

    fn transitions(state: &Model) -> BoxedStrategy<Op> {
        let mut arms = Arms::new();
        for (i, side) in state.sides.iter().enumerate() {
            own_steps(Who::of(i), side, state.renames, &mut arms);
        }
        if let [a, b] = state.sides.as_slice() {
            intrusions(a, b, &mut arms);
        }
        if arms.is_empty() {
            // Never in practice (a tree this small always allows a step); refused by the
            // preconditions if it were.
            let stuck = Op::CreateFile {
                by: Who::A,
                folder: At::default(),
                title: FILES[0],
            };
            arms.push((1, Just(stuck).boxed()));
        }
        Union::new_weighted(arms).boxed()
    }

    fn preconditions(state: &Model, op: &Op) -> bool {
        let a = state.side(Who::A);
        let b = state.side(Who::B);
        match op {
            Op::CreateFile { by, folder, title } => state
                .side(*by)
                .and_then(|s| s.root.at(folder))
                .is_some_and(|d| d.count(title) == 0),
            Op::CreateFolder { by, folder, title } => {
                folder.0.len() < MAX_DEPTH
                    && state
                        .side(*by)
                        .and_then(|s| s.root.at(folder))
                        .is_some_and(|d| !d.dirs.contains_key(*title))
            }
            Op::Transfer {
                by,
                item,
                with,
                to,
                resolve,
                copy,
                ..
            } => state.side(*by).is_some_and(|s| {
                let fits = |item: &Item| {
                    s.has(item) && s.resolves(item, to, *copy, state.renames).contains(resolve)
                };
                fits(item)
                    && with
                        .as_ref()
                        .is_none_or(|with| fits(with) && item.apart(with, to))
            }),
            Op::Delete { by, item, .. } => state.side(*by).is_some_and(|s| match item {
                Item::File(at, t) => s.root.at(at).is_some_and(|d| d.count(t) == 1),
                Item::Folder(_) => s.has(item),
            }),
            Op::DeleteFromTrash { by, entry } => {
                state.side(*by).is_some_and(|s| s.trash.contains(entry))
            }
            Op::Intrude(intrusion) => {
                let (Some(a), Some(b)) = (a, b) else {
                    return false;
                };
                match intrusion {
                    Intrusion::Delete { item, .. } => a.has(item),
                    Intrusion::DeleteFromTrash { entry } => a.trash.contains(entry),
                    Intrusion::Transfer {
                        item,
                        to: (who, at),
                        ..
                    } => {
                        let side = if *who == Who::A { a } else { b };
                        a.has(item) && side.root.at(at).is_some()
                    }
                    Intrusion::Push { item, to, .. } => b.has(item) && a.root.at(to).is_some(),
                }
            }
        }
    }

    fn apply(mut state: Model, op: &Op) -> Model {
        let renames = state.renames;
        match op {
            Op::CreateFile { by, folder, title } => {
                if let Some(dir) = state.sides[by.index()].root.at_mut(folder) {
                    dir.add(Doc {
                        title: title.to_string(),
                        version: Some(1),
                    });
                }
            }
            Op::CreateFolder { by, folder, title } => {
                if let Some(dir) = state.sides[by.index()].root.at_mut(folder) {
                    dir.dirs.insert(title.to_string(), Dir::default());
                }
            }
            Op::Transfer {
                by,
                copy,
                item,
                with,
                to,
                resolve,
                ..
            } => {
                let side = &mut state.sides[by.index()];
                for item in std::iter::once(item).chain(with) {
                    side.transfer(item, to, *copy, resolve.clone(), renames);
                }
            }
            Op::Delete {
                by,
                item,
                immediately,
            } => state.sides[by.index()].delete(item, *immediately),
            Op::DeleteFromTrash { by, entry } => {
                let trash = &mut state.sides[by.index()].trash;
                if let Some(i) = trash.iter().position(|e| e == entry) {
                    trash.remove(i);
                }
            }
            // Another user's request changes nothing (§9).
            Op::Intrude(_) => {}
        }
        state
    }
}

/// A user as the sequence drives it.
struct Actor {
    token: String,
    api: Client,
}

impl Actor {
    fn new(ctx: &Ctx, token: &str) -> Actor {
        Actor {
            token: token.to_owned(),
            api: ctx.client_for(Some(token.to_owned()), Format::Json, EnumEncoding::Wire),
        }
    }
}

/// What the server lists of a folder, recursively.
#[derive(Debug, Clone, Default)]
struct Listed {
    id: i64,
    files: Vec<(Doc, i64)>,
    /// Each file's `pureContentLength`, by title.
    lengths: Vec<(String, Option<i64>)>,
    dirs: Vec<(String, Listed)>,
}

impl Listed {
    /// Every file's title, place and `pureContentLength` in the tree.
    fn lengths(&self, at: &At, out: &mut Vec<(String, String, Option<i64>)>) {
        for (title, length) in &self.lengths {
            out.push((title.clone(), format!("{at:?} {title}"), *length));
        }
        for (title, sub) in &self.dirs {
            let mut path = at.clone();
            path.0.push(title.clone());
            sub.lengths(&path, out);
        }
    }

    fn at(&self, at: &At) -> Option<&Listed> {
        at.0.iter().try_fold(self, |dir, t| {
            dir.dirs
                .iter()
                .find(|(title, _)| title == t)
                .map(|(_, d)| d)
        })
    }
}

fn transport(e: impl fmt::Display) -> Outcome {
    Outcome::Error {
        message: e.to_string(),
    }
}

fn divergence(message: String) -> Outcome {
    Outcome::fail(message, Vec::new())
}

/// One page of a folder (`None`: the caller's Trash).
async fn page(client: &Client, folder: Option<i64>, start: i32) -> Step<FolderContent> {
    let start_index = Some(start);
    let Some(folder) = folder else {
        let count = Some(TRASH_PAGE);
        let request = GetTrashFolderRequest { start_index, count };
        let (resp, exchange) = answer(client.get_trash_folder(&request).await)?;
        return match resp {
            GetTrashFolderResponse::Ok(content) => Ok(content),
            other => Err(failed(
                format!("listing Trash answered {other:?}"),
                &exchange,
            )),
        };
    };
    let request = GetFolderByFolderIdRequest {
        folder_id: EntryId::Int(folder),
        start_index,
        count: Some(PAGE),
    };
    let (resp, exchange) = answer(client.get_folder_by_folder_id(&request).await)?;
    match resp {
        GetFolderByFolderIdResponse::Ok(content) => Ok(content),
        other => Err(failed(
            format!("listing folder {folder} answered {other:?}"),
            &exchange,
        )),
    }
}

/// A folder's whole listing, every page: its files and folders. In a folder of the model's
/// (`Some`), which nothing else changes, every page's `total` must be the number of entries
/// the pages held (§13.2).
async fn contents(
    client: &Client,
    folder: Option<i64>,
) -> Step<(
    Vec<fileops_api::types::File>,
    Vec<fileops_api::types::Folder>,
)> {
    let (mut files, mut folders) = (Vec::new(), Vec::new());
    let mut totals = BTreeSet::new();
    let mut start = 0;
    for _ in 0..100 {
        let content = page(client, folder, start).await?;
        let n = content.files.len() + content.folders.len();
        files.extend(content.files);
        folders.extend(content.folders);
        start += n as i32;
        totals.extend(content.total);
        if n == 0 || content.total.is_none_or(|total| start >= total) {
            break;
        }
    }
    let held = (files.len() + folders.len()) as i32;
    if let Some(folder) = folder.filter(|_| totals.iter().any(|t| *t != held)) {
        return Err(divergence(format!(
            "folder {folder}'s pages of {PAGE} held {held} entries, their totals said {totals:?}"
        )));
    }
    Ok((files, folders))
}

/// A folder's tree as the server lists it (boxed to recurse; `Send` as the check's future
/// awaits it).
fn listed(
    client: &Client,
    id: i64,
    depth: usize,
) -> Pin<Box<dyn Future<Output = Step<Listed>> + Send + '_>> {
    Box::pin(async move {
        let (files, folders) = contents(client, Some(id)).await?;
        let lengths = files
            .iter()
            .filter_map(|f| Some((f.title.clone()?, f.pure_content_length)))
            .collect();
        let mut tree = Listed {
            id,
            lengths,
            files: files
                .into_iter()
                .filter_map(|f| {
                    let doc = Doc {
                        title: f.title?,
                        version: f.version,
                    };
                    Some((doc, f.id?.as_int()?))
                })
                .collect(),
            dirs: Vec::new(),
        };
        for folder in folders {
            let (Some(title), Some(sub)) = (folder.title, folder.id.and_then(|i| i.as_int()))
            else {
                continue;
            };
            let sub = if depth < LIST_DEPTH {
                listed(client, sub, depth + 1).await?
            } else {
                Listed {
                    id: sub,
                    ..Listed::default()
                }
            };
            tree.dirs.push((title, sub));
        }
        Ok(tree)
    })
}

/// The entries of the caller's Trash among `ids`.
async fn trash_among(client: &Client, ids: &BTreeSet<i64>) -> Step<Vec<(Trashed, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (files, folders) = contents(client, None).await?;
    let files = files
        .into_iter()
        .filter_map(|f| Some((false, f.title?, f.id?.as_int()?)));
    let folders = folders
        .into_iter()
        .filter_map(|f| Some((true, f.title?, f.id?.as_int()?)));
    Ok(files
        .chain(folders)
        .filter(|(_, _, id)| ids.contains(id))
        .map(|(folder, title, id)| (Trashed { folder, title }, id))
        .collect())
}

fn ids(ids: &[i64]) -> Vec<EntryId> {
    ids.iter().map(|i| EntryId::Int(*i)).collect()
}

/// A move or copy of `entries` (id, whether a folder) into `dest`.
fn transfer_body(dest: i64, entries: &[(i64, bool)], resolve: Resolve) -> BatchRequest {
    let pick = |folder: bool| -> Vec<i64> {
        entries
            .iter()
            .filter(|(_, f)| *f == folder)
            .map(|(id, _)| *id)
            .collect()
    };
    let (folders, files) = (pick(true), pick(false));
    BatchRequest {
        folder_ids: ids(&folders),
        file_ids: ids(&files),
        dest_folder_id: EntryId::Int(dest),
        conflict_resolve_type: Some(resolve),
        delete_after: None,
        content: None,
        to_fill_out: None,
        return_single_operation: None,
    }
}

fn delete_body(folders: &[i64], files: &[i64], immediately: bool) -> DeleteBatchRequest {
    DeleteBatchRequest {
        folder_ids: ids(folders),
        file_ids: ids(files),
        delete_after: Some(false),
        immediately: Some(immediately),
        return_single_operation: None,
    }
}

/// The started operation's id, if the answer started one (`None` for a refusal).
fn accepted<R>(
    exchange: &Exchange<R>,
    ops: impl Fn(&R) -> Option<&Vec<fileops_api::types::FileOperation>>,
) -> Option<String> {
    exchange
        .answer
        .as_ref()
        .ok()
        .and_then(ops)
        .and_then(|o| started(o))
}

/// Sends a delete; the started operation, if any.
async fn send_delete(
    client: &Client,
    body: DeleteBatchRequest,
) -> Step<(Option<String>, Exchange<DeleteBatchItemsResponse>)> {
    let exchange = client
        .delete_batch_items(&DeleteBatchItemsRequest { body })
        .await
        .map_err(transport)?;
    let id = accepted(&exchange, |r| match r {
        DeleteBatchItemsResponse::Ok(ops) => Some(ops),
        _ => None,
    });
    Ok((id, exchange))
}

/// Sends a move or copy; the started operation, if any.
async fn send_transfer(client: &Client, copy: bool, body: BatchRequest) -> Step<Option<String>> {
    Ok(if copy {
        let exchange = client
            .copy_batch_items(&CopyBatchItemsRequest { body })
            .await
            .map_err(transport)?;
        accepted(&exchange, |r| match r {
            CopyBatchItemsResponse::Ok(ops) => Some(ops),
            _ => None,
        })
    } else {
        let exchange = client
            .move_batch_items(&MoveBatchItemsRequest { body })
            .await
            .map_err(transport)?;
        accepted(&exchange, |r| match r {
            MoveBatchItemsResponse::Ok(ops) => Some(ops),
            _ => None,
        })
    })
}

/// One sequence's view of the server.
struct World<'a> {
    ctx: &'a Ctx,
    users: &'a [Actor],
    roots: Vec<i64>,
    /// The last listing of each user's tree.
    seen: Vec<Listed>,
    /// The last look at each user's Trash (the entries among `trashed`).
    trash: Vec<Vec<(Trashed, i64)>>,
    /// The ids this sequence sent to each user's Trash.
    trashed: Vec<BTreeSet<i64>>,
}

impl<'a> World<'a> {
    fn new(ctx: &'a Ctx, users: &'a [Actor]) -> World<'a> {
        World {
            ctx,
            users,
            roots: Vec::new(),
            seen: Vec::new(),
            trash: vec![Vec::new(); users.len()],
            trashed: vec![BTreeSet::new(); users.len()],
        }
    }

    /// Builds the start: a fresh root per user in its home folder, with the start's tree and
    /// Trash.
    async fn set_up(&mut self, homes: &[i64], start: &Model) -> Step<()> {
        let users = self.users;
        for (u, (home, side)) in homes.iter().zip(&start.sides).enumerate() {
            let (who, api) = (Who::of(u), &users[u].api);
            let root = create_folder_with(api, *home, "model").await?;
            // Trash at the start: entries created in the root and deleted (§13.7), first,
            // so that their titles clash with nothing.
            for entry in &side.trash {
                let id = if entry.folder {
                    create_folder_with(api, root, &entry.title).await?
                } else {
                    create_file_with(api, root, &entry.title).await?
                };
                self.trashed[u].insert(id);
                self.delete(who, (id, entry.folder), false).await?;
            }
            let mut pending = vec![(root, &side.root)];
            while let Some((id, dir)) = pending.pop() {
                for doc in &dir.files {
                    create_file_with(api, id, &doc.title).await?;
                }
                for (title, sub) in &dir.dirs {
                    pending.push((create_folder_with(api, id, title).await?, sub));
                }
            }
            self.roots.push(root);
        }
        self.observe().await
    }

    /// Lists every user's tree and Trash.
    async fn observe(&mut self) -> Step<()> {
        let mut seen = Vec::new();
        for (u, user) in self.users.iter().enumerate() {
            seen.push(listed(&user.api, self.roots[u], 0).await?);
            self.trash[u] = trash_among(&user.api, &self.trashed[u]).await?;
        }
        self.seen = seen;
        Ok(())
    }

    /// How the server differs from the model, if it does.
    fn compare(&self, model: &Model) -> Option<String> {
        for (u, side) in model.sides.iter().enumerate() {
            let who = Who::of(u);
            if let Some(problem) = compare_dir(&side.root, &self.seen[u], &At::default()) {
                return Some(format!("user {who:?}: {problem}"));
            }
            if let Some(problem) = same_content(&self.seen[u]) {
                return Some(format!("user {who:?}: {problem}"));
            }
            let mut got: Vec<Trashed> = self.trash[u].iter().map(|(t, _)| t.clone()).collect();
            got.sort();
            if got != side.trash {
                return Some(format!(
                    "user {who:?}: of the entries this sequence put in Trash, Trash holds {got:?}, the model {:?}",
                    side.trash
                ));
            }
        }
        None
    }

    fn folder_id(&self, who: Who, at: &At) -> Step<i64> {
        self.seen[who.index()]
            .at(at)
            .map(|l| l.id)
            .ok_or_else(|| divergence(format!("user {who:?}'s folder {at:?} is missing")))
    }

    /// The id of an entry, and whether it is a folder.
    fn item_id(&self, who: Who, item: &Item) -> Step<(i64, bool)> {
        match item {
            Item::Folder(at) => Ok((self.folder_id(who, at)?, true)),
            Item::File(at, title) => self.seen[who.index()]
                .at(at)
                .and_then(|l| l.files.iter().find(|(d, _)| d.title == *title))
                .map(|(_, id)| (*id, false))
                .ok_or_else(|| divergence(format!("user {who:?}'s {item:?} is missing"))),
        }
    }

    fn trash_id(&self, who: Who, entry: &Trashed) -> Step<(i64, bool)> {
        self.trash[who.index()]
            .iter()
            .find(|(t, _)| t == entry)
            .map(|(t, id)| (*id, t.folder))
            .ok_or_else(|| divergence(format!("{entry:?} is missing from user {who:?}'s Trash")))
    }

    async fn wait(&self, who: Who, id: Option<String>) -> Step<()> {
        match id {
            Some(id) => self
                .ctx
                .wait(&self.users[who.index()].api, &id)
                .await
                .map(|_| ()),
            None => Ok(()),
        }
    }

    /// Deletes an entry as `who`; the caller's own request must be accepted.
    async fn delete(&self, who: Who, (id, folder): (i64, bool), immediately: bool) -> Step<()> {
        let body = if folder {
            delete_body(&[id], &[], immediately)
        } else {
            delete_body(&[], &[id], immediately)
        };
        let (started, exchange) = send_delete(&self.users[who.index()].api, body).await?;
        if started.is_none() {
            return Err(failed(
                "the delete was refused or started no operation",
                &exchange,
            ));
        }
        self.wait(who, started).await
    }

    /// Runs one step.
    async fn perform(&mut self, op: &Op) -> Step<()> {
        match op {
            Op::CreateFile { by, folder, title } => {
                let parent = self.folder_id(*by, folder)?;
                create_file_with(&self.users[by.index()].api, parent, title)
                    .await
                    .map(|_| ())
            }
            Op::CreateFolder { by, folder, title } => {
                let parent = self.folder_id(*by, folder)?;
                create_folder_with(&self.users[by.index()].api, parent, title)
                    .await
                    .map(|_| ())
            }
            Op::Transfer {
                by,
                copy,
                item,
                with,
                to,
                resolve,
                encoding,
            } => {
                let mut entries = vec![self.item_id(*by, item)?];
                if let Some(with) = with {
                    entries.push(self.item_id(*by, with)?);
                }
                let dest = self.folder_id(*by, to)?;
                let user = &self.users[by.index()];
                let client =
                    self.ctx
                        .client_for(Some(user.token.clone()), Format::Json, encoding.clone());
                let body = transfer_body(dest, &entries, resolve.clone());
                let started = super::start_transfer(&client, *copy, body).await?;
                self.wait(*by, Some(started.id)).await
            }
            Op::Delete {
                by,
                item,
                immediately,
            } => {
                let entry = self.item_id(*by, item)?;
                self.delete(*by, entry, *immediately).await?;
                if !immediately {
                    self.trashed[by.index()].insert(entry.0);
                }
                Ok(())
            }
            Op::DeleteFromTrash { by, entry } => {
                let entry = self.trash_id(*by, entry)?;
                self.delete(*by, entry, false).await
            }
            Op::Intrude(intrusion) => self.intrude(intrusion).await,
        }
    }

    /// The second user's attempt; any answer will do, a started operation is waited for.
    async fn intrude(&self, intrusion: &Intrusion) -> Step<()> {
        let b = &self.users[Who::B.index()].api;
        let started = match intrusion {
            Intrusion::Delete { item, immediately } => {
                let (id, folder) = self.item_id(Who::A, item)?;
                let body = if folder {
                    delete_body(&[id], &[], *immediately)
                } else {
                    delete_body(&[], &[id], *immediately)
                };
                send_delete(b, body).await?.0
            }
            Intrusion::DeleteFromTrash { entry } => {
                let (id, folder) = self.trash_id(Who::A, entry)?;
                let body = if folder {
                    delete_body(&[id], &[], false)
                } else {
                    delete_body(&[], &[id], false)
                };
                send_delete(b, body).await?.0
            }
            Intrusion::Transfer {
                copy,
                item,
                to: (who, at),
                resolve,
            } => {
                let (id, folder) = self.item_id(Who::A, item)?;
                let dest = self.folder_id(*who, at)?;
                send_transfer(
                    b,
                    *copy,
                    transfer_body(dest, &[(id, folder)], resolve.clone()),
                )
                .await?
            }
            Intrusion::Push {
                copy,
                item,
                to,
                resolve,
            } => {
                let (id, folder) = self.item_id(Who::B, item)?;
                let dest = self.folder_id(Who::A, to)?;
                send_transfer(
                    b,
                    *copy,
                    transfer_body(dest, &[(id, folder)], resolve.clone()),
                )
                .await?
            }
        };
        self.wait(Who::B, started).await
    }

    /// Removes for good what this sequence left in Trash (best effort).
    async fn clean_trash(&self) {
        for (u, user) in self.users.iter().enumerate() {
            let Ok(left) = trash_among(&user.api, &self.trashed[u]).await else {
                continue;
            };
            if left.is_empty() {
                continue;
            }
            let folders: Vec<i64> = left
                .iter()
                .filter(|(t, _)| t.folder)
                .map(|(_, id)| *id)
                .collect();
            let files: Vec<i64> = left
                .iter()
                .filter(|(t, _)| !t.folder)
                .map(|(_, id)| *id)
                .collect();
            if let Ok((Some(id), _)) =
                send_delete(&user.api, delete_body(&folders, &files, true)).await
            {
                let _ = self.ctx.wait(&user.api, &id).await;
            }
        }
    }
}

/// How a listed folder differs from the model's, if it does.
/// Every file of a user's tree was created with its title, so it holds the blank `.docx` of
/// that user's culture (§13.5), or is a copy or overwrite of such a file, which carries its
/// content and size (§13.6) and its title up to a Duplicate's ` (n)`. So the files of one
/// title (that suffix aside) all have one `pureContentLength`.
fn same_content(tree: &Listed) -> Option<String> {
    let mut lengths = Vec::new();
    tree.lengths(&At::default(), &mut lengths);
    let mut first: BTreeMap<String, (String, Option<i64>)> = BTreeMap::new();
    let show =
        |l: &Option<i64>| l.map_or("no pureContentLength".to_owned(), |n| format!("{n} bytes"));
    for (title, place, length) in lengths {
        let (seen, before) = first
            .entry(created_title(&title))
            .or_insert_with(|| (place.clone(), length));
        if *before != length {
            return Some(format!(
                "{seen} has {} but {place}, made from the same file, has {} (a copy carries its source's content and size, §13.5, §13.6)",
                show(before),
                show(&length)
            ));
        }
    }
    None
}

/// The title a file was created with: its own, less a Duplicate copy's ` (n)` (§13.6).
fn created_title(title: &str) -> String {
    let (stem, ext) = title.rsplit_once('.').map_or((title, ""), |(s, _)| {
        let ext = &title[s.len()..];
        (s, ext)
    });
    let base = stem
        .strip_suffix(')')
        .and_then(|s| s.rsplit_once(" ("))
        .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .map_or(stem, |(base, _)| base);
    format!("{base}{ext}")
}

fn compare_dir(model: &Dir, got: &Listed, at: &At) -> Option<String> {
    let want: Vec<&String> = model.dirs.keys().collect();
    let mut have: Vec<&String> = got.dirs.iter().map(|(t, _)| t).collect();
    have.sort();
    if want != have {
        return Some(format!(
            "{at:?} holds the folders {have:?}, the model {want:?}"
        ));
    }
    let want: Vec<&String> = model.files.iter().map(|d| &d.title).collect();
    let mut have: Vec<&String> = got.files.iter().map(|(d, _)| &d.title).collect();
    have.sort();
    if want != have {
        return Some(format!(
            "{at:?} holds the files {have:?}, the model {want:?}"
        ));
    }
    for title in want.into_iter().collect::<BTreeSet<_>>() {
        let known: Vec<i32> = model
            .files
            .iter()
            .filter(|d| d.title == *title)
            .filter_map(|d| d.version)
            .collect();
        let mut have: Vec<Option<i32>> = got
            .files
            .iter()
            .filter(|(d, _)| d.title == *title)
            .map(|(d, _)| d.version)
            .collect();
        let matched = known.iter().all(|v| {
            let i = have.iter().position(|h| *h == Some(*v));
            i.map(|i| have.remove(i)).is_some()
        });
        if !matched {
            let show = |versions: Vec<Option<i32>>, missing: &str| {
                let shown: Vec<String> = versions
                    .into_iter()
                    .map(|v| v.map_or(missing.to_owned(), |v| v.to_string()))
                    .collect();
                shown.join(", ")
            };
            let versions = |files: Vec<&Doc>| files.into_iter().map(|d| d.version).collect();
            let have = got
                .files
                .iter()
                .map(|(d, _)| d)
                .filter(|d| d.title == *title);
            let want = model.files.iter().filter(|d| d.title == *title);
            return Some(format!(
                "{at:?}: {title} has the version(s) [{}], the model [{}]",
                show(versions(have.collect()), "none"),
                show(versions(want.collect()), "any")
            ));
        }
    }
    for (title, sub) in &model.dirs {
        let listed = got.dirs.iter().find(|(t, _)| t == title).map(|(_, l)| l)?;
        if let Some(problem) = compare_dir(sub, listed, &at.child(title)) {
            return Some(problem);
        }
    }
    None
}

/// How a case failed: the number of steps it ran (the failing one included) and what went wrong.
type Failure = (usize, String);

/// Runs a sequence on fresh roots, comparing with the model after every step.
async fn sequence(
    ctx: &Ctx,
    users: &[Actor],
    homes: &[i64],
    start: &Model,
    ops: &[Op],
    seen: Option<&AtomicUsize>,
) -> Result<(), Failure> {
    let mut world = World::new(ctx, users);
    let result = match world.set_up(homes, start).await {
        Ok(()) => steps(&mut world, start, ops, seen).await,
        Err(outcome) => Err((0, format!("setting up the start failed: {outcome:?}"))),
    };
    // A server that let a request time out would let the clean-up wait as long again.
    if !matches!(&result, Err((_, why)) if why.contains(ClientError::TIMED_OUT)) {
        world.clean_trash().await;
    }
    result
}

async fn steps(
    world: &mut World<'_>,
    start: &Model,
    ops: &[Op],
    seen: Option<&AtomicUsize>,
) -> Result<(), Failure> {
    let mut model = start.clone();
    if let Some(problem) = world.compare(&model) {
        return Err((0, format!("before the first step {problem}")));
    }
    for (i, op) in ops.iter().enumerate() {
        // Tells the shrinker how far the sequence got.
        if let Some(seen) = seen {
            seen.fetch_add(1, Ordering::SeqCst);
        }
        let step = i + 1;
        if let Err(outcome) = world.perform(op).await {
            return Err((step, format!("at step {step} ({op:?}): {outcome:?}")));
        }
        model = <Model as ReferenceStateMachine>::apply(model, op);
        if let Err(outcome) = world.observe().await {
            return Err((step, format!("after step {step} ({op:?}): {outcome:?}")));
        }
        if let Some(problem) = world.compare(&model) {
            return Err((step, format!("after step {step} ({op:?}) {problem}")));
        }
    }
    Ok(())
}

/// Whether the model allows `ops` from `start`.
fn acceptable(start: &Model, ops: &[Op]) -> bool {
    let mut state = start.clone();
    for op in ops {
        if !<Model as ReferenceStateMachine>::preconditions(&state, op) {
            return false;
        }
        state = <Model as ReferenceStateMachine>::apply(state, op);
    }
    true
}

/// Start states one file or one empty folder smaller.
fn smaller_starts(start: &Model) -> Vec<Model> {
    let mut out = Vec::new();
    for (u, side) in start.sides.iter().enumerate() {
        for i in 0..side.trash.len() {
            let mut smaller = start.clone();
            smaller.sides[u].trash.remove(i);
            out.push(smaller);
        }
        for at in side.folders() {
            let dir = side.root.at(&at).expect("listed");
            for i in 0..dir.files.len() {
                let mut smaller = start.clone();
                if let Some(d) = smaller.sides[u].root.at_mut(&at) {
                    d.files.remove(i);
                }
                out.push(smaller);
            }
            if let (true, Some((parent, title))) = (dir.is_empty(), at.split()) {
                let mut smaller = start.clone();
                if let Some(p) = smaller.sides[u].root.at_mut(&parent) {
                    p.dirs.remove(title);
                }
                out.push(smaller);
            }
        }
    }
    out
}

/// Runs a case again (start, steps).
type Rerun<'a> = dyn FnMut(&Model, &[Op]) -> Result<(), Failure> + 'a;

/// The most re-runs the final shrinking pass makes.
const POLISH_RUNS: usize = 96;

/// A last shrinking pass over proptest's minimal case, which deletes steps only once, from
/// the back, before it simplifies the rest: cuts the steps after the failing one, then tries
/// again to delete each step and to take a file or an empty folder from the start, until
/// nothing more goes (or the budget is spent).
fn polish(
    run: &mut Rerun<'_>,
    mut start: Model,
    mut ops: Vec<Op>,
    mut reason: String,
) -> (Model, Vec<Op>, String) {
    let mut budget = POLISH_RUNS;
    let mut attempt = |start: &Model, ops: &[Op], budget: &mut usize| -> Option<Failure> {
        if *budget == 0 || !acceptable(start, ops) {
            return None;
        }
        *budget -= 1;
        run(start, ops).err()
    };
    match attempt(&start, &ops, &mut budget) {
        Some((ran, why)) => {
            ops.truncate(ran.max(1));
            reason = why;
        }
        // It did not fail again: keep what proptest found.
        None => return (start, ops, reason),
    }
    loop {
        let mut progress = false;
        for i in (0..ops.len()).rev() {
            if ops.len() == 1 || i >= ops.len() {
                continue;
            }
            let mut fewer = ops.clone();
            fewer.remove(i);
            if let Some((ran, why)) = attempt(&start, &fewer, &mut budget) {
                fewer.truncate(ran.max(1));
                (ops, reason, progress) = (fewer, why, true);
            }
        }
        for smaller in smaller_starts(&start) {
            if let Some((ran, why)) = attempt(&smaller, &ops, &mut budget) {
                ops.truncate(ran.max(1));
                (start, reason, progress) = (smaller, why, true);
                break;
            }
        }
        if !progress || budget == 0 {
            return (start, ops, reason);
        }
    }
}

/// The second user's work folder in its own My documents.
async fn second_home(b: &Actor) -> Step<i64> {
    let my = my_folder_with(&b.api).await?;
    let title = format!(
        "fileops-conformance-model-{}",
        uuid::Uuid::new_v4().simple()
    );
    create_folder_with(&b.api, my, &title)
        .await
        .map_err(|outcome| match outcome {
            Outcome::Fail { message, evidence } => Outcome::fail(
                format!(
                    "the second user cannot create a folder in its own My documents: {message}"
                ),
                evidence,
            ),
            other => other,
        })
}

pub async fn random_sequences(ctx: &Ctx) -> Step<Outcome> {
    let mut users = vec![Actor::new(ctx, &ctx.target.token)];
    let mut homes = vec![ctx.work];
    if let Some(token2) = &ctx.target.token2 {
        let b = Actor::new(ctx, token2);
        homes.push(second_home(&b).await?);
        users.push(b);
    }
    let outcome = run_cases(ctx, &users, &homes).await;
    // The second user's work folder goes for good, also after a failure (not after a
    // timeout: the run stops there, and the clean-up would wait as long again).
    if let (Some(b), Some(home), None) = (users.get(1), homes.get(1), outcome.timed_out()) {
        let removed = match send_delete(&b.api, delete_body(&[*home], &[], true)).await {
            Ok((Some(id), _)) => ctx.wait(&b.api, &id).await.map(|_| ()),
            Ok((None, exchange)) => Err(failed(
                "removing the second user's work folder was refused",
                &exchange,
            )),
            Err(e) => Err(e),
        };
        if let (Outcome::Pass, Err(problem)) = (&outcome, removed) {
            return Ok(Outcome::Error {
                message: format!("cleaning up the second user's work folder: {problem:?}"),
            });
        }
    }
    Ok(outcome)
}

/// A case for the async side to run: the start, the steps, proptest's count of the steps
/// run (for shrinking), and where its result goes.
struct Case {
    start: Model,
    ops: Vec<Op>,
    seen: Option<Arc<AtomicUsize>>,
    reply: oneshot::Sender<Result<(), Failure>>,
}

/// What the property thread asks of the async side.
enum Ask {
    /// Run a case.
    Run(Case),
    /// The run is over: its outcome.
    Done(Outcome),
}

/// The property run. Proptest generates, runs and shrinks synchronously, so it goes on a
/// thread of its own, and each case it runs is sent here and awaited: the runtime's thread
/// is never blocked, which a current-thread runtime (a plain `#[tokio::test]`, maybe serving
/// the server under check in the same runtime) needs.
async fn run_cases(ctx: &Ctx, users: &[Actor], homes: &[i64]) -> Outcome {
    let renames = ctx.target.dialect.behaviour.duplicate_renames;
    let (people, cases, seed) = (users.len(), ctx.target.cases, ctx.target.seed);
    // One case at a time: the property thread waits for each result anyway.
    let (ask, mut asked) = mpsc::channel(1);
    let spawned = std::thread::Builder::new()
        .name("fileops-model".into())
        .spawn(move || {
            let outcome = property_run(renames, people, cases, seed, &ask);
            // Nobody listens any more if the check was dropped.
            let _ = ask.blocking_send(Ask::Done(outcome));
        });
    if let Err(e) = spawned {
        return Outcome::Error {
            message: format!("cannot start the property run: {e}"),
        };
    }
    let mut timed_out: Option<String> = None;
    while let Some(message) = asked.recv().await {
        match message {
            Ask::Run(case) => {
                let result = match &timed_out {
                    // Every further case would wait as long: fail them at once, so that
                    // proptest's shrinking ends quickly; the run reports the timeout.
                    Some(why) => Err((0, why.clone())),
                    None => {
                        let seen = case.seen.as_deref();
                        sequence(ctx, users, homes, &case.start, &case.ops, seen).await
                    }
                };
                if let (None, Err((_, why))) = (&timed_out, &result) {
                    if why.contains(ClientError::TIMED_OUT) {
                        timed_out = Some(why.clone());
                    }
                }
                // The property thread is gone only if it panicked; the loop ends then.
                let _ = case.reply.send(result);
            }
            Ask::Done(outcome) => {
                return match timed_out {
                    Some(why) => Outcome::Error {
                        message: format!("a model sequence got no answer: {why}"),
                    },
                    None => outcome,
                }
            }
        }
    }
    Outcome::Error {
        message: "the property run stopped without a verdict (its thread panicked)".into(),
    }
}

/// Proptest's run and the last shrinking pass, on the property thread: each case is run by
/// the async side through `ask`.
fn property_run(
    renames: bool,
    users: usize,
    cases: u32,
    seed: u64,
    ask: &mpsc::Sender<Ask>,
) -> Outcome {
    RENAMES.with(|r| r.set(renames));
    USERS.with(|u| u.set(users));
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let strategy = Model::sequential_strategy(1..8usize);
    let run = |start: &Model, ops: &[Op], seen: Option<Arc<AtomicUsize>>| {
        let gone = || (0, "the check was dropped".to_owned());
        let (reply, result) = oneshot::channel();
        let case = Case {
            start: start.clone(),
            ops: ops.to_vec(),
            seen,
            reply,
        };
        ask.blocking_send(Ask::Run(case)).map_err(|_| gone())?;
        result.blocking_recv().map_err(|_| gone())?
    };
    let result = runner.run(&strategy, |(start, ops, seen)| {
        run(&start, &ops, seen).map_err(|(_, why)| TestCaseError::fail(why))
    });
    match result {
        Ok(()) => Outcome::Pass,
        Err(TestError::Fail(reason, (start, ops, _))) => {
            let mut rerun = |start: &Model, ops: &[Op]| run(start, ops, None);
            let (start, ops, reason) = polish(&mut rerun, start, ops, reason.to_string());
            Outcome::fail(
                format!(
                    "seed {seed}: minimal failing sequence {ops:?} from {}: {reason}",
                    start.describe()
                ),
                Vec::new(),
            )
        }
        Err(TestError::Abort(reason)) => Outcome::Error {
            message: format!("property run aborted: {reason}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(path: &str) -> At {
        At(path
            .split('/')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect())
    }

    fn doc(title: &str, version: Option<i32>) -> Doc {
        Doc {
            title: title.to_owned(),
            version,
        }
    }

    /// A one-user model whose folders hold the files given (created, version 1).
    fn model(folders: &[(&str, &[&str])], renames: bool) -> Model {
        let mut m = Model::new(1, renames);
        m.sides[0].root = Dir::default();
        for (path, files) in folders {
            let mut dir = &mut m.sides[0].root;
            for t in at(path).0 {
                dir = dir.dirs.entry(t).or_default();
            }
            for f in *files {
                dir.add(doc(f, Some(1)));
            }
        }
        m
    }

    fn transfer(item: Item, to: &str, copy: bool, resolve: Resolve) -> Op {
        Op::Transfer {
            by: Who::A,
            copy,
            item,
            with: None,
            to: at(to),
            resolve,
            encoding: EnumEncoding::Wire,
        }
    }

    fn apply(m: &Model, op: &Op) -> Model {
        assert!(Model::preconditions(m, op), "{op:?} is allowed");
        Model::apply(m.clone(), op)
    }

    fn files(m: &Model, path: &str) -> Option<Vec<Doc>> {
        m.sides[0].root.at(&at(path)).map(|d| d.files.clone())
    }

    #[test]
    fn a_duplicate_copy_comes_from_the_file_of_its_title_less_the_number() {
        assert_eq!(created_title("a (1).docx"), "a.docx");
        assert_eq!(created_title("отчёт (12).docx"), "отчёт.docx");
        assert_eq!(created_title("a (x).docx"), "a (x).docx");
        assert_eq!(created_title("a ().docx"), "a ().docx");
        assert_eq!(created_title("notes (2)"), "notes");
        assert_eq!(created_title("a.docx"), "a.docx");
    }

    #[test]
    fn a_move_merge_with_skip_keeps_the_source_alive_with_what_it_skipped() {
        let m = model(
            &[("/x", &["a.docx", "b.docx"]), ("/y/x", &["a.docx"])],
            true,
        );
        let after = apply(
            &m,
            &transfer(Item::Folder(at("/x")), "/y", false, Resolve::Skip),
        );
        assert_eq!(
            files(&after, "/y/x"),
            Some(vec![doc("a.docx", Some(1)), doc("b.docx", Some(1))])
        );
        assert_eq!(files(&after, "/x"), Some(vec![doc("a.docx", Some(1))]));
    }

    #[test]
    fn a_move_merge_with_overwrite_versions_the_target_and_deletes_the_emptied_source() {
        let m = model(
            &[("/x", &["a.docx", "b.docx"]), ("/y/x", &["a.docx"])],
            true,
        );
        let after = apply(
            &m,
            &transfer(Item::Folder(at("/x")), "/y", false, Resolve::Overwrite),
        );
        assert_eq!(
            files(&after, "/y/x"),
            Some(vec![doc("a.docx", Some(2)), doc("b.docx", Some(1))])
        );
        assert_eq!(files(&after, "/x"), None);
    }

    #[test]
    fn a_copy_merge_leaves_the_source_and_does_not_predict_copied_versions() {
        let m = model(
            &[("/x", &["a.docx", "b.docx"]), ("/y/x", &["a.docx"])],
            true,
        );
        let after = apply(
            &m,
            &transfer(Item::Folder(at("/x")), "/y", true, Resolve::Overwrite),
        );
        assert_eq!(
            files(&after, "/y/x"),
            Some(vec![doc("a.docx", Some(2)), doc("b.docx", None)])
        );
        assert_eq!(files(&after, "/x"), files(&m, "/x"));
    }

    #[test]
    fn subfolders_merge_recursively_and_a_skipped_file_keeps_its_folders() {
        let m = model(
            &[
                ("/x/y", &["c.docx"]),
                ("/y/x/y", &["c.docx"]),
                ("/x", &["a.docx"]),
            ],
            true,
        );
        let after = apply(
            &m,
            &transfer(Item::Folder(at("/x")), "/y", false, Resolve::Skip),
        );
        assert_eq!(files(&after, "/x/y"), Some(vec![doc("c.docx", Some(1))]));
        assert_eq!(files(&after, "/x"), Some(vec![]));
        assert_eq!(files(&after, "/y/x"), Some(vec![doc("a.docx", Some(1))]));
    }

    #[test]
    fn a_folder_without_a_namesake_moves_whole_and_copies_as_new_files() {
        let m = model(&[("/x/y", &["c.docx"]), ("/y", &[])], true);
        let moved = apply(
            &m,
            &transfer(Item::Folder(at("/x")), "/y", false, Resolve::Skip),
        );
        assert_eq!(files(&moved, "/y/x/y"), Some(vec![doc("c.docx", Some(1))]));
        assert_eq!(files(&moved, "/x"), None);
        let copied = apply(
            &m,
            &transfer(Item::Folder(at("/x")), "/y", true, Resolve::Skip),
        );
        assert_eq!(files(&copied, "/y/x/y"), Some(vec![doc("c.docx", None)]));
        assert_eq!(files(&copied, "/x/y"), Some(vec![doc("c.docx", Some(1))]));
    }

    #[test]
    fn duplicate_copies_are_renamed_only_where_the_family_renames() {
        let spec: &[(&str, &[&str])] = &[("/", &["a.docx"]), ("/x", &["a.docx"])];
        let op = transfer(
            Item::File(at("/x"), "a.docx".into()),
            "/",
            true,
            Resolve::Duplicate,
        );
        let docspace = apply(&model(spec, true), &op);
        assert_eq!(
            files(&docspace, "/"),
            Some(vec![doc("a (1).docx", None), doc("a.docx", Some(1))])
        );
        let workspace = apply(&model(spec, false), &op);
        assert_eq!(
            files(&workspace, "/"),
            Some(vec![doc("a.docx", None), doc("a.docx", Some(1))])
        );
    }

    #[test]
    fn deletes_go_to_trash_and_out_of_it_for_good() {
        let m = model(&[("/x", &["a.docx"])], true);
        let op = Op::Delete {
            by: Who::A,
            item: Item::Folder(at("/x")),
            immediately: false,
        };
        let trashed = apply(&m, &op);
        assert_eq!(files(&trashed, "/x"), None);
        let entry = Trashed {
            folder: true,
            title: "x".into(),
        };
        assert_eq!(trashed.sides[0].trash, vec![entry.clone()]);
        let gone = apply(&trashed, &Op::DeleteFromTrash { by: Who::A, entry });
        assert!(gone.sides[0].trash.is_empty());
    }

    #[test]
    fn transfers_into_the_own_subtree_the_own_parent_or_an_ambiguous_place_are_left_out() {
        let m = model(
            &[
                ("/x/y", &[]),
                ("/y/x/x", &[]),
                ("/z", &["a.docx", "a.docx"]),
            ],
            true,
        );
        let side = &m.sides[0];
        for copy in [false, true] {
            let resolves = |item: Item, to: &str| side.resolves(&item, &at(to), copy, true);
            assert!(resolves(Item::Folder(at("/x")), "/x/y").is_empty());
            assert!(resolves(Item::Folder(at("/x")), "/x").is_empty());
            assert!(resolves(Item::Folder(at("/x")), "/").is_empty());
            // A merge into the folder that holds the source.
            assert!(resolves(Item::Folder(at("/y/x/x")), "/y").is_empty());
            // Two same-titled files: which one a server takes is open.
            assert!(resolves(Item::File(at("/z"), "a.docx".into()), "/").is_empty());
            assert!(resolves(Item::Folder(at("/z")), "/x").is_empty());
        }
    }

    #[test]
    fn a_duplicate_folder_is_modelled_except_docspaces_move_beside_a_namesake() {
        let m = model(&[("/x", &["a.docx"]), ("/y/x", &["a.docx"])], true);
        let all = vec![Resolve::Skip, Resolve::Overwrite, Resolve::Duplicate];
        let side = &m.sides[0];
        let onto_namesake =
            |copy, renames| side.resolves(&Item::Folder(at("/x")), &at("/y"), copy, renames);
        assert_eq!(onto_namesake(true, true), all);
        assert_eq!(onto_namesake(false, true), all[..2].to_vec());
        assert_eq!(onto_namesake(false, false), all);
        assert_eq!(onto_namesake(true, false), all);
        let free = side.resolves(&Item::Folder(at("/y/x")), &at("/x"), false, true);
        assert_eq!(free, all);

        // DocSpace: the copy is `x (1)` beside the namesake, which keeps its content.
        let copied = apply(
            &m,
            &transfer(Item::Folder(at("/x")), "/y", true, Resolve::Duplicate),
        );
        let y = copied.sides[0].root.at(&at("/y")).expect("y");
        assert_eq!(y.dirs.keys().collect::<Vec<_>>(), ["x", "x (1)"]);
        assert_eq!(y.dirs["x (1)"].files, vec![doc("a.docx", None)]);
        assert_eq!(y.dirs["x"].files, vec![doc("a.docx", Some(1))]);

        // Workspace: a merge whose files are duplicated with their titles; a move empties
        // and removes the source.
        let m = model(&[("/x", &["a.docx"]), ("/y/x", &["a.docx"])], false);
        let moved = apply(
            &m,
            &transfer(Item::Folder(at("/x")), "/y", false, Resolve::Duplicate),
        );
        let root = &moved.sides[0].root;
        assert!(root.at(&at("/x")).is_none());
        let merged = root.at(&at("/y/x")).expect("merged");
        assert_eq!(merged.count("a.docx"), 2);
    }

    #[test]
    fn the_last_pass_deletes_needless_steps_and_start_entries() {
        let start = model(&[("/", &["a.docx", "b.docx"]), ("/x", &["c.docx"])], true);
        let create = Op::CreateFolder {
            by: Who::A,
            folder: at("/"),
            title: "y",
        };
        let delete = Op::Delete {
            by: Who::A,
            item: Item::File(at("/"), "b.docx".into()),
            immediately: false,
        };
        let file = Op::CreateFile {
            by: Who::A,
            folder: at("/"),
            title: "c.docx",
        };
        let ops = vec![create, delete, file];
        // A fault in every delete of b.docx.
        let mut run =
            |_: &Model, ops: &[Op]| match ops.iter().position(|op| matches!(op, Op::Delete { .. }))
            {
                Some(i) => Err((i + 1, "deleted".to_owned())),
                None => Ok(()),
            };
        let (start, ops, reason) = polish(&mut run, start, ops, "first".into());
        assert_eq!(reason, "deleted");
        assert_eq!(ops.len(), 1);
        assert!(matches!(ops[0], Op::Delete { .. }));
        assert_eq!(start.describe(), r#"user A: / ["b.docx"]"#);
    }

    #[test]
    fn a_mixed_request_moves_a_file_and_a_folder_each_as_alone() {
        let m = model(
            &[
                ("/", &["a.docx"]),
                ("/x", &["b.docx"]),
                ("/папка", &["a.docx"]),
            ],
            true,
        );
        let mut op = transfer(
            Item::File(at("/"), "a.docx".into()),
            "/папка",
            false,
            Resolve::Overwrite,
        );
        if let Op::Transfer { with, .. } = &mut op {
            *with = Some(Item::Folder(at("/x")));
        }
        let after = apply(&m, &op);
        assert_eq!(files(&after, "/папка"), Some(vec![doc("a.docx", Some(2))]));
        assert_eq!(
            files(&after, "/папка/x"),
            Some(vec![doc("b.docx", Some(1))])
        );
        assert_eq!(files(&after, "/"), Some(vec![]));
        assert!(after.sides[0].root.at(&at("/x")).is_none());
    }

    #[test]
    fn a_mixed_request_never_carries_an_entry_and_what_lies_in_it() {
        let to = at("/папка");
        let folder = Item::Folder(at("/x"));
        assert!(!folder.apart(&Item::File(at("/x"), "b.docx".into()), &to));
        assert!(!folder.apart(&Item::Folder(at("/x/x")), &to));
        // b.docx lies in /папка/x, where /x merges.
        assert!(!folder.apart(&Item::File(at("/папка/x"), "b.docx".into()), &to));
        assert!(!folder.apart(&Item::Folder(at("/y/x")), &to), "same title");
        assert!(folder.apart(&Item::File(at("/"), "a.docx".into()), &to));
    }
}
