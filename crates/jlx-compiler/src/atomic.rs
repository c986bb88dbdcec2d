//! Lowering of Julia's per-field atomics macros (`base/expr.jl`):
//! `@atomic`, `@atomicswap`, `@atomicreplace` and `@atomiconce` become
//! calls of `Base.getproperty`/`setproperty!`/`modifyproperty!`/
//! `swapproperty!`/`replaceproperty!`/`setpropertyonce!` with the memory
//! ordering as the last argument(s) (`:sequentially_consistent` unless
//! given). The `@atomic x::T` field declaration is handled by the parser
//! (`StructDef` fields); anywhere else it is an error, as in Julia.
//!
//! Invariant: each operand is evaluated once, left to right, as in Julia's
//! expansion (object, field name, operator, operand, orderings). A form
//! Julia's macro rejects (`error(...)` at expansion) becomes code that
//! throws that `ErrorException` when it runs.

use crate::macros::ident;
use crate::{CResult, Compiler};
use jlx_base::Span;
use jlx_bytecode::Reg;
use jlx_syntax::ast::*;

/// `Base.name(args...)`, immune to user bindings of the same name (Julia's
/// macros are hygienic).
fn base_call(name: &str, args: Vec<Expr>, sp: Span) -> Expr {
    let func = Expr::new(ExprKind::Field(Box::new(ident("Base", sp)), name.to_string()), sp);
    Expr::new(
        ExprKind::Call {
            func: Box::new(func),
            args: args.into_iter().map(Arg::Pos).collect(),
            kwargs: vec![],
        },
        sp,
    )
}

fn sym(name: &str, sp: Span) -> Expr {
    Expr::new(ExprKind::Symbol(name.to_string()), sp)
}

fn seq_cst(sp: Span) -> Expr {
    sym("sequentially_consistent", sp)
}

/// `a.b.x` as (`a.b`, `:x`).
fn field_parts(e: &Expr) -> Option<(Expr, Expr)> {
    match &e.kind {
        ExprKind::Field(obj, name) => Some(((**obj).clone(), sym(name, e.span))),
        _ => None,
    }
}

impl Compiler<'_> {
    /// `@atomic`, `@atomicswap`, `@atomicreplace`, `@atomiconce`.
    pub(crate) fn atomic_macro(&mut self, name: &str, args: &[Expr], dst: Reg, sp: Span) -> CResult<()> {
        let lowered = match name {
            "atomic" => self.lower_atomic(args, sp),
            "atomicswap" => lower_atomicswap(args, sp),
            "atomicreplace" => lower_atomicreplace(args, sp),
            _ => lower_atomiconce(args, sp),
        };
        let e = lowered.unwrap_or_else(|msg| base_call("error", vec![Expr::new(ExprKind::Str(msg), sp)], sp));
        self.expr(&e, dst)
    }

    fn lower_atomic(&mut self, args: &[Expr], sp: Span) -> Result<Expr, String> {
        match args {
            [ex] if matches!(ex.kind, ExprKind::Ident(_) | ExprKind::TypeAssert(..)) => Err(
                "`@atomic x` declares an atomic field and is only allowed in the body of a `mutable struct`"
                    .to_string(),
            ),
            [ex] => self.atomic_expr(seq_cst(sp), ex, sp),
            [order, ex] => self.atomic_expr(order.clone(), ex, sp),
            [a1, op, a2] => atomic_modify(seq_cst(sp), a1, op, a2, sp),
            [order, a1, op, a2] => atomic_modify(order.clone(), a1, op, a2, sp),
            _ => Err("`@atomic` takes an optional ordering and an expression".to_string()),
        }
    }

    /// Julia's `make_atomic(order, ex)`.
    fn atomic_expr(&mut self, order: Expr, ex: &Expr, sp: Span) -> Result<Expr, String> {
        if let Some((obj, f)) = field_parts(ex) {
            return Ok(base_call("getproperty", vec![obj, f, order], sp));
        }
        match &ex.kind {
            ExprKind::Call { func, args, kwargs } if kwargs.is_empty() && args.len() == 2 => {
                if let [Arg::Pos(a), Arg::Pos(b)] = &args[..] {
                    return atomic_modify(order, a, func, b, sp);
                }
            }
            ExprKind::Assign(lhs, rhs) => {
                if let Some((obj, f)) = field_parts(lhs) {
                    return Ok(base_call("setproperty!", vec![obj, f, (**rhs).clone(), order], sp));
                }
            }
            ExprKind::OpAssign(op, lhs, rhs) => {
                let pair = atomic_modify(order, lhs, &ident(op, sp), rhs, sp)?;
                return Ok(Expr::new(ExprKind::Field(Box::new(pair), "second".to_string()), sp));
            }
            _ => {}
        }
        let text = self.text(ex.span).to_string();
        Err(format!("could not parse @atomic expression {text}"))
    }
}

/// Julia's `make_atomic(order, a1, op, a2)`: `modifyproperty!`, which
/// returns `old => new`.
fn atomic_modify(order: Expr, a1: &Expr, op: &Expr, a2: &Expr, sp: Span) -> Result<Expr, String> {
    let Some((obj, f)) = field_parts(a1) else {
        return Err("@atomic modify expression missing field access or indexing".to_string());
    };
    Ok(base_call("modifyproperty!", vec![obj, f, op.clone(), a2.clone(), order], sp))
}

fn lower_atomicswap(args: &[Expr], sp: Span) -> Result<Expr, String> {
    let (order, ex) = match args {
        [ex] => (seq_cst(sp), ex),
        [order, ex] => (order.clone(), ex),
        _ => return Err("`@atomicswap` takes an optional ordering and an assignment".to_string()),
    };
    let ExprKind::Assign(lhs, rhs) = &ex.kind else {
        return Err("@atomicswap expression missing assignment".to_string());
    };
    let Some((obj, f)) = field_parts(lhs) else {
        return Err("@atomicswap expression missing field access or indexing".to_string());
    };
    Ok(base_call("swapproperty!", vec![obj, f, (**rhs).clone(), order], sp))
}

fn lower_atomicreplace(args: &[Expr], sp: Span) -> Result<Expr, String> {
    let (success, failure, ex, old_new) = match args {
        [ex, on] => (seq_cst(sp), seq_cst(sp), ex, on),
        [order, ex, on] => (order.clone(), order.clone(), ex, on),
        [s, f, ex, on] => (s.clone(), f.clone(), ex, on),
        _ => {
            return Err("`@atomicreplace` takes optional orderings, a field and `expected => desired`".into())
        }
    };
    let Some((obj, f)) = field_parts(ex) else {
        return Err("@atomicreplace expression missing field access or indexing".to_string());
    };
    if let ExprKind::Call { func, args: pair, kwargs } = &old_new.kind {
        if matches!(&func.kind, ExprKind::Ident(n) if n == "=>") && kwargs.is_empty() {
            if let [Arg::Pos(expected), Arg::Pos(desired)] = &pair[..] {
                return Ok(base_call(
                    "replaceproperty!",
                    vec![obj, f, expected.clone(), desired.clone(), success, failure],
                    sp,
                ));
            }
        }
    }
    // `@atomicreplace a.x xchg` with `xchg` a Pair value.
    Ok(base_call("__atomicreplace_pair__", vec![obj, f, old_new.clone(), success, failure], sp))
}

fn lower_atomiconce(args: &[Expr], sp: Span) -> Result<Expr, String> {
    let (success, failure, ex) = match args {
        [ex] => (seq_cst(sp), seq_cst(sp), ex),
        [order, ex] => (order.clone(), order.clone(), ex),
        [s, f, ex] => (s.clone(), f.clone(), ex),
        _ => return Err("`@atomiconce` takes optional orderings and an assignment".to_string()),
    };
    let ExprKind::Assign(lhs, rhs) = &ex.kind else {
        return Err("@atomiconce expression missing assignment".to_string());
    };
    let Some((obj, f)) = field_parts(lhs) else {
        return Err("@atomiconce expression missing field access or indexing".to_string());
    };
    Ok(base_call("setpropertyonce!", vec![obj, f, (**rhs).clone(), success, failure], sp))
}
