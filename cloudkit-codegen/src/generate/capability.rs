//! What a field can do in a query, as trait impls on its marker type: its indexes
//! (`Queryable`, `Sortable`, `Searchable`, `Unencrypted`) and what its schema type allows
//! (`SingleValue`, `Ordered`, `Text`, `Tokenized`, `Geo`, `ListOf`, `TextList`).
//!
//! A capability the field has is a plain impl. One it lacks is a *refused* impl: the marker
//! implements the runtime trait only where the record struct implements a trait made for this
//! one field and capability, which nothing implements and whose
//! `#[diagnostic::on_unimplemented]` text names the field, its record type, its schema
//! `FILE:LINE:COL` and the fix. rustc reports that innermost unmet bound with its own text, so
//! the message carries what a generic trait cannot (the schema position), never prints the
//! hidden marker module's path, and never lists the markers of other record types as "other
//! types that implement" the trait.
//!
//! rustc adds one line of noise, "help: this trait has no implementations", because the
//! refusal trait has none. It stays (rustc 1.95): giving the trait an impl for a hidden type
//! swaps the line for "the trait is implemented for `Never`", and hiding that impl with
//! `#[diagnostic::do_not_recommend]` makes rustc print "the trait `Queryable` is implemented
//! for `Note_body`" instead, which reads as the opposite of the error. Marking the marker's
//! refused impl `#[diagnostic::do_not_recommend]` removes the line but also the refusal
//! trait's own message: rustc then reports the generic `Note_body: Queryable` bound.

use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};

use crate::check::{Accessor, Kind};

use super::kind::KindPath;

/// Every capability impl of one marker type.
pub(super) struct Capabilities<'a> {
    /// The record struct, the `Self` of the refusal traits.
    pub(super) record: &'a Ident,
    /// The record type's schema name.
    pub(super) record_type: &'a str,
    /// The marker type's path, `__cloudkit_Note_fields::title`.
    pub(super) path: TokenStream,
    /// The field the marker stands for.
    pub(super) accessor: &'a Accessor,
    /// Where the schema was named; refusal traits are spanned there, so that rustc's pointer
    /// at the trait shows the user the schema attribute.
    pub(super) schema_span: Span,
}

/// One capability: the runtime trait, whether the field has it, and what to say if not.
struct Capability {
    /// The runtime trait, e.g. `Queryable`.
    runtime_trait: &'static str,
    /// What the refusal trait says the field is, `QUERYABLE` in `body_is_QUERYABLE`: rustc
    /// prints "the trait `body_is_QUERYABLE` is not implemented for `Note`".
    phrase: &'static str,
    /// Whether the field has it.
    granted: bool,
    /// Extra items of the impl (`ListOf`'s element kind).
    items: TokenStream,
    /// The refusal's message, label and note.
    refusal: Refusal,
}

/// The text rustc prints when a query needs a capability the field lacks.
struct Refusal {
    message: String,
    label: String,
    note: String,
}

impl Capabilities<'_> {
    fn list(&self) -> Vec<Capability> {
        let a = self.accessor;
        let name = &a.schema_name;
        let ty = &a.schema_type;
        let field = format!("field `{name}` of record type `{}`", self.record_type);
        let is_text = matches!(a.kind, Kind::String);
        let is_text_list = matches!(&a.kind, Kind::List(e) if **e == Kind::String);
        let is_list = matches!(a.kind, Kind::List(_));
        // The codec kind, never a typed `References<T>`: an associated type of a public impl
        // must not name the (maybe private) target struct. Filters type elements by the
        // handle's kind instead. For a single value never used (the impl is refused).
        let element = match &a.kind {
            Kind::List(element) => KindPath(element).into_token_stream(),
            single => KindPath(single).into_token_stream(),
        };
        let index = |word: &str, label: String| Refusal {
            message: format!("{field} is not {word} in the CloudKit schema"),
            label,
            note: self.add_index(word),
        };
        let kind = |message: String, label: &str, hint: &str| Refusal {
            message,
            label: label.to_owned(),
            note: format!("`{name}` is {ty}, defined at {}{hint}", a.location),
        };
        vec![
            Capability {
                runtime_trait: "Queryable",
                phrase: "QUERYABLE",
                granted: a.queryable,
                items: TokenStream::new(),
                refusal: index(
                    "QUERYABLE",
                    format!("this filter needs a QUERYABLE index on `{name}`"),
                ),
            },
            Capability {
                runtime_trait: "Sortable",
                phrase: "SORTABLE",
                granted: a.sortable,
                items: TokenStream::new(),
                refusal: index(
                    "SORTABLE",
                    format!("sorts and ordering comparators need a SORTABLE index on `{name}`"),
                ),
            },
            Capability {
                runtime_trait: "Searchable",
                phrase: "SEARCHABLE",
                granted: a.searchable,
                items: TokenStream::new(),
                refusal: if is_text || is_text_list {
                    index(
                        "SEARCHABLE",
                        format!("token search needs a SEARCHABLE index on `{name}`"),
                    )
                } else {
                    kind(
                        format!("{field} is not SEARCHABLE in the CloudKit schema"),
                        "token search needs a SEARCHABLE STRING or LIST<STRING> field",
                        "; only STRING and LIST<STRING> fields can be SEARCHABLE",
                    )
                },
            },
            Capability {
                runtime_trait: "Unencrypted",
                phrase: "unencrypted",
                granted: !a.encrypted,
                items: TokenStream::new(),
                refusal: Refusal {
                    message: format!("{field} is ENCRYPTED: CloudKit cannot filter or sort on it"),
                    label: format!("`{name}` is ENCRYPTED in the schema"),
                    note: format!(
                        "`{name}` is defined at {}; encrypted values are opaque to the server: filter on another field, or add an unencrypted one (a field cannot change encryption once created)",
                        a.location
                    ),
                },
            },
            Capability {
                runtime_trait: "SingleValue",
                phrase: "a_single_value",
                granted: !is_list,
                items: TokenStream::new(),
                refusal: kind(
                    format!("{field} is a {ty}, and this comparator compares single values"),
                    "this comparator needs a single-value field",
                    "; for LIST fields use list_contains, list_contains_any, list_contains_all or list_member_begins_with",
                ),
            },
            Capability {
                runtime_trait: "Ordered",
                phrase: "ordered",
                granted: matches!(
                    a.kind,
                    Kind::String | Kind::Int64 | Kind::Double | Kind::Timestamp
                ),
                items: TokenStream::new(),
                refusal: kind(
                    format!("{field} is a {ty}, which has no order"),
                    "ordering comparators need an INT64, DOUBLE, TIMESTAMP or STRING field",
                    "",
                ),
            },
            Capability {
                runtime_trait: "Text",
                phrase: "a_STRING",
                granted: is_text,
                items: TokenStream::new(),
                refusal: kind(
                    format!("{field} is not a STRING field, so it cannot be prefix-matched"),
                    "BEGINS_WITH needs a STRING field",
                    if is_text_list {
                        "; for LIST<STRING> fields use list_member_begins_with"
                    } else {
                        ""
                    },
                ),
            },
            Capability {
                runtime_trait: "Tokenized",
                phrase: "text",
                granted: is_text || is_text_list,
                items: TokenStream::new(),
                refusal: kind(
                    format!(
                        "{field} is not a STRING or LIST<STRING> field, so it has no tokens to search"
                    ),
                    "token search needs a STRING or LIST<STRING> field",
                    "",
                ),
            },
            Capability {
                runtime_trait: "Geo",
                phrase: "a_LOCATION",
                granted: a.kind == Kind::Location,
                items: TokenStream::new(),
                refusal: kind(
                    format!(
                        "{field} is not a LOCATION field, so NEAR and distance sorts cannot be used on it"
                    ),
                    "NEAR and distance sorts need a LOCATION field",
                    "",
                ),
            },
            Capability {
                runtime_trait: "ListOf",
                phrase: "a_LIST",
                granted: is_list,
                items: quote!(type Element = #element;),
                refusal: kind(
                    format!(
                        "{field} is not a LIST field, so list comparators cannot be used on it"
                    ),
                    "list comparators need a LIST field",
                    "; for single values use equals, is_in or begins_with",
                ),
            },
            Capability {
                runtime_trait: "TextList",
                phrase: "a_LIST_of_STRING",
                granted: is_text_list,
                items: TokenStream::new(),
                refusal: kind(
                    format!(
                        "{field} is not a LIST<STRING> field, so its members cannot be prefix-matched"
                    ),
                    "LIST_MEMBER_BEGINS_WITH needs a LIST<STRING> field",
                    if is_text {
                        "; for STRING fields use begins_with"
                    } else {
                        ""
                    },
                ),
            },
        ]
    }

    /// Where and how to add index `word` to the field.
    fn add_index(&self, word: &str) -> String {
        let a = self.accessor;
        let name = &a.schema_name;
        if a.declared {
            format!(
                "`{name}` is defined at {}: add {word} there, then deploy the schema and rebuild",
                a.location
            )
        } else {
            // An implicit system field has no line of its own: it is declared with its index.
            format!(
                "record type `{}` at {} does not declare `{name}`: add `\"{name}\" {} {word}` to it, then deploy the schema and rebuild",
                self.record_type, a.location, a.schema_type
            )
        }
    }
}

/// `tokens` with every span set to `span`.
fn respanned(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut inner = Group::new(group.delimiter(), respanned(group.stream(), span));
                inner.set_span(span);
                tree = TokenTree::Group(inner);
            }
            tree.set_span(span);
            tree
        })
        .collect()
}

impl ToTokens for Capabilities<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let path = &self.path;
        let refused_path = respanned(self.path.clone(), self.schema_span);
        let record = self.record;
        for capability in self.list() {
            let runtime_trait =
                format_ident!("{}", capability.runtime_trait, span = self.schema_span);
            let items = &capability.items;
            let refused_items = respanned(items.clone(), self.schema_span);
            if capability.granted {
                tokens.extend(quote!(impl __ck::#runtime_trait for #path { #items }));
                continue;
            }
            let Refusal {
                message,
                label,
                note,
            } = &capability.refusal;
            let refusal = format_ident!(
                "{}_is_{}",
                self.accessor.marker,
                capability.phrase,
                span = self.schema_span
            );
            // `for<'a>` keeps rustc from rejecting the always-false bound where it is written
            // (only bounds without bound variables count as "trivially false" there). Spanned
            // at the schema attribute, not the derive, so that rustc neither blames the derive
            // nor suggests implementing the runtime trait by hand.
            tokens.extend(quote_spanned! {self.schema_span=>
                #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
                // Never named again: a private record struct would make it dead code.
                #[allow(non_camel_case_types, dead_code)]
                pub trait #refusal {}
                impl __ck::#runtime_trait for #refused_path where for<'a> #record: #refusal {
                    #refused_items
                }
            });
        }
    }
}
