//! The facts register (`conformance/facts.yaml`): every statement of fact in the reference
//! notes that a client can observe over HTTP, with the checks that test it or the reason
//! none does; and how much of it the catalogue covers.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::catalogue::CATALOGUE;

/// The register as the repository keeps it.
const REGISTER: &str = include_str!("../facts.yaml");

/// Why a fact is not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The server's internals: nothing on the wire shows it.
    NotObservable,
    /// A guest, a visitor, a second portal or a room the suite does not have.
    NeedsAccount,
    /// A password login (the suite is given tokens).
    NeedsCredentials,
    /// Waits beyond a run.
    Timing,
    /// A part of the API the suite does not call.
    NotReached,
    /// A text portals translate.
    Localized,
}

impl Reason {
    /// Whether a client could observe the fact at all.
    pub fn observable(self) -> bool {
        self != Reason::NotObservable
    }

    /// The word the register uses.
    pub fn word(self) -> &'static str {
        match self {
            Reason::NotObservable => "not-observable",
            Reason::NeedsAccount => "needs-account",
            Reason::NeedsCredentials => "needs-credentials",
            Reason::Timing => "timing",
            Reason::NotReached => "not-reached",
            Reason::Localized => "localized",
        }
    }
}

/// One fact of the register.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// `§section/slug`.
    pub id: String,
    /// The fact, in one sentence.
    pub fact: String,
    /// The families it concerns (empty: all).
    #[serde(default)]
    pub families: Vec<String>,
    /// The checks that test it.
    #[serde(default)]
    pub checks: Vec<String>,
    /// The open fact of the schema whose readings the checks accept, if it is one.
    #[serde(default)]
    pub open: Option<String>,
    /// Why no check tests it.
    #[serde(default)]
    pub unchecked: Option<Reason>,
    /// The reason, in words.
    #[serde(default)]
    pub why: Option<String>,
}

impl Fact {
    /// The section (`§13.6`).
    pub fn section(&self) -> &str {
        self.id.split_once('/').map_or(&self.id, |(s, _)| s)
    }

    /// Whether it concerns `dialect`.
    pub fn concerns(&self, dialect: &str) -> bool {
        self.families.is_empty() || self.families.iter().any(|f| f == dialect)
    }
}

/// The register, read.
pub fn register() -> Result<Vec<Fact>, String> {
    serde_yaml::from_str(REGISTER).map_err(|e| format!("conformance/facts.yaml: {e}"))
}

/// What the register says about itself that is wrong: a fact without checks or reason (or
/// with both), a check the catalogue lacks or one that does not apply to the fact's
/// families, an unknown open fact or family, a repeated id.
pub fn problems(facts: &[Fact]) -> Vec<String> {
    let mut found = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let families = ["docspace", "workspace", "r7"];
    for fact in facts {
        let id = &fact.id;
        if !seen.insert(id.clone()) {
            found.push(format!("{id}: listed twice"));
        }
        match (fact.checks.is_empty(), fact.unchecked) {
            (true, None) => found.push(format!("{id}: no check and no reason")),
            (false, Some(_)) => found.push(format!("{id}: checks and a reason")),
            (true, Some(_)) if fact.why.is_none() => {
                found.push(format!("{id}: a reason without why"))
            }
            _ => {}
        }
        for family in fact
            .families
            .iter()
            .filter(|f| !families.contains(&f.as_str()))
        {
            found.push(format!("{id}: unknown family {family}"));
        }
        for check in &fact.checks {
            match CATALOGUE.iter().find(|c| c.id == check) {
                None => found.push(format!("{id}: no check {check}")),
                Some(c) => {
                    let applies = |f: &str| c.dialects.is_empty() || c.dialects.contains(&f);
                    let concerned: Vec<&str> = families
                        .iter()
                        .copied()
                        .filter(|f| fact.concerns(f))
                        .collect();
                    if !concerned.iter().any(|f| applies(f)) {
                        found.push(format!("{id}: {check} runs for none of its families"));
                    }
                }
            }
        }
        if let Some(open) = &fact.open {
            if fileops_api::open_facts::by_id(open).is_none() {
                found.push(format!("{id}: no open fact {open}"));
            }
        }
    }
    found
}

/// The register's totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Facts in the register.
    pub facts: usize,
    /// Facts a client can observe.
    pub observable: usize,
    /// Facts some check tests.
    pub checked: usize,
    /// Of those, open facts (every reading accepted, the reading shown in the profile).
    pub open: usize,
    /// Unchecked facts by reason.
    pub unchecked: BTreeMap<String, usize>,
}

impl Coverage {
    /// The totals of `facts`.
    pub fn of(facts: &[Fact]) -> Self {
        let mut c = Coverage {
            facts: facts.len(),
            ..Coverage::default()
        };
        for fact in facts {
            match fact.unchecked {
                None => {
                    c.checked += 1;
                    c.observable += 1;
                    c.open += usize::from(fact.open.is_some());
                }
                Some(reason) => {
                    c.observable += usize::from(reason.observable());
                    *c.unchecked.entry(reason.word().to_owned()).or_default() += 1;
                }
            }
        }
        c
    }

    /// Checked facts as a share of the observable ones, in percent.
    pub fn percent(&self) -> f64 {
        if self.observable == 0 {
            return 0.0;
        }
        100.0 * self.checked as f64 / self.observable as f64
    }

    /// One line: `150 facts, 140 observable, 128 checked (91.4%), 25 of them open; unchecked: ...`.
    pub fn line(&self) -> String {
        let unchecked: Vec<String> = self
            .unchecked
            .iter()
            .map(|(reason, n)| format!("{n} {reason}"))
            .collect();
        format!(
            "{} facts, {} observable, {} checked ({:.1}% of the observable), {} of them open facts; unchecked: {}",
            self.facts,
            self.observable,
            self.checked,
            self.percent(),
            self.open,
            unchecked.join(", ")
        )
    }
}
