use fileops_api::runtime::client::EnumEncoding;
use fileops_api::types::FileConflictResolveType as Resolve;
use proptest_state_machine::ReferenceStateMachine;

use super::shrink::polish;
use super::state::{At, Dir, Doc, Item, Model, Trashed, Who};
use super::steps::Op;
use super::world::created_title;

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
        |_: &Model, ops: &[Op]| match ops.iter().position(|op| matches!(op, Op::Delete { .. })) {
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
