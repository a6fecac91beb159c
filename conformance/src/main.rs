//! `fileops-conformance run|list`.
//!
//! Exit codes: 0 every check passed (warnings allowed, unless `--strict`), 1 a check failed,
//! 2 usage, configuration or connection error (an unreachable server is never a pass).

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use fileops_conformance::catalogue::CATALOGUE;
use fileops_conformance::context::Target;
use fileops_conformance::embedded;
use fileops_conformance::report::{self, Summary};
use fileops_conformance::runner::{self, CheckResult, Selection};

#[derive(Parser)]
#[command(
    name = "fileops-conformance",
    version,
    about = "Check a fileops server against a dialect"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum BodyFormat {
    Json,
    Xml,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatChoice {
    Json,
    Xml,
    Both,
}

#[derive(clap::Args)]
struct RunArgs {
    /// The server's base address.
    #[arg(long, env = "FILEOPS_URL")]
    url: Option<String>,
    /// A user's token.
    #[arg(long, env = "FILEOPS_TOKEN")]
    token: Option<String>,
    /// A second user's token (isolation checks).
    #[arg(long)]
    token2: Option<String>,
    /// The dialect to check against.
    #[arg(long, value_parser = ["docspace", "workspace", "r7"])]
    dialect: Option<String>,
    /// Which answer formats to check.
    #[arg(long, value_enum, default_value = "both")]
    format: FormatChoice,
    /// Only checks whose id matches (with `*`); repeatable.
    #[arg(long)]
    include: Vec<String>,
    /// Skip checks whose id matches (with `*`); repeatable.
    #[arg(long)]
    exclude: Vec<String>,
    /// Seed for generated cases.
    #[arg(long, default_value_t = 20261122)]
    seed: u64,
    /// Generated cases per property check.
    #[arg(long, default_value_t = 16)]
    cases: u32,
    /// Seconds an operation may take before it counts as hung.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Write a JUnit XML report here.
    #[arg(long)]
    junit: Option<std::path::PathBuf>,
    /// Write a JSON report here.
    #[arg(long)]
    report: Option<std::path::PathBuf>,
    /// Print only failures and the summary.
    #[arg(long)]
    quiet: bool,
    /// Fail the run (exit 1) on a broken SHOULD too: for certification runs.
    #[arg(long)]
    strict: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run the checks (against the embedded reference in every dialect without --url).
    Run(Box<RunArgs>),
    /// Check one captured answer against the schema and the dialect's rules.
    Validate {
        /// The dialect it should follow.
        #[arg(long, value_parser = ["docspace", "workspace", "r7"])]
        dialect: String,
        /// The operation it answers (an operationId).
        #[arg(long)]
        operation: String,
        /// The HTTP status it came with (default: the documented success).
        #[arg(long)]
        status: Option<u16>,
        /// The body's format.
        #[arg(long, value_enum, default_value = "json")]
        format: BodyFormat,
        /// The body: a file, or `-` for standard input.
        file: String,
    },
    /// List the catalogue.
    List,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate {
            dialect,
            operation,
            status,
            format,
            file,
        } => validate(&dialect, &operation, status, format, &file),
        Command::List => {
            for check in CATALOGUE {
                let dialects = if check.dialects.is_empty() {
                    "all".to_owned()
                } else {
                    check.dialects.join(",")
                };
                println!(
                    "{:<48} {:<6} {:<16} {}  [{}]",
                    check.id,
                    format!("{:?}", check.level).to_uppercase(),
                    dialects,
                    check.rule,
                    check.source
                );
            }
            ExitCode::SUCCESS
        }
        Command::Run(args) => {
            let RunArgs {
                url,
                token,
                token2,
                dialect,
                format,
                include,
                exclude,
                seed,
                cases,
                timeout,
                junit,
                report: json_path,
                quiet,
                strict,
            } = *args;
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
            {
                Ok(r) => r,
                Err(e) => return usage(&format!("cannot start the runtime: {e}")),
            };
            let selection = Selection {
                include,
                exclude,
                xml: matches!(format, FormatChoice::Xml | FormatChoice::Both),
                json: matches!(format, FormatChoice::Json | FormatChoice::Both),
            };
            let settings = Settings {
                token2,
                seed,
                cases,
                timeout: Duration::from_secs(timeout),
                quiet: quiet || !std::io::stdout().is_terminal(),
            };
            let results = runtime.block_on(run_all(url, token, dialect, &selection, &settings));
            let results = match results {
                Ok(r) => r,
                Err(message) => return usage(&message),
            };
            println!("\n{}", report::table(&results));
            for (path, text) in [
                (junit, report::junit(&results)),
                (json_path, report::json(&results)),
            ] {
                if let Some(path) = path {
                    if let Err(e) = std::fs::write(&path, text) {
                        return usage(&format!("cannot write {}: {e}", path.display()));
                    }
                }
            }
            ExitCode::from(Summary::of(&results).exit_code(strict))
        }
    }
}

struct Settings {
    token2: Option<String>,
    seed: u64,
    cases: u32,
    timeout: Duration,
    quiet: bool,
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

async fn run_all(
    url: Option<String>,
    token: Option<String>,
    dialect: Option<String>,
    selection: &Selection,
    settings: &Settings,
) -> Result<Vec<CheckResult>, String> {
    let dialects: Vec<&'static fileops_api::runtime::Dialect> = match &dialect {
        Some(name) => vec![fileops_api::dialects::by_name(name)
            .ok_or_else(|| format!("unknown dialect {name}"))?],
        None if url.is_some() => vec![&fileops_api::dialects::DOCSPACE],
        None => fileops_api::dialects::ALL.to_vec(),
    };
    let mut all = Vec::new();
    for dialect in dialects {
        let (base_url, token, token2) = match &url {
            Some(url) => {
                let token = token
                    .clone()
                    .ok_or("--token (or FILEOPS_TOKEN) is needed with --url")?;
                (url.clone(), token, settings.token2.clone())
            }
            None => {
                let server = embedded::start(dialect)
                    .await
                    .map_err(|e| format!("cannot start the embedded reference: {e}"))?;
                (server.base_url, server.token, Some(server.token2))
            }
        };
        if !settings.quiet {
            println!("checking {base_url} as {}", dialect.name);
        }
        let target = Target::builder(base_url, dialect)
            .token(token)
            .token2(token2)
            .timeout(settings.timeout)
            .seed(settings.seed)
            .cases(settings.cases)
            .build()
            .map_err(|e| e.to_string())?;
        let quiet = settings.quiet;
        let results = runner::run(target, selection, |result| {
            if !quiet || !matches!(result.state(), "pass" | "skip") {
                println!("{}", report::line(result));
            }
        })
        .await
        .map_err(|e| e.0)?;
        all.extend(results);
    }
    Ok(all)
}

fn validate(
    dialect: &str,
    operation: &str,
    status: Option<u16>,
    format: BodyFormat,
    file: &str,
) -> ExitCode {
    use fileops_conformance::judge::Severity;
    use std::io::Read;
    let Some(dialect) = fileops_api::dialects::by_name(dialect) else {
        return usage(&format!("unknown dialect {dialect}"));
    };
    let mut body = Vec::new();
    let read = if file == "-" {
        std::io::stdin().read_to_end(&mut body).map(|_| ())
    } else {
        std::fs::read(file).map(|b| body = b)
    };
    if let Err(e) = read {
        return usage(&format!("cannot read {file}: {e}"));
    }
    let format = match format {
        BodyFormat::Json => fileops_api::runtime::Format::Json,
        BodyFormat::Xml => fileops_api::runtime::Format::Xml,
    };
    let violations =
        match fileops_conformance::validate::validate(dialect, operation, status, format, &body) {
            Ok(found) => found,
            Err(e) => return usage(&e.0),
        };
    for v in &violations {
        println!("{v}");
    }
    let failed = violations
        .iter()
        .filter(|v| v.severity == Severity::Fail)
        .count();
    if failed == 0 {
        println!(
            "conforms: {} {} answer of {operation} ({} warning(s))",
            dialect.name,
            status.map_or("success".into(), |s| s.to_string()),
            violations.len()
        );
        ExitCode::SUCCESS
    } else {
        println!("{failed} problem(s)");
        ExitCode::from(1)
    }
}
