//! DocSpace's `{operationType}` route in the reading where it reads kinds by number only
//! (reference §5, §12, an open fact): a name is a binding failure, refused with 400 before
//! the generated router, which reads kinds leniently, sees it.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use fileops_api::runtime::{codec, Dialect, ErrorEnvelope, Format, Link, ProblemDetails};

/// The route's template in the catalogue.
const ROUTE: &str = "/api/2.0/files/fileops/{operationType}";

/// Refuses a kind given by name on the `{operationType}` route.
pub async fn numbers_only(
    State(dialect): State<&'static Dialect>,
    request: Request,
    next: Next,
) -> Response {
    match named_kind(dialect, request.method(), request.uri().path()) {
        Some(name) => refuse(dialect, &request, name),
        None => next.run(request).await,
    }
}

/// The kind's name, when the request lists operations of a kind given by name.
fn named_kind<'p>(dialect: &Dialect, method: &Method, path: &'p str) -> Option<&'p str> {
    if method != Method::GET {
        return None;
    }
    let (_, path) = dialect.format_for_path(path);
    let (parent, segment) = path.trim_end_matches('/').rsplit_once('/')?;
    let (route_parent, _) = ROUTE.rsplit_once('/')?;
    let literal = fileops_api::operations::CATALOGUE.iter().any(|op| {
        op.method == "GET" && op.path.eq_ignore_ascii_case(&format!("{parent}/{segment}"))
    });
    let numeric = segment.parse::<i64>().is_ok();
    (parent.eq_ignore_ascii_case(route_parent) && !literal && !numeric).then_some(segment)
}

fn refuse(dialect: &Dialect, request: &Request, name: &str) -> Response {
    let mut problem = ProblemDetails {
        kind: Some("https://tools.ietf.org/html/rfc9110#section-15.5.1".into()),
        title: Some("One or more validation errors occurred.".into()),
        status: Some(400),
        ..ProblemDetails::default()
    };
    problem.errors.insert(
        "operationType".into(),
        vec![format!("The value '{name}' is not valid.")],
    );
    let links = if dialect.links {
        vec![Link {
            href: request.uri().to_string(),
            action: request.method().as_str().to_owned(),
        }]
    } else {
        Vec::new()
    };
    let envelope = ErrorEnvelope::Validation {
        status_code: 400,
        problem,
        links,
    };
    let body = codec::encode_error(&envelope, dialect, Format::Json).unwrap_or_default();
    let mut response = Response::new(axum::body::Body::from(body));
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}
