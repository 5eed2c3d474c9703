//! The development schema replaced through the management API: importSchema (and
//! validateSchema, which asks the same question without applying it) and resetToProduction.

use super::{
    GROWN_SCHEMA_KEY, IMPORTED_SCHEMA_KEY, LiveSchema, indexed_paths, merge_missing, new_generation,
};
use crate::error::ServerError;
use crate::storage::Tx;
use cloudkit_wire::ws::Environment;

impl LiveSchema {
    /// The development schema after importing `text`: the file's record types and fields,
    /// plus whatever development holds that the file lacks (an import adds, it does not
    /// delete: schema-language spec §13, rule 7), provided `production` accepts the file
    /// (rule 2: removing or retyping what production has is refused as a whole). The error is
    /// the reason, for `isValid: false` or the refused import.
    pub fn imported(&self, text: &str, production: &LiveSchema) -> Result<LiveSchema, String> {
        let file = "schema.ckdb";
        let checked = cloudkit_schema::parse_and_check(text).map_err(|errors| {
            errors
                .iter()
                .map(|d| d.render(file, text))
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        let mut schema = checked.schema;
        let diff = cloudkit_schema::diff(&production.schema, &schema);
        let blockers: Vec<String> = diff
            .production_blockers()
            .map(|(change, blocker)| format!("{change}: {blocker}"))
            .collect();
        if !blockers.is_empty() {
            return Err(format!(
                "production would refuse this schema: {}",
                blockers.join("; ")
            ));
        }
        let places = schema
            .record_types
            .iter()
            .map(|rt| (rt.name.value.clone(), rt.span.start.line))
            .collect();
        merge_missing(&mut schema, &self.schema);
        Ok(LiveSchema {
            environment: Environment::Development,
            source_paths: indexed_paths(&schema),
            source_places: Some((file.to_owned(), places)),
            schema,
            generation: new_generation(),
        })
    }

    /// Development as `production` defines it (resetToProduction).
    pub fn reset_to(production: &LiveSchema) -> LiveSchema {
        LiveSchema {
            environment: Environment::Development,
            generation: new_generation(),
            ..production.clone()
        }
    }

    /// Keeps this schema as development's imported one in the transaction `tx`, with its
    /// indexes, so that a restart finds it.
    pub fn save_imported_in(&self, tx: &mut Tx<'_>) -> Result<(), ServerError> {
        tx.set_meta(IMPORTED_SCHEMA_KEY, &self.export())?;
        tx.delete_meta(GROWN_SCHEMA_KEY)?;
        self.ensure_indexes_in(tx)
    }

    /// Forgets, in `tx`, every schema development imported or grew, and sets the indexes to
    /// this schema's.
    pub fn save_reset_in(&self, tx: &mut Tx<'_>) -> Result<(), ServerError> {
        tx.delete_meta(IMPORTED_SCHEMA_KEY)?;
        tx.delete_meta(GROWN_SCHEMA_KEY)?;
        self.ensure_indexes_in(tx)
    }
}
