//! `run`: check the selected targets and write the reports.

use fileops_api::runtime::Dialect;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use super::args::{FormatChoice, RunArgs};
use super::output::{Printer, Verbosity};
use super::tokens::{self, Tokens};
use super::{selection, Failure};
use fileops_conformance::context::Target;
use fileops_conformance::embedded;
use fileops_conformance::report::{
    self, DialectProfile, ReportError, RunInfo, SelectionInfo, Summary,
};
use fileops_conformance::runner::{self, CheckResult, Selection};

/// What the arguments ask for, checked before anything is printed.
struct Plan {
    url: Option<String>,
    tokens: Tokens,
    dialects: Vec<&'static Dialect>,
    selection: Selection,
    info: SelectionInfo,
}

impl Plan {
    /// The plan; `decided` is what `--dialect auto` decided.
    fn of(args: &RunArgs, decided: Option<&'static Dialect>) -> Result<Self, Failure> {
        let tokens = tokens_of(args)?;
        let dialects = match decided {
            Some(dialect) => vec![dialect],
            None => dialects(args)?,
        };
        let selection = Selection {
            include: args.include.clone(),
            exclude: args.exclude.clone(),
            xml: matches!(args.format, FormatChoice::Xml | FormatChoice::Both),
            json: matches!(args.format, FormatChoice::Json | FormatChoice::Both),
        };
        let info = SelectionInfo {
            include: args.include.clone(),
            exclude: args.exclude.clone(),
            format: args.format.name().to_owned(),
            read_only: args.read_only,
        };
        selection::ensure_some(&selection, &dialects, &info).map_err(Failure::Usage)?;
        Ok(Plan {
            url: args.url.clone(),
            tokens,
            dialects,
            selection,
            info,
        })
    }
}

/// The tokens, from the flags, the token file or the environment; one is needed with --url.
fn tokens_of(args: &RunArgs) -> Result<Tokens, Failure> {
    let flags = Tokens {
        token: args.token.clone(),
        token2: args.token2.clone(),
    };
    let tokens = tokens::resolve(flags, args.token_file.as_deref(), |name| {
        std::env::var(name).ok()
    })
    .map_err(Failure::Usage)?;
    if args.url.is_some() && tokens.token.is_none() {
        return Err(Failure::Usage(
            "a token is needed with --url: pass --token, set FILEOPS_TOKEN or use --token-file"
                .into(),
        ));
    }
    Ok(tokens)
}

/// `--dialect auto`: the family the server's answer to `GET files/@my` shows (a read: it
/// changes nothing), printed with why.
async fn decide(args: &RunArgs) -> Result<&'static Dialect, Failure> {
    let Some(url) = &args.url else {
        return Err(Failure::Usage(
            "--dialect auto decides from a server's answers: it needs --url".into(),
        ));
    };
    let token = tokens_of(args)?.token.unwrap_or_default();
    let mut builder = Target::builder(url.clone(), &fileops_api::dialects::DOCSPACE)
        .token(token.clone())
        .request_timeout(Duration::from_secs(args.request_timeout))
        .insecure(args.insecure);
    if let Some(ca) = &args.ca_cert {
        builder = builder.ca_cert(ca.clone());
    }
    let target = builder.build().map_err(|e| Failure::Usage(e.to_string()))?;
    let address = format!("{}/api/2.0/files/@my", url.trim_end_matches('/'));
    let secrets = fileops_conformance::secrets::Secrets::of(&target);
    let body = async {
        let answer = target
            .http()
            .get(&address)
            .header("Authorization", &token)
            .send()
            .await?;
        answer.bytes().await
    }
    .await
    .map_err(|e| {
        Failure::Usage(secrets.text(&format!(
            "--dialect auto: cannot read {address}: {}",
            fileops_api::runtime::client::error_chain(&e)
        )))
    })?;
    let decision = fileops_conformance::detect::decide([&body[..]])
        .map_err(|e| Failure::Usage(format!("--dialect auto: {e}")))?;
    super::note(&format!(
        "--dialect auto: {} ({})",
        decision.dialect.name, decision.why
    ));
    Ok(decision.dialect)
}

fn dialects(args: &RunArgs) -> Result<Vec<&'static Dialect>, Failure> {
    Ok(match &args.dialect {
        Some(name) => vec![fileops_api::dialects::by_name(name)
            .ok_or_else(|| Failure::Usage(format!("unknown dialect {name}")))?],
        None if args.url.is_some() => vec![&fileops_api::dialects::DOCSPACE],
        None => fileops_api::dialects::ALL.to_vec(),
    })
}

/// Runs the checks; the exit code of their verdict.
pub fn run(args: RunArgs) -> Result<u8, Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(format!("cannot start the runtime: {e}")))?;
    if args.insecure {
        super::warn(
            "--insecure: TLS certificate verification is OFF; anyone on the way to the server \
             can read and change the traffic, tokens included. Never certify this way.",
        );
    }
    let decided = match args.dialect.as_deref() {
        Some("auto") => Some(runtime.block_on(decide(&args))?),
        _ => None,
    };
    let plan = Plan::of(&args, decided)?;
    runtime.block_on(execute(&plan, &args))
}

fn run_info(plan: &Plan, args: &RunArgs) -> RunInfo {
    RunInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        target: plan
            .url
            .as_deref()
            .map_or("embedded reference".to_owned(), shown_url),
        dialects: plan.dialects.iter().map(|d| d.name.to_owned()).collect(),
        seed: args.seed,
        cases: args.cases,
        selection: plan.info.clone(),
        started: SystemTime::now(),
        elapsed: Duration::ZERO,
    }
}

/// The address as the header shows it: a password in it is masked.
fn shown_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

fn verbosity(args: &RunArgs) -> Verbosity {
    if args.quiet {
        Verbosity::Quiet
    } else if args.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    }
}

async fn execute(plan: &Plan, args: &RunArgs) -> Result<u8, Failure> {
    let mut info = run_info(plan, args);
    let clock = Instant::now();
    let mut printer = Printer::new(verbosity(args));
    printer.header(&info)?;
    let targets = targets(plan, args).await?;
    let mut all = Vec::new();
    let mut profiles = Vec::new();
    for target in targets {
        let dialect = target.dialect.name;
        printer.begin(dialect, selection::count(&plan.selection, dialect));
        let run = runner::run(target, &plan.selection, |r| printer.result(r)).await;
        printer.end();
        let run = run.map_err(|e| Failure::Usage(e.0))?;
        // The dialect ran to its teardown, so no test data is left behind.
        if printer.is_closed() {
            return Err(Failure::ClosedPipe);
        }
        all.extend(run.results);
        profiles.push(DialectProfile {
            dialect: run.dialect,
            facts: run.profile,
        });
    }
    info.elapsed = clock.elapsed();
    let paths = ReportPaths {
        junit: args.junit.as_deref(),
        json: args.report.as_deref(),
        html: args.html.as_deref(),
    };
    write_reports(&all, &profiles, &info, &paths)?;
    printer.closing(&all, &profiles, info.elapsed)?;
    Ok(Summary::of(&all).exit_code(args.strict))
}

/// Every target, built (and so checked) before any check runs.
async fn targets(plan: &Plan, args: &RunArgs) -> Result<Vec<Target>, Failure> {
    let mut targets = Vec::new();
    for &dialect in &plan.dialects {
        let (base_url, token, token2) = match &plan.url {
            Some(url) => (
                url.clone(),
                plan.tokens.token.clone().unwrap_or_default(),
                plan.tokens.token2.clone(),
            ),
            None => {
                let server = embedded::start(dialect).await.map_err(|e| {
                    Failure::Usage(format!("cannot start the embedded reference: {e}"))
                })?;
                (server.base_url, server.token, Some(server.token2))
            }
        };
        let mut builder = Target::builder(base_url, dialect)
            .token(token)
            .token2(token2)
            .timeout(Duration::from_secs(args.timeout))
            .request_timeout(Duration::from_secs(args.request_timeout))
            .seed(args.seed)
            .cases(args.cases)
            .insecure(args.insecure)
            .read_only(args.read_only);
        if let Some(ca) = &args.ca_cert {
            builder = builder.ca_cert(ca.clone());
        }
        targets.push(builder.build().map_err(|e| Failure::Usage(e.to_string()))?);
    }
    Ok(targets)
}

/// Renders one report of the results and the profiles.
type Render = fn(&[CheckResult], &[DialectProfile], &RunInfo) -> Result<String, ReportError>;

/// Where the reports go (each optional).
pub(super) struct ReportPaths<'a> {
    pub junit: Option<&'a Path>,
    pub json: Option<&'a Path>,
    pub html: Option<&'a Path>,
}

pub(super) fn write_reports(
    results: &[CheckResult],
    profiles: &[DialectProfile],
    info: &RunInfo,
    paths: &ReportPaths<'_>,
) -> Result<(), Failure> {
    let reports: [(Option<&Path>, Render); 3] = [
        (paths.junit, report::junit),
        (paths.json, report::json),
        (paths.html, |r, p, i| Ok(report::html(r, p, i))),
    ];
    for (path, render) in reports {
        let Some(path) = path else { continue };
        let text = render(results, profiles, info).map_err(|e| Failure::Usage(e.0))?;
        std::fs::write(path, text)
            .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}
