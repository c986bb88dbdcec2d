//! Source text to AST: the logos raw lexer, the context filter that makes
//! Julia's whitespace-sensitive spots context-free, the lalrpop grammar in
//! `grammar/jlx.lalrpop`, and curated parse errors.
//!
//! Public API (used by the compiler and the REPL):
//! - [`parse_program`]: parse a whole file or REPL input, reporting every error.
//! - [`input_status`]: is this REPL input complete, or does it need more lines?

pub mod ast;

pub use ast::*;
