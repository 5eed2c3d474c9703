//! The codec constants: `const __CODEC_0: __ck::Codec<__ck::kind::String, String>`, one per
//! stored field.
//!
//! The `FieldCodec<kind>` bound is checked at the constant, once, at the field's type, so a
//! type that does not fit is one error pointing at the field. Every item that reads or writes
//! the field then names the constant.

use proc_macro2::{Ident, TokenStream};
use quote::{ToTokens, format_ident, quote_spanned};
use syn::spanned::Spanned;

use crate::check::{RecordPlan, StoredField};

use super::kind::KindPath;

/// A stored field and the codec constant that reads and writes it.
pub(super) struct FieldCodec<'a> {
    /// The stored field.
    pub(super) field: &'a StoredField,
    /// `__CODEC_n`, `n` being the field's position among the stored fields.
    pub(super) ident: Ident,
}

impl<'a> FieldCodec<'a> {
    /// One per stored field of `plan`, in struct order.
    pub(super) fn of_record(plan: &'a RecordPlan) -> Vec<FieldCodec<'a>> {
        plan.stored
            .iter()
            .enumerate()
            .map(|(index, field)| FieldCodec {
                field,
                ident: format_ident!("__CODEC_{}", index),
            })
            .collect()
    }
}

impl ToTokens for FieldCodec<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let ty = &self.field.ty;
        let kind = KindPath(&self.field.kind);
        let codec = &self.ident;
        tokens.extend(quote_spanned! {ty.span()=>
            const #codec: __ck::Codec<#kind, #ty> = __ck::Codec::new();
        });
    }
}
