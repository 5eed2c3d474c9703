//! The container schema as the emulator enforces it.
//!
//! In production it is fixed: unknown record types and fields, and values of the wrong type,
//! are refused. In development it grows just in time, as CloudKit's does: a write with an
//! unknown record type or field adds it, with the indexes CloudKit gives such fields (schema
//! language spec §7.1), and the grown schema is kept in the store so that it survives restarts.

use cloudkit_schema::{
    Field, FieldType, Grant, Indexes, Name, Permissions, RecordType, ScalarType, Schema, Span,
    SystemField,
};
use cloudkit_wire::ws::Value;

use crate::emulator_error::EmulatorError;
use crate::error::ServerError;
use crate::ops::limits::MAX_FIELD_INDEXES;
use crate::ops::names;
use crate::storage::{Store, Tx, field_index_name};
use cloudkit_wire::ws::Environment;

mod import;
mod value_types;

pub use value_types::{coerce, field_type_of, infer_wire_type};

/// Store metadata key of the grown schema text.
const GROWN_SCHEMA_KEY: &str = "schema";

/// Store metadata key of the schema last imported into development through the management API
/// (its whole text, as development stood after the import).
const IMPORTED_SCHEMA_KEY: &str = "imported_schema";

/// The schema in force.
#[derive(Debug, Clone)]
pub struct LiveSchema {
    environment: Environment,
    schema: Schema,
    /// Index paths of the schema file's own fields: they are indexed before grown ones.
    source_paths: Vec<String>,
    /// The schema file's name, and the record types it declares with their lines, for
    /// messages that point at a statement (ACCESS_DENIED names the grants' place).
    source_places: Option<(String, Vec<(String, u32)>)>,
    /// Different for every schema this process has loaded or grown (see [`LiveSchema::generation`]).
    generation: u64,
}

/// A number no other schema of this process has (what is prepared against one schema is
/// known to be prepared against it and no other).
fn new_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn name(value: &str) -> Name {
    Name {
        value: value.to_owned(),
        quoted: false,
        span: Span::default(),
    }
}

fn index(on: bool) -> Option<Span> {
    on.then(Span::default)
}

fn field(field_name: &str, field_type: FieldType, indexes: Indexes, declared: bool) -> Field {
    Field {
        name: name(field_name),
        field_type,
        type_span: Span::default(),
        indexes,
        declared,
        span: Span::default(),
        repeated_options: Vec::new(),
    }
}

/// The indexes CloudKit gives a field created just in time (schema language spec §7.1).
fn just_in_time_indexes(field_type: FieldType) -> Indexes {
    match field_type {
        FieldType::List(_) => Indexes::default(),
        FieldType::Element(e) if e.encrypted => Indexes::default(),
        FieldType::Element(e) => match e.scalar {
            ScalarType::String => Indexes {
                queryable: index(true),
                searchable: index(true),
                sortable: index(true),
            },
            ScalarType::Int64
            | ScalarType::Double
            | ScalarType::Timestamp
            | ScalarType::Bytes
            | ScalarType::Number(_) => Indexes {
                queryable: index(true),
                searchable: None,
                sortable: index(true),
            },
            ScalarType::Reference | ScalarType::Location => Indexes {
                queryable: index(true),
                searchable: None,
                sortable: None,
            },
            ScalarType::Asset => Indexes::default(),
        },
    }
}

/// A record type created just in time: CloudKit's default grants and the system-field indexes
/// exports show for such types.
fn just_in_time_type(type_name: &str) -> RecordType {
    let grant = |role: &str, read, create, write| Grant {
        permissions: Permissions {
            read,
            create,
            write,
        },
        role: name(role),
        span: Span::default(),
        repeated_permissions: Vec::new(),
    };
    let fields = SystemField::ALL
        .into_iter()
        .map(|sf| {
            let (q, s) = match sf {
                SystemField::RecordId | SystemField::CreatedBy => (true, false),
                SystemField::CreateTime => (true, true),
                SystemField::ModTime => (false, true),
                SystemField::Etag | SystemField::ModifiedBy => (false, false),
            };
            let indexes = Indexes {
                queryable: index(q),
                searchable: None,
                sortable: index(s),
            };
            field(sf.schema_name(), sf.field_type(), indexes, q || s)
        })
        .collect();
    RecordType {
        name: name(type_name),
        fields,
        grants: vec![
            grant("_creator", false, false, true),
            grant("_icloud", false, true, false),
            grant("_world", true, false, false),
        ],
        span: Span::default(),
    }
}

/// What a write would add to a development schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Growth {
    /// A new record type.
    RecordType(String),
    /// A new field of an existing (or just added) record type.
    Field(String, String, FieldType),
}

impl LiveSchema {
    /// The schema for `environment`: the given source (if any), plus in development whatever
    /// an earlier run added just in time to the same store.
    pub fn load(
        environment: Environment,
        source: Option<(&str, &str)>,
        store: &Store,
    ) -> Result<LiveSchema, EmulatorError> {
        let parse = |text: &str, file: &str| -> Result<Schema, EmulatorError> {
            cloudkit_schema::parse_and_check(text)
                .map(|c| c.schema)
                .map_err(|errors| {
                    EmulatorError::Schema(
                        errors
                            .iter()
                            .map(|d| d.render(file, text))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    )
                })
        };
        let mut schema = match source {
            Some((text, file)) => parse(text, file)?,
            None => Schema::default(),
        };
        let source_paths = indexed_paths(&schema);
        if environment == Environment::Development {
            // A schema imported through the management API stands over the file; what the
            // file has that the import lacks is kept, as an import adds and never deletes.
            let imported = store
                .meta(IMPORTED_SCHEMA_KEY)
                .map_err(|e| EmulatorError::Store(e.to_string()))?;
            match imported.map(|text| parse(&text, "<imported schema in store>")) {
                Some(Ok(mut imported)) => {
                    merge_missing(&mut imported, &schema);
                    schema = imported;
                }
                Some(Err(e)) => {
                    tracing::error!(error = %e, "the imported schema in the store does not read back; starting from the file");
                }
                None => {}
            }
        }
        let source_places = source.map(|(_, file)| {
            let lines = schema
                .record_types
                .iter()
                .map(|rt| (rt.name.value.clone(), rt.span.start.line))
                .collect();
            (file.to_owned(), lines)
        });
        if environment == Environment::Development {
            let grown = store
                .meta(GROWN_SCHEMA_KEY)
                .map_err(|e| EmulatorError::Store(e.to_string()))?;
            // A grown schema that does not read back (written by an older emulator that let
            // any name through) is set aside rather than stopping the start: the data file
            // must always start again, and development grows the schema anew as it is used.
            match grown.map(|text| parse(&text, "<grown schema in store>")) {
                Some(Ok(earlier)) => merge_missing(&mut schema, &earlier),
                Some(Err(e)) => {
                    tracing::error!(error = %e, "the grown schema in the store does not read back; starting without it");
                }
                None => {}
            }
        }
        let live = LiveSchema {
            environment,
            schema,
            source_paths,
            source_places,
            generation: new_generation(),
        };
        live.ensure_indexes(store)
            .map_err(|e| EmulatorError::Store(e.to_string()))?;
        Ok(live)
    }

    /// This schema's number: two schemas with the same number are the same schema.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The schema in `.ckdb` form.
    pub fn export(&self) -> String {
        cloudkit_schema::format(&self.schema)
    }

    /// The record type, if the schema has it.
    pub fn record_type(&self, type_name: &str) -> Option<&RecordType> {
        self.schema.record_type(type_name)
    }

    /// `FILE:LINE` of the `RECORD TYPE` statement declaring `type_name` in the schema file,
    /// if the file declares it (not for types grown just in time).
    pub fn declared_at(&self, type_name: &str) -> Option<String> {
        let (file, lines) = self.source_places.as_ref()?;
        let line = lines.iter().find(|(name, _)| name == type_name)?.1;
        Some(format!("{file}:{line}"))
    }

    /// Whether writes may add types and fields.
    pub fn grows(&self) -> bool {
        self.environment == Environment::Development
    }

    /// Checks and types the fields of one record of `type_name` for writing. In development,
    /// unknown types and fields are returned as [`Growth`] to apply once the write succeeds.
    pub fn check_fields(
        &self,
        type_name: &str,
        fields: cloudkit_wire::ws::Fields,
        growth: &mut Vec<Growth>,
    ) -> Result<cloudkit_wire::ws::Fields, ServerError> {
        let record_type = self.schema.record_type(type_name);
        if record_type.is_none() {
            if !self.grows() {
                return Err(ServerError::bad_request(format!(
                    "Did not find record type: {}",
                    names::shown(type_name)
                )));
            }
            names::check_record_type(type_name)?;
            if !growth.contains(&Growth::RecordType(type_name.to_owned())) {
                growth.push(Growth::RecordType(type_name.to_owned()));
            }
        }
        let mut out = cloudkit_wire::ws::Fields::with_capacity(fields.len());
        for (field_name, value) in fields {
            if field_name.starts_with('_') {
                return Err(ServerError::bad_request(format!(
                    "field name '{}' is reserved: names starting with '_' belong to CloudKit",
                    names::shown(&field_name)
                )));
            }
            let known = record_type
                .and_then(|rt| rt.field(&field_name))
                .map(|f| f.field_type);
            let pending = growth.iter().find_map(|g| match g {
                Growth::Field(t, f, ft) if t == type_name && *f == field_name => Some(*ft),
                _ => None,
            });
            let field_type = match known.or(pending) {
                Some(ft) => ft,
                None if !self.grows() => {
                    return Err(ServerError::bad_request(format!(
                        "Cannot create new field '{}' in production schema for record type '{type_name}'",
                        names::shown(&field_name)
                    )));
                }
                None => {
                    names::check_field(&field_name)?;
                    let tag = match &value.value {
                        Value::Untyped(raw) => infer_wire_type(raw),
                        Value::Null(None) => continue,
                        other => other.wire_type(),
                    };
                    let ft = tag
                        .and_then(|t| field_type_of(t, value.is_encrypted))
                        .ok_or_else(|| {
                            ServerError::bad_request(format!(
                                "BadRequestException: Unexpected input: cannot tell the type of field '{field_name}'"
                            ))
                        })?;
                    growth.push(Growth::Field(type_name.to_owned(), field_name.clone(), ft));
                    ft
                }
            };
            out.push(field_name.clone(), coerce(&field_name, value, field_type)?);
        }
        Ok(out)
    }

    /// Adds what writes found missing; returns whether anything was added.
    pub fn grow(&mut self, growth: &[Growth]) -> bool {
        let mut changed = false;
        for g in growth {
            match g {
                Growth::RecordType(t) => {
                    if self.schema.record_type(t).is_none() {
                        self.schema.record_types.push(just_in_time_type(t));
                        changed = true;
                    }
                }
                Growth::Field(t, f, ft) => {
                    let record_type = self
                        .schema
                        .record_types
                        .iter_mut()
                        .find(|r| r.name.value == *t);
                    if let Some(rt) = record_type
                        && rt.field(f).is_none()
                    {
                        let at = rt
                            .fields
                            .iter()
                            .position(|x| x.system_field().is_some())
                            .unwrap_or(rt.fields.len());
                        rt.fields
                            .insert(at, field(f, *ft, just_in_time_indexes(*ft), true));
                        changed = true;
                    }
                }
            }
        }
        changed
    }

    /// JSON paths of the queryable or sortable scalar fields the store indexes: the schema
    /// file's first, then grown ones by name, at most [`MAX_FIELD_INDEXES`].
    pub fn index_paths(&self) -> Vec<String> {
        let mut grown = indexed_paths(&self.schema);
        grown.retain(|p| !self.source_paths.contains(p));
        grown.sort();
        let mut out = self.source_paths.clone();
        out.extend(grown);
        out.truncate(MAX_FIELD_INDEXES);
        out
    }

    /// Creates the store's indexes for the schema's indexed fields.
    pub fn ensure_indexes(&self, store: &Store) -> Result<(), ServerError> {
        store.run_transaction(|tx| self.ensure_indexes_in(tx))
    }

    fn ensure_indexes_in(&self, tx: &mut Tx<'_>) -> Result<(), ServerError> {
        let wanted = self.index_paths();
        let names: Vec<String> = wanted.iter().map(|p| field_index_name(p)).collect();
        // Indexes an earlier run made beyond the cap go: they tax every write.
        for existing in tx.field_indexes()? {
            if !names.contains(&existing) {
                tx.drop_field_index(&existing)?;
            }
        }
        for p in &wanted {
            tx.ensure_field_index(p)?;
        }
        Ok(())
    }

    /// This schema with `growth` added, or `None` when it adds nothing.
    pub fn grown(&self, growth: &[Growth]) -> Option<LiveSchema> {
        let mut next = self.clone();
        next.generation = new_generation();
        next.grow(growth).then_some(next)
    }

    /// Stores the grown schema, and the indexes it asks for, in the transaction of the write
    /// that grew it, so that a restart on the same store keeps exactly what was written.
    /// A schema whose text would not read back is refused: the data file must always start.
    pub fn save_in(&self, tx: &mut Tx<'_>) -> Result<(), ServerError> {
        let text = self.export();
        if let Err(errors) = cloudkit_schema::parse_and_check(&text) {
            tracing::error!(
                errors = errors.len(),
                "grown schema does not read back; refusing the write"
            );
            return Err(ServerError::bad_request(
                "the write would grow the schema into one that cannot be read back",
            ));
        }
        tx.set_meta(GROWN_SCHEMA_KEY, &text)?;
        self.ensure_indexes_in(tx)
    }
}

/// JSON paths of every queryable or sortable scalar field, in schema order, once each.
fn indexed_paths(schema: &Schema) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for rt in &schema.record_types {
        for f in rt.user_fields() {
            if !(f.indexes.is_queryable() || f.indexes.is_sortable()) {
                continue;
            }
            if let Some(path) = crate::storage::scalar_path(&f.name.value, f.field_type)
                && crate::storage::is_plain_name(&f.name.value)
                && !out.contains(&path)
            {
                out.push(path);
            }
        }
    }
    out
}

/// Adds to `base` the record types and fields of `other` that it lacks.
fn merge_missing(base: &mut Schema, other: &Schema) {
    for rt in &other.record_types {
        match base.record_types.iter_mut().find(|r| r.name == rt.name) {
            None => base.record_types.push(rt.clone()),
            Some(existing) => {
                for f in rt.user_fields() {
                    if existing.field(&f.name.value).is_none() {
                        let at = existing
                            .fields
                            .iter()
                            .position(|x| x.system_field().is_some())
                            .unwrap_or(existing.fields.len());
                        existing.fields.insert(at, f.clone());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
