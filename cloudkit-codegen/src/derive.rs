//! The derive's whole pipeline: parse → check → generate, errors collected on the way.

use proc_macro2::{Span, TokenStream};
use syn::DeriveInput;

use crate::check;
use crate::ctxt::Ctxt;
use crate::generate;
use crate::input;
use crate::schema_file::{self, LoadError, LoadedSchema};

/// Expands `#[derive(CloudKitRecord)]` on `input`.
///
/// Never panics: every problem becomes a `compile_error!` at the span it is about, all of
/// them at once.
pub fn derive_record(input: TokenStream) -> TokenStream {
    match syn::parse2::<DeriveInput>(input) {
        Ok(input) => expand(&input).unwrap_or_else(|e| e.to_compile_error()),
        Err(e) => e.to_compile_error(),
    }
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let Some(container) = input::parse(&cx, input) else {
        return Err(cx.check().err().unwrap_or_else(|| internal(input)));
    };
    let Some(schema_lit) = container.schema.clone() else {
        cx.error_at(
            container.ident.span(),
            format!(
                "`{}` does not say which schema to check against\nhelp: add `#[cloudkit(schema = \"schema/app.ckdb\")]` with the path of the exported schema, relative to the crate's Cargo.toml",
                container.ident
            ),
        );
        cx.check()?;
        return Err(internal(input));
    };
    let loaded = schema_file::resolve(&schema_lit.value())
        .and_then(|path| schema_file::load(&path, &schema_lit.value()));
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(error) => {
            cx.error_at(schema_lit.span(), load_message(&error));
            cx.check()?;
            return Err(internal(input));
        }
    };
    // Claimed only once the struct checks, so a failed expansion never takes the inclusion.
    let include = || {
        loaded
            .abs_path
            .as_deref()
            .is_some_and(schema_file::claim_include)
    };
    expand_with(cx, container, &loaded, schema_lit.span(), include)
}

/// Checks and generates with a schema already in hand; the derive and build.rs share this.
pub(crate) fn expand_with(
    cx: Ctxt,
    container: input::Container,
    schema: &LoadedSchema,
    schema_span: Span,
    include_schema: impl FnOnce() -> bool,
) -> syn::Result<TokenStream> {
    let plan = check::check(&cx, container, schema, schema_span);
    cx.check()?;
    match plan {
        Some(mut plan) => {
            plan.include_schema = include_schema();
            Ok(generate::record(&plan))
        }
        None => Err(syn::Error::new(
            schema_span,
            "cloudkit: the record could not be checked (no error was recorded; please report this)",
        )),
    }
}

fn load_message(error: &LoadError) -> String {
    match error {
        LoadError::Unreadable { .. } => format!(
            "{error}\nnote: `schema` paths are relative to the directory of the crate's Cargo.toml (CARGO_MANIFEST_DIR)"
        ),
        _ => error.to_string(),
    }
}

/// An error for the "cannot happen" path, so that even a bug here reports instead of panicking.
fn internal(input: &DeriveInput) -> syn::Error {
    syn::Error::new(
        input.ident.span(),
        "cloudkit: internal error: derive stopped without an error message; please report this",
    )
}
