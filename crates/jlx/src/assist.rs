//! The REPL's bridge to help mode (`?name`) and tab completion: the REPL
//! and its line editor call only these two functions, so the modules that
//! implement them can change without touching the REPL.
//!
//! MERGE NOTE: `help.rs` (`help_text`) and `complete.rs` (`completions`)
//! are written on another branch. Until they are merged, the private
//! `fallback` module below stands in for them; at merge, delete `fallback`
//! and point the two functions at `crate::help::help_text` and
//! `crate::complete::completions`.

use jlx_vm::Runtime;

/// The text to print for `?query` (`query` without the `?`, trimmed).
pub fn help(rt: &Runtime, query: &str) -> String {
    fallback::help_text(rt, query)
}

/// Completions of the word before byte `pos` of `line`: the byte where the
/// replaced word starts, and the candidates.
pub fn complete(rt: &Runtime, line: &str, pos: usize) -> (usize, Vec<String>) {
    fallback::completions(rt, line, pos)
}

/// Stand-ins until the help and completion modules are merged (see the
/// module comment): help says it is not available, completion offers
/// nothing.
mod fallback {
    use jlx_vm::Runtime;

    pub fn help_text(_rt: &Runtime, _query: &str) -> String {
        "help mode is not available yet\n".to_string()
    }

    pub fn completions(_rt: &Runtime, _line: &str, pos: usize) -> (usize, Vec<String>) {
        (pos, Vec::new())
    }
}
