//! Core Data's `CD_entityName`, written with every record of a `core_data` struct that has no
//! field for it: its codec constant, its write in `to_record` and its entry in the field list
//! of `serialize_record`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::check::EntityName;

/// `const __CODEC_ENTITY_NAME: __ck::Codec<__ck::kind::String, String>`.
pub(super) struct EntityNameCodec;

impl ToTokens for EntityNameCodec {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(quote! {
            const __CODEC_ENTITY_NAME: __ck::Codec<__ck::kind::String, ::std::string::String> =
                __ck::Codec::new();
        });
    }
}

/// `__writer.field("CD_entityName", &String::from("TodoItem"), __CODEC_ENTITY_NAME);` in
/// `to_record`.
pub(super) struct EntityNameWrite<'a>(pub(super) &'a EntityName);

impl ToTokens for EntityNameWrite<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let EntityName { field, entity } = self.0;
        tokens.extend(quote! {
            __writer.field(#field, &::std::string::String::from(#entity), __CODEC_ENTITY_NAME);
        });
    }
}

/// The entity name's entry in the field list `serialize_record` writes.
pub(super) struct EntityNameRef<'a>(pub(super) &'a EntityName);

impl ToTokens for EntityNameRef<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let EntityName { field, entity } = self.0;
        tokens.extend(quote! {
            &__ck::FieldRef::new(#field, &::std::string::String::from(#entity), __CODEC_ENTITY_NAME)
                as &dyn __ck::WriteField,
        });
    }
}
