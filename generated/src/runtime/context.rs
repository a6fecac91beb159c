//! What a handler learns about a request besides its typed parameters.

use super::dialect::{Dialect, Format};

/// The dialect being served, the format asked for, and the caller's token.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// The dialect the server speaks.
    pub dialect: &'static Dialect,
    /// The body format the answer will be written in.
    pub format: Format,
    /// The `Authorization` header, if any, as sent.
    pub authorization: Option<String>,
}

impl RequestContext {
    /// The token: the `Authorization` header without a leading `Bearer ` (any case).
    pub fn token(&self) -> Option<&str> {
        let raw = self.authorization.as_deref()?.trim();
        let token = match raw.get(..6) {
            Some(scheme)
                if scheme.eq_ignore_ascii_case("bearer")
                    && raw[6..].chars().next().is_none_or(char::is_whitespace) =>
            {
                raw[6..].trim_start()
            }
            _ => raw,
        };
        (!token.is_empty()).then_some(token)
    }
}
