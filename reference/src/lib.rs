//! # fileops-reference
//!
//! A faithful emulator of the fileops servers — ONLYOFFICE DocSpace and Workspace/R7 — built
//! on the generated handler trait of `fileops-api`: users with tokens, per-user file trees
//! (My documents, Trash), and an operation engine that runs every fileops request as a
//! background task with upstream's lifecycle rules. The dialect (`fileops_api::dialects`)
//! decides every difference between the families.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use fileops_reference::{Config, Reference};
//! let reference = Reference::new(Config::demo(&fileops_api::dialects::WORKSPACE));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! reference.set_base_url(format!("http://{}", listener.local_addr()?));
//! axum::serve(listener, reference.router()).await
//! # }
//! ```

pub mod api;
pub mod clock;
pub mod dto;
pub mod engine;
pub mod faults;
pub mod gate;
mod kinds;
pub mod ops;
pub mod store;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use fileops_api::runtime::{Dialect, ReadingError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use clock::{Clock, SystemClock};
use engine::Engine;
use gate::Gate;
use ops::download::Package;
use store::Store;

/// The demo users of the command line: `(name, token)`; a user's password is its token.
pub const DEMO_USERS: [(&str, &str); 2] = [("alice", "alice-token"), ("bob", "bob-token")];

/// How to build a reference server.
#[derive(Clone)]
pub struct Config {
    /// The dialect it speaks.
    pub dialect: &'static Dialect,
    /// Users as `(name, token)`.
    pub users: Vec<(String, String)>,
    /// The clock (a manual one in tests).
    pub clock: Arc<dyn Clock>,
    /// Deliberate faults (all off for a faithful emulator).
    pub faults: faults::Faults,
    /// How long packing one entry into a download takes (zero by default): a slow store,
    /// so a client can see a download still running.
    pub archive_pace: std::time::Duration,
    /// Operations of at most this many entries (0: none) run to their end before the request
    /// that started them is answered: a fast server, which a checker must still judge (it
    /// grows its fixtures until it sees an operation running).
    pub instant_up_to: usize,
}

impl Config {
    /// The demo users, the system clock.
    pub fn demo(dialect: &'static Dialect) -> Self {
        Self {
            dialect,
            users: DEMO_USERS
                .iter()
                .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
                .collect(),
            clock: Arc::new(SystemClock),
            faults: faults::Faults::default(),
            archive_pace: std::time::Duration::ZERO,
            instant_up_to: 0,
        }
    }
}

impl Config {
    /// The same server showing reading `reading` of the open fact `fact`: one of the points
    /// the reference notes leave open (`fileops_api::open_facts`), each reading faithful.
    pub fn reading(mut self, fact: &str, reading: &str) -> Result<Self, ReadingError> {
        let known = fileops_api::open_facts::by_id(fact).ok_or_else(|| {
            let ids: Vec<&str> = fileops_api::open_facts::ALL.iter().map(|f| f.id).collect();
            ReadingError(format!(
                "{fact:?} is not an open fact (known: {})",
                ids.join(", ")
            ))
        })?;
        let variant = known.with(self.dialect, reading)?;
        // Routers and statics hold `&'static Dialect`: a variant lives as long as the
        // process (a few hundred bytes per configured server).
        self.dialect = Box::leak(Box::new(variant));
        Ok(self)
    }
}

/// Prepared downloads by key.
pub type Downloads = Arc<Mutex<HashMap<String, Package>>>;

struct Inner {
    dialect: &'static Dialect,
    faults: faults::Faults,
    first_token: String,
    clock: Arc<dyn Clock>,
    gate: Arc<Gate>,
    store: Arc<parking_lot::Mutex<Store>>,
    engine: Arc<Engine>,
    downloads: Downloads,
    base_url: RwLock<String>,
}

/// A running emulator: cheap to clone, shared by the router and tests.
#[derive(Clone)]
pub struct Reference(Arc<Inner>);

impl Reference {
    /// A fresh emulator.
    pub fn new(config: Config) -> Self {
        let gate = Arc::new(Gate::default());
        let store = Store::with_users(&config.users, config.clock.now_ms());
        let mut engine = Engine::new(config.dialect, config.clock.clone(), gate.clone());
        engine.shared_operations = config.faults.shared_operations;
        engine.read_once_broken = config.faults.read_once_broken;
        engine.terminate_others = config.faults.terminate_others;
        engine.terminate_flipped = config.faults.terminate_flipped;
        engine.archive_pace = config.archive_pace;
        engine.instant_up_to = i64::try_from(config.instant_up_to).unwrap_or(i64::MAX);
        let engine = Arc::new(engine);
        Self(Arc::new(Inner {
            dialect: config.dialect,
            faults: config.faults,
            first_token: config
                .users
                .first()
                .map(|(_, t)| t.clone())
                .unwrap_or_default(),
            clock: config.clock,
            gate,
            store: Arc::new(parking_lot::Mutex::new(store)),
            engine,
            downloads: Arc::new(Mutex::new(HashMap::new())),
            base_url: RwLock::new("http://127.0.0.1".into()),
        }))
    }

    /// The dialect spoken.
    pub fn dialect(&self) -> &'static Dialect {
        self.0.dialect
    }

    /// The store, locked.
    pub fn store(&self) -> parking_lot::MutexGuard<'_, Store> {
        self.0.store.lock()
    }

    fn store_handle(&self) -> Arc<parking_lot::Mutex<Store>> {
        self.0.store.clone()
    }

    /// The operation engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.0.engine
    }

    /// The pacing gate (tests close it to watch operations run).
    pub fn gate(&self) -> &Gate {
        &self.0.gate
    }

    fn now(&self) -> u64 {
        self.0.clock.now_ms()
    }

    fn downloads(&self) -> Downloads {
        self.0.downloads.clone()
    }

    /// The absolute address downloads are served under (set it once the listener is bound).
    pub fn set_base_url(&self, url: String) {
        *self.0.base_url.write().unwrap_or_else(|e| e.into_inner()) =
            url.trim_end_matches('/').to_owned();
    }

    fn base_url(&self) -> String {
        self.0
            .base_url
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The HTTP router: the generated fileops router, the download handler, and the
    /// dialect's projection at `/openapi.json` and `/openapi.yaml`.
    pub fn router(&self) -> axum::Router {
        let projection = fileops_api::projections::by_name(self.0.dialect.name);
        let (json, yaml) = projection.map_or(("{}", ""), |p| (p.json, p.yaml));
        let serve: fn(State<Downloads>, Query<HashMap<String, String>>) -> _ =
            if self.0.faults.download_url_broken {
                |_, _| {
                    Box::pin(async { StatusCode::NOT_FOUND.into_response() })
                        as std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send>>
                }
            } else {
                |state, query| Box::pin(serve_download(state, query))
            };
        let downloads = axum::Router::new()
            .route(self.download_handler(), axum::routing::get(serve))
            .with_state(self.downloads())
            .route(
                "/openapi.json",
                axum::routing::get(move || async move {
                    ([(header::CONTENT_TYPE, "application/json")], json)
                }),
            )
            .route(
                "/openapi.yaml",
                axum::routing::get(move || async move {
                    ([(header::CONTENT_TYPE, "application/yaml")], yaml)
                }),
            );
        let mut router =
            fileops_api::router::router(Arc::new(self.clone()), self.0.dialect).merge(downloads);
        if !self.0.dialect.behaviour.operation_type_names {
            router = router.layer(axum::middleware::from_fn_with_state(
                self.0.dialect,
                kinds::numbers_only,
            ));
        }
        if self.0.faults.touches_wire() {
            let wire = faults::Wire {
                faults: self.0.faults,
                token: self.0.first_token.clone(),
            };
            router.layer(axum::middleware::from_fn_with_state(wire, faults::inject))
        } else {
            router
        }
    }

    /// The faults this emulator injects.
    pub fn faults(&self) -> faults::Faults {
        self.0.faults
    }
}

async fn serve_download(
    State(downloads): State<Downloads>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let key = query.get("key").cloned().unwrap_or_default();
    let package = downloads
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    match package {
        Some(p) => {
            let disposition = format!("attachment; filename=\"{}\"", p.name.replace('"', "_"));
            let kind = if p.name.ends_with(".zip") {
                "application/zip"
            } else {
                "application/octet-stream"
            };
            (
                [
                    (header::CONTENT_TYPE, kind.to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                p.bytes,
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "The required file was not found").into_response(),
    }
}
