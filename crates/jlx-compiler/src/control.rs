//! Code generation for control flow: conditionals (with fused
//! compare-and-branch), loops over the iteration protocol, `let`,
//! `try/catch/finally`, `return`/`break`/`continue` (which run pending
//! `finally` blocks), and comprehensions.
//!
//! Invariant: every path out of a `try` body pops exactly the handlers it
//! pushed; `finally` code is emitted once per exit path.

use crate::func::{HandlerCtx, LoopCtx, Var};
use crate::scope::{assignment_weight, captured_names};
use crate::{CResult, Compiler};
use jlx_base::Span;
use jlx_bytecode::{Op, Reg};
use jlx_syntax::ast::*;
use std::collections::HashSet;

/// Names bound by a loop pattern (`i`, `(k, v)`, `((a, b), c)`).
pub(crate) fn pattern_names(p: &Expr, out: &mut Vec<String>) {
    match &p.kind {
        ExprKind::Ident(n) => out.push(n.clone()),
        ExprKind::Tuple(items) => {
            for a in items {
                match a {
                    Arg::Pos(x) | Arg::Splat(x) => pattern_names(x, out),
                }
            }
        }
        ExprKind::TypeAssert(x, _) => pattern_names(x, out),
        _ => {}
    }
}

fn collect_idents(e: &Expr, out: &mut HashSet<String>) {
    if let ExprKind::Ident(n) = &e.kind {
        out.insert(n.clone());
    }
    crate::scope::children(e, &mut |c| collect_idents(c, out));
}

/// How many expression nodes a `while` condition may have to be compiled twice.
const ROTATE_BUDGET: u32 = 12;

/// Whether `e` is a condition that may be compiled twice: names, literals,
/// field and index reads, and calls of named functions on such operands,
/// within `budget` nodes. Nothing in it declares a variable, defines a
/// function or expands a macro, so the two copies compile alike.
fn small_condition(e: &Expr, budget: &mut u32) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let pos = |args: &[Arg], budget: &mut u32| {
        args.iter().all(|a| matches!(a, Arg::Pos(x) if small_condition(x, budget)))
    };
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Bool(_)
        | ExprKind::Char(_)
        | ExprKind::Symbol(_)
        | ExprKind::Ident(_)
        | ExprKind::IndexEnd
        | ExprKind::IndexBegin => true,
        ExprKind::Field(x, _) => small_condition(x, budget),
        ExprKind::Index(x, args) => small_condition(x, budget) && pos(args, budget),
        ExprKind::Call { func, args, kwargs } => {
            kwargs.is_empty()
                && matches!(func.kind, ExprKind::Ident(_) | ExprKind::Field(..))
                && small_condition(func, budget)
                && pos(args, budget)
        }
        ExprKind::Comparison(xs, _) => xs.iter().all(|x| small_condition(x, budget)),
        ExprKind::And(a, b) | ExprKind::Or(a, b) => small_condition(a, budget) && small_condition(b, budget),
        _ => false,
    }
}

impl Compiler<'_> {
    /// Emit jumps taken when `cond` is false; returns them for patching.
    pub(crate) fn jump_if_false(&mut self, cond: &Expr) -> CResult<Vec<usize>> {
        let sp = cond.span;
        if let ExprKind::And(a, b) = &cond.kind {
            let mut js = self.jump_if_false(a)?;
            js.extend(self.jump_if_false(b)?);
            return Ok(js);
        }
        let mark = self.mark();
        let r = self.operand(cond)?;
        self.fuse_compare(r, mark, false);
        let at = self.emit(Op::JmpIfNot { cond: r, off: 0 }, sp);
        self.free_to(mark);
        Ok(vec![at])
    }

    /// Before a conditional jump (`JmpIf` when `when`) on `r`: when `r` is
    /// a temporary (allocated at or after `mark`, freed after the jump, so
    /// read by nothing else) and the last op is a comparison into it, make
    /// that op the fused compare-and-branch op whose resume op is the jump
    /// (`Op::BrLt`, ...). A path that jumps straight to the jump (a ternary's
    /// other branch) still finds its own value in `r`.
    fn fuse_compare(&mut self, r: Reg, mark: Reg, when: bool) {
        if r < mark {
            return;
        }
        let f = self.f();
        let Some(last) = f.code.last_mut() else { return };
        let into_r = matches!(*last,
            Op::Lt { dst, .. } | Op::Le { dst, .. } | Op::LtK { dst, .. }
            | Op::LeK { dst, .. } | Op::GtK { dst, .. } | Op::GeK { dst, .. } if dst == r);
        if let Some(fused) = last.fused(when, 0).filter(|_| into_r) {
            *last = fused;
        }
    }

    /// Emit jumps taken when `cond` is true; returns them for patching.
    pub(crate) fn jump_if_true(&mut self, cond: &Expr) -> CResult<Vec<usize>> {
        let sp = cond.span;
        match &cond.kind {
            ExprKind::Or(a, b) => {
                let mut js = self.jump_if_true(a)?;
                js.extend(self.jump_if_true(b)?);
                Ok(js)
            }
            ExprKind::And(a, b) => {
                let skip = self.jump_if_false(a)?;
                let js = self.jump_if_true(b)?;
                for j in skip {
                    self.patch(j);
                }
                Ok(js)
            }
            _ => {
                let mark = self.mark();
                let r = self.operand(cond)?;
                self.fuse_compare(r, mark, true);
                let at = self.emit(Op::JmpIf { cond: r, off: 0 }, sp);
                self.free_to(mark);
                Ok(vec![at])
            }
        }
    }

    /// If `e` is a bare `break`/`continue` (alone or in a block) that pops no
    /// handler, which one (`true`: break).
    pub(crate) fn plain_loop_exit(&self, e: &Expr) -> Option<bool> {
        let kind = match &e.kind {
            ExprKind::Block(xs) if xs.len() == 1 => &xs[0].kind,
            k => k,
        };
        let brk = match kind {
            ExprKind::Break => true,
            ExprKind::Continue => false,
            _ => return None,
        };
        let lp = self.fr().loops.last()?;
        (lp.handler_depth == self.fr().handlers.len()).then_some(brk)
    }

    pub(crate) fn if_expr(
        &mut self,
        cond: &Expr,
        then: &Expr,
        else_: Option<&Expr>,
        dst: Reg,
        sp: Span,
    ) -> CResult<()> {
        let js = self.jump_if_false(cond)?;
        self.expr(then, dst)?;
        let end = self.emit(Op::Jmp { off: 0 }, sp);
        for j in js {
            self.patch(j);
        }
        match else_ {
            Some(e) => self.expr(e, dst)?,
            None => {
                self.emit(Op::LoadNothing { dst }, sp);
            }
        }
        self.patch(end);
        Ok(())
    }

    /// `while cond; body; end`. A small condition is compiled twice, before
    /// the loop and at its bottom (loop rotation):
    /// `cond; JmpIfNot exit; top: body; cont: cond; JmpIf top; exit:`, so each
    /// iteration runs one conditional branch and no `Jmp`. The condition is
    /// still evaluated exactly once per test, as in Julia. A larger one is
    /// compiled once: `Jmp test; top: body; test: cond; JmpIf top`.
    /// The first copy comes before the body, so top-level soft-scope
    /// bookkeeping sees the program in source order.
    pub(crate) fn while_loop(&mut self, cond: &Expr, body: &Expr, sp: Span) -> CResult<()> {
        if matches!(cond.kind, ExprKind::Bool(true)) {
            let top = self.here();
            let lp = self.while_body(body, sp)?;
            for c in lp.continues {
                self.patch_to(c, top);
            }
            let j = self.emit(Op::Jmp { off: 0 }, sp);
            self.patch_to(j, top);
            for b in lp.breaks {
                self.patch(b);
            }
            return Ok(());
        }
        let mut budget = ROTATE_BUDGET;
        let (exits, entry) = if small_condition(cond, &mut budget) {
            (self.jump_if_false(cond)?, None)
        } else {
            (Vec::new(), Some(self.emit(Op::Jmp { off: 0 }, sp)))
        };
        let top = self.here();
        let lp = self.while_body(body, sp)?;
        let test = self.here();
        if let Some(j) = entry {
            self.patch_to(j, test);
        }
        for c in lp.continues {
            self.patch_to(c, test);
        }
        for j in self.jump_if_true(cond)? {
            self.patch_to(j, top);
        }
        for e in exits {
            self.patch(e);
        }
        for b in lp.breaks {
            self.patch(b);
        }
        Ok(())
    }

    /// Compile a `while` body in its own scope; returns its `break`s and `continue`s to patch.
    fn while_body(&mut self, body: &Expr, sp: Span) -> CResult<LoopCtx> {
        let depth = self.fr().handlers.len();
        self.f().loops.push(LoopCtx { breaks: vec![], continues: vec![], handler_depth: depth });
        let scratch = self.alloc();
        self.enter_scope(&[body], &[], true, sp);
        let res = self.stmt(body, scratch);
        self.exit_scope();
        self.free_to(scratch);
        let lp = self.f().loops.pop().expect("loop");
        res?;
        Ok(lp)
    }

    pub(crate) fn for_loop(&mut self, specs: &[ForSpec], body: &Expr, sp: Span) -> CResult<()> {
        let depth = self.fr().handlers.len();
        self.f().loops.push(LoopCtx { breaks: vec![], continues: vec![], handler_depth: depth });
        let scratch = self.alloc();
        let res = self.loop_level(specs, 0, Some(body), &mut |c| c.stmt(body, scratch), sp);
        self.free_to(scratch);
        let lp = self.f().loops.pop().expect("loop");
        res?;
        for b in lp.breaks {
            self.patch(b);
        }
        Ok(())
    }

    /// One level of a (possibly nested) `for`; the innermost level runs `emit_body`.
    /// `scope_body` is the statement whose assignments the innermost scope owns.
    fn loop_level(
        &mut self,
        specs: &[ForSpec],
        k: usize,
        scope_body: Option<&Expr>,
        emit_body: &mut dyn FnMut(&mut Self) -> CResult<()>,
        sp: Span,
    ) -> CResult<()> {
        let spec = &specs[k];
        // The iterable, its state, the item and a unit range's end (`IterFirst`).
        let a = self.alloc_n(4);
        self.expr(&spec.iter, a)?;
        let first = self.emit(Op::IterFirst { a, off: 0 }, sp);
        let unpack = self.emit(Op::IterUnpack { a, off: 0 }, sp);
        let top = self.here();
        let mut names = Vec::new();
        pattern_names(&spec.pattern, &mut names);
        let last = k + 1 == specs.len();
        let body_stmts: Vec<&Expr> = if last { scope_body.into_iter().collect() } else { vec![] };
        self.enter_scope(&body_stmts, &names, true, sp);
        // A plain unboxed loop variable lives in the iteration's value
        // register itself (the protocol only writes it), so no move per step.
        let aliased = match &spec.pattern.kind {
            ExprKind::Ident(n) => {
                let vars = &mut self.f().scopes.last_mut().expect("scope").vars;
                match vars.iter_mut().rev().find(|(name, _)| name == n) {
                    Some((_, v)) if !v.boxed && !v.global => {
                        v.reg = a + 2;
                        true
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        let mut res = if aliased { Ok(()) } else { self.assign_from_reg(&spec.pattern, a + 2, sp) };
        if res.is_ok() {
            res =
                if last { emit_body(self) } else { self.loop_level(specs, k + 1, scope_body, emit_body, sp) };
        }
        self.exit_scope();
        res?;
        if last {
            let conts = std::mem::take(&mut self.f().loops.last_mut().expect("loop").continues);
            for c in conts {
                self.patch(c);
            }
        }
        let next = self.emit(Op::IterNext { a, off: 0 }, sp);
        self.patch_to(next, top);
        let next2 = self.emit(Op::IterUnpackNext { a, off: 0 }, sp);
        self.patch_to(next2, top);
        self.patch(first);
        self.patch(unpack);
        self.free_to(a);
        Ok(())
    }

    pub(crate) fn let_block(&mut self, bindings: &[Expr], body: &Expr, dst: Reg, sp: Span) -> CResult<()> {
        let base = self.mark();
        self.f().scopes.push(crate::func::Scope { vars: vec![], global: false, soft: false, base });
        let res = self.let_inner(bindings, body, dst, sp);
        self.exit_scope();
        res
    }

    fn let_inner(&mut self, bindings: &[Expr], body: &Expr, dst: Reg, sp: Span) -> CResult<()> {
        let mut captured = HashSet::new();
        captured_names(body, &mut captured);
        for b in bindings {
            captured_names(b, &mut captured);
        }
        for b in bindings {
            let (name, rhs) = match &b.kind {
                ExprKind::Ident(n) => (n.clone(), None),
                ExprKind::Assign(lhs, rhs) => match &lhs.kind {
                    ExprKind::Ident(n) => (n.clone(), Some(rhs)),
                    ExprKind::TypeAssert(inner, _) => match &inner.kind {
                        ExprKind::Ident(n) => (n.clone(), Some(rhs)),
                        _ => return Err(self.err(b.span, "invalid `let` binding")),
                    },
                    _ => {
                        // let (a, b) = t: evaluate, then destructure into new locals.
                        let t = self.alloc();
                        self.expr(rhs, t)?;
                        let mut names = Vec::new();
                        pattern_names(lhs, &mut names);
                        for n in &names {
                            let boxed = captured.contains(n) && assignment_weight(body, n) >= 1;
                            self.declare_local(n, boxed, false, b.span);
                        }
                        self.assign_from_reg(lhs, t, b.span)?;
                        continue;
                    }
                },
                _ => return Err(self.err(b.span, "invalid `let` binding")),
            };
            let t = self.alloc();
            match rhs {
                Some(r) => self.expr(r, t)?,
                None => {
                    self.emit(Op::Undef { reg: t }, b.span);
                }
            }
            let boxed = captured.contains(&name) && assignment_weight(body, &name) >= 1;
            let v: Var = self.declare_local(&name, boxed, rhs.is_none(), b.span);
            if boxed {
                self.emit(Op::BoxSet { boxr: v.reg, src: t }, b.span);
            } else {
                self.emit(Op::Move { dst: v.reg, src: t }, b.span);
            }
        }
        // The body's own assignments are locals of the let scope.
        let decls = crate::scope::scan_scope(&[body]);
        for n in decls.locals.iter() {
            let boxed = captured.contains(n) && assignment_weight(body, n) >= 2;
            self.declare_local(n, boxed, true, sp);
        }
        for n in decls.assigned.iter() {
            if decls.globals.contains(n) || decls.locals.contains(n) || self.is_lexically_local(n) {
                continue;
            }
            let boxed = captured.contains(n) && assignment_weight(body, n) >= 2;
            self.declare_local(n, boxed, true, sp);
        }
        self.expr(body, dst)
    }

    pub(crate) fn try_block(
        &mut self,
        body: &Expr,
        catch: Option<&CatchClause>,
        else_: Option<&Expr>,
        finally: Option<&Expr>,
        dst: Reg,
        sp: Span,
    ) -> CResult<()> {
        // Each handler's exception register is followed by the register that
        // receives the exception-stack height (see `Op::PushHandler`).
        let fin_exc = self.alloc();
        let fin_height = self.alloc();
        let fin_handler = match finally {
            Some(f) => {
                let at = self.emit(Op::PushHandler { exc: fin_exc, off: 0 }, sp);
                self.f().handlers.push(HandlerCtx::Finally(Box::new(f.clone())));
                Some(at)
            }
            None => None,
        };
        let exc = self.alloc();
        let height = self.alloc();
        let catch_at = if catch.is_some() || finally.is_none() {
            let at = self.emit(Op::PushHandler { exc, off: 0 }, sp);
            self.f().handlers.push(HandlerCtx::Catch);
            Some(at)
        } else {
            None
        };
        self.enter_scope(&[body], &[], true, sp);
        let res = self.expr(body, dst);
        self.exit_scope();
        res?;
        let mut end_jumps = Vec::new();
        if let Some(at) = catch_at {
            self.emit(Op::PopHandler, sp);
            self.f().handlers.pop();
            if let Some(e) = else_ {
                self.enter_scope(&[e], &[], true, sp);
                let r = self.expr(e, dst);
                self.exit_scope();
                r?;
            }
            end_jumps.push(self.emit(Op::Jmp { off: 0 }, sp));
            self.patch(at);
            // catch body
            match catch {
                Some(c) => {
                    let extra: Vec<String> = c.var.iter().cloned().collect();
                    self.enter_scope(&[&*c.body], &extra, true, sp);
                    if let Some(v) = &c.var {
                        self.store_name(v, exc, sp)?;
                    }
                    self.f().catch_regs.push(exc);
                    self.f().handlers.push(HandlerCtx::CatchBody(height));
                    let r = self.expr(&c.body, dst);
                    self.f().handlers.pop();
                    self.f().catch_regs.pop();
                    self.exit_scope();
                    r?;
                }
                None => {
                    // `try ... end` without catch swallows the error, value nothing.
                    self.emit(Op::LoadNothing { dst }, sp);
                }
            }
            self.emit(Op::ExcRestore { src: height }, sp);
        }
        for j in end_jumps {
            self.patch(j);
        }
        if let (Some(at), Some(f)) = (fin_handler, finally) {
            self.emit(Op::PopHandler, sp);
            self.f().handlers.pop();
            let scratch = self.alloc();
            self.expr(f, scratch)?;
            let done = self.emit(Op::Jmp { off: 0 }, sp);
            self.patch(at);
            self.f().handlers.push(HandlerCtx::CatchBody(fin_height));
            let r = self.expr(f, scratch);
            self.f().handlers.pop();
            r?;
            self.emit(Op::Rethrow { src: fin_exc }, sp);
            self.patch(done);
            self.free_to(scratch);
        }
        self.free_to(fin_exc.min(exc));
        self.free_to(fin_exc);
        Ok(())
    }

    /// Pop handlers down to `depth`, emitting pending `finally` bodies.
    fn unwind_handlers(&mut self, depth: usize, sp: Span) -> CResult<()> {
        let saved = self.fr().handlers.clone();
        while self.fr().handlers.len() > depth {
            let h = self.f().handlers.pop().expect("handler");
            if let HandlerCtx::CatchBody(src) = h {
                self.emit(Op::ExcRestore { src }, sp);
                continue;
            }
            self.emit(Op::PopHandler, sp);
            if let HandlerCtx::Finally(body) = h {
                let t = self.alloc();
                let r = self.expr(&body, t);
                self.free_to(t);
                if let Err(e) = r {
                    self.f().handlers = saved;
                    return Err(e);
                }
            }
        }
        self.f().handlers = saved;
        Ok(())
    }

    /// Compile `e` in tail position: its value is returned from the function.
    /// Without pending handlers or a declared return type, the branches of
    /// an `if` return on their own and a local is returned from its own
    /// register (no moves, no jump to a shared `Ret`).
    pub(crate) fn tail(&mut self, e: &Expr, r: Reg) -> CResult<()> {
        let simple = self.fr().ret_type.is_none() && self.fr().handlers.is_empty();
        if simple {
            match &e.kind {
                ExprKind::Block(xs) if !xs.is_empty() => {
                    for x in &xs[..xs.len() - 1] {
                        self.stmt(x, r)?;
                    }
                    return self.tail(&xs[xs.len() - 1], r);
                }
                ExprKind::If { cond, then, else_ } => {
                    let js = self.jump_if_false(cond)?;
                    self.tail(then, r)?;
                    for j in js {
                        self.patch(j);
                    }
                    match else_ {
                        Some(x) => self.tail(x, r)?,
                        None => {
                            self.emit(Op::LoadNothing { dst: r }, e.span);
                            self.emit(Op::Ret { src: r }, e.span);
                        }
                    }
                    return Ok(());
                }
                ExprKind::Return(_) => return self.expr(e, r),
                ExprKind::Ident(n) if self.plain_local(n).is_some() => {
                    let mark = self.mark();
                    let src = self.operand(e)?;
                    self.emit(Op::Ret { src }, e.span);
                    self.free_to(mark);
                    return Ok(());
                }
                _ => {}
            }
        }
        self.expr(e, r)?;
        self.emit_return(r, e.span)
    }

    pub(crate) fn return_stmt(&mut self, value: Option<&Expr>, sp: Span) -> CResult<()> {
        let r = self.alloc();
        if let Some(v) = value {
            if self.fr().ret_type.is_none() && self.fr().handlers.is_empty() {
                self.tail(v, r)?;
                self.free_to(r);
                return Ok(());
            }
        }
        match value {
            Some(v) => self.expr(v, r)?,
            None => {
                self.emit(Op::LoadNothing { dst: r }, sp);
            }
        }
        self.emit_return(r, sp)?;
        self.free_to(r);
        Ok(())
    }

    /// Return `R[r]` from the current function, converting to the declared
    /// return type and running pending `finally` blocks.
    pub(crate) fn emit_return(&mut self, r: Reg, sp: Span) -> CResult<()> {
        if let Some(t) = self.fr().ret_type {
            let base = self.alloc();
            self.load_base("__retconvert__", base, sp);
            let a1 = self.alloc();
            self.emit(Op::Move { dst: a1, src: t }, sp);
            let a2 = self.alloc();
            self.emit(Op::Move { dst: a2, src: r }, sp);
            self.emit(Op::Call { base, nargs: 2 }, sp);
            self.emit(Op::Move { dst: r, src: base }, sp);
            self.free_to(base);
        }
        self.unwind_handlers(0, sp)?;
        self.emit(Op::Ret { src: r }, sp);
        Ok(())
    }

    pub(crate) fn break_stmt(&mut self, sp: Span) -> CResult<()> {
        let Some(depth) = self.fr().loops.last().map(|l| l.handler_depth) else {
            return Err(self.err(sp, "`break` outside a loop"));
        };
        self.unwind_handlers(depth, sp)?;
        let j = self.emit(Op::Jmp { off: 0 }, sp);
        self.f().loops.last_mut().expect("loop").breaks.push(j);
        Ok(())
    }

    pub(crate) fn continue_stmt(&mut self, sp: Span) -> CResult<()> {
        let Some(depth) = self.fr().loops.last().map(|l| l.handler_depth) else {
            return Err(self.err(sp, "`continue` outside a loop"));
        };
        self.unwind_handlers(depth, sp)?;
        let j = self.emit(Op::Jmp { off: 0 }, sp);
        self.f().loops.last_mut().expect("loop").continues.push(j);
        Ok(())
    }

    /// `[body for specs if cond]`, `T[...]` and generators (collected eagerly).
    pub(crate) fn comprehension(
        &mut self,
        ty: Option<&Expr>,
        body: &Expr,
        specs: &[ForSpec],
        cond: Option<&Expr>,
        dst: Reg,
        sp: Span,
    ) -> CResult<()> {
        let mark = self.mark();
        let acc = self.alloc();
        {
            let base = self.alloc();
            self.load_base("__comp_new__", base, sp);
            let t = self.alloc();
            match ty {
                Some(t_expr) => self.expr(t_expr, t)?,
                None => {
                    self.emit(Op::LoadNothing { dst: t }, sp);
                }
            }
            self.emit(Op::Call { base, nargs: 1 }, sp);
            self.emit(Op::Move { dst: acc, src: base }, sp);
            self.free_to(base);
        }
        // A product of several iterators fills a matrix column-major: the
        // first spec varies fastest, so it becomes the innermost loop.
        // `for i in a, j in b` is a product (a matrix); `for i in a for j in f(i)`
        // (flattened by the parser) is nested: a later iterator mentions an
        // earlier loop variable.
        let nested = specs.iter().enumerate().any(|(k, s)| {
            let mut names = Vec::new();
            for earlier in &specs[..k] {
                pattern_names(&earlier.pattern, &mut names);
            }
            let mut used = HashSet::new();
            collect_idents(&s.iter, &mut used);
            names.iter().any(|n| used.contains(n))
        });
        let multi = specs.len() > 1 && cond.is_none() && !nested;
        let iter_regs: Vec<Reg> = if multi {
            let mut regs = Vec::new();
            for s in specs {
                let r = self.alloc();
                self.expr(&s.iter, r)?;
                regs.push(r);
            }
            regs
        } else {
            vec![]
        };
        let ordered: Vec<ForSpec> = if multi {
            specs
                .iter()
                .zip(&iter_regs)
                .rev()
                .map(|(s, r)| ForSpec {
                    pattern: s.pattern.clone(),
                    iter: Expr::new(ExprKind::Ident(format!("#iter{r}")), sp),
                })
                .collect()
        } else {
            specs.to_vec()
        };
        if multi {
            let base = self.mark();
            self.f().scopes.push(crate::func::Scope { vars: vec![], global: false, soft: false, base });
            for r in &iter_regs {
                let var = Var { reg: *r, boxed: false, maybe_undef: false, global: false };
                self.f().scopes.last_mut().expect("scope").vars.push((format!("#iter{r}"), var));
            }
        }
        let depth = self.fr().handlers.len();
        self.f().loops.push(LoopCtx { breaks: vec![], continues: vec![], handler_depth: depth });
        let res = self.loop_level(
            &ordered,
            0,
            Some(body),
            &mut |c| {
                let js = match cond {
                    Some(k) => c.jump_if_false(k)?,
                    None => vec![],
                };
                let base = c.alloc();
                c.load_base("__comp_push__", base, sp);
                let a1 = c.alloc();
                c.emit(Op::Move { dst: a1, src: acc }, sp);
                let v = c.alloc();
                c.expr(body, v)?;
                c.emit(Op::Call { base, nargs: 2 }, sp);
                c.free_to(base);
                for j in js {
                    c.patch(j);
                }
                Ok(())
            },
            sp,
        );
        self.f().loops.pop();
        if multi {
            self.f().scopes.pop();
        }
        res?;
        // finish: __comp_finish__(acc, iterables...) reshapes products.
        let base = self.alloc();
        self.load_base("__comp_finish__", base, sp);
        let a1 = self.alloc();
        self.emit(Op::Move { dst: a1, src: acc }, sp);
        for r in &iter_regs {
            let x = self.alloc();
            self.emit(Op::Move { dst: x, src: *r }, sp);
        }
        self.emit(Op::Call { base, nargs: 1 + iter_regs.len() as u16 }, sp);
        self.emit(Op::Move { dst, src: base }, sp);
        self.free_to(mark);
        Ok(())
    }
}
