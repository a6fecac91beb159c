//! The steps of a sequence: which ones are generated from a state, which the model allows,
//! and what each does to it.

use fileops_api::runtime::client::EnumEncoding;
use fileops_api::types::FileConflictResolveType as Resolve;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::Union;
use proptest_state_machine::ReferenceStateMachine;
use std::cell::Cell;

use super::state::{At, Dir, Doc, Item, Model, Side, Trashed, Who};
use super::{FILES, FOLDERS, RENAMES, USERS};

/// How deep a new folder may be created (the root is depth 0).
const MAX_DEPTH: usize = 3;

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
