//! Source text to AST: the logos raw lexer, the context filter that makes
//! Julia's whitespace-sensitive spots context-free, the lalrpop grammar in
//! `grammar/jlx.lalrpop`, and curated parse errors.
//!
//! Pipeline: `source --lexer--> raw tokens --filter--> tokens --lalrpop--> AST`
//! (`lexer.rs`, `filter.rs`, the generated parser driven by `parser.rs`, with the
//! AST built and validated by `builder.rs`).
//!
//! Public API (used by the compiler and the REPL):
//! - [`parse_program`]: parse a whole file or REPL input, reporting every error.
//! - [`input_status`]: is this REPL input complete, or does it need more lines?
//! - [`sexp::to_sexp`]: a compact S-expression rendering of an AST (tests, debugging).
//!
//! Invariant: no input makes the parser panic (tested on every prefix of sample
//! programs and on random bytes).

pub mod ast;
mod builder;
pub mod filter;
pub mod lexer;
mod parser;
pub mod sexp;
pub mod token;

pub use ast::*;

/// Parse a whole file / REPL input. Returns the program, or every error found (at least one).
pub fn parse_program(src: &str, file: jlx_base::FileId) -> Result<ast::Program, Vec<jlx_base::Diagnostic>> {
    let out = parser::run(src, file);
    match out.body {
        Some(body) if out.diags.is_empty() => Ok(ast::Program { body }),
        _ => Err(out.diags),
    }
}

/// Whether a REPL input can be evaluated or needs more lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputStatus {
    /// Evaluate it (it may still contain a real syntax error, which is then reported).
    Complete,
    /// An unclosed bracket, block, string or comment, or an error at the very end.
    Incomplete,
}

/// For the REPL: does this input need more lines?
pub fn input_status(src: &str) -> InputStatus {
    if parser::run(src, jlx_base::FileId(0)).incomplete {
        InputStatus::Incomplete
    } else {
        InputStatus::Complete
    }
}
