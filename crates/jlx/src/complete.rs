//! Tab completion for the REPL: given a line and the cursor, the start of
//! the word being completed and its sorted candidates. Completes
//! `\alpha`-style LaTeX names to the Unicode symbols jlx's lexer accepts,
//! members after `Threads.`/`Base.`/`Random.`, field names after `x.`
//! when the global `x` holds a struct instance, and otherwise globals of
//! Main, exported Base names, macros (`@sy` → `@sync`) and keywords.
//!
//! Invariant: the returned offset is a char boundary at or before the
//! cursor; replacing `line[start..pos]` with a candidate gives the
//! completed text. Nothing is offered inside a string literal or for an
//! empty word.

use jlx_base::Sym;
use jlx_bytecode::ModId;
use jlx_vm::obj::Obj;
use jlx_vm::{Runtime, Value};

/// LaTeX-style names (as Julia's REPL spells them) of the symbols jlx
/// accepts: its Unicode operators (`jlx-syntax/src/lexer.rs`), the
/// constants `π`/`ℯ`, Greek letters and sub/superscript digits (identifier
/// characters). When several names give one symbol the first is canonical.
pub const LATEX: &[(&str, &str)] = &[
    ("\\div", "÷"),
    ("\\xor", "⊻"),
    ("\\veebar", "⊻"),
    ("\\le", "≤"),
    ("\\leq", "≤"),
    ("\\ge", "≥"),
    ("\\geq", "≥"),
    ("\\ne", "≠"),
    ("\\equiv", "≡"),
    ("\\approx", "≈"),
    ("\\napprox", "≉"),
    ("\\in", "∈"),
    ("\\notin", "∉"),
    ("\\subseteq", "⊆"),
    ("\\supseteq", "⊇"),
    ("\\subsetneq", "⊊"),
    ("\\supsetneq", "⊋"),
    ("\\cup", "∪"),
    ("\\cap", "∩"),
    ("\\circ", "∘"),
    ("\\sqrt", "√"),
    ("\\euler", "ℯ"),
    ("\\prime", "′"),
    ("\\alpha", "α"),
    ("\\beta", "β"),
    ("\\gamma", "γ"),
    ("\\delta", "δ"),
    ("\\epsilon", "ϵ"),
    ("\\varepsilon", "ε"),
    ("\\zeta", "ζ"),
    ("\\eta", "η"),
    ("\\theta", "θ"),
    ("\\vartheta", "ϑ"),
    ("\\iota", "ι"),
    ("\\kappa", "κ"),
    ("\\lambda", "λ"),
    ("\\mu", "μ"),
    ("\\nu", "ν"),
    ("\\xi", "ξ"),
    ("\\pi", "π"),
    ("\\varpi", "ϖ"),
    ("\\rho", "ρ"),
    ("\\varrho", "ϱ"),
    ("\\sigma", "σ"),
    ("\\varsigma", "ς"),
    ("\\tau", "τ"),
    ("\\upsilon", "υ"),
    ("\\phi", "ϕ"),
    ("\\varphi", "φ"),
    ("\\chi", "χ"),
    ("\\psi", "ψ"),
    ("\\omega", "ω"),
    ("\\Gamma", "Γ"),
    ("\\Delta", "Δ"),
    ("\\Theta", "Θ"),
    ("\\Lambda", "Λ"),
    ("\\Xi", "Ξ"),
    ("\\Pi", "Π"),
    ("\\Sigma", "Σ"),
    ("\\Upsilon", "Υ"),
    ("\\Phi", "Φ"),
    ("\\Psi", "Ψ"),
    ("\\Omega", "Ω"),
    ("\\_0", "₀"),
    ("\\_1", "₁"),
    ("\\_2", "₂"),
    ("\\_3", "₃"),
    ("\\_4", "₄"),
    ("\\_5", "₅"),
    ("\\_6", "₆"),
    ("\\_7", "₇"),
    ("\\_8", "₈"),
    ("\\_9", "₉"),
    ("\\^0", "⁰"),
    ("\\^1", "¹"),
    ("\\^2", "²"),
    ("\\^3", "³"),
    ("\\^4", "⁴"),
    ("\\^5", "⁵"),
    ("\\^6", "⁶"),
    ("\\^7", "⁷"),
    ("\\^8", "⁸"),
    ("\\^9", "⁹"),
];

/// The canonical LaTeX name of `symbol` (`÷` → `\div`), for help's
/// "can be typed by" line.
pub fn latex_of(symbol: &str) -> Option<&'static str> {
    LATEX.iter().find(|(_, s)| *s == symbol).map(|(l, _)| *l)
}

/// Can `c` be part of an identifier (or a `!`-suffixed name)?
fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '!' || c == '′'
}

/// The start of the word being completed in `line[..pos]`, the candidates
/// that replace `line[start..pos]`, sorted. (Called by the REPL's line editor.)
pub fn completions(rt: &Runtime, line: &str, pos: usize) -> (usize, Vec<String>) {
    let mut pos = pos.min(line.len());
    while !line.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &line[..pos];
    if in_string(before) {
        return (pos, vec![]);
    }
    // `\alpha`: the backslash and the letters after it.
    if let Some(bs) = before.rfind('\\') {
        let word = &before[bs..];
        if word[1..].chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '^') {
            if let Some((_, sym)) = LATEX.iter().find(|(l, _)| *l == word) {
                return (bs, vec![sym.to_string()]);
            }
            let mut v: Vec<String> =
                LATEX.iter().filter(|(l, _)| l.starts_with(word)).map(|(l, _)| l.to_string()).collect();
            v.sort();
            return (bs, v);
        }
    }
    let start = before.char_indices().rev().take_while(|(_, c)| ident_char(*c)).last().map(|(i, _)| i);
    let mut start = start.unwrap_or(pos);
    let is_macro = before[..start].ends_with('@');
    if is_macro {
        start -= 1;
    }
    let word = &before[start..];
    // `owner.word`: module members or struct fields.
    if let Some(owner_end) = before[..start].strip_suffix('.').map(|s| s.len()) {
        let owner_start = before[..owner_end]
            .char_indices()
            .rev()
            .take_while(|(_, c)| ident_char(*c))
            .last()
            .map(|(i, _)| i)
            .unwrap_or(owner_end);
        let owner = &before[owner_start..owner_end];
        let names = members(rt, owner);
        return (start, matching(names, word));
    }
    if word.is_empty() {
        return (pos, vec![]);
    }
    let names = crate::help::accessible(rt);
    let names = if is_macro { names.into_iter().filter(|n| n.starts_with('@')).collect() } else { names };
    (start, matching(names, word))
}

/// `names` that start with `word`, sorted and without repeats.
fn matching(names: Vec<String>, word: &str) -> Vec<String> {
    let mut v: Vec<String> = names.into_iter().filter(|n| n.starts_with(word)).collect();
    v.sort();
    v.dedup();
    v
}

/// Is the end of `s` inside a string literal (an odd number of `"` that
/// are neither escaped nor the character literal `'"'`)?
fn in_string(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let mut inside = false;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if inside => i += 1,
            '"' => inside = !inside,
            '\'' if !inside && chars.get(i + 1) == Some(&'"') && chars.get(i + 2) == Some(&'\'') => i += 2,
            _ => {}
        }
        i += 1;
    }
    inside
}

/// What may follow `owner.`: the members of a module, or the fields of
/// the struct instance bound to the global `owner`.
fn members(rt: &Runtime, owner: &str) -> Vec<String> {
    if let Some(m) = ModId::by_name(owner) {
        return module_members(rt, m);
    }
    let Some(g) = rt.names.lookup(ModId::MAIN, Sym::new(owner)) else { return vec![] };
    let ty = match rt.cell(g).get() {
        Some(Value::Obj(o)) => match &*o {
            Obj::Struct(s) => s.ty,
            Obj::MStruct(s) => s.ty,
            Obj::Module(m) => return module_members(rt, *m),
            _ => return vec![],
        },
        _ => return vec![],
    };
    rt.type_def(ty).fields().iter().map(|f| f.as_str().to_string()).collect()
}

/// The bound names of module `m` (its macros too: `Threads.@spawn`).
fn module_members(rt: &Runtime, m: ModId) -> Vec<String> {
    let mut v: Vec<String> = rt
        .names
        .names_in(m)
        .into_iter()
        .map(|s| s.as_str())
        .filter(|n| !crate::help::is_internal(n))
        .filter(|n| rt.names.lookup(m, Sym::new(n)).is_some_and(|g| rt.cell(g).get().is_some()))
        .map(str::to_string)
        .collect();
    if m == ModId::THREADS {
        v.extend(["@spawn".to_string(), "@threads".to_string()]);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Outcome, Session};

    fn session_with(src: &str) -> Session {
        let mut s = Session::new(Default::default()).expect("session");
        assert!(matches!(s.run_source("test", src, ModId::MAIN, true), Outcome::Value(_)));
        s
    }

    fn at_end(s: &Session, line: &str) -> (usize, Vec<String>) {
        completions(&s.rt, line, line.len())
    }

    #[test]
    fn globals_builtins_and_keywords() {
        let s = session_with("myvariable = 1\nmyfunction(x) = x\n");
        assert_eq!(at_end(&s, "x = myv"), (4, vec!["myvariable".to_string()]));
        assert_eq!(at_end(&s, "my").1, vec!["myfunction", "myvariable"]);
        assert_eq!(at_end(&s, "put").1, vec!["put!"]);
        assert_eq!(at_end(&s, "take!(c); isre").1, vec!["isready"]);
        let f = at_end(&s, "fun").1;
        assert_eq!(f, vec!["function"]);
        assert!(at_end(&s, "whil").1.contains(&"while".to_string()));
        // Internal helpers and unexported Base names are not offered.
        assert!(at_end(&s, "__def").1.is_empty());
        assert!(at_end(&s, "Semaph").1.is_empty());
        assert_eq!(at_end(&s, ""), (0, vec![]));
    }

    #[test]
    fn macros() {
        let s = session_with("1");
        assert_eq!(at_end(&s, "@syn"), (0, vec!["@sync".to_string()]));
        assert_eq!(at_end(&s, "@as").1, vec!["@assert", "@async"]);
    }

    #[test]
    fn threads_members() {
        let s = session_with("1");
        let (start, v) = at_end(&s, "Threads.");
        assert_eq!(start, 8);
        assert_eq!(
            v,
            vec![
                "@spawn",
                "@threads",
                "AbstractSchedule",
                "Atomic",
                "Condition",
                "Event",
                "FairSchedule",
                "SpinLock",
                "StaticSchedule",
                "atomic_add!",
                "atomic_and!",
                "atomic_cas!",
                "atomic_fence",
                "atomic_max!",
                "atomic_min!",
                "atomic_nand!",
                "atomic_or!",
                "atomic_sub!",
                "atomic_xchg!",
                "atomic_xor!",
                "foreach",
                "maxthreadid",
                "ngcthreads",
                "nthreads",
                "threadid",
                "threadpool",
                "threadpoolsize"
            ]
        );
        assert_eq!(at_end(&s, "Threads.@sp"), (8, vec!["@spawn".to_string()]));
        assert_eq!(at_end(&s, "x = Threads.nth"), (12, vec!["nthreads".to_string()]));
        assert_eq!(at_end(&s, "Base.Seman").1, Vec::<String>::new());
        assert_eq!(at_end(&s, "Base.Semap").1, vec!["Semaphore"]);
    }

    #[test]
    fn struct_fields() {
        let s = session_with(
            "struct Pt\n  xcoord\n  ycoord\nend\np = Pt(1, 2)\nmutable struct M; count; end\nm = M(0)\n",
        );
        assert_eq!(at_end(&s, "p."), (2, vec!["xcoord".to_string(), "ycoord".to_string()]));
        assert_eq!(at_end(&s, "p.y"), (2, vec!["ycoord".to_string()]));
        assert_eq!(at_end(&s, "m.c").1, vec!["count"]);
        assert!(at_end(&s, "nosuch.x").1.is_empty());
    }

    #[test]
    fn latex_symbols() {
        let s = session_with("1");
        assert_eq!(at_end(&s, "\\alpha"), (0, vec!["α".to_string()]));
        assert_eq!(at_end(&s, "7 \\div"), (2, vec!["÷".to_string()]));
        assert_eq!(at_end(&s, "x \\in"), (2, vec!["∈".to_string()]));
        assert_eq!(at_end(&s, "a \\xor"), (2, vec!["⊻".to_string()]));
        assert_eq!(at_end(&s, "\\Omega"), (0, vec!["Ω".to_string()]));
        assert_eq!(at_end(&s, "\\al").1, vec!["\\alpha"]);
        assert_eq!(at_end(&s, "\\ap").1, vec!["\\approx"]);
        assert_eq!(latex_of("÷"), Some("\\div"));
        // The cursor in the middle of a line.
        assert_eq!(completions(&s.rt, "\\pi + 1", 3), (0, vec!["π".to_string()]));
    }

    #[test]
    fn nothing_inside_strings() {
        let s = session_with("1");
        assert!(at_end(&s, "println(\"pu").1.is_empty());
        assert_eq!(at_end(&s, "println(\"a\", pu").1, vec!["push!", "pushfirst!", "put!"]);
    }

    #[test]
    fn every_latex_symbol_lexes() {
        for (name, sym) in LATEX {
            let src = if sym.chars().all(char::is_alphabetic) {
                format!("{sym} = 1")
            } else if "₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹′".contains(sym) {
                format!("x{sym} = 1")
            } else if *sym == "√" {
                "√4".to_string()
            } else {
                format!("a {sym} b")
            };
            let file = jlx_base::SourceMap::new().add("t", &src);
            assert!(jlx_syntax::parse_program(&src, file).is_ok(), "{name} → {sym}: {src}");
        }
    }
}
