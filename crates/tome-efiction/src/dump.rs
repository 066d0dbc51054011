//! A `mysqldump` file read statement by statement, without a MySQL server.
//!
//! The file is split into statements by a small lexer that knows MySQL's quoting
//! (`'…'`, `"…"`, `` `…` ``, backslash escapes) and comments (`-- `, `#`, `/* … */`,
//! including mysqldump's `/*!40101 … */` version comments, which hold only session
//! settings). Only `CREATE TABLE` and `INSERT`/`REPLACE` statements of the tables the
//! caller wants are handed to `sqlparser` (MySQL dialect); every other statement is
//! skipped unparsed. One statement is in memory at a time, so a dump of many gigabytes
//! is read in the memory of its largest statement (bounded by [`MAX_STATEMENT`]).

use std::io::{BufRead, BufReader, Read};

use sqlparser::ast::{
    ColumnDef, Expr, ObjectName, ObjectNamePart, SetExpr, Statement, TableObject, UnaryOperator,
    Value,
};
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::Parser;

use crate::EfictionError;

/// The longest statement accepted (mysqldump's extended inserts are about 1 MB by
/// default; `max_allowed_packet` is at most 1 GB).
pub const MAX_STATEMENT: usize = 256 * 1024 * 1024;

/// One value of a row, as the dump wrote it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    /// A number that is not an integer (kept as written).
    Num(String),
    Text(String),
}

impl Cell {
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Cell::Int(i) => Some(*i),
            Cell::Num(s) => s.parse::<f64>().ok().map(|f| f as i64),
            Cell::Text(s) => s.trim().parse().ok(),
            Cell::Null => None,
        }
    }

    pub fn into_text(self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Int(i) => i.to_string(),
            Cell::Num(s) | Cell::Text(s) => s,
        }
    }
}

/// What a reader hands to its caller.
#[derive(Debug)]
pub enum Item {
    /// A table's columns, from its `CREATE TABLE`.
    Table { name: String, columns: Vec<String> },
    /// The rows of one `INSERT`: the table, the column names (from the statement, else
    /// from the `CREATE TABLE` seen before, else empty) and the values.
    Rows {
        table: String,
        columns: Vec<String>,
        rows: Vec<Vec<Cell>>,
    },
}

/// Reads a dump statement by statement.
pub struct DumpReader<R: Read> {
    input: BufReader<R>,
    /// Byte offset of the next unread byte, for error messages.
    offset: u64,
    /// Columns of the tables created so far.
    columns: std::collections::HashMap<String, Vec<String>>,
    /// Statements that were not UTF-8 and were read as Windows-1252.
    pub latin1_statements: u64,
    buf: Vec<u8>,
}

/// Lexer state between bytes.
#[derive(Clone, Copy, PartialEq)]
enum Lex {
    Normal,
    Quote(u8),
    QuoteEscape(u8),
    LineComment,
    BlockComment,
    BlockCommentStar,
}

impl<R: Read> DumpReader<R> {
    pub fn new(input: R) -> Self {
        DumpReader {
            input: BufReader::with_capacity(1 << 20, input),
            offset: 0,
            columns: Default::default(),
            latin1_statements: 0,
            buf: Vec::new(),
        }
    }

    /// The next statement's bytes (without its `;` and without comments), or `None` at
    /// the end of the file.
    fn next_statement(&mut self) -> Result<Option<(u64, Vec<u8>)>, EfictionError> {
        self.buf.clear();
        let mut state = Lex::Normal;
        let mut start = None;
        loop {
            let chunk = self
                .input
                .fill_buf()
                .map_err(|e| EfictionError::Io(format!("reading the dump: {e}")))?;
            if chunk.is_empty() {
                if matches!(state, Lex::Quote(_) | Lex::QuoteEscape(_)) {
                    return Err(EfictionError::Dump {
                        offset: start.unwrap_or(self.offset),
                        message: "the dump ends inside a quoted string (is the file cut short?)"
                            .into(),
                    });
                }
                let rest = std::mem::take(&mut self.buf);
                if rest.iter().all(u8::is_ascii_whitespace) {
                    return Ok(None);
                }
                return Ok(Some((start.unwrap_or(self.offset), rest)));
            }
            let len = chunk.len();
            let mut i = 0;
            let mut done = false;
            while i < len {
                let b = chunk[i];
                i += 1;
                match state {
                    Lex::Normal => match b {
                        b';' => {
                            done = true;
                            break;
                        }
                        b'\'' | b'"' | b'`' => {
                            state = Lex::Quote(b);
                            self.buf.push(b);
                        }
                        b'#' => state = Lex::LineComment,
                        b'-' if self.buf.last() == Some(&b'-') => {
                            // "-- " starts a comment only before white space.
                            let next = chunk.get(i).copied();
                            if next.is_none_or(|c| c.is_ascii_whitespace()) {
                                self.buf.pop();
                                state = Lex::LineComment;
                            } else {
                                self.buf.push(b);
                            }
                        }
                        b'*' if self.buf.last() == Some(&b'/') => {
                            self.buf.pop();
                            self.buf.push(b' ');
                            state = Lex::BlockComment;
                        }
                        _ => {
                            if start.is_none() && !b.is_ascii_whitespace() {
                                start = Some(self.offset + i as u64 - 1);
                            }
                            self.buf.push(b);
                        }
                    },
                    Lex::Quote(q) => {
                        self.buf.push(b);
                        if b == b'\\' && q != b'`' {
                            state = Lex::QuoteEscape(q);
                        } else if b == q {
                            state = Lex::Normal;
                        }
                    }
                    Lex::QuoteEscape(q) => {
                        self.buf.push(b);
                        state = Lex::Quote(q);
                    }
                    Lex::LineComment => {
                        if b == b'\n' {
                            state = Lex::Normal;
                            self.buf.push(b'\n');
                        }
                    }
                    Lex::BlockComment => {
                        if b == b'*' {
                            state = Lex::BlockCommentStar;
                        }
                    }
                    Lex::BlockCommentStar => {
                        state = match b {
                            b'/' => Lex::Normal,
                            b'*' => Lex::BlockCommentStar,
                            _ => Lex::BlockComment,
                        }
                    }
                }
            }
            self.input.consume(i);
            self.offset += i as u64;
            if self.buf.len() > MAX_STATEMENT {
                return Err(EfictionError::Dump {
                    offset: start.unwrap_or(self.offset),
                    message: format!(
                        "a statement is longer than {} MB; dump with --net-buffer-length smaller",
                        MAX_STATEMENT >> 20
                    ),
                });
            }
            if done {
                if self.buf.iter().all(u8::is_ascii_whitespace) {
                    self.buf.clear();
                    start = None;
                    continue;
                }
                return Ok(Some((
                    start.unwrap_or(self.offset),
                    std::mem::take(&mut self.buf),
                )));
            }
        }
    }

    /// The next `CREATE TABLE` or `INSERT` of a table `wanted` accepts, or `None` at the
    /// end of the dump. Other statements are skipped without being parsed.
    pub fn next_item(
        &mut self,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Result<Option<Item>, EfictionError> {
        while let Some((offset, bytes)) = self.next_statement()? {
            let Some((kind, table)) = peek(&bytes) else {
                continue;
            };
            if !wanted(&table) {
                continue;
            }
            let sql = match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => {
                    // A latin1 dump: MySQL's latin1 is Windows-1252.
                    self.latin1_statements += 1;
                    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(e.as_bytes());
                    s.into_owned()
                }
            };
            let err = |message: String| EfictionError::Dump {
                offset,
                message: format!("{kind} {table}: {message}"),
            };
            match kind {
                Kind::Create => {
                    let columns = match Parser::parse_sql(&MySqlDialect {}, &sql) {
                        Ok(stmts) => match stmts.into_iter().next() {
                            Some(Statement::CreateTable(ct)) => {
                                ct.columns.iter().map(column_name).collect()
                            }
                            _ => scan_columns(&sql),
                        },
                        // Table options of a newer server the parser does not know: the
                        // column names are all this reader needs.
                        Err(_) => scan_columns(&sql),
                    };
                    if columns.is_empty() {
                        return Err(err("no columns found".into()));
                    }
                    self.columns.insert(table.clone(), columns.clone());
                    return Ok(Some(Item::Table {
                        name: table,
                        columns,
                    }));
                }
                Kind::Insert => {
                    let stmts = Parser::parse_sql(&MySqlDialect {}, &sql)
                        .map_err(|e| err(format!("not an INSERT the parser understands: {e}")))?;
                    let Some(Statement::Insert(ins)) = stmts.into_iter().next() else {
                        return Err(err("not an INSERT".into()));
                    };
                    let mut columns: Vec<String> =
                        ins.columns.iter().map(|c| c.value.clone()).collect();
                    if columns.is_empty() {
                        columns = self.columns.get(&table).cloned().unwrap_or_default();
                    }
                    let Some(source) = ins.source else {
                        return Err(err("INSERT without VALUES".into()));
                    };
                    let SetExpr::Values(values) = *source.body else {
                        return Err(err("INSERT … SELECT is not a dump's".into()));
                    };
                    let mut rows = Vec::with_capacity(values.rows.len());
                    for row in values.rows {
                        let mut cells = Vec::with_capacity(row.len());
                        for e in row {
                            cells.push(cell(e).map_err(|m| err(m.to_string()))?);
                        }
                        rows.push(cells);
                    }
                    let _ = &ins.table;
                    return Ok(Some(Item::Rows {
                        table,
                        columns,
                        rows,
                    }));
                }
            }
        }
        Ok(None)
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Create,
    Insert,
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Create => "CREATE TABLE",
            Kind::Insert => "INSERT INTO",
        })
    }
}

/// The kind and table of a statement from its first words, without parsing it.
fn peek(bytes: &[u8]) -> Option<(Kind, String)> {
    let head = &bytes[..bytes.len().min(400)];
    let text = String::from_utf8_lossy(head);
    let mut words = text.split_ascii_whitespace();
    let first = words.next()?.to_ascii_uppercase();
    let kind = match first.as_str() {
        "CREATE" => {
            let mut w = words.next()?.to_ascii_uppercase();
            if w == "TEMPORARY" {
                w = words.next()?.to_ascii_uppercase();
            }
            if w != "TABLE" {
                return None;
            }
            Kind::Create
        }
        "INSERT" | "REPLACE" => Kind::Insert,
        _ => return None,
    };
    // Table name: the first word after the keywords, up to "(" or white space.
    let mut name = None;
    for w in words.by_ref() {
        let up = w.to_ascii_uppercase();
        if matches!(
            up.as_str(),
            "INTO"
                | "IGNORE"
                | "LOW_PRIORITY"
                | "DELAYED"
                | "HIGH_PRIORITY"
                | "IF"
                | "NOT"
                | "EXISTS"
        ) {
            continue;
        }
        name = Some(w.to_string());
        break;
    }
    let name = name?;
    let name = name.split('(').next().unwrap_or("");
    // `db`.`table` or table: the last part, without quotes.
    let last = name.rsplit('.').next().unwrap_or(name);
    let table = last.trim_matches(|c| c == '`' || c == '"').to_string();
    (!table.is_empty()).then_some((kind, table))
}

fn column_name(c: &ColumnDef) -> String {
    c.name.value.clone()
}

/// Column names of a `CREATE TABLE` the parser refused: lines that start with a
/// back-quoted name.
fn scan_columns(sql: &str) -> Vec<String> {
    sql.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let rest = l.strip_prefix('`')?;
            let end = rest.find('`')?;
            Some(rest[..end].to_string())
        })
        .collect()
}

/// The table name of an `ObjectName`, without schema.
pub fn object_name(n: &ObjectName) -> String {
    match n.0.last() {
        Some(ObjectNamePart::Identifier(i)) => i.value.clone(),
        _ => String::new(),
    }
}

#[allow(dead_code)]
fn table_object(t: &TableObject) -> String {
    match t {
        TableObject::TableName(n) => object_name(n),
        _ => String::new(),
    }
}

fn cell(e: Expr) -> Result<Cell, &'static str> {
    match e {
        Expr::Value(v) => Ok(value(v.value)),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match cell(*expr)? {
            Cell::Int(i) => Ok(Cell::Int(-i)),
            Cell::Num(s) => Ok(Cell::Num(format!("-{s}"))),
            _ => Err("a minus sign before something that is not a number"),
        },
        Expr::UnaryOp {
            op: UnaryOperator::Plus,
            expr,
        } => cell(*expr),
        // `_binary 'x'` and `_utf8mb4'x'`.
        Expr::Prefixed { value: v, .. } => cell(*v),
        _ => Err("a value that is not a literal"),
    }
}

fn value(v: Value) -> Cell {
    match v {
        Value::Null => Cell::Null,
        Value::Number(s, _) => match s.parse::<i64>() {
            Ok(i) => Cell::Int(i),
            Err(_) => Cell::Num(s),
        },
        Value::Boolean(b) => Cell::Int(i64::from(b)),
        Value::HexStringLiteral(h) => {
            let bytes: Vec<u8> = (0..h.len() / 2)
                .filter_map(|i| u8::from_str_radix(h.get(2 * i..2 * i + 2)?, 16).ok())
                .collect();
            Cell::Text(match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => encoding_rs::WINDOWS_1252
                    .decode(e.as_bytes())
                    .0
                    .into_owned(),
            })
        }
        Value::SingleQuotedString(s)
        | Value::DoubleQuotedString(s)
        | Value::EscapedStringLiteral(s)
        | Value::NationalStringLiteral(s)
        | Value::SingleQuotedByteStringLiteral(s)
        | Value::DoubleQuotedByteStringLiteral(s) => Cell::Text(s),
        other => Cell::Text(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(sql: &str) -> Vec<Item> {
        let mut r = DumpReader::new(sql.as_bytes());
        let mut out = Vec::new();
        while let Some(i) = r.next_item(&|_| true).unwrap() {
            out.push(i);
        }
        out
    }

    #[test]
    fn statements_split_on_semicolons_outside_quotes_and_comments() {
        let sql = "/*!40101 SET NAMES utf8mb4 */;\n-- a comment; with semicolon\n\
            CREATE TABLE `t` (\n  `a` int(11) NOT NULL,\n  `b` text\n) ENGINE=MyISAM;\n\
            INSERT INTO `t` VALUES (1,'x; y \\'q\\' \\\\ \\n z'),(-2,NULL);\n\
            # another\nINSERT INTO t (b, a) VALUES ('/* not a comment */', 3);";
        let got = items(sql);
        assert_eq!(got.len(), 3);
        match &got[1] {
            Item::Rows {
                table,
                columns,
                rows,
            } => {
                assert_eq!(table, "t");
                assert_eq!(columns, &["a", "b"]);
                assert_eq!(rows[0][0], Cell::Int(1));
                assert_eq!(rows[0][1], Cell::Text("x; y 'q' \\ \n z".into()));
                assert_eq!(rows[1], vec![Cell::Int(-2), Cell::Null]);
            }
            other => panic!("{other:?}"),
        }
        match &got[2] {
            Item::Rows { columns, rows, .. } => {
                assert_eq!(columns, &["b", "a"]);
                assert_eq!(rows[0][0], Cell::Text("/* not a comment */".into()));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unwanted_tables_are_not_parsed_and_a_cut_dump_is_an_error() {
        let mut r =
            DumpReader::new("INSERT INTO log VALUES (garbage that (would not parse;".as_bytes());
        assert!(r.next_item(&|t| t != "log").unwrap().is_none());
        let mut r = DumpReader::new("INSERT INTO t VALUES ('never closed".as_bytes());
        let e = r.next_item(&|_| true).unwrap_err();
        assert!(e.to_string().contains("quoted string"), "{e}");
    }

    #[test]
    fn latin1_bytes_are_read_as_windows_1252() {
        let mut sql = b"INSERT INTO t (a) VALUES ('caf".to_vec();
        sql.extend([0xE9, 0x92]);
        sql.extend(b"');");
        let mut r = DumpReader::new(&sql[..]);
        match r.next_item(&|_| true).unwrap() {
            Some(Item::Rows { rows, .. }) => assert_eq!(rows[0][0], Cell::Text("café’".into())),
            other => panic!("{other:?}"),
        }
        assert_eq!(r.latin1_statements, 1);
    }
}
