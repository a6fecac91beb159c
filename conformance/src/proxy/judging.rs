//! What the proxy judges by: a named family's judge, or, with `--dialect auto`, exchanges
//! held back until an answer decides the family (reference §1, §3a, §4a, §4b; see
//! [`crate::detect`]) and then judged in the order they passed.

use fileops_api::runtime::Dialect;

use super::Events;
use crate::detect::{self, Undecided};
use crate::traffic::har::Recorded;
use crate::traffic::{Judged, Traffic, TrafficJudge};

/// The family the proxy judges by.
#[derive(Debug, Clone, Copy)]
pub enum Family {
    /// This one.
    Named(&'static Dialect),
    /// Whichever the portal's answers show.
    Auto,
}

enum State {
    /// Auto, not decided yet: the fileops exchanges so far, and why an answer that was an
    /// envelope did not decide.
    Held {
        exchanges: Vec<Recorded>,
        undecidable: Option<String>,
    },
    Judging(Box<TrafficJudge>),
}

/// The judging of everything that passed, in order.
pub(super) struct Judging {
    state: State,
    passed: usize,
    ignored: usize,
}

impl Judging {
    pub(super) fn new(family: Family) -> Self {
        let state = match family {
            Family::Named(dialect) => State::Judging(Box::new(TrafficJudge::new(dialect))),
            Family::Auto => State::Held {
                exchanges: Vec::new(),
                undecidable: None,
            },
        };
        Judging {
            state,
            passed: 0,
            ignored: 0,
        }
    }

    /// The next exchange's place in the traffic (1-based).
    pub(super) fn next_index(&mut self) -> usize {
        self.passed += 1;
        self.passed
    }

    /// An exchange of another API: counted, and recorded without its body (it streamed).
    pub(super) fn pass(&mut self, recorded: &Recorded, events: &dyn Events) {
        self.ignored += 1;
        events.exchange(recorded);
    }

    /// A fileops exchange: judged now, or held until the family is decided. Every exchange
    /// judged on the way (held ones first) is told to `events`; the verdict on this one is
    /// returned once it is judged.
    pub(super) fn judge(&mut self, recorded: Recorded, events: &dyn Events) -> Option<Judged> {
        events.exchange(&recorded);
        match &mut self.state {
            State::Judging(judge) => {
                let judged = judge.judge(&recorded);
                events.judged(&judged);
                Some(judged)
            }
            State::Held {
                exchanges,
                undecidable,
            } => match detect::decide([recorded.body.as_slice()]) {
                Ok(decision) => {
                    events.decided(&decision);
                    let mut judge = TrafficJudge::new(decision.dialect);
                    for held in exchanges.drain(..) {
                        events.judged(&judge.judge(&held));
                    }
                    let judged = judge.judge(&recorded);
                    events.judged(&judged);
                    self.state = State::Judging(Box::new(judge));
                    Some(judged)
                }
                Err(why) => {
                    if let Undecided::Ambiguous(why) = why {
                        undecidable.get_or_insert(why);
                    }
                    exchanges.push(recorded);
                    None
                }
            },
        }
    }

    /// The verdicts on everything that passed; an error when `--dialect auto` never decided.
    pub(super) fn finish(self, source: &str) -> Result<Traffic, String> {
        match self.state {
            State::Judging(judge) => {
                let mut traffic = judge.finish(source);
                traffic.ignored += self.ignored;
                Ok(traffic)
            }
            State::Held {
                exchanges,
                undecidable,
            } => Err(format!(
                "--dialect auto: {} ({} fileops exchange(s) passed, none judged)",
                undecidable.unwrap_or_else(|| Undecided::NoEnvelope.to_string()),
                exchanges.len()
            )),
        }
    }
}
