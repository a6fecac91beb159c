//! Many clients at once never lose or duplicate an entry, and an entry is never in two
//! places: 32 clients issue random moves, copies and deletes against shared folders.

mod support;

use fileops_reference::store::{EntryKey, Kind, Store};
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::Arc;
use support::{dialects, start, ALICE};

const CLIENTS: u64 = 32;
const REQUESTS: usize = 8;
const FILES_PER_CLIENT: usize = 3;

/// A small deterministic generator (xorshift), one per client.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Files and folders below `id`, counted by walking the tree.
fn walk_below(store: &Store, id: EntryKey) -> (i64, i64) {
    let (mut files, mut folders) = (0, 0);
    if let Kind::Folder { children, .. } = &store.entries[&id].kind {
        for child in children {
            if store.entries[child].is_folder() {
                let (f, d) = walk_below(store, *child);
                files += f;
                folders += d + 1;
            } else {
                files += 1;
            }
        }
    }
    (files, folders)
}

/// Every entry has exactly one parent that lists it, every entry is reachable once, and
/// every folder's kept counts are what lies below it.
fn check_tree(store: &Store) {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<EntryKey> = store
        .entries
        .values()
        .filter(|e| e.parent.is_none())
        .map(|e| e.id)
        .collect();
    while let Some(id) = stack.pop() {
        assert!(seen.insert(id), "entry {id} is reachable twice");
        let entry = &store.entries[&id];
        if let Kind::Folder { children, .. } = &entry.kind {
            assert_eq!(
                store.count_below(id),
                walk_below(store, id),
                "folder {id} keeps counts that differ from its content"
            );
            for child in children {
                let c = store
                    .entries
                    .get(child)
                    .unwrap_or_else(|| panic!("folder {id} lists missing {child}"));
                assert_eq!(
                    c.parent,
                    Some(id),
                    "entry {child} is listed by {id} but points elsewhere"
                );
                stack.push(*child);
            }
        }
    }
    assert_eq!(
        seen.len(),
        store.entries.len(),
        "every entry is reachable from a root"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_two_clients_keep_every_entry_in_exactly_one_place() {
    for dialect in dialects() {
        let s = Arc::new(start(dialect).await);
        let my = s.my(ALICE).await;
        let mut folders = Vec::new();
        for i in 0..4 {
            folders.push(s.mkdir(ALICE, my, &format!("shared{i}")).await);
        }
        let mut pools = Vec::new();
        for client in 0..CLIENTS as usize {
            let mut pool = Vec::new();
            for k in 0..FILES_PER_CLIENT {
                let folder = folders[(client + k) % folders.len()];
                pool.push(s.touch(ALICE, folder, &format!("c{client}-{k}.docx")).await);
            }
            pools.push(pool);
        }
        let originals: Vec<EntryKey> = pools.iter().flatten().copied().collect();
        let everyone = Arc::new(originals.clone());
        let mut handles = Vec::new();
        for (client, pool) in pools.into_iter().enumerate() {
            let s = s.clone();
            let folders = folders.clone();
            let everyone = everyone.clone();
            handles.push(tokio::spawn(async move {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (client as u64 + 1));
                let mut deletable = pool;
                let mut copies = 0usize;
                for _ in 0..REQUESTS {
                    let dest = folders[rng.below(folders.len())];
                    let file = everyone[rng.below(everyone.len())];
                    let (path, body) = match rng.below(3) {
                        0 => ("files/fileops/move", json!({"destFolderId": dest, "fileIds": [file], "conflictResolveType": "Duplicate"})),
                        1 => {
                            copies += 1;
                            ("files/fileops/copy", json!({"destFolderId": dest, "fileIds": [file], "conflictResolveType": 2}))
                        }
                        _ if !deletable.is_empty() => {
                            let own = deletable.remove(rng.below(deletable.len()));
                            ("files/fileops/delete", json!({"fileIds": [own]}))
                        }
                        _ => ("files/fileops/move", json!({"destFolderId": dest, "fileIds": [file], "conflictResolveType": "duplicate"})),
                    };
                    let answer = s.call("PUT", path, Some(ALICE), Some(body)).await;
                    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
                }
                copies
            }));
        }
        let mut copies = 0;
        for handle in handles {
            copies += handle.await.expect("client");
        }
        while s.reference.engine().unfinished() > 0 {
            tokio::task::yield_now().await;
        }
        let store = s.reference.store();
        check_tree(&store);
        for id in &originals {
            assert!(
                store.entries.contains_key(id),
                "{}: original {id} was lost",
                dialect.name
            );
        }
        let files = store.entries.values().filter(|e| !e.is_folder()).count();
        assert_eq!(
            files,
            originals.len() + copies,
            "{}: every copy made one file, nothing else appeared or vanished",
            dialect.name
        );
    }
}
