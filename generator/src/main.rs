//! `fileops-codegen generate SPEC [-o OUT.rs]`, `fileops-codegen project --dialect D SPEC
//! [-o OUT]` and `fileops-codegen check SPEC`.
//!
//! Exit codes: 0 fine, 1 problems found (listed on stderr), 2 unreadable input.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

use fileops_codegen::diag::{Diagnostic, Failure};
use fileops_codegen::emit::{Options, Part, RuntimePath};
use fileops_codegen::project::Syntax;

#[derive(Parser)]
#[command(
    name = "fileops-codegen",
    version,
    about = "Generate Rust from a fileops OpenAPI 3.0 spec"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate Rust source (to stdout, or to --output).
    Generate {
        /// The spec (YAML or JSON).
        spec: PathBuf,
        /// Where to write the source.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The path the generated modules reach the runtime by.
        #[arg(long, default_value = "::fileops_api::runtime")]
        runtime_path: String,
        /// The axum router: `always`, `never`, or `feature=NAME` (behind that cargo feature).
        #[arg(long, default_value = "always", value_parser = part)]
        server: Part,
        /// The reqwest client: `always`, `never`, or `feature=NAME`.
        #[arg(long, default_value = "always", value_parser = part)]
        client: Part,
    },
    /// Write the exact OpenAPI 3.0.3 document of one server family (YAML, or JSON for `.json`).
    Project {
        /// The family: a dialect name of the spec (docspace, workspace, r7).
        #[arg(short, long)]
        dialect: String,
        /// The spec (YAML or JSON).
        spec: PathBuf,
        /// Where to write the document (stdout, as YAML, when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Check a spec (or a projection) and list its problems.
    Check {
        /// The spec (YAML or JSON).
        spec: PathBuf,
    },
    /// Print the spec's open facts (the points the notes leave open) as a Markdown table.
    Facts {
        /// The spec (YAML or JSON).
        spec: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate {
            spec,
            output,
            runtime_path,
            server,
            client,
        } => {
            let options = Options {
                runtime: RuntimePath::At(runtime_path),
                server,
                client,
            };
            generate(&spec, output, &options)
        }
        Command::Check { spec } => check(&spec),
        Command::Facts { spec } => facts(&spec),
        Command::Project {
            dialect,
            spec,
            output,
        } => project(&dialect, &spec, output),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(diags)) => {
            print_all(&diags);
            ExitCode::from(1)
        }
        Err(Failure::Unreadable(message)) => {
            say(&format!("error: {message}"));
            ExitCode::from(2)
        }
    }
}

/// Writes to stderr, ignoring a closed pipe (`| head`) instead of panicking.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn print_all(diags: &[Diagnostic]) {
    for d in diags {
        say(&d.to_string());
    }
}

fn facts(spec: &std::path::Path) -> Result<(), Failure> {
    use std::io::Write;
    let table = fileops_codegen::facts(&fileops_codegen::load::read_file(spec)?)?;
    // A closed pipe (`| head`) ends the table quietly.
    let _ = std::io::stdout().write_all(table.as_bytes());
    Ok(())
}

fn generate(
    spec: &std::path::Path,
    output: Option<PathBuf>,
    options: &Options,
) -> Result<(), Failure> {
    let out = fileops_codegen::generate_file(spec, options)?;
    write_out(out, output)
}

/// Reads `always`, `never` or `feature=NAME`.
fn part(text: &str) -> Result<Part, String> {
    match text {
        "always" => Ok(Part::Always),
        "never" => Ok(Part::Never),
        _ => match text.strip_prefix("feature=") {
            Some(name) if !name.is_empty() => Ok(Part::WhenFeature(name.to_owned())),
            _ => Err(format!(
                "{text:?}: expected `always`, `never` or `feature=NAME`"
            )),
        },
    }
}

fn project(dialect: &str, spec: &std::path::Path, output: Option<PathBuf>) -> Result<(), Failure> {
    let text = fileops_codegen::load::read_file(spec)?;
    let syntax = output.as_deref().map_or(Syntax::Yaml, Syntax::for_path);
    let out = fileops_codegen::project(&text, dialect, syntax)?;
    write_out(out, output)
}

fn write_out(out: fileops_codegen::Output, output: Option<PathBuf>) -> Result<(), Failure> {
    print_all(&out.diagnostics);
    match output {
        Some(path) => std::fs::write(&path, out.code)
            .map_err(|e| Failure::Unreadable(format!("cannot write {}: {e}", path.display()))),
        None => {
            use std::io::Write;
            let _ = std::io::stdout().write_all(out.code.as_bytes());
            Ok(())
        }
    }
}

fn check(spec: &std::path::Path) -> Result<(), Failure> {
    let text = fileops_codegen::load::read_file(spec)?;
    let diags = fileops_codegen::check(&text)?;
    print_all(&diags);
    say(&format!(
        "{}: no errors ({} warning(s))",
        spec.display(),
        diags.len()
    ));
    Ok(())
}
