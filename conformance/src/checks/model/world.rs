//! One sequence's view of the server, and how it is compared with the model.

use fileops_api::runtime::Format;
use std::collections::{BTreeMap, BTreeSet};

use super::server::{
    delete_body, divergence, listed, send_delete, send_transfer, transfer_body, trash_among, Actor,
    Listed,
};
use super::state::{At, Dir, Doc, Item, Model, Trashed, Who};
use super::steps::{Intrusion, Op};
use crate::context::{create_file_with, create_folder_with, failed, Ctx};
use crate::outcome::Step;

/// One sequence's view of the server.
pub(super) struct World<'a> {
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
    pub(super) fn new(ctx: &'a Ctx, users: &'a [Actor]) -> World<'a> {
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
    pub(super) async fn set_up(&mut self, homes: &[i64], start: &Model) -> Step<()> {
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
    pub(super) async fn observe(&mut self) -> Step<()> {
        let mut seen = Vec::new();
        for (u, user) in self.users.iter().enumerate() {
            seen.push(listed(&user.api, self.roots[u], 0).await?);
            self.trash[u] = trash_among(&user.api, &self.trashed[u]).await?;
        }
        self.seen = seen;
        Ok(())
    }

    /// How the server differs from the model, if it does.
    pub(super) fn compare(&self, model: &Model) -> Option<String> {
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
    pub(super) async fn perform(&mut self, op: &Op) -> Step<()> {
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
                let started = crate::checks::start_transfer(&client, *copy, body).await?;
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
    pub(super) async fn clean_trash(&self) {
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
pub(super) fn created_title(title: &str) -> String {
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
