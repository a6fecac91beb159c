//! A validating reverse proxy: every request goes to the portal unchanged and every answer
//! comes back unchanged, while each fileops exchange is judged as recorded traffic is
//! ([`crate::traffic::TrafficJudge`]), each verdict told as it happens.
//!
//! Fileops answers are small envelopes: they are read whole (up to 256 MiB), judged, then
//! passed on. Everything else (downloads, uploads, pages, other APIs) streams both ways
//! untouched, and is recorded without its body. Connections to the portal are kept alive
//! and reused; the portal's TLS is the [`reqwest::Client`]'s the proxy is given.

mod judging;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use std::sync::Arc;

use crate::detect::Decision;
use crate::routes::Catalogue;
use crate::traffic::har::Recorded;
use crate::traffic::{Judged, Traffic};
pub use judging::Family;
use judging::{Job, Judging};

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

/// The most a request or an answer of a fileops exchange may hold in memory.
const BODY_LIMIT: usize = 256 * 1024 * 1024;

/// What the proxy is set up with.
pub struct ProxyConfig {
    /// The portal's base address.
    pub upstream: String,
    /// The client requests go out with (TLS settings of the target; no redirects followed).
    pub client: reqwest::Client,
    /// Whether answers carry `X-Fileops-Violations` with the broken rules' ids.
    pub violations_header: bool,
    /// Whether [`Events::exchange`] sees tokens and passwords as they were; else each is
    /// its variable (`$FILEOPS_TOKEN`, `$FILEOPS_TOKEN2`..., `$FILEOPS_PASSWORD`).
    pub keep_secrets: bool,
}

/// What the proxy tells as it happens. Calls come one at a time, in the order exchanges
/// are judged, so a recording kept from [`Events::exchange`] judges again the same way.
pub trait Events: Send + Sync {
    /// Whether [`Events::exchange`] keeps anything: when it does not, the proxy does not
    /// mask exchanges for it.
    fn wants_exchanges(&self) -> bool {
        true
    }
    /// An exchange passed (of another API: without its body, which streamed).
    fn exchange(&self, _recorded: &Recorded) {}
    /// A fileops exchange was judged.
    fn judged(&self, _judged: &Judged) {}
    /// `--dialect auto` decided the family.
    fn decided(&self, _decision: &Decision) {}
}

/// Events shared with whoever keeps them after the proxy is done (a HAR to finish).
impl<T: Events + ?Sized> Events for Arc<T> {
    fn wants_exchanges(&self) -> bool {
        (**self).wants_exchanges()
    }
    fn exchange(&self, recorded: &Recorded) {
        (**self).exchange(recorded);
    }
    fn judged(&self, judged: &Judged) {
        (**self).judged(judged);
    }
    fn decided(&self, decision: &Decision) {
        (**self).decided(decision);
    }
}

/// The proxy's shared state.
pub struct Proxy {
    config: ProxyConfig,
    /// Every family's routes: whether a request is a fileops one is known before the
    /// family is (with auto), and an answer is buffered only if it is.
    routes: Vec<Catalogue>,
    /// The judge's queue: exchanges are judged in the order they are sent, on a thread of
    /// the judge's own, so that no request waits for another's judging.
    jobs: tokio::sync::mpsc::Sender<Job>,
    judge: std::thread::JoinHandle<Judging>,
}

impl Proxy {
    /// A proxy judging by `family`, telling `events` what passes.
    pub fn new(config: ProxyConfig, family: Family, events: Box<dyn Events>) -> Arc<Self> {
        let (jobs, judge) = judging::spawn(family, events, config.keep_secrets);
        Arc::new(Proxy {
            config,
            routes: fileops_api::dialects::ALL
                .iter()
                .map(|d| Catalogue::new(d))
                .collect(),
            jobs,
            judge,
        })
    }

    /// The router that forwards everything.
    pub fn router(self: &Arc<Self>) -> axum::Router {
        axum::Router::new()
            .fallback(forward)
            .with_state(self.clone())
    }

    /// Ends the proxy's judging once every exchange handed over is judged: the verdicts,
    /// or why there are none (`--dialect auto` never decided, or the router is still
    /// serving).
    pub fn finish(self: Arc<Self>, source: &str) -> Result<Traffic, String> {
        let Proxy { jobs, judge, .. } =
            Arc::try_unwrap(self).map_err(|_| "the proxy is still serving")?;
        // The queue closes with its last sender: the judge drains it and ends.
        drop(jobs);
        let judging = judge.join().map_err(|_| "the judge panicked".to_owned())?;
        judging.finish(source)
    }

    fn is_fileops(&self, method: &str, target: &str) -> bool {
        self.routes.iter().any(|r| r.find(method, target).is_some())
    }

    /// Hands `exchange` to the judge; its verdict when the answer waits for one (the
    /// violations header), else `None` at once: judging then keeps pace in the background.
    async fn record(&self, exchange: Recorded, fileops: bool) -> Result<Option<Judged>, String> {
        let wanted = fileops && self.config.violations_header;
        let (reply, verdict) = if wanted {
            let (sender, receiver) = tokio::sync::oneshot::channel();
            (Some(sender), Some(receiver))
        } else {
            (None, None)
        };
        self.jobs
            .send(Job {
                exchange,
                fileops,
                reply,
            })
            .await
            .map_err(|_| "the judge has stopped".to_owned())?;
        Ok(match verdict {
            Some(receiver) => receiver.await.ok().flatten(),
            None => None,
        })
    }
}

/// The headers to pass on: all but the hop-by-hop ones, those `Connection` names, `Host`
/// (the client sets the portal's) and, when the body is re-sent whole, `Content-Length`.
fn passed_on(headers: &HeaderMap, keep_length: bool) -> HeaderMap {
    let named: Vec<String> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_ascii_lowercase())
        .collect();
    let mut kept = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let n = name.as_str();
        let dropped = HOP_BY_HOP.contains(&n)
            || named.iter().any(|c| c == n)
            || name == header::HOST
            || (name == header::CONTENT_LENGTH && !keep_length);
        if !dropped {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}

/// Headers as text, for the recording.
fn as_text(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
        .collect()
}

async fn forward(State(proxy): State<Arc<Proxy>>, request: Request) -> Response {
    let target = parts_target(&proxy, &request);
    let fileops = proxy.is_fileops(request.method().as_str(), &target);
    let answer = if fileops {
        judged(&proxy, request, target).await
    } else {
        streamed(&proxy, request, target).await
    };
    answer.unwrap_or_else(|message| {
        Response::builder()
            .status(StatusCode::BAD_GATEWAY)
            .body(Body::from(message))
            .unwrap_or_default()
    })
}

fn parts_target(proxy: &Proxy, request: &Request) -> String {
    format!(
        "{}{}",
        proxy.config.upstream.trim_end_matches('/'),
        request.uri().path_and_query().map_or("/", |p| p.as_str())
    )
}

/// A fileops exchange: both bodies read whole, the answer judged before it is passed on.
async fn judged(proxy: &Proxy, request: Request, target: String) -> Result<Response, String> {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|e| format!("the request body: {e}"))?;
    let headers = passed_on(&parts.headers, false);
    let answer = proxy
        .config
        .client
        .request(parts.method.clone(), &target)
        .headers(headers.clone())
        .body(body.clone())
        .send()
        .await
        .map_err(|e| format!("the portal did not answer: {e}"))?;
    let status = answer.status();
    let answer_headers = passed_on(answer.headers(), false);
    let bytes = answer
        .bytes()
        .await
        .map_err(|e| format!("the portal's answer: {e}"))?;
    let exchange = Recorded {
        index: 0,
        method: parts.method.to_string(),
        url: target,
        request_headers: as_text(&headers),
        request_body: (!body.is_empty()).then(|| String::from_utf8_lossy(&body).into_owned()),
        status: status.as_u16(),
        headers: as_text(&answer_headers),
        body: bytes.to_vec(),
    };
    let verdict = proxy.record(exchange, true).await?;
    let mut response = Response::builder().status(status);
    if let Some(headers) = response.headers_mut() {
        *headers = answer_headers;
        if let Some(value) = verdict.as_ref().and_then(|v| violations(proxy, v)) {
            headers.insert(HeaderName::from_static("x-fileops-violations"), value);
        }
    }
    response
        .body(Body::from(bytes))
        .map_err(|e| format!("the answer: {e}"))
}

/// `X-Fileops-Violations`: the broken rules' ids, when asked for and there are any.
fn violations(proxy: &Proxy, judged: &Judged) -> Option<HeaderValue> {
    if !proxy.config.violations_header || judged.violations.is_empty() {
        return None;
    }
    let mut rules: Vec<&str> = judged.violations.iter().map(|v| v.rule.id()).collect();
    rules.dedup();
    HeaderValue::from_str(&rules.join(", ")).ok()
}

/// Any other exchange: both bodies stream through as they come, lengths kept.
async fn streamed(proxy: &Proxy, request: Request, target: String) -> Result<Response, String> {
    let (parts, body) = request.into_parts();
    let headers = passed_on(&parts.headers, true);
    let answer = proxy
        .config
        .client
        .request(parts.method.clone(), &target)
        .headers(headers.clone())
        .body(reqwest::Body::wrap_stream(body.into_data_stream()))
        .send()
        .await
        .map_err(|e| format!("the portal did not answer: {e}"))?;
    let status = answer.status();
    let answer_headers = passed_on(answer.headers(), true);
    proxy
        .record(
            Recorded {
                index: 0,
                method: parts.method.to_string(),
                url: target,
                request_headers: as_text(&headers),
                request_body: None,
                status: status.as_u16(),
                headers: as_text(&answer_headers),
                body: Vec::new(),
            },
            false,
        )
        .await?;
    let mut response = Response::builder().status(status);
    if let Some(headers) = response.headers_mut() {
        *headers = answer_headers;
    }
    response
        .body(Body::from_stream(answer.bytes_stream()))
        .map_err(|e| format!("the answer: {e}"))
}
