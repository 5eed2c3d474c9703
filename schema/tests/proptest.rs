//! Property tests: generated valid schemas survive parse -> format -> parse, and no input
//! makes the parser or the checks panic.

use cloudkit_schema::{Schema, format, parse, parse_and_check};
use proptest::prelude::*;

/// What a generated schema means, independent of how it is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct TypeDesc {
    name: String,
    /// (name, type as the schema spells it, QUERYABLE, SEARCHABLE, SORTABLE)
    fields: Vec<(String, String, bool, bool, bool)>,
    /// (role, "READ, CREATE, WRITE"-style permissions)
    grants: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct SchemaDesc {
    roles: Vec<String>,
    types: Vec<TypeDesc>,
}

const SYSTEM: [(&str, &str); 6] = [
    ("___createTime", "TIMESTAMP"),
    ("___createdBy", "REFERENCE"),
    ("___etag", "STRING"),
    ("___modTime", "TIMESTAMP"),
    ("___modifiedBy", "REFERENCE"),
    ("___recordID", "REFERENCE"),
];

/// The span-free, order-free projection of a parsed schema, in the shape of `SchemaDesc`.
fn meaning(schema: &Schema) -> SchemaDesc {
    let mut roles: Vec<String> = schema.roles.iter().map(|r| r.name.value.clone()).collect();
    roles.sort();
    let mut types: Vec<TypeDesc> = schema
        .record_types
        .iter()
        .map(|t| {
            let mut fields: Vec<_> = t
                .fields
                .iter()
                .map(|f| {
                    (
                        f.name.value.clone(),
                        f.field_type.to_string(),
                        f.indexes.is_queryable(),
                        f.indexes.is_searchable(),
                        f.indexes.is_sortable(),
                    )
                })
                .collect();
            fields.sort();
            let mut role_names: Vec<&str> = t.grants.iter().map(|g| g.role.as_str()).collect();
            role_names.sort();
            role_names.dedup();
            let grants = role_names
                .into_iter()
                .map(|r| (r.to_owned(), t.permissions_for(r).to_string()))
                .collect();
            TypeDesc {
                name: t.name.value.clone(),
                fields,
                grants,
            }
        })
        .collect();
    types.sort();
    SchemaDesc { roles, types }
}

/// The meaning a description should parse to: system fields added, grants merged, sorted.
fn expected(desc: &SchemaDesc) -> SchemaDesc {
    let mut roles = desc.roles.clone();
    roles.sort();
    let mut types: Vec<TypeDesc> = desc
        .types
        .iter()
        .map(|t| {
            let mut fields = t.fields.clone();
            for (name, ty) in SYSTEM {
                if !fields.iter().any(|f| f.0 == name) {
                    fields.push((name.to_owned(), ty.to_owned(), false, false, false));
                }
            }
            fields.sort();
            let mut grants: Vec<(String, [bool; 3])> = Vec::new();
            for (role, perms) in &t.grants {
                let bits = [
                    perms.contains("READ"),
                    perms.contains("CREATE"),
                    perms.contains("WRITE"),
                ];
                match grants.iter_mut().find(|g| &g.0 == role) {
                    Some(g) => (0..3).for_each(|i| g.1[i] |= bits[i]),
                    None => grants.push((role.clone(), bits)),
                }
            }
            grants.sort();
            let grants = grants
                .into_iter()
                .map(|(role, bits)| {
                    let names: Vec<&str> = ["READ", "CREATE", "WRITE"]
                        .into_iter()
                        .zip(bits)
                        .filter_map(|(n, on)| on.then_some(n))
                        .collect();
                    (role, names.join(", "))
                })
                .collect();
            TypeDesc {
                name: t.name.clone(),
                fields,
                grants,
            }
        })
        .collect();
    types.sort();
    SchemaDesc { roles, types }
}

fn bare_name() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9_]{0,7}"
}

fn any_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => bare_name(),
        1 => "[A-Za-z0-9 ._é-]{1,8}",
        1 => prop::sample::select(vec![
            "type".to_owned(), "List".to_owned(), "grant".to_owned(), "Sortable".to_owned(),
            "timestamp".to_owned(), "encrypted".to_owned(), "role".to_owned(),
        ]),
    ]
}

fn field_type() -> impl Strategy<Value = String> {
    let element = prop::sample::select(vec![
        "ASSET",
        "BYTES",
        "DOUBLE",
        "INT64",
        "LOCATION",
        "REFERENCE",
        "STRING",
        "TIMESTAMP",
        "NUMBER",
        "NUMBER PREFERRED AS INT64",
        "NUMBER PREFERRED AS DOUBLE",
        "ENCRYPTED BYTES",
        "ENCRYPTED STRING",
        "ENCRYPTED DOUBLE",
        "ENCRYPTED INT64",
        "ENCRYPTED LOCATION",
        "ENCRYPTED TIMESTAMP",
    ]);
    (element, any::<bool>()).prop_map(|(e, list)| {
        if list {
            format!("LIST<{e}>")
        } else {
            e.to_owned()
        }
    })
}

fn field() -> impl Strategy<Value = (String, String, bool, bool, bool)> {
    prop_oneof![
        6 => (any_name(), field_type(), any::<bool>(), any::<bool>(), any::<bool>()),
        1 => (prop::sample::select(SYSTEM.to_vec()), any::<bool>(), any::<bool>())
            .prop_map(|((n, t), q, s)| (n.to_owned(), t.to_owned(), q, false, s)),
    ]
}

fn permissions() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "READ",
        "CREATE",
        "WRITE",
        "READ, CREATE",
        "READ, WRITE",
        "CREATE, WRITE",
        "READ, CREATE, WRITE",
    ])
    .prop_map(str::to_owned)
}

fn role_ref() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "_world".to_owned(),
            "_icloud".to_owned(),
            "_creator".to_owned()
        ]),
        any_name(),
    ]
}

fn record_type() -> impl Strategy<Value = TypeDesc> {
    (
        any_name(),
        prop::collection::vec(field(), 0..6),
        prop::collection::vec((role_ref(), permissions()), 0..4),
    )
        .prop_map(|(name, fields, grants)| TypeDesc {
            name,
            fields,
            grants,
        })
}

fn schema_desc() -> impl Strategy<Value = SchemaDesc> {
    (
        prop::collection::vec(any_name(), 0..3),
        prop::collection::vec(record_type(), 0..5),
    )
        .prop_map(|(roles, types)| SchemaDesc { roles, types })
}

/// How the source is written: keyword case, separators, quoting and item order.
#[derive(Debug, Clone)]
struct Style {
    lower_keywords: bool,
    separators: Vec<&'static str>,
    quote_all: bool,
    grants_first: bool,
}

fn style() -> impl Strategy<Value = Style> {
    let separator = prop::sample::select(vec![
        " ",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "  ",
        " /* c */ ",
        " -- c\n",
        "// c\r\n",
        "/**/",
    ]);
    (
        any::<bool>(),
        prop::collection::vec(separator, 1..8),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(lower_keywords, separators, quote_all, grants_first)| Style {
                lower_keywords,
                separators,
                quote_all,
                grants_first,
            },
        )
}

struct Writer<'a> {
    style: &'a Style,
    out: String,
    n: usize,
}

impl Writer<'_> {
    fn sep(&mut self) {
        let s = self.style.separators[self.n % self.style.separators.len()];
        self.n += 1;
        self.out.push_str(s);
    }

    fn kw(&mut self, text: &str) {
        if self.style.lower_keywords {
            self.out.push_str(&text.to_lowercase());
        } else {
            self.out.push_str(text);
        }
        self.sep();
    }

    fn name(&mut self, name: &str) {
        let bare_ok = cloudkit_schema::format::quoted_if_needed(name) == name;
        if bare_ok && !self.style.quote_all {
            self.out.push_str(name);
        } else {
            self.out.push('"');
            self.out.push_str(name);
            self.out.push('"');
        }
        self.sep();
    }
}

enum Item<'a> {
    Field(&'a (String, String, bool, bool, bool)),
    Grant(&'a (String, String)),
}

fn write_source(desc: &SchemaDesc, style: &Style) -> String {
    let mut w = Writer {
        style,
        out: String::new(),
        n: 0,
    };
    w.kw("DEFINE");
    w.kw("SCHEMA");
    for role in &desc.roles {
        w.kw("CREATE");
        w.kw("ROLE");
        w.name(role);
        w.kw(";");
    }
    for t in &desc.types {
        w.kw("RECORD");
        w.kw("TYPE");
        w.name(&t.name);
        w.kw("(");
        let fields = t.fields.iter().map(Item::Field);
        let grants = t.grants.iter().map(Item::Grant);
        let items: Vec<Item<'_>> = if style.grants_first {
            grants.chain(fields).collect()
        } else {
            fields.chain(grants).collect()
        };
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                w.kw(",");
            }
            match item {
                Item::Field(f) => {
                    w.name(&f.0);
                    // `LIST<…>` punctuation needs no spaces; every word gets a separator.
                    for word in
                        f.1.replace('<', " < ")
                            .replace('>', " > ")
                            .split_whitespace()
                    {
                        w.kw(word);
                    }
                    // Written in a scrambled order: options are a set.
                    for (on, option) in [(f.4, "SORTABLE"), (f.3, "SEARCHABLE"), (f.2, "QUERYABLE")]
                    {
                        if on {
                            w.kw(option);
                        }
                    }
                }
                Item::Grant((role, perms)) => {
                    w.kw("GRANT");
                    for (i, p) in perms.split(", ").enumerate() {
                        if i > 0 {
                            w.kw(",");
                        }
                        w.kw(p);
                    }
                    w.kw("TO");
                    w.name(role);
                }
            }
        }
        w.kw(")");
        w.kw(";");
    }
    w.out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_schemas_round_trip(desc in schema_desc(), style in style()) {
        let source = write_source(&desc, &style);
        if std::env::var_os("SHOW_GENERATED").is_some() { eprintln!("----\n{source}"); }
        let parsed = parse(&source).map_err(|e| TestCaseError::fail(format!("{}\n{source}", e.render("gen", &source))))?;
        prop_assert_eq!(meaning(&parsed), expected(&desc), "source:\n{}", source);
        let formatted = format(&parsed);
        let reparsed = parse(&formatted).map_err(|e| TestCaseError::fail(format!("{}\n{formatted}", e.render("fmt", &formatted))))?;
        prop_assert_eq!(meaning(&reparsed), meaning(&parsed), "formatted:\n{}", formatted);
        prop_assert_eq!(format(&reparsed), formatted);
    }

    #[test]
    fn arbitrary_text_never_panics(source in ".{0,200}") {
        check_without_panic(&source);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        check_without_panic(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn damaged_schemas_never_panic(
        desc in schema_desc(),
        style in style(),
        cut in any::<prop::sample::Index>(),
        len in 0usize..6,
        insert in "[\"();,<>/*_.\\-a-zA-Z \r\n]{0,3}",
    ) {
        let mut source = write_source(&desc, &style);
        let mut at = cut.index(source.len() + 1);
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + len).min(source.len());
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        source.replace_range(at..end, &insert);
        check_without_panic(&source);
    }
}

fn check_without_panic(source: &str) {
    let diagnostics = match parse_and_check(source) {
        Ok(checked) => {
            let _ = format(&checked.schema);
            checked.warnings
        }
        Err(diagnostics) => diagnostics,
    };
    for d in diagnostics {
        let _ = d.render("x.ckdb", source);
    }
}
