//! `validate --har`: every fileops exchange of a recording, judged one by one and as a
//! sequence, with the same reports and exit codes as `run`.

use fileops_api::runtime::Dialect;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use super::args::ValidateArgs;
use super::output::{Printer, Verbosity};
use super::run::{write_reports, ReportPaths};
use super::Failure;
use fileops_conformance::judge::Severity;
use fileops_conformance::report::{DialectProfile, RunInfo, SelectionInfo, Summary};
use fileops_conformance::traffic::{self, Judged};

/// Judges the recording; the exit code of the verdict (0, 1 a MUST broken, or with
/// `--strict` a SHOULD too).
pub fn validate_har(
    args: &ValidateArgs,
    dialect: &'static Dialect,
    har: &Path,
) -> Result<u8, Failure> {
    let file = std::fs::File::open(har)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", har.display())))?;
    let verbosity = if args.quiet {
        Verbosity::Quiet
    } else {
        Verbosity::Normal
    };
    let mut printer = Printer::new(verbosity);
    let source = format!("HAR {}", har.display());
    let mut info = RunInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        target: source.clone(),
        dialects: vec![dialect.name.to_owned()],
        seed: 0,
        cases: 0,
        selection: SelectionInfo {
            include: vec!["wire.*".into(), "traffic.*".into()],
            exclude: Vec::new(),
            format: "both".into(),
            read_only: false,
        },
        started: SystemTime::now(),
        elapsed: Duration::ZERO,
    };
    let clock = Instant::now();
    let quiet = args.quiet;
    let judged = traffic::judge_har(dialect, file, &source, &mut |j| {
        if let Some(text) = shown(j, quiet) {
            printer.line(&text);
        }
    })
    .map_err(|e| Failure::Usage(format!("{}: {e}", har.display())))?;
    if printer.is_closed() {
        return Err(Failure::ClosedPipe);
    }
    printer.line(&format!(
        "{} exchange(s) judged, {} of other APIs left alone",
        judged.judged, judged.ignored
    ));
    for result in &judged.results {
        printer.result(result);
    }
    let profiles = [DialectProfile {
        dialect: dialect.name,
        facts: judged.profile.clone(),
    }];
    info.elapsed = clock.elapsed();
    let paths = ReportPaths {
        junit: args.junit.as_deref(),
        json: args.report.as_deref(),
        html: args.html.as_deref(),
    };
    write_reports(&judged.results, &profiles, &info, &paths)?;
    printer.closing(&judged.results, &profiles, info.elapsed)?;
    Ok(Summary::of(&judged.results).exit_code(args.strict))
}

/// `--dialect auto`: the family the recording's first fileops answer shows (the file is read
/// up to it, then judged from the start).
pub fn decide(har: &Path) -> Result<&'static Dialect, Failure> {
    let file = std::fs::File::open(har)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", har.display())))?;
    let mut bodies = Vec::new();
    traffic::har::read(file, &mut |recorded| {
        let fileops = fileops_conformance::routes::api_path(&recorded.url)
            .is_some_and(|p| p.to_ascii_lowercase().contains("/files/"));
        if fileops && bodies.len() < 100 {
            bodies.push(recorded.body);
        }
    })
    .map_err(|e| Failure::Usage(format!("{}: {e}", har.display())))?;
    let decision = fileops_conformance::detect::decide(bodies.iter().map(Vec::as_slice))
        .map_err(|e| Failure::Usage(format!("--dialect auto: {e}")))?;
    super::note(&format!(
        "--dialect auto: {} ({})",
        decision.dialect.name, decision.why
    ));
    Ok(decision.dialect)
}

/// One exchange's line, and under it each violation with its pointer and the replay; quiet
/// keeps only the exchanges that break a rule.
pub(super) fn shown(judged: &Judged, quiet: bool) -> Option<String> {
    let verdict = judged.verdict();
    if judged.operation.is_none() || (quiet && verdict == "ok") {
        return None;
    }
    let mut text = format!(
        "#{:<5} {:<6} {} {} {verdict}",
        judged.index, judged.method, judged.path, judged.status
    );
    for v in &judged.violations {
        let level = match v.severity {
            Severity::Fail => "FAIL",
            Severity::Warn => "WARN",
        };
        let pointer = if v.pointer.is_empty() {
            "/"
        } else {
            &v.pointer
        };
        text.push_str(&format!(
            "\n       {level} {} at {pointer}: {}",
            v.rule, v.message
        ));
    }
    if !judged.violations.is_empty() {
        text.push_str(&format!("\n       replay: {}", judged.curl));
    }
    Some(text)
}
