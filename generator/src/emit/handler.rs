//! The handler trait: one async method per operation, futures `Send`.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::{request_name, response_name};
use super::tokens::{doc, ident};
use crate::ir::Ir;

pub fn emit(ir: &Ir) -> TokenStream {
    let methods = ir.operations.iter().map(|op| {
        let method = ident(&op.method_ident);
        let request = request_name(op);
        let response = response_name(op);
        let mut text = format!("`{}`: {} {}", op.id, op.method, op.path);
        if let Some(d) = &op.doc {
            text.push_str("\n\n");
            text.push_str(d);
        }
        if !op.dialects.is_empty() {
            text.push_str(&format!("\n\nServed by: {}.", op.dialects.join(", ")));
        }
        let docs = doc(Some(&text));
        quote! {
            #docs
            fn #method(
                &self,
                context: super::runtime::RequestContext,
                request: super::operations::#request,
            ) -> impl std::future::Future<Output = super::operations::#response> + Send;
        }
    });
    quote! {
        /// A fileops server: implement this and mount it with a router for a dialect.
        ///
        /// Every method gets the request context (dialect, format, token) and the typed
        /// request, and answers with one of the operation's documented responses.
        pub trait FileopsApi: Send + Sync + 'static {
            #(#methods)*
        }
    }
}
