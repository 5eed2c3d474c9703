//! Diagnostics: what is wrong with a schema, where, and how bad.
//!
//! Kinds carry the names of spec §11 exactly (`unknown-type`, `duplicate-field`, …) so that
//! tests, the CLI and users can refer to a check by name.

use std::fmt;

use crate::model::Span;

/// How serious a diagnostic is. Warnings never fail a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The schema is invalid.
    Error,
    /// The schema is valid but probably not what was meant.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

macro_rules! kinds {
    ($( $(#[$doc:meta])* $variant:ident => $name:literal, $severity:ident; )*) => {
        /// Every check the schema crate performs (spec §11), plus the warnings.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum DiagnosticKind {
            $( $(#[$doc])* $variant, )*
        }

        impl DiagnosticKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [DiagnosticKind] = &[$(DiagnosticKind::$variant,)*];

            /// The kind's name as spec §11 spells it, e.g. `unknown-type`.
            pub fn name(self) -> &'static str {
                match self { $(DiagnosticKind::$variant => $name,)* }
            }

            /// Whether this kind is an error or a warning.
            pub fn severity(self) -> Severity {
                match self { $(DiagnosticKind::$variant => Severity::$severity,)* }
            }
        }
    };
}

kinds! {
    // Lexical.
    /// A character that starts no token.
    UnexpectedCharacter => "unexpected-character", Error;
    /// A `"` with no closing `"` on the same line.
    UnterminatedQuote => "unterminated-quote", Error;
    /// A `/*` with no `*/`.
    UnterminatedComment => "unterminated-comment", Error;
    /// The empty quoted name `""`.
    EmptyName => "empty-name", Error;
    // Syntax.
    /// The file does not start with `DEFINE SCHEMA`.
    MissingHeader => "missing-header", Error;
    /// The grammar cannot go on here.
    ExpectedToken => "expected-token", Error;
    /// `)` straight after `,` in a record body.
    TrailingComma => "trailing-comma", Error;
    /// The word after a field name is not a type keyword.
    UnknownType => "unknown-type", Error;
    /// `LIST` as the element type of a list.
    NestedList => "nested-list", Error;
    /// A type that `ENCRYPTED` cannot prefix.
    NotEncryptable => "not-encryptable", Error;
    /// `PREFERRED AS` followed by something other than INT64 or DOUBLE.
    BadPreferredType => "bad-preferred-type", Error;
    /// A bare reserved word where a name is expected.
    ReservedWord => "reserved-word", Error;
    // Semantic.
    /// A second record type with the same name.
    DuplicateRecordType => "duplicate-record-type", Error;
    /// A second field with the same name in one record type.
    DuplicateField => "duplicate-field", Error;
    /// A second `CREATE ROLE` for the same name.
    DuplicateRole => "duplicate-role", Error;
    /// `CREATE ROLE` of a built-in or `_`-prefixed name.
    BuiltinRoleRedefined => "builtin-role-redefined", Error;
    /// A grant to a custom role that is never declared.
    UndefinedRole => "undefined-role", Error;
    /// A system field declared with the wrong type.
    SystemFieldType => "system-field-type", Error;
    /// A record type or field name with a leading `_` that is not a system name.
    ReservedName => "reserved-name", Error;
    /// An index option on an encrypted field.
    IndexOnEncrypted => "index-on-encrypted", Error;
    /// An index option the field's type does not allow (spec §7.1).
    IndexNotAllowed => "index-not-allowed", Error;
    // Warnings (spec §11 lists them without names; these names are ours).
    /// Two names in one scope that differ only in case.
    CaseCollision => "case-collision", Warning;
    /// A quoted record type or field name outside `[A-Za-z][A-Za-z0-9_]*`.
    NonPortableName => "non-portable-name", Warning;
    /// An index option or permission written twice.
    RepeatedOption => "repeated-option", Warning;
    /// An encrypted field in a type that grants public-database access.
    EncryptedInPublic => "encrypted-in-public", Warning;
    /// A `NUMBER` without `PREFERRED AS`.
    BareNumber => "bare-number", Warning;
    /// A type with grants, so usable in the public database, that no role may create.
    NoCreateGrant => "no-create-grant", Warning;
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One problem found in a schema source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Which check raised it.
    pub kind: DiagnosticKind,
    /// What is wrong and, where it helps, how to fix it. No position, no kind prefix.
    pub message: String,
    /// Where. Its `start` is the position spec §11 names for the kind.
    pub span: Span,
}

impl Diagnostic {
    /// A diagnostic of `kind` at `span`.
    pub fn new(kind: DiagnosticKind, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            kind,
            message: message.into(),
            span,
        }
    }

    /// The kind's severity.
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `LINE:COL: error[KIND]: MESSAGE`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}[{}]: {}",
            self.span.start.line,
            self.span.start.column,
            self.severity(),
            self.kind,
            self.message
        )
    }
}

impl std::error::Error for Diagnostic {}
