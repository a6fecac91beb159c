//! A fast server is not a wrong one. The checks that must see an operation running (issue 23:
//! terminate, terminate by id, progress, deleteAfter, another user's terminate, one download
//! at a time) grow their batches until they do: against a reference that finishes small
//! batches before answering the start they judge a larger one and pass, and against one that
//! finishes every batch at once they say so with a skip, never a pass or a false failure.

use fileops_conformance::outcome::Outcome;
use fileops_reference::Config;
use std::time::Duration;

mod support;

/// The checks that must see an operation running.
const WATCHING: [&str; 6] = [
    "lifecycle.progress",
    "lifecycle.terminate",
    "lifecycle.terminate-by-id",
    "lifecycle.delete-after",
    "coverage.isolation.terminate",
    "effects.download.one-at-a-time",
];

/// Runs the suite against a reference that finishes operations of at most `instant`
/// entries before answering their start; what each watching check did, per family.
async fn watching(instant: usize) -> Vec<(&'static str, &'static str, Outcome)> {
    let mut seen = Vec::new();
    for dialect in fileops_api::dialects::ALL.iter().copied() {
        let mut config = Config::demo(dialect);
        config.instant_up_to = instant;
        let run = support::check_reference(config, dialect, Duration::from_secs(20))
            .await
            .expect("the run sets up");
        for result in &run.results {
            assert!(
                !matches!(result.outcome, Outcome::Fail { .. } | Outcome::Error { .. }),
                "{} ({}) with operations of up to {instant} entries done at once: {:?}",
                result.id,
                dialect.name,
                result.outcome
            );
            if WATCHING.contains(&result.id) {
                seen.push((dialect.name, result.id, result.outcome.clone()));
            }
        }
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_batches_done_at_once_are_followed_by_larger_ones_that_are_judged() {
    // The first batch (20 files) is done at once; the second (100) runs.
    let seen = watching(30).await;
    assert!(seen.len() >= 2 * WATCHING.len() - 2, "{seen:?}");
    for (dialect, id, outcome) in seen {
        assert!(
            matches!(outcome, Outcome::Pass),
            "{id} ({dialect}) should judge the larger batch: {outcome:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_batch_done_at_once_is_a_skip_that_says_so() {
    let seen = watching(usize::MAX).await;
    assert!(!seen.is_empty());
    for (dialect, id, outcome) in seen {
        match outcome {
            Outcome::Skip { reason } => assert!(
                reason.contains("never seen running"),
                "{id} ({dialect}): {reason}"
            ),
            other => panic!("{id} ({dialect}) saw nothing running, yet: {other:?}"),
        }
    }
}
