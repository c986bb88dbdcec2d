//! Module visibility: `using`/`import` statements, and the names Julia does
//! not export from `Base` or `Base.Threads`.
//!
//! A name in [`jlx_bytecode::BASE_UNEXPORTED`] (`Event`, `acquire`, ...) read
//! unqualified outside Base is a global of the unit's module, so it is an
//! `UndefVarError` until a `using`/`import` binds it. Such a statement
//! interns the names it brings in at compile time (later code refers to the
//! module's cell) and binds them at run time (`Base.__using__`), as Julia
//! resolves a binding when it is first used. Macros are expanded at compile
//! time, so `using Base.Threads` leaves a marker global `@spawn` that makes
//! the unqualified macro visible to later statements and units; a top-level
//! statement that uses a macro not visible there throws Julia's
//! `UndefVarError` when it runs, before any of it runs (as does one with a
//! misused `@threads`, with its `ArgumentError`).

use crate::macros::{call, ident};
use crate::{CResult, Compiler};
use jlx_base::{Span, Sym};
use jlx_bytecode::{ModId, Op, Reg, THREADS_EXPORTS};
use jlx_syntax::ast::*;

/// Modules `using`/`import` accepts: Base's submodules and the standard
/// libraries whose functions jlx defines in Base.
const KNOWN: &[&str] =
    &["Base", "Core", "Main", "Threads", "Random", "Printf", "Statistics", "LinearAlgebra"];

/// The Threads macros the compiler lowers (Julia exports both from `Threads`).
const THREADS_MACROS: &[&str] = &["spawn", "threads"];

impl Compiler<'_> {
    /// `using M`, `using M: a, b`, `import M.a` (paths may start with `.`).
    pub(crate) fn using_stmt(
        &mut self,
        import: bool,
        path: &[Name],
        names: &[Name],
        dst: Reg,
        sp: Span,
    ) -> CResult<()> {
        let abs: Vec<&str> = path.iter().map(|s| s.as_str()).skip_while(|s| *s == ".").collect();
        if let Some(first) = abs.first() {
            if !KNOWN.contains(first) {
                return Err(self.err(sp, format!("package `{first}` not found (jlx has no package manager)")));
            }
        }
        self.emit(Op::LoadNothing { dst }, sp);
        if self.opts.module == ModId::BASE {
            return Ok(());
        }
        // `import Base.Event`: the last component is a name, not a module.
        let (module_path, names): (&[&str], Vec<String>) = match (names.is_empty(), abs.split_last()) {
            (true, Some((last, init))) if !init.is_empty() && ModId::by_name(last).is_none() => {
                (init, vec![last.to_string()])
            }
            _ => (&abs[..], names.to_vec()),
        };
        let from = match module_path.last() {
            Some(&"Threads")
                if module_path[..module_path.len() - 1]
                    .iter()
                    .all(|m| matches!(*m, "Base" | "Core" | "Main")) =>
            {
                ModId::THREADS
            }
            Some(&"Base" | &"Core") if module_path.len() == 1 => ModId::BASE,
            _ => return Ok(()),
        };
        let names: Vec<String> = if names.is_empty() {
            // `using Base.Threads` brings in its exports; `import` only the module.
            if import || from != ModId::THREADS {
                return Ok(());
            }
            THREADS_EXPORTS.iter().map(|s| s.to_string()).collect()
        } else {
            names
        };
        let into = self.opts.module;
        let mut bind = Vec::new();
        for n in names {
            if let Some(m) = n.strip_prefix('@') {
                if from == ModId::THREADS && THREADS_MACROS.contains(&m) {
                    self.globals.intern(into, Sym::new(&n));
                }
            } else if from == ModId::THREADS || jlx_bytecode::is_unexported_base(into, &n) {
                self.globals.intern(into, Sym::new(&n));
                bind.push(n);
            }
        }
        if bind.is_empty() {
            return Ok(());
        }
        let modname = |m: ModId| Arg::Pos(ident(m.name(), sp));
        let syms = bind.iter().map(|n| Arg::Pos(Expr::new(ExprKind::Symbol(n.clone()), sp))).collect();
        let args = [modname(into), modname(from), Arg::Pos(Expr::new(ExprKind::Tuple(syms), sp))];
        let r = self.alloc();
        let res = self.call_base("__using__", &args, r, sp);
        self.free_to(r);
        res
    }

    /// Is the unqualified macro `@name` visible here? The Threads macros are
    /// only after `using Base.Threads` (or `using .Threads: @spawn`, ...).
    pub(crate) fn macro_visible(&self, path: &[Name], name: &str) -> bool {
        if !THREADS_MACROS.contains(&name) || !path.is_empty() || self.opts.module == ModId::BASE {
            return true;
        }
        self.globals.lookup(self.opts.module, Sym::new(&format!("@{name}"))).is_some()
    }

    /// What a top-level statement throws instead of running when expanding
    /// one of its macros fails (Julia expands the whole statement first):
    /// `UndefVarError` for the first macro that is not visible, or the
    /// `ArgumentError` of a misused `@threads`. The throw is placed at `sp`
    /// (the statement's span).
    pub(crate) fn expansion_error(&self, e: &Expr, sp: Span) -> Option<Expr> {
        if let ExprKind::Macro { path, name, args } = &e.kind {
            if !self.macro_visible(path, name) {
                return Some(self.undef_var_throw(&format!("@{name}"), sp));
            }
            if name == "threads" {
                if let Err(msg) = crate::macros::threads_parts(args) {
                    return Some(crate::macros::throw_argument_error(msg, sp));
                }
            }
        }
        let mut found = None;
        crate::scope::children(e, &mut |c| {
            if found.is_none() {
                found = self.expansion_error(c, sp);
            }
        });
        found
    }

    /// `throw(UndefVarError(name, Main))`: a statement whose expansion
    /// failed because `name` is not defined.
    fn undef_var_throw(&self, name: &str, sp: Span) -> Expr {
        let m = self.opts.module.name();
        call(
            "throw",
            vec![call(
                "UndefVarError",
                vec![Expr::new(ExprKind::Symbol(name.to_string()), sp), ident(m, sp)],
                sp,
            )],
            sp,
        )
    }

    pub(crate) fn throw_undef_var(&mut self, name: &str, dst: Reg, sp: Span) -> CResult<()> {
        let e = self.undef_var_throw(name, sp);
        self.expr(&e, dst)
    }
}
