//! The 16-byte [`Value`]: scalars inline, functions as non-refcounted
//! handles, heap objects behind `Arc`. Every value is `Send + Sync`.
//!
//! Invariant: `Value::Undef` only ever lives in a register (an unassigned
//! local); no operation returns it to jlx code.

use crate::obj::{Array, Closure, JStr, Obj, StrBuf, Tuple};
use crate::types::JType;
use jlx_base::Sym;
use std::sync::Arc;

/// Text that can become a string value without an extra copy.
pub trait IntoStrBuf {
    fn into_strbuf(self) -> StrBuf;
}

impl IntoStrBuf for String {
    #[inline]
    fn into_strbuf(self) -> StrBuf {
        StrBuf::from_string(self)
    }
}

impl IntoStrBuf for &str {
    #[inline]
    fn into_strbuf(self) -> StrBuf {
        StrBuf::new(self)
    }
}

impl IntoStrBuf for &String {
    #[inline]
    fn into_strbuf(self) -> StrBuf {
        StrBuf::new(self)
    }
}

impl IntoStrBuf for Box<str> {
    #[inline]
    fn into_strbuf(self) -> StrBuf {
        StrBuf::from_string(self.into())
    }
}

impl IntoStrBuf for std::borrow::Cow<'_, str> {
    #[inline]
    fn into_strbuf(self) -> StrBuf {
        match self {
            std::borrow::Cow::Borrowed(s) => StrBuf::new(s),
            std::borrow::Cow::Owned(s) => StrBuf::from_string(s),
        }
    }
}

impl IntoStrBuf for char {
    #[inline]
    fn into_strbuf(self) -> StrBuf {
        StrBuf::new(self.encode_utf8(&mut [0; 4]))
    }
}

/// Index of a generic function in the runtime's function table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FuncId(pub u32);

#[derive(Clone, Debug, Default)]
pub enum Value {
    Undef,
    #[default]
    Nothing,
    Bool(bool),
    Int(i64),
    Float(f64),
    Char(char),
    Sym(Sym),
    Func(FuncId),
    Type(Arc<JType>),
    Str(Arc<JStr>),
    Array(Arc<Array>),
    Tuple(Arc<Tuple>),
    Closure(Arc<Closure>),
    Obj(Arc<Obj>),
    /// A `Task` (its own variant: one allocation per task, and the
    /// scheduler reaches it without a second pointer hop).
    Task(Arc<crate::task::TaskObj>),
}

/// A scalar result of a fast path, small enough to come back in
/// registers (a `Value` comes back through memory).
#[derive(Clone, Copy, Debug)]
pub enum Num {
    I(i64),
    F(f64),
    B(bool),
}

/// Store into a register (or any slot); overwriting a scalar skips the
/// drop glue.
#[inline(always)]
pub(crate) fn set(slot: &mut Value, v: Value) {
    if slot.is_scalar() {
        std::mem::forget(std::mem::replace(slot, v));
    } else {
        *slot = v;
    }
}

impl Value {
    /// Whether the value owns nothing on the heap (storing over it needs
    /// no drop glue).
    #[inline(always)]
    pub fn is_scalar(&self) -> bool {
        matches!(
            self,
            Value::Undef
                | Value::Nothing
                | Value::Bool(_)
                | Value::Int(_)
                | Value::Float(_)
                | Value::Char(_)
                | Value::Sym(_)
                | Value::Func(_)
        )
    }

    pub fn str(s: impl IntoStrBuf) -> Value {
        Value::Str(Arc::new(JStr(s.into_strbuf())))
    }

    /// A string value written by `f` into a reused per-thread buffer, so a
    /// short result costs one allocation (the `Arc`) and a long one two.
    #[inline]
    pub fn build_str(f: impl FnOnce(&mut String)) -> Value {
        thread_local! {
            static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        SCRATCH.with(|b| match b.try_borrow_mut() {
            Ok(mut s) => {
                s.clear();
                f(&mut s);
                let v = Value::str(s.as_str());
                if s.capacity() > 4096 {
                    *s = String::new();
                }
                v
            }
            // `f` itself built a string (never done today): a fresh buffer.
            Err(_) => {
                let mut s = String::new();
                f(&mut s);
                Value::str(s)
            }
        })
    }

    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Arc::new(Tuple(items.into_boxed_slice())))
    }

    pub fn obj(o: Obj) -> Value {
        Value::Obj(Arc::new(o))
    }

    pub fn ty(t: JType) -> Value {
        Value::Type(Arc::new(t))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(&s.0),
            _ => None,
        }
    }

    pub fn is_nothing(&self) -> bool {
        matches!(self, Value::Nothing)
    }

    /// Julia's `===`: identity for mutable objects, structural for immutable values.
    pub fn egal(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Nothing, Nothing) | (Undef, Undef) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a.to_bits() == b.to_bits(),
            (Char(a), Char(b)) => a == b,
            (Sym(a), Sym(b)) => a == b,
            (Func(a), Func(b)) => a == b,
            (Type(a), Type(b)) => a == b,
            (Str(a), Str(b)) => a.0 == b.0,
            (Array(a), Array(b)) => Arc::ptr_eq(a, b),
            (Tuple(a), Tuple(b)) => {
                a.0.len() == b.0.len() && a.0.iter().zip(b.0.iter()).all(|(x, y)| x.egal(y))
            }
            (Closure(a), Closure(b)) => Arc::ptr_eq(a, b),
            (Task(a), Task(b)) => Arc::ptr_eq(a, b),
            (Obj(a), Obj(b)) => Arc::ptr_eq(a, b) || crate::obj::obj_egal(a, b),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn value_is_16_bytes() {
        assert_eq!(std::mem::size_of::<super::Value>(), 16);
    }

    #[test]
    fn value_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<super::Value>();
    }
}
