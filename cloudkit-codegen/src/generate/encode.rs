//! Writing a record's fields: the writes of `to_record` and the field list of
//! `serialize_record`.

use proc_macro2::{Ident, TokenStream};
use quote::{ToTokens, quote};

use super::codec::FieldCodec;

/// `__writer.field("title", &self.title, __CODEC_0);` in `to_record`; `encrypted_field` for an
/// `ENCRYPTED` field.
pub(super) struct FieldWrite<'a>(pub(super) &'a FieldCodec<'a>);

impl ToTokens for FieldWrite<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let FieldCodec {
            field,
            ident: codec,
        } = self.0;
        let (ident, name) = (&field.ident, &field.name);
        tokens.extend(if field.encrypted {
            quote!(__writer.encrypted_field(#name, &self.#ident, #codec);)
        } else {
            quote!(__writer.field(#name, &self.#ident, #codec);)
        });
    }
}

/// `&__ck::FieldRef::new("title", &self.title, __CODEC_0) as &dyn __ck::WriteField,` in the
/// field list `serialize_record` writes; `FieldRef::encrypted` for an `ENCRYPTED` field.
pub(super) struct FieldRefEntry<'a>(pub(super) &'a FieldCodec<'a>);

impl ToTokens for FieldRefEntry<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let FieldCodec {
            field,
            ident: codec,
        } = self.0;
        let (ident, name) = (&field.ident, &field.name);
        let constructor = if field.encrypted {
            quote!(encrypted)
        } else {
            quote!(new)
        };
        tokens.extend(
            quote!(&__ck::FieldRef::#constructor(#name, &self.#ident, #codec) as &dyn __ck::WriteField,),
        );
    }
}

/// The system fields a record is written with: `Some(&self.meta)` from the
/// `#[cloudkit(system)]` field, or `None` when the struct has none.
pub(super) struct SystemFieldsArg<'a>(pub(super) Option<&'a Ident>);

impl ToTokens for SystemFieldsArg<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(match self.0 {
            Some(field) => quote!(::core::option::Option::Some(&self.#field)),
            None => quote!(::core::option::Option::None),
        });
    }
}
