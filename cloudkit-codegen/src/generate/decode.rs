//! Reading a record's fields back: the field initialisers of `from_record`, and the one for
//! skipped fields that every decoder shares.

use proc_macro2::{Ident, TokenStream};
use quote::{ToTokens, quote};

use super::codec::FieldCodec;

/// `title: __reader.field("title", __CODEC_0)?,` in `from_record`.
pub(super) struct FieldRead<'a>(pub(super) &'a FieldCodec<'a>);

impl ToTokens for FieldRead<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let FieldCodec {
            field,
            ident: codec,
        } = self.0;
        let (ident, name) = (&field.ident, &field.name);
        tokens.extend(quote!(#ident: __reader.field(#name, #codec)?,));
    }
}

/// `meta: __reader.system_fields(),` for the `#[cloudkit(system)]` field in `from_record`.
pub(super) struct SystemFieldsRead<'a>(pub(super) &'a Ident);

impl ToTokens for SystemFieldsRead<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let field = self.0;
        tokens.extend(quote!(#field: __reader.system_fields(),));
    }
}

/// `cached: ::core::default::Default::default(),` for a `#[cloudkit(skip)]` field, which no
/// record carries.
pub(super) struct SkippedDefault<'a>(pub(super) &'a Ident);

impl ToTokens for SkippedDefault<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let field = self.0;
        tokens.extend(quote!(#field: ::core::default::Default::default(),));
    }
}
