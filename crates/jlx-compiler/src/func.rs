//! Per-function compilation state: the instruction buffer, constants,
//! register allocation (locals fixed, temporaries stack-allocated above
//! them), lexical scopes, loops and active exception handlers.
//!
//! Invariant: `next_reg` only grows while a scope or expression is being
//! compiled and is restored to its earlier mark afterwards, so registers
//! form a stack; `max_reg` is the high-water mark that becomes `nregs`.

use crate::scope::{assignment_weight, captured_names, scan_scope};
use crate::{CResult, Compiler};
use jlx_base::{Diagnostic, Span, Sym};
use jlx_bytecode::{Const, GlobalId, ModId, Op, Proto, Reg};
use jlx_syntax::ast::*;
use std::collections::HashSet;
use std::sync::Arc;

#[derive(Clone, Copy, Debug)]
pub struct Var {
    pub reg: Reg,
    pub boxed: bool,
    /// Reads must check the register was assigned.
    pub maybe_undef: bool,
    /// A `global x` declaration: the name refers to the module's global.
    pub global: bool,
}

pub struct Scope {
    pub vars: Vec<(String, Var)>,
    /// The global scope of a top-level chunk: names are globals.
    pub global: bool,
    /// A loop or `try` body (Julia's soft scope).
    pub soft: bool,
    /// `next_reg` when the scope was entered (restored on exit).
    pub base: Reg,
}

pub struct LoopCtx {
    pub breaks: Vec<usize>,
    pub continues: Vec<usize>,
    /// Number of active handlers when the loop was entered.
    pub handler_depth: usize,
}

#[derive(Clone)]
pub enum HandlerCtx {
    Catch,
    Finally(Box<Expr>),
    /// Inside a `catch` body (or a `finally` body run for an exception): no
    /// handler is installed, but leaving early (`return`, `break`) cuts the
    /// exception stack back to the height in this register.
    CatchBody(Reg),
}

pub struct FuncState {
    pub name: Sym,
    pub span: Span,
    pub code: Vec<Op>,
    pub spans: Vec<Span>,
    pub consts: Vec<Const>,
    pub protos: Vec<Arc<Proto>>,
    pub scopes: Vec<Scope>,
    /// Captured names and whether each is a box.
    pub captures: Vec<(String, bool)>,
    pub next_reg: Reg,
    pub max_reg: Reg,
    pub loops: Vec<LoopCtx>,
    pub handlers: Vec<HandlerCtx>,
    pub nparams: u16,
    pub vararg: bool,
    pub has_kw: bool,
    pub toplevel: bool,
    pub param_names: Vec<Sym>,
    /// Register holding the declared return type, if any.
    pub ret_type: Option<Reg>,
    /// Registers holding the exception of each enclosing `catch` (for `rethrow()`).
    pub catch_regs: Vec<Reg>,
    /// Name of the struct whose inner constructor this is (`new` is allowed).
    pub struct_name: Option<String>,
    /// Innermost indexed object (for `end` in `a[end]`): register and the index arity/position.
    pub index_ctx: Vec<(Reg, usize, usize)>,
}

/// Where a name lives.
#[derive(Clone, Copy, Debug)]
pub enum Resolved {
    Local(Var),
    Capture(u16, bool),
    Global(GlobalId),
}

impl FuncState {
    pub fn new(name: Sym, span: Span, toplevel: bool) -> FuncState {
        FuncState {
            name,
            span,
            code: Vec::new(),
            spans: Vec::new(),
            consts: Vec::new(),
            protos: Vec::new(),
            scopes: Vec::new(),
            captures: Vec::new(),
            next_reg: 0,
            max_reg: 0,
            loops: Vec::new(),
            handlers: Vec::new(),
            nparams: 0,
            vararg: false,
            has_kw: false,
            toplevel,
            param_names: Vec::new(),
            ret_type: None,
            catch_regs: Vec::new(),
            struct_name: None,
            index_ctx: Vec::new(),
        }
    }

    pub fn lookup_local(&self, name: &str) -> Option<Var> {
        for s in self.scopes.iter().rev() {
            if let Some((_, v)) = s.vars.iter().rev().find(|(n, _)| n == name) {
                return Some(*v);
            }
        }
        None
    }

    pub fn finish(mut self) -> Proto {
        let nregs = self.max_reg.max(self.next_reg).max(1);
        crate::opt::optimize(&mut self.code, &mut self.spans, self.nparams, nregs);
        // Jumps are final now: the fused comparisons take their offsets.
        Op::settle_fused(&mut self.code);
        Proto {
            name: self.name,
            span: self.span,
            nparams: self.nparams,
            vararg: self.vararg,
            has_kw: self.has_kw,
            ncaptures: self.captures.len() as u16,
            nregs,
            code: self.code,
            spans: self.spans,
            consts: self.consts,
            protos: self.protos,
            param_names: self.param_names,
            toplevel: self.toplevel,
        }
    }
}

impl Compiler<'_> {
    pub(crate) fn f(&mut self) -> &mut FuncState {
        self.funcs.last_mut().expect("no function")
    }

    pub(crate) fn fr(&self) -> &FuncState {
        self.funcs.last().expect("no function")
    }

    // ---------- emission ----------

    pub(crate) fn emit(&mut self, op: Op, span: Span) -> usize {
        let f = self.f();
        f.code.push(op);
        f.spans.push(span);
        f.code.len() - 1
    }

    /// Take back the op just emitted (nothing can refer to its pc yet: a
    /// jump patched to the end of code points at whatever comes next).
    pub(crate) fn unemit_last(&mut self) {
        let f = self.f();
        f.code.pop();
        f.spans.pop();
    }

    pub(crate) fn here(&self) -> usize {
        self.fr().code.len()
    }

    /// Point the jump at `at` to the current end of code.
    pub(crate) fn patch(&mut self, at: usize) {
        let target = self.here();
        self.patch_to(at, target);
    }

    pub(crate) fn patch_to(&mut self, at: usize, target: usize) {
        let off = target as i64 - (at as i64 + 1);
        let f = self.f();
        match &mut f.code[at] {
            Op::Jmp { off: o }
            | Op::JmpIf { off: o, .. }
            | Op::JmpIfNot { off: o, .. }
            | Op::IterFirst { off: o, .. }
            | Op::IterUnpack { off: o, .. }
            | Op::IterNext { off: o, .. }
            | Op::IterUnpackNext { off: o, .. }
            | Op::PushHandler { off: o, .. } => *o = off as i32,
            other => panic!("patching a non-jump {other:?}"),
        }
    }

    pub(crate) fn konst(&mut self, c: Const) -> u32 {
        let f = self.f();
        if let Some(i) = f.consts.iter().position(|k| match (k, &c) {
            (Const::Float(a), Const::Float(b)) => a.to_bits() == b.to_bits(),
            _ => *k == c,
        }) {
            return i as u32;
        }
        f.consts.push(c);
        (f.consts.len() - 1) as u32
    }

    pub(crate) fn sym_const(&mut self, s: &str) -> u16 {
        self.konst(Const::Sym(Sym::new(s))) as u16
    }

    // ---------- registers ----------

    pub(crate) fn alloc(&mut self) -> Reg {
        let f = self.f();
        let r = f.next_reg;
        f.next_reg += 1;
        if f.next_reg > f.max_reg {
            f.max_reg = f.next_reg;
        }
        r
    }

    pub(crate) fn alloc_n(&mut self, n: u16) -> Reg {
        let f = self.f();
        let r = f.next_reg;
        f.next_reg += n;
        if f.next_reg > f.max_reg {
            f.max_reg = f.next_reg;
        }
        r
    }

    pub(crate) fn mark(&self) -> Reg {
        self.fr().next_reg
    }

    pub(crate) fn free_to(&mut self, r: Reg) {
        self.f().next_reg = r;
    }

    // ---------- scopes ----------

    /// Is `name` a local of some enclosing scope, in this function or an enclosing one?
    pub(crate) fn is_lexically_local(&self, name: &str) -> bool {
        for (i, f) in self.funcs.iter().enumerate().rev() {
            if let Some(v) = f.lookup_local(name) {
                return !v.global;
            }
            if i == self.funcs.len() - 1 && f.captures.iter().any(|(n, _)| n == name) {
                return true;
            }
        }
        false
    }

    /// Is the innermost scope the global scope of a top-level chunk?
    pub(crate) fn in_global_scope(&self) -> bool {
        self.funcs.len() == 1 && self.fr().scopes.last().map(|s| s.global).unwrap_or(true)
    }

    /// Enter a new local scope whose statements are `body`; declares the
    /// scope's own locals (plus `extra`, e.g. loop variables) and emits the
    /// boxes and undefined markers they need. `soft` marks loop/try bodies
    /// (Julia's soft scope, which matters only at top level).
    pub(crate) fn enter_scope(&mut self, body: &[&Expr], extra: &[String], soft: bool, span: Span) {
        let decls = scan_scope(body);
        let toplevel_chain_soft = soft && self.funcs.len() == 1 && self.only_soft_scopes_above();
        let mut names: Vec<String> = Vec::new();
        for n in extra {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
        for n in &decls.locals {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
        for n in decls.assigned.iter().chain(decls.functions.iter()) {
            if names.contains(n) || decls.globals.contains(n) || self.is_lexically_local(n) {
                continue;
            }
            if toplevel_chain_soft && self.global_exists(n) {
                if self.opts.interactive {
                    continue; // REPL: assigns the existing global
                }
                self.warnings.push(Diagnostic::warning(
                    span,
                    format!(
                        "Assignment to `{n}` in soft scope is ambiguous because a global variable by the same name exists: `{n}` will be treated as a new local. Disambiguate by using `local {n}` to suppress this warning or `global {n}` to assign to the existing global variable."
                    ),
                ));
            }
            names.push(n.clone());
        }
        let mut captured = HashSet::new();
        for e in body {
            captured_names(e, &mut captured);
        }
        let base = self.mark();
        self.f().scopes.push(Scope { vars: Vec::new(), global: false, soft, base });
        for n in names {
            let boxed = captured.contains(&n)
                && (decls.functions.contains(&n)
                    || body.iter().map(|e| assignment_weight(e, &n)).sum::<u32>()
                        + u32::from(extra.contains(&n))
                        >= 2);
            let maybe_undef = !extra.contains(&n) && !first_use_is_assignment(body, &n);
            self.declare_local(&n, boxed, maybe_undef, span);
        }
        // `global x` makes the name refer to the global in this scope and the ones inside it.
        for g in decls.globals {
            let var = Var { reg: Reg::MAX, boxed: false, maybe_undef: false, global: true };
            self.f().scopes.last_mut().expect("scope").vars.push((g, var));
        }
    }

    /// Are all enclosing scopes of this top-level chunk soft (loops, `try`) or global?
    fn only_soft_scopes_above(&self) -> bool {
        self.fr().scopes.iter().all(|s| s.global || s.soft)
    }

    /// Whether a global `n` exists for the soft-scope rule: assigned earlier
    /// in this unit, or (REPL) known to the module from an earlier input.
    fn global_exists(&self, n: &str) -> bool {
        self.toplevel_assigned.contains(n)
            || (self.opts.interactive && self.globals.lookup(self.opts.module, Sym::new(n)).is_some())
    }

    pub(crate) fn declare_local(&mut self, name: &str, boxed: bool, maybe_undef: bool, span: Span) -> Var {
        let reg = self.alloc();
        let var = Var { reg, boxed, maybe_undef, global: false };
        if boxed {
            self.emit(Op::NewBox { dst: reg }, span);
        } else if maybe_undef {
            self.emit(Op::Undef { reg }, span);
        }
        self.f().scopes.last_mut().expect("scope").vars.push((name.to_string(), var));
        var
    }

    pub(crate) fn exit_scope(&mut self) {
        let f = self.f();
        let s = f.scopes.pop().expect("scope");
        f.next_reg = s.base;
    }

    // ---------- name resolution ----------

    /// Whether `name` is a local of the running function or of an enclosing
    /// one (without capturing it).
    pub(crate) fn lexically_visible(&self, name: &str) -> bool {
        self.funcs.iter().any(|f| {
            f.lookup_local(name).is_some_and(|v| !v.global) || f.captures.iter().any(|(n, _)| n == name)
        })
    }

    pub(crate) fn resolve(&mut self, name: &str) -> Resolved {
        let top = self.funcs.len() - 1;
        if let Some(v) = self.funcs[top].lookup_local(name) {
            if v.global {
                return Resolved::Global(self.global_for_write(name));
            }
            return Resolved::Local(v);
        }
        if let Some(i) = self.funcs[top].captures.iter().position(|(n, _)| n == name) {
            return Resolved::Capture(i as u16, self.funcs[top].captures[i].1);
        }
        for i in (0..top).rev() {
            if let Some(v) = self.funcs[i].lookup_local(name) {
                if v.global {
                    return Resolved::Global(self.global_for_write(name));
                }
                return self.add_capture(name, v.boxed);
            }
            if let Some(j) = self.funcs[i].captures.iter().position(|(n, _)| n == name) {
                let boxed = self.funcs[i].captures[j].1;
                return self.add_capture(name, boxed);
            }
        }
        Resolved::Global(self.global_for_read(name))
    }

    fn add_capture(&mut self, name: &str, boxed: bool) -> Resolved {
        let f = self.f();
        f.captures.push((name.to_string(), boxed));
        Resolved::Capture((f.captures.len() - 1) as u16, boxed)
    }

    /// The global a read of `name` refers to: the unit's module if it binds
    /// (or will bind) the name, else Base if Base has it and exports it,
    /// else the module (a name Julia does not export from Base is a global
    /// of the module, bound only by `using`/`import`).
    pub(crate) fn global_for_read(&mut self, name: &str) -> GlobalId {
        let sym = Sym::new(name);
        let m = self.opts.module;
        if m != ModId::BASE
            && !self.toplevel_assigned.contains(name)
            && self.globals.lookup(m, sym).is_none()
            && !jlx_bytecode::is_unexported_base(m, name)
        {
            if let Some(g) = self.globals.lookup(ModId::BASE, sym) {
                return g;
            }
        }
        self.globals.intern(m, sym)
    }

    /// The global an assignment to `name` refers to (always the unit's module).
    pub(crate) fn global_for_write(&mut self, name: &str) -> GlobalId {
        self.globals.intern(self.opts.module, Sym::new(name))
    }

    /// A Base function used by lowered code.
    pub(crate) fn base_global(&mut self, name: &str) -> GlobalId {
        self.globals.intern(ModId::BASE, Sym::new(name))
    }

    /// Load a Base function into `dst`.
    pub(crate) fn load_base(&mut self, name: &str, dst: Reg, span: Span) {
        let g = self.base_global(name);
        self.emit(Op::GetGlobal { dst, g: g.0 }, span);
    }

    /// Is `name` (as written in user code) the Base binding, not shadowed?
    pub(crate) fn is_base_name(&mut self, name: &str) -> bool {
        if self.is_lexically_local(name) {
            return false;
        }
        let g = self.global_for_read(name);
        self.globals.name_of(g).0 == ModId::BASE
    }

    pub(crate) fn err(&mut self, span: Span, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::error(span, msg)
    }

    /// Emit code that puts the value of `name` into `dst`.
    pub(crate) fn load_name(&mut self, name: &str, dst: Reg, span: Span) {
        match self.resolve(name) {
            Resolved::Local(v) => {
                if v.boxed {
                    let k = self.sym_const(name);
                    self.emit(Op::BoxGet { dst, boxr: v.reg, name: k }, span);
                } else {
                    if v.maybe_undef {
                        let k = self.sym_const(name);
                        self.emit(Op::CheckDefined { reg: v.reg, name: k }, span);
                    }
                    if v.reg != dst {
                        self.emit(Op::Move { dst, src: v.reg }, span);
                    }
                }
            }
            Resolved::Capture(i, boxed) => {
                self.emit(Op::GetCapture { dst, idx: i }, span);
                if boxed {
                    let k = self.sym_const(name);
                    self.emit(Op::BoxGet { dst, boxr: dst, name: k }, span);
                }
            }
            Resolved::Global(g) => {
                self.emit(Op::GetGlobal { dst, g: g.0 }, span);
            }
        }
    }

    /// Emit code that stores `src` into the variable `name`.
    pub(crate) fn store_name(&mut self, name: &str, src: Reg, span: Span) -> CResult<()> {
        if self.in_global_scope() {
            let g = self.global_for_write(name);
            if self.funcs.len() == 1 {
                self.toplevel_assigned.insert(name.to_string());
            }
            self.emit(Op::SetGlobal { g: g.0, src }, span);
            return Ok(());
        }
        match self.resolve(name) {
            Resolved::Local(v) => {
                if v.boxed {
                    self.emit(Op::BoxSet { boxr: v.reg, src }, span);
                } else if v.reg != src {
                    self.emit(Op::Move { dst: v.reg, src }, span);
                }
            }
            Resolved::Capture(i, boxed) => {
                if !boxed {
                    return Err(self.err(span, format!("cannot assign captured variable `{name}`")));
                }
                let t = self.alloc();
                self.emit(Op::GetCapture { dst: t, idx: i }, span);
                self.emit(Op::BoxSet { boxr: t, src }, span);
                self.free_to(t);
            }
            Resolved::Global(_) => {
                let g = self.global_for_write(name);
                if self.funcs.len() == 1 {
                    self.toplevel_assigned.insert(name.to_string());
                }
                self.emit(Op::SetGlobal { g: g.0, src }, span);
            }
        }
        Ok(())
    }
}

/// Is the first mention of `name` in `body` an assignment to it whose
/// right-hand side does not mention it?
fn first_use_is_assignment(body: &[&Expr], name: &str) -> bool {
    for e in body {
        match first_mention(e, name) {
            Some(b) => return b,
            None => continue,
        }
    }
    true
}

/// Is `lhs` a plain name or a tuple pattern of plain names that binds `name`?
fn lhs_binds(lhs: &Expr, name: &str) -> bool {
    match &lhs.kind {
        ExprKind::Ident(n) => n == name,
        ExprKind::Tuple(items) => {
            items.iter().all(|a| matches!(a, Arg::Pos(x) if matches!(x.kind, ExprKind::Ident(_))))
                && items
                    .iter()
                    .any(|a| matches!(a, Arg::Pos(x) if matches!(&x.kind, ExprKind::Ident(n) if n == name)))
        }
        _ => false,
    }
}

fn first_mention(e: &Expr, name: &str) -> Option<bool> {
    use ExprKind::*;
    match &e.kind {
        Assign(lhs, rhs) if lhs_binds(lhs, name) => {
            if mentions(rhs, name) {
                Some(false)
            } else {
                Some(true)
            }
        }
        Ident(n) if n == name => Some(false),
        FunctionDef(f) if matches!(&f.name, FuncName::Plain(n) if n == name) => Some(true),
        If { cond, .. } => {
            if mentions(cond, name) {
                return Some(false);
            }
            if mentions(e, name) {
                Some(false)
            } else {
                None
            }
        }
        Block(xs) => {
            for x in xs {
                if let Some(b) = first_mention(x, name) {
                    return Some(b);
                }
            }
            None
        }
        _ => {
            if mentions(e, name) {
                Some(false)
            } else {
                None
            }
        }
    }
}

pub(crate) fn mentions(e: &Expr, name: &str) -> bool {
    if let ExprKind::Ident(n) = &e.kind {
        return n == name;
    }
    let mut found = false;
    crate::scope::children(e, &mut |c| {
        if !found && mentions(c, name) {
            found = true;
        }
    });
    found
}
