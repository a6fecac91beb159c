//! Lowering: the typed OpenAPI document into the [`Ir`].

mod constraints;
mod dialects;
mod extensions;
mod open_facts;
mod operations;
mod schemas;

use crate::diag::Diagnostics;
use crate::ir::Ir;

/// Lowers a validated document. Problems go to `out`; the IR is as complete as possible.
pub fn lower(api: &openapiv3::OpenAPI, out: &mut Diagnostics) -> Ir {
    let mut dialects = dialects::lower(&api.extensions, out);
    let mut open_facts = open_facts::lower(&api.extensions, &mut dialects, out);
    open_facts::settle(&mut open_facts, &dialects);
    // Names come from the table itself, so one malformed entry does not make every use of
    // its name an error too.
    let known: Vec<String> = match api
        .extensions
        .get("x-fileops-dialects")
        .and_then(|t| t.as_object())
    {
        Some(table) => table.keys().cloned().collect(),
        None => dialects.iter().map(|d| d.name.clone()).collect(),
    };
    let mut ext = extensions::Reader::new(known, &open_facts);
    let mut types = schemas::Lowering::new(api, &mut ext, out);
    types.lower_components();
    let operations = operations::lower(api, &mut types);
    let (mut types, runtime_types) = types.finish();
    types.sort_by(|a, b| a.name.cmp(&b.name));
    Ir {
        dialects,
        open_facts,
        types,
        operations,
        runtime_types,
    }
}
