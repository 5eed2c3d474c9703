//! What the schema test files share: a view of a schema that ignores how it was written.

use cloudkit_schema::{Field, Schema};

/// A span-free, order-free view of a schema: what it means, not where it was written.
#[derive(Debug, PartialEq, Eq)]
pub struct Meaning {
    roles: Vec<String>,
    record_types: Vec<TypeMeaning>,
}

#[derive(Debug, PartialEq, Eq)]
struct TypeMeaning {
    name: String,
    fields: Vec<(String, String, bool, bool, bool)>,
    grants: Vec<(String, String)>,
}

fn field_meaning(f: &Field) -> (String, String, bool, bool, bool) {
    (
        f.name.value.clone(),
        f.field_type.to_string(),
        f.indexes.is_queryable(),
        f.indexes.is_searchable(),
        f.indexes.is_sortable(),
    )
}

/// The meaning of `schema`: roles, and per record type its fields with their indexes and
/// the permissions each role adds up to, all sorted.
pub fn meaning(schema: &Schema) -> Meaning {
    let mut roles: Vec<String> = schema.roles.iter().map(|r| r.name.value.clone()).collect();
    roles.sort();
    let mut record_types: Vec<TypeMeaning> = schema
        .record_types
        .iter()
        .map(|t| {
            let mut fields: Vec<_> = t.fields.iter().map(field_meaning).collect();
            fields.sort();
            let mut role_names: Vec<&str> = t.grants.iter().map(|g| g.role.as_str()).collect();
            role_names.sort();
            role_names.dedup();
            let grants = role_names
                .into_iter()
                .map(|r| (r.to_owned(), t.permissions_for(r).to_string()))
                .collect();
            TypeMeaning {
                name: t.name.value.clone(),
                fields,
                grants,
            }
        })
        .collect();
    record_types.sort_by(|a, b| a.name.cmp(&b.name));
    Meaning {
        roles,
        record_types,
    }
}
