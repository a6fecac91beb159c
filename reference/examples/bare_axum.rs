//! The baseline for `reference/benches/outside-load.sh`: a bare axum handler answering
//! `GET /api/2.0/files/fileops` with a small fixed JSON envelope, on the same kind of
//! multi-thread tokio runtime the reference binary uses.
//!
//! `cargo run --release -p fileops-reference --example bare_axum -- 127.0.0.1:8091`

/// What DocSpace answers for a user without active operations (reference §4a): the
/// reference's answer byte for byte, but for the port in the link.
const BODY: &str = r#"{"response":[],"count":1,"links":[{"href":"http://127.0.0.1:8091/api/2.0/files/fileops","action":"GET"}],"status":0,"statusCode":200}"#;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8091".to_owned());
    let listener = match tokio::net::TcpListener::bind(&address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("bare_axum: cannot listen on {address}: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let app = axum::Router::new().route(
        "/api/2.0/files/fileops",
        axum::routing::get(|| async {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                BODY,
            )
        }),
    );
    match axum::serve(listener, app).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bare_axum: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
