//! The parser: tokens to a [`Schema`] (spec §4), stopping at the first lexical or syntax
//! error.
//!
//! Recursive descent with one token of lookahead, which is all the grammar needs (spec §4,
//! note 5). Names are the only allocations.

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::lexer::{Keyword, Lexer, Token, TokenKind};
use crate::model::{
    ElementType, Field, FieldType, Grant, Indexes, Name, NumberPreference, Permissions, Position,
    RecordType, Role, ScalarType, Schema, Span, SystemField,
};

/// Parses a schema source into its model: lexical and syntax checks only.
///
/// Returns the first lexical or syntax error (spec §11). Semantic problems, such as a
/// duplicate field or a grant to an undeclared role, are left to [`check`](crate::check()).
/// Every record type gets the six system fields: the ones the source declares, in place, and
/// the others appended with [`Field::declared`] false.
///
/// ```
/// let schema = cloudkit_schema::parse("DEFINE SCHEMA RECORD TYPE Note (title STRING);")?;
/// assert_eq!(schema.record_types[0].fields.len(), 7);
/// # Ok::<(), cloudkit_schema::Diagnostic>(())
/// ```
pub fn parse(source: &str) -> Result<Schema, Diagnostic> {
    Parser::new(source)?.schema()
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    token: Token,
    /// End of the last token consumed: where a statement, field or grant ends.
    prev_end: Position,
    /// Fields of the record type being read; reused so that each type's own `Vec` is
    /// allocated once, at its final size.
    scratch_fields: Vec<Field>,
}

impl<'a> Parser<'a> {
    fn new(source: &'a str) -> Result<Self, Diagnostic> {
        let mut lexer = Lexer::new(source);
        let token = lexer.next_token()?;
        Ok(Parser {
            lexer,
            token,
            prev_end: token.span.start,
            scratch_fields: Vec::new(),
        })
    }

    fn bump(&mut self) -> Result<Token, Diagnostic> {
        let token = self.token;
        self.prev_end = token.span.end;
        self.token = self.lexer.next_token()?;
        Ok(token)
    }

    fn text(&self, span: Span) -> &'a str {
        self.lexer
            .source()
            .get(span.start.offset..span.end.offset)
            .unwrap_or_default()
    }

    fn keyword(&self) -> Option<Keyword> {
        match self.token.kind {
            TokenKind::Word(keyword) => keyword,
            _ => None,
        }
    }

    fn at(&self, keyword: Keyword) -> bool {
        self.keyword() == Some(keyword)
    }

    /// How the current token reads in a message: `` `RECORD` ``, `` `"x"` ``, `end of input`.
    fn found(&self) -> String {
        match self.token.kind {
            TokenKind::Eof => "end of input".to_owned(),
            _ => format!("`{}`", self.text(self.token.span)),
        }
    }

    fn error(&self, kind: DiagnosticKind, message: String) -> Diagnostic {
        Diagnostic::new(kind, self.token.span, message)
    }

    fn expected(&self, what: &str) -> Diagnostic {
        self.error(
            DiagnosticKind::ExpectedToken,
            format!("expected {what}, found {}", self.found()),
        )
    }

    fn expect_keyword(&mut self, keyword: Keyword, what: &str) -> Result<Token, Diagnostic> {
        if self.at(keyword) {
            self.bump()
        } else {
            Err(self.expected(what))
        }
    }

    fn expect(&mut self, kind: TokenKind, what: &str) -> Result<Token, Diagnostic> {
        if self.token.kind == kind {
            self.bump()
        } else {
            Err(self.expected(what))
        }
    }

    fn schema(mut self) -> Result<Schema, Diagnostic> {
        for (keyword, word) in [(Keyword::Define, "DEFINE"), (Keyword::Schema, "SCHEMA")] {
            if !self.at(keyword) {
                return Err(self.error(
                    DiagnosticKind::MissingHeader,
                    format!(
                        "expected `{word}`, found {}: a schema starts with `DEFINE SCHEMA`",
                        self.found()
                    ),
                ));
            }
            self.bump()?;
        }
        let mut schema = Schema::default();
        loop {
            match (self.token.kind, self.keyword()) {
                (TokenKind::Eof, _) => return Ok(schema),
                (_, Some(Keyword::Create)) => schema.roles.push(self.create_role()?),
                (_, Some(Keyword::Record)) => schema.record_types.push(self.record_type()?),
                (TokenKind::Semicolon, _) => {
                    return Err(self.expected(
                        "`CREATE ROLE` or `RECORD TYPE` (an empty statement `;` is not allowed)",
                    ));
                }
                _ => {
                    return Err(self.expected("`CREATE ROLE`, `RECORD TYPE` or end of input"));
                }
            }
            if self.token.kind != TokenKind::Semicolon {
                return Err(
                    self.expected("`;` after the statement (every statement ends with `;`)")
                );
            }
            self.bump()?;
        }
    }

    fn create_role(&mut self) -> Result<Role, Diagnostic> {
        let start = self.bump()?.span.start;
        self.expect_keyword(Keyword::Role, "`ROLE` after `CREATE`")?;
        let name = self.name("a role name")?;
        Ok(Role {
            name,
            span: Span {
                start,
                end: self.prev_end,
            },
        })
    }

    /// A bare or quoted name; `what` says which kind of name, for messages.
    fn name(&mut self, what: &str) -> Result<Name, Diagnostic> {
        match self.token.kind {
            TokenKind::Word(Some(keyword)) if keyword.is_reserved() => {
                let word = self.text(self.token.span);
                Err(self.error(
                    DiagnosticKind::ReservedWord,
                    format!(
                        "`{word}` is a reserved word and cannot be a bare name: quote it as `\"{word}\"`"
                    ),
                ))
            }
            TokenKind::Word(_) => {
                let span = self.bump()?.span;
                Ok(Name {
                    value: self.text(span).to_owned(),
                    quoted: false,
                    span,
                })
            }
            TokenKind::Quoted => {
                let span = self.bump()?.span;
                let text = self.text(span);
                let inner = text
                    .get(1..text.len().saturating_sub(1))
                    .unwrap_or_default();
                Ok(Name {
                    value: inner.to_owned(),
                    quoted: true,
                    span,
                })
            }
            _ => Err(self.expected(what)),
        }
    }

    fn record_type(&mut self) -> Result<RecordType, Diagnostic> {
        let start = self.bump()?.span.start;
        self.expect_keyword(Keyword::Type, "`TYPE` after `RECORD`")?;
        let name = self.name("a record type name")?;
        self.expect(TokenKind::LParen, "`(` after the record type name")?;
        let mut grants = Vec::new();
        self.scratch_fields.clear();
        if self.token.kind != TokenKind::RParen {
            loop {
                if self.at(Keyword::Grant) {
                    grants.push(self.grant()?);
                } else {
                    let field = self.field()?;
                    self.scratch_fields.push(field);
                }
                match self.token.kind {
                    TokenKind::Comma => {
                        self.bump()?;
                        if self.token.kind == TokenKind::RParen {
                            return Err(self.error(
                                DiagnosticKind::TrailingComma,
                                "expected a field or `GRANT` after `,`, found `)`: remove the \
                                 trailing comma"
                                    .to_owned(),
                            ));
                        }
                    }
                    TokenKind::RParen => break,
                    _ => {
                        return Err(self.expected("`,` or `)` after the item"));
                    }
                }
            }
        }
        self.bump()?;
        let mut fields = Vec::with_capacity(self.scratch_fields.len() + SystemField::ALL.len());
        fields.append(&mut self.scratch_fields);
        add_implicit_system_fields(&mut fields, &name);
        Ok(RecordType {
            name,
            fields,
            grants,
            span: Span {
                start,
                end: self.prev_end,
            },
        })
    }

    fn grant(&mut self) -> Result<Grant, Diagnostic> {
        let start = self.bump()?.span.start;
        let mut permissions = Permissions::default();
        let mut repeated_permissions = Vec::new();
        loop {
            let slot = match self.keyword() {
                Some(Keyword::Read) => &mut permissions.read,
                Some(Keyword::Create) => &mut permissions.create,
                Some(Keyword::Write) => &mut permissions.write,
                _ => return Err(self.expected("a permission: `READ`, `CREATE` or `WRITE`")),
            };
            if std::mem::replace(slot, true) {
                repeated_permissions.push(self.token.span);
            }
            self.bump()?;
            if self.token.kind == TokenKind::Comma {
                self.bump()?;
            } else {
                break;
            }
        }
        self.expect_keyword(Keyword::To, "`TO` or `,` after the permission")?;
        let role = self.name("a role name after `TO`")?;
        Ok(Grant {
            permissions,
            role,
            span: Span {
                start,
                end: self.prev_end,
            },
            repeated_permissions,
        })
    }

    fn field(&mut self) -> Result<Field, Diagnostic> {
        let name = self.name("a field name or `GRANT`")?;
        let type_start = self.token.span.start;
        let field_type = self.data_type()?;
        let type_span = Span {
            start: type_start,
            end: self.prev_end,
        };
        let mut indexes = Indexes::default();
        let mut repeated_options = Vec::new();
        loop {
            let slot = match self.keyword() {
                Some(Keyword::Queryable) => &mut indexes.queryable,
                Some(Keyword::Searchable) => &mut indexes.searchable,
                Some(Keyword::Sortable) => &mut indexes.sortable,
                _ => break,
            };
            if slot.is_some() {
                repeated_options.push(self.token.span);
            } else {
                *slot = Some(self.token.span);
            }
            self.bump()?;
        }
        Ok(Field {
            span: Span {
                start: name.span.start,
                end: self.prev_end,
            },
            name,
            field_type,
            type_span,
            indexes,
            declared: true,
            repeated_options,
        })
    }

    fn data_type(&mut self) -> Result<FieldType, Diagnostic> {
        if self.at(Keyword::List) {
            self.bump()?;
            self.expect(TokenKind::Less, "`<` after `LIST`")?;
            let element = self.element_type(true)?;
            self.expect(TokenKind::Greater, "`>` to close `LIST<…>`")?;
            Ok(FieldType::List(element))
        } else {
            Ok(FieldType::Element(self.element_type(false)?))
        }
    }

    fn element_type(&mut self, in_list: bool) -> Result<ElementType, Diagnostic> {
        if self.at(Keyword::Encrypted) {
            self.bump()?;
            return match self.keyword().and_then(plain_scalar) {
                Some(scalar) if scalar.is_encryptable() => {
                    self.bump()?;
                    Ok(ElementType {
                        scalar,
                        encrypted: true,
                    })
                }
                _ => Err(self.error(
                    DiagnosticKind::NotEncryptable,
                    format!(
                        "`ENCRYPTED` cannot prefix {}: only BYTES, STRING, DOUBLE, INT64, \
                         LOCATION and TIMESTAMP can be encrypted (for a list, write \
                         `LIST<ENCRYPTED …>`)",
                        self.found()
                    ),
                )),
            };
        }
        match self.keyword() {
            Some(Keyword::Number) => {
                self.bump()?;
                Ok(ElementType::plain(ScalarType::Number(self.preference()?)))
            }
            Some(Keyword::List) if in_list => Err(self.error(
                DiagnosticKind::NestedList,
                "lists do not nest: the element type of `LIST<…>` cannot be a list".to_owned(),
            )),
            Some(keyword) => match plain_scalar(keyword) {
                Some(scalar) => {
                    self.bump()?;
                    Ok(ElementType::plain(scalar))
                }
                None => Err(self.unknown_type()),
            },
            None if matches!(self.token.kind, TokenKind::Word(None)) => Err(self.unknown_type()),
            None => Err(self.expected(if in_list {
                "an element type inside `LIST<…>`"
            } else {
                "a type after the field name"
            })),
        }
    }

    fn unknown_type(&self) -> Diagnostic {
        let word = self.text(self.token.span);
        let hint = match type_suggestion(word) {
            Some(suggestion) => format!("; {suggestion}"),
            None => String::new(),
        };
        self.error(
            DiagnosticKind::UnknownType,
            format!(
                "expected a type, found {}: the types are STRING, INT64, DOUBLE, TIMESTAMP, \
                 BYTES, LOCATION, REFERENCE, ASSET, NUMBER, LIST<…> and ENCRYPTED …{hint}",
                self.found()
            ),
        )
    }

    fn preference(&mut self) -> Result<Option<NumberPreference>, Diagnostic> {
        if !self.at(Keyword::Preferred) {
            return Ok(None);
        }
        self.bump()?;
        self.expect_keyword(Keyword::As, "`AS` after `PREFERRED`")?;
        let preference = match self.keyword() {
            Some(Keyword::Int64) => NumberPreference::Int64,
            Some(Keyword::Double) => NumberPreference::Double,
            _ => {
                return Err(self.error(
                    DiagnosticKind::BadPreferredType,
                    format!(
                        "expected `INT64` or `DOUBLE` after `PREFERRED AS`, found {}",
                        self.found()
                    ),
                ));
            }
        };
        self.bump()?;
        Ok(Some(preference))
    }
}

/// The scalar a type keyword names, NUMBER excepted (it takes `PREFERRED AS`).
fn plain_scalar(keyword: Keyword) -> Option<ScalarType> {
    Some(match keyword {
        Keyword::Asset => ScalarType::Asset,
        Keyword::Bytes => ScalarType::Bytes,
        Keyword::Double => ScalarType::Double,
        Keyword::Int64 => ScalarType::Int64,
        Keyword::Location => ScalarType::Location,
        Keyword::Reference => ScalarType::Reference,
        Keyword::String => ScalarType::String,
        Keyword::Timestamp => ScalarType::Timestamp,
        _ => return None,
    })
}

/// A hint for a word that is not a type: the type other languages call that, or the type
/// keyword it is a typo of.
fn type_suggestion(word: &str) -> Option<String> {
    let upper = word.to_ascii_uppercase();
    let alias = match upper.as_str() {
        "BOOL" | "BOOLEAN" => Some("there is no boolean type: CloudKit stores booleans as INT64"),
        "INT" | "INTEGER" | "INT32" | "LONG" => Some("did you mean INT64?"),
        "FLOAT" | "REAL" | "DECIMAL" => Some("did you mean DOUBLE?"),
        "TEXT" | "VARCHAR" | "STR" => Some("did you mean STRING?"),
        "DATE" | "DATETIME" | "TIME" => Some("did you mean TIMESTAMP?"),
        "DATA" | "BLOB" | "BINARY" => Some("did you mean BYTES?"),
        "REF" => Some("did you mean REFERENCE?"),
        "FILE" => Some("did you mean ASSET?"),
        "QUERYABLE" | "SORTABLE" | "SEARCHABLE" => {
            Some("a field needs its type before the index options, e.g. `title STRING QUERYABLE`")
        }
        _ => None,
    };
    if let Some(alias) = alias {
        return Some(alias.to_owned());
    }
    const TYPES: [&str; 11] = [
        "ASSET",
        "BYTES",
        "DOUBLE",
        "INT64",
        "LOCATION",
        "REFERENCE",
        "STRING",
        "TIMESTAMP",
        "NUMBER",
        "LIST",
        "ENCRYPTED",
    ];
    TYPES
        .into_iter()
        .map(|t| (strsim::damerau_levenshtein(&upper, t), t))
        .filter(|&(distance, _)| distance <= 2)
        .min()
        .map(|(_, t)| format!("did you mean {t}?"))
}

fn add_implicit_system_fields(fields: &mut Vec<Field>, record_name: &Name) {
    for system in SystemField::ALL {
        if fields.iter().any(|f| f.name.value == system.schema_name()) {
            continue;
        }
        fields.push(Field {
            name: Name {
                value: system.schema_name().to_owned(),
                quoted: true,
                span: record_name.span,
            },
            field_type: system.field_type(),
            type_span: record_name.span,
            indexes: Indexes::default(),
            declared: false,
            span: record_name.span,
            repeated_options: Vec::new(),
        });
    }
}

#[cfg(test)]
mod tests;
