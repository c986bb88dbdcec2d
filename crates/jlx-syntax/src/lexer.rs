//! The raw lexer: source text to [`RawTok`]s, using logos for code and hand-written scanners
//! for the parts logos cannot do (nested `#= =#` comments, string literals with `$`
//! interpolation and triple-quote dedenting, char literals vs the adjoint `'`).
//!
//! Invariants:
//! - Every token records `space` = whether whitespace, a comment or a newline precedes it.
//! - Spans are byte offsets into the whole source and never overlap; tokens are in order.
//! - Interpolation uses a mode stack: `"a$(f(x))b"` lexes as `StrStart StrChunk("a")
//!   InterpOpen <code tokens> InterpClose StrChunk("b") StrEnd`; `$name` becomes
//!   `InterpOpen Ident InterpClose`. Parentheses are counted inside `$( )`.
//! - Lexical errors never stop lexing: they become a `Tok::Error` token plus a diagnostic.
//! - The lexer never panics on any input (all slicing is at char boundaries).

use crate::token::{MacroPath, MacroStr, Op, Tok};
use jlx_base::{Diagnostic, FileId, Span};
use logos::Logos;

/// One raw token with its byte span and whether whitespace came before it.
#[derive(Clone, Debug, PartialEq)]
pub struct RawTok {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
    pub space: bool,
}

/// The result of lexing a whole source.
pub struct Lexed {
    pub toks: Vec<RawTok>,
    pub errors: Vec<Diagnostic>,
    /// An unterminated string or `#=` comment reached the end of input.
    pub unterminated: bool,
}

fn ident_bang(lex: &mut logos::Lexer<L>) {
    let rest = lex.remainder();
    if rest.starts_with('!') && !rest.starts_with("!=") {
        lex.bump(1);
    }
}

#[derive(Logos, Debug, Clone, Copy, PartialEq)]
#[logos(skip r"[ \t\r\f]+")]
#[logos(skip(r"#[^=\n][^\n]*", allow_greedy = true))]
enum L {
    #[token("#")]
    LineCommentEmpty,
    #[token("\n")]
    Newline,
    #[token("#=")]
    BlockComment,
    #[token("\"")]
    Quote,
    #[token("\"\"\"")]
    TripleQuote,
    #[token("'")]
    Prime,
    #[regex(r"[\p{L}_][\p{L}\p{N}\p{M}_′]*", ident_bang)]
    Ident,
    #[regex(r"@[\p{L}_][\p{L}\p{N}\p{M}_′]*", ident_bang)]
    MacroName,
    #[regex(r"[0-9][0-9_]*")]
    Dec,
    #[regex(r"0x[0-9a-fA-F_]+")]
    Hex,
    #[regex(r"0b[01_]+")]
    Bin,
    #[regex(r"0o[0-7_]+")]
    Oct,
    #[regex(r"[0-9][0-9_]*\.[0-9_]*([eE][+-]?[0-9]+)?")]
    #[regex(r"\.[0-9][0-9_]*([eE][+-]?[0-9]+)?")]
    #[regex(r"[0-9][0-9_]*[eE][+-]?[0-9]+")]
    Float,
    #[token("function")]
    #[token("macro")]
    #[token("end")]
    #[token("if")]
    #[token("elseif")]
    #[token("else")]
    #[token("while")]
    #[token("for")]
    #[token("begin")]
    #[token("let")]
    #[token("try")]
    #[token("catch")]
    #[token("finally")]
    #[token("return")]
    #[token("break")]
    #[token("continue")]
    #[token("struct")]
    #[token("module")]
    #[token("baremodule")]
    #[token("using")]
    #[token("import")]
    #[token("export")]
    #[token("global")]
    #[token("local")]
    #[token("const")]
    #[token("do")]
    #[token("quote")]
    #[token("where")]
    #[token("true")]
    #[token("false")]
    #[token("in")]
    #[token("isa")]
    Keyword,
    #[token("=")]
    #[token("+=")]
    #[token("-=")]
    #[token("*=")]
    #[token("/=")]
    #[token("\\=")]
    #[token("÷=")]
    #[token("%=")]
    #[token("^=")]
    #[token("|=")]
    #[token("&=")]
    #[token("⊻=")]
    #[token("<<=")]
    #[token(">>=")]
    #[token(">>>=")]
    #[token("//=")]
    #[token(".=")]
    #[token(".+=")]
    #[token(".-=")]
    #[token(".*=")]
    #[token("./=")]
    #[token(".^=")]
    #[token("->")]
    #[token("=>")]
    #[token("?")]
    #[token(":")]
    #[token("::")]
    #[token("||")]
    #[token("&&")]
    #[token(".||")]
    #[token(".&&")]
    #[token("<")]
    #[token("<=")]
    #[token(">")]
    #[token(">=")]
    #[token("==")]
    #[token("!=")]
    #[token("===")]
    #[token("!==")]
    #[token("≤")]
    #[token("≥")]
    #[token("≠")]
    #[token("≡")]
    #[token("≈")]
    #[token("≉")]
    #[token("∈")]
    #[token("∉")]
    #[token("⊆")]
    #[token("⊇")]
    #[token("⊊")]
    #[token("⊋")]
    #[token("<:")]
    #[token(">:")]
    #[token(".<")]
    #[token(".<=")]
    #[token(".>")]
    #[token(".>=")]
    #[token(".==")]
    #[token(".!=")]
    #[token(".≤")]
    #[token(".≥")]
    #[token(".≠")]
    #[token(".∈")]
    #[token("|>")]
    #[token("<|")]
    #[token(".|>")]
    #[token("+")]
    #[token("-")]
    #[token("|")]
    #[token("⊻")]
    #[token("∪")]
    #[token(".+")]
    #[token(".-")]
    #[token(".|")]
    #[token("*")]
    #[token("/")]
    #[token("÷")]
    #[token("%")]
    #[token("&")]
    #[token("\\")]
    #[token("∘")]
    #[token("∩")]
    #[token(".*")]
    #[token("./")]
    #[token(".÷")]
    #[token(".%")]
    #[token(".&")]
    #[token(".\\")]
    #[token("//")]
    #[token("<<")]
    #[token(">>")]
    #[token(">>>")]
    #[token("^")]
    #[token(".^")]
    #[token("!")]
    #[token("~")]
    #[token("√")]
    #[token(".!")]
    #[token(".")]
    #[token("...")]
    #[token("$")]
    #[token(",")]
    #[token(";")]
    #[token("(")]
    #[token(")")]
    #[token("[")]
    #[token("]")]
    #[token("{")]
    #[token("}")]
    Punct,
}

fn op(name: &'static str, dot: bool) -> Op {
    Op { name, dot }
}

/// Maps an operator/punctuation spelling to its token.
fn punct_tok(s: &str) -> Tok {
    let (dot, body) =
        if s.len() > 1 && s.starts_with('.') && s != "..." { (true, &s[1..]) } else { (false, s) };
    match body {
        "=" if dot => Tok::DotAssign,
        "=" => Tok::Assign,
        "->" => Tok::Arrow,
        "=>" => Tok::PairArrow,
        "?" => Tok::Question,
        ":" => Tok::Colon,
        "::" => Tok::DeclColon,
        "||" => Tok::OrOr(op("||", dot)),
        "&&" => Tok::AndAnd(op("&&", dot)),
        "<" => Tok::Cmp(op("<", dot)),
        "<=" | "≤" => Tok::Cmp(op("<=", dot)),
        ">" => Tok::Cmp(op(">", dot)),
        ">=" | "≥" => Tok::Cmp(op(">=", dot)),
        "==" => Tok::Cmp(op("==", dot)),
        "!=" | "≠" => Tok::Cmp(op("!=", dot)),
        "===" | "≡" => Tok::Cmp(op("===", dot)),
        "!==" => Tok::Cmp(op("!==", dot)),
        "∈" => Tok::Cmp(op("in", dot)),
        "∉" => Tok::Cmp(op("∉", dot)),
        "⊆" => Tok::Cmp(op("⊆", dot)),
        "⊇" => Tok::Cmp(op("⊇", dot)),
        "⊊" => Tok::Cmp(op("⊊", dot)),
        "⊋" => Tok::Cmp(op("⊋", dot)),
        "≈" => Tok::Cmp(op("≈", dot)),
        "≉" => Tok::Cmp(op("≉", dot)),
        "<:" => Tok::Cmp(op("<:", dot)),
        ">:" => Tok::Cmp(op(">:", dot)),
        "|>" => Tok::PipeGt(op("|>", dot)),
        "<|" => Tok::PipeLt(op("<|", dot)),
        "+" => Tok::Plus(op("+", dot)),
        "-" => Tok::Plus(op("-", dot)),
        "|" => Tok::Plus(op("|", dot)),
        "⊻" => Tok::Plus(op("⊻", dot)),
        "∪" => Tok::Plus(op("∪", dot)),
        "*" => Tok::Times(op("*", dot)),
        "/" => Tok::Times(op("/", dot)),
        "÷" => Tok::Times(op("÷", dot)),
        "%" => Tok::Times(op("%", dot)),
        "&" => Tok::Times(op("&", dot)),
        "\\" => Tok::Times(op("\\", dot)),
        "∘" => Tok::Times(op("∘", dot)),
        "∩" => Tok::Times(op("∩", dot)),
        "//" => Tok::Rational(op("//", dot)),
        "<<" => Tok::Shift(op("<<", dot)),
        ">>" => Tok::Shift(op(">>", dot)),
        ">>>" => Tok::Shift(op(">>>", dot)),
        "^" => Tok::Power(op("^", dot)),
        "!" => Tok::Not(op("!", dot)),
        "~" => Tok::Not(op("~", dot)),
        "√" => Tok::Not(op("√", dot)),
        "." => Tok::Dot,
        "..." => Tok::Ellipsis,
        "$" => Tok::Dollar,
        "," => Tok::Comma,
        ";" => Tok::Semi,
        "(" => Tok::LParen,
        ")" => Tok::RParen,
        "[" => Tok::LBrack,
        "]" => Tok::RBrack,
        "{" => Tok::LBrace,
        "}" => Tok::RBrace,
        _ => {
            // compound assignment `op=` / `.op=`
            let inner = body.strip_suffix('=').unwrap_or(body);
            let name = match inner {
                "+" => "+",
                "-" => "-",
                "*" => "*",
                "/" => "/",
                "\\" => "\\",
                "÷" => "÷",
                "%" => "%",
                "^" => "^",
                "|" => "|",
                "&" => "&",
                "⊻" => "⊻",
                "<<" => "<<",
                ">>" => ">>",
                ">>>" => ">>>",
                "//" => "//",
                _ => return Tok::Error,
            };
            if dot {
                Tok::DotOpAssign(op(name, true))
            } else {
                Tok::OpAssign(op(name, false))
            }
        }
    }
}

fn keyword_tok(s: &str) -> Tok {
    match s {
        "function" => Tok::Function,
        "macro" => Tok::Macro,
        "end" => Tok::End,
        "if" => Tok::If,
        "elseif" => Tok::Elseif,
        "else" => Tok::Else,
        "while" => Tok::While,
        "for" => Tok::For,
        "begin" => Tok::Begin,
        "let" => Tok::Let,
        "try" => Tok::Try,
        "catch" => Tok::Catch,
        "finally" => Tok::Finally,
        "return" => Tok::Return,
        "break" => Tok::Break,
        "continue" => Tok::Continue,
        "struct" => Tok::Struct,
        "module" | "baremodule" => Tok::Module,
        "using" => Tok::Using,
        "import" => Tok::Import,
        "export" => Tok::Export,
        "global" => Tok::Global,
        "local" => Tok::Local,
        "const" => Tok::Const,
        "do" => Tok::Do,
        "quote" => Tok::Quote,
        "where" => Tok::Where,
        "true" => Tok::True,
        "false" => Tok::False,
        "in" => Tok::Cmp(op("in", false)),
        "isa" => Tok::Cmp(op("isa", false)),
        _ => Tok::Ident(s.to_string()),
    }
}

/// Does this raw token end an expression, for the purpose of `'` (adjoint vs char)
/// and string macros?
fn raw_ender(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Ident(_)
            | Tok::Int(_)
            | Tok::Float(_)
            | Tok::RParen
            | Tok::RBrack
            | Tok::RBrace
            | Tok::Adjoint
            | Tok::End
            | Tok::StrEnd
            | Tok::True
            | Tok::False
    )
}

struct StrCtx {
    triple: bool,
    /// Indentation (in whitespace chars) stripped from each line of a triple-quoted string.
    indent: usize,
    /// Byte offset of the opening quote (for the unterminated error).
    open: usize,
    /// Open parentheses inside the current `$( )`.
    depth: u32,
}

struct Lexer<'s> {
    src: &'s str,
    file: FileId,
    out: Vec<RawTok>,
    errors: Vec<Diagnostic>,
    unterminated: bool,
    last_end: usize,
    after_newline: bool,
    strs: Vec<StrCtx>,
}

/// Lexes a whole source text.
pub fn lex(src: &str, file: FileId) -> Lexed {
    let mut lx = Lexer {
        src,
        file,
        out: Vec::new(),
        errors: Vec::new(),
        unterminated: false,
        last_end: 0,
        after_newline: false,
        strs: Vec::new(),
    };
    lx.run();
    Lexed { toks: lx.out, errors: lx.errors, unterminated: lx.unterminated }
}

enum Next {
    /// Continue lexing code at this offset.
    Code(usize),
    /// Input exhausted.
    Eof,
}

impl<'s> Lexer<'s> {
    fn push(&mut self, tok: Tok, start: usize, end: usize) {
        let space = start > self.last_end || self.after_newline;
        self.after_newline = matches!(tok, Tok::Newline);
        self.out.push(RawTok { tok, start, end, space });
        self.last_end = end;
    }

    #[cold]
    fn error(&mut self, start: usize, end: usize, msg: impl Into<String>) {
        self.errors.push(Diagnostic::error(Span::new(self.file, start, end), msg));
        self.push(Tok::Error, start, end);
    }

    fn run(&mut self) {
        let mut pos = 0;
        while let Next::Code(p) = self.code(pos) {
            pos = p;
        }
    }

    /// Lexes code from `pos` until something needs a hand-written scanner.
    fn code(&mut self, pos: usize) -> Next {
        let src = self.src;
        let mut lx = L::lexer(&src[pos..]);
        while let Some(res) = lx.next() {
            let sp = lx.span();
            let (start, end) = (pos + sp.start, pos + sp.end);
            let text = &src[start..end];
            let kind = match res {
                Ok(k) => k,
                Err(()) => {
                    let c = text.chars().next().unwrap_or('?');
                    let msg = if c.is_control() {
                        format!("invalid character U+{:04X}", c as u32)
                    } else {
                        format!("invalid character `{c}`")
                    };
                    self.error(start, end, msg);
                    continue;
                }
            };
            match kind {
                L::LineCommentEmpty => {}
                L::Newline => self.push(Tok::Newline, start, end),
                L::BlockComment => return self.block_comment(start),
                L::Quote | L::TripleQuote => return self.string_open(start, kind == L::TripleQuote),
                L::Prime => {
                    let adj = self.out.last().is_some_and(|t| raw_ender(&t.tok) && t.end == start);
                    if adj {
                        self.push(Tok::Adjoint, start, end);
                    } else {
                        return Next::Code(self.char_lit(start));
                    }
                }
                L::Ident => self.push(Tok::Ident(text.to_string()), start, end),
                L::MacroName => self.push(
                    Tok::MacroName(MacroPath { path: vec![], name: text[1..].to_string() }),
                    start,
                    end,
                ),
                L::Dec | L::Hex | L::Bin | L::Oct => {
                    let digits: String = text.chars().filter(|&c| c != '_').collect();
                    let parsed = match kind {
                        L::Dec => digits.parse::<u64>().ok(),
                        L::Hex => u64::from_str_radix(&digits[2..], 16).ok(),
                        L::Bin => u64::from_str_radix(&digits[2..], 2).ok(),
                        _ => u64::from_str_radix(&digits[2..], 8).ok(),
                    };
                    match parsed {
                        Some(v) => self.push(Tok::Int(v), start, end),
                        None => self.error(start, end, "integer literal is too large"),
                    }
                }
                L::Float => {
                    let digits: String = text.chars().filter(|&c| c != '_').collect();
                    match digits.parse::<f64>() {
                        Ok(v) => self.push(Tok::Float(v), start, end),
                        Err(_) => self.error(start, end, format!("invalid number `{text}`")),
                    }
                }
                L::Keyword => self.push(keyword_tok(text), start, end),
                L::Punct => {
                    let tok = punct_tok(text);
                    if let Some(ctx) = self.strs.last_mut() {
                        match tok {
                            Tok::LParen => ctx.depth += 1,
                            Tok::RParen if ctx.depth == 0 => {
                                self.push(Tok::InterpClose, start, end);
                                return self.string_body(end);
                            }
                            Tok::RParen => ctx.depth -= 1,
                            _ => {}
                        }
                    }
                    self.push(tok, start, end);
                }
            }
        }
        if let Some(ctx) = self.strs.last() {
            // EOF inside `$( ... )`.
            let open = ctx.open;
            self.unterminated = true;
            self.strs.clear();
            self.error(open, src.len(), "unterminated string literal");
        }
        Next::Eof
    }

    /// `#= ... =#`, nested. `start` is at `#=`.
    fn block_comment(&mut self, start: usize) -> Next {
        let b = self.src.as_bytes();
        let mut i = start + 2;
        let mut depth = 1;
        while i < b.len() {
            if b[i] == b'#' && b.get(i + 1) == Some(&b'=') {
                depth += 1;
                i += 2;
            } else if b[i] == b'=' && b.get(i + 1) == Some(&b'#') {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Next::Code(i);
                }
            } else {
                i += 1;
            }
        }
        self.unterminated = true;
        self.error(start, self.src.len(), "unterminated comment: missing `=#`");
        Next::Eof
    }

    /// A char literal starting at the `'` at `start`; returns where code resumes.
    fn char_lit(&mut self, start: usize) -> usize {
        let src = self.src;
        let rest = &src[start + 1..];
        let mut chars = rest.char_indices();
        let first = chars.next();
        let (value, after) = match first {
            None | Some((_, '\n')) => {
                self.error(start, start + 1, "unterminated character literal");
                return start + 1;
            }
            Some((_, '\'')) => {
                self.error(start, start + 2, "empty character literal");
                return start + 2;
            }
            Some((_, '\\')) => match unescape(&rest[1..]) {
                Ok((c, n)) => (c, start + 2 + n),
                Err((msg, n)) => {
                    let e = next_boundary(src, (start + 2 + n).min(src.len()));
                    self.error(start, e, msg);
                    return e;
                }
            },
            Some((_, c)) => (c, start + 1 + c.len_utf8()),
        };
        if src[after..].starts_with('\'') {
            self.push(Tok::Char(value), start, after + 1);
            after + 1
        } else {
            // find a closing quote on this line for a better span
            let line_end = src[after..].find('\n').map(|i| after + i).unwrap_or(src.len());
            match src[after..line_end].find('\'') {
                Some(i) => {
                    self.error(start, after + i + 1, "character literal contains more than one character");
                    after + i + 1
                }
                None => {
                    self.error(start, after, "unterminated character literal");
                    after
                }
            }
        }
    }

    /// An opening `"` or `"""` at `start`.
    fn string_open(&mut self, start: usize, triple: bool) -> Next {
        let qlen = if triple { 3 } else { 1 };
        let body = start + qlen;
        // `name"..."`: a non-standard string literal (no interpolation, raw escapes).
        if let Some(RawTok { tok: Tok::Ident(name), start: istart, end: iend, .. }) = self.out.last() {
            if *iend == start {
                let (name, istart) = (name.clone(), *istart);
                return self.macro_string(istart, name, body, triple);
            }
        }
        let mut indent = 0;
        let mut from = body;
        if triple {
            if self.src[body..].starts_with("\r\n") {
                from += 2;
            } else if self.src[body..].starts_with('\n') {
                from += 1;
            }
            indent = triple_indent(&self.src[body..]);
        }
        self.push(Tok::StrStart, start, body);
        self.strs.push(StrCtx { triple, indent, open: start, depth: 0 });
        // a newline right after `"""` is dropped, and the first line is dedented too
        self.string_body_at(from, from != body || !triple)
    }

    fn string_body(&mut self, pos: usize) -> Next {
        self.string_body_at(pos, false)
    }

    /// Scans string content from `pos` (inside the innermost string context).
    fn string_body_at(&mut self, pos: usize, mut at_line_start: bool) -> Next {
        let src = self.src;
        let Some(ctx) = self.strs.last() else { return Next::Code(pos) };
        let (triple, indent, open) = (ctx.triple, ctx.indent, ctx.open);
        let mut chunk = String::new();
        let mut chunk_start = pos;
        let mut i = pos;
        loop {
            if triple && at_line_start && indent > 0 {
                let mut n = 0;
                while n < indent && i < src.len() && matches!(src.as_bytes()[i], b' ' | b'\t') {
                    i += 1;
                    n += 1;
                }
            }
            at_line_start = false;
            let rest = &src[i..];
            let Some(c) = rest.chars().next() else {
                self.strs.pop();
                self.unterminated = true;
                if !chunk.is_empty() {
                    self.push(Tok::StrChunk(std::mem::take(&mut chunk)), chunk_start, i);
                }
                self.strs.clear();
                self.error(open, src.len(), "unterminated string literal");
                return Next::Eof;
            };
            if c == '"' && (!triple || rest.starts_with("\"\"\"")) {
                if !chunk.is_empty() {
                    self.push(Tok::StrChunk(std::mem::take(&mut chunk)), chunk_start, i);
                }
                let end = i + if triple { 3 } else { 1 };
                self.push(Tok::StrEnd, i, end);
                self.strs.pop();
                return Next::Code(end);
            }
            match c {
                '\\' => {
                    let after = &rest[1..];
                    if after.starts_with('\n') || after.starts_with("\r\n") {
                        // line continuation: drop the newline and the next line's indentation
                        i += 1 + if after.starts_with('\n') { 1 } else { 2 };
                        while i < src.len() && matches!(src.as_bytes()[i], b' ' | b'\t') {
                            i += 1;
                        }
                        continue;
                    }
                    match unescape(after) {
                        Ok((ch, n)) => {
                            chunk.push(ch);
                            i += 1 + n;
                        }
                        Err((msg, n)) => {
                            if !chunk.is_empty() {
                                self.push(Tok::StrChunk(std::mem::take(&mut chunk)), chunk_start, i);
                            }
                            let e = (i + 1 + n.max(1)).min(src.len());
                            let e = next_boundary(src, e);
                            self.errors.push(Diagnostic::error(Span::new(self.file, i, e), msg));
                            self.push(Tok::Error, i, e);
                            i = e;
                            chunk_start = i;
                        }
                    }
                }
                '$' => {
                    if !chunk.is_empty() {
                        self.push(Tok::StrChunk(std::mem::take(&mut chunk)), chunk_start, i);
                    }
                    let after = &rest[1..];
                    if after.starts_with('(') {
                        self.push(Tok::InterpOpen, i, i + 2);
                        if let Some(ctx) = self.strs.last_mut() {
                            ctx.depth = 0;
                        }
                        return Next::Code(i + 2);
                    }
                    let name_len = ident_len(after);
                    if name_len > 0 {
                        let name = &after[..name_len];
                        self.push(Tok::InterpOpen, i, i + 1);
                        let tok = keyword_tok(name);
                        let tok = if matches!(tok, Tok::True | Tok::False | Tok::Ident(_)) {
                            tok
                        } else {
                            Tok::Ident(name.to_string())
                        };
                        self.push(tok, i + 1, i + 1 + name_len);
                        self.push(Tok::InterpClose, i + 1 + name_len, i + 1 + name_len);
                        i += 1 + name_len;
                    } else {
                        self.errors.push(
                            Diagnostic::error(
                                Span::new(self.file, i, i + 1),
                                "invalid interpolation syntax: `$` must be followed by a name or `(`",
                            )
                            .with_note("write `\\$` for a literal dollar sign"),
                        );
                        self.push(Tok::Error, i, i + 1);
                        i += 1;
                    }
                    chunk_start = i;
                }
                '\n' => {
                    chunk.push('\n');
                    i += 1;
                    at_line_start = true;
                }
                '\r' if rest.starts_with("\r\n") => {
                    chunk.push('\n');
                    i += 2;
                    at_line_start = true;
                }
                c => {
                    chunk.push(c);
                    i += c.len_utf8();
                }
            }
        }
    }

    /// `name"..."` / `name"""..."""`: raw text, only `\"` is unescaped.
    fn macro_string(&mut self, istart: usize, name: String, body: usize, triple: bool) -> Next {
        let src = self.src;
        let close = if triple { "\"\"\"" } else { "\"" };
        let mut text = String::new();
        let mut i = body;
        loop {
            let rest = &src[i..];
            let Some(c) = rest.chars().next() else {
                self.out.pop();
                self.last_end = self.out.last().map_or(0, |t| t.end);
                self.unterminated = true;
                self.error(istart, src.len(), "unterminated string literal");
                return Next::Eof;
            };
            if rest.starts_with(close) {
                let end = i + close.len();
                if let Some(last) = self.out.last_mut() {
                    last.tok = Tok::StrMacro(MacroStr { name, text });
                    last.end = end;
                }
                self.last_end = end;
                return Next::Code(end);
            }
            if c == '\\' && rest[1..].starts_with('"') {
                text.push('"');
                i += 2;
                continue;
            }
            if c == '\\' && rest[1..].starts_with('\\') {
                text.push_str("\\\\");
                i += 2;
                continue;
            }
            text.push(c);
            i += c.len_utf8();
        }
    }
}

fn next_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

/// Length in bytes of an identifier at the start of `s` (0 if none).
pub(crate) fn ident_len(s: &str) -> usize {
    let mut n = 0;
    for (i, c) in s.char_indices() {
        let ok = if i == 0 {
            c.is_alphabetic() || c == '_'
        } else {
            c.is_alphanumeric() || c == '_' || c == '′'
        };
        if !ok {
            break;
        }
        n = i + c.len_utf8();
    }
    n
}

/// The common indentation of a triple-quoted string's lines (Julia's dedent rule): lines
/// after the first, ignoring whitespace-only lines except the one with the closing quotes.
fn triple_indent(body: &str) -> usize {
    // find the (naive) end of the string
    let mut end = body.len();
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i..].starts_with(b"\"\"\"") {
            end = i;
            break;
        }
        i += 1;
    }
    let text = body.get(..end.min(body.len())).unwrap_or("");
    let mut lines = text.split('\n');
    lines.next();
    let lines: Vec<&str> = lines.collect();
    let mut min: Option<usize> = None;
    for (k, line) in lines.iter().enumerate() {
        let last = k + 1 == lines.len();
        let ws = line.chars().take_while(|c| *c == ' ' || *c == '\t').count();
        let blank = line.trim_matches(|c| c == ' ' || c == '\t' || c == '\r').is_empty();
        if blank && !last {
            continue;
        }
        min = Some(min.map_or(ws, |m: usize| m.min(ws)));
    }
    min.unwrap_or(0)
}

/// Decodes one escape sequence; `s` starts right after the backslash. Returns the char and
/// the number of bytes consumed after the backslash.
fn unescape(s: &str) -> Result<(char, usize), (String, usize)> {
    let Some(c) = s.chars().next() else { return Err(("unterminated escape sequence".into(), 0)) };
    let simple = match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '\\' => Some('\\'),
        '"' => Some('"'),
        '\'' => Some('\''),
        '$' => Some('$'),
        '0' if !s[1..].starts_with(|c: char| c.is_ascii_digit()) => Some('\0'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'e' => Some('\u{1b}'),
        'f' => Some('\u{c}'),
        'v' => Some('\u{b}'),
        _ => None,
    };
    if let Some(ch) = simple {
        return Ok((ch, 1));
    }
    let hex = |digits: &str, max: usize| -> (u32, usize) {
        let n = digits.chars().take(max).take_while(|c| c.is_ascii_hexdigit()).count();
        (u32::from_str_radix(&digits[..n], 16).unwrap_or(0), n)
    };
    match c {
        'x' => {
            let (v, n) = hex(&s[1..], 2);
            if n == 0 {
                return Err(("invalid escape sequence `\\x`: expected hex digits".into(), 1));
            }
            Ok((char::from_u32(v).unwrap_or('\u{fffd}'), 1 + n))
        }
        'u' | 'U' => {
            let max = if c == 'u' { 4 } else { 8 };
            if s[1..].starts_with('{') {
                let (v, n) = hex(&s[2..], 8);
                if n == 0 || !s[2 + n..].starts_with('}') {
                    return Err(("invalid unicode escape: expected `\\u{XXXX}`".into(), 1 + n));
                }
                return match char::from_u32(v) {
                    Some(ch) => Ok((ch, 3 + n)),
                    None => Err((format!("invalid unicode code point U+{v:X}"), 3 + n)),
                };
            }
            let (v, n) = hex(&s[1..], max);
            if n == 0 {
                return Err((format!("invalid escape sequence `\\{c}`: expected hex digits"), 1));
            }
            match char::from_u32(v) {
                Some(ch) => Ok((ch, 1 + n)),
                None => Err((format!("invalid unicode code point U+{v:X}"), 1 + n)),
            }
        }
        '0'..='7' => {
            let n = s.chars().take(3).take_while(|c| ('0'..='7').contains(c)).count();
            let v = u32::from_str_radix(&s[..n], 8).unwrap_or(0);
            Ok((char::from_u32(v).unwrap_or('\u{fffd}'), n))
        }
        other => Err((format!("invalid escape sequence `\\{other}`"), other.len_utf8())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        lex(src, FileId(0)).toks.into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn bang_identifiers() {
        assert_eq!(toks("put!"), vec![Tok::Ident("put!".into())]);
        assert_eq!(
            toks("a!=b"),
            vec![Tok::Ident("a".into()), Tok::Cmp(op("!=", false)), Tok::Ident("b".into())]
        );
    }

    #[test]
    fn chars_and_adjoint() {
        assert_eq!(toks("'a'"), vec![Tok::Char('a')]);
        assert_eq!(toks("'\\n'"), vec![Tok::Char('\n')]);
        assert_eq!(toks("'\\''"), vec![Tok::Char('\'')]);
        assert_eq!(toks("'α'"), vec![Tok::Char('α')]);
        assert_eq!(toks("x'"), vec![Tok::Ident("x".into()), Tok::Adjoint]);
        assert_eq!(
            toks("x' + y'"),
            vec![
                Tok::Ident("x".into()),
                Tok::Adjoint,
                Tok::Plus(op("+", false)),
                Tok::Ident("y".into()),
                Tok::Adjoint
            ]
        );
    }

    #[test]
    fn strings() {
        assert_eq!(
            toks("\"a$(x)b\""),
            vec![
                Tok::StrStart,
                Tok::StrChunk("a".into()),
                Tok::InterpOpen,
                Tok::Ident("x".into()),
                Tok::InterpClose,
                Tok::StrChunk("b".into()),
                Tok::StrEnd
            ]
        );
        assert_eq!(
            toks("\"$x!\""),
            vec![
                Tok::StrStart,
                Tok::InterpOpen,
                Tok::Ident("x".into()),
                Tok::InterpClose,
                Tok::StrChunk("!".into()),
                Tok::StrEnd
            ]
        );
        assert_eq!(toks("\"\\t\\u{e9}\\$\""), vec![Tok::StrStart, Tok::StrChunk("\té$".into()), Tok::StrEnd]);
        assert_eq!(
            toks("\"\"\"\n    a\n      b\n    \"\"\""),
            vec![Tok::StrStart, Tok::StrChunk("a\n  b\n".into()), Tok::StrEnd]
        );
        assert_eq!(
            toks("r\"a\\d+\""),
            vec![Tok::StrMacro(MacroStr { name: "r".into(), text: "a\\d+".into() })]
        );
        let l = lex("\"abc", FileId(0));
        assert!(l.unterminated);
        assert_eq!(l.errors[0].message, "unterminated string literal");
    }

    #[test]
    fn comments_and_numbers() {
        assert_eq!(toks("1 #= a #= b =# c =# 2 # x"), vec![Tok::Int(1), Tok::Int(2)]);
        assert!(lex("#= abc", FileId(0)).unterminated);
        assert_eq!(toks("1_000 0xff 0b101"), vec![Tok::Int(1000), Tok::Int(255), Tok::Int(5)]);
        assert_eq!(
            toks("1.5 1e-3 .5 1. 2.5e10"),
            vec![Tok::Float(1.5), Tok::Float(1e-3), Tok::Float(0.5), Tok::Float(1.0), Tok::Float(2.5e10)]
        );
    }
}
