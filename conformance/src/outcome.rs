//! What a check found: pass, fail (a failed SHOULD is a warning), skip, or error, with the
//! evidence to replay it.

use fileops_api::runtime::client::{ClientError, Sent};
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

    /// The error of a request that could not be exchanged; a timeout stays recognisable
    /// (see [`Outcome::timed_out`]).
    pub fn transport(error: &ClientError) -> Self {
        Outcome::Error {
            message: error.to_string(),
        }
    }

    /// The message of an error caused by a request that got no answer within the request
    /// timeout: the run stops there, since every later request would wait as long.
    ///
    /// Checks keep a transport error as its text (`ClientError`'s `Display`), which names
    /// the request and carries [`ClientError::TIMED_OUT`]; the marker is looked for in the
    /// text so that the JSON shape of an error, `{"state":"error","message":…}`, stays.
    pub fn timed_out(&self) -> Option<&str> {
        match self {
            Outcome::Error { message } if message.contains(ClientError::TIMED_OUT) => Some(message),
            _ => None,
        }
    }
}

/// A failure on the way through a check: the outcome to report.
pub type Step<T> = Result<T, Outcome>;

#[cfg(test)]
mod tests {
    use super::*;

    fn sent() -> Sent {
        Sent {
            method: "GET".into(),
            url: "http://127.0.0.1:1/api/2.0/files/fileops".into(),
            headers: Vec::new(),
            body: None,
        }
    }

    #[test]
    fn a_timed_out_request_is_recognised_and_keeps_the_error_shape() {
        let error = ClientError {
            sent: sent(),
            message: "operation timed out".into(),
            timed_out: true,
        };
        let outcome = Outcome::transport(&error);
        let message = outcome.timed_out().expect("a timeout");
        assert!(
            message.starts_with("GET http://127.0.0.1:1/api/2.0/files/fileops: "),
            "{message}"
        );
        let json = serde_json::to_value(&outcome).expect("serializes");
        assert_eq!(json["state"], "error");
        assert_eq!(json["message"], message);
        assert_eq!(json.as_object().map(|o| o.len()), Some(2), "{json}");
    }

    #[test]
    fn other_errors_and_failures_are_not_timeouts() {
        let refused = ClientError {
            sent: sent(),
            message: "connection refused".into(),
            timed_out: false,
        };
        assert_eq!(Outcome::transport(&refused).timed_out(), None);
        assert_eq!(
            Outcome::fail("operation 1 did not finish within 3s", Vec::new()).timed_out(),
            None
        );
    }
}
