//! The field marker types, one per accessor, and their trait impls: the field's wire name and
//! schema position here, its capabilities (indexes and what its schema type can do) in
//! [`super::capability`], so that rustc itself rejects a query the schema does not allow,
//! naming the field.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};

use crate::check::{Accessor, RecordPlan, WireName};

use super::capability::Capabilities;

/// The hidden module holding the marker types, `__cloudkit_Note_fields`. It sits beside the
/// struct, not in the `const _` block, because field handles name its types.
pub(super) struct MarkerModule<'a> {
    /// The checked struct.
    plan: &'a RecordPlan,
    /// The module's name.
    pub(super) ident: Ident,
}

impl<'a> MarkerModule<'a> {
    /// The marker module of `plan`'s struct.
    pub(super) fn new(plan: &'a RecordPlan) -> Self {
        MarkerModule {
            plan,
            ident: format_ident!("__cloudkit_{}_fields", plan.ident),
        }
    }
}

impl ToTokens for MarkerModule<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let plan = self.plan;
        let vis = &plan.vis;
        let module = &self.ident;
        let doc = format!(
            "Marker types of the fields of record type `{}` in `{}`, one per field, carrying its indexes.",
            plan.record_type, plan.schema_display
        );
        let markers = plan.accessors.iter().map(|accessor| MarkerStruct {
            accessor,
            schema_span: plan.schema_span,
        });
        tokens.extend(quote! {
            #[doc = #doc]
            #[doc(hidden)]
            #[allow(non_camel_case_types, non_snake_case, dead_code)]
            #vis mod #module {
                #(#markers)*
            }
        });
    }
}

/// `pub struct title;`, documented with the field's schema definition.
struct MarkerStruct<'a> {
    accessor: &'a Accessor,
    /// Where the schema was named.
    schema_span: Span,
}

impl ToTokens for MarkerStruct<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let accessor = self.accessor;
        let mut marker = accessor.marker.clone();
        marker.set_span(self.schema_span);
        let doc = format!("`{}` at {}.", accessor.definition, accessor.location);
        // Spanned at the `schema = "…"` attribute: when a query uses an index the field lacks,
        // rustc points at this definition, and so shows the user which schema file to edit.
        tokens.extend(quote_spanned! {self.schema_span=>
            #[doc = #doc]
            pub struct #marker;
        });
    }
}

/// The impls of one marker type, emitted in the `const _` block.
pub(super) struct MarkerImpls<'a> {
    /// The checked struct.
    pub(super) plan: &'a RecordPlan,
    /// The marker module's name.
    pub(super) module: &'a Ident,
    /// The field the marker stands for.
    pub(super) accessor: &'a Accessor,
}

impl ToTokens for MarkerImpls<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let accessor = self.accessor;
        let module = self.module;
        let marker = &accessor.marker;
        let path = quote!(#module::#marker);
        let name = match &accessor.wire_name {
            WireName::Field(name) => quote!(__ck::FieldName::Field(#name)),
            WireName::System(name) => quote!(__ck::FieldName::System(#name)),
        };
        let location = &accessor.location;
        tokens.extend(quote! {
            impl __ck::FieldMarker for #path {
                const NAME: __ck::FieldName = #name;
                const DEFINED_AT: &'static str = #location;
            }
        });
        Capabilities {
            record: &self.plan.ident,
            record_type: &self.plan.record_type,
            path,
            accessor,
            schema_span: self.plan.schema_span,
        }
        .to_tokens(tokens);
    }
}
