//! Lexical analysis of Julia's scope rules, done on the AST before code is
//! generated for a scope.
//!
//! - [`scan_scope`] finds the names a scope *itself* assigns or declares
//!   (`x = ..`, `x += ..`, destructuring, `local x`, `global x`, local function
//!   definitions), looking through `if`/`begin`/operators but not into nested
//!   scopes (loops, `let`, `try`, functions, comprehensions), which own their
//!   own names.
//! - [`captured_names`] lists every name mentioned inside functions nested in
//!   an expression; [`assignment_weight`] counts how often a name is assigned
//!   (loops and closures count as "many").
//!
//! A local is boxed (heap cell shared with closures) when it is captured and
//! may be assigned more than once. Over-approximating either set only adds
//! boxes, never changes meaning: a box is exactly Julia's sharing semantics.

use jlx_syntax::ast::*;
use std::collections::HashSet;

/// What a scope declares.
#[derive(Default, Debug)]
pub struct ScopeDecls {
    /// Names assigned in this scope, in first-assignment order.
    pub assigned: Vec<Name>,
    /// `local x` declarations.
    pub locals: Vec<Name>,
    /// `global x` declarations.
    pub globals: Vec<Name>,
    /// Local named functions (`function f() end` inside a function).
    pub functions: Vec<Name>,
}

impl ScopeDecls {
    fn add_assigned(&mut self, n: &str) {
        if !self.assigned.iter().any(|a| a == n) {
            self.assigned.push(n.to_string());
        }
    }
}

/// Names assigned or declared directly in a scope whose statements are `body`.
pub fn scan_scope(body: &[&Expr]) -> ScopeDecls {
    let mut d = ScopeDecls::default();
    for e in body {
        scan(e, &mut d);
    }
    d
}

fn scan_lhs(e: &Expr, d: &mut ScopeDecls) {
    match &e.kind {
        ExprKind::Ident(n) => d.add_assigned(n),
        ExprKind::Tuple(items) => {
            for a in items {
                match a {
                    Arg::Pos(x) | Arg::Splat(x) => scan_lhs(x, d),
                }
            }
        }
        ExprKind::TypeAssert(x, _) => scan_lhs(x, d),
        ExprKind::Index(obj, args) => {
            scan(obj, d);
            for a in args {
                match a {
                    Arg::Pos(x) | Arg::Splat(x) => scan(x, d),
                }
            }
        }
        ExprKind::Field(obj, _) => scan(obj, d),
        _ => {}
    }
}

fn scan_decl(e: &Expr, d: &mut ScopeDecls, global: bool) {
    match &e.kind {
        ExprKind::Ident(n) => {
            if global {
                d.globals.push(n.clone())
            } else {
                d.locals.push(n.clone())
            }
        }
        ExprKind::Assign(lhs, rhs) | ExprKind::OpAssign(_, lhs, rhs) => {
            scan_decl(lhs, d, global);
            scan(rhs, d);
        }
        ExprKind::TypeAssert(x, _) => scan_decl(x, d, global),
        ExprKind::Tuple(items) => {
            for a in items {
                if let Arg::Pos(x) = a {
                    scan_decl(x, d, global)
                }
            }
        }
        ExprKind::FunctionDef(f) => {
            if let FuncName::Plain(n) = &f.name {
                if global {
                    d.globals.push(n.clone())
                } else {
                    d.locals.push(n.clone())
                }
            }
        }
        _ => scan(e, d),
    }
}

fn scan(e: &Expr, d: &mut ScopeDecls) {
    use ExprKind::*;
    match &e.kind {
        Assign(lhs, rhs) => {
            scan_lhs(lhs, d);
            scan(rhs, d);
        }
        OpAssign(_, lhs, rhs) => {
            scan_lhs(lhs, d);
            scan(rhs, d);
        }
        DotAssign(lhs, rhs) => {
            scan(lhs, d);
            scan(rhs, d);
        }
        Global(xs) => xs.iter().for_each(|x| scan_decl(x, d, true)),
        Local(xs) => xs.iter().for_each(|x| scan_decl(x, d, false)),
        Const(x) => scan_lhs(x, d),
        FunctionDef(f) => {
            if let FuncName::Plain(n) = &f.name {
                if !d.functions.contains(n) {
                    d.functions.push(n.clone());
                }
                d.add_assigned(n);
            }
        }
        Block(xs) => xs.iter().for_each(|x| scan(x, d)),
        If { cond, then, else_ } => {
            scan(cond, d);
            scan(then, d);
            if let Some(x) = else_ {
                scan(x, d)
            }
        }
        And(a, b) | Or(a, b) => {
            scan(a, d);
            scan(b, d);
        }
        Call { func, args, kwargs } => {
            scan(func, d);
            scan_args(args, d);
            for k in kwargs {
                match k {
                    Kwarg::Named(_, x, _) | Kwarg::Splat(x) => scan(x, d),
                }
            }
        }
        DotCall { func, args } => {
            scan(func, d);
            scan_args(args, d);
        }
        Comparison(xs, _) => xs.iter().for_each(|x| scan(x, d)),
        Tuple(args) | Vect(args) => scan_args(args, d),
        Index(obj, args) => {
            scan(obj, d);
            scan_args(args, d);
        }
        Field(obj, _) => scan(obj, d),
        Return(Some(x)) => scan(x, d),
        TypeAssert(x, _) => scan(x, d),
        Macro { args, .. } => args.iter().for_each(|x| scan(x, d)),
        DoBlock { call, .. } => scan(call, d),
        // A loop's condition and iterables run in the enclosing scope
        // (`while (v = take!(c)) != -1` assigns the enclosing `v`).
        While { cond, .. } => scan(cond, d),
        For { specs, .. } => specs.iter().for_each(|s| scan(&s.iter, d)),
        // Nested scopes own their names: loop bodies, Let, Try, Lambda,
        // comprehensions, generators, struct bodies.
        _ => {}
    }
}

fn scan_args(args: &[Arg], d: &mut ScopeDecls) {
    for a in args {
        match a {
            Arg::Pos(x) | Arg::Splat(x) => scan(x, d),
        }
    }
}

/// Every identifier mentioned (read or assigned) anywhere inside functions
/// nested in `e` (lambdas, local function definitions, do-blocks, macro
/// bodies that become closures).
pub fn captured_names(e: &Expr, out: &mut HashSet<Name>) {
    walk(e, &mut |x, in_fn| {
        if in_fn {
            if let ExprKind::Ident(n) = &x.kind {
                out.insert(n.clone());
            }
        }
    });
}

/// How many times `name` may be assigned in `e`: 0, 1, or 2 meaning "many"
/// (assigned twice, inside a loop, or inside a nested function).
pub fn assignment_weight(e: &Expr, name: &str) -> u32 {
    let mut count = 0u32;
    count_assign(e, name, false, &mut count);
    count
}

fn count_assign(e: &Expr, name: &str, repeated: bool, count: &mut u32) {
    use ExprKind::*;
    let bump = |count: &mut u32| *count += if repeated { 2 } else { 1 };
    let is_target = |lhs: &Expr| lhs_mentions(lhs, name);
    match &e.kind {
        Assign(lhs, _) | OpAssign(_, lhs, _) if is_target(lhs) => bump(count),
        FunctionDef(f) if matches!(&f.name, FuncName::Plain(n) if n == name) => *count += 2,
        _ => {}
    }
    let inner_repeated = repeated || matches!(&e.kind, For { .. } | While { .. });
    let fn_body = matches!(&e.kind, Lambda(_) | FunctionDef(_) | DoBlock { .. } | Macro { .. });
    children(e, &mut |c| count_assign(c, name, inner_repeated || fn_body, count));
}

fn lhs_mentions(lhs: &Expr, name: &str) -> bool {
    match &lhs.kind {
        ExprKind::Ident(n) => n == name,
        ExprKind::Tuple(items) => items.iter().any(|a| match a {
            Arg::Pos(x) | Arg::Splat(x) => lhs_mentions(x, name),
        }),
        ExprKind::TypeAssert(x, _) => lhs_mentions(x, name),
        _ => false,
    }
}

/// Walk every node; the callback learns whether the node is inside a nested function.
fn walk(e: &Expr, f: &mut dyn FnMut(&Expr, bool)) {
    fn go(e: &Expr, in_fn: bool, f: &mut dyn FnMut(&Expr, bool)) {
        f(e, in_fn);
        let nested = in_fn
            || matches!(
                &e.kind,
                ExprKind::Lambda(_)
                    | ExprKind::FunctionDef(_)
                    | ExprKind::DoBlock { .. }
                    | ExprKind::Macro { .. }
            );
        children(e, &mut |c| go(c, nested, f));
    }
    go(e, false, f)
}

fn function_children(func: &Function, f: &mut dyn FnMut(&Expr)) {
    for p in func.params.iter().chain(func.kwparams.iter()) {
        if let Some(d) = &p.default {
            f(d)
        }
        if let Some(name) = &p.name {
            // A parameter mentions its own name (so shadowing is visible to walkers).
            let _ = name;
        }
    }
    f(&func.body)
}

/// Call `f` on each direct child expression of `e`.
pub fn children(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    use ExprKind::*;
    let args = |args: &[Arg], f: &mut dyn FnMut(&Expr)| {
        for a in args {
            match a {
                Arg::Pos(x) | Arg::Splat(x) => f(x),
            }
        }
    };
    match &e.kind {
        Int(_)
        | Float(_)
        | Bool(_)
        | Char(_)
        | Str(_)
        | Symbol(_)
        | StrMacro(..)
        | Ident(_)
        | IndexEnd
        | IndexBegin
        | Colon
        | Break
        | Continue
        | Return(None)
        | Abstract { .. }
        | Using(..)
        | Import(..)
        | Quote(_)
        | MacroDef(_) => {}
        Interp(parts) => {
            for p in parts {
                if let InterpPart::Expr(x) = p {
                    f(x)
                }
            }
        }
        Field(x, _) | Interpolate(x) | Return(Some(x)) | Const(x) => f(x),
        Index(x, a) => {
            f(x);
            args(a, f)
        }
        Curly(x, ts) => {
            f(x);
            ts.iter().for_each(&mut *f)
        }
        Call { func, args: a, kwargs } => {
            f(func);
            args(a, f);
            for k in kwargs {
                match k {
                    Kwarg::Named(_, x, _) | Kwarg::Splat(x) => f(x),
                }
            }
        }
        DotCall { func, args: a } => {
            f(func);
            args(a, f)
        }
        DoBlock { call, func } => {
            f(call);
            function_children(func, f)
        }
        Macro { args: a, .. } => a.iter().for_each(f),
        Comparison(xs, _) => xs.iter().for_each(f),
        And(a, b) | Or(a, b) | TypeAssert(a, b) | Assign(a, b) | OpAssign(_, a, b) | DotAssign(a, b) => {
            f(a);
            f(b)
        }
        Tuple(a) | Vect(a) => args(a, f),
        NamedTuple(xs) => xs.iter().for_each(|(_, x)| f(x)),
        Hcat(xs) => xs.iter().for_each(f),
        Vcat(rows) => rows.iter().flatten().for_each(f),
        TypedVect(t, a) => {
            f(t);
            args(a, f)
        }
        TypedVcat(t, rows) => {
            f(t);
            rows.iter().flatten().for_each(f)
        }
        Comprehension { body, specs, cond } | Generator { body, specs, cond } => {
            for s in specs {
                f(&s.pattern);
                f(&s.iter)
            }
            f(body);
            if let Some(c) = cond {
                f(c)
            }
        }
        TypedComprehension { ty, body, specs, cond } => {
            f(ty);
            for s in specs {
                f(&s.pattern);
                f(&s.iter)
            }
            f(body);
            if let Some(c) = cond {
                f(c)
            }
        }
        Block(xs) | Global(xs) | Local(xs) => xs.iter().for_each(f),
        If { cond, then, else_ } => {
            f(cond);
            f(then);
            if let Some(x) = else_ {
                f(x)
            }
        }
        While { cond, body } => {
            f(cond);
            f(body)
        }
        For { specs, body } => {
            for s in specs {
                f(&s.pattern);
                f(&s.iter)
            }
            f(body)
        }
        Let { bindings, body } => {
            bindings.iter().for_each(&mut *f);
            f(body)
        }
        Try { body, catch, else_, finally } => {
            f(body);
            if let Some(c) = catch {
                f(&c.body)
            }
            if let Some(x) = else_ {
                f(x)
            }
            if let Some(x) = finally {
                f(x)
            }
        }
        FunctionDef(func) | Lambda(func) => function_children(func, f),
        Struct(s) => {
            for c in &s.constructors {
                function_children(c, f)
            }
        }
        Module(_, body) => f(body),
    }
}
