//! Reading this project's `x-fileops-*` extensions, with their dialect names checked.

use indexmap::IndexMap;
use serde_json::Value;
use std::collections::BTreeMap;

use crate::diag::{join, Diagnostic, Diagnostics};
use crate::ir::{AnonymousSetting, OpenFactDef};
use fileops_vocabulary::Word;

/// Reads extensions and reports malformed ones.
pub struct Reader {
    known: Vec<String>,
    /// Each open fact's id and reading names.
    facts: Vec<(String, Vec<String>)>,
}

impl Reader {
    /// A reader that accepts these dialect names and the readings of these open facts.
    pub fn new(known: Vec<String>, facts: &[OpenFactDef]) -> Self {
        let facts = facts
            .iter()
            .map(|f| {
                let names = f.readings.iter().map(|r| r.name.clone()).collect();
                (f.id.clone(), names)
            })
            .collect();
        Self { known, facts }
    }

    /// `x-fileops-readings: {fact: [reading, ...]}`: the open facts' readings under which
    /// alone something exists; empty when absent.
    pub fn readings(
        &self,
        ext: &IndexMap<String, Value>,
        at: &str,
        out: &mut Diagnostics,
    ) -> Vec<(String, Vec<String>)> {
        let key = "x-fileops-readings";
        let here = join(at, key);
        let mut found = Vec::new();
        for (fact, readings) in self.list_map(ext, key, at, false, out) {
            let Some((_, names)) = self.facts.iter().find(|(id, _)| *id == fact) else {
                let known: Vec<&str> = self.facts.iter().map(|(id, _)| id.as_str()).collect();
                out.push(Diagnostic::error(
                    join(&here, &fact),
                    format!("unknown open fact `{fact}` (known: {})", known.join(", ")),
                ));
                continue;
            };
            for reading in readings.iter().filter(|r| !names.contains(r)) {
                out.push(Diagnostic::error(
                    join(&here, &fact),
                    format!(
                        "`{reading}` is not a reading of {fact} (readings: {})",
                        names.join(", ")
                    ),
                ));
            }
            found.push((fact, readings));
        }
        found
    }

    /// `x-fileops-anonymous-setting`: the behaviour key that says what an operation answers
    /// a caller without a token.
    pub fn anonymous_setting(
        &self,
        ext: &IndexMap<String, Value>,
        at: &str,
        out: &mut Diagnostics,
    ) -> Option<AnonymousSetting> {
        let key = "x-fileops-anonymous-setting";
        let value = ext.get(key)?;
        let read = value
            .as_str()
            .ok_or_else(|| "must be a behaviour key".to_owned())
            .and_then(|w| AnonymousSetting::from_word(w).map_err(|e| e.to_string()));
        match read {
            Ok(setting) => Some(setting),
            Err(problem) => {
                out.push(Diagnostic::error(join(at, key), problem));
                None
            }
        }
    }

    /// A list of dialect names (`x-fileops-dialects: [docspace, r7]`); empty when absent.
    pub fn dialects(
        &self,
        ext: &IndexMap<String, Value>,
        key: &str,
        at: &str,
        out: &mut Diagnostics,
    ) -> Vec<String> {
        ext.get(key)
            .map(|v| self.dialect_list(v, &join(at, key), out))
            .unwrap_or_default()
    }

    /// Checks a JSON list of dialect names.
    pub fn dialect_list(&self, value: &Value, at: &str, out: &mut Diagnostics) -> Vec<String> {
        let Some(items) = value.as_array() else {
            out.push(Diagnostic::error(at, "must be a list of dialect names"));
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match item.as_str() {
                Some(name) if self.known.iter().any(|k| k == name) => Some(name.to_owned()),
                Some(name) => {
                    out.push(Diagnostic::error(
                        join(at, &i.to_string()),
                        format!(
                            "unknown dialect `{name}` (known: {})",
                            self.known.join(", ")
                        ),
                    ));
                    None
                }
                None => {
                    out.push(Diagnostic::error(
                        join(at, &i.to_string()),
                        "must be a dialect name",
                    ));
                    None
                }
            })
            .collect()
    }

    /// A boolean switch (`x-fileops-flags: true`); anything but a boolean is an error.
    pub fn switch(
        &self,
        ext: &IndexMap<String, Value>,
        key: &str,
        at: &str,
        out: &mut Diagnostics,
    ) -> bool {
        match ext.get(key) {
            None => false,
            Some(Value::Bool(on)) => *on,
            Some(_) => {
                out.push(Diagnostic::error(join(at, key), "must be true or false"));
                false
            }
        }
    }

    /// A map keyed by dialect name with string values (`{docspace: name}`).
    pub fn by_dialect(
        &self,
        ext: &IndexMap<String, Value>,
        key: &str,
        at: &str,
        out: &mut Diagnostics,
    ) -> Vec<(String, String)> {
        let here = join(at, key);
        self.string_map(ext, key, at, out)
            .into_iter()
            .filter(|(dialect, _)| {
                let ok = self.known.contains(dialect);
                if !ok {
                    out.push(Diagnostic::error(
                        join(&here, dialect),
                        format!("unknown dialect `{dialect}`"),
                    ));
                }
                ok
            })
            .collect()
    }

    /// A map from names to strings.
    pub fn string_map(
        &self,
        ext: &IndexMap<String, Value>,
        key: &str,
        at: &str,
        out: &mut Diagnostics,
    ) -> BTreeMap<String, String> {
        let Some(value) = ext.get(key) else {
            return BTreeMap::new();
        };
        let here = join(at, key);
        let Some(map) = value.as_object() else {
            out.push(Diagnostic::error(here, "must be a map of names to strings"));
            return BTreeMap::new();
        };
        map.iter()
            .filter_map(|(k, v)| match v.as_str() {
                Some(s) => Some((k.clone(), s.to_owned())),
                None => {
                    out.push(Diagnostic::error(join(&here, k), "must be a string"));
                    None
                }
            })
            .collect()
    }

    /// A map from names to lists of strings (`{Duplicate: [docspace]}`), dialect names checked
    /// when `dialects` is set.
    pub fn list_map(
        &self,
        ext: &IndexMap<String, Value>,
        key: &str,
        at: &str,
        dialects: bool,
        out: &mut Diagnostics,
    ) -> BTreeMap<String, Vec<String>> {
        let Some(value) = ext.get(key) else {
            return BTreeMap::new();
        };
        let here = join(at, key);
        let Some(map) = value.as_object() else {
            out.push(Diagnostic::error(here, "must be a map of names to lists"));
            return BTreeMap::new();
        };
        map.iter()
            .map(|(k, v)| {
                let at = join(&here, k);
                let list = if dialects {
                    self.dialect_list(v, &at, out)
                } else {
                    v.as_array()
                        .map(|items| {
                            items
                                .iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_else(|| {
                            out.push(Diagnostic::error(&at, "must be a list of strings"));
                            Vec::new()
                        })
                };
                (k.clone(), list)
            })
            .collect()
    }

    /// A map from property names to per-dialect names (`{operation: {docspace: Operation}}`).
    pub fn wire_names(
        &self,
        ext: &IndexMap<String, Value>,
        at: &str,
        out: &mut Diagnostics,
    ) -> BTreeMap<String, Vec<(String, String)>> {
        let key = "x-fileops-wire-names";
        let Some(value) = ext.get(key) else {
            return BTreeMap::new();
        };
        let here = join(at, key);
        let Some(map) = value.as_object() else {
            out.push(Diagnostic::error(
                here,
                "must map property names to {dialect: key}",
            ));
            return BTreeMap::new();
        };
        map.iter()
            .map(|(prop, names)| {
                let at = join(&here, prop);
                let pairs = match names.as_object() {
                    Some(names) => names
                        .iter()
                        .filter_map(|(dialect, name)| self.dialect_pair(dialect, name, &at, out))
                        .collect(),
                    None => {
                        out.push(Diagnostic::error(&at, "must map dialect names to keys"));
                        Vec::new()
                    }
                };
                (prop.clone(), pairs)
            })
            .collect()
    }

    fn dialect_pair(
        &self,
        dialect: &str,
        name: &Value,
        at: &str,
        out: &mut Diagnostics,
    ) -> Option<(String, String)> {
        let here = join(at, dialect);
        if !self.known.iter().any(|k| k == dialect) {
            out.push(Diagnostic::error(
                here,
                format!("unknown dialect `{dialect}`"),
            ));
            return None;
        }
        match name.as_str() {
            Some(name) => Some((dialect.to_owned(), name.to_owned())),
            None => {
                out.push(Diagnostic::error(here, "must be a string"));
                None
            }
        }
    }
}
