//! The REPL's bridge to help mode (`?name`, `help.rs`) and tab completion
//! (`complete.rs`): the REPL and its line editor call only these two
//! functions.

use jlx_vm::Runtime;

/// The text to print for `?query` (`query` without the `?`, trimmed).
pub fn help(rt: &Runtime, query: &str) -> String {
    crate::help::help_text(rt, query)
}

/// Completions of the word before byte `pos` of `line`: the byte where the
/// replaced word starts, and the candidates.
pub fn complete(rt: &Runtime, line: &str, pos: usize) -> (usize, Vec<String>) {
    crate::complete::completions(rt, line, pos)
}
