//! What the proxy judges by: a named family's judge, or, with `--dialect auto`, exchanges
//! held back until an answer decides the family (reference §1, §3a, §4a, §4b; see
//! [`crate::detect`]) and then judged in the order they passed.

use fileops_api::runtime::Dialect;

use super::Events;
use crate::detect::{self, Decision, Undecided};
use crate::traffic::har::Recorded;
use crate::traffic::tokens::Tokens;
use crate::traffic::{Judged, Traffic, TrafficJudge};

/// One exchange for the judge, and where its verdict goes if someone waits for it.
pub(super) struct Job {
    pub(super) exchange: Recorded,
    pub(super) fileops: bool,
    pub(super) reply: Option<tokio::sync::oneshot::Sender<Option<Judged>>>,
}

/// How many exchanges may wait for the judge before requests wait for it too.
const QUEUE: usize = 1024;

/// Starts the judge on a thread of its own: it takes jobs in order until the queue closes,
/// then hands back what it judged.
pub(super) fn spawn(
    family: Family,
    events: Box<dyn Events>,
    keep_secrets: bool,
) -> (
    tokio::sync::mpsc::Sender<Job>,
    std::thread::JoinHandle<Judging>,
) {
    let (jobs, mut queue) = tokio::sync::mpsc::channel::<Job>(QUEUE);
    let judge = std::thread::spawn(move || {
        let mut judging = Judging::new(family);
        let mut tokens = Tokens::new();
        while let Some(mut job) = queue.blocking_recv() {
            judging.passed += 1;
            job.exchange.index = judging.passed;
            tokens.learn_all(&job.exchange);
            let shown: &dyn Events = if keep_secrets {
                &*events
            } else {
                &Masking {
                    tokens: &tokens,
                    events: &*events,
                }
            };
            let verdict = if job.fileops {
                judging.judge(job.exchange, shown)
            } else {
                judging.pass(&job.exchange, shown);
                None
            };
            if let Some(reply) = job.reply {
                let _ = reply.send(verdict);
            }
        }
        judging
    });
    (jobs, judge)
}

/// `events`, told exchanges with their secrets masked.
struct Masking<'a> {
    tokens: &'a Tokens,
    events: &'a dyn Events,
}

impl Events for Masking<'_> {
    fn wants_exchanges(&self) -> bool {
        self.events.wants_exchanges()
    }
    fn exchange(&self, recorded: &Recorded) {
        if self.events.wants_exchanges() {
            self.events.exchange(&self.tokens.masked(recorded));
        }
    }
    fn judged(&self, judged: &Judged) {
        self.events.judged(judged);
    }
    fn decided(&self, decision: &Decision) {
        self.events.decided(decision);
    }
}

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
    /// Auto, and `HOLD` exchanges decided nothing: no longer held, only counted.
    GaveUp {
        why: String,
        passed: usize,
    },
}

/// How many fileops exchanges `--dialect auto` holds back before it gives up deciding.
const HOLD: usize = 10_000;

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

    /// An exchange of another API: counted, and recorded without its body (it streamed).
    fn pass(&mut self, recorded: &Recorded, events: &dyn Events) {
        self.ignored += 1;
        events.exchange(recorded);
    }

    /// A fileops exchange: judged now, or held until the family is decided. Every exchange
    /// judged on the way (held ones first) is told to `events`; the verdict on this one is
    /// returned once it is judged.
    fn judge(&mut self, recorded: Recorded, events: &dyn Events) -> Option<Judged> {
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
                    if exchanges.len() >= HOLD {
                        let why = undecidable
                            .take()
                            .unwrap_or_else(|| Undecided::NoEnvelope.to_string());
                        self.state = State::GaveUp {
                            why: format!("{why}; gave up after {HOLD} fileops exchanges"),
                            passed: HOLD,
                        };
                    }
                    None
                }
            },
            State::GaveUp { passed, .. } => {
                *passed += 1;
                None
            }
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
            State::GaveUp { why, passed } => Err(format!(
                "--dialect auto: {why} ({passed} fileops exchange(s) passed, none judged)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nothing;
    impl Events for Nothing {}

    fn page(index: usize) -> Recorded {
        Recorded {
            index,
            method: "GET".into(),
            url: "https://p/api/2.0/files/fileops".into(),
            request_headers: Vec::new(),
            request_body: None,
            status: 200,
            headers: Vec::new(),
            body: b"<html>a login page</html>".to_vec(),
        }
    }

    #[test]
    fn auto_holds_a_bounded_number_of_exchanges_then_gives_up() {
        let mut judging = Judging::new(Family::Auto);
        for index in 1..=HOLD + 5 {
            assert!(judging.judge(page(index), &Nothing).is_none());
        }
        assert!(matches!(judging.state, State::GaveUp { .. }));
        let why = judging.finish("test").expect_err("undecided");
        assert!(why.contains("gave up after"), "{why}");
        assert!(why.contains(&format!("{} fileops", HOLD + 5)), "{why}");
    }
}
