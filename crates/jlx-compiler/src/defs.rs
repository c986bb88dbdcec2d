//! Code generation for definitions: top-level chunks, methods (with
//! optional positional arguments lowered to extra methods and keyword
//! prologues), closures, `struct` and `abstract type`.
//!
//! Invariant: a method body is compiled into its own [`FuncState`]; the
//! enclosing code builds the closure (capturing by value or by box) and
//! registers it with `Base.__defmethod__`, which does dispatch bookkeeping
//! at run time.

use crate::func::{FuncState, Resolved, Scope, Var};
use crate::scope::{assignment_weight, captured_names};
use crate::{CResult, Compiler};
use jlx_base::{Diagnostic, Span, Sym};
use jlx_bytecode::{Const, ModId, Op, Proto, Reg};
use jlx_syntax::ast::*;
use std::collections::HashSet;
use std::sync::Arc;

impl Compiler<'_> {
    pub(crate) fn compile_toplevel(&mut self, prog: &Program) -> Result<Arc<Proto>, Vec<Diagnostic>> {
        let span = prog.body.first().map(|e| e.span).unwrap_or_default();
        let mut f = FuncState::new(Sym::new("top-level scope"), span, true);
        f.scopes.push(Scope { vars: vec![], global: true, soft: false, base: 0 });
        self.funcs.push(f);
        // Every name the unit binds at top level is a global of its module.
        let stmts: Vec<&Expr> = prog.body.iter().collect();
        let decls = crate::scope::scan_scope(&stmts);
        for n in decls.assigned.iter().chain(decls.functions.iter()).chain(decls.globals.iter()) {
            self.globals.intern(self.opts.module, Sym::new(n));
        }
        for e in &prog.body {
            if let ExprKind::Struct(s) = &e.kind {
                self.globals.intern(self.opts.module, Sym::new(&s.name));
            }
            if let ExprKind::Abstract { name, .. } = &e.kind {
                self.globals.intern(self.opts.module, Sym::new(name));
            }
            if let ExprKind::Const(x) = &e.kind {
                if let ExprKind::Assign(lhs, _) = &x.kind {
                    if let ExprKind::Ident(n) = &lhs.kind {
                        self.globals.intern(self.opts.module, Sym::new(n));
                    }
                }
            }
        }
        let r = self.alloc();
        self.program_level = true;
        if let Err(d) = self.block(&prog.body, r, span) {
            self.errors.push(d);
        }
        self.emit(Op::Ret { src: r }, span);
        let f = self.funcs.pop().expect("toplevel");
        if !self.errors.is_empty() {
            return Err(std::mem::take(&mut self.errors));
        }
        Ok(Arc::new(f.finish()))
    }

    /// Compile `f`'s body (with the given positional parameters) as a nested
    /// prototype; returns its index in the current function's prototypes and
    /// the captured names.
    fn compile_body(
        &mut self,
        f: &Function,
        name: &str,
        params: &[Param],
        body: &Expr,
        struct_name: Option<String>,
    ) -> CResult<(u16, Vec<(String, bool)>)> {
        let mut st = FuncState::new(Sym::new(name), f.span, false);
        st.nparams = params.len() as u16;
        st.vararg = params.last().map(|p| p.splat).unwrap_or(false);
        st.has_kw = !f.kwparams.is_empty();
        st.struct_name = struct_name;
        st.param_names = params.iter().map(|p| Sym::new(p.name.as_deref().unwrap_or("_"))).collect();
        st.scopes.push(Scope { vars: vec![], global: false, soft: false, base: 0 });
        self.funcs.push(st);
        let res = self.compile_body_inner(f, params, body);
        let st = self.funcs.pop().expect("func");
        res?;
        let captures = st.captures.clone();
        let proto = Arc::new(st.finish());
        let fs = self.f();
        fs.protos.push(proto);
        Ok(((fs.protos.len() - 1) as u16, captures))
    }

    fn compile_body_inner(&mut self, f: &Function, params: &[Param], body: &Expr) -> CResult<()> {
        let sp = f.span;
        let mut captured = HashSet::new();
        captured_names(body, &mut captured);
        for p in &f.kwparams {
            if let Some(d) = &p.default {
                captured_names(d, &mut captured);
            }
        }
        // Parameters occupy registers 0..n (then the keyword tuple).
        let mut to_box = Vec::new();
        let mut destructures = Vec::new();
        for (i, p) in params.iter().enumerate() {
            let pname = match &p.name {
                Some(n) => n.clone(),
                None => format!("#arg{i}"),
            };
            let var = self.declare_local(&pname, false, false, p.span);
            if let Some(names) = &p.destructure {
                destructures.push((var.reg, names.clone()));
            }
            if p.name.is_some() && captured.contains(&pname) && assignment_weight(body, &pname) >= 1 {
                to_box.push(pname);
            }
        }
        let kw_reg =
            if !f.kwparams.is_empty() { Some(self.declare_local("#kw", false, false, sp).reg) } else { None };
        for n in to_box {
            self.box_existing(&n, sp);
        }
        for (reg, names) in destructures {
            for (i, n) in names.iter().enumerate() {
                let boxed = captured.contains(n) && assignment_weight(body, n) >= 1;
                let v = self.declare_local(n, boxed, false, sp);
                let t = self.alloc();
                self.emit(Op::Unpack { dst: t, src: reg, idx: i as u16 + 1 }, sp);
                if boxed {
                    self.emit(Op::BoxSet { boxr: v.reg, src: t }, sp);
                } else {
                    self.emit(Op::Move { dst: v.reg, src: t }, sp);
                }
                self.free_to(t);
            }
        }
        // `where T`: bind each type variable from the arguments.
        for (tv, bound) in &f.where_params {
            let v = self.declare_local(tv, false, false, sp);
            self.bind_where_var(tv, bound.as_ref(), params, v.reg, sp)?;
        }
        // Keyword prologue.
        if let Some(_kw) = kw_reg {
            let mut names = Vec::new();
            let mut splat = None;
            for p in &f.kwparams {
                let Some(n) = &p.name else { continue };
                if p.splat {
                    splat = Some(n.clone());
                    continue;
                }
                names.push(Sym::new(n));
                let boxed = captured.contains(n) && assignment_weight(body, n) >= 1;
                let v = self.declare_local(n, false, false, p.span);
                let k = self.sym_const(n);
                let at = self.emit(Op::KwGet { dst: v.reg, name: k, skip: 0 }, p.span);
                match &p.default {
                    Some(d) => self.expr(d, v.reg)?,
                    None => {
                        // Required keyword: throw UndefKeywordError.
                        let base = self.alloc();
                        self.load_base("__undef_keyword__", base, p.span);
                        let a = self.alloc();
                        let ks = self.konst(Const::Sym(Sym::new(n)));
                        self.emit(Op::LoadConst { dst: a, k: ks }, p.span);
                        self.emit(Op::Call { base, nargs: 1 }, p.span);
                        self.free_to(base);
                    }
                }
                let skip = (self.here() - at - 1) as u16;
                if let Op::KwGet { skip: s, .. } = &mut self.f().code[at] {
                    *s = skip;
                }
                if boxed {
                    self.box_existing(n, p.span);
                }
            }
            let kn = self.konst(Const::Syms(names.into()));
            match splat {
                Some(n) => {
                    let v = self.declare_local(&n, false, false, sp);
                    self.emit(Op::KwRest { dst: v.reg, names: kn as u16 }, sp);
                }
                None => {
                    self.emit(Op::KwCheck { names: kn as u16 }, sp);
                }
            }
        }
        if let Some(rt) = &f.ret_type {
            let r = self.declare_local("#rettype", false, false, sp).reg;
            self.expr(rt, r)?;
            self.f().ret_type = Some(r);
        }
        self.enter_scope(&[body], &[], false, sp);
        let r = self.alloc();
        self.tail(body, r)?;
        self.exit_scope();
        Ok(())
    }

    /// Turn an already-declared unboxed local into a boxed one holding its current value.
    fn box_existing(&mut self, name: &str, sp: Span) {
        let Some(v) = self.fr().lookup_local(name) else { return };
        let t = self.alloc();
        self.emit(Op::NewBox { dst: t }, sp);
        self.emit(Op::BoxSet { boxr: t, src: v.reg }, sp);
        self.emit(Op::Move { dst: v.reg, src: t }, sp);
        self.free_to(t);
        for s in self.f().scopes.iter_mut().rev() {
            if let Some((_, var)) = s.vars.iter_mut().rev().find(|(n, _)| n == name) {
                var.boxed = true;
                break;
            }
        }
    }

    fn bind_where_var(
        &mut self,
        tv: &str,
        bound: Option<&Expr>,
        params: &[Param],
        dst: Reg,
        sp: Span,
    ) -> CResult<()> {
        for (i, p) in params.iter().enumerate() {
            let Some(ty) = &p.ty else { continue };
            let preg = i as Reg;
            match &ty.kind {
                ExprKind::Ident(n) if n == tv => {
                    let base = self.alloc();
                    self.load_base(if p.splat { "__vararg_eltype__" } else { "typeof" }, base, sp);
                    let a = self.alloc();
                    self.emit(Op::Move { dst: a, src: preg }, sp);
                    self.emit(Op::Call { base, nargs: 1 }, sp);
                    self.emit(Op::Move { dst, src: base }, sp);
                    self.free_to(base);
                    return Ok(());
                }
                ExprKind::Curly(head, args) => {
                    if let Some(j) =
                        args.iter().position(|a| matches!(&a.kind, ExprKind::Ident(n) if n == tv))
                    {
                        let is_type = matches!(&head.kind, ExprKind::Ident(h) if h == "Type");
                        if is_type {
                            self.emit(Op::Move { dst, src: preg }, sp);
                        } else {
                            let base = self.alloc();
                            self.load_base("__typeparam__", base, sp);
                            let a = self.alloc();
                            self.emit(Op::Move { dst: a, src: preg }, sp);
                            let b = self.alloc();
                            self.load_int(j as i64 + 1, b, sp);
                            self.emit(Op::Call { base, nargs: 2 }, sp);
                            self.emit(Op::Move { dst, src: base }, sp);
                            self.free_to(base);
                        }
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        match bound {
            Some(b) => self.expr(b, dst),
            None => {
                self.load_base("Any", dst, sp);
                Ok(())
            }
        }
    }

    /// `R[dst] = Base.__typevar__(:name, bound)` (bound defaults to `Any`).
    fn emit_typevar(&mut self, name: &str, bound: Option<&Expr>, dst: Reg, sp: Span) -> CResult<()> {
        let base = self.alloc();
        self.load_base("__typevar__", base, sp);
        let a = self.alloc();
        let k = self.konst(Const::Sym(Sym::new(name)));
        self.emit(Op::LoadConst { dst: a, k }, sp);
        let b = self.alloc();
        match bound {
            Some(bd) => self.expr(bd, b)?,
            None => self.load_base("Any", b, sp),
        }
        self.emit(Op::Call { base, nargs: 2 }, sp);
        self.emit(Op::Move { dst, src: base }, sp);
        self.free_to(base);
        Ok(())
    }

    /// Emit the closure for prototype `idx` with `captures` into `dst`.
    fn make_closure(&mut self, idx: u16, captures: &[(String, bool)], dst: Reg, sp: Span) {
        let base = self.mark();
        self.load_captures(captures, sp);
        self.emit(Op::Closure { dst, proto: idx, base }, sp);
        self.free_to(base);
    }

    /// The values a closure captures, into new registers, in order.
    fn load_captures(&mut self, captures: &[(String, bool)], sp: Span) {
        for (n, _) in captures {
            let r = self.alloc();
            match self.resolve(n) {
                Resolved::Local(v) => {
                    self.emit(Op::Move { dst: r, src: v.reg }, sp);
                }
                Resolved::Capture(i, _) => {
                    self.emit(Op::GetCapture { dst: r, idx: i }, sp);
                }
                Resolved::Global(g) => {
                    self.emit(Op::GetGlobal { dst: r, g: g.0 }, sp);
                }
            }
        }
    }

    /// The thunk `f` (no parameters) of `@async`/`@spawn`, as the first
    /// arguments of `__async__`/`__spawn__`: into `dst` its closure's
    /// template (`Const::Proto`: the code, no captures) and into new
    /// registers after it the captured values; returns their count. The
    /// task keeps code and captures itself, so no closure object is made.
    /// A thunk capturing more than a task keeps inline (2) becomes a
    /// closure in `dst` instead (count 0).
    pub(crate) fn task_thunk_args(&mut self, f: &Function, dst: Reg) -> CResult<u16> {
        let (idx, caps) = self.compile_body(f, "#anon", &f.params, &f.body, None)?;
        if caps.len() > 2 {
            self.make_closure(idx, &caps, dst, f.span);
            return Ok(0);
        }
        let k = self.konst(Const::Proto(idx));
        self.emit(Op::LoadConst { dst, k }, f.span);
        self.load_captures(&caps, f.span);
        Ok(caps.len() as u16)
    }

    pub(crate) fn lambda(&mut self, f: &Function, dst: Reg) -> CResult<()> {
        if f.params.iter().any(|p| p.default.is_some()) {
            return Err(self.err(f.span, "optional arguments in anonymous functions are not supported yet"));
        }
        let (idx, caps) = self.compile_body(f, "#anon", &f.params, &f.body, None)?;
        self.make_closure(idx, &caps, dst, f.span);
        Ok(())
    }

    pub(crate) fn function_def(&mut self, f: &Function, dst: Reg) -> CResult<()> {
        let sp = f.span;
        let (module, name) = match &f.name {
            FuncName::Plain(n) => (None, n.clone()),
            FuncName::Qualified(path, n) => {
                let m = path.last().and_then(|p| ModId::by_name(p));
                match m {
                    Some(m) => (Some(m), n.clone()),
                    None => return Err(self.err(sp, format!("unknown module `{}`", path.join(".")))),
                }
            }
            // `(p::Poly)(x) = ...`: a method of `Base.__call__(p, x)`.
            FuncName::Anonymous => (Some(ModId::BASE), "__call__".to_string()),
        };
        // A local function inside a function is a closure bound to a local.
        if module.is_none() && !self.in_global_scope() {
            if let Resolved::Local(_) | Resolved::Capture(..) = self.resolve(&name) {
                let (idx, caps) = self.compile_body(f, &name, &f.params, &f.body, None)?;
                self.make_closure(idx, &caps, dst, sp);
                return self.store_name(&name, dst, sp);
            }
        }
        let g = match module {
            Some(m) => self.globals.intern(m, Sym::new(&name)),
            None => {
                // Extending a Base function needs `Base.f` or `import Base: f`;
                // otherwise a new function in this module (as Julia).
                self.globals.intern(self.opts.module, Sym::new(&name))
            }
        };
        if self.funcs.len() == 1 && module.is_none() {
            self.toplevel_assigned.insert(name.clone());
        }
        if let Some(doc) = &f.doc {
            self.set_doc(g.0, doc, sp);
        }
        let struct_name = self.fr().struct_name.clone();
        self.define_methods(f, g.0, &name, struct_name, dst)
    }

    /// Emit `Base.__setdoc__(g, doc)`: record the docstring written before
    /// the definition of global `g` (in temporaries above every live register).
    fn set_doc(&mut self, g: u32, doc: &str, sp: Span) {
        let base = self.alloc();
        self.load_base("__setdoc__", base, sp);
        let a = self.alloc();
        self.load_global_id(g, a, sp);
        let b = self.alloc();
        self.load_str(doc, b, sp);
        self.emit(Op::Call { base, nargs: 2 }, sp);
        self.free_to(base);
    }

    /// Register every method `f` defines (one per count of optional arguments) on global `g`.
    fn define_methods(
        &mut self,
        f: &Function,
        g: u32,
        name: &str,
        struct_name: Option<String>,
        dst: Reg,
    ) -> CResult<()> {
        let sp = f.span;
        let first_opt = f.params.iter().position(|p| p.default.is_some()).unwrap_or(f.params.len());
        for m in first_opt..=f.params.len() {
            let params = &f.params[..m];
            let body: Expr = if m == f.params.len() {
                (*f.body).clone()
            } else {
                // f(a, b) = f(a, b, default_c, ...) forwarding keywords.
                let mut args: Vec<Arg> = Vec::new();
                for (i, p) in params.iter().enumerate() {
                    let id = Expr::new(ExprKind::Ident(p.name.clone().unwrap_or(format!("#arg{i}"))), sp);
                    args.push(if p.splat { Arg::Splat(id) } else { Arg::Pos(id) });
                }
                for p in &f.params[m..] {
                    args.push(Arg::Pos(p.default.clone().expect("default")));
                }
                // Keywords pass through untouched (their defaults may use the
                // positional arguments this wrapper fills in).
                let kwargs = if f.kwparams.is_empty() {
                    vec![]
                } else {
                    vec![Kwarg::Splat(Expr::new(ExprKind::Ident("#kws".into()), sp))]
                };
                let callee = Expr::new(ExprKind::Ident(name.to_string()), sp);
                let callee = match &f.name {
                    FuncName::Qualified(path, n) => Expr::new(
                        ExprKind::Field(
                            Box::new(Expr::new(
                                ExprKind::Ident(path.last().cloned().unwrap_or_default()),
                                sp,
                            )),
                            n.clone(),
                        ),
                        sp,
                    ),
                    _ => callee,
                };
                Expr::new(ExprKind::Call { func: Box::new(callee), args, kwargs }, sp)
            };
            let base = self.call_start(dst);
            self.load_base("__defmethod__", base, sp);
            let r1 = self.alloc();
            self.load_global_id(g, r1, sp);
            let wrapper;
            let fdef = if m < f.params.len() && !f.kwparams.is_empty() {
                let kws = Param {
                    name: Some("#kws".into()),
                    ty: None,
                    default: None,
                    splat: true,
                    destructure: None,
                    span: sp,
                };
                wrapper = Function { kwparams: vec![kws], ..f.clone() };
                &wrapper
            } else {
                f
            };
            let (idx, caps) = self.compile_body(fdef, name, params, &body, struct_name.clone())?;
            let r2 = self.alloc();
            self.make_closure(idx, &caps, r2, sp);
            let r3 = self.alloc();
            let vararg = params.last().map(|p| p.splat).unwrap_or(false);
            self.emit(Op::LoadBool { dst: r3, val: vararg }, sp);
            // Signature types, with `where` variables bound to type variables.
            let tv_base = self.mark();
            self.f().scopes.push(Scope { vars: vec![], global: false, soft: false, base: tv_base });
            let mut tv_regs = Vec::new();
            for (tv, bound) in &f.where_params {
                let r = self.alloc();
                self.emit_typevar(tv, bound.as_ref(), r, sp)?;
                tv_regs.push((tv.clone(), r));
            }
            for (tv, r) in &tv_regs {
                let var = Var { reg: *r, boxed: false, maybe_undef: false, global: false };
                self.f().scopes.last_mut().expect("scope").vars.push((tv.clone(), var));
            }
            let mut type_regs = Vec::new();
            for p in params {
                let r = self.alloc();
                match &p.ty {
                    Some(t) => self.expr(t, r)?,
                    None => {
                        self.emit(Op::LoadNothing { dst: r }, sp);
                    }
                }
                type_regs.push(r);
            }
            self.f().scopes.pop();
            // Move the types down to follow r3 contiguously.
            let first = r3 + 1;
            for (i, r) in type_regs.iter().enumerate() {
                let want = first + i as Reg;
                if *r != want {
                    self.emit(Op::Move { dst: want, src: *r }, sp);
                }
            }
            self.free_to(first + type_regs.len() as Reg);
            // Arguments: global id, closure, vararg flag, parameter types.
            self.call_finish(base, 3 + params.len() as u16, dst, sp);
        }
        Ok(())
    }

    pub(crate) fn struct_def(&mut self, s: &StructDef, dst: Reg, sp: Span) -> CResult<()> {
        if !self.in_global_scope() {
            return Err(self.err(sp, "`struct` definitions are only allowed at top level"));
        }
        let g = self.globals.intern(self.opts.module, Sym::new(&s.name));
        self.toplevel_assigned.insert(s.name.clone());
        if let Some(doc) = &s.doc {
            self.set_doc(g.0, doc, sp);
        }
        let base = self.call_start(dst);
        self.load_base("__defstruct__", base, sp);
        let r1 = self.alloc();
        self.load_global_id(g.0, r1, sp);
        let r2 = self.alloc();
        let k = self.konst(Const::Sym(Sym::new(&s.name)));
        self.emit(Op::LoadConst { dst: r2, k }, sp);
        let r3 = self.alloc();
        self.emit(Op::LoadBool { dst: r3, val: s.mutable }, sp);
        let r4 = self.alloc();
        match &s.supertype {
            Some(t) => self.expr(t, r4)?,
            None => {
                self.emit(Op::LoadNothing { dst: r4 }, sp);
            }
        }
        let r5 = self.alloc();
        let names: Vec<Sym> = s.fields.iter().map(|f| Sym::new(&f.name)).collect();
        let kn = self.konst(Const::Syms(names.into()));
        self.emit(Op::LoadConst { dst: r5, k: kn }, sp);
        let r6 = self.alloc();
        let tparams: Vec<Sym> = s.type_params.iter().map(|(n, _)| Sym::new(n)).collect();
        let kt = self.konst(Const::Syms(tparams.into()));
        self.emit(Op::LoadConst { dst: r6, k: kt }, sp);
        let r7 = self.alloc();
        let atomic: Vec<Sym> = s.fields.iter().filter(|f| f.atomic).map(|f| Sym::new(&f.name)).collect();
        let ka = self.konst(Const::Syms(atomic.into()));
        self.emit(Op::LoadConst { dst: r7, k: ka }, sp);
        // Field types, with the struct's type parameters as type variables.
        let tv_base = self.mark();
        self.f().scopes.push(Scope { vars: vec![], global: false, soft: false, base: tv_base });
        let mut tv_regs = Vec::new();
        for (tv, bound) in &s.type_params {
            let r = self.alloc();
            self.emit_typevar(tv, bound.as_ref(), r, sp)?;
            tv_regs.push((tv.clone(), r));
        }
        // The struct's own name may appear in its field types
        // (`next::Union{Node, Nothing}`): bind it to a type variable meanwhile.
        let r = self.alloc();
        self.emit_typevar(&s.name, None, r, sp)?;
        tv_regs.push((s.name.clone(), r));
        for (tv, r) in &tv_regs {
            let var = Var { reg: *r, boxed: false, maybe_undef: false, global: false };
            self.f().scopes.last_mut().expect("scope").vars.push((tv.clone(), var));
        }
        let mut type_regs = Vec::new();
        for f in &s.fields {
            let r = self.alloc();
            match &f.ty {
                Some(t) => self.expr(t, r)?,
                None => {
                    self.emit(Op::LoadNothing { dst: r }, sp);
                }
            }
            type_regs.push(r);
        }
        self.f().scopes.pop();
        let first = r7 + 1;
        for (i, r) in type_regs.iter().enumerate() {
            let want = first + i as Reg;
            if *r != want {
                self.emit(Op::Move { dst: want, src: *r }, sp);
            }
        }
        self.free_to(first + type_regs.len() as Reg);
        self.emit(Op::Call { base, nargs: 7 + s.fields.len() as u16 }, sp);
        if base != dst {
            self.emit(Op::Move { dst, src: base }, sp);
        }
        self.free_to(dst + 1);
        // Inner constructors become methods of the type, allowed to call `new`.
        for c in &s.constructors {
            let t = self.alloc();
            self.define_methods(c, g.0, &s.name, Some(s.name.clone()), t)?;
            self.free_to(t);
        }
        if !s.constructors.is_empty() {
            // Mark that the default constructor is replaced.
            let t = self.alloc();
            let base = self.alloc();
            self.load_base("__inner_constructors__", base, sp);
            let a = self.alloc();
            self.emit(Op::GetGlobal { dst: a, g: g.0 }, sp);
            self.emit(Op::Call { base, nargs: 1 }, sp);
            self.free_to(t);
        }
        Ok(())
    }

    pub(crate) fn abstract_def(
        &mut self,
        name: &str,
        supertype: Option<&Expr>,
        doc: Option<&str>,
        dst: Reg,
        sp: Span,
    ) -> CResult<()> {
        let g = self.globals.intern(self.opts.module, Sym::new(name));
        self.toplevel_assigned.insert(name.to_string());
        if let Some(doc) = doc {
            self.set_doc(g.0, doc, sp);
        }
        let base = self.call_start(dst);
        self.load_base("__defabstract__", base, sp);
        let r1 = self.alloc();
        self.load_global_id(g.0, r1, sp);
        let r2 = self.alloc();
        let k = self.konst(Const::Sym(Sym::new(name)));
        self.emit(Op::LoadConst { dst: r2, k }, sp);
        let r3 = self.alloc();
        match supertype {
            Some(t) => self.expr(t, r3)?,
            None => {
                self.emit(Op::LoadNothing { dst: r3 }, sp);
            }
        }
        self.call_finish(base, 3, dst, sp);
        Ok(())
    }
}
