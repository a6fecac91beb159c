//! `validate`: one captured answer against the schema and the dialect's rules.

use std::io::{Read, Write};

use super::args::{BodyFormat, ValidateArgs};
use super::Failure;
use fileops_conformance::judge::Severity;
use fileops_conformance::routes::Catalogue;
use fileops_conformance::validate::Origin;

fn read_body(file: &str) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    let read = if file == "-" {
        std::io::stdin().read_to_end(&mut body).map(|_| ())
    } else {
        std::fs::read(file).map(|b| body = b)
    };
    read.map_err(|e| Failure::Usage(format!("cannot read {file}: {e}")))?;
    Ok(body)
}

fn named(name: &str) -> Result<&'static fileops_api::runtime::Dialect, Failure> {
    fileops_api::dialects::by_name(name)
        .ok_or_else(|| Failure::Usage(format!("unknown dialect {name}")))
}

/// Prints each violation; 0 when the answer conforms (warnings allowed), else 1.
pub fn validate(args: &ValidateArgs) -> Result<u8, Failure> {
    if let Some(har) = &args.har {
        let dialect = match args.dialect.as_str() {
            "auto" => super::har::decide(har)?,
            name => named(name)?,
        };
        return super::har::validate_har(args, dialect, har);
    }
    let (Some(asked), Some(file)) = (&args.operation, &args.file) else {
        return Err(Failure::Usage(
            "validate needs --operation and a file, or --har".into(),
        ));
    };
    let body = read_body(file)?;
    let dialect = match args.dialect.as_str() {
        "auto" => {
            let decision = fileops_conformance::detect::decide([&body[..]])
                .map_err(|e| Failure::Usage(format!("--dialect auto: {e}")))?;
            super::note(&format!(
                "--dialect auto: {} ({})",
                decision.dialect.name, decision.why
            ));
            decision.dialect
        }
        name => named(name)?,
    };
    let operation = Catalogue::new(dialect)
        .resolve(asked)
        .map_err(Failure::Usage)?
        .id;
    let format = match args.format {
        BodyFormat::Json => fileops_api::runtime::Format::Json,
        BodyFormat::Xml => fileops_api::runtime::Format::Xml,
    };
    let origin = if args.sample {
        Origin::Sample
    } else {
        Origin::Captured
    };
    let violations = fileops_conformance::validate::validate_as(
        dialect,
        operation,
        args.status,
        format,
        &body,
        origin,
    )
    .map_err(|e| Failure::Usage(e.0))?;
    let mut out = std::io::stdout().lock();
    for v in &violations {
        writeln!(out, "{v}")?;
    }
    let failed = violations
        .iter()
        .filter(|v| v.severity == Severity::Fail || args.strict)
        .count();
    if failed > 0 {
        writeln!(out, "{failed} problem(s)")?;
        return Ok(1);
    }
    writeln!(
        out,
        "conforms: {} {} answer of {} ({} warning(s))",
        dialect.name,
        args.status.map_or("success".into(), |s| s.to_string()),
        operation,
        violations.len()
    )?;
    Ok(0)
}
