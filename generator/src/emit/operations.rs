//! Per-operation request structs, typed response enums and the operation catalogue.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{dialect_list, doc, ident, rust_type, shape_of, str_list, word};
use crate::ir::{BodyKind, Ir, Operation, Param, Response, TypeRef};
use fileops_vocabulary::Word;

/// Each operation's request and response types, one operation at a time, then the
/// catalogue.
pub fn emit(ir: &Ir) -> impl Iterator<Item = TokenStream> + '_ {
    let items = ir.operations.iter().map(|op| {
        let request = request(op);
        let response = response(op);
        quote!(#request #response)
    });
    items.chain(std::iter::once_with(|| catalogue(ir)))
}

fn catalogue(ir: &Ir) -> TokenStream {
    let infos = ir.operations.iter().map(|op| info(op, ir));
    let count = ir.operations.len();
    quote! {
        /// Every operation, sorted by operationId.
        pub static CATALOGUE: [super::runtime::operation::OperationInfo; #count] = [#(#infos),*];
        /// The operation with this operationId.
        pub fn by_id(id: &str) -> Option<&'static super::runtime::operation::OperationInfo> {
            CATALOGUE.iter().find(|op| op.id == id)
        }
    }
}

/// The request type's name.
pub fn request_name(op: &Operation) -> proc_macro2::Ident {
    ident(&format!("{}Request", op.type_prefix))
}

/// The response type's name.
pub fn response_name(op: &Operation) -> proc_macro2::Ident {
    ident(&format!("{}Response", op.type_prefix))
}

fn param_type(p: &Param) -> TokenStream {
    let ty = rust_type(&p.ty);
    match (&p.ty, p.required) {
        (_, true) | (TypeRef::Vec(_), false) => ty,
        (_, false) => quote!(Option<#ty>),
    }
}

fn request(op: &Operation) -> TokenStream {
    let name = request_name(op);
    let docs = doc(Some(&format!(
        "The parameters of `{}` ({} {}).",
        op.id, op.method, op.path
    )));
    let params = op.params.iter().map(|p| {
        let field = ident(&p.ident);
        let ty = param_type(p);
        let where_ = p.location.word();
        let text = format!(
            "`{}` ({where_}){}",
            p.wire,
            p.doc
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        );
        let docs = doc(Some(&text));
        quote!(#docs pub #field: #ty,)
    });
    let body = op.body.as_ref().map(|b| {
        let ty = rust_type(&b.ty);
        let ty = if b.required { ty } else { quote!(Option<#ty>) };
        let docs = doc(Some(b.doc.as_deref().unwrap_or("The JSON body.")));
        quote!(#docs pub body: #ty,)
    });
    let all_optional =
        op.params.iter().all(|p| !p.required) && op.body.as_ref().is_none_or(|b| !b.required);
    let default = all_optional.then(|| quote!(Default,));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name { #(#params)* #body }
    }
}

fn payload(r: &Response) -> Option<TokenStream> {
    r.payload.as_ref().map(rust_type)
}

fn response(op: &Operation) -> TokenStream {
    let name = response_name(op);
    let docs = doc(Some(&format!(
        "The documented answers of `{}`, one variant per status.",
        op.id
    )));
    let variants = op.responses.iter().map(|r| {
        let variant = ident(&r.variant);
        let status = r
            .status
            .map_or_else(|| "any other status".to_owned(), |s| s.to_string());
        let mut text = format!("{status}: {}", r.doc.as_deref().unwrap_or(""));
        if !r.dialects.is_empty() {
            text.push_str(&format!(" (dialects: {})", r.dialects.join(", ")));
        }
        let docs = doc(Some(&text));
        match (r.status, payload(r)) {
            (Some(_), Some(ty)) => quote!(#docs #variant(#ty),),
            (Some(_), None) => quote!(#docs #variant,),
            (None, Some(ty)) => quote!(#docs #variant(u16, #ty),),
            (None, None) => quote!(#docs #variant(u16),),
        }
    });
    let statuses = op.responses.iter().map(|r| {
        let variant = ident(&r.variant);
        match (r.status, r.payload.is_some()) {
            (Some(code), true) => quote!(Self::#variant(..) => #code,),
            (Some(code), false) => quote!(Self::#variant => #code,),
            (None, _) => quote!(Self::#variant(code, ..) => *code,),
        }
    });
    let from_error = from_error(op);
    let status_fn = (!op.responses.is_empty()).then(|| {
        quote! {
            impl #name {
                /// The HTTP status of this answer.
                pub fn status(&self) -> u16 {
                    match self { #(#statuses)* }
                }
                #from_error
            }
        }
    });
    let error_answer = error_answer(op);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)] // answers are built once and moved, never stored in bulk
        pub enum #name { #(#variants)* }
        #status_fn
        #error_answer
    }
}

/// The documented answers that carry an `ApiError`, with their status, ascending by status so
/// the emitted arms and lists do not depend on the schema's order.
fn error_responses(op: &Operation) -> Vec<(u16, &Response)> {
    let mut found: Vec<_> = op
        .responses
        .iter()
        .filter(|r| r.payload == Some(TypeRef::ApiError))
        .filter_map(|r| r.status.map(|s| (s, r)))
        .collect();
    found.sort_by_key(|(s, _)| *s);
    found
}

/// `from_error`: the variant documented for a status when it carries an `ApiError`. A
/// `default` answer carrying one documents every other status, so it takes the rest.
fn from_error(op: &Operation) -> TokenStream {
    let docs = quote! {
        /// The variant documented for `status` when it carries an
        /// [`ApiError`](super::runtime::ApiError); `None` when no such answer is documented.
    };
    let arms: Vec<_> = error_responses(op)
        .into_iter()
        .map(|(code, r)| {
            let variant = ident(&r.variant);
            quote!(#code => Some(Self::#variant(error)),)
        })
        .collect();
    let default = op
        .responses
        .iter()
        .find(|r| r.status.is_none() && r.payload == Some(TypeRef::ApiError));
    if arms.is_empty() && default.is_none() {
        // Nothing to build: a match with a lone `_` arm would be needless.
        return quote! {
            #docs
            pub fn from_error(_status: u16, _error: super::runtime::ApiError) -> Option<Self> {
                None
            }
        };
    }
    let rest = match default {
        Some(r) => {
            let variant = ident(&r.variant);
            quote!(other => Some(Self::#variant(other, error)),)
        }
        None => quote!(_ => None,),
    };
    quote! {
        #docs
        pub fn from_error(status: u16, error: super::runtime::ApiError) -> Option<Self> {
            match status { #(#arms)* #rest }
        }
    }
}

/// The runtime's `ErrorAnswer` for an operation that documents at least one status whose
/// answer carries an `ApiError` (without one there is no answer to fall back on, so no
/// implementation; a `default` answer alone has no status of its own to list).
fn error_answer(op: &Operation) -> Option<TokenStream> {
    let errors = error_responses(op);
    let first = ident(&errors.first()?.1.variant);
    let name = response_name(op);
    let codes = errors.iter().map(|(code, _)| code);
    let unauthorized = op
        .responses
        .iter()
        .find(|r| r.kind == BodyKind::Unauthorized)
        .map(|r| {
            let variant = ident(&r.variant);
            quote! {
                fn unauthorized() -> Option<Self> {
                    Some(Self::#variant)
                }
            }
        });
    Some(quote! {
        impl super::runtime::ErrorAnswer for #name {
            fn from_error(status: u16, error: super::runtime::ApiError) -> Option<Self> {
                Self::from_error(status, error)
            }
            fn error_statuses() -> &'static [u16] {
                &[#(#codes),*]
            }
            fn first_error(error: super::runtime::ApiError) -> Self {
                Self::#first(error)
            }
            #unauthorized
        }
    })
}

fn info(op: &Operation, ir: &Ir) -> TokenStream {
    let Operation {
        id, method, path, ..
    } = op;
    let dialects = dialect_list(&op.dialects);
    let anonymous = dialect_list(&op.anonymous);
    let anonymous_setting = match op.anonymous_setting {
        Some(setting) => {
            let setting = word(setting);
            quote!(Some(#setting))
        }
        None => quote!(None),
    };
    let params = op.params.iter().map(|p| {
        let name = &p.wire;
        let location = word(p.location);
        let required = p.required;
        let shape = shape_of(&p.ty, ir);
        let dialects = dialect_list(&p.dialects);
        let array_suffix = p.array_suffix;
        let style = &p.style;
        quote! {
            super::runtime::operation::ParamInfo {
                name: #name, location: #location, required: #required, shape: #shape,
                dialects: #dialects, array_suffix: #array_suffix, style: #style,
            }
        }
    });
    let body = match &op.body {
        Some(b) => {
            let shape = shape_of(&b.ty, ir);
            quote!(Some(#shape))
        }
        None => quote!(None),
    };
    let body_required = op.body.as_ref().is_some_and(|b| b.required);
    let responses = op.responses.iter().map(|r| response_info(r, ir));
    quote! {
        super::runtime::operation::OperationInfo {
            id: #id, method: #method, path: #path, dialects: #dialects, anonymous: #anonymous,
            anonymous_setting: #anonymous_setting, params: &[#(#params),*], body: #body, body_required: #body_required,
            responses: &[#(#responses),*],
        }
    }
}

fn response_info(r: &Response, ir: &Ir) -> TokenStream {
    let status = match r.status {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let kind = word(r.kind);
    let payload = match &r.payload {
        Some(ty) => {
            let shape = shape_of(ty, ir);
            quote!(Some(#shape))
        }
        None => quote!(None),
    };
    let dialects = dialect_list(&r.dialects);
    let media = r.media.iter().map(|(m, d)| {
        let d = dialect_list(d);
        quote!((#m, #d))
    });
    let readings = r.readings.iter().map(|(fact, names)| {
        let names = str_list(names);
        quote!((#fact, #names))
    });
    quote! {
        super::runtime::operation::ResponseInfo {
            status: #status, kind: #kind, payload: #payload,
            dialects: #dialects, media: &[#(#media),*], readings: &[#(#readings),*],
        }
    }
}
