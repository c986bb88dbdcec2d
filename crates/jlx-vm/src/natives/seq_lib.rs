//! Sorting, reductions (`sum`, `maximum`, `findmax`, ...), searching of
//! Bool collections, membership and set operations, and the Dict/Set
//! library (`haskey`, `get`, `get!`, `delete!`, `pop!`, `merge`).
//! Variants that take a user function are jlx code in `stdlib/collections.jlx`;
//! these natives tail-call it when they see keywords like `by=`/`lt=`.

use super::arrays_lib::{dims_of, elt_of, generic_call, int_of, items, range_of, typed_vector, vector};
use super::kernels;
use super::{no_method, register, NResult, NativeFn};
use crate::arrays::{self, data_for, new_array};
use crate::errors;
use crate::obj::{ArrayData, DictData, DictObj, Obj, Range};
use crate::runtime::Flow;
use crate::types::{tid, JType, TParam};
use crate::value::Value;
use crate::vm::Vm;
use jlx_bytecode::ModId;
use parking_lot::Mutex;
use std::cmp::Ordering;

pub fn install(rt: &crate::runtime::Runtime) {
    for (n, f) in [
        ("sort", sort as NativeFn),
        ("sort!", sort_bang),
        ("sortperm", sortperm),
        ("issorted", issorted),
        ("sum", sum),
        ("prod", prod),
        ("maximum", maximum),
        ("minimum", minimum),
        ("extrema", extrema),
        ("argmax", argmax),
        ("argmin", argmin),
        ("findmax", findmax),
        ("findmin", findmin),
        ("cumsum", cumsum),
        ("cumprod", cumprod),
        ("count", count),
        ("any", any),
        ("all", all),
        ("findfirst", findfirst),
        ("findlast", findlast),
        ("findall", findall),
        ("findnext", findnext),
        ("findprev", findprev),
        ("__findall_native__", findall),
        ("__findnext_native__", findnext),
        ("__findprev_native__", findprev),
        ("in", in_),
        ("∈", in_),
        ("∉", not_in),
        ("unique", unique),
        ("allunique", allunique),
        ("union", union),
        ("∪", union),
        ("intersect", intersect),
        ("∩", intersect),
        ("setdiff", setdiff),
        ("symdiff", symdiff),
        ("issubset", issubset),
        ("⊆", issubset),
        ("haskey", haskey),
        ("get", get),
        ("get!", get_bang),
        ("delete!", delete),
        ("pop!", pop),
        ("empty!", empty),
        ("merge", merge),
        ("merge!", merge_bang),
        ("__isless_native__", isless_native),
    ] {
        register(rt, ModId::BASE, n, f);
    }
}

// ---------- ordering ----------

/// Julia's `isless` on built-in values; `None` for values it cannot order natively.
pub fn isless_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => Some(float_isless(*x, *y)),
        (Value::Float(x), Value::Int(y)) => Some(int_float_isless(*y, *x).reverse()),
        (Value::Int(x), Value::Float(y)) => Some(int_float_isless(*x, *y)),
        (Value::Obj(_), Value::Obj(_)) => {
            let ((a1, a2), (b1, b2)) = (super::core::pair_parts(a)?, super::core::pair_parts(b)?);
            match isless_cmp(a1, b1)? {
                Ordering::Equal => isless_cmp(a2, b2),
                o => Some(o),
            }
        }
        _ => super::core::compare(a, b),
    }
}

/// `isless` order of `i` and `f`: NaN after every number, `0` as `0.0`
/// (after `-0.0`), otherwise the exact order (no rounding of `i`).
fn int_float_isless(i: i64, f: f64) -> Ordering {
    if i.unsigned_abs() <= 1 << 53 {
        return float_isless(i as f64, f);
    }
    jlx_num::cmp::cmp_int_float(i, f).unwrap_or(Ordering::Less)
}

fn float_isless(x: f64, y: f64) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => {
            if x == 0.0 && y == 0.0 {
                // -0.0 < 0.0
                y.is_sign_negative().cmp(&x.is_sign_negative())
            } else {
                x.partial_cmp(&y).unwrap_or(Ordering::Equal)
            }
        }
    }
}

fn isless_native(_vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => Ok(match isless_cmp(a, b) {
            Some(o) => Value::Bool(o == Ordering::Less),
            None => Value::Nothing,
        }),
        _ => Ok(Value::Nothing),
    }
}

fn truthy(v: Option<Value>) -> bool {
    matches!(v, Some(Value::Bool(true)))
}

/// Sorted copy of `vals` by `isless`; `None` if some pair cannot be ordered natively.
fn sorted_values(vals: &[Value], rev: bool) -> Option<Vec<usize>> {
    for w in vals.windows(2) {
        isless_cmp(&w[0], &w[1])?;
    }
    if let Some(f) = vals.first() {
        // Every element must be comparable with the first (mixed kinds fail here).
        for v in vals {
            isless_cmp(f, v)?;
        }
    }
    let mut perm: Vec<usize> = (0..vals.len()).collect();
    let mut ok = true;
    perm.sort_by(|&i, &j| {
        let o = isless_cmp(&vals[i], &vals[j]).unwrap_or_else(|| {
            ok = false;
            Ordering::Equal
        });
        if rev {
            o.reverse()
        } else {
            o
        }
    });
    ok.then_some(perm)
}

fn has_custom_order(kw: Option<&Value>) -> bool {
    let by = super::kwarg(kw, "by");
    let lt = super::kwarg(kw, "lt");
    by.is_some() || lt.is_some()
}

/// Tail-call `name(v, by, lt, rev)` in jlx (defaults: identity, isless).
fn sort_generic(vm: &mut Vm, name: &str, v: &Value, kw: Option<&Value>) -> NResult {
    let by = super::kwarg(kw, "by").unwrap_or(Value::Nothing);
    let lt = super::kwarg(kw, "lt").unwrap_or(Value::Nothing);
    let rev = super::kwarg(kw, "rev").unwrap_or(Value::Bool(false));
    generic_call(vm, name, &[v.clone(), by, lt, rev])
}

fn sort(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "sort", args)) };
    if let Value::Obj(o) = x {
        if matches!(&**o, Obj::Dict(_) | Obj::Set(_)) {
            return Err(no_method(vm, "sort", args));
        }
    }
    if has_custom_order(kw) {
        let copy = match x {
            Value::Tuple(_) => x.clone(),
            _ => super::arrays_lib::copy_value(&to_vector(vm, x)?),
        };
        return sort_generic(vm, "__sort_by__", &copy, kw);
    }
    let rev = truthy(super::kwarg(kw, "rev"));
    let Some(vals) = items(x) else { return Err(no_method(vm, "sort", args)) };
    let Some(perm) = sorted_values(&vals, rev) else {
        let copy = match x {
            Value::Tuple(_) => x.clone(),
            _ => super::arrays_lib::copy_value(&to_vector(vm, x)?),
        };
        return sort_generic(vm, "__sort_by__", &copy, kw);
    };
    let out: Vec<Value> = perm.into_iter().map(|i| vals[i].clone()).collect();
    match x {
        Value::Tuple(_) => Ok(Value::tuple(out)),
        _ => {
            let elt = elt_of(vm, x);
            typed_vector(&elt, out)
        }
    }
}

/// A Vector with the elements of `x` (arrays are returned as they are).
fn to_vector(vm: &mut Vm, x: &Value) -> NResult {
    match x {
        Value::Array(_) => Ok(x.clone()),
        _ => match items(x) {
            Some(v) => {
                let elt = elt_of(vm, x);
                typed_vector(&elt, v)
            }
            None => Err(no_method(vm, "collect", std::slice::from_ref(x))),
        },
    }
}

fn sort_bang(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    let [x @ Value::Array(a)] = args else { return Err(no_method(vm, "sort!", args)) };
    if has_custom_order(kw) {
        return sort_generic(vm, "__sort_inplace__", x, kw);
    }
    let rev = truthy(super::kwarg(kw, "rev"));
    let vals = a.inner.lock().data.to_values();
    let Some(perm) = sorted_values(&vals, rev) else { return sort_generic(vm, "__sort_inplace__", x, kw) };
    let out: Vec<Value> = perm.into_iter().map(|i| vals[i].clone()).collect();
    let mut g = a.inner.lock();
    for (k, v) in out.into_iter().enumerate() {
        arrays::store(&mut g.data, k, v)?;
    }
    drop(g);
    Ok(x.clone())
}

fn sortperm(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "sortperm", args)) };
    if has_custom_order(kw) {
        return sort_generic(vm, "__sortperm_by__", x, kw);
    }
    let rev = truthy(super::kwarg(kw, "rev"));
    let Some(vals) = items(x) else { return Err(no_method(vm, "sortperm", args)) };
    match sorted_values(&vals, rev) {
        Some(perm) => {
            Ok(super::arrays_lib::vec_value(ArrayData::Int(perm.into_iter().map(|i| i as i64 + 1).collect())))
        }
        None => sort_generic(vm, "__sortperm_by__", x, kw),
    }
}

fn issorted(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "issorted", args)) };
    if has_custom_order(kw) {
        return sort_generic(vm, "__issorted_by__", x, kw);
    }
    let rev = truthy(super::kwarg(kw, "rev"));
    let Some(vals) = items(x) else { return Err(no_method(vm, "issorted", args)) };
    for w in vals.windows(2) {
        let (a, b) = if rev { (&w[0], &w[1]) } else { (&w[1], &w[0]) };
        match isless_cmp(a, b) {
            Some(Ordering::Less) => return Ok(Value::Bool(false)),
            Some(_) => {}
            None => return sort_generic(vm, "__issorted_by__", x, kw),
        }
    }
    Ok(Value::Bool(true))
}

// ---------- numeric reductions ----------

fn num_add(a: &Value, b: &Value) -> Option<Value> {
    Some(match (a, b) {
        (Value::Int(x), Value::Int(y)) => Value::Int(x.wrapping_add(*y)),
        (Value::Float(x), Value::Float(y)) => Value::Float(x + y),
        _ => {
            let (x, y) = (num(a)?, num(b)?);
            match (x, y) {
                (N::I(p), N::I(q)) => Value::Int(p.wrapping_add(q)),
                _ => Value::Float(x.f() + y.f()),
            }
        }
    })
}

fn num_mul(a: &Value, b: &Value) -> Option<Value> {
    let (x, y) = (num(a)?, num(b)?);
    Some(match (x, y) {
        (N::I(p), N::I(q)) => Value::Int(p.wrapping_mul(q)),
        _ => Value::Float(x.f() * y.f()),
    })
}

#[derive(Clone, Copy)]
enum N {
    I(i64),
    F(f64),
}

impl N {
    fn f(self) -> f64 {
        match self {
            N::I(i) => i as f64,
            N::F(f) => f,
        }
    }
}

fn num(v: &Value) -> Option<N> {
    match v {
        Value::Int(i) => Some(N::I(*i)),
        Value::Bool(b) => Some(N::I(*b as i64)),
        Value::Float(f) => Some(N::F(*f)),
        _ => None,
    }
}

fn empty_reduce() -> Flow {
    errors::argument_error(
        "reducing over an empty collection is not allowed; consider supplying `init` to the reducer",
    )
}

/// Zero/one of the element type of an empty collection.
fn neutral(vm: &Vm, x: &Value, one: bool) -> Option<Value> {
    match elt_of(vm, x).id() {
        Some(tid::INT64) | Some(tid::BOOL) => Some(Value::Int(one as i64)),
        Some(tid::FLOAT64) => Some(Value::Float(one as i64 as f64)),
        _ => None,
    }
}

/// Reductions with a function or `init`/`dims` keywords go to jlx.
fn reduce_kw_fallback(vm: &mut Vm, name: &str, args: &[Value], kw: Option<&Value>) -> Option<NResult> {
    if args.len() == 2 && !matches!(args[0], Value::Array(_)) {
        return None;
    }
    if let Some(k) = kw {
        if super::kwarg(kw, "dims").is_some() {
            if let Some(r) = dims_reduce(vm, name, args, kw) {
                return Some(r);
            }
        }
        let _ = k;
        return vm
            .base_func(&format!("__{name}_kw__"))
            .map(|f| Err(Flow::Call(Value::Func(f), args.to_vec(), kw.cloned())));
    }
    None
}

/// Left fold of numeric values with `op` (`None`: some value is not a
/// built-in number). The first element counts as itself, a `Bool` as `Int`
/// (Julia's `reduce_first(+, ::Bool)`).
fn fold_values(vals: &[Value], op: fn(&Value, &Value) -> Option<Value>) -> Option<Value> {
    let (first, rest) = vals.split_first()?;
    let mut acc = match first {
        Value::Bool(b) => Value::Int(*b as i64),
        v => v.clone(),
    };
    for v in rest {
        acc = op(&acc, v)?;
    }
    num(&acc).map(|_| acc)
}

/// `sum`/`prod` of an array's values in Julia's order for arrays
/// (`kernels::reduce_pairwise`); `None`: some value is not a built-in number.
fn reduce_values(vals: &[Value], op: fn(&Value, &Value) -> Option<Value>, mul: bool) -> Option<Value> {
    let r = match vals {
        // `reduce_first`: a lone Bool is summed as an Int, multiplied as itself
        [Value::Bool(b)] if !mul => Value::Int(*b as i64),
        _ => kernels::reduce_pairwise(vals, &mut |x: &Value, y: &Value| op(x, y))?,
    };
    num(&r).map(|_| r)
}

/// `sum`/`prod` of typed array storage without building `Value`s; `None`
/// for `Any` storage.
fn reduce_typed(d: &ArrayData, mul: bool) -> Option<Value> {
    Some(match (d, mul) {
        (ArrayData::Float(v), false) => Value::Float(kernels::sum_f64(v)),
        (ArrayData::Float(v), true) => Value::Float(kernels::prod_f64(v)),
        // wrapping Int arithmetic is associative: any order gives Julia's result
        (ArrayData::Int(v), false) => Value::Int(v.iter().fold(0i64, |s, x| s.wrapping_add(*x))),
        (ArrayData::Int(v), true) => Value::Int(v.iter().fold(1i64, |s, x| s.wrapping_mul(*x))),
        // `sum` of Bools is `count`; `prod` of Bools stays Bool (`true * true`)
        (ArrayData::Bool(v), false) => Value::Int(v.iter().filter(|b| **b).count() as i64),
        (ArrayData::Bool(v), true) => Value::Bool(v.iter().all(|b| *b)),
        (ArrayData::Any(..), _) => return None,
    })
}

/// Julia's `sum(r::AbstractRange{<:Real})` for integer ranges:
/// `l * first + step * l * (l - 1) / 2` with the halving done on the even
/// factor, in wrapping `Int` arithmetic.
fn int_range_sum(first: i64, step: i64, len: i64) -> i64 {
    let tail = if len % 2 == 0 {
        step.wrapping_mul(len.wrapping_sub(1)).wrapping_mul(len >> 1)
    } else {
        step.wrapping_mul(len).wrapping_mul(len.wrapping_sub(1) >> 1)
    };
    len.wrapping_mul(first).wrapping_add(tail)
}

fn sum(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    if let Some(r) = reduce_kw_fallback(vm, "sum", args, kw) {
        return r;
    }
    let [x] = args else { return Err(no_method(vm, "sum", args)) };
    match range_of(x) {
        Some(r @ Range::Unit(a, _)) => return Ok(Value::Int(int_range_sum(a, 1, r.len().max(0)))),
        Some(r @ Range::Step(a, s, _)) => return Ok(Value::Int(int_range_sum(a, s, r.len().max(0)))),
        _ => {}
    }
    let vals = match x {
        Value::Array(a) => {
            let g = a.inner.lock();
            if let Some(v) = reduce_typed(&g.data, false) {
                return Ok(v);
            }
            let vals = g.data.to_values();
            drop(g);
            if vals.is_empty() {
                return neutral(vm, x, false).ok_or_else(empty_reduce);
            }
            return match reduce_values(&vals, num_add, false) {
                Some(v) => Ok(v),
                None => generic_call(vm, "__sum_iter__", args),
            };
        }
        _ => items(x),
    };
    let Some(vals) = vals else { return generic_call(vm, "__sum_iter__", args) };
    if vals.is_empty() {
        return neutral(vm, x, false).ok_or_else(empty_reduce);
    }
    match fold_values(&vals, num_add) {
        Some(v) => Ok(v),
        None => generic_call(vm, "__sum_iter__", args),
    }
}

fn prod(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    if let Some(r) = reduce_kw_fallback(vm, "prod", args, kw) {
        return r;
    }
    let [x] = args else { return Err(no_method(vm, "prod", args)) };
    let vals = match x {
        Value::Array(a) => {
            let g = a.inner.lock();
            if let Some(v) = reduce_typed(&g.data, true) {
                return Ok(v);
            }
            let vals = g.data.to_values();
            drop(g);
            if vals.is_empty() {
                return neutral(vm, x, true).ok_or_else(empty_reduce);
            }
            return match reduce_values(&vals, num_mul, true) {
                Some(v) => Ok(v),
                None => generic_call(vm, "__prod_iter__", args),
            };
        }
        _ => items(x),
    };
    let Some(vals) = vals else { return generic_call(vm, "__prod_iter__", args) };
    if vals.is_empty() {
        return neutral(vm, x, true).ok_or_else(empty_reduce);
    }
    match fold_values(&vals, num_mul) {
        Some(v) => Ok(v),
        None => generic_call(vm, "__prod_iter__", args),
    }
}

/// Index and value of the extreme element by `isless` (first one wins ties; NaN wins).
fn extreme(vals: &[Value], max: bool) -> Option<Option<(usize, Value)>> {
    if vals.is_empty() {
        return Some(None);
    }
    let mut best = 0usize;
    for (i, v) in vals.iter().enumerate().skip(1) {
        let b = &vals[best];
        if let Value::Float(f) = b {
            if f.is_nan() {
                break;
            }
        }
        if let Value::Float(f) = v {
            if f.is_nan() {
                best = i;
                break;
            }
        }
        let o = isless_cmp(v, b)?;
        let better = if max { o == Ordering::Greater } else { o == Ordering::Less };
        if better {
            best = i;
        }
    }
    Some(Some((best, vals[best].clone())))
}

/// Reduction values and their keys (indices, or Dict keys).
fn keyed(x: &Value) -> Option<(Vec<Value>, Vec<Value>)> {
    if let Value::Obj(o) = x {
        if let Obj::Dict(d) = &**o {
            let g = d.data.lock();
            let (mut ks, mut vs) = (Vec::new(), Vec::new());
            for (k, v) in g.entries.iter().flatten() {
                ks.push(k.clone());
                vs.push(v.clone());
            }
            return Some((vs, ks));
        }
    }
    let vals = items(x)?;
    let keys = (1..=vals.len() as i64).map(Value::Int).collect();
    Some((vals, keys))
}

/// `maximum`/`minimum` of typed storage without building `Value`s:
/// `Some(None)` when empty, `None` for `Any` storage.
fn extreme_typed(d: &ArrayData, max: bool) -> Option<Option<Value>> {
    Some(match d {
        ArrayData::Float(v) => {
            let op = if max { kernels::max_f64 } else { kernels::min_f64 };
            v.split_first().map(|(first, rest)| {
                let mut acc = *first;
                for &x in rest {
                    if acc.is_nan() {
                        break;
                    }
                    acc = op(acc, x);
                }
                Value::Float(acc)
            })
        }
        ArrayData::Int(v) => (if max { v.iter().max() } else { v.iter().min() }).map(|i| Value::Int(*i)),
        ArrayData::Bool(v) => (!v.is_empty())
            .then(|| Value::Bool(if max { v.iter().any(|b| *b) } else { v.iter().all(|b| *b) })),
        ArrayData::Any(..) => return None,
    })
}

/// Julia's `maximum`/`minimum` of a range: its first or last element
/// (`max(first, last)` for a step range), an error when it is empty.
fn range_extreme(r: Range, max: bool) -> Result<Value, Flow> {
    let n = r.len();
    if n <= 0 {
        return Err(errors::argument_error("range must be non-empty"));
    }
    let (first, last) = (r.get(0), r.get(n - 1));
    Ok(match (first, last) {
        (Value::Int(a), Value::Int(b)) => Value::Int(if max { a.max(b) } else { a.min(b) }),
        (Value::Float(a), Value::Float(b)) => {
            Value::Float(if max { kernels::max_f64(a, b) } else { kernels::min_f64(a, b) })
        }
        (a, _) => a,
    })
}

fn max_min(vm: &mut Vm, name: &str, args: &[Value], kw: Option<&Value>, max: bool) -> NResult {
    if let Some(r) = reduce_kw_fallback(vm, name, args, kw) {
        return r;
    }
    let [x] = args else { return Err(no_method(vm, name, args)) };
    if let Some(r) = range_of(x) {
        return range_extreme(r, max);
    }
    if let Value::Array(a) = x {
        match extreme_typed(&a.inner.lock().data, max) {
            Some(Some(v)) => return Ok(v),
            Some(None) => return Err(empty_reduce()),
            None => {}
        }
    }
    let Some(vals) = items(x) else { return generic_call(vm, &format!("__{name}_iter__"), args) };
    match extreme(&vals, max) {
        Some(Some((_, v))) => Ok(v),
        Some(None) => Err(empty_reduce()),
        None => generic_call(vm, &format!("__{name}_iter__"), args),
    }
}

fn maximum(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    max_min(vm, "maximum", args, kw, true)
}

fn minimum(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    max_min(vm, "minimum", args, kw, false)
}

fn extrema(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    if let Some(r) = reduce_kw_fallback(vm, "extrema", args, kw) {
        return r;
    }
    let [x] = args else { return Err(no_method(vm, "extrema", args)) };
    let Some(vals) = items(x) else { return generic_call(vm, "__extrema_iter__", args) };
    match (extreme(&vals, false), extreme(&vals, true)) {
        (Some(Some((_, lo))), Some(Some((_, hi)))) => Ok(Value::tuple(vec![lo, hi])),
        (Some(None), _) => Err(empty_reduce()),
        _ => generic_call(vm, "__extrema_iter__", args),
    }
}

fn find_extreme(vm: &mut Vm, name: &str, args: &[Value], max: bool, want_value: bool) -> NResult {
    let [x] = args else { return Err(no_method(vm, name, args)) };
    let Some((vals, keys)) = keyed(x) else { return generic_call(vm, &format!("__{name}_iter__"), args) };
    match extreme(&vals, max) {
        Some(Some((i, v))) => {
            Ok(if want_value { Value::tuple(vec![v, keys[i].clone()]) } else { keys[i].clone() })
        }
        Some(None) => Err(errors::argument_error("collection must be non-empty")),
        None => generic_call(vm, &format!("__{name}_iter__"), args),
    }
}

fn argmax(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    find_extreme(vm, "argmax", args, true, false)
}

fn argmin(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    find_extreme(vm, "argmin", args, false, false)
}

fn findmax(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    find_extreme(vm, "findmax", args, true, true)
}

fn findmin(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    find_extreme(vm, "findmin", args, false, true)
}

/// `sum(A; dims=d)` etc. for matrices.
fn dims_reduce(vm: &mut Vm, name: &str, args: &[Value], kw: Option<&Value>) -> Option<NResult> {
    let [Value::Array(a)] = args else { return None };
    let d = int_of(&super::kwarg(kw, "dims")?)?;
    let (dims, vals) = {
        let g = a.inner.lock();
        (g.dims.clone(), g.data.to_values())
    };
    if dims.len() != 2 || !(1..=2).contains(&d) {
        return None;
    }
    let (r, c) = (dims[0], dims[1]);
    let groups: Vec<Vec<Value>> = if d == 1 {
        (0..c).map(|j| (0..r).map(|i| vals[j * r + i].clone()).collect()).collect()
    } else {
        (0..r).map(|i| (0..c).map(|j| vals[j * r + i].clone()).collect()).collect()
    };
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        // Along rows Julia accumulates column after column, left to right
        // (not pairwise as for a whole array).
        if d == 2 && !g.is_empty() && matches!(name, "sum" | "prod") {
            if let Some(x) = fold_values(&g, if name == "sum" { num_add } else { num_mul }) {
                out.push(x);
                continue;
            }
        }
        let v = vector(vm, g);
        let r = match name {
            "sum" => sum(vm, &[v], None),
            "prod" => prod(vm, &[v], None),
            "maximum" => maximum(vm, &[v], None),
            "minimum" => minimum(vm, &[v], None),
            _ => return None,
        };
        match r {
            Ok(x) => out.push(x),
            Err(e) => return Some(Err(e)),
        }
    }
    let rdims = if d == 1 { vec![1, c] } else { vec![r, 1] };
    let elt = crate::arrays::promote_eltype(&vm.world, &out);
    Some(data_for(&elt, out).map(|data| new_array(rdims, data)))
}

fn cum(vm: &mut Vm, name: &str, args: &[Value], mul: bool) -> NResult {
    let [x] = args else { return Err(no_method(vm, name, args)) };
    let Some(vals) = items(x) else { return Err(no_method(vm, name, args)) };
    let mut out = Vec::with_capacity(vals.len());
    let mut acc: Option<Value> = None;
    for v in vals {
        let v = match v {
            Value::Bool(b) => Value::Int(b as i64),
            v => v,
        };
        let next = match &acc {
            None => v,
            Some(a) => match if mul { num_mul(a, &v) } else { num_add(a, &v) } {
                Some(r) => r,
                None => return generic_call(vm, &format!("__{name}_iter__"), args),
            },
        };
        out.push(next.clone());
        acc = Some(next);
    }
    let elt = match elt_of(vm, x).id() {
        Some(tid::BOOL) => JType::data(tid::INT64),
        _ => elt_of(vm, x),
    };
    let dims = match x {
        Value::Array(a) => a.inner.lock().dims.clone(),
        _ => vec![out.len()],
    };
    let dims = if dims.len() == 1 { dims } else { vec![out.len()] };
    if let Value::Tuple(_) = x {
        return Ok(Value::tuple(out));
    }
    Ok(new_array(dims, data_for(&elt, out.clone()).or_else(|_| data_for(&JType::any(), out))?))
}

fn cumsum(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    cum(vm, "cumsum", args, false)
}

fn cumprod(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    cum(vm, "cumprod", args, true)
}

/// The elements of `args[0]` when they are all `Bool`s; `None` when it
/// is no sequence; a non-`Bool` element throws `not_bool(element)`.
fn bools(
    vm: &mut Vm,
    name: &str,
    args: &[Value],
    not_bool: fn(&Value) -> Flow,
) -> Result<Option<Vec<bool>>, Flow> {
    let [x] = args else { return Err(no_method(vm, name, args)) };
    let Some(vals) = items(x) else { return Ok(None) };
    let mut out = Vec::with_capacity(vals.len());
    for v in vals {
        match v {
            Value::Bool(b) => out.push(b),
            other => return Err(not_bool(&other)),
        }
    }
    Ok(Some(out))
}

fn count(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    if let [Value::Str(_) | Value::Char(_), Value::Str(_)] = args {
        // TODO: strings::string_count once it exists.
        return Err(no_method(vm, "count", args));
    }
    if args.len() != 1 {
        return Err(no_method(vm, "count", args));
    }
    let _ = kw;
    // `count(itr)` is `n += x::Bool` per element, in Julia.
    match bools(vm, "count", args, errors::not_bool_typeassert)? {
        Some(b) => Ok(Value::Int(b.iter().filter(|x| **x).count() as i64)),
        None => generic_call(vm, "__count_iter__", args),
    }
}

fn any(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "any", args)) };
    let Some(vals) = items(x) else { return generic_call(vm, "__any_iter__", args) };
    for v in vals {
        match v {
            Value::Bool(true) => return Ok(Value::Bool(true)),
            Value::Bool(false) => {}
            other => return Err(errors::non_boolean(&other)),
        }
    }
    Ok(Value::Bool(false))
}

fn all(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "all", args)) };
    let Some(vals) = items(x) else { return generic_call(vm, "__all_iter__", args) };
    for v in vals {
        match v {
            Value::Bool(false) => return Ok(Value::Bool(false)),
            Value::Bool(true) => {}
            other => return Err(errors::non_boolean(&other)),
        }
    }
    Ok(Value::Bool(true))
}

fn find_bools(vm: &mut Vm, name: &str, args: &[Value]) -> Result<Vec<bool>, Flow> {
    // `findall(A)` and `findfirst(A)` test `if a`, in Julia.
    match bools(vm, name, args, errors::non_boolean)? {
        Some(b) => Ok(b),
        None => Err(no_method(vm, name, args)),
    }
}

fn findfirst(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if let [_, Value::Str(_)] = args {
        return super::strings::string_findfirst(vm, args);
    }
    let b = find_bools(vm, "findfirst", args)?;
    Ok(b.iter().position(|x| *x).map(|i| Value::Int(i as i64 + 1)).unwrap_or(Value::Nothing))
}

fn findlast(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if let [_, Value::Str(_)] = args {
        return super::strings::string_findlast(vm, args);
    }
    let b = find_bools(vm, "findlast", args)?;
    Ok(b.iter().rposition(|x| *x).map(|i| Value::Int(i as i64 + 1)).unwrap_or(Value::Nothing))
}

fn findall(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if let [_, Value::Str(_)] = args {
        return super::strings::string_findall(vm, args, _kw);
    }
    let b = find_bools(vm, "findall", args)?;
    let idx: Vec<i64> = b.iter().enumerate().filter(|(_, x)| **x).map(|(i, _)| i as i64 + 1).collect();
    Ok(super::arrays_lib::vec_value(ArrayData::Int(idx)))
}

fn findnext(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if let [_, Value::Str(_), _] = args {
        return super::strings::string_findnext(vm, args);
    }
    let [x, i] = args else { return Err(no_method(vm, "findnext", args)) };
    let Some(i) = int_of(i) else { return Err(no_method(vm, "findnext", args)) };
    let b = find_bools(vm, "findnext", std::slice::from_ref(x))?;
    let start = (i.max(1) - 1) as usize;
    Ok((start..b.len()).find(|&k| b[k]).map(|k| Value::Int(k as i64 + 1)).unwrap_or(Value::Nothing))
}

fn findprev(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if let [_, Value::Str(_), _] = args {
        return super::strings::string_findprev(vm, args);
    }
    let [x, i] = args else { return Err(no_method(vm, "findprev", args)) };
    let Some(i) = int_of(i) else { return Err(no_method(vm, "findprev", args)) };
    let b = find_bools(vm, "findprev", std::slice::from_ref(x))?;
    if i < 1 {
        return Ok(Value::Nothing);
    }
    let end = (i as usize).min(b.len());
    Ok((0..end).rev().find(|&k| b[k]).map(|k| Value::Int(k as i64 + 1)).unwrap_or(Value::Nothing))
}

// ---------- membership and sets ----------

fn user_eq(vm: &mut Vm) -> bool {
    match vm.base_func("==") {
        Some(f) => vm.world.funcs[f.0 as usize].methods.iter().any(|m| !m.is_native()),
        None => false,
    }
}

fn is_user_obj(v: &Value) -> bool {
    matches!(v, Value::Obj(o) if matches!(&**o, Obj::Struct(s) if s.ty.0 >= tid::COUNT) || matches!(&**o, Obj::MStruct(_)))
}

/// `x in c`; `None` when jlx `==` must decide.
fn contains(vm: &mut Vm, x: &Value, c: &Value) -> Result<Option<bool>, Flow> {
    match c {
        Value::Obj(o) => match &**o {
            Obj::Set(d) => return Ok(Some(d.data.lock().get(x).is_some())),
            Obj::Keys(Value::Obj(io)) => {
                if let Obj::Dict(d) = &**io {
                    return Ok(Some(d.data.lock().get(x).is_some()));
                }
            }
            Obj::Dict(d) => {
                let Some((k, v)) = super::core::pair_parts(x) else {
                    return Err(errors::argument_error(
                        "AbstractDict collections only contain Pairs;\nEither look for e.g. A=>B instead, or use the `keys` or `values` function if you are looking for a key or value respectively.",
                    ));
                };
                let g = d.data.lock();
                return Ok(Some(matches!(g.get(k), Some(w) if super::core::values_eq(v, w))));
            }
            Obj::Range(r) => {
                if let Value::Int(i) = x {
                    return Ok(Some(match *r {
                        Range::Unit(a, b) => a <= *i && *i <= b,
                        Range::Step(a, s, _) => {
                            let n = r.len();
                            n > 0 && (i - a) % s == 0 && (0..n).contains(&((i - a) / s))
                        }
                        Range::Float(..) => {
                            items(c).unwrap_or_default().iter().any(|v| super::core::values_eq(x, v))
                        }
                    }));
                }
            }
            _ => {}
        },
        Value::Str(s) => {
            return match x {
                Value::Char(ch) => Ok(Some(s.0.contains(*ch))),
                _ => Err(no_method(vm, "in", &[x.clone(), c.clone()])),
            };
        }
        _ => {}
    }
    let Some(vals) = items(c) else { return Ok(None) };
    if (is_user_obj(x) || vals.iter().any(is_user_obj)) && user_eq(vm) {
        return Ok(None);
    }
    Ok(Some(vals.iter().any(|v| super::core::values_eq(x, v))))
}

fn in_(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    // `in(collection)`: Julia's `Base.Fix2(in, collection)`, `y -> y in collection`.
    if let [c] = args {
        return super::core::fix2(vm, "in", c);
    }
    let [x, c] = args else { return Err(no_method(vm, "in", args)) };
    match contains(vm, x, c)? {
        Some(b) => Ok(Value::Bool(b)),
        None => generic_call(vm, "__in_iter__", args),
    }
}

fn not_in(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x, c] = args else { return Err(no_method(vm, "∉", args)) };
    match contains(vm, x, c)? {
        Some(b) => Ok(Value::Bool(!b)),
        None => generic_call(vm, "__notin_iter__", args),
    }
}

fn dedup(vals: Vec<Value>) -> Vec<Value> {
    let mut seen = DictData::default();
    let mut out = Vec::new();
    for v in vals {
        if seen.get(&v).is_none() {
            seen.insert(v.clone(), Value::Nothing);
            out.push(v);
        }
    }
    out
}

pub(crate) fn make_set(kt: JType, vals: Vec<Value>) -> Value {
    let mut d = DictData::default();
    for v in vals {
        d.insert(v, Value::Nothing);
    }
    Value::obj(Obj::Set(Box::new(DictObj {
        key_type: kt,
        val_type: JType::data(tid::NOTHING),
        data: Mutex::new(d),
    })))
}

fn is_set(v: &Value) -> bool {
    matches!(v, Value::Obj(o) if matches!(&**o, Obj::Set(_)))
}

/// Join element types: equal stays, Int/Float/Bool promote, else Any.
fn join_types(ts: &[JType]) -> JType {
    if ts.is_empty() {
        return JType::any();
    }
    if ts.iter().all(|t| *t == ts[0]) {
        return ts[0].clone();
    }
    let num =
        |t: &JType| matches!(t.id(), Some(tid::INT64 | tid::FLOAT64 | tid::BOOL)) && t.param(0).is_none();
    if ts.iter().all(num) {
        return if ts.iter().any(|t| t.id() == Some(tid::FLOAT64)) {
            JType::data(tid::FLOAT64)
        } else {
            JType::data(tid::INT64)
        };
    }
    JType::any()
}

fn result_of(vm: &mut Vm, like: &Value, elt: JType, vals: Vec<Value>) -> NResult {
    if is_set(like) {
        let mut conv = Vec::with_capacity(vals.len());
        for v in vals {
            conv.push(super::convert_to(vm, &elt, v)?);
        }
        Ok(make_set(elt, conv))
    } else {
        typed_vector(&elt, vals)
    }
}

fn all_items(vm: &mut Vm, name: &str, args: &[Value]) -> Result<Vec<Vec<Value>>, Flow> {
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        match items(a) {
            Some(v) => out.push(v),
            None => return Err(no_method(vm, name, args)),
        }
    }
    Ok(out)
}

fn unique(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "unique", args)) };
    let Some(vals) = items(x) else { return generic_call(vm, "__unique_iter__", args) };
    let elt = elt_of(vm, x);
    let out = dedup(vals);
    match x {
        Value::Tuple(_) => Ok(vector(vm, out)),
        _ => typed_vector(&elt, out),
    }
}

fn allunique(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "allunique", args)) };
    let Some(vals) = items(x) else { return Err(no_method(vm, "allunique", args)) };
    let n = vals.len();
    Ok(Value::Bool(dedup(vals).len() == n))
}

fn union(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if args.is_empty() {
        return Err(no_method(vm, "union", args));
    }
    let lists = all_items(vm, "union", args)?;
    let ts: Vec<JType> = args.iter().map(|a| elt_of(vm, a)).collect();
    let elt = join_types(&ts);
    let vals = dedup(lists.into_iter().flatten().collect());
    result_of(vm, &args[0], elt, vals)
}

fn member_set(vals: &[Value]) -> DictData {
    let mut d = DictData::default();
    for v in vals {
        d.insert(v.clone(), Value::Nothing);
    }
    d
}

fn intersect(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if args.is_empty() {
        return Err(no_method(vm, "intersect", args));
    }
    let lists = all_items(vm, "intersect", args)?;
    let sets: Vec<DictData> = lists[1..].iter().map(|l| member_set(l)).collect();
    let vals: Vec<Value> =
        dedup(lists[0].clone()).into_iter().filter(|v| sets.iter().all(|s| s.get(v).is_some())).collect();
    let ts: Vec<JType> = args.iter().map(|a| elt_of(vm, a)).collect();
    let elt = join_types(&ts);
    result_of(vm, &args[0], elt, vals)
}

fn setdiff(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if args.is_empty() {
        return Err(no_method(vm, "setdiff", args));
    }
    let lists = all_items(vm, "setdiff", args)?;
    let sets: Vec<DictData> = lists[1..].iter().map(|l| member_set(l)).collect();
    let vals: Vec<Value> =
        dedup(lists[0].clone()).into_iter().filter(|v| sets.iter().all(|s| s.get(v).is_none())).collect();
    let elt = elt_of(vm, &args[0]);
    result_of(vm, &args[0], elt, vals)
}

fn symdiff(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [a, b] = args else { return Err(no_method(vm, "symdiff", args)) };
    let lists = all_items(vm, "symdiff", args)?;
    let (sa, sb) = (member_set(&lists[0]), member_set(&lists[1]));
    let mut vals: Vec<Value> = dedup(lists[0].clone()).into_iter().filter(|v| sb.get(v).is_none()).collect();
    vals.extend(dedup(lists[1].clone()).into_iter().filter(|v| sa.get(v).is_none()));
    let ts = [elt_of(vm, a), elt_of(vm, b)];
    let elt = join_types(&ts);
    result_of(vm, a, elt, vals)
}

fn issubset(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [_, _] = args else { return Err(no_method(vm, "issubset", args)) };
    let lists = all_items(vm, "issubset", args)?;
    let s = member_set(&lists[1]);
    Ok(Value::Bool(lists[0].iter().all(|v| s.get(v).is_some())))
}

// ---------- dicts ----------

fn dict_of(v: &Value) -> Option<&DictObj> {
    match v {
        Value::Obj(o) => match &**o {
            Obj::Dict(d) => Some(d),
            _ => None,
        },
        _ => None,
    }
}

fn haskey(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [c, k] = args else { return Err(no_method(vm, "haskey", args)) };
    if let Some(d) = dict_of(c) {
        return Ok(Value::Bool(d.data.lock().get(k).is_some()));
    }
    match c {
        Value::Obj(o) => match &**o {
            Obj::NamedTuple(names, _) => Ok(Value::Bool(matches!(k, Value::Sym(s) if names.contains(s)))),
            _ => Err(no_method(vm, "haskey", args)),
        },
        Value::Array(_) | Value::Tuple(_) => {
            let n = dims_of(c).map(|d| d.iter().product::<usize>()).unwrap_or(0) as i64;
            Ok(Value::Bool(matches!(k, Value::Int(i) if *i >= 1 && *i <= n)))
        }
        _ => Err(no_method(vm, "haskey", args)),
    }
}

fn get(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [c, k, default] = args else { return Err(no_method(vm, "get", args)) };
    if matches!(c, Value::Func(_) | Value::Closure(_)) {
        // get(f, d, k)
        return generic_call(vm, "__get_fn__", args);
    }
    if let Some(d) = dict_of(c) {
        return Ok(d.data.lock().get(k).cloned().unwrap_or_else(|| default.clone()));
    }
    match c {
        Value::Obj(o) => match &**o {
            Obj::NamedTuple(..) => {
                let Value::Sym(s) = k else { return Ok(default.clone()) };
                Ok(crate::fields::namedtuple_get(c, *s).unwrap_or_else(|| default.clone()))
            }
            Obj::Range(_) => match crate::index::get_fast(c, k) {
                Some(Ok(v)) => Ok(v),
                _ => Ok(default.clone()),
            },
            _ => Err(no_method(vm, "get", args)),
        },
        Value::Array(_) | Value::Tuple(_) => match crate::index::get_fast(c, k) {
            Some(Ok(v)) => Ok(v),
            _ => Ok(default.clone()),
        },
        _ => Err(no_method(vm, "get", args)),
    }
}

fn get_bang(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [c, k, default] = args else { return Err(no_method(vm, "get!", args)) };
    if matches!(c, Value::Func(_) | Value::Closure(_)) {
        return generic_call(vm, "__get_bang_fn__", args);
    }
    let Some(d) = dict_of(c) else { return Err(no_method(vm, "get!", args)) };
    if let Some(v) = d.data.lock().get(k) {
        return Ok(v.clone());
    }
    let (kt, vt) = (d.key_type.clone(), d.val_type.clone());
    let key = super::convert_to(vm, &kt, k.clone())?;
    let val = super::convert_to(vm, &vt, default.clone())?;
    d.data.lock().insert(key, val.clone());
    Ok(val)
}

fn delete(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [c, k] = args else { return Err(no_method(vm, "delete!", args)) };
    match c {
        Value::Obj(o) => match &**o {
            Obj::Dict(d) | Obj::Set(d) => {
                d.data.lock().remove(k);
                Ok(c.clone())
            }
            _ => Err(no_method(vm, "delete!", args)),
        },
        _ => Err(no_method(vm, "delete!", args)),
    }
}

fn pop(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Array(_)] => super::arrays_lib::array_pop(vm, args),
        [c @ Value::Obj(o)] => match &**o {
            Obj::Set(d) | Obj::Dict(d) => {
                let mut g = d.data.lock();
                let Some(i) = g.next_slot(0) else {
                    return Err(errors::argument_error(if matches!(&**o, Obj::Set(_)) {
                        "set must be non-empty"
                    } else {
                        "dict must be non-empty"
                    }));
                };
                let (k, v) = g.entries[i].clone().expect("live slot");
                g.remove(&k);
                drop(g);
                let _ = c;
                Ok(if matches!(&**o, Obj::Set(_)) { k } else { errors::exc(tid::PAIR, vec![k, v]) })
            }
            _ => Err(no_method(vm, "pop!", args)),
        },
        [Value::Obj(o), k, rest @ ..] if rest.len() <= 1 => match &**o {
            Obj::Dict(d) | Obj::Set(d) => {
                let is_set = matches!(&**o, Obj::Set(_));
                match d.data.lock().remove(k) {
                    Some(v) => Ok(if is_set { k.clone() } else { v }),
                    None => match rest.first() {
                        Some(def) => Ok(def.clone()),
                        None => Err(errors::key_error(k.clone())),
                    },
                }
            }
            _ => Err(no_method(vm, "pop!", args)),
        },
        _ => Err(no_method(vm, "pop!", args)),
    }
}

fn empty(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    super::arrays_lib::empty_bang(vm, args)
}

fn merge(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if args.iter().all(|a| matches!(a, Value::Obj(o) if matches!(&**o, Obj::NamedTuple(..))))
        && !args.is_empty()
    {
        let mut ns = Vec::new();
        let mut vs: Vec<Value> = Vec::new();
        for a in args {
            let Value::Obj(o) = a else { unreachable!() };
            let Obj::NamedTuple(n, v) = &**o else { unreachable!() };
            for (k, x) in n.iter().zip(v.iter()) {
                if let Some(i) = ns.iter().position(|m| m == k) {
                    vs[i] = x.clone();
                } else {
                    ns.push(*k);
                    vs.push(x.clone());
                }
            }
        }
        return Ok(Value::obj(Obj::NamedTuple(ns.into(), vs.into())));
    }
    let mut kts = Vec::new();
    let mut vts = Vec::new();
    for a in args {
        match dict_of(a) {
            Some(d) => {
                kts.push(d.key_type.clone());
                vts.push(d.val_type.clone());
            }
            None => return Err(no_method(vm, "merge", args)),
        }
    }
    if args.len() > 1 && args[1..].iter().any(|a| matches!(a, Value::Func(_) | Value::Closure(_))) {
        return Err(no_method(vm, "merge", args));
    }
    let (kt, vt) = (join_types(&kts), join_types(&vts));
    // `merge` keeps the kind of its first argument (an `IdDict` stays one).
    let mut data = DictData::with_ident(dict_of(&args[0]).is_some_and(|d| d.data.lock().ident));
    for a in args {
        let d = dict_of(a).unwrap();
        let entries: Vec<(Value, Value)> = d.data.lock().entries.iter().flatten().cloned().collect();
        for (k, v) in entries {
            let k = super::convert_to(vm, &kt, k)?;
            let v = super::convert_to(vm, &vt, v)?;
            data.insert(k, v);
        }
    }
    Ok(Value::obj(Obj::Dict(Box::new(DictObj { key_type: kt, val_type: vt, data: Mutex::new(data) }))))
}

fn merge_bang(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [dst, srcs @ ..] = args else { return Err(no_method(vm, "merge!", args)) };
    if matches!(dst, Value::Func(_) | Value::Closure(_)) {
        return generic_call(vm, "__merge_fn_bang__", args);
    }
    let Some(d) = dict_of(dst) else { return Err(no_method(vm, "merge!", args)) };
    let (kt, vt) = (d.key_type.clone(), d.val_type.clone());
    for s in srcs {
        let Some(sd) = dict_of(s) else { return Err(no_method(vm, "merge!", args)) };
        let entries: Vec<(Value, Value)> = sd.data.lock().entries.iter().flatten().cloned().collect();
        for (k, v) in entries {
            let k = super::convert_to(vm, &kt, k)?;
            let v = super::convert_to(vm, &vt, v)?;
            d.data.lock().insert(k, v);
        }
    }
    Ok(dst.clone())
}

#[allow(dead_code)]
fn pair_type(k: JType, v: JType) -> JType {
    JType::with(tid::PAIR, vec![TParam::Type(k), TParam::Type(v)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_order_puts_nan_last() {
        assert_eq!(float_isless(1.0, f64::NAN), Ordering::Less);
        assert_eq!(float_isless(f64::NAN, 1.0), Ordering::Greater);
        assert_eq!(float_isless(-0.0, 0.0), Ordering::Less);
    }

    #[test]
    fn sorts_ints_stably() {
        let v = vec![Value::Int(3), Value::Int(1), Value::Int(2)];
        assert_eq!(sorted_values(&v, false).unwrap(), vec![1, 2, 0]);
        assert_eq!(sorted_values(&v, true).unwrap(), vec![0, 2, 1]);
    }
}
