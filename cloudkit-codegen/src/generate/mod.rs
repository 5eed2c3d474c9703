//! Stage 3: turn a checked [`RecordPlan`] into tokens.
//!
//! Names that must be nameable (`NoteFields`, the hidden marker module) are emitted beside
//! the struct; everything else (trait impls, inherent functions) sits in `const _: () = { … }`
//! so it adds no names to the user's scope. Generated code reaches the runtime only through
//! `cloudkit_runtime::typed::__private`, one stable doorway.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::check::{Accessor, Kind, RecordPlan, WireName};

/// The tokens of a kind, e.g. `__ck::kind::List<__ck::kind::String>`.
fn kind_tokens(kind: &Kind) -> TokenStream {
    match kind {
        Kind::String => quote!(__ck::kind::String),
        Kind::Int64 => quote!(__ck::kind::Int64),
        Kind::Double => quote!(__ck::kind::Double),
        Kind::Timestamp => quote!(__ck::kind::Timestamp),
        Kind::Bytes => quote!(__ck::kind::Bytes),
        Kind::Reference => quote!(__ck::kind::Reference),
        Kind::Asset => quote!(__ck::kind::Asset),
        Kind::Location => quote!(__ck::kind::Location),
        Kind::List(inner) => {
            let inner = kind_tokens(inner);
            quote!(__ck::kind::List<#inner>)
        }
    }
}

/// The name of the `Note::fields()` struct.
pub fn fields_struct_ident(plan: &RecordPlan) -> Ident {
    format_ident!("{}Fields", plan.ident)
}

/// The name of the hidden module holding the field marker types.
pub fn marker_module_ident(plan: &RecordPlan) -> Ident {
    format_ident!("__cloudkit_{}_fields", plan.ident)
}

/// Everything the derive emits for one struct.
pub fn record(plan: &RecordPlan) -> TokenStream {
    let ident = &plan.ident;
    let vis = &plan.vis;
    let krate = &plan.krate;
    let record_type = &plan.record_type;
    let fields_ident = fields_struct_ident(plan);
    let module = marker_module_ident(plan);

    let include = plan
        .schema_abs
        .as_deref()
        .filter(|_| plan.include_schema)
        .and_then(|p| p.to_str())
        .map(|path| {
            quote! {
                // Makes cargo rebuild this crate when the schema file changes.
                const _: &[u8] = ::core::include_bytes!(#path);
            }
        });

    let markers = plan.accessors.iter().map(|a| marker_struct(plan, a));
    let marker_impls = plan.accessors.iter().map(|a| marker_impls(&module, a));
    let accessor_fns = plan.accessors.iter().map(|a| accessor_fn(plan, &module, a));

    // One codec constant per field: the `FieldCodec<kind>` bound is checked there, once, at
    // the field's type, so a type that does not fit is one error pointing at the field.
    let codec_ident = |i: usize| format_ident!("__CODEC_{}", i);
    let codecs = plan.stored.iter().enumerate().map(|(i, f)| {
        let ty = &f.ty;
        let kind = kind_tokens(&f.kind);
        let codec = codec_ident(i);
        quote_spanned! {ty.span()=>
            const #codec: __ck::Codec<#kind, #ty> = __ck::Codec::new();
        }
    });
    let encode = plan.stored.iter().enumerate().map(|(i, f)| {
        let field = &f.ident;
        let name = &f.name;
        let codec = codec_ident(i);
        if f.encrypted {
            quote!(__writer.encrypted_field(#name, &self.#field, #codec);)
        } else {
            quote!(__writer.field(#name, &self.#field, #codec);)
        }
    });
    let decode = plan.stored.iter().enumerate().map(|(i, f)| {
        let field = &f.ident;
        let name = &f.name;
        let codec = codec_ident(i);
        quote!(#field: __reader.field(#name, #codec)?,)
    });
    // The typed element decoder: a slot per stored field, filled while the JSON is read.
    let slot_ident = |i: usize| format_ident!("__{}", i);
    let slot_types = plan.stored.iter().enumerate().map(|(i, f)| {
        let slot = slot_ident(i);
        let ty = &f.ty;
        quote!(#slot: ::core::option::Option<::core::result::Result<#ty, __ck::DecodeError>>,)
    });
    let slot_reads = plan.stored.iter().enumerate().map(|(i, f)| {
        let slot = slot_ident(i);
        let name = &f.name;
        let codec = codec_ident(i);
        quote! {
            #name => {
                self.#slot = __value.read(#name, #codec)?;
                ::core::result::Result::Ok(true)
            }
        }
    });
    let slot_takes = plan.stored.iter().enumerate().map(|(i, f)| {
        let slot = slot_ident(i);
        let field = &f.ident;
        let name = &f.name;
        let codec = codec_ident(i);
        quote!(#field: __ck::take_slot(self.#slot, #name, #codec, #record_type, &__system)?,)
    });
    let slot_system = plan.system.as_ref().map(|field| quote!(#field: __system,));
    let field_refs = plan.stored.iter().enumerate().map(|(i, f)| {
        let field = &f.ident;
        let name = &f.name;
        let codec = codec_ident(i);
        let constructor = if f.encrypted {
            quote!(encrypted)
        } else {
            quote!(new)
        };
        quote!(&__ck::FieldRef::#constructor(#name, &self.#field, #codec) as &dyn __ck::WriteField,)
    });
    let field_count = proc_macro2::Literal::usize_unsuffixed(plan.stored.len());
    let system_encode = match &plan.system {
        Some(field) => quote!(::core::option::Option::Some(&self.#field)),
        None => quote!(::core::option::Option::None),
    };
    let system_decode = plan
        .system
        .as_ref()
        .map(|field| quote!(#field: __reader.system_fields(),));
    let skipped = plan
        .skipped
        .iter()
        .map(|field| quote!(#field: ::core::default::Default::default(),))
        .collect::<Vec<_>>();

    let fields_doc = format!(
        "Typed handles on the fields of record type `{record_type}` ({}), system fields included. Get one from [`{ident}::fields`].",
        plan.location
    );
    let module_doc = format!(
        "Marker types of the fields of record type `{record_type}` in `{}`, one per field, carrying its indexes.",
        plan.schema_display
    );
    let fields_fn_doc =
        format!("Typed handles on the fields of `{record_type}`, to build filters and sorts with.");
    let query_doc = format!("A query for `{record_type}` records, with no filters or sorts yet.");
    let subscription_doc =
        format!("A query subscription on `{record_type}` records with this subscription ID.");

    quote! {
        #[doc = #fields_doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug, ::core::default::Default)]
        #vis struct #fields_ident {
            _private: (),
        }

        #[doc = #module_doc]
        #[doc(hidden)]
        #[allow(non_camel_case_types, non_snake_case, dead_code)]
        #vis mod #module {
            #(#markers)*
        }

        #[allow(non_upper_case_globals)]
        const _: () = {
            #include
            use #krate::typed::__private as __ck;

            #(#marker_impls)*
            #(#codecs)*

            impl __ck::CloudKitRecord for #ident {
                const RECORD_TYPE: &'static str = #record_type;

                fn to_record(&self) -> __ck::Record {
                    let mut __writer = __ck::RecordWriter::new(Self::RECORD_TYPE, #system_encode, #field_count);
                    #(#encode)*
                    __writer.finish()
                }

                fn from_record(record: __ck::Record) -> ::core::result::Result<Self, __ck::DecodeError> {
                    let mut __reader = __ck::RecordReader::new(Self::RECORD_TYPE, record)?;
                    ::core::result::Result::Ok(#ident {
                        #system_decode
                        #(#decode)*
                        #(#skipped)*
                    })
                }

                fn serialize_record<S: __ck::Serializer>(
                    &self,
                    s: S,
                ) -> ::core::result::Result<S::Ok, S::Error> {
                    __ck::serialize_record(s, Self::RECORD_TYPE, #system_encode, &[#(#field_refs)*])
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

            #[derive(::core::default::Default)]
            struct __Slots {
                #(#slot_types)*
            }

            impl __ck::FieldSlots for __Slots {
                type Record = #ident;

                fn read<'de, A: __ck::MapAccess<'de>, const EXACT: bool>(
                    &mut self,
                    name: &str,
                    __value: &mut __ck::FieldReader<'_, 'de, A, EXACT>,
                ) -> ::core::result::Result<bool, A::Error> {
                    match name {
                        #(#slot_reads)*
                        _ => ::core::result::Result::Ok(false),
                    }
                }

                fn finish(self, __system: __ck::SystemFields) -> ::core::result::Result<#ident, __ck::DecodeError> {
                    ::core::result::Result::Ok(#ident {
                        #(#slot_takes)*
                        #(#skipped)*
                        #slot_system
                    })
                }
            }

            impl #ident {
                #[doc = #fields_fn_doc]
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

            impl #fields_ident {
                #(#accessor_fns)*
            }
        };
    }
}

fn marker_struct(plan: &RecordPlan, accessor: &Accessor) -> TokenStream {
    let mut marker = accessor.marker.clone();
    marker.set_span(plan.schema_span);
    let doc = format!("`{}` at {}.", accessor.definition, accessor.location);
    // Spanned at the `schema = "…"` attribute: when a query uses an index the field lacks,
    // rustc points at this definition, and so shows the user which schema file to edit.
    quote_spanned! {plan.schema_span=>
        #[doc = #doc]
        pub struct #marker;
    }
}

fn marker_impls(module: &Ident, accessor: &Accessor) -> TokenStream {
    let marker = &accessor.marker;
    let path = quote!(#module::#marker);
    let name = match &accessor.wire_name {
        WireName::Field(name) => quote!(__ck::FieldName::Field(#name)),
        WireName::System(name) => quote!(__ck::FieldName::System(#name)),
    };
    let location = &accessor.location;
    let mut out = quote! {
        impl __ck::FieldMarker for #path {
            const NAME: __ck::FieldName = #name;
            const DEFINED_AT: &'static str = #location;
        }
    };
    if accessor.queryable {
        out.extend(quote!(impl __ck::Queryable for #path {}));
    }
    if accessor.sortable {
        out.extend(quote!(impl __ck::Sortable for #path {}));
    }
    if accessor.searchable {
        out.extend(quote!(impl __ck::Searchable for #path {}));
    }
    if !accessor.encrypted {
        out.extend(quote!(impl __ck::Unencrypted for #path {}));
    }
    // What the schema type can do, so that a misuse names the field.
    match &accessor.kind {
        Kind::List(element) => {
            let element_kind = kind_tokens(element);
            out.extend(quote! {
                impl __ck::ListOf for #path { type Element = #element_kind; }
            });
            if **element == Kind::String {
                out.extend(quote! {
                    impl __ck::TextList for #path {}
                    impl __ck::Tokenized for #path {}
                });
            }
        }
        single => {
            out.extend(quote!(impl __ck::SingleValue for #path {}));
            if matches!(
                single,
                Kind::String | Kind::Int64 | Kind::Double | Kind::Timestamp
            ) {
                out.extend(quote!(impl __ck::Ordered for #path {}));
            }
            if *single == Kind::String {
                out.extend(quote! {
                    impl __ck::Text for #path {}
                    impl __ck::Tokenized for #path {}
                });
            }
            if *single == Kind::Location {
                out.extend(quote!(impl __ck::Geo for #path {}));
            }
        }
    }
    out
}

fn accessor_fn(plan: &RecordPlan, module: &Ident, accessor: &Accessor) -> TokenStream {
    let vis = &plan.vis;
    let ident = &plan.ident;
    let method = &accessor.method;
    let marker = &accessor.marker;
    let kind = kind_tokens(&accessor.kind);
    let doc = format!("`{}` ({}).", accessor.definition, accessor.location);
    quote! {
        #[doc = #doc]
        #[must_use]
        #vis const fn #method(self) -> __ck::FieldHandle<#ident, #kind, #module::#marker> {
            __ck::FieldHandle::new()
        }
    }
}
