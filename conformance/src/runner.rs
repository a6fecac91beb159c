//! Running the catalogue against one target: setup, each selected check, teardown.

use serde::Serialize;
use std::time::Instant;

use crate::catalogue::{changes_nothing, Check, CATALOGUE};
use crate::context::{Ctx, Target};
use crate::outcome::{Level, Outcome};
use crate::profile::FactProfile;
use crate::secrets::Secrets;

/// Which checks to run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Patterns (with `*`) a check id must match one of (empty = all).
    pub include: Vec<String>,
    /// Patterns a check id must match none of.
    pub exclude: Vec<String>,
    /// Whether XML checks run (`--format json` turns them off).
    pub xml: bool,
    /// Whether JSON checks run (`--format xml` keeps only the XML ones).
    pub json: bool,
}

impl Selection {
    /// Whether a check is selected for a dialect.
    pub fn wants(&self, check: &Check, dialect: &str) -> bool {
        let applies = check.dialects.is_empty() || check.dialects.contains(&dialect);
        let is_xml = check.id.contains(".xml");
        let format_ok = if is_xml { self.xml } else { self.json };
        let included = self.include.is_empty() || self.include.iter().any(|p| glob(p, check.id));
        applies && format_ok && included && !self.exclude.iter().any(|p| glob(p, check.id))
    }
}

/// `*` matches any run of characters.
pub fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(tail) = text.strip_prefix(head) else {
                return false;
            };
            (0..=tail.len()).any(|i| tail.is_char_boundary(i) && glob(rest, &tail[i..]))
        }
    }
}

/// Why a read-only run skips a check.
pub const NEEDS_WRITES: &str =
    "needs writes: a read-only run creates, changes and deletes nothing on the server";

/// One check's result.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    /// The check id.
    pub id: &'static str,
    /// The rule.
    pub rule: &'static str,
    /// MUST or SHOULD.
    pub level: Level,
    /// Where the fact comes from.
    pub source: &'static str,
    /// The dialect checked.
    pub dialect: &'static str,
    /// The server checked.
    pub url: String,
    /// What happened.
    pub outcome: Outcome,
    /// When it started.
    pub started: std::time::SystemTime,
    /// How long it took.
    pub millis: u128,
}

impl CheckResult {
    /// `pass`, `fail`, `warn` (a failed SHOULD), `skip` or `error`.
    pub fn state(&self) -> &'static str {
        match (&self.outcome, self.level) {
            (Outcome::Pass, _) => "pass",
            (Outcome::Fail { .. }, Level::Must) => "fail",
            (Outcome::Fail { .. }, Level::Should) => "warn",
            (Outcome::Skip { .. }, _) => "skip",
            (Outcome::Error { .. }, _) => "error",
        }
    }
}

/// Why a run could not start, or had to stop: the server cannot be reached, gives no answer
/// within the request timeout, or refuses the test data. The message shows no token.
#[derive(Debug)]
pub struct SetupError(pub String);

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SetupError {}

/// What a run of one target found: every check's result, and the behaviour profile (which
/// reading of each open fact the server showed).
#[derive(Debug, Clone)]
pub struct Run {
    /// The dialect checked.
    pub dialect: &'static str,
    /// Every check's result, in run order.
    pub results: Vec<CheckResult>,
    /// The behaviour profile.
    pub profile: Vec<FactProfile>,
}

/// Runs the selected checks against `target`, reporting each result as it comes.
///
/// Every result is masked first ([`Secrets::of`] the target: its tokens become
/// `$FILEOPS_TOKEN` and `$FILEOPS_TOKEN2`), so what reaches `on_result` and the returned
/// list (and so every report made of them) shows no token. A request that gets no answer
/// within [`Target::request_timeout`] ends the run with a [`SetupError`] naming it: every
/// later check would wait as long, and the work folder cannot be removed either.
pub async fn run(
    target: Target,
    selection: &Selection,
    mut on_result: impl FnMut(&CheckResult),
) -> Result<Run, SetupError> {
    let secrets = Secrets::of(&target);
    let stalled = |message: &str, during: &str| {
        SetupError(secrets.text(&format!(
            "{message}; the server gave no answer within the request timeout ({} s) \
             {during}, so the run stops",
            target.request_timeout.as_secs_f64()
        )))
    };
    let mut ctx = Ctx::new(target.clone());
    if let Err(outcome) = ctx.setup().await {
        if let Some(message) = outcome.timed_out() {
            return Err(stalled(message, "while setting up the test data"));
        }
        return Err(SetupError(secrets.text(&match outcome {
            Outcome::Error { message } => {
                format!("cannot reach {}: {message}", ctx.target.base_url)
            }
            Outcome::Fail { message, .. } => format!(
                "cannot set up test data at {}: {message}",
                ctx.target.base_url
            ),
            other => format!("setup: {other:?}"),
        })));
    }
    let dialect = ctx.target.dialect.name;
    let mut results = Vec::new();
    for check in CATALOGUE.iter().filter(|c| selection.wants(c, dialect)) {
        ctx.answers.set_current(check.id);
        let (started, clock) = (std::time::SystemTime::now(), Instant::now());
        let outcome = if ctx.target.read_only && !changes_nothing(check.id) {
            Outcome::skip(NEEDS_WRITES)
        } else {
            (check.run)(&ctx).await
        };
        if let Some(message) = outcome.timed_out() {
            return Err(stalled(message, &format!("in check {}", check.id)));
        }
        let mut result = CheckResult {
            id: check.id,
            rule: check.rule,
            level: check.level,
            source: check.source,
            dialect,
            url: ctx.target.base_url.clone(),
            outcome,
            started,
            millis: clock.elapsed().as_millis(),
        };
        secrets.result(&mut result);
        on_result(&result);
        results.push(result);
    }
    if let Err(outcome) = ctx.teardown().await {
        let mut result = CheckResult {
            id: "teardown",
            rule: "The work folder is removed after the run.",
            level: Level::Should,
            source: "this suite",
            dialect,
            url: ctx.target.base_url.clone(),
            outcome,
            started: std::time::SystemTime::now(),
            millis: 0,
        };
        secrets.result(&mut result);
        results.push(result);
    }
    let mut profile = ctx.answers.profile();
    for fact in &mut profile {
        for observation in &mut fact.observations {
            observation.what = secrets.text(&observation.what);
        }
    }
    Ok(Run {
        dialect,
        results,
        profile,
    })
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("effects.*", "effects.copy.skip"));
        assert!(glob("*skip", "effects.copy.skip"));
        assert!(glob("*.copy.*", "effects.copy.skip"));
        assert!(!glob("effects.*", "envelope.success.keys"));
        assert!(glob("auth.isolation", "auth.isolation"));
    }
}
