//! The checks a run selects, and a clear usage error when it selects none.

use fileops_api::runtime::Dialect;
use fileops_conformance::catalogue::CATALOGUE;
use fileops_conformance::report::SelectionInfo;
use fileops_conformance::runner::Selection;

/// How many suggestions an empty selection names.
const SUGGESTIONS: usize = 3;

/// How many checks the selection runs in `dialect`.
pub fn count(selection: &Selection, dialect: &str) -> usize {
    CATALOGUE
        .iter()
        .filter(|c| selection.wants(c, dialect))
        .count()
}

/// Nothing when the selection runs at least one check in `dialects`; else why not, naming
/// the check ids closest to the patterns.
pub fn ensure_some(
    selection: &Selection,
    dialects: &[&Dialect],
    info: &SelectionInfo,
) -> Result<(), String> {
    if dialects.iter().any(|d| count(selection, d.name) > 0) {
        return Ok(());
    }
    let names: Vec<&str> = dialects.iter().map(|d| d.name).collect();
    let patterns = if info.include.is_empty() {
        &info.exclude
    } else {
        &info.include
    };
    let candidates: Vec<&str> = CATALOGUE.iter().map(|c| c.id).collect();
    let suggestions: Vec<String> = closest(patterns, &candidates, SUGGESTIONS)
        .into_iter()
        .map(|id| suggestion(id, &names))
        .collect();
    Err(format!(
        "the selection ({info}) leaves no check to run in {}; closest check ids: {} \
         (`fileops-conformance list` shows them all)",
        names.join(", "),
        suggestions.join(", ")
    ))
}

/// An id, with the dialects it is limited to when none of them is being run.
fn suggestion(id: &str, running: &[&str]) -> String {
    let only = CATALOGUE
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.dialects)
        .filter(|d| !d.is_empty() && !running.iter().any(|r| d.contains(r)));
    match only {
        Some(dialects) => format!("{id} ({} only)", dialects.join(", ")),
        None => id.to_owned(),
    }
}

/// The `n` candidates most like any pattern (its `*` dropped), by Jaro-Winkler similarity,
/// best first; ties keep the candidates' order.
pub fn closest<'a>(patterns: &[String], candidates: &[&'a str], n: usize) -> Vec<&'a str> {
    let bare: Vec<String> = patterns.iter().map(|p| p.replace('*', "")).collect();
    let mut scored: Vec<(f64, usize, &str)> = candidates
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let score = bare
                .iter()
                .map(|p| strsim::jaro_winkler(p, id))
                .fold(0.0, f64::max);
            (score, i, *id)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<&str> = Vec::new();
    for (_, _, id) in scored {
        if !out.contains(&id) {
            out.push(id);
        }
        if out.len() == n {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn the_closest_ids_come_first() {
        let ids = [
            "envelope.success.keys",
            "effects.copy.skip",
            "effects.move.skip",
            "auth.isolation",
        ];
        let got = closest(&["efects.copy*".to_owned()], &ids, 2);
        assert_eq!(got, ["effects.copy.skip", "effects.move.skip"]);
        assert!(closest(&[], &ids, 3).len() == 3);
    }
}
