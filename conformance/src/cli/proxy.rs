//! `proxy`: a validating reverse proxy in front of a portal, until Ctrl-C or SIGTERM.

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::args::ProxyArgs;
use super::output::{Printer, Verbosity};
use super::Failure;
use fileops_conformance::detect::Decision;
use fileops_conformance::proxy::{Events, Family, Proxy, ProxyConfig};
use fileops_conformance::report::{DialectProfile, Summary};
use fileops_conformance::traffic::har::HarWriter;
use fileops_conformance::traffic::har::Recorded;
use fileops_conformance::traffic::Judged;
use fileops_conformance::transport::{self, CaFile, Settings};

/// What the proxy prints and keeps: each exchange that breaks a rule, as it happens, and
/// the HAR file.
struct Shown {
    har: Mutex<Option<HarWriter<std::io::BufWriter<std::fs::File>>>>,
}

impl Events for Shown {
    fn wants_exchanges(&self) -> bool {
        self.har.lock().is_ok_and(|har| har.is_some())
    }

    fn exchange(&self, recorded: &Recorded) {
        if let Ok(mut guard) = self.har.lock() {
            if let Some(writer) = guard.as_mut() {
                let _ = writer.entry(recorded);
            }
        }
    }

    fn judged(&self, judged: &Judged) {
        // The line `validate --har` prints, for the exchanges that break a rule.
        if let Some(text) = super::har::shown(judged, true) {
            let _ = writeln!(std::io::stdout().lock(), "{text}");
        }
    }

    fn decided(&self, decision: &Decision) {
        super::note(&format!(
            "--dialect auto: {} ({})",
            decision.dialect.name, decision.why
        ));
    }
}

/// Serves until stopped; the exit code of the verdict on what passed.
pub fn proxy(args: &ProxyArgs) -> Result<u8, Failure> {
    let family = match args.dialect.as_str() {
        "auto" => Family::Auto,
        name => Family::Named(
            fileops_api::dialects::by_name(name)
                .ok_or_else(|| Failure::Usage(format!("unknown dialect {name}")))?,
        ),
    };
    transport::check_base_url(&args.upstream).map_err(|e| Failure::Usage(e.to_string()))?;
    let client = transport::forwarding_client(&Settings {
        request_timeout: Duration::from_secs(300),
        ca_file: args.ca_cert.clone().map(CaFile::Given),
        insecure: args.insecure,
    })
    .map_err(|e| Failure::Usage(e.to_string()))?;
    let har = match &args.har {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", path.display())))?;
            Some(HarWriter::new(std::io::BufWriter::new(file))?)
        }
        None => None,
    };
    let shown = Arc::new(Shown {
        har: Mutex::new(har),
    });
    let proxy = Proxy::new(
        ProxyConfig {
            upstream: args.upstream.clone(),
            client,
            violations_header: args.violations_header,
            keep_secrets: args.har_keep_secrets,
        },
        family,
        Box::new(shown.clone()),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(format!("cannot start the runtime: {e}")))?;
    let listen = args.listen.clone();
    let router = proxy.router();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .map_err(|e| Failure::Usage(format!("cannot listen on {listen}: {e}")))?;
        super::note(&format!(
            "proxying http://{} to {} ({})",
            listener
                .local_addr()
                .map_or(listen.clone(), |a| a.to_string()),
            args.upstream,
            args.dialect
        ));
        axum::serve(listener, router)
            .with_graceful_shutdown(stopped())
            .await
            .map_err(|e| Failure::Usage(format!("the proxy stopped: {e}")))
    })?;
    drop(runtime);
    let traffic = proxy
        .finish(&format!("proxy to {}", args.upstream))
        .map_err(Failure::Usage);
    if let Some(writer) = shown.har.lock().ok().and_then(|mut g| g.take()) {
        writer.finish()?;
    }
    let traffic = traffic?;
    let dialect = traffic.dialect;
    let mut printer = Printer::new(Verbosity::Quiet);
    printer.line(&format!(
        "{} exchange(s) judged, {} of other APIs left alone",
        traffic.judged, traffic.ignored
    ));
    let profiles = [DialectProfile {
        dialect: dialect.name,
        facts: traffic.profile.clone(),
    }];
    for result in &traffic.results {
        printer.result(result);
    }
    printer.closing(&traffic.results, &profiles, Duration::ZERO)?;
    Ok(Summary::of(&traffic.results).exit_code(args.strict))
}

/// Ctrl-C or SIGTERM.
async fn stopped() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
