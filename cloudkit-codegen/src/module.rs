//! Generating a whole module of record structs from a schema: the code path shared by the
//! build.rs [`Builder`](crate::Builder) and `cloudkit schema codegen`.
//!
//! Each record type becomes a struct plus exactly what `#[derive(CloudKitRecord)]` would emit
//! for it: the struct is built as a derive input and run through the same parse → check →
//! generate stages.

use std::fmt;
use std::path::PathBuf;

use cloudkit_schema::{FieldType, NumberPreference, RecordType, ScalarType};
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};

use crate::ctxt::Ctxt;
use crate::derive::expand_with;
use crate::generate::SchemaInclude;
use crate::input;
use crate::naming::{Naming, core_data, unique_ident};
use crate::schema_file::{LoadError, LoadedSchema};
use crate::suggest::did_you_mean;

/// What to generate. Every option has a builder method on [`Builder`](crate::Builder).
#[derive(Debug, Clone)]
pub struct Options {
    /// The schema's path as messages and docs should name it.
    pub schema_display: String,
    /// The schema's absolute path; when set, the output `include_bytes!` it so that cargo
    /// rebuilds on a change even without build.rs.
    pub schema_abs: Option<PathBuf>,
    /// Which record types to generate; `None` means every record type whose name is a Rust
    /// identifier, except `Users`.
    pub record_types: Option<Vec<String>>,
    /// Extra derives for every struct, as paths (`serde::Serialize`).
    pub derives: Vec<String>,
    /// The path of the runtime crate in the generated code.
    pub runtime_crate: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            schema_display: "schema.ckdb".to_owned(),
            schema_abs: None,
            record_types: None,
            derives: Vec::new(),
            runtime_crate: "::cloudkit_runtime".to_owned(),
        }
    }
}

/// Why generation failed.
#[derive(Debug)]
pub enum CodegenError {
    /// The schema could not be read, or has errors (rendered with file:line:col).
    Schema(LoadError),
    /// A requested record type is not in the schema.
    UnknownRecordType {
        /// The name asked for.
        name: String,
        /// A close name that exists.
        suggestion: Option<String>,
    },
    /// An option could not be parsed as Rust (e.g. a derive path).
    BadOption {
        /// Which option.
        option: &'static str,
        /// The value given.
        value: String,
    },
    /// The output file could not be written.
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The schema produced code that does not check; a bug in this crate.
    Internal(String),
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodegenError::Schema(e) => write!(f, "{e}"),
            CodegenError::UnknownRecordType { name, suggestion } => {
                write!(f, "record type `{name}` is not in the schema")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean `{s}`?"),
                    None => Ok(()),
                }
            }
            CodegenError::BadOption { option, value } => {
                write!(f, "option `{option}`: `{value}` is not a Rust path")
            }
            CodegenError::Io { path, source } => {
                write!(f, "cannot write `{}`: {source}", path.display())
            }
            CodegenError::Internal(message) => {
                write!(f, "internal error (please report): {message}")
            }
        }
    }
}

impl std::error::Error for CodegenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CodegenError::Schema(e) => Some(e),
            CodegenError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Generates one formatted Rust file holding a struct and its record impls for each selected
/// record type of `schema_source`.
///
/// ```
/// let schema = "DEFINE SCHEMA\nRECORD TYPE Note (title STRING QUERYABLE);\n";
/// let code = cloudkit_codegen::generate_module(schema, &Default::default()).unwrap();
/// assert!(code.contains("pub struct Note {"));
/// assert!(code.contains("pub title: Option<String>"));
/// ```
pub fn generate_module(schema_source: &str, options: &Options) -> Result<String, CodegenError> {
    generate(schema_source, options, false)
}

/// [`generate_module`], with Core Data's naming for `CD_` record types when `core_data` is on
/// (see [`Builder::core_data`](crate::Builder::core_data)).
pub(crate) fn generate(
    schema_source: &str,
    options: &Options,
    core_data: bool,
) -> Result<String, CodegenError> {
    let schema = LoadedSchema::from_source(
        &options.schema_display,
        options.schema_abs.clone(),
        schema_source,
    )
    .map_err(CodegenError::Schema)?;
    let tokens = module_tokens(&schema, options, core_data)?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| CodegenError::Internal(e.to_string()))?;
    let header = format!(
        "// @generated by cloudkit-codegen from {}. Do not edit: edit the schema and rebuild.\n\n",
        options.schema_display
    );
    Ok(header + &prettyplease::unparse(&file))
}

fn module_tokens(
    schema: &LoadedSchema,
    options: &Options,
    core_data: bool,
) -> Result<TokenStream, CodegenError> {
    let krate: syn::Path =
        syn::parse_str(&options.runtime_crate).map_err(|_| CodegenError::BadOption {
            option: "runtime_crate",
            value: options.runtime_crate.clone(),
        })?;
    let derives = options
        .derives
        .iter()
        .map(|d| {
            syn::parse_str::<syn::Path>(d).map_err(|_| CodegenError::BadOption {
                option: "derive",
                value: d.clone(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    let selected: Vec<&RecordType> = match &options.record_types {
        Some(names) => names
            .iter()
            .map(|name| {
                schema.schema.record_type(name).ok_or_else(|| {
                    let names = schema.schema.record_types.iter().map(|r| r.name.as_str());
                    CodegenError::UnknownRecordType {
                        name: name.clone(),
                        suggestion: did_you_mean(name, names).map(str::to_owned),
                    }
                })
            })
            .collect::<Result<_, _>>()?,
        None => schema
            .schema
            .record_types
            .iter()
            .filter(|r| r.name.as_str() != "Users" && is_identifier(r.name.as_str()))
            .collect(),
    };

    // Makes cargo rebuild the including crate when the schema changes, build.rs or not.
    let mut out = SchemaInclude::new(schema.abs_path.as_deref()).into_token_stream();
    let mut type_names = Vec::new();
    for record in selected {
        let record_name = record.name.as_str();
        let entity = core_data::strip_prefix(record_name).filter(|_| core_data);
        let naming = Naming {
            rename_all: None,
            core_data: entity.is_some(),
        };
        let type_ident = unique_ident(&type_name(entity.unwrap_or(record_name)), &mut type_names);
        let mut field_names = vec!["meta".to_owned()];
        let mut fields = Vec::new();
        let mut plain_fields = Vec::new();
        for field in record.user_fields() {
            let name = field.name.as_str();
            // Written with every record from the struct's name; see `check::entity_name`.
            if naming.core_data && name == core_data::ENTITY_NAME_FIELD {
                continue;
            }
            let rust_field = naming.rust_field(field, record, &mut field_names);
            let ident = rust_field.ident;
            let ty = rust_type(field.field_type, &krate);
            let mut doc = format!("`{} {}", field.name, field.field_type);
            for (on, word) in [
                (field.indexes.is_queryable(), " QUERYABLE"),
                (field.indexes.is_searchable(), " SEARCHABLE"),
                (field.indexes.is_sortable(), " SORTABLE"),
            ] {
                if on {
                    doc.push_str(word);
                }
            }
            doc.push_str(&format!("` ({}).", schema.location(field.name.span)));
            let rename = rust_field
                .needs_rename
                .then(|| quote!(#[cloudkit(rename = #name)]));
            fields.push(quote! {
                #[doc = #doc]
                #rename
                pub #ident: Option<#ty>,
            });
            plain_fields.push(quote! {
                #[doc = #doc]
                pub #ident: Option<#ty>,
            });
        }
        let krate_str = options.runtime_crate.as_str();
        let display = schema.display.as_str();
        let core_data_attr = naming.core_data.then(|| quote!(#[cloudkit(core_data)]));
        let derive_input: syn::DeriveInput = syn::parse2(quote! {
            #[cloudkit(schema = #display, record_type = #record_name, crate = #krate_str)]
            #core_data_attr
            pub struct #type_ident {
                #[cloudkit(system)]
                pub meta: #krate::SystemFields,
                #(#fields)*
            }
        })
        .map_err(|e| CodegenError::Internal(e.to_string()))?;
        let cx = Ctxt::new();
        let Some(container) = input::parse(&cx, &derive_input) else {
            let message = cx.check().err().map(|e| e.to_string()).unwrap_or_default();
            return Err(CodegenError::Internal(message));
        };
        let expansion = expand_with(cx, container, schema, Span::call_site(), || false)
            .map_err(|e| CodegenError::Internal(e.to_string()))?;
        let doc = format!(
            "Record type `{record_name}` ({}).",
            schema.location(record.name.span)
        );
        out.extend(quote! {
            #[doc = #doc]
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::default::Default #(, #derives)*)]
            pub struct #type_ident {
                /// Record name, change tag, zone, and created/modified metadata.
                pub meta: #krate::SystemFields,
                #(#plain_fields)*
            }

            #expansion
        });
    }
    Ok(out)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `cloudkit.share` → `CloudkitShare`; names that are identifiers keep their spelling.
fn type_name(name: &str) -> String {
    if is_identifier(name) {
        return name.to_owned();
    }
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The Rust type the generated struct uses for a schema type (see the crate docs' table).
fn rust_type(field_type: FieldType, krate: &syn::Path) -> TokenStream {
    let element = match field_type.element().scalar {
        ScalarType::String => quote!(String),
        ScalarType::Int64 | ScalarType::Number(Some(NumberPreference::Int64)) => quote!(i64),
        ScalarType::Double | ScalarType::Number(_) => quote!(f64),
        ScalarType::Timestamp => quote!(#krate::Timestamp),
        ScalarType::Bytes => quote!(Vec<u8>),
        ScalarType::Reference => quote!(#krate::Reference),
        ScalarType::Asset => quote!(#krate::Asset),
        ScalarType::Location => quote!(#krate::Location),
    };
    if field_type.is_list() {
        quote!(Vec<#element>)
    } else {
        element
    }
}
