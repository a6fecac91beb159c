//! The arguments, as clap reads them.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const DIALECTS: [&str; 3] = ["docspace", "workspace", "r7"];
/// A family, or `auto`: decided from the server's answers.
const DIALECTS_OR_AUTO: [&str; 4] = ["docspace", "workspace", "r7", "auto"];

/// `fileops-conformance`.
#[derive(Parser)]
#[command(
    name = "fileops-conformance",
    version,
    about = "Check a fileops server against a dialect"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Subcommand)]
pub enum Command {
    /// Run the checks (against the embedded reference in every dialect without --url).
    Run(Box<RunArgs>),
    /// Check one captured answer against the schema and the dialect's rules.
    Validate(ValidateArgs),
    /// List the catalogue, or the facts register with its coverage.
    List(ListArgs),
    /// A validating reverse proxy: forward everything to the portal unchanged and judge
    /// every fileops exchange as it passes.
    Proxy(ProxyArgs),
}

/// `proxy`'s arguments.
#[derive(clap::Args)]
pub struct ProxyArgs {
    /// The portal's base address.
    #[arg(long)]
    pub upstream: String,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8081")]
    pub listen: String,
    /// The dialect the portal should follow; `auto` decides it from the first fileops answer
    /// that shows it (exchanges before it are judged once it is decided).
    #[arg(long, value_parser = DIALECTS_OR_AUTO, default_value = "docspace")]
    pub dialect: String,
    /// Keep the traffic as a HAR 1.2 file (tokens masked unless --har-keep-secrets).
    #[arg(long, value_name = "FILE")]
    pub har: Option<PathBuf>,
    /// Keep tokens in the HAR file.
    #[arg(long, requires = "har")]
    pub har_keep_secrets: bool,
    /// Add `X-Fileops-Violations` (the broken rules' ids) to answers that break a rule.
    #[arg(long)]
    pub violations_header: bool,
    /// A PEM file of certificates to trust toward the upstream (CAs, or the server's own).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Skip TLS verification toward the upstream.
    #[arg(long)]
    pub insecure: bool,
    /// Exit 1 on a broken SHOULD too.
    #[arg(long)]
    pub strict: bool,
}

/// `list`'s arguments.
#[derive(clap::Args)]
pub struct ListArgs {
    /// List the facts register (every observable fact of the reference notes, the checks
    /// that test it or why none does) and its totals instead of the catalogue.
    #[arg(long, conflicts_with = "operations")]
    pub facts: bool,
    /// List the operations (operationId, method and path, the families that serve it).
    #[arg(long)]
    pub operations: bool,
    /// With `--operations`: only those this family serves.
    #[arg(long, value_parser = DIALECTS, requires = "operations")]
    pub dialect: Option<String>,
}

/// A body's format for `validate`.
#[derive(Clone, Copy, ValueEnum)]
pub enum BodyFormat {
    /// JSON.
    Json,
    /// XML.
    Xml,
}

/// The answer formats `run` checks.
#[derive(Clone, Copy, ValueEnum)]
pub enum FormatChoice {
    /// JSON answers only.
    Json,
    /// XML answers only.
    Xml,
    /// Both.
    Both,
}

impl FormatChoice {
    /// The name as given on the command line.
    pub fn name(self) -> &'static str {
        match self {
            FormatChoice::Json => "json",
            FormatChoice::Xml => "xml",
            FormatChoice::Both => "both",
        }
    }
}

/// `run`'s arguments.
#[derive(clap::Args)]
pub struct RunArgs {
    /// The server's base address (without the API path).
    #[arg(long, env = "FILEOPS_URL", hide_env_values = true)]
    pub url: Option<String>,
    /// A user's token [default: the token file's first line, else FILEOPS_TOKEN].
    #[arg(long)]
    pub token: Option<String>,
    /// A second user's token, for the isolation checks [default: the token file's second
    /// line, else FILEOPS_TOKEN2].
    #[arg(long)]
    pub token2: Option<String>,
    /// A file whose first non-empty line is the token and an optional second the second
    /// user's (keeps tokens out of the process list).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// The dialect to check against [default: docspace with --url, else every dialect];
    /// `auto` (with --url) decides it from the server's answer to `GET files/@my`.
    #[arg(long, value_parser = DIALECTS_OR_AUTO)]
    pub dialect: Option<String>,
    /// Which answer formats to check.
    #[arg(long, value_enum, default_value = "both")]
    pub format: FormatChoice,
    /// Only checks whose id matches (with `*`); repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub include: Vec<String>,
    /// Skip checks whose id matches (with `*`); repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// Seed for generated cases.
    #[arg(long, default_value_t = 20261122)]
    pub seed: u64,
    /// Generated cases per property check.
    #[arg(long, default_value_t = 16)]
    pub cases: u32,
    /// Seconds an operation may take before it counts as hung.
    #[arg(long, value_name = "SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Seconds one request may take, connecting included.
    #[arg(long, value_name = "SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
    /// A PEM file of certificates to trust too (SSL_CERT_FILE works too): CAs (a private
    /// CA), and a server presenting exactly one of them is trusted as well (a self-signed
    /// portal, any certificate version, CA flag or names).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Do not verify the server's TLS certificate (never for a certification run).
    #[arg(long)]
    pub insecure: bool,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a JSON report here.
    #[arg(long, value_name = "FILE", alias = "json")]
    pub report: Option<PathBuf>,
    /// Write a self-contained HTML report here.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Print only failures, warnings, the skips' reasons and the summary.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print passes with their duration, and the evidence of warnings.
    #[arg(long, short)]
    pub verbose: bool,
    /// Fail the run (exit 1) on a broken SHOULD too: for certification runs.
    #[arg(long)]
    pub strict: bool,
    /// Run only the checks that change nothing on the server (a production portal): no
    /// test folder, entries or operations, and the caller's operations are never listed
    /// (that would take finished results from the portal's own clients). The others SKIP
    /// "needs writes".
    #[arg(long)]
    pub read_only: bool,
}

/// `validate`'s arguments.
#[derive(clap::Args)]
pub struct ValidateArgs {
    /// The dialect it should follow; `auto` decides it from the answer (with --har, from
    /// the first fileops answer of the recording).
    #[arg(long, value_parser = DIALECTS_OR_AUTO)]
    pub dialect: String,
    /// The operation it answers: an operationId, or a method and path as in
    /// `"PUT /api/2.0/files/fileops/terminate"` (see `list --operations`).
    #[arg(long, required_unless_present = "har", conflicts_with = "har")]
    pub operation: Option<String>,
    /// Judge every fileops exchange of a HAR 1.2 recording (browsers' developer tools,
    /// mitmproxy, Charles, schemathesis), one by one and as a sequence; other APIs'
    /// exchanges are counted and left alone.
    #[arg(long, value_name = "FILE")]
    pub har: Option<PathBuf>,
    /// With `--har`: write a JUnit XML report.
    #[arg(long, value_name = "FILE", requires = "har")]
    pub junit: Option<PathBuf>,
    /// With `--har`: write a JSON report.
    #[arg(long, value_name = "FILE", requires = "har")]
    pub report: Option<PathBuf>,
    /// With `--har`: write a self-contained HTML report.
    #[arg(long, value_name = "FILE", requires = "har")]
    pub html: Option<PathBuf>,
    /// With `--har`: print only the exchanges that break a rule, and the summary.
    #[arg(long, requires = "har")]
    pub quiet: bool,
    /// The HTTP status it came with (default: the documented success).
    #[arg(long)]
    pub status: Option<u16>,
    /// The body's format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: BodyFormat,
    /// Exit 1 on a broken SHOULD too (an enum value no family knows), as `run --strict`.
    #[arg(long)]
    pub strict: bool,
    /// The body is a documentation sample (a seed page, the API reference), not a captured
    /// answer: what upstream's doc generator writes unlike the servers (.NET's True/False in
    /// XML, no statusCode or count, PascalCase entries) is a warning, not a failure.
    #[arg(long)]
    pub sample: bool,
    /// The body: a file, or `-` for standard input.
    #[arg(required_unless_present = "har", conflicts_with = "har")]
    pub file: Option<String>,
}
