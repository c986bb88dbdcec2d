//! Array construction with Julia's element-type rules, and element stores
//! that convert to the array's element type.

use crate::errors;
use crate::obj::{Array, ArrayData};
use crate::runtime::{Flow, World};
use crate::types::{tid, JType};
use crate::value::Value;
use std::sync::Arc;

/// The element type Julia gives a literal `[a, b, ...]`: numbers promote,
/// equal types stay, anything else is `Any`.
pub fn promote_eltype(w: &World, items: &[Value]) -> JType {
    if items.is_empty() {
        return JType::any();
    }
    let all = |f: fn(&Value) -> bool| items.iter().all(f);
    if all(|v| matches!(v, Value::Int(_))) {
        return JType::data(tid::INT64);
    }
    if all(|v| matches!(v, Value::Float(_))) {
        return JType::data(tid::FLOAT64);
    }
    if all(|v| matches!(v, Value::Bool(_))) {
        return JType::data(tid::BOOL);
    }
    if all(|v| matches!(v, Value::Int(_) | Value::Float(_) | Value::Bool(_))) {
        if items.iter().any(|v| matches!(v, Value::Float(_))) {
            return JType::data(tid::FLOAT64);
        }
        return JType::data(tid::INT64);
    }
    let first = w.typeof_(&items[0]);
    if items[1..].iter().all(|v| w.typeof_(v) == first) {
        return first;
    }
    let mut ts: Vec<JType> = Vec::new();
    for v in items {
        let t = w.typeof_(v);
        if !ts.contains(&t) {
            ts.push(t);
        }
    }
    typejoin(w, ts)
}

/// Julia's `promote_typejoin` for the element type of mixed values: a common
/// nominal supertype (`[Circle(), Square()]` is a `Vector{Shape}`),
/// `Union{Nothing, T}`, or `Any`.
pub fn typejoin(w: &World, mut ts: Vec<JType>) -> JType {
    match ts.len() {
        0 => JType::any(),
        1 => ts.pop().unwrap_or_else(JType::any),
        _ => {
            let nothing = JType::data(tid::NOTHING);
            if ts.len() == 2 && ts.contains(&nothing) {
                return JType::Union(ts.into());
            }
            let ids: Option<Vec<crate::types::TypeId>> = ts
                .iter()
                .map(|t| match t {
                    JType::Data(id, ps) if ps.is_empty() => Some(*id),
                    _ => None,
                })
                .collect();
            let Some(ids) = ids else { return JType::any() };
            let mut cand = ids[0];
            loop {
                if ids.iter().all(|&i| w.is_subid(i, cand)) {
                    return JType::data(cand);
                }
                if cand == tid::ANY {
                    return JType::any();
                }
                cand = w.supertype(cand);
            }
        }
    }
}

/// Typed storage for `items` converted to `elt`.
pub fn data_for(elt: &JType, items: Vec<Value>) -> Result<ArrayData, Flow> {
    match elt.id() {
        Some(tid::INT64) if !matches!(elt, JType::Data(_, p) if !p.is_empty()) => {
            let mut v = Vec::with_capacity(items.len());
            for x in items {
                v.push(to_int(&x)?);
            }
            Ok(ArrayData::Int(v))
        }
        Some(tid::FLOAT64) => {
            let mut v = Vec::with_capacity(items.len());
            for x in items {
                v.push(to_float(&x)?);
            }
            Ok(ArrayData::Float(v))
        }
        Some(tid::BOOL) => {
            let mut v = Vec::with_capacity(items.len());
            for x in items {
                match x {
                    Value::Bool(b) => v.push(b),
                    Value::Int(0) => v.push(false),
                    Value::Int(1) => v.push(true),
                    other => return Err(errors::inexact_error("Bool", JType::data(tid::BOOL), other)),
                }
            }
            Ok(ArrayData::Bool(v))
        }
        _ => Ok(ArrayData::Any(elt.clone(), items)),
    }
}

pub fn to_int(x: &Value) -> Result<i64, Flow> {
    match x {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::Float(f) if f.fract() == 0.0 && *f >= -9.223372036854776e18 && *f < 9.223372036854776e18 => {
            Ok(*f as i64)
        }
        Value::Float(_) => Err(errors::inexact_error("Int64", JType::data(tid::INT64), x.clone())),
        other => Err(convert_error(tid::INT64, other)),
    }
}

pub fn to_float(x: &Value) -> Result<f64, Flow> {
    match x {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(*b as i64 as f64),
        other => Err(convert_error(tid::FLOAT64, other)),
    }
}

#[cold]
pub fn convert_error(to: crate::types::TypeId, x: &Value) -> Flow {
    errors::convert_error(&JType::data(to), x)
}

/// Store `x` at 0-based `k`, converting to the element type (may widen nothing: Julia never widens).
pub fn store(data: &mut ArrayData, k: usize, x: Value) -> Result<(), Flow> {
    match data {
        ArrayData::Int(v) => v[k] = to_int(&x)?,
        ArrayData::Float(v) => v[k] = to_float(&x)?,
        ArrayData::Bool(v) => {
            v[k] = match x {
                Value::Bool(b) => b,
                Value::Int(0) => false,
                Value::Int(1) => true,
                other => return Err(errors::inexact_error("Bool", JType::data(tid::BOOL), other)),
            }
        }
        ArrayData::Any(_, v) => v[k] = x,
    }
    Ok(())
}

/// Append `x`, converting to the element type.
pub fn push(data: &mut ArrayData, x: Value) -> Result<(), Flow> {
    match data {
        ArrayData::Int(v) => v.push(to_int(&x)?),
        ArrayData::Float(v) => v.push(to_float(&x)?),
        ArrayData::Bool(v) => v.push(match x {
            Value::Bool(b) => b,
            Value::Int(0) => false,
            Value::Int(1) => true,
            other => return Err(errors::inexact_error("Bool", JType::data(tid::BOOL), other)),
        }),
        ArrayData::Any(_, v) => v.push(x),
    }
    Ok(())
}

/// `[a, b, c]`
pub fn vector_from_values(w: &World, items: Vec<Value>, elt: Option<JType>) -> Value {
    let elt = elt.unwrap_or_else(|| promote_eltype(w, &items));
    let data = data_for(&elt, items.clone()).unwrap_or(ArrayData::Any(JType::any(), items));
    Value::Array(Arc::new(Array::vector(data)))
}

pub fn new_array(dims: Vec<usize>, data: ArrayData) -> Value {
    Value::Array(Arc::new(Array::new(dims, data)))
}
