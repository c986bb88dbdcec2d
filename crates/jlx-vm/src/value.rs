//! The 16-byte [`Value`]: scalars inline, functions as non-refcounted
//! handles, heap objects behind `Arc`. Every value is `Send + Sync`.
//!
//! Invariant: `Value::Undef` only ever lives in a register (an unassigned
//! local); no operation returns it to jlx code.

use crate::obj::{Array, Closure, JStr, Obj, Tuple};
use crate::types::JType;
use jlx_base::Sym;
use std::sync::Arc;

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
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(Arc::new(JStr(s.into().into_boxed_str())))
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
