//! The HTML report: one self-contained page (inline CSS and a little inline JS, nothing to
//! load) with the run, a summary per dialect, the behaviour profile (a table per dialect:
//! which reading of each open fact the server showed) and every check; failures and warnings carry
//! their message, JSON pointers, curl replays and answer excerpts. Checkboxes filter the
//! checks by state; without JS they stay hidden and every check shows.

use quick_xml::escape::escape;
use std::fmt::Write as _;

use super::{
    by_dialect, departs, level_name, pointers, rfc3339, tone, DialectProfile, RunInfo, Summary,
};
use crate::outcome::{Evidence, Outcome};
use crate::profile::FactProfile;
use crate::runner::CheckResult;

const STATES: [&str; 5] = ["pass", "fail", "warn", "skip", "error"];

/// How much of an answer the page shows.
const EXCERPT_CHARS: usize = 1200;

const STYLE: &str = "
body{font:15px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1.05rem}
dl.run{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.run dt{font-weight:600}dl.run dd{margin:0}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
table.summary{width:auto}table.summary td{text-align:right}
tr.total td{font-weight:600}
.state{font-weight:700;text-transform:uppercase}
.pass{color:#1a7f37}.fail,.error{color:#cf222e}.warn{color:#9a6700}.skip{color:#0969da}
tbody.check[hidden]{display:none}
td.detail{background:#f6f8fa}
pre{white-space:pre-wrap;word-break:break-all;background:#fff;border:1px solid #ddd;padding:.5rem;margin:.3rem 0}
#filters{margin:.5rem 0}#filters label{margin-right:1rem}
table.profile tr.departs td{background:#fff8c5}
td.shown{font-weight:600}
table.observations{margin-top:.3rem}table.observations th,table.observations td{border:0;padding:.1rem .4rem}
";

const SCRIPT: &str = "
(function () {
  var filters = document.getElementById('filters');
  filters.hidden = false;
  filters.addEventListener('change', function () {
    var shown = {};
    filters.querySelectorAll('input').forEach(function (box) {
      shown[box.getAttribute('data-state')] = box.checked;
    });
    document.querySelectorAll('tbody.check').forEach(function (group) {
      group.hidden = !shown[group.getAttribute('data-state')];
    });
  });
})();
";

/// The HTML report of `results` and `profiles` from the run `info` describes.
pub fn html(results: &[CheckResult], profiles: &[DialectProfile], info: &RunInfo) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>fileops-conformance: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(info.target.as_str())
    );
    run(&mut out, info);
    summary(&mut out, results);
    profile(&mut out, profiles);
    checks(&mut out, results);
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

fn run(out: &mut String, info: &RunInfo) {
    out.push_str("<h1>fileops-conformance report</h1>\n<dl class=\"run\">\n");
    let rows = [
        ("Version", info.version.clone()),
        ("Target", info.target.clone()),
        ("Dialects", info.dialects.join(", ")),
        (
            "Seed",
            format!("{} ({} cases per property check)", info.seed, info.cases),
        ),
        ("Selection", info.selection.to_string()),
        ("Started", rfc3339(info.started)),
        ("Finished", rfc3339(info.finished())),
        ("Elapsed", format!("{:.1} s", info.elapsed.as_secs_f64())),
    ];
    for (name, value) in rows {
        let _ = writeln!(out, "<dt>{name}</dt><dd>{}</dd>", escape(value.as_str()));
    }
    out.push_str("</dl>\n");
}

fn summary_row(out: &mut String, class: &str, name: &str, s: &Summary) {
    let _ = writeln!(
        out,
        "<tr class=\"{class}\"><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        escape(name),
        s.pass,
        s.fail,
        s.warn,
        s.skip,
        s.error
    );
}

fn summary(out: &mut String, results: &[CheckResult]) {
    out.push_str(
        "<h2>Summary</h2>\n<table class=\"summary\">\n<thead><tr><th>Dialect</th>\
         <th class=\"pass\">Pass</th><th class=\"fail\">Fail</th><th class=\"warn\">Warn</th>\
         <th class=\"skip\">Skip</th><th class=\"error\">Error</th></tr></thead>\n<tbody>\n",
    );
    for (dialect, rs) in by_dialect(results) {
        summary_row(out, "dialect", dialect, &Summary::of(rs));
    }
    summary_row(out, "total", "All", &Summary::of(results));
    out.push_str("</tbody>\n</table>\n");
}

fn profile(out: &mut String, profiles: &[DialectProfile]) {
    out.push_str(
        "<h2>Behaviour profile</h2>\n<p>Which reading of each open fact (a point the reference \
         notes leave open) the server showed. Every reading is faithful, so none fails a check; \
         a fact whose server departs from the family&apos;s default reading is highlighted.</p>\n",
    );
    for p in profiles {
        let _ = writeln!(out, "<h3>{}</h3>", escape(p.dialect));
        if p.facts.is_empty() {
            out.push_str("<p>No open fact concerns this dialect.</p>\n");
            continue;
        }
        out.push_str(
            "<table class=\"profile\">\n<thead><tr><th>Fact</th><th>Sections</th>\
             <th>Readings</th><th>Default</th><th>Shown</th><th>Observations</th></tr></thead>\n\
             <tbody>\n",
        );
        for fact in &p.facts {
            fact_row(out, fact);
        }
        out.push_str("</tbody>\n</table>\n");
    }
}

fn fact_row(out: &mut String, fact: &FactProfile) {
    let class = if departs(fact) {
        "fact departs"
    } else {
        "fact"
    };
    let _ = write!(
        out,
        "<tr class=\"{class}\"><td><code>{}</code><br>{}</td><td>{}</td><td>{}</td><td>{}</td>\
         <td class=\"shown {}\">{}</td><td>",
        escape(fact.fact),
        escape(fact.title),
        escape(fact.sections.join(", ").as_str()),
        escape(fact.readings.join(", ").as_str()),
        escape(fact.default.unwrap_or("—")),
        tone(fact),
        escape(fact.shown.text().as_str())
    );
    if fact.observations.is_empty() {
        out.push_str("none");
    } else {
        let _ = write!(
            out,
            "<details><summary>{} observation(s)</summary>\n<table class=\"observations\">\
             <thead><tr><th>Check</th><th>What was seen</th><th>Consistent with</th>\
             <th>Times</th></tr></thead>\n<tbody>\n",
            fact.observations.len()
        );
        for o in &fact.observations {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(o.check),
                escape(o.what.as_str()),
                escape(o.readings.join(" or ").as_str()),
                o.times
            );
        }
        out.push_str("</tbody></table></details>");
    }
    out.push_str("</td></tr>\n");
}

fn filters(out: &mut String, results: &[CheckResult]) {
    // Hidden until the script shows it: without JS the boxes could not filter anything.
    out.push_str("<div id=\"filters\" hidden>Show:\n");
    for state in STATES {
        let count = results.iter().filter(|r| r.state() == state).count();
        let _ = writeln!(
            out,
            "<label class=\"{state}\"><input type=\"checkbox\" data-state=\"{state}\" checked> {state} ({count})</label>"
        );
    }
    out.push_str("</div>\n");
}

fn checks(out: &mut String, results: &[CheckResult]) {
    out.push_str("<h2>Checks</h2>\n");
    filters(out, results);
    out.push_str(
        "<table class=\"checks\">\n<thead><tr><th>State</th><th>Dialect</th><th>Check</th>\
         <th>Level</th><th>Rule</th><th>Source</th><th>Time</th></tr></thead>\n",
    );
    for r in results {
        check(out, r);
    }
    out.push_str("</table>\n");
}

fn check(out: &mut String, r: &CheckResult) {
    let state = r.state();
    let _ = writeln!(
        out,
        "<tbody class=\"check\" data-state=\"{state}\">\n<tr><td class=\"state {state}\">{state}</td>\
         <td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{} ms</td></tr>",
        escape(r.dialect),
        escape(r.id),
        level_name(r.level),
        escape(r.rule),
        escape(r.source),
        r.millis
    );
    match &r.outcome {
        Outcome::Pass => {}
        Outcome::Skip { reason } => {
            detail(out, &format!("<p>Skipped: {}</p>", escape(reason.as_str())))
        }
        Outcome::Error { message } => detail(out, &message_block(message)),
        Outcome::Fail { message, evidence } => {
            let mut body = message_block(message);
            pointer_list(&mut body, message);
            for (i, e) in evidence.iter().enumerate() {
                exchange(&mut body, i + 1, e);
            }
            detail(out, &body);
        }
    }
    out.push_str("</tbody>\n");
}

fn detail(out: &mut String, body: &str) {
    let _ = writeln!(
        out,
        "<tr><td class=\"detail\" colspan=\"7\">{body}</td></tr>"
    );
}

fn message_block(message: &str) -> String {
    format!("<pre class=\"message\">{}</pre>", escape(message))
}

fn pointer_list(out: &mut String, message: &str) {
    let found = pointers(message);
    if found.is_empty() {
        return;
    }
    out.push_str("<p>JSON pointer(s): ");
    for (i, p) in found.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(out, "{sep}<code class=\"pointer\">{}</code>", escape(*p));
    }
    out.push_str("</p>");
}

fn excerpt(body: &str) -> String {
    if body.chars().count() > EXCERPT_CHARS {
        format!("{}…", body.chars().take(EXCERPT_CHARS).collect::<String>())
    } else {
        body.to_owned()
    }
}

fn exchange(out: &mut String, n: usize, e: &Evidence) {
    let _ = write!(
        out,
        "<details open><summary>Exchange {n}: HTTP {}</summary>\
         <p>Replay:</p><pre class=\"replay\">{}</pre>\
         <p>Answer (excerpt):</p><pre class=\"answer\">{}</pre></details>",
        e.status,
        escape(e.curl.as_str()),
        escape(excerpt(&e.body).as_str())
    );
}

#[cfg(test)]
mod tests {
    use super::html;
    use crate::report::fixtures;

    fn page() -> String {
        html(
            &fixtures::results(),
            &fixtures::profiles(),
            &fixtures::info(),
        )
    }

    #[test]
    fn the_page_loads_nothing_from_outside() {
        let page = page().to_lowercase();
        for outside in [
            "src=", "href=", "url(", "@import", "<link", "<img", "<iframe",
        ] {
            assert!(!page.contains(outside), "the page must not load {outside}");
        }
        assert!(page.starts_with("<!doctype html>"));
        assert!(page.contains("<style>") && page.contains("<meta charset=\"utf-8\">"));
    }

    #[test]
    fn answers_are_escaped() {
        let page = page();
        assert_eq!(
            page.matches("<script").count(),
            1,
            "only the page's own script"
        );
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("A rule &amp; its &lt;words&gt;."));
    }

    #[test]
    fn failures_and_warnings_carry_their_evidence() {
        let page = page();
        let wire = page
            .split("<tbody")
            .find(|group| group.contains("<code>wire.types</code>"))
            .unwrap_or_default();
        assert!(wire.contains("data-state=\"fail\""), "{wire}");
        assert!(
            wire.contains("<code class=\"pointer\">/response/id</code>"),
            "{wire}"
        );
        assert!(wire.contains("getMyFolder (200) at /response/id"), "{wire}");
        assert!(wire.contains("curl -sS -X GET &apos;http://127.0.0.1:1/api/2.0/files/@my&apos;"));
        assert!(wire.contains("HTTP 200"), "{wire}");
        let warn = page
            .split("<tbody")
            .find(|group| group.contains("lifecycle.progress.monotone"))
            .unwrap_or_default();
        assert!(warn.contains("data-state=\"warn\"") && warn.contains("class=\"replay\""));
        assert!(page.contains("Skipped: no --token2 for a second user"));
    }

    #[test]
    fn every_check_and_a_summary_per_dialect_are_shown() {
        let page = page();
        for r in fixtures::results() {
            assert!(page.contains(&format!("<code>{}</code>", r.id)), "{}", r.id);
        }
        assert!(page.contains("<td>MUST</td>") && page.contains("<td>SHOULD</td>"));
        assert!(page.contains("reference §4a"));
        assert!(page.contains(
            "<tr class=\"dialect\"><th>docspace</th><td>1</td><td>0</td><td>1</td><td>1</td><td>1</td></tr>"
        ));
        assert!(page.contains("<tr class=\"dialect\"><th>workspace</th><td>0</td><td>1</td>"));
    }

    #[test]
    fn checks_can_be_filtered_by_state() {
        let page = page();
        for state in ["pass", "fail", "warn", "skip", "error"] {
            assert!(
                page.contains(&format!(
                    "<input type=\"checkbox\" data-state=\"{state}\" checked>"
                )),
                "a filter for {state}"
            );
        }
        assert!(
            page.contains("<div id=\"filters\" hidden>"),
            "no dead controls without JS"
        );
        assert!(
            !page.contains("<tbody class=\"check\" data-state=\"pass\" hidden"),
            "every check shows without JS"
        );
        assert!(page.contains("group.hidden = !shown["));
    }

    #[test]
    fn the_profile_has_a_table_per_dialect_with_a_row_per_fact() {
        let page = page();
        let section = page
            .split("<h2>Behaviour profile</h2>")
            .nth(1)
            .and_then(|rest| rest.split("<h2>").next())
            .unwrap_or_default();
        assert!(section.contains("<h3>docspace</h3>"), "{section}");
        assert!(
            section.contains("<h3>workspace</h3>\n<p>No open fact concerns this dialect.</p>"),
            "{section}"
        );
        assert_eq!(section.matches("<table class=\"profile\">").count(), 1);
        // Each row runs to the next (the last to the table's end): a row holds a table of
        // its observations, so its own end is not a marker to split on.
        let rows: Vec<&str> = section.split("<tr class=\"fact").skip(1).collect();
        assert_eq!(rows.len(), 2, "{section}");
        assert!(
            rows[0].starts_with(
                " departs\"><td><code>docspace-error-nulls</code><br>The members of a DocSpace \
                 error that no &lt;stack&gt; filled</td><td>§4a</td><td>written, omitted</td>\
                 <td>written</td><td class=\"shown warn\">omitted</td><td><details>"
            ),
            "{}",
            rows[0]
        );
        assert!(
            rows[0].contains(
                "<tr><td><code>envelope.error.keys</code></td><td>error members \
                 [&quot;message&quot;] &amp; &lt;b&gt;no stack&lt;/b&gt;</td><td>omitted</td>\
                 <td>2</td></tr>"
            ),
            "{}",
            rows[0]
        );
        assert!(!section.contains("<b>"), "what was seen is escaped");
        assert!(rows[0].ends_with("</tbody></table></details></td></tr>\n"));
        assert!(
            rows[1].starts_with(
                "\"><td><code>docspace-unauthorized-body</code><br>The body of DocSpace&apos;s \
                 401 to a request without a valid token</td><td>§8, §13.3</td>\
                 <td>empty, error-envelope</td><td>empty</td>\
                 <td class=\"shown skip\">not observed</td><td>none</td></tr>\n</tbody>\n</table>"
            ),
            "{}",
            rows[1]
        );
    }
}
