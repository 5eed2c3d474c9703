//! A codec kind as generated code names it: `__ck::kind::List<__ck::kind::String>`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::check::Kind;

/// The path of a [`Kind`] under the runtime's `__private` doorway.
pub(super) struct KindPath<'a>(pub(super) &'a Kind);

impl ToTokens for KindPath<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(match self.0 {
            Kind::String => quote!(__ck::kind::String),
            Kind::Int64 => quote!(__ck::kind::Int64),
            Kind::Double => quote!(__ck::kind::Double),
            Kind::Timestamp => quote!(__ck::kind::Timestamp),
            Kind::Bytes => quote!(__ck::kind::Bytes),
            Kind::Reference => quote!(__ck::kind::Reference),
            Kind::Asset => quote!(__ck::kind::Asset),
            Kind::Location => quote!(__ck::kind::Location),
            Kind::List(element) => {
                let element = KindPath(element);
                quote!(__ck::kind::List<#element>)
            }
        });
    }
}
