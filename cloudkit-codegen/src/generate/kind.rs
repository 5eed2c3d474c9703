//! A codec kind as generated code names it: `__ck::kind::List<__ck::kind::String>`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::check::{Accessor, Kind};

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

/// The kind a field handle carries: the codec kind, except that a REFERENCE held as
/// `Reference<T>` is `References<T>`, so that its filters take `Reference<T>` only.
pub(super) struct HandleKind<'a>(pub(super) &'a Accessor);

impl ToTokens for HandleKind<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match (&self.0.kind, &self.0.target) {
            (Kind::List(element), Some(_)) if **element == Kind::Reference => {
                let element = ElementKind(self.0);
                tokens.extend(quote!(__ck::kind::List<#element>));
            }
            (Kind::Reference, Some(target)) => {
                tokens.extend(quote!(__ck::References<#target>));
            }
            (kind, _) => KindPath(kind).to_tokens(tokens),
        }
    }
}

/// The kind of one element of a LIST field (the field's own kind for a single value), as
/// [`HandleKind`] types it.
pub(super) struct ElementKind<'a>(pub(super) &'a Accessor);

impl ToTokens for ElementKind<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let element = match &self.0.kind {
            Kind::List(element) => element,
            single => single,
        };
        match (element, &self.0.target) {
            (Kind::Reference, Some(target)) => tokens.extend(quote!(__ck::References<#target>)),
            (element, _) => KindPath(element).to_tokens(tokens),
        }
    }
}
