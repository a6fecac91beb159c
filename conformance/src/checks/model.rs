//! Property-based: random sequences of file operations run against the server and compared,
//! after every step, with a model of two folders; a failure is shrunk to a minimal sequence
//! and reported with the seed. Move and copy requests use a random enum encoding, so any
//! encoding that the server reads differently shows up as a divergence from the model.

use fileops_api::runtime::client::EnumEncoding;
use fileops_api::runtime::Format;
use fileops_api::types::FileConflictResolveType as Resolve;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use proptest_state_machine::ReferenceStateMachine;
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::context::Ctx;
use crate::outcome::{Outcome, Step};

const TITLES: [&str; 3] = ["a.docx", "b.docx", "c.docx"];

thread_local! {
    /// Whether the dialect renames Duplicate copies (set per run; the model reads it).
    static RENAMES: Cell<bool> = const { Cell::new(true) };
}

/// Two folders' file titles, each kept sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    folders: [Vec<String>; 2],
    renames: bool,
}

/// One request.
#[derive(Debug, Clone)]
pub enum Op {
    /// Create a file.
    Create { folder: usize, title: usize },
    /// Delete the `pick`-th file (by sorted title) for good.
    Delete { folder: usize, pick: usize },
    /// Copy or move the `pick`-th file to the other folder.
    Transfer {
        copy: bool,
        from: usize,
        pick: usize,
        resolve: Resolve,
        encoding: EnumEncoding,
    },
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

impl ReferenceStateMachine for Model {
    type State = Model;
    type Transition = Op;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model {
            folders: [Vec::new(), Vec::new()],
            renames: RENAMES.with(Cell::get),
        })
        .boxed()
    }

    fn transitions(_: &Model) -> BoxedStrategy<Op> {
        let resolve = prop_oneof![
            Just(Resolve::Skip),
            Just(Resolve::Overwrite),
            Just(Resolve::Duplicate)
        ];
        let encoding = prop_oneof![
            Just(EnumEncoding::Wire),
            Just(EnumEncoding::Number),
            Just(EnumEncoding::NumericString),
            Just(EnumEncoding::Name),
            prop::collection::vec(any::<bool>(), 1..4).prop_map(EnumEncoding::NameCase),
        ];
        prop_oneof![
            3 => (0..2usize, 0..TITLES.len()).prop_map(|(folder, title)| Op::Create { folder, title }),
            1 => (0..2usize, 0..4usize).prop_map(|(folder, pick)| Op::Delete { folder, pick }),
            4 => (any::<bool>(), 0..2usize, 0..4usize, resolve, encoding)
                .prop_map(|(copy, from, pick, resolve, encoding)| Op::Transfer { copy, from, pick, resolve, encoding }),
        ]
        .boxed()
    }

    fn preconditions(state: &Model, op: &Op) -> bool {
        match op {
            Op::Create { .. } => true,
            Op::Delete { folder, pick } => *pick < state.folders[*folder].len(),
            Op::Transfer { from, pick, .. } => *pick < state.folders[*from].len(),
        }
    }

    fn apply(mut state: Model, op: &Op) -> Model {
        match op {
            Op::Create { folder, title } => state.folders[*folder].push(TITLES[*title].to_owned()),
            Op::Delete { folder, pick } => {
                state.folders[*folder].remove(*pick);
            }
            Op::Transfer {
                copy,
                from,
                pick,
                resolve,
                ..
            } => {
                let to = 1 - from;
                let title = state.folders[*from][*pick].clone();
                let clash = state.folders[to].contains(&title);
                let added = match (clash, resolve, copy) {
                    (false, _, _) => Some(title),
                    (true, Resolve::Skip, _) | (true, Resolve::Overwrite, _) => None,
                    (true, Resolve::Duplicate, true) if state.renames => {
                        Some(free_title(&state.folders[to], &title))
                    }
                    (true, Resolve::Duplicate, _) => Some(title),
                };
                let skipped = clash && *resolve == Resolve::Skip;
                let source_leaves = !copy && !skipped;
                if source_leaves {
                    state.folders[*from].remove(*pick);
                }
                if let Some(t) = added {
                    state.folders[to].push(t);
                }
            }
        }
        state.folders.iter_mut().for_each(|f| f.sort());
        state
    }
}

/// The sorted titles and ids of a folder's files.
async fn files(ctx: &Ctx, folder: i64) -> Step<Vec<(String, i64)>> {
    let mut list: Vec<(String, i64)> = ctx
        .listing(folder)
        .await?
        .files
        .into_iter()
        .filter_map(|f| Some((f.title?, f.id?.as_int()?)))
        .collect();
    list.sort();
    Ok(list)
}

fn divergence(message: String) -> Outcome {
    Outcome::fail(message, Vec::new())
}

/// Runs one step against the server.
async fn perform(ctx: &Ctx, folders: [i64; 2], op: &Op) -> Step<()> {
    let pick = |list: &[(String, i64)], i: usize| list.get(i).map(|(_, id)| *id);
    match op {
        Op::Create { folder, title } => ctx
            .create_file(folders[*folder], TITLES[*title])
            .await
            .map(|_| ()),
        Op::Delete { folder, pick: i } => {
            let id = pick(&files(ctx, folders[*folder]).await?, *i)
                .ok_or_else(|| divergence("the file to delete is missing".into()))?;
            let started = super::start_delete(ctx, &[id], true, false).await?;
            ctx.wait(&ctx.api(), &started.id).await.map(|_| ())
        }
        Op::Transfer {
            copy,
            from,
            pick: i,
            resolve,
            encoding,
        } => {
            let id = pick(&files(ctx, folders[*from]).await?, *i)
                .ok_or_else(|| divergence("the file to transfer is missing".into()))?;
            let client = ctx.client(Format::Json, encoding.clone());
            let started = super::start_transfer(
                &client,
                *copy,
                super::batch(folders[1 - from], &[id], *resolve),
            )
            .await?;
            ctx.wait(&ctx.api(), &started.id).await.map(|_| ())
        }
    }
}

/// Runs a sequence on fresh folders, comparing with the model after every step.
async fn sequence(ctx: &Ctx, ops: &[Op], seen: Option<&AtomicUsize>) -> Step<Result<(), String>> {
    let folders = [ctx.scratch("model-a").await?, ctx.scratch("model-b").await?];
    let mut model = Model {
        folders: [Vec::new(), Vec::new()],
        renames: ctx.target.dialect.behaviour.duplicate_renames,
    };
    for (i, op) in ops.iter().enumerate() {
        // Tells the shrinker how far the sequence got.
        if let Some(seen) = seen {
            seen.fetch_add(1, Ordering::SeqCst);
        }
        perform(ctx, folders, op).await?;
        model = <Model as ReferenceStateMachine>::apply(model, op);
        for (f, folder) in folders.iter().enumerate() {
            let got: Vec<String> = files(ctx, *folder)
                .await?
                .into_iter()
                .map(|(t, _)| t)
                .collect();
            if got != model.folders[f] {
                return Ok(Err(format!(
                    "after step {} ({op:?}) folder {f} holds {got:?}, the model {:?}",
                    i + 1,
                    model.folders[f]
                )));
            }
        }
    }
    Ok(Ok(()))
}

pub async fn random_sequences(ctx: &Ctx) -> Step<Outcome> {
    RENAMES.with(|r| r.set(ctx.target.dialect.behaviour.duplicate_renames));
    let config = Config {
        cases: ctx.target.cases,
        rng_seed: RngSeed::Fixed(ctx.target.seed),
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let strategy = Model::sequential_strategy(1..8usize);
    let handle = tokio::runtime::Handle::current();
    let result = tokio::task::block_in_place(|| {
        runner.run(&strategy, |(_, ops, seen)| {
            match handle.block_on(sequence(ctx, &ops, seen.as_deref())) {
                Ok(Ok(())) => Ok(()),
                Ok(Err(divergence)) => Err(TestCaseError::fail(divergence)),
                Err(outcome) => Err(TestCaseError::fail(format!("{outcome:?}"))),
            }
        })
    });
    Ok(match result {
        Ok(()) => Outcome::Pass,
        Err(TestError::Fail(reason, (_, ops, _))) => Outcome::fail(
            format!(
                "seed {}: minimal failing sequence {ops:?}: {reason}",
                ctx.target.seed
            ),
            Vec::new(),
        ),
        Err(TestError::Abort(reason)) => Outcome::Error {
            message: format!("property run aborted: {reason}"),
        },
    })
}
