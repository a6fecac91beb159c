//! The command line: its arguments, where tokens come from, the selection, what is printed
//! and the three commands.

mod args;
mod har;
mod list;
mod output;
mod proxy;
mod run;
mod selection;
mod tokens;
mod validate;

use anstyle::{AnsiColor, Style};
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

/// Why a command stopped before its verdict.
#[derive(Debug)]
pub enum Failure {
    /// A usage, configuration or connection error (exit 2), shown as `error: …`.
    Usage(String),
    /// Standard output was closed (`… | head -1`): stop without a word.
    ClosedPipe,
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::ClosedPipe
        } else {
            Failure::Usage(format!("cannot write to standard output: {e}"))
        }
    }
}

/// Runs the command line and turns its result into the exit code.
pub fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Run(args) => run::run(*args),
        args::Command::Validate(args) => validate::validate(&args),
        args::Command::List(args) => list::list(&args),
        args::Command::Proxy(args) => proxy::proxy(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Usage(message)) => {
            to_stderr("error", AnsiColor::Red, &message);
            ExitCode::from(2)
        }
        // 128 + SIGPIPE: a pipeline under `pipefail` must not take a cut-short run for a pass.
        Err(Failure::ClosedPipe) => ExitCode::from(141),
    }
}

/// Prints a note on standard error (what `--dialect auto` decided).
pub fn note(message: &str) {
    to_stderr("note", AnsiColor::Cyan, message);
}

/// Prints a warning on standard error.
pub fn warn(message: &str) {
    to_stderr("warning", AnsiColor::Yellow, message);
}

fn to_stderr(label: &str, color: AnsiColor, message: &str) {
    let style = Style::new().bold().fg_color(Some(color.into()));
    // Nothing is left to tell when standard error itself is closed.
    let _ = writeln!(
        anstream::stderr().lock(),
        "{style}{label}:{style:#} {message}"
    );
}
