//! Small token helpers shared by the emitters: identifiers, type paths, docs, string lists.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Ir, TypeKind, TypeRef};
use crate::naming::static_name;

/// An identifier; `r#name` becomes a raw identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The static holding a type's shape.
pub fn shape_static(type_name: &str, suffix: &str) -> Ident {
    ident(&format!("{}_{suffix}", static_name(type_name)))
}

/// The Rust type for a reference.
pub fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(super::types::#name)
        }
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::String => quote!(String),
        TypeRef::EntryId => quote!(super::runtime::EntryId),
        TypeRef::Date => quote!(super::runtime::ApiDateTime),
        TypeRef::ApiError => quote!(super::runtime::ApiError),
        TypeRef::ProblemDetails => quote!(super::runtime::ProblemDetails),
        TypeRef::Link => quote!(super::runtime::Link),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Vec(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
    }
}

/// A `&'static Shape` expression for a type.
///
/// Named types point at their shape statics directly (aliases are followed), never through
/// `Model::SHAPE`: a generic associated const inside a static's initializer makes recursive
/// types a const-evaluation cycle.
pub fn shape_of(ty: &TypeRef, ir: &Ir) -> TokenStream {
    shape_at_depth(ty, ir, 0)
}

fn shape_at_depth(ty: &TypeRef, ir: &Ir, depth: usize) -> TokenStream {
    let shape = quote!(super::runtime::Shape);
    match ty {
        TypeRef::Named(name) => match ir.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
            Some(TypeKind::Alias(target)) if depth < 32 => shape_at_depth(target, ir, depth + 1),
            Some(TypeKind::Alias(_)) | None => quote!(&#shape::Any),
            Some(_) => {
                let s = shape_static(name, "SHAPE");
                quote!(&super::types::#s)
            }
        },
        TypeRef::Bool => quote!(&#shape::Bool),
        TypeRef::I32 | TypeRef::I64 => quote!(&#shape::Integer),
        TypeRef::F64 => quote!(&#shape::Number),
        TypeRef::String => quote!(&#shape::String),
        TypeRef::EntryId => quote!(&#shape::EntryId),
        TypeRef::Date => quote!(&#shape::Date),
        TypeRef::Any => quote!(&#shape::Any),
        TypeRef::ApiError | TypeRef::ProblemDetails | TypeRef::Link => {
            let ty = rust_type(ty);
            quote!(<#ty as super::runtime::Model>::SHAPE)
        }
        TypeRef::Vec(inner) => {
            let inner = shape_at_depth(inner, ir, depth + 1);
            quote!(&#shape::Array(#inner))
        }
        TypeRef::Map(inner) => {
            let inner = shape_at_depth(inner, ir, depth + 1);
            quote!(&#shape::Map(#inner))
        }
    }
}

/// A `#[doc]` attribute, lines trimmed so no text turns into a code block or doctest.
pub fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    // One attribute per line, so the pretty-printer writes `///` lines.
    let lines = text.lines().map(|line| match line.trim() {
        "" => String::new(),
        line => format!(" {}", line.replace("```", "'''")),
    });
    quote!(#(#[doc = #lines])*)
}

/// A `&[&str]` literal.
pub fn str_list(items: &[String]) -> TokenStream {
    quote!(&[#(#items),*])
}

/// A dialect's name as the path of its one static (`super::dialects::names::DOCSPACE`),
/// so that every table holds the same address for it.
pub fn dialect_name(name: &str) -> TokenStream {
    let name = ident(&static_name(name));
    quote!(super::dialects::names::#name)
}

/// A `&[&str]` of dialect names, each the path of its static.
pub fn dialect_list(names: &[String]) -> TokenStream {
    let names = names.iter().map(|n| dialect_name(n));
    quote!(&[#(#names),*])
}

/// A `&[(&str, &str)]` keyed by dialect name (the key the path of its static).
pub fn dialect_pairs(items: &[(String, String)]) -> TokenStream {
    let items = items.iter().map(|(d, v)| {
        let d = dialect_name(d);
        quote!((#d, #v))
    });
    quote!(&[#(#items),*])
}

/// A vocabulary word as the path of its variant in the runtime
/// (`super::runtime::CountRule::LengthOmitZero`).
pub fn word<W: fileops_vocabulary::Word>(w: W) -> TokenStream {
    let kind = quote::format_ident!("{}", W::TYPE);
    let variant = quote::format_ident!("{}", w.variant());
    quote!(super::runtime::#kind::#variant)
}

/// A list of vocabulary words as a static slice.
pub fn word_list<W: fileops_vocabulary::Word>(words: &[W]) -> TokenStream {
    let words = words.iter().map(|w| word(*w));
    quote!(&[#(#words),*])
}
