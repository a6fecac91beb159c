//! Zero false alarms on a faithful server: the reference switched to every reading of every
//! open fact (`fileops_api::open_facts`, the points the reference notes leave open) passes
//! the whole suite with `--strict` in each family the fact concerns, one reading at a time
//! and all non-default readings together; and the behaviour profile names the reading the
//! server was given wherever the run could tell. The readings are enumerated from the
//! schema: an open fact added there adds its runs here without new test code.

use fileops_api::runtime::{Dialect, OpenFact};
use fileops_conformance::profile::Shown;
use fileops_reference::Config;
use std::time::Duration;

mod support;

/// One server to check: a family and the readings it is given.
#[derive(Debug, Clone)]
struct Setup {
    dialect: &'static Dialect,
    readings: Vec<(&'static str, &'static str)>,
}

/// Every non-default reading alone, in each family its fact concerns.
fn one_at_a_time() -> Vec<Setup> {
    let mut setups = Vec::new();
    for fact in fileops_api::open_facts::ALL {
        for dialect in fileops_api::dialects::ALL.iter().copied() {
            for reading in non_default(fact, dialect) {
                setups.push(Setup {
                    dialect,
                    readings: vec![(fact.id, reading)],
                });
            }
        }
    }
    setups
}

/// Per family, every fact at once in a reading other than the family's own: its first
/// non-default reading, and (a second server) its last, so facts of three readings are
/// combined in each.
fn all_together() -> Vec<Setup> {
    let mut setups = Vec::new();
    for dialect in fileops_api::dialects::ALL.iter().copied() {
        for pick in [first, last] {
            let readings = fileops_api::open_facts::ALL
                .iter()
                .filter_map(|f| pick(non_default(f, dialect)).map(|r| (f.id, r)))
                .collect();
            setups.push(Setup { dialect, readings });
        }
    }
    setups
}

fn first(names: Vec<&'static str>) -> Option<&'static str> {
    names.first().copied()
}

fn last(names: Vec<&'static str>) -> Option<&'static str> {
    names.last().copied()
}

/// The readings of `fact` other than `dialect`'s own (none when it does not concern it).
fn non_default(fact: &OpenFact, dialect: &Dialect) -> Vec<&'static str> {
    let own = fact.reading_of(dialect).map(|r| r.name);
    if !fact.concerns(dialect) {
        return Vec::new();
    }
    fact.names()
        .into_iter()
        .filter(|n| Some(*n) != own)
        .collect()
}

/// Runs the whole suite, strict, against the reference in `setup`; what went wrong.
async fn problems(setup: Setup) -> Vec<String> {
    let mut config = Config::demo(setup.dialect);
    for (fact, reading) in &setup.readings {
        config = config
            .reading(fact, reading)
            .expect("a reading of the schema");
    }
    // The suite is told the family, as a user would: never the reading it was given.
    let run = match support::check_reference(config, setup.dialect, Duration::from_secs(5)).await {
        Ok(run) => run,
        Err(e) => return vec![format!("the run stopped: {e}")],
    };
    let mut found: Vec<String> = run
        .results
        .iter()
        .filter(|r| matches!(r.state(), "fail" | "warn" | "error"))
        .map(|r| format!("{} {}: {:?}", r.state(), r.id, r.outcome))
        .collect();
    for (fact, reading) in &setup.readings {
        let Some(shown) = run.profile.iter().find(|p| p.fact == *fact) else {
            found.push(format!("the profile has no {fact}"));
            continue;
        };
        let named = match &shown.shown {
            Shown::NotObserved => true,
            Shown::Reading { reading: r } => r == reading,
            Shown::Undecided { readings } => readings.contains(reading),
            Shown::Inconsistent => false,
        };
        if !named {
            found.push(format!(
                "the profile shows {} for {fact}, which was given {reading} ({:?})",
                shown.shown.text(),
                shown.observations
            ));
        }
    }
    found
}

/// Runs every setup, four at a time; the table and every problem.
async fn check_all(setups: Vec<Setup>) -> Vec<String> {
    let mut failed = Vec::new();
    for chunk in setups.chunks(4) {
        let mut runs = tokio::task::JoinSet::new();
        for setup in chunk.iter().cloned() {
            runs.spawn(async move { (setup.clone(), problems(setup).await) });
        }
        for (setup, found) in runs.join_all().await {
            let readings: Vec<String> = setup
                .readings
                .iter()
                .map(|(f, r)| format!("{f}={r}"))
                .collect();
            let verdict = if found.is_empty() { "pass" } else { "FAIL" };
            println!(
                "{verdict} {:<10} {}",
                setup.dialect.name,
                if readings.len() > 2 {
                    format!("{} readings together", readings.len())
                } else {
                    readings.join(" ")
                }
            );
            for problem in found {
                failed.push(format!(
                    "{} with {}: {problem}",
                    setup.dialect.name,
                    readings.join(" ")
                ));
            }
        }
    }
    failed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_in_every_reading_passes_the_strict_suite() {
    let single = one_at_a_time();
    let facts = fileops_api::open_facts::ALL.len();
    let readings: usize = fileops_api::open_facts::ALL
        .iter()
        .map(|f| f.readings.len())
        .sum();
    assert!(
        facts > 0 && single.len() > facts,
        "the schema has open facts"
    );
    println!(
        "{facts} open facts, {readings} readings: {} runs of one non-default reading",
        single.len()
    );
    let mut failed = check_all(single).await;
    failed.extend(check_all(all_together()).await);
    assert!(failed.is_empty(), "false alarms:\n{}", failed.join("\n"));
}
