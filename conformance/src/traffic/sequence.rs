//! The rules recorded traffic is judged by beyond single answers: what the operations the
//! answers list do from one answer to the next (reference §3a, §5, §9).
//!
//! - an operation keeps its kind in every answer that lists it;
//! - its progress never falls;
//! - a listing (`GET fileops`, by kind or by id) shows a finished operation with progress 100:
//!   both families set it when they hand a completed operation out;
//! - a listing of a caller's operations shows an operation finished at most once, then it is
//!   gone (the read-once rule; a terminated DocSpace operation may come back once, finished,
//!   which is that once);
//! - DocSpace's terminate drops the operations it cancels (all the caller's, or the one
//!   `terminate/{id}` names): its answer lists none of them unfinished, and none it dropped
//!   is listed unfinished again. Workspace only signals them, which traffic cannot judge.

use fileops_api::runtime::{Dialect, Terminate};
use serde_json::Value;
use std::collections::HashMap;

use crate::detect::kind_key;
use crate::outcome::{Evidence, Level, Outcome};

/// One sequence rule, as the catalogue states a check.
#[derive(Debug, Clone, Copy)]
pub struct SequenceRule {
    /// Its id.
    pub id: &'static str,
    /// The rule in one sentence.
    pub rule: &'static str,
    /// MUST or SHOULD.
    pub level: Level,
    /// The fact it rests on.
    pub source: &'static str,
}

/// The sequence rules.
pub const RULES: [SequenceRule; 5] = [
    SequenceRule {
        id: "traffic.operation-kind",
        rule: "An operation has the same kind in every answer that lists it.",
        level: Level::Must,
        source: "reference §3a, §5",
    },
    SequenceRule {
        id: "traffic.progress",
        rule: "An operation's progress never falls from one answer to the next.",
        level: Level::Must,
        source: "reference §9",
    },
    SequenceRule {
        id: "traffic.finished-complete",
        rule: "A listing of operations shows a finished operation with progress 100.",
        level: Level::Must,
        source: "reference §9",
    },
    SequenceRule {
        id: "traffic.read-once",
        rule: "The listings of a caller's operations show a finished operation at most once.",
        level: Level::Must,
        source: "reference §9",
    },
    SequenceRule {
        id: "traffic.terminate",
        rule: "DocSpace's terminate lists none of the operations it cancels (all the caller's, or the one named) unfinished, and none it dropped is listed unfinished again.",
        level: Level::Must,
        source: "reference §9",
    },
];

const KIND: usize = 0;
const PROGRESS: usize = 1;
const COMPLETE: usize = 2;
const READ_ONCE: usize = 3;
const TERMINATE: usize = 4;

/// What one answer is, for the sequence rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// `GET fileops`, by kind or by id: a listing of the caller's operations.
    Listing,
    /// `PUT fileops/terminate`: all the caller's operations.
    TerminateAll,
    /// `PUT fileops/terminate/{id}`: that operation of the caller's.
    TerminateOne(String),
    /// Any other answer that may list operations (a start).
    Other,
}

impl Role {
    /// The role of an answer to `operation` (an operationId) with these path parameters.
    pub fn of(operation: &str, params: &[(&str, String)]) -> Role {
        match operation {
            "getOperationStatuses" | "getOperationStatusesByType" => Role::Listing,
            "terminateAllTasks" => Role::TerminateAll,
            "terminateTasks" => params
                .iter()
                .find(|(name, _)| *name == "id")
                .map_or(Role::Other, |(_, id)| Role::TerminateOne(id.clone())),
            _ => Role::Other,
        }
    }
}

/// What the rules know of one operation.
#[derive(Debug, Default)]
struct Known {
    kind: Option<Value>,
    progress: Option<i64>,
    /// Listings that showed it finished.
    shown_finished: usize,
    /// Dropped by a DocSpace terminate while unfinished.
    dropped: bool,
    /// Last seen unfinished.
    running: bool,
}

/// The sequence judge: fed every answer in order.
#[derive(Debug)]
pub struct Sequence {
    dialect: &'static Dialect,
    /// By caller, then by operation id.
    known: HashMap<String, HashMap<String, Known>>,
    /// How many answers each rule could look at.
    looked: [usize; 5],
    /// What broke each rule: the message and the exchange, at most a few each.
    broken: [Vec<(String, Evidence)>; 5],
    /// How many times each rule broke.
    counts: [usize; 5],
}

/// The most broken exchanges a rule keeps as evidence.
const KEPT: usize = 5;

impl Sequence {
    /// A judge for `dialect`'s traffic.
    pub fn new(dialect: &'static Dialect) -> Self {
        Sequence {
            dialect,
            known: HashMap::new(),
            looked: [0; 5],
            broken: Default::default(),
            counts: [0; 5],
        }
    }

    /// Whether the family's terminate drops operations (DocSpace) rather than signalling them.
    fn removes(&self) -> bool {
        self.dialect.behaviour.terminate == Terminate::Remove
    }

    fn breaks(&mut self, rule: usize, message: String, evidence: &Evidence) {
        self.counts[rule] += 1;
        if self.broken[rule].len() < KEPT {
            self.broken[rule].push((message, evidence.clone()));
        }
    }

    /// Judges one JSON answer of `caller` (a token or another stable key for who asked;
    /// answers without one are not sequenced) in its role.
    pub fn observe(&mut self, caller: &str, role: Role, body: &Value, evidence: &Evidence) {
        let Some(ops) = body.get("response").and_then(Value::as_array) else {
            return;
        };
        let ops: Vec<&Value> = ops.iter().filter(|o| o.get("id").is_some()).collect();
        let kind_key = kind_key(self.dialect);
        let removes = self.removes();
        let docspace_terminate = role == Role::TerminateAll && removes;
        let terminated_one = match &role {
            Role::TerminateOne(id) if removes => Some(id.as_str()),
            _ => None,
        };
        self.looked[KIND] += 1;
        self.looked[PROGRESS] += 1;
        if role == Role::Listing {
            self.looked[COMPLETE] += 1;
            self.looked[READ_ONCE] += 1;
        }
        if removes {
            self.looked[TERMINATE] += usize::from(
                docspace_terminate || terminated_one.is_some() || role == Role::Listing,
            );
        }
        let mut problems = Vec::new();
        let known = self.known.entry(caller.to_owned()).or_default();
        for op in &ops {
            let Some(id) = op["id"].as_str() else {
                continue;
            };
            let finished = op["finished"] == true;
            let progress = op["progress"].as_i64();
            let kind = op.get(kind_key).cloned();
            let entry = known.entry(id.to_owned()).or_insert(Known {
                kind: kind.clone(),
                progress: None,
                shown_finished: 0,
                dropped: false,
                running: false,
            });
            if let (Some(before), Some(now)) = (&entry.kind, &kind) {
                if before != now {
                    problems.push((
                        KIND,
                        format!("operation {id} was {kind_key} {before}, now {now}"),
                    ));
                }
            }
            if let (Some(before), Some(now)) = (entry.progress, progress) {
                if now < before {
                    problems.push((
                        PROGRESS,
                        format!("operation {id}'s progress fell from {before} to {now}"),
                    ));
                }
            }
            entry.progress = progress.or(entry.progress);
            if role == Role::Listing && finished {
                if progress != Some(100) {
                    problems.push((
                        COMPLETE,
                        format!(
                            "operation {id} is listed finished with progress {progress:?}, not 100"
                        ),
                    ));
                }
                entry.shown_finished += 1;
                if entry.shown_finished > 1 {
                    problems.push((READ_ONCE, format!("operation {id} is listed finished for the {} time; once, then it is gone", ordinal(entry.shown_finished))));
                }
            }
            if removes && !finished {
                if docspace_terminate {
                    problems.push((TERMINATE, format!("terminate answered with operation {id} unfinished; it drops the caller's operations")));
                } else if terminated_one == Some(id) {
                    problems.push((
                        TERMINATE,
                        format!(
                            "terminate/{id} answered with that operation unfinished; it drops it"
                        ),
                    ));
                } else if entry.dropped && role == Role::Listing {
                    problems.push((
                        TERMINATE,
                        format!("operation {id}, dropped by terminate, is listed unfinished again"),
                    ));
                }
            }
            entry.running = !finished;
        }
        if docspace_terminate {
            for entry in known.values_mut().filter(|k| k.running) {
                entry.dropped = true;
                entry.running = false;
            }
        }
        if let Some(id) = terminated_one {
            let entry = known.entry(id.to_owned()).or_default();
            entry.dropped = true;
            entry.running = false;
        }
        for (rule, message) in problems {
            self.breaks(rule, message, evidence);
        }
    }

    /// Each rule's outcome, in [`RULES`] order.
    pub fn outcomes(&self) -> Vec<(SequenceRule, Outcome)> {
        RULES
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let outcome = if i == TERMINATE && !self.removes() {
                    Outcome::skip("Workspace's terminate only signals operations to finish; traffic cannot show what a signal did (reference §9)")
                } else if self.looked[i] == 0 {
                    Outcome::skip("the traffic holds no answer this rule reads")
                } else if self.counts[i] == 0 {
                    Outcome::Pass
                } else {
                    let shown: Vec<&str> =
                        self.broken[i].iter().map(|(m, _)| m.as_str()).collect();
                    Outcome::fail(
                        format!(
                            "{} time(s) in {} answer(s):\n{}",
                            self.counts[i],
                            self.looked[i],
                            shown.join("\n")
                        ),
                        self.broken[i].iter().map(|(_, e)| e.clone()).collect(),
                    )
                };
                (*rule, outcome)
            })
            .collect()
    }
}

fn ordinal(n: usize) -> String {
    match n {
        2 => "second".into(),
        3 => "third".into(),
        n => format!("{n}th"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(id: &str, finished: bool) -> Value {
        json!({"id": id, "Operation": 1, "progress": if finished { 100 } else { 10 }, "finished": finished})
    }

    fn answer(ops: Vec<Value>) -> Value {
        json!({ "response": ops })
    }

    fn terminate_breaks(sequence: &Sequence) -> usize {
        sequence.counts[TERMINATE]
    }

    #[test]
    fn terminate_by_id_drops_that_operation_only() {
        let mut sequence = Sequence::new(&fileops_api::dialects::DOCSPACE);
        let evidence = Evidence {
            curl: String::new(),
            status: 200,
            body: String::new(),
        };
        let listing = answer(vec![op("a", false), op("b", false)]);
        sequence.observe("alice", Role::Listing, &listing, &evidence);
        // The other operation is not cancelled: listing it running is right.
        let left = answer(vec![op("b", false)]);
        sequence.observe("alice", Role::TerminateOne("a".into()), &left, &evidence);
        assert_eq!(terminate_breaks(&sequence), 0);
        // Coming back once, finished, is allowed (reference §9); running is not.
        let back = answer(vec![op("a", true), op("b", false)]);
        sequence.observe("alice", Role::Listing, &back, &evidence);
        assert_eq!(terminate_breaks(&sequence), 0);
        let mut sequence = Sequence::new(&fileops_api::dialects::DOCSPACE);
        sequence.observe(
            "alice",
            Role::TerminateOne("a".into()),
            &answer(vec![op("a", false)]),
            &evidence,
        );
        assert_eq!(
            terminate_breaks(&sequence),
            1,
            "the answer lists it running"
        );
        sequence.observe(
            "alice",
            Role::Listing,
            &answer(vec![op("a", false)]),
            &evidence,
        );
        assert_eq!(
            terminate_breaks(&sequence),
            2,
            "listed running after it was dropped"
        );
    }

    #[test]
    fn workspace_terminate_only_signals() {
        let mut sequence = Sequence::new(&fileops_api::dialects::WORKSPACE);
        let evidence = Evidence {
            curl: String::new(),
            status: 200,
            body: String::new(),
        };
        let running = answer(vec![op("a", false)]);
        sequence.observe("alice", Role::TerminateAll, &running, &evidence);
        sequence.observe("alice", Role::Listing, &running, &evidence);
        assert_eq!(terminate_breaks(&sequence), 0);
    }
}
