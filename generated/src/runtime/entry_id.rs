//! File and folder ids: numbers for the portal's own storage, strings for third-party ones.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// A file or folder id.
///
/// Reads a JSON number, a numeric string (as upstream does, it becomes [`EntryId::Int`]) or
/// any other non-empty string (a third-party id such as `sbox-12-|Docs|a.docx`). Writes a
/// number for [`EntryId::Int`] and a string otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryId {
    /// An entry of the portal's own storage.
    Int(i64),
    /// An entry of a connected third-party storage.
    Str(String),
}

impl EntryId {
    /// Reads an id from text: digits become a number, anything else stays a string.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("an entry id must not be empty".into());
        }
        Ok(match trimmed.parse::<i64>() {
            Ok(n) => EntryId::Int(n),
            Err(_) => EntryId::Str(text.to_owned()),
        })
    }

    /// The number, for ids of the portal's own storage.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            EntryId::Int(n) => Some(*n),
            EntryId::Str(_) => None,
        }
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryId::Int(n) => write!(f, "{n}"),
            EntryId::Str(s) => f.write_str(s),
        }
    }
}

impl From<i64> for EntryId {
    fn from(n: i64) -> Self {
        EntryId::Int(n)
    }
}

impl From<&str> for EntryId {
    fn from(s: &str) -> Self {
        EntryId::parse(s).unwrap_or_else(|_| EntryId::Str(s.to_owned()))
    }
}

impl Serialize for EntryId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            EntryId::Int(n) => serializer.serialize_i64(*n),
            EntryId::Str(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for EntryId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IdVisitor)
    }
}

struct IdVisitor;

impl Visitor<'_> for IdVisitor {
    type Value = EntryId;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an entry id (a number or a non-empty string)")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<EntryId, E> {
        Ok(EntryId::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<EntryId, E> {
        i64::try_from(v)
            .map(EntryId::Int)
            .map_err(|_| E::custom(format!("entry id {v} is out of range")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<EntryId, E> {
        EntryId::parse(v).map_err(E::custom)
    }
}
