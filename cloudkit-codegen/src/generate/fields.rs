//! `NoteFields`, the value `Note::fields()` returns: its declaration beside the struct, and one
//! accessor method per schema field returning a typed `FieldHandle` to filter and sort with.

use proc_macro2::{Ident, TokenStream};
use quote::{ToTokens, format_ident, quote};

use crate::check::{Accessor, RecordPlan};

use super::kind::HandleKind;

/// `pub struct NoteFields { _private: () }`. It sits beside the struct, not in the `const _`
/// block, so that users can name it.
pub(super) struct FieldsStruct<'a> {
    /// The checked struct.
    plan: &'a RecordPlan,
    /// `NoteFields`.
    pub(super) ident: Ident,
}

impl<'a> FieldsStruct<'a> {
    /// The fields struct of `plan`'s struct.
    pub(super) fn new(plan: &'a RecordPlan) -> Self {
        FieldsStruct {
            plan,
            ident: format_ident!("{}Fields", plan.ident),
        }
    }
}

impl ToTokens for FieldsStruct<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let plan = self.plan;
        let vis = &plan.vis;
        let fields_ident = &self.ident;
        let doc = format!(
            "Typed handles on the fields of record type `{}` ({}), system fields included. Get one from [`{}::fields`].",
            plan.record_type, plan.location, plan.ident
        );
        tokens.extend(quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug, ::core::default::Default)]
            #vis struct #fields_ident {
                _private: (),
            }
        });
    }
}

/// `impl NoteFields { … }`: the accessor methods.
pub(super) struct FieldsImpl<'a> {
    /// The checked struct.
    pub(super) plan: &'a RecordPlan,
    /// `NoteFields`.
    pub(super) fields: &'a Ident,
    /// The marker module's name.
    pub(super) markers: &'a Ident,
}

impl ToTokens for FieldsImpl<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let fields_ident = self.fields;
        let accessors = self.plan.accessors.iter().map(|accessor| AccessorFn {
            plan: self.plan,
            markers: self.markers,
            accessor,
        });
        tokens.extend(quote! {
            impl #fields_ident {
                #(#accessors)*
            }
        });
    }
}

/// `pub const fn title(self) -> __ck::FieldHandle<Note, __ck::kind::String, markers::title>`.
struct AccessorFn<'a> {
    plan: &'a RecordPlan,
    markers: &'a Ident,
    accessor: &'a Accessor,
}

impl ToTokens for AccessorFn<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let vis = &self.plan.vis;
        let ident = &self.plan.ident;
        let module = self.markers;
        let method = &self.accessor.method;
        let marker = &self.accessor.marker;
        let kind = HandleKind(self.accessor);
        let doc = format!(
            "`{}` ({}).",
            self.accessor.definition, self.accessor.location
        );
        tokens.extend(quote! {
            #[doc = #doc]
            #[must_use]
            #vis const fn #method(self) -> __ck::FieldHandle<#ident, #kind, #module::#marker> {
                __ck::FieldHandle::new()
            }
        });
    }
}
