//! The open facts as a Markdown table, for people: what `schema/README.md` lists (a test
//! keeps the two alike) and `fileops-codegen facts` prints.

use crate::ir::{Ir, OpenFactDef};

/// The table of every open fact of `ir`, with a line counting facts and readings.
pub fn table(ir: &Ir) -> String {
    let readings: usize = ir.open_facts.iter().map(|f| f.readings.len()).sum();
    let mut out = format!(
        "{} open facts, {readings} readings. A reading in bold is the family's own (its \
         dialect-table value, the reading the notes favour).\n\n",
        ir.open_facts.len()
    );
    out.push_str("| fact | families | readings | notes | why it is open |\n");
    out.push_str("|---|---|---|---|---|\n");
    for fact in &ir.open_facts {
        out.push_str(&row(fact));
    }
    out
}

fn row(fact: &OpenFactDef) -> String {
    let readings: Vec<String> = fact
        .readings
        .iter()
        .map(|r| {
            let name = if r.default_in.is_empty() {
                format!("`{}`", r.name)
            } else {
                format!("**`{}`** ({})", r.name, r.default_in.join(", "))
            };
            format!("{name}: {}", cell(&r.says))
        })
        .collect();
    format!(
        "| `{}`<br>{} | {} | {} | {} | {} |\n",
        fact.id,
        cell(&fact.title),
        fact.dialects.join(", "),
        readings.join("<br>"),
        fact.sections.join(", "),
        cell(&fact.why)
    )
}

/// Text fit for one table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
