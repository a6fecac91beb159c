//! Results in every state and a behaviour profile, for the reports' tests.

use std::time::{Duration, UNIX_EPOCH};

use super::{DialectProfile, RunInfo, SelectionInfo};
use crate::outcome::{Evidence, Level, Outcome};
use crate::profile::{FactProfile, Observation, Shown};
use crate::runner::CheckResult;

/// The fixed start of the fixture run (2026-11-18T11:06:40Z).
pub fn started() -> std::time::SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_795_000_000)
}

fn result(id: &'static str, level: Level, outcome: Outcome, offset: u64) -> CheckResult {
    CheckResult {
        id,
        rule: "A rule & its <words>.",
        level,
        source: "reference §4a",
        dialect: if id.starts_with("wire.") {
            "workspace"
        } else {
            "docspace"
        },
        url: "http://127.0.0.1:1".into(),
        outcome,
        started: started() + Duration::from_millis(offset),
        millis: 250,
    }
}

/// A replayable exchange whose answer tries to inject markup.
pub fn evidence() -> Evidence {
    Evidence {
        curl: "curl -sS -X GET 'http://127.0.0.1:1/api/2.0/files/@my' -H 'Authorization: ***'"
            .into(),
        status: 200,
        body: "{\"note\":\"<script>alert(1)</script>\"}".into(),
    }
}

/// One result per state: pass, fail (a MUST), warn (a SHOULD), skip and error.
pub fn results() -> Vec<CheckResult> {
    vec![
        result("envelope.success.keys", Level::Must, Outcome::Pass, 0),
        result(
            "wire.types",
            Level::Must,
            Outcome::fail(
                "1 of 4 answers break this rule:\ngetMyFolder (200) at /response/id: \
                 a string where the schema says integer [1 answer(s), first asked by envelope.success.keys]",
                vec![evidence()],
            ),
            300,
        ),
        result(
            "lifecycle.progress.monotone",
            Level::Should,
            Outcome::fail("progress went from 50 to 40", vec![evidence()]),
            600,
        ),
        result(
            "auth.isolation",
            Level::Must,
            Outcome::skip("no --token2 for a second user"),
            900,
        ),
        result(
            "effects.copy.skip",
            Level::Must,
            Outcome::Error {
                message: "connection reset".into(),
            },
            1200,
        ),
    ]
}

/// The run the fixture results belong to.
pub fn info() -> RunInfo {
    RunInfo {
        version: "9.8.7".into(),
        target: "https://portal.example".into(),
        dialects: vec!["docspace".into(), "workspace".into()],
        seed: 42,
        cases: 16,
        selection: SelectionInfo {
            include: vec!["envelope.*".into()],
            exclude: vec![],
            format: "both".into(),
            read_only: false,
        },
        started: started(),
        elapsed: Duration::from_millis(1500),
    }
}

/// The run's profile: in DocSpace one fact shown as a reading other than the default (seen
/// twice, in words that try to inject markup) and one not observed; Workspace has no fact,
/// as a dialect no open fact concerns would.
pub fn profiles() -> Vec<DialectProfile> {
    vec![
        DialectProfile {
            dialect: "docspace",
            facts: vec![
                FactProfile {
                    fact: "docspace-error-nulls",
                    title: "The members of a DocSpace error that no <stack> filled",
                    sections: &["§4a"],
                    readings: vec!["written", "omitted"],
                    default: Some("written"),
                    shown: Shown::Reading { reading: "omitted" },
                    observations: vec![Observation {
                        check: "envelope.error.keys",
                        readings: vec!["omitted"],
                        what: "error members [\"message\"] & <b>no stack</b>".into(),
                        times: 2,
                    }],
                },
                FactProfile {
                    fact: "docspace-unauthorized-body",
                    title: "The body of DocSpace's 401 to a request without a valid token",
                    sections: &["§8", "§13.3"],
                    readings: vec!["empty", "error-envelope"],
                    default: Some("empty"),
                    shown: Shown::NotObserved,
                    observations: vec![],
                },
            ],
        },
        DialectProfile {
            dialect: "workspace",
            facts: vec![],
        },
    ]
}
