//! The token type shared by the raw lexer, the context filter and the lalrpop grammar.
//!
//! Invariants: the raw lexer produces only the "raw" variants (generic brackets, `Newline`,
//! `Semi`, `Colon`, `MacroName`, keywords as written); the context filter rewrites them into
//! the context-free terminals the grammar uses (`CallOpen`, `IndexOpen`, `Sep`, `HSep`,
//! `TernColon`, ...). Raw-only variants never reach the parser. Every token is `Clone` (lalrpop
//! error recovery needs it) and carries its data by value.

use std::fmt;

/// An operator as written, normalised: `name` is the function name it calls (`"in"` for `∈`,
/// `"<="` for `≤`), `dot` marks the broadcasting form (`.+`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Op {
    pub name: &'static str,
    pub dot: bool,
}

/// `@name` possibly qualified by a module path (`Threads.@spawn`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacroPath {
    pub path: Vec<String>,
    pub name: String,
}

/// A non-standard string literal `name"text"` (`r"a+"`, `raw"C:\x"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacroStr {
    pub name: String,
    pub text: String,
}

/// The error type of the token stream. Lexical errors are reported out of band (as
/// `Tok::Error` tokens plus a side list), so this is never produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    // ---- values ----
    Ident(String),
    Int(u64),
    Float(f64),
    Char(char),
    True,
    False,
    StrStart,
    StrChunk(String),
    StrEnd,
    /// `$(` or the synthetic opener of `$name` inside a string.
    InterpOpen,
    InterpClose,
    StrMacro(MacroStr),
    /// `:name` / `:+`.
    Symbol(String),

    // ---- keywords ----
    Function,
    Macro,
    End,
    If,
    Elseif,
    Else,
    While,
    For,
    Begin,
    Let,
    Try,
    Catch,
    Finally,
    /// `return` at statement level (takes a full expression).
    Return,
    Break,
    Continue,
    Struct,
    MutableStruct,
    AbstractType,
    Module,
    Using,
    Import,
    Export,
    Global,
    Local,
    Const,
    Do,
    Quote,
    Where,

    // ---- operators ----
    Assign,
    OpAssign(Op),
    DotAssign,
    DotOpAssign(Op),
    Arrow,
    PairArrow,
    Question,
    OrOr(Op),
    AndAnd(Op),
    Cmp(Op),
    PipeGt(Op),
    PipeLt(Op),
    Plus(Op),
    Times(Op),
    Rational(Op),
    Shift(Op),
    Power(Op),
    /// Prefix-only operators: `!`, `~`, `√`, `.!`.
    Not(Op),
    /// `::` after an expression.
    DeclColon,
    Dot,
    Ellipsis,
    Adjoint,
    Dollar,
    Comma,
    /// `;` inside call parentheses / grouping parentheses.
    Semi,
    LParen,
    RParen,
    LBrack,
    RBrack,
    LBrace,
    RBrace,

    // ---- raw only ----
    Newline,
    Colon,
    MacroName(MacroPath),

    // ---- produced by the context filter ----
    /// Statement separator (newline or `;` at block level).
    Sep,
    /// Row separator in array literals.
    VSep,
    /// Element separator by whitespace in arrays and macro arguments.
    HSep,
    CallOpen,
    DotCallOpen,
    IndexOpen,
    CurlyOpen,
    /// `@m(` call-style macro (always followed by `CallOpen`).
    MacroCall(MacroPath),
    /// `@m a b`: space-separated arguments up to `MacroEnd`.
    MacroSp(MacroPath),
    MacroEnd,
    IndexEnd,
    IndexBegin,
    TernColon,
    RangeColon,
    /// A bare `:` used as a value (`A[:, j]`).
    ColonAtom,
    /// `:(` quoting.
    QuoteColon,
    CompFor,
    CompIf,
    /// `return` as the operand of `&&`, `||` or a ternary branch.
    ReturnE,
    /// `return` right after a ternary `?` or `:` (a tight operand).
    ReturnT,
    /// `return` with no value.
    ReturnVoid,
    ImplicitMul,
    /// An operator used as a value: `map(+, xs)`, `(+)`, `+(1, 2)`.
    OpAtom(String),
    /// `::T` with nothing before it.
    PrefixDecl,
    /// A lexical error (already reported).
    Error,
}

impl Tok {
    /// A short user-facing description, used in "unexpected ..." messages.
    pub fn describe(&self) -> String {
        let s: &str = match self {
            Tok::Ident(n) => return format!("identifier `{n}`"),
            Tok::Int(_) => "integer literal",
            Tok::Float(_) => "float literal",
            Tok::Char(_) => "character literal",
            Tok::True => "`true`",
            Tok::False => "`false`",
            Tok::StrStart | Tok::StrMacro(_) => "string literal",
            Tok::StrChunk(_) | Tok::StrEnd => "string",
            Tok::InterpOpen => "`$`",
            Tok::InterpClose => "`)`",
            Tok::Symbol(s) => return format!("symbol `:{s}`"),
            Tok::Sep => "newline",
            Tok::VSep => "`;`",
            Tok::HSep => "space-separated expression",
            Tok::MacroName(m) | Tok::MacroCall(m) | Tok::MacroSp(m) => return format!("macro `@{}`", m.name),
            Tok::MacroEnd => "end of line",
            Tok::OpAtom(o) => return format!("`{o}`"),
            Tok::Error => "invalid token",
            Tok::Newline => "newline",
            Tok::ReturnE | Tok::ReturnT | Tok::ReturnVoid => "`return`",
            Tok::ImplicitMul => "juxtaposition",
            Tok::IndexEnd => "`end`",
            Tok::IndexBegin => "`begin`",
            Tok::CompFor => "`for`",
            Tok::CompIf => "`if`",
            other => return format!("`{}`", other.text()),
        };
        s.to_string()
    }

    /// The source spelling of a fixed token (best effort for payload tokens).
    pub fn text(&self) -> String {
        let s = match self {
            Tok::Function => "function",
            Tok::Macro => "macro",
            Tok::End => "end",
            Tok::If => "if",
            Tok::Elseif => "elseif",
            Tok::Else => "else",
            Tok::While => "while",
            Tok::For => "for",
            Tok::Begin => "begin",
            Tok::Let => "let",
            Tok::Try => "try",
            Tok::Catch => "catch",
            Tok::Finally => "finally",
            Tok::Return => "return",
            Tok::Break => "break",
            Tok::Continue => "continue",
            Tok::Struct => "struct",
            Tok::MutableStruct => "mutable struct",
            Tok::AbstractType => "abstract type",
            Tok::Module => "module",
            Tok::Using => "using",
            Tok::Import => "import",
            Tok::Export => "export",
            Tok::Global => "global",
            Tok::Local => "local",
            Tok::Const => "const",
            Tok::Do => "do",
            Tok::Quote => "quote",
            Tok::Where => "where",
            Tok::Assign => "=",
            Tok::DotAssign => ".=",
            Tok::Arrow => "->",
            Tok::PairArrow => "=>",
            Tok::Question => "?",
            Tok::DeclColon | Tok::PrefixDecl => "::",
            Tok::Dot => ".",
            Tok::Ellipsis => "...",
            Tok::Adjoint => "'",
            Tok::Dollar => "$",
            Tok::Comma => ",",
            Tok::Semi => ";",
            Tok::LParen | Tok::CallOpen => "(",
            Tok::DotCallOpen => ".(",
            Tok::RParen => ")",
            Tok::LBrack | Tok::IndexOpen => "[",
            Tok::RBrack => "]",
            Tok::LBrace | Tok::CurlyOpen => "{",
            Tok::RBrace => "}",
            Tok::Colon | Tok::TernColon | Tok::RangeColon | Tok::ColonAtom => ":",
            Tok::QuoteColon => ":(",
            Tok::OpAssign(o) => return format!("{}=", o.name),
            Tok::DotOpAssign(o) => return format!(".{}=", o.name),
            Tok::OrOr(o)
            | Tok::AndAnd(o)
            | Tok::Cmp(o)
            | Tok::PipeGt(o)
            | Tok::PipeLt(o)
            | Tok::Plus(o)
            | Tok::Times(o)
            | Tok::Rational(o)
            | Tok::Shift(o)
            | Tok::Power(o)
            | Tok::Not(o) => return format!("{}{}", if o.dot { "." } else { "" }, o.name),
            other => return format!("{other:?}"),
        };
        s.to_string()
    }
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}
