//! Array arithmetic (`Base.__arith__`, called by `+ - * / ^` on arrays),
//! matrix products (`Int64`/`Float64` operands read straight from their
//! storage; the kernels are in `kernels.rs`), and broadcasting: a native
//! fast path for pure built-in functions plus the planning helpers used by
//! the jlx `__broadcast__` (which calls user functions).

use super::arrays_lib::{dims_of, generic_call, items, range_of, range_value, vec_value};
use super::kernels;
use super::{no_method, register, NResult, NativeFn};
use crate::arrays::{data_for, new_array};
use crate::errors;
use crate::obj::{Array, ArrayData, Obj, Range};
use crate::runtime::{Flow, MethodBody};
use crate::types::{tid, JType};
use crate::value::Value;
use crate::vm::Vm;
use jlx_bytecode::ModId;
use std::sync::Arc;

pub fn install(rt: &crate::runtime::Runtime) {
    for (n, f) in [
        ("__arith__", arith as NativeFn),
        ("broadcast", broadcast),
        ("__bc_plan__", bc_plan),
        ("__bc_finish__", bc_finish),
        ("dot", dot),
    ] {
        register(rt, ModId::BASE, n, f);
    }
}

fn fmt_dims(d: &[usize]) -> String {
    let inner: Vec<String> = d.iter().map(|x| x.to_string()).collect();
    if d.len() == 1 {
        format!("({},)", inner[0])
    } else {
        format!("({})", inner.join(", "))
    }
}

fn is_container(v: &Value) -> bool {
    match v {
        Value::Array(_) => true,
        Value::Obj(o) => matches!(&**o, Obj::Range(_)),
        _ => false,
    }
}

fn is_scalar_num(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Float(_) | Value::Bool(_))
}

/// `(dims, values)` of an array or range.
fn parts(v: &Value) -> Option<(Vec<usize>, Vec<Value>)> {
    Some((dims_of(v)?, items(v)?))
}

/// Apply the scalar native of Base function `name` to each pair.
fn call_native(vm: &mut Vm, name: &str, args: &[Value]) -> NResult {
    let Some(f) = vm.base_func(name) else { return Err(no_method(vm, name, args)) };
    let methods = vm.world.funcs[f.0 as usize].methods.clone();
    match crate::dispatch::select(&vm.world, &methods, args) {
        Some(m) => match &m.body {
            MethodBody::Native(nf) => nf(vm, args, None),
            MethodBody::Jlx(_) => Err(Flow::Call(Value::Func(f), args.to_vec(), None)),
        },
        None => Err(no_method(vm, name, args)),
    }
}

/// Elementwise `op` over values; `None` if some element needs jlx code.
fn map2(vm: &mut Vm, op: &str, xs: &[Value], ys: &[Value]) -> Result<Option<Vec<Value>>, Flow> {
    let mut out = Vec::with_capacity(xs.len());
    for (x, y) in xs.iter().zip(ys.iter()) {
        match call_native(vm, op, &[x.clone(), y.clone()]) {
            Ok(v) => out.push(v),
            Err(Flow::Call(..)) => return Ok(None),
            Err(e) => return Err(e),
        }
    }
    Ok(Some(out))
}

fn finish(vm: &Vm, dims: Vec<usize>, vals: Vec<Value>) -> NResult {
    let elt = if vals.is_empty() { JType::any() } else { super::arrays_lib::typejoin_values(vm, &vals) };
    let data = data_for(&elt, vals.clone()).unwrap_or(ArrayData::Any(JType::any(), vals));
    Ok(new_array(dims, data))
}

/// `__arith__(op, a[, b])`
fn arith(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Sym(op), rest @ ..] = args else { return Err(no_method(vm, "__arith__", args)) };
    let op = op.as_str().to_string();
    match (op.as_str(), rest) {
        ("-", [a]) if is_container(a) => {
            if let Some(r) = range_of(a) {
                return Ok(neg_range(r));
            }
            let (dims, xs) = parts(a).unwrap();
            let mut out = Vec::with_capacity(xs.len());
            for x in xs {
                out.push(call_native(vm, "-", &[x])?);
            }
            finish(vm, dims, out)
        }
        ("+" | "-", [a, b]) if is_container(a) && is_container(b) => {
            let (da, xs) = parts(a).unwrap();
            let (db, ys) = parts(b).unwrap();
            if da != db {
                let ax = |d: &[usize]| {
                    let v: Vec<String> = d.iter().map(|n| format!("Base.OneTo({n})")).collect();
                    if v.len() == 1 {
                        format!("({},)", v[0])
                    } else {
                        format!("({})", v.join(", "))
                    }
                };
                let at =
                    da.iter().zip(db.iter()).position(|(x, y)| x != y).unwrap_or(da.len().min(db.len())) + 1;
                return Err(errors::dimension_mismatch(format!(
                    "dimensions must match: a has dims {}, b has dims {}, mismatch at {at}",
                    ax(&da),
                    ax(&db)
                )));
            }
            if let (Some(ra), Some(rb)) = (range_of(a), range_of(b)) {
                if let Some(r) = add_ranges(ra, rb, op == "-") {
                    return Ok(r);
                }
            }
            match map2(vm, &op, &xs, &ys)? {
                Some(out) => finish(vm, da, out),
                None => generic_call(vm, "__arith_map__", args),
            }
        }
        ("*", [a, b]) if is_container(a) && is_container(b) => matmul(vm, a, b),
        ("*", [s, a]) | ("*", [a, s]) if is_container(a) && !is_container(s) => {
            scale(vm, "*", a, s, matches!(rest, [x, _] if !is_container(x)))
        }
        ("/", [a, s]) if is_container(a) && !is_container(s) => scale(vm, "/", a, s, false),
        ("^", [a, Value::Int(p)]) if is_container(a) => {
            let Some(d) = dims_of(a) else { return Err(no_method(vm, "^", rest)) };
            if d.len() != 2 || d[0] != d[1] {
                return Err(errors::dimension_mismatch(format!(
                    "matrix is not square: dimensions are {}",
                    fmt_dims(&d)
                )));
            }
            if *p < 0 {
                return Err(no_method(vm, "^", rest));
            }
            let n = d[0];
            let mut acc = identity(a, n);
            for _ in 0..*p {
                acc = matmul(vm, &acc, a)?;
            }
            Ok(acc)
        }
        _ => Err(no_method(vm, &op, rest)),
    }
}

fn identity(a: &Value, n: usize) -> Value {
    let float = matches!(a, Value::Array(x) if matches!(x.inner.lock().data, ArrayData::Float(_)));
    if float {
        let mut v = vec![0.0; n * n];
        for i in 0..n {
            v[i * n + i] = 1.0;
        }
        new_array(vec![n, n], ArrayData::Float(v))
    } else {
        let mut v = vec![0; n * n];
        for i in 0..n {
            v[i * n + i] = 1;
        }
        new_array(vec![n, n], ArrayData::Int(v))
    }
}

fn neg_range(r: Range) -> Value {
    match r {
        Range::Unit(a, b) => range_value(Range::Step(-a, -1, -b)),
        Range::Step(a, s, b) => range_value(Range::Step(-a, -s, -b)),
        Range::Float(a, s, n) => range_value(Range::Float(-a, -s, n)),
    }
}

fn add_ranges(a: Range, b: Range, sub: bool) -> Option<Value> {
    let sg = if sub { -1 } else { 1 };
    let n = a.len();
    let (a0, sa) = match a {
        Range::Unit(x, _) => (x, 1),
        Range::Step(x, s, _) => (x, s),
        Range::Float(..) => return None,
    };
    let (b0, sb) = match b {
        Range::Unit(x, _) => (x, 1),
        Range::Step(x, s, _) => (x, s),
        Range::Float(..) => return None,
    };
    let start = a0 + sg * b0;
    let step = sa + sg * sb;
    if step == 0 {
        return None;
    }
    Some(range_value(Range::Step(start, step, start + (n - 1) * step)))
}

/// Scalar times/over array, elementwise.
fn scale(vm: &mut Vm, op: &str, a: &Value, s: &Value, scalar_first: bool) -> NResult {
    let (dims, xs) = parts(a).unwrap();
    let mut out = Vec::with_capacity(xs.len());
    for x in xs {
        let pair = if scalar_first { [s.clone(), x] } else { [x, s.clone()] };
        match call_native(vm, op, &pair) {
            Ok(v) => out.push(v),
            Err(Flow::Call(..)) => {
                let f = vm.base_func(op).map(Value::Func).unwrap_or(Value::Nothing);
                let args =
                    if scalar_first { vec![f, s.clone(), a.clone()] } else { vec![f, a.clone(), s.clone()] };
                return generic_call(vm, "__broadcast__", &args);
            }
            Err(e) => return Err(e),
        }
    }
    finish(vm, dims, out)
}

fn matrix_f64(vals: &[Value]) -> Option<Vec<f64>> {
    vals.iter()
        .map(|v| match v {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Bool(b) => Some(*b as i64 as f64),
            _ => None,
        })
        .collect()
}

fn matrix_i64(vals: &[Value]) -> Option<Vec<i64>> {
    vals.iter()
        .map(|v| match v {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(*b as i64),
            _ => None,
        })
        .collect()
}

/// The shape of `A * B` from the operands' dimensions.
enum Shape {
    /// `A` is m×k, `B` is k×n (`vector`: `B` is a vector, so is the result).
    Mul {
        m: usize,
        k: usize,
        n: usize,
        vector: bool,
    },
    NoMethod,
    Mismatch(String),
}

fn shape(da: &[usize], db: &[usize]) -> Shape {
    let (m, k) = match da {
        [n] => (*n, 1),
        [r, c] => (*r, *c),
        _ => return Shape::NoMethod,
    };
    let (k2, n, vector) = match db {
        [r] => (*r, 1, true),
        [r, c] => (*r, *c, false),
        _ => return Shape::NoMethod,
    };
    if da.len() == 1 && !vector && k2 != 1 {
        return Shape::Mismatch(format!(
            "matrix A has dimensions {}, matrix B has dimensions {}",
            fmt_dims(&[m, 1]),
            fmt_dims(db)
        ));
    }
    if da.len() == 1 && vector {
        return Shape::NoMethod;
    }
    if k != k2 {
        return Shape::Mismatch(if vector {
            format!("matrix A has dimensions {}, vector B has length {k2}", fmt_dims(da))
        } else {
            format!("matrix A has dimensions {}, matrix B has dimensions {}", fmt_dims(da), fmt_dims(db))
        });
    }
    Shape::Mul { m, k, n, vector }
}

/// `Int64` or `Float64` element storage, borrowed.
#[derive(Clone, Copy)]
enum Num<'a> {
    I(&'a [i64]),
    F(&'a [f64]),
}

fn num_of(d: &ArrayData) -> Option<Num<'_>> {
    match d {
        ArrayData::Int(v) => Some(Num::I(v)),
        ArrayData::Float(v) => Some(Num::F(v)),
        _ => None,
    }
}

fn as_f64<'a>(x: Num<'a>, buf: &'a mut Vec<f64>) -> &'a [f64] {
    match x {
        Num::F(v) => v,
        Num::I(v) => {
            *buf = v.iter().map(|&i| i as f64).collect();
            buf
        }
    }
}

/// `A * B` of `Int64`/`Float64` arrays straight from their storage: `Int`
/// times `Int` stays `Int` (wrapping), anything with a `Float64` is `Float64`.
/// `None` if the dimensions do not make a product (the caller reports it).
fn numeric_product(da: &[usize], x: Num<'_>, db: &[usize], y: Num<'_>) -> Option<Value> {
    let Shape::Mul { m, k, n, vector } = shape(da, db) else { return None };
    let data = match (x, y) {
        (Num::I(p), Num::I(q)) => ArrayData::Int(kernels::gemm_i64(m, k, n, p, q)),
        _ => {
            let (mut bx, mut by) = (Vec::new(), Vec::new());
            ArrayData::Float(kernels::gemm_f64(m, k, n, as_f64(x, &mut bx), as_f64(y, &mut by)))
        }
    };
    Some(new_array(if vector { vec![m] } else { vec![m, n] }, data))
}

/// The typed product of two arrays. Their locks are held for the whole
/// product (no copy of the operands); the second lock is only *tried*
/// while the first is held, and if another thread holds it, the operands
/// are copied out one lock at a time instead, so two threads multiplying
/// the same arrays in opposite orders cannot deadlock.
fn typed_matmul(x: &Arc<Array>, y: &Arc<Array>) -> Option<Value> {
    {
        let gx = x.inner.lock();
        let nx = num_of(&gx.data)?;
        if Arc::ptr_eq(x, y) {
            return numeric_product(&gx.dims, nx, &gx.dims, nx);
        }
        if let Some(gy) = y.inner.try_lock() {
            return numeric_product(&gx.dims, nx, &gy.dims, num_of(&gy.data)?);
        }
    }
    let copy = |a: &Arc<Array>| {
        let g = a.inner.lock();
        num_of(&g.data).map(|_| (g.dims.clone(), g.data.clone()))
    };
    let ((da, dx), (db, dy)) = (copy(x)?, copy(y)?);
    numeric_product(&da, num_of(&dx)?, &db, num_of(&dy)?)
}

fn matmul(vm: &mut Vm, a: &Value, b: &Value) -> NResult {
    if let (Value::Array(x), Value::Array(y)) = (a, b) {
        if let Some(c) = typed_matmul(x, y) {
            return Ok(c);
        }
    }
    let (da, xs) = parts(a).unwrap();
    let (db, ys) = parts(b).unwrap();
    let (m, k, n, vector) = match shape(&da, &db) {
        Shape::Mul { m, k, n, vector } => (m, k, n, vector),
        Shape::NoMethod => return Err(no_method(vm, "*", &[a.clone(), b.clone()])),
        Shape::Mismatch(msg) => return Err(errors::dimension_mismatch(msg)),
    };
    if xs.len() != m * k || ys.len() != k * n {
        // resized by another thread between reading dimensions and elements
        return Err(errors::dimension_mismatch("array dimensions changed during multiplication"));
    }
    let rdims = if vector { vec![m] } else { vec![m, n] };
    if let (Some(p), Some(q)) = (matrix_i64(&xs), matrix_i64(&ys)) {
        return Ok(new_array(rdims, ArrayData::Int(kernels::gemm_i64(m, k, n, &p, &q))));
    }
    if let (Some(p), Some(q)) = (matrix_f64(&xs), matrix_f64(&ys)) {
        return Ok(new_array(rdims, ArrayData::Float(kernels::gemm_f64(m, k, n, &p, &q))));
    }
    // Generic elements: sum of products through the scalar natives.
    let mut out = Vec::with_capacity(m * n);
    for j in 0..n {
        for i in 0..m {
            let mut acc: Option<Value> = None;
            for p in 0..k {
                let prod = call_native(vm, "*", &[xs[p * m + i].clone(), ys[j * k + p].clone()])?;
                acc = Some(match acc {
                    None => prod,
                    Some(s) => call_native(vm, "+", &[s, prod])?,
                });
            }
            out.push(acc.unwrap_or(Value::Int(0)));
        }
    }
    finish(vm, rdims, out)
}

fn dot(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [a, b] = args else { return Err(no_method(vm, "dot", args)) };
    let (Some(xs), Some(ys)) = (items(a), items(b)) else { return Err(no_method(vm, "dot", args)) };
    if xs.len() != ys.len() {
        return Err(errors::dimension_mismatch(format!(
            "first array has length {} which does not match the length of the second, {}.",
            xs.len(),
            ys.len()
        )));
    }
    let mut acc = Value::Int(0);
    for (x, y) in xs.into_iter().zip(ys) {
        let p = call_native(vm, "*", &[x, y])?;
        acc = call_native(vm, "+", &[acc, p])?;
    }
    Ok(acc)
}

// ---------- broadcasting ----------

/// Names of pure Base functions the native broadcast may apply directly.
const PURE: &[&str] = &[
    "+",
    "-",
    "*",
    "/",
    "^",
    "div",
    "rem",
    "mod",
    "%",
    "÷",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "isless",
    "isequal",
    "!",
    "abs",
    "sqrt",
    "exp",
    "log",
    "sin",
    "cos",
    "tan",
    "min",
    "max",
    "round",
    "floor",
    "ceil",
    "trunc",
    "string",
    "length",
    "uppercase",
    "lowercase",
    "iseven",
    "isodd",
    "sign",
    "float",
    "abs2",
    "&",
    "|",
    "xor",
    "⊻",
    "identity",
    "iszero",
    "isnan",
    "log2",
    "log10",
    "exp2",
    "cbrt",
    "inv",
    "zero",
    "one",
];

/// Broadcast shape of the arguments: `None` if all are scalars.
fn bc_dims(args: &[Value]) -> Result<Option<Vec<usize>>, Flow> {
    let mut out: Option<Vec<usize>> = None;
    for a in args {
        let Some(d) = bc_arg_dims(a) else { continue };
        out = Some(match out {
            None => d,
            Some(o) => {
                let n = o.len().max(d.len());
                let mut r = Vec::with_capacity(n);
                for i in 0..n {
                    let (x, y) = (o.get(i).copied().unwrap_or(1), d.get(i).copied().unwrap_or(1));
                    r.push(if x == y || y == 1 {
                        x
                    } else if x == 1 {
                        y
                    } else {
                        return Err(errors::dimension_mismatch(format!(
                            "arrays could not be broadcast to a common size; got a dimension with lengths {x} and {y}"
                        )));
                    });
                }
                r
            }
        });
    }
    Ok(out)
}

fn bc_arg_dims(a: &Value) -> Option<Vec<usize>> {
    match a {
        Value::Array(_) | Value::Tuple(_) => dims_of(a),
        Value::Obj(o) if matches!(&**o, Obj::Range(_)) => dims_of(a),
        _ => None,
    }
}

fn unref(a: &Value) -> Value {
    if let Value::Obj(o) = a {
        if let Obj::Ref(_, c) = &**o {
            return c.lock().clone();
        }
    }
    a.clone()
}

/// Each argument expanded to the full broadcast length (column-major).
fn expand(args: &[Value], dims: &[usize]) -> Vec<Vec<Value>> {
    let n: usize = dims.iter().product();
    args.iter()
        .map(|a| match bc_arg_dims(a) {
            None => vec![unref(a); n],
            Some(d) => {
                let vals = items(a).unwrap_or_default();
                if d.iter().product::<usize>() == n
                    && d.len() <= dims.len()
                    && d.iter().zip(dims).all(|(x, y)| x == y)
                {
                    return vals;
                }
                let mut out = Vec::with_capacity(n);
                let mut idx = vec![0usize; dims.len()];
                for _ in 0..n {
                    let mut k = 0;
                    let mut stride = 1;
                    for (i, &di) in d.iter().enumerate() {
                        if di != 1 {
                            k += idx[i] * stride;
                        }
                        stride *= di;
                    }
                    out.push(vals[k].clone());
                    for (i, &dn) in dims.iter().enumerate() {
                        idx[i] += 1;
                        if idx[i] < dn {
                            break;
                        }
                        idx[i] = 0;
                    }
                }
                out
            }
        })
        .collect()
}

fn all_tuples(args: &[Value]) -> bool {
    args.iter().any(|a| matches!(a, Value::Tuple(_)))
        && args.iter().all(|a| bc_arg_dims(a).is_none() || matches!(a, Value::Tuple(_)))
}

/// Range-preserving broadcasts (`r .+ 1`, `2 .* r`).
fn range_broadcast(vm: &mut Vm, f: &Value, args: &[Value]) -> Option<Value> {
    let Value::Func(id) = f else { return None };
    let name = vm.world.funcs[id.0 as usize].name;
    let name = name.as_str();
    match args {
        [a, Value::Int(k)] | [Value::Int(k), a] if range_of(a).is_some() => {
            let r = range_of(a)?;
            let first_is_range = range_of(&args[0]).is_some();
            match (name, r) {
                ("+", Range::Unit(x, y)) => Some(range_value(Range::Unit(x + k, y + k))),
                ("-", Range::Unit(x, y)) if first_is_range => Some(range_value(Range::Unit(x - k, y - k))),
                ("+", Range::Step(x, s, y)) => Some(range_value(Range::Step(x + k, s, y + k))),
                ("-", Range::Step(x, s, y)) if first_is_range => {
                    Some(range_value(Range::Step(x - k, s, y - k)))
                }
                ("*", Range::Unit(x, y)) if *k != 0 => Some(range_value(Range::Step(x * k, *k, y * k))),
                ("*", Range::Step(x, s, y)) if *k != 0 => Some(range_value(Range::Step(x * k, s * k, y * k))),
                _ => None,
            }
        }
        [a] if name == "-" => Some(neg_range(range_of(a)?)),
        _ => None,
    }
}

fn broadcast(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [f, rest @ ..] = args else { return Err(no_method(vm, "broadcast", args)) };
    if let Some(v) = range_broadcast(vm, f, rest) {
        return Ok(v);
    }
    let Value::Func(id) = f else { return generic_call(vm, "__broadcast__", args) };
    let name = vm.world.funcs[id.0 as usize].name;
    if !PURE.contains(&name.as_str()) || vm.world.funcs[id.0 as usize].module != ModId::BASE {
        return generic_call(vm, "__broadcast__", args);
    }
    if rest.iter().any(|a| matches!(a, Value::Obj(o) if matches!(&**o, Obj::Dict(_) | Obj::Set(_)))) {
        return generic_call(vm, "__broadcast__", args);
    }
    let Some(dims) = bc_dims(rest)? else {
        let plain: Vec<Value> = rest.iter().map(unref).collect();
        return Err(Flow::Call(f.clone(), plain, None));
    };
    let cols = expand(rest, &dims);
    let n: usize = dims.iter().product();
    let methods = vm.world.funcs[id.0 as usize].methods.clone();
    let mut out = Vec::with_capacity(n);
    let mut buf: Vec<Value> = Vec::with_capacity(cols.len());
    for k in 0..n {
        buf.clear();
        buf.extend(cols.iter().map(|c| c[k].clone()));
        let Some(m) = crate::dispatch::select(&vm.world, &methods, &buf) else {
            return Err(no_method(vm, name.as_str(), &buf));
        };
        let MethodBody::Native(nf) = &m.body else { return generic_call(vm, "__broadcast__", args) };
        match nf(vm, &buf, None) {
            Ok(v) => out.push(v),
            Err(Flow::Call(..)) => return generic_call(vm, "__broadcast__", args),
            Err(e) => return Err(e),
        }
    }
    if all_tuples(rest) {
        return Ok(Value::tuple(out));
    }
    let _ = is_scalar_num;
    finish(vm, dims, out)
}

/// `__bc_plan__(args...)` → `(kind, n, dims, cols, out)`: kind 0 = all scalars
/// (cols are the unwrapped arguments), 1 = tuple result, 2 = array result.
fn bc_plan(_vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let dims = bc_dims(args)?;
    let Some(dims) = dims else {
        let plain: Vec<Value> = args.iter().map(unref).collect();
        return Ok(Value::tuple(vec![
            Value::Int(0),
            Value::Int(1),
            Value::tuple(vec![]),
            Value::tuple(plain),
            Value::Nothing,
        ]));
    };
    let kind = if all_tuples(args) { 1 } else { 2 };
    let n: usize = dims.iter().product();
    let cols: Vec<Value> =
        expand(args, &dims).into_iter().map(|c| vec_value(ArrayData::Any(JType::any(), c))).collect();
    let out = vec_value(ArrayData::Any(JType::any(), vec![Value::Nothing; n]));
    Ok(Value::tuple(vec![
        Value::Int(kind),
        Value::Int(n as i64),
        Value::tuple(dims.iter().map(|&d| Value::Int(d as i64)).collect()),
        Value::tuple(cols),
        out,
    ]))
}

/// `__bc_finish__(out, kind, dims)`
fn bc_finish(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Array(a), Value::Int(kind), Value::Tuple(dims)] = args else {
        return Err(no_method(vm, "__bc_finish__", args));
    };
    let vals = a.inner.lock().data.to_values();
    if *kind == 1 {
        return Ok(Value::tuple(vals));
    }
    let dims: Vec<usize> =
        dims.0.iter().map(|d| if let Value::Int(i) = d { *i as usize } else { 0 }).collect();
    finish(vm, dims, vals)
}

#[allow(dead_code)]
fn float_type() -> JType {
    JType::data(tid::FLOAT64)
}
