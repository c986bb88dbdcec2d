//! Heap objects: strings, tuples, typed column-major arrays, dicts, ranges,
//! structs, closures, boxes and the small built-in object kinds.
//!
//! Invariants: immutable objects carry no lock; every mutable container
//! holds one `parking_lot::Mutex`, taken once per native operation and
//! never held while jlx code runs (natives are leaves). `Threads.Atomic`
//! ([`AtomicObj`]) is the exception: its value is one machine atomic.

use crate::types::{JType, TypeId};
use crate::value::Value;
use jlx_base::Sym;
use jlx_bytecode::ModId;
use parking_lot::Mutex;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// An immutable UTF-8 string.
#[derive(Debug)]
pub struct JStr(pub StrBuf);

/// Bytes a [`StrBuf`] keeps inline (so the `Arc<JStr>` is one allocation).
const INLINE_STR: usize = 22;

/// The text of a [`JStr`]: short strings (most keys, numbers, words) are
/// stored inline, longer ones in their own heap block. Derefs to `str`.
#[derive(Clone)]
pub struct StrBuf(StrRepr);

#[derive(Clone)]
enum StrRepr {
    /// Invariant: `buf[..len]` is the UTF-8 of a `str` (only [`StrBuf::new`]
    /// and [`StrBuf::concat`] write it, copying whole `&str`s one after the
    /// other), `len <= INLINE_STR`, and the bytes past `len` are zero.
    Inline {
        len: u8,
        buf: [u8; INLINE_STR],
    },
    Heap(Box<str>),
}

impl StrBuf {
    /// A copy of `s`.
    #[inline]
    pub fn new(s: &str) -> StrBuf {
        if s.len() <= INLINE_STR {
            let mut buf = [0u8; INLINE_STR];
            buf[..s.len()].copy_from_slice(s.as_bytes());
            StrBuf(StrRepr::Inline { len: s.len() as u8, buf })
        } else {
            StrBuf(StrRepr::Heap(s.into()))
        }
    }

    /// The concatenation of `parts`, built in place (no intermediate
    /// `String` when the result fits inline).
    #[inline]
    pub fn concat(parts: &[&str]) -> StrBuf {
        let n: usize = parts.iter().map(|p| p.len()).sum();
        if n <= INLINE_STR {
            let mut buf = [0u8; INLINE_STR];
            let mut at = 0;
            for p in parts {
                buf[at..at + p.len()].copy_from_slice(p.as_bytes());
                at += p.len();
            }
            StrBuf(StrRepr::Inline { len: n as u8, buf })
        } else {
            let mut s = String::with_capacity(n);
            for p in parts {
                s.push_str(p);
            }
            StrBuf(StrRepr::Heap(s.into_boxed_str()))
        }
    }

    /// Takes `s`'s buffer when it is too long to be stored inline.
    #[inline]
    pub fn from_string(s: String) -> StrBuf {
        if s.len() <= INLINE_STR {
            StrBuf::new(&s)
        } else {
            StrBuf(StrRepr::Heap(s.into_boxed_str()))
        }
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            StrRepr::Inline { len, buf } => {
                let bytes = &buf[..*len as usize];
                // SAFETY: by the `Inline` invariant `bytes` are exactly the
                // bytes of a `str` copied in `StrBuf::new`, so they are valid
                // UTF-8 (the buffer is never written afterwards).
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            StrRepr::Heap(b) => b,
        }
    }
}

impl std::ops::Deref for StrBuf {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for StrBuf {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for StrBuf {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for StrBuf {
    #[inline]
    fn eq(&self, other: &StrBuf) -> bool {
        // Text of at most INLINE_STR bytes is always inline and the unused
        // inline bytes are zero, so inline strings compare as fixed arrays
        // and an inline string never equals a heap one.
        match (&self.0, &other.0) {
            (StrRepr::Inline { len: a, buf: x }, StrRepr::Inline { len: b, buf: y }) => a == b && x == y,
            (StrRepr::Heap(x), StrRepr::Heap(y)) => x == y,
            _ => false,
        }
    }
}

impl Eq for StrBuf {}

impl PartialEq<str> for StrBuf {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for StrBuf {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for StrBuf {
    fn partial_cmp(&self, other: &StrBuf) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for StrBuf {
    fn cmp(&self, other: &StrBuf) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for StrBuf {
    #[inline]
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl std::fmt::Debug for StrBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for StrBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An immutable tuple.
#[derive(Debug)]
pub struct Tuple(pub Box<[Value]>);

/// A closure: compiled code plus captured values (boxes for reassigned captures).
#[derive(Debug)]
pub struct Closure {
    pub code: &'static crate::code::Code,
    pub captures: Captures,
}

/// Captures kept inside the closure's own allocation. Two keep a closure
/// (its `Arc`: 16 + 8 + 8 + 32 bytes) in jemalloc's 64-byte class; three
/// would need the 80-byte one, and a million `@async` thunks alive at once
/// (`spawn_wait`) would take 16 MB more. Closures with more captures are
/// rare (6 of the ~120 closures of the library and the test programs).
pub const INLINE_CAPTURES: usize = 2;

/// The captured values of a closure: up to [`INLINE_CAPTURES`] inside the
/// closure itself (one allocation per closure, as most capture a few
/// variables), more in a box of their own.
#[derive(Debug)]
pub enum Captures {
    /// The count and the values (slots past the count hold `nothing`).
    Inline(u8, [Value; INLINE_CAPTURES]),
    Heap(Box<[Value]>),
}

impl Captures {
    pub fn from_slice(vals: &[Value]) -> Captures {
        match vals {
            [] => Captures::Inline(0, [Value::Nothing, Value::Nothing]),
            [a] => Captures::Inline(1, [a.clone(), Value::Nothing]),
            [a, b] => Captures::Inline(2, [a.clone(), b.clone()]),
            _ => Captures::Heap(vals.into()),
        }
    }
}

impl std::ops::Deref for Captures {
    type Target = [Value];
    #[inline]
    fn deref(&self) -> &[Value] {
        match self {
            Captures::Inline(n, vals) => &vals[..*n as usize],
            Captures::Heap(vals) => vals,
        }
    }
}

/// Element storage of an array, typed so numeric kernels see plain slices.
#[derive(Debug, Clone)]
pub enum ArrayData {
    Int(Vec<i64>),
    Float(Vec<f64>),
    Bool(Vec<bool>),
    /// Any other element type (the `JType` is the declared element type).
    Any(JType, Vec<Value>),
}

impl ArrayData {
    pub fn len(&self) -> usize {
        match self {
            ArrayData::Int(v) => v.len(),
            ArrayData::Float(v) => v.len(),
            ArrayData::Bool(v) => v.len(),
            ArrayData::Any(_, v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Value {
        match self {
            ArrayData::Int(v) => Value::Int(v[i]),
            ArrayData::Float(v) => Value::Float(v[i]),
            ArrayData::Bool(v) => Value::Bool(v[i]),
            ArrayData::Any(_, v) => v[i].clone(),
        }
    }

    pub fn eltype(&self) -> JType {
        match self {
            ArrayData::Int(_) => JType::data(crate::types::tid::INT64),
            ArrayData::Float(_) => JType::data(crate::types::tid::FLOAT64),
            ArrayData::Bool(_) => JType::data(crate::types::tid::BOOL),
            ArrayData::Any(t, _) => t.clone(),
        }
    }

    pub fn to_values(&self) -> Vec<Value> {
        (0..self.len()).map(|i| self.get(i)).collect()
    }
}

#[derive(Debug)]
pub struct ArrayInner {
    /// Dimensions, column-major; a vector has one.
    pub dims: Vec<usize>,
    pub data: ArrayData,
}

#[derive(Debug)]
pub struct Array {
    pub inner: ArrayMutex<ArrayInner>,
}

/// The lock of an array (see [`RawArrayLock`]).
pub type ArrayMutex<T> = lock_api::Mutex<RawArrayLock, T>;

/// The lock of an array: one atomic compare-exchange to take it and a plain
/// release store to free it, so `a[i]` pays one atomic operation instead of
/// the two of `parking_lot::Mutex` (whose unlock must check for parked
/// waiters). Array critical sections are short (one element access, or one
/// native operation on the array), so a waiting thread spins briefly and
/// then yields instead of parking. Like `parking_lot`, it is not reentrant.
pub struct RawArrayLock(std::sync::atomic::AtomicBool);

// SAFETY: mutual exclusion is the classic test-and-set lock: `lock` and
// `try_lock` succeed only by changing the flag from `false` to `true` with a
// compare-exchange (Acquire), so at most one owner exists at a time, and
// `unlock` (called by lock_api only by the owner, per the trait contract)
// publishes the owner's writes with a Release store of `false`, which the
// next owner's Acquire exchange reads. No memory is touched besides the flag.
unsafe impl lock_api::RawMutex for RawArrayLock {
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: RawArrayLock = RawArrayLock(std::sync::atomic::AtomicBool::new(false));
    type GuardMarker = lock_api::GuardNoSend;

    #[inline]
    fn lock(&self) {
        use std::sync::atomic::Ordering::{Acquire, Relaxed};
        if self.0.compare_exchange_weak(false, true, Acquire, Relaxed).is_err() {
            self.lock_contended();
        }
    }

    #[inline]
    fn try_lock(&self) -> bool {
        use std::sync::atomic::Ordering::{Acquire, Relaxed};
        self.0.compare_exchange(false, true, Acquire, Relaxed).is_ok()
    }

    #[inline]
    unsafe fn unlock(&self) {
        self.0.store(false, std::sync::atomic::Ordering::Release);
    }

    #[inline]
    fn is_locked(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl RawArrayLock {
    #[cold]
    fn lock_contended(&self) {
        use std::sync::atomic::Ordering::{Acquire, Relaxed};
        let mut spins = 0u32;
        loop {
            if !self.0.load(Relaxed) && self.0.compare_exchange_weak(false, true, Acquire, Relaxed).is_ok() {
                return;
            }
            if spins < 64 {
                spins += 1;
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }
}

impl std::fmt::Debug for RawArrayLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawArrayLock")
    }
}

impl Array {
    pub fn new(dims: Vec<usize>, data: ArrayData) -> Array {
        Array { inner: ArrayMutex::new(ArrayInner { dims, data }) }
    }

    pub fn vector(data: ArrayData) -> Array {
        let n = data.len();
        Array::new(vec![n], data)
    }
}

/// Numeric ranges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Range {
    /// `a:b`
    Unit(i64, i64),
    /// `a:s:b` (normalised so the last element is exactly `b`)
    Step(i64, i64, i64),
    /// Float range: start, step, length.
    Float(f64, f64, i64),
}

impl Range {
    pub fn len(&self) -> i64 {
        match *self {
            Range::Unit(a, b) => {
                if b < a {
                    0
                } else {
                    b.wrapping_sub(a).wrapping_add(1)
                }
            }
            Range::Step(a, s, b) => {
                if s == 0 || (s > 0 && b < a) || (s < 0 && b > a) {
                    0
                } else {
                    (b - a) / s + 1
                }
            }
            Range::Float(_, _, n) => n,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Element `i` (0-based, unchecked range logic).
    pub fn get(&self, i: i64) -> Value {
        match *self {
            Range::Unit(a, _) => Value::Int(a + i),
            Range::Step(a, s, _) => Value::Int(a + i * s),
            Range::Float(a, s, _) => Value::Float(float_range_elem(a, s, i)),
        }
    }
}

/// Element `i` of the float range `a:s:...`. Julia computes these in extended
/// precision, which for decimal start/step gives the exact decimal
/// (`(0:0.1:1)[4] == 0.3`); scaling to integers reproduces that.
pub fn float_range_elem(a: f64, s: f64, i: i64) -> f64 {
    let mut scale = 1.0;
    for _ in 0..16 {
        let (x, y) = (a * scale, s * scale);
        if x == x.round() && y == y.round() && x.abs() < 1e15 && y.abs() < 1e15 {
            return (x + i as f64 * y) / scale;
        }
        scale *= 10.0;
    }
    a + i as f64 * s
}

fn hash_value<H: Hasher>(v: &Value, h: &mut H) {
    match v {
        Value::Int(i) => i.hash(h),
        Value::Bool(b) => (*b as i64).hash(h),
        Value::Float(f) => {
            // An integer-valued float hashes as that `Int` (`isequal(1, 1.0)`).
            if jlx_num::cmp::float_is_int64(*f) {
                (*f as i64).hash(h)
            } else if f.is_nan() {
                u64::MAX.hash(h)
            } else {
                f.to_bits().hash(h)
            }
        }
        Value::Char(c) => (*c as u32).hash(h),
        Value::Str(s) => s.0.hash(h),
        Value::Sym(s) => s.0.hash(h),
        Value::Nothing => 0xdead_u32.hash(h),
        Value::Tuple(t) => {
            t.0.len().hash(h);
            for x in t.0.iter() {
                hash_value(x, h)
            }
        }
        Value::Array(a) => {
            let g = a.inner.lock();
            g.data.len().hash(h);
            for i in 0..g.data.len() {
                hash_value(&g.data.get(i), h)
            }
        }
        Value::Type(t) => format!("{t:?}").hash(h),
        Value::Func(f) => f.0.hash(h),
        Value::Obj(o) => match &**o {
            Obj::Struct(s) => {
                s.ty.0.hash(h);
                for x in s.fields.iter() {
                    hash_value(x, h)
                }
            }
            _ => (Arc::as_ptr(o) as usize).hash(h),
        },
        Value::Closure(c) => (Arc::as_ptr(c) as usize).hash(h),
        Value::Task(t) => (Arc::as_ptr(t) as usize).hash(h),
        Value::Undef => 0.hash(h),
    }
}

/// Julia's `isequal`: like `==` but `NaN` equals `NaN`, `-0.0 != 0.0`, and
/// containers compare element-wise.
pub fn isequal(a: &Value, b: &Value) -> bool {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => x == y,
        (Float(x), Float(y)) => {
            (x.is_nan() && y.is_nan()) || (x == y && x.is_sign_negative() == y.is_sign_negative())
        }
        // Equal values with the same sign bit (`isequal(0, -0.0)` is false).
        (Int(x), Float(y)) | (Float(y), Int(x)) => {
            jlx_num::cmp::int_eq_float(*x, *y) && (*x < 0) == y.is_sign_negative()
        }
        (Bool(x), Bool(y)) => x == y,
        (Bool(x), Int(y)) | (Int(y), Bool(x)) => (*x as i64) == *y,
        (Str(x), Str(y)) => x.0 == y.0,
        (Tuple(x), Tuple(y)) => {
            x.0.len() == y.0.len() && x.0.iter().zip(y.0.iter()).all(|(p, q)| isequal(p, q))
        }
        (Array(x), Array(y)) => {
            if Arc::ptr_eq(x, y) {
                return true;
            }
            let (gx, gy) = (x.inner.lock().data.to_values(), y.inner.lock().data.to_values());
            gx.len() == gy.len() && gx.iter().zip(gy.iter()).all(|(p, q)| isequal(p, q))
        }
        (Obj(x), Obj(y)) => match (&**x, &**y) {
            (crate::obj::Obj::Struct(p), crate::obj::Obj::Struct(q)) => {
                p.ty == q.ty && p.fields.iter().zip(q.fields.iter()).all(|(a, b)| isequal(a, b))
            }
            _ => a.egal(b),
        },
        _ => a.egal(b),
    }
}

/// The hash of a dict key, consistent with [`isequal`]: foldhash (a fast
/// multiply-fold hash with good low bits for hashbrown's probing) with a
/// fixed seed, so runs are reproducible.
#[inline]
pub fn key_hash(k: &Value) -> u64 {
    use std::hash::BuildHasher;
    // Strings (the most common keys) are equal only to strings: they
    // take a shorter hash of their bytes.
    if let Value::Str(s) = k {
        return s.0.key_hash();
    }
    let mut h = foldhash::fast::FixedState::with_seed(0x6a6c_785f_6469_6374).build_hasher();
    hash_value(k, &mut h);
    h.finish()
}

/// The folded multiply of foldhash/wyhash: the 128-bit product's halves
/// xored, which spreads every input bit over the whole word.
#[inline(always)]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = (a as u128).wrapping_mul(b as u128);
    (p as u64) ^ ((p >> 64) as u64)
}

const STR_SEED: u64 = 0x6a6c_785f_7374_7221;
const STR_K1: u64 = 0xa076_1d64_78bd_642f;
const STR_K2: u64 = 0xe703_7ed1_a0b4_28db;

/// A multiply-fold hash of a string's bytes, eight at a time (fixed
/// seed): well-mixed low and high bits for hashbrown's bucket index and
/// tag. Only consistency with `isequal` matters (jlx dicts iterate in
/// insertion order, so no printed output depends on hash values).
pub fn str_hash(b: &[u8]) -> u64 {
    let mut h = STR_SEED ^ (b.len() as u64).wrapping_mul(STR_K2);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = fold_mul(h ^ u64::from_le_bytes(w), STR_K1);
    }
    let mut last = 0u64;
    for (i, &x) in chunks.remainder().iter().enumerate() {
        last |= (x as u64) << (8 * i);
    }
    fold_mul(h ^ last ^ STR_K2, STR_K1 ^ b.len() as u64)
}

impl StrBuf {
    /// The dict hash of this text: an inline string (at most
    /// `INLINE_STR` bytes, zero padded) hashes its fixed-size buffer in
    /// three words with no loop; a heap one uses [`str_hash`]. Equal texts
    /// have the same representation, so they hash alike.
    #[inline]
    pub fn key_hash(&self) -> u64 {
        match &self.0 {
            StrRepr::Inline { len, buf } => {
                let word = |i: usize| {
                    let mut w = [0u8; 8];
                    w.copy_from_slice(&buf[i..i + 8]);
                    u64::from_le_bytes(w)
                };
                let mut w = [0u8; 8];
                w[..6].copy_from_slice(&buf[16..22]);
                let w2 = u64::from_le_bytes(w) | (*len as u64) << 56;
                let h = fold_mul(STR_SEED ^ word(0), STR_K1);
                let h = fold_mul(h ^ word(8), STR_K2);
                fold_mul(h ^ w2, STR_K1)
            }
            StrRepr::Heap(b) => str_hash(b.as_bytes()),
        }
    }
}

/// The hash of an `IdDict` key, consistent with `===`: mutable objects
/// (arrays, mutable structs, dicts, closures, ...) hash by address, so
/// mutating a key does not move it; immutable values hash as [`key_hash`]
/// (`===` implies `isequal` for them).
#[inline]
pub fn id_hash(k: &Value) -> u64 {
    let addr = match k {
        Value::Array(a) => Arc::as_ptr(a) as *const u8 as usize,
        Value::Closure(c) => Arc::as_ptr(c) as *const u8 as usize,
        Value::Obj(o) if !matches!(&**o, Obj::Struct(_)) => Arc::as_ptr(o) as *const u8 as usize,
        _ => return key_hash(k),
    };
    key_hash(&Value::Int(addr as i64))
}

/// An insertion-ordered hash map from keys (compared with [`isequal`], or
/// with `===` for an `IdDict`) to values: `entries` in insertion order
/// (`None` = removed), and a hash table of `(hash, entry index)` so lookups
/// borrow the key and growing the table never rehashes keys.
#[derive(Debug, Clone, Default)]
pub struct DictData {
    index: hashbrown::HashTable<(u64, usize)>,
    pub entries: Vec<Option<(Value, Value)>>,
    pub live: usize,
    /// Keys are compared by identity (`IdDict`).
    pub ident: bool,
}

impl DictData {
    /// An empty table comparing keys by identity (`ident`) or `isequal`.
    pub fn with_ident(ident: bool) -> DictData {
        DictData { ident, ..Default::default() }
    }

    #[inline]
    fn hash_of(&self, k: &Value) -> u64 {
        if self.ident {
            id_hash(k)
        } else {
            key_hash(k)
        }
    }

    #[inline]
    fn same_key(&self, a: &Value, b: &Value) -> bool {
        if self.ident {
            a.egal(b)
        } else {
            fast_isequal(a, b)
        }
    }

    #[inline]
    fn find(&self, h: u64, k: &Value) -> Option<usize> {
        let entries = &self.entries;
        self.index
            .find(h, |&(eh, i)| eh == h && matches!(&entries[i], Some((ek, _)) if self.same_key(ek, k)))
            .map(|&(_, i)| i)
    }

    pub fn get(&self, k: &Value) -> Option<&Value> {
        let i = self.find(self.hash_of(k), k)?;
        self.entries[i].as_ref().map(|(_, v)| v)
    }

    pub fn insert(&mut self, k: Value, v: Value) {
        let h = self.hash_of(&k);
        if let Some(i) = self.find(h, &k) {
            if let Some(e) = &mut self.entries[i] {
                e.1 = v;
                return;
            }
        }
        let i = self.entries.len();
        self.entries.push(Some((k, v)));
        self.index.insert_unique(h, (h, i), |&(eh, _)| eh);
        self.live += 1;
    }

    /// `insert` of a borrowed key: the key is cloned only when it is new.
    pub fn set(&mut self, k: &Value, v: Value) {
        let h = self.hash_of(k);
        if let Some(i) = self.find(h, k) {
            if let Some(e) = &mut self.entries[i] {
                e.1 = v;
                return;
            }
        }
        let i = self.entries.len();
        self.entries.push(Some((k.clone(), v)));
        self.index.insert_unique(h, (h, i), |&(eh, _)| eh);
        self.live += 1;
    }

    pub fn remove(&mut self, k: &Value) -> Option<Value> {
        let h = self.hash_of(k);
        let (entries, ident) = (&self.entries, self.ident);
        let same = |a: &Value| if ident { a.egal(k) } else { fast_isequal(a, k) };
        let slot =
            self.index.find_entry(h, |&(eh, i)| eh == h && matches!(&entries[i], Some((ek, _)) if same(ek)));
        let ((_, i), _) = slot.ok()?.remove();
        let e = self.entries[i].take();
        self.live -= 1;
        if self.entries.len() > 32 && self.live * 2 < self.entries.len() {
            self.compact();
        }
        e.map(|(_, v)| v)
    }

    fn compact(&mut self) {
        let old = std::mem::take(&mut self.entries);
        self.index.clear();
        for (k, v) in old.into_iter().flatten() {
            let h = self.hash_of(&k);
            let i = self.entries.len();
            self.index.insert_unique(h, (h, i), |&(eh, _)| eh);
            self.entries.push(Some((k, v)));
        }
    }

    pub fn clear(&mut self) {
        self.index.clear();
        self.entries.clear();
        self.live = 0;
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Next live slot at or after `i`.
    pub fn next_slot(&self, mut i: usize) -> Option<usize> {
        while i < self.entries.len() {
            if self.entries[i].is_some() {
                return Some(i);
            }
            i += 1;
        }
        None
    }
}

/// [`isequal`] with the common key kinds first.
#[inline]
fn fast_isequal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Arc::ptr_eq(x, y) || x.0 == y.0,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Sym(x), Value::Sym(y)) => x == y,
        _ => isequal(a, b),
    }
}

#[derive(Debug)]
pub struct DictObj {
    pub key_type: JType,
    pub val_type: JType,
    pub data: Mutex<DictData>,
}

impl DictObj {
    /// `IdDict` when keys compare by identity, else `Dict`.
    pub fn type_id(&self) -> TypeId {
        if self.data.lock().ident {
            crate::types::tid::IDDICT
        } else {
            crate::types::tid::DICT
        }
    }
}

#[derive(Debug)]
pub struct StructObj {
    pub ty: TypeId,
    /// Type parameters of a parametric struct instance (`Point{Int64}`), else empty.
    pub params: Arc<[crate::types::TParam]>,
    pub fields: Box<[Value]>,
}

#[derive(Debug)]
pub struct MStructObj {
    pub ty: TypeId,
    pub params: Arc<[crate::types::TParam]>,
    pub fields: Mutex<Box<[Value]>>,
}

/// An output stream or in-memory buffer.
#[derive(Debug)]
pub enum IoObj {
    Stdout,
    Stderr,
    Stdin,
    Buffer(Mutex<IoBuffer>),
}

#[derive(Debug, Default)]
pub struct IoBuffer {
    pub data: Vec<u8>,
    pub read_pos: usize,
}

/// How a hole's value is printed by `__print_pieces__`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoleKind {
    Print,
    Show,
    /// The REPL form: `show(io, MIME"text/plain", x)`.
    Display,
}

#[derive(Debug)]
pub enum Obj {
    Struct(StructObj),
    MStruct(MStructObj),
    Range(Range),
    NamedTuple(Arc<[Sym]>, Box<[Value]>),
    Dict(Box<DictObj>),
    /// A set: a dict whose values are `nothing`.
    Set(Box<DictObj>),
    /// `Ref` / `Base.RefValue`
    Ref(JType, Mutex<Value>),
    /// A compiler box for a captured-and-reassigned local.
    Cell(Mutex<Value>),
    Io(IoObj),
    Module(ModId),
    /// A value whose printing needs a user `show`/`print` method (bool: show).
    Hole(Value, HoleKind),
    /// A type variable (`where T`).
    TypeVar(Arc<crate::types::TypeVar>),
    /// Lazy iterator wrappers written in Rust.
    Enumerate(Value),
    Zip(Box<[Value]>),
    Keys(Value),
    Values(Value),
    /// Julia's `Channel`.
    Chan(Box<crate::chan::ChanObj>),
    /// Julia's `Condition`: a wait queue of tasks.
    Cond(crate::task::CondObj),
    /// `Threads.Atomic{T}`.
    Atomic(AtomicObj),
}

/// The element type of a [`AtomicObj`]: the `T` of `Threads.Atomic{T}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtomicKind {
    Int,
    Float,
    Bool,
}

/// `Threads.Atomic{T}` (T = Int64, Float64 or Bool): the value's bits in
/// one machine atomic, so every operation is a single atomic instruction
/// (or a compare-exchange loop) that other OS threads see whole.
///
/// Invariant: `bits` holds an `i64` for `Int`, the IEEE bits of an `f64`
/// for `Float`, and 0 or 1 for `Bool`.
#[derive(Debug)]
pub struct AtomicObj {
    pub kind: AtomicKind,
    pub bits: std::sync::atomic::AtomicI64,
}

impl AtomicObj {
    /// An atomic holding `v`, which must already be of the kind's type.
    pub fn new(kind: AtomicKind, v: &Value) -> Option<AtomicObj> {
        Some(AtomicObj { kind, bits: std::sync::atomic::AtomicI64::new(kind.bits_of(v)?) })
    }

    /// `x[]`: an acquire load, as Julia's.
    #[inline]
    pub fn load(&self) -> Value {
        self.kind.value_of(self.bits.load(std::sync::atomic::Ordering::Acquire))
    }

    /// `x[] = v` for a `v` of the kind's type (false otherwise): a release store.
    #[inline]
    pub fn store(&self, v: &Value) -> bool {
        match self.kind.bits_of(v) {
            Some(b) => {
                self.bits.store(b, std::sync::atomic::Ordering::Release);
                true
            }
            None => false,
        }
    }
}

impl AtomicKind {
    /// The kind of `Threads.Atomic{t}`, if jlx supports that `t`.
    pub fn of_type(t: &JType) -> Option<AtomicKind> {
        match t.id()? {
            crate::types::tid::INT64 => Some(AtomicKind::Int),
            crate::types::tid::FLOAT64 => Some(AtomicKind::Float),
            crate::types::tid::BOOL => Some(AtomicKind::Bool),
            _ => None,
        }
    }

    /// The element type.
    pub fn jtype(self) -> JType {
        JType::data(match self {
            AtomicKind::Int => crate::types::tid::INT64,
            AtomicKind::Float => crate::types::tid::FLOAT64,
            AtomicKind::Bool => crate::types::tid::BOOL,
        })
    }

    /// The bits that store `v`, if `v` has exactly this type.
    #[inline]
    pub fn bits_of(self, v: &Value) -> Option<i64> {
        match (self, v) {
            (AtomicKind::Int, Value::Int(i)) => Some(*i),
            (AtomicKind::Float, Value::Float(f)) => Some(f.to_bits() as i64),
            (AtomicKind::Bool, Value::Bool(b)) => Some(*b as i64),
            _ => None,
        }
    }

    /// The value stored as `bits`.
    #[inline]
    pub fn value_of(self, bits: i64) -> Value {
        match self {
            AtomicKind::Int => Value::Int(bits),
            AtomicKind::Float => Value::Float(f64::from_bits(bits as u64)),
            AtomicKind::Bool => Value::Bool(bits != 0),
        }
    }
}

/// Structural `===` for immutable objects.
pub fn obj_egal(a: &Obj, b: &Obj) -> bool {
    match (a, b) {
        (Obj::Struct(x), Obj::Struct(y)) => {
            x.ty == y.ty
                && x.fields.len() == y.fields.len()
                && x.fields.iter().zip(y.fields.iter()).all(|(p, q)| p.egal(q))
        }
        (Obj::Range(x), Obj::Range(y)) => x == y,
        (Obj::NamedTuple(n1, v1), Obj::NamedTuple(n2, v2)) => {
            n1 == n2 && v1.iter().zip(v2.iter()).all(|(p, q)| p.egal(q))
        }
        (Obj::Module(x), Obj::Module(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::StrBuf;

    #[test]
    fn array_lock_excludes_concurrent_writers() {
        // Exercises `RawArrayLock` (the `unsafe impl RawMutex`): two threads
        // do read-modify-write on the same elements; no update may be lost.
        use super::{Array, ArrayData};
        use std::sync::Arc;
        let a = Arc::new(Array::vector(ArrayData::Int(vec![0; 4])));
        let n = 20_000;
        let ts: Vec<_> = (0..2)
            .map(|_| {
                let a = a.clone();
                std::thread::spawn(move || {
                    for i in 0..n {
                        let mut g = a.inner.lock();
                        if let ArrayData::Int(v) = &mut g.data {
                            v[i % 4] += 1;
                        }
                    }
                })
            })
            .collect();
        for t in ts {
            t.join().expect("thread");
        }
        let g = a.inner.lock();
        let ArrayData::Int(v) = &g.data else { panic!("int array") };
        assert_eq!(v.iter().sum::<i64>(), 2 * n as i64);
        assert!(a.inner.try_lock().is_none());
    }

    #[test]
    fn strbuf_inline_and_heap_round_trip() {
        // Exercises the `from_utf8_unchecked` of inline strings: empty, ASCII,
        // multi-byte chars up to and across the inline limit.
        let cases = [
            String::new(),
            "k49999".to_string(),
            "αβγδεζηθικλ".to_string(),  // 22 bytes: inline
            "αβγδεζηθικλμ".to_string(), // 24 bytes: heap
            "x".repeat(22),
            "x".repeat(23),
            "日本語のテキスト".to_string(),
        ];
        for s in &cases {
            let a = StrBuf::new(s);
            let b = StrBuf::from_string(s.clone());
            assert_eq!(a.as_str(), s.as_str());
            assert_eq!(b.as_str(), s.as_str());
            assert_eq!(a, b);
            assert_eq!(a.chars().count(), s.chars().count());
            for t in &cases {
                assert_eq!(a == StrBuf::new(t), s == t, "{s:?} == {t:?}");
            }
            assert_eq!(a.clone().as_str(), s.as_str());
        }
    }
}

#[cfg(test)]
mod str_hash_tests {
    use super::StrBuf;

    #[test]
    fn equal_texts_hash_alike_and_near_texts_differ() {
        let words: Vec<String> =
            (0..5000).map(|i| format!("k{i}")).chain((0..50).map(|i| "é".repeat(i))).collect();
        let mut seen = std::collections::HashSet::new();
        for w in &words {
            let (a, b) = (StrBuf::new(w), StrBuf::from_string(w.clone()));
            assert_eq!(a.key_hash(), b.key_hash());
            let cut = (0..=w.len() / 2).rev().find(|&i| w.is_char_boundary(i)).unwrap_or(0);
            assert_eq!(a.key_hash(), StrBuf::concat(&[&w[..cut], &w[cut..]]).key_hash());
            seen.insert(a.key_hash());
        }
        assert_eq!(seen.len(), words.len());
        // Low bits (hashbrown's bucket index) are spread too.
        let low: std::collections::HashSet<u64> =
            words[..4096].iter().map(|w| StrBuf::new(w).key_hash() & 0xfff).collect();
        assert!(low.len() > 2000, "{}", low.len());
    }
}
