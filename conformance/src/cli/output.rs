//! What `run` prints as it goes. On a terminal a progress bar per dialect with the notable
//! results above it; elsewhere a line per check. Colours go through `anstream`, which drops
//! them off a terminal and under `NO_COLOR`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::time::Duration;

use super::Failure;
use fileops_conformance::report::terminal::{self, Detail};
use fileops_conformance::report::{DialectProfile, RunInfo};
use fileops_conformance::runner::CheckResult;

/// How much `run` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// Failures, warnings, the skips' reasons and the summary (the table, the behaviour
    /// profile and the closing line).
    Quiet,
    /// Also the header, and every check (off a terminal) or the notable ones (on one).
    Normal,
    /// Also passes with their duration, the evidence of warnings, and the observations
    /// under each fact of the behaviour profile.
    Verbose,
}

/// Prints a run to standard output.
pub struct Printer {
    verbosity: Verbosity,
    terminal: bool,
    bar: Option<ProgressBar>,
    closed: bool,
    spoke: bool,
}

impl Printer {
    /// A printer for standard output as it is (a terminal or not).
    pub fn new(verbosity: Verbosity) -> Self {
        Self {
            verbosity,
            terminal: std::io::stdout().is_terminal(),
            bar: None,
            closed: false,
            spoke: false,
        }
    }

    /// Whether standard output was closed under the run.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The run's header (not when quiet).
    pub fn header(&mut self, info: &RunInfo) -> Result<(), Failure> {
        if self.verbosity == Verbosity::Quiet {
            return Ok(());
        }
        self.say(&terminal::header(info))?;
        Ok(())
    }

    /// A dialect's run begins: `checks` checks are coming.
    pub fn begin(&mut self, dialect: &str, checks: usize) {
        if !self.terminal || self.verbosity == Verbosity::Quiet || self.closed {
            return;
        }
        let style = ProgressStyle::with_template("{prefix:>9} [{bar:32}] {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(checks).unwrap_or(u64::MAX)),
            ProgressDrawTarget::stdout(),
        )
        .with_style(style)
        .with_prefix(dialect.to_owned());
        self.bar = Some(bar);
    }

    /// One result, as it comes. A closed standard output silences the rest of the run.
    pub fn result(&mut self, result: &CheckResult) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(result.id);
        }
        if let Some(text) = self.render(result) {
            self.say_or_close(&text);
        }
    }

    /// A dialect's run ended.
    pub fn end(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_with_message("done");
            // A finished bar keeps the cursor on its line; the next output starts below it.
            self.say_or_close("");
        }
    }

    /// The skips' reasons (when quiet; otherwise their lines showed them), the table, the
    /// behaviour profile (at every verbosity: it is part of the summary) and the closing
    /// line with the elapsed time, last so that it is the run's last word.
    pub fn closing(
        &mut self,
        results: &[CheckResult],
        profiles: &[DialectProfile],
        elapsed: Duration,
    ) -> Result<(), Failure> {
        if self.verbosity == Verbosity::Quiet {
            if let Some(skips) = terminal::skips(results) {
                self.say(&skips)?;
            }
        }
        // A blank line parts the table from what came before, if anything did.
        let gap = if self.spoke { "\n" } else { "" };
        let mut text = format!("{gap}{}", terminal::table(results));
        let observations = self.verbosity == Verbosity::Verbose;
        if let Some(profile) = terminal::profile(profiles, observations) {
            // Set apart by blank lines: a long profile would otherwise run into the table
            // above and bury the closing line below.
            text.push_str(&format!("\n\n{profile}\n"));
        }
        text.push_str(&format!("\n{}", terminal::closing(results, elapsed)));
        self.say(&text)?;
        Ok(())
    }

    fn render(&self, result: &CheckResult) -> Option<String> {
        let shown = match (self.verbosity, result.state()) {
            (Verbosity::Verbose, _) => true,
            (_, "fail" | "warn" | "error") => true,
            (Verbosity::Quiet, _) => false,
            // The bar counts passes; a skip's reason is news.
            (Verbosity::Normal, state) => !self.terminal || state == "skip",
        };
        let detail = Detail {
            duration: self.verbosity == Verbosity::Verbose,
            warning_evidence: self.verbosity == Verbosity::Verbose,
        };
        shown.then(|| terminal::line(result, detail))
    }

    /// Prints one line of progress (an exchange judged); a closed output silences the rest.
    pub fn line(&mut self, text: &str) {
        self.say_or_close(text);
    }

    /// Says `text` while checks run: a write that fails silences the rest of the run.
    fn say_or_close(&mut self, text: &str) {
        if let Err(e) = self.say(text) {
            if !self.closed && e.kind() != std::io::ErrorKind::BrokenPipe {
                super::warn(&format!("cannot write to standard output: {e}"));
            }
            self.closed = true;
        }
    }

    fn say(&mut self, text: &str) -> std::io::Result<()> {
        if self.closed {
            return Err(std::io::ErrorKind::BrokenPipe.into());
        }
        let write = || {
            let mut out = anstream::stdout().lock();
            writeln!(out, "{text}")?;
            out.flush()
        };
        match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }?;
        self.spoke = true;
        Ok(())
    }
}
