//! Lowering: the typed OpenAPI document into the [`Ir`].

mod dialects;
mod extensions;
mod operations;
mod schemas;

use crate::diag::Diagnostics;
use crate::ir::Ir;

/// Lowers a validated document. Problems go to `out`; the IR is as complete as possible.
pub fn lower(api: &openapiv3::OpenAPI, out: &mut Diagnostics) -> Ir {
    let dialects = dialects::lower(&api.extensions, out);
    let known: Vec<String> = dialects.iter().map(|d| d.name.clone()).collect();
    let mut ext = extensions::Reader::new(known);
    let mut types = schemas::Lowering::new(api, &mut ext, out);
    types.lower_components();
    let operations = operations::lower(api, &mut types);
    let mut types = types.finish();
    types.sort_by(|a, b| a.name.cmp(&b.name));
    Ir {
        dialects,
        types,
        operations,
    }
}
