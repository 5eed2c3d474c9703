//! `impl Note { … }`: where typed code starts from a record struct, with `fields()`,
//! `query()` and `subscription(id)`.

use proc_macro2::{Ident, TokenStream};
use quote::{ToTokens, quote};

use crate::check::RecordPlan;

/// The inherent functions of the record struct.
pub(super) struct InherentImpl<'a> {
    /// The checked struct.
    pub(super) plan: &'a RecordPlan,
    /// `NoteFields`, which `fields()` returns.
    pub(super) fields: &'a Ident,
}

impl ToTokens for InherentImpl<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let ident = &self.plan.ident;
        let vis = &self.plan.vis;
        let record_type = &self.plan.record_type;
        let fields_ident = self.fields;
        let fields_doc = format!(
            "Typed handles on the fields of `{record_type}`, to build filters and sorts with."
        );
        let query_doc =
            format!("A query for `{record_type}` records, with no filters or sorts yet.");
        let subscription_doc =
            format!("A query subscription on `{record_type}` records with this subscription ID.");
        tokens.extend(quote! {
            impl #ident {
                #[doc = #fields_doc]
                #[must_use]
                #vis const fn fields() -> #fields_ident {
                    #fields_ident { _private: () }
                }

                #[doc = #query_doc]
                #[must_use]
                #vis fn query() -> __ck::Query<#ident> {
                    __ck::Query::new()
                }

                #[doc = #subscription_doc]
                #[must_use]
                #vis fn subscription(id: impl ::core::convert::Into<::std::string::String>) -> __ck::QuerySubscription<#ident> {
                    __ck::QuerySubscription::new(id)
                }
            }
        });
    }
}
