//! The tokens recorded traffic carries, learnt as exchanges pass, so that nothing shown or
//! written holds one: each becomes the environment variable a replay reads it from. Callers
//! stay apart: the first token is `$FILEOPS_TOKEN`, the second `$FILEOPS_TOKEN2`, the third
//! `$FILEOPS_TOKEN3`..., so a masked recording can still be judged per caller.

use serde_json::Value;

use super::har::Recorded;
use crate::secrets::{Secrets, TOKEN_VARIABLE};

/// The variable a login's password is masked as.
pub const PASSWORD_VARIABLE: &str = "FILEOPS_PASSWORD";

/// The tokens seen so far.
#[derive(Default)]
pub struct Tokens {
    secrets: Secrets,
    seen: Vec<String>,
}

/// The `asc_auth_key` cookie of a `Cookie` or `Set-Cookie` value (reference §8).
fn auth_cookie(value: &str) -> Option<&str> {
    value
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("asc_auth_key"))
        .map(|(_, v)| v.trim())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

impl Tokens {
    /// None seen yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Who asked: the token of the `Authorization` header or the `asc_auth_key` cookie;
    /// `None` for an anonymous request. The token is learnt.
    pub fn caller(&mut self, recorded: &Recorded) -> Option<String> {
        let token = header(&recorded.request_headers, "authorization")
            .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).trim())
            .or_else(|| auth_cookie(header(&recorded.request_headers, "cookie")?))
            .filter(|t| !t.is_empty())?
            .to_owned();
        self.learn(&token);
        Some(token)
    }

    /// Learns every secret `recorded` carries: the caller's token, a login's password
    /// (`$FILEOPS_PASSWORD`), a login answer's token (`response.token`) and a `Set-Cookie`
    /// of `asc_auth_key`. Who asked, as [`Tokens::caller`] says.
    pub fn learn_all(&mut self, recorded: &Recorded) -> Option<String> {
        let caller = self.caller(recorded);
        if let Some(body) = recorded
            .request_body
            .as_deref()
            .filter(|b| b.to_ascii_lowercase().contains("password"))
        {
            let json: Value = serde_json::from_str(body).unwrap_or_default();
            let password = json.as_object().and_then(|o| {
                o.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("password"))
                    .and_then(|(_, v)| v.as_str())
            });
            if let Some(password) = password.filter(|p| !p.is_empty()) {
                let secrets = std::mem::take(&mut self.secrets);
                self.secrets = secrets.with(password, PASSWORD_VARIABLE);
            }
        }
        for (name, value) in &recorded.headers {
            if name.eq_ignore_ascii_case("set-cookie") {
                if let Some(token) = auth_cookie(value).filter(|t| !t.is_empty()) {
                    let token = token.to_owned();
                    self.learn(&token);
                }
            }
        }
        // Only a body that names a token is read as JSON.
        if recorded.body.windows(7).any(|w| w == b"\"token\"") {
            let json: Value = serde_json::from_slice(&recorded.body).unwrap_or_default();
            if let Some(token) = json["response"]["token"].as_str() {
                let token = token.to_owned();
                self.learn(&token);
            }
        }
        caller
    }

    fn learn(&mut self, token: &str) {
        if token.is_empty() || self.seen.iter().any(|t| t == token) {
            return;
        }
        self.seen.push(token.to_owned());
        let variable = match self.seen.len() {
            1 => TOKEN_VARIABLE.to_owned(),
            n => format!("{TOKEN_VARIABLE}{n}"),
        };
        let secrets = std::mem::take(&mut self.secrets);
        self.secrets = secrets.with(token, &variable);
    }

    /// The tokens as secrets to mask.
    pub fn secrets(&self) -> &Secrets {
        &self.secrets
    }

    /// `recorded` with every token learnt so far replaced by its variable, everywhere it
    /// may be written: URL, headers and both bodies.
    pub fn masked(&self, recorded: &Recorded) -> Recorded {
        if self.secrets.is_empty() {
            return recorded.clone();
        }
        let text = |s: &str| self.secrets.text(s);
        let pairs = |headers: &[(String, String)]| {
            headers
                .iter()
                .map(|(k, v)| (k.clone(), text(v)))
                .collect::<Vec<_>>()
        };
        let body = match std::str::from_utf8(&recorded.body) {
            Ok(body) if self.secrets.found_in(body) => text(body).into_bytes(),
            _ => recorded.body.clone(),
        };
        Recorded {
            index: recorded.index,
            method: recorded.method.clone(),
            url: text(&recorded.url),
            request_headers: pairs(&recorded.request_headers),
            request_body: recorded.request_body.as_deref().map(text),
            status: recorded.status,
            headers: pairs(&recorded.headers),
            body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(headers: &[(&str, &str)], answer: &[(&str, &str)], body: &str) -> Recorded {
        let pairs = |h: &[(&str, &str)]| {
            h.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        Recorded {
            index: 1,
            method: "GET".into(),
            url: "http://p/api/2.0/files/fileops".into(),
            request_headers: pairs(headers),
            request_body: None,
            status: 200,
            headers: pairs(answer),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn callers_are_told_apart_and_every_form_is_masked() {
        let mut tokens = Tokens::new();
        let alice = exchange(&[("Authorization", "Bearer alice-secret")], &[], "{}");
        let bob = exchange(&[("Cookie", "a=1; asc_auth_key=bob-secret")], &[], "{}");
        assert_eq!(tokens.caller(&alice).as_deref(), Some("alice-secret"));
        assert_eq!(tokens.caller(&bob).as_deref(), Some("bob-secret"));
        let mut login = exchange(
            &[],
            &[("Set-Cookie", "asc_auth_key=carol-secret; path=/")],
            r#"{"response":{"token":"dave-secret"}}"#,
        );
        login.request_body = Some(r#"{"userName":"d","password":"pw-secret"}"#.into());
        tokens.learn_all(&login);
        let masked = tokens.masked(&login);
        assert_eq!(masked.headers[0].1, "asc_auth_key=$FILEOPS_TOKEN3; path=/");
        assert_eq!(
            masked.request_body.as_deref(),
            Some(r#"{"userName":"d","password":"$FILEOPS_PASSWORD"}"#)
        );
        assert_eq!(
            String::from_utf8(masked.body).expect("text"),
            r#"{"response":{"token":"$FILEOPS_TOKEN4"}}"#
        );
        assert_eq!(
            tokens.masked(&bob).request_headers[0].1,
            "a=1; asc_auth_key=$FILEOPS_TOKEN2"
        );
        assert_eq!(
            tokens.masked(&alice).request_headers[0].1,
            "Bearer $FILEOPS_TOKEN"
        );
    }

    #[test]
    fn anonymous_requests_have_no_caller() {
        let mut tokens = Tokens::new();
        assert_eq!(tokens.caller(&exchange(&[], &[], "")), None);
        assert_eq!(
            tokens.caller(&exchange(&[("Authorization", " ")], &[], "")),
            None
        );
        assert!(tokens.secrets().is_empty());
    }
}
