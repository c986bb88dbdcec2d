//! Julia's printed forms: `print`, `show` (repr) and `display` (the REPL's
//! text/plain form) of every built-in value.
//!
//! Values whose type has a user-defined `show`/`print` method become
//! *holes*: the printer emits the text around them and the hole, and a
//! small jlx routine (`Base.__print_pieces__`) calls the user method, so no
//! native ever runs jlx code.

use crate::arrayshow::AlignKind;
use crate::obj::{ArrayData, HoleKind, IoObj, Obj, Range};
use crate::runtime::MethodBody;
use crate::types::{tid, JType, TParam};
use crate::value::Value;
use crate::vm::Vm;
use std::fmt::Write;

/// Append the decimal form of `i` (as `print`/`show` write it).
#[inline]
pub fn push_int(out: &mut String, i: i64) {
    let mut buf = [0u8; 20];
    out.push_str(int_text(i, &mut buf));
}

/// The decimal text of `i`, written into the end of `buf` (two digits per
/// division).
#[inline]
pub fn int_text(i: i64, buf: &mut [u8; 20]) -> &str {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";
    let mut n = i.unsigned_abs();
    let mut p = buf.len();
    while n >= 100 {
        let d = (n % 100) as usize * 2;
        n /= 100;
        p -= 2;
        buf[p..p + 2].copy_from_slice(&PAIRS[d..d + 2]);
    }
    if n >= 10 {
        let d = n as usize * 2;
        p -= 2;
        buf[p..p + 2].copy_from_slice(&PAIRS[d..d + 2]);
    } else {
        p -= 1;
        buf[p] = b'0' + n as u8;
    }
    if i < 0 {
        // 19 digits at most (|i64::MIN| < 10^19): room for the sign.
        p -= 1;
        buf[p] = b'-';
    }
    // SAFETY: `buf[p..]` was written above with ASCII digits and `-`
    // only, so it is valid UTF-8 (tested by `int_text_matches_display`).
    unsafe { std::str::from_utf8_unchecked(&buf[p..]) }
}

/// Does `print(v)` need no printer: strings, chars, symbols, Ints, Bools
/// and `nothing` (see [`push_plain`])?
#[inline]
pub fn is_plain(v: &Value) -> bool {
    matches!(
        v,
        Value::Str(_) | Value::Char(_) | Value::Sym(_) | Value::Int(_) | Value::Bool(_) | Value::Nothing
    )
}

/// Append `print(v)` for a value [`is_plain`] accepts.
#[inline]
pub fn push_plain(out: &mut String, v: &Value) {
    match v {
        Value::Str(s) => out.push_str(&s.0),
        Value::Char(c) => out.push(*c),
        Value::Sym(s) => out.push_str(s.as_str()),
        Value::Int(i) => push_int(out, *i),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Nothing => out.push_str("nothing"),
        _ => {}
    }
}

/// Text and holes produced by printing.
pub enum Printed {
    Text(String),
    Pieces(Vec<Value>),
}

pub struct Printer<'a> {
    pub vm: &'a Vm,
    pub out: String,
    pieces: Vec<Value>,
    /// Inside a container whose element type is known (`Bool[1, 0]`).
    typeinfo: Option<JType>,
    compact: bool,
}

impl<'a> Printer<'a> {
    pub fn new(vm: &'a Vm) -> Printer<'a> {
        Printer { vm, out: String::new(), pieces: Vec::new(), typeinfo: None, compact: false }
    }

    pub fn finish(mut self) -> Printed {
        if self.pieces.is_empty() {
            Printed::Text(self.out)
        } else {
            if !self.out.is_empty() {
                self.pieces.push(Value::str(std::mem::take(&mut self.out)));
            }
            Printed::Pieces(self.pieces)
        }
    }

    fn hole(&mut self, v: &Value, kind: HoleKind) {
        if !self.out.is_empty() {
            self.pieces.push(Value::str(std::mem::take(&mut self.out)));
        }
        self.pieces.push(Value::obj(Obj::Hole(v.clone(), kind)));
    }

    /// Does `v`'s type have a user (jlx) method of `show` (or `print`)?
    fn user_method(&self, v: &Value, print: bool) -> bool {
        let is_user = match v {
            Value::Obj(o) => matches!(&**o, Obj::Struct(_) | Obj::MStruct(_)),
            _ => false,
        };
        if !is_user {
            return false;
        }
        let name = if print { "print" } else { "show" };
        let Some(f) = self.vm.named_funcs.get(name) else { return false };
        let methods = &self.vm.world.funcs[f.0 as usize].methods;
        methods.iter().any(|m| {
            matches!(m.body, MethodBody::Jlx(_))
                && m.sig.len() == 2
                && !m.sig[1].is_any()
                && self.vm.world.isa(v, &m.sig[1])
        })
    }

    /// `print(x)`
    pub fn print(&mut self, v: &Value) {
        if self.user_method(v, true) {
            return self.hole(v, HoleKind::Print);
        }
        match v {
            Value::Str(s) => self.out.push_str(&s.0),
            Value::Char(c) => self.out.push(*c),
            Value::Sym(s) => self.out.push_str(s.as_str()),
            _ => self.show(v),
        }
    }

    /// `show(x)`
    pub fn show(&mut self, v: &Value) {
        if self.user_method(v, false) {
            return self.hole(v, HoleKind::Show);
        }
        let w = &self.vm.world;
        match v {
            Value::Undef => self.out.push_str("#undef"),
            Value::Nothing => self.out.push_str("nothing"),
            Value::Bool(b) => {
                if matches!(&self.typeinfo, Some(t) if t.id() == Some(tid::BOOL)) {
                    self.out.push_str(if *b { "1" } else { "0" })
                } else {
                    self.out.push_str(if *b { "true" } else { "false" })
                }
            }
            Value::Int(i) => push_int(&mut self.out, *i),
            Value::Float(f) => {
                if self.compact {
                    jlx_num::fmt::write_float_compact(&mut self.out, *f)
                } else {
                    jlx_num::fmt::write_float(&mut self.out, *f)
                }
            }
            Value::Char(c) => {
                self.out.push('\'');
                escape_char(&mut self.out, *c, '\'');
                self.out.push('\'');
            }
            Value::Sym(s) if plain_symbol(s.as_str()) => {
                self.out.push(':');
                self.out.push_str(s.as_str());
            }
            // Julia shows other symbols as the call that makes them.
            Value::Sym(s) => {
                self.out.push_str("Symbol(");
                show_string(&mut self.out, s.as_str());
                self.out.push(')');
            }
            Value::Str(s) => show_string(&mut self.out, &s.0),
            Value::Func(f) => self.out.push_str(w.funcs[f.0 as usize].name.as_str()),
            Value::Closure(c) => {
                let _ = write!(self.out, "#{}", c.code.proto.name);
            }
            Value::Type(t) => {
                let n = w.type_name(t);
                self.out.push_str(&n);
            }
            Value::Tuple(t) => {
                self.out.push('(');
                let saved = self.typeinfo.take();
                for (i, x) in t.0.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.show(x);
                }
                self.typeinfo = saved;
                if t.0.len() == 1 {
                    self.out.push(',');
                }
                self.out.push(')');
            }
            Value::Array(a) => {
                let (dims, data) = {
                    let g = a.inner.lock();
                    (g.dims.clone(), g.data.clone())
                };
                self.show_array(&dims, &data);
            }
            Value::Obj(o) => self.show_obj(v, o),
            Value::Task(t) => {
                let s = t.describe(v, self.vm.rt.opts.deterministic);
                self.out.push_str(&s);
            }
        }
    }

    fn eltype_prefix(&mut self, elt: &JType) {
        if !typeinfo_implicit(self.vm, elt) {
            let n = self.vm.world.type_name(elt);
            self.out.push_str(&n);
        }
    }

    fn show_array(&mut self, dims: &[usize], data: &ArrayData) {
        let elt = data.eltype();
        let n = data.len();
        if n == 0 && dims.len() == 1 {
            let name = self.vm.world.type_name(&elt);
            self.out.push_str(&name);
            self.out.push_str("[]");
            return;
        }
        self.eltype_prefix(&elt);
        let saved = self.typeinfo.replace(elt);
        self.out.push('[');
        if dims.len() == 2 {
            let (r, c) = (dims[0], dims[1]);
            for i in 0..r {
                if i > 0 {
                    self.out.push_str("; ");
                }
                for j in 0..c {
                    if j > 0 {
                        self.out.push(' ');
                    }
                    self.show(&data.get(j * r + i));
                }
            }
            if c == 1 && r > 0 {
                // Julia marks a one-column matrix: `[1; 2;;]`.
                self.out.push_str(";;");
            }
        } else {
            for i in 0..n {
                if i > 0 {
                    self.out.push_str(", ");
                }
                self.show(&data.get(i));
            }
        }
        self.out.push(']');
        self.typeinfo = saved;
    }

    fn show_obj(&mut self, v: &Value, o: &Obj) {
        let w = &self.vm.world;
        match o {
            Obj::Struct(s) if s.ty == tid::PAIR => {
                self.show(&s.fields[0]);
                self.out.push_str(" => ");
                self.show(&s.fields[1]);
            }
            Obj::Struct(s) => {
                let name = w.type_name(&w.typeof_(v));
                self.out.push_str(&name);
                self.out.push('(');
                let saved = self.typeinfo.take();
                for (i, x) in s.fields.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.show(x);
                }
                self.typeinfo = saved;
                self.out.push(')');
            }
            Obj::MStruct(s) => {
                let name = w.type_name(&w.typeof_(v));
                self.out.push_str(&name);
                self.out.push('(');
                let fields: Vec<Value> = s.fields.lock().to_vec();
                let saved = self.typeinfo.take();
                for (i, x) in fields.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.show(x);
                }
                self.typeinfo = saved;
                self.out.push(')');
            }
            Obj::Range(r) => match *r {
                Range::Unit(a, b) => {
                    let _ = write!(self.out, "{a}:{b}");
                }
                Range::Step(a, s, b) => {
                    let _ = write!(self.out, "{a}:{s}:{b}");
                }
                Range::Float(a, s, n) => {
                    jlx_num::fmt::write_float(&mut self.out, a);
                    self.out.push(':');
                    jlx_num::fmt::write_float(&mut self.out, s);
                    self.out.push(':');
                    jlx_num::fmt::write_float(&mut self.out, crate::obj::float_range_elem(a, s, n - 1));
                }
            },
            Obj::NamedTuple(names, vals) => {
                if names.is_empty() {
                    self.out.push_str("NamedTuple()");
                    return;
                }
                self.out.push('(');
                for (i, (n, x)) in names.iter().zip(vals.iter()).enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    let _ = write!(self.out, "{n} = ");
                    self.show(x);
                }
                if names.len() == 1 {
                    self.out.push(',');
                }
                self.out.push(')');
            }
            Obj::Dict(d) => {
                let entries: Vec<(Value, Value)> = d.data.lock().entries.iter().flatten().cloned().collect();
                let t = w.typeof_(v);
                let implicit =
                    typeinfo_implicit(self.vm, &d.key_type) && typeinfo_implicit(self.vm, &d.val_type);
                if entries.is_empty() {
                    let _ = write!(self.out, "{}()", w.type_name(&t));
                    return;
                }
                if implicit {
                    let _ = write!(self.out, "{}(", w.type_name_of_id(d.type_id()));
                } else {
                    let _ = write!(self.out, "{}(", w.type_name(&t));
                }
                for (i, (k, x)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.show(k);
                    self.out.push_str(" => ");
                    self.show(x);
                }
                self.out.push(')');
            }
            Obj::Set(d) => {
                let keys: Vec<Value> =
                    d.data.lock().entries.iter().flatten().map(|(k, _)| k.clone()).collect();
                let t = w.typeof_(v);
                if keys.is_empty() {
                    let _ = write!(self.out, "{}()", w.type_name(&t));
                    return;
                }
                if typeinfo_implicit(self.vm, &d.key_type) {
                    self.out.push_str("Set(");
                } else {
                    let _ = write!(self.out, "{}(", w.type_name(&t));
                }
                self.out.push('[');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.show(k);
                }
                self.out.push_str("])");
            }
            Obj::Ref(t, cell) => {
                let x = cell.lock().clone();
                let _ = write!(self.out, "Base.RefValue{{{}}}(", w.type_name(t));
                self.show(&x);
                self.out.push(')');
            }
            Obj::Cell(c) => {
                let x = c.lock().clone();
                self.out.push_str("Core.Box(");
                self.show(&x);
                self.out.push(')');
            }
            Obj::Io(io) => self.out.push_str(match io {
                IoObj::Stdout => "Base.TTY(RawFD(1) open, 0 bytes waiting)",
                IoObj::Stderr => "Base.TTY(RawFD(2) open, 0 bytes waiting)",
                IoObj::Stdin => "Base.TTY(RawFD(0) open, 0 bytes waiting)",
                IoObj::Buffer(_) => "IOBuffer(...)",
            }),
            Obj::Module(m) => self.out.push_str(m.name()),
            Obj::Hole(x, _) => {
                let x = x.clone();
                self.show(&x)
            }
            Obj::TypeVar(tv) => self.out.push_str(tv.name.as_str()),
            Obj::Enumerate(x) => {
                self.out.push_str("enumerate(");
                let x = x.clone();
                self.show(&x);
                self.out.push(')');
            }
            Obj::Zip(xs) => {
                self.out.push_str("zip(");
                for (i, x) in xs.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.show(x);
                }
                self.out.push(')');
            }
            Obj::Keys(d) => {
                self.out.push_str("KeySet for a ");
                let d = d.clone();
                let s = display_string(self.vm, &d);
                self.out.push_str(s.lines().next().unwrap_or(""));
            }
            Obj::Values(d) => {
                self.out.push_str("ValueIterator for a ");
                let d = d.clone();
                let s = display_string(self.vm, &d);
                self.out.push_str(s.lines().next().unwrap_or(""));
            }
            Obj::Chan(c) => {
                let s = crate::natives::channels::show(self.vm, c);
                self.out.push_str(&s);
            }
            Obj::Cond(_) => self.out.push_str("Condition()"),
            Obj::Atomic(a) => {
                let x = a.load();
                let _ = write!(self.out, "{}(", w.type_name(&w.typeof_(v)));
                self.show(&x);
                self.out.push(')');
            }
        }
    }

    /// `display(x)`: the REPL's multi-line form.
    pub fn display(&mut self, v: &Value) {
        if self.user_method(v, false) {
            return self.hole(v, HoleKind::Display);
        }
        let w = &self.vm.world;
        match v {
            Value::Array(a) => {
                let (dims, data) = {
                    let g = a.inner.lock();
                    (g.dims.clone(), g.data.clone())
                };
                let n = data.len();
                if dims.len() == 1 && n == 0 {
                    let name = w.type_name(&data.eltype());
                    let _ = write!(self.out, "{name}[]");
                    return;
                }
                if dims.len() == 1 || dims.len() == 2 {
                    self.out.push_str(&summary(self.vm, v));
                    if n == 0 {
                        return;
                    }
                    self.out.push_str(":\n");
                    let (r, c) = if dims.len() == 1 { (dims[0], 1) } else { (dims[0], dims[1]) };
                    let elt = data.eltype();
                    let compact = c > 1;
                    let cell = |i: usize, j: usize| -> crate::arrayshow::Cell {
                        let x = data.get(j * r + i);
                        if matches!(x, Value::Undef) {
                            return ("#undef".to_string(), crate::arrayshow::UNDEF_ALIGNMENT);
                        }
                        let text = self.cell_text(&x, &elt, compact);
                        let kind = match x {
                            Value::Int(_) => AlignKind::Integer,
                            Value::Float(_) => AlignKind::Real,
                            _ => AlignKind::Other,
                        };
                        let a = crate::arrayshow::alignment_of(&text, kind);
                        (text, a)
                    };
                    let mut body = String::new();
                    let screen = if self.vm.display_limit { DISPLAY_SIZE } else { UNLIMITED };
                    crate::arrayshow::print_matrix(&mut body, r, c, &cell, screen);
                    self.out.push_str(&body);
                } else {
                    self.show(v);
                }
            }
            Value::Obj(o) => match &**o {
                Obj::Dict(d) => {
                    let entries: Vec<(Value, Value)> =
                        d.data.lock().entries.iter().flatten().cloned().collect();
                    let t = w.type_name(&w.typeof_(v));
                    if entries.is_empty() {
                        let _ = write!(self.out, "{t}()");
                        return;
                    }
                    let n = entries.len();
                    let _ = write!(self.out, "{t} with {n} {}:", if n == 1 { "entry" } else { "entries" });
                    let keys: Vec<String> = entries.iter().map(|(k, _)| self.sub_repr(k)).collect();
                    let width = keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
                    for ((_, x), k) in entries.iter().zip(keys) {
                        let pad = width - k.chars().count();
                        let _ = write!(self.out, "\n  {k}{} => ", " ".repeat(pad));
                        self.show(x);
                    }
                }
                Obj::Set(d) => {
                    let keys: Vec<Value> =
                        d.data.lock().entries.iter().flatten().map(|(k, _)| k.clone()).collect();
                    let t = w.type_name(&w.typeof_(v));
                    if keys.is_empty() {
                        let _ = write!(self.out, "{t}()");
                        return;
                    }
                    let n = keys.len();
                    let _ = write!(self.out, "{t} with {n} element{}:", if n == 1 { "" } else { "s" });
                    for k in keys {
                        self.out.push_str("\n  ");
                        self.show(&k);
                    }
                }
                Obj::Chan(c) => {
                    let s = crate::natives::channels::display(self.vm, c);
                    self.out.push_str(&s);
                }
                _ => self.show(v),
            },
            Value::Func(f) => {
                let d = &w.funcs[f.0 as usize];
                let n = d.methods.iter().filter(|m| !m.is_native()).count().max(1);
                let _ = write!(
                    self.out,
                    "{} (generic function with {n} method{})",
                    d.name,
                    if n == 1 { "" } else { "s" }
                );
            }
            // Julia's `show(io, MIME"text/plain", c)`: the literal, then
            // the code point and category.
            Value::Char(c) => {
                self.show(v);
                self.out.push_str(&crate::unicode::char_description(*c));
            }
            _ => self.show(v),
        }
    }

    fn sub_repr(&self, v: &Value) -> String {
        let mut p = Printer::new(self.vm);
        p.show(v);
        p.out
    }

    fn cell_text(&self, v: &Value, elt: &JType, compact: bool) -> String {
        let mut p = Printer::new(self.vm);
        p.typeinfo = Some(elt.clone());
        p.compact = compact;
        if elt.id() == Some(tid::BOOL) {
            p.typeinfo = None;
        }
        p.show(v);
        // Julia prints each cell with the 3-argument `show` first, whose
        // `Char` form is the long one unless `:compact` (matrices) is set.
        if let (Value::Char(c), false) = (v, compact) {
            p.out.push_str(&crate::unicode::char_description(*c));
        }
        p.out
    }
}

/// Julia's `displaysize` when stdout is not a terminal: `(24, 80)`.
pub const DISPLAY_SIZE: (usize, usize) = (24, 80);

/// No cutting: what `display` does outside the REPL (Julia's `:limit` is
/// false for a script's `stdout`).
const UNLIMITED: (usize, usize) = (1 << 40, 1 << 40);

/// Julia's `summary(x)`: `"3-element Vector{Int64}"`, `"2×2 Matrix{Float64}"`,
/// `"3-codeunit String"`, `"Dict{String, Int64} with 1 entry"`, else the type's name.
pub fn summary(vm: &Vm, v: &Value) -> String {
    let w = &vm.world;
    let tname = || w.type_name(&w.typeof_(v));
    match v {
        Value::Array(a) => {
            let dims = a.inner.lock().dims.clone();
            let d = match dims.len() {
                0 => "0-dimensional".to_string(),
                1 => format!("{}-element", dims[0]),
                _ => dims.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("×"),
            };
            format!("{d} {}", tname())
        }
        Value::Str(s) if s.0.is_empty() => "empty String".to_string(),
        Value::Str(s) => format!("{}-codeunit String", s.0.len()),
        Value::Obj(o) => match &**o {
            Obj::Range(r) => format!("{}-element {}", r.len(), tname()),
            Obj::Dict(d) => {
                let n = d.data.lock().entries.iter().flatten().count();
                format!("{} with {n} {}", tname(), if n == 1 { "entry" } else { "entries" })
            }
            Obj::Set(d) => {
                let n = d.data.lock().entries.iter().flatten().count();
                format!("{} with {n} element{}", tname(), if n == 1 { "" } else { "s" })
            }
            _ => tname(),
        },
        _ => tname(),
    }
}

/// Julia's `typeinfo_implicit`: can elements of this type be printed without a type prefix?
pub fn typeinfo_implicit(vm: &Vm, t: &JType) -> bool {
    match t {
        JType::Data(id, ps) => match *id {
            tid::FLOAT64 | tid::INT64 | tid::CHAR | tid::STRING | tid::SYMBOL | tid::NOTHING => ps.is_empty(),
            tid::ARRAY => match ps.first() {
                Some(TParam::Type(e)) => typeinfo_implicit(vm, e),
                _ => false,
            },
            tid::PAIR | tid::DICT | tid::IDDICT => {
                ps.iter().all(|p| matches!(p, TParam::Type(e) if typeinfo_implicit(vm, e))) && !ps.is_empty()
            }
            _ => {
                // Singleton types (structs without fields) are implicit.
                let d = &vm.world.types[id.0 as usize];
                matches!(&d.kind, crate::types::TypeKind::Struct { fields, .. } if fields.is_empty())
            }
        },
        JType::Tuple(ts) | JType::NamedTuple(_, ts) => ts.iter().all(|e| typeinfo_implicit(vm, e)),
        _ => false,
    }
}

pub fn escape_char(out: &mut String, c: char, quote: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\\' => out.push_str("\\\\"),
        '\0' => out.push_str("\\0"),
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\x0b' => out.push_str("\\v"),
        '\x1b' => out.push_str("\\e"),
        c if c == quote => {
            out.push('\\');
            out.push(c)
        }
        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if !c.is_ascii() && !crate::unicode::is_print(c) => escape_unprintable(out, c, false),
        c => out.push(c),
    }
}

/// A character `isprint` rejects, as Julia escapes it: `\u2028`,
/// `\U1f000`; at least two hex digits, or the full four (`\u`) or eight
/// (`\U`) when `full` (a hex digit follows in a string).
fn escape_unprintable(out: &mut String, c: char, full: bool) {
    let u = c as u32;
    let (tag, width) = if u <= 0xffff { ('u', 4) } else { ('U', 8) };
    let _ = if full { write!(out, "\\{tag}{u:0width$x}") } else { write!(out, "\\{tag}{u:02x}") };
}

pub fn show_string(out: &mut String, s: &str) {
    out.push('"');
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '$' {
            out.push_str("\\$");
        } else if !c.is_ascii() && !crate::unicode::is_print(c) {
            let full = it.peek().is_some_and(|n| n.is_ascii_hexdigit());
            escape_unprintable(out, c, full);
        } else {
            escape_char(out, c, '"');
        }
    }
    out.push('"');
}

/// `repr(x)` as plain text (holes printed with the default form).
pub fn repr(vm: &Vm, v: &Value) -> String {
    let mut p = Printer::new(vm);
    p.show(v);
    p.out
}

/// `sprint(print, x)` ignoring user methods.
pub fn print_string(vm: &Vm, v: &Value) -> String {
    let mut p = Printer::new(vm);
    p.print(v);
    match p.finish() {
        Printed::Text(t) => t,
        Printed::Pieces(ps) => ps.iter().map(|x| repr(vm, x)).collect(),
    }
}

pub fn display_string(vm: &Vm, v: &Value) -> String {
    let mut p = Printer::new(vm);
    p.display(v);
    p.out
}

/// Whether `:name` reads back as the symbol: an identifier (Julia's
/// `isidentifier`, keywords included) or an operator.
fn plain_symbol(s: &str) -> bool {
    let mut cs = s.chars();
    let Some(first) = cs.next() else { return false };
    if first.is_alphabetic() || first == '_' {
        return cs.all(|c| c.is_alphanumeric() || c == '_' || c == '!');
    }
    const OPS: &str = "+-*/\\^<>=!~|&%÷∈∉⊻≤≥≠≡≢∘√:.$";
    s.chars().all(|c| OPS.contains(c))
}

#[cfg(test)]
mod int_text_tests {
    #[test]
    fn int_text_matches_display() {
        let mut xs = vec![0i64, 1, -1, 9, 10, 99, 100, 101, -100, 12345, i64::MAX, i64::MIN, i64::MIN + 1];
        let mut x: i64 = 7;
        for _ in 0..2000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            xs.push(x >> (x as u64 % 60));
        }
        for x in xs {
            let mut buf = [0u8; 20];
            assert_eq!(super::int_text(x, &mut buf), x.to_string());
        }
    }
}
