//! Stage 1: read the derive input and its `#[cloudkit(...)]` attributes.
//!
//! Nothing here looks at the schema; unknown attribute keys, misplaced options and unsupported
//! shapes (enums, tuple structs, generics) are reported here, each at its own span.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type, Visibility};

use crate::ctxt::Ctxt;
use crate::naming::{Naming, RenameAll, SPELLINGS, UnknownSpelling, core_data};
use crate::suggest::did_you_mean;

const CONTAINER_KEYS: &[&str] = &["schema", "record_type", "rename_all", "core_data", "crate"];
const FIELD_KEYS: &[&str] = &["rename", "system", "skip"];

/// A struct that derives `CloudKitRecord`, as written.
pub struct Container {
    /// The struct's name.
    pub ident: Ident,
    /// The struct's visibility; generated items get the same.
    pub vis: Visibility,
    /// `schema = "PATH"`, relative to `CARGO_MANIFEST_DIR`.
    pub schema: Option<LitStr>,
    /// `record_type = "Name"`; defaults to the struct's name (`CD_` and the name under
    /// `core_data`).
    pub record_type: Option<LitStr>,
    /// `rename_all = "camelCase"`, when its value is one of [`SPELLINGS`].
    pub rename_all: Option<RenameAll>,
    /// `core_data`: the struct maps records NSPersistentCloudKitContainer mirrors.
    pub core_data: Option<Span>,
    /// `crate = "path"`: where `cloudkit_runtime` lives (defaults to `::cloudkit_runtime`).
    pub krate: Option<syn::Path>,
    /// The named fields, in order.
    pub fields: Vec<InputField>,
}

impl Container {
    /// The record type name and the span to report it at.
    pub fn record_type_name(&self) -> (String, Span) {
        match &self.record_type {
            Some(lit) => (lit.value(), lit.span()),
            None if self.core_data.is_some() => (
                core_data::prefixed(&self.ident.to_string()),
                self.ident.span(),
            ),
            None => (self.ident.to_string(), self.ident.span()),
        }
    }

    /// How the struct's field names map to the schema's.
    pub fn naming(&self) -> Naming {
        Naming {
            rename_all: self.rename_all,
            core_data: self.core_data.is_some(),
        }
    }
}

/// One named field of the struct.
pub struct InputField {
    /// The Rust field name.
    pub ident: Ident,
    /// The Rust type as written.
    pub ty: Type,
    /// `rename = "schemaName"`.
    pub rename: Option<LitStr>,
    /// `system`: this field holds the record's `SystemFields`.
    pub system: Option<Span>,
    /// `skip`: not stored in CloudKit; filled with `Default::default()` on decode.
    pub skip: Option<Span>,
}

impl InputField {
    /// The Rust field name, without `r#`.
    pub fn rust_name(&self) -> String {
        self.ident.unraw_string()
    }
}

trait Unraw {
    fn unraw_string(&self) -> String;
}

impl Unraw for Ident {
    fn unraw_string(&self) -> String {
        let s = self.to_string();
        s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
    }
}

/// Reads the derive input. Returns `None` when the shape is unusable, or the naming options
/// are (the errors are in `cx`).
pub fn parse(cx: &Ctxt, input: &DeriveInput) -> Option<Container> {
    let mut container = Container {
        ident: input.ident.clone(),
        vis: input.vis.clone(),
        schema: None,
        record_type: None,
        rename_all: None,
        core_data: None,
        krate: None,
        fields: Vec::new(),
    };
    let mut rename_all: Option<LitStr> = None;
    // Checking names against the schema under a naming rule other than the one meant would
    // only add errors about fields that are fine.
    let mut naming_unclear = false;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("cloudkit")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(Ident::to_string).unwrap_or_default();
            match key.as_str() {
                "schema" => set_once(cx, &mut container.schema, meta.value()?.parse()?, "schema"),
                "record_type" => set_once(
                    cx,
                    &mut container.record_type,
                    meta.value()?.parse()?,
                    "record_type",
                ),
                "rename_all" => set_once(cx, &mut rename_all, meta.value()?.parse()?, "rename_all"),
                "core_data" => {
                    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
                        cx.error_spanned_by(
                            &meta.path,
                            "`core_data` takes no value\nhelp: write `#[cloudkit(core_data)]`",
                        );
                        naming_unclear = true;
                        skip_value(&meta)?;
                    } else {
                        flag_once(cx, &mut container.core_data, meta.path.span(), "core_data");
                    }
                }
                "crate" => {
                    let lit: LitStr = meta.value()?.parse()?;
                    match lit.parse::<syn::Path>() {
                        Ok(path) if container.krate.is_none() => container.krate = Some(path),
                        Ok(_) => cx.error_spanned_by(&lit, "duplicate `crate` option"),
                        Err(e) => cx.syn_error(e),
                    }
                }
                _ => {
                    let mut message = format!("unknown container option `{key}`");
                    if FIELD_KEYS.contains(&key.as_str()) {
                        message.push_str(&format!(
                            "; `{key}` goes on a field, not on the struct"
                        ));
                    } else if let Some(hint) = did_you_mean(&key, CONTAINER_KEYS.iter().copied())
                    {
                        message.push_str(&format!("; did you mean `{hint}`?"));
                    }
                    message.push_str(
                        "\nnote: the struct takes `schema = \"PATH\"`, `record_type = \"Name\"`, `rename_all = \"camelCase\"`, `core_data` and `crate = \"path\"`",
                    );
                    cx.error_spanned_by(&meta.path, message);
                    skip_value(&meta)?;
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }

    if let Some(lit) = &rename_all {
        container.rename_all = rename_all_rule(cx, lit);
        naming_unclear |= container.rename_all.is_none();
    }

    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "`CloudKitRecord` cannot be derived for a generic struct: a record type has one fixed set of fields",
        );
    }
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => &named.named,
            Fields::Unnamed(_) | Fields::Unit => {
                cx.error_spanned_by(
                    &input.ident,
                    "`CloudKitRecord` needs a struct with named fields: each field maps to a schema field by name",
                );
                return None;
            }
        },
        Data::Enum(_) | Data::Union(_) => {
            cx.error_spanned_by(
                &input.ident,
                "`CloudKitRecord` can only be derived for structs: a record type is a set of named fields",
            );
            return None;
        }
    };
    for field in fields {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let mut parsed = InputField {
            ident,
            ty: field.ty.clone(),
            rename: None,
            system: None,
            skip: None,
        };
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("cloudkit")) {
            let result = attr.parse_nested_meta(|meta| {
                let key = meta
                    .path
                    .get_ident()
                    .map(Ident::to_string)
                    .unwrap_or_default();
                match key.as_str() {
                    "rename" => set_once(cx, &mut parsed.rename, meta.value()?.parse()?, "rename"),
                    "system" => flag_once(cx, &mut parsed.system, meta.path.span(), "system"),
                    "skip" => flag_once(cx, &mut parsed.skip, meta.path.span(), "skip"),
                    _ => {
                        let mut message = format!("unknown field option `{key}`");
                        if CONTAINER_KEYS.contains(&key.as_str()) {
                            message
                                .push_str(&format!("; `{key}` goes on the struct, not on a field"));
                        } else if let Some(hint) = did_you_mean(&key, FIELD_KEYS.iter().copied()) {
                            message.push_str(&format!("; did you mean `{hint}`?"));
                        }
                        message.push_str(
                            "\nnote: a field takes `rename = \"schemaName\"`, `system` or `skip`",
                        );
                        cx.error_spanned_by(&meta.path, message);
                        skip_value(&meta)?;
                    }
                }
                Ok(())
            });
            if let Err(e) = result {
                cx.syn_error(e);
            }
        }
        let exclusive = [
            parsed.rename.as_ref().map(|l| ("rename", l.span())),
            parsed.system.map(|s| ("system", s)),
            parsed.skip.map(|s| ("skip", s)),
        ];
        let set: Vec<_> = exclusive.iter().flatten().collect();
        if let [(first, _), rest @ ..] = set.as_slice() {
            for (other, span) in rest {
                cx.error_at(
                    *span,
                    format!("`{other}` cannot be combined with `{first}` on one field"),
                );
            }
        }
        container.fields.push(parsed);
    }
    (!naming_unclear).then_some(container)
}

/// The rule `lit` names, or an error at it listing the rules there are.
fn rename_all_rule(cx: &Ctxt, lit: &LitStr) -> Option<RenameAll> {
    let value = lit.value();
    let problem = match RenameAll::parse(&value) {
        Ok(rule) => return Some(rule),
        Err(UnknownSpelling::Unsupported(reason)) => format!("is not supported: {reason}"),
        Err(UnknownSpelling::Unknown) => match did_you_mean(&value, SPELLINGS.iter().copied()) {
            Some(hint) => format!("is not a rule this derive knows; did you mean `{hint}`?"),
            None => "is not a rule this derive knows".to_owned(),
        },
    };
    let all: Vec<String> = SPELLINGS.iter().map(|s| format!("`{s}`")).collect();
    cx.error_spanned_by(
        lit,
        format!(
            "`rename_all = \"{value}\"` {problem}\nnote: it takes {}; without it, each field finds the one schema field whose words match (`start_date` finds `startDate`)",
            all.join(", ")
        ),
    );
    None
}

fn set_once<T: Spanned>(cx: &Ctxt, slot: &mut Option<T>, value: T, name: &str) {
    if slot.is_some() {
        cx.error_at(value.span(), format!("duplicate `{name}` option"));
    } else {
        *slot = Some(value);
    }
}

fn flag_once(cx: &Ctxt, slot: &mut Option<Span>, span: Span, name: &str) {
    if slot.is_some() {
        cx.error_at(span, format!("duplicate `{name}` option"));
    } else {
        *slot = Some(span);
    }
}

/// Consumes `= value` or `(...)` after an unknown key so parsing can go on to the next key.
fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _group: proc_macro2::Group = meta.input.parse()?;
    }
    Ok(())
}
