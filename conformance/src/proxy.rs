//! A validating reverse proxy: every request goes to the portal unchanged and every answer
//! comes back unchanged, while each fileops exchange is judged as recorded traffic is
//! ([`crate::traffic::TrafficJudge`]), each violation reported as it happens.
//!
//! Answers are buffered before they are passed on (up to 256 MiB); streaming the bodies of
//! other APIs (downloads) is still to come.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use std::sync::{Arc, Mutex};

use crate::traffic::har::Recorded;
use crate::traffic::{Judged, Traffic, TrafficJudge};

/// Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// The most a request or a judged answer may hold in memory.
const BODY_LIMIT: usize = 256 * 1024 * 1024;

/// What the proxy is set up with.
pub struct ProxyConfig {
    /// The portal's base address.
    pub upstream: String,
    /// The client requests go out with (TLS settings of the target).
    pub client: reqwest::Client,
    /// Whether answers carry `X-Fileops-Violations` with the broken rules' ids.
    pub violations_header: bool,
}

/// Called with every exchange the proxy judged (to print it, to record it).
pub type OnJudged = Box<dyn Fn(&Judged, &Recorded) + Send + Sync>;

/// The proxy's shared state.
pub struct Proxy {
    config: ProxyConfig,
    judge: Mutex<TrafficJudge>,
    exchanges: Mutex<usize>,
    on_judged: OnJudged,
}

impl Proxy {
    /// A proxy judging by `judge`, calling `on_judged` with every exchange it judged.
    pub fn new(config: ProxyConfig, judge: TrafficJudge, on_judged: OnJudged) -> Arc<Self> {
        Arc::new(Proxy {
            config,
            judge: Mutex::new(judge),
            exchanges: Mutex::new(0),
            on_judged,
        })
    }

    /// The router that forwards everything.
    pub fn router(self: &Arc<Self>) -> axum::Router {
        axum::Router::new()
            .fallback(forward)
            .with_state(self.clone())
    }

    /// Ends the proxy's judging: the verdicts.
    pub fn finish(self: Arc<Self>, source: &str) -> Option<Traffic> {
        let proxy = Arc::try_unwrap(self).ok()?;
        let judge = proxy.judge.into_inner().ok()?;
        Some(judge.finish(source))
    }
}

fn forwarded(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| {
            let name = name.as_str();
            !HOP_BY_HOP.contains(&name) && name != "host" && name != "content-length"
        })
        .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
        .collect()
}

async fn forward(State(proxy): State<Arc<Proxy>>, request: Request) -> Response {
    match exchange(&proxy, request).await {
        Ok(response) => response,
        Err(message) => Response::builder()
            .status(StatusCode::BAD_GATEWAY)
            .body(Body::from(message))
            .unwrap_or_default(),
    }
}

async fn exchange(proxy: &Proxy, request: Request) -> Result<Response, String> {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|e| format!("the request body: {e}"))?;
    let target = format!(
        "{}{}",
        proxy.config.upstream.trim_end_matches('/'),
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let headers = forwarded(&parts.headers);
    let mut outgoing = proxy
        .config
        .client
        .request(parts.method.clone(), &target)
        .body(body.clone());
    for (name, value) in &headers {
        outgoing = outgoing.header(name, value);
    }
    let answer = outgoing
        .send()
        .await
        .map_err(|e| format!("the portal did not answer: {e}"))?;
    let status = answer.status();
    let answer_headers = answer.headers().clone();
    let bytes = answer
        .bytes()
        .await
        .map_err(|e| format!("the portal's answer: {e}"))?;
    let recorded = Recorded {
        index: {
            let mut n = proxy.exchanges.lock().map_err(|e| e.to_string())?;
            *n += 1;
            *n
        },
        method: parts.method.to_string(),
        url: target,
        request_headers: headers,
        request_body: (!body.is_empty()).then(|| String::from_utf8_lossy(&body).into_owned()),
        status: status.as_u16(),
        headers: forwarded(&answer_headers),
        body: bytes.to_vec(),
    };
    let judged = proxy
        .judge
        .lock()
        .map_err(|e| e.to_string())?
        .judge(&recorded);
    (proxy.on_judged)(&judged, &recorded);
    let mut response = Response::builder().status(status);
    for (name, value) in answer_headers.iter() {
        if !HOP_BY_HOP.contains(&name.as_str()) && name.as_str() != "content-length" {
            response = response.header(name, value);
        }
    }
    if proxy.config.violations_header && !judged.violations.is_empty() {
        let mut rules: Vec<&str> = judged.violations.iter().map(|v| v.rule.id()).collect();
        rules.dedup();
        if let Ok(value) = HeaderValue::from_str(&rules.join(", ")) {
            response = response.header(HeaderName::from_static("x-fileops-violations"), value);
        }
    }
    response
        .body(Body::from(bytes))
        .map_err(|e| format!("the answer: {e}"))
}
