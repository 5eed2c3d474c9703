//! The record type a REFERENCE field points at. The schema cannot say (CloudKit references
//! are untyped), so it comes from the Rust field: `Reference<Season>`, also inside `Option`
//! or `Vec`. An untyped `Reference` (`Reference<()>`) names no target.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type};

/// `Season` for `Reference<Season>`, `Option<Reference<Season>>` or `Vec<Reference<Season>>`.
pub fn of(ty: &Type) -> Option<TokenStream> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    let inner = types.next()?;
    match last.ident.to_string().as_str() {
        "Reference" => match inner {
            Type::Tuple(unit) if unit.elems.is_empty() => None,
            target => Some(target.to_token_stream()),
        },
        "Option" | "Vec" => of(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(ty: &str) -> Option<String> {
        let ty: Type = syn::parse_str(ty).expect("a type");
        of(&ty).map(|t| t.to_string())
    }

    #[test]
    fn typed_references_name_their_target() {
        assert_eq!(target("Reference<Season>").as_deref(), Some("Season"));
        assert_eq!(
            target("Option<Reference<crate::Season>>").as_deref(),
            Some("crate :: Season")
        );
        assert_eq!(
            target("Vec<cloudkit_runtime::Reference<Season>>").as_deref(),
            Some("Season")
        );
        assert_eq!(target("Reference"), None);
        assert_eq!(target("Option<Reference<()>>"), None);
        assert_eq!(target("String"), None);
    }
}
