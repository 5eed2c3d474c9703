//! The typed element decoder: `struct __Slots`, one slot per stored field, filled while the
//! response JSON is read, and its `FieldSlots` impl that builds the struct from the slots.

use proc_macro2::{Ident, TokenStream};
use quote::{ToTokens, format_ident, quote};

use crate::check::RecordPlan;

use super::codec::FieldCodec;
use super::decode::SkippedDefault;

/// `struct __Slots` and `impl FieldSlots for __Slots`.
pub(super) struct Slots<'a> {
    /// The checked struct.
    plan: &'a RecordPlan,
    /// One slot per stored field.
    slots: Vec<Slot<'a>>,
}

impl<'a> Slots<'a> {
    /// The decoder of `plan`'s struct, its slots in the order of `codecs`.
    pub(super) fn new(plan: &'a RecordPlan, codecs: &'a [FieldCodec<'a>]) -> Self {
        let slots = codecs
            .iter()
            .enumerate()
            .map(|(index, codec)| Slot {
                ident: format_ident!("__{}", index),
                codec,
            })
            .collect();
        Slots { plan, slots }
    }
}

/// One stored field's slot: `__0`, holding the field's value (or its decode error) once read.
struct Slot<'a> {
    /// `__n`, `n` being the field's position among the stored fields.
    ident: Ident,
    /// The field and its codec.
    codec: &'a FieldCodec<'a>,
}

/// `__0: Option<Result<String, __ck::DecodeError>>,` in `struct __Slots`.
struct SlotDecl<'a>(&'a Slot<'a>);

impl ToTokens for SlotDecl<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let slot = &self.0.ident;
        let ty = &self.0.codec.field.ty;
        tokens.extend(
            quote!(#slot: ::core::option::Option<::core::result::Result<#ty, __ck::DecodeError>>,),
        );
    }
}

/// The match arm of `FieldSlots::read` that fills the slot when its field's name comes up.
struct SlotRead<'a>(&'a Slot<'a>);

impl ToTokens for SlotRead<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let slot = &self.0.ident;
        let name = &self.0.codec.field.name;
        let codec = &self.0.codec.ident;
        tokens.extend(quote! {
            #name => {
                self.#slot = __value.read(#name, #codec)?;
                ::core::result::Result::Ok(true)
            }
        });
    }
}

/// `title: __ck::take_slot(self.__0, "title", __CODEC_0, "Note", &__system)?,` in
/// `FieldSlots::finish`.
struct SlotTake<'a> {
    slot: &'a Slot<'a>,
    record_type: &'a str,
}

impl ToTokens for SlotTake<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let slot = &self.slot.ident;
        let field = &self.slot.codec.field.ident;
        let name = &self.slot.codec.field.name;
        let codec = &self.slot.codec.ident;
        let record_type = self.record_type;
        tokens.extend(
            quote!(#field: __ck::take_slot(self.#slot, #name, #codec, #record_type, &__system)?,),
        );
    }
}

impl ToTokens for Slots<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let ident = &self.plan.ident;
        let record_type = self.plan.record_type.as_str();
        let decls = self.slots.iter().map(SlotDecl);
        let reads = self.slots.iter().map(SlotRead);
        let takes = self.slots.iter().map(|slot| SlotTake { slot, record_type });
        let skipped = self.plan.skipped.iter().map(SkippedDefault);
        let system = self
            .plan
            .system
            .as_ref()
            .map(|field| quote!(#field: __system,));
        tokens.extend(quote! {
            #[derive(::core::default::Default)]
            struct __Slots {
                #(#decls)*
            }

            impl __ck::FieldSlots for __Slots {
                type Record = #ident;

                fn read<'de, A: __ck::MapAccess<'de>, const EXACT: bool>(
                    &mut self,
                    name: &str,
                    __value: &mut __ck::FieldReader<'_, 'de, A, EXACT>,
                ) -> ::core::result::Result<bool, A::Error> {
                    match name {
                        #(#reads)*
                        _ => ::core::result::Result::Ok(false),
                    }
                }

                fn finish(self, __system: __ck::SystemFields) -> ::core::result::Result<#ident, __ck::DecodeError> {
                    ::core::result::Result::Ok(#ident {
                        #(#takes)*
                        #(#skipped)*
                        #system
                    })
                }
            }
        });
    }
}
