//! Code generation for expressions: literals, names, calls (with operator
//! fast paths), indexing, fields, collections and assignment.
//!
//! Invariant: `expr(e, dst)` leaves the value of `e` in `dst` and frees every
//! temporary register it allocated.

use crate::{CResult, Compiler};
use jlx_base::{Span, Sym};
use jlx_bytecode::{Const as BConst, ModId, Op, Reg};
use jlx_syntax::ast::*;
use std::sync::Arc;

use crate::func::mentions;

/// Can `x = rhs` evaluate `rhs` straight into `x`'s register? Only for
/// forms that read all their operands before writing the destination
/// (not `&&`, `if`, blocks, which write the destination early).
fn direct_rhs(rhs: &Expr) -> bool {
    matches!(
        rhs.kind,
        ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Bool(_)
            | ExprKind::Char(_)
            | ExprKind::Str(_)
            | ExprKind::Call { .. }
            | ExprKind::Index(..)
            | ExprKind::Field(..)
            | ExprKind::Vect(_)
            | ExprKind::Tuple(_)
    )
}

/// Can evaluating `e` rebind the local `name`? Conservative: any
/// assignment, loop variable or function definition naming it, and any
/// macro call (whose lowering is not known here).
pub(crate) fn may_assign(e: &Expr, name: &str) -> bool {
    fn lhs_names(lhs: &Expr, name: &str) -> bool {
        match &lhs.kind {
            ExprKind::Ident(n) => n == name,
            ExprKind::Tuple(items) => items.iter().any(|a| match a {
                Arg::Pos(x) | Arg::Splat(x) => lhs_names(x, name),
            }),
            ExprKind::TypeAssert(x, _) => lhs_names(x, name),
            _ => false,
        }
    }
    let hit = match &e.kind {
        ExprKind::Assign(lhs, _) | ExprKind::OpAssign(_, lhs, _) => lhs_names(lhs, name),
        ExprKind::For { specs, .. } => specs.iter().any(|s| lhs_names(&s.pattern, name)),
        ExprKind::FunctionDef(f) => matches!(&f.name, FuncName::Plain(n) if n == name),
        ExprKind::Macro { .. } => true,
        _ => false,
    };
    if hit {
        return true;
    }
    let mut found = false;
    crate::scope::children(e, &mut |c| {
        if !found && may_assign(c, name) {
            found = true;
        }
    });
    found
}

/// A negative integer literal (the parser folds `-1` into one).
fn is_negative_int_literal(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Int(i) if i < 0)
}

/// Binary operators with a dedicated opcode.
fn binop(name: &str, dst: Reg, a: Reg, b: Reg) -> Option<Op> {
    Some(match name {
        "+" => Op::Add { dst, a, b },
        "-" => Op::Sub { dst, a, b },
        "*" => Op::Mul { dst, a, b },
        "/" => Op::Div { dst, a, b },
        "%" | "rem" => Op::Rem { dst, a, b },
        "÷" | "div" => Op::IntDiv { dst, a, b },
        "^" => Op::Pow { dst, a, b },
        "<" => Op::Lt { dst, a, b },
        "<=" | "≤" => Op::Le { dst, a, b },
        ">" => Op::Lt { dst, a: b, b: a },
        ">=" | "≥" => Op::Le { dst, a: b, b: a },
        "==" => Op::Eq { dst, a, b },
        "!=" | "≠" => Op::Ne { dst, a, b },
        "===" | "≡" => Op::Is { dst, a, b },
        "&" => Op::BitAnd { dst, a, b },
        "|" => Op::BitOr { dst, a, b },
        "⊻" | "xor" => Op::BitXor { dst, a, b },
        "<<" => Op::Shl { dst, a, b },
        ">>" => Op::Shr { dst, a, b },
        ">>>" => Op::UShr { dst, a, b },
        _ => return None,
    })
}

/// The constant-operand form of binary operator `name` (`kleft`: the
/// constant is the left operand); `a` is the register operand.
fn binop_k(name: &str, dst: Reg, a: Reg, k: u16, kleft: bool) -> Option<Op> {
    Some(match (name, kleft) {
        ("+", false) => Op::AddK { dst, a, k },
        ("-", false) => Op::SubK { dst, a, k },
        ("*", false) => Op::MulK { dst, a, k },
        ("/", false) => Op::DivK { dst, a, k },
        ("+", true) => Op::KAdd { dst, a, k },
        ("-", true) => Op::KSub { dst, a, k },
        ("*", true) => Op::KMul { dst, a, k },
        ("/", true) => Op::KDiv { dst, a, k },
        ("%" | "rem", false) => Op::RemK { dst, a, k },
        ("==", false) => Op::EqK { dst, a, k },
        ("!=" | "≠", false) => Op::NeK { dst, a, k },
        // `R < K`, `K > R`  ==  `<(R, K)`
        ("<", false) | (">", true) => Op::LtK { dst, a, k },
        ("<=" | "≤", false) | (">=" | "≥", true) => Op::LeK { dst, a, k },
        // `K < R`, `R > K`  ==  `<(K, R)`
        ("<", true) | (">", false) => Op::GtK { dst, a, k },
        ("<=" | "≤", true) | (">=" | "≥", false) => Op::GeK { dst, a, k },
        _ => return None,
    })
}

impl Compiler<'_> {
    /// The constant index of an Int or Float literal, if it fits an operand.
    fn num_const(&mut self, e: &Expr) -> Option<u16> {
        let c = match e.kind {
            ExprKind::Int(i) => BConst::Int(i),
            ExprKind::Float(x) => BConst::Float(x),
            _ => return None,
        };
        u16::try_from(self.konst(c)).ok()
    }

    pub(crate) fn expr(&mut self, e: &Expr, dst: Reg) -> CResult<()> {
        use ExprKind::*;
        let sp = e.span;
        match &e.kind {
            Int(i) => self.load_int(*i, dst, sp),
            Float(x) => {
                let k = self.konst(BConst::Float(*x));
                self.emit(Op::LoadConst { dst, k }, sp);
            }
            Bool(b) => {
                self.emit(Op::LoadBool { dst, val: *b }, sp);
            }
            Char(c) => {
                let k = self.konst(BConst::Char(*c));
                self.emit(Op::LoadConst { dst, k }, sp);
            }
            Str(s) => self.load_str(s, dst, sp),
            Symbol(n) => {
                let k = self.konst(BConst::Sym(Sym::new(n)));
                self.emit(Op::LoadConst { dst, k }, sp);
            }
            StrMacro(name, text) => match name.as_str() {
                "raw" => self.load_str(text, dst, sp),
                "r" => {
                    let args = [Arg::Pos(Expr::new(Str(text.clone()), sp))];
                    self.call_base("Regex", &args, dst, sp)?;
                }
                _ => return Err(self.err(sp, format!("string macro `{name}\"...\"` is not supported"))),
            },
            Interp(parts) => {
                let args: Vec<Arg> = parts
                    .iter()
                    .map(|p| match p {
                        InterpPart::Lit(s) => Arg::Pos(Expr::new(Str(s.clone()), sp)),
                        InterpPart::Expr(x) => Arg::Pos(x.clone()),
                    })
                    .collect();
                self.call_base("string", &args, dst, sp)?;
            }
            Ident(n) => {
                if n == "nothing" && self.is_base_name(n) {
                    self.emit(Op::LoadNothing { dst }, sp);
                } else {
                    self.load_name(n, dst, sp);
                }
            }
            Field(obj, name) => {
                if let Some(m) = self.module_path(obj) {
                    let g = self.globals.intern(m, Sym::new(name));
                    self.emit(Op::GetGlobal { dst, g: g.0 }, sp);
                } else {
                    let mark = self.mark();
                    let r = self.operand(obj)?;
                    let k = self.sym_const(name);
                    self.emit(Op::GetField { dst, obj: r, name: k }, sp);
                    self.free_to(mark);
                }
            }
            Index(obj, args) => self.index(obj, args, dst, sp)?,
            IndexEnd | IndexBegin => {
                let Some(&(r, n, pos)) = self.fr().index_ctx.last() else {
                    let w = if matches!(e.kind, IndexEnd) { "end" } else { "begin" };
                    return Err(self.err(sp, format!("`{w}` used outside of indexing brackets")));
                };
                let fname = if matches!(e.kind, IndexEnd) { "lastindex" } else { "firstindex" };
                let base = self.call_start(dst);
                self.load_base(fname, base, sp);
                let a1 = self.alloc();
                self.emit(Op::Move { dst: a1, src: r }, sp);
                let mut nargs = 1;
                if n > 1 {
                    let p = self.alloc();
                    self.load_int(pos as i64 + 1, p, sp);
                    nargs = 2;
                }
                self.call_finish(base, nargs, dst, sp);
            }
            Curly(base, params) => {
                let mut args = vec![Arg::Pos((**base).clone())];
                args.extend(params.iter().map(|p| Arg::Pos(p.clone())));
                self.call_base("__curly__", &args, dst, sp)?;
            }
            Colon => self.load_base("__colon__", dst, sp),
            Call { func, args, kwargs } => self.call(func, args, kwargs, dst, sp)?,
            DotCall { func, args } => {
                let mut all = vec![Arg::Pos((**func).clone())];
                all.extend(args.iter().cloned());
                self.call_base("broadcast", &all, dst, sp)?;
            }
            DoBlock { call, func } => {
                let lambda = Expr::new(Lambda(func.clone()), func.span);
                match &call.kind {
                    Call { func: f, args, kwargs } => {
                        let mut all = vec![Arg::Pos(lambda)];
                        all.extend(args.iter().cloned());
                        self.call(f, &all, kwargs, dst, sp)?;
                    }
                    Macro { .. } => {
                        return Err(self.err(sp, "`do` block after a macro call is not supported"))
                    }
                    _ => {
                        let args = vec![Arg::Pos(lambda)];
                        self.call(call, &args, &[], dst, sp)?;
                    }
                }
            }
            Macro { path, name, args } => self.macro_call(path, name, args, dst, sp)?,
            Interpolate(_) => {
                return Err(self.err(sp, "`$` interpolation is only valid inside a macro call or string"))
            }
            Comparison(xs, ops) => self.comparison(xs, ops, dst, sp)?,
            And(a, b) => {
                self.expr(a, dst)?;
                let j = self.emit(Op::JmpIfNot { cond: dst, off: 0 }, sp);
                self.expr(b, dst)?;
                self.patch(j);
            }
            Or(a, b) => {
                self.expr(a, dst)?;
                let j = self.emit(Op::JmpIf { cond: dst, off: 0 }, sp);
                self.expr(b, dst)?;
                self.patch(j);
            }
            TypeAssert(x, t) => {
                let args = [Arg::Pos((**x).clone()), Arg::Pos((**t).clone())];
                self.call_base("typeassert", &args, dst, sp)?;
            }
            Tuple(args) => self.literal(args, "tuple", |dst, base, n| Op::Tuple { dst, base, n }, dst, sp)?,
            NamedTuple(fields) => self.named_tuple(fields, dst, sp)?,
            Vect(args) => self.literal(args, "vect", |dst, base, n| Op::Vect { dst, base, n }, dst, sp)?,
            Hcat(xs) => {
                let args: Vec<Arg> = xs.iter().cloned().map(Arg::Pos).collect();
                self.call_base("hcat", &args, dst, sp)?;
            }
            Vcat(rows) => self.vcat(None, rows, dst, sp)?,
            TypedVect(t, args) => {
                let mut all = vec![Arg::Pos((**t).clone())];
                all.extend(args.iter().cloned());
                self.call_base("__typed_vect__", &all, dst, sp)?;
            }
            TypedVcat(t, rows) => self.vcat(Some(t), rows, dst, sp)?,
            Comprehension { body, specs, cond } | Generator { body, specs, cond } => {
                self.comprehension(None, body, specs, cond.as_deref(), dst, sp)?
            }
            TypedComprehension { ty, body, specs, cond } => {
                self.comprehension(Some(ty), body, specs, cond.as_deref(), dst, sp)?
            }
            Assign(lhs, rhs) => self.assign(lhs, rhs, dst, sp)?,
            OpAssign(op, lhs, rhs) => self.op_assign(op, lhs, rhs, dst, sp)?,
            DotAssign(lhs, rhs) => {
                let args = [Arg::Pos((**lhs).clone()), Arg::Pos((**rhs).clone())];
                self.call_base("__dotassign__", &args, dst, sp)?;
            }
            Block(xs) => self.block(xs, dst, sp)?,
            If { cond, then, else_ } => self.if_expr(cond, then, else_.as_deref(), dst, sp)?,
            While { cond, body } => {
                self.while_loop(cond, body, sp)?;
                self.emit(Op::LoadNothing { dst }, sp);
            }
            For { specs, body } => {
                self.for_loop(specs, body, sp)?;
                self.emit(Op::LoadNothing { dst }, sp);
            }
            Let { bindings, body } => self.let_block(bindings, body, dst, sp)?,
            Try { body, catch, else_, finally } => {
                self.try_block(body, catch.as_ref(), else_.as_deref(), finally.as_deref(), dst, sp)?
            }
            Return(x) => self.return_stmt(x.as_deref(), sp)?,
            Break => self.break_stmt(sp)?,
            Continue => self.continue_stmt(sp)?,
            Global(xs) | Local(xs) => {
                self.emit(Op::LoadNothing { dst }, sp);
                for x in xs {
                    match &x.kind {
                        Assign(..) | OpAssign(..) | FunctionDef(_) => self.expr(x, dst)?,
                        TypeAssert(inner, _) if matches!(inner.kind, Assign(..)) => self.expr(inner, dst)?,
                        _ => {}
                    }
                }
            }
            Const(x) => match &x.kind {
                Assign(lhs, rhs) => match &lhs.kind {
                    Ident(n) if self.in_global_scope() => {
                        self.expr(rhs, dst)?;
                        let g = self.global_for_write(n);
                        self.toplevel_assigned.insert(n.clone());
                        self.emit(Op::SetConstGlobal { g: g.0, src: dst }, sp);
                    }
                    _ => self.expr(x, dst)?,
                },
                _ => self.expr(x, dst)?,
            },
            FunctionDef(f) => self.function_def(f, dst)?,
            Lambda(f) => self.lambda(f, dst)?,
            Struct(s) => self.struct_def(s, dst, sp)?,
            Abstract { name, supertype, doc, .. } => {
                self.abstract_def(name, supertype.as_deref(), doc.as_deref(), dst, sp)?
            }
            MacroDef(_) => return Err(self.err(sp, "defining macros is not supported by jlx yet")),
            Module(..) => return Err(self.err(sp, "`module` is not supported by jlx yet")),
            Using(path, names) => self.using_stmt(false, path, names, dst, sp)?,
            Import(path, names) => self.using_stmt(true, path, names, dst, sp)?,
            Quote(_) => {
                return Err(self.err(sp, "quoted expressions (`quote`/`:(...)`) are not supported by jlx yet"))
            }
        }
        Ok(())
    }

    /// `(a, b)` / `[a, b]`: elements in consecutive registers and one op,
    /// or the Base function `fallback` when an element is splatted.
    fn literal(
        &mut self,
        args: &[Arg],
        fallback: &str,
        op: fn(Reg, Reg, u16) -> Op,
        dst: Reg,
        sp: Span,
    ) -> CResult<()> {
        if args.iter().any(|a| matches!(a, Arg::Splat(_))) {
            return self.call_base(fallback, args, dst, sp);
        }
        let base = self.alloc_n(args.len() as u16);
        for (i, a) in args.iter().enumerate() {
            if let Arg::Pos(x) = a {
                self.expr(x, base + i as u16)?;
            }
        }
        self.emit(op(dst, base, args.len() as u16), sp);
        self.free_to(base);
        Ok(())
    }

    pub(crate) fn load_int(&mut self, i: i64, dst: Reg, sp: Span) {
        if let Ok(v) = i32::try_from(i) {
            self.emit(Op::LoadInt { dst, val: v }, sp);
        } else {
            let k = self.konst(BConst::Int(i));
            self.emit(Op::LoadConst { dst, k }, sp);
        }
    }

    /// Load the id of global `g` as an `Int` (for the definition helpers).
    pub(crate) fn load_global_id(&mut self, g: u32, dst: Reg, sp: Span) {
        let k = self.konst(BConst::GlobalId(g));
        self.emit(Op::LoadConst { dst, k }, sp);
    }

    pub(crate) fn load_str(&mut self, s: &str, dst: Reg, sp: Span) {
        let k = self.konst(BConst::Str(Arc::from(s)));
        self.emit(Op::LoadConst { dst, k }, sp);
    }

    /// A register holding the value of `e`: a local's own register when `e`
    /// is a plain local, else a fresh temporary.
    pub(crate) fn operand(&mut self, e: &Expr) -> CResult<Reg> {
        self.operand_before(e, &[])
    }

    /// Like [`operand`](Self::operand) for a value that is read only after
    /// `later` have been evaluated: a local that one of them may assign is
    /// copied first (`i + (i = 2)` adds the old `i`, as Julia).
    pub(crate) fn operand_before(&mut self, e: &Expr, later: &[&Expr]) -> CResult<Reg> {
        if let ExprKind::Ident(n) = &e.kind {
            if let Some(v) = self.fr().lookup_local(n) {
                if !v.boxed && !v.global && !later.iter().any(|x| may_assign(x, n)) {
                    if v.maybe_undef {
                        let k = self.sym_const(n);
                        self.emit(Op::CheckDefined { reg: v.reg, name: k }, e.span);
                    }
                    return Ok(v.reg);
                }
            }
        }
        let r = self.alloc();
        self.expr(e, r)?;
        Ok(r)
    }

    /// If `e` names a module (`Base`, `Threads`, `Base.Threads`, ...) that is not shadowed.
    pub(crate) fn module_path(&mut self, e: &Expr) -> Option<ModId> {
        match &e.kind {
            ExprKind::Ident(n) => {
                if self.is_lexically_local(n) {
                    return None;
                }
                let m = ModId::by_name(n)?;
                if self.toplevel_assigned.contains(n.as_str()) {
                    return None;
                }
                Some(m)
            }
            ExprKind::Field(inner, n) => {
                let outer = self.module_path(inner)?;
                if outer == ModId::BASE || outer == ModId::MAIN {
                    ModId::by_name(n)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    pub(crate) fn block(&mut self, xs: &[Expr], dst: Reg, sp: Span) -> CResult<()> {
        if xs.is_empty() {
            self.emit(Op::LoadNothing { dst }, sp);
        }
        // The statements of the program itself: each is macro-expanded as a
        // whole before it runs, so a macro that cannot be expanded there
        // makes the statement throw (see `modules.rs`).
        let program = std::mem::take(&mut self.program_level);
        for (i, x) in xs.iter().enumerate() {
            let failed = if program { self.expansion_error(x, x.span) } else { None };
            let r = if let Some(t) = failed {
                self.expr(&t, dst)
            } else if i + 1 < xs.len() {
                self.stmt(x, dst)
            } else {
                self.expr(x, dst)
            };
            if let Err(d) = r {
                if self.funcs.len() == 1 && self.in_global_scope() {
                    // Keep going at top level so every error in the file is reported.
                    self.errors.push(d);
                } else {
                    return Err(d);
                }
            }
        }
        Ok(())
    }

    /// Compile `e` for its effect only (`scratch` may be clobbered).
    /// Assignments to plain locals then write straight into the local's
    /// register instead of going through a temporary.
    pub(crate) fn stmt(&mut self, e: &Expr, scratch: Reg) -> CResult<()> {
        match &e.kind {
            ExprKind::Assign(lhs, rhs) => {
                if let ExprKind::Ident(n) = &lhs.kind {
                    if direct_rhs(rhs) {
                        if let Some(v) = self.plain_local(n) {
                            return self.expr_into_local(rhs, v.reg);
                        }
                    }
                }
                if let (ExprKind::Tuple(targets), ExprKind::Tuple(vals)) = (&lhs.kind, &rhs.kind) {
                    fn pos(xs: &[Arg]) -> Option<Vec<&Expr>> {
                        xs.iter()
                            .map(|a| match a {
                                Arg::Pos(x) => Some(x),
                                Arg::Splat(_) => None,
                            })
                            .collect()
                    }
                    if let (Some(ts), Some(vs)) = (pos(targets), pos(vals)) {
                        if ts.len() == vs.len() {
                            return self.parallel_assign(&ts, &vs, e.span);
                        }
                    }
                }
                self.expr(e, scratch)
            }
            ExprKind::While { cond, body } => self.while_loop(cond, body, e.span),
            ExprKind::For { specs, body } => self.for_loop(specs, body, e.span),
            ExprKind::OpAssign(op, lhs, rhs) if matches!(lhs.kind, ExprKind::Ident(_)) => {
                let v = Expr::new(
                    ExprKind::Call {
                        func: Box::new(Expr::new(ExprKind::Ident(op.clone()), e.span)),
                        args: vec![Arg::Pos((**lhs).clone()), Arg::Pos((**rhs).clone())],
                        kwargs: vec![],
                    },
                    e.span,
                );
                let a = Expr::new(ExprKind::Assign(lhs.clone(), Box::new(v)), e.span);
                self.stmt(&a, scratch)
            }
            ExprKind::Block(xs) => {
                for x in xs {
                    self.stmt(x, scratch)?;
                }
                Ok(())
            }
            // `c && break` / `c || continue` as statements: one conditional jump.
            ExprKind::And(c, x) | ExprKind::Or(c, x) if self.plain_loop_exit(x).is_some() => {
                let brk = self.plain_loop_exit(x) == Some(true);
                let js = if matches!(e.kind, ExprKind::And(..)) {
                    self.jump_if_true(c)?
                } else {
                    self.jump_if_false(c)?
                };
                let lp = self.f().loops.last_mut().expect("loop");
                if brk {
                    lp.breaks.extend(js);
                } else {
                    lp.continues.extend(js);
                }
                Ok(())
            }
            ExprKind::If { cond, then, else_: None } if self.plain_loop_exit(then).is_some() => {
                // `if c; break; end`: one conditional jump to the loop's exit (or next step).
                let brk = self.plain_loop_exit(then) == Some(true);
                let js = self.jump_if_true(cond)?;
                let lp = self.f().loops.last_mut().expect("loop");
                if brk {
                    lp.breaks.extend(js);
                } else {
                    lp.continues.extend(js);
                }
                Ok(())
            }
            ExprKind::If { cond, then, else_ } => {
                let js = self.jump_if_false(cond)?;
                self.stmt(then, scratch)?;
                match else_ {
                    Some(x) => {
                        let end = self.emit(Op::Jmp { off: 0 }, e.span);
                        for j in js {
                            self.patch(j);
                        }
                        self.stmt(x, scratch)?;
                        self.patch(end);
                    }
                    None => {
                        for j in js {
                            self.patch(j);
                        }
                    }
                }
                Ok(())
            }
            _ => {
                if scratch + 1 == self.mark() {
                    return self.expr(e, scratch);
                }
                // A fresh top register lets a call use it as its base (no result move).
                let t = self.alloc();
                let r = self.expr(e, t);
                self.free_to(t);
                r
            }
        }
    }

    /// The variable `name` if it is an unboxed local of this function (and
    /// not the global scope's name).
    pub(crate) fn plain_local(&self, name: &str) -> Option<crate::func::Var> {
        if self.in_global_scope() {
            return None;
        }
        self.fr().lookup_local(name).filter(|v| !v.boxed && !v.global)
    }

    /// Evaluate `rhs` (a [`direct_rhs`] form) straight into the local register `reg`.
    fn expr_into_local(&mut self, rhs: &Expr, reg: Reg) -> CResult<()> {
        if reg + 1 == self.mark() {
            // A call would take the top register as its base and clobber the
            // local before reading its arguments; keep it below the base.
            let pad = self.alloc();
            let r = self.expr(rhs, reg);
            self.free_to(pad);
            return r;
        }
        self.expr(rhs, reg)
    }

    /// `a, b = x, y` as a statement: every right-hand side is evaluated
    /// before any target is assigned, without building the tuple. An element
    /// goes straight into its target when no one can tell the difference:
    /// the target is a plain local that no later element and no other
    /// target mentions and, inside a `try` (where a handler could look at
    /// the local after an error), no later element can throw and every
    /// earlier target is a local (its assignment cannot throw). With no
    /// handler active in this function an error ends the frame, so an early
    /// write to one of its unboxed locals cannot be seen.
    fn parallel_assign(&mut self, targets: &[&Expr], vals: &[&Expr], sp: Span) -> CResult<()> {
        let mark = self.mark();
        let n = vals.len();
        let guarded = !self.fr().handlers.is_empty();
        let is_local_target = |c: &Self, t: &Expr| match &t.kind {
            ExprKind::Ident(name) => {
                !c.in_global_scope() && c.fr().lookup_local(name).is_some_and(|v| !v.global)
            }
            _ => false,
        };
        let cannot_throw = |c: &Self, x: &Expr| match &x.kind {
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Bool(_)
            | ExprKind::Char(_)
            | ExprKind::Str(_)
            | ExprKind::Symbol(_) => true,
            ExprKind::Ident(name) => c.plain_local(name).is_some_and(|v| !v.maybe_undef),
            _ => false,
        };
        let mut direct: Vec<Option<Reg>> = vec![None; n];
        for k in 0..n {
            let ExprKind::Ident(name) = &targets[k].kind else { continue };
            let Some(v) = self.plain_local(name) else { continue };
            let ok = (direct_rhs(vals[k]) || matches!(vals[k].kind, ExprKind::Ident(_)))
                && !vals[k + 1..].iter().any(|x| mentions(x, name) || guarded && !cannot_throw(self, x))
                && !targets.iter().enumerate().any(|(j, t)| j != k && mentions(t, name))
                && (!guarded || targets[..k].iter().all(|t| is_local_target(self, t)));
            if ok {
                direct[k] = Some(v.reg);
            }
        }
        let mut temps: Vec<Reg> = vec![0; n];
        for k in 0..n {
            match direct[k] {
                Some(reg) => self.expr_into_local(vals[k], reg)?,
                None => {
                    let t = self.alloc();
                    self.expr(vals[k], t)?;
                    temps[k] = t;
                }
            }
        }
        for k in 0..n {
            if direct[k].is_none() {
                self.assign_from_reg(targets[k], temps[k], sp)?;
            }
        }
        self.free_to(mark);
        Ok(())
    }

    // ---------- calls ----------

    /// Choose the base register for a call whose result goes to `dst`.
    pub(crate) fn call_start(&mut self, dst: Reg) -> Reg {
        if dst + 1 == self.mark() {
            dst
        } else {
            self.alloc()
        }
    }

    pub(crate) fn call_finish(&mut self, base: Reg, nargs: u16, dst: Reg, sp: Span) {
        self.emit(Op::Call { base, nargs }, sp);
        if base != dst {
            self.emit(Op::Move { dst, src: base }, sp);
        }
        self.free_to(if base == dst { dst + 1 } else { base });
    }

    /// Call a Base function with AST arguments.
    pub(crate) fn call_base(&mut self, name: &str, args: &[Arg], dst: Reg, sp: Span) -> CResult<()> {
        let g = self.base_global(name);
        let (m, s) = self.globals.name_of(g);
        let _ = (m, s);
        self.call_with(
            |c, r| {
                c.emit(Op::GetGlobal { dst: r, g: g.0 }, sp);
                Ok(())
            },
            args,
            &[],
            dst,
            sp,
        )
    }

    pub(crate) fn call(
        &mut self,
        func: &Expr,
        args: &[Arg],
        kwargs: &[Kwarg],
        dst: Reg,
        sp: Span,
    ) -> CResult<()> {
        if let ExprKind::Ident(name) = &func.kind {
            if kwargs.is_empty() && args.iter().all(|a| matches!(a, Arg::Pos(_))) {
                if let Some(done) = self.builtin_call(name, args, dst, sp)? {
                    return Ok(done);
                }
            }
        }
        self.call_with(|c, r| c.expr(func, r), args, kwargs, dst, sp)
    }

    /// Operator fast paths and special forms (`rethrow()`, `new(...)`).
    fn builtin_call(&mut self, name: &str, args: &[Arg], dst: Reg, sp: Span) -> CResult<Option<()>> {
        let pos: Vec<&Expr> = args
            .iter()
            .map(|a| match a {
                Arg::Pos(x) => x,
                Arg::Splat(x) => x,
            })
            .collect();
        if name == "new" && self.fr().struct_name.is_some() && !self.is_lexically_local("new") {
            let sname = self.fr().struct_name.clone().unwrap_or_default();
            let mut all = vec![Arg::Pos(Expr::new(ExprKind::Ident(sname), sp))];
            all.extend(args.iter().cloned());
            self.call_base("__new__", &all, dst, sp)?;
            return Ok(Some(()));
        }
        if name == "<:" && pos.len() == 1 && !self.is_lexically_local(name) {
            // `Vector{<:Number}`: an anonymous bounded type variable.
            let args = [Arg::Pos(Expr::new(ExprKind::Symbol("#T".into()), sp)), Arg::Pos(pos[0].clone())];
            self.call_base("__typevar__", &args, dst, sp)?;
            return Ok(Some(()));
        }
        if name == "rethrow" && pos.len() <= 1 && self.is_base_name(name) {
            if let Some(&r) = self.fr().catch_regs.last() {
                // `rethrow(e)` replaces the caught exception (Julia's
                // `jl_rethrow_other`): same backtrace, no new stack entry.
                let src = match pos.first() {
                    Some(x) => {
                        self.expr(x, dst)?;
                        dst
                    }
                    None => r,
                };
                self.emit(Op::Rethrow { src }, sp);
                return Ok(Some(()));
            }
        }
        if !self.is_base_name(name) {
            return Ok(None);
        }
        // Julia lowers `x^p` for a literal integer `p` to
        // `Base.literal_pow(^, x, Val(p))`, which differs from `x^p` for a
        // negative `p` (`2^-1 == 0.5`, where `n = -1; 2^n` throws).
        if name == "^" && pos.len() == 2 && is_negative_int_literal(pos[1]) {
            self.call_base("__literal_pow__", args, dst, sp)?;
            return Ok(Some(()));
        }
        match pos.len() {
            2 => {
                if let Some(_op) = binop(name, 0, 0, 0) {
                    let mark = self.mark();
                    let kleft = binop_k(name, dst, 0, 0, true).and_then(|_| self.num_const(pos[0]));
                    if let Some(k) = kleft {
                        if let Some(op) = binop_k(name, dst, 0, k, true) {
                            // A constant has no effects: evaluating it after the other operand is unobservable.
                            let b = self.operand(pos[1])?;
                            let op = match op {
                                Op::KAdd { dst, k, .. } => Op::KAdd { dst, a: b, k },
                                Op::KSub { dst, k, .. } => Op::KSub { dst, a: b, k },
                                Op::KMul { dst, k, .. } => Op::KMul { dst, a: b, k },
                                Op::KDiv { dst, k, .. } => Op::KDiv { dst, a: b, k },
                                Op::LtK { dst, k, .. } => Op::LtK { dst, a: b, k },
                                Op::LeK { dst, k, .. } => Op::LeK { dst, a: b, k },
                                Op::GtK { dst, k, .. } => Op::GtK { dst, a: b, k },
                                Op::GeK { dst, k, .. } => Op::GeK { dst, a: b, k },
                                other => other,
                            };
                            self.emit(op, sp);
                            self.free_to(mark);
                            return Ok(Some(()));
                        }
                    }
                    let a = self.operand_before(pos[0], &pos[1..])?;
                    if name == "+" || name == "-" {
                        if let ExprKind::Int(i) = pos[1].kind {
                            let imm = if name == "+" { i } else { i.wrapping_neg() };
                            if let Ok(imm) = i16::try_from(imm) {
                                self.emit(Op::AddImm { dst, a, imm }, sp);
                                self.free_to(mark);
                                return Ok(Some(()));
                            }
                        }
                    }
                    let kright = binop_k(name, dst, 0, 0, false).and_then(|_| self.num_const(pos[1]));
                    if let Some(k) = kright {
                        if let Some(op) = binop_k(name, dst, a, k, false) {
                            self.emit(op, sp);
                            self.free_to(mark);
                            return Ok(Some(()));
                        }
                    }
                    let b = self.operand(pos[1])?;
                    let op = binop(name, dst, a, b).expect("binop");
                    self.emit(op, sp);
                    self.free_to(mark);
                    return Ok(Some(()));
                }
                if name == "!==" || name == "≢" {
                    let mark = self.mark();
                    let a = self.operand_before(pos[0], &pos[1..])?;
                    let b = self.operand(pos[1])?;
                    self.emit(Op::Is { dst, a, b }, sp);
                    self.emit(Op::Not { dst, src: dst }, sp);
                    self.free_to(mark);
                    return Ok(Some(()));
                }
            }
            1 => {
                let mark = self.mark();
                match name {
                    "-" => {
                        if let ExprKind::Int(i) = pos[0].kind {
                            self.load_int(i.wrapping_neg(), dst, sp);
                            return Ok(Some(()));
                        }
                        let a = self.operand(pos[0])?;
                        self.emit(Op::Neg { dst, src: a }, sp);
                    }
                    "!" => {
                        let a = self.operand(pos[0])?;
                        self.emit(Op::Not { dst, src: a }, sp);
                    }
                    "+" => {
                        self.free_to(mark);
                        return Ok(None);
                    }
                    _ => return Ok(None),
                }
                self.free_to(mark);
                return Ok(Some(()));
            }
            n if n > 2 && (name == "+" || name == "*") => {
                // `a + b + c` parsed n-ary: fold left.
                self.expr(pos[0], dst)?;
                for x in &pos[1..] {
                    let mark = self.mark();
                    let b = self.operand(x)?;
                    let op = binop(name, dst, dst, b).expect("binop");
                    self.emit(op, sp);
                    self.free_to(mark);
                }
                return Ok(Some(()));
            }
            _ => {}
        }
        Ok(None)
    }

    /// The general call: `load_func` puts the callee in its register.
    pub(crate) fn call_with(
        &mut self,
        load_func: impl FnOnce(&mut Self, Reg) -> CResult<()>,
        args: &[Arg],
        kwargs: &[Kwarg],
        dst: Reg,
        sp: Span,
    ) -> CResult<()> {
        let base = self.call_start(dst);
        let start = self.here();
        load_func(self, base)?;
        let splat = args.iter().any(|a| matches!(a, Arg::Splat(_)))
            || kwargs.iter().any(|k| matches!(k, Kwarg::Splat(_)));
        // A callee that is a global alone (`f(x)`) is read by the call
        // itself: `CallGlobal` (positional arguments only).
        let global = match self.fr().code.last() {
            Some(&Op::GetGlobal { dst: r, g })
                if r == base && self.here() == start + 1 && kwargs.is_empty() && !splat =>
            {
                u16::try_from(g).ok().map(|g| (g, args.len() as u16))
            }
            _ => None,
        };
        if global.is_some() {
            self.unemit_last();
        }
        if splat {
            // R[base+1] = tuple of positional args, R[base+2] = keywords.
            let tup = self.alloc();
            self.emit(Op::Tuple { dst: tup, base: tup, n: 0 }, sp);
            let t = self.alloc();
            for a in args {
                match a {
                    Arg::Pos(x) => {
                        self.expr(x, t)?;
                        self.emit(Op::Push { dst: tup, src: t }, sp);
                    }
                    Arg::Splat(x) => {
                        self.expr(x, t)?;
                        self.emit(Op::Splat { dst: tup, src: t }, sp);
                    }
                }
            }
            self.kwargs_value(kwargs, t, sp)?;
            self.emit(Op::CallSplat { base }, sp);
        } else {
            for a in args {
                if let Arg::Pos(x) = a {
                    let r = self.alloc();
                    self.expr(x, r)?;
                }
            }
            let nargs = args.len() as u16;
            if let Some((g, nargs)) = global {
                self.emit(Op::CallGlobal { base, nargs, g }, sp);
            } else if kwargs.is_empty() {
                self.emit(Op::Call { base, nargs }, sp);
            } else {
                let r = self.alloc();
                self.kwargs_value(kwargs, r, sp)?;
                self.emit(Op::CallKw { base, nargs }, sp);
            }
        }
        if base != dst {
            self.emit(Op::Move { dst, src: base }, sp);
            self.free_to(base);
        } else {
            self.free_to(dst + 1);
        }
        Ok(())
    }

    /// Keyword arguments as one NamedTuple value (or `nothing`) in `dst`.
    fn kwargs_value(&mut self, kwargs: &[Kwarg], dst: Reg, sp: Span) -> CResult<()> {
        if kwargs.is_empty() {
            self.emit(Op::LoadNothing { dst }, sp);
            return Ok(());
        }
        // Named ones first into a NamedTuple, then merge splats in order.
        let mut named: Vec<(Name, Expr)> = Vec::new();
        let mut parts: Vec<Expr> = Vec::new();
        for k in kwargs {
            match k {
                Kwarg::Named(n, x, _) => named.push((n.clone(), x.clone())),
                Kwarg::Splat(x) => {
                    if !named.is_empty() {
                        parts.push(Expr::new(ExprKind::NamedTuple(std::mem::take(&mut named)), sp));
                    }
                    parts.push(x.clone());
                }
            }
        }
        if parts.is_empty() {
            return self.named_tuple(&named, dst, sp);
        }
        if !named.is_empty() {
            parts.push(Expr::new(ExprKind::NamedTuple(named), sp));
        }
        let args: Vec<Arg> = parts.into_iter().map(Arg::Pos).collect();
        self.call_base("__kwmerge__", &args, dst, sp)
    }

    pub(crate) fn named_tuple(&mut self, fields: &[(Name, Expr)], dst: Reg, sp: Span) -> CResult<()> {
        let names: Vec<Sym> = fields.iter().map(|(n, _)| Sym::new(n)).collect();
        let k = self.konst(BConst::Syms(names.into()));
        let base = self.call_start(dst);
        self.load_base("__namedtuple__", base, sp);
        let kr = self.alloc();
        self.emit(Op::LoadConst { dst: kr, k }, sp);
        for (_, x) in fields {
            let r = self.alloc();
            self.expr(x, r)?;
        }
        self.call_finish(base, fields.len() as u16 + 1, dst, sp);
        Ok(())
    }

    // ---------- indexing ----------

    fn index(&mut self, obj: &Expr, args: &[Arg], dst: Reg, sp: Span) -> CResult<()> {
        let mark = self.mark();
        let later = arg_exprs(args);
        let o = self.operand_before(obj, &later)?;
        let n = args.len();
        if n == 0 {
            self.emit(Op::GetRef { dst, obj: o }, sp);
            self.free_to(mark);
            return Ok(());
        }
        if n == 1 {
            if let Arg::Pos(i) = &args[0] {
                let r = self.index_operand(o, i)?;
                self.emit(Op::GetIndex { dst, obj: o, idx: r }, sp);
                self.free_to(mark);
                return Ok(());
            }
        }
        let base = self.alloc();
        self.load_base("getindex", base, sp);
        let or = self.alloc();
        self.emit(Op::Move { dst: or, src: o }, sp);
        let res = self.index_args(o, args, base, sp);
        res?;
        self.emit(Op::Move { dst, src: base }, sp);
        self.free_to(mark);
        Ok(())
    }

    /// The register of the single index `i` of object `R[o]` (`end` inside means `lastindex`).
    fn index_operand(&mut self, o: Reg, i: &Expr) -> CResult<Reg> {
        self.f().index_ctx.push((o, 1, 0));
        let r = self.operand(i);
        self.f().index_ctx.pop();
        r
    }

    /// Emit the call `R[base](R[base+1] = object, indices...)` (already loaded callee and object).
    fn index_args(&mut self, o: Reg, args: &[Arg], base: Reg, sp: Span) -> CResult<()> {
        let n = args.len();
        if args.iter().any(|a| matches!(a, Arg::Splat(_))) {
            return Err(self.err(sp, "splatting inside indexing is not supported"));
        }
        for (i, a) in args.iter().enumerate() {
            if let Arg::Pos(x) = a {
                let r = self.alloc();
                self.f().index_ctx.push((o, n, i));
                let res = self.expr(x, r);
                self.f().index_ctx.pop();
                res?;
            }
        }
        self.emit(Op::Call { base, nargs: n as u16 + 1 }, sp);
        Ok(())
    }

    /// `obj[args...] = R[val]`
    pub(crate) fn set_index(&mut self, obj: &Expr, args: &[Arg], val: Reg, sp: Span) -> CResult<()> {
        let mark = self.mark();
        let later = arg_exprs(args);
        let o = self.operand_before(obj, &later)?;
        if args.is_empty() {
            self.emit(Op::SetRef { obj: o, src: val }, sp);
            self.free_to(mark);
            return Ok(());
        }
        if args.len() == 1 {
            if let Arg::Pos(i) = &args[0] {
                let r = self.index_operand(o, i)?;
                self.emit(Op::SetIndex { obj: o, idx: r, src: val }, sp);
                self.free_to(mark);
                return Ok(());
            }
        }
        // setindex!(obj, val, idx...)
        let base = self.alloc();
        self.load_base("setindex!", base, sp);
        let or = self.alloc();
        self.emit(Op::Move { dst: or, src: o }, sp);
        let vr = self.alloc();
        self.emit(Op::Move { dst: vr, src: val }, sp);
        let n = args.len();
        for (i, a) in args.iter().enumerate() {
            let Arg::Pos(x) = a else {
                return Err(self.err(sp, "splatting inside indexing is not supported"));
            };
            let r = self.alloc();
            self.f().index_ctx.push((o, n, i));
            let res = self.expr(x, r);
            self.f().index_ctx.pop();
            res?;
        }
        self.emit(Op::Call { base, nargs: n as u16 + 2 }, sp);
        self.free_to(mark);
        Ok(())
    }

    // ---------- collections ----------

    fn vcat(&mut self, ty: Option<&Expr>, rows: &[Vec<Expr>], dst: Reg, sp: Span) -> CResult<()> {
        // hvcat((n1, n2, ...), items...) or vcat(items...) when every row has one item.
        let mut args: Vec<Arg> = Vec::new();
        if let Some(t) = ty {
            args.push(Arg::Pos(t.clone()));
        }
        let single = rows.iter().all(|r| r.len() == 1);
        if !single {
            let counts: Vec<Arg> =
                rows.iter().map(|r| Arg::Pos(Expr::new(ExprKind::Int(r.len() as i64), sp))).collect();
            args.push(Arg::Pos(Expr::new(ExprKind::Tuple(counts), sp)));
        }
        for r in rows {
            for x in r {
                args.push(Arg::Pos(x.clone()));
            }
        }
        let name = match (ty.is_some(), single) {
            (false, true) => "vcat",
            (false, false) => "hvcat",
            (true, true) => "__typed_vcat__",
            (true, false) => "__typed_hvcat__",
        };
        self.call_base(name, &args, dst, sp)
    }

    fn comparison(&mut self, xs: &[Expr], ops: &[Name], dst: Reg, sp: Span) -> CResult<()> {
        // a < b <= c  ==>  t1 = a; t2 = b; (t1 < t2) && (t3 = c; t2 <= t3)
        let mut jumps = Vec::new();
        let mark = self.mark();
        let rest: Vec<&Expr> = xs.iter().collect();
        let mut left = self.operand_before(&xs[0], &rest[1..])?;
        for (i, op) in ops.iter().enumerate() {
            let right = self.operand_before(&xs[i + 1], &rest[i + 2..])?;
            let call = Expr::new(
                ExprKind::Call {
                    func: Box::new(Expr::new(ExprKind::Ident(op.clone()), sp)),
                    args: vec![],
                    kwargs: vec![],
                },
                sp,
            );
            let _ = call;
            match binop(op, dst, left, right) {
                Some(o) if self.is_base_name(op) => {
                    self.emit(o, sp);
                }
                _ => {
                    // Generic: call the operator function.
                    let base = self.alloc();
                    self.load_name(op, base, sp);
                    let a1 = self.alloc();
                    self.emit(Op::Move { dst: a1, src: left }, sp);
                    let a2 = self.alloc();
                    self.emit(Op::Move { dst: a2, src: right }, sp);
                    self.emit(Op::Call { base, nargs: 2 }, sp);
                    self.emit(Op::Move { dst, src: base }, sp);
                    self.free_to(base);
                }
            }
            if i + 1 < ops.len() {
                jumps.push(self.emit(Op::JmpIfNot { cond: dst, off: 0 }, sp));
            }
            left = right;
        }
        for j in jumps {
            self.patch(j);
        }
        self.free_to(mark);
        Ok(())
    }

    // ---------- assignment ----------

    pub(crate) fn assign(&mut self, lhs: &Expr, rhs: &Expr, dst: Reg, sp: Span) -> CResult<()> {
        use ExprKind::*;
        match &lhs.kind {
            Ident(n) => {
                // Evaluate straight into an unboxed local's register when possible.
                self.expr(rhs, dst)?;
                self.store_name(n, dst, sp)?;
            }
            TypeAssert(inner, ty) => {
                // `x::T = v` converts v to T.
                let conv = Expr::new(
                    Call {
                        func: Box::new(Expr::new(Ident("convert".into()), sp)),
                        args: vec![Arg::Pos((**ty).clone()), Arg::Pos(rhs.clone())],
                        kwargs: vec![],
                    },
                    sp,
                );
                self.assign(inner, &conv, dst, sp)?;
            }
            Index(obj, args) => {
                self.expr(rhs, dst)?;
                self.set_index(obj, args, dst, sp)?;
            }
            Field(obj, name) => {
                self.expr(rhs, dst)?;
                let mark = self.mark();
                if let Some(m) = self.module_path(obj) {
                    let g = self.globals.intern(m, Sym::new(name));
                    self.emit(Op::SetGlobal { g: g.0, src: dst }, sp);
                } else {
                    let o = self.operand(obj)?;
                    let k = self.sym_const(name);
                    self.emit(Op::SetField { obj: o, name: k, src: dst }, sp);
                }
                self.free_to(mark);
            }
            Tuple(targets) => {
                // Parallel assignment from a tuple literal avoids building a tuple.
                if let Tuple(vals) = &rhs.kind {
                    if vals.len() == targets.len() && vals.iter().all(|v| matches!(v, Arg::Pos(_))) {
                        let base = self.alloc_n(vals.len() as u16);
                        for (i, v) in vals.iter().enumerate() {
                            if let Arg::Pos(x) = v {
                                self.expr(x, base + i as u16)?;
                            }
                        }
                        for (i, t) in targets.iter().enumerate() {
                            if let Arg::Pos(t) = t {
                                self.assign_from_reg(t, base + i as u16, sp)?;
                            }
                        }
                        self.emit(Op::Tuple { dst, base, n: vals.len() as u16 }, sp);
                        self.free_to(base);
                        return Ok(());
                    }
                }
                self.expr(rhs, dst)?;
                self.destructure(targets, dst, sp)?;
            }
            Call { .. } => {
                return Err(self.err(
                    lhs.span,
                    "invalid assignment target (function definitions need `function` or `f(x) = ...`)",
                ))
            }
            _ => return Err(self.err(lhs.span, "invalid assignment target")),
        }
        Ok(())
    }

    /// Assign the value in register `src` to the target pattern `t`.
    pub(crate) fn assign_from_reg(&mut self, t: &Expr, src: Reg, sp: Span) -> CResult<()> {
        use ExprKind::*;
        match &t.kind {
            Ident(n) => self.store_name(n, src, sp),
            Tuple(targets) => self.destructure(targets, src, sp),
            Index(obj, args) => self.set_index(obj, args, src, sp),
            Field(obj, name) => {
                let mark = self.mark();
                let o = self.operand(obj)?;
                let k = self.sym_const(name);
                self.emit(Op::SetField { obj: o, name: k, src }, sp);
                self.free_to(mark);
                Ok(())
            }
            TypeAssert(inner, _) => self.assign_from_reg(inner, src, sp),
            _ => Err(self.err(t.span, "invalid assignment target")),
        }
    }

    pub(crate) fn destructure(&mut self, targets: &[Arg], src: Reg, sp: Span) -> CResult<()> {
        let t = self.alloc();
        for (i, a) in targets.iter().enumerate() {
            match a {
                Arg::Pos(x) => {
                    self.emit(Op::Unpack { dst: t, src, idx: i as u16 + 1 }, sp);
                    self.assign_from_reg(x, t, sp)?;
                }
                Arg::Splat(x) => {
                    // `a, rest... = xs`
                    let base = self.alloc();
                    self.load_base("__rest__", base, sp);
                    let a1 = self.alloc();
                    self.emit(Op::Move { dst: a1, src }, sp);
                    let a2 = self.alloc();
                    self.load_int(i as i64 + 1, a2, sp);
                    self.emit(Op::Call { base, nargs: 2 }, sp);
                    self.assign_from_reg(x, base, sp)?;
                    self.free_to(base);
                }
            }
        }
        self.free_to(t);
        Ok(())
    }

    fn op_assign(&mut self, op: &str, lhs: &Expr, rhs: &Expr, dst: Reg, sp: Span) -> CResult<()> {
        use ExprKind::*;
        let opfn = |a: Expr, b: Expr| {
            Expr::new(
                Call {
                    func: Box::new(Expr::new(Ident(op.to_string()), sp)),
                    args: vec![Arg::Pos(a), Arg::Pos(b)],
                    kwargs: vec![],
                },
                sp,
            )
        };
        match &lhs.kind {
            Ident(_) => {
                let v = opfn(lhs.clone(), rhs.clone());
                self.assign(lhs, &v, dst, sp)
            }
            Index(obj, args) => {
                // Evaluate the object and indices once.
                let mark = self.mark();
                let o = self.alloc();
                self.expr(obj, o)?;
                let mut idx_regs = Vec::new();
                for (i, a) in args.iter().enumerate() {
                    let Arg::Pos(x) = a else {
                        return Err(self.err(sp, "splatting inside indexing is not supported"));
                    };
                    let r = self.alloc();
                    self.f().index_ctx.push((o, args.len(), i));
                    let res = self.expr(x, r);
                    self.f().index_ctx.pop();
                    res?;
                    idx_regs.push(r);
                }
                let tmp_names: Vec<String> =
                    (0..=idx_regs.len()).map(|i| format!("#op{}_{}", o, i)).collect();
                // Bind the temporaries as hidden locals so the AST-level rewrite can refer to them.
                let sbase = self.mark();
                self.f().scopes.push(crate::func::Scope {
                    vars: Vec::new(),
                    global: false,
                    soft: false,
                    base: sbase,
                });
                let all: Vec<Reg> = std::iter::once(o).chain(idx_regs.iter().copied()).collect();
                for (n, r) in tmp_names.iter().zip(&all) {
                    let var = crate::func::Var { reg: *r, boxed: false, maybe_undef: false, global: false };
                    self.f().scopes.last_mut().expect("scope").vars.push((n.clone(), var));
                }
                let ident = |n: &String| Expr::new(Ident(n.clone()), sp);
                let target = Expr::new(
                    Index(
                        Box::new(ident(&tmp_names[0])),
                        tmp_names[1..].iter().map(|n| Arg::Pos(ident(n))).collect(),
                    ),
                    sp,
                );
                let v = opfn(target.clone(), rhs.clone());
                let res = self.assign(&target, &v, dst, sp);
                self.f().scopes.pop();
                self.free_to(mark);
                res
            }
            Field(obj, name) => {
                let mark = self.mark();
                let o = self.alloc();
                self.expr(obj, o)?;
                let tmp = format!("#opf{o}");
                let sbase = self.mark();
                self.f().scopes.push(crate::func::Scope {
                    vars: Vec::new(),
                    global: false,
                    soft: false,
                    base: sbase,
                });
                let var = crate::func::Var { reg: o, boxed: false, maybe_undef: false, global: false };
                self.f().scopes.last_mut().expect("scope").vars.push((tmp.clone(), var));
                let target = Expr::new(Field(Box::new(Expr::new(Ident(tmp), sp)), name.clone()), sp);
                let v = opfn(target.clone(), rhs.clone());
                let res = self.assign(&target, &v, dst, sp);
                self.f().scopes.pop();
                self.free_to(mark);
                res
            }
            _ => Err(self.err(lhs.span, "invalid target for updating assignment")),
        }
    }
}

/// The expressions of an argument list (splatted or not).
fn arg_exprs(args: &[Arg]) -> Vec<&Expr> {
    args.iter()
        .map(|a| match a {
            Arg::Pos(x) | Arg::Splat(x) => x,
        })
        .collect()
}
