#!/usr/bin/env bash
# Compile-time cost of #[derive(CloudKitRecord)] against plain serde derives.
#
# Generates a 200-type schema, a crate with 200 derived structs checked against it, and a
# crate with the same structs deriving serde's Serialize + Deserialize; builds the
# dependencies of both once, then times a rebuild of each crate alone (best of N) and prints
# the ratio. Not part of `cargo test`: run it by hand.
#
#   cloudkit-derive/benches/compile_time.sh [TYPES] [RUNS]
set -euo pipefail

TYPES="${1:-200}"
RUNS="${2:-3}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ck-compile-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export CARGO_TARGET_DIR="$WORK/target"

mkdir -p "$WORK/derived/src" "$WORK/serde/src"

# The schema: every type has the same eight fields, with a mix of types and indexes.
{
  echo "DEFINE SCHEMA"
  for i in $(seq 0 $((TYPES - 1))); do
    cat <<CKDB
    RECORD TYPE T$i (
        "___createTime" TIMESTAMP QUERYABLE SORTABLE,
        "___recordID"   REFERENCE QUERYABLE,
        title           STRING QUERYABLE SEARCHABLE SORTABLE,
        body            STRING,
        count           INT64 QUERYABLE SORTABLE,
        score           DOUBLE SORTABLE,
        at              TIMESTAMP QUERYABLE,
        tags            LIST<STRING> QUERYABLE,
        link            REFERENCE QUERYABLE,
        place           LOCATION QUERYABLE
    );
CKDB
  done
} > "$WORK/derived/schema.ckdb"

cat > "$WORK/derived/Cargo.toml" <<TOML
[package]
name = "bench-derived"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
cloudkit-runtime = { path = "$ROOT/cloudkit-runtime" }
[workspace]
TOML

cat > "$WORK/serde/Cargo.toml" <<TOML
[package]
name = "bench-serde"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
serde = { version = "1", features = ["derive"] }
cloudkit-runtime = { path = "$ROOT/cloudkit-runtime" }
[workspace]
TOML

{
  echo "#![allow(dead_code)]"
  echo "use cloudkit_runtime::{CloudKitRecord, Location, Reference, SystemFields, Timestamp};"
  for i in $(seq 0 $((TYPES - 1))); do
    cat <<RS
#[derive(CloudKitRecord, Debug, Clone)]
#[cloudkit(schema = "schema.ckdb")]
pub struct T$i {
    #[cloudkit(system)]
    pub meta: SystemFields,
    pub title: String,
    pub body: Option<String>,
    pub count: i64,
    pub score: f64,
    pub at: Option<Timestamp>,
    pub tags: Vec<String>,
    pub link: Option<Reference>,
    pub place: Option<Location>,
}
RS
  done
} > "$WORK/derived/src/lib.rs"

{
  echo "#![allow(dead_code)]"
  echo "use cloudkit_runtime::{Location, Reference, Timestamp};"
  echo "use serde::{Deserialize, Serialize};"
  for i in $(seq 0 $((TYPES - 1))); do
    cat <<RS
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct T$i {
    pub record_name: Option<String>,
    pub title: String,
    pub body: Option<String>,
    pub count: i64,
    pub score: f64,
    pub at: Option<Timestamp>,
    pub tags: Vec<String>,
    pub link: Option<Reference>,
    pub place: Option<Location>,
}
RS
  done
} > "$WORK/serde/src/lib.rs"

echo "building dependencies once (not timed)..." >&2
cargo build --quiet --manifest-path "$WORK/derived/Cargo.toml"
cargo build --quiet --manifest-path "$WORK/serde/Cargo.toml"

best() {
  local crate="$1" best_ms="" start end ms
  for _ in $(seq 1 "$RUNS"); do
    touch "$WORK/$crate/src/lib.rs"
    start=$(date +%s%N)
    cargo build --quiet --manifest-path "$WORK/$crate/Cargo.toml"
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [ -z "$best_ms" ] || [ "$ms" -lt "$best_ms" ]; then best_ms=$ms; fi
  done
  echo "$best_ms"
}

derived=$(best derived)
serde=$(best serde)
echo "types: $TYPES, runs: $RUNS (best of), debug build of the crate alone"
echo "CloudKitRecord derive: ${derived} ms"
echo "serde derives:         ${serde} ms"
awk -v d="$derived" -v s="$serde" 'BEGIN { printf "ratio derive/serde:    %.2fx\n", d / s }'
