//! The wire rules around the schema: syntax reports, `\/` escaping, the envelope's
//! `statusCode` and `count`, text bodies.

use serde_json::Value;

use super::{join, Counting, Kind, Rule, Violation, WireRules};
use fileops_api::runtime::envelope::count_by;

/// Line and column (both from 1, the column in characters) of a byte offset in `text`.
pub(super) fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The body is not UTF-8: where the first bad byte is.
pub(super) fn not_utf8(body: &[u8], e: &std::str::Utf8Error) -> Violation {
    let good = body.get(..e.valid_up_to()).unwrap_or_default();
    // The prefix is valid UTF-8 by definition of `valid_up_to`.
    let text = std::str::from_utf8(good).unwrap_or_default();
    let (line, column) = position(text, text.len());
    Violation::fail(
        Rule::Syntax,
        "",
        format!(
            "the body is not UTF-8: a bad byte at line {line}, column {column} (byte {})",
            e.valid_up_to()
        ),
    )
}

pub(super) fn malformed_json(e: &serde_json::Error) -> Violation {
    Violation::fail(
        Rule::Syntax,
        "",
        format!(
            "malformed JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        ),
    )
}

/// What a body without a `Content-Type` looks like.
pub(super) fn sniff(body: &[u8]) -> Kind {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<') => Kind::Xml,
        Some(b'{' | b'[' | b'"') => Kind::Json,
        _ => Kind::Text,
    }
}

/// A text body without its final line break.
pub(super) fn trim_newline(text: &str) -> &str {
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.strip_suffix('\r').unwrap_or(text)
}

/// A text body outside its string `enum` is the wrong answer altogether: an envelope
/// violation (the body is the whole answer); other text problems keep their rule.
pub(super) fn text_violation(mut v: Violation) -> Violation {
    if v.rule == Rule::EnumDomain && v.pointer.is_empty() {
        v.rule = Rule::Envelope;
        v.message = format!("the body is not a documented text: {}", v.message);
    }
    v
}

/// One violation for the first JSON string (key or value) with a `/` not written `\/`.
pub(super) fn escaping(text: &str) -> Option<Violation> {
    let (pointer, offset) = Scanner::new(text).first_unescaped_slash()?;
    let (line, column) = position(text, offset);
    Some(Violation::fail(
        Rule::Escaping,
        pointer,
        format!("this family writes `/` in strings as `\\/`; a bare `/` at line {line}, column {column}"),
    ))
}

/// Where the scanner is inside a container.
enum Frame {
    Object { key: Option<String>, want_key: bool },
    Array { index: usize },
}

/// A minimal tokenizer over JSON text already known to parse, tracking the pointer of the
/// value it is in.
struct Scanner<'t> {
    text: &'t str,
    at: usize,
    stack: Vec<Frame>,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            at: 0,
            stack: Vec::new(),
        }
    }

    fn pointer(&self) -> String {
        self.stack
            .iter()
            .fold(String::new(), |p, frame| match frame {
                Frame::Object { key: Some(k), .. } => join(&p, k),
                Frame::Object { key: None, .. } => p,
                Frame::Array { index } => join(&p, &index.to_string()),
            })
    }

    /// The pointer of the first offending string and the byte offset of its bare `/`.
    fn first_unescaped_slash(mut self) -> Option<(String, usize)> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.at) {
            match b {
                b'{' => self.stack.push(Frame::Object {
                    key: None,
                    want_key: true,
                }),
                b'[' => self.stack.push(Frame::Array { index: 0 }),
                b'}' | b']' => {
                    self.stack.pop();
                }
                b',' => self.next_member(),
                b':' => {
                    if let Some(Frame::Object { want_key, .. }) = self.stack.last_mut() {
                        *want_key = false;
                    }
                }
                b'"' => {
                    if let Some(found) = self.string() {
                        return Some(found);
                    }
                    continue;
                }
                _ => {}
            }
            self.at += 1;
        }
        None
    }

    fn next_member(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Array { index }) => *index += 1,
            Some(Frame::Object { want_key, .. }) => *want_key = true,
            None => {}
        }
    }

    /// Reads the string literal at `self.at`, leaving `self.at` after it.
    fn string(&mut self) -> Option<(String, usize)> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut i = start + 1;
        let mut slash = None;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' => i += 1,
                b'/' if slash.is_none() => slash = Some(i),
                b'"' => break,
                _ => {}
            }
            i += 1;
        }
        self.at = i + 1;
        let literal = self.text.get(start..self.at).unwrap_or_default();
        let is_key = matches!(
            self.stack.last(),
            Some(Frame::Object { want_key: true, .. })
        );
        if is_key {
            let key: String = serde_json::from_str(literal).unwrap_or_default();
            if let Some(Frame::Object { key: slot, .. }) = self.stack.last_mut() {
                *slot = Some(key);
            }
        }
        slash.map(|offset| (self.pointer(), offset))
    }
}

/// `statusCode` against the HTTP status, and the family's `count` rule.
pub(super) fn envelope(value: &Value, status: u16, rules: &WireRules) -> Vec<Violation> {
    let Some(map) = value.as_object() else {
        return Vec::new();
    };
    let is_envelope = ["status", "statusCode", "response", "error"]
        .iter()
        .any(|k| map.contains_key(*k));
    if !is_envelope {
        return Vec::new();
    }
    let mut out = Vec::new();
    match map.get("statusCode") {
        Some(code) => {
            if let Some(code) = code.as_i64().filter(|c| *c != i64::from(status)) {
                out.push(Violation::fail(
                    Rule::Envelope,
                    "/statusCode",
                    format!("statusCode {code} is not the HTTP status {status}"),
                ));
            }
        }
        None if rules.status_code_key => out.push(Violation::fail(
            Rule::Envelope,
            "/statusCode",
            "the envelope has no statusCode",
        )),
        None => {}
    }
    let success = map.contains_key("response")
        || ((200..300).contains(&status) && !map.contains_key("error"));
    if success {
        out.extend(count(map, &rules.counts));
    }
    out
}

/// The `count` violation, if no counting the family allows gives what the answer says.
fn count(map: &serde_json::Map<String, Value>, counts: &[Counting]) -> Option<Violation> {
    let response = map.get("response").cloned().unwrap_or(Value::Null);
    let said = map.get("count");
    // A count of the wrong type is the schema's to report.
    let said = match said {
        Some(value) => Some(value.as_i64()?),
        None => None,
    };
    let expected: Vec<Option<i64>> = counts
        .iter()
        .map(|c| count_by(c.list, c.object, &response))
        .collect();
    if expected.contains(&said) {
        return None;
    }
    let mut forms: Vec<String> = Vec::new();
    for form in expected
        .iter()
        .map(|e| e.map_or("no count".to_owned(), |n| n.to_string()))
    {
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    let message = match said {
        None => format!("count is missing; it must be {}", forms.join(" or ")),
        Some(_) => format!("count is {}; it must be {}", shown(map), forms.join(" or ")),
    };
    Some(Violation::fail(Rule::Envelope, "/count", message))
}

fn shown(map: &serde_json::Map<String, Value>) -> String {
    map.get("count").map(Value::to_string).unwrap_or_default()
}
