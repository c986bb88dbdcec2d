//! Fast paths of `a[i]` and `a[i] = v` for arrays, tuples and ranges with
//! an Int index, and for dicts (`d[k]` of a present key, `d[k] = v` when
//! key and value need no conversion). `None` means "not handled here": the
//! caller falls back to the generic `getindex`/`setindex!`.

use crate::arrays::store;
use crate::errors;
use crate::obj::{ArrayData, Obj};
use crate::runtime::Flow;
use crate::typesys::holds_as_is;
use crate::value::{Num, Value};

/// `a[i]` of an Int or Float vector with an in-bounds Int index, as a
/// scalar (inlined at the call site; it comes back in registers).
#[inline(always)]
pub fn get_scalar(obj: &Value, idx: &Value) -> Option<Num> {
    if let (Value::Array(a), Value::Int(i)) = (obj, idx) {
        let k = (*i as usize).wrapping_sub(1);
        let g = a.inner.lock();
        match &g.data {
            ArrayData::Float(v) if k < v.len() => return Some(Num::F(v[k])),
            ArrayData::Int(v) if k < v.len() => return Some(Num::I(v[k])),
            _ => {}
        }
    }
    None
}

/// `a[i]`: [`get_scalar`], else [`get_general`].
#[inline(always)]
pub fn get_fast(obj: &Value, idx: &Value) -> Option<Result<Value, Flow>> {
    match get_scalar(obj, idx) {
        Some(Num::I(x)) => Some(Ok(Value::Int(x))),
        Some(Num::F(x)) => Some(Ok(Value::Float(x))),
        Some(Num::B(x)) => Some(Ok(Value::Bool(x))),
        None => get_general(obj, idx),
    }
}

/// `a[i]` for every shape the fast paths handle (bounds errors included).
#[inline(never)]
pub fn get_general(obj: &Value, idx: &Value) -> Option<Result<Value, Flow>> {
    if let Value::Obj(o) = obj {
        if let Obj::Dict(d) = &**o {
            // A missing key (a `KeyError`) is left to `getindex`.
            return d.data.lock().get(idx).map(|v| Ok(v.clone()));
        }
    }
    let Value::Int(i) = *idx else { return None };
    match obj {
        Value::Array(a) => {
            let g = a.inner.lock();
            let n = g.data.len();
            if i < 1 || i as usize > n {
                drop(g);
                return Some(Err(errors::bounds_error(obj.clone(), Value::tuple(vec![Value::Int(i)]))));
            }
            let k = i as usize - 1;
            Some(Ok(match &g.data {
                ArrayData::Float(v) => Value::Float(v[k]),
                ArrayData::Int(v) => Value::Int(v[k]),
                ArrayData::Bool(v) => Value::Bool(v[k]),
                ArrayData::Any(_, v) => {
                    let x = v[k].clone();
                    if matches!(x, Value::Undef) {
                        return Some(Err(Flow::Throw(errors::exc(crate::types::tid::UNDEFREFERROR, vec![]))));
                    }
                    x
                }
            }))
        }
        Value::Tuple(t) => {
            if i < 1 || i as usize > t.0.len() {
                return Some(Err(errors::bounds_error(obj.clone(), Value::tuple(vec![Value::Int(i)]))));
            }
            Some(Ok(t.0[i as usize - 1].clone()))
        }
        Value::Obj(o) => match &**o {
            Obj::Range(r) => {
                if i < 1 || i > r.len() {
                    return Some(Err(errors::bounds_error(obj.clone(), Value::tuple(vec![Value::Int(i)]))));
                }
                Some(Ok(r.get(i - 1)))
            }
            _ => None,
        },
        _ => None,
    }
}

/// `a[i] = v`: the in-bounds Int/Float element store is inlined at the
/// call site; everything else goes to [`set_general`].
#[inline(always)]
pub fn set_fast(obj: &Value, idx: &Value, v: &Value) -> Option<Result<(), Flow>> {
    if let (Value::Array(a), Value::Int(i)) = (obj, idx) {
        let k = (*i as usize).wrapping_sub(1);
        let mut g = a.inner.lock();
        match (&mut g.data, v) {
            (ArrayData::Float(d), Value::Float(x)) if k < d.len() => {
                d[k] = *x;
                return Some(Ok(()));
            }
            (ArrayData::Int(d), Value::Int(x)) if k < d.len() => {
                d[k] = *x;
                return Some(Ok(()));
            }
            _ => {}
        }
    }
    set_general(obj, idx, v)
}

#[inline(never)]
fn set_general(obj: &Value, idx: &Value, v: &Value) -> Option<Result<(), Flow>> {
    if let Value::Obj(o) = obj {
        if let Obj::Dict(d) = &**o {
            // Keys and values that need a `convert` go to `setindex!`.
            if !holds_as_is(&d.key_type, idx) || !holds_as_is(&d.val_type, v) {
                return None;
            }
            d.data.lock().set(idx, v.clone());
            return Some(Ok(()));
        }
    }
    let Value::Int(i) = *idx else { return None };
    let Value::Array(a) = obj else { return None };
    let mut g = a.inner.lock();
    let n = g.data.len();
    if i < 1 || i as usize > n {
        drop(g);
        return Some(Err(errors::bounds_error(obj.clone(), Value::tuple(vec![Value::Int(i)]))));
    }
    let k = i as usize - 1;
    match (&mut g.data, v) {
        (ArrayData::Float(d), Value::Float(x)) => {
            d[k] = *x;
            Some(Ok(()))
        }
        (ArrayData::Int(d), Value::Int(x)) => {
            d[k] = *x;
            Some(Ok(()))
        }
        (ArrayData::Any(t, d), x) if t.is_any() => {
            d[k] = x.clone();
            Some(Ok(()))
        }
        (data, x) => Some(store(data, k, x.clone())),
    }
}
