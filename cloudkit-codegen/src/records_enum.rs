//! `#[derive(CloudKitRecords)]`: an enum with one tuple variant per record type implements
//! `CloudKitRecords`, dispatching on each record's type.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

/// Expands `#[derive(CloudKitRecords)]` on `input`. Never panics: a shape it cannot use
/// becomes a `compile_error!` at the item or variant concerned.
pub fn derive_records(input: TokenStream) -> TokenStream {
    match syn::parse2::<DeriveInput>(input).and_then(|input| expand(&input)) {
        Ok(tokens) => tokens,
        Err(e) => e.to_compile_error(),
    }
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`CloudKitRecords` is derived for an enum with one variant per record type, e.g. `enum AppRecord { Note(Note), Folder(Folder) }`",
        ));
    };
    let mut types = Vec::new();
    let mut variants = Vec::new();
    for variant in &data.variants {
        let ty = match &variant.fields {
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => &fields.unnamed[0].ty,
            _ => {
                return Err(syn::Error::new_spanned(
                    variant,
                    format!(
                        "each variant holds one record struct: write `{}(RecordStruct)`",
                        variant.ident
                    ),
                ));
            }
        };
        types.push(ty);
        variants.push(&variant.ident);
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics ::cloudkit_runtime::typed::CloudKitRecords for #name #ty_generics #where_clause {
            const RECORD_TYPES: &'static [&'static str] = &[
                #(<#types as ::cloudkit_runtime::CloudKitRecord>::RECORD_TYPE,)*
            ];

            fn from_record(
                record: ::cloudkit_runtime::wire::Record,
            ) -> ::core::option::Option<::core::result::Result<Self, ::cloudkit_runtime::DecodeError>> {
                let mut record = ::core::option::Option::Some(record);
                #(
                    if let ::core::option::Option::Some(decoded) =
                        ::cloudkit_runtime::typed::decode_if::<#types>(&mut record)
                    {
                        return ::core::option::Option::Some(decoded.map(#name::#variants));
                    }
                )*
                ::core::option::Option::None
            }
        }
    })
}
