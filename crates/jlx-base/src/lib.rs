//! Shared plain data for every stage of jlx: source spans, the source map,
//! diagnostics and the global symbol interner.
//!
//! Invariants: nothing here depends on any other jlx crate; every type is
//! `Send + Sync` so the REPL's input thread and worker threads can share it.

pub mod diag;
pub mod source;
pub mod span;
pub mod symbol;

pub use diag::{Diagnostic, Label, Severity};
pub use source::{SourceFile, SourceMap};
pub use span::{FileId, Span};
pub use symbol::Sym;
