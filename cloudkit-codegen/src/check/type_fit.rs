//! The syntactic half of type checking: a Rust type the macro can recognise by its path and
//! that cannot hold the schema type is rejected here, with a suggestion. Everything else
//! (type aliases, user types) is left to rustc, which checks the `FieldCodec<kind::…>` bound
//! at the field.

use cloudkit_schema::{FieldType, NumberPreference, ScalarType};
use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type};

/// What a recognised Rust type can hold.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fits {
    String,
    Int64,
    Double,
    Timestamp,
    Reference,
    Asset,
    Location,
    /// `Vec<u8>`: BYTES, or a list of INT64.
    ByteVec,
    List(Box<Fits>),
    /// Recognised, and fits nothing (`u64`, `usize`, `char`…), with the reason.
    Nothing(&'static str),
}

/// The last path segment's name and its single generic type argument, if any.
fn last_segment(ty: &Type) -> Option<(String, Option<&Type>)> {
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let segment = path.path.segments.last()?;
    let argument = match &segment.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    Some((segment.ident.to_string(), argument))
}

fn classify(ty: &Type) -> Option<Fits> {
    if let Type::Reference(r) = ty {
        return classify(&r.elem);
    }
    if let Type::Paren(p) = ty {
        return classify(&p.elem);
    }
    let (name, argument) = last_segment(ty)?;
    Some(match (name.as_str(), argument) {
        ("String" | "str", _) => Fits::String,
        ("i64" | "i32" | "i16" | "i8" | "u32" | "u16" | "u8" | "bool", _) => Fits::Int64,
        ("f64" | "f32", _) => Fits::Double,
        ("Timestamp" | "SystemTime" | "OffsetDateTime" | "UtcDateTime" | "DateTime", _) => {
            Fits::Timestamp
        }
        ("Reference", _) => Fits::Reference,
        ("Asset", _) => Fits::Asset,
        ("Location", _) => Fits::Location,
        ("u64" | "usize" | "u128" | "i128" | "isize", _) => Fits::Nothing(
            "this integer type fits no CloudKit type: INT64 holds signed 64-bit values",
        ),
        ("char", _) => Fits::Nothing("char fits no CloudKit type: store text in a String"),
        ("Vec", Some(inner)) => match last_segment(inner) {
            Some((n, _)) if n == "u8" => Fits::ByteVec,
            _ => Fits::List(Box::new(classify(inner)?)),
        },
        _ => return None,
    })
}

fn scalar_fits(scalar: ScalarType) -> Fits {
    match scalar {
        ScalarType::String => Fits::String,
        ScalarType::Int64 | ScalarType::Number(Some(NumberPreference::Int64)) => Fits::Int64,
        ScalarType::Double | ScalarType::Number(_) => Fits::Double,
        ScalarType::Timestamp => Fits::Timestamp,
        ScalarType::Bytes => Fits::ByteVec,
        ScalarType::Reference => Fits::Reference,
        ScalarType::Asset => Fits::Asset,
        ScalarType::Location => Fits::Location,
    }
}

fn suggestion(scalar: ScalarType) -> &'static str {
    match scalar {
        ScalarType::String => "String",
        ScalarType::Int64 | ScalarType::Number(Some(NumberPreference::Int64)) => {
            "i64, i32, i16, i8, u32, u16, u8 or bool"
        }
        ScalarType::Double | ScalarType::Number(_) => "f64 or f32",
        ScalarType::Timestamp => {
            "cloudkit_runtime::Timestamp, std::time::SystemTime, time::OffsetDateTime or chrono::DateTime<Utc>"
        }
        ScalarType::Bytes => "Vec<u8>",
        ScalarType::Reference => "cloudkit_runtime::Reference<T>",
        ScalarType::Asset => "cloudkit_runtime::Asset",
        ScalarType::Location => "cloudkit_runtime::Location",
    }
}

/// Strips `Option<…>`: every CloudKit field may be absent, so `Option` fits any schema type.
fn peel_option(ty: &Type) -> &Type {
    match last_segment(ty) {
        Some((name, Some(inner))) if name == "Option" => peel_option(inner),
        _ => ty,
    }
}

/// `None` if `ty` fits `field_type` or the macro cannot tell; else what to use instead.
pub fn check(ty: &Type, field_type: FieldType) -> Option<String> {
    let ty = peel_option(ty);
    let fits = classify(ty)?;
    let element_scalar = field_type.element().scalar;
    if let Fits::Nothing(reason) = fits {
        return Some(format!("use {} ({reason})", suggestion(element_scalar)));
    }
    let element = field_type.element().scalar;
    let ok = match field_type {
        FieldType::Element(_) => fits == scalar_fits(element),
        FieldType::List(_) => match &fits {
            Fits::List(inner) => {
                matches!(**inner, Fits::Nothing(_)) || **inner == scalar_fits(element)
            }
            Fits::ByteVec => element == ScalarType::Int64,
            _ => false,
        },
    };
    if ok {
        return None;
    }
    if let (FieldType::List(_), Fits::List(inner)) = (field_type, &fits)
        && let Fits::Nothing(reason) = **inner
    {
        return Some(format!(
            "use Vec of {} ({reason})",
            suggestion(element_scalar)
        ));
    }
    Some(match field_type {
        FieldType::Element(_) => format!("use {} (or an Option of it)", suggestion(element)),
        FieldType::List(_) => format!(
            "a LIST maps to Vec<T>; for {} elements use Vec of {}",
            element,
            suggestion(element)
        ),
    })
}

/// Whether the type's last path segment is `SystemFields`.
pub fn is_system_fields(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|(name, _)| name == "SystemFields")
}

/// The type as written, compactly, for messages.
pub fn display(ty: &Type) -> String {
    let text = ty.to_token_stream().to_string();
    text.replace(" < ", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" :: ", "::")
}

#[cfg(test)]
mod tests {
    use super::check;
    use cloudkit_schema::{ElementType, FieldType, ScalarType};

    fn element(s: ScalarType) -> FieldType {
        FieldType::Element(ElementType::plain(s))
    }

    #[test]
    fn known_types_are_checked_and_unknown_ones_left_to_rustc() {
        let ty = |s: &str| syn::parse_str::<syn::Type>(s).ok();
        let Some(string) = ty("Option<String>") else {
            return;
        };
        assert!(check(&string, element(ScalarType::String)).is_none());
        assert!(check(&string, element(ScalarType::Int64)).is_some());
        let Some(bytes) = ty("Vec<u8>") else { return };
        assert!(check(&bytes, element(ScalarType::Bytes)).is_none());
        assert!(
            check(
                &bytes,
                FieldType::List(ElementType::plain(ScalarType::Int64))
            )
            .is_none()
        );
        let Some(user) = ty("MyNewtype") else { return };
        assert!(check(&user, element(ScalarType::Location)).is_none());
        let Some(unsigned) = ty("u64") else { return };
        assert!(check(&unsigned, element(ScalarType::Int64)).is_some());
    }
}
