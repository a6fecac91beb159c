//! `proxy`: a validating reverse proxy in front of a portal, until Ctrl-C or SIGTERM.

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::args::ProxyArgs;
use super::output::{Printer, Verbosity};
use super::Failure;
use fileops_conformance::proxy::{Proxy, ProxyConfig};
use fileops_conformance::report::{DialectProfile, Summary};
use fileops_conformance::traffic::har::HarWriter;
use fileops_conformance::traffic::TrafficJudge;
use fileops_conformance::transport::{self, CaFile, Settings};

type Har = Arc<Mutex<Option<HarWriter<std::io::BufWriter<std::fs::File>>>>>;

/// Serves until stopped; the exit code of the verdict on what passed.
pub fn proxy(args: &ProxyArgs) -> Result<u8, Failure> {
    let dialect = fileops_api::dialects::by_name(&args.dialect)
        .ok_or_else(|| Failure::Usage(format!("unknown dialect {}", args.dialect)))?;
    transport::check_base_url(&args.upstream).map_err(|e| Failure::Usage(e.to_string()))?;
    let client = transport::forwarding_client(&Settings {
        request_timeout: Duration::from_secs(300),
        ca_file: args.ca_cert.clone().map(CaFile::Given),
        insecure: args.insecure,
    })
    .map_err(|e| Failure::Usage(e.to_string()))?;
    let har: Har = Arc::new(Mutex::new(match &args.har {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", path.display())))?;
            Some(HarWriter::new(std::io::BufWriter::new(file))?)
        }
        None => None,
    }));
    let keep_secrets = args.har_keep_secrets;
    let sink = har.clone();
    let on_judged = Box::new(
        move |judged: &fileops_conformance::traffic::Judged,
              recorded: &fileops_conformance::traffic::har::Recorded| {
            if judged.operation.is_some() && !judged.violations.is_empty() {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(
                    out,
                    "#{} {} {} {} {}",
                    judged.index,
                    judged.method,
                    judged.path,
                    judged.status,
                    judged.verdict()
                );
                for v in &judged.violations {
                    let _ = writeln!(out, "       {} at {}: {}", v.rule, v.pointer, v.message);
                }
                let _ = writeln!(out, "       replay: {}", judged.curl);
            }
            if let Ok(mut guard) = sink.lock() {
                if let Some(writer) = guard.as_mut() {
                    let mut kept = recorded.clone();
                    if !keep_secrets {
                        for (name, value) in &mut kept.request_headers {
                            if name.eq_ignore_ascii_case("authorization")
                                || name.eq_ignore_ascii_case("cookie")
                            {
                                *value = "$FILEOPS_TOKEN".into();
                            }
                        }
                    }
                    let _ = writer.entry(&kept);
                }
            }
        },
    );
    let proxy = Proxy::new(
        ProxyConfig {
            upstream: args.upstream.clone(),
            client,
            violations_header: args.violations_header,
        },
        TrafficJudge::new(dialect),
        on_judged,
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
            dialect.name
        ));
        axum::serve(listener, router)
            .with_graceful_shutdown(stopped())
            .await
            .map_err(|e| Failure::Usage(format!("the proxy stopped: {e}")))
    })?;
    drop(runtime);
    if let Some(writer) = har.lock().ok().and_then(|mut g| g.take()) {
        writer.finish()?;
    }
    let traffic = proxy
        .finish(&format!("proxy to {}", args.upstream))
        .ok_or_else(|| Failure::Usage("the proxy's judge is still in use".into()))?;
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
