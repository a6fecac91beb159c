//! The dialect table as `runtime::Dialect` statics.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, ident, str_list, word, word_list};
use crate::ir::{Behaviour, DialectDef, Ir};
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
    let title = &d.title;
    let formats = word_list(&d.formats);
    let xml_suffixes = str_list(&d.xml_suffixes);
    let json_suffixes = str_list(&d.json_suffixes);
    let null_style = word(d.nulls);
    let error_nulls = word(d.error_nulls);
    let escape_slash = d.escape_slash;
    let success_keys = word_list(&d.success_keys);
    let count = word(d.count);
    let links = d.links;
    let error_keys = word_list(&d.error_keys);
    let error_fields = word_list(&d.error_fields);
    let validation = word(d.validation);
    let status = d.unauthorized_status;
    let content_type = match &d.unauthorized_content_type {
        Some(t) => quote!(Some(#t)),
        None => quote!(None),
    };
    let body = &d.unauthorized_body;
    let also = str_list(&d.unauthorized_also);
    let post_status = d.post_status;
    let behaviour = behaviour(&d.behaviour);
    quote! {
        #docs
        pub static #name_ident: super::runtime::Dialect = super::runtime::Dialect {
            name: names::#name_ident,
            title: #title,
            formats: #formats,
            xml_suffixes: #xml_suffixes,
            json_suffixes: #json_suffixes,
            nulls: #null_style,
            escape_slash: #escape_slash,
            success_keys: #success_keys,
            count: #count,
            links: #links,
            error_keys: #error_keys,
            error_fields: #error_fields,
            error_nulls: #error_nulls,
            validation: #validation,
            unauthorized: super::runtime::Unauthorized { status: #status, content_type: #content_type, also_content_types: #also, body: #body },
            post_status: #post_status,
            behaviour: #behaviour,
        };
    }
}

fn behaviour(b: &Behaviour) -> TokenStream {
    let terminate = word(b.terminate);
    let retention_from = word(b.retention_from);
    let success_error = word(b.success_error);
    let reported_entries = word(b.reported_entries);
    let request_binding = word(b.request_binding);
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
        ..
    } = b;
    quote! {
        super::runtime::Behaviour {
            terminate: #terminate,
            retention_seconds: #retention_seconds,
            download_retention_seconds: #download_retention_seconds,
            retention_from: #retention_from,
            validate_up_front: #validate_up_front,
            duplicate_renames: #duplicate_renames,
            success_error: #success_error,
            conflicts_include_folders: #conflicts_include_folders,
            path_parts_as_objects: #path_parts_as_objects,
            empty_trash_always_queues: #empty_trash_always_queues,
            single_file_download_is_archive: #single_file_download_is_archive,
            reported_entries: #reported_entries,
            download_handler: #download_handler,
            request_binding: #request_binding,
            missing_entry_status: #missing_entry_status,
            bad_credentials_status: #bad_credentials_status,
        }
    }
}
