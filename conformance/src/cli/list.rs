//! `list`: the catalogue, a check a line.

use std::io::Write;

use super::Failure;
use fileops_conformance::catalogue::CATALOGUE;

/// Prints every check: id, level, dialects, rule and source.
pub fn list() -> Result<u8, Failure> {
    let mut out = std::io::stdout().lock();
    for check in CATALOGUE {
        let dialects = if check.dialects.is_empty() {
            "all".to_owned()
        } else {
            check.dialects.join(",")
        };
        writeln!(
            out,
            "{:<48} {:<6} {:<16} {}  [{}]",
            check.id,
            format!("{:?}", check.level).to_uppercase(),
            dialects,
            check.rule,
            check.source
        )?;
    }
    out.flush()?;
    Ok(0)
}
