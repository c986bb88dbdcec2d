//! Glue: runs lexer → filter → lalrpop parser, and turns parse errors into curated
//! [`Diagnostic`]s ("expected `end` to close `function`", "unexpected `)`", "missing closing
//! `]`"), never a raw list of expected tokens.
//!
//! Invariants: never panics; reports every error it can (lexical errors, errors the parser
//! recovered from at statement level, builder errors), sorted by position, with obvious
//! cascades suppressed (a closer whose block was already broken by an earlier error).

use crate::builder::Ctx;
use crate::filter::{filter, Filtered, FrameKind};
use crate::lexer::lex;
use crate::token::{LexError, Tok};
use jlx_base::{Diagnostic, FileId, Span};
use lalrpop_util::ParseError;

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, unused, dead_code, unused_parens)]
    grammar,
    "/jlx.rs"
);

type PErr = ParseError<usize, Tok, LexError>;

/// Everything one parse produced.
pub struct Outcome {
    pub body: Option<Vec<crate::ast::Expr>>,
    pub diags: Vec<Diagnostic>,
    /// The input ends in the middle of something (for the REPL).
    pub incomplete: bool,
}

pub fn run(src: &str, file: FileId) -> Outcome {
    let lexed = lex(src, file);
    let mut filtered = filter(&lexed.toks, src.len());
    let ctx = Ctx::new(src, file);
    // The parser takes the tokens; only reporting an error needs them again,
    // and then filtering once more gives the same list.
    let tokens = std::mem::take(&mut filtered.toks).into_iter().map(Ok::<_, LexError>);
    let result = grammar::ProgramParser::new().parse(&ctx, tokens);
    let mut perrs: Vec<PErr> = ctx.recovered.take();
    if !perrs.is_empty() || result.is_err() {
        filtered.toks = filter(&lexed.toks, src.len()).toks;
    }
    let body = match result {
        Ok(b) => Some(b),
        Err(e) => {
            perrs.push(e);
            None
        }
    };
    let end = src.trim_end().len();
    let first_pos = perrs
        .iter()
        .filter(|e| !matches!(e, ParseError::UnrecognizedToken { token: (_, Tok::Error, _), .. }))
        .map(|e| err_pos(e, src.len()))
        .min();
    let first_lex = lexed.errors.iter().map(|d| d.span.start as usize).min();
    let incomplete = lexed.unterminated
        || match first_pos {
            Some(p) => p >= end && first_lex.is_none(),
            None => !filtered.open_at_eof.is_empty() && first_lex.is_none(),
        };

    let mut diags: Vec<Diagnostic> = lexed.errors;
    let mut first_err: Option<usize> = None;
    for e in &perrs {
        if lexed.unterminated && err_pos(e, src.len()) >= end {
            continue; // the unterminated string/comment already explains it
        }
        if let Some(d) = curate(e, &filtered, src, file, first_err) {
            let p = err_pos(e, src.len());
            first_err = Some(first_err.map_or(p, |f| f.min(p)));
            diags.push(d);
        }
    }
    diags.extend(ctx.errors.take());
    if body.is_some() && diags.is_empty() && !perrs.is_empty() {
        // every parse error was suppressed as a cascade of a lexical error: keep one
        if let Some(e) = perrs.first() {
            let p = err_pos(e, src.len());
            diags.push(Diagnostic::error(Span::new(file, p, p), "invalid syntax"));
        }
    }
    if diags.is_empty() && body.is_none() {
        diags.push(Diagnostic::error(Span::new(file, 0, 0), "invalid syntax"));
    }
    diags.sort_by_key(|d| (d.span.start, d.span.end));
    diags.dedup_by(|a, b| a.span == b.span && a.message == b.message);
    Outcome { body: if diags.is_empty() { body } else { None }, diags, incomplete }
}

fn err_pos(e: &PErr, len: usize) -> usize {
    match e {
        ParseError::InvalidToken { location } => *location,
        ParseError::UnrecognizedEof { .. } => len,
        ParseError::UnrecognizedToken { token: (l, _, _), .. }
        | ParseError::ExtraToken { token: (l, _, _) } => *l,
        ParseError::User { .. } => len,
    }
}

fn closer_for(opener: &str) -> &'static str {
    match opener {
        "(" | ".(" | "$(" => ")",
        "[" => "]",
        "{" => "}",
        _ => "end",
    }
}

/// A friendly summary of lalrpop's expected-terminal list, if it is short and useful.
fn expected_summary(expected: &[String]) -> Option<String> {
    let mut names: Vec<&str> = vec![];
    let mut expr = false;
    for e in expected {
        let t = e.trim_matches('"');
        match t {
            "ident" | "int" | "float" | "str_start" | "(" | "[" | "begin" | "if" => expr = true,
            ")" => names.push("`)`"),
            "]" => names.push("`]`"),
            "}" => names.push("`}`"),
            "," => names.push("`,`"),
            "end" => names.push("`end`"),
            "sep" => names.push("a newline"),
            _ => {}
        }
    }
    if expr {
        names.insert(0, "an expression");
    }
    names.dedup();
    if names.is_empty() || names.len() > 4 {
        return None;
    }
    let n = names.len();
    Some(match n {
        1 => format!("expected {}", names[0]),
        _ => format!("expected {} or {}", names[..n - 1].join(", "), names[n - 1]),
    })
}

fn curate(e: &PErr, f: &Filtered, src: &str, file: FileId, first_err: Option<usize>) -> Option<Diagnostic> {
    let sp = |a: usize, b: usize| Span::new(file, a, b.max(a));
    match e {
        ParseError::UnrecognizedEof { expected, .. } => {
            let end = src.len();
            if let Some(&fid) = f.open_at_eof.last() {
                let fr = &f.frames[fid];
                let d = if fr.kind == FrameKind::Block {
                    Diagnostic::error(sp(end, end), format!("expected `end` to close `{}`", fr.opener))
                        .with_label(sp(fr.start, fr.end), format!("`{}` started here", fr.opener))
                } else {
                    let c = closer_for(&fr.opener);
                    Diagnostic::error(sp(end, end), format!("missing closing `{c}`"))
                        .with_label(sp(fr.start, fr.end), format!("unclosed `{}`", fr.opener))
                };
                return Some(d);
            }
            if first_err.is_some() {
                return None; // cascade of an earlier error
            }
            let mut d = Diagnostic::error(sp(end, end), "unexpected end of input");
            if let Some(s) = expected_summary(expected) {
                d = d.with_note(s);
            }
            Some(d)
        }
        ParseError::UnrecognizedToken { token: (l, tok, r), expected } => {
            if *tok == Tok::Error {
                return None; // already reported by the lexer
            }
            let idx = find_tok(f, *l, *r, tok);
            let frame = idx.map(|i| &f.frames[f.tok_frame[i]]);
            let is_closer =
                matches!(tok, Tok::RParen | Tok::RBrack | Tok::RBrace | Tok::End | Tok::InterpClose);
            if let (Some(first), Some(fr)) = (first_err, frame) {
                let was_open = fr.start < first && fr.closed_at.is_none_or(|c| c >= first);
                if (is_closer || *tok == Tok::Sep) && fr.kind != FrameKind::Root && was_open {
                    return None; // cascade: this closes something an earlier error broke
                }
            }
            if let (Some(first), true) = (first_err, *l >= src.trim_end().len()) {
                let _ = first;
                return None;
            }
            let what = match tok {
                Tok::MacroEnd => "end of line".to_string(),
                t => t.describe(),
            };
            let mut d = Diagnostic::error(sp(*l, *r), format!("unexpected {what}"));
            match frame {
                Some(fr) if is_closer && fr.kind == FrameKind::Block && *tok != Tok::End => {
                    d = d.with_label(
                        sp(fr.start, fr.end),
                        format!("this `{}` needs a matching `end` first", fr.opener),
                    );
                }
                Some(fr) if is_closer && fr.kind != FrameKind::Block && fr.kind != FrameKind::Root => {
                    let c = closer_for(&fr.opener);
                    if tok.text() != c {
                        d = d
                            .with_label(sp(fr.start, fr.end), format!("unclosed `{}`", fr.opener))
                            .with_note(format!("missing closing `{c}`"));
                    } else if let Some(s) = expected_summary(expected) {
                        d = d.with_note(s);
                    }
                }
                Some(fr) if *tok == Tok::End && fr.kind == FrameKind::Root => {
                    d = d.with_note("there is no open block for this `end` to close");
                }
                _ => {
                    if let Some(s) = expected_summary(expected) {
                        d = d.with_note(s);
                    } else if matches!(
                        tok,
                        Tok::Ident(_) | Tok::Int(_) | Tok::Float(_) | Tok::StrStart | Tok::LParen
                    ) {
                        d = d.with_note("expected an operator, `,` or a newline before it");
                    }
                }
            }
            Some(d)
        }
        ParseError::ExtraToken { token: (l, tok, r) } => {
            Some(Diagnostic::error(sp(*l, *r), format!("unexpected {}", tok.describe())))
        }
        ParseError::InvalidToken { location } => {
            Some(Diagnostic::error(sp(*location, *location), "invalid token"))
        }
        ParseError::User { .. } => None,
    }
}

fn find_tok(f: &Filtered, l: usize, r: usize, tok: &Tok) -> Option<usize> {
    let start = f.toks.partition_point(|t| t.0 < l);
    f.toks[start..].iter().position(|t| t.0 == l && t.2 == r && &t.1 == tok).map(|p| p + start)
}
