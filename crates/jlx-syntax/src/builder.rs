//! AST builders called from the grammar actions (`grammar/jlx.lalrpop`).
//!
//! The grammar is a cover grammar: it parses assignment targets, function signatures,
//! parameter lists, `for` specs, struct bodies and the like as ordinary expressions, and
//! these builders check and convert them into the [`ast`](crate::ast) forms. They never fail:
//! an invalid construct records a [`Diagnostic`] in the [`Ctx`] and yields a placeholder, so
//! parsing continues and every error in the file is reported.
//!
//! Invariants: builders follow the conventions in `ast.rs` exactly (operators are `Call`s of
//! `Ident(op)`, `a < b < c` is `Comparison`, `f.(x)`/`.+` are `DotCall`, ...); every node
//! gets the byte span of its source text.

use crate::ast::*;
use crate::token::{LexError, MacroPath, Op, Tok};
use jlx_base::{Diagnostic, FileId, Span};
use lalrpop_util::{ErrorRecovery, ParseError};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// Per-parse state shared by all grammar actions.
pub struct Ctx<'a> {
    pub file: FileId,
    pub src: &'a str,
    /// Errors found by the builders (invalid targets, bad parameters, ...).
    pub errors: RefCell<Vec<Diagnostic>>,
    /// Parse errors the parser recovered from (at statement level).
    pub recovered: RefCell<Vec<ParseError<usize, Tok, LexError>>>,
    /// The argument lists of calls, by the call's end offset: a call can turn out to be a
    /// function signature, which needs the unconverted arguments (see [`RawCall`]).
    raw_calls: RefCell<HashMap<usize, RawCall>>,
    /// Spans of tuples written without parentheses (`a, b = ...`, `global a, b`).
    bare_tuples: RefCell<HashSet<(u32, u32)>>,
}

impl<'a> Ctx<'a> {
    pub fn new(src: &'a str, file: FileId) -> Ctx<'a> {
        Ctx {
            file,
            src,
            errors: RefCell::new(Vec::new()),
            recovered: RefCell::new(Vec::new()),
            raw_calls: RefCell::new(HashMap::new()),
            bare_tuples: RefCell::new(HashSet::new()),
        }
    }

    pub fn span(&self, l: usize, r: usize) -> Span {
        Span::new(self.file, l, r.max(l))
    }

    #[cold]
    fn error(&self, span: Span, msg: impl Into<String>) {
        self.errors.borrow_mut().push(Diagnostic::error(span, msg));
    }

    #[cold]
    fn error_note(&self, span: Span, msg: impl Into<String>, note: impl Into<String>) {
        self.errors.borrow_mut().push(Diagnostic::error(span, msg).with_note(note));
    }
}

/// What [`call`] keeps of a call's arguments in case the call turns out to be a function
/// signature. Most argument lists convert without loss (every item stays where it was,
/// unchanged), so the converted call itself is the raw form and nothing is copied; only a
/// list whose conversion moves or drops items (`k = v` items, a generator, an invalid
/// keyword) keeps a copy of the unconverted items.
enum RawCall {
    /// The converted call's `args` are the positional items and its `kwargs` the items
    /// after `;`, in order and unchanged.
    Converted,
    Args(CallArgs),
}

/// Whether converting `args` in [`call`] leaves every item unchanged and in its own list.
fn converts_losslessly(args: &CallArgs) -> bool {
    let pos_ok = args.pos.iter().all(|it| match it {
        Item::Expr(Expr { kind: ExprKind::Assign(lhs, _), .. }) => !matches!(lhs.kind, ExprKind::Ident(_)),
        _ => true,
    });
    let kw_ok = args.kw.iter().flatten().all(|it| match it {
        Item::Splat(_) => true,
        Item::Expr(e) => match &e.kind {
            ExprKind::Ident(_) | ExprKind::Field(..) => true,
            ExprKind::TypeAssert(x, _) => matches!(x.kind, ExprKind::Ident(_)),
            _ => false,
        },
    });
    args.gen.is_none() && pos_ok && kw_ok
}

/// One element of a list: `x` or `xs...`.
#[derive(Clone, Debug)]
pub enum Item {
    Expr(Expr),
    Splat(Expr),
}

/// The contents of call parentheses before conversion.
#[derive(Clone, Debug)]
pub struct CallArgs {
    pub pos: Vec<Item>,
    /// Items after `;`.
    pub kw: Option<Vec<Item>>,
    /// `f(x for x in xs)`: the sole argument is a generator.
    pub gen: Option<GenTail>,
}

/// `for x in xs, y in ys for z in zs if cond` after a comprehension body.
#[derive(Clone, Debug)]
pub struct GenTail {
    pub specs: Vec<Vec<Expr>>,
    pub cond: Option<Expr>,
}

/// The contents of `[...]` (array literal or indexing).
#[derive(Debug)]
pub enum ArrayBody {
    Empty,
    /// One row: `[a]` or `[a b c]`.
    Row(Vec<Item>),
    /// `[a, b, c]`.
    List(Vec<Item>),
    Comp(Item, GenTail),
    /// `[a b; c d]`.
    Rows(Vec<Vec<Item>>),
}

/// `function` head: signature, `::T` return type, `where` clauses.
#[derive(Debug)]
pub struct FuncHead {
    pub sig: Expr,
    pub ret: Option<Expr>,
    pub wheres: Vec<Expr>,
}

#[derive(Clone, Copy, Debug)]
pub enum AssignKind {
    Plain,
    Op(&'static str),
    Dot,
    DotOp(&'static str),
}

#[derive(Debug)]
pub struct CatchPart {
    pub var: Option<Name>,
    pub body: Vec<Expr>,
    pub span: (usize, usize),
}

pub fn mk(ctx: &Ctx, l: usize, r: usize, kind: ExprKind) -> Expr {
    Expr::new(kind, ctx.span(l, r))
}

fn ident(name: &str, span: Span) -> Expr {
    Expr::new(ExprKind::Ident(name.to_string()), span)
}

fn placeholder(span: Span) -> Expr {
    Expr::new(ExprKind::Block(vec![]), span)
}

fn block_expr(ctx: &Ctx, l: usize, r: usize, v: Vec<Expr>) -> Expr {
    mk(ctx, l, r, ExprKind::Block(v))
}

// ---------------------------------------------------------------- statements

/// A statement list; string literals right before a definition become its docstring.
pub fn block_items(ctx: &Ctx, v: Vec<Expr>, e: Option<Expr>) -> Vec<Expr> {
    let mut items = v;
    items.extend(e);
    let mut out: Vec<Expr> = Vec::with_capacity(items.len());
    for mut stmt in items {
        if let Some(prev) = out.last() {
            if let ExprKind::Str(doc) = &prev.kind {
                let gap = ctx.src.get(prev.span.end as usize..stmt.span.start as usize).unwrap_or("x");
                let gap_ok = gap.chars().all(char::is_whitespace) && gap.matches('\n').count() <= 1;
                if gap_ok && set_doc(&mut stmt, doc) {
                    out.pop();
                }
            }
        }
        out.push(stmt);
    }
    out
}

fn set_doc(e: &mut Expr, doc: &str) -> bool {
    let slot = match &mut e.kind {
        ExprKind::FunctionDef(f) | ExprKind::MacroDef(f) => &mut f.doc,
        ExprKind::Struct(s) => &mut s.doc,
        ExprKind::Abstract { doc, .. } => doc,
        _ => return false,
    };
    *slot = Some(doc.to_string());
    true
}

pub fn recovered(ctx: &Ctx, l: usize, r: usize, e: ErrorRecovery<usize, Tok, LexError>) -> Expr {
    ctx.recovered.borrow_mut().push(e.error);
    placeholder(ctx.span(l, r))
}

pub fn ret(ctx: &Ctx, l: usize, r: usize, e: Option<Expr>) -> Expr {
    mk(ctx, l, r, ExprKind::Return(e.map(Box::new)))
}

pub fn scope_decl(ctx: &Ctx, l: usize, r: usize, kw: &str, e: Expr) -> Expr {
    let bare = matches!(e.kind, ExprKind::Tuple(_))
        && ctx.bare_tuples.borrow().contains(&(e.span.start, e.span.end));
    let items = match e.kind {
        ExprKind::Tuple(args) if bare && kw != "const" => args
            .into_iter()
            .map(|a| match a {
                Arg::Pos(e) | Arg::Splat(e) => e,
            })
            .collect(),
        kind => vec![Expr::new(kind, e.span)],
    };
    for it in &items {
        let target = match &it.kind {
            ExprKind::Assign(t, _) | ExprKind::OpAssign(_, t, _) => t,
            _ => it,
        };
        if !matches!(target.kind, ExprKind::Ident(_) | ExprKind::TypeAssert(..) | ExprKind::Tuple(_))
            && !matches!(it.kind, ExprKind::FunctionDef(_))
        {
            ctx.error(it.span, format!("expected a variable name after `{kw}`"));
        }
    }
    let kind = match kw {
        "global" => ExprKind::Global(items),
        "local" => ExprKind::Local(items),
        _ => {
            let e = items.into_iter().next().unwrap_or_else(|| placeholder(ctx.span(l, r)));
            ExprKind::Const(Box::new(e))
        }
    };
    mk(ctx, l, r, kind)
}

pub fn using(ctx: &Ctx, l: usize, r: usize, import: bool, paths: Vec<Vec<Name>>, names: Vec<Name>) -> Expr {
    let one = |p: Vec<Name>, n: Vec<Name>| {
        mk(ctx, l, r, if import { ExprKind::Import(p, n) } else { ExprKind::Using(p, n) })
    };
    if paths.len() == 1 {
        let p = paths.into_iter().next().unwrap_or_default();
        one(p, names)
    } else {
        let v = paths.into_iter().map(|p| one(p, vec![])).collect();
        mk(ctx, l, r, ExprKind::Block(v))
    }
}

// ---------------------------------------------------------------- assignment

fn is_def_lhs(e: &Expr) -> bool {
    if is_where(e) {
        return true;
    }
    match &e.kind {
        ExprKind::Call { func, .. } => {
            if let ExprKind::Ident(n) = &func.kind {
                return n != "where" && n != "::";
            }
            matches!(func.kind, ExprKind::Field(..) | ExprKind::Curly(..) | ExprKind::TypeAssert(..))
                || is_where(e)
        }
        ExprKind::TypeAssert(inner, _) => matches!(inner.kind, ExprKind::Call { .. }) && is_def_lhs(inner),
        _ => false,
    }
}

fn is_where(e: &Expr) -> bool {
    if let ExprKind::Call { func, args, .. } = &e.kind {
        if let ExprKind::Ident(n) = &func.kind {
            if n == "where" {
                return args.first().is_some_and(|a| matches!(a, Arg::Pos(x) if is_def_lhs(x)));
            }
        }
    }
    false
}

fn check_target(ctx: &Ctx, e: &Expr) {
    match &e.kind {
        ExprKind::Ident(_) | ExprKind::Index(..) | ExprKind::Field(..) => {}
        ExprKind::TypeAssert(x, _) => check_target(ctx, x),
        ExprKind::Tuple(items) => {
            for a in items {
                match a {
                    Arg::Pos(x) | Arg::Splat(x) => check_target(ctx, x),
                }
            }
        }
        ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Str(_) | ExprKind::Char(_) | ExprKind::Bool(_) => {
            ctx.error(e.span, "cannot assign to a literal")
        }
        _ => ctx.error(e.span, "invalid assignment target"),
    }
}

pub fn assign(ctx: &Ctx, l: usize, r: usize, lhs: Expr, k: AssignKind, rhs: Expr) -> Expr {
    match k {
        AssignKind::Plain => {
            if is_def_lhs(&lhs) {
                let span = ctx.span(l, r);
                return match function_from_sig(ctx, lhs, None, vec![], rhs, span) {
                    Some(f) => Expr::new(ExprKind::FunctionDef(Box::new(f)), span),
                    None => placeholder(span),
                };
            }
            check_target(ctx, &lhs);
            mk(ctx, l, r, ExprKind::Assign(Box::new(lhs), Box::new(rhs)))
        }
        AssignKind::Op(op) => {
            check_target(ctx, &lhs);
            mk(ctx, l, r, ExprKind::OpAssign(op.to_string(), Box::new(lhs), Box::new(rhs)))
        }
        AssignKind::Dot => mk(ctx, l, r, ExprKind::DotAssign(Box::new(lhs), Box::new(rhs))),
        AssignKind::DotOp(op) => {
            let span = ctx.span(l, r);
            let call = Expr::new(
                ExprKind::DotCall {
                    func: Box::new(ident(op, span)),
                    args: vec![Arg::Pos(lhs.clone()), Arg::Pos(rhs)],
                },
                span,
            );
            mk(ctx, l, r, ExprKind::DotAssign(Box::new(lhs), Box::new(call)))
        }
    }
}

pub fn bare_tuple(ctx: &Ctx, l: usize, r: usize, first: Item, rest: Vec<Item>) -> Expr {
    let mut args = vec![item_arg(first)];
    args.extend(rest.into_iter().map(item_arg));
    let e = mk(ctx, l, r, ExprKind::Tuple(args));
    ctx.bare_tuples.borrow_mut().insert((e.span.start, e.span.end));
    e
}

fn item_arg(i: Item) -> Arg {
    match i {
        Item::Expr(e) => Arg::Pos(e),
        Item::Splat(e) => Arg::Splat(e),
    }
}

fn item_expr(ctx: &Ctx, i: Item) -> Expr {
    match i {
        Item::Expr(e) => e,
        Item::Splat(e) => {
            ctx.error(e.span, "unexpected `...` here");
            e
        }
    }
}

// ---------------------------------------------------------------- operators

pub fn call_op(ctx: &Ctx, l: usize, r: usize, name: &str, args: Vec<Expr>) -> Expr {
    let span = ctx.span(l, r);
    Expr::new(
        ExprKind::Call {
            func: Box::new(ident(name, span)),
            args: args.into_iter().map(Arg::Pos).collect(),
            kwargs: vec![],
        },
        span,
    )
}

pub fn binop(ctx: &Ctx, l: usize, r: usize, o: Op, a: Expr, c: Expr) -> Expr {
    if o.dot {
        let span = ctx.span(l, r);
        return Expr::new(
            ExprKind::DotCall { func: Box::new(ident(o.name, span)), args: vec![Arg::Pos(a), Arg::Pos(c)] },
            span,
        );
    }
    call_op(ctx, l, r, o.name, vec![a, c])
}

pub fn unary(ctx: &Ctx, l: usize, r: usize, o: Op, e: Expr) -> Expr {
    let span = ctx.span(l, r);
    if !matches!(o.name, "+" | "-" | "!" | "~" | "√" | "<:" | ">:") {
        ctx.error(span, format!("`{}` is not a unary operator", o.name));
    }
    if !o.dot && (o.name == "-" || o.name == "+") {
        // `-1` is a literal, as in Julia (but `-2^2` is `-(2^2)`).
        let lit = e.span.start as usize == l + 1
            || ctx.src.get(l + 1..e.span.start as usize).is_some_and(str::is_empty);
        match e.kind {
            ExprKind::Int(v) if lit => {
                return Expr::new(ExprKind::Int(if o.name == "-" { v.wrapping_neg() } else { v }), span)
            }
            ExprKind::Float(v) if lit => {
                return Expr::new(ExprKind::Float(if o.name == "-" { -v } else { v }), span)
            }
            _ => {}
        }
    }
    if o.dot {
        return Expr::new(
            ExprKind::DotCall { func: Box::new(ident(o.name, span)), args: vec![Arg::Pos(e)] },
            span,
        );
    }
    call_op(ctx, l, r, o.name, vec![e])
}

pub fn int(ctx: &Ctx, l: usize, r: usize, v: u64) -> Expr {
    let text = ctx.src.get(l..r).unwrap_or("");
    let radix = text.starts_with("0x") || text.starts_with("0b") || text.starts_with("0o");
    if v > i64::MAX as u64 && !radix && v != 1u64 << 63 {
        ctx.error_note(
            ctx.span(l, r),
            "integer literal is too large for Int64",
            "the largest Int64 is 9223372036854775807",
        );
    }
    mk(ctx, l, r, ExprKind::Int(v as i64))
}

pub fn lazy(ctx: &Ctx, l: usize, r: usize, o: Op, a: Expr, c: Expr) -> Expr {
    if o.dot {
        return binop(ctx, l, r, o, a, c);
    }
    let kind = if o.name == "&&" {
        ExprKind::And(Box::new(a), Box::new(c))
    } else {
        ExprKind::Or(Box::new(a), Box::new(c))
    };
    mk(ctx, l, r, kind)
}

pub fn comparison(ctx: &Ctx, l: usize, r: usize, a: Expr, rest: Vec<(Op, Expr)>) -> Expr {
    if rest.len() == 1 {
        let (o, c) =
            rest.into_iter().next().unwrap_or((Op { name: "==", dot: false }, placeholder(ctx.span(l, r))));
        return binop(ctx, l, r, o, a, c);
    }
    let mut operands = vec![a];
    let mut names = vec![];
    for (o, e) in rest {
        names.push(if o.dot { format!(".{}", o.name) } else { o.name.to_string() });
        operands.push(e);
    }
    mk(ctx, l, r, ExprKind::Comparison(operands, names))
}

pub fn ternary(ctx: &Ctx, l: usize, r: usize, c: Expr, a: Expr, e: Expr) -> Expr {
    mk(ctx, l, r, ExprKind::If { cond: Box::new(c), then: Box::new(a), else_: Some(Box::new(e)) })
}

/// `e where {T, S<:U}`, kept as `Call(Ident("where"), [e, T, S<:U])` until a definition
/// consumes it.
pub fn where_expr(ctx: &Ctx, l: usize, r: usize, e: Expr, w: Vec<Expr>) -> Expr {
    let mut args = vec![e];
    args.extend(w);
    call_op(ctx, l, r, "where", args)
}

// ---------------------------------------------------------------- calls and postfix

pub fn call(ctx: &Ctx, l: usize, r: usize, f: Expr, args: CallArgs) -> Expr {
    let raw = if converts_losslessly(&args) { RawCall::Converted } else { RawCall::Args(args.clone()) };
    ctx.raw_calls.borrow_mut().insert(r, raw);
    let span = ctx.span(l, r);
    if let Some(g) = args.gen {
        let body = args.pos.into_iter().next().map(|i| item_expr(ctx, i));
        let body = body.unwrap_or_else(|| placeholder(span));
        let gen = generator_expr(ctx, span, body, g);
        return Expr::new(
            ExprKind::Call { func: Box::new(f), args: vec![Arg::Pos(gen)], kwargs: vec![] },
            span,
        );
    }
    let mut pos = vec![];
    let mut kwargs = vec![];
    for it in args.pos {
        match it {
            Item::Expr(Expr { kind: ExprKind::Assign(lhs, v), span: s })
                if matches!(lhs.kind, ExprKind::Ident(_)) =>
            {
                let ExprKind::Ident(k) = lhs.kind else { continue };
                kwargs.push(Kwarg::Named(k, *v, s));
            }
            Item::Expr(e) => pos.push(Arg::Pos(e)),
            Item::Splat(e) => pos.push(Arg::Splat(e)),
        }
    }
    for it in args.kw.unwrap_or_default() {
        match it {
            Item::Splat(e) => kwargs.push(Kwarg::Splat(e)),
            Item::Expr(e) => {
                let s = e.span;
                match e.kind {
                    ExprKind::Assign(lhs, v) => match lhs.kind {
                        ExprKind::Ident(k) => kwargs.push(Kwarg::Named(k, *v, s)),
                        ExprKind::TypeAssert(x, _) if matches!(x.kind, ExprKind::Ident(_)) => {
                            // only meaningful in a signature (`f(; k::Int = 1)`); see raw_calls
                            if let ExprKind::Ident(k) = x.kind {
                                kwargs.push(Kwarg::Named(k, *v, s));
                            }
                        }
                        _ => ctx.error(s, "invalid keyword argument"),
                    },
                    ExprKind::Ident(k) => {
                        kwargs.push(Kwarg::Named(k.clone(), Expr::new(ExprKind::Ident(k), s), s))
                    }
                    ExprKind::Field(obj, k) => {
                        kwargs.push(Kwarg::Named(k.clone(), Expr::new(ExprKind::Field(obj, k), s), s))
                    }
                    ExprKind::TypeAssert(x, t) => {
                        // `f(; k::Int)` (signature only)
                        if let ExprKind::Ident(k) = &x.kind {
                            let k = k.clone();
                            kwargs.push(Kwarg::Named(k, Expr::new(ExprKind::TypeAssert(x, t), s), s));
                        } else {
                            ctx.error(s, "invalid keyword argument");
                        }
                    }
                    _ => ctx.error(s, "invalid keyword argument: expected `name = value`"),
                }
            }
        }
    }
    Expr::new(ExprKind::Call { func: Box::new(f), args: pos, kwargs }, span)
}

pub fn dot_call(ctx: &Ctx, l: usize, r: usize, f: Expr, args: CallArgs) -> Expr {
    let span = ctx.span(l, r);
    if args.kw.is_some() || args.gen.is_some() {
        ctx.error(span, "keyword arguments and generators are not supported in dotted calls");
    }
    let args = args.pos.into_iter().map(item_arg).collect();
    Expr::new(ExprKind::DotCall { func: Box::new(f), args }, span)
}

/// Built-in type names for which `T[...]` is an array literal, not indexing.
fn is_type_like(e: &Expr, body: &ArrayBody) -> bool {
    match &e.kind {
        ExprKind::Curly(..) => true,
        ExprKind::Ident(n) => {
            matches!(
                n.as_str(),
                "Int"
                    | "Int8"
                    | "Int16"
                    | "Int32"
                    | "Int64"
                    | "Int128"
                    | "UInt"
                    | "UInt8"
                    | "UInt16"
                    | "UInt32"
                    | "UInt64"
                    | "UInt128"
                    | "Float16"
                    | "Float32"
                    | "Float64"
                    | "Bool"
                    | "Char"
                    | "String"
                    | "Any"
                    | "Symbol"
                    | "Number"
                    | "Real"
                    | "Integer"
                    | "AbstractFloat"
                    | "Nothing"
                    | "Function"
                    | "Tuple"
                    | "BigInt"
                    | "BigFloat"
                    | "Task"
                    | "Complex"
            ) || (n.starts_with(|c: char| c.is_uppercase())
                && matches!(body, ArrayBody::Empty | ArrayBody::Comp(..)))
        }
        _ => false,
    }
}

pub fn index(ctx: &Ctx, l: usize, r: usize, a: Expr, body: ArrayBody) -> Expr {
    if is_type_like(&a, &body) || matches!(body, ArrayBody::Comp(..) | ArrayBody::Rows(_)) {
        return array(ctx, l, r, Some(a), body);
    }
    if let ArrayBody::Row(items) = &body {
        if items.len() > 1 {
            return array(ctx, l, r, Some(a), body);
        }
    }
    let items = match body {
        ArrayBody::Empty => vec![],
        ArrayBody::Row(v) | ArrayBody::List(v) => v,
        ArrayBody::Comp(..) | ArrayBody::Rows(_) => vec![],
    };
    let args = items.into_iter().map(item_arg).collect();
    mk(ctx, l, r, ExprKind::Index(Box::new(a), args))
}

fn row_exprs(ctx: &Ctx, row: Vec<Item>) -> Vec<Expr> {
    row.into_iter().map(|i| item_expr(ctx, i)).collect()
}

/// `[...]` (with `ty` for `T[...]`).
pub fn array(ctx: &Ctx, l: usize, r: usize, ty: Option<Expr>, body: ArrayBody) -> Expr {
    let span = ctx.span(l, r);
    let kind = match (ty, body) {
        (None, ArrayBody::Empty) => ExprKind::Vect(vec![]),
        (Some(t), ArrayBody::Empty) => ExprKind::TypedVect(Box::new(t), vec![]),
        (ty, ArrayBody::Row(items)) if items.len() == 1 => {
            let args = items.into_iter().map(item_arg).collect();
            match ty {
                None => ExprKind::Vect(args),
                Some(t) => ExprKind::TypedVect(Box::new(t), args),
            }
        }
        (None, ArrayBody::Row(items)) => ExprKind::Hcat(row_exprs(ctx, items)),
        (Some(t), ArrayBody::Row(items)) => ExprKind::TypedVcat(Box::new(t), vec![row_exprs(ctx, items)]),
        (ty, ArrayBody::List(items)) => {
            let args = items.into_iter().map(item_arg).collect();
            match ty {
                None => ExprKind::Vect(args),
                Some(t) => ExprKind::TypedVect(Box::new(t), args),
            }
        }
        (ty, ArrayBody::Rows(rows)) => {
            let rows = rows.into_iter().map(|r| row_exprs(ctx, r)).collect();
            match ty {
                None => ExprKind::Vcat(rows),
                Some(t) => ExprKind::TypedVcat(Box::new(t), rows),
            }
        }
        (ty, ArrayBody::Comp(body, g)) => {
            let body = Box::new(item_expr(ctx, body));
            let (specs, cond) = for_specs_of(ctx, g);
            match ty {
                None => ExprKind::Comprehension { body, specs, cond },
                Some(t) => ExprKind::TypedComprehension { ty: Box::new(t), body, specs, cond },
            }
        }
    };
    Expr::new(kind, span)
}

pub fn curly(ctx: &Ctx, l: usize, r: usize, a: Expr, args: Vec<Item>) -> Expr {
    let args = args.into_iter().map(|i| item_expr(ctx, i)).collect();
    mk(ctx, l, r, ExprKind::Curly(Box::new(a), args))
}

pub fn string(ctx: &Ctx, l: usize, r: usize, parts: Vec<InterpPart>) -> Expr {
    let mut merged: Vec<InterpPart> = vec![];
    for p in parts {
        match (merged.last_mut(), p) {
            (Some(InterpPart::Lit(a)), InterpPart::Lit(b)) => a.push_str(&b),
            (_, p) => merged.push(p),
        }
    }
    let kind = if merged.iter().all(|p| matches!(p, InterpPart::Lit(_))) {
        let s = merged
            .into_iter()
            .map(|p| match p {
                InterpPart::Lit(s) => s,
                InterpPart::Expr(_) => String::new(),
            })
            .collect();
        ExprKind::Str(s)
    } else {
        ExprKind::Interp(merged)
    };
    mk(ctx, l, r, kind)
}

// ---------------------------------------------------------------- parentheses

pub fn paren1(ctx: &Ctx, l: usize, r: usize, e: Item) -> Expr {
    match e {
        Item::Splat(e) => mk(ctx, l, r, ExprKind::Tuple(vec![Arg::Splat(e)])),
        Item::Expr(e) => Expr::new(e.kind, ctx.span(l, r)),
    }
}

fn named_item(ctx: &Ctx, i: &Item) -> Option<(Name, Expr)> {
    match i {
        Item::Expr(Expr { kind: ExprKind::Assign(lhs, v), .. }) => match &lhs.kind {
            ExprKind::Ident(k) => Some((k.clone(), (**v).clone())),
            _ => None,
        },
        _ => {
            let _ = ctx;
            None
        }
    }
}

pub fn tuple(ctx: &Ctx, l: usize, r: usize, e: Item, rest: Vec<Item>) -> Expr {
    let mut items = vec![e];
    items.extend(rest);
    let named: Vec<Option<(Name, Expr)>> = items.iter().map(|i| named_item(ctx, i)).collect();
    if named.iter().all(Option::is_some) {
        let fields = named.into_iter().flatten().collect();
        return mk(ctx, l, r, ExprKind::NamedTuple(fields));
    }
    if named.iter().any(Option::is_some) {
        ctx.error(ctx.span(l, r), "cannot mix named and positional elements in a tuple");
    }
    mk(ctx, l, r, ExprKind::Tuple(items.into_iter().map(item_arg).collect()))
}

pub fn named_tuple_semi(ctx: &Ctx, l: usize, r: usize, items: Vec<Item>) -> Expr {
    let mut fields = vec![];
    for i in items {
        if let Some(f) = named_item(ctx, &i) {
            fields.push(f);
            continue;
        }
        match i {
            Item::Expr(e) => match &e.kind {
                ExprKind::Ident(k) => fields.push((k.clone(), e.clone())),
                ExprKind::Field(_, k) => fields.push((k.clone(), e.clone())),
                _ => ctx.error(e.span, "invalid named tuple element: expected `name = value`"),
            },
            Item::Splat(e) => ctx.error(e.span, "splatting into a named tuple is not supported"),
        }
    }
    mk(ctx, l, r, ExprKind::NamedTuple(fields))
}

pub fn paren_block(ctx: &Ctx, l: usize, r: usize, e: Item, rest: Vec<Option<Item>>) -> Expr {
    let mut v = vec![item_expr(ctx, e)];
    v.extend(rest.into_iter().flatten().map(|i| item_expr(ctx, i)));
    mk(ctx, l, r, ExprKind::Block(v))
}

pub fn generator(ctx: &Ctx, l: usize, r: usize, e: Item, g: GenTail) -> Expr {
    let body = item_expr(ctx, e);
    generator_expr(ctx, ctx.span(l, r), body, g)
}

fn generator_expr(ctx: &Ctx, span: Span, body: Expr, g: GenTail) -> Expr {
    let (specs, cond) = for_specs_of(ctx, g);
    Expr::new(ExprKind::Generator { body: Box::new(body), specs, cond }, span)
}

fn for_specs_of(ctx: &Ctx, g: GenTail) -> (Vec<ForSpec>, Option<Box<Expr>>) {
    let specs = g.specs.into_iter().flatten().filter_map(|e| for_spec(ctx, e)).collect();
    (specs, g.cond.map(Box::new))
}

fn check_pattern(ctx: &Ctx, e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Ident(_) => true,
        ExprKind::Tuple(items) => items.iter().all(|a| match a {
            Arg::Pos(x) => check_pattern(ctx, x),
            Arg::Splat(x) => {
                ctx.error(x.span, "splatting is not supported in loop variables");
                false
            }
        }),
        _ => {
            ctx.error(e.span, "invalid loop variable: expected a name or a tuple of names");
            false
        }
    }
}

fn for_spec(ctx: &Ctx, e: Expr) -> Option<ForSpec> {
    let span = e.span;
    match e.kind {
        ExprKind::Call { func, mut args, kwargs }
            if matches!(&func.kind, ExprKind::Ident(n) if n == "in")
                && args.len() == 2
                && kwargs.is_empty() =>
        {
            let iter = match args.pop() {
                Some(Arg::Pos(x)) => x,
                _ => return None,
            };
            let pattern = match args.pop() {
                Some(Arg::Pos(x)) => x,
                _ => return None,
            };
            check_pattern(ctx, &pattern).then_some(ForSpec { pattern, iter })
        }
        ExprKind::Assign(pattern, iter) => {
            check_pattern(ctx, &pattern).then_some(ForSpec { pattern: *pattern, iter: *iter })
        }
        _ => {
            ctx.error_note(
                span,
                "invalid iteration specification",
                "expected `x in iterable` or `x = iterable`",
            );
            None
        }
    }
}

// ---------------------------------------------------------------- blocks

pub fn if_expr(ctx: &Ctx, l: usize, r: usize, c: Expr, t: Vec<Expr>, tl: usize, e: Option<Expr>) -> Expr {
    let then = block_expr(ctx, c.span.end as usize, tl, t);
    mk(ctx, l, r, ExprKind::If { cond: Box::new(c), then: Box::new(then), else_: e.map(Box::new) })
}

pub fn while_loop(ctx: &Ctx, l: usize, r: usize, c: Expr, body: Vec<Expr>) -> Expr {
    let b = block_expr(ctx, c.span.end as usize, r, body);
    mk(ctx, l, r, ExprKind::While { cond: Box::new(c), body: Box::new(b) })
}

pub fn for_loop(ctx: &Ctx, l: usize, r: usize, specs: Vec<Expr>, body: Vec<Expr>) -> Expr {
    let start = specs.last().map_or(l, |s| s.span.end as usize);
    let specs = specs.into_iter().filter_map(|e| for_spec(ctx, e)).collect();
    let b = block_expr(ctx, start, r, body);
    mk(ctx, l, r, ExprKind::For { specs, body: Box::new(b) })
}

pub fn let_block(ctx: &Ctx, l: usize, r: usize, binds: Vec<Expr>, body: Vec<Expr>) -> Expr {
    for b in &binds {
        match &b.kind {
            ExprKind::Ident(_) => {}
            ExprKind::Assign(t, _) => check_target(ctx, t),
            _ => ctx.error(b.span, "invalid `let` binding: expected `name` or `name = value`"),
        }
    }
    let b = block_expr(ctx, l, r, body);
    mk(ctx, l, r, ExprKind::Let { bindings: binds, body: Box::new(b) })
}

pub fn quote_block(ctx: &Ctx, l: usize, r: usize, v: Vec<Expr>) -> Expr {
    let b = block_expr(ctx, l, r, v);
    mk(ctx, l, r, ExprKind::Quote(Box::new(b)))
}

pub fn try_block(
    ctx: &Ctx,
    l: usize,
    r: usize,
    body: Vec<Expr>,
    c: Option<CatchPart>,
    e: Option<Vec<Expr>>,
    f: Option<Vec<Expr>>,
) -> Expr {
    let body = block_expr(ctx, l, r, body);
    let catch =
        c.map(|c| CatchClause { var: c.var, body: Box::new(block_expr(ctx, c.span.0, c.span.1, c.body)) });
    if e.is_some() && catch.is_none() {
        ctx.error(ctx.span(l, r), "`else` in a `try` block requires a `catch`");
    }
    let else_ = e.map(|v| Box::new(block_expr(ctx, l, r, v)));
    let finally = f.map(|v| Box::new(block_expr(ctx, l, r, v)));
    mk(ctx, l, r, ExprKind::Try { body: Box::new(body), catch, else_, finally })
}

pub fn module_def(ctx: &Ctx, l: usize, r: usize, name: Name, body: Vec<Expr>) -> Expr {
    let b = block_expr(ctx, l, r, body);
    mk(ctx, l, r, ExprKind::Module(name, Box::new(b)))
}

// ---------------------------------------------------------------- macros

pub fn macro_sp(ctx: &Ctx, l: usize, r: usize, m: MacroPath, args: Vec<Expr>) -> Expr {
    mk(ctx, l, r, ExprKind::Macro { path: m.path, name: m.name, args })
}

pub fn macro_paren(ctx: &Ctx, l: usize, r: usize, m: MacroPath, args: CallArgs) -> Expr {
    let span = ctx.span(l, r);
    let mut v: Vec<Expr> = vec![];
    if let Some(g) = args.gen {
        let body =
            args.pos.into_iter().next().map(|i| item_expr(ctx, i)).unwrap_or_else(|| placeholder(span));
        v.push(generator_expr(ctx, span, body, g));
    } else {
        v.extend(args.pos.into_iter().map(|i| item_expr(ctx, i)));
        if let Some(kw) = args.kw {
            v.extend(kw.into_iter().map(|i| item_expr(ctx, i)));
        }
    }
    Expr::new(ExprKind::Macro { path: m.path, name: m.name, args: v }, span)
}

// ---------------------------------------------------------------- definitions

fn type_params(ctx: &Ctx, items: Vec<Expr>) -> Vec<(Name, Option<Expr>)> {
    let mut out = vec![];
    for e in items {
        let span = e.span;
        match e.kind {
            ExprKind::Ident(n) => out.push((n, None)),
            ExprKind::Call { func, mut args, .. }
                if matches!(&func.kind, ExprKind::Ident(n) if n == "<:") && args.len() == 2 =>
            {
                let bound = match args.pop() {
                    Some(Arg::Pos(b)) => b,
                    _ => continue,
                };
                match args.pop() {
                    Some(Arg::Pos(Expr { kind: ExprKind::Ident(n), .. })) => out.push((n, Some(bound))),
                    _ => ctx.error(span, "invalid type parameter: expected `T` or `T <: Bound`"),
                }
            }
            _ => ctx.error(span, "invalid type parameter: expected `T` or `T <: Bound`"),
        }
    }
    out
}

fn func_name(ctx: &Ctx, f: &Expr) -> Option<FuncName> {
    match &f.kind {
        ExprKind::Ident(n) => Some(FuncName::Plain(n.clone())),
        ExprKind::Curly(inner, _) => func_name(ctx, inner),
        ExprKind::Field(..) => {
            let mut path = vec![];
            let mut cur = f;
            let name = if let ExprKind::Field(_, n) = &f.kind { n.clone() } else { String::new() };
            while let ExprKind::Field(obj, _) = &cur.kind {
                cur = obj;
                match &cur.kind {
                    ExprKind::Ident(m) => path.insert(0, m.clone()),
                    ExprKind::Field(_, m) => path.insert(0, m.clone()),
                    _ => {
                        ctx.error(f.span, "invalid function name");
                        return None;
                    }
                }
            }
            Some(FuncName::Qualified(path, name))
        }
        // `(p::Point)(x) = ...`: a callable object; the object becomes the first parameter
        ExprKind::TypeAssert(..) => Some(FuncName::Anonymous),
        _ => {
            ctx.error(f.span, "invalid function name");
            None
        }
    }
}

/// Converts one parameter expression.
fn param(ctx: &Ctx, e: &Expr, splat: bool, default: Option<Expr>) -> Option<Param> {
    let span = e.span;
    let p = |name: Option<Name>, ty: Option<Expr>, destructure: Option<Vec<Name>>| Param {
        name,
        ty,
        default: default.clone(),
        splat,
        destructure,
        span,
    };
    match &e.kind {
        ExprKind::Ident(n) => Some(p(Some(n.clone()), None, None)),
        ExprKind::TypeAssert(x, t) => match &x.kind {
            ExprKind::Ident(n) => Some(p(Some(n.clone()), Some((**t).clone()), None)),
            _ => {
                ctx.error(span, "invalid parameter: expected `name::Type`");
                None
            }
        },
        ExprKind::Call { func, args, .. }
            if matches!(&func.kind, ExprKind::Ident(n) if n == "::") && args.len() == 1 =>
        {
            match &args[0] {
                Arg::Pos(t) => Some(p(None, Some(t.clone()), None)),
                Arg::Splat(_) => None,
            }
        }
        ExprKind::Tuple(items) => {
            let mut names = vec![];
            for a in items {
                match a {
                    Arg::Pos(Expr { kind: ExprKind::Ident(n), .. }) => names.push(n.clone()),
                    Arg::Pos(x) | Arg::Splat(x) => {
                        ctx.error(x.span, "invalid destructuring parameter: expected names");
                        return None;
                    }
                }
            }
            Some(p(None, None, Some(names)))
        }
        ExprKind::Assign(x, d) => {
            if default.is_some() {
                ctx.error(span, "invalid parameter");
                return None;
            }
            param(ctx, x, splat, Some((**d).clone()))
        }
        _ => {
            ctx.error_note(
                span,
                "invalid function parameter",
                "expected `x`, `x::T`, `x = default` or `xs...`",
            );
            None
        }
    }
}

fn item_param(ctx: &Ctx, i: &Item) -> Option<Param> {
    match i {
        Item::Expr(e) => param(ctx, e, false, None),
        Item::Splat(e) => param(ctx, e, true, None),
    }
}

/// Builds a `Function` from a signature expression (`f(x)`, `f(x)::T`, `f(x) where T`).
fn function_from_sig(
    ctx: &Ctx,
    sig: Expr,
    ret: Option<Expr>,
    mut wheres: Vec<Expr>,
    body: Expr,
    span: Span,
) -> Option<Function> {
    let mut sig = sig;
    let mut ret = ret;
    // unwrap `where` layers and `::T`
    loop {
        match sig.kind {
            ExprKind::Call { ref func, .. } if matches!(&func.kind, ExprKind::Ident(n) if n == "where") => {
                let ExprKind::Call { mut args, .. } = sig.kind else { return None };
                let mut it = args.drain(..).map(|a| match a {
                    Arg::Pos(e) | Arg::Splat(e) => e,
                });
                let inner = it.next()?;
                let mut w: Vec<Expr> = it.collect();
                w.append(&mut wheres);
                wheres = w;
                sig = inner;
            }
            ExprKind::TypeAssert(inner, t)
                if ret.is_none() && matches!(inner.kind, ExprKind::Call { .. }) =>
            {
                ret = Some(*t);
                sig = *inner;
            }
            _ => break,
        }
    }
    let ExprKind::Call { func, args: conv_args, kwargs: conv_kwargs } = &sig.kind else {
        ctx.error(sig.span, "invalid function signature: expected `name(args...)`");
        return None;
    };
    let name = func_name(ctx, func)?;
    let self_param = match name {
        FuncName::Anonymous => param(ctx, func, false, None),
        _ => None,
    };
    let raw = ctx.raw_calls.borrow_mut().remove(&(sig.span.end as usize));
    let (mut params, kwparams): (Vec<Param>, Vec<Param>) = match raw {
        Some(RawCall::Args(args)) => {
            if args.gen.is_some() {
                ctx.error(sig.span, "invalid function signature");
            }
            let params = args.pos.iter().filter_map(|i| item_param(ctx, i)).collect();
            let kw = args.kw.unwrap_or_default().iter().filter_map(|i| item_param(ctx, i)).collect();
            (params, kw)
        }
        Some(RawCall::Converted) => {
            let params = conv_args
                .iter()
                .filter_map(|a| match a {
                    Arg::Pos(e) => param(ctx, e, false, None),
                    Arg::Splat(e) => param(ctx, e, true, None),
                })
                .collect();
            let kw = conv_kwargs
                .iter()
                .filter_map(|k| match k {
                    Kwarg::Named(_, e, _) => param(ctx, e, false, None),
                    Kwarg::Splat(e) => param(ctx, e, true, None),
                })
                .collect();
            (params, kw)
        }
        None => (vec![], vec![]),
    };
    if let Some(p) = self_param {
        params.insert(0, p);
    }
    Some(Function {
        name,
        params,
        kwparams,
        ret_type: ret,
        where_params: type_params(ctx, wheres),
        body: Box::new(body),
        doc: None,
        span,
    })
}

/// Parameters of a lambda / anonymous function from its left-hand side.
fn lambda_params(ctx: &Ctx, lhs: &Expr) -> (Vec<Param>, Vec<Param>) {
    match &lhs.kind {
        ExprKind::Tuple(items) => {
            let params = items
                .iter()
                .filter_map(|a| match a {
                    Arg::Pos(e) => param(ctx, e, false, None),
                    Arg::Splat(e) => param(ctx, e, true, None),
                })
                .collect();
            (params, vec![])
        }
        ExprKind::NamedTuple(fields) => {
            let params = fields
                .iter()
                .map(|(n, d)| Param {
                    name: Some(n.clone()),
                    ty: None,
                    default: Some(d.clone()),
                    splat: false,
                    destructure: None,
                    span: d.span,
                })
                .collect();
            (params, vec![])
        }
        _ => (param(ctx, lhs, false, None).into_iter().collect(), vec![]),
    }
}

pub fn lambda(ctx: &Ctx, l: usize, r: usize, lhs: Expr, body: Expr) -> Expr {
    let span = ctx.span(l, r);
    let (params, kwparams) = lambda_params(ctx, &lhs);
    let f = Function {
        name: FuncName::Anonymous,
        params,
        kwparams,
        ret_type: None,
        where_params: vec![],
        body: Box::new(body),
        doc: None,
        span,
    };
    Expr::new(ExprKind::Lambda(Box::new(f)), span)
}

pub fn do_block(
    ctx: &Ctx,
    l: usize,
    dl: usize,
    r: usize,
    c: Expr,
    params: Vec<Item>,
    body: Vec<Expr>,
) -> Expr {
    let span = ctx.span(l, r);
    let fspan = ctx.span(dl, r);
    if !matches!(c.kind, ExprKind::Call { .. } | ExprKind::Macro { .. }) {
        ctx.error_note(c.span, "`do` block must follow a function call", "write `f(args) do x ... end`");
    }
    let params = params.iter().filter_map(|i| item_param(ctx, i)).collect();
    let f = Function {
        name: FuncName::Anonymous,
        params,
        kwparams: vec![],
        ret_type: None,
        where_params: vec![],
        body: Box::new(Expr::new(ExprKind::Block(body), fspan)),
        doc: None,
        span: fspan,
    };
    Expr::new(ExprKind::DoBlock { call: Box::new(c), func: Box::new(f) }, span)
}

pub fn function_def(
    ctx: &Ctx,
    l: usize,
    r: usize,
    h: FuncHead,
    has_sep: bool,
    body: Vec<Expr>,
    is_macro: bool,
) -> Expr {
    let span = ctx.span(l, r);
    let body_start = h.sig.span.end as usize;
    let body = block_expr(ctx, body_start, r, body);
    let parenthesized = ctx.src.get(h.sig.span.start as usize..).is_some_and(|s| s.starts_with('('));
    if parenthesized && !matches!(h.sig.kind, ExprKind::Call { .. }) && !is_macro {
        // `function (x, y) ... end`
        let (params, kwparams) = lambda_params(ctx, &h.sig);
        let f = Function {
            name: FuncName::Anonymous,
            params,
            kwparams,
            ret_type: h.ret,
            where_params: type_params(ctx, h.wheres),
            body: Box::new(body),
            doc: None,
            span,
        };
        return Expr::new(ExprKind::Lambda(Box::new(f)), span);
    }
    if let ExprKind::Ident(_) = &h.sig.kind {
        if !has_sep && h.ret.is_none() && h.wheres.is_empty() {
            if let ExprKind::Block(v) = &body.kind {
                if v.is_empty() {
                    // `function f end` declares a function with no methods; methods defined
                    // later create it anyway, so this is a no-op (an empty block).
                    return placeholder(span);
                }
            }
        }
    }
    match function_from_sig(ctx, h.sig, h.ret, h.wheres, body, span) {
        Some(f) => {
            let kind =
                if is_macro { ExprKind::MacroDef(Box::new(f)) } else { ExprKind::FunctionDef(Box::new(f)) };
            Expr::new(kind, span)
        }
        None => placeholder(span),
    }
}

fn struct_name(ctx: &Ctx, e: Expr) -> (Name, Vec<(Name, Option<Expr>)>) {
    match e.kind {
        ExprKind::Ident(n) => (n, vec![]),
        ExprKind::Curly(inner, params) => match inner.kind {
            ExprKind::Ident(n) => (n, type_params(ctx, params)),
            _ => {
                ctx.error(inner.span, "invalid type name");
                (String::new(), vec![])
            }
        },
        _ => {
            ctx.error(e.span, "invalid type name: expected `Name` or `Name{T}`");
            (String::new(), vec![])
        }
    }
}

fn supertype(ctx: &Ctx, sup: Option<(Op, Expr)>) -> Option<Expr> {
    let (o, e) = sup?;
    if o.name != "<:" || o.dot {
        ctx.error(e.span, format!("expected `<:` before the supertype, found `{}`", o.name));
    }
    Some(e)
}

pub fn struct_def(
    ctx: &Ctx,
    l: usize,
    r: usize,
    mutable: bool,
    head: (Expr, Option<(Op, Expr)>),
    body: Vec<Expr>,
) -> Expr {
    let (name, type_params) = struct_name(ctx, head.0);
    let supertype = supertype(ctx, head.1);
    let mut fields = vec![];
    let mut constructors = vec![];
    for stmt in body {
        let span = stmt.span;
        match stmt.kind {
            ExprKind::Ident(n) => fields.push(Field { name: n, ty: None, atomic: false, span }),
            ExprKind::TypeAssert(x, t) => match x.kind {
                ExprKind::Ident(n) => fields.push(Field { name: n, ty: Some(*t), atomic: false, span }),
                _ => ctx.error(span, "invalid field declaration: expected `name` or `name::Type`"),
            },
            ExprKind::Macro { ref name, ref args, .. } if name == "atomic" && args.len() == 1 => {
                match &args[0].kind {
                    ExprKind::Ident(n) => {
                        fields.push(Field { name: n.clone(), ty: None, atomic: true, span })
                    }
                    ExprKind::TypeAssert(x, t) => match &x.kind {
                        ExprKind::Ident(n) => fields.push(Field {
                            name: n.clone(),
                            ty: Some((**t).clone()),
                            atomic: true,
                            span,
                        }),
                        _ => ctx.error(span, "invalid field declaration"),
                    },
                    _ => ctx.error(span, "invalid field declaration"),
                }
            }
            ExprKind::FunctionDef(f) => constructors.push(*f),
            ExprKind::Str(_) | ExprKind::Interp(_) => {} // field docs
            ExprKind::Block(ref v) if v.is_empty() => {} // recovered error
            _ => ctx.error_note(
                span,
                "unexpected expression in struct body",
                "a struct body holds fields (`x`, `x::T`) and inner constructors",
            ),
        }
    }
    let def = StructDef { mutable, name, type_params, supertype, fields, constructors, doc: None };
    mk(ctx, l, r, ExprKind::Struct(Box::new(def)))
}

pub fn abstract_def(ctx: &Ctx, l: usize, r: usize, head: (Expr, Option<(Op, Expr)>)) -> Expr {
    let (name, type_params) = struct_name(ctx, head.0);
    let supertype = supertype(ctx, head.1).map(Box::new);
    mk(ctx, l, r, ExprKind::Abstract { name, type_params, supertype, doc: None })
}
