//! The lexer: schema source bytes to tokens (spec §3).
//!
//! It works over bytes because everything outside quoted names and comments must be ASCII;
//! non-ASCII bytes only need care for column counting (columns count Unicode scalar values,
//! spec §12). Tokens borrow their text from the source, so lexing allocates nothing.

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::model::{Position, Span};

/// The 26 keywords of the language (spec §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keyword {
    Define,
    Schema,
    Create,
    Role,
    Record,
    Type,
    Grant,
    Read,
    Write,
    To,
    List,
    Encrypted,
    Number,
    Preferred,
    As,
    Asset,
    Bytes,
    Double,
    Int64,
    Location,
    Reference,
    String,
    Timestamp,
    Queryable,
    Sortable,
    Searchable,
}

impl Keyword {
    /// The keyword a word spells, ignoring case.
    pub(crate) fn from_word(word: &[u8]) -> Option<Keyword> {
        // Words are packed into one integer (upper-cased, at most 16 bytes) so that the
        // lookup is a single integer match: this runs for every word of the source.
        const DEFINE: u128 = pack(b"DEFINE");
        const SCHEMA: u128 = pack(b"SCHEMA");
        const CREATE: u128 = pack(b"CREATE");
        const ROLE: u128 = pack(b"ROLE");
        const RECORD: u128 = pack(b"RECORD");
        const TYPE: u128 = pack(b"TYPE");
        const GRANT: u128 = pack(b"GRANT");
        const READ: u128 = pack(b"READ");
        const WRITE: u128 = pack(b"WRITE");
        const TO: u128 = pack(b"TO");
        const LIST: u128 = pack(b"LIST");
        const ENCRYPTED: u128 = pack(b"ENCRYPTED");
        const NUMBER: u128 = pack(b"NUMBER");
        const PREFERRED: u128 = pack(b"PREFERRED");
        const AS: u128 = pack(b"AS");
        const ASSET: u128 = pack(b"ASSET");
        const BYTES: u128 = pack(b"BYTES");
        const DOUBLE: u128 = pack(b"DOUBLE");
        const INT64: u128 = pack(b"INT64");
        const LOCATION: u128 = pack(b"LOCATION");
        const REFERENCE: u128 = pack(b"REFERENCE");
        const STRING: u128 = pack(b"STRING");
        const TIMESTAMP: u128 = pack(b"TIMESTAMP");
        const QUERYABLE: u128 = pack(b"QUERYABLE");
        const SORTABLE: u128 = pack(b"SORTABLE");
        const SEARCHABLE: u128 = pack(b"SEARCHABLE");
        if word.len() > 10 {
            return None;
        }
        let mut packed = 0u128;
        for &b in word {
            packed = (packed << 8) | u128::from(b.to_ascii_uppercase());
        }
        Some(match packed {
            DEFINE => Keyword::Define,
            SCHEMA => Keyword::Schema,
            CREATE => Keyword::Create,
            ROLE => Keyword::Role,
            RECORD => Keyword::Record,
            TYPE => Keyword::Type,
            GRANT => Keyword::Grant,
            READ => Keyword::Read,
            WRITE => Keyword::Write,
            TO => Keyword::To,
            LIST => Keyword::List,
            ENCRYPTED => Keyword::Encrypted,
            NUMBER => Keyword::Number,
            PREFERRED => Keyword::Preferred,
            AS => Keyword::As,
            ASSET => Keyword::Asset,
            BYTES => Keyword::Bytes,
            DOUBLE => Keyword::Double,
            INT64 => Keyword::Int64,
            LOCATION => Keyword::Location,
            REFERENCE => Keyword::Reference,
            STRING => Keyword::String,
            TIMESTAMP => Keyword::Timestamp,
            QUERYABLE => Keyword::Queryable,
            SORTABLE => Keyword::Sortable,
            SEARCHABLE => Keyword::Searchable,
            _ => return None,
        })
    }

    /// Whether the keyword can never be a bare name (spec §3.4: only five are).
    pub(crate) fn is_reserved(self) -> bool {
        matches!(
            self,
            Keyword::Grant
                | Keyword::Preferred
                | Keyword::Queryable
                | Keyword::Sortable
                | Keyword::Searchable
        )
    }
}

/// `word` as big-endian bytes in an integer; words of up to 16 bytes pack without loss.
const fn pack(word: &[u8]) -> u128 {
    let mut packed = 0u128;
    let mut i = 0;
    while i < word.len() {
        packed = (packed << 8) | word[i] as u128;
        i += 1;
    }
    packed
}

/// Whether `word` (any case) is one of the five reserved words.
pub(crate) fn is_reserved_word(word: &str) -> bool {
    Keyword::from_word(word.as_bytes()).is_some_and(Keyword::is_reserved)
}

/// What a token is. Its text is the source slice its span covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// `[A-Za-z][A-Za-z0-9_]*`, with the keyword it spells, if any.
    Word(Option<Keyword>),
    /// `"…"`; the span includes the quotes.
    Quoted,
    LParen,
    RParen,
    Comma,
    Semicolon,
    Less,
    Greater,
    /// End of input; its span is empty and sits at the end of the source.
    Eof,
}

/// One token and where it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) span: Span,
}

/// Turns a schema source into tokens, one at a time.
pub(crate) struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
    /// UTF-8 continuation bytes between `line_start` and `pos`: subtracting them turns a byte
    /// distance into a count of Unicode scalar values.
    continuation: usize,
}

const BOM: &str = "\u{feff}";

impl<'a> Lexer<'a> {
    /// A lexer at the start of `src`, past a leading byte-order mark.
    pub(crate) fn new(src: &'a str) -> Self {
        let start = if src.starts_with(BOM) { BOM.len() } else { 0 };
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: start,
            line: 1,
            line_start: start,
            continuation: 0,
        }
    }

    /// The source being lexed.
    pub(crate) fn source(&self) -> &'a str {
        self.src
    }

    fn here(&self) -> Position {
        Position {
            offset: self.pos,
            line: self.line,
            column: column(self.pos - self.line_start - self.continuation),
        }
    }

    fn peek_at(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(0)
    }

    fn new_line(&mut self, next: usize) {
        self.pos = next;
        self.line += 1;
        self.line_start = next;
        self.continuation = 0;
    }

    /// Skips whitespace and comments.
    fn skip_trivia(&mut self) -> Result<(), Diagnostic> {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b' ' | b'\t' | 0x0C => self.pos += 1,
                b'\n' => self.new_line(self.pos + 1),
                b'\r' => {
                    let next = if self.peek_at(self.pos + 1) == b'\n' {
                        self.pos + 2
                    } else {
                        self.pos + 1
                    };
                    self.new_line(next);
                }
                b'/' if self.peek_at(self.pos + 1) == b'/' => self.skip_line_comment(),
                b'-' if self.peek_at(self.pos + 1) == b'-' => self.skip_line_comment(),
                b'/' if self.peek_at(self.pos + 1) == b'*' => self.skip_block_comment()?,
                _ => break,
            }
        }
        Ok(())
    }

    fn skip_line_comment(&mut self) {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let len = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        let body = rest.get(..len).unwrap_or_default();
        // Only matters when the comment ends the file: the end position's column.
        self.continuation += count_continuation(body);
        self.pos += len;
    }

    fn skip_block_comment(&mut self) -> Result<(), Diagnostic> {
        let start = self.here();
        self.pos += 2;
        loop {
            match self.bytes.get(self.pos) {
                None => {
                    let mut end = start;
                    end.offset += 2;
                    end.column = end.column.saturating_add(2);
                    return Err(Diagnostic::new(
                        DiagnosticKind::UnterminatedComment,
                        Span { start, end },
                        "this block comment is never closed: add `*/` (block comments do not nest)",
                    ));
                }
                Some(b'*') if self.peek_at(self.pos + 1) == b'/' => {
                    self.pos += 2;
                    return Ok(());
                }
                Some(b'\n') => self.new_line(self.pos + 1),
                Some(b'\r') => {
                    let next = if self.peek_at(self.pos + 1) == b'\n' {
                        self.pos + 2
                    } else {
                        self.pos + 1
                    };
                    self.new_line(next);
                }
                Some(&b) => {
                    if is_continuation(b) {
                        self.continuation += 1;
                    }
                    self.pos += 1;
                }
            }
        }
    }

    /// The next token, or the first lexical error.
    pub(crate) fn next_token(&mut self) -> Result<Token, Diagnostic> {
        self.skip_trivia()?;
        let start = self.here();
        let Some(&b) = self.bytes.get(self.pos) else {
            return Ok(Token {
                kind: TokenKind::Eof,
                span: Span { start, end: start },
            });
        };
        let kind = match b {
            b'A'..=b'Z' | b'a'..=b'z' => {
                let rest = self.bytes.get(self.pos..).unwrap_or_default();
                let len = rest
                    .iter()
                    .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
                    .unwrap_or(rest.len());
                let word = rest.get(..len).unwrap_or_default();
                self.pos += len;
                TokenKind::Word(Keyword::from_word(word))
            }
            b'"' => return self.quoted(start),
            b'(' => self.punct(TokenKind::LParen),
            b')' => self.punct(TokenKind::RParen),
            b',' => self.punct(TokenKind::Comma),
            b';' => self.punct(TokenKind::Semicolon),
            b'<' => self.punct(TokenKind::Less),
            b'>' => self.punct(TokenKind::Greater),
            _ => return Err(self.unexpected(start)),
        };
        Ok(Token {
            kind,
            span: Span {
                start,
                end: self.here(),
            },
        })
    }

    fn punct(&mut self, kind: TokenKind) -> TokenKind {
        self.pos += 1;
        kind
    }

    fn quoted(&mut self, start: Position) -> Result<Token, Diagnostic> {
        let body_start = self.pos + 1;
        let rest = self.bytes.get(body_start..).unwrap_or_default();
        let len = rest
            .iter()
            .position(|&c| c == b'"' || c == b'\n' || c == b'\r')
            .unwrap_or(rest.len());
        if rest.get(len) != Some(&b'"') {
            let mut end = start;
            end.offset += 1;
            end.column = end.column.saturating_add(1);
            return Err(Diagnostic::new(
                DiagnosticKind::UnterminatedQuote,
                Span { start, end },
                "this quoted name is not closed on the same line: add the closing `\"` \
                 (quoted names cannot span lines)",
            ));
        }
        self.continuation += count_continuation(rest.get(..len).unwrap_or_default());
        self.pos = body_start + len + 1;
        let span = Span {
            start,
            end: self.here(),
        };
        if len == 0 {
            return Err(Diagnostic::new(
                DiagnosticKind::EmptyName,
                span,
                "a quoted name cannot be empty: write at least one character between the quotes",
            ));
        }
        Ok(Token {
            kind: TokenKind::Quoted,
            span,
        })
    }

    fn unexpected(&self, start: Position) -> Diagnostic {
        let ch = self
            .src
            .get(self.pos..)
            .and_then(|s| s.chars().next())
            .unwrap_or('\u{fffd}');
        let mut end = start;
        end.offset += ch.len_utf8();
        end.column = end.column.saturating_add(1);
        let message = match ch {
            '_' => "unexpected `_`: a name starting with `_` must be quoted, e.g. `\"_name\"`"
                .to_owned(),
            '0'..='9' => format!(
                "unexpected `{ch}`: a bare name cannot start with a digit; quote it, e.g. `\"{ch}…\"`"
            ),
            '.' => {
                "unexpected `.`: a name containing `.` must be quoted, e.g. `\"cloudkit.share\"`"
                    .to_owned()
            }
            '-' => {
                "unexpected `-`: a single `-` is not a token (comments start with `--`)".to_owned()
            }
            '/' => "unexpected `/`: a single `/` is not a token (comments start with `//` or `/*`)"
                .to_owned(),
            '\'' => "unexpected `'`: quote names with double quotes, e.g. `\"name\"`".to_owned(),
            c if c.is_ascii_graphic() => format!(
                "unexpected `{c}`: only `(` `)` `,` `;` `<` `>`, words and quoted names are allowed here"
            ),
            c => format!(
                "unexpected character {c:?} (U+{:04X}): outside quotes only ASCII words and \
                 `(` `)` `,` `;` `<` `>` are allowed",
                u32::from(c)
            ),
        };
        Diagnostic::new(
            DiagnosticKind::UnexpectedCharacter,
            Span { start, end },
            message,
        )
    }
}

fn column(scalars_before: usize) -> u32 {
    u32::try_from(scalars_before)
        .unwrap_or(u32::MAX - 1)
        .saturating_add(1)
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

fn count_continuation(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| is_continuation(b)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        let mut lexer = Lexer::new(src);
        let mut out = Vec::new();
        loop {
            let token = lexer.next_token().expect("lexes");
            out.push(token.kind);
            if token.kind == TokenKind::Eof {
                return out;
            }
        }
    }

    fn first_error(src: &str) -> Diagnostic {
        let mut lexer = Lexer::new(src);
        loop {
            match lexer.next_token() {
                Err(e) => return e,
                Ok(t) if t.kind == TokenKind::Eof => panic!("no error in {src:?}"),
                Ok(_) => {}
            }
        }
    }

    #[test]
    fn keywords_ignore_case() {
        assert_eq!(Keyword::from_word(b"define"), Some(Keyword::Define));
        assert_eq!(Keyword::from_word(b"LiSt"), Some(Keyword::List));
        assert_eq!(Keyword::from_word(b"Int64"), Some(Keyword::Int64));
        assert_eq!(Keyword::from_word(b"SEARCHABLES"), None);
        assert_eq!(Keyword::from_word(b"x"), None);
        assert!(is_reserved_word("Sortable"));
        assert!(!is_reserved_word("type"));
    }

    #[test]
    fn comments_need_no_whitespace() {
        use TokenKind::*;
        assert_eq!(
            kinds("STRING--note\nSTRING/*x*/,//y"),
            vec![
                Word(Some(Keyword::String)),
                Word(Some(Keyword::String)),
                Comma,
                Eof
            ]
        );
    }

    #[test]
    fn comment_markers_inside_quotes_are_text() {
        let mut lexer = Lexer::new("\"a--b/*c\"");
        let token = lexer.next_token().expect("lexes");
        assert_eq!(token.kind, TokenKind::Quoted);
        assert_eq!(token.span.end.offset, 9);
    }

    #[test]
    fn line_breaks_and_columns() {
        let mut lexer = Lexer::new("\u{feff}a\r\nb\rc\n\"é\" d");
        let mut positions = Vec::new();
        loop {
            let t = lexer.next_token().expect("lexes");
            positions.push((t.span.start.line, t.span.start.column));
            if t.kind == TokenKind::Eof {
                break;
            }
        }
        assert_eq!(
            positions,
            vec![(1, 1), (2, 1), (3, 1), (4, 1), (4, 5), (4, 6)]
        );
    }

    #[test]
    fn lexical_errors() {
        let e = first_error("a\n  /* open");
        assert_eq!(e.kind, DiagnosticKind::UnterminatedComment);
        assert_eq!((e.span.start.line, e.span.start.column), (2, 3));
        let e = first_error("x \"abc\ndef\"");
        assert_eq!(e.kind, DiagnosticKind::UnterminatedQuote);
        assert_eq!((e.span.start.line, e.span.start.column), (1, 3));
        assert_eq!(first_error("\"\"").kind, DiagnosticKind::EmptyName);
        for bad in ["_x", ".", "-", "/", "'", "1a", "é", "=", "[", "{", ":"] {
            assert_eq!(
                first_error(bad).kind,
                DiagnosticKind::UnexpectedCharacter,
                "{bad}"
            );
        }
    }
}
