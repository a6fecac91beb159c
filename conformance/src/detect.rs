//! `--dialect auto`: which family a server speaks, decided from its answers (reference §1,
//! §3a, §4a, §4b): DocSpace's envelope carries `links` and names an operation's kind
//! `Operation`; Workspace's has no `links`, names it `operation` and writes `/` as `\/`. R7
//! answers as Workspace does, so it cannot be told apart: auto decides Workspace and says so.
//!
//! The signals are read from the dialects' own data (their envelope keys, the kind key's
//! wire names, the escaping), so a family added to the schema is told apart the same way.

use fileops_api::runtime::{Dialect, Model, Shape};
use fileops_api::types::FileOperation;
use serde_json::Value;

/// What an answer decided.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The family.
    pub dialect: &'static Dialect,
    /// Why, for people.
    pub why: String,
}

/// What one answer shows of the family: each family it is consistent with, and why.
fn consistent(body: &[u8]) -> Option<(Vec<&'static Dialect>, Vec<String>)> {
    let json: Value = serde_json::from_slice(body).ok()?;
    let envelope = json.as_object()?;
    if !envelope.contains_key("response") {
        return None;
    }
    let links = envelope.contains_key("links");
    let escaped = String::from_utf8_lossy(body).contains("\\/");
    let ops: Vec<&serde_json::Map<String, Value>> = envelope["response"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default();
    let mut why = vec![format!(
        "the envelope {} `links`",
        if links { "carries" } else { "has no" }
    )];
    if escaped {
        why.push("`/` is written as `\\/`".into());
    }
    let mut kinds = Vec::new();
    let families: Vec<&'static Dialect> = fileops_api::dialects::ALL
        .iter()
        .copied()
        .filter(|d| d.links == links && (!escaped || d.escape_slash))
        .filter(|d| {
            let key = kind_key(d);
            let fits = ops
                .iter()
                .all(|op| !op.contains_key("id") || op.contains_key(key));
            if fits && !ops.is_empty() {
                kinds.push(format!("operations name their kind `{key}`"));
            }
            fits
        })
        .collect();
    kinds.dedup();
    why.extend(kinds);
    Some((families, why))
}

/// Why answers decided no family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undecided {
    /// No answer was a fileops envelope: later answers may still decide.
    NoEnvelope,
    /// An envelope fits no family, or several that speak differently: why.
    Ambiguous(String),
}

impl std::fmt::Display for Undecided {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Undecided::NoEnvelope => f.write_str(
                "no answer was a fileops envelope to decide the family by; name one with --dialect",
            ),
            Undecided::Ambiguous(why) => f.write_str(why),
        }
    }
}

/// The family answers show, or why they do not decide one: the first answer that is a
/// fileops envelope decides, if the families it fits are one family and its forks.
pub fn decide<'a>(answers: impl IntoIterator<Item = &'a [u8]>) -> Result<Decision, Undecided> {
    for body in answers {
        let Some((families, why)) = consistent(body) else {
            continue;
        };
        let Some(first) = families.first() else {
            return Err(Undecided::Ambiguous(format!(
                "the answers fit no family ({}); name one with --dialect",
                why.join(", ")
            )));
        };
        // Forks share their parent's wire: the first in the schema's order stands for them.
        let alike: Vec<&str> = families.iter().map(|d| d.name).collect();
        let same_wire = families.iter().all(|d| {
            d.links == first.links
                && d.escape_slash == first.escape_slash
                && kind_key(d) == kind_key(first)
        });
        if !same_wire {
            return Err(Undecided::Ambiguous(format!(
                "the answers fit {} alike ({}); name one with --dialect",
                alike.join(" and "),
                why.join(", ")
            )));
        }
        let mut why = why.join(", ");
        if alike.len() > 1 {
            why.push_str(&format!(
                "; {} answer alike, so {} is assumed (name the other with --dialect)",
                alike.join(" and "),
                first.name
            ));
        }
        return Ok(Decision {
            dialect: first,
            why,
        });
    }
    Err(Undecided::NoEnvelope)
}

/// The key an operation's kind has in `dialect`'s answers, from the schema's wire names.
pub fn kind_key(dialect: &Dialect) -> &'static str {
    match <FileOperation as Model>::SHAPE {
        Shape::Object(shape) => shape
            .field("operation")
            .map_or("operation", |f| f.wire_name(dialect.name)),
        _ => "operation",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_the_kind_key_tell_docspace_from_workspace() {
        let docspace = br#"{"response":[{"id":"x","Operation":1}],"count":1,"links":[],"status":0,"statusCode":200}"#;
        let decided = decide([&docspace[..]]).expect("decides");
        assert_eq!(decided.dialect.name, "docspace");
        assert!(decided.why.contains("carries `links`"), "{}", decided.why);
        let workspace = br#"{"count":1,"response":[{"id":"x","operation":1,"url":"http:\/\/p"}],"status":0,"statusCode":200}"#;
        let decided = decide([&workspace[..]]).expect("decides");
        assert_eq!(decided.dialect.name, "workspace");
        assert!(decided.why.contains("r7"), "R7 is named: {}", decided.why);
    }

    #[test]
    fn what_decides_nothing_says_so() {
        let e = decide([&b"<html>"[..], &b"[]"[..]])
            .expect_err("nothing")
            .to_string();
        assert!(e.contains("no answer"), "{e}");
        // links and Workspace's kind key together fit no family.
        let odd =
            br#"{"response":[{"id":"x","operation":1}],"links":[],"status":0,"statusCode":200}"#;
        let e = decide([&odd[..]]).expect_err("no family").to_string();
        assert!(e.contains("fit no family"), "{e}");
    }
}
