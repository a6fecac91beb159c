//! What a check found: pass, fail (a failed SHOULD is a warning), skip, or error, with the
//! evidence to replay it.

use fileops_api::runtime::client::Sent;
use serde::Serialize;

/// How binding a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    /// A failure fails the run.
    Must,
    /// A failure is a warning (upstream varies, or the fact is a code reading).
    Should,
}

/// One request and what came back, to show and replay.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The request as a curl command.
    pub curl: String,
    /// The HTTP status.
    pub status: u16,
    /// The body (cut to a readable length).
    pub body: String,
}

impl Evidence {
    /// Evidence from a sent request and its answer.
    pub fn new(sent: &Sent, status: u16, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        let body = if text.chars().count() > 2000 {
            format!(
                "{}… ({} bytes)",
                text.chars().take(2000).collect::<String>(),
                body.len()
            )
        } else {
            text.into_owned()
        };
        Self {
            curl: sent.curl(),
            status,
            body,
        }
    }
}

/// A check's result.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum Outcome {
    /// The server behaved as the rule says.
    Pass,
    /// It did not.
    Fail {
        /// What was wrong.
        message: String,
        /// The exchanges that show it.
        evidence: Vec<Evidence>,
    },
    /// The check could not apply (with the reason).
    Skip {
        /// Why.
        reason: String,
    },
    /// The check could not run (network, setup).
    Error {
        /// What went wrong.
        message: String,
    },
}

impl Outcome {
    /// A failure with evidence.
    pub fn fail(message: impl Into<String>, evidence: Vec<Evidence>) -> Self {
        Outcome::Fail {
            message: message.into(),
            evidence,
        }
    }

    /// A skip with its reason.
    pub fn skip(reason: impl Into<String>) -> Self {
        Outcome::Skip {
            reason: reason.into(),
        }
    }
}

/// A failure on the way through a check: the outcome to report.
pub type Step<T> = Result<T, Outcome>;
