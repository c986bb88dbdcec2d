//! The string and character library: case mapping, stripping, `split`/`join`,
//! `replace`, searching (`occursin`, `startswith`, `findnext`...), padding,
//! byte-index navigation (`nextind`, `prevind`, `thisind`) and the `Char`
//! predicates, with Julia's semantics (byte indices, `SubString` results).
//!
//! Generic functions owned by the collections library (`first`, `last`,
//! `reverse`, `collect`, `findfirst`, `findnext`, `findlast`, `findprev`,
//! `findall`) call the `pub fn string_*` helpers below for string arguments.
//! Callbacks into user code (predicate closures, user `print` methods) are
//! tail calls into `stdlib/strings.jlx`.

use super::{kwarg, no_method, register, NResult, NativeFn};
use crate::arrays::new_array;
use crate::errors;
use crate::obj::{ArrayData, Obj, Range};
use crate::runtime::Flow;
use crate::show::{Printed, Printer};
use crate::types::{tid, JType, TParam};
use crate::value::Value;
use crate::vm::Vm;
use jlx_bytecode::ModId;

pub fn install(rt: &crate::runtime::Runtime) {
    for (n, f) in [
        ("ncodeunits", ncodeunits as NativeFn),
        ("sizeof", sizeof),
        ("codeunit", codeunit),
        ("uppercase", uppercase),
        ("lowercase", lowercase),
        ("titlecase", titlecase),
        ("uppercasefirst", uppercasefirst),
        ("lowercasefirst", lowercasefirst),
        ("strip", strip),
        ("lstrip", lstrip),
        ("rstrip", rstrip),
        ("chomp", chomp),
        ("chop", chop),
        ("chopprefix", chopprefix),
        ("chopsuffix", chopsuffix),
        ("split", split),
        ("rsplit", rsplit),
        ("join", join),
        ("replace", replace),
        ("occursin", occursin),
        ("contains", contains),
        ("startswith", startswith),
        ("endswith", endswith),
        ("lpad", lpad),
        ("rpad", rpad),
        ("repeat", repeat),
        ("textwidth", textwidth),
        ("isdigit", isdigit),
        ("isxdigit", isxdigit),
        ("isletter", isletter),
        ("isspace", isspace),
        ("isuppercase", isuppercase),
        ("islowercase", islowercase),
        ("isnumeric", isnumeric),
        ("ispunct", ispunct),
        ("isascii", isascii),
        ("iscntrl", iscntrl),
        ("isprint", isprint),
        ("codepoint", codepoint),
        ("thisind", thisind),
        ("nextind", nextind),
        ("prevind", prevind),
        ("isvalid", isvalid),
        ("__substring__", substring),
    ] {
        register(rt, ModId::BASE, n, f);
    }
}

type Args<'a> = &'a [Value];

// ---------- characters ----------

/// Julia's `isspace`.
pub fn is_julia_space(c: char) -> bool {
    crate::unicode::is_space(c)
}

/// Julia's `ispunct` (Unicode category P*).
pub fn is_julia_punct(c: char) -> bool {
    crate::unicode::is_punct(c)
}

/// Simple (one-to-one) case mappings, like utf8proc.
pub fn char_upper(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

pub fn char_lower(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

pub fn char_title(c: char) -> char {
    match c {
        'Ǆ' | 'ǅ' | 'ǆ' => 'ǅ',
        'Ǉ' | 'ǈ' | 'ǉ' => 'ǈ',
        'Ǌ' | 'ǋ' | 'ǌ' => 'ǋ',
        'Ǳ' | 'ǲ' | 'ǳ' => 'ǲ',
        _ => char_upper(c),
    }
}

/// A built-in character predicate by its Base function name.
fn named_pred(name: &str) -> Option<fn(char) -> bool> {
    Some(match name {
        "isspace" => is_julia_space,
        "isdigit" => |c: char| c.is_ascii_digit(),
        "isxdigit" => |c: char| c.is_ascii_hexdigit(),
        "isletter" => crate::unicode::is_letter,
        "isuppercase" => crate::unicode::is_uppercase,
        "islowercase" => crate::unicode::is_lowercase,
        "isnumeric" => crate::unicode::is_numeric,
        "ispunct" => is_julia_punct,
        "isascii" => |c: char| c.is_ascii(),
        "iscntrl" => crate::unicode::is_cntrl,
        "isprint" => crate::unicode::is_print,
        _ => return None,
    })
}

fn char_pred(vm: &mut Vm, name: &str, args: Args, f: fn(char) -> bool) -> NResult {
    match args {
        [Value::Char(c)] => Ok(Value::Bool(f(*c))),
        _ => Err(no_method(vm, name, args)),
    }
}

fn isdigit(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    char_pred(vm, "isdigit", args, |c| c.is_ascii_digit())
}

fn isxdigit(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    char_pred(vm, "isxdigit", args, |c| c.is_ascii_hexdigit())
}

fn isletter(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    char_pred(vm, "isletter", args, crate::unicode::is_letter)
}

fn isspace(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    char_pred(vm, "isspace", args, is_julia_space)
}

fn isuppercase(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    char_pred(vm, "isuppercase", args, crate::unicode::is_uppercase)
}

fn islowercase(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    char_pred(vm, "islowercase", args, crate::unicode::is_lowercase)
}

fn isnumeric(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    char_pred(vm, "isnumeric", args, crate::unicode::is_numeric)
}

fn ispunct(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    char_pred(vm, "ispunct", args, is_julia_punct)
}

fn iscntrl(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    char_pred(vm, "iscntrl", args, crate::unicode::is_cntrl)
}

fn isprint(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    char_pred(vm, "isprint", args, crate::unicode::is_print)
}

fn isascii(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Char(c)] => Ok(Value::Bool(c.is_ascii())),
        [Value::Str(s)] => Ok(Value::Bool(s.0.is_ascii())),
        _ => Err(no_method(vm, "isascii", args)),
    }
}

fn codepoint(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Char(c)] => Ok(Value::Int(*c as i64)),
        _ => Err(no_method(vm, "codepoint", args)),
    }
}

// ---------- sizes and indices ----------

fn ncodeunits(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(s)] => Ok(Value::Int(s.0.len() as i64)),
        [Value::Char(c)] => Ok(Value::Int(c.len_utf8() as i64)),
        _ => Err(no_method(vm, "ncodeunits", args)),
    }
}

fn sizeof(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(s)] => Ok(Value::Int(s.0.len() as i64)),
        [Value::Int(_) | Value::Float(_)] => Ok(Value::Int(8)),
        [Value::Bool(_)] => Ok(Value::Int(1)),
        [Value::Char(_)] => Ok(Value::Int(4)),
        [Value::Array(a)] => {
            let g = a.inner.lock();
            let w = match &g.data {
                ArrayData::Bool(_) => 1,
                ArrayData::Any(t, _) if t.id() == Some(tid::UINT8) => 1,
                ArrayData::Any(t, _) if t.id() == Some(tid::CHAR) => 4,
                _ => 8,
            };
            Ok(Value::Int((g.data.len() * w) as i64))
        }
        [t @ Value::Type(ty)] => match ty.id() {
            Some(tid::INT64 | tid::FLOAT64) if matches!(&**ty, JType::Data(_, p) if p.is_empty()) => {
                Ok(Value::Int(8))
            }
            Some(tid::BOOL | tid::UINT8) => Ok(Value::Int(1)),
            Some(tid::CHAR) => Ok(Value::Int(4)),
            _ => Err(no_method(vm, "sizeof", std::slice::from_ref(t))),
        },
        _ => Err(no_method(vm, "sizeof", args)),
    }
}

fn codeunit(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [v @ Value::Str(s), Value::Int(i)] => {
            if *i < 1 || *i as usize > s.0.len() {
                return Err(errors::bounds_error(v.clone(), Value::Int(*i)));
            }
            Ok(Value::Int(s.0.as_bytes()[*i as usize - 1] as i64))
        }
        _ => Err(no_method(vm, "codeunit", args)),
    }
}

fn is_valid_index(s: &str, i: i64) -> bool {
    i >= 1 && (i as usize) <= s.len() && s.is_char_boundary(i as usize - 1)
}

#[cold]
fn string_index_error(s: &Value, i: i64) -> Flow {
    Flow::Throw(errors::exc(tid::STRINGINDEXERROR, vec![s.clone(), Value::Int(i)]))
}

/// Julia's `thisind(s, i)`.
fn this_ind(sv: &Value, s: &str, i: i64) -> Result<i64, Flow> {
    let z = s.len() as i64;
    if i == 0 || i == z + 1 {
        return Ok(i);
    }
    if i < 0 || i > z + 1 {
        return Err(errors::bounds_error(sv.clone(), Value::Int(i)));
    }
    let mut j = i as usize - 1;
    while !s.is_char_boundary(j) {
        j -= 1;
    }
    Ok(j as i64 + 1)
}

/// Julia's `nextind(s, i, n)`.
pub fn next_ind(sv: &Value, s: &str, i: i64, n: i64) -> Result<i64, Flow> {
    if n < 0 {
        return Err(errors::argument_error(format!("n cannot be negative: {n}")));
    }
    let z = s.len() as i64;
    if !(0..=z).contains(&i) {
        return Err(errors::bounds_error(sv.clone(), Value::Int(i)));
    }
    if n == 0 {
        return if this_ind(sv, s, i)? == i { Ok(i) } else { Err(string_index_error(sv, i)) };
    }
    let (mut i, mut n) = (i, n);
    while n > 0 && i < z {
        i += 1;
        if is_valid_index(s, i) {
            n -= 1;
        }
    }
    Ok(i + n)
}

/// Julia's `prevind(s, i, n)`.
pub fn prev_ind(sv: &Value, s: &str, i: i64, n: i64) -> Result<i64, Flow> {
    if n < 0 {
        return Err(errors::argument_error(format!("n cannot be negative: {n}")));
    }
    let z = s.len() as i64 + 1;
    if !(1..=z).contains(&i) {
        return Err(errors::bounds_error(sv.clone(), Value::Int(i)));
    }
    if n == 0 {
        return if this_ind(sv, s, i)? == i { Ok(i) } else { Err(string_index_error(sv, i)) };
    }
    let (mut i, mut n) = (i, n);
    while n > 0 && 1 < i {
        i -= 1;
        if is_valid_index(s, i) {
            n -= 1;
        }
    }
    Ok(i - n)
}

fn thisind(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [sv @ Value::Str(s), Value::Int(i)] => this_ind(sv, &s.0, *i).map(Value::Int),
        _ => Err(no_method(vm, "thisind", args)),
    }
}

fn nextind(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [sv @ Value::Str(s), Value::Int(i)] => {
            if *i == 0 {
                return Ok(Value::Int(1));
            }
            if *i < 1 || *i as usize > s.0.len() {
                return Err(errors::bounds_error(sv.clone(), Value::Int(*i)));
            }
            next_ind(sv, &s.0, *i, 1).map(Value::Int)
        }
        [sv @ Value::Str(s), Value::Int(i), Value::Int(n)] => next_ind(sv, &s.0, *i, *n).map(Value::Int),
        [Value::Array(_) | Value::Tuple(_), Value::Int(i)] => Ok(Value::Int(i + 1)),
        _ => Err(no_method(vm, "nextind", args)),
    }
}

fn prevind(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [sv @ Value::Str(s), Value::Int(i)] => prev_ind(sv, &s.0, *i, 1).map(Value::Int),
        [sv @ Value::Str(s), Value::Int(i), Value::Int(n)] => prev_ind(sv, &s.0, *i, *n).map(Value::Int),
        [Value::Array(_) | Value::Tuple(_), Value::Int(i)] => Ok(Value::Int(i - 1)),
        _ => Err(no_method(vm, "prevind", args)),
    }
}

fn isvalid(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(s), Value::Int(i)] => Ok(Value::Bool(is_valid_index(&s.0, *i))),
        [Value::Str(_)] => Ok(Value::Bool(true)),
        [Value::Char(_)] => Ok(Value::Bool(true)),
        _ => Err(no_method(vm, "isvalid", args)),
    }
}

/// Byte offset (0-based, exclusive) of the end of the char starting at 1-based `i`.
fn char_end(s: &str, i: i64) -> usize {
    let k = (i - 1) as usize;
    k + s[k..].chars().next().map(char::len_utf8).unwrap_or(1)
}

/// `SubString(s, i, j)` as a `String` (jlx has no separate SubString value).
pub fn substring_of(sv: &Value, s: &str, i: i64, j: i64) -> NResult {
    if j < i {
        return Ok(Value::str(""));
    }
    if i < 1 || j as usize > s.len() {
        return Err(errors::bounds_error(sv.clone(), Value::obj(Obj::Range(Range::Unit(i, j)))));
    }
    if !is_valid_index(s, i) {
        return Err(string_index_error(sv, i));
    }
    if !is_valid_index(s, j) {
        return Err(string_index_error(sv, j));
    }
    Ok(Value::str(&s[i as usize - 1..char_end(s, j)]))
}

/// `__substring__(s, i[, j])`: the body of `SubString(s, i, j)` for the constructor.
fn substring(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [sv @ Value::Str(s)] => Ok(sv.clone()).map(|_| Value::str(&*s.0)),
        [sv @ Value::Str(s), Value::Int(i)] => {
            let j = s.0.char_indices().last().map(|(k, _)| k as i64 + 1).unwrap_or(0);
            substring_of(sv, &s.0, *i, j)
        }
        [sv @ Value::Str(s), Value::Int(i), Value::Int(j)] => substring_of(sv, &s.0, *i, *j),
        _ => Err(no_method(vm, "SubString", args)),
    }
}

// ---------- case ----------

fn map_case(vm: &mut Vm, name: &str, args: Args, f: fn(char) -> char) -> NResult {
    match args {
        [Value::Char(c)] => Ok(Value::Char(f(*c))),
        [Value::Str(s)] => Ok(Value::str(s.0.chars().map(f).collect::<String>())),
        _ => Err(no_method(vm, name, args)),
    }
}

fn uppercase(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    map_case(vm, "uppercase", args, char_upper)
}

fn lowercase(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    map_case(vm, "lowercase", args, char_lower)
}

/// Julia's `titlecase(s; strict=true)` with the default `wordsep = !isletter`.
pub fn titlecase_str(s: &str, strict: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if !crate::unicode::is_letter(c) {
            out.push(c);
            start = true;
        } else {
            out.push(if start {
                char_title(c)
            } else if strict {
                char_lower(c)
            } else {
                c
            });
            start = false;
        }
    }
    out
}

fn titlecase(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    match args {
        [Value::Char(c)] => Ok(Value::Char(char_title(*c))),
        [Value::Str(s)] => {
            let strict = !matches!(kwarg(kw, "strict"), Some(Value::Bool(false)));
            Ok(Value::str(titlecase_str(&s.0, strict)))
        }
        _ => Err(no_method(vm, "titlecase", args)),
    }
}

fn map_first(vm: &mut Vm, name: &str, args: Args, f: fn(char) -> char) -> NResult {
    match args {
        [Value::Str(s)] => {
            let mut it = s.0.chars();
            match it.next() {
                Some(c) => {
                    let mut out = String::with_capacity(s.0.len());
                    out.push(f(c));
                    out.push_str(it.as_str());
                    Ok(Value::str(out))
                }
                None => Ok(args[0].clone()),
            }
        }
        _ => Err(no_method(vm, name, args)),
    }
}

fn uppercasefirst(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    map_first(vm, "uppercasefirst", args, char_title)
}

fn lowercasefirst(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    map_first(vm, "lowercasefirst", args, char_lower)
}

// ---------- character sets and patterns ----------

/// A set of characters: `'c'`, `['a', 'b']`, `('a', 'b')`, `Set(...)`, or a built-in predicate.
#[derive(Clone)]
pub enum CharSet {
    One(char),
    Many(Vec<char>),
    Pred(fn(char) -> bool),
}

impl CharSet {
    pub fn contains(&self, c: char) -> bool {
        match self {
            CharSet::One(x) => *x == c,
            CharSet::Many(v) => v.contains(&c),
            CharSet::Pred(f) => f(c),
        }
    }
}

/// A search pattern: a string or a character set.
#[derive(Clone)]
pub enum Pat {
    Str(String),
    Chars(CharSet),
}

impl Pat {
    /// First match starting at byte `from` or later: (start, end) byte offsets.
    pub fn find_next(&self, s: &str, from: usize) -> Option<(usize, usize)> {
        if from > s.len() {
            return None;
        }
        match self {
            Pat::Str(p) => s[from..].find(p.as_str()).map(|k| (from + k, from + k + p.len())),
            Pat::Chars(cs) => s[from..]
                .char_indices()
                .find(|(_, c)| cs.contains(*c))
                .map(|(k, c)| (from + k, from + k + c.len_utf8())),
        }
    }

    /// Last match ending at or before byte `upto` (exclusive end offset).
    pub fn find_prev(&self, s: &str, upto: usize) -> Option<(usize, usize)> {
        let upto = upto.min(s.len());
        match self {
            Pat::Str(p) => s[..upto].rfind(p.as_str()).map(|k| (k, k + p.len())),
            Pat::Chars(cs) => s[..upto]
                .char_indices()
                .rev()
                .find(|(_, c)| cs.contains(*c))
                .map(|(k, c)| (k, k + c.len_utf8())),
        }
    }

    #[allow(dead_code)]
    fn is_str(&self) -> bool {
        matches!(self, Pat::Str(_))
    }
}

/// The character set described by `v`, if it is one natively understood.
pub fn charset_of(vm: &Vm, v: &Value) -> Option<CharSet> {
    match v {
        Value::Char(c) => Some(CharSet::One(*c)),
        Value::Func(f) => named_pred(vm.world.funcs[f.0 as usize].name.as_str()).map(CharSet::Pred),
        Value::Array(_) | Value::Tuple(_) => {
            let items = crate::iter::collect_native(v)?;
            let cs: Option<Vec<char>> =
                items.iter().map(|x| if let Value::Char(c) = x { Some(*c) } else { None }).collect();
            cs.map(CharSet::Many)
        }
        Value::Obj(o) if matches!(&**o, Obj::Set(_)) => {
            let items = crate::iter::collect_native(v)?;
            let cs: Option<Vec<char>> =
                items.iter().map(|x| if let Value::Char(c) = x { Some(*c) } else { None }).collect();
            cs.map(CharSet::Many)
        }
        _ => None,
    }
}

pub fn pat_of(vm: &Vm, v: &Value) -> Option<Pat> {
    match v {
        Value::Str(s) => Some(Pat::Str(s.0.to_string())),
        _ => charset_of(vm, v).map(Pat::Chars),
    }
}

fn is_callable(v: &Value) -> bool {
    matches!(v, Value::Func(_) | Value::Closure(_))
        || matches!(v, Value::Obj(o) if matches!(&**o, Obj::Struct(_) | Obj::MStruct(_)))
}

/// Tail-call a helper from `stdlib/strings.jlx`, or a MethodError if it is missing.
fn call_stdlib(vm: &mut Vm, helper: &str, name: &str, args: Args, call_args: Vec<Value>) -> NResult {
    match vm.base_func(helper) {
        Some(f) => Err(Flow::Call(Value::Func(f), call_args, None)),
        None => Err(no_method(vm, name, args)),
    }
}

// ---------- strip / chomp / chop ----------

fn strip_impl(vm: &mut Vm, name: &str, args: Args, left: bool, right: bool) -> NResult {
    let (s, set) = match args {
        [Value::Str(s)] => (s, CharSet::Pred(is_julia_space)),
        [Value::Str(s), cs] => match charset_of(vm, cs) {
            Some(set) => (s, set),
            None if is_callable(cs) => {
                let call = vec![cs.clone(), args[0].clone(), Value::Bool(left), Value::Bool(right)];
                return call_stdlib(vm, "__strip_pred__", name, args, call);
            }
            None => return Err(no_method(vm, name, args)),
        },
        _ => return Err(no_method(vm, name, args)),
    };
    let mut t: &str = &s.0;
    if left {
        t = t.trim_start_matches(|c| set.contains(c));
    }
    if right {
        t = t.trim_end_matches(|c| set.contains(c));
    }
    Ok(Value::str(t))
}

fn strip(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    strip_impl(vm, "strip", args, true, true)
}

fn lstrip(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    strip_impl(vm, "lstrip", args, true, false)
}

fn rstrip(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    strip_impl(vm, "rstrip", args, false, true)
}

fn chomp(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(s)] => {
            let t: &str = &s.0;
            let t = if let Some(x) = t.strip_suffix("\r\n") {
                x
            } else if let Some(x) = t.strip_suffix('\n') {
                x
            } else {
                t
            };
            Ok(Value::str(t))
        }
        _ => Err(no_method(vm, "chomp", args)),
    }
}

fn chop(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    let [Value::Str(s)] = args else { return Err(no_method(vm, "chop", args)) };
    let get = |n: &str, d: i64| match kwarg(kw, n) {
        Some(Value::Int(i)) => Ok(i),
        None => Ok(d),
        Some(_) => Err(()),
    };
    let (Ok(head), Ok(tail)) = (get("head", 0), get("tail", 1)) else {
        return Err(no_method(vm, "chop", args));
    };
    if head < 0 || tail < 0 {
        return Err(errors::argument_error(format!(
            "Requested number of characters ({}) must be non-negative",
            if head < 0 { head } else { tail }
        )));
    }
    let chars: Vec<(usize, char)> = s.0.char_indices().collect();
    let (h, t) = (head as usize, tail as usize);
    if h + t >= chars.len() {
        return Ok(Value::str(""));
    }
    let start = chars[h].0;
    let end = chars[chars.len() - t - 1].0 + chars[chars.len() - t - 1].1.len_utf8();
    Ok(Value::str(&s.0[start..end]))
}

fn chopprefix(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(s), Value::Str(p)] => Ok(Value::str(s.0.strip_prefix(&*p.0).unwrap_or(&s.0))),
        _ => Err(no_method(vm, "chopprefix", args)),
    }
}

fn chopsuffix(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(s), Value::Str(p)] => Ok(Value::str(s.0.strip_suffix(&*p.0).unwrap_or(&s.0))),
        _ => Err(no_method(vm, "chopsuffix", args)),
    }
}

// ---------- split / join ----------

fn substring_type() -> JType {
    JType::with(tid::SUBSTRING, vec![TParam::Type(JType::data(tid::STRING))])
}

/// A `Vector{SubString{String}}` of pieces.
pub fn substring_vector(parts: Vec<&str>) -> Value {
    let items: Vec<Value> = parts.into_iter().map(Value::str).collect();
    new_array(vec![items.len()], ArrayData::Any(substring_type(), items))
}

/// Julia's `_split`: pieces of `s` between matches of `pat` (byte ranges).
pub fn split_str<'a>(s: &'a str, pat: &Pat, limit: i64, keepempty: bool) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    // 1-based byte indices, as in Julia.
    let mut i: usize = 1;
    let n = s.char_indices().last().map(|(k, _)| k + 1).unwrap_or(0);
    if let Some((a, b)) = pat.find_next(s, 0) {
        let (mut j, mut k) = (a + 1, b + 1);
        while 0 < j && j <= n && out.len() as i64 != limit - 1 {
            if i < k {
                if keepempty || i < j {
                    out.push(&s[i - 1..j - 1]);
                }
                i = k;
            }
            if k <= j {
                k = char_end(s, j as i64) + 1;
            }
            match pat.find_next(s, k - 1) {
                Some((a, b)) => {
                    j = a + 1;
                    k = b + 1;
                }
                None => break,
            }
        }
    }
    if keepempty || i <= s.len() {
        out.push(&s[(i - 1).min(s.len())..]);
    }
    out
}

/// Julia's `_rsplit`.
pub fn rsplit_str<'a>(s: &'a str, pat: &Pat, limit: i64, keepempty: bool) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    // n: exclusive end byte of the unprocessed prefix.
    let mut n = s.len();
    let mut r = pat.find_prev(s, n);
    while let Some((a, b)) = r {
        if b == 0 || out.len() as i64 == limit - 1 {
            break;
        }
        if keepempty || b < n {
            out.push(&s[b..n]);
        }
        n = a;
        if a == 0 {
            r = None;
            break;
        }
        r = pat.find_prev(s, n);
    }
    let _ = r;
    if keepempty || n > 0 {
        out.push(&s[..n]);
    }
    out.reverse();
    out
}

fn split_args(
    vm: &mut Vm,
    name: &str,
    args: Args,
    kw: Option<&Value>,
) -> Result<(String, Pat, i64, bool), Flow> {
    let limit = match kwarg(kw, "limit") {
        Some(Value::Int(l)) => l,
        None => 0,
        Some(_) => return Err(no_method(vm, name, args)),
    };
    let keep = |d: bool| match kwarg(kw, "keepempty") {
        Some(Value::Bool(b)) => b,
        _ => d,
    };
    match args {
        [Value::Str(s)] => {
            Ok((s.0.to_string(), Pat::Chars(CharSet::Pred(is_julia_space)), limit, keep(false)))
        }
        [Value::Str(s), d] => match pat_of(vm, d) {
            Some(p) => Ok((s.0.to_string(), p, limit, keep(true))),
            None => Err(no_method(vm, name, args)),
        },
        _ => Err(no_method(vm, name, args)),
    }
}

fn split(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    let (s, pat, limit, keep) = split_args(vm, "split", args, kw)?;
    Ok(substring_vector(split_str(&s, &pat, limit, keep)))
}

fn rsplit(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    let (s, pat, limit, keep) = split_args(vm, "rsplit", args, kw)?;
    Ok(substring_vector(rsplit_str(&s, &pat, limit, keep)))
}

/// `print` text of `v`, or `None` when a user `print`/`show` method is involved.
fn print_text(vm: &Vm, v: &Value) -> Option<String> {
    let mut p = Printer::new(vm);
    p.print(v);
    match p.finish() {
        Printed::Text(t) => Some(t),
        Printed::Pieces(_) => None,
    }
}

/// Join already-printed pieces: `delim` between items, `last` before the final one.
pub fn join_strs(items: &[String], delim: &str, last: &str) -> String {
    let mut out = String::new();
    let n = items.len();
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(if i == n - 1 { last } else { delim });
        }
        out.push_str(x);
    }
    out
}

fn is_io(v: &Value) -> bool {
    matches!(v, Value::Obj(o) if matches!(&**o, Obj::Io(_)))
}

fn join(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let (io, rest) = match args {
        [io, rest @ ..] if is_io(io) => (Some(io.clone()), rest),
        _ => (None, args),
    };
    let (xs, delim, last) = match rest {
        [xs] => (xs, Value::str(""), None),
        [xs, d] => (xs, d.clone(), None),
        [xs, d, l] => (xs, d.clone(), Some(l.clone())),
        _ => return Err(no_method(vm, "join", args)),
    };
    let last = last.unwrap_or_else(|| delim.clone());
    let generic = |vm: &mut Vm| {
        let call = vec![io.clone().unwrap_or(Value::Nothing), xs.clone(), delim.clone(), last.clone()];
        call_stdlib(vm, "__join_generic__", "join", args, call)
    };
    let Some(items) = crate::iter::collect_native(xs) else { return generic(vm) };
    let mut texts = Vec::with_capacity(items.len());
    for x in items.iter().chain([&delim, &last]) {
        match print_text(vm, x) {
            Some(t) => texts.push(t),
            None => return generic(vm),
        }
    }
    let l = texts.pop().unwrap_or_default();
    let d = texts.pop().unwrap_or_default();
    let out = join_strs(&texts, &d, &l);
    match io {
        Some(io) => {
            super::io::write_io(vm, &io, &out)?;
            Ok(Value::Nothing)
        }
        None => Ok(Value::str(out)),
    }
}

// ---------- replace ----------

enum Repl {
    Text(String),
    Map(fn(char) -> char),
}

fn replace(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    let [Value::Str(s), pairs @ ..] = args else { return Err(no_method(vm, "replace", args)) };
    if pairs.is_empty() {
        return Err(no_method(vm, "replace", args));
    }
    let count = match kwarg(kw, "count") {
        Some(Value::Int(c)) => c,
        None => i64::MAX,
        Some(_) => return Err(no_method(vm, "replace", args)),
    };
    if count < 0 {
        return Err(errors::domain_error(Value::Int(count), "`count` must be non-negative."));
    }
    let mut pats = Vec::with_capacity(pairs.len());
    for p in pairs {
        let Some((from, to)) = super::core::pair_parts(p) else { return Err(no_method(vm, "replace", args)) };
        if matches!(p, Value::Tuple(_)) {
            return Err(no_method(vm, "replace", args));
        }
        let Some(pat) = pat_of(vm, from) else { return Err(no_method(vm, "replace", args)) };
        let rep = match to {
            Value::Func(f) => match vm.world.funcs[f.0 as usize].name.as_str() {
                "uppercase" => Repl::Map(char_upper),
                "lowercase" => Repl::Map(char_lower),
                "titlecase" => Repl::Map(char_title),
                _ => return Err(no_method(vm, "replace", args)),
            },
            other => match print_text(vm, other) {
                Some(t) => Repl::Text(t),
                None => return Err(no_method(vm, "replace", args)),
            },
        };
        pats.push((pat, rep));
    }
    if count == 0 {
        return Ok(args[0].clone());
    }
    Ok(Value::str(replace_str(&s.0, &pats, count)))
}

/// Earliest match among the patterns at or after `from` (ties: first pattern).
fn find_any(s: &str, pats: &[(Pat, Repl)], from: usize) -> Option<(usize, usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None;
    for (k, (p, _)) in pats.iter().enumerate() {
        if let Some((a, b)) = p.find_next(s, from) {
            if best.is_none_or(|(ba, _, _)| a < ba) {
                best = Some((a, b, k));
            }
        }
    }
    best
}

/// Julia's `replace(str, pat => repl...; count)` loop (0-based bytes).
fn replace_str(s: &str, pats: &[(Pat, Repl)], count: i64) -> String {
    let mut out = String::with_capacity(s.len());
    let e = s.len();
    let mut i = 0usize;
    let mut n = 1i64;
    let Some(mut r) = find_any(s, pats, 0) else { return s.to_string() };
    loop {
        let (j, end, which) = r;
        // Julia: `if i == a || i <= k` with k the last byte of the match.
        if i == 0 || i < end {
            out.push_str(&s[i..j]);
            match &pats[which].1 {
                Repl::Text(t) => out.push_str(t),
                Repl::Map(f) => out.extend(s[j..end].chars().map(f)),
            }
        }
        let k;
        if end == j {
            // empty match
            i = j;
            if j >= e {
                break;
            }
            k = char_end(s, j as i64 + 1);
        } else {
            i = end;
            k = end;
        }
        match find_any(s, pats, k) {
            Some(next) if n != count => {
                r = next;
                n += 1;
            }
            _ => break,
        }
    }
    out.push_str(&s[i.min(e)..]);
    out
}

// ---------- searching ----------

fn occursin(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(p), Value::Str(s)] => Ok(Value::Bool(s.0.contains(&*p.0))),
        [Value::Char(c), Value::Str(s)] => Ok(Value::Bool(s.0.contains(*c))),
        _ => Err(no_method(vm, "occursin", args)),
    }
}

fn contains(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [s, p] => occursin(vm, &[p.clone(), s.clone()], None),
        _ => Err(no_method(vm, "contains", args)),
    }
}

fn startswith(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(s), Value::Str(p)] => Ok(Value::Bool(s.0.starts_with(&*p.0))),
        [Value::Str(s), Value::Char(c)] => Ok(Value::Bool(s.0.starts_with(*c))),
        [Value::Str(s), cs] => match charset_of(vm, cs) {
            Some(set) => Ok(Value::Bool(s.0.chars().next().is_some_and(|c| set.contains(c)))),
            None => Err(no_method(vm, "startswith", args)),
        },
        _ => Err(no_method(vm, "startswith", args)),
    }
}

fn endswith(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(s), Value::Str(p)] => Ok(Value::Bool(s.0.ends_with(&*p.0))),
        [Value::Str(s), Value::Char(c)] => Ok(Value::Bool(s.0.ends_with(*c))),
        [Value::Str(s), cs] => match charset_of(vm, cs) {
            Some(set) => Ok(Value::Bool(s.0.chars().next_back().is_some_and(|c| set.contains(c)))),
            None => Err(no_method(vm, "endswith", args)),
        },
        _ => Err(no_method(vm, "endswith", args)),
    }
}

/// A match as Julia returns it: a `UnitRange` for string patterns, an index otherwise.
#[allow(dead_code)]
fn match_value(s: &str, pat: &Pat, (a, b): (usize, usize)) -> Value {
    if pat.is_str() {
        let last = if b == a {
            a as i64
        } else {
            s[..b].char_indices().next_back().map(|(k, _)| k as i64 + 1).unwrap_or(0)
        };
        Value::obj(Obj::Range(Range::Unit(a as i64 + 1, last)))
    } else {
        Value::Int(a as i64 + 1)
    }
}

/// `findnext(needle, s, i)` for a string `s` (`args = [needle, s, i]`).
///
/// Needles: `String`, `Char`, a collection of chars, a built-in predicate
/// (`isdigit`, ...) or any callable (tail call into `stdlib/strings.jlx`).
#[allow(dead_code)] // called by the collections library
pub fn string_findnext(vm: &mut Vm, args: &[Value]) -> NResult {
    let [needle, sv @ Value::Str(s), Value::Int(i)] = args else {
        return Err(no_method(vm, "findnext", args));
    };
    let i = *i;
    let z = s.0.len() as i64;
    let Some(pat) = pat_of(vm, needle) else {
        if is_callable(needle) {
            return call_stdlib(vm, "__str_findnext_pred__", "findnext", args, args.to_vec());
        }
        return Err(no_method(vm, "findnext", args));
    };
    if i < 1 || i > z + 1 {
        if i == z + 1 || (pat.is_str() && i > z + 1) {
            return Ok(Value::Nothing);
        }
        return Err(errors::bounds_error(sv.clone(), Value::Int(i)));
    }
    if i <= z && !s.0.is_char_boundary(i as usize - 1) {
        return Err(string_index_error(sv, i));
    }
    Ok(match pat.find_next(&s.0, i as usize - 1) {
        Some(m) => match_value(&s.0, &pat, m),
        None => Value::Nothing,
    })
}

/// `findfirst(needle, s)` for a string `s` (`args = [needle, s]`).
#[allow(dead_code)] // called by the collections library
pub fn string_findfirst(vm: &mut Vm, args: &[Value]) -> NResult {
    let [needle, s] = args else { return Err(no_method(vm, "findfirst", args)) };
    string_findnext(vm, &[needle.clone(), s.clone(), Value::Int(1)])
}

/// `findprev(needle, s, i)` for a string `s`: the last match ending at or before `i`.
#[allow(dead_code)] // called by the collections library
pub fn string_findprev(vm: &mut Vm, args: &[Value]) -> NResult {
    let [needle, sv @ Value::Str(s), Value::Int(i)] = args else {
        return Err(no_method(vm, "findprev", args));
    };
    let i = *i;
    let z = s.0.len() as i64;
    let Some(pat) = pat_of(vm, needle) else {
        if is_callable(needle) {
            return call_stdlib(vm, "__str_findprev_pred__", "findprev", args, args.to_vec());
        }
        return Err(no_method(vm, "findprev", args));
    };
    if i < 1 {
        return Ok(Value::Nothing);
    }
    if i > z {
        if i == z + 1 && pat.is_str() {
            return Ok(match pat.find_prev(&s.0, s.0.len()) {
                Some(m) => match_value(&s.0, &pat, m),
                None => Value::Nothing,
            });
        }
        return Err(errors::bounds_error(sv.clone(), Value::Int(i)));
    }
    let upto = char_end(&s.0, this_ind(sv, &s.0, i)?);
    Ok(match pat.find_prev(&s.0, upto) {
        Some(m) => match_value(&s.0, &pat, m),
        None => Value::Nothing,
    })
}

/// `findlast(needle, s)` for a string `s` (`args = [needle, s]`).
#[allow(dead_code)] // called by the collections library
pub fn string_findlast(vm: &mut Vm, args: &[Value]) -> NResult {
    let [needle, sv @ Value::Str(s)] = args else { return Err(no_method(vm, "findlast", args)) };
    let last = s.0.char_indices().next_back().map(|(k, _)| k as i64 + 1).unwrap_or(0);
    if last == 0 {
        return Ok(Value::Nothing);
    }
    string_findprev(vm, &[needle.clone(), sv.clone(), Value::Int(last)])
}

/// `findall(needle, s)` for a string `s` (`args = [needle, s]`): non-overlapping
/// ranges for string needles, indices for characters / predicates.
#[allow(dead_code)] // called by the collections library
pub fn string_findall(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    let [needle, Value::Str(s)] = args else { return Err(no_method(vm, "findall", args)) };
    let Some(pat) = pat_of(vm, needle) else {
        if is_callable(needle) {
            return call_stdlib(vm, "__str_findall_pred__", "findall", args, args.to_vec());
        }
        return Err(no_method(vm, "findall", args));
    };
    let overlap = matches!(kwarg(kw, "overlap"), Some(Value::Bool(true)));
    let mut out = Vec::new();
    let mut from = 0usize;
    while let Some((a, b)) = pat.find_next(&s.0, from) {
        out.push(match_value(&s.0, &pat, (a, b)));
        from = if overlap || b == a { char_end(&s.0, a as i64 + 1).min(s.0.len() + 1) } else { b };
        if from > s.0.len() {
            break;
        }
    }
    if pat.is_str() {
        let t = JType::with(tid::UNITRANGE, vec![TParam::Type(JType::data(tid::INT64))]);
        return Ok(new_array(vec![out.len()], ArrayData::Any(t, out)));
    }
    let ints: Vec<i64> = out.iter().map(|v| if let Value::Int(i) = v { *i } else { 0 }).collect();
    Ok(new_array(vec![ints.len()], ArrayData::Int(ints)))
}

// ---------- helpers for first / last / reverse / collect ----------

#[cold]
#[allow(dead_code)]
fn nonneg_error(n: i64) -> Flow {
    errors::argument_error(format!("Requested number of characters ({n}) must be non-negative"))
}

/// `first(s)` / `first(s, n)` for a string (`args[0]` is the string).
#[allow(dead_code)] // called by the collections library
pub fn string_first(vm: &mut Vm, args: &[Value]) -> NResult {
    match args {
        [sv @ Value::Str(s)] => match s.0.chars().next() {
            Some(c) => Ok(Value::Char(c)),
            None => Err(errors::bounds_error(sv.clone(), Value::Int(1))),
        },
        [Value::Str(s), Value::Int(n)] => {
            if *n < 0 {
                return Err(nonneg_error(*n));
            }
            let end = s.0.char_indices().nth(*n as usize).map(|(k, _)| k).unwrap_or(s.0.len());
            Ok(Value::str(&s.0[..end]))
        }
        _ => Err(no_method(vm, "first", args)),
    }
}

/// `last(s)` / `last(s, n)` for a string.
#[allow(dead_code)] // called by the collections library
pub fn string_last(vm: &mut Vm, args: &[Value]) -> NResult {
    match args {
        [sv @ Value::Str(s)] => match s.0.chars().next_back() {
            Some(c) => Ok(Value::Char(c)),
            None => Err(errors::bounds_error(sv.clone(), Value::Int(0))),
        },
        [Value::Str(s), Value::Int(n)] => {
            if *n < 0 {
                return Err(nonneg_error(*n));
            }
            let n = *n as usize;
            let start = if n == 0 {
                s.0.len()
            } else {
                s.0.char_indices().rev().nth(n - 1).map(|(k, _)| k).unwrap_or(0)
            };
            Ok(Value::str(&s.0[start..]))
        }
        _ => Err(no_method(vm, "last", args)),
    }
}

/// `reverse(s)` for a string.
#[allow(dead_code)] // called by the collections library
pub fn string_reverse(vm: &mut Vm, args: &[Value]) -> NResult {
    match args {
        [Value::Str(s)] => Ok(Value::str(s.0.chars().rev().collect::<String>())),
        _ => Err(no_method(vm, "reverse", args)),
    }
}

/// `collect(s)` for a string: a `Vector{Char}`.
#[allow(dead_code)] // called by the collections library
pub fn string_collect(vm: &mut Vm, args: &[Value]) -> NResult {
    match args {
        [Value::Str(s)] => {
            let cs: Vec<Value> = s.0.chars().map(Value::Char).collect();
            Ok(new_array(vec![cs.len()], ArrayData::Any(JType::data(tid::CHAR), cs)))
        }
        _ => Err(no_method(vm, "collect", args)),
    }
}

// ---------- padding and repetition ----------

/// Julia's `textwidth` of a character (East Asian wide/fullwidth = 2, combining = 0).
pub fn char_width(c: char) -> usize {
    let u = c as u32;
    if c.is_control() {
        return 0;
    }
    if (0x300..=0x36f).contains(&u) || (0x200b..=0x200f).contains(&u) {
        return 0;
    }
    let wide = (0x1100..=0x115f).contains(&u)
        || (0x2e80..=0x303e).contains(&u)
        || (0x3041..=0x33ff).contains(&u)
        || (0x3400..=0x4dbf).contains(&u)
        || (0x4e00..=0x9fff).contains(&u)
        || (0xa000..=0xa4cf).contains(&u)
        || (0xac00..=0xd7a3).contains(&u)
        || (0xf900..=0xfaff).contains(&u)
        || (0xfe30..=0xfe4f).contains(&u)
        || (0xff00..=0xff60).contains(&u)
        || (0xffe0..=0xffe6).contains(&u)
        || (0x1f300..=0x1f64f).contains(&u)
        || (0x1f900..=0x1f9ff).contains(&u)
        || (0x20000..=0x3fffd).contains(&u);
    if wide {
        2
    } else {
        1
    }
}

pub fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn textwidth(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(s)] => Ok(Value::Int(str_width(&s.0) as i64)),
        [Value::Char(c)] => Ok(Value::Int(char_width(*c) as i64)),
        _ => Err(no_method(vm, "textwidth", args)),
    }
}

/// `lpad`/`rpad` core: `p` repeated (and cut) to fill `n` columns.
pub fn pad_str(s: &str, n: i64, p: &str, left: bool) -> String {
    let m = n - str_width(s) as i64;
    if m <= 0 || p.is_empty() {
        return s.to_string();
    }
    let l = str_width(p).max(1) as i64;
    let (q, r) = (m / l, m % l);
    let mut fill = p.repeat(q as usize);
    if r != 0 {
        // `first(p, r)`: r characters.
        fill.extend(p.chars().take(r as usize));
    }
    if left {
        fill + s
    } else {
        s.to_string() + &fill
    }
}

fn pad(vm: &mut Vm, name: &str, args: Args, left: bool) -> NResult {
    let (x, n, p) = match args {
        [x, Value::Int(n)] => (x, *n, " ".to_string()),
        [x, Value::Int(n), Value::Str(p)] => (x, *n, p.0.to_string()),
        [x, Value::Int(n), Value::Char(c)] => (x, *n, c.to_string()),
        _ => return Err(no_method(vm, name, args)),
    };
    let Some(s) = print_text(vm, x) else { return Err(no_method(vm, name, args)) };
    Ok(Value::str(pad_str(&s, n, &p, left)))
}

fn lpad(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    pad(vm, "lpad", args, true)
}

fn rpad(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    pad(vm, "rpad", args, false)
}

fn repeat(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(s), Value::Int(n)] => {
            if *n < 0 {
                return Err(errors::argument_error(format!("can't repeat a string {n} times")));
            }
            Ok(Value::str(s.0.repeat(*n as usize)))
        }
        [Value::Char(c), Value::Int(n)] => {
            if *n < 0 {
                return Err(errors::argument_error(format!("can't repeat a character {n} times")));
            }
            Ok(Value::str(c.to_string().repeat(*n as usize)))
        }
        [Value::Array(a), Value::Int(n)] if kw.is_none() => {
            let g = a.inner.lock();
            if g.dims.len() != 1 || *n < 0 {
                drop(g);
                return Err(no_method(vm, "repeat", args));
            }
            let n = *n as usize;
            let data = match &g.data {
                ArrayData::Int(v) => ArrayData::Int(v.repeat(n)),
                ArrayData::Float(v) => ArrayData::Float(v.repeat(n)),
                ArrayData::Bool(v) => ArrayData::Bool(v.repeat(n)),
                ArrayData::Any(t, v) => {
                    ArrayData::Any(t.clone(), (0..n).flat_map(|_| v.iter().cloned()).collect())
                }
            };
            Ok(new_array(vec![data.len()], data))
        }
        _ => Err(no_method(vm, "repeat", args)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(s: &str, d: &str, limit: i64, keep: bool) -> Vec<String> {
        split_str(s, &Pat::Str(d.into()), limit, keep).into_iter().map(String::from).collect()
    }

    #[test]
    fn split_like_julia() {
        assert_eq!(sp("a,b,,c", ",", 0, true), ["a", "b", "", "c"]);
        assert_eq!(sp("a,b,,c", ",", 0, false), ["a", "b", "c"]);
        assert_eq!(sp("a,b,c", ",", 2, true), ["a", "b,c"]);
        assert_eq!(sp("abc", "", 0, true), ["a", "b", "c"]);
        assert_eq!(sp("", ",", 0, true), [""]);
        assert!(sp("", ",", 0, false).is_empty());
        assert_eq!(sp(",a,", ",", 0, true), ["", "a", ""]);
        assert_eq!(sp("a::b", "::", 0, true), ["a", "b"]);
        let ws = split_str("  hello   world  ", &Pat::Chars(CharSet::Pred(is_julia_space)), 0, false);
        assert_eq!(ws, ["hello", "world"]);
        let u = split_str("αβγ", &Pat::Chars(CharSet::One('β')), 0, true);
        assert_eq!(u, ["α", "γ"]);
    }

    #[test]
    fn rsplit_like_julia() {
        let r = |s: &str, d: &str, l: i64| -> Vec<String> {
            rsplit_str(s, &Pat::Str(d.into()), l, true).into_iter().map(String::from).collect()
        };
        assert_eq!(r("a.b.c", ".", 0), ["a", "b", "c"]);
        assert_eq!(r("a.b.c", ".", 2), ["a.b", "c"]);
        assert_eq!(r(".a.", ".", 0), ["", "a", ""]);
    }

    #[test]
    fn replace_like_julia() {
        let p = |pat: &str, rep: &str| (Pat::Str(pat.into()), Repl::Text(rep.into()));
        assert_eq!(replace_str("hello world", &[p("o", "0")], i64::MAX), "hell0 w0rld");
        assert_eq!(replace_str("hello world", &[p("l", "L")], 1), "heLlo world");
        assert_eq!(replace_str("abc", &[p("", "-")], i64::MAX), "-a-b-c-");
        assert_eq!(replace_str("aaa", &[p("a", "b"), p("b", "c")], i64::MAX), "bbb");
        assert_eq!(replace_str("ab", &[p("b", "x"), p("a", "y")], i64::MAX), "yx");
        assert_eq!(replace_str("héllo", &[p("é", "e")], i64::MAX), "hello");
    }

    #[test]
    fn join_pad_title() {
        let v: Vec<String> = ["x", "y", "z"].iter().map(|s| s.to_string()).collect();
        assert_eq!(join_strs(&v, ", ", " and "), "x, y and z");
        assert_eq!(pad_str("7", 3, "0", true), "007");
        assert_eq!(pad_str("ab", 5, ".", false), "ab...");
        assert_eq!(pad_str("x", 6, "ab", true), "ababax");
        assert_eq!(titlecase_str("hello wORLD", true), "Hello World");
        assert_eq!(titlecase_str("don't stop", true), "Don'T Stop");
    }

    #[test]
    fn find_prev_next() {
        let p = Pat::Str("o".into());
        assert_eq!(p.find_next("hello world", 0), Some((4, 5)));
        assert_eq!(p.find_prev("hello world", 11), Some((7, 8)));
        let q = Pat::Str("Julia".into());
        assert_eq!(q.find_prev("JuliaLang", 6), Some((0, 5)));
        assert_eq!(q.find_prev("JuliaLang", 3), None);
    }
}
