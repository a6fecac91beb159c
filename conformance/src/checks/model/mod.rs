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

mod server;
mod shrink;
mod state;
mod steps;
#[cfg(test)]
mod tests;
mod world;

use fileops_api::runtime::client::ClientError;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use proptest_state_machine::ReferenceStateMachine;
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

use crate::context::{create_folder_with, failed, my_folder_with, Ctx};
use crate::outcome::{Outcome, Step};
use server::{delete_body, send_delete, Actor};
use shrink::polish;
use state::Model;
use steps::Op;
use world::World;

/// File titles (distinct beyond case, and from the folder titles); one in Cyrillic, as on
/// R7's Russian portals.
const FILES: [&str; 3] = ["a.docx", "b.docx", "отчёт.docx"];
/// Folder titles; each root starts with one empty folder of each.
const FOLDERS: [&str; 2] = ["x", "папка"];

thread_local! {
    /// Whether the dialect renames Duplicate copies (set per run; the model reads it).
    static RENAMES: Cell<bool> = const { Cell::new(true) };
    /// How many users take part (set per run).
    static USERS: Cell<usize> = const { Cell::new(1) };
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
