//! `list`: the catalogue, a check a line.

use std::io::Write;

use super::args::ListArgs;
use super::Failure;
use fileops_conformance::catalogue::CATALOGUE;
use fileops_conformance::facts::{self, Coverage};

/// Prints every check (id, level, dialects, rule and source), or with `--facts` the facts
/// register and its totals.
pub fn list(args: &ListArgs) -> Result<u8, Failure> {
    if args.facts {
        return list_facts();
    }
    if args.operations {
        return list_operations(args.dialect.as_deref());
    }
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

/// Prints every operation (or those `dialect` serves): its id, method and path, and the
/// families that serve it.
fn list_operations(dialect: Option<&str>) -> Result<u8, Failure> {
    let only = match dialect {
        Some(name) => Some(
            fileops_api::dialects::by_name(name)
                .ok_or_else(|| Failure::Usage(format!("unknown dialect {name}")))?,
        ),
        None => None,
    };
    let mut out = std::io::stdout().lock();
    let served = fileops_api::operations::CATALOGUE
        .iter()
        .filter(|op| only.is_none_or(|d| d.is_in(op.dialects)));
    for op in served {
        let families = if op.dialects.is_empty() {
            "all".to_owned()
        } else {
            op.dialects.join(",")
        };
        writeln!(
            out,
            "{:<28} {:<6} {:<48} {families}",
            op.id, op.method, op.path
        )?;
    }
    out.flush()?;
    Ok(0)
}

/// Prints every fact of the register (id, families, the checks or why none, the open fact),
/// then the totals.
fn list_facts() -> Result<u8, Failure> {
    let register = facts::register().map_err(Failure::Usage)?;
    let mut out = std::io::stdout().lock();
    for fact in &register {
        let families = if fact.families.is_empty() {
            "all".to_owned()
        } else {
            fact.families.join(",")
        };
        let tested = match fact.unchecked {
            Some(reason) => format!(
                "NOT CHECKED ({}: {})",
                reason.word(),
                fact.why.as_deref().unwrap_or("")
            ),
            None => fact.checks.join(", "),
        };
        let open = fact
            .open
            .as_deref()
            .map(|o| format!("  [open: {o}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<40} {:<16} {}\n    {}{open}",
            fact.id, families, fact.fact, tested
        )?;
    }
    writeln!(out, "{}", Coverage::of(&register).line())?;
    out.flush()?;
    Ok(0)
}
