//! Semantic checks (spec §11): everything the grammar cannot see, all reported together.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{Hash, Hasher};

use foldhash::fast::RandomState;

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::model::{BuiltinRole, Field, Name, RecordType, ScalarType, Schema, Span, SystemField};
use crate::parser::parse;

/// A schema that parsed and passed every check, with the warnings the checks raised.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The parsed schema.
    pub schema: Schema,
    /// Warnings, in source order. None of them makes the schema invalid.
    pub warnings: Vec<Diagnostic>,
}

/// Parses and checks a schema source.
///
/// On failure the `Err` holds the parse error alone, or every semantic error together with
/// the warnings, sorted by position.
pub fn parse_and_check(source: &str) -> Result<Checked, Vec<Diagnostic>> {
    let schema = parse(source).map_err(|e| vec![e])?;
    let diagnostics = check(&schema);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(Checked {
        schema,
        warnings: diagnostics,
    })
}

/// Runs every semantic check of spec §11 and the warnings on a parsed schema.
///
/// Returns all errors and warnings, in source order. Implicit system fields are not checked
/// (they are right by construction).
pub fn check(schema: &Schema) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_roles(schema, &mut out);
    let mut types = Scope::default();
    let mut fields = Scope::default();
    for record_type in &schema.record_types {
        check_record_type_name(record_type, &mut types, &mut out);
        fields.clear();
        check_fields(record_type, &mut fields, &mut out);
        check_grants(schema, record_type, &mut out);
    }
    out.sort_by_key(|d| d.span.start.offset);
    out
}

/// Names seen so far in one uniqueness scope (spec §9.3).
///
/// One map keyed by the case-folded name finds exact duplicates and case collisions with a
/// single lookup; names that collide only by case go to a second, usually empty, map so that
/// a later exact duplicate of them is still found.
#[derive(Default)]
struct Scope<'a> {
    folded: HashMap<Folded<'a>, &'a Name, RandomState>,
    collided: HashMap<&'a str, &'a Name, RandomState>,
}

enum Seen<'a> {
    New,
    Duplicate(&'a Name),
    CaseCollision(&'a Name),
}

impl<'a> Scope<'a> {
    fn add(&mut self, name: &'a Name) -> Seen<'a> {
        match self.folded.entry(Folded(&name.value)) {
            Entry::Vacant(slot) => {
                slot.insert(name);
                Seen::New
            }
            Entry::Occupied(first) if first.get().value == name.value => {
                Seen::Duplicate(first.get())
            }
            Entry::Occupied(first) => match self.collided.entry(&name.value) {
                Entry::Occupied(previous) => Seen::Duplicate(previous.get()),
                Entry::Vacant(slot) => {
                    slot.insert(name);
                    Seen::CaseCollision(first.get())
                }
            },
        }
    }

    /// Empties the scope, keeping its memory for the next record type.
    fn clear(&mut self) {
        self.folded.clear();
        self.collided.clear();
    }
}

/// A name compared and hashed without regard to case, without allocating a folded copy.
#[derive(Clone, Copy)]
struct Folded<'a>(&'a str);

impl Folded<'_> {
    fn chars(self) -> impl Iterator<Item = char> {
        self.0.chars().flat_map(char::to_lowercase)
    }
}

impl PartialEq for Folded<'_> {
    fn eq(&self, other: &Self) -> bool {
        if self.0.is_ascii() && other.0.is_ascii() {
            return self.0.eq_ignore_ascii_case(other.0);
        }
        self.chars().eq(other.chars())
    }
}

impl Eq for Folded<'_> {}

impl Hash for Folded<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Hash the lower-cased UTF-8 in one `write`, the same bytes whichever path builds
        // them, so that names equal under folding hash equally. Short ASCII names (nearly
        // all) fold on the stack.
        let mut buffer = [0u8; 64];
        match buffer.get_mut(..self.0.len()) {
            Some(folded) if self.0.is_ascii() => {
                for (dst, src) in folded.iter_mut().zip(self.0.bytes()) {
                    *dst = src.to_ascii_lowercase();
                }
                state.write(folded);
            }
            _ => {
                let folded: String = self.chars().collect();
                state.write(folded.as_bytes());
            }
        }
        state.write_u8(0xff);
    }
}

fn at(span: Span) -> String {
    format!("{}:{}", span.start.line, span.start.column)
}

fn case_collision(name: &Name, first: &Name, what: &str) -> Diagnostic {
    Diagnostic::new(
        DiagnosticKind::CaseCollision,
        name.span,
        format!(
            "{what} `{name}` differs only in case from `{first}` (line {}); CloudKit names are \
             case-sensitive, but the server may not allow both",
            at(first.span)
        ),
    )
}

fn check_roles(schema: &Schema, out: &mut Vec<Diagnostic>) {
    let mut roles = Scope::default();
    for role in &schema.roles {
        let name = &role.name;
        if name.value.starts_with('_') {
            let message = if BuiltinRole::from_name(&name.value).is_some() {
                format!("`{name}` is a built-in role: grant to it without declaring it")
            } else {
                format!(
                    "role names starting with `_` are reserved for CloudKit's built-in roles; \
                     rename `{name}`"
                )
            };
            out.push(Diagnostic::new(
                DiagnosticKind::BuiltinRoleRedefined,
                name.span,
                message,
            ));
            continue;
        }
        match roles.add(name) {
            Seen::New => {}
            Seen::Duplicate(first) => out.push(Diagnostic::new(
                DiagnosticKind::DuplicateRole,
                name.span,
                format!(
                    "role `{name}` is already declared at line {}; remove this declaration",
                    at(first.span)
                ),
            )),
            Seen::CaseCollision(first) => out.push(case_collision(name, first, "role")),
        }
    }
}

fn is_portable(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

const SHARE_TYPE: &str = "cloudkit.share";

fn check_record_type_name<'a>(
    record_type: &'a RecordType,
    types: &mut Scope<'a>,
    out: &mut Vec<Diagnostic>,
) {
    let name = &record_type.name;
    if name.value.starts_with('_') {
        out.push(Diagnostic::new(
            DiagnosticKind::ReservedName,
            name.span,
            format!(
                "record type names starting with `_` are reserved for CloudKit; rename `{name}`"
            ),
        ));
    } else if !is_portable(&name.value) && name.value != SHARE_TYPE {
        out.push(non_portable(name, "record type"));
    }
    match types.add(name) {
        Seen::New => {}
        Seen::Duplicate(first) => out.push(Diagnostic::new(
            DiagnosticKind::DuplicateRecordType,
            name.span,
            format!(
                "record type `{name}` is already defined at line {}; merge the two definitions",
                at(first.span)
            ),
        )),
        Seen::CaseCollision(first) => out.push(case_collision(name, first, "record type")),
    }
}

fn non_portable(name: &Name, what: &str) -> Diagnostic {
    Diagnostic::new(
        DiagnosticKind::NonPortableName,
        name.span,
        format!(
            "{what} name `{name}` is not of the form `[A-Za-z][A-Za-z0-9_]*`; the server may \
             accept it, but it cannot become a Rust identifier without renaming"
        ),
    )
}

fn check_fields<'a>(
    record_type: &'a RecordType,
    fields: &mut Scope<'a>,
    out: &mut Vec<Diagnostic>,
) {
    let is_share = record_type.name.value == SHARE_TYPE;
    for field in record_type.fields.iter().filter(|f| f.declared) {
        let name = &field.name;
        if let Some(system) = field.system_field() {
            if field.field_type != system.field_type() {
                out.push(system_field_type(field, system));
            }
        } else if name.value.starts_with('_') {
            out.push(Diagnostic::new(
                DiagnosticKind::ReservedName,
                name.span,
                format!(
                    "field names starting with `_` are reserved for CloudKit (the system fields \
                     are `___createTime`, `___createdBy`, `___etag`, `___modTime`, \
                     `___modifiedBy`, `___recordID`); rename `{name}`"
                ),
            ));
        } else if !(is_portable(&name.value) || is_share && name.value.starts_with("cloudkit.")) {
            out.push(non_portable(name, "field"));
        }
        match fields.add(name) {
            Seen::New => {}
            Seen::Duplicate(first) => out.push(Diagnostic::new(
                DiagnosticKind::DuplicateField,
                name.span,
                format!(
                    "field `{name}` is already declared in `{}` at line {}; remove one of them",
                    record_type.name,
                    at(first.span)
                ),
            )),
            Seen::CaseCollision(first) => out.push(case_collision(name, first, "field")),
        }
        check_indexes(field, out);
        if field.field_type.element().scalar == ScalarType::Number(None) {
            out.push(Diagnostic::new(
                DiagnosticKind::BareNumber,
                field.type_span,
                format!(
                    "field `{name}` is a bare `NUMBER`: its values may be integers or floats; \
                     write `NUMBER PREFERRED AS INT64` or `NUMBER PREFERRED AS DOUBLE` to fix it"
                ),
            ));
        }
    }
    if record_type.is_public() {
        check_encrypted_in_public(record_type, out);
    }
}

/// One `no-create-grant` warning per record type that has grants, so is usable in the public
/// database, but that no role may create ([`RecordType::is_creatable`]): read-only there,
/// nobody can ever make its first record. At the type's name, since the missing grant has no
/// place.
///
/// Not part of [`check`]: a read-only public type may be deliberate, and [`check`]'s warnings
/// are what every consumer (derive, emulator) sees; `cloudkit schema check` asks for this
/// advice separately.
pub fn read_only_types(schema: &Schema) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for record_type in schema.record_types.iter().filter(|t| t.is_public()) {
        no_create_grant(record_type, &mut out);
    }
    out
}

fn no_create_grant(record_type: &RecordType, out: &mut Vec<Diagnostic>) {
    if record_type.is_creatable() {
        return;
    }
    let world = if record_type.permissions_for("_world").create {
        " (`CREATE` to \"_world\" does not count: it includes users who are not signed in)"
    } else {
        ""
    };
    out.push(Diagnostic::new(
        DiagnosticKind::NoCreateGrant,
        record_type.name.span,
        format!(
            "no role can create `{}` records in the public database{world}: add \
             `GRANT CREATE TO \"_icloud\"` (the Console's default) or grant CREATE to a \
             custom role, or remove the type's grants if it is used only in private and \
             shared databases",
            record_type.name
        ),
    ));
}

/// One warning per type, at its first encrypted field: the grants are what is doubtful, and
/// exports carry the Console's default grants even on private-database types.
fn check_encrypted_in_public(record_type: &RecordType, out: &mut Vec<Diagnostic>) {
    let mut encrypted = record_type
        .fields
        .iter()
        .filter(|f| f.declared && f.field_type.is_encrypted());
    let Some(first) = encrypted.next() else {
        return;
    };
    let others = encrypted.count();
    let which = match others {
        0 => format!("field `{}` is", first.name),
        1 => format!("fields `{}` and 1 other are", first.name),
        n => format!("fields `{}` and {n} others are", first.name),
    };
    out.push(Diagnostic::new(
        DiagnosticKind::EncryptedInPublic,
        first.type_span,
        format!(
            "{which} encrypted, but `{}` grants public-database access, and the public \
             database does not allow encryption: use the type only in private or shared \
             databases, or remove its grants",
            record_type.name
        ),
    ));
}

fn system_field_type(field: &Field, system: SystemField) -> Diagnostic {
    Diagnostic::new(
        DiagnosticKind::SystemFieldType,
        field.name.span,
        format!(
            "system field `{}` has type {}, not {}: declare it as `\"{}\" {}`",
            field.name,
            system.field_type(),
            field.field_type,
            system.schema_name(),
            system.field_type()
        ),
    )
}

fn check_indexes(field: &Field, out: &mut Vec<Diagnostic>) {
    let field_type = field.field_type;
    let options = [
        ("QUERYABLE", field.indexes.queryable),
        ("SEARCHABLE", field.indexes.searchable),
        ("SORTABLE", field.indexes.sortable),
    ];
    for (option, span) in options {
        let Some(span) = span else { continue };
        if field_type.is_encrypted() {
            out.push(Diagnostic::new(
                DiagnosticKind::IndexOnEncrypted,
                span,
                format!(
                    "`{option}` on encrypted field `{}`: CloudKit cannot index encrypted \
                     values; remove the option",
                    field.name
                ),
            ));
            continue;
        }
        let scalar = field_type.element().scalar;
        let (allowed, which) = match option {
            "SEARCHABLE" => (
                scalar == ScalarType::String,
                "SEARCHABLE is allowed only on STRING and LIST<STRING>",
            ),
            _ => (
                scalar != ScalarType::Asset,
                "assets cannot be queried; QUERYABLE and SORTABLE are allowed on every other \
                 type that is not encrypted",
            ),
        };
        if !allowed {
            out.push(Diagnostic::new(
                DiagnosticKind::IndexNotAllowed,
                span,
                format!(
                    "`{option}` is not allowed on `{}` of type {field_type}: {which}",
                    field.name
                ),
            ));
        }
    }
    for &span in &field.repeated_options {
        out.push(Diagnostic::new(
            DiagnosticKind::RepeatedOption,
            span,
            format!(
                "index option repeated on field `{}`; remove the repetition",
                field.name
            ),
        ));
    }
}

fn check_grants(schema: &Schema, record_type: &RecordType, out: &mut Vec<Diagnostic>) {
    for grant in &record_type.grants {
        let role = &grant.role;
        if role.value.starts_with('_') && BuiltinRole::from_name(&role.value).is_none() {
            out.push(Diagnostic::new(
                DiagnosticKind::UndefinedRole,
                role.span,
                format!(
                    "`{role}` is not a built-in role (those are \"_world\", \"_icloud\" and \
                     \"_creator\"), and custom role names cannot start with `_`"
                ),
            ));
        } else if BuiltinRole::from_name(&role.value).is_none()
            && schema.role(&role.value).is_none()
        {
            let similar = schema
                .roles
                .iter()
                .map(|r| (strsim::levenshtein(&r.name.value, &role.value), &r.name))
                .filter(|&(distance, _)| distance <= 2)
                .min_by_key(|&(distance, _)| distance);
            let hint = match similar {
                Some((_, declared)) => format!(
                    "did you mean `{declared}` (declared at line {})? Otherwise add",
                    at(declared.span)
                ),
                None => "add".to_owned(),
            };
            out.push(Diagnostic::new(
                DiagnosticKind::UndefinedRole,
                role.span,
                format!(
                    "role `{role}` is not declared: {hint} `CREATE ROLE {};` or grant to a \
                     built-in role (\"_world\", \"_icloud\", \"_creator\")",
                    crate::format::quoted_if_needed(&role.value)
                ),
            ));
        }
        for &span in &grant.repeated_permissions {
            out.push(Diagnostic::new(
                DiagnosticKind::RepeatedOption,
                span,
                format!("permission repeated in the grant to `{role}`; remove the repetition"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(DiagnosticKind, u32, u32)> {
        check(&parse(src).expect("parses"))
            .into_iter()
            .map(|d| (d.kind, d.span.start.line, d.span.start.column))
            .collect()
    }

    #[test]
    fn all_errors_in_source_order() {
        let found = kinds(
            "DEFINE SCHEMA\nRECORD TYPE A (b STRING, b INT64);\nRECORD TYPE A (x ASSET SORTABLE, GRANT READ TO nobody);",
        );
        assert_eq!(
            found,
            vec![
                (DiagnosticKind::DuplicateField, 2, 26),
                (DiagnosticKind::DuplicateRecordType, 3, 13),
                (DiagnosticKind::IndexNotAllowed, 3, 24),
                (DiagnosticKind::UndefinedRole, 3, 48),
            ]
        );
    }

    #[test]
    fn system_names_are_allowed() {
        let found = kinds(
            "DEFINE SCHEMA\nRECORD TYPE \"cloudkit.share\" (\"cloudkit.title\" STRING, \
             \"___recordID\" REFERENCE QUERYABLE);\nRECORD TYPE Users (roles LIST<INT64>);",
        );
        assert_eq!(found, vec![]);
    }
}
