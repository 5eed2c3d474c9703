//! `impl CloudKitRecord for Note`: the record type's name and the four ways in and out of a
//! record (to and from `Record`, serialized directly, deserialized from a response element).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::check::RecordPlan;

use super::codec::FieldCodec;
use super::decode::{FieldRead, SkippedDefault, SystemFieldsRead};
use super::encode::{FieldRefEntry, FieldWrite, SystemFieldsArg};

/// The `CloudKitRecord` impl. It decodes response elements through `__Slots`, the decoder
/// emitted beside it.
pub(super) struct RecordImpl<'a> {
    /// The checked struct.
    pub(super) plan: &'a RecordPlan,
    /// Its stored fields' codecs.
    pub(super) codecs: &'a [FieldCodec<'a>],
}

impl ToTokens for RecordImpl<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let plan = self.plan;
        let ident = &plan.ident;
        let record_type = &plan.record_type;
        let system = SystemFieldsArg(plan.system.as_ref());
        let field_count = proc_macro2::Literal::usize_unsuffixed(plan.stored.len());
        let writes = self.codecs.iter().map(FieldWrite);
        let reads = self.codecs.iter().map(FieldRead);
        let system_read = plan.system.as_ref().map(SystemFieldsRead);
        let skipped = plan.skipped.iter().map(SkippedDefault);
        let field_refs = self.codecs.iter().map(FieldRefEntry);
        tokens.extend(quote! {
            impl __ck::CloudKitRecord for #ident {
                const RECORD_TYPE: &'static str = #record_type;

                fn to_record(&self) -> __ck::Record {
                    let mut __writer = __ck::RecordWriter::new(Self::RECORD_TYPE, #system, #field_count);
                    #(#writes)*
                    __writer.finish()
                }

                fn from_record(record: __ck::Record) -> ::core::result::Result<Self, __ck::DecodeError> {
                    let mut __reader = __ck::RecordReader::new(Self::RECORD_TYPE, record)?;
                    ::core::result::Result::Ok(#ident {
                        #system_read
                        #(#reads)*
                        #(#skipped)*
                    })
                }

                fn serialize_record<S: __ck::Serializer>(
                    &self,
                    s: S,
                ) -> ::core::result::Result<S::Ok, S::Error> {
                    __ck::serialize_record(s, Self::RECORD_TYPE, #system, &[#(#field_refs)*])
                }

                fn deserialize_record_element<'de, D: __ck::Deserializer<'de>>(
                    d: D,
                ) -> ::core::result::Result<__ck::TypedRecordResult<Self>, D::Error> {
                    __ck::deserialize_record_element::<__Slots, D>(d)
                }

                fn deserialize_record_element_exact<'de, D: __ck::Deserializer<'de>>(
                    d: D,
                ) -> ::core::result::Result<__ck::TypedRecordResult<Self>, D::Error> {
                    __ck::deserialize_record_element_exact::<__Slots, D>(d)
                }
            }
        });
    }
}
