//! Lowering `x-fileops-open-facts`: the points on which the reference notes are not certain,
//! each with every reading they allow, into [`OpenFactDef`]s.
//!
//! A fact names one key of the dialect table (its `setting`, a `/`-separated path such as
//! `behaviour/success-error`), and each reading a value for it. Every reading is checked by
//! building each concerned dialect with that value through the same reader as the table
//! itself, so a reading is exactly as valid as a dialect entry would be; the dialect's own
//! value must be one of the readings (its default).

use serde::Deserialize;
use serde_json::Value;

use super::dialects;
use crate::diag::{join, Diagnostic, Diagnostics};
use crate::ir::{DialectDef, OpenFactDef, ReadingDef};

/// One fact as the schema writes it.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawFact {
    title: String,
    sections: Vec<String>,
    why: String,
    dialects: Vec<String>,
    setting: String,
    readings: indexmap::IndexMap<String, RawReading>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawReading {
    value: Value,
    says: String,
}

/// The open facts, with every reading's dialects built; each dialect in `table` learns the
/// reading it shows of each fact that concerns it.
pub fn lower(
    extensions: &indexmap::IndexMap<String, Value>,
    table: &mut [DialectDef],
    out: &mut Diagnostics,
) -> Vec<OpenFactDef> {
    let Some(facts) = extensions.get("x-fileops-open-facts") else {
        return Vec::new();
    };
    let at = "/x-fileops-open-facts";
    let Some(facts) = facts.as_object() else {
        out.push(Diagnostic::error(at, "must map fact ids to their readings"));
        return Vec::new();
    };
    let raw_table = extensions
        .get("x-fileops-dialects")
        .and_then(Value::as_object);
    let mut lowered = Vec::new();
    for (id, raw) in facts {
        let here = join(at, id);
        let fact = match serde_path_to_error::deserialize::<_, RawFact>(raw) {
            Ok(fact) => fact,
            Err(e) => {
                let path = e.path().to_string().replace('.', "/");
                out.push(Diagnostic::error(
                    format!("{here}/{path}"),
                    e.into_inner().to_string(),
                ));
                continue;
            }
        };
        if let Some(fact) = one(id, fact, raw_table, table, &here, out) {
            lowered.push(fact);
        }
    }
    lowered
}

fn one(
    id: &str,
    fact: RawFact,
    raw_table: Option<&serde_json::Map<String, Value>>,
    table: &mut [DialectDef],
    at: &str,
    out: &mut Diagnostics,
) -> Option<OpenFactDef> {
    if fact.readings.len() < 2 {
        out.push(Diagnostic::error(
            join(at, "readings"),
            "an open fact has at least two readings",
        ));
        return None;
    }
    if fact.dialects.is_empty() {
        out.push(Diagnostic::error(
            join(at, "dialects"),
            "name the dialects the fact concerns",
        ));
        return None;
    }
    let mut readings: Vec<ReadingDef> = fact
        .readings
        .into_iter()
        .map(|(name, r)| ReadingDef {
            name,
            says: r.says,
            value: r.value,
            variants: Vec::new(),
            default_in: Vec::new(),
        })
        .collect();
    for (i, dialect) in fact.dialects.iter().enumerate() {
        let here = join(&join(at, "dialects"), &i.to_string());
        let (Some(raw), Some(base)) = (
            raw_table.and_then(|t| t.get(dialect)),
            table.iter_mut().find(|d| d.name == *dialect),
        ) else {
            out.push(Diagnostic::error(
                here,
                format!("`{dialect}` is not in the dialect table"),
            ));
            return None;
        };
        if pointer(&fact.setting, raw).is_none() {
            out.push(Diagnostic::error(
                join(at, "setting"),
                format!("`{}` is not a key of {dialect}'s entry", fact.setting),
            ));
            return None;
        }
        for reading in &mut readings {
            let value_at = join(&join(&join(at, "readings"), &reading.name), "value");
            let mut patched = raw.clone();
            set(&fact.setting, &mut patched, reading.value.clone());
            let mut found = Diagnostics::default();
            let variant = dialects::one(dialect, &patched, &value_at, &mut found);
            if found.has_errors() {
                for d in found.0 {
                    out.push(Diagnostic::error(
                        &value_at,
                        format!("not a value for {}: {}", fact.setting, d.message),
                    ));
                }
                return None;
            }
            let variant = variant?;
            if same_rules(&variant, base) {
                reading.default_in.push(dialect.clone());
            }
            reading.variants.push(variant);
        }
        let defaults = readings
            .iter()
            .filter(|r| r.default_in.contains(dialect))
            .count();
        if defaults != 1 {
            out.push(Diagnostic::error(
                join(at, "readings"),
                format!(
                    "{dialect}'s own {} must be the value of exactly one reading ({defaults} are)",
                    fact.setting
                ),
            ));
            return None;
        }
    }
    let fact = OpenFactDef {
        id: id.to_owned(),
        title: fact.title,
        sections: fact.sections,
        why: fact.why,
        dialects: fact.dialects,
        setting: fact.setting,
        readings,
    };
    learn(&fact, table);
    Some(fact)
}

/// Records in every dialect (and every earlier fact's variants) which reading of `fact` it
/// shows, and in `fact`'s variants the readings of the facts learnt before.
fn learn(fact: &OpenFactDef, table: &mut [DialectDef]) {
    for d in table.iter_mut() {
        if let Some(reading) = fact
            .readings
            .iter()
            .find(|r| r.default_in.contains(&d.name))
        {
            d.readings.push((fact.id.clone(), reading.name.clone()));
        }
    }
}

/// Gives every variant of every fact the readings its dialect shows of the other facts, so
/// that a variant differs from its dialect in its own fact alone.
pub fn settle(facts: &mut [OpenFactDef], table: &[DialectDef]) {
    for fact in facts.iter_mut() {
        let id = fact.id.clone();
        let dialects = fact.dialects.clone();
        for reading in &mut fact.readings {
            for (variant, dialect) in reading.variants.iter_mut().zip(&dialects) {
                let Some(base) = table.iter().find(|d| d.name == *dialect) else {
                    continue;
                };
                variant.readings = base
                    .readings
                    .iter()
                    .map(|(f, r)| {
                        let r = if *f == id {
                            reading.name.clone()
                        } else {
                            r.clone()
                        };
                        (f.clone(), r)
                    })
                    .collect();
            }
        }
    }
}

/// Whether two dialects have the same rules (their recorded readings aside).
fn same_rules(a: &DialectDef, b: &DialectDef) -> bool {
    let strip = |d: &DialectDef| DialectDef {
        readings: Vec::new(),
        ..d.clone()
    };
    strip(a) == strip(b)
}

/// The value at a `/`-separated path of the raw entry.
fn pointer<'v>(path: &str, raw: &'v Value) -> Option<&'v Value> {
    path.split('/').try_fold(raw, |v, key| v.get(key))
}

/// Sets the value at a `/`-separated path that exists.
fn set(path: &str, raw: &mut Value, value: Value) {
    let mut at = raw;
    for key in path.split('/') {
        match at.get_mut(key) {
            Some(next) => at = next,
            None => return,
        }
    }
    *at = value;
}
