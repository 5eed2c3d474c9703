//! Stage 3: turn a checked [`RecordPlan`] into tokens.
//!
//! Each emitted item is a small struct that renders itself (`impl ToTokens`), as cynic's
//! derive does; [`record`] only puts them in place. Names that must be nameable
//! (`NoteFields`, the hidden marker module) are emitted beside the struct; everything else
//! (trait impls, inherent functions) sits in `const _: () = { … }` so it adds no names to the
//! user's scope. Generated code reaches the runtime only through
//! `cloudkit_runtime::typed::__private`, one stable doorway, imported there as `__ck`.

mod capability;
mod codec;
mod decode;
mod encode;
mod entity_name;
mod fields;
mod include;
mod inherent;
mod kind;
mod marker;
mod record_impl;
mod slots;

use proc_macro2::TokenStream;
use quote::quote;

use crate::check::RecordPlan;

use codec::FieldCodec;
use fields::{FieldsImpl, FieldsStruct};
use inherent::InherentImpl;
use marker::{MarkerImpls, MarkerModule};
use record_impl::RecordImpl;
use slots::Slots;

pub(crate) use include::SchemaInclude;

/// Everything the derive emits for one struct.
pub(crate) fn record(plan: &RecordPlan) -> TokenStream {
    let krate = &plan.krate;
    let fields_struct = FieldsStruct::new(plan);
    let marker_module = MarkerModule::new(plan);
    let include = SchemaInclude::new(plan.schema_abs.as_deref().filter(|_| plan.include_schema));
    let marker_impls = plan.accessors.iter().map(|accessor| MarkerImpls {
        plan,
        module: &marker_module.ident,
        accessor,
    });
    let codecs = FieldCodec::of_record(plan);
    let record_impl = RecordImpl {
        plan,
        codecs: &codecs,
    };
    let slots = Slots::new(plan, &codecs);
    let inherent_impl = InherentImpl {
        plan,
        fields: &fields_struct.ident,
    };
    let fields_impl = FieldsImpl {
        plan,
        fields: &fields_struct.ident,
        markers: &marker_module.ident,
    };
    quote! {
        #fields_struct
        #marker_module

        #[allow(non_upper_case_globals)]
        const _: () = {
            #include
            use #krate::typed::__private as __ck;

            #(#marker_impls)*
            #(#codecs)*
            #record_impl
            #slots
            #inherent_impl
            #fields_impl
        };
    }
}
