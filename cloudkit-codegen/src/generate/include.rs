//! The `include_bytes!` of the schema file, which makes cargo rebuild the crate when the
//! schema changes.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// `const _: &[u8] = ::core::include_bytes!("/abs/schema.ckdb");`, or nothing without a path
/// (a schema not read from a file, or already included by this crate).
pub(crate) struct SchemaInclude<'a>(Option<&'a str>);

impl<'a> SchemaInclude<'a> {
    /// Includes the file at `path`; a path that is not UTF-8 cannot be written in a string
    /// literal, so it is left out.
    pub(crate) fn new(path: Option<&'a Path>) -> Self {
        SchemaInclude(path.and_then(Path::to_str))
    }
}

impl ToTokens for SchemaInclude<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        if let Some(path) = self.0 {
            tokens.extend(quote! {
                const _: &[u8] = ::core::include_bytes!(#path);
            });
        }
    }
}
