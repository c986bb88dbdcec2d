//! Compiled code as bytes: the form in which the `jlx` binary embeds the
//! standard library, compiled by its build script, so a run starts without
//! parsing or compiling `stdlib/*.jlx`.
//!
//! An image is a list of *units*, one per library file, in load order. A
//! unit holds the file's name and source text (a unit is used only for
//! exactly that text), the symbols and globals that compiling it interned
//! (in order), and its top-level [`Proto`] tree. Symbols are stored as
//! indices into the replayed symbols (as text only when the compiler did
//! not intern one first) and global ids as indices into the image's own
//! global list, so a
//! unit is loaded into a process whose interner and [`GlobalNames`] already
//! hold other entries: [`Reader::unit`] interns the unit's symbols and
//! globals in the order the compiler first did (so ids come out as compiling
//! the source in this process would number them), rewrites the global
//! operands of `GetGlobal`/`CallGlobal`/`SetGlobal`/`SetConstGlobal` and the
//! `Const::GlobalId` constants (the only places global ids appear: the
//! compiler never puts one in a plain `Int`), and gives every span the file
//! id the loader registered.
//!
//! Invariant: `decode(encode(p))` is `p` up to those renumberings (tested,
//! and the `jlx` crate tests that a loaded image equals the library compiled
//! from source). Encoding a new `Op` variant, `Const` variant or `Proto`
//! field is a compile error until it is added here.

use crate::globals::{GlobalId, GlobalNames, ModId};
use crate::op::Op;
use crate::proto::{Const, Proto};
use jlx_base::{FileId, Span, Sym};
use std::collections::HashMap;
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"JLXIMG1\0";

/// What the compiler produced for one library file, to be encoded.
pub struct UnitIn<'a> {
    pub name: &'a str,
    pub source: &'a str,
    /// The file id the spans of `proto` carry.
    pub file: FileId,
    /// Symbols first interned while compiling the file, in order.
    pub new_syms: Vec<&'a str>,
    /// Globals first interned while compiling the file, in id order; the
    /// first has id `first_global`.
    pub new_globals: Vec<(ModId, Sym)>,
    pub first_global: u32,
    pub proto: &'a Proto,
}

/// Encodes `units` (in load order) as one image. Fails when a span of a
/// unit refers to another file, or when the units' global ids are not
/// dense from 0 in order.
pub fn encode(units: &[UnitIn]) -> Result<Vec<u8>, String> {
    let mut w = Writer { out: MAGIC.to_vec(), syms: HashMap::new(), file: FileId(0), last: 0, src_len: 0 };
    w.uint(units.len() as u64);
    let mut next_global = 0u32;
    for u in units {
        if u.first_global != next_global {
            return Err(format!("{}: globals start at {} instead of {next_global}", u.name, u.first_global));
        }
        next_global += u.new_globals.len() as u32;
        w.str(u.name);
        w.str(u.source);
        w.uint(u.new_syms.len() as u64);
        for s in &u.new_syms {
            w.str(s);
            let next = w.syms.len() as u32;
            w.syms.entry(Sym::new(s)).or_insert(next);
        }
        w.uint(u.new_globals.len() as u64);
        for (m, s) in &u.new_globals {
            w.uint(m.0 as u64);
            w.str(s.as_str());
        }
        w.file = u.file;
        w.last = 0;
        w.src_len = u.source.len();
        w.proto(u.proto)?;
    }
    Ok(w.out)
}

struct Writer {
    out: Vec<u8>,
    /// Symbol -> its index among the replayed symbols of the units so far.
    syms: HashMap<Sym, u32>,
    file: FileId,
    /// The start of the last span written (spans are stored as deltas).
    last: u32,
    /// The length of the unit's source text.
    src_len: usize,
}

impl Writer {
    fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn int(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)) as u64);
    }

    fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.out.extend_from_slice(s.as_bytes());
    }

    /// A symbol: `2 * i` for the `i`th replayed symbol, or `1` and its text
    /// (one that compiling did not intern first: it existed before).
    fn sym(&mut self, s: Sym) {
        match self.syms.get(&s) {
            Some(&i) => self.uint(2 * i as u64),
            None => {
                self.uint(1);
                self.str(s.as_str());
            }
        }
    }

    /// A span of the unit's file: its start as a delta from the last
    /// span's start, then its length (both small, mostly one byte).
    fn span(&mut self, s: Span) -> Result<(), String> {
        if s.file != self.file || s.end < s.start || s.end as usize > self.src_len {
            return Err(format!("span {s:?} is not a span of the unit's file {:?}", self.file));
        }
        self.int(s.start as i64 - self.last as i64);
        self.uint((s.end - s.start) as u64);
        self.last = s.start;
        Ok(())
    }

    fn proto(&mut self, p: &Proto) -> Result<(), String> {
        let Proto {
            name,
            span,
            nparams,
            vararg,
            has_kw,
            ncaptures,
            nregs,
            code,
            spans,
            consts,
            protos,
            param_names,
            toplevel,
        } = p;
        self.sym(*name);
        self.span(*span)?;
        nparams.put(self);
        vararg.put(self);
        has_kw.put(self);
        ncaptures.put(self);
        nregs.put(self);
        toplevel.put(self);
        self.uint(code.len() as u64);
        for op in code {
            put_op(self, op);
        }
        self.uint(spans.len() as u64);
        for s in spans {
            self.span(*s)?;
        }
        self.uint(consts.len() as u64);
        for k in consts {
            match k {
                Const::Int(v) => {
                    self.uint(0);
                    self.int(*v);
                }
                Const::Float(v) => {
                    self.uint(1);
                    self.out.extend_from_slice(&v.to_bits().to_le_bytes());
                }
                Const::Str(s) => {
                    self.uint(2);
                    self.str(s);
                }
                Const::Char(c) => {
                    self.uint(3);
                    self.uint(*c as u64);
                }
                Const::Sym(s) => {
                    self.uint(4);
                    self.sym(*s);
                }
                Const::Syms(ss) => {
                    self.uint(5);
                    self.uint(ss.len() as u64);
                    for s in ss.iter() {
                        self.sym(*s);
                    }
                }
                Const::GlobalId(g) => {
                    self.uint(6);
                    self.uint(*g as u64);
                }
                Const::Proto(i) => {
                    self.uint(7);
                    self.uint(*i as u64);
                }
            }
        }
        self.uint(protos.len() as u64);
        for c in protos {
            self.proto(c)?;
        }
        self.uint(param_names.len() as u64);
        for s in param_names {
            self.sym(*s);
        }
        Ok(())
    }
}

/// Reads the units of an image in order (each after the one before it).
pub struct Reader<'a> {
    r: Bytes<'a>,
    units_left: u64,
    /// Image global index -> id in this process's table.
    globals: Vec<GlobalId>,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Result<Reader<'a>, String> {
        let mut r = Bytes { b: bytes, pos: 0, syms: vec![], file: FileId(0), last: 0, src_len: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err("not a jlx image".into());
        }
        let units_left = r.uint()?;
        Ok(Reader { r, units_left, globals: vec![] })
    }

    /// The next unit's name, without consuming it (`None` after the last).
    pub fn peek_name(&self) -> Option<&'a str> {
        if self.units_left == 0 {
            return None;
        }
        let mut r =
            Bytes { b: self.r.b, pos: self.r.pos, syms: vec![], file: FileId(0), last: 0, src_len: 0 };
        r.str().ok()
    }

    /// Loads the next unit, which must be `name` with exactly `source`:
    /// interns its symbols and globals (into `names`) and returns its
    /// top-level prototype with spans in `file`. On `Err` nothing was
    /// interned when the unit is not `name`/`source`; the reader must not
    /// be used for later units after any error.
    pub fn unit(
        &mut self,
        name: &str,
        source: &str,
        file: FileId,
        names: &GlobalNames,
    ) -> Result<Arc<Proto>, String> {
        if self.units_left == 0 {
            return Err(format!("the image has no unit for {name}"));
        }
        let r = &mut self.r;
        let un = r.str()?;
        let n = r.uint()? as usize;
        // Compared as bytes: the text is the file's only if it is equal.
        if un != name || r.take(n)? != source.as_bytes() {
            return Err(format!("the image's unit {un} is not {name} as it is now"));
        }
        self.units_left -= 1;
        for _ in 0..r.uint()? {
            let s = Sym::new(r.str()?);
            r.syms.push(s);
        }
        for _ in 0..r.uint()? {
            let m = ModId(r.uint()? as u16);
            let s = Sym::new(r.str()?);
            self.globals.push(names.intern(m, s));
        }
        r.file = file;
        r.last = 0;
        r.src_len = u32::try_from(source.len()).map_err(|_| Corrupt)?;
        let p = r.proto(&self.globals)?;
        Ok(Arc::new(p))
    }
}

struct Bytes<'a> {
    b: &'a [u8],
    pos: usize,
    /// The symbols replayed by the units read so far, in order.
    syms: Vec<Sym>,
    file: FileId,
    last: u32,
    /// The length of the unit's source text (no span reaches past it).
    src_len: u32,
}

/// A malformed image (reported as [`CORRUPT`]).
#[derive(Debug)]
struct Corrupt;

const CORRUPT: &str = "corrupt jlx image";

impl From<Corrupt> for String {
    fn from(_: Corrupt) -> String {
        CORRUPT.to_string()
    }
}

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Corrupt> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.b.len()).ok_or(Corrupt)?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    #[inline]
    fn uint(&mut self) -> Result<u64, Corrupt> {
        match self.b.get(self.pos) {
            Some(&byte) if byte < 0x80 => {
                self.pos += 1;
                Ok(byte as u64)
            }
            _ => self.uint_long(),
        }
    }

    fn uint_long(&mut self) -> Result<u64, Corrupt> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let byte = *self.b.get(self.pos).ok_or(Corrupt)?;
            self.pos += 1;
            if shift >= 64 {
                return Err(Corrupt);
            }
            v |= ((byte & 0x7f) as u64) << shift;
            if byte < 0x80 {
                return Ok(v);
            }
            shift += 7;
        }
    }

    #[inline]
    fn int(&mut self) -> Result<i64, Corrupt> {
        let u = self.uint()?;
        Ok(((u >> 1) as i64) ^ -((u & 1) as i64))
    }

    fn str(&mut self) -> Result<&'a str, Corrupt> {
        let n = self.uint()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|_| Corrupt)
    }

    #[inline]
    fn sym(&mut self) -> Result<Sym, Corrupt> {
        match self.uint()? {
            1 => Ok(Sym::new(self.str()?)),
            i if i % 2 == 0 => self.syms.get((i / 2) as usize).copied().ok_or(Corrupt),
            _ => Err(Corrupt),
        }
    }

    /// A span, checked to lie within the unit's source text.
    #[inline]
    fn span(&mut self) -> Result<Span, Corrupt> {
        let start = self.last as i64 + self.int()?;
        let len = self.uint()?;
        if start < 0 || len > self.src_len as u64 || start as u64 + len > self.src_len as u64 {
            return Err(Corrupt);
        }
        self.last = start as u32;
        Ok(Span { file: self.file, start: start as u32, end: (start as u64 + len) as u32 })
    }

    fn len(&mut self) -> Result<usize, Corrupt> {
        let n = self.uint()? as usize;
        // Every element takes at least one byte: a corrupt count cannot make us allocate much.
        if n > self.b.len() - self.pos {
            return Err(Corrupt);
        }
        Ok(n)
    }

    fn proto(&mut self, globals: &[GlobalId]) -> Result<Proto, Corrupt> {
        let name = self.sym()?;
        let span = self.span()?;
        let nparams = Field::get(self)?;
        let vararg = Field::get(self)?;
        let has_kw = Field::get(self)?;
        let ncaptures = Field::get(self)?;
        let nregs = Field::get(self)?;
        let toplevel = Field::get(self)?;
        let n = self.len()?;
        let mut code = Vec::with_capacity(n);
        for _ in 0..n {
            let mut op = get_op(self)?;
            match &mut op {
                Op::GetGlobal { g, .. } | Op::SetGlobal { g, .. } | Op::SetConstGlobal { g, .. } => {
                    *g = globals.get(*g as usize).ok_or(Corrupt)?.0;
                }
                // Renumbered past `u16::MAX`: a `GetGlobal` and a `Call`
                // cannot replace it in place, so such an image is refused.
                Op::CallGlobal { g, .. } => {
                    let n = globals.get(*g as usize).ok_or(Corrupt)?.0;
                    *g = u16::try_from(n).map_err(|_| Corrupt)?;
                }
                _ => {}
            }
            code.push(op);
        }
        let n = self.len()?;
        let mut spans = Vec::with_capacity(n);
        for _ in 0..n {
            spans.push(self.span()?);
        }
        let n = self.len()?;
        let mut consts = Vec::with_capacity(n);
        for _ in 0..n {
            consts.push(match self.uint()? {
                0 => Const::Int(self.int()?),
                1 => {
                    let b: [u8; 8] = self.take(8)?.try_into().map_err(|_| Corrupt)?;
                    Const::Float(f64::from_bits(u64::from_le_bytes(b)))
                }
                2 => Const::Str(Arc::from(self.str()?)),
                3 => Const::Char(char::from_u32(self.uint()? as u32).ok_or(Corrupt)?),
                4 => Const::Sym(self.sym()?),
                5 => {
                    let n = self.len()?;
                    let mut v = Vec::with_capacity(n);
                    for _ in 0..n {
                        v.push(self.sym()?);
                    }
                    Const::Syms(Arc::from(v))
                }
                6 => Const::GlobalId(globals.get(self.uint()? as usize).ok_or(Corrupt)?.0),
                7 => Const::Proto(u16::try_from(self.uint()?).map_err(|_| Corrupt)?),
                _ => return Err(Corrupt),
            });
        }
        let n = self.len()?;
        let mut protos = Vec::with_capacity(n);
        for _ in 0..n {
            protos.push(Arc::new(self.proto(globals)?));
        }
        let n = self.len()?;
        let mut param_names = Vec::with_capacity(n);
        for _ in 0..n {
            param_names.push(self.sym()?);
        }
        Ok(Proto {
            name,
            span,
            nparams,
            vararg,
            has_kw,
            ncaptures,
            nregs,
            code,
            spans,
            consts,
            protos,
            param_names,
            toplevel,
        })
    }
}

/// An operand type of an `Op` field.
trait Field: Sized {
    fn put(&self, w: &mut Writer);
    fn get(r: &mut Bytes) -> Result<Self, Corrupt>;
}

macro_rules! unsigned_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn put(&self, w: &mut Writer) {
                w.uint(*self as u64)
            }
            #[inline]
            fn get(r: &mut Bytes) -> Result<Self, Corrupt> {
                <$t>::try_from(r.uint()?).map_err(|_| Corrupt)
            }
        }
    )*};
}

macro_rules! signed_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn put(&self, w: &mut Writer) {
                w.int(*self as i64)
            }
            #[inline]
            fn get(r: &mut Bytes) -> Result<Self, Corrupt> {
                <$t>::try_from(r.int()?).map_err(|_| Corrupt)
            }
        }
    )*};
}

unsigned_field!(u16, u32);
signed_field!(i16, i32);

impl Field for bool {
    fn put(&self, w: &mut Writer) {
        w.uint(*self as u64)
    }
    #[inline]
    fn get(r: &mut Bytes) -> Result<Self, Corrupt> {
        match r.uint()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Corrupt),
        }
    }
}

/// The op codec: each variant with its fields. The `match` in `put_op` is
/// exhaustive, so a new `Op` variant must be listed here.
macro_rules! op_codec {
    ($($name:ident { $($f:ident),* }),* $(,)?) => {
        #[allow(clippy::upper_case_acronyms)]
        #[repr(u8)]
        enum Tag { $($name),* }

        fn put_op(w: &mut Writer, op: &Op) {
            match *op {
                $(Op::$name { $($f),* } => {
                    w.uint(Tag::$name as u64);
                    $($f.put(w);)*
                })*
            }
        }

        /// Each variant's tag as a constant, to match on.
        #[allow(non_upper_case_globals)]
        mod tags {
            $(pub const $name: u8 = super::Tag::$name as u8;)*
        }

        #[inline]
        fn get_op(r: &mut Bytes) -> Result<Op, Corrupt> {
            let tag = u8::try_from(r.uint()?).map_err(|_| Corrupt)?;
            Ok(match tag {
                $(tags::$name => Op::$name { $($f: Field::get(r)?),* },)*
                _ => return Err(Corrupt),
            })
        }
    };
}

op_codec! {
    Move { dst, src },
    LoadNothing { dst },
    LoadBool { dst, val },
    LoadInt { dst, val },
    LoadConst { dst, k },
    GetGlobal { dst, g },
    SetGlobal { g, src },
    SetConstGlobal { g, src },
    GetCapture { dst, idx },
    NewBox { dst },
    BoxGet { dst, boxr, name },
    BoxSet { boxr, src },
    Closure { dst, proto, base },
    CheckDefined { reg, name },
    Undef { reg },
    Add { dst, a, b },
    Sub { dst, a, b },
    Mul { dst, a, b },
    Div { dst, a, b },
    Rem { dst, a, b },
    IntDiv { dst, a, b },
    Pow { dst, a, b },
    Lt { dst, a, b },
    Le { dst, a, b },
    Eq { dst, a, b },
    Ne { dst, a, b },
    Is { dst, a, b },
    AddImm { dst, a, imm },
    BitAnd { dst, a, b },
    BitOr { dst, a, b },
    BitXor { dst, a, b },
    Shl { dst, a, b },
    Shr { dst, a, b },
    UShr { dst, a, b },
    AddK { dst, a, k },
    SubK { dst, a, k },
    MulK { dst, a, k },
    DivK { dst, a, k },
    KAdd { dst, a, k },
    KSub { dst, a, k },
    KMul { dst, a, k },
    KDiv { dst, a, k },
    LtK { dst, a, k },
    EqK { dst, a, k },
    NeK { dst, a, k },
    RemK { dst, a, k },
    LeK { dst, a, k },
    GtK { dst, a, k },
    GeK { dst, a, k },
    BrLt { a, b, off },
    BrNotLt { a, b, off },
    BrLe { a, b, off },
    BrNotLe { a, b, off },
    BrLtK { a, k, off },
    BrNotLtK { a, k, off },
    BrLeK { a, k, off },
    BrNotLeK { a, k, off },
    BrGtK { a, k, off },
    BrNotGtK { a, k, off },
    BrGeK { a, k, off },
    BrNotGeK { a, k, off },
    Neg { dst, src },
    Not { dst, src },
    Jmp { off },
    JmpIf { cond, off },
    JmpIfNot { cond, off },
    Call { base, nargs },
    CallGlobal { base, nargs, g },
    CallKw { base, nargs },
    CallSplat { base },
    Ret { src },
    GetField { dst, obj, name },
    SetField { obj, name, src },
    GetIndex { dst, obj, idx },
    SetIndex { obj, idx, src },
    GetRef { dst, obj },
    SetRef { obj, src },
    Tuple { dst, base, n },
    Vect { dst, base, n },
    Splat { dst, src },
    Push { dst, src },
    IterFirst { a, off },
    IterUnpack { a, off },
    IterNext { a, off },
    IterUnpackNext { a, off },
    Unpack { dst, src, idx },
    PushHandler { exc, off },
    PopHandler {},
    ExcRestore { src },
    Throw { src },
    Rethrow { src },
    KwGet { dst, name, skip },
    KwRest { dst, names },
    KwCheck { names },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A unit's source text: the sample's spans lie within it.
    const SRC: &str = "function f(x) x + 1 end # sample";

    /// A top-level proto setting global `ga` with a child reading global `gb`.
    fn sample(file: FileId, ga: u32, gb: u32) -> Proto {
        let sp = |a: u32, b: u32| Span { file, start: a, end: b };
        let inner = Proto {
            name: Sym::new("inner"),
            span: sp(3, 9),
            nparams: 2,
            vararg: true,
            has_kw: true,
            ncaptures: 1,
            nregs: 7,
            code: vec![
                Op::GetGlobal { dst: 2, g: gb },
                Op::LoadInt { dst: 3, val: -70000 },
                Op::AddImm { dst: 3, a: 3, imm: -5 },
                Op::PopHandler,
                Op::Ret { src: 3 },
            ],
            spans: vec![sp(3, 4), sp(4, 5), sp(5, 6), sp(6, 7), sp(7, 9)],
            consts: vec![
                Const::Syms(Arc::from(vec![Sym::new("a"), Sym::new("b")])),
                Const::Char('λ'),
                Const::GlobalId(ga),
            ],
            protos: vec![],
            param_names: vec![Sym::new("x"), Sym::new("xs")],
            toplevel: false,
        };
        Proto {
            name: Sym::new("top-level scope"),
            span: sp(0, 20),
            nparams: 0,
            vararg: false,
            has_kw: false,
            ncaptures: 0,
            nregs: 3,
            code: vec![
                Op::LoadConst { dst: 0, k: 0 },
                Op::SetConstGlobal { g: ga, src: 0 },
                Op::Jmp { off: -2 },
                Op::LoadBool { dst: 1, val: true },
            ],
            spans: vec![sp(0, 1), sp(1, 2), sp(2, 3), sp(3, 4)],
            consts: vec![
                Const::Int(i64::MIN),
                Const::Float(-0.1),
                Const::Str(Arc::from("text")),
                Const::Sym(Sym::new("inner")),
                Const::Proto(0),
            ],
            protos: vec![Arc::new(inner)],
            param_names: vec![],
            toplevel: true,
        }
    }

    #[test]
    fn round_trip_renumbers_globals_and_files() {
        let p = sample(FileId(7), 0, 1);
        let (f, g) = (Sym::new("f"), Sym::new("g"));
        let unit = UnitIn {
            name: "stdlib/t.jlx",
            source: SRC,
            file: FileId(7),
            new_syms: vec!["f", "g", "inner", "a"],
            new_globals: vec![(ModId::BASE, f), (ModId::BASE, g)],
            first_global: 0,
            proto: &p,
        };
        let bytes = encode(&[unit]).unwrap();
        // A table that already holds other names: the image's ids move.
        let names = GlobalNames::new();
        names.intern(ModId::MAIN, Sym::new("other"));
        let mut r = Reader::new(&bytes).unwrap();
        assert_eq!(r.peek_name(), Some("stdlib/t.jlx"));
        assert!(r.unit("stdlib/t.jlx", "changed", FileId(2), &names).is_err());
        let mut r = Reader::new(&bytes).unwrap();
        let q = r.unit("stdlib/t.jlx", SRC, FileId(2), &names).unwrap();
        assert_eq!(r.peek_name(), None);
        let gf = names.lookup(ModId::BASE, f).unwrap();
        let gg = names.lookup(ModId::BASE, g).unwrap();
        assert_eq!((gf.0, gg.0), (1, 2));
        let want = sample(FileId(2), gf.0, gg.0);
        assert_eq!(format!("{q:?}"), format!("{want:?}"));
    }

    #[test]
    fn corrupt_images_are_errors() {
        let p = sample(FileId(1), 0, 1);
        let unit = UnitIn {
            name: "u",
            source: SRC,
            file: FileId(1),
            new_syms: vec![],
            new_globals: vec![(ModId::BASE, Sym::new("f")), (ModId::BASE, Sym::new("g"))],
            first_global: 0,
            proto: &p,
        };
        let bytes = encode(&[unit]).unwrap();
        for cut in 0..bytes.len() {
            let names = GlobalNames::new();
            if let Ok(mut r) = Reader::new(&bytes[..cut]) {
                assert!(r.unit("u", SRC, FileId(1), &names).is_err(), "cut at {cut}");
            }
        }
        let mut other_file = sample(FileId(1), 0, 1);
        other_file.span.file = FileId(2);
        let unit = UnitIn {
            name: "u",
            source: SRC,
            file: FileId(1),
            new_syms: vec![],
            new_globals: vec![],
            first_global: 0,
            proto: &other_file,
        };
        assert!(encode(&[unit]).is_err());
    }
}
