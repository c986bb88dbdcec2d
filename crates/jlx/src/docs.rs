//! The format of the built-in docstring files (`stdlib/docs/*.md`): entries
//! that start with a line `## NAME [NAME...]`, and the `julia> ` examples
//! inside an entry. Pure text functions with no dependencies, so the
//! doctest target (`tests/doctest.rs`) includes this file as well.
//!
//! Invariant: an entry's text is everything after its `## ` line up to the
//! next one, trimmed of blank lines at both ends.

/// One docstring: the names it documents and its markdown text.
pub struct Entry<'a> {
    pub names: Vec<&'a str>,
    pub text: String,
}

/// Split a docs file into entries (text before the first `## ` line, the
/// file's own heading, is ignored).
pub fn parse(file: &str) -> Vec<Entry<'_>> {
    let mut out: Vec<Entry> = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    let finish = |out: &mut Vec<Entry>, lines: &mut Vec<&str>| {
        if let Some(e) = out.last_mut() {
            e.text = lines.join("\n").trim_matches('\n').to_string();
        }
        lines.clear();
    };
    for line in file.lines() {
        if let Some(rest) = line.strip_prefix("## ") {
            finish(&mut out, &mut lines);
            out.push(Entry { names: rest.split_whitespace().collect(), text: String::new() });
        } else if !out.is_empty() {
            lines.push(line);
        }
    }
    finish(&mut out, &mut lines);
    out
}

/// One example of an entry: an input line after `julia> ` and the output
/// lines below it (up to the next input or the end of the code block).
#[derive(Debug, PartialEq)]
#[allow(dead_code)]
pub struct Example {
    pub input: String,
    pub output: Vec<String>,
}

/// The examples in an entry's indented code blocks (run by `tests/doctest.rs`).
#[allow(dead_code)]
pub fn examples(text: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_example = false;
    for line in text.lines() {
        let Some(code) = line.strip_prefix("    ") else {
            in_example = false;
            continue;
        };
        if let Some(input) = code.strip_prefix("julia> ") {
            out.push(Example { input: input.to_string(), output: vec![] });
            in_example = true;
        } else if in_example {
            if let Some(e) = out.last_mut() {
                e.output.push(code.to_string());
            }
        }
    }
    out
}
