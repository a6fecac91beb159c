//! The dialect table as `runtime::Dialect` statics, and the open facts as
//! `runtime::OpenFact` statics whose readings set one field of a dialect.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, ident, str_list, word, word_list};
use crate::ir::{Behaviour, DialectDef, Ir, OpenFactDef};
use crate::naming::static_name;

pub fn emit(ir: &Ir) -> TokenStream {
    let statics = ir.dialects.iter().map(dialect);
    let names: Vec<_> = ir
        .dialects
        .iter()
        .map(|d| ident(&static_name(&d.name)))
        .collect();
    let count = names.len();
    // The text lives in a static of its own: a static's address is unique, where a string
    // literal's may be copied into each codegen unit that uses it.
    let bytes: Vec<_> = names
        .iter()
        .map(|n| quote::format_ident!("{}_TEXT", n))
        .collect();
    let lens = ir.dialects.iter().map(|d| d.name.len());
    let byte_strings = ir
        .dialects
        .iter()
        .map(|d| proc_macro2::Literal::byte_string(d.name.as_bytes()));
    let name_docs = ir
        .dialects
        .iter()
        .map(|d| doc(Some(&format!("The name of {}.", d.title))));
    quote! {
        /// Each dialect's name, once. The dialects and every table keyed by dialect hold
        /// these, so the runtime recognises a dialect's name by its address before
        /// comparing text.
        pub mod names {
            #(#name_docs pub static #names: &str = super::super::runtime::dialect::name_in(&#bytes);)*
            #(static #bytes: [u8; #lens] = *#byte_strings;)*
        }
        #(#statics)*
        /// Every dialect, in schema order.
        pub static ALL: [&super::runtime::Dialect; #count] = [#(&#names),*];
        /// The dialect with this name (any case).
        pub fn by_name(name: &str) -> Option<&'static super::runtime::Dialect> {
            ALL.iter().copied().find(|d| d.name.eq_ignore_ascii_case(name))
        }
    }
}

fn dialect(d: &DialectDef) -> TokenStream {
    let name_ident = ident(&static_name(&d.name));
    let docs = doc(Some(&d.title));
    let top = fields(d).into_iter().map(|(name, value)| {
        let name = ident(name);
        quote!(#name: #value)
    });
    let behaviour = behaviour(&d.behaviour).into_iter().map(|(name, value)| {
        let name = ident(name);
        quote!(#name: #value)
    });
    quote! {
        #docs
        pub static #name_ident: super::runtime::Dialect = super::runtime::Dialect {
            name: names::#name_ident,
            #(#top,)*
            behaviour: super::runtime::Behaviour { #(#behaviour,)* },
        };
    }
}

/// The dialect's fields but its name and behaviour, each with its value.
fn fields(d: &DialectDef) -> Vec<(&'static str, TokenStream)> {
    let status = d.unauthorized_status;
    let content_type = match &d.unauthorized_content_type {
        Some(t) => quote!(Some(#t)),
        None => quote!(None),
    };
    let body = &d.unauthorized_body;
    let also = str_list(&d.unauthorized_also);
    let envelope = d.unauthorized_envelope;
    let challenge = d.unauthorized_challenge;
    let title = &d.title;
    let (escape_slash, links, post_status) = (d.escape_slash, d.links, d.post_status);
    vec![
        ("title", quote!(#title)),
        ("formats", word_list(&d.formats)),
        ("xml_suffixes", str_list(&d.xml_suffixes)),
        ("json_suffixes", str_list(&d.json_suffixes)),
        ("nulls", word(d.nulls)),
        ("escape_slash", quote!(#escape_slash)),
        ("success_keys", word_list(&d.success_keys)),
        ("count", word(d.count)),
        ("object_count", word(d.object_count)),
        ("links", quote!(#links)),
        ("error_keys", word_list(&d.error_keys)),
        ("error_fields", word_list(&d.error_fields)),
        ("error_nulls", word(d.error_nulls)),
        ("validation", word(d.validation)),
        ("unsupported_media", word(d.unsupported_media)),
        (
            "unauthorized",
            quote!(super::runtime::Unauthorized {
                status: #status, content_type: #content_type, also_content_types: #also,
                body: #body, envelope: #envelope, challenge: #challenge,
            }),
        ),
        ("post_status", quote!(#post_status)),
    ]
}

/// The behaviour block's fields, each with its value.
fn behaviour(b: &Behaviour) -> Vec<(&'static str, TokenStream)> {
    let Behaviour {
        retention_seconds,
        download_retention_seconds,
        validate_up_front,
        duplicate_renames,
        conflicts_include_folders,
        path_parts_as_objects,
        empty_trash_always_queues,
        single_file_download_is_archive,
        download_handler,
        missing_entry_status,
        bad_credentials_status,
        unknown_source_folder_status,
        login_status,
        terminated_reappear,
        checkdest_unknown_destination_status,
        checkdest_outside_rooms_status,
        duplicate_unknown_file_status,
        operation_type_names,
        mark_as_read_reports,
        empty_versions_for_good,
        ..
    } = b;
    vec![
        ("terminate", word(b.terminate)),
        ("retention_seconds", quote!(#retention_seconds)),
        (
            "download_retention_seconds",
            quote!(#download_retention_seconds),
        ),
        ("retention_from", word(b.retention_from)),
        ("validate_up_front", quote!(#validate_up_front)),
        ("duplicate_renames", quote!(#duplicate_renames)),
        ("success_error", word(b.success_error)),
        (
            "conflicts_include_folders",
            quote!(#conflicts_include_folders),
        ),
        ("path_parts_as_objects", quote!(#path_parts_as_objects)),
        (
            "empty_trash_always_queues",
            quote!(#empty_trash_always_queues),
        ),
        (
            "single_file_download_is_archive",
            quote!(#single_file_download_is_archive),
        ),
        ("reported_entries", word(b.reported_entries)),
        ("download_handler", quote!(#download_handler)),
        ("request_binding", word(b.request_binding)),
        ("missing_entry_status", quote!(#missing_entry_status)),
        ("bad_credentials_status", quote!(#bad_credentials_status)),
        (
            "unknown_source_folder_status",
            quote!(#unknown_source_folder_status),
        ),
        ("login_status", quote!(#login_status)),
        ("terminated_reappear", quote!(#terminated_reappear)),
        ("cancel_error", word(b.cancel_error)),
        ("unknown_destination", word(b.unknown_destination)),
        ("anonymous_folder_listing", word(b.anonymous_folder_listing)),
        ("anonymous_folder_info", word(b.anonymous_folder_info)),
        ("anonymous_file_reads", word(b.anonymous_file_reads)),
        ("anonymous_operations", word(b.anonymous_operations)),
        (
            "checkdest_unknown_destination_status",
            quote!(#checkdest_unknown_destination_status),
        ),
        (
            "checkdest_outside_rooms_status",
            quote!(#checkdest_outside_rooms_status),
        ),
        (
            "duplicate_unknown_file_status",
            quote!(#duplicate_unknown_file_status),
        ),
        ("operation_type_names", quote!(#operation_type_names)),
        ("unqueued_operation_types", word(b.unqueued_operation_types)),
        ("mark_as_read_reports", quote!(#mark_as_read_reports)),
        ("empty_versions_for_good", quote!(#empty_versions_for_good)),
    ]
}

/// Every field of a dialect as an assignable place (`behaviour.terminate`), its value, and
/// the value as text (two equal values print alike).
fn places(d: &DialectDef) -> Vec<(TokenStream, TokenStream, String)> {
    let top = fields(d).into_iter().map(|(name, value)| {
        let name = ident(name);
        (quote!(#name), value)
    });
    let inner = behaviour(&d.behaviour).into_iter().map(|(name, value)| {
        let name = ident(name);
        (quote!(behaviour.#name), value)
    });
    top.chain(inner)
        .map(|(place, value)| {
            let text = value.to_string();
            (place, value, text)
        })
        .collect()
}

/// The open facts: one static each, `ALL`, and `by_id`.
pub fn open_facts(ir: &Ir) -> TokenStream {
    let statics = ir.open_facts.iter().map(open_fact);
    let names: Vec<_> = ir
        .open_facts
        .iter()
        .map(|f| ident(&static_name(&f.id)))
        .collect();
    quote! {
        #(#statics)*
        /// Every open fact, in schema order.
        pub static ALL: &[&super::runtime::OpenFact] = &[#(&#names),*];
        /// The open fact with this id.
        pub fn by_id(id: &str) -> Option<&'static super::runtime::OpenFact> {
            ALL.iter().copied().find(|f| f.id == id)
        }
    }
}

fn open_fact(f: &OpenFactDef) -> TokenStream {
    let name = ident(&static_name(&f.id));
    let (id, title, why, setting) = (&f.id, &f.title, &f.why, &f.setting);
    let sections = str_list(&f.sections);
    let dialects = f.dialects.iter().map(|d| {
        let d = ident(&static_name(d));
        quote!(super::dialects::names::#d)
    });
    let readings = f.readings.iter().map(|r| {
        let (name, says) = (&r.name, &r.says);
        let defaults = r.default_in.iter().map(|d| {
            let d = ident(&static_name(d));
            quote!(super::dialects::names::#d)
        });
        quote!(super::runtime::Reading { name: #name, says: #says, default_in: &[#(#defaults),*] })
    });
    let arms = f.readings.iter().enumerate().map(|(i, r)| {
        let sets = assignments(f, r);
        quote!(#i => { #(#sets)* })
    });
    let docs = doc(Some(&format!("{title} ({})", f.sections.join(", "))));
    quote! {
        #docs
        pub static #name: super::runtime::OpenFact = super::runtime::OpenFact {
            id: #id,
            title: #title,
            sections: #sections,
            why: #why,
            dialects: &[#(#dialects),*],
            setting: #setting,
            readings: &[#(#readings),*],
            apply: |dialect, reading| match reading {
                #(#arms)*
                _ => {}
            },
        };
    }
}

/// The assignments that give a dialect `reading`: every field in which the readings'
/// variants of the fact's first dialect differ (the setting's), set to this reading's value.
fn assignments(f: &OpenFactDef, reading: &crate::ir::ReadingDef) -> Vec<TokenStream> {
    let Some(mine) = reading.variants.first().map(places) else {
        return Vec::new();
    };
    let others: Vec<_> = f
        .readings
        .iter()
        .filter_map(|r| r.variants.first().map(places))
        .collect();
    mine.into_iter()
        .enumerate()
        .filter(|(i, (_, _, text))| others.iter().any(|o| o[*i].2 != *text))
        .map(|(_, (place, value, _))| quote!(dialect.#place = #value;))
        .collect()
}
