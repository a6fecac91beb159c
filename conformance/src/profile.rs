//! The behaviour profile: for each open fact that concerns the target's family (a point the
//! reference notes leave open, `fileops_api::open_facts`), which of its readings the server
//! showed.
//!
//! Every reading is faithful, so no reading fails a check; what a server does is recorded
//! instead, as observations: each says which readings one answer is consistent with. The
//! profile intersects them: one reading left is what the server showed, several mean the
//! run could not tell them apart, none means the server behaved one way here and another
//! way there. A fork's maintainer reads it to see where R7 differs from Workspace; two runs'
//! profiles compare two versions of a portal.
//!
//! Observations come from two places: checks that know the situation they set up (a
//! login with bad credentials, a destination that does not exist) record what they saw,
//! and [`observe_answer`] reads the rules any answer shows by itself (its envelope's count,
//! a 401's body, what `error` holds on an operation that went well).

use fileops_api::runtime::open_fact::combinations;
use fileops_api::runtime::{Dialect, OpenFact};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// One observation: an answer consistent with these readings of a fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observation {
    /// The check that asked.
    pub check: &'static str,
    /// The readings the answer is consistent with.
    pub readings: Vec<&'static str>,
    /// What was seen, for people.
    pub what: String,
    /// How many answers said the same.
    pub times: usize,
}

/// What the run found a server to show for one fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Shown {
    /// Nothing in the run told the readings apart.
    NotObserved,
    /// Exactly this reading.
    Reading {
        /// Its name.
        reading: &'static str,
    },
    /// One of these; the run could not tell which.
    Undecided {
        /// The readings still possible.
        readings: Vec<&'static str>,
    },
    /// Different answers showed different readings.
    Inconsistent,
}

impl Shown {
    /// A short text: the reading, `a or b`, `not observed`, `inconsistent`.
    pub fn text(&self) -> String {
        match self {
            Shown::NotObserved => "not observed".into(),
            Shown::Reading { reading } => (*reading).to_owned(),
            Shown::Undecided { readings } => readings.join(" or "),
            Shown::Inconsistent => "inconsistent".into(),
        }
    }
}

/// One fact of the profile.
#[derive(Debug, Clone, Serialize)]
pub struct FactProfile {
    /// The fact's id.
    pub fact: &'static str,
    /// The fact in one line.
    pub title: &'static str,
    /// The sections of the reference notes it rests on.
    pub sections: &'static [&'static str],
    /// Every reading it allows.
    pub readings: Vec<&'static str>,
    /// The reading the family's table holds (what the notes favour).
    pub default: Option<&'static str>,
    /// What the server showed.
    pub shown: Shown,
    /// What was seen, and by which check.
    pub observations: Vec<Observation>,
}

/// The observations of one run, by fact.
#[derive(Debug, Default)]
pub struct Observations {
    by_fact: BTreeMap<&'static str, Vec<Observation>>,
}

impl Observations {
    /// Records that an answer seen by `check` is consistent with `readings` of `fact`; the
    /// same observation again only counts.
    pub fn add(
        &mut self,
        fact: &'static OpenFact,
        check: &'static str,
        readings: Vec<&'static str>,
        what: String,
    ) {
        let list = self.by_fact.entry(fact.id).or_default();
        match list
            .iter_mut()
            .find(|o| o.check == check && o.readings == readings)
        {
            Some(same) => same.times += 1,
            None => list.push(Observation {
                check,
                readings,
                what,
                times: 1,
            }),
        }
    }

    /// The profile of every fact that concerns `dialect`, in the schema's order.
    pub fn profile(&self, dialect: &Dialect) -> Vec<FactProfile> {
        fileops_api::open_facts::ALL
            .iter()
            .filter(|f| f.concerns(dialect))
            .map(|fact| {
                let observations = self.by_fact.get(fact.id).cloned().unwrap_or_default();
                FactProfile {
                    fact: fact.id,
                    title: fact.title,
                    sections: fact.sections,
                    readings: fact.names(),
                    default: fact.reading_of(dialect).map(|r| r.name),
                    shown: shown(fact, &observations),
                    observations,
                }
            })
            .collect()
    }
}

/// What the observations leave possible.
fn shown(fact: &OpenFact, observations: &[Observation]) -> Shown {
    if observations.is_empty() {
        return Shown::NotObserved;
    }
    let left: Vec<&'static str> = fact
        .names()
        .into_iter()
        .filter(|r| observations.iter().all(|o| o.readings.contains(r)))
        .collect();
    match left.as_slice() {
        [] => Shown::Inconsistent,
        [one] => Shown::Reading { reading: one },
        _ => Shown::Undecided { readings: left },
    }
}

/// The open facts whose readings set one of these dialect-table keys (`unauthorized`,
/// `behaviour/success-error`): how a check names the facts its rule depends on without
/// naming any fact.
pub fn setting(keys: &[&str]) -> Vec<&'static OpenFact> {
    fileops_api::open_facts::ALL
        .iter()
        .copied()
        .filter(|f| keys.contains(&f.setting))
        .collect()
}

/// The readings of each fact in `facts` under which `fits` holds for some combination of
/// the other facts' readings: what one answer says about each. A fact that does not concern
/// `dialect` is left out.
pub fn consistent(
    dialect: &Dialect,
    facts: &[&'static OpenFact],
    fits: impl Fn(&Dialect) -> bool,
) -> Vec<(&'static OpenFact, Vec<&'static str>)> {
    let concerned: Vec<&'static OpenFact> = facts
        .iter()
        .copied()
        .filter(|f| f.concerns(dialect))
        .collect();
    let fitting: Vec<_> = combinations(dialect, &concerned)
        .into_iter()
        .filter(|(_, variant)| fits(variant))
        .collect();
    concerned
        .into_iter()
        .map(|fact| {
            let readings = fact
                .names()
                .into_iter()
                .filter(|name| {
                    fitting.iter().any(|(chosen, _)| {
                        chosen
                            .iter()
                            .any(|(f, r)| f.id == fact.id && r.name == *name)
                    })
                })
                .collect();
            (fact, readings)
        })
        .collect()
}

/// What one answer shows by itself about the facts whose setting it carries, as
/// `(fact, readings consistent, what)`: only what tells readings apart.
pub fn observe_answer(
    dialect: &Dialect,
    answer: &AnswerView<'_>,
) -> Vec<(&'static OpenFact, Vec<&'static str>, String)> {
    let mut found = Vec::new();
    for observer in OBSERVERS {
        let Some(what) = (observer.applies)(answer) else {
            continue;
        };
        let facts: Vec<&'static OpenFact> = fileops_api::open_facts::ALL
            .iter()
            .copied()
            .filter(|f| observer.settings.contains(&f.setting) && f.concerns(dialect))
            .collect();
        for (fact, readings) in consistent(dialect, &facts, |v| (observer.fits)(v, answer)) {
            if !readings.is_empty() && readings.len() < fact.readings.len() {
                found.push((fact, readings, what.clone()));
            }
        }
    }
    found
}

/// One answer, as the observers read it.
#[derive(Debug)]
pub struct AnswerView<'a> {
    /// The operation asked.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The body as JSON (`Null` when it is none or not JSON).
    pub json: &'a Value,
    /// The body's length.
    pub length: usize,
    /// Whether the operation answers `status` with the dialect's 401 (not an error
    /// envelope of its own, as a login's bad credentials).
    pub challenge: bool,
}

/// Reads one setting from answers: when an answer says something about it, and whether
/// a dialect variant would have written it so.
struct Observer {
    /// The dialect-table keys it reads.
    settings: &'static [&'static str],
    /// What the answer shows, when it shows anything about the settings.
    applies: fn(&AnswerView<'_>) -> Option<String>,
    /// Whether a variant would have answered so.
    fits: fn(&Dialect, &AnswerView<'_>) -> bool,
}

const OBSERVERS: &[Observer] = &[
    Observer {
        settings: &["success-envelope/count", "success-envelope/object-count"],
        applies: |a| {
            let success = (200..300).contains(&a.status) && a.json.get("response").is_some();
            success.then(|| {
                format!(
                    "count {} around {}",
                    a.json["count"],
                    shape(&a.json["response"])
                )
            })
        },
        fits: |d, a| {
            let said = a.json.get("count").and_then(Value::as_i64);
            fileops_api::runtime::envelope::envelope_count(d, &a.json["response"]) == said
        },
    },
    Observer {
        settings: &["behaviour/success-error"],
        applies: |a| {
            let quiet = operations(a).find(|o| o["error"].is_null() || o["error"] == "")?;
            Some(format!("error {} on an operation", quiet["error"]))
        },
        fits: |d, a| {
            let written = match d.behaviour.success_error {
                fileops_api::runtime::SuccessError::Null => Value::Null,
                fileops_api::runtime::SuccessError::Empty => Value::String(String::new()),
            };
            operations(a)
                .filter(|o| o["error"].is_null() || o["error"] == "")
                .all(|o| o["error"] == written)
        },
    },
    Observer {
        settings: &["error-envelope/error-nulls"],
        applies: |a| {
            let error = a.json.get("error")?.as_object()?;
            let unfilled = ["type", "stack"]
                .iter()
                .any(|k| error.get(*k).is_none_or(Value::is_null));
            unfilled.then(|| format!("error members {:?}", error.keys().collect::<Vec<_>>()))
        },
        fits: |d, a| {
            let error = &a.json["error"];
            let writes = d.error_nulls == fileops_api::runtime::NullStyle::Write;
            ["type", "stack"]
                .iter()
                .filter(|k| error.get(**k).is_none_or(Value::is_null))
                .all(|k| error.get(*k).is_some() == writes)
        },
    },
    Observer {
        settings: &["validation-errors"],
        applies: |a| (a.status == 400).then(|| envelope_kind(a.json).to_owned()),
        fits: |d, a| match d.validation {
            fileops_api::runtime::ValidationStyle::ErrorEnvelope => a.json.get("error").is_some(),
            // An exception's 400 is the error envelope in this reading too.
            fileops_api::runtime::ValidationStyle::ProblemDetails => true,
        },
    },
    Observer {
        settings: &["unsupported-media"],
        applies: |a| (a.status == 415).then(|| envelope_kind(a.json).to_owned()),
        fits: |d, a| refuses_media_as(d, a.json),
    },
    Observer {
        settings: &["unauthorized"],
        applies: |a| {
            (a.challenge).then(|| {
                if a.length == 0 {
                    "an empty 401".to_owned()
                } else {
                    format!("a 401 of {} bytes", a.length)
                }
            })
        },
        fits: |d, a| {
            if d.unauthorized.envelope {
                a.json.get("error").is_some()
            } else {
                (a.length == 0) == d.unauthorized.body.is_empty()
            }
        },
    },
    Observer {
        settings: &["behaviour/bad-credentials-status"],
        applies: |a| {
            (a.operation == "authenticateMe"
                && a.status >= 400
                && a.status != 415
                && a.status != 400)
                .then(|| format!("a login refused with {}", a.status))
        },
        fits: |d, a| d.behaviour.bad_credentials_status == a.status,
    },
    Observer {
        settings: &["behaviour/login-status"],
        applies: |a| {
            (a.operation == "authenticateMe" && (200..300).contains(&a.status))
                .then(|| format!("a login answered {}", a.status))
        },
        fits: |d, a| d.behaviour.login_status == a.status,
    },
];

/// Whether a 415 body is the refusal dialect `d` writes (reference §4a): problem details
/// in the success envelope with `status` 0 or 1, or the error envelope.
pub fn refuses_media_as(d: &Dialect, json: &Value) -> bool {
    use fileops_api::runtime::MediaRefusal;
    let status = json.get("status").and_then(Value::as_i64);
    match d.unsupported_media {
        MediaRefusal::ErrorEnvelope => json.get("error").is_some(),
        MediaRefusal::ProblemDetails => json.get("response").is_some() && status == Some(0),
        MediaRefusal::ValidationProblemDetails => {
            json.get("response").is_some() && status == Some(1)
        }
    }
}

/// The operations an answer lists.
fn operations<'a>(a: &'a AnswerView<'_>) -> impl Iterator<Item = &'a Value> {
    a.json
        .get("response")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|o| o.get("progress").is_some() && o.get("error").is_some())
}

fn shape(value: &Value) -> String {
    match value {
        Value::Array(items) => format!("a list of {}", items.len()),
        Value::Object(m) => match m.get("count") {
            Some(count) => format!("an object with count {count}"),
            None => "an object".into(),
        },
        other => other.to_string(),
    }
}

fn envelope_kind(json: &Value) -> &'static str {
    match (json.get("error"), json.get("response"), json.get("status")) {
        (Some(_), _, _) => "the error envelope",
        (None, Some(_), Some(status)) if status == 0 => "problem details with status 0",
        (None, Some(_), _) => "problem details with status 1",
        _ => "no envelope",
    }
}
