//! The JSON report: the run (tool version, target, seed, selection, start and end), the
//! counts per dialect, the behaviour profile per dialect and every result with the same
//! state the terminal shows.

use serde::Serialize;

use super::{
    by_dialect, pointers, rfc3339, DialectProfile, ReportError, RunInfo, SelectionInfo, Summary,
};
use crate::outcome::{Evidence, Level, Outcome};
use crate::runner::CheckResult;

#[derive(Serialize)]
struct Document<'a> {
    tool: &'static str,
    version: &'a str,
    target: &'a str,
    dialects: &'a [String],
    seed: u64,
    cases: u32,
    selection: &'a SelectionInfo,
    started: String,
    finished: String,
    elapsed_ms: u128,
    summary: Summary,
    by_dialect: Vec<DialectSummary>,
    /// `{dialect, facts}` per dialect run; each fact as [`crate::profile::FactProfile`]
    /// serializes (what was shown tagged with `state`).
    profile: &'a [DialectProfile],
    results: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct DialectSummary {
    dialect: &'static str,
    #[serde(flatten)]
    summary: Summary,
}

#[derive(Serialize)]
struct Entry<'a> {
    id: &'static str,
    rule: &'static str,
    level: Level,
    source: &'static str,
    dialect: &'static str,
    url: &'a str,
    /// `pass`, `fail`, `warn`, `skip` or `error`, as [`CheckResult::state`] says.
    state: &'static str,
    started: String,
    millis: u128,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pointers: Vec<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    evidence: &'a [Evidence],
}

impl<'a> Entry<'a> {
    fn of(r: &'a CheckResult) -> Self {
        let (message, reason, evidence): (Option<&str>, Option<&str>, &[Evidence]) =
            match &r.outcome {
                Outcome::Pass => (None, None, &[]),
                Outcome::Fail { message, evidence } => (Some(message), None, evidence),
                Outcome::Skip { reason } => (None, Some(reason), &[]),
                Outcome::Error { message } => (Some(message), None, &[]),
            };
        Entry {
            id: r.id,
            rule: r.rule,
            level: r.level,
            source: r.source,
            dialect: r.dialect,
            url: &r.url,
            state: r.state(),
            started: rfc3339(r.started),
            millis: r.millis,
            message,
            reason,
            pointers: message.map(pointers).unwrap_or_default(),
            evidence,
        }
    }
}

/// The JSON report of `results` and `profiles` from the run `info` describes.
pub fn json(
    results: &[CheckResult],
    profiles: &[DialectProfile],
    info: &RunInfo,
) -> Result<String, ReportError> {
    let document = Document {
        tool: "fileops-conformance",
        version: &info.version,
        target: &info.target,
        dialects: &info.dialects,
        seed: info.seed,
        cases: info.cases,
        selection: &info.selection,
        started: rfc3339(info.started),
        finished: rfc3339(info.finished()),
        elapsed_ms: info.elapsed.as_millis(),
        summary: Summary::of(results),
        by_dialect: by_dialect(results)
            .into_iter()
            .map(|(dialect, rs)| DialectSummary {
                dialect,
                summary: Summary::of(rs),
            })
            .collect(),
        profile: profiles,
        results: results.iter().map(Entry::of).collect(),
    };
    serde_json::to_string_pretty(&document)
        .map_err(|e| ReportError(format!("cannot write the JSON report: {e}")))
}

#[cfg(test)]
mod tests {
    use super::json;
    use crate::report::fixtures;
    use serde_json::Value;

    fn report() -> Value {
        let text = json(
            &fixtures::results(),
            &fixtures::profiles(),
            &fixtures::info(),
        )
        .unwrap_or_default();
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    #[test]
    fn states_match_the_terminal_and_the_summary() {
        let report = report();
        let states: Vec<&str> = report["results"]
            .as_array()
            .map(|rs| rs.iter().filter_map(|r| r["state"].as_str()).collect())
            .unwrap_or_default();
        let expected: Vec<&str> = fixtures::results().iter().map(|r| r.state()).collect();
        assert_eq!(states, expected);
        assert_eq!(states[2], "warn", "a failed SHOULD is a warning");
        assert_eq!(report["summary"]["warn"], 1);
        assert_eq!(report["summary"]["fail"], 1);
        assert_eq!(report["by_dialect"][0]["dialect"], "docspace");
        assert_eq!(report["by_dialect"][0]["warn"], 1);
    }

    #[test]
    fn the_run_is_recorded_with_times() {
        let report = report();
        assert_eq!(report["version"], "9.8.7");
        assert_eq!(report["seed"], 42);
        assert_eq!(report["target"], "https://portal.example");
        assert_eq!(report["selection"]["include"][0], "envelope.*");
        assert_eq!(report["started"], "2026-11-18T11:06:40.000Z");
        assert_eq!(report["finished"], "2026-11-18T11:06:41.500Z");
        assert_eq!(report["elapsed_ms"], 1500);
        let wire = &report["results"][1];
        assert_eq!(wire["started"], "2026-11-18T11:06:40.300Z");
        assert_eq!(wire["millis"], 250);
        assert_eq!(wire["pointers"][0], "/response/id");
        assert_eq!(wire["evidence"][0]["status"], 200);
        assert_eq!(
            report["results"][3]["reason"],
            "no --token2 for a second user"
        );
    }

    #[test]
    fn the_profile_is_listed_per_dialect_with_every_fact() {
        let report = report();
        let profile = &report["profile"];
        assert_eq!(profile.as_array().map(Vec::len), Some(2), "{profile}");
        assert_eq!(profile[0]["dialect"], "docspace");
        assert_eq!(profile[1]["dialect"], "workspace");
        assert_eq!(profile[1]["facts"], serde_json::json!([]));
        let nulls = &profile[0]["facts"][0];
        assert_eq!(nulls["fact"], "docspace-error-nulls");
        assert_eq!(nulls["sections"], serde_json::json!(["§4a"]));
        assert_eq!(nulls["readings"], serde_json::json!(["written", "omitted"]));
        assert_eq!(nulls["default"], "written");
        assert_eq!(
            nulls["shown"],
            serde_json::json!({"state": "reading", "reading": "omitted"})
        );
        assert_eq!(
            nulls["observations"],
            serde_json::json!([{
                "check": "envelope.error.keys",
                "readings": ["omitted"],
                "what": "error members [\"message\"] & <b>no stack</b>",
                "times": 2
            }])
        );
        let unobserved = &profile[0]["facts"][1];
        assert_eq!(unobserved["fact"], "docspace-unauthorized-body");
        assert_eq!(
            unobserved["shown"],
            serde_json::json!({"state": "not-observed"})
        );
        assert_eq!(unobserved["observations"], serde_json::json!([]));
    }
}
