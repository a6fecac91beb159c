//! The typed async client: one method per operation that sends the request in the
//! configured dialect, format and enum encoding, and reads each documented status into its
//! variant while keeping the raw exchange.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::{request_name, response_name};
use super::tokens::{doc, ident};
use crate::ir::{BodyKind, Ir, Location, Operation, Param, Response, TypeRef};

pub fn emit(ir: &Ir) -> TokenStream {
    let methods = ir
        .operations
        .iter()
        .enumerate()
        .map(|(index, op)| method(index, op));
    quote! {
        /// A typed client for every operation.
        #[derive(Debug, Clone)]
        pub struct Client {
            /// How requests are sent (dialect, format, token, enum encoding).
            pub transport: super::runtime::client::Transport,
        }

        impl Client {
            /// A client with these settings.
            pub fn new(config: super::runtime::client::ClientConfig) -> Self {
                Self { transport: super::runtime::client::Transport::new(config) }
            }

            #(#methods)*
        }
    }
}

fn push(p: &Param) -> TokenStream {
    let field = ident(&p.ident);
    let wire = &p.wire;
    let list = match p.location {
        Location::Path => quote!(params.path),
        Location::Query => quote!(params.query),
        Location::Header => quote!(params.headers),
    };
    match (&p.ty, p.required || p.location == Location::Path) {
        (_, true) => quote!(#list.push((#wire, t.param(&request.#field)?));),
        (TypeRef::Vec(_), false) => quote! {
            if !request.#field.is_empty() { #list.push((#wire, t.param(&request.#field)?)); }
        },
        (_, false) => quote! {
            if let Some(value) = &request.#field { #list.push((#wire, t.param(value)?)); }
        },
    }
}

fn method(index: usize, op: &Operation) -> TokenStream {
    let name = ident(&op.method_ident);
    let request = request_name(op);
    let response = response_name(op);
    let docs = doc(Some(&format!("`{}`: {} {}", op.id, op.method, op.path)));
    let pushes = op.params.iter().map(push);
    let params_decl = if op.params.is_empty() {
        quote!(let params = super::runtime::client::Params::default();)
    } else {
        quote!(let mut params = super::runtime::client::Params::default(); #(#pushes)*)
    };
    let body = match &op.body {
        Some(b) if b.required => quote!(Some(t.body(&request.body)?)),
        Some(_) => quote!(request.body.as_ref().map(|b| t.body(b)).transpose()?),
        None => quote!(None),
    };
    let arms = op.responses.iter().map(|r| arm(&response, r));
    // A request with nothing in it still keeps the uniform signature.
    let unused = (op.params.is_empty() && op.body.is_none()).then(|| quote!(let _ = request;));
    let fallback = (!op.responses.iter().any(|r| r.status.is_none()))
        .then(|| quote!(_ => raw.undocumented(),));
    quote! {
        #docs
        pub async fn #name(
            &self,
            request: &super::operations::#request,
        ) -> Result<
            super::runtime::client::Exchange<super::operations::#response>,
            super::runtime::client::ClientError,
        > {
            let t = &self.transport;
            #unused
            #params_decl
            let raw = t.send(&super::operations::CATALOGUE[#index], params, #body).await?;
            let answer = match raw.status {
                #(#arms)*
                #fallback
            };
            Ok(raw.into_exchange(answer))
        }
    }
}

fn arm(response: &proc_macro2::Ident, r: &Response) -> TokenStream {
    let variant = ident(&r.variant);
    let read = match r.kind {
        BodyKind::Envelope => quote!(raw.success()),
        BodyKind::Error => quote!(raw.error()),
        BodyKind::Plain => quote!(raw.plain()),
        BodyKind::Text => quote!(raw.text()),
        BodyKind::Unauthorized | BodyKind::Empty => quote!(Ok(())),
    };
    match (r.status, r.payload.is_some()) {
        (Some(code), true) => quote!(#code => #read.map(super::operations::#response::#variant),),
        (Some(code), false) => quote!(#code => Ok(super::operations::#response::#variant),),
        (None, true) => {
            quote!(status => #read.map(|p| super::operations::#response::#variant(status, p)),)
        }
        (None, false) => quote!(status => Ok(super::operations::#response::#variant(status)),),
    }
}
