//! `ApiDateTime`: the timestamp string both server families write.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A timestamp as upstream writes it: `yyyy-MM-ddTHH:mm:ss.fffffff` then `Z` or `±hh:mm`.
///
/// The text is kept as received, so the seven fractional digits and the offset survive a
/// round trip. Reading also accepts 0 to 7 fractional digits and pads them to seven, which
/// is what upstream's own reader tolerates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApiDateTime(String);

impl ApiDateTime {
    /// Checks and normalises a timestamp (fractional digits padded to seven).
    pub fn parse(text: &str) -> Result<Self, String> {
        Ok(Self(normalised(text)?.unwrap_or_else(|| text.to_owned())))
    }

    /// [`ApiDateTime::parse`], keeping `text` itself when it is already in normal form.
    pub fn parse_owned(text: String) -> Result<Self, String> {
        Ok(Self(normalised(&text)?.unwrap_or(text)))
    }

    /// Builds a timestamp from its parts (the clock part is the portal's local time).
    pub fn from_parts(
        date: (i32, u32, u32),
        time: (u32, u32, u32),
        ticks: u32,
        offset_minutes: i32,
    ) -> Self {
        let offset = if offset_minutes == 0 {
            "Z".to_owned()
        } else {
            let sign = if offset_minutes < 0 { '-' } else { '+' };
            let m = offset_minutes.unsigned_abs();
            format!("{sign}{:02}:{:02}", m / 60, m % 60)
        };
        Self(format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}{}",
            date.0,
            date.1,
            date.2,
            time.0,
            time.1,
            time.2,
            ticks % 10_000_000,
            offset
        ))
    }

    /// The text as it goes on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a timestamp: `None` when it is already in normal form (seven fractional digits),
/// else the normal form.
fn normalised(text: &str) -> Result<Option<String>, String> {
    let bad = || format!("{text:?} is not a timestamp like 2020-12-13T17:13:31.5902727Z");
    let b = text.as_bytes();
    if b.len() < 20 || !date_time_prefix(&b[..19]) {
        return Err(bad());
    }
    let rest = &text[19..];
    let (fraction, offset) = match rest.strip_prefix('.') {
        Some(after) => {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            (&after[..digits], &after[digits..])
        }
        None => ("", rest),
    };
    if fraction.len() > 7 || !valid_offset(offset) {
        return Err(bad());
    }
    if fraction.len() == 7 {
        return Ok(None);
    }
    Ok(Some(format!("{}.{:0<7}{}", &text[..19], fraction, offset)))
}

fn date_time_prefix(b: &[u8]) -> bool {
    let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    digits.iter().all(|&i| b[i].is_ascii_digit())
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
}

fn valid_offset(offset: &str) -> bool {
    let b = offset.as_bytes();
    offset == "Z"
        || (b.len() == 6
            && (b[0] == b'+' || b[0] == b'-')
            && b[1].is_ascii_digit()
            && b[2].is_ascii_digit()
            && b[3] == b':'
            && b[4].is_ascii_digit()
            && b[5].is_ascii_digit())
}

impl fmt::Display for ApiDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ApiDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ApiDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ApiDateTime::parse_owned(text).map_err(serde::de::Error::custom)
    }
}
