//! The context filter: raw tokens to the context-free terminals the lalrpop grammar expects.
//!
//! Julia's syntax is whitespace- and context-sensitive in a few places; this pass resolves
//! all of them with a stack of open frames (brackets, blocks, macro calls) and one token of
//! lookahead, so the grammar can stay small and context-free:
//! - `f(x)` (no space after an expression) is `CallOpen`, `(x)` is a grouping `LParen`;
//!   `a[i]` is `IndexOpen`, `[1, 2]` is `LBrack`; `T{X}` is `CurlyOpen`, `{...}` is `LBrace`.
//! - Newlines: inside `()`/`{}`/call brackets they vanish; inside `[]` they are row
//!   separators (`VSep`); at block level one `Sep` ends a statement, unless the previous token
//!   cannot end an expression (an operator, `,`, a keyword), so `x = 1 +\n 2` continues but
//!   `x\n+1` is two statements. Runs of separators collapse; no `Sep` starts a block, except
//!   right after `catch`, `do` and `let`, where it tells "no variable/params" apart.
//! - Whitespace separates elements in arrays and macro arguments (`HSep`): `[1 -2]` is two
//!   elements, `[1 - 2]` one.
//! - `@m a b` opens a macro frame closed (`MacroEnd`) at the end of the line, at `;`, or at a
//!   closing bracket, but a block opened inside it (`@async begin ... end`) stays open across
//!   lines because it sits above the macro frame on the stack. `@m(` is a call-style macro.
//!   Inside brackets, `,` and a comprehension `for` also end the macro arguments.
//! - `end`/`begin` inside indexing brackets become `IndexEnd`/`IndexBegin`.
//! - `?` counts an open ternary per frame; a spaced `:` then is `TernColon`. Other `:` are
//!   ranges, `:name` symbols, `:(` quotes, or a bare `ColonAtom` (`A[:, j]`).
//! - `2n`, `2(x+1)`: a number glued to a name or `(` gets an `ImplicitMul` in between.
//! - `return` becomes `ReturnVoid` before a terminator, `ReturnE` after `&&`/`||` (its
//!   operand is a whole comparison: `x && return a + b`), and `ReturnT` (tight operand) after
//!   a ternary `?` or `:`.
//!
//! Invariants: every synthetic closer (`MacroEnd`) counts as an expression ender; the output
//! token vector is parallel to `tok_frame`; the filter never fails and never panics.

use crate::lexer::RawTok;
use crate::token::{MacroPath, Tok};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    Root,
    Paren,
    Call,
    Index,
    Array,
    Curly,
    Brace,
    Interp,
    Block,
    Macro,
}

impl FrameKind {
    fn is_bracket(self) -> bool {
        matches!(
            self,
            FrameKind::Paren
                | FrameKind::Call
                | FrameKind::Index
                | FrameKind::Array
                | FrameKind::Curly
                | FrameKind::Brace
                | FrameKind::Interp
        )
    }
}

/// One frame ever opened, for error messages.
#[derive(Clone, Debug)]
pub struct FrameInfo {
    pub kind: FrameKind,
    /// The opening keyword or bracket as written (`function`, `(`, `@async`).
    pub opener: String,
    pub start: usize,
    pub end: usize,
    /// Byte offset of the token that closed it, if any.
    pub closed_at: Option<usize>,
}

pub struct Filtered {
    pub toks: Vec<(usize, Tok, usize)>,
    /// For each token: the innermost open frame (index into `frames`) before it was processed.
    pub tok_frame: Vec<usize>,
    pub frames: Vec<FrameInfo>,
    /// Frames still open at the end of input (brackets and blocks), outermost first.
    pub open_at_eof: Vec<usize>,
}

struct Frame {
    kind: FrameKind,
    log: usize,
    tern: u32,
    comp: bool,
}

struct Filter<'a> {
    raw: &'a [RawTok],
    i: usize,
    out: Vec<(usize, Tok, usize)>,
    tok_frame: Vec<usize>,
    stack: Vec<Frame>,
    frames: Vec<FrameInfo>,
    in_using: bool,
}

/// Can this (filtered) token end an expression?
pub fn is_ender(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Ident(_)
            | Tok::Int(_)
            | Tok::Float(_)
            | Tok::Char(_)
            | Tok::True
            | Tok::False
            | Tok::StrEnd
            | Tok::StrMacro(_)
            | Tok::Symbol(_)
            | Tok::ColonAtom
            | Tok::RParen
            | Tok::RBrack
            | Tok::RBrace
            | Tok::End
            | Tok::IndexEnd
            | Tok::IndexBegin
            | Tok::Adjoint
            | Tok::Ellipsis
            | Tok::MacroEnd
            | Tok::OpAtom(_)
            | Tok::Break
            | Tok::Continue
            | Tok::ReturnVoid
    )
}

fn is_call_ender(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Ident(_)
            | Tok::RParen
            | Tok::RBrack
            | Tok::RBrace
            | Tok::Symbol(_)
            | Tok::OpAtom(_)
            | Tok::MacroCall(_)
            | Tok::Adjoint
    )
}

fn is_index_ender(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Ident(_)
            | Tok::RParen
            | Tok::RBrack
            | Tok::RBrace
            | Tok::StrEnd
            | Tok::StrMacro(_)
            | Tok::Adjoint
    )
}

/// Filters a raw token stream. `src_len` positions the synthetic tokens at end of input.
pub fn filter(raw: &[RawTok], src_len: usize) -> Filtered {
    let mut f = Filter {
        raw,
        i: 0,
        out: Vec::with_capacity(raw.len() + 8),
        tok_frame: Vec::with_capacity(raw.len() + 8),
        stack: vec![Frame { kind: FrameKind::Root, log: 0, tern: 0, comp: false }],
        frames: vec![FrameInfo {
            kind: FrameKind::Root,
            opener: String::new(),
            start: 0,
            end: 0,
            closed_at: None,
        }],
        in_using: false,
    };
    while f.i < raw.len() {
        f.step();
        f.i += 1;
    }
    f.close_macros(src_len);
    let open_at_eof = f
        .stack
        .iter()
        .filter(|fr| !matches!(fr.kind, FrameKind::Root | FrameKind::Macro))
        .map(|fr| fr.log)
        .collect();
    Filtered { toks: f.out, tok_frame: f.tok_frame, frames: f.frames, open_at_eof }
}

impl Filter<'_> {
    fn top(&self) -> FrameKind {
        self.stack.last().map_or(FrameKind::Root, |f| f.kind)
    }

    fn prev(&self) -> Option<&Tok> {
        self.out.last().map(|t| &t.1)
    }

    fn prev_ender(&self) -> bool {
        self.prev().is_some_and(is_ender)
    }

    fn prev_is_number(&self) -> bool {
        matches!(self.prev(), Some(Tok::Int(_) | Tok::Float(_)))
    }

    fn next(&self) -> Option<&RawTok> {
        self.raw.get(self.i + 1)
    }

    /// The next raw token if it is glued to the current one.
    fn next_adjacent(&self) -> Option<&RawTok> {
        self.next().filter(|n| !n.space)
    }

    fn next_significant(&self) -> Option<&RawTok> {
        self.raw[self.i + 1..].iter().find(|t| t.tok != Tok::Newline)
    }

    fn emit(&mut self, tok: Tok, start: usize, end: usize) {
        let frame = self.stack.last().map_or(0, |f| f.log);
        self.tok_frame.push(frame);
        self.out.push((start, tok, end));
    }

    fn unemit(&mut self) {
        self.out.pop();
        self.tok_frame.pop();
    }

    fn push_frame(&mut self, kind: FrameKind, opener: String, start: usize, end: usize) {
        self.frames.push(FrameInfo { kind, opener, start, end, closed_at: None });
        self.stack.push(Frame { kind, log: self.frames.len() - 1, tern: 0, comp: false });
    }

    fn pop_frame(&mut self, at: usize) {
        if self.stack.len() > 1 {
            if let Some(fr) = self.stack.pop() {
                self.frames[fr.log].closed_at = Some(at);
            }
        }
    }

    fn close_macros(&mut self, at: usize) {
        while self.top() == FrameKind::Macro {
            self.emit(Tok::MacroEnd, at, at);
            self.pop_frame(at);
        }
    }

    /// The first non-macro frame from the top.
    fn base_kind(&self) -> FrameKind {
        self.stack.iter().rev().find(|f| f.kind != FrameKind::Macro).map_or(FrameKind::Root, |f| f.kind)
    }

    fn close_macros_in_bracket(&mut self, at: usize) {
        if self.top() == FrameKind::Macro && self.base_kind().is_bracket() {
            self.close_macros(at);
        }
    }

    fn space_sensitive(&self) -> bool {
        matches!(self.top(), FrameKind::Array | FrameKind::Index | FrameKind::Macro)
    }

    /// Emits a horizontal separator before `t` if whitespace separates two elements here.
    fn hsep(&mut self, t: &RawTok) {
        if self.space_sensitive() && t.space && self.prev_ender() {
            self.emit(Tok::HSep, t.start, t.start);
        }
    }

    fn index_context(&self) -> bool {
        for f in self.stack.iter().rev() {
            match f.kind {
                FrameKind::Index => return true,
                FrameKind::Block | FrameKind::Root => return false,
                _ => {}
            }
        }
        false
    }

    /// A closer that does not match the innermost frame: pop up to the matching frame if
    /// there is one (the parser reports the error).
    /// Re-labels the last emitted token with frame `fid` (a closer is attributed to the frame
    /// that was innermost before mismatch recovery popped anything).
    fn relabel_last(&mut self, fid: usize) {
        if let Some(f) = self.tok_frame.last_mut() {
            *f = fid;
        }
    }

    fn innermost(&self) -> usize {
        self.stack.last().map_or(0, |f| f.log)
    }

    fn mismatch(&mut self, kinds: &[FrameKind], at: usize) {
        if let Some(pos) = self.stack.iter().rposition(|f| kinds.contains(&f.kind)) {
            if pos > 0 {
                while self.stack.len() > pos + 1 {
                    self.pop_frame(at);
                }
            }
        }
    }

    fn stmt_sep(&mut self, t: &RawTok) {
        self.in_using = false;
        if let Some(f) = self.stack.last_mut() {
            f.tern = 0;
        }
        let keep = match self.prev() {
            None | Some(Tok::Sep) => false,
            Some(Tok::Catch | Tok::Do | Tok::Let) => true,
            Some(p) => is_ender(p),
        };
        if keep {
            self.emit(Tok::Sep, t.start, t.end);
        }
    }

    /// Could `t` (at index `self.i`) start a new expression (used in parentheses)?
    fn starts_expr(&self, t: &RawTok, idx: usize) -> bool {
        let next_glued = self.raw.get(idx + 1).is_some_and(|n| !n.space);
        match &t.tok {
            Tok::Plus(o) => (o.name == "+" || o.name == "-") && next_glued,
            Tok::Ident(_)
            | Tok::Int(_)
            | Tok::Float(_)
            | Tok::Char(_)
            | Tok::True
            | Tok::False
            | Tok::StrStart
            | Tok::StrMacro(_)
            | Tok::LParen
            | Tok::LBrack
            | Tok::MacroName(_)
            | Tok::Not(_)
            | Tok::Dollar
            | Tok::Begin
            | Tok::If
            | Tok::Let
            | Tok::Try
            | Tok::Function
            | Tok::Quote
            | Tok::While
            | Tok::Return
            | Tok::Break
            | Tok::Continue => true,
            Tok::Colon => next_glued,
            _ => false,
        }
    }

    fn step(&mut self) {
        let t = self.raw[self.i].clone();
        let (s, e) = (t.start, t.end);
        match t.tok.clone() {
            Tok::Newline => self.newline(&t),
            Tok::Semi => {
                self.close_macros(s);
                match self.base_kind() {
                    FrameKind::Array | FrameKind::Index => {
                        if !matches!(self.prev(), Some(Tok::VSep | Tok::LBrack | Tok::IndexOpen)) {
                            self.emit(Tok::VSep, s, e);
                        }
                    }
                    FrameKind::Root | FrameKind::Block => self.stmt_sep(&t),
                    _ => self.emit(Tok::Semi, s, e),
                }
            }
            Tok::Comma => {
                self.close_macros_in_bracket(s);
                self.emit(Tok::Comma, s, e);
            }
            Tok::LParen => {
                if self.prev_is_number() && !t.space {
                    self.emit(Tok::ImplicitMul, s, s);
                    self.emit(Tok::LParen, s, e);
                    self.push_frame(FrameKind::Paren, "(".into(), s, e);
                } else if !t.space && self.prev().is_some_and(is_call_ender) {
                    self.emit(Tok::CallOpen, s, e);
                    self.push_frame(FrameKind::Call, "(".into(), s, e);
                } else {
                    self.hsep(&t);
                    self.emit(Tok::LParen, s, e);
                    self.push_frame(FrameKind::Paren, "(".into(), s, e);
                }
            }
            Tok::RParen => {
                self.close_macros(s);
                let fid = self.innermost();
                if !matches!(self.top(), FrameKind::Paren | FrameKind::Call) {
                    self.mismatch(&[FrameKind::Paren, FrameKind::Call], s);
                }
                self.emit(Tok::RParen, s, e);
                self.relabel_last(fid);
                if matches!(self.top(), FrameKind::Paren | FrameKind::Call) {
                    self.pop_frame(s);
                }
            }
            Tok::LBrack => {
                if !t.space && self.prev().is_some_and(is_index_ender) {
                    self.emit(Tok::IndexOpen, s, e);
                    self.push_frame(FrameKind::Index, "[".into(), s, e);
                } else {
                    self.hsep(&t);
                    self.emit(Tok::LBrack, s, e);
                    self.push_frame(FrameKind::Array, "[".into(), s, e);
                }
            }
            Tok::RBrack => {
                self.close_macros(s);
                if matches!(self.prev(), Some(Tok::VSep)) {
                    self.unemit();
                }
                let fid = self.innermost();
                if !matches!(self.top(), FrameKind::Array | FrameKind::Index) {
                    self.mismatch(&[FrameKind::Array, FrameKind::Index], s);
                }
                self.emit(Tok::RBrack, s, e);
                self.relabel_last(fid);
                if matches!(self.top(), FrameKind::Array | FrameKind::Index) {
                    self.pop_frame(s);
                }
            }
            Tok::LBrace => {
                if !t.space && matches!(self.prev(), Some(Tok::Ident(_) | Tok::RBrace)) {
                    self.emit(Tok::CurlyOpen, s, e);
                    self.push_frame(FrameKind::Curly, "{".into(), s, e);
                } else {
                    self.hsep(&t);
                    self.emit(Tok::LBrace, s, e);
                    self.push_frame(FrameKind::Brace, "{".into(), s, e);
                }
            }
            Tok::RBrace => {
                self.close_macros(s);
                let fid = self.innermost();
                if !matches!(self.top(), FrameKind::Curly | FrameKind::Brace) {
                    self.mismatch(&[FrameKind::Curly, FrameKind::Brace], s);
                }
                self.emit(Tok::RBrace, s, e);
                self.relabel_last(fid);
                if matches!(self.top(), FrameKind::Curly | FrameKind::Brace) {
                    self.pop_frame(s);
                }
            }
            Tok::InterpOpen => {
                self.emit(Tok::InterpOpen, s, e);
                self.push_frame(FrameKind::Interp, "$(".into(), s, e);
            }
            Tok::InterpClose => {
                self.close_macros(s);
                if self.top() != FrameKind::Interp {
                    self.mismatch(&[FrameKind::Interp], s);
                }
                self.emit(Tok::InterpClose, s, e);
                if self.top() == FrameKind::Interp {
                    self.pop_frame(s);
                }
            }
            Tok::StrStart
            | Tok::Char(_)
            | Tok::StrMacro(_)
            | Tok::Int(_)
            | Tok::Float(_)
            | Tok::True
            | Tok::False => {
                self.hsep(&t);
                self.emit(t.tok, s, e);
            }
            Tok::Ident(name) => self.ident(&t, name),
            Tok::MacroName(m) => self.macro_name(&t, m),
            Tok::Colon => self.colon(&t),
            Tok::Question => {
                if let Some(f) = self.stack.last_mut() {
                    f.tern += 1;
                }
                self.emit(Tok::Question, s, e);
            }
            Tok::End => {
                if self.index_context() {
                    self.emit(Tok::IndexEnd, s, e);
                    return;
                }
                self.close_macros(s);
                let fid = self.innermost();
                if self.top() != FrameKind::Block {
                    self.mismatch(&[FrameKind::Block], s);
                }
                self.emit(Tok::End, s, e);
                self.relabel_last(fid);
                if self.top() == FrameKind::Block {
                    self.pop_frame(s);
                }
            }
            Tok::Begin => {
                if self.index_context() {
                    self.emit(Tok::IndexBegin, s, e);
                } else {
                    self.block_open(&t, "begin");
                }
            }
            Tok::For => {
                if self.base_kind().is_bracket() && self.prev_ender() {
                    self.close_macros_in_bracket(s);
                    if let Some(f) = self.stack.last_mut() {
                        f.comp = true;
                    }
                    self.emit(Tok::CompFor, s, e);
                } else {
                    self.block_open(&t, "for");
                }
            }
            Tok::If => {
                if self.base_kind().is_bracket()
                    && self.prev_ender()
                    && self.stack.iter().rev().find(|f| f.kind != FrameKind::Macro).is_some_and(|f| f.comp)
                {
                    self.close_macros_in_bracket(s);
                    self.emit(Tok::CompIf, s, e);
                } else {
                    self.block_open(&t, "if");
                }
            }
            Tok::Function => self.block_open(&t, "function"),
            Tok::Macro => self.block_open(&t, "macro"),
            Tok::While => self.block_open(&t, "while"),
            Tok::Let => self.block_open(&t, "let"),
            Tok::Try => self.block_open(&t, "try"),
            Tok::Struct => self.block_open(&t, "struct"),
            Tok::Quote => self.block_open(&t, "quote"),
            Tok::Module => self.block_open(&t, "module"),
            Tok::Do => {
                self.emit(Tok::Do, s, e);
                self.push_frame(FrameKind::Block, "do".into(), s, e);
            }
            Tok::Else | Tok::Elseif | Tok::Catch | Tok::Finally => {
                self.close_macros(s);
                self.emit(t.tok, s, e);
            }
            Tok::Return => {
                let void = match self.next() {
                    None => true,
                    Some(n) => match &n.tok {
                        Tok::Newline
                        | Tok::Semi
                        | Tok::End
                        | Tok::RParen
                        | Tok::RBrack
                        | Tok::RBrace
                        | Tok::Comma
                        | Tok::Else
                        | Tok::Elseif
                        | Tok::Catch
                        | Tok::Finally
                        | Tok::InterpClose => true,
                        // `c ? return : x` ends the return; `return :sym` quotes.
                        Tok::Colon => n.space && self.raw.get(self.i + 2).is_none_or(|m| m.space),
                        _ => false,
                    },
                };
                let tok = if void {
                    Tok::ReturnVoid
                } else if matches!(self.prev(), Some(Tok::AndAnd(_) | Tok::OrOr(_))) {
                    Tok::ReturnE
                } else if matches!(self.prev(), Some(Tok::Question | Tok::TernColon)) {
                    Tok::ReturnT
                } else {
                    Tok::Return
                };
                self.hsep(&t);
                self.emit(tok, s, e);
            }
            Tok::Break | Tok::Continue => {
                self.hsep(&t);
                self.emit(t.tok, s, e);
            }
            Tok::Using | Tok::Import | Tok::Export => {
                self.in_using = true;
                self.emit(t.tok, s, e);
            }
            Tok::Cmp(o) if (o.name == "in" || o.name == "isa") && !o.dot => {
                let glued_paren = self.next_adjacent().is_some_and(|n| n.tok == Tok::LParen);
                if glued_paren && !self.prev_ender() {
                    self.hsep(&t);
                    self.emit(Tok::Ident(o.name.to_string()), s, e);
                } else {
                    self.emit(t.tok, s, e);
                }
            }
            Tok::Cmp(o)
                if (o.name == "<:" || o.name == ">:") && !self.prev_ender() && !self.op_atom_context() =>
            {
                // `Vector{<:Real}`: a prefix subtype bound
                self.hsep(&t);
                self.emit(Tok::Not(o), s, e);
            }
            Tok::Plus(o) => {
                if self.op_atom_context() {
                    self.emit(Tok::OpAtom(o.name.to_string()), s, e);
                    return;
                }
                if self.space_sensitive()
                    && t.space
                    && self.prev_ender()
                    && self.next_adjacent().is_some()
                    && (o.name == "+" || o.name == "-")
                {
                    self.emit(Tok::HSep, s, s);
                }
                self.emit(t.tok, s, e);
            }
            Tok::Not(o) => {
                if self.op_atom_context() {
                    self.emit(Tok::OpAtom(o.name.to_string()), s, e);
                } else {
                    self.hsep(&t);
                    self.emit(t.tok, s, e);
                }
            }
            Tok::Times(o)
            | Tok::Cmp(o)
            | Tok::Power(o)
            | Tok::Shift(o)
            | Tok::Rational(o)
            | Tok::PipeGt(o)
            | Tok::PipeLt(o) => {
                if self.op_atom_context() {
                    self.emit(Tok::OpAtom(o.name.to_string()), s, e);
                } else {
                    self.emit(t.tok, s, e);
                }
            }
            Tok::Ellipsis => {
                if self.prev_ender() {
                    self.emit(Tok::Ellipsis, s, e);
                } else {
                    self.hsep(&t);
                    self.emit(Tok::OpAtom("...".into()), s, e);
                }
            }
            Tok::DeclColon => {
                if self.prev_ender() {
                    self.emit(Tok::DeclColon, s, e);
                } else {
                    self.hsep(&t);
                    self.emit(Tok::PrefixDecl, s, e);
                }
            }
            Tok::Dollar => {
                self.hsep(&t);
                self.emit(Tok::Dollar, s, e);
            }
            Tok::Dot => {
                let paren = self.next_adjacent().filter(|n| n.tok == Tok::LParen).map(|n| n.end);
                match paren {
                    Some(pe) if self.prev_ender() => {
                        self.emit(Tok::DotCallOpen, s, pe);
                        self.push_frame(FrameKind::Call, ".(".into(), s, pe);
                        self.i += 1;
                    }
                    _ => self.emit(Tok::Dot, s, e),
                }
            }
            other => self.emit(other, s, e),
        }
    }

    /// An operator used as a value: `map(+, xs)`, `(+)`, `+(1, 2)`.
    fn op_atom_context(&self) -> bool {
        if self.prev_ender() {
            return false;
        }
        match self.next() {
            Some(n) => match n.tok {
                Tok::Comma | Tok::RParen | Tok::RBrack | Tok::RBrace | Tok::Semi => true,
                Tok::LParen => !n.space,
                Tok::Newline => self.in_using,
                _ => false,
            },
            None => self.in_using,
        }
    }

    /// `:` `(` op `)` glued together at `self.i`: the operator's name and the end offset.
    fn paren_op_symbol(&self) -> Option<(String, usize)> {
        let w = self.raw.get(self.i + 1..self.i + 4)?;
        if w[0].tok != Tok::LParen || w[2].tok != Tok::RParen || w[1].space || w[2].space {
            return None;
        }
        let name = match &w[1].tok {
            Tok::Cmp(o)
            | Tok::Plus(o)
            | Tok::Times(o)
            | Tok::Power(o)
            | Tok::Not(o)
            | Tok::Shift(o)
            | Tok::Rational(o)
            | Tok::PipeGt(o)
            | Tok::PipeLt(o) => o.name.to_string(),
            _ => return None,
        };
        Some((name, w[2].end))
    }

    fn block_open(&mut self, t: &RawTok, kw: &str) {
        self.hsep(t);
        self.emit(t.tok.clone(), t.start, t.end);
        self.push_frame(FrameKind::Block, kw.into(), t.start, t.end);
    }

    fn newline(&mut self, t: &RawTok) {
        self.close_macros(t.start);
        match self.top() {
            FrameKind::Call | FrameKind::Curly | FrameKind::Brace | FrameKind::Interp => {}
            FrameKind::Array | FrameKind::Index => {
                let next_ok = match self.next_significant() {
                    Some(n) => !matches!(n.tok, Tok::RBrack | Tok::Comma | Tok::For | Tok::RParen),
                    None => false,
                };
                if self.prev_ender() && next_ok {
                    self.emit(Tok::VSep, t.start, t.end);
                }
            }
            FrameKind::Paren => {
                let idx =
                    self.raw[self.i + 1..].iter().position(|t| t.tok != Tok::Newline).map(|p| p + self.i + 1);
                let starts = idx.is_some_and(|k| self.starts_expr(&self.raw[k], k));
                if self.prev_ender() && starts {
                    self.emit(Tok::Semi, t.start, t.end);
                }
            }
            _ => self.stmt_sep(t),
        }
    }

    fn ident(&mut self, t: &RawTok, name: String) {
        let (s, e) = (t.start, t.end);
        if self.in_using {
            self.emit(Tok::Ident(name), s, e);
            return;
        }
        if name == "mutable" {
            if let Some(n) = self.next().filter(|n| n.tok == Tok::Struct) {
                let ne = n.end;
                self.hsep(t);
                self.emit(Tok::MutableStruct, s, ne);
                self.push_frame(FrameKind::Block, "mutable struct".into(), s, ne);
                self.i += 1;
                return;
            }
        }
        if name == "abstract" {
            if let Some(n) = self.next().filter(|n| n.tok == Tok::Ident("type".into())) {
                let ne = n.end;
                self.hsep(t);
                self.emit(Tok::AbstractType, s, ne);
                self.push_frame(FrameKind::Block, "abstract type".into(), s, ne);
                self.i += 1;
                return;
            }
        }
        if self.prev_is_number() && !t.space {
            self.emit(Tok::ImplicitMul, s, s);
        } else {
            self.hsep(t);
        }
        self.emit(Tok::Ident(name), s, e);
    }

    fn macro_name(&mut self, t: &RawTok, m: MacroPath) {
        let (mut s, e) = (t.start, t.end);
        if self.in_using {
            self.emit(Tok::Ident(format!("@{}", m.name)), s, e);
            return;
        }
        let mut path = m.path;
        // `A.B.@m`: fold the preceding `Ident .` pairs into the macro path.
        loop {
            let n = self.out.len();
            if n >= 2 && !t.space {
                if let (Tok::Ident(a), Tok::Dot) = (&self.out[n - 2].1, &self.out[n - 1].1) {
                    if self.out[n - 1].2 == s && self.out[n - 2].2 == self.out[n - 1].0 {
                        let a = a.clone();
                        s = self.out[n - 2].0;
                        path.insert(0, a);
                        self.unemit();
                        self.unemit();
                        continue;
                    }
                }
            }
            break;
        }
        let mp = MacroPath { path, name: m.name };
        let opener = format!("@{}", mp.name);
        if mp.path.is_empty() {
            self.hsep(t);
        }
        if self.next_adjacent().is_some_and(|n| n.tok == Tok::LParen) {
            self.emit(Tok::MacroCall(mp), s, e);
        } else {
            self.emit(Tok::MacroSp(mp), s, e);
            self.push_frame(FrameKind::Macro, opener, s, e);
        }
    }

    fn colon(&mut self, t: &RawTok) {
        let (s, e) = (t.start, t.end);
        let next_spaced = self.next().is_none_or(|n| n.space || n.tok == Tok::Newline);
        if t.space && next_spaced {
            // ternary `:`? look through macro frames for an open `?`
            let mut k = self.stack.len();
            let mut found = None;
            while k > 0 {
                k -= 1;
                if self.stack[k].tern > 0 {
                    found = Some(k);
                    break;
                }
                if self.stack[k].kind != FrameKind::Macro {
                    break;
                }
            }
            if let Some(k) = found {
                while self.stack.len() > k + 1 {
                    self.emit(Tok::MacroEnd, s, s);
                    self.pop_frame(s);
                }
                self.stack[k].tern -= 1;
                self.emit(Tok::TernColon, s, e);
                return;
            }
        }
        if self.in_using {
            self.emit(Tok::RangeColon, s, e);
            return;
        }
        let glued = self.next_adjacent().cloned();
        let prefix = !self.prev_ender() || (self.space_sensitive() && t.space && glued.is_some());
        if !prefix {
            self.emit(Tok::RangeColon, s, e);
            return;
        }
        let Some(n) = glued else {
            self.emit(Tok::ColonAtom, s, e);
            return;
        };
        let name = match &n.tok {
            Tok::Ident(x) => Some(x.clone()),
            Tok::Cmp(o)
            | Tok::Plus(o)
            | Tok::Times(o)
            | Tok::Power(o)
            | Tok::Not(o)
            | Tok::Shift(o)
            | Tok::Rational(o)
            | Tok::PipeGt(o)
            | Tok::PipeLt(o) => Some(o.name.to_string()),
            Tok::End
            | Tok::Begin
            | Tok::Function
            | Tok::If
            | Tok::Else
            | Tok::Elseif
            | Tok::For
            | Tok::While
            | Tok::Let
            | Tok::Try
            | Tok::Catch
            | Tok::Finally
            | Tok::Return
            | Tok::Break
            | Tok::Continue
            | Tok::Struct
            | Tok::Module
            | Tok::Using
            | Tok::Import
            | Tok::Export
            | Tok::Global
            | Tok::Local
            | Tok::Const
            | Tok::Do
            | Tok::Quote
            | Tok::Where
            | Tok::Macro
            | Tok::True
            | Tok::False => Some(n.tok.text()),
            _ => None,
        };
        if let Some(name) = name {
            self.hsep(t);
            self.emit(Tok::Symbol(name), s, n.end);
            self.i += 1;
        } else if let Some((name, end)) = self.paren_op_symbol() {
            // `:(==)`, `Base.:(==)`: an operator symbol
            self.hsep(t);
            self.emit(Tok::Symbol(name), s, end);
            self.i += 3;
        } else if n.tok == Tok::LParen {
            self.hsep(t);
            self.emit(Tok::QuoteColon, s, e);
        } else {
            self.emit(Tok::ColonAtom, s, e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::lex;
    use jlx_base::FileId;

    /// Compact rendering of the filtered stream for tests.
    fn stream(src: &str) -> String {
        let l = lex(src, FileId(0));
        let f = filter(&l.toks, src.len());
        f.toks
            .iter()
            .map(|(_, t, _)| match t {
                Tok::Ident(n) => n.clone(),
                Tok::Int(v) => v.to_string(),
                Tok::Float(v) => format!("{v:?}"),
                Tok::Char(c) => format!("{c:?}"),
                Tok::StrChunk(c) => format!("{c:?}"),
                Tok::StrStart => "STR".into(),
                Tok::StrEnd => "/STR".into(),
                Tok::InterpOpen => "$(".into(),
                Tok::InterpClose => "$)".into(),
                Tok::Sep => "SEP".into(),
                Tok::VSep => "VSEP".into(),
                Tok::HSep => "HSEP".into(),
                Tok::CallOpen => "CALL(".into(),
                Tok::IndexOpen => "INDEX[".into(),
                Tok::MacroSp(m) => format!("@{}", m.name),
                Tok::MacroCall(m) => format!("@{}!", m.name),
                Tok::MacroEnd => "MEND".into(),
                Tok::ImplicitMul => "JUXT".into(),
                Tok::TernColon => "TERN:".into(),
                Tok::RangeColon => "RANGE:".into(),
                Tok::IndexEnd => "IEND".into(),
                Tok::Symbol(s) => format!(":{s}"),
                Tok::OpAtom(o) => o.clone(),
                Tok::CompFor => "for".into(),
                other => other.text(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn arrays_space_sensitive() {
        assert_eq!(stream("[1 -2]"), "[ 1 HSEP - 2 ]");
        assert_eq!(stream("[1 - 2]"), "[ 1 - 2 ]");
        assert_eq!(stream("[1 2\n 3 4]"), "[ 1 HSEP 2 VSEP 3 HSEP 4 ]");
        assert_eq!(stream("[1, 2,\n 3]"), "[ 1 , 2 , 3 ]");
        assert_eq!(stream("a[end-1]"), "a INDEX[ IEND - 1 ]");
    }

    #[test]
    fn calls_and_operators() {
        assert_eq!(stream("a!=b"), "a != b");
        assert_eq!(stream("f(x) (y)"), "f CALL( x ) ( y )");
        assert_eq!(stream("x'"), "x '");
        assert_eq!(stream("'a'"), "'a'");
        assert_eq!(stream("2n"), "2 JUXT n");
        assert_eq!(stream("2(x+1)"), "2 JUXT ( x + 1 )");
        assert_eq!(stream("a ? b : c"), "a ? b TERN: c");
        assert_eq!(stream("c ? 1:2 : 3"), "c ? 1 RANGE: 2 TERN: 3");
        assert_eq!(stream("x = :a"), "x = :a");
        assert_eq!(stream("map(+, xs)"), "map CALL( + , xs )");
    }

    #[test]
    fn newlines() {
        assert_eq!(stream("x = 1 +\n 2"), "x = 1 + 2");
        assert_eq!(stream("x\n+1"), "x SEP + 1");
        assert_eq!(stream("f(a,\n b)"), "f CALL( a , b )");
        assert_eq!(stream("begin\n a\n\n b\nend"), "begin a SEP b SEP end");
    }

    #[test]
    fn macros() {
        assert_eq!(stream("@async begin\n x\nend\ny"), "@async begin x SEP end MEND SEP y");
        assert_eq!(stream("@m(a, b)"), "@m! CALL( a , b )");
        assert_eq!(stream("@assert x > 0 \"msg\""), "@assert x > 0 HSEP STR \"msg\" /STR MEND");
        assert_eq!(stream("Threads.@spawn f(x)"), "@spawn f CALL( x ) MEND");
        assert_eq!(stream("[@spawn f(n) for _ in 1:3]"), "[ @spawn f CALL( n ) MEND for _ in 1 RANGE: 3 ]");
        assert_eq!(stream("@time @sync f()"), "@time @sync f CALL( ) MEND MEND");
    }

    #[test]
    fn strings() {
        assert_eq!(stream("\"a$(x)b\""), "STR \"a\" $( x $) \"b\" /STR");
    }
}
