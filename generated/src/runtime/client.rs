//! The generic half of the generated client: sending a request for an operation in a
//! dialect and format, encoding enums as asked, and keeping the raw exchange for checks.

use serde_json::Value;
use std::fmt;

use super::codec::{self, to_wire_value};
use super::dialect::{Dialect, Format};
use super::envelope::{ErrorEnvelope, Success};
use super::error::{DecodeError, EncodeError};
use super::model::{InDialect, Model};
use super::operation::OperationInfo;
use super::shape::{ObjectShape, Shape};

/// How enums are written in requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumEncoding {
    /// The dialect's own wire form.
    Wire,
    /// The number (`1`).
    Number,
    /// The number as a string (`"1"`).
    NumericString,
    /// The name as the schema spells it (`"Overwrite"`).
    Name,
    /// The name with each letter's case chosen by a mask (true = upper), cycled.
    NameCase(Vec<bool>),
}

impl EnumEncoding {
    fn apply(&self, shape: &super::shape::EnumShape, value: Value) -> Value {
        let number = match &value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.parse().ok().or_else(|| shape.value_of(s)),
            _ => None,
        };
        let (Some(number), false) = (number, shape.flags) else {
            return value;
        };
        let name = shape.name_of(number).unwrap_or_default();
        match self {
            EnumEncoding::Wire => value,
            EnumEncoding::Number => Value::from(number),
            EnumEncoding::NumericString => Value::String(number.to_string()),
            EnumEncoding::Name => Value::String(name.to_owned()),
            EnumEncoding::NameCase(mask) if !mask.is_empty() => Value::String(
                name.chars()
                    .zip(mask.iter().cycle())
                    .map(|(c, upper)| {
                        if *upper {
                            c.to_ascii_uppercase()
                        } else {
                            c.to_ascii_lowercase()
                        }
                    })
                    .collect(),
            ),
            EnumEncoding::NameCase(_) => Value::String(name.to_owned()),
        }
    }

    /// Rewrites every enum in a wire value of `shape`.
    pub fn rewrite(&self, value: Value, shape: &Shape) -> Value {
        match (shape, value) {
            (_, v) if *self == EnumEncoding::Wire => v,
            (Shape::Enum(e), v) => self.apply(e, v),
            (Shape::Array(item), Value::Array(items)) => {
                Value::Array(items.into_iter().map(|v| self.rewrite(v, item)).collect())
            }
            (Shape::Object(obj), Value::Object(map)) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| {
                        let v = match field_shape(obj, &k) {
                            Some(s) => self.rewrite(v, s),
                            None => v,
                        };
                        (k, v)
                    })
                    .collect(),
            ),
            (_, v) => v,
        }
    }
}

fn field_shape(obj: &ObjectShape, key: &str) -> Option<&'static Shape> {
    obj.field(key).map(|f| f.shape)
}

/// One answer as a client received it, for an observer (a checker judging every answer).
#[derive(Debug, Clone, Copy)]
pub struct Observed<'a> {
    /// The operation asked.
    pub operation: &'static str,
    /// What was sent.
    pub sent: &'a Sent,
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: &'a [(String, String)],
    /// Response body.
    pub body: &'a [u8],
}

/// Called with every answer a client receives.
#[derive(Clone)]
pub struct Observer(pub std::sync::Arc<dyn Fn(Observed<'_>) + Send + Sync>);

impl fmt::Debug for Observer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Observer")
    }
}

/// Where and how a client talks.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The server's base address (`http://127.0.0.1:8080`).
    pub base_url: String,
    /// The dialect to speak.
    pub dialect: &'static Dialect,
    /// The `Authorization` header value, if any.
    pub authorization: Option<String>,
    /// The answer format to ask for (XML adds the dialect's suffix to the path).
    pub format: Format,
    /// How enums in requests are written.
    pub enums: EnumEncoding,
    /// Sees every answer received, if set.
    pub observer: Option<Observer>,
    /// The HTTP client to send with, if prebuilt: it carries the TLS trust (extra CA
    /// certificates), timeouts and connection pool, so several clients of one run share
    /// them. `None` builds a default one (platform trust store, no timeout).
    pub http: Option<reqwest::Client>,
}

/// A request as sent, to show and replay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sent {
    /// The method.
    pub method: String,
    /// The full address.
    pub url: String,
    /// Headers sent.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<String>,
}

impl Sent {
    /// The request as a `curl` command line.
    pub fn curl(&self) -> String {
        let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
        let mut out = format!("curl -sS -X {} {}", self.method, quote(&self.url));
        for (k, v) in &self.headers {
            out.push_str(&format!(" -H {}", quote(&format!("{k}: {v}"))));
        }
        if let Some(body) = &self.body {
            out.push_str(&format!(" --data-raw {}", quote(body)));
        }
        out
    }
}

/// A request and its raw answer; `answer` is the typed reading of it.
#[derive(Debug, Clone)]
pub struct Exchange<T> {
    /// What was sent.
    pub sent: Sent,
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// Response body.
    pub body: Vec<u8>,
    /// The typed answer, or why the body could not be read as the documented one.
    pub answer: Result<T, DecodeError>,
}

impl<T> Exchange<T> {
    /// A response header (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why a request could not be exchanged at all (connection, TLS, timeout).
#[derive(Debug)]
pub struct ClientError {
    /// What was being sent.
    pub sent: Sent,
    /// Why it failed, with every cause (a TLS failure names the certificate problem).
    pub message: String,
    /// Whether it failed because the HTTP client's timeout ran out.
    pub timed_out: bool,
}

impl ClientError {
    /// The words [`Display`](fmt::Display) puts after the request when it timed out, so
    /// that the text alone (all a check may keep of the error) still says so.
    pub const TIMED_OUT: &'static str = "request timed out";

    /// The error of sending `sent`, from reqwest's error and its causes.
    pub fn from_reqwest(sent: Sent, error: &reqwest::Error) -> Self {
        Self {
            sent,
            message: error_chain(error),
            timed_out: error.is_timeout(),
        }
    }
}

impl From<EncodeError> for ClientError {
    /// A request that could not be written, so was never sent.
    fn from(error: EncodeError) -> Self {
        Self {
            sent: Sent::default(),
            message: format!("the request was not sent: {error}"),
            timed_out: false,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.sent.url.is_empty() {
            write!(f, "{} {}: ", self.sent.method, self.sent.url)?;
        }
        if self.timed_out {
            write!(f, "{} ({})", Self::TIMED_OUT, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

/// An error and its causes, `: `-separated: reqwest's own text ("error sending request")
/// hides the reason (a refused connection, an unknown certificate issuer) in the sources.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        // Some layers repeat their cause's text in their own; say each thing once.
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

impl std::error::Error for ClientError {}

/// The raw answer, before the generated code picks the typed variant.
#[derive(Debug, Clone)]
pub struct Raw {
    /// What was sent.
    pub sent: Sent,
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// Response body.
    pub body: Vec<u8>,
    format: Format,
    dialect: &'static Dialect,
}

impl Raw {
    /// The payload of a success envelope.
    pub fn success<T: Model>(&self) -> Result<T, DecodeError> {
        codec::decode_success::<T>(&self.body, self.format, Some(self.dialect))
            .map(|s: Success<T>| s.response)
    }

    /// The error of an error envelope.
    pub fn error(&self) -> Result<super::ApiError, DecodeError> {
        match codec::decode_error(&self.body, self.format, Some(self.dialect))? {
            ErrorEnvelope::Error { error, .. } => Ok(error),
            validation => Ok(super::ApiError::new(validation.message())),
        }
    }

    /// A JSON body without an envelope.
    pub fn plain<T: Model>(&self) -> Result<T, DecodeError> {
        codec::decode_json(&self.body, Some(self.dialect))
    }

    /// A text body.
    pub fn text(&self) -> Result<String, DecodeError> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// An answer with no documented variant for its status.
    pub fn undocumented<T>(&self) -> Result<T, DecodeError> {
        Err(DecodeError::new(
            "",
            format!(
                "status {} is not documented for this operation",
                self.status
            ),
        ))
    }

    /// The exchange with its typed answer.
    pub fn into_exchange<T>(self, answer: Result<T, DecodeError>) -> Exchange<T> {
        Exchange {
            sent: self.sent,
            status: self.status,
            headers: self.headers,
            body: self.body,
            answer,
        }
    }
}

/// An operation's parameter values by location, each as text values.
#[derive(Debug, Default)]
pub struct Params<'a> {
    /// Path parameters.
    pub path: Vec<(&'a str, Vec<String>)>,
    /// Query parameters (a list gives one pair per value).
    pub query: Vec<(&'a str, Vec<String>)>,
    /// Header parameters.
    pub headers: Vec<(&'a str, Vec<String>)>,
}

/// Sends requests for operations.
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
    /// The settings.
    pub config: ClientConfig,
}

impl Transport {
    /// A transport sending with the configured HTTP client, or a default one of its own.
    pub fn new(config: ClientConfig) -> Self {
        Self {
            http: config.http.clone().unwrap_or_default(),
            config,
        }
    }

    /// A parameter's text values (lists give one value each), enums encoded as configured.
    pub fn param<T: Model>(&self, value: &T) -> Result<Vec<String>, EncodeError> {
        let wire = self
            .config
            .enums
            .rewrite(to_wire_value(value, self.config.dialect)?, T::SHAPE);
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        Ok(match wire {
            Value::Array(items) => items.iter().map(text).collect(),
            Value::Null => Vec::new(),
            other => vec![text(&other)],
        })
    }

    /// A JSON body in the dialect's wire form, enums encoded as configured.
    pub fn body<T: Model>(&self, value: &T) -> Result<String, EncodeError> {
        if self.config.enums == EnumEncoding::Wire {
            let wire = InDialect::new(value, self.config.dialect);
            return serde_json::to_string(&wire).map_err(EncodeError::from);
        }
        // Another enum encoding is a test of the server's leniency: rewrite the wire value.
        let wire = self
            .config
            .enums
            .rewrite(to_wire_value(value, self.config.dialect)?, T::SHAPE);
        Ok(wire.to_string())
    }

    /// Sends one request for `operation`.
    pub async fn send(
        &self,
        operation: &OperationInfo,
        params: Params<'_>,
        body: Option<String>,
    ) -> Result<Raw, ClientError> {
        let sent = self.prepare(operation, params, body);
        let mut request = self.http.request(
            sent.method.parse().unwrap_or(reqwest::Method::GET),
            &sent.url,
        );
        for (k, v) in &sent.headers {
            request = request.header(k, v);
        }
        if let Some(body) = &sent.body {
            request = request.body(body.clone());
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => return Err(ClientError::from_reqwest(sent, &e)),
        };
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = match response.bytes().await {
            Ok(b) => b.to_vec(),
            Err(e) => return Err(ClientError::from_reqwest(sent, &e)),
        };
        if let Some(observer) = &self.config.observer {
            (observer.0)(Observed {
                operation: operation.id,
                sent: &sent,
                status,
                headers: &headers,
                body: &body,
            });
        }
        // Read what the server says it sent: a JSON request to an XML path gets JSON.
        let xml = headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v.contains("xml"));
        Ok(Raw {
            sent,
            status,
            headers,
            body,
            format: if xml { Format::Xml } else { Format::Json },
            dialect: self.config.dialect,
        })
    }

    fn prepare(&self, operation: &OperationInfo, params: Params<'_>, body: Option<String>) -> Sent {
        let Params {
            path,
            query,
            headers: extra,
        } = params;
        let encode = |s: &str| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        let mut url_path = operation.path.to_owned();
        for (name, values) in path {
            url_path = url_path.replace(&format!("{{{name}}}"), &encode(&values.join(",")));
        }
        if self.config.format == Format::Xml {
            if let Some(suffix) = self.config.dialect.xml_suffixes.first() {
                url_path.push_str(suffix);
            }
        }
        let pairs: Vec<String> = query
            .iter()
            .flat_map(|(name, values)| {
                values
                    .iter()
                    .map(move |v| format!("{}={}", encode(name), encode(v)))
            })
            .collect();
        let mut url = format!("{}{url_path}", self.config.base_url.trim_end_matches('/'));
        if !pairs.is_empty() {
            url.push('?');
            url.push_str(&pairs.join("&"));
        }
        let mut headers: Vec<(String, String)> = extra
            .iter()
            .flat_map(|(name, values)| values.iter().map(move |v| ((*name).to_owned(), v.clone())))
            .collect();
        if let Some(auth) = &self.config.authorization {
            headers.push(("Authorization".to_owned(), auth.clone()));
        }
        if body.is_some() {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        Sent {
            method: operation.method.to_owned(),
            url,
            headers,
            body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::operation::OperationInfo;
    use std::time::Duration;

    const PING: OperationInfo = OperationInfo {
        id: "ping",
        method: "GET",
        path: "/api/2.0/ping",
        dialects: &[],
        anonymous: &[],
        anonymous_setting: None,
        params: &[],
        body: None,
        body_required: false,
        responses: &[],
    };

    fn transport(base_url: String, http: reqwest::Client) -> Transport {
        Transport::new(ClientConfig {
            base_url,
            dialect: &crate::dialects::DOCSPACE,
            authorization: Some("token".into()),
            format: Format::Json,
            enums: EnumEncoding::Wire,
            observer: None,
            http: Some(http),
        })
    }

    #[tokio::test]
    async fn a_request_without_an_answer_is_a_timeout_that_names_it() {
        // Accepts the connection and never answers; kept open for the whole test.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(200))
            .build()
            .expect("client");
        let error = transport(base_url.clone(), http)
            .send(&PING, Params::default(), None)
            .await
            .expect_err("no answer");
        assert!(error.timed_out, "{error}");
        let text = error.to_string();
        assert!(
            text.starts_with(&format!(
                "GET {base_url}/api/2.0/ping: {}",
                ClientError::TIMED_OUT
            )),
            "{text}"
        );
        drop(listener);
    }

    #[tokio::test]
    async fn a_refused_connection_says_why_and_is_no_timeout() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        drop(listener);
        let error = transport(base_url, reqwest::Client::new())
            .send(&PING, Params::default(), None)
            .await
            .expect_err("refused");
        assert!(!error.timed_out, "{error}");
        // reqwest's own text is only "error sending request …"; the cause is in the chain.
        assert!(
            error.message.to_lowercase().contains("refused"),
            "{}",
            error.message
        );
    }
}
