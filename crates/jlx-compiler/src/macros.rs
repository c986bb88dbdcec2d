//! Lowering of the built-in macros (`@show`, `@assert`, `@time`,
//! `@elapsed`, `@async`, `@sync`, `@task`, `Threads.@spawn`, `Threads.@threads`,
//! `@info`, ...)
//! into ordinary code, mostly calls of `Base` helpers.
//!
//! Invariant: a macro's arguments are evaluated exactly as often as Julia
//! evaluates them; `$x` inside `@async`/`@spawn`/`@task` is evaluated once,
//! when the task is created.

use crate::func::{Scope, Var};
use crate::{CResult, Compiler};
use jlx_base::Span;
use jlx_bytecode::{Op, Reg};
use jlx_syntax::ast::*;

/// The hidden local that holds the task list of the innermost `@sync`.
const SYNC_VAR: &str = "#sync";

/// The hidden local that holds the lock of the innermost `@lock`.
const LOCK_VAR: &str = "#lock";

/// Every macro `macro_call` implements (without the `@`), for help and
/// completion. `spawn` and `threads` are `Threads.@spawn`/`Threads.@threads`
/// (visible unqualified only after `using Base.Threads`). A unit test checks
/// that each one compiles. `@timed`, `@printf` and `@sprintf` are lowered
/// too, but their Base helpers do not exist yet, so they are left out.
pub const MACROS: &[&str] = &[
    "show",
    "assert",
    "time",
    "elapsed",
    "inbounds",
    "inline",
    "noinline",
    "simd",
    "fastmath",
    "views",
    "nospecialize",
    "static",
    "propagate_inbounds",
    "atomic",
    "atomicswap",
    "atomicreplace",
    "atomiconce",
    "threads",
    "boundscheck",
    "__FILE__",
    "__DIR__",
    "__LINE__",
    "info",
    "warn",
    "error",
    "debug",
    "task",
    "async",
    "spawn",
    "sync",
    "lock",
];

pub(crate) fn ident(n: &str, sp: Span) -> Expr {
    Expr::new(ExprKind::Ident(n.to_string()), sp)
}

pub(crate) fn call(f: &str, args: Vec<Expr>, sp: Span) -> Expr {
    Expr::new(
        ExprKind::Call {
            func: Box::new(ident(f, sp)),
            args: args.into_iter().map(Arg::Pos).collect(),
            kwargs: vec![],
        },
        sp,
    )
}

fn str_lit(s: &str, sp: Span) -> Expr {
    Expr::new(ExprKind::Str(s.to_string()), sp)
}

fn thunk(body: Expr, sp: Span) -> Expr {
    lambda(&[], body, sp)
}

/// Replace `$x` in `e` by hidden names, collecting the interpolated expressions.
fn take_interpolations(e: &mut Expr, out: &mut Vec<(String, Expr)>) {
    if let ExprKind::Interpolate(x) = &e.kind {
        let name = format!("#interp{}", out.len());
        out.push((name.clone(), (**x).clone()));
        *e = ident(&name, e.span);
        return;
    }
    visit_mut(e, &mut |c| take_interpolations(c, out));
}

fn visit_mut(e: &mut Expr, f: &mut dyn FnMut(&mut Expr)) {
    use ExprKind::*;
    let args = |a: &mut Vec<Arg>, f: &mut dyn FnMut(&mut Expr)| {
        for x in a.iter_mut() {
            match x {
                Arg::Pos(x) | Arg::Splat(x) => f(x),
            }
        }
    };
    match &mut e.kind {
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
        Tuple(a) | Vect(a) => args(a, f),
        Index(x, a) => {
            f(x);
            args(a, f)
        }
        Field(x, _) | Return(Some(x)) => f(x),
        Block(xs) => xs.iter_mut().for_each(f),
        If { cond, then, else_ } => {
            f(cond);
            f(then);
            if let Some(x) = else_ {
                f(x)
            }
        }
        Assign(a, b) | OpAssign(_, a, b) | And(a, b) | Or(a, b) => {
            f(a);
            f(b)
        }
        Interp(parts) => {
            for p in parts {
                if let InterpPart::Expr(x) = p {
                    f(x)
                }
            }
        }
        For { specs, body } => {
            for s in specs {
                f(&mut s.iter)
            }
            f(body)
        }
        While { cond, body } => {
            f(cond);
            f(body)
        }
        Comparison(xs, _) | Hcat(xs) | Global(xs) | Local(xs) => xs.iter_mut().for_each(f),
        Vcat(rows) => rows.iter_mut().flatten().for_each(f),
        NamedTuple(items) => items.iter_mut().for_each(|(_, x)| f(x)),
        TypeAssert(x, _) | Const(x) => f(x),
        Let { bindings, body } => {
            bindings.iter_mut().for_each(&mut *f);
            f(body)
        }
        Try { body, catch, else_, finally } => {
            f(body);
            if let Some(c) = catch {
                f(&mut c.body)
            }
            for x in [else_, finally].into_iter().flatten() {
                f(x)
            }
        }
        _ => {}
    }
}

fn param(name: &str, sp: Span) -> Param {
    Param { name: Some(name.to_string()), ty: None, default: None, splat: false, destructure: None, span: sp }
}

fn lambda(params: &[&str], body: Expr, sp: Span) -> Expr {
    Expr::new(
        ExprKind::Lambda(Box::new(Function {
            name: FuncName::Anonymous,
            params: params.iter().map(|p| param(p, sp)).collect(),
            kwparams: vec![],
            ret_type: None,
            where_params: vec![],
            body: Box::new(body),
            doc: None,
            span: sp,
        })),
        sp,
    )
}

/// `Threads.@threads [schedule] for pat in itr body end`, as Julia 1.11's
/// macro: the loop runs inside tasks (`stdlib/threads.jlx`), each task on
/// its own share of the iterations, so `break`/`continue`/`return` in the
/// body act on the task's share as in Julia. With `:greedy` the closure
/// iterates a channel fed with the items:
/// `Base.__threads_greedy__(#c -> for pat in #c; body; end, itr)`;
/// otherwise it gets the iterated value and an index range (Julia's
/// `local pat = r[i]` for each `i` of the share):
/// `Base.__threads_for__((#r, #lo, #hi) -> for #k in #lo:#hi; let pat = #r[#k]; body; end; end, itr, static)`.
/// Misuse throws Julia's `ArgumentError` (at run time in jlx, where Julia
/// fails while expanding the macro).
fn threads_loop(args: &[Expr], sp: Span) -> Expr {
    let (schedule, spec, body) = match threads_parts(args) {
        Ok(parts) => parts,
        Err(msg) => return throw_argument_error(msg, sp),
    };
    let body = body.clone();
    let loop_over = |pattern: Expr, iter: Expr, body: Expr| {
        Expr::new(ExprKind::For { specs: vec![ForSpec { pattern, iter }], body: Box::new(body) }, sp)
    };
    if schedule == "greedy" {
        let f = lambda(&["#c"], loop_over(spec.pattern.clone(), ident("#c", sp), body), sp);
        return call("__threads_greedy__", vec![f, spec.iter.clone()], sp);
    }
    let item = Expr::new(ExprKind::Index(Box::new(ident("#r", sp)), vec![Arg::Pos(ident("#k", sp))]), sp);
    let bind = Expr::new(ExprKind::Assign(Box::new(spec.pattern.clone()), Box::new(item)), sp);
    let share = Expr::new(ExprKind::Let { bindings: vec![bind], body: Box::new(body) }, sp);
    let range = call(":", vec![ident("#lo", sp), ident("#hi", sp)], sp);
    let f = lambda(&["#r", "#lo", "#hi"], loop_over(ident("#k", sp), range, share), sp);
    let static_ = Expr::new(ExprKind::Bool(schedule == "static"), sp);
    call("__threads_for__", vec![f, spec.iter.clone(), static_], sp)
}

/// The schedule, the loop spec and the body of `@threads [schedule] for
/// ...`, or Julia's message when the macro cannot be expanded with `args`.
pub(crate) fn threads_parts(args: &[Expr]) -> Result<(&str, &ForSpec, &Expr), &'static str> {
    let (schedule, ex) = match args {
        [ex] => ("dynamic", ex),
        [s, ex] => match &s.kind {
            ExprKind::Symbol(n) if matches!(n.as_str(), "static" | "dynamic" | "greedy") => (n.as_str(), ex),
            _ => return Err("unsupported schedule argument in @threads"),
        },
        _ => return Err("wrong number of arguments in @threads"),
    };
    match &ex.kind {
        ExprKind::For { specs, body } => match &specs[..] {
            [spec] => Ok((schedule, spec, body)),
            _ => Err("nested outer loops are not currently supported by @threads"),
        },
        _ => Err("@threads requires a `for` loop expression"),
    }
}

/// `throw(ArgumentError(msg))`.
pub(crate) fn throw_argument_error(msg: &str, sp: Span) -> Expr {
    call("throw", vec![call("ArgumentError", vec![str_lit(msg, sp)], sp)], sp)
}

impl Compiler<'_> {
    pub(crate) fn macro_call(
        &mut self,
        path: &[Name],
        name: &str,
        args: &[Expr],
        dst: Reg,
        sp: Span,
    ) -> CResult<()> {
        if !self.macro_visible(path, name) {
            return self.throw_undef_var(&format!("@{name}"), dst, sp);
        }
        match name {
            "show" => {
                if args.is_empty() {
                    self.emit(Op::LoadNothing { dst }, sp);
                }
                for a in args {
                    let text = self.text(a.span).to_string();
                    let e = call("__show_macro__", vec![str_lit(&text, sp), a.clone()], sp);
                    self.expr(&e, dst)?;
                }
                Ok(())
            }
            "assert" => {
                let Some(cond) = args.first() else {
                    return Err(self.err(sp, "`@assert` needs a condition"));
                };
                let msg = match args.get(1) {
                    Some(m) => m.clone(),
                    None => str_lit(self.text(cond.span), sp),
                };
                let throw = call("throw", vec![call("AssertionError", vec![msg], sp)], sp);
                let e = Expr::new(
                    ExprKind::If {
                        cond: Box::new(cond.clone()),
                        then: Box::new(Expr::new(ExprKind::Ident("nothing".into()), sp)),
                        else_: Some(Box::new(throw)),
                    },
                    sp,
                );
                self.expr(&e, dst)
            }
            "time" | "elapsed" | "timed" => {
                let Some(body) = args.last() else {
                    return Err(self.err(sp, format!("`@{name}` needs an expression")));
                };
                let t0 = self.alloc();
                self.load_base("time_ns", t0, sp);
                self.emit(Op::Call { base: t0, nargs: 0 }, sp);
                let v = self.alloc();
                self.expr(body, v)?;
                let base = self.alloc();
                self.load_base(&format!("__{name}_macro__"), base, sp);
                let a = self.alloc();
                self.emit(Op::Move { dst: a, src: t0 }, sp);
                let b = self.alloc();
                self.emit(Op::Move { dst: b, src: v }, sp);
                let nargs = if args.len() > 1 {
                    let c = self.alloc();
                    self.expr(&args[0], c)?;
                    3
                } else {
                    2
                };
                self.emit(Op::Call { base, nargs }, sp);
                self.emit(Op::Move { dst, src: base }, sp);
                self.free_to(t0);
                Ok(())
            }
            "inbounds" | "inline" | "noinline" | "simd" | "fastmath" | "views" | "nospecialize"
            | "static" | "propagate_inbounds" | "boundscheck" => match args.last() {
                Some(e) => self.expr(e, dst),
                None => {
                    self.emit(Op::LoadNothing { dst }, sp);
                    Ok(())
                }
            },
            "atomic" | "atomicswap" | "atomicreplace" | "atomiconce" => {
                self.atomic_macro(name, args, dst, sp)
            }
            "__FILE__" | "__DIR__" => {
                let file = self.source_name.clone();
                let v = if name == "__DIR__" {
                    std::path::Path::new(&file).parent().map(|p| p.display().to_string()).unwrap_or_default()
                } else {
                    file
                };
                self.load_str(&v, dst, sp);
                Ok(())
            }
            "__LINE__" => {
                let line = self.src[..sp.start as usize].matches('\n').count() + 1;
                self.load_int(line as i64, dst, sp);
                Ok(())
            }
            "info" | "warn" | "error" | "debug" => {
                let level = match name {
                    "info" => "Info",
                    "warn" => "Warning",
                    "error" => "Error",
                    _ => "Debug",
                };
                let mut names = Vec::new();
                let mut vals = Vec::new();
                for a in args.iter().skip(1) {
                    match &a.kind {
                        ExprKind::Assign(l, r) => {
                            names.push(str_lit(self.text(l.span), sp));
                            vals.push((**r).clone());
                        }
                        _ => {
                            names.push(str_lit(self.text(a.span), sp));
                            vals.push(a.clone());
                        }
                    }
                }
                let msg = args.first().cloned().unwrap_or_else(|| str_lit("", sp));
                let tup =
                    |xs: Vec<Expr>| Expr::new(ExprKind::Tuple(xs.into_iter().map(Arg::Pos).collect()), sp);
                let e = call("__log__", vec![str_lit(level, sp), msg, tup(names), tup(vals)], sp);
                self.expr(&e, dst)
            }
            "threads" => {
                let e = threads_loop(args, sp);
                self.expr(&e, dst)
            }
            "task" => {
                let Some(body) = args.last() else { return Err(self.err(sp, "`@task` needs an expression")) };
                let e = self.task_thunk(body, sp);
                self.expr(&call("Task", vec![e], sp), dst)
            }
            "async" | "spawn" => {
                let Some(body) = args.last() else {
                    return Err(self.err(sp, format!("`@{name}` needs an expression")));
                };
                let pool = if name == "spawn" && args.len() > 1 { Some(args[0].clone()) } else { None };
                let thunk_e = self.task_thunk(body, sp);
                let helper = if name == "async" { "__async__" } else { "__spawn__" };
                let base = self.alloc();
                self.load_base(helper, base, sp);
                let a = self.alloc();
                // `__async__(thunk, captures..., sync, pool)`: a plain
                // thunk passes its code and captures (no closure object).
                let ncaps = match &thunk_e.kind {
                    ExprKind::Lambda(f) => self.task_thunk_args(f, a)?,
                    _ => {
                        self.expr(&thunk_e, a)?;
                        0
                    }
                };
                let b = self.alloc();
                // The innermost `@sync` whose body lexically contains this
                // macro call, also through closures and `do` blocks (Julia's
                // `@async` refers to the `@sync` block's hidden variable).
                if self.lexically_visible(SYNC_VAR) {
                    self.expr(&ident(SYNC_VAR, sp), b)?;
                } else {
                    self.emit(Op::LoadNothing { dst: b }, sp);
                }
                let c = self.alloc();
                match pool {
                    Some(p) => self.expr(&p, c)?,
                    None => {
                        self.emit(Op::LoadNothing { dst: c }, sp);
                    }
                }
                self.emit(Op::Call { base, nargs: 3 + ncaps }, sp);
                self.emit(Op::Move { dst, src: base }, sp);
                self.free_to(base);
                Ok(())
            }
            "sync" => {
                let Some(body) = args.last() else { return Err(self.err(sp, "`@sync` needs an expression")) };
                let s = self.alloc();
                self.load_base("__sync_begin__", s, sp);
                self.emit(Op::Call { base: s, nargs: 0 }, sp);
                let v = self.alloc();
                self.with_hidden(&[(SYNC_VAR.to_string(), s)], |c| c.expr(body, v))?;
                let base = self.alloc();
                self.load_base("__sync_end__", base, sp);
                let a = self.alloc();
                self.emit(Op::Move { dst: a, src: s }, sp);
                self.emit(Op::Call { base, nargs: 1 }, sp);
                self.emit(Op::Move { dst, src: v }, sp);
                self.free_to(s);
                Ok(())
            }
            "lock" => {
                if args.len() != 2 {
                    return Err(self.err(sp, "`@lock` needs a lock and an expression"));
                }
                // Julia's expansion: `temp = l; lock(temp); try expr finally
                // unlock(temp) end` (no closure, so `return` and assignments
                // in `expr` act on the enclosing function).
                let l = self.alloc();
                self.expr(&args[0], l)?;
                let v = self.alloc();
                let body = Expr::new(
                    ExprKind::Block(vec![
                        call("lock", vec![ident(LOCK_VAR, sp)], sp),
                        Expr::new(
                            ExprKind::Try {
                                body: Box::new(args[1].clone()),
                                catch: None,
                                else_: None,
                                finally: Some(Box::new(call("unlock", vec![ident(LOCK_VAR, sp)], sp))),
                            },
                            sp,
                        ),
                    ]),
                    sp,
                );
                self.with_hidden(&[(LOCK_VAR.to_string(), l)], |c| c.expr(&body, v))?;
                self.emit(Op::Move { dst, src: v }, sp);
                self.free_to(l);
                Ok(())
            }
            "printf" | "sprintf" => {
                let e = call(&format!("__{name}__"), args.to_vec(), sp);
                self.expr(&e, dst)
            }
            _ => Err(self.err(sp, format!("macro `@{name}` is not defined"))),
        }
    }

    /// `() -> body` with `$x` interpolations evaluated now (bound in a `let`).
    fn task_thunk(&mut self, body: &Expr, sp: Span) -> Expr {
        let mut body = body.clone();
        let mut interps = Vec::new();
        take_interpolations(&mut body, &mut interps);
        let lambda = thunk(body, sp);
        if interps.is_empty() {
            return lambda;
        }
        let bindings = interps
            .into_iter()
            .map(|(n, x)| Expr::new(ExprKind::Assign(Box::new(ident(&n, sp)), Box::new(x)), sp))
            .collect();
        Expr::new(ExprKind::Let { bindings, body: Box::new(lambda) }, sp)
    }

    /// Bind hidden names to registers for the duration of `f`.
    pub(crate) fn with_hidden<T>(&mut self, names: &[(String, Reg)], f: impl FnOnce(&mut Self) -> T) -> T {
        let base = self.mark();
        self.f().scopes.push(Scope { vars: vec![], global: false, soft: false, base });
        for (n, r) in names {
            let var = Var { reg: *r, boxed: false, maybe_undef: false, global: false };
            self.f().scopes.last_mut().expect("scope").vars.push((n.clone(), var));
        }
        let out = f(self);
        self.f().scopes.pop();
        out
    }
}
