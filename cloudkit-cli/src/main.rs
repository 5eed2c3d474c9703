//! The `cloudkit` command line.

fn main() {}
