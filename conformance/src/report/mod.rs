//! Reports of a run: lines, a header and a summary for people ([`terminal`]), JSON
//! ([`json()`]), JUnit XML ([`junit()`]) for CI, and one self-contained HTML page
//! ([`html()`]) to read offline. Each shows the run's behaviour profile too
//! ([`DialectProfile`]): which reading of each open fact the server showed.

mod html;
mod json;
mod junit;
pub mod terminal;

pub use html::html;
pub use json::json;
pub use junit::junit;
pub use terminal::{line, table};

use serde::Serialize;
use std::time::{Duration, SystemTime};

use crate::outcome::Level;
use crate::profile::{FactProfile, Shown};
use crate::runner::CheckResult;

/// One dialect's behaviour profile: what the server showed for each open fact that
/// concerns the dialect. A run has one per dialect run, in run order (`&[DialectProfile]`
/// is "the profiles of a run" every report takes).
#[derive(Debug, Clone, Serialize)]
pub struct DialectProfile {
    /// The dialect checked.
    pub dialect: &'static str,
    /// Its facts, in the schema's order; facts not observed are kept, so a reader sees
    /// that the run could not tell their readings apart.
    pub facts: Vec<FactProfile>,
}

/// Whether what the server showed departs from the reading the family's table holds: a
/// reading other than the default, readings that leave the default out, or readings that
/// contradict each other. Not observed departs from nothing. The reports mark these facts,
/// as they are where a server differs from what the notes favour.
pub(crate) fn departs(fact: &FactProfile) -> bool {
    let Some(default) = fact.default else {
        return false;
    };
    match &fact.shown {
        Shown::NotObserved => false,
        Shown::Reading { reading } => *reading != default,
        Shown::Undecided { readings } => !readings.contains(&default),
        Shown::Inconsistent => true,
    }
}

/// The check state whose colour paints what a fact showed: a departure from the default in
/// the warning's (no reading fails a check, but this is where the server differs), the
/// default (or the one reading of a fact without one) in the pass's, and what the run
/// could not tell in the skip's.
pub(crate) fn tone(fact: &FactProfile) -> &'static str {
    match &fact.shown {
        _ if departs(fact) => "warn",
        Shown::Reading { .. } => "pass",
        Shown::Inconsistent => "warn",
        Shown::NotObserved | Shown::Undecided { .. } => "skip",
    }
}

/// Counts by state.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Passed.
    pub pass: usize,
    /// Failed MUST checks.
    pub fail: usize,
    /// Failed SHOULD checks.
    pub warn: usize,
    /// Skipped.
    pub skip: usize,
    /// Could not run.
    pub error: usize,
}

impl Summary {
    /// The run's exit code: 2 when a check could not run, 1 when a MUST failed (or, when
    /// `strict`, a SHOULD), else 0.
    pub fn exit_code(&self, strict: bool) -> u8 {
        if self.error > 0 {
            2
        } else if self.fail > 0 || (strict && self.warn > 0) {
            1
        } else {
            0
        }
    }

    /// Counts the results.
    pub fn of<'a>(results: impl IntoIterator<Item = &'a CheckResult>) -> Self {
        let mut s = Summary::default();
        for r in results {
            match r.state() {
                "pass" => s.pass += 1,
                "fail" => s.fail += 1,
                "warn" => s.warn += 1,
                "skip" => s.skip += 1,
                _ => s.error += 1,
            }
        }
        s
    }
}

/// Which checks a run selected, as the command line said it.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SelectionInfo {
    /// `--include` patterns (empty = every check).
    pub include: Vec<String>,
    /// `--exclude` patterns.
    pub exclude: Vec<String>,
    /// `--format`: `json`, `xml` or `both`.
    pub format: String,
    /// `--read-only`: only the checks that change nothing on the server ran.
    pub read_only: bool,
}

impl std::fmt::Display for SelectionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |patterns: &[String]| {
            if patterns.is_empty() {
                "-".to_owned()
            } else {
                patterns.join(", ")
            }
        };
        let include = if self.include.is_empty() {
            "*".to_owned()
        } else {
            list(&self.include)
        };
        write!(
            f,
            "include {include}; exclude {}; format {}",
            list(&self.exclude),
            self.format
        )?;
        if self.read_only {
            f.write_str("; READ-ONLY (only checks that change nothing on the server)")?;
        }
        Ok(())
    }
}

/// What every report says about the run itself. It never holds a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    /// The tool's version.
    pub version: String,
    /// The server checked: its address, or `embedded reference`.
    pub target: String,
    /// The dialects run, in run order.
    pub dialects: Vec<String>,
    /// The seed for generated cases.
    pub seed: u64,
    /// Generated cases per property check.
    pub cases: u32,
    /// The selection.
    pub selection: SelectionInfo,
    /// When the run started.
    pub started: SystemTime,
    /// How long it took (zero until it ends).
    pub elapsed: Duration,
}

impl RunInfo {
    /// When the run ended.
    pub fn finished(&self) -> SystemTime {
        self.started + self.elapsed
    }
}

/// Why a report could not be written out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportError(pub String);

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReportError {}

/// A time as RFC 3339 in UTC, to the millisecond.
pub fn rfc3339(time: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(time).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The results grouped by dialect, dialects in the order they ran.
pub(crate) fn by_dialect(results: &[CheckResult]) -> Vec<(&'static str, Vec<&CheckResult>)> {
    let mut groups: Vec<(&'static str, Vec<&CheckResult>)> = Vec::new();
    for r in results {
        match groups.iter_mut().find(|(d, _)| *d == r.dialect) {
            Some((_, rs)) => rs.push(r),
            None => groups.push((r.dialect, vec![r])),
        }
    }
    groups
}

/// The JSON pointers a failure message names. The `wire.*` checks write one finding a line
/// as `operation (status) at /pointer: message […]`.
pub(crate) fn pointers(message: &str) -> Vec<&str> {
    message
        .lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once(") at ")?;
            let (pointer, _) = rest.split_once(": ")?;
            pointer.starts_with('/').then_some(pointer)
        })
        .collect()
}

/// `MUST` or `SHOULD`.
pub(crate) fn level_name(level: Level) -> &'static str {
    match level {
        Level::Must => "MUST",
        Level::Should => "SHOULD",
    }
}

/// A check's duration as a [`Duration`].
pub(crate) fn duration(result: &CheckResult) -> Duration {
    Duration::from_millis(u64::try_from(result.millis).unwrap_or(u64::MAX))
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests {
    use super::{departs, fixtures, pointers, rfc3339, Summary};
    use crate::profile::Shown;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn strict_runs_fail_on_a_broken_should() {
        let warned = Summary {
            pass: 3,
            warn: 1,
            ..Summary::default()
        };
        assert_eq!(warned.exit_code(false), 0);
        assert_eq!(warned.exit_code(true), 1);
        let failed = Summary {
            fail: 1,
            ..Summary::default()
        };
        assert_eq!(failed.exit_code(false), 1);
        let errored = Summary {
            error: 1,
            fail: 1,
            ..Summary::default()
        };
        assert_eq!(errored.exit_code(true), 2);
    }

    #[test]
    fn a_failed_should_counts_as_a_warning() {
        let results = fixtures::results();
        assert_eq!(
            Summary::of(&results),
            Summary {
                pass: 1,
                fail: 1,
                warn: 1,
                skip: 1,
                error: 1
            }
        );
    }

    #[test]
    fn times_are_rfc3339_utc() {
        let t = UNIX_EPOCH + Duration::from_millis(1_795_000_000_123);
        assert_eq!(rfc3339(t), "2026-11-18T11:06:40.123Z");
    }

    #[test]
    fn wire_messages_yield_their_pointers() {
        let message = "2 of 9 answers break this rule:\n\
            getMyFolder (200) at /response/files/0/id: not an integer [1 answer(s), first asked by envelope.success.keys]\n\
            getOperationStatuses (200) at /: not an object [1 answer(s), first asked by lifecycle.list]";
        assert_eq!(pointers(message), ["/response/files/0/id", "/"]);
        assert!(pointers("the folder is still there").is_empty());
    }

    #[test]
    fn only_a_reading_other_than_the_default_departs() {
        let profiles = fixtures::profiles();
        let facts = &profiles[0].facts;
        assert!(departs(&facts[0]), "omitted where the default is written");
        assert!(!departs(&facts[1]), "not observed departs from nothing");
        let mut fact = facts[0].clone();
        fact.shown = Shown::Reading { reading: "written" };
        assert!(!departs(&fact));
        fact.shown = Shown::Undecided {
            readings: vec!["written", "omitted"],
        };
        assert!(!departs(&fact), "the default is still possible");
        fact.shown = Shown::Inconsistent;
        assert!(departs(&fact));
        fact.default = None;
        assert!(!departs(&fact), "no default to depart from");
    }
}
