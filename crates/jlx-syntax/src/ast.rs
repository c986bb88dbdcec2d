//! The abstract syntax tree produced by the parser and consumed by the compiler.
//!
//! It is a *surface* tree close to Julia's `Expr`: operators are ordinary
//! calls (`a + b` is `Call { func: Ident("+"), args: [a, b] }`), and only forms
//! with special evaluation rules get their own variant. Every node carries the
//! byte span it was parsed from.
//!
//! Conventions the parser guarantees (the compiler relies on them):
//! - Binary and unary operators become `Call` with `func = Ident(op)`, e.g.
//!   `-x` is `Call(Ident("-"), [x])`, `a:b` is `Call(Ident(":"), [a, b])`,
//!   `a:s:b` is `Call(Ident(":"), [a, s, b])`, `a => b` is `Call(Ident("=>"), ..)`,
//!   `x'` is `Call(Ident("adjoint"), [x])`, `a ∈ b` / `a in b` is `Call(Ident("in"), ..)`,
//!   `a isa T` is `Call(Ident("isa"), ..)`, `a <: B` is `Call(Ident("<:"), ..)`,
//!   `a ÷ b` is `Call(Ident("÷"), ..)`, `a ⊻ b` is `Call(Ident("⊻"), ..)`,
//!   `!x` is `Call(Ident("!"), [x])`, `a \ b` is `Call(Ident("\\"), ..)`,
//!   `2n` (juxtaposition) is `Call(Ident("*"), [2, n])`.
//! - A chain of two or more comparisons `a < b <= c` is `Comparison`; a single
//!   comparison `a < b` is a plain `Call`.
//! - `a.b` (field) is `Field`; `Base.show` is `Field(Ident("Base"), "show")` too.
//!   `Base.:+` is `Field(Ident("Base"), "+")`.
//! - Dotted operators `a .+ b` and dotted calls `f.(x)` are `DotCall`;
//!   `.!x` is `DotCall(Ident("!"), [x])`; `a .= b` is `DotAssign`.
//! - `x += 1` is `OpAssign { op: "+", .. }` (the operator without `=`);
//!   `x .+= 1` is `DotAssign { lhs: x, rhs: DotCall(+, [x, 1]) }`.
//! - `a && b`, `a || b` are `And`/`Or`; `c ? a : b` and `if` are `If`.
//! - String literals without interpolation are `Str`; with interpolation `Interp`.
//! - `nothing`, `true`, `false` are `Bool`/`Ident("nothing")` (`nothing` is an
//!   identifier bound in Base, as in Julia).
//! - `begin ... end` and `( a; b )` are `Block`. A file is a `Vec<Stmt>`-like
//!   `Block` of top-level expressions.

use jlx_base::Span;

pub type Name = String;

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }
}

/// One element of a call's argument list, tuple, or array literal.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// `x`
    Pos(Expr),
    /// `xs...`
    Splat(Expr),
}

/// A keyword argument in a call: `f(a; k = 1)`, `f(a, k = 1)`, `f(; k)`, `f(; kws...)`.
#[derive(Clone, Debug, PartialEq)]
pub enum Kwarg {
    /// `k = v`; `f(; k)` is `Named("k", Ident("k"))`.
    Named(Name, Expr, Span),
    /// `kws...` after `;`
    Splat(Expr),
}

/// A piece of an interpolated string.
#[derive(Clone, Debug, PartialEq)]
pub enum InterpPart {
    Lit(String),
    /// `$x` or `$(expr)`
    Expr(Expr),
}

/// A function parameter in a definition or anonymous function.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// `None` for `::Int` (unnamed) parameters.
    pub name: Option<Name>,
    /// Declared type `x::T`.
    pub ty: Option<Expr>,
    /// Default value `y = 2` (positional) or `kw = 3` (keyword).
    pub default: Option<Expr>,
    /// `xs...` (or `kws...` for keywords).
    pub splat: bool,
    /// Destructuring parameter `(a, b)` in an anonymous function or do-block:
    /// the names of the tuple elements; `name` is then `None`.
    pub destructure: Option<Vec<Name>>,
    pub span: Span,
}

/// What a function definition is named.
#[derive(Clone, Debug, PartialEq)]
pub enum FuncName {
    /// `function f(...)`
    Plain(Name),
    /// `function Base.show(...)`, `Base.:+(...)`: module path then name.
    Qualified(Vec<Name>, Name),
    /// `function (p::Point)(x)` (callable objects): not required yet.
    Anonymous,
}

/// A function definition (`function f ... end`, `f(x) = ...`, `x -> ...`,
/// `function (x) ... end`, and do-block bodies).
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub name: FuncName,
    pub params: Vec<Param>,
    /// Parameters after `;`.
    pub kwparams: Vec<Param>,
    /// `::T` after the parameter list.
    pub ret_type: Option<Expr>,
    /// `where T`, `where {T<:Real, S}`: (name, upper bound).
    pub where_params: Vec<(Name, Option<Expr>)>,
    pub body: Box<Expr>,
    /// `"""doc"""` immediately before the definition.
    pub doc: Option<String>,
    pub span: Span,
}

/// One field of a struct definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: Name,
    pub ty: Option<Expr>,
    /// `@atomic x::Int` inside a mutable struct.
    pub atomic: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    pub mutable: bool,
    pub name: Name,
    /// `struct Foo{T, S<:Real}`: (name, upper bound).
    pub type_params: Vec<(Name, Option<Expr>)>,
    pub supertype: Option<Expr>,
    pub fields: Vec<Field>,
    /// Inner constructors `Foo(x) = new(x)` / `function Foo(...) ... new(...) end`.
    pub constructors: Vec<Function>,
    pub doc: Option<String>,
}

/// One iteration spec in `for` loops, comprehensions and generators:
/// `x in xs`, `x = xs`, `x ∈ xs`, `(k, v) in d`.
#[derive(Clone, Debug, PartialEq)]
pub struct ForSpec {
    /// The loop variable pattern: `Ident`, or `Tuple` of identifiers (nested allowed).
    pub pattern: Expr,
    pub iter: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CatchClause {
    /// `catch e`: the bound name.
    pub var: Option<Name>,
    pub body: Box<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    // ---- literals ----
    Int(i64),
    Float(f64),
    Bool(bool),
    Char(char),
    Str(String),
    Interp(Vec<InterpPart>),
    /// `:name` (a quoted symbol).
    Symbol(Name),
    /// `r"..."`, `raw"..."`, etc.: a string macro name (without the `_str`) and the raw text.
    StrMacro(Name, String),

    // ---- names and access ----
    Ident(Name),
    /// `a.b`
    Field(Box<Expr>, Name),
    /// `a[i, j]`; `end` inside becomes `IndexEnd`, `begin` becomes `IndexBegin`.
    Index(Box<Expr>, Vec<Arg>),
    /// `end` used as a value inside indexing brackets.
    IndexEnd,
    /// `begin` used as a value inside indexing brackets.
    IndexBegin,
    /// `Vector{Int}`, `Dict{String, Int}`: a parametric type application.
    Curly(Box<Expr>, Vec<Expr>),
    /// A bare `:` used as an index (`A[:, j]`).
    Colon,

    // ---- calls ----
    Call {
        func: Box<Expr>,
        args: Vec<Arg>,
        kwargs: Vec<Kwarg>,
    },
    /// `f.(x, y)`, `x .+ y`
    DotCall {
        func: Box<Expr>,
        args: Vec<Arg>,
    },
    /// `f(args) do x ... end`: the call plus the do-block function, which
    /// becomes the first argument.
    DoBlock {
        call: Box<Expr>,
        func: Box<Function>,
    },
    /// `@name args...` / `@name(args...)`; `Threads.@spawn x` has name
    /// `"Threads.@spawn"` normalised to path ["Threads"], name "spawn".
    /// `name` excludes the `@`.
    Macro {
        path: Vec<Name>,
        name: Name,
        args: Vec<Expr>,
    },
    /// `$x` inside a macro argument (e.g. `@async println($x)`).
    Interpolate(Box<Expr>),

    // ---- operators with special evaluation ----
    /// `a < b <= c` with ≥ 2 operators: operands and the operator names.
    Comparison(Vec<Expr>, Vec<Name>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    /// `x::T` in an expression position (type assertion) or declaration
    /// (`local x::Int = 1`; the compiler decides).
    TypeAssert(Box<Expr>, Box<Expr>),

    // ---- composite literals ----
    /// `(a, b)`, `(a,)`, and `()`; named tuples `(a = 1, b = 2)` / `(; a, b)` are `NamedTuple`.
    Tuple(Vec<Arg>),
    NamedTuple(Vec<(Name, Expr)>),
    /// `[a, b, c]`
    Vect(Vec<Arg>),
    /// `[a b c]`: one row.
    Hcat(Vec<Expr>),
    /// `[a b; c d]`, `[1 2\n 3 4]`, `[a; b]`: rows, each a list of elements.
    Vcat(Vec<Vec<Expr>>),
    /// `T[a, b]` / `T[]`
    TypedVect(Box<Expr>, Vec<Arg>),
    /// `T[a b; c d]`
    TypedVcat(Box<Expr>, Vec<Vec<Expr>>),
    /// `[expr for x in xs, y in ys if cond]`
    Comprehension {
        body: Box<Expr>,
        specs: Vec<ForSpec>,
        cond: Option<Box<Expr>>,
    },
    /// `T[expr for ...]`
    TypedComprehension {
        ty: Box<Expr>,
        body: Box<Expr>,
        specs: Vec<ForSpec>,
        cond: Option<Box<Expr>>,
    },
    /// `(expr for x in xs if cond)` and a bare generator as sole call argument `sum(x for x in xs)`.
    Generator {
        body: Box<Expr>,
        specs: Vec<ForSpec>,
        cond: Option<Box<Expr>>,
    },

    // ---- assignment ----
    /// `lhs = rhs`; lhs is Ident, Index, Field, Tuple (destructuring), TypeAssert,
    /// or `Call` (that is a short function definition and is parsed as `FunctionDef` instead).
    Assign(Box<Expr>, Box<Expr>),
    /// `lhs op= rhs`
    OpAssign(Name, Box<Expr>, Box<Expr>),
    /// `lhs .= rhs`
    DotAssign(Box<Expr>, Box<Expr>),

    // ---- blocks and control flow ----
    Block(Vec<Expr>),
    /// `if`/`elseif`/`else` and `c ? a : b`; `elseif` nests as another `If` in `else_`.
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        else_: Option<Box<Expr>>,
    },
    While {
        cond: Box<Expr>,
        body: Box<Expr>,
    },
    /// `for i in 1:n, j in 1:m body end`: several specs mean nested loops.
    For {
        specs: Vec<ForSpec>,
        body: Box<Expr>,
    },
    /// `let a = 1, b; body end`: bindings are `Assign` or `Ident`.
    Let {
        bindings: Vec<Expr>,
        body: Box<Expr>,
    },
    Try {
        body: Box<Expr>,
        catch: Option<CatchClause>,
        else_: Option<Box<Expr>>,
        finally: Option<Box<Expr>>,
    },
    Return(Option<Box<Expr>>),
    Break,
    Continue,
    /// `global x`, `global x = 1`, `global a, b`
    Global(Vec<Expr>),
    /// `local x`, `local x = 1`
    Local(Vec<Expr>),
    /// `const x = 1`
    Const(Box<Expr>),

    // ---- definitions ----
    FunctionDef(Box<Function>),
    /// `x -> body`, `(a, b) -> body`, `function (x) ... end`
    Lambda(Box<Function>),
    Struct(Box<StructDef>),
    /// `abstract type T <: S end`
    Abstract {
        name: Name,
        type_params: Vec<(Name, Option<Expr>)>,
        supertype: Option<Box<Expr>>,
        doc: Option<String>,
    },
    /// `macro m(args) ... end`: not required yet, but parsed.
    MacroDef(Box<Function>),
    /// `module M ... end`
    Module(Name, Box<Expr>),
    /// `using A`, `using A: f, g`, `import A.B: f`: (module path, imported names).
    Using(Vec<Name>, Vec<Name>),
    Import(Vec<Name>, Vec<Name>),
    /// `quote ... end` and `:( ... )`: not evaluated yet; kept for errors.
    Quote(Box<Expr>),
}

/// A whole parsed file (or REPL input): top-level expressions in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub body: Vec<Expr>,
}
