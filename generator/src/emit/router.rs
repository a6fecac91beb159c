//! The axum router for any implementation of the handler trait: one dispatch arm per
//! operation that reads the typed request and writes each documented answer.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::{request_name, response_name};
use super::tokens::{ident, rust_type};
use crate::ir::{BodyKind, Ir, Location, Operation, Param, Response, TypeRef};

pub fn emit(ir: &Ir) -> TokenStream {
    let arms = ir.operations.iter().map(arm);
    quote! {
        /// An axum router serving `api` the way `dialect` does.
        pub fn router<A: super::handler::FileopsApi>(
            api: std::sync::Arc<A>,
            dialect: &'static super::runtime::Dialect,
        ) -> axum::Router {
            let dispatch: super::runtime::server::Dispatch = std::sync::Arc::new(move |call| {
                let api = api.clone();
                Box::pin(async move { dispatch(&*api, call).await })
            });
            super::runtime::server::router(dialect, &super::operations::CATALOGUE, dispatch)
        }

        async fn dispatch<A: super::handler::FileopsApi>(
            api: &A,
            call: super::runtime::server::Call,
        ) -> axum::response::Response {
            match call.operation.id {
                #(#arms)*
                other => super::runtime::server::error(
                    &call,
                    404,
                    super::runtime::ApiError::new(format!("no handler for {other}")),
                ),
            }
        }
    }
}

fn read_param(p: &Param) -> TokenStream {
    let field = ident(&p.ident);
    let wire = &p.wire;
    let reader = match (&p.ty, p.required || p.location == Location::Path) {
        (_, true) => quote!(call.required(#wire)?),
        (TypeRef::Vec(inner), false) => {
            let inner = rust_type(inner);
            quote!(call.list::<#inner>(#wire)?)
        }
        (_, false) => quote!(call.param(#wire)?),
    };
    quote!(#field: #reader,)
}

fn arm(op: &Operation) -> TokenStream {
    let id = &op.id;
    let method = ident(&op.method_ident);
    let request = request_name(op);
    let response = response_name(op);
    let params = op.params.iter().map(read_param);
    let body = op.body.as_ref().map(|b| {
        if b.required {
            quote!(body: call.body()?,)
        } else {
            quote!(body: if call.body.is_empty() { None } else { Some(call.body()?) },)
        }
    });
    let answers = op.responses.iter().map(|r| answer(&response, r));
    let fallback = (op.responses.is_empty()).then(|| quote!(#[allow(unreachable_code)]));
    quote! {
        #id => {
            let read = || -> Result<super::operations::#request, super::runtime::DecodeError> {
                Ok(super::operations::#request { #(#params)* #body })
            };
            let request = match read() {
                Ok(request) => request,
                Err(problem) => return super::runtime::server::invalid(&call, problem),
            };
            #fallback
            match api.#method(call.context.clone(), request).await {
                #(#answers)*
            }
        }
    }
}

fn answer(response: &proc_macro2::Ident, r: &Response) -> TokenStream {
    let variant = ident(&r.variant);
    let server = quote!(super::runtime::server);
    let write = |status: TokenStream, payload: TokenStream| match r.kind {
        BodyKind::Envelope => quote!(#server::success(&call, #status, #payload)),
        BodyKind::Error => quote!(#server::error(&call, #status, #payload)),
        BodyKind::Plain => quote!(#server::plain(&call, #status, #payload)),
        BodyKind::Text => quote!(#server::text(#status, #payload)),
        BodyKind::Unauthorized | BodyKind::Empty => quote!(#server::empty(#status)),
    };
    match (r.status, r.payload.is_some(), r.kind) {
        (_, _, BodyKind::Unauthorized) if r.payload.is_none() && r.status.is_some() => {
            quote!(super::operations::#response::#variant => #server::refuse_caller(&call),)
        }
        (Some(code), true, _) => {
            let body = write(quote!(#code), quote!(payload));
            quote!(super::operations::#response::#variant(payload) => #body,)
        }
        (Some(code), false, _) => {
            let body = write(quote!(#code), quote!(String::new()));
            quote!(super::operations::#response::#variant => #body,)
        }
        (None, true, _) => {
            let body = write(quote!(code), quote!(payload));
            quote!(super::operations::#response::#variant(code, payload) => #body,)
        }
        (None, false, _) => {
            let body = write(quote!(code), quote!(String::new()));
            quote!(super::operations::#response::#variant(code) => #body,)
        }
    }
}
