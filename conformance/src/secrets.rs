//! Keeping tokens out of everything a run shows.
//!
//! A run's results are all that its reports and terminal lines are made of, so
//! [`runner::run`](crate::runner::run) masks each [`CheckResult`] here before anyone sees
//! it: every known secret becomes the environment variable it is read from
//! (`$FILEOPS_TOKEN`, `$FILEOPS_TOKEN2`). Curl replays stay runnable: a shell word that
//! holds a secret is rewritten in double quotes, so that the shell expands the variable, and
//! the rest of the word is escaped to mean exactly what it meant before:
//!
//! ```
//! use fileops_conformance::secrets::Secrets;
//!
//! let secrets = Secrets::new().with("alice-token", "FILEOPS_TOKEN");
//! let curl = "curl -sS -X GET 'http://127.0.0.1/api/2.0/files/@my' -H 'Authorization: alice-token'";
//! assert_eq!(
//!     secrets.command(curl),
//!     r#"curl -sS -X GET 'http://127.0.0.1/api/2.0/files/@my' -H "Authorization: $FILEOPS_TOKEN""#
//! );
//! ```

use std::fmt;

use crate::context::Target;
use crate::outcome::{Evidence, Outcome};
use crate::runner::CheckResult;

/// The variable a replay reads the first user's token from.
pub const TOKEN_VARIABLE: &str = "FILEOPS_TOKEN";
/// The variable a replay reads the second user's token from.
pub const TOKEN2_VARIABLE: &str = "FILEOPS_TOKEN2";

/// One form a secret may be written in, and the variable that stands for it.
#[derive(Clone)]
struct Form {
    text: String,
    variable: String,
}

/// The secrets of a run and the environment variables that stand for them.
#[derive(Clone, Default)]
pub struct Secrets {
    /// Longest first, so that a secret holding another is masked whole.
    forms: Vec<Form>,
}

impl fmt::Debug for Secrets {
    // Never the values themselves.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.forms.iter().map(|f| f.variable.as_str()).collect();
        names.dedup();
        f.debug_struct("Secrets")
            .field("variables", &names)
            .finish()
    }
}

impl Secrets {
    /// No secrets.
    pub fn new() -> Self {
        Self::default()
    }

    /// The target's tokens: `FILEOPS_TOKEN` and `FILEOPS_TOKEN2`.
    pub fn of(target: &Target) -> Self {
        let secrets = Self::new().with(&target.token, TOKEN_VARIABLE);
        match &target.token2 {
            Some(token2) => secrets.with(token2, TOKEN2_VARIABLE),
            None => secrets,
        }
    }

    /// Also masks `value` as `$variable` (an empty value masks nothing). Besides the value
    /// itself, its JSON-escaped, XML-escaped, percent-encoded and shell-single-quoted forms
    /// are masked, as an answer, a URL or a replay quoted in a message may carry it so.
    pub fn with(mut self, value: &str, variable: &str) -> Self {
        if value.is_empty() {
            return self;
        }
        let json = serde_json::to_string(value).unwrap_or_default();
        let json = json
            .strip_prefix('"')
            .and_then(|j| j.strip_suffix('"'))
            .unwrap_or(value);
        let xml = quick_xml::escape::escape(value);
        let xml_text = quick_xml::escape::partial_escape(value);
        let percent =
            percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        // As `Sent::curl` writes it inside single quotes.
        let quoted = value.replace('\'', r"'\''");
        for text in [value, json, &xml, &xml_text, &percent, &quoted] {
            if !self.forms.iter().any(|f| f.text == text) {
                self.forms.push(Form {
                    text: text.to_owned(),
                    variable: variable.to_owned(),
                });
            }
        }
        self.forms.sort_by_key(|f| std::cmp::Reverse(f.text.len()));
        self
    }

    /// Whether there is nothing to mask.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// Whether `text` carries a secret.
    pub fn found_in(&self, text: &str) -> bool {
        self.forms.iter().any(|f| text.contains(&f.text))
    }

    /// Plain text with every secret replaced by `$VARIABLE`.
    pub fn text(&self, text: &str) -> String {
        self.pieces(text)
            .into_iter()
            .map(|piece| match piece {
                Piece::Plain(s) => s.to_owned(),
                Piece::Secret(variable, next) => reference(variable, next),
            })
            .collect()
    }

    /// A shell command (a curl replay) with every word that holds a secret rewritten in
    /// double quotes around `$VARIABLE`, so that it still replays once the variables are
    /// exported. A command this cannot read (an unclosed quote) is masked as plain text:
    /// it may not replay, but it shows no secret.
    pub fn command(&self, command: &str) -> String {
        if self.is_empty() {
            return command.to_owned();
        }
        // Words, not the raw text: quoting splits a secret holding `'` (`it'\''s`).
        let Some(words) = shell_words(command) else {
            return self.text(command);
        };
        let mut out = String::with_capacity(command.len());
        let mut last = 0;
        for word in words {
            out.push_str(&command[last..word.start]);
            if self.found_in(&word.value) {
                out.push_str(&self.double_quoted(&word.value));
            } else {
                out.push_str(&command[word.start..word.end]);
            }
            last = word.end;
        }
        out.push_str(&command[last..]);
        out
    }

    /// A masked copy of an outcome: messages, reasons, curl replays and bodies.
    pub fn outcome(&self, outcome: &Outcome) -> Outcome {
        if self.is_empty() {
            return outcome.clone();
        }
        match outcome {
            Outcome::Pass => Outcome::Pass,
            Outcome::Fail { message, evidence } => Outcome::Fail {
                message: self.text(message),
                evidence: evidence.iter().map(|e| self.evidence(e)).collect(),
            },
            Outcome::Skip { reason } => Outcome::Skip {
                reason: self.text(reason),
            },
            Outcome::Error { message } => Outcome::Error {
                message: self.text(message),
            },
        }
    }

    /// A masked copy of one exchange's evidence.
    pub fn evidence(&self, evidence: &Evidence) -> Evidence {
        Evidence {
            curl: self.command(&evidence.curl),
            status: evidence.status,
            body: self.text(&evidence.body),
        }
    }

    /// Masks a finished result in place (its outcome and the server address).
    pub fn result(&self, result: &mut CheckResult) {
        if self.is_empty() {
            return;
        }
        result.outcome = self.outcome(&result.outcome);
        result.url = self.text(&result.url);
    }

    /// `text` split into plain runs and secrets (each with the character after it).
    fn pieces<'a>(&'a self, text: &'a str) -> Vec<Piece<'a>> {
        let mut pieces = Vec::new();
        let (mut plain, mut at) = (0, 0);
        while at < text.len() {
            let found = self
                .forms
                .iter()
                .find(|f| text[at..].starts_with(f.text.as_str()));
            match found {
                Some(form) => {
                    if plain < at {
                        pieces.push(Piece::Plain(&text[plain..at]));
                    }
                    at += form.text.len();
                    plain = at;
                    pieces.push(Piece::Secret(&form.variable, text[at..].chars().next()));
                }
                None => at += text[at..].chars().next().map_or(1, char::len_utf8),
            }
        }
        if plain < text.len() {
            pieces.push(Piece::Plain(&text[plain..]));
        }
        pieces
    }

    /// One shell word meaning `value`, each secret in it read from its variable.
    fn double_quoted(&self, value: &str) -> String {
        let mut out = String::from("\"");
        for piece in self.pieces(value) {
            match piece {
                Piece::Secret(variable, next) => out.push_str(&reference(variable, next)),
                Piece::Plain(text) => {
                    for c in text.chars() {
                        match c {
                            // Special inside double quotes: escaped to stay literal.
                            '"' | '\\' | '$' | '`' => {
                                out.push('\\');
                                out.push(c);
                            }
                            // An interactive bash expands history even in double quotes
                            // (and keeps a backslash before `!`): single-quote it instead.
                            '!' => out.push_str("\"'!'\""),
                            c => out.push(c),
                        }
                    }
                }
            }
        }
        out.push('"');
        out
    }
}

/// A stretch of text: as it is, or a secret (its variable, and the character after it).
enum Piece<'a> {
    Plain(&'a str),
    Secret(&'a str, Option<char>),
}

/// `$NAME`, or `${NAME}` where the next character would otherwise lengthen the name.
fn reference(variable: &str, next: Option<char>) -> String {
    match next {
        Some(c) if c.is_ascii_alphanumeric() || c == '_' => format!("${{{variable}}}"),
        _ => format!("${variable}"),
    }
}

/// One word of a command line: where it is and the text it stands for.
struct Word {
    start: usize,
    end: usize,
    value: String,
}

/// The words of a command line, as a POSIX shell reads quotes and backslashes (no
/// expansions: replays contain none); `None` for an unclosed quote.
fn shell_words(command: &str) -> Option<Vec<Word>> {
    let mut words = Vec::new();
    let mut chars = command.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut value = String::new();
        while let Some(&(_, c)) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            match c {
                '\'' => loop {
                    let (_, c) = chars.next()?;
                    if c == '\'' {
                        break;
                    }
                    value.push(c);
                },
                '"' => loop {
                    let (_, c) = chars.next()?;
                    match c {
                        '"' => break,
                        '\\' => {
                            let (_, next) = chars.next()?;
                            // Inside double quotes a backslash escapes only these.
                            if !matches!(next, '"' | '\\' | '$' | '`' | '\n') {
                                value.push('\\');
                            }
                            value.push(next);
                        }
                        c => value.push(c),
                    }
                },
                '\\' => {
                    let (_, next) = chars.next()?;
                    value.push(next);
                }
                c => value.push(c),
            }
        }
        let end = chars.peek().map_or(command.len(), |&(at, _)| at);
        words.push(Word { start, end, value });
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fileops_api::runtime::client::Sent;
    use std::process::Command;

    /// Runs `command` through bash with a `curl` that prints its arguments, one a line,
    /// the variables exported; the arguments.
    fn replay(command: &str, env: &[(&str, &str)]) -> Vec<String> {
        let script = format!("curl() {{ printf '%s\\n' \"$@\"; }}\n{command}\n");
        let out = Command::new("bash")
            .arg("-c")
            .arg(script)
            .env_clear()
            .envs(env.iter().copied())
            .output()
            .expect("bash runs");
        assert!(out.status.success(), "{command}: {out:?}");
        String::from_utf8(out.stdout)
            .expect("utf8")
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn sent(authorization: &str, body: Option<&str>) -> Sent {
        Sent {
            method: "PUT".into(),
            url: "http://127.0.0.1:9/api/2.0/files/fileops/copy?x=it's".into(),
            headers: vec![
                ("Authorization".into(), authorization.into()),
                ("Content-Type".into(), "application/json".into()),
            ],
            body: body.map(str::to_owned),
        }
    }

    #[test]
    fn a_masked_replay_sends_the_same_arguments_as_the_original() {
        for token in [
            "alice-token",
            "it's",
            "a$HOME`id`b",
            r#"say "hi" \ there"#,
            "bang!x",
            "ünï-çødé",
        ] {
            let secrets = Secrets::new().with(token, TOKEN_VARIABLE);
            for authorization in [token.to_owned(), format!("Bearer {token}")] {
                let body = format!("{{\"note\":\"{token}!\",\"n\":1}}");
                let curl = sent(&authorization, Some(&body)).curl();
                let masked = secrets.command(&curl);
                assert!(!masked.contains(token), "{masked}");
                assert!(masked.contains("$FILEOPS_TOKEN"), "{masked}");
                let original = replay(&curl, &[]);
                assert_eq!(
                    replay(&masked, &[(TOKEN_VARIABLE, token)]),
                    original,
                    "{masked}"
                );
                assert!(original.contains(&format!("Authorization: {authorization}")));
            }
        }
    }

    #[test]
    fn the_header_is_double_quoted_around_the_variable() {
        let secrets = Secrets::new()
            .with("alice-token", TOKEN_VARIABLE)
            .with("bob-token", TOKEN2_VARIABLE);
        let masked = secrets.command(&sent("Bearer bob-token", None).curl());
        assert!(
            masked.contains(r#"-H "Authorization: Bearer $FILEOPS_TOKEN2""#),
            "{masked}"
        );
        // Words without a secret are left as they were.
        assert!(
            masked.contains("-H 'Content-Type: application/json'"),
            "{masked}"
        );
        // Masking twice changes nothing more.
        assert_eq!(secrets.command(&masked), masked);
    }

    #[test]
    fn a_variable_followed_by_a_name_character_is_braced() {
        let secrets = Secrets::new().with("alice-token", TOKEN_VARIABLE);
        let curl = sent("alice-tokenX_1", None).curl();
        let masked = secrets.command(&curl);
        assert!(masked.contains("${FILEOPS_TOKEN}X_1"), "{masked}");
        assert_eq!(
            replay(&masked, &[(TOKEN_VARIABLE, "alice-token")]),
            replay(&curl, &[])
        );
    }

    #[test]
    fn the_longer_secret_wins_and_escaped_forms_are_masked_too() {
        let secrets = Secrets::new()
            .with("tok", TOKEN_VARIABLE)
            .with("tok-2", TOKEN2_VARIABLE);
        assert_eq!(
            secrets.text("a tok-2 b tok"),
            "a $FILEOPS_TOKEN2 b $FILEOPS_TOKEN"
        );
        let secrets = Secrets::new().with(r#"a"b&c"#, TOKEN_VARIABLE);
        let masked = secrets
            .text(r#"{"token":"a\"b&c"} <t>a"b&amp;c</t> <t v="a&quot;b&amp;c"/> ?t=a%22b%26c"#);
        assert_eq!(
            masked,
            r#"{"token":"$FILEOPS_TOKEN"} <t>$FILEOPS_TOKEN</t> <t v="$FILEOPS_TOKEN"/> ?t=$FILEOPS_TOKEN"#
        );
        // A replay quoted in a message, where `'` is written `'\''`.
        let secrets = Secrets::new().with("it's", TOKEN_VARIABLE);
        assert_eq!(
            secrets.text("sent -H 'Authorization: it'\\''s'"),
            "sent -H 'Authorization: $FILEOPS_TOKEN'"
        );
    }

    #[test]
    fn an_unreadable_command_is_still_masked() {
        let secrets = Secrets::new().with("alice-token", TOKEN_VARIABLE);
        assert_eq!(
            secrets.command("curl 'unclosed alice-token"),
            "curl 'unclosed $FILEOPS_TOKEN"
        );
    }

    #[test]
    fn outcomes_are_masked_everywhere_and_debug_shows_no_value() {
        let secrets = Secrets::new().with("alice-token", TOKEN_VARIABLE);
        let outcome = Outcome::fail(
            "the answer echoed alice-token",
            vec![Evidence::new(
                &sent("alice-token", None),
                200,
                br#"{"response":{"token":"alice-token"}}"#,
            )],
        );
        let masked = serde_json::to_string(&secrets.outcome(&outcome)).expect("json");
        assert!(!masked.contains("alice-token"), "{masked}");
        assert!(masked.contains("$FILEOPS_TOKEN"), "{masked}");
        let error = Outcome::Error {
            message: "alice-token".into(),
        };
        assert!(matches!(
            secrets.outcome(&error),
            Outcome::Error { message } if message == "$FILEOPS_TOKEN"
        ));
        assert!(!format!("{secrets:?}").contains("alice"));
        assert!(Secrets::new().with("", TOKEN_VARIABLE).is_empty());
    }
}
