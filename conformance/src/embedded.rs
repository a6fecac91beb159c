//! The embedded default: a reference server in this process on 127.0.0.1:0.

use fileops_api::runtime::Dialect;
use fileops_reference::{Config, Reference, DEMO_USERS};

/// A running embedded server and the two demo tokens.
pub struct Embedded {
    /// Its base address.
    pub base_url: String,
    /// The first demo user's token.
    pub token: String,
    /// The second demo user's token.
    pub token2: String,
}

/// Starts the reference for `dialect` and serves it in the background.
pub async fn start(dialect: &'static Dialect) -> std::io::Result<Embedded> {
    serve(Reference::new(Config::demo(dialect))).await
}

/// Serves a configured reference (the demo users) in the background.
pub async fn serve(reference: Reference) -> std::io::Result<Embedded> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    reference.set_base_url(base_url.clone());
    let app = reference.router();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(Embedded {
        base_url,
        token: DEMO_USERS[0].1.to_owned(),
        token2: DEMO_USERS[1].1.to_owned(),
    })
}
