//! A reference server on 127.0.0.1:0 with a manual clock, and a small client for tests.
#![allow(dead_code)] // each test binary uses a different part

use fileops_api::runtime::Dialect;
use fileops_reference::clock::ManualClock;
use fileops_reference::{Config, Reference};
use serde_json::{json, Value};
use std::sync::Arc;

/// Alice's token (demo user).
pub const ALICE: &str = "alice-token";
/// Bob's token (demo user).
pub const BOB: &str = "bob-token";

/// A running server.
pub struct Server {
    pub base: String,
    pub reference: Reference,
    pub clock: Arc<ManualClock>,
    pub client: reqwest::Client,
}

/// An answer: status, content type and body.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The envelope's `response`.
    pub fn response(&self) -> Value {
        self.json()["response"].clone()
    }
}

/// Starts a server for `dialect`.
pub async fn start(dialect: &'static Dialect) -> Server {
    start_in(dialect, &[]).await
}

/// A server of `dialect` showing these readings of open facts (`(fact, reading)`).
pub async fn start_in(dialect: &'static Dialect, readings: &[(&str, &str)]) -> Server {
    let clock = Arc::new(ManualClock::at(1_795_350_930_000));
    let mut config = Config::demo(dialect);
    for (fact, reading) in readings {
        config = config
            .reading(fact, reading)
            .expect("a reading of the schema");
    }
    config.clock = clock.clone();
    let reference = Reference::new(config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    reference.set_base_url(base.clone());
    let app = reference.router();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Server {
        base,
        reference,
        clock,
        client: reqwest::Client::new(),
    }
}

/// Both families, for tests that run in each.
pub fn dialects() -> [&'static Dialect; 2] {
    [
        &fileops_api::dialects::DOCSPACE,
        &fileops_api::dialects::WORKSPACE,
    ]
}

impl Server {
    /// Sends a request; `path` starts after `/api/2.0/`.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        self.raw(method, path, token, body.map(|b| b.to_string()))
            .await
    }

    /// Sends a request with a raw body.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> Answer {
        let url = format!("{}/api/2.0/{path}", self.base);
        let mut request = self.client.request(method.parse().expect("method"), &url);
        if body.is_some() {
            request = request.header("Content-Type", "application/json");
        }
        if let Some(token) = token {
            request = request.header("Authorization", token);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = response.text().await.expect("body");
        Answer {
            status,
            content_type,
            body,
        }
    }

    /// A successful call's `response`.
    pub async fn ok(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> Value {
        let answer = self.call(method, path, Some(token), body).await;
        assert!(
            answer.status < 300,
            "{method} {path}: {} {}",
            answer.status,
            answer.body
        );
        answer.response()
    }

    /// The caller's My documents id.
    pub async fn my(&self, token: &str) -> i64 {
        self.ok("GET", "files/@my", token, None).await["current"]["id"]
            .as_i64()
            .expect("id")
    }

    /// The caller's Trash id.
    pub async fn trash(&self, token: &str) -> i64 {
        self.ok("GET", "files/@trash", token, None).await["current"]["id"]
            .as_i64()
            .expect("id")
    }

    /// Creates a folder; its id.
    pub async fn mkdir(&self, token: &str, parent: i64, title: &str) -> i64 {
        self.ok(
            "POST",
            &format!("files/folder/{parent}"),
            token,
            Some(json!({ "title": title })),
        )
        .await["id"]
            .as_i64()
            .expect("id")
    }

    /// Creates a file (title kept as given when it ends in .docx); its id.
    pub async fn touch(&self, token: &str, parent: i64, title: &str) -> i64 {
        self.ok(
            "POST",
            &format!("files/{parent}/file"),
            token,
            Some(json!({ "title": title })),
        )
        .await["id"]
            .as_i64()
            .expect("id")
    }

    /// A folder listing's `response`.
    pub async fn list(&self, token: &str, folder: i64) -> Value {
        self.ok("GET", &format!("files/{folder}"), token, None)
            .await
    }

    /// Titles of a folder's files and folders, sorted.
    pub async fn titles(&self, token: &str, folder: i64) -> (Vec<String>, Vec<String>) {
        let listing = self.list(token, folder).await;
        let titles = |key: &str| {
            let mut t: Vec<String> = listing[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|e| e["title"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            t.sort();
            t
        };
        (titles("files"), titles("folders"))
    }

    /// Starts an operation and waits for it to finish; its final state (read once).
    pub async fn run(&self, method: &str, path: &str, token: &str, body: Value) -> Value {
        let started = self.ok(method, path, token, Some(body)).await;
        let id = started
            .as_array()
            .and_then(|ops| ops.last())
            .and_then(|op| op["id"].as_str())
            .unwrap_or_else(|| panic!("no operation started: {started}"))
            .to_owned();
        self.wait(token, &id).await
    }

    /// Polls the listing until operation `id` is reported finished; its final state.
    /// Bounded: the server's workers only yield, so this converges quickly.
    pub async fn wait(&self, token: &str, id: &str) -> Value {
        for _ in 0..5_000 {
            let ops = self.ok("GET", "files/fileops", token, None).await;
            if let Some(op) = ops
                .as_array()
                .and_then(|a| a.iter().find(|o| o["id"] == id))
            {
                if op["finished"] == true {
                    return op.clone();
                }
            } else if self.reference.engine().peek(id).is_none() {
                panic!("operation {id} vanished without being reported finished");
            }
            tokio::task::yield_now().await;
        }
        panic!("operation {id} did not finish")
    }
}
