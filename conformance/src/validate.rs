//! Validating one captured answer: the same [`Judge`](crate::judge::Judge) that `run` applies
//! to every answer it receives, so both agree on the same answer.
//!
//! A malformed body is a non-conforming answer (a `wire.syntax` violation), not unusable
//! input; only an invocation that cannot be judged (an operation or status the family does
//! not document) is [`Unusable`].

use fileops_api::runtime::operation::OperationInfo;
use fileops_api::runtime::{Dialect, Format};

use crate::answers::judge_for;
use crate::judge::{media_type, Answer, Rule, Severity, Violation};

/// Why an answer could not be judged at all.
#[derive(Debug)]
pub struct Unusable(pub String);

/// The documented status an answer is judged as: the one given, or the family's first
/// success status for the operation.
pub fn status_for(
    operation: &'static OperationInfo,
    dialect: &Dialect,
    status: Option<u16>,
) -> Result<u16, Unusable> {
    let served = operation
        .responses
        .iter()
        .filter(|r| dialect.is_in(r.dialects))
        .filter_map(|r| r.status);
    let found = match status {
        Some(code) => served.into_iter().find(|s| *s == code),
        None => served.into_iter().find(|s| (200..300).contains(s)),
    };
    found.ok_or_else(|| {
        Unusable(format!(
            "{} documents no {} answer for {}",
            operation.id,
            status.map_or("success".into(), |s| s.to_string()),
            dialect.name
        ))
    })
}

/// Where an answer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// Captured from a server: judged strictly.
    #[default]
    Captured,
    /// A documentation sample, as upstream's doc generator writes them (the seed pages, the
    /// API reference): what the notes say the generator writes unlike the servers (reference
    /// §4b: .NET's `True`/`False` in XML; §10.1: no `statusCode` or `count`, PascalCase wiki
    /// entries, `\/` kept in XML text) is a warning rather than a failure.
    Sample,
}

/// The rules a documentation sample is known to break (reference §4b, §10.1).
const SAMPLE_DEPARTURES: [Rule; 4] = [Rule::Envelope, Rule::Required, Rule::Xml, Rule::Escaping];

/// Judges `body`, an answer to `operation` with `status` in `format`; the violations found
/// (warnings included; none when it conforms).
pub fn validate(
    dialect: &'static Dialect,
    operation: &str,
    status: Option<u16>,
    format: Format,
    body: &[u8],
) -> Result<Vec<Violation>, Unusable> {
    validate_as(dialect, operation, status, format, body, Origin::Captured)
}

/// [`validate`], for an answer of the given origin.
pub fn validate_as(
    dialect: &'static Dialect,
    operation: &str,
    status: Option<u16>,
    format: Format,
    body: &[u8],
    origin: Origin,
) -> Result<Vec<Violation>, Unusable> {
    let info = fileops_api::operations::by_id(operation)
        .filter(|op| dialect.is_in(op.dialects))
        .ok_or_else(|| {
            Unusable(format!(
                "{} has no operation {operation} (see the schema's operationIds)",
                dialect.name
            ))
        })?;
    let status = status_for(info, dialect, status)?;
    let judge = judge_for(dialect).map_err(Unusable)?;
    let xml_id = format!("{operation}Xml");
    let judged_as = if format == Format::Xml && judge.knows(&xml_id) {
        xml_id.as_str()
    } else {
        operation
    };
    let mut found = judge.judge(&Answer {
        operation: judged_as,
        status,
        content_type: Some(media_type(format)),
        body,
    });
    if origin == Origin::Sample {
        for v in found
            .iter_mut()
            .filter(|v| SAMPLE_DEPARTURES.contains(&v.rule))
        {
            v.severity = Severity::Warn;
            v.message = format!("as documentation samples are written: {}", v.message);
        }
    }
    Ok(found)
}
