//! `fileops-reference [--dialect docspace|workspace|r7] [--listen ADDR] [--user NAME=TOKEN]...
//! [--reading FACT=READING]... [--fault NAME]...`, `fileops-reference --list-readings` and
//! `fileops-reference --list-faults`.
//!
//! Serves the emulator until Ctrl-C or SIGTERM; `--log-requests` logs every request. Without `--user`, the demo users `alice`
//! (token `alice-token`) and `bob` (token `bob-token`) exist; a user's password is its token.

use clap::Parser;
use std::net::SocketAddr;

use fileops_reference::faults::{Fault, ALL};
use fileops_reference::{Config, Reference};

#[derive(Parser)]
#[command(
    name = "fileops-reference",
    version,
    about = "A faithful fileops server emulator (DocSpace, Workspace, R7)"
)]
struct Cli {
    /// The dialect to speak.
    #[arg(long, default_value = "docspace", value_parser = ["docspace", "workspace", "r7"])]
    dialect: String,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// A user as NAME=TOKEN (repeatable); replaces the demo users.
    #[arg(long = "user", value_parser = parse_user)]
    users: Vec<(String, String)>,
    /// Break the emulator on purpose, to prove a checker catches it (repeatable; see
    /// --list-faults).
    #[arg(long = "fault", value_parser = parse_fault)]
    faults: Vec<&'static Fault>,
    /// Print one line per fault (name, dialects, what it breaks) and exit.
    #[arg(long)]
    list_faults: bool,
    /// Take another reading of an open fact, a point the reference notes leave open
    /// (repeatable; see --list-readings). Every reading is faithful.
    #[arg(long = "reading", value_parser = parse_reading)]
    readings: Vec<(String, String)>,
    /// Print every open fact with its readings (the dialects' defaults marked) and exit.
    #[arg(long)]
    list_readings: bool,
    /// Milliseconds a download spends packing each entry (a slow store, so a running
    /// download can be observed; 0 by default).
    #[arg(long, default_value_t = 0)]
    archive_pace_ms: u64,
    /// Operations of at most this many entries finish before their start is answered (a fast
    /// server; 0, the default, for none).
    #[arg(long, default_value_t = 0)]
    instant_up_to: usize,
    /// Log one line per request (method, address, status). Off by default: the line costs
    /// about a sixth of a small request's time.
    #[arg(long)]
    log_requests: bool,
}

fn parse_fault(name: &str) -> Result<&'static Fault, String> {
    Fault::by_name(name).ok_or_else(|| {
        format!("unknown fault {name:?} (fileops-reference --list-faults lists them)")
    })
}

fn parse_reading(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((fact, reading)) if !fact.is_empty() && !reading.is_empty() => {
            Ok((fact.to_owned(), reading.to_owned()))
        }
        _ => Err(format!(
            "{text:?} is not FACT=READING (--list-readings lists them)"
        )),
    }
}

/// One block per open fact: its id, dialects and title, then each reading, the dialects
/// that hold it by default in brackets.
fn list_readings(out: &mut impl std::io::Write) -> std::io::Result<()> {
    for fact in fileops_api::open_facts::ALL {
        writeln!(
            out,
            "{} [{}] {} ({})",
            fact.id,
            fact.dialects.join(", "),
            fact.title,
            fact.sections.join(", ")
        )?;
        for reading in fact.readings {
            let default = if reading.default_in.is_empty() {
                String::new()
            } else {
                format!(" [default: {}]", reading.default_in.join(", "))
            };
            writeln!(out, "  {}: {}{default}", reading.name, reading.says)?;
        }
    }
    Ok(())
}

fn parse_user(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, token)) if !name.is_empty() && !token.is_empty() => {
            Ok((name.to_owned(), token.to_owned()))
        }
        _ => Err(format!("{text:?} is not NAME=TOKEN")),
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    if cli.list_faults {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        for fault in ALL {
            // A closed pipe (`| head`) ends the listing quietly.
            if writeln!(out, "{}", fault.line()).is_err() {
                break;
            }
        }
        return std::process::ExitCode::SUCCESS;
    }
    if cli.list_readings {
        // A closed pipe (`| head`) ends the listing quietly.
        let _ = list_readings(&mut std::io::stdout().lock());
        return std::process::ExitCode::SUCCESS;
    }
    let Some(dialect) = fileops_api::dialects::by_name(&cli.dialect) else {
        eprintln!("unknown dialect {}", cli.dialect);
        return std::process::ExitCode::from(2);
    };
    let mut config = Config::demo(dialect);
    for (fact, reading) in &cli.readings {
        config = match config.reading(fact, reading) {
            Ok(config) => config,
            Err(e) => {
                eprintln!("--reading {fact}={reading}: {e}");
                return std::process::ExitCode::from(2);
            }
        };
        tracing::info!(fact, reading, "serving another reading of an open fact");
    }
    let dialect = config.dialect;
    if !cli.users.is_empty() {
        config.users = cli.users;
    }
    for fault in &cli.faults {
        if !fault.dialects.contains(&dialect.name) {
            eprintln!("fault {} does not apply to {}", fault.name, dialect.name);
            return std::process::ExitCode::from(2);
        }
        (fault.set)(&mut config.faults);
        tracing::warn!(fault = fault.name, "serving a deliberately broken emulator");
    }
    config.archive_pace = std::time::Duration::from_millis(cli.archive_pace_ms);
    config.instant_up_to = cli.instant_up_to;
    let listener = match tokio::net::TcpListener::bind(cli.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", cli.listen);
            return std::process::ExitCode::from(2);
        }
    };
    let addr = listener.local_addr().unwrap_or(cli.listen);
    let reference = Reference::new(config);
    reference.set_base_url(format!("http://{addr}"));
    let mut app = reference.router();
    if cli.log_requests {
        app = app.layer(axum::middleware::from_fn(log_request));
    }
    println!("listening on http://{addr}");
    tracing::info!(dialect = dialect.name, %addr, "serving");
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
    {
        eprintln!("server error: {e}");
        return std::process::ExitCode::from(1);
    }
    tracing::info!("stopped");
    std::process::ExitCode::SUCCESS
}

/// A request log line per request, through `tracing`.
async fn log_request(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let response = next.run(request).await;
    tracing::info!(%method, %uri, status = response.status().as_u16(), "request");
    response
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
