//! Help mode: the text the REPL prints for `?name` (and `jlx --help-for
//! NAME`). Owns the table of built-in docstrings (`stdlib/docs/*.md`,
//! embedded at build time), the lookup of a name (user docstrings recorded
//! in `Runtime::docs` first, then the built-in table), Julia's summaries of
//! undocumented bindings, the "Couldn't find ... Perhaps you meant ..."
//! corrections for undefined names, and the plain-text rendering.
//!
//! Rendering: Julia renders a docstring's markdown for the terminal; jlx
//! prints the same layout without colours. Every block is indented by
//! Julia's 2-column margin (code blocks too, not further), blocks are
//! separated by a blank line, paragraphs are re-wrapped at 76 columns,
//! inline code loses its backticks, `# Header` lines are underlined with
//! `≡` (`=` for `##`, ...), list items start with `•`, and the docstrings
//! of several methods are separated by a `─` rule.
//!
//! Invariant: every name in [`documented_names`] resolves to a binding jlx
//! defines, and every exported Base binding has an entry (unit tests).

use crate::docs;
use jlx_base::Sym;
use jlx_bytecode::ModId;
use jlx_vm::runtime::World;
use jlx_vm::{Runtime, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The built-in docstring files.
const FILES: &[&str] = &[
    include_str!("../../../stdlib/docs/operators.md"),
    include_str!("../../../stdlib/docs/types.md"),
    include_str!("../../../stdlib/docs/errors.md"),
    include_str!("../../../stdlib/docs/math.md"),
    include_str!("../../../stdlib/docs/strings.md"),
    include_str!("../../../stdlib/docs/collections.md"),
    include_str!("../../../stdlib/docs/core.md"),
    include_str!("../../../stdlib/docs/io.md"),
    include_str!("../../../stdlib/docs/tasks.md"),
    include_str!("../../../stdlib/docs/macros.md"),
    include_str!("../../../stdlib/docs/keywords.md"),
];

/// Julia's help margin.
const MARGIN: usize = 2;
/// Julia's terminal width when it is not a terminal (`displaysize`).
const COLUMNS: usize = 80;

/// The words of the language (help looks them up, completion offers them).
pub const KEYWORDS: &[&str] = &[
    "abstract type",
    "baremodule",
    "begin",
    "break",
    "catch",
    "const",
    "continue",
    "do",
    "else",
    "elseif",
    "end",
    "export",
    "false",
    "finally",
    "for",
    "function",
    "global",
    "if",
    "import",
    "let",
    "local",
    "macro",
    "module",
    "mutable struct",
    "quote",
    "return",
    "struct",
    "true",
    "try",
    "using",
    "while",
];

/// Built-in docstrings by name (`put!`, `@sync`, `Threads.@spawn`).
fn builtin_docs() -> &'static HashMap<&'static str, String> {
    static DOCS: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let mut m = HashMap::new();
        for file in FILES {
            for e in docs::parse(file) {
                for n in e.names {
                    m.insert(n, e.text.clone());
                }
            }
        }
        m
    })
}

/// The docs key of a keyword: `mutable struct` is under `mutable`.
fn keyword_key(k: &str) -> &str {
    k.split_whitespace().next().unwrap_or(k)
}

/// Every name with a built-in docstring.
#[cfg(test)]
fn documented_names() -> Vec<&'static str> {
    let mut v: Vec<&str> = builtin_docs().keys().copied().collect();
    v.sort_unstable();
    v
}

/// Is `name` one of jlx's internal helpers (`__defmethod__`, `#sync`)?
pub fn is_internal(name: &str) -> bool {
    name.starts_with('_') || name.contains('#')
}

/// The value bound to `module.name`, if any.
fn binding(rt: &Runtime, module: ModId, name: &str) -> Option<Value> {
    let g = rt.names.lookup(module, Sym::new(name))?;
    rt.cell(g).get()
}

/// Is `@name` a macro visible in Main?
fn macro_exists(rt: &Runtime, name: &str) -> bool {
    let Some(bare) = name.strip_prefix('@') else { return false };
    jlx_compiler::MACROS.contains(&bare)
        && (!matches!(bare, "spawn" | "threads") || rt.names.lookup(ModId::MAIN, Sym::new(name)).is_some())
}

/// The names `?` can find unqualified from Main: Main's globals, exported
/// Base names, the macros and the keywords (Julia's `accessible(Main)`).
pub fn accessible(rt: &Runtime) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in [ModId::MAIN, ModId::BASE] {
        for s in rt.names.names_in(m) {
            let n = s.as_str();
            if is_internal(n) || (m == ModId::BASE && jlx_bytecode::BASE_UNEXPORTED.contains(&n)) {
                continue;
            }
            // Main's `@spawn` is bound by `using Base.Threads` (no value).
            if (m == ModId::MAIN && n.starts_with('@')) || binding(rt, m, n).is_some() {
                out.push(n.to_string());
            }
        }
    }
    for m in jlx_compiler::MACROS {
        if !matches!(*m, "spawn" | "threads") {
            out.push(format!("@{m}"));
        }
    }
    out.extend(KEYWORDS.iter().map(|k| k.to_string()));
    out.sort();
    out.dedup();
    out
}

/// The help text for `?query`: what the REPL prints (ending with a
/// newline; the REPL adds the blank line it prints after every result).
pub fn help_text(rt: &Runtime, query: &str) -> String {
    let query = query.trim();
    let query = query.strip_prefix('?').unwrap_or(query).trim();
    if query.is_empty() {
        return render(
            "Welcome to jlx help mode. Type `?` and a name (a function, macro, type or keyword) to \
             see its documentation, e.g. `?put!`, `?@sync`, `?Threads.@spawn`.",
        );
    }
    let query = if KEYWORDS.contains(&query) { keyword_key(query) } else { query };
    let (module, name) = split_qualified(query);
    let mut out = String::new();
    if let Some(latex) = crate::complete::latex_of(name) {
        out.push_str(&format!("\"{name}\" can be typed by {latex}<tab>\n\n"));
    }
    // User docstrings (functions, structs, abstract types).
    let user = rt.docs.read().get(&(module.unwrap_or(ModId::MAIN), Sym::new(name))).cloned();
    let user = user.or_else(|| {
        if module.is_none() {
            rt.docs.read().get(&(ModId::BASE, Sym::new(name))).cloned()
        } else {
            None
        }
    });
    if let Some(d) = user {
        out.push_str(&render(&d));
        return out;
    }
    let key = match module {
        Some(ModId::THREADS) => format!("Threads.{name}"),
        Some(ModId::RANDOM) => format!("Random.{name}"),
        _ => name.to_string(),
    };
    let main_binding = module.is_none() && binding(rt, ModId::MAIN, name).is_some();
    if !main_binding {
        if let Some(d) = builtin_docs().get(key.as_str()) {
            out.push_str(&render(d));
            return out;
        }
        // `?@spawn` after `using Base.Threads`.
        if module.is_none() && rt.names.lookup(ModId::MAIN, Sym::new(name)).is_some() {
            if let Some(d) = builtin_docs().get(format!("Threads.{name}").as_str()) {
                out.push_str(&render(d));
                return out;
            }
        }
    }
    let bound = match module {
        Some(m) => binding(rt, m, name),
        None => binding(rt, ModId::MAIN, name).or_else(|| {
            if jlx_bytecode::BASE_UNEXPORTED.contains(&name) {
                None
            } else {
                binding(rt, ModId::BASE, name)
            }
        }),
    };
    match bound {
        Some(v) => out.push_str(&render(&summarize(rt, name, &v))),
        None if macro_exists(rt, name) => {
            out.push_str(&render(&format!("No documentation found for macro `{name}`.")));
        }
        None => {
            if module.is_none() {
                out.push_str(&corrections(rt, name));
            }
            let shown = match module {
                Some(m) if m != ModId::MAIN => format!("{}.{name}", m.name()),
                _ => name.to_string(),
            };
            let quot = if shown.contains(char::is_whitespace) { "'" } else { "" };
            out.push_str(&render(&format!(
                "No documentation found.\n\nBinding {quot}`{shown}`{quot} does not exist."
            )));
        }
    }
    out
}

/// `Threads.@spawn` → (Threads, `@spawn`); `put!` → (none, `put!`).
fn split_qualified(q: &str) -> (Option<ModId>, &str) {
    if let Some((m, rest)) = q.split_once('.') {
        if let Some(id) = ModId::by_name(m) {
            if !rest.is_empty() && !rest.contains('.') {
                return (Some(id), rest);
            }
        }
    }
    (None, q)
}

/// Julia's text for a binding without a docstring (`summarize`).
fn summarize(rt: &Runtime, name: &str, v: &Value) -> String {
    let world = rt.snapshot();
    let mut s = String::from("No documentation found for private symbol.\n\n");
    match v {
        Value::Func(f) => {
            let def = &world.funcs[f.0 as usize];
            s.push_str(&format!("`{name}` is a `Function`.\n\n"));
            let n = def.methods.len();
            s.push_str(&format!(
                "```\n# {n} method{} for generic function \"{name}\" from {}:\n",
                if n == 1 { "" } else { "s" },
                def.module.name()
            ));
            for (i, m) in def.methods.iter().enumerate() {
                let mut args: Vec<String> =
                    m.sig.iter().map(|t| format!("::{}", world.type_name(t))).collect();
                if m.vararg {
                    if let Some(last) = args.last_mut() {
                        last.push_str("...");
                    }
                }
                s.push_str(&format!(" [{}] {name}({})\n", i + 1, args.join(", ")));
            }
            s.push_str("```");
        }
        Value::Type(t) => s.push_str(&type_summary(&world, t)),
        Value::Obj(o) if matches!(**o, jlx_vm::obj::Obj::Module(_)) => {
            s = format!("No docstring found for module `{name}`.");
        }
        other => {
            let t = world.typeof_(other);
            s.push_str(&format!("`{name}` is of type `{}`.\n\n", world.type_name(&t)));
            s.push_str(&type_summary(&world, &t));
        }
    }
    s
}

/// `# Summary`, `# Fields` and `# Supertype Hierarchy` of a type.
fn type_summary(world: &World, t: &jlx_vm::types::JType) -> String {
    use jlx_vm::types::{tid, TypeKind};
    let name = world.type_name(t);
    let Some(id) = t.id() else { return format!("# Summary\n```\n{name}\n```") };
    let def = &world.types[id.0 as usize];
    let kind = match &def.kind {
        TypeKind::Abstract => "abstract type",
        TypeKind::Struct { mutable: true, .. } => "mutable struct",
        TypeKind::Struct { .. } => "struct",
        TypeKind::Builtin => "primitive type",
    };
    let mut s = format!("# Summary\n```\n{kind} {name}\n```");
    if let TypeKind::Struct { fields, field_types, .. } = &def.kind {
        if !fields.is_empty() {
            let pad = fields.iter().map(|f| f.as_str().chars().count()).max().unwrap_or(0);
            s.push_str("\n# Fields\n```\n");
            for (f, ft) in fields.iter().zip(field_types.iter()) {
                s.push_str(&format!("{:pad$} :: {}\n", f.as_str(), world.type_name(ft)));
            }
            s.push_str("```");
        }
    }
    if def.supertype != tid::ANY && id != tid::ANY {
        let mut chain = vec![world.type_name_of_id(id)];
        let mut cur = id;
        while cur != tid::ANY {
            cur = world.supertype(cur);
            chain.push(world.type_name_of_id(cur));
        }
        s.push_str(&format!("\n# Supertype Hierarchy\n```\n{}\n```", chain.join(" <: ")));
    }
    s
}

/// Julia's `repl_corrections`: `Couldn't find NAME` and the names within
/// edit distance 3 (and, as Julia's `levsort`, the first one beyond).
fn corrections(rt: &Runtime, word: &str) -> String {
    let quot = if word.contains(char::is_whitespace) { "'" } else { "" };
    let mut out = format!("Couldn't find {quot}{word}{quot}\n");
    let mut cands: Vec<(usize, f64, String)> =
        accessible(rt).into_iter().map(|c| (levenshtein(word, &c), -fuzzyscore(word, &c), c)).collect();
    cands.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut picked: Vec<String> = Vec::new();
    for (d, _, c) in cands {
        picked.push(if c.contains(char::is_whitespace) { format!("'{c}'") } else { c });
        if d > 3 {
            break;
        }
    }
    let pre = "Perhaps you meant ";
    out.push_str(pre);
    out.push_str(&joined_cols(&picked, ", ", " or ", COLUMNS - pre.len()));
    out.push('\n');
    out
}

/// Julia's `print_joined_cols`: as many items as fit in `cols` columns.
fn joined_cols(items: &[String], delim: &str, last: &str, cols: usize) -> String {
    let mut n = 0;
    let mut total = 0;
    for (i, it) in items.iter().enumerate() {
        total += it.chars().count();
        let i1 = i + 1;
        let width = total + i1.saturating_sub(2) * delim.len() + if i1 > 1 { last.len() } else { 0 };
        if width > cols {
            break;
        }
        n = i1;
    }
    let shown = &items[..n];
    match shown {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., end] => format!("{}{last}{end}", init.join(delim)),
    }
}

/// Edit distance (insertions, deletions, substitutions), by characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + usize::from(ca != cb));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Optimal string alignment distance (Damerau–Levenshtein where each
/// substring is edited once): edits counting a swap of neighbours as one.
pub fn string_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// Julia's `fuzzyscore`: 1 for equal strings, falling with the distance.
pub fn fuzzyscore(needle: &str, haystack: &str) -> f64 {
    let (la, lb) = (needle.chars().count(), haystack.chars().count());
    let longest = la.max(lb).max(1);
    1.0 - string_distance(needle, haystack) as f64 / longest as f64
}

// ------------------------------------------------------------------ rendering

/// Plain-text rendering of a markdown docstring, laid out as Julia's
/// terminal help (see the module comment). Ends with a newline.
pub fn render(md: &str) -> String {
    let blocks = blocks(md);
    let pad = " ".repeat(MARGIN);
    let mut out: Vec<String> = Vec::new();
    for b in blocks {
        let text = match b {
            Block::Code(lines) => lines
                .iter()
                .map(|l| format!("{pad}{l}").trim_end().to_string())
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Para(text) => wrap(&inline(&text), COLUMNS - 2 * MARGIN, &pad),
            Block::Header(level, text) => {
                let t = inline(&text);
                let under = ['≡', '=', '–', '-', '⋅'].get(level - 1).copied();
                match under {
                    Some(c) => format!("{pad}{t}\n{pad}{}", c.to_string().repeat(t.chars().count() + 1)),
                    None => format!("{pad}{t}"),
                }
            }
            Block::List(items) => items
                .iter()
                .map(|it| {
                    let body = wrap(&inline(it), COLUMNS - 4 * MARGIN - 2, &" ".repeat(2 * MARGIN + 3));
                    format!("{}•  {}", " ".repeat(2 * MARGIN), body.trim_start())
                })
                .collect::<Vec<_>>()
                .join("\n\n"),
            Block::Rule => format!("{pad}{}", "─".repeat(COLUMNS - 2 * MARGIN)),
        };
        out.push(text);
    }
    let mut s = out.join("\n\n");
    s.push('\n');
    s
}

enum Block {
    Code(Vec<String>),
    Para(String),
    Header(usize, String),
    List(Vec<String>),
    Rule,
}

/// Split markdown into blocks: fenced or 4-space-indented code, `#`
/// headers, `-`/`*` lists, `---` rules and paragraphs.
fn blocks(md: &str) -> Vec<Block> {
    let lines: Vec<&str> = md.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if t.is_empty() {
            i += 1;
        } else if t.starts_with("```") {
            let mut code = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with("```") {
                code.push(lines[i].to_string());
                i += 1;
            }
            i += 1;
            out.push(Block::Code(code));
        } else if line.starts_with("    ") {
            let mut code = Vec::new();
            while i < lines.len() && (lines[i].starts_with("    ") || lines[i].trim().is_empty()) {
                code.push(lines[i].get(4..).unwrap_or("").to_string());
                i += 1;
            }
            while code.last().is_some_and(|l| l.trim().is_empty()) {
                code.pop();
            }
            out.push(Block::Code(code));
        } else if t.chars().all(|c| c == '-') && t.len() >= 3 {
            out.push(Block::Rule);
            i += 1;
        } else if t.starts_with('#') && t.trim_start_matches('#').starts_with(' ') {
            let level = t.len() - t.trim_start_matches('#').len();
            out.push(Block::Header(level, t.trim_start_matches('#').trim().to_string()));
            i += 1;
        } else if t.starts_with("- ") || t.starts_with("* ") {
            let mut items: Vec<String> = Vec::new();
            while i < lines.len() && !lines[i].trim().is_empty() {
                let l = lines[i].trim();
                match l.strip_prefix("- ").or_else(|| l.strip_prefix("* ")) {
                    Some(rest) => items.push(rest.to_string()),
                    None => {
                        if let Some(last) = items.last_mut() {
                            last.push(' ');
                            last.push_str(l);
                        }
                    }
                }
                i += 1;
            }
            out.push(Block::List(items));
        } else {
            let mut para = Vec::new();
            while i < lines.len() && !lines[i].trim().is_empty() && !lines[i].trim_start().starts_with("```")
            {
                para.push(lines[i].trim());
                i += 1;
            }
            out.push(Block::Para(para.join(" ")));
        }
    }
    out
}

/// Inline markup as the terminal shows it without colours: code spans
/// without backticks, `**bold**`/`*italic*` without stars, links as their
/// text (with the address unless it is an `@ref`).
fn inline(s: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let ticks = chars[i..].iter().take_while(|&&c| c == '`').count();
            let rest: String = chars[i + ticks..].iter().collect();
            let close = "`".repeat(ticks);
            if let Some(end) = rest.find(&close) {
                out.push_str(rest[..end].trim());
                i += ticks + rest[..end].chars().count() + ticks;
                continue;
            }
            out.push_str(&close);
            i += ticks;
        } else if c == '[' {
            let rest: String = chars[i + 1..].iter().collect();
            if let Some(close) = rest.find("](") {
                if let Some(end) = rest[close + 2..].find(')') {
                    let text = &rest[..close];
                    let url = &rest[close + 2..close + 2 + end];
                    out.push_str(&inline(text));
                    if !url.starts_with("@ref") {
                        out.push_str(&format!(" ({url})"));
                    }
                    i += 1 + rest[..close + 2 + end + 1].chars().count();
                    continue;
                }
            }
            out.push(c);
            i += 1;
        } else if c == '*' && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
            i += 1;
            if chars.get(i) == Some(&'*') {
                i += 1;
            }
        } else if c == '*' && i > 0 && !chars[i - 1].is_whitespace() {
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Greedy word wrap at `width` columns; the first line is indented by
/// `pad` too.
fn wrap(text: &str, width: usize, pad: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for w in text.split_whitespace() {
        let len = cur.chars().count();
        if len > 0 && len + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines.iter().map(|l| format!("{pad}{l}")).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;

    fn session() -> Session {
        Session::new(Default::default()).expect("session")
    }

    /// Base's exported bindings (and Threads'/Random's): what must be documented.
    fn exported(rt: &Runtime) -> Vec<String> {
        let mut v = Vec::new();
        for (m, prefix) in [(ModId::BASE, ""), (ModId::THREADS, "Threads."), (ModId::RANDOM, "Random.")] {
            for s in rt.names.names_in(m) {
                let n = s.as_str();
                if !is_internal(n) && binding(rt, m, n).is_some() {
                    v.push(format!("{prefix}{n}"));
                }
            }
        }
        for m in jlx_compiler::MACROS {
            v.push(if matches!(*m, "spawn" | "threads") { format!("Threads.@{m}") } else { format!("@{m}") });
        }
        v.sort();
        v
    }

    #[test]
    fn every_exported_name_has_a_docstring() {
        let s = session();
        let missing: Vec<String> =
            exported(&s.rt).into_iter().filter(|n| !builtin_docs().contains_key(n.as_str())).collect();
        assert!(missing.is_empty(), "names without a docstring in stdlib/docs/*.md: {missing:?}");
    }

    #[test]
    fn every_keyword_has_a_docstring() {
        let missing: Vec<&&str> =
            KEYWORDS.iter().filter(|k| !builtin_docs().contains_key(keyword_key(k))).collect();
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn every_docstring_names_an_existing_binding() {
        let s = session();
        let have = exported(&s.rt);
        let stale: Vec<&str> = documented_names()
            .into_iter()
            .filter(|n| !have.iter().any(|h| h == n) && !KEYWORDS.iter().any(|k| keyword_key(k) == *n))
            .collect();
        assert!(stale.is_empty(), "docstrings for names jlx does not define: {stale:?}");
    }

    #[test]
    fn renders_like_julias_terminal_help() {
        let md =
            "    f(x)\n\nDoes `x` things,\nsee [`g`](@ref).\n\n# Examples\n```julia\njulia> f(1)\n2\n```";
        assert_eq!(
            render(md),
            "  f(x)\n\n  Does x things, see g.\n\n  Examples\n  ≡≡≡≡≡≡≡≡≡\n\n  julia> f(1)\n  2\n"
        );
        let long = "word ".repeat(30);
        let r = render(&long);
        assert!(r.lines().all(|l| l.chars().count() <= 78), "{r}");
        assert_eq!(render("a\n\n---\n\nb"), format!("  a\n\n  {}\n\n  b\n", "─".repeat(76)));
        assert_eq!(render("- one\n- two"), "    •  one\n\n    •  two\n");
    }

    #[test]
    fn builtin_lookups() {
        let s = session();
        let t = help_text(&s.rt, "put!");
        assert!(t.starts_with("  put!(c::Channel, v)\n\n  Send v on channel c"), "{t}");
        assert!(help_text(&s.rt, "@sync").starts_with("  @sync expr\n"));
        assert!(help_text(&s.rt, "Threads.@spawn").starts_with("  Threads.@spawn"));
        assert!(help_text(&s.rt, "?Channel").starts_with("  Channel{T}(size=0)"));
        assert!(help_text(&s.rt, "Base.Event").starts_with("  Base.Event(autoreset=false)"));
        assert!(help_text(&s.rt, "÷").starts_with("\"÷\" can be typed by \\div<tab>\n\n  ÷(x, y)"));
    }

    #[test]
    fn unknown_names_suggest_close_matches() {
        let s = session();
        let t = help_text(&s.rt, "sortt");
        assert!(t.starts_with("Couldn't find sortt\nPerhaps you meant sort, sort!, "), "{t}");
        assert!(t.ends_with("  No documentation found.\n\n  Binding sortt does not exist.\n"), "{t}");
    }

    #[test]
    fn distances() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(string_distance("ab", "ba"), 1);
        assert_eq!(levenshtein("ab", "ba"), 2);
        assert_eq!(fuzzyscore("abc", "abc"), 1.0);
    }

    #[test]
    fn joined_columns_stop_at_the_width() {
        let items: Vec<String> = ["aa", "bb", "cc"].iter().map(|s| s.to_string()).collect();
        assert_eq!(joined_cols(&items, ", ", " or ", 80), "aa, bb or cc");
        assert_eq!(joined_cols(&items, ", ", " or ", 9), "aa or bb");
    }
}
