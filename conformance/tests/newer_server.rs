//! A newer server that writes a folder type no family lists (36, as a newer DocSpace might):
//! the suite still reads every answer, and `wire.enum-unknown` (a SHOULD) reports it as a
//! WARN. The same run against the reference itself passes that check.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::{self, Next};
use axum::response::Response;
use fileops_api::dialects;
use fileops_conformance::embedded;
use fileops_reference::{Config, Reference, DEMO_USERS};

/// Rewrites every `rootFolderType` of My documents (5) into 36, except in the listing of
/// `files/@my` itself: a newer server still names the root it is asked for (§13.2), and
/// `folders.listing` holds it to that.
async fn newer(request: Request, next: Next) -> Response {
    let root_listing = request.uri().path().ends_with("/files/@my");
    let response = next.run(request).await;
    if root_listing {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX)
        .await
        .expect("the reference's body");
    let text =
        String::from_utf8_lossy(&bytes).replace("\"rootFolderType\":5", "\"rootFolderType\":36");
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(text))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unlisted_folder_type_is_a_warning_and_reads_everywhere() {
    let dialect = &dialects::DOCSPACE;
    let reference = Reference::new(Config::demo(dialect));
    let server = embedded::serve_router_with(
        |base| {
            reference.set_base_url(base.to_owned());
            reference.router().layer(middleware::from_fn(newer))
        },
        DEMO_USERS[0].1,
        DEMO_USERS[1].1,
    )
    .await
    .expect("serves");
    let results = embedded::check(&server, dialect, &embedded::every_check())
        .await
        .expect("runs")
        .results;
    let state = |id: &str| {
        results
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.state())
            .unwrap_or("missing")
    };
    assert_eq!(state("wire.enum-unknown"), "warn");
    let broken: Vec<_> = results
        .iter()
        .filter(|r| matches!(r.state(), "error" | "fail"))
        .map(|r| (r.id, format!("{:?}", r.outcome)))
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");

    let plain = embedded::start(dialect).await.expect("serves");
    let results = embedded::check(&plain, dialect, &embedded::every_check())
        .await
        .expect("runs")
        .results;
    let unknown = results
        .iter()
        .find(|r| r.id == "wire.enum-unknown")
        .expect("ran");
    assert_eq!(unknown.state(), "pass");
}
