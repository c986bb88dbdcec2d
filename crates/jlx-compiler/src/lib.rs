//! AST to bytecode: Julia's scope rules, closures, macro lowering and code
//! generation for the register VM.
//!
//! Architecture invariant: the compiler never evaluates jlx code. Everything
//! that needs a value at definition time (method signatures, struct field
//! types) is emitted as ordinary code calling `Base.__defmethod__`,
//! `Base.__defstruct__`, ...; the VM does the rest.
//!
//! Structure: a stack of [`func::FuncState`]s (one per function being
//! compiled, innermost last); each holds its scopes, registers, loops and
//! active exception handlers. Names resolve innermost scope first, then
//! enclosing functions (becoming captures), then globals. Each finished
//! prototype goes through `opt` (definite assignment: unneeded
//! `CheckDefined` ops are deleted).

mod atomic;
mod control;
mod defs;
mod expr;
mod func;
mod macros;
mod modules;
mod opt;
pub mod scope;

use jlx_base::{Diagnostic, FileId, Span};
use jlx_bytecode::{GlobalNames, ModId, Proto};
use jlx_syntax::ast::Program;
use std::collections::HashSet;
use std::sync::Arc;

pub use func::FuncState;
pub use macros::MACROS;

/// How a compilation unit is compiled.
#[derive(Clone, Debug)]
pub struct Options {
    /// Display name of the source file (for `@__FILE__`).
    pub source_name: String,
    /// The module whose globals top-level names refer to.
    pub module: ModId,
    /// REPL semantics for soft scope (assignments in top-level loops assign existing globals).
    pub interactive: bool,
}

/// A compiled unit: its top-level chunk and any warnings (soft-scope ambiguity).
pub struct Compiled {
    pub proto: Arc<Proto>,
    pub warnings: Vec<Diagnostic>,
}

pub(crate) type CResult<T> = Result<T, Diagnostic>;

/// Compile a parsed program into a top-level chunk.
pub fn compile_program(
    prog: &Program,
    file: FileId,
    src: &str,
    globals: &GlobalNames,
    opts: &Options,
) -> Result<Compiled, Vec<Diagnostic>> {
    let mut c = Compiler::new(file, src, globals.clone(), opts.clone());
    c.source_name = opts.source_name.clone();
    let proto = c.compile_toplevel(prog)?;
    Ok(Compiled { proto, warnings: c.warnings })
}

pub(crate) struct Compiler<'s> {
    pub src: &'s str,
    pub globals: GlobalNames,
    pub opts: Options,
    pub funcs: Vec<FuncState>,
    pub errors: Vec<Diagnostic>,
    /// Globals assigned at top level so far in this unit (for soft-scope warnings).
    pub toplevel_assigned: HashSet<String>,
    /// Warnings (soft-scope ambiguity) to print before running.
    pub warnings: Vec<Diagnostic>,
    /// Display name of the source (for `@__FILE__`).
    pub source_name: String,
    /// The next `block` compiled is the program's own statement list.
    pub program_level: bool,
}

impl<'s> Compiler<'s> {
    fn new(file: FileId, src: &'s str, globals: GlobalNames, opts: Options) -> Self {
        let _ = file;
        Compiler {
            src,
            globals,
            opts,
            funcs: Vec::new(),
            errors: Vec::new(),
            toplevel_assigned: HashSet::new(),
            warnings: Vec::new(),
            source_name: String::new(),
            program_level: false,
        }
    }

    pub(crate) fn text(&self, span: Span) -> &str {
        self.src.get(span.range()).unwrap_or("")
    }
}
