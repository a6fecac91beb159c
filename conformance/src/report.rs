//! Reports: a line per check and a summary for people, JSON and JUnit XML for CI.

use quick_xml::escape::escape;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::outcome::Outcome;
use crate::runner::CheckResult;

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
    pub fn of(results: &[CheckResult]) -> Self {
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

/// One line for a result, with the failure details under it.
pub fn line(result: &CheckResult) -> String {
    let mut out = format!(
        "{:<5} {:<9} {}",
        result.state().to_uppercase(),
        result.dialect,
        result.id
    );
    match &result.outcome {
        Outcome::Fail { message, evidence } => {
            let _ = write!(
                out,
                "\n      {message}\n      rule: {} ({})",
                result.rule, result.source
            );
            for e in evidence {
                let _ = write!(
                    out,
                    "\n      replay: {}\n      answer: {} {}",
                    e.curl,
                    e.status,
                    e.body.replace('\n', " ")
                );
            }
        }
        Outcome::Skip { reason } => {
            let _ = write!(out, " ({reason})");
        }
        Outcome::Error { message } => {
            let _ = write!(out, "\n      {message}");
        }
        Outcome::Pass => {}
    }
    out
}

/// The summary table, per dialect.
pub fn table(results: &[CheckResult]) -> String {
    let mut by_dialect: BTreeMap<&str, Vec<CheckResult>> = BTreeMap::new();
    for r in results {
        by_dialect.entry(r.dialect).or_default().push(r.clone());
    }
    let mut out = format!(
        "{:<10} {:>5} {:>5} {:>5} {:>5} {:>5}\n",
        "dialect", "pass", "fail", "warn", "skip", "error"
    );
    for (dialect, rs) in &by_dialect {
        let s = Summary::of(rs);
        let _ = writeln!(
            out,
            "{:<10} {:>5} {:>5} {:>5} {:>5} {:>5}",
            dialect, s.pass, s.fail, s.warn, s.skip, s.error
        );
    }
    let s = Summary::of(results);
    let _ = write!(
        out,
        "{} passed, {} failed, {} skipped",
        s.pass,
        s.fail + s.error,
        s.skip
    );
    if s.warn > 0 {
        let _ = write!(out, " ({} warnings)", s.warn);
    }
    out
}

/// The JSON report.
pub fn json(results: &[CheckResult]) -> String {
    let report = serde_json::json!({
        "summary": Summary::of(results),
        "results": results,
    });
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// JUnit XML: a test suite per dialect, a test case per check.
pub fn junit(results: &[CheckResult]) -> String {
    let mut by_dialect: BTreeMap<&str, Vec<&CheckResult>> = BTreeMap::new();
    for r in results {
        by_dialect.entry(r.dialect).or_default().push(r);
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"fileops-conformance\">\n",
    );
    for (dialect, rs) in by_dialect {
        let failures = rs.iter().filter(|r| r.state() == "fail").count();
        let errors = rs.iter().filter(|r| r.state() == "error").count();
        let skipped = rs.iter().filter(|r| r.state() == "skip").count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{dialect}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">",
            rs.len()
        );
        for r in rs {
            let _ = write!(
                out,
                "    <testcase classname=\"{dialect}\" name=\"{}\" time=\"{:.3}\"",
                escape(r.id),
                r.millis as f64 / 1000.0
            );
            match (&r.outcome, r.state()) {
                (Outcome::Pass, _) => out.push_str("/>\n"),
                (Outcome::Skip { reason }, _) => {
                    let _ = writeln!(
                        out,
                        "><skipped message=\"{}\"/></testcase>",
                        escape(reason.as_str())
                    );
                }
                (Outcome::Error { message }, _) => {
                    let _ = writeln!(
                        out,
                        "><error message=\"{}\"/></testcase>",
                        escape(message.as_str())
                    );
                }
                (Outcome::Fail { message, evidence }, state) => {
                    let detail: String = evidence
                        .iter()
                        .map(|e| format!("{}\n{} {}\n", e.curl, e.status, e.body))
                        .collect();
                    let tag = if state == "warn" {
                        "system-out"
                    } else {
                        "failure"
                    };
                    if tag == "failure" {
                        let _ = writeln!(
                            out,
                            "><failure message=\"{}\">{}</failure></testcase>",
                            escape(message.as_str()),
                            escape(detail.as_str())
                        );
                    } else {
                        let _ = writeln!(
                            out,
                            "><system-out>WARNING (SHOULD): {}\n{}</system-out></testcase>",
                            escape(message.as_str()),
                            escape(detail.as_str())
                        );
                    }
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::Summary;

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
}
