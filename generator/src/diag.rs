//! Diagnostics: every problem with the JSON pointer of the node it concerns.

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The spec cannot be turned into code.
    Error,
    /// Code can be made, but something is ignored or approximated.
    Warning,
}

/// One problem, located by a JSON pointer into the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// JSON pointer of the offending node (`/paths/~1api~1x/get`).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// The `$ref` target, where a reference dangles.
    pub target: Option<String>,
}

impl Diagnostic {
    /// An error at `pointer`.
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            pointer: pointer.into(),
            message: message.into(),
            target: None,
        }
    }

    /// A warning at `pointer`.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(pointer, message)
        }
    }

    /// Names the `$ref` target concerned.
    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{level} at {at}: {}", self.message)?;
        if let Some(target) = &self.target {
            write!(f, " (target {target})")?;
        }
        Ok(())
    }
}

/// Diagnostics collected by a stage.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Whether any is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Sorted and de-duplicated, errors first, so reports are stable.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.0.sort();
        self.0.dedup();
        self.0
    }
}

/// Appends one step to a JSON pointer, escaping `~` and `/`.
pub fn join(base: &str, step: &str) -> String {
    format!("{base}/{}", step.replace('~', "~0").replace('/', "~1"))
}

/// Why generation or checking stopped.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The input could not be read or parsed at all (exit code 2).
    #[error("{0}")]
    Unreadable(String),
    /// The spec was read but has errors (exit code 1).
    #[error("{} problem(s) found", .0.iter().filter(|d| d.severity == Severity::Error).count())]
    Invalid(Vec<Diagnostic>),
}
