//! `fileops-conformance run|validate|list`.
//!
//! Exit codes: 0 every check passed (warnings allowed, unless `--strict`), 1 a check failed,
//! 2 usage, configuration or connection error (an unreachable server is never a pass); 141
//! when standard output was closed early (as a program killed by SIGPIPE would report).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
