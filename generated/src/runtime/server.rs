//! Serving the handler trait over HTTP for one dialect: routing by the operation catalogue,
//! lenient reading of path, query and body, the dialect's envelopes, status codes, format
//! suffixes and unauthenticated answers.
//!
//! The generated `router` module plugs the trait in through [`Dispatch`]; nothing here
//! names a generated item.

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use percent_encoding::percent_decode_str;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::binding::{self, NameValueBody};
use super::buffer::Content;
use super::codec;
use super::context::RequestContext;
use super::dialect::{Dialect, Format, MediaRefusal, RequestBinding};
use super::envelope::{ApiError, ErrorEnvelope, Link, ProblemDetails, Success};
use super::error::{DecodeError, EncodeError};
use super::lenient::{Reading, Source};
use super::model::Model;
use super::operation::{OperationInfo, ParamLocation};
use super::route::Routes;
use super::shape::Shape;

/// The largest request body read; a larger one gets 413 in the dialect's error envelope.
pub const BODY_LIMIT: usize = 1 << 20;

/// A boxed, `Send` response future.
pub type ResponseFuture = Pin<Box<dyn Future<Output = Response> + Send>>;

/// What the generated code gives the router: a function from a matched call to a response.
pub type Dispatch = Arc<dyn Fn(Call) -> ResponseFuture + Send + Sync>;

/// A request matched to an operation, with everything a handler needs to read it.
#[derive(Debug, Clone)]
pub struct Call {
    /// The operation matched.
    pub operation: &'static OperationInfo,
    /// Dialect, format and token.
    pub context: RequestContext,
    /// Path parameters by template name, percent-decoded.
    pub path: Vec<(&'static str, String)>,
    /// Query pairs in order, percent-decoded.
    pub query: Vec<(String, String)>,
    /// Request headers.
    pub headers: HeaderMap,
    /// The body as received.
    pub body: Bytes,
    /// The request's URI as received (with the `Host` header, its address for DocSpace's
    /// `links`).
    pub uri: Uri,
    /// The request method.
    pub method: Method,
    /// A non-JSON body, where the dialect binds name-value pairs.
    pub fields: Option<NameValueBody>,
}

impl Call {
    /// The request as a link: its absolute address (upstream's link is the address the
    /// request was sent to) and method.
    pub fn link(&self) -> Link {
        let host = self.headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let href = match host {
            Some(host) if self.uri.scheme().is_none() => {
                let path = self.uri.path_and_query().map_or("", |p| p.as_str());
                ["http://", host, path].concat()
            }
            _ => self.uri.to_string(),
        };
        Link {
            href,
            action: self.method.as_str().to_owned(),
        }
    }

    /// The links of an answer to this call in `dialect`: the request itself, where the
    /// dialect writes links at all.
    fn links(&self) -> Vec<Link> {
        if self.context.dialect.links {
            vec![self.link()]
        } else {
            Vec::new()
        }
    }

    /// The raw text values a parameter was sent with (query names any case, or `name[]`).
    fn raw_values(&self, name: &str) -> Vec<String> {
        let location = self
            .operation
            .params
            .iter()
            .find(|p| p.name == name)
            .map_or(ParamLocation::Query, |p| p.location);
        match location {
            ParamLocation::Path => self
                .path
                .iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .collect(),
            ParamLocation::Query => self
                .query
                .iter()
                .filter(|(k, _)| k.strip_suffix("[]").unwrap_or(k).eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
                .collect(),
            ParamLocation::Header => self
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_owned))
                .collect(),
        }
    }

    /// An optional parameter, read leniently (numbers, names, `True`...).
    pub fn param<T: Model>(&self, name: &str) -> Result<Option<T>, DecodeError> {
        let mut values = self.raw_values(name);
        let value = match T::SHAPE {
            Shape::Array(_) if values.is_empty() => return Ok(None),
            Shape::Array(_) => Content::Seq(values.into_iter().map(Content::Str).collect()),
            _ => match values.pop() {
                None => return Ok(None),
                Some(v) => Content::Str(v),
            },
        };
        let how = Reading::request(Source::Xml, self.context.dialect);
        codec::read_content(value, T::SHAPE, how, &format!("/{name}")).map(Some)
    }

    /// A required parameter.
    pub fn required<T: Model>(&self, name: &str) -> Result<T, DecodeError> {
        self.param(name)?.ok_or_else(|| {
            DecodeError::new(
                format!("/{name}"),
                format!("the parameter {name} is required"),
            )
        })
    }

    /// A list parameter (empty when not sent).
    pub fn list<T: Model>(&self, name: &str) -> Result<Vec<T>, DecodeError> {
        self.param::<Vec<T>>(name).map(Option::unwrap_or_default)
    }

    /// The body, read leniently; an empty body reads as `{}`. Where the dialect binds
    /// name-value pairs (reference §2c), the query's fields join it and a form, multipart or
    /// XML body is read as text fields.
    pub fn body<T: Model>(&self) -> Result<T, DecodeError> {
        let dialect = self.context.dialect;
        if let Some(fields) = &self.fields {
            return binding::read(fields, &self.body, &self.query, dialect);
        }
        let text: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &self.body
        };
        let how = Reading::request(Source::Json, dialect);
        match dialect.behaviour.request_binding {
            RequestBinding::NameValue if !self.query.is_empty() => {
                binding::read_json_with_query(text, T::SHAPE, &self.query, how)
            }
            _ => codec::read_json(text, T::SHAPE, how),
        }
    }
}

/// Builds the router: every request goes through the catalogue, then `dispatch`.
pub fn router(
    dialect: &'static Dialect,
    catalogue: &'static [OperationInfo],
    dispatch: Dispatch,
) -> Router {
    let routes = Arc::new(Routes::new(catalogue, dialect));
    Router::new().fallback(move |request: Request<Body>| {
        let dispatch = dispatch.clone();
        let routes = routes.clone();
        async move { serve(dialect, &routes, dispatch, request).await }
    })
}

async fn serve(
    dialect: &'static Dialect,
    routes: &Routes,
    dispatch: Dispatch,
    request: Request<Body>,
) -> Response {
    let (parts, body) = request.into_parts();
    let raw_path = parts.uri.path();
    let (mut format, path) = dialect.format_for_path(raw_path);
    // Workspace converts to XML only when the request itself is not JSON (reference §4b).
    let json_request = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim_start().starts_with("application/json"));
    if format == Format::Xml && json_request {
        format = Format::Json;
    }
    let reply = Reply { dialect, format };
    let Some((operation, params)) = routes.find(&parts.method, path) else {
        return reply.error(
            404,
            ApiError::new(format!("No operation answers {} {raw_path}", parts.method)),
        );
    };
    let authorization = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| auth_cookie(&parts.headers));
    let context = RequestContext {
        dialect,
        format,
        authorization,
    };
    if context.token().is_none() && !operation.lets_in_anonymous(dialect) {
        return unauthorized(dialect);
    }
    let body = match read_body(body).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return reply.error(
                413,
                ApiError::new(format!(
                    "The request body is larger than {BODY_LIMIT} bytes"
                )),
            )
        }
    };
    let refused = refuses_media(operation, dialect, json_request, &body);
    let fields = if refused {
        None
    } else {
        match name_value_fields(operation, dialect, &parts.headers, &body).await {
            Ok(fields) => fields,
            Err(problem) => return reply.error(400, ApiError::new(problem.to_string())),
        }
    };
    let call = Call {
        operation,
        context,
        path: params,
        query: parse_query(parts.uri.query().unwrap_or("")),
        headers: parts.headers,
        body,
        uri: parts.uri,
        method: parts.method,
        fields,
    };
    if refused {
        return refuse_media(&call);
    }
    dispatch(call).await
}

/// The token a request carries in the `asc_auth_key` cookie, which both families read when
/// no `Authorization` header is sent (reference §8).
fn auth_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == "asc_auth_key")
        .map(|(_, token)| token.to_owned())
}

/// The whole body, up to [`BODY_LIMIT`] bytes; a request that says it has none (most GETs)
/// is not collected at all.
async fn read_body(body: Body) -> Result<Bytes, axum::Error> {
    if body.size_hint().exact() == Some(0) {
        return Ok(Bytes::new());
    }
    axum::body::to_bytes(body, BODY_LIMIT).await
}

/// A non-JSON body's fields where the dialect binds name-value pairs (reference §2c): XML
/// elements, multipart fields, or form fields for any other content type.
async fn name_value_fields(
    operation: &OperationInfo,
    dialect: &Dialect,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Option<NameValueBody>, DecodeError> {
    if dialect.behaviour.request_binding != RequestBinding::NameValue || operation.body.is_none() {
        return Ok(None);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let blank = body.iter().all(u8::is_ascii_whitespace);
    Ok(match binding::BodyMedia::of(content_type) {
        binding::BodyMedia::Json => None,
        _ if blank => None,
        binding::BodyMedia::Xml => Some(NameValueBody::xml(body)?),
        binding::BodyMedia::Multipart => Some(NameValueBody::Pairs(
            binding::multipart_fields(content_type.unwrap_or(""), body.clone()).await?,
        )),
        binding::BodyMedia::Form => Some(NameValueBody::Pairs(binding::form_fields(body))),
    })
}

/// Whether a body must be refused for its content type: where the catalogue documents a
/// 415 for the dialect, only JSON bodies are bound (DocSpace's `[FromBody]`).
fn refuses_media(
    operation: &OperationInfo,
    dialect: &Dialect,
    json_request: bool,
    body: &[u8],
) -> bool {
    let documents_415 = operation
        .responses
        .iter()
        .any(|r| r.status == Some(415) && dialect.is_in(r.dialects));
    documents_415
        && operation.body.is_some()
        && !json_request
        && !body.iter().all(u8::is_ascii_whitespace)
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// How answers are written for one request: the dialect and the format asked for.
#[derive(Clone, Copy)]
struct Reply {
    dialect: &'static Dialect,
    format: Format,
}

impl Reply {
    fn of(call: &Call) -> Self {
        Self {
            dialect: call.context.dialect,
            format: call.context.format,
        }
    }

    fn body(self, status: u16, text: Result<String, EncodeError>) -> Response {
        let content_type = match self.format {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        };
        match text {
            Ok(text) => respond(status, Some(content_type), text),
            // The server's own value could not be written: its fault, said plainly.
            Err(e) => respond(500, Some("text/plain; charset=utf-8"), e.to_string()),
        }
    }

    fn error(self, status: u16, error: ApiError) -> Response {
        let envelope = ErrorEnvelope::Error {
            status_code: status,
            error,
        };
        self.body(
            status,
            codec::encode_error(&envelope, self.dialect, self.format),
        )
    }
}

fn respond(status: u16, content_type: Option<&'static str>, text: String) -> Response {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(content_type) = content_type {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    response
}

/// A success envelope around `payload`, with the request as DocSpace's link.
pub fn success<T: Model>(call: &Call, status: u16, payload: T) -> Response {
    let mut success = Success::with_status(payload, status);
    success.links = call.links();
    let reply = Reply::of(call);
    reply.body(
        status,
        codec::encode_success(&success, reply.dialect, reply.format),
    )
}

/// The dialect's error envelope.
pub fn error(call: &Call, status: u16, error: ApiError) -> Response {
    Reply::of(call).error(status, error)
}

/// The dialect's answer to a request without a valid token.
pub fn unauthorized(dialect: &'static Dialect) -> Response {
    let rule = dialect.unauthorized;
    if rule.envelope {
        let reply = Reply {
            dialect,
            format: Format::Json,
        };
        return reply.error(rule.status, ApiError::new(rule.body));
    }
    respond(rule.status, rule.content_type, rule.body.to_owned())
}

/// The dialect's answer to a caller whose credentials the handler rejected: its 401 and,
/// where the dialect challenges, `WWW-Authenticate` naming the rejected scheme and the host
/// (Community Server's Basic and Bearer authorizers, reference §8).
pub fn refuse_caller(call: &Call) -> Response {
    let dialect = call.context.dialect;
    let mut response = unauthorized(dialect);
    let scheme = call
        .context
        .authorization
        .as_deref()
        .and_then(|a| a.split_whitespace().next())
        .filter(|s| s.eq_ignore_ascii_case("bearer") || s.eq_ignore_ascii_case("basic"));
    if let (true, Some(scheme)) = (dialect.unauthorized.challenge, scheme) {
        let host = call
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let value = format!("{scheme} Realm=\"{host}\"");
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
    }
    response
}

/// The dialect's 415 to a body of a media type the operation does not bind (DocSpace's
/// `[FromBody]`, reference §4a): problem details in the success envelope, or the error
/// envelope, as the dialect's `unsupported-media` says.
fn refuse_media(call: &Call) -> Response {
    let media = call
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("none");
    let message =
        format!("The body's content type ({media}) is not supported; send application/json");
    let status = match call.context.dialect.unsupported_media {
        MediaRefusal::ErrorEnvelope => return error(call, 415, ApiError::new(message)),
        MediaRefusal::ProblemDetails => 0,
        MediaRefusal::ValidationProblemDetails => 1,
    };
    let problem = ProblemDetails {
        kind: Some("https://tools.ietf.org/html/rfc9110#section-15.5.16".into()),
        title: Some("Unsupported Media Type".into()),
        status: Some(415),
        ..ProblemDetails::default()
    };
    let mut success = Success::with_status(problem, 415);
    success.status = status;
    success.links = call.links();
    let reply = Reply::of(call);
    reply.body(
        415,
        codec::encode_success(&success, reply.dialect, reply.format),
    )
}

/// The dialect's answer to input that could not be read: 400, naming the field and why.
pub fn invalid(call: &Call, problem: DecodeError) -> Response {
    let field = if problem.field().is_empty() {
        "body"
    } else {
        problem.field()
    };
    let mut details = ProblemDetails {
        kind: Some("https://tools.ietf.org/html/rfc9110#section-15.5.1".into()),
        title: Some("One or more validation errors occurred.".into()),
        status: Some(400),
        trace_id: None,
        ..ProblemDetails::default()
    };
    details
        .errors
        .insert(field.to_owned(), vec![problem.message.clone()]);
    let envelope = ErrorEnvelope::Validation {
        status_code: 400,
        problem: details,
        links: call.links(),
    };
    let reply = Reply::of(call);
    reply.body(
        400,
        codec::encode_error(&envelope, reply.dialect, reply.format),
    )
}

/// A JSON body without an envelope.
pub fn plain<T: Model>(call: &Call, status: u16, payload: T) -> Response {
    Reply {
        dialect: call.context.dialect,
        format: Format::Json,
    }
    .body(status, codec::encode_json(&payload, call.context.dialect))
}

/// A text body.
pub fn text(status: u16, body: String) -> Response {
    respond(status, Some("text/plain; charset=utf-8"), body)
}

/// No body.
pub fn empty(status: u16) -> Response {
    respond(status, None, String::new())
}
