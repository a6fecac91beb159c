//! What the reference's benchmarks share: serving on loopback and the PUT that starts an
//! operation.

use fileops_reference::Reference;

/// The demo token of the first user.
pub const ALICE: &str = "alice-token";

/// Serves `app` on a fresh 127.0.0.1:0 listener inside `runtime` (telling `reference` its
/// address, for absolute links); the base address and the server task.
pub fn serve(
    runtime: &tokio::runtime::Runtime,
    app: axum::Router,
    reference: Option<&Reference>,
) -> (String, tokio::task::JoinHandle<()>) {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    if let Some(reference) = reference {
        reference.set_base_url(base.clone());
    }
    let server = runtime.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, server)
}

/// A JSON `PUT` as alice; panics unless it succeeds, so a broken server cannot look fast.
#[allow(dead_code)] // not every benchmark starts operations
pub async fn put(client: &reqwest::Client, url: &str, body: &serde_json::Value) {
    let response = client
        .put(url)
        .header("Authorization", ALICE)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("the server answers");
    let status = response.status();
    let text = response.text().await.expect("body");
    assert!(status.is_success(), "{url}: {status} {text}");
}
