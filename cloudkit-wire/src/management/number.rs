//! How the v1 API writes numbers that are not plain integers (spec §6.3): shared by field
//! values, locations and query filters.

use serde::ser::Error as _;
use serde::{Serialize, Serializer};

/// A double as CKTool JS writes it: integral values without a fraction (`2`, not `2.0`);
/// not finite is an error (spec §6.3, §10).
pub(super) struct Double(pub(super) f64);

impl Serialize for Double {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let x = self.0;
        if !x.is_finite() {
            return Err(S::Error::custom("a double must be finite"));
        }
        // Below 2^53 an integral double is an exact integer.
        if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
            s.serialize_i64(x as i64)
        } else {
            s.serialize_f64(x)
        }
    }
}

/// `serialize_with` for a double field: as field values write doubles.
pub(super) fn double<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    Double(*x).serialize(s)
}

/// `serialize_with` for an optional double field (skipped when `None` by the caller).
pub(super) fn optional_double<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    x.map(Double).serialize(s)
}
