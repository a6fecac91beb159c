//! Judging recorded traffic: the exchanges a real client had with a real portal, from a HAR
//! file, judged answer by answer with the same judge `run` uses, and as a sequence (see
//! [`sequence`]). Exchanges of other APIs are counted and left alone.

pub mod har;
pub mod sequence;
pub mod tokens;

use fileops_api::runtime::client::{Observed, Sent};
use fileops_api::runtime::{Dialect, Format};
use serde_json::Value;
use std::time::{Instant, SystemTime};

use crate::answers::AnswerLog;
use crate::catalogue::CATALOGUE;
use crate::checks::wire::VERDICTS;
use crate::judge::{Severity, Violation};
use crate::outcome::Evidence;
use crate::profile::FactProfile;
use crate::routes::{api_path, Catalogue};
use crate::runner::CheckResult;
use har::{HarError, Recorded};
use sequence::{Role, Sequence};
use tokens::Tokens;

/// What became of one recorded exchange.
#[derive(Debug, Clone)]
pub struct Judged {
    /// Its place in the recording.
    pub index: usize,
    /// The request's method.
    pub method: String,
    /// The request's path (no query: it may carry what is not ours to show).
    pub path: String,
    /// The answer's status.
    pub status: u16,
    /// The operation it was judged as; `None`: another API's, not judged.
    pub operation: Option<&'static str>,
    /// What its answer broke.
    pub violations: Vec<Violation>,
    /// The request as a curl command, its token masked.
    pub curl: String,
}

impl Judged {
    /// `ok`, `FAIL` (a broken MUST), `WARN` (only broken SHOULDs) or `not fileops`.
    pub fn verdict(&self) -> &'static str {
        if self.operation.is_none() {
            "not fileops"
        } else if self.violations.iter().any(|v| v.severity == Severity::Fail) {
            "FAIL"
        } else if self.violations.is_empty() {
            "ok"
        } else {
            "WARN"
        }
    }
}

/// What judging a recording found.
#[derive(Debug, Clone)]
pub struct Traffic {
    /// The family it was judged against.
    pub dialect: &'static Dialect,
    /// The wire rules' and the sequence rules' verdicts, as check results.
    pub results: Vec<CheckResult>,
    /// What the answers showed of the open facts.
    pub profile: Vec<FactProfile>,
    /// Exchanges judged.
    pub judged: usize,
    /// Exchanges of other APIs, left alone.
    pub ignored: usize,
}

/// Judges recorded traffic against `dialect`, exchange by exchange as it is fed.
pub struct TrafficJudge {
    dialect: &'static Dialect,
    catalogue: Catalogue,
    log: AnswerLog,
    sequence: Sequence,
    tokens: Tokens,
    judged: usize,
    ignored: usize,
    started: SystemTime,
    clock: Instant,
}

impl TrafficJudge {
    /// A judge for `dialect`.
    pub fn new(dialect: &'static Dialect) -> Self {
        let log = AnswerLog::new(dialect);
        log.set_current("recorded traffic");
        TrafficJudge {
            dialect,
            catalogue: Catalogue::new(dialect),
            log,
            sequence: Sequence::new(dialect),
            tokens: Tokens::new(),
            judged: 0,
            ignored: 0,
            started: SystemTime::now(),
            clock: Instant::now(),
        }
    }

    /// Judges one exchange.
    pub fn judge(&mut self, recorded: &Recorded) -> Judged {
        let caller = self.tokens.learn_all(recorded);
        let path = api_path(&recorded.url)
            .or_else(|| recorded.url.split(['?', '#']).next())
            .unwrap_or_default()
            .to_owned();
        let sent = Sent {
            method: recorded.method.clone(),
            url: recorded.url.clone(),
            headers: recorded.request_headers.clone(),
            body: recorded.request_body.clone(),
        };
        let curl = self.tokens.secrets().command(&sent.curl());
        let mut judged = Judged {
            index: recorded.index,
            method: recorded.method.clone(),
            path,
            status: recorded.status,
            operation: None,
            violations: Vec::new(),
            curl,
        };
        let Some(named) = self.catalogue.find(&recorded.method, &recorded.url) else {
            self.ignored += 1;
            return judged;
        };
        self.judged += 1;
        judged.operation = Some(named.operation.id);
        judged.violations = self.log.observe(Observed {
            operation: named.operation.id,
            sent: &sent,
            status: recorded.status,
            headers: &recorded.headers,
            body: &recorded.body,
        });
        if named.format == Format::Json {
            if let (Some(caller), Ok(body)) =
                (caller, serde_json::from_slice::<Value>(&recorded.body))
            {
                let evidence = Evidence {
                    curl: judged.curl.clone(),
                    status: recorded.status,
                    body: String::from_utf8_lossy(&recorded.body).into_owned(),
                };
                let role = Role::of(named.operation.id, &named.params);
                self.sequence.observe(&caller, role, &body, &evidence);
            }
        }
        judged
    }

    /// The verdicts: every wire rule and every sequence rule, as check results of a run
    /// against `source` (the recording's name), tokens masked.
    pub fn finish(self, source: &str) -> Traffic {
        let millis = self.clock.elapsed().as_millis();
        let result = |id: &'static str, rule, level, src, outcome| {
            let mut result = CheckResult {
                id,
                rule,
                level,
                source: src,
                dialect: self.dialect.name,
                url: source.to_owned(),
                outcome,
                started: self.started,
                millis,
            };
            self.tokens.secrets().result(&mut result);
            result
        };
        let mut results = Vec::new();
        for check in CATALOGUE.iter().filter(|c| c.id.starts_with("wire.")) {
            if !check.dialects.is_empty() && !check.dialects.contains(&self.dialect.name) {
                continue;
            }
            let Some((_, rule, severity)) = VERDICTS.iter().find(|(id, _, _)| *id == check.id)
            else {
                continue;
            };
            let outcome = self.log.verdict(*rule, *severity);
            results.push(result(
                check.id,
                check.rule,
                check.level,
                check.source,
                outcome,
            ));
        }
        for (rule, outcome) in self.sequence.outcomes() {
            results.push(result(rule.id, rule.rule, rule.level, rule.source, outcome));
        }
        let mut profile = self.log.profile();
        for fact in &mut profile {
            for observation in &mut fact.observations {
                observation.what = self.tokens.secrets().text(&observation.what);
            }
        }
        Traffic {
            dialect: self.dialect,
            results,
            profile,
            judged: self.judged,
            ignored: self.ignored,
        }
    }
}

/// Judges every exchange of the HAR document `reader` holds against `dialect`, calling
/// `each` with every exchange as it is judged.
pub fn judge_har(
    dialect: &'static Dialect,
    reader: impl std::io::Read,
    source: &str,
    each: &mut dyn FnMut(&Judged),
) -> Result<Traffic, HarError> {
    let mut judge = TrafficJudge::new(dialect);
    har::read(reader, &mut |recorded| {
        let judged = judge.judge(&recorded);
        each(&judged);
    })?;
    Ok(judge.finish(source))
}
