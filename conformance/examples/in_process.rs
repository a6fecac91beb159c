//! Checks a fileops server in this process against the whole catalogue, no network setup:
//! serve its axum router on 127.0.0.1:0 and run the checks against it.
//!
//! ```text
//! cargo run -p fileops-conformance --example in_process [docspace|workspace|r7]
//! ```
//!
//! Exits 0 when every check passed (warnings allowed), 1 when one failed, 2 when a check
//! could not run or the server could not be reached; the same codes as the command line.

use fileops_conformance::embedded;
use fileops_conformance::outcome::Outcome;
use fileops_conformance::report::Summary;
use fileops_reference::{Config, Reference};
use std::process::ExitCode;

// A current-thread runtime: the server and the checks share its one thread (nothing in a
// run blocks it), as in a plain `#[tokio::test]`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let name = std::env::args().nth(1).unwrap_or_else(|| "docspace".into());
    let Some(dialect) = fileops_api::dialects::by_name(&name) else {
        eprintln!("error: unknown dialect {name} (docspace, workspace or r7)");
        return ExitCode::from(2);
    };

    // YOUR SERVER GOES HERE. The reference emulator stands in for it: replace these lines
    // with your own `axum::Router` (or use `embedded::serve_api` with your implementation
    // of `fileops_api::FileopsApi`), and the tokens with two of its users'.
    let theirs = Reference::new(Config::demo(dialect));
    let served = embedded::serve_router_with(
        |base_url| {
            // Only for routers that write absolute links (download URLs).
            theirs.set_base_url(base_url.to_owned());
            theirs.router()
        },
        "alice-token",
        "bob-token",
    )
    .await;
    let server = match served {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: cannot serve on 127.0.0.1: {e}");
            return ExitCode::from(2);
        }
    };

    let results = match embedded::check(&server, dialect, &embedded::every_check()).await {
        Ok(run) => run.results,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for result in &results {
        let detail = match &result.outcome {
            Outcome::Fail { message, .. } | Outcome::Error { message } => message.as_str(),
            Outcome::Pass | Outcome::Skip { .. } => continue,
        };
        println!(
            "{:<5} {}\n      {detail}",
            result.state().to_uppercase(),
            result.id
        );
    }
    let summary = Summary::of(&results);
    println!(
        "{} checks against {} as {}: {} passed, {} failed, {} warnings, {} skipped, {} errors",
        results.len(),
        server.base_url,
        dialect.name,
        summary.pass,
        summary.fail,
        summary.warn,
        summary.skip,
        summary.error
    );
    ExitCode::from(summary.exit_code(false))
}
