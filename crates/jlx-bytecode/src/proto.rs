//! Function prototypes: the compiled form of one jlx method body, closure,
//! or top-level chunk.
//!
//! Invariants: `code.len() == spans.len()`; registers `0..nparams` hold the
//! positional parameters (the last one a tuple when `vararg`), then one
//! register for the keyword NamedTuple when `has_kw`; `nregs` covers every
//! register the code touches.

use crate::op::Op;
use jlx_base::{Span, Sym};
use std::sync::Arc;

/// A compile-time constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    Int(i64),
    Float(f64),
    Str(Arc<str>),
    Char(char),
    Sym(Sym),
    /// A tuple of symbols (keyword names, field names).
    Syms(Arc<[Sym]>),
    /// The id of a global binding (a `GlobalId`), loaded as an `Int`: the
    /// definition helpers (`__defmethod__`, `__defstruct__`, `__setdoc__`)
    /// take the binding they define this way. Kept apart from `Int` so that
    /// code moved to another global table (`image`) can be renumbered.
    GlobalId(u32),
    /// The closure of child prototype `P[idx]` with none of its captures
    /// filled in: the thunk of `@async`/`@spawn`, passed to
    /// `__async__`/`__spawn__` followed by the captured values, so the
    /// task keeps them itself and no closure object is made per task.
    Proto(u16),
}

/// Static description of a `struct` definition (field types are evaluated at run time).
#[derive(Clone, Debug, PartialEq)]
pub struct StructSpec {
    pub name: Sym,
    pub mutable: bool,
    pub fields: Vec<Sym>,
}

#[derive(Debug)]
pub struct Proto {
    pub name: Sym,
    /// Where the definition starts (for stack traces).
    pub span: Span,
    pub nparams: u16,
    pub vararg: bool,
    pub has_kw: bool,
    pub ncaptures: u16,
    pub nregs: u16,
    pub code: Vec<Op>,
    pub spans: Vec<Span>,
    pub consts: Vec<Const>,
    pub protos: Vec<Arc<Proto>>,
    /// Parameter names, for stack traces and `MethodError` candidates.
    pub param_names: Vec<Sym>,
    /// True for top-level chunks (shown as `top-level scope`).
    pub toplevel: bool,
}

impl Proto {
    /// The span of the instruction at `pc`.
    pub fn span_at(&self, pc: usize) -> Span {
        self.spans.get(pc).copied().unwrap_or(self.span)
    }
}
