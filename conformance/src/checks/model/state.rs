//! The model: each user's tree and Trash, and the rules that change them (§13.6, §13.7).

use fileops_api::types::FileConflictResolveType as Resolve;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::FOLDERS;

/// Who does a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The first user (`--token`).
    A,
    /// The second user (`--token2`).
    B,
}

impl Who {
    pub(super) fn of(index: usize) -> Who {
        if index == 0 {
            Who::A
        } else {
            Who::B
        }
    }

    pub(super) fn index(self) -> usize {
        self as usize
    }
}

/// A folder, as the titles on the way from the user's root (`/` is the root).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct At(pub(super) Vec<String>);

impl At {
    pub(super) fn child(&self, title: &str) -> At {
        let mut path = self.0.clone();
        path.push(title.to_owned());
        At(path)
    }

    /// The parent and the last title (`None` for the root).
    pub(super) fn split(&self) -> Option<(At, &str)> {
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
    pub(super) fn apart(&self, other: &Item, to: &At) -> bool {
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
    pub(super) folder: bool,
    pub(super) title: String,
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
    pub(super) title: String,
    pub(super) version: Option<i32>,
}

/// A folder's content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dir {
    /// Files, kept sorted.
    pub(super) files: Vec<Doc>,
    /// Subfolders by title (a folder never holds two of one title here).
    pub(super) dirs: BTreeMap<String, Dir>,
}

impl Dir {
    pub(super) fn at(&self, at: &At) -> Option<&Dir> {
        at.0.iter().try_fold(self, |dir, t| dir.dirs.get(t))
    }

    pub(super) fn at_mut(&mut self, at: &At) -> Option<&mut Dir> {
        at.0.iter().try_fold(self, |dir, t| dir.dirs.get_mut(t))
    }

    pub(super) fn count(&self, title: &str) -> usize {
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

    pub(super) fn is_empty(&self) -> bool {
        self.files.is_empty() && self.dirs.is_empty()
    }

    pub(super) fn add(&mut self, doc: Doc) {
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
    pub(super) root: Dir,
    /// Kept sorted.
    pub(super) trash: Vec<Trashed>,
}

impl Side {
    pub(super) fn fresh() -> Side {
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

    pub(super) fn folders(&self) -> Vec<At> {
        let mut out = Vec::new();
        self.root.folders(At::default(), &mut out);
        out
    }

    /// Every entry but the root (a file title once per folder).
    pub(super) fn items(&self) -> Vec<Item> {
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

    pub(super) fn has(&self, item: &Item) -> bool {
        match item {
            Item::File(at, title) => self.root.at(at).is_some_and(|d| d.count(title) > 0),
            Item::Folder(at) => !at.0.is_empty() && self.root.at(at).is_some(),
        }
    }

    /// The resolve types the model predicts for moving or copying `item` into `to`; empty
    /// where it predicts nothing (or the move is of a kind left out, see the module notes).
    /// `renames`: the family renames Duplicate copies (DocSpace).
    pub(super) fn resolves(&self, item: &Item, to: &At, copy: bool, renames: bool) -> Vec<Resolve> {
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

    pub(super) fn transfer(
        &mut self,
        item: &Item,
        to: &At,
        copy: bool,
        resolve: Resolve,
        renames: bool,
    ) {
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

    pub(super) fn delete(&mut self, item: &Item, immediately: bool) {
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
    pub(super) sides: Vec<Side>,
    pub(super) renames: bool,
}

impl Model {
    #[cfg(test)]
    pub(super) fn new(users: usize, renames: bool) -> Model {
        Model {
            sides: vec![Side::fresh(); users],
            renames,
        }
    }

    pub(super) fn side(&self, who: Who) -> Option<&Side> {
        self.sides.get(who.index())
    }

    /// The trees in one line: every folder with its files, per user.
    pub(super) fn describe(&self) -> String {
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
