//! The array library: shape queries, `first`/`last`, in-place mutation
//! (`pop!`, `insert!`, `deleteat!`, ...), copies, `collect`, construction
//! (`fill`, `zeros`, concatenation, `reshape`), ranges (`:`, `range`),
//! general indexing with ranges/`:`/vectors, and the lazy `enumerate`/`zip`
//! wrappers. Everything here is a leaf; callbacks live in `stdlib/`.

use super::{no_method, register, NResult, NativeFn};
use crate::arrays::{self, data_for, new_array, promote_eltype};
use crate::errors;
use crate::obj::{Array, ArrayData, DictData, DictObj, Obj, Range};
use crate::runtime::Flow;
use crate::types::{tid, JType, TParam};
use crate::value::Value;
use crate::vm::Vm;
use jlx_bytecode::ModId;
use parking_lot::Mutex;
use std::sync::Arc;

pub fn install(rt: &crate::runtime::Runtime) {
    for (n, f) in [
        ("size", size as NativeFn),
        ("ndims", ndims),
        ("eltype", eltype),
        ("axes", axes),
        ("eachindex", eachindex),
        ("firstindex", firstindex),
        ("lastindex", lastindex),
        ("isempty", isempty),
        ("first", first),
        ("last", last),
        ("pushfirst!", pushfirst),
        ("popfirst!", popfirst),
        ("append!", append),
        ("prepend!", prepend),
        ("insert!", insert),
        ("deleteat!", deleteat),
        ("splice!", splice),
        ("resize!", resize),
        ("copy", copy),
        ("deepcopy", deepcopy),
        ("collect", collect),
        ("reverse", reverse),
        ("reverse!", reverse_bang),
        ("fill", fill),
        ("zeros", zeros),
        ("ones", ones),
        ("trues", trues),
        ("falses", falses),
        ("similar", similar),
        ("vcat", vcat),
        ("hcat", hcat),
        ("hvcat", hvcat),
        ("__typed_vcat__", typed_vcat),
        ("__typed_hvcat__", typed_hvcat),
        ("reshape", reshape),
        ("vec", vec),
        ("transpose", transpose),
        ("adjoint", transpose),
        ("'", transpose),
        ("permutedims", transpose),
        (":", colon),
        ("range", range),
        ("step", step),
        ("circshift", circshift),
        ("enumerate", enumerate),
        ("zip", zip),
        ("keys", keys),
        ("values", values),
        ("pairs", pairs),
        ("__narrow__", narrow),
        ("__getindex_general__", getindex_general),
        ("__setindex_general__", setindex_general),
        ("__dotassign__", dotassign),
        ("__collect_items__", collect_items),
    ] {
        register(rt, ModId::BASE, n, f);
    }
    super::constant(rt, ModId::BASE, "undef", Value::Sym(jlx_base::Sym::new("undef")));
}

// ---------- helpers ----------

pub(crate) fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

pub(crate) fn vec_value(data: ArrayData) -> Value {
    Value::Array(Arc::new(Array::vector(data)))
}

/// A vector of `items` with Julia's literal element-type rule.
pub(crate) fn vector(vm: &Vm, items: Vec<Value>) -> Value {
    arrays::vector_from_values(&vm.world, items, None)
}

/// A vector with element type `elt` (falls back to `Any` storage when conversion fails).
pub(crate) fn typed_vector(elt: &JType, items: Vec<Value>) -> Result<Value, Flow> {
    Ok(vec_value(data_for(elt, items)?))
}

pub(crate) fn range_of(v: &Value) -> Option<Range> {
    match v {
        Value::Obj(o) => match &**o {
            Obj::Range(r) => Some(*r),
            _ => None,
        },
        _ => None,
    }
}

pub(crate) fn range_value(r: Range) -> Value {
    Value::obj(Obj::Range(r))
}

fn int_type() -> JType {
    JType::data(tid::INT64)
}

fn float_type() -> JType {
    JType::data(tid::FLOAT64)
}

/// Elements of a natively iterable value.
pub(crate) fn items(v: &Value) -> Option<Vec<Value>> {
    crate::iter::collect_native(v)
}

/// The element type of a collection value (for typed results).
pub(crate) fn elt_of(vm: &Vm, v: &Value) -> JType {
    match v {
        Value::Array(a) => a.inner.lock().data.eltype(),
        Value::Obj(o) => match &**o {
            Obj::Range(Range::Float(..)) => float_type(),
            Obj::Range(_) => int_type(),
            Obj::Set(d) => d.key_type.clone(),
            Obj::Keys(Value::Obj(i)) => match &**i {
                Obj::Dict(d) | Obj::Set(d) => d.key_type.clone(),
                _ => JType::any(),
            },
            Obj::Values(Value::Obj(i)) => match &**i {
                Obj::Dict(d) => d.val_type.clone(),
                _ => JType::any(),
            },
            Obj::Dict(d) => JType::with(
                tid::PAIR,
                vec![TParam::Type(d.key_type.clone()), TParam::Type(d.val_type.clone())],
            ),
            _ => JType::any(),
        },
        Value::Str(_) => JType::data(tid::CHAR),
        Value::Tuple(t) => {
            let vals: Vec<Value> = t.0.to_vec();
            if vals.is_empty() {
                JType::Bottom
            } else {
                let ts: Vec<JType> = vals.iter().map(|x| vm.world.typeof_(x)).collect();
                if ts.iter().all(|t| *t == ts[0]) {
                    ts[0].clone()
                } else {
                    let mut u: Vec<JType> = Vec::new();
                    for t in ts {
                        if !u.contains(&t) {
                            u.push(t);
                        }
                    }
                    JType::Union(u.into())
                }
            }
        }
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Char(_) => vm.world.typeof_(v),
        _ => JType::any(),
    }
}

/// Dimensions of an array-like value.
pub(crate) fn dims_of(v: &Value) -> Option<Vec<usize>> {
    match v {
        Value::Array(a) => Some(a.inner.lock().dims.clone()),
        Value::Tuple(t) => Some(vec![t.0.len()]),
        Value::Obj(o) => match &**o {
            Obj::Range(r) => Some(vec![r.len().max(0) as usize]),
            _ => None,
        },
        _ => None,
    }
}

fn tuple_of_usize(d: &[usize]) -> Value {
    Value::tuple(d.iter().map(|&x| Value::Int(x as i64)).collect())
}

fn bounds(v: &Value, i: i64) -> Flow {
    errors::bounds_error(v.clone(), Value::tuple(vec![Value::Int(i)]))
}

/// Convert `items` to `a`'s element type (user-declared element types go through `convert`).
fn conv_for(vm: &mut Vm, a: &Arc<Array>, items: Vec<Value>) -> Result<ArrayData, Flow> {
    let elt = a.inner.lock().data.eltype();
    let mut out = Vec::with_capacity(items.len());
    for x in items {
        out.push(if elt.is_any() { x } else { super::convert_to(vm, &elt, x)? });
    }
    data_for(&elt, out)
}

macro_rules! each_data {
    ($data:expr, $v:ident => $body:expr) => {
        match $data {
            ArrayData::Int($v) => $body,
            ArrayData::Float($v) => $body,
            ArrayData::Bool($v) => $body,
            ArrayData::Any(_, $v) => $body,
        }
    };
}

/// Insert `src` (same storage kind as `dst`) at position `at`.
fn splice_in(dst: &mut ArrayData, at: usize, src: ArrayData) {
    match (dst, src) {
        (ArrayData::Int(d), ArrayData::Int(s)) => {
            d.splice(at..at, s);
        }
        (ArrayData::Float(d), ArrayData::Float(s)) => {
            d.splice(at..at, s);
        }
        (ArrayData::Bool(d), ArrayData::Bool(s)) => {
            d.splice(at..at, s);
        }
        (ArrayData::Any(_, d), s) => {
            d.splice(at..at, s.to_values());
        }
        (d, s) => {
            // Mismatched kinds: go through values.
            let mut vals = d.to_values();
            vals.splice(at..at, s.to_values());
            let elt = d.eltype();
            if let Ok(nd) = data_for(&elt, vals) {
                *d = nd;
            }
        }
    }
}

fn set_len(a: &Arc<Array>) {
    let mut g = a.inner.lock();
    let n = g.data.len();
    g.dims = vec![n];
}

fn is_vector(a: &Arc<Array>) -> bool {
    a.inner.lock().dims.len() == 1
}

// ---------- shape queries ----------

fn size(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [x] => match x {
            Value::Tuple(_) | Value::Array(_) => Ok(tuple_of_usize(&dims_of(x).unwrap())),
            Value::Obj(o) if matches!(&**o, Obj::Range(_)) => Ok(tuple_of_usize(&dims_of(x).unwrap())),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => Ok(Value::tuple(vec![])),
            _ => Err(no_method(vm, "size", args)),
        },
        [x, d] => {
            let Some(d) = int_of(d) else { return Err(no_method(vm, "size", args)) };
            let Some(dims) = dims_of(x) else { return Err(no_method(vm, "size", args)) };
            if d < 1 {
                return Err(errors::argument_error("dimension out of range"));
            }
            Ok(Value::Int(dims.get(d as usize - 1).copied().unwrap_or(1) as i64))
        }
        _ => Err(no_method(vm, "size", args)),
    }
}

fn ndims(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Array(a)] => Ok(Value::Int(a.inner.lock().dims.len() as i64)),
        [Value::Obj(o)] if matches!(&**o, Obj::Range(_)) => Ok(Value::Int(1)),
        [Value::Int(_) | Value::Float(_) | Value::Bool(_)] => Ok(Value::Int(0)),
        [Value::Type(t)] if t.id() == Some(tid::ARRAY) => match t.as_ref() {
            JType::Data(_, ps) => match ps.get(1) {
                Some(TParam::Int(n)) => Ok(Value::Int(*n)),
                _ => Err(no_method(vm, "ndims", args)),
            },
            _ => Err(no_method(vm, "ndims", args)),
        },
        _ => Err(no_method(vm, "ndims", args)),
    }
}

fn eltype(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "eltype", args)) };
    if let Value::Type(t) = x {
        return Ok(Value::ty(match t.id() {
            Some(tid::ARRAY | tid::SET | tid::ABSTRACTARRAY | tid::ABSTRACTVECTOR | tid::ABSTRACTMATRIX) => {
                t.param(0).cloned().unwrap_or_else(JType::any)
            }
            Some(tid::DICT | tid::IDDICT) => match (t.param(0), t.param(1)) {
                (Some(k), Some(v)) => {
                    JType::with(tid::PAIR, vec![TParam::Type(k.clone()), TParam::Type(v.clone())])
                }
                _ => JType::any(),
            },
            Some(tid::STRING) => JType::data(tid::CHAR),
            Some(tid::UNITRANGE | tid::STEPRANGE) => int_type(),
            Some(id) if vm.world.is_subid(id, tid::NUMBER) => (**t).clone(),
            _ => JType::any(),
        }));
    }
    Ok(Value::ty(match x {
        Value::Tuple(t) if t.0.is_empty() => JType::Union(Arc::from(Vec::new())),
        _ => elt_of(vm, x),
    }))
}

fn axes(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [x] => {
            let Some(d) = dims_of(x) else { return Err(no_method(vm, "axes", args)) };
            Ok(Value::tuple(d.iter().map(|&n| range_value(Range::Unit(1, n as i64))).collect()))
        }
        [x, d] => {
            let (Some(dims), Some(d)) = (dims_of(x), int_of(d)) else {
                return Err(no_method(vm, "axes", args));
            };
            let n = dims.get((d - 1).max(0) as usize).copied().unwrap_or(1);
            Ok(range_value(Range::Unit(1, n as i64)))
        }
        _ => Err(no_method(vm, "axes", args)),
    }
}

fn eachindex(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(_)] => collect_string_indices(args),
        [x] => match x {
            Value::Obj(o) if matches!(&**o, Obj::Dict(_)) => Ok(Value::obj(Obj::Keys(x.clone()))),
            _ => match dims_of(x) {
                Some(d) => Ok(range_value(Range::Unit(1, d.iter().product::<usize>() as i64))),
                None => Err(no_method(vm, "eachindex", args)),
            },
        },
        [first_, rest @ ..] => {
            let n = dims_of(first_).map(|d| d.iter().product::<usize>()).unwrap_or(0);
            for r in rest {
                let m = dims_of(r).map(|d| d.iter().product::<usize>()).unwrap_or(0);
                if m != n {
                    return Err(errors::dimension_mismatch(format!(
                        "all inputs to eachindex must have the same indices, got Base.OneTo({n}) and Base.OneTo({m})"
                    )));
                }
            }
            Ok(range_value(Range::Unit(1, n as i64)))
        }
        _ => Err(no_method(vm, "eachindex", args)),
    }
}

fn collect_string_indices(args: &[Value]) -> NResult {
    let Value::Str(s) = &args[0] else { unreachable!() };
    let idx: Vec<i64> = s.0.char_indices().map(|(i, _)| i as i64 + 1).collect();
    Ok(vec_value(ArrayData::Int(idx)))
}

fn firstindex(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Array(_) | Value::Tuple(_) | Value::Str(_)] | [Value::Array(_), _] => Ok(Value::Int(1)),
        [Value::Obj(o)] if matches!(&**o, Obj::Range(_) | Obj::NamedTuple(..)) => Ok(Value::Int(1)),
        [Value::Obj(o)] if matches!(&**o, Obj::Struct(s) if s.ty == tid::PAIR) => Ok(Value::Int(1)),
        [Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Char(_)] => Ok(Value::Int(1)),
        _ => Err(no_method(vm, "firstindex", args)),
    }
}

fn lastindex(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(s)] => Ok(Value::Int(s.0.char_indices().last().map(|(i, _)| i as i64 + 1).unwrap_or(0))),
        [x @ (Value::Array(_) | Value::Tuple(_))] => {
            Ok(Value::Int(dims_of(x).unwrap().iter().product::<usize>() as i64))
        }
        [x, d] => {
            let (Some(dims), Some(d)) = (dims_of(x), int_of(d)) else {
                return Err(no_method(vm, "lastindex", args));
            };
            Ok(Value::Int(dims.get((d - 1).max(0) as usize).copied().unwrap_or(1) as i64))
        }
        [Value::Obj(o)] => match &**o {
            Obj::Range(r) => Ok(Value::Int(r.len())),
            Obj::NamedTuple(n, _) => Ok(Value::Int(n.len() as i64)),
            Obj::Struct(s) if s.ty == tid::PAIR => Ok(Value::Int(2)),
            _ => Err(no_method(vm, "lastindex", args)),
        },
        [Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Char(_)] => Ok(Value::Int(1)),
        _ => Err(no_method(vm, "lastindex", args)),
    }
}

fn isempty(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "isempty", args)) };
    Ok(Value::Bool(match x {
        Value::Array(a) => a.inner.lock().data.is_empty(),
        Value::Tuple(t) => t.0.is_empty(),
        Value::Str(s) => s.0.is_empty(),
        Value::Obj(o) => match &**o {
            Obj::Range(r) => r.is_empty(),
            Obj::Dict(d) | Obj::Set(d) => d.data.lock().is_empty(),
            Obj::NamedTuple(n, _) => n.is_empty(),
            Obj::Keys(i) | Obj::Values(i) | Obj::Enumerate(i) => {
                return isempty(vm, std::slice::from_ref(i), None)
            }
            Obj::Zip(parts) => {
                for p in parts.iter() {
                    if let Value::Bool(true) = isempty(vm, std::slice::from_ref(p), None)? {
                        return Ok(Value::Bool(true));
                    }
                }
                false
            }
            _ => return generic_call(vm, "__isempty_iter__", args),
        },
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Char(_) => false,
        Value::Nothing => return Err(no_method(vm, "isempty", args)),
        _ => return generic_call(vm, "__isempty_iter__", args),
    }))
}

/// Tail-call the jlx fallback `name(args...)`, or a MethodError if it is missing.
pub(crate) fn generic_call(vm: &mut Vm, name: &str, args: &[Value]) -> NResult {
    match vm.base_func(name) {
        Some(f) => Err(Flow::Call(Value::Func(f), args.to_vec(), None)),
        None => Err(no_method(vm, name, args)),
    }
}

// ---------- first / last ----------

fn first(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(_), ..] => super::strings::string_first(vm, args),
        [x] => match x {
            Value::Obj(o) if matches!(&**o, Obj::Dict(_) | Obj::Set(_) | Obj::Keys(_) | Obj::Values(_)) => {
                match crate::iter::first(x) {
                    crate::iter::Step::Item(v, _) => Ok(v),
                    _ => Err(errors::argument_error("collection must be non-empty")),
                }
            }
            Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Char(_) => Ok(x.clone()),
            _ => match crate::index::get_fast(x, &Value::Int(1)) {
                Some(r) => r,
                None => match crate::iter::first(x) {
                    crate::iter::Step::Item(v, _) => Ok(v),
                    crate::iter::Step::Done => Err(errors::argument_error("collection must be non-empty")),
                    crate::iter::Step::Generic => generic_call(vm, "__first_iter__", args),
                },
            },
        },
        [x, n] => {
            let Some(n) = int_of(n) else { return Err(no_method(vm, "first", args)) };
            if n < 0 {
                return Err(errors::argument_error("Number of elements must be non-negative"));
            }
            take_slice(vm, x, args, |len| (0, (n as usize).min(len)))
        }
        _ => Err(no_method(vm, "first", args)),
    }
}

fn last(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Str(_), ..] => super::strings::string_last(vm, args),
        [x] => match x {
            Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Char(_) => Ok(x.clone()),
            _ => match dims_of(x) {
                Some(d) => {
                    let n = d.iter().product::<usize>() as i64;
                    match crate::index::get_fast(x, &Value::Int(n)) {
                        Some(r) => r,
                        None => Err(no_method(vm, "last", args)),
                    }
                }
                None => match items(x) {
                    Some(v) => v
                        .last()
                        .cloned()
                        .ok_or_else(|| errors::argument_error("collection must be non-empty")),
                    None => generic_call(vm, "__last_iter__", args),
                },
            },
        },
        [x, n] => {
            let Some(n) = int_of(n) else { return Err(no_method(vm, "last", args)) };
            if n < 0 {
                return Err(errors::argument_error("Number of elements must be non-negative"));
            }
            take_slice(vm, x, args, |len| (len.saturating_sub(n as usize), len))
        }
        _ => Err(no_method(vm, "last", args)),
    }
}

/// `first(x, n)` / `last(x, n)`: the elements in `[lo, hi)` of the same kind of collection.
fn take_slice(vm: &mut Vm, x: &Value, args: &[Value], f: impl Fn(usize) -> (usize, usize)) -> NResult {
    match x {
        Value::Array(a) => {
            let g = a.inner.lock();
            let (lo, hi) = f(g.data.len());
            let data = each_slice(&g.data, lo, hi);
            Ok(vec_value(data))
        }
        Value::Obj(o) if matches!(&**o, Obj::Range(_)) => {
            let r = range_of(x).unwrap();
            let (lo, hi) = f(r.len().max(0) as usize);
            Ok(sub_range(r, lo as i64, hi as i64))
        }
        _ => match items(x) {
            Some(v) => {
                let (lo, hi) = f(v.len());
                let part = v[lo..hi].to_vec();
                Ok(match x {
                    Value::Tuple(_) => Value::tuple(part),
                    _ => {
                        let elt = elt_of(vm, x);
                        typed_vector(&elt, part)?
                    }
                })
            }
            None => Err(no_method(vm, "first", args)),
        },
    }
}

fn each_slice(d: &ArrayData, lo: usize, hi: usize) -> ArrayData {
    match d {
        ArrayData::Int(v) => ArrayData::Int(v[lo..hi].to_vec()),
        ArrayData::Float(v) => ArrayData::Float(v[lo..hi].to_vec()),
        ArrayData::Bool(v) => ArrayData::Bool(v[lo..hi].to_vec()),
        ArrayData::Any(t, v) => ArrayData::Any(t.clone(), v[lo..hi].to_vec()),
    }
}

/// Elements `[lo, hi)` (0-based) of a range, as a range.
fn sub_range(r: Range, lo: i64, hi: i64) -> Value {
    let n = (hi - lo).max(0);
    match r {
        Range::Unit(a, _) => range_value(Range::Unit(a + lo, a + lo + n - 1)),
        Range::Step(a, s, _) => {
            let start = a + lo * s;
            range_value(Range::Step(start, s, if n == 0 { start - s } else { start + (n - 1) * s }))
        }
        Range::Float(a, s, _) => range_value(Range::Float(a + lo as f64 * s, s, n)),
    }
}

// ---------- mutation ----------

pub(crate) fn array_pop(vm: &mut Vm, args: &[Value]) -> NResult {
    let [Value::Array(a)] = args else { return Err(no_method(vm, "pop!", args)) };
    if !is_vector(a) {
        return Err(no_method(vm, "pop!", args));
    }
    let mut g = a.inner.lock();
    let n = g.data.len();
    if n == 0 {
        return Err(errors::argument_error("array must be non-empty"));
    }
    let v = g.data.get(n - 1);
    each_data!(&mut g.data, d => d.truncate(n - 1));
    g.dims = vec![n - 1];
    Ok(v)
}

fn pushfirst(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Array(a), xs @ ..] = args else { return Err(no_method(vm, "pushfirst!", args)) };
    if !is_vector(a) {
        return Err(no_method(vm, "pushfirst!", args));
    }
    let data = conv_for(vm, a, xs.to_vec())?;
    splice_in(&mut a.inner.lock().data, 0, data);
    set_len(a);
    Ok(args[0].clone())
}

fn popfirst(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Array(a)] = args else { return Err(no_method(vm, "popfirst!", args)) };
    let mut g = a.inner.lock();
    if g.data.is_empty() {
        return Err(errors::argument_error("array must be non-empty"));
    }
    let v = g.data.get(0);
    each_data!(&mut g.data, d => { d.remove(0); });
    drop(g);
    set_len(a);
    Ok(v)
}

fn append(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [dst, srcs @ ..] = args else { return Err(no_method(vm, "append!", args)) };
    match dst {
        Value::Array(a) if is_vector(a) => {
            for s in srcs {
                let Some(vals) = items(s) else { return generic_call(vm, "__append_iter__", args) };
                let data = conv_for(vm, a, vals)?;
                let n = a.inner.lock().data.len();
                splice_in(&mut a.inner.lock().data, n, data);
            }
            set_len(a);
            Ok(dst.clone())
        }
        _ => Err(no_method(vm, "append!", args)),
    }
}

fn prepend(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Array(a), srcs @ ..] = args else { return Err(no_method(vm, "prepend!", args)) };
    let mut all = Vec::new();
    for s in srcs {
        let Some(vals) = items(s) else { return Err(no_method(vm, "prepend!", args)) };
        all.extend(vals);
    }
    let data = conv_for(vm, a, all)?;
    splice_in(&mut a.inner.lock().data, 0, data);
    set_len(a);
    Ok(args[0].clone())
}

fn insert(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Array(a), i, x] = args else { return Err(no_method(vm, "insert!", args)) };
    let Some(i) = int_of(i) else { return Err(no_method(vm, "insert!", args)) };
    let n = a.inner.lock().data.len() as i64;
    if i < 1 || i > n + 1 {
        return Err(bounds(&args[0], i));
    }
    let data = conv_for(vm, a, vec![x.clone()])?;
    splice_in(&mut a.inner.lock().data, i as usize - 1, data);
    set_len(a);
    Ok(args[0].clone())
}

/// Sorted, de-duplicated 0-based positions named by an index argument.
fn positions(vm: &mut Vm, arr: &Value, idx: &Value, n: usize, args: &[Value]) -> Result<Vec<usize>, Flow> {
    let ids: Vec<Value> = match idx {
        Value::Int(_) => vec![idx.clone()],
        _ => items(idx).ok_or_else(|| no_method(vm, "deleteat!", args))?,
    };
    let mut out = Vec::with_capacity(ids.len());
    if !ids.is_empty() && ids.iter().all(|v| matches!(v, Value::Bool(_))) {
        for (k, b) in ids.iter().enumerate() {
            if matches!(b, Value::Bool(true)) {
                out.push(k);
            }
        }
        return Ok(out);
    }
    for v in &ids {
        let Some(i) = int_of(v) else { return Err(no_method(vm, "deleteat!", args)) };
        if i < 1 || i as usize > n {
            return Err(errors::bounds_error(arr.clone(), Value::tuple(vec![idx.clone()])));
        }
        out.push(i as usize - 1);
    }
    let sorted = out.windows(2).all(|w| w[0] < w[1]);
    if !sorted {
        return Err(errors::argument_error("indices must be unique and sorted"));
    }
    Ok(out)
}

fn delete_positions(data: &mut ArrayData, pos: &[usize]) {
    let mut k = 0;
    let mut idx = 0;
    each_data!(data, d => d.retain(|_| {
        let keep = !(k < pos.len() && pos[k] == idx);
        if !keep { k += 1; }
        idx += 1;
        keep
    }));
}

fn deleteat(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [arr @ Value::Array(a), idx] = args else { return Err(no_method(vm, "deleteat!", args)) };
    let n = a.inner.lock().data.len();
    if let Value::Int(i) = idx {
        if *i < 1 || *i as usize > n {
            return Err(bounds(arr, *i));
        }
    }
    let pos = positions(vm, arr, idx, n, args)?;
    delete_positions(&mut a.inner.lock().data, &pos);
    set_len(a);
    Ok(arr.clone())
}

fn splice(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (arr, a, idx, repl) = match args {
        [arr @ Value::Array(a), idx] => (arr, a, idx, Vec::new()),
        [arr @ Value::Array(a), idx, r] => (arr, a, idx, items(r).unwrap_or_else(|| vec![r.clone()])),
        _ => return Err(no_method(vm, "splice!", args)),
    };
    let n = a.inner.lock().data.len();
    let (lo, removed) = match idx {
        Value::Int(i) => {
            if *i < 1 || *i as usize > n {
                return Err(bounds(arr, *i));
            }
            let v = a.inner.lock().data.get(*i as usize - 1);
            (*i as usize - 1, (v, true))
        }
        _ => {
            let Some(Range::Unit(lo, hi)) = range_of(idx) else { return Err(no_method(vm, "splice!", args)) };
            if lo < 1 || (hi >= lo && hi as usize > n) {
                return Err(errors::bounds_error(arr.clone(), Value::tuple(vec![idx.clone()])));
            }
            let g = a.inner.lock();
            let part = if hi >= lo {
                each_slice(&g.data, lo as usize - 1, hi as usize)
            } else {
                each_slice(&g.data, 0, 0)
            };
            drop(g);
            (lo as usize - 1, (vec_value(part), false))
        }
    };
    let count = match &removed.0 {
        Value::Array(p) if !removed.1 => p.inner.lock().data.len(),
        _ => 1,
    };
    let pos: Vec<usize> = (lo..lo + count).collect();
    let data = conv_for(vm, a, repl)?;
    {
        let mut g = a.inner.lock();
        delete_positions(&mut g.data, &pos);
        splice_in(&mut g.data, lo, data);
    }
    set_len(a);
    Ok(removed.0)
}

fn resize(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Array(a), n] = args else { return Err(no_method(vm, "resize!", args)) };
    let Some(n) = int_of(n) else { return Err(no_method(vm, "resize!", args)) };
    if n < 0 {
        return Err(errors::argument_error("new length must be ≥ 0"));
    }
    let n = n as usize;
    {
        let mut g = a.inner.lock();
        match &mut g.data {
            ArrayData::Int(v) => v.resize(n, 0),
            ArrayData::Float(v) => v.resize(n, 0.0),
            ArrayData::Bool(v) => v.resize(n, false),
            ArrayData::Any(_, v) => v.resize(n, Value::Undef),
        }
        g.dims = vec![n];
    }
    Ok(args[0].clone())
}

pub(crate) fn empty_bang(vm: &mut Vm, args: &[Value]) -> NResult {
    match args {
        [Value::Array(a)] => {
            each_data!(&mut a.inner.lock().data, d => d.clear());
            set_len(a);
            Ok(args[0].clone())
        }
        [Value::Obj(o)] => match &**o {
            Obj::Dict(d) | Obj::Set(d) => {
                d.data.lock().clear();
                Ok(args[0].clone())
            }
            _ => Err(no_method(vm, "empty!", args)),
        },
        _ => Err(no_method(vm, "empty!", args)),
    }
}

// ---------- copies ----------

pub(crate) fn copy_value(v: &Value) -> Value {
    match v {
        Value::Array(a) => {
            let g = a.inner.lock();
            new_array(g.dims.clone(), g.data.clone())
        }
        Value::Obj(o) => match &**o {
            Obj::Dict(d) => Value::obj(Obj::Dict(Box::new(DictObj {
                key_type: d.key_type.clone(),
                val_type: d.val_type.clone(),
                data: Mutex::new(d.data.lock().clone()),
            }))),
            Obj::Set(d) => Value::obj(Obj::Set(Box::new(DictObj {
                key_type: d.key_type.clone(),
                val_type: d.val_type.clone(),
                data: Mutex::new(d.data.lock().clone()),
            }))),
            Obj::MStruct(s) => Value::obj(Obj::MStruct(crate::obj::MStructObj {
                ty: s.ty,
                params: s.params.clone(),
                fields: Mutex::new(s.fields.lock().clone()),
            })),
            _ => v.clone(),
        },
        _ => v.clone(),
    }
}

fn copy(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [x] => Ok(copy_value(x)),
        _ => Err(no_method(vm, "copy", args)),
    }
}

fn deep(v: &Value, seen: &mut Vec<(usize, Value)>) -> Value {
    let key = match v {
        Value::Array(a) => Some(Arc::as_ptr(a) as *const u8 as usize),
        Value::Obj(o)
            if matches!(
                &**o,
                Obj::Dict(_) | Obj::Set(_) | Obj::MStruct(_) | Obj::Ref(..) | Obj::Atomic(_)
            ) =>
        {
            Some(Arc::as_ptr(o) as *const u8 as usize)
        }
        _ => None,
    };
    if let Some(k) = key {
        if let Some((_, c)) = seen.iter().find(|(p, _)| *p == k) {
            return c.clone();
        }
    }
    let out = match v {
        Value::Array(a) => {
            let (dims, data) = {
                let g = a.inner.lock();
                (g.dims.clone(), g.data.clone())
            };
            let data = match data {
                ArrayData::Any(t, vals) => ArrayData::Any(t, vals.iter().map(|x| deep(x, seen)).collect()),
                other => other,
            };
            new_array(dims, data)
        }
        Value::Tuple(t) => Value::tuple(t.0.iter().map(|x| deep(x, seen)).collect()),
        Value::Obj(o) => match &**o {
            Obj::Dict(d) | Obj::Set(d) => {
                let entries = d.data.lock().clone();
                let mut nd = DictData::with_ident(entries.ident);
                for (k, x) in entries.entries.into_iter().flatten() {
                    nd.insert(deep(&k, seen), deep(&x, seen));
                }
                let obj = DictObj {
                    key_type: d.key_type.clone(),
                    val_type: d.val_type.clone(),
                    data: Mutex::new(nd),
                };
                Value::obj(if matches!(&**o, Obj::Set(_)) {
                    Obj::Set(Box::new(obj))
                } else {
                    Obj::Dict(Box::new(obj))
                })
            }
            Obj::MStruct(s) => {
                let fs: Vec<Value> = s.fields.lock().iter().map(|x| deep(x, seen)).collect();
                Value::obj(Obj::MStruct(crate::obj::MStructObj {
                    ty: s.ty,
                    params: s.params.clone(),
                    fields: Mutex::new(fs.into_boxed_slice()),
                }))
            }
            Obj::Struct(s) => Value::obj(Obj::Struct(crate::obj::StructObj {
                ty: s.ty,
                params: s.params.clone(),
                fields: s.fields.iter().map(|x| deep(x, seen)).collect(),
            })),
            Obj::NamedTuple(n, vals) => {
                Value::obj(Obj::NamedTuple(n.clone(), vals.iter().map(|x| deep(x, seen)).collect()))
            }
            Obj::Ref(t, c) => {
                let x = c.lock().clone();
                Value::obj(Obj::Ref(t.clone(), Mutex::new(deep(&x, seen))))
            }
            Obj::Atomic(a) => match crate::obj::AtomicObj::new(a.kind, &a.load()) {
                Some(copy) => Value::obj(Obj::Atomic(copy)),
                None => v.clone(),
            },
            _ => v.clone(),
        },
        _ => v.clone(),
    };
    if let Some(k) = key {
        seen.push((k, out.clone()));
    }
    out
}

fn deepcopy(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [x] => Ok(deep(x, &mut Vec::new())),
        _ => Err(no_method(vm, "deepcopy", args)),
    }
}

// ---------- collect ----------

fn collect(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [x] => collect1(vm, x, args),
        [Value::Type(t), x] => {
            let t = (**t).clone();
            let Some(vals) = items(x) else { return generic_call(vm, "__collect_typed_iter__", args) };
            let mut out = Vec::with_capacity(vals.len());
            for v in vals {
                out.push(super::convert_to(vm, &t, v)?);
            }
            typed_vector(&t, out)
        }
        _ => Err(no_method(vm, "collect", args)),
    }
}

fn collect1(vm: &mut Vm, x: &Value, args: &[Value]) -> NResult {
    match x {
        Value::Array(_) => Ok(copy_value(x)),
        Value::Str(_) => super::strings::string_collect(vm, args),
        Value::Tuple(_) => Ok(vector(vm, items(x).unwrap_or_default())),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Char(_) => {
            let t = vm.world.typeof_(x);
            let data = data_for(&t, vec![x.clone()])?;
            Ok(new_array(vec![], data))
        }
        Value::Obj(o) => match &**o {
            Obj::Range(Range::Unit(a, b)) => {
                Ok(vec_value(ArrayData::Int(if b < a { vec![] } else { (*a..=*b).collect() })))
            }
            Obj::Range(r @ Range::Step(..)) => Ok(vec_value(ArrayData::Int(
                (0..r.len()).map(|i| if let Value::Int(v) = r.get(i) { v } else { 0 }).collect(),
            ))),
            Obj::Range(r @ Range::Float(..)) => Ok(vec_value(ArrayData::Float(
                (0..r.len()).map(|i| if let Value::Float(v) = r.get(i) { v } else { 0.0 }).collect(),
            ))),
            Obj::Dict(_) | Obj::Set(_) | Obj::Keys(_) | Obj::Values(_) => {
                let elt = elt_of(vm, x);
                typed_vector(&elt, items(x).unwrap_or_default())
            }
            Obj::Enumerate(_) | Obj::Zip(_) | Obj::NamedTuple(..) => match items(x) {
                Some(v) => Ok(vector(vm, v)),
                None => generic_call(vm, "__collect_iter__", args),
            },
            _ => generic_call(vm, "__collect_iter__", args),
        },
        _ => generic_call(vm, "__collect_iter__", args),
    }
}

/// `__collect_items__(x)`: natively iterable elements as a Vector, or `nothing`.
fn collect_items(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "__collect_items__", args)) };
    match x {
        Value::Obj(o) if matches!(&**o, Obj::Struct(_) | Obj::MStruct(_)) => Ok(Value::Nothing),
        _ => match items(x) {
            Some(v) => Ok(vector(vm, v)),
            None => Ok(Value::Nothing),
        },
    }
}

// ---------- reverse ----------

fn reverse(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "reverse", args)) };
    match x {
        Value::Array(a) => {
            let g = a.inner.lock();
            let mut data = g.data.clone();
            let dims = g.dims.clone();
            drop(g);
            each_data!(&mut data, d => d.reverse());
            Ok(new_array(dims, data))
        }
        Value::Tuple(t) => Ok(Value::tuple(t.0.iter().rev().cloned().collect())),
        Value::Str(_) => super::strings::string_reverse(vm, args),
        Value::Obj(o) => match &**o {
            Obj::Range(r) => {
                let n = r.len();
                Ok(match *r {
                    Range::Unit(a, b) => {
                        if n == 0 {
                            range_value(Range::Step(a - 1, -1, a))
                        } else {
                            range_value(Range::Step(b, -1, a))
                        }
                    }
                    Range::Step(a, s, _) => {
                        if n == 0 {
                            range_value(Range::Step(a, -s, a + s))
                        } else {
                            let last = a + (n - 1) * s;
                            range_value(Range::Step(last, -s, a))
                        }
                    }
                    Range::Float(a, s, n) => range_value(Range::Float(a + (n - 1).max(0) as f64 * s, -s, n)),
                })
            }
            _ => match items(x) {
                Some(v) => Ok(vector(vm, v.into_iter().rev().collect())),
                None => Err(no_method(vm, "reverse", args)),
            },
        },
        _ => Err(no_method(vm, "reverse", args)),
    }
}

fn reverse_bang(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Array(a)] = args else { return Err(no_method(vm, "reverse!", args)) };
    each_data!(&mut a.inner.lock().data, d => d.reverse());
    Ok(args[0].clone())
}

// ---------- construction ----------

/// Dimensions from `(m, n)` or `m, n` arguments.
fn dims_args(vm: &mut Vm, name: &str, dargs: &[Value], all: &[Value]) -> Result<Vec<usize>, Flow> {
    let list: Vec<Value> = match dargs {
        [Value::Tuple(t)] => t.0.to_vec(),
        _ => dargs.to_vec(),
    };
    let mut out = Vec::with_capacity(list.len());
    for d in &list {
        match int_of(d) {
            Some(n) if n >= 0 => out.push(n as usize),
            Some(n) => {
                return Err(errors::argument_error(format!(
                    "invalid Array dimensions: {}",
                    if list.len() == 1 { format!("({n},)") } else { format!("{n}") }
                )))
            }
            None => return Err(no_method(vm, name, all)),
        }
    }
    Ok(out)
}

fn filled(elt: &JType, x: Value, n: usize) -> Result<ArrayData, Flow> {
    Ok(match (elt.id(), &x) {
        (Some(tid::INT64), _) => ArrayData::Int(vec![arrays::to_int(&x)?; n]),
        (Some(tid::FLOAT64), _) => ArrayData::Float(vec![arrays::to_float(&x)?; n]),
        (Some(tid::BOOL), Value::Bool(b)) => ArrayData::Bool(vec![*b; n]),
        _ => data_for(elt, vec![x; n])?,
    })
}

fn fill(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x, dargs @ ..] = args else { return Err(no_method(vm, "fill", args)) };
    let dims = dims_args(vm, "fill", dargs, args)?;
    let n = dims.iter().product();
    let elt = vm.world.typeof_(x);
    let data = filled(&elt, x.clone(), n)?;
    Ok(new_array(dims, data))
}

fn const_array(vm: &mut Vm, name: &str, args: &[Value], one: bool) -> NResult {
    let (elt, dargs) = match args {
        [Value::Type(t), rest @ ..] => ((**t).clone(), rest),
        rest => (float_type(), rest),
    };
    let dims = dims_args(vm, name, dargs, args)?;
    let n = dims.iter().product();
    let x = if one { Value::Int(1) } else { Value::Int(0) };
    let x = match elt.id() {
        Some(tid::BOOL) => Value::Bool(one),
        _ => super::convert_to(vm, &elt, x)?,
    };
    Ok(new_array(dims, filled(&elt, x, n)?))
}

fn zeros(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    const_array(vm, "zeros", args, false)
}

fn ones(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    const_array(vm, "ones", args, true)
}

fn trues(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let dims = dims_args(vm, "trues", args, args)?;
    let n = dims.iter().product();
    Ok(new_array(dims, ArrayData::Bool(vec![true; n])))
}

fn falses(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let dims = dims_args(vm, "falses", args, args)?;
    let n = dims.iter().product();
    Ok(new_array(dims, ArrayData::Bool(vec![false; n])))
}

fn zero_data(elt: &JType, n: usize) -> ArrayData {
    match elt.id() {
        Some(tid::INT64) => ArrayData::Int(vec![0; n]),
        Some(tid::FLOAT64) => ArrayData::Float(vec![0.0; n]),
        Some(tid::BOOL) => ArrayData::Bool(vec![false; n]),
        _ => ArrayData::Any(elt.clone(), vec![Value::Undef; n]),
    }
}

fn similar(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x, rest @ ..] = args else { return Err(no_method(vm, "similar", args)) };
    let Some(d0) = dims_of(x) else { return Err(no_method(vm, "similar", args)) };
    let (elt, dargs) = match rest {
        [Value::Type(t), r @ ..] => ((**t).clone(), r),
        r => (elt_of(vm, x), r),
    };
    let dims = if dargs.is_empty() { d0 } else { dims_args(vm, "similar", dargs, args)? };
    let n = dims.iter().product();
    Ok(new_array(dims, zero_data(&elt, n)))
}

// ---------- concatenation ----------

/// A concatenation operand as (rows, cols, column-major values, element type).
struct Block {
    rows: usize,
    cols: usize,
    vals: Vec<Value>,
    elt: JType,
}

fn block(vm: &Vm, x: &Value) -> Block {
    match x {
        Value::Array(a) => {
            let g = a.inner.lock();
            let (rows, cols) = match g.dims.as_slice() {
                [n] => (*n, 1),
                [r, c] => (*r, *c),
                d => (d[0], d[1..].iter().product()),
            };
            Block { rows, cols, vals: g.data.to_values(), elt: g.data.eltype() }
        }
        Value::Obj(o) if matches!(&**o, Obj::Range(_)) => {
            let vals = items(x).unwrap_or_default();
            Block { rows: vals.len(), cols: 1, vals, elt: elt_of(vm, x) }
        }
        _ => Block { rows: 1, cols: 1, vals: vec![x.clone()], elt: vm.world.typeof_(x) },
    }
}

/// The element type of a concatenation: equal types stay, numbers promote, else Any.
fn concat_elt(vm: &Vm, blocks: &[Block]) -> JType {
    let ts: Vec<&JType> =
        blocks.iter().filter(|b| !b.vals.is_empty() || b.rows * b.cols == 0).map(|b| &b.elt).collect();
    if ts.is_empty() {
        return blocks.first().map(|b| b.elt.clone()).unwrap_or_else(JType::any);
    }
    if ts.iter().all(|t| **t == *ts[0]) {
        return ts[0].clone();
    }
    let num = |t: &JType| matches!(t.id(), Some(tid::INT64 | tid::FLOAT64 | tid::BOOL));
    if ts.iter().all(|t| num(t)) {
        if ts.iter().any(|t| t.id() == Some(tid::FLOAT64)) {
            return float_type();
        }
        return int_type();
    }
    let all: Vec<Value> = blocks.iter().flat_map(|b| b.vals.iter().cloned()).collect();
    let _ = vm;
    if all.is_empty() {
        JType::any()
    } else {
        let p = promote_eltype(&vm.world, &all);
        if p.id() == Some(tid::INT64) || p.id() == Some(tid::FLOAT64) || p.id() == Some(tid::BOOL) {
            JType::any()
        } else {
            p
        }
    }
}

fn build(elt: Option<&JType>, vm: &mut Vm, blocks: &[Block], dims: Vec<usize>, vals: Vec<Value>) -> NResult {
    let elt = match elt {
        Some(t) => t.clone(),
        None => concat_elt(vm, blocks),
    };
    let mut conv = Vec::with_capacity(vals.len());
    for v in vals {
        conv.push(if elt.is_any() { v } else { super::convert_to(vm, &elt, v)? });
    }
    Ok(new_array(dims, data_for(&elt, conv)?))
}

fn vcat_impl(vm: &mut Vm, elt: Option<&JType>, args: &[Value]) -> NResult {
    let blocks: Vec<Block> = args.iter().map(|a| block(vm, a)).collect();
    let any_matrix = args.iter().any(|a| matches!(a, Value::Array(x) if x.inner.lock().dims.len() >= 2));
    if !any_matrix {
        let vals: Vec<Value> = blocks.iter().flat_map(|b| b.vals.iter().cloned()).collect();
        let n = vals.len();
        return build(elt, vm, &blocks, vec![n], vals);
    }
    let cols = blocks[0].cols;
    for b in &blocks {
        if b.cols != cols {
            return Err(errors::dimension_mismatch(format!(
                "number of columns of each array must match (got {})",
                fmt_tuple(&blocks.iter().map(|b| b.cols).collect::<Vec<_>>())
            )));
        }
    }
    let rows: usize = blocks.iter().map(|b| b.rows).sum();
    let mut vals = Vec::with_capacity(rows * cols);
    for j in 0..cols {
        for b in &blocks {
            for i in 0..b.rows {
                vals.push(b.vals[j * b.rows + i].clone());
            }
        }
    }
    build(elt, vm, &blocks, vec![rows, cols], vals)
}

fn fmt_tuple(xs: &[usize]) -> String {
    let inner: Vec<String> = xs.iter().map(|x| x.to_string()).collect();
    if xs.len() == 1 {
        format!("({},)", inner[0])
    } else {
        format!("({})", inner.join(", "))
    }
}

fn hcat_impl(vm: &mut Vm, elt: Option<&JType>, args: &[Value]) -> NResult {
    let blocks: Vec<Block> = args.iter().map(|a| block(vm, a)).collect();
    if blocks.is_empty() {
        return build(elt, vm, &blocks, vec![0], vec![]);
    }
    let rows = blocks[0].rows;
    for b in &blocks {
        if b.rows != rows {
            return Err(errors::dimension_mismatch(format!(
                "number of rows of each array must match (got {})",
                fmt_tuple(&blocks.iter().map(|b| b.rows).collect::<Vec<_>>())
            )));
        }
    }
    let cols: usize = blocks.iter().map(|b| b.cols).sum();
    let vals: Vec<Value> = blocks.iter().flat_map(|b| b.vals.iter().cloned()).collect();
    build(elt, vm, &blocks, vec![rows, cols], vals)
}

fn vcat(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    vcat_impl(vm, None, args)
}

fn hcat(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    hcat_impl(vm, None, args)
}

fn hvcat_impl(vm: &mut Vm, elt: Option<&JType>, args: &[Value]) -> NResult {
    let [Value::Tuple(counts), xs @ ..] = args else { return Err(no_method(vm, "hvcat", args)) };
    let counts: Vec<usize> = counts.0.iter().filter_map(|c| int_of(c).map(|n| n as usize)).collect();
    if counts.iter().sum::<usize>() != xs.len() {
        return Err(errors::argument_error("hvcat: number of arguments does not match the row counts"));
    }
    let all_scalar = xs.iter().all(|x| !matches!(x, Value::Array(_)) && range_of(x).is_none());
    if all_scalar {
        let ncols = counts[0];
        for (i, &c) in counts.iter().enumerate() {
            if c != ncols {
                return Err(errors::dimension_mismatch(format!(
                    "row {} has mismatched number of columns (expected {ncols}, got {c})",
                    i + 1
                )));
            }
        }
        let nrows = counts.len();
        let blocks: Vec<Block> = xs.iter().map(|a| block(vm, a)).collect();
        let mut vals = Vec::with_capacity(xs.len());
        for j in 0..ncols {
            for i in 0..nrows {
                vals.push(xs[i * ncols + j].clone());
            }
        }
        return build(elt, vm, &blocks, vec![nrows, ncols], vals);
    }
    let mut rows = Vec::new();
    let mut k = 0;
    for &c in &counts {
        let r = hcat_impl(vm, elt, &xs[k..k + c])?;
        rows.push(r);
        k += c;
    }
    vcat_impl(vm, elt, &rows)
}

fn hvcat(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    hvcat_impl(vm, None, args)
}

fn typed_vcat(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Type(t), rest @ ..] = args else { return Err(no_method(vm, "__typed_vcat__", args)) };
    let t = (**t).clone();
    vcat_impl(vm, Some(&t), rest)
}

fn typed_hvcat(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Type(t), rest @ ..] = args else { return Err(no_method(vm, "__typed_hvcat__", args)) };
    let t = (**t).clone();
    hvcat_impl(vm, Some(&t), rest)
}

// ---------- reshaping ----------

fn array_parts(x: &Value) -> Option<(Vec<usize>, ArrayData)> {
    match x {
        Value::Array(a) => {
            let g = a.inner.lock();
            Some((g.dims.clone(), g.data.clone()))
        }
        Value::Obj(o) if matches!(&**o, Obj::Range(_)) => {
            let r = range_of(x)?;
            let n = r.len().max(0);
            let data = match r {
                Range::Float(..) => ArrayData::Float(
                    (0..n).map(|i| if let Value::Float(f) = r.get(i) { f } else { 0.0 }).collect(),
                ),
                _ => {
                    ArrayData::Int((0..n).map(|i| if let Value::Int(v) = r.get(i) { v } else { 0 }).collect())
                }
            };
            Some((vec![n as usize], data))
        }
        _ => None,
    }
}

fn reshape(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x, dargs @ ..] = args else { return Err(no_method(vm, "reshape", args)) };
    let Some((_, data)) = array_parts(x) else { return Err(no_method(vm, "reshape", args)) };
    let list: Vec<Value> = match dargs {
        [Value::Tuple(t)] => t.0.to_vec(),
        _ => dargs.to_vec(),
    };
    let n = data.len();
    // One `:` dimension is inferred.
    let known: usize = list.iter().filter_map(int_of).map(|d| d.max(0) as usize).product();
    let mut dims = Vec::new();
    for d in &list {
        match int_of(d) {
            Some(k) => dims.push(k.max(0) as usize),
            None => dims.push(n.checked_div(known).unwrap_or(0)),
        }
    }
    if dims.iter().product::<usize>() != n {
        return Err(errors::dimension_mismatch(format!(
            "new dimensions {} must be consistent with array length {n}",
            fmt_tuple(&dims)
        )));
    }
    Ok(new_array(dims, data))
}

fn vec(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "vec", args)) };
    match array_parts(x) {
        Some((_, data)) => Ok(vec_value(data)),
        None => Err(no_method(vm, "vec", args)),
    }
}

fn transpose(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "transpose", args)) };
    match x {
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => Ok(x.clone()),
        _ => {
            let Some((dims, data)) = array_parts(x) else { return Err(no_method(vm, "transpose", args)) };
            match dims.as_slice() {
                [n] => Ok(new_array(vec![1, *n], data)),
                [r, c] => {
                    let (r, c) = (*r, *c);
                    let vals = data.to_values();
                    let mut out = Vec::with_capacity(vals.len());
                    for i in 0..r {
                        for j in 0..c {
                            out.push(vals[j * r + i].clone());
                        }
                    }
                    let elt = data.eltype();
                    Ok(new_array(vec![c, r], data_for(&elt, out)?))
                }
                _ => Err(no_method(vm, "transpose", args)),
            }
        }
    }
}

fn circshift(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x, k] = args else { return Err(no_method(vm, "circshift", args)) };
    let (Some((dims, data)), Some(k)) = (array_parts(x), int_of(k)) else {
        return Err(no_method(vm, "circshift", args));
    };
    let n = data.len();
    let mut data = data;
    if n > 0 {
        let s = k.rem_euclid(n as i64) as usize;
        each_data!(&mut data, d => d.rotate_right(s));
    }
    Ok(new_array(dims, data))
}

// ---------- ranges ----------

/// Julia's `start:step:stop` for Ints, normalised so `last` is on the grid.
pub fn int_step_range(a: i64, s: i64, b: i64) -> Result<Range, Flow> {
    if s == 0 {
        return Err(errors::argument_error("step cannot be zero"));
    }
    if a == b {
        return Ok(Range::Step(a, s, b));
    }
    if (s > 0) != (b > a) {
        return Ok(Range::Step(a, s, a - s));
    }
    let diff = b as i128 - a as i128;
    let rem = diff % s as i128;
    Ok(Range::Step(a, s, (b as i128 - rem) as i64))
}

/// A float range `a:s:b` (length by rounding, tolerant of representation error).
pub fn float_range(a: f64, s: f64, b: f64) -> Result<Range, Flow> {
    if s == 0.0 {
        return Err(errors::argument_error("range step cannot be zero"));
    }
    let q = (b - a) / s;
    if q < 0.0 {
        return Ok(Range::Float(a, s, 0));
    }
    let r = q.round();
    let n = if (q - r).abs() <= 1e-10 * r.abs().max(1.0) { r } else { q.floor() };
    Ok(Range::Float(a, s, n as i64 + 1))
}

fn colon(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(a), Value::Int(b)] => Ok(range_value(Range::Unit(*a, if b < a { a - 1 } else { *b }))),
        [Value::Int(a), Value::Int(s), Value::Int(b)] => Ok(range_value(int_step_range(*a, *s, *b)?)),
        [a, b] => match (arrays::to_float(a), arrays::to_float(b)) {
            (Ok(x), Ok(y)) if is_num(a) && is_num(b) => Ok(range_value(float_range(x, 1.0, y)?)),
            _ => match (a, b) {
                (Value::Char(x), Value::Char(y)) => {
                    let v: Vec<Value> = (*x..=*y).map(Value::Char).collect();
                    Ok(vec_value(ArrayData::Any(JType::data(tid::CHAR), v)))
                }
                _ => Err(no_method(vm, ":", args)),
            },
        },
        [a, s, b] if is_num(a) && is_num(s) && is_num(b) => {
            let (x, y, z) = (arrays::to_float(a)?, arrays::to_float(s)?, arrays::to_float(b)?);
            Ok(range_value(float_range(x, y, z)?))
        }
        _ => Err(no_method(vm, ":", args)),
    }
}

fn is_num(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Float(_) | Value::Bool(_))
}

fn range(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    let length = super::kwarg(kw, "length");
    let step_kw = super::kwarg(kw, "step");
    let stop_kw = super::kwarg(kw, "stop");
    let (start, stop) = match args {
        [a, b] => (a.clone(), Some(b.clone())),
        [a] => (a.clone(), stop_kw),
        [a, b, c] if step_kw.is_none() && length.is_none() => {
            // range(start, stop, length)
            return range_len(vm, a, b, c, args);
        }
        _ => return Err(no_method(vm, "range", args)),
    };
    match (stop, step_kw, length) {
        (Some(b), None, Some(n)) => range_len(vm, &start, &b, &n, args),
        (Some(b), Some(s), None) => colon(vm, &[start, s, b], None),
        (Some(b), None, None) => colon(vm, &[start, b], None),
        (None, s, Some(n)) => {
            let Some(n) = int_of(&n) else { return Err(no_method(vm, "range", args)) };
            let s = s.unwrap_or(Value::Int(1));
            match (&start, &s) {
                (Value::Int(a), Value::Int(1)) => Ok(range_value(Range::Unit(*a, a + n - 1))),
                (Value::Int(a), Value::Int(st)) => {
                    Ok(range_value(int_step_range(*a, *st, a + (n - 1) * st)?))
                }
                _ => {
                    Ok(range_value(Range::Float(arrays::to_float(&start)?, arrays::to_float(&s)?, n.max(0))))
                }
            }
        }
        _ => Err(errors::argument_error("range: too few or too many arguments")),
    }
}

fn range_len(vm: &mut Vm, a: &Value, b: &Value, n: &Value, args: &[Value]) -> NResult {
    let Some(n) = int_of(n) else { return Err(no_method(vm, "range", args)) };
    if n < 0 {
        return Err(errors::argument_error(format!(
            "range(start, stop, length): length must be non-negative, got {n}"
        )));
    }
    let (x, y) = (arrays::to_float(a)?, arrays::to_float(b)?);
    if let (Value::Int(p), Value::Int(q)) = (a, b) {
        if n > 1 && (q - p) % (n - 1) == 0 {
            let s = (q - p) / (n - 1);
            if s == 1 {
                return Ok(range_value(Range::Unit(*p, *q)));
            }
        }
    }
    let s = if n > 1 { (y - x) / (n - 1) as f64 } else { 0.0 };
    Ok(range_value(Range::Float(x, s, n)))
}

fn step(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args.first().and_then(range_of) {
        Some(Range::Unit(..)) => Ok(Value::Int(1)),
        Some(Range::Step(_, s, _)) => Ok(Value::Int(s)),
        Some(Range::Float(_, s, _)) => Ok(Value::Float(s)),
        None => Err(no_method(vm, "step", args)),
    }
}

// ---------- lazy wrappers, keys/values/pairs ----------

/// Is `v` natively indexable by position (so `Enumerate`/`Zip` can walk it)?
fn indexable(v: &Value) -> bool {
    match v {
        Value::Array(_) | Value::Tuple(_) => true,
        Value::Obj(o) => matches!(&**o, Obj::Range(_) | Obj::NamedTuple(..)),
        _ => false,
    }
}

/// Make `v` positionally indexable: collect strings, dicts and sets eagerly.
fn materialize(vm: &mut Vm, v: &Value) -> Option<Value> {
    if indexable(v) {
        return Some(v.clone());
    }
    let vals = items(v)?;
    let elt = elt_of(vm, v);
    typed_vector(&elt, vals).ok()
}

fn enumerate(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "enumerate", args)) };
    match materialize(vm, x) {
        Some(v) => Ok(Value::obj(Obj::Enumerate(v))),
        None => generic_call(vm, "__enumerate_iter__", args),
    }
}

fn zip(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let mut parts = Vec::with_capacity(args.len());
    for a in args {
        match materialize(vm, a) {
            Some(v) => parts.push(v),
            None => return generic_call(vm, "__zip_iter__", args),
        }
    }
    Ok(Value::obj(Obj::Zip(parts.into_boxed_slice())))
}

fn keys(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "keys", args)) };
    match x {
        Value::Obj(o) => match &**o {
            Obj::Dict(_) => Ok(Value::obj(Obj::Keys(x.clone()))),
            Obj::NamedTuple(n, _) => Ok(Value::tuple(n.iter().map(|s| Value::Sym(*s)).collect())),
            Obj::Range(r) => Ok(range_value(Range::Unit(1, r.len()))),
            _ => Err(no_method(vm, "keys", args)),
        },
        Value::Str(_) => collect_string_indices(args),
        _ => match dims_of(x) {
            Some(d) => Ok(range_value(Range::Unit(1, d.iter().product::<usize>() as i64))),
            None => Err(no_method(vm, "keys", args)),
        },
    }
}

fn values(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "values", args)) };
    match x {
        Value::Obj(o) => match &**o {
            Obj::Dict(_) => Ok(Value::obj(Obj::Values(x.clone()))),
            Obj::NamedTuple(_, v) => Ok(Value::tuple(v.to_vec())),
            _ => Ok(x.clone()),
        },
        _ => Ok(x.clone()),
    }
}

fn pairs(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "pairs", args)) };
    let pair = |a: Value, b: Value| errors::exc(tid::PAIR, vec![a, b]);
    match x {
        Value::Obj(o) => match &**o {
            Obj::Dict(_) => Ok(x.clone()),
            Obj::NamedTuple(n, v) => {
                Ok(vector(vm, n.iter().zip(v.iter()).map(|(k, x)| pair(Value::Sym(*k), x.clone())).collect()))
            }
            _ => match items(x) {
                Some(v) => Ok(vector(
                    vm,
                    v.into_iter().enumerate().map(|(i, x)| pair(Value::Int(i as i64 + 1), x)).collect(),
                )),
                None => Err(no_method(vm, "pairs", args)),
            },
        },
        _ => match items(x) {
            Some(v) => Ok(vector(
                vm,
                v.into_iter().enumerate().map(|(i, x)| pair(Value::Int(i as i64 + 1), x)).collect(),
            )),
            None => Err(no_method(vm, "pairs", args)),
        },
    }
}

/// The element type Julia's `collect`/`map`/broadcast give mixed results:
/// equal types stay, otherwise `promote_typejoin` (a common nominal
/// supertype such as `Real`, `Union{Nothing, T}`, or `Any`).
pub(crate) fn typejoin_values(vm: &Vm, vals: &[Value]) -> JType {
    let mut ts: Vec<JType> = Vec::new();
    for v in vals {
        let t = vm.world.typeof_(v);
        if !ts.contains(&t) {
            ts.push(t);
        }
    }
    arrays::typejoin(&vm.world, ts)
}

/// `__narrow__(v)`: re-type a `Vector{Any}` to the element type of its values.
fn narrow(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Array(a)] = args else { return Err(no_method(vm, "__narrow__", args)) };
    let mut g = a.inner.lock();
    if let ArrayData::Any(t, vals) = &g.data {
        if t.is_any() && !vals.is_empty() {
            let vals = vals.clone();
            let elt = typejoin_values(vm, &vals);
            if !elt.is_any() {
                if let Ok(d) = data_for(&elt, vals) {
                    g.data = d;
                }
            }
        }
    }
    drop(g);
    Ok(args[0].clone())
}

// ---------- general indexing ----------

/// The 0-based positions selected along one dimension of length `n`, and whether it drops.
fn index_list(vm: &mut Vm, idx: &Value, n: usize) -> Result<Option<(Vec<i64>, bool)>, Flow> {
    let _ = vm;
    Ok(Some(match idx {
        Value::Int(i) => (vec![*i], true),
        Value::Bool(_) => return Ok(None),
        Value::Obj(o) if matches!(&**o, Obj::Struct(s) if s.ty == tid::COLON) => {
            ((1..=n as i64).collect(), false)
        }
        _ => {
            let Some(v) = items(idx) else { return Ok(None) };
            if !v.is_empty() && v.iter().all(|x| matches!(x, Value::Bool(_))) {
                if v.len() != n {
                    return Ok(None);
                }
                let sel: Vec<i64> = v
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| matches!(b, Value::Bool(true)))
                    .map(|(i, _)| i as i64 + 1)
                    .collect();
                (sel, false)
            } else {
                let mut out = Vec::with_capacity(v.len());
                for x in &v {
                    match x {
                        Value::Int(i) => out.push(*i),
                        _ => return Ok(None),
                    }
                }
                (out, false)
            }
        }
    }))
}

/// Result dims and 0-based linear positions of an indexing operation.
type Resolved = (Vec<usize>, Vec<usize>);

/// Resolve indices of `a` to (result dims, 0-based linear positions).
fn resolve(vm: &mut Vm, a: &Value, dims: &[usize], idx: &[Value]) -> Result<Option<Resolved>, Flow> {
    let oob = || errors::bounds_error(a.clone(), Value::tuple(idx.to_vec()));
    if idx.len() == 1 {
        let total: usize = dims.iter().product();
        let Some((list, _)) = index_list(vm, &idx[0], total)? else { return Ok(None) };
        let mut pos = Vec::with_capacity(list.len());
        for i in &list {
            if *i < 1 || *i as usize > total {
                return Err(oob());
            }
            pos.push(*i as usize - 1);
        }
        // A matrix index keeps its shape; a colon over a matrix gives a vector.
        let rdims = match &idx[0] {
            Value::Array(ia) => {
                let d = ia.inner.lock().dims.clone();
                if d.len() > 1 && !matches!(ia.inner.lock().data, ArrayData::Bool(_)) {
                    d
                } else {
                    vec![pos.len()]
                }
            }
            _ => vec![pos.len()],
        };
        return Ok(Some((rdims, pos)));
    }
    let mut lists = Vec::with_capacity(idx.len());
    let mut rdims = Vec::new();
    for (d, ix) in idx.iter().enumerate() {
        let n = if d < dims.len() {
            if d == idx.len() - 1 {
                dims[d..].iter().product()
            } else {
                dims[d]
            }
        } else {
            1
        };
        let Some((list, drop)) = index_list(vm, ix, n)? else { return Ok(None) };
        for i in &list {
            if *i < 1 || *i as usize > n {
                return Err(oob());
            }
        }
        if !drop {
            rdims.push(list.len());
        }
        lists.push((list, n));
    }
    let total: usize = lists.iter().map(|(l, _)| l.len()).product();
    let mut pos = Vec::with_capacity(total);
    let mut counter = vec![0usize; lists.len()];
    if total > 0 {
        loop {
            let mut k = 0usize;
            let mut stride = 1usize;
            for (d, (l, n)) in lists.iter().enumerate() {
                k += (l[counter[d]] as usize - 1) * stride;
                stride *= n;
            }
            pos.push(k);
            let mut d = 0;
            loop {
                if d == lists.len() {
                    return Ok(Some((rdims, pos)));
                }
                counter[d] += 1;
                if counter[d] < lists[d].0.len() {
                    break;
                }
                counter[d] = 0;
                d += 1;
            }
        }
    }
    Ok(Some((rdims, pos)))
}

fn getindex_general(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [obj, idx @ ..] = args else { return Err(no_method(vm, "getindex", args)) };
    match obj {
        Value::Array(a) => {
            let dims = a.inner.lock().dims.clone();
            let Some((rdims, pos)) = resolve(vm, obj, &dims, idx)? else {
                return Err(no_method(vm, "getindex", args));
            };
            let g = a.inner.lock();
            let data = match &g.data {
                ArrayData::Int(v) => ArrayData::Int(pos.iter().map(|&k| v[k]).collect()),
                ArrayData::Float(v) => ArrayData::Float(pos.iter().map(|&k| v[k]).collect()),
                ArrayData::Bool(v) => ArrayData::Bool(pos.iter().map(|&k| v[k]).collect()),
                ArrayData::Any(t, v) => {
                    ArrayData::Any(t.clone(), pos.iter().map(|&k| v[k].clone()).collect())
                }
            };
            Ok(new_array(rdims, data))
        }
        Value::Obj(o) if matches!(&**o, Obj::Range(_)) => {
            let r = range_of(obj).unwrap();
            let n = r.len().max(0) as usize;
            if let [ix] = idx {
                if let Some(Range::Unit(lo, hi)) = range_of(ix) {
                    if hi >= lo && (lo < 1 || hi as usize > n) {
                        return Err(errors::bounds_error(obj.clone(), ix.clone()));
                    }
                    return Ok(sub_range(r, lo - 1, hi.max(lo - 1)));
                }
            }
            let Some((rdims, pos)) = resolve(vm, obj, &[n], idx)? else {
                return Err(no_method(vm, "getindex", args));
            };
            let vals: Vec<Value> = pos.iter().map(|&k| r.get(k as i64)).collect();
            let elt = elt_of(vm, obj);
            Ok(new_array(rdims, data_for(&elt, vals)?))
        }
        Value::Tuple(t) => {
            let n = t.0.len();
            let Some((_, pos)) = resolve(vm, obj, &[n], idx)? else {
                return Err(no_method(vm, "getindex", args));
            };
            Ok(Value::tuple(pos.iter().map(|&k| t.0[k].clone()).collect()))
        }
        _ => Err(no_method(vm, "getindex", args)),
    }
}

fn setindex_general(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [obj @ Value::Array(a), v, idx @ ..] = args else { return Err(no_method(vm, "setindex!", args)) };
    let dims = a.inner.lock().dims.clone();
    let Some((_, pos)) = resolve(vm, obj, &dims, idx)? else { return Err(no_method(vm, "setindex!", args)) };
    let vals: Vec<Value> = match v {
        Value::Array(_) => items(v).unwrap_or_default(),
        Value::Obj(o) if matches!(&**o, Obj::Range(_)) => items(v).unwrap_or_default(),
        x => {
            if pos.len() == 1 {
                vec![x.clone()]
            } else {
                return Err(errors::argument_error(
                    "indexed assignment with a single value to possibly many locations is not supported; perhaps use broadcasting `.=` instead?",
                ));
            }
        }
    };
    if vals.len() != pos.len() {
        return Err(errors::dimension_mismatch(format!(
            "tried to assign {} elements to {} destinations",
            vals.len(),
            pos.len()
        )));
    }
    let elt = a.inner.lock().data.eltype();
    let mut conv = Vec::with_capacity(vals.len());
    for x in vals {
        conv.push(if elt.is_any() { x } else { super::convert_to(vm, &elt, x)? });
    }
    let mut g = a.inner.lock();
    for (k, x) in pos.into_iter().zip(conv) {
        arrays::store(&mut g.data, k, x)?;
    }
    drop(g);
    Ok(obj.clone())
}

/// `dest .= src`
fn dotassign(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [dest @ Value::Array(a), src] = args else { return Err(no_method(vm, "__dotassign__", args)) };
    let n = a.inner.lock().data.len();
    let vals: Vec<Value> = match src {
        Value::Array(_) | Value::Tuple(_) => items(src).unwrap_or_default(),
        Value::Obj(o) if matches!(&**o, Obj::Range(_)) => items(src).unwrap_or_default(),
        x => vec![x.clone(); n],
    };
    let vals = if vals.len() == 1 && n != 1 { vec![vals[0].clone(); n] } else { vals };
    if vals.len() != n {
        let sd = dims_of(src).unwrap_or_default();
        let dd = a.inner.lock().dims.clone();
        return Err(errors::dimension_mismatch(format!(
            "array could not be broadcast to match destination: destination has dims {}, source has {}",
            fmt_tuple(&dd),
            fmt_tuple(&sd)
        )));
    }
    let elt = a.inner.lock().data.eltype();
    let mut conv = Vec::with_capacity(n);
    for x in vals {
        conv.push(if elt.is_any() { x } else { super::convert_to(vm, &elt, x)? });
    }
    let mut g = a.inner.lock();
    for (k, x) in conv.into_iter().enumerate() {
        arrays::store(&mut g.data, k, x)?;
    }
    drop(g);
    Ok(dest.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_ranges_normalise() {
        assert_eq!(int_step_range(1, 2, 10).unwrap(), Range::Step(1, 2, 9));
        assert_eq!(int_step_range(10, -3, 1).unwrap(), Range::Step(10, -3, 1));
        assert_eq!(int_step_range(1, 2, 0).unwrap(), Range::Step(1, 2, -1));
        assert_eq!(int_step_range(5, 1, 5).unwrap(), Range::Step(5, 1, 5));
    }

    #[test]
    fn float_range_length() {
        assert_eq!(float_range(0.0, 0.1, 1.0).unwrap(), Range::Float(0.0, 0.1, 11));
        assert_eq!(float_range(1.0, 1.0, 3.5).unwrap(), Range::Float(1.0, 1.0, 3));
    }
}
