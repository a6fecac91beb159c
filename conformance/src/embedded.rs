//! Servers in this process on 127.0.0.1:0: the reference (the command line's default run),
//! or your own, to run the catalogue against from a plain test.
//!
//! A server is served on the calling tokio runtime, so this works from a plain
//! `#[tokio::test]` (a current-thread runtime): the checks and the server take turns on
//! the one thread, and nothing in a run blocks it. Serve an axum [`Router`] with
//! [`serve_router`] (or [`serve_router_with`] when it needs its own address, for absolute
//! links), or a [`FileopsApi`] implementation with [`serve_api`]; then [`check`] it.
//!
//! ```
//! use fileops_api::dialects::DOCSPACE;
//! use fileops_conformance::embedded;
//! use fileops_reference::{Config, Reference};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Your server's router; the reference's stands in for it here.
//! let yours = Reference::new(Config::demo(&DOCSPACE));
//! let server = embedded::serve_router_with(
//!     |base_url| {
//!         yours.set_base_url(base_url.to_owned());
//!         yours.router()
//!     },
//!     "alice-token",
//!     "bob-token",
//! )
//! .await?;
//! // `embedded::every_check()` runs the whole catalogue; a few checks keep the example short.
//! let mut selection = embedded::every_check();
//! selection.include = vec!["envelope.*".into()];
//! let run = embedded::check(&server, &DOCSPACE, &selection).await?;
//! let broken: Vec<_> = run
//!     .results
//!     .iter()
//!     .filter(|r| matches!(r.state(), "fail" | "error"))
//!     .map(|r| r.id)
//!     .collect();
//! assert!(broken.is_empty(), "{broken:?}");
//! # Ok(())
//! # }
//! ```

use axum::Router;
use fileops_api::runtime::Dialect;
use fileops_api::FileopsApi;
use fileops_reference::{Config, Reference, DEMO_USERS};
use std::sync::Arc;

use crate::context::{Target, TargetBuilder};
use crate::runner::{self, Run, Selection, SetupError};

/// A server running in the background of this process, and the tokens to check it with.
/// It runs as long as the runtime that started it.
#[derive(Debug, Clone)]
pub struct Embedded {
    /// Its base address (`http://127.0.0.1:PORT`).
    pub base_url: String,
    /// The first user's token.
    pub token: String,
    /// The second user's token, for the isolation checks; empty when the server has one
    /// user only (they skip then).
    pub token2: String,
}

impl Embedded {
    /// A target for this server in `dialect`, with its tokens: set more on the builder
    /// (seed, cases, timeouts) before [`build`](TargetBuilder::build).
    pub fn target(&self, dialect: &'static Dialect) -> TargetBuilder {
        Target::builder(self.base_url.clone(), dialect)
            .token(self.token.clone())
            .token2(Some(self.token2.clone()).filter(|t| !t.is_empty()))
    }
}

/// Starts the reference for `dialect` and serves it in the background.
pub async fn start(dialect: &'static Dialect) -> std::io::Result<Embedded> {
    serve(Reference::new(Config::demo(dialect))).await
}

/// Serves a configured reference (the demo users) in the background.
pub async fn serve(reference: Reference) -> std::io::Result<Embedded> {
    serve_router_with(
        |base_url| {
            // Download links are absolute: the reference must know where it is served.
            reference.set_base_url(base_url.to_owned());
            reference.router()
        },
        DEMO_USERS[0].1,
        DEMO_USERS[1].1,
    )
    .await
}

/// Serves your own axum router in the background; `token` and `token2` are two of its
/// users' `Authorization` values (`token2` empty: the isolation checks skip).
pub async fn serve_router(
    router: Router,
    token: impl Into<String>,
    token2: impl Into<String>,
) -> std::io::Result<Embedded> {
    serve_router_with(|_| router, token, token2).await
}

/// Like [`serve_router`], for a router that needs its own base address (absolute links,
/// such as download URLs): `make` gets it once the port is bound.
pub async fn serve_router_with(
    make: impl FnOnce(&str) -> Router,
    token: impl Into<String>,
    token2: impl Into<String>,
) -> std::io::Result<Embedded> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let app = make(&base_url);
    tokio::spawn(async move {
        // Ends only with the runtime; a failed accept loop shows as unreachable checks.
        let _ = axum::serve(listener, app).await;
    });
    Ok(Embedded {
        base_url,
        token: token.into(),
        token2: token2.into(),
    })
}

/// Serves your implementation of the generated handler trait in `dialect`, through the
/// generated router (the same routing, envelopes and formats the reference gets).
pub async fn serve_api<A: FileopsApi>(
    api: A,
    dialect: &'static Dialect,
    token: impl Into<String>,
    token2: impl Into<String>,
) -> std::io::Result<Embedded> {
    let router = fileops_api::router::router(Arc::new(api), dialect);
    serve_router(router, token, token2).await
}

/// Every check, in JSON and XML (a dialect without XML skips its XML checks).
pub fn every_check() -> Selection {
    Selection {
        xml: true,
        json: true,
        ..Selection::default()
    }
}

/// Runs the selected checks against an embedded server in `dialect`, with the default
/// seed, cases and timeouts (use [`Embedded::target`] and [`runner::run`] for others): every
/// result and the behaviour profile.
pub async fn check(
    server: &Embedded,
    dialect: &'static Dialect,
    selection: &Selection,
) -> Result<Run, SetupError> {
    let target = server
        .target(dialect)
        .build()
        .map_err(|e| SetupError(e.to_string()))?;
    runner::run(target, selection, |_| {}).await
}
