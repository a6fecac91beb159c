//! Every answer a run receives, judged once against the target dialect's projection.
//!
//! Checks read answers through the lenient generated client, like a .NET server reads
//! requests; this log is the strict half. Each answer goes through the [`Judge`] as it
//! arrives, and its violations are kept once per rule, severity and operation, with the
//! first exchange as evidence. The `wire.*` checks at the end of the catalogue report them.

use fileops_api::runtime::client::{Observed, Observer, Sent};
use fileops_api::runtime::Dialect;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use crate::judge::{known_values, Answer, Judge, Rule, Severity, Violation, WireRules};
use crate::outcome::{Evidence, Outcome};
use crate::profile::{observe_answer, AnswerView, FactProfile, Observations};
use crate::routes::Catalogue;
use fileops_api::runtime::OpenFact;

/// One rule broken by one operation's answers.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The first violation seen.
    pub violation: Violation,
    /// The check that asked for the first such answer.
    pub asked_by: &'static str,
    /// The first such exchange.
    pub evidence: Evidence,
    /// How many answers broke it.
    pub count: usize,
}

#[derive(Default)]
struct State {
    current: &'static str,
    answers: usize,
    findings: BTreeMap<(Rule, Severity, &'static str, u16), Finding>,
    observations: Observations,
    /// Each operation some answer listed finished, as that answer wrote it.
    handed_out: HashMap<String, Value>,
}

/// The judge of a run and what it found.
pub struct AnswerLog {
    judge: Result<Judge, String>,
    dialect: &'static Dialect,
    routes: Catalogue,
    state: Mutex<State>,
}

impl AnswerLog {
    /// A log judging by `dialect`'s projection; another family's enum values count as
    /// known, so an unknown one is only a warning.
    pub fn new(dialect: &'static Dialect) -> Self {
        Self {
            judge: judge_for(dialect),
            dialect,
            routes: Catalogue::new(dialect),
            state: Mutex::new(State {
                current: "setup",
                ..State::default()
            }),
        }
    }

    /// Names the check whose answers come next.
    pub fn set_current(&self, check: &'static str) {
        self.lock().current = check;
    }

    /// An observer for a client: every answer it receives is judged here.
    pub fn observer(self: &Arc<Self>) -> Observer {
        let log = Arc::clone(self);
        Observer(Arc::new(move |observed: Observed<'_>| {
            log.observe(observed);
        }))
    }

    /// Judges one answer to `operation`, keeps what it found for the wire checks and the
    /// profile, and returns the violations.
    pub fn observe(&self, observed: Observed<'_>) -> Vec<Violation> {
        let json: Value = serde_json::from_slice(observed.body).unwrap_or_default();
        self.note_finished(&json);
        let Ok(judge) = &self.judge else {
            return Vec::new();
        };
        let content_type = observed
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str());
        // A family's XML routes are operations of their own in its projection.
        let xml_id = format!("{}Xml", observed.operation);
        let operation = match content_type {
            Some(t) if t.contains("xml") && judge.knows(&xml_id) => xml_id.as_str(),
            _ => observed.operation,
        };
        let violations = judge.judge(&Answer {
            operation,
            status: observed.status,
            content_type,
            body: observed.body,
        });
        let shown = self.shown(&observed, &json);
        let mut state = self.lock();
        state.answers += 1;
        let asked_by = state.current;
        for (fact, readings, what) in shown {
            state.observations.add(fact, asked_by, readings, what);
        }
        for violation in violations.iter().cloned() {
            let key = (
                violation.rule,
                violation.severity,
                observed.operation,
                observed.status,
            );
            state
                .findings
                .entry(key)
                .and_modify(|f| f.count += 1)
                .or_insert_with(|| Finding {
                    evidence: Evidence::new(observed.sent, observed.status, observed.body),
                    violation,
                    asked_by,
                    count: 1,
                });
        }
        violations
    }

    /// What a JSON answer shows by itself about the open facts (the behaviour profile).
    fn shown(
        &self,
        observed: &Observed<'_>,
        json: &Value,
    ) -> Vec<(&'static OpenFact, Vec<&'static str>, String)> {
        let challenge = fileops_api::operations::by_id(observed.operation).is_some_and(|op| {
            op.responses.iter().any(|r| {
                r.status == Some(observed.status)
                    && r.kind == fileops_api::runtime::BodyKind::Unauthorized
                    && self.dialect.is_in(r.dialects)
            })
        });
        observe_answer(
            self.dialect,
            &AnswerView {
                operation: observed.operation,
                status: observed.status,
                json,
                length: observed.body.len(),
                challenge,
            },
        )
    }

    /// Keeps the operations a JSON answer lists finished: a finished operation is handed out
    /// once (§5), maybe by the very answer that started it, so a client waiting for it later
    /// finds it here rather than in the listing.
    fn note_finished(&self, json: &Value) {
        let Some(ops) = json.get("response").and_then(Value::as_array) else {
            return;
        };
        let finished = ops.iter().filter_map(|op| {
            let id = op.get("id")?.as_str()?;
            (op.get("finished")? == true).then(|| (id.to_owned(), op.clone()))
        });
        let finished: Vec<(String, Value)> = finished.collect();
        if !finished.is_empty() {
            self.lock().handed_out.extend(finished);
        }
    }

    /// Operation `id` as an answer listed it finished, if one did.
    pub fn handed_out(&self, id: &str) -> Option<Value> {
        self.lock().handed_out.get(id).cloned()
    }

    /// Records what the current check saw of an open fact: the readings consistent with it.
    pub fn saw(&self, fact: &'static OpenFact, readings: Vec<&'static str>, what: String) {
        let mut state = self.lock();
        let check = state.current;
        state.observations.add(fact, check, readings, what);
    }

    /// The behaviour profile so far: for each open fact of the family, what the server
    /// showed.
    pub fn profile(&self) -> Vec<FactProfile> {
        self.lock().observations.profile(self.dialect)
    }

    /// Judges a raw exchange, finding its operation by method and path.
    pub fn observe_raw(&self, sent: &Sent, status: u16, headers: &[(String, String)], body: &[u8]) {
        if let Some(named) = self.routes.find(&sent.method, &sent.url) {
            self.observe(Observed {
                operation: named.operation.id,
                sent,
                status,
                headers,
                body,
            });
        }
    }

    /// The outcome of the check for `rule` at `severity`: a failure listing each operation
    /// whose answers broke it.
    pub fn verdict(&self, rule: Rule, severity: Severity) -> Outcome {
        if let Err(why) = &self.judge {
            return Outcome::Error {
                message: format!("no projection to judge answers by: {why}"),
            };
        }
        let state = self.lock();
        let found: Vec<&Finding> = state
            .findings
            .iter()
            .filter(|((r, s, _, _), _)| *r == rule && *s == severity)
            .map(|(_, f)| f)
            .collect();
        if state.answers == 0 {
            return Outcome::skip("no answer was received to judge");
        }
        if found.is_empty() {
            return Outcome::Pass;
        }
        let lines: Vec<String> = state
            .findings
            .iter()
            .filter(|((r, s, _, _), _)| *r == rule && *s == severity)
            .map(|((_, _, operation, status), f)| {
                format!(
                    "{operation} ({status}) at {}: {} [{} answer(s), first asked by {}]",
                    display_pointer(&f.violation.pointer),
                    f.violation.message,
                    f.count,
                    f.asked_by
                )
            })
            .collect();
        Outcome::fail(
            format!(
                "{} of {} answers break this rule:\n{}",
                found.iter().map(|f| f.count).sum::<usize>(),
                state.answers,
                lines.join("\n")
            ),
            found.iter().map(|f| f.evidence.clone()).collect(),
        )
    }

    /// Every finding so far (for reports and tests).
    pub fn findings(&self) -> Vec<Finding> {
        self.lock().findings.values().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "/"
    } else {
        pointer
    }
}

/// The judge for a dialect: its projection, with the other families' enum values known.
pub fn judge_for(dialect: &Dialect) -> Result<Judge, String> {
    let parse = |text: &str| serde_json::from_str::<Value>(text).map_err(|e| e.to_string());
    let own = fileops_api::projections::by_name(dialect.name)
        .ok_or_else(|| format!("the build has no projection for {}", dialect.name))?;
    let document = parse(own.json)?;
    let others: Vec<Value> = fileops_api::projections::ALL
        .iter()
        .filter(|p| p.dialect != own.dialect)
        .map(|p| parse(p.json))
        .collect::<Result<_, _>>()?;
    let known = known_values(&others.iter().collect::<Vec<_>>());
    Ok(Judge::new(&document, WireRules::from(dialect))?.with_known_values(known))
}
