//! The report for people: a header, a line per check, the skips' reasons, the table per
//! dialect, the behaviour profile and a closing line. Text is styled with ANSI codes; the CLI writes it through
//! `anstream`, which drops them when stdout is not a terminal or `NO_COLOR` is set.

use anstyle::{AnsiColor, Style};
use std::fmt::Write as _;
use std::time::Duration;

use super::{by_dialect, departs, tone, DialectProfile, RunInfo, Summary};
use crate::outcome::{Evidence, Outcome};
use crate::runner::CheckResult;

/// How much a line shows beyond the state, the dialect and the id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Detail {
    /// The check's duration.
    pub duration: bool,
    /// The evidence of a failed SHOULD (a failed MUST always shows its evidence).
    pub warning_evidence: bool,
}

const INDENT: &str = "      ";

fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

fn state_style(state: &str) -> Style {
    let color = match state {
        "pass" => AnsiColor::Green,
        "fail" | "error" => AnsiColor::Red,
        "warn" => AnsiColor::Yellow,
        _ => AnsiColor::Cyan,
    };
    let style = Style::new().fg_color(Some(color.into()));
    if matches!(state, "fail" | "error") {
        style.bold()
    } else {
        style
    }
}

fn indented(out: &mut String, text: &str) {
    for l in text.lines() {
        let _ = write!(out, "\n{INDENT}{l}");
    }
}

fn evidence(out: &mut String, evidence: &[Evidence]) {
    for e in evidence {
        let _ = write!(
            out,
            "\n{INDENT}replay: {}\n{INDENT}answer: {} {}",
            e.curl,
            e.status,
            e.body.replace('\n', " ")
        );
    }
}

/// One line for a result, with a failure's message, rule and evidence under it.
pub fn line(result: &CheckResult, detail: Detail) -> String {
    let state = result.state();
    let label = format!("{:<5}", state.to_uppercase());
    let mut out = format!(
        "{} {:<9} {}",
        paint(state_style(state), &label),
        result.dialect,
        result.id
    );
    if detail.duration {
        let _ = write!(out, " ({} ms)", result.millis);
    }
    match &result.outcome {
        Outcome::Fail {
            message,
            evidence: exchanges,
        } => {
            indented(&mut out, message);
            let _ = write!(out, "\n{INDENT}rule: {} ({})", result.rule, result.source);
            if state == "fail" || detail.warning_evidence {
                evidence(&mut out, exchanges);
            }
        }
        Outcome::Skip { reason } => {
            let _ = write!(out, " ({reason})");
        }
        Outcome::Error { message } => indented(&mut out, message),
        Outcome::Pass => {}
    }
    out
}

/// The run's header: version, target, dialects, seed and selection (never a token).
pub fn header(info: &RunInfo) -> String {
    let bold = Style::new().bold();
    format!(
        "{}\ntarget:    {}\ndialects:  {}\nseed:      {} ({} cases per property check)\nselection: {}",
        paint(bold, &format!("fileops-conformance {}", info.version)),
        info.target,
        info.dialects.join(", "),
        info.seed,
        info.cases,
        info.selection
    )
}

/// The skips grouped by reason, or `None` when nothing was skipped.
pub fn skips(results: &[CheckResult]) -> Option<String> {
    let mut reasons: Vec<(&str, Vec<String>)> = Vec::new();
    for r in results {
        let Outcome::Skip { reason } = &r.outcome else {
            continue;
        };
        let who = format!("{} [{}]", r.id, r.dialect);
        match reasons.iter_mut().find(|(why, _)| *why == reason.as_str()) {
            Some((_, ids)) => ids.push(who),
            None => reasons.push((reason, vec![who])),
        }
    }
    if reasons.is_empty() {
        return None;
    }
    let count: usize = reasons.iter().map(|(_, ids)| ids.len()).sum();
    let mut out = paint(state_style("skip"), &format!("skipped {count} check(s):"));
    for (why, ids) in reasons {
        let _ = write!(out, "\n  {why}: {}", ids.join(", "));
    }
    Some(out)
}

/// The summary table, a row per dialect.
pub fn table(results: &[CheckResult]) -> String {
    let mut out = format!(
        "{:<10} {:>5} {:>5} {:>5} {:>5} {:>5}",
        "dialect", "pass", "fail", "warn", "skip", "error"
    );
    for (dialect, rs) in by_dialect(results) {
        let s = Summary::of(rs);
        let _ = write!(
            out,
            "\n{:<10} {:>5} {:>5} {:>5} {:>5} {:>5}",
            dialect, s.pass, s.fail, s.warn, s.skip, s.error
        );
    }
    out
}

/// The behaviour profile: under a `behaviour profile` heading, each dialect and a line per
/// open fact that concerns it, with what the server showed and, where that departs from the
/// family's default reading, `(default: X)`. Facts not observed are listed too, so a reader
/// sees what the run could not tell. With `observations`, each fact's observations follow
/// it (the check, what it saw, the readings that fit, how many answers). `None` when no
/// dialect ran.
pub fn profile(profiles: &[DialectProfile], observations: bool) -> Option<String> {
    if profiles.is_empty() {
        return None;
    }
    // One column for every dialect's facts, so the shown readings line up down the section.
    let width = profiles
        .iter()
        .flat_map(|p| &p.facts)
        .map(|f| f.fact.len())
        .max()
        .unwrap_or(0);
    let mut out = paint(Style::new().bold(), "behaviour profile");
    for p in profiles {
        let _ = write!(out, "\n{}", p.dialect);
        if p.facts.is_empty() {
            out.push_str("\n  no open fact concerns this dialect");
        }
        for fact in &p.facts {
            let _ = write!(
                out,
                "\n  {:<width$}  {}",
                fact.fact,
                paint(state_style(tone(fact)), &fact.shown.text())
            );
            if let (true, Some(default)) = (departs(fact), fact.default) {
                let _ = write!(out, " (default: {default})");
            }
            if observations {
                for o in &fact.observations {
                    let _ = write!(
                        out,
                        "\n{INDENT}{}: {} ({}; {} answer(s))",
                        o.check,
                        o.what.replace('\n', " "),
                        o.readings.join(" or "),
                        o.times
                    );
                }
            }
        }
    }
    Some(out)
}

/// The closing line: the counts and how long the run took.
pub fn closing(results: &[CheckResult], elapsed: Duration) -> String {
    let s = Summary::of(results);
    let verdict = if s.fail + s.error > 0 {
        state_style("fail")
    } else if s.warn > 0 {
        state_style("warn")
    } else {
        state_style("pass")
    };
    paint(
        verdict,
        &format!(
            "{} passed, {} failed, {} warnings, {} skipped, {} errors in {:.1}s",
            s.pass,
            s.fail,
            s.warn,
            s.skip,
            s.error,
            elapsed.as_secs_f64()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::{closing, header, line, profile, skips, table, Detail};
    use crate::report::fixtures;
    use std::time::Duration;

    fn plain(text: &str) -> String {
        anstream::adapter::strip_str(text).to_string()
    }

    #[test]
    fn a_failed_must_shows_its_rule_and_replay() {
        let results = fixtures::results();
        let text = plain(&line(&results[1], Detail::default()));
        assert!(text.starts_with("FAIL  workspace wire.types"), "{text}");
        assert!(
            text.contains("\n      getMyFolder (200) at /response/id:"),
            "{text}"
        );
        assert!(
            text.contains("rule: A rule & its <words>. (reference §4a)"),
            "{text}"
        );
        assert!(text.contains("replay: curl -sS -X GET"), "{text}");
    }

    #[test]
    fn a_warning_shows_its_evidence_only_when_verbose() {
        let results = fixtures::results();
        let warn = &results[2];
        let normal = plain(&line(warn, Detail::default()));
        assert!(normal.starts_with("WARN  docspace"), "{normal}");
        assert!(!normal.contains("replay:"), "{normal}");
        let verbose = Detail {
            duration: true,
            warning_evidence: true,
        };
        let text = plain(&line(warn, verbose));
        assert!(
            text.contains("(250 ms)") && text.contains("replay:"),
            "{text}"
        );
    }

    #[test]
    fn states_are_coloured() {
        let results = fixtures::results();
        let text = line(&results[1], Detail::default());
        assert!(text.starts_with("\u{1b}["), "{text:?}");
    }

    #[test]
    fn the_header_names_the_run_without_secrets() {
        let text = plain(&header(&fixtures::info()));
        assert_eq!(
            text,
            "fileops-conformance 9.8.7\ntarget:    https://portal.example\n\
             dialects:  docspace, workspace\nseed:      42 (16 cases per property check)\n\
             selection: include envelope.*; exclude -; format both"
        );
    }

    #[test]
    fn skips_are_grouped_by_reason() {
        let text = plain(&skips(&fixtures::results()).unwrap_or_default());
        assert_eq!(
            text,
            "skipped 1 check(s):\n  no --token2 for a second user: auth.isolation [docspace]"
        );
        assert!(skips(&fixtures::results()[..1]).is_none());
    }

    #[test]
    fn the_table_and_closing_line_count_each_state() {
        let results = fixtures::results();
        let text = plain(&table(&results));
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows.len(), 3, "{text}");
        assert_eq!(
            rows[1].split_whitespace().collect::<Vec<_>>(),
            ["docspace", "1", "0", "1", "1", "1"]
        );
        assert_eq!(
            plain(&closing(&results, Duration::from_millis(2340))),
            "1 passed, 1 failed, 1 warnings, 1 skipped, 1 errors in 2.3s"
        );
    }

    #[test]
    fn the_profile_lists_every_fact_and_marks_a_departure_from_the_default() {
        let text = plain(&profile(&fixtures::profiles(), false).unwrap_or_default());
        assert_eq!(
            text,
            "behaviour profile\n\
             docspace\n  \
             docspace-error-nulls        omitted (default: written)\n  \
             docspace-unauthorized-body  not observed\n\
             workspace\n  \
             no open fact concerns this dialect"
        );
        assert!(profile(&[], false).is_none(), "no dialect ran");
    }

    #[test]
    fn the_profile_shows_observations_when_asked_and_is_coloured() {
        let coloured = profile(&fixtures::profiles(), true).unwrap_or_default();
        assert!(coloured.contains("\u{1b}["), "{coloured:?}");
        let text = plain(&coloured);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[3],
            "      envelope.error.keys: error members [\"message\"] & <b>no stack</b> \
             (omitted; 2 answer(s))",
            "{text}"
        );
        assert_eq!(
            lines[4].trim_end(),
            "  docspace-unauthorized-body  not observed"
        );
    }
}
