//! Open facts: the points on which the reference notes are not certain, each with every
//! reading they allow. A server of any reading is faithful; a checker accepts each and
//! reports which one a server showed, and an emulator can take any of them.
//!
//! A reading sets one key of the dialect table, so a dialect with another reading is just
//! another [`Dialect`] value ([`OpenFact::with`]), and which reading a dialect shows is
//! found by comparison ([`OpenFact::reading_of`]): nothing else keeps it.

use super::dialect::{same_name, Dialect};

/// One reading of an open fact.
#[derive(Debug)]
pub struct Reading {
    /// Its name (`null`, `500`, `access-denied`...).
    pub name: &'static str,
    /// What a server of this reading does.
    pub says: &'static str,
    /// The dialects whose table holds this reading.
    pub default_in: &'static [&'static str],
}

/// A point the reference notes leave open, with the readings they allow.
#[derive(Debug)]
pub struct OpenFact {
    /// Its id (`workspace-success-error`).
    pub id: &'static str,
    /// The fact in one line.
    pub title: &'static str,
    /// The sections of the reference notes it rests on.
    pub sections: &'static [&'static str],
    /// Why it is open.
    pub why: &'static str,
    /// The dialects it concerns.
    pub dialects: &'static [&'static str],
    /// The dialect-table key its readings set.
    pub setting: &'static str,
    /// Every reading, in schema order.
    pub readings: &'static [Reading],
    /// Gives a dialect reading `i` (an index into `readings`).
    pub apply: fn(&mut Dialect, usize),
}

/// Why a reading cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadingError(pub String);

impl std::fmt::Display for ReadingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadingError {}

impl OpenFact {
    /// Whether the fact concerns `dialect`.
    pub fn concerns(&self, dialect: &Dialect) -> bool {
        self.dialects.iter().any(|d| same_name(d, dialect.name))
    }

    /// The reading named `name`, with its index.
    pub fn reading(&self, name: &str) -> Option<(usize, &'static Reading)> {
        self.readings
            .iter()
            .enumerate()
            .find(|(_, r)| r.name == name)
    }

    /// `dialect` with reading `name` of this fact.
    pub fn with(&self, dialect: &Dialect, name: &str) -> Result<Dialect, ReadingError> {
        if !self.concerns(dialect) {
            return Err(ReadingError(format!(
                "{} does not concern {} (it concerns {})",
                self.id,
                dialect.name,
                self.dialects.join(", ")
            )));
        }
        let (index, _) = self.reading(name).ok_or_else(|| {
            ReadingError(format!(
                "{name:?} is not a reading of {} (readings: {})",
                self.id,
                self.names().join(", ")
            ))
        })?;
        let mut variant = *dialect;
        (self.apply)(&mut variant, index);
        Ok(variant)
    }

    /// The reading `dialect` shows, if the fact concerns it.
    pub fn reading_of(&self, dialect: &Dialect) -> Option<&'static Reading> {
        if !self.concerns(dialect) {
            return None;
        }
        self.readings.iter().enumerate().find_map(|(i, r)| {
            let mut variant = *dialect;
            (self.apply)(&mut variant, i);
            (variant == *dialect).then_some(r)
        })
    }

    /// Every reading's name.
    pub fn names(&self) -> Vec<&'static str> {
        self.readings.iter().map(|r| r.name).collect()
    }

    /// `dialect` in each reading of this fact (just `dialect` when the fact does not
    /// concern it), each with the reading's name.
    pub fn variants(&self, dialect: &Dialect) -> Vec<(Option<&'static Reading>, Dialect)> {
        if !self.concerns(dialect) {
            return vec![(None, *dialect)];
        }
        self.readings
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut variant = *dialect;
                (self.apply)(&mut variant, i);
                (Some(r), variant)
            })
            .collect()
    }
}

/// `dialect` in every combination of the readings of `facts` (those that concern it), each
/// with the readings it combines: what a checker tries when an answer may follow any of
/// them.
pub fn combinations(
    dialect: &Dialect,
    facts: &[&'static OpenFact],
) -> Vec<(Vec<(&'static OpenFact, &'static Reading)>, Dialect)> {
    let mut out = vec![(Vec::new(), *dialect)];
    for fact in facts.iter().filter(|f| f.concerns(dialect)) {
        out = out
            .into_iter()
            .flat_map(|(chosen, d)| {
                fact.readings.iter().enumerate().map(move |(i, r)| {
                    let mut variant = d;
                    (fact.apply)(&mut variant, i);
                    let mut chosen = chosen.clone();
                    chosen.push((*fact, r));
                    (chosen, variant)
                })
            })
            .collect();
    }
    out
}

/// `dialect` with several readings: `(fact, reading)` pairs from `facts`.
pub fn with_readings(
    dialect: &Dialect,
    facts: &[&'static OpenFact],
    readings: &[(&str, &str)],
) -> Result<Dialect, ReadingError> {
    let mut variant = *dialect;
    for (id, name) in readings {
        let fact = facts.iter().find(|f| f.id == *id).ok_or_else(|| {
            let known: Vec<&str> = facts.iter().map(|f| f.id).collect();
            ReadingError(format!(
                "{id:?} is not an open fact (known: {})",
                known.join(", ")
            ))
        })?;
        variant = fact.with(&variant, name)?;
    }
    Ok(variant)
}

/// The distinct values `key` takes in `dialect` over every combination of the readings of
/// the facts in `facts` that change it: what a checker accepts for that part of the rules.
pub fn spread<T: PartialEq>(
    dialect: &Dialect,
    facts: &[&'static OpenFact],
    key: impl Fn(&Dialect) -> T,
) -> Vec<T> {
    let own = key(dialect);
    let moving: Vec<&'static OpenFact> = facts
        .iter()
        .copied()
        .filter(|f| f.variants(dialect).iter().any(|(_, v)| key(v) != own))
        .collect();
    let mut values = Vec::new();
    for (_, variant) in combinations(dialect, &moving) {
        let value = key(&variant);
        if !values.contains(&value) {
            values.push(value);
        }
    }
    values
}
