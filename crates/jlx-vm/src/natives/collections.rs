//! Indexing and iteration entry points of the built-in collections:
//! `getindex`, `setindex!`, `iterate`, `getproperty`, `length`, `push!`.
//! (The rest of the collection library lives in other modules and in
//! `stdlib/`.)

use super::{no_method, register, NResult};
use crate::arrays;
use crate::errors;
use crate::obj::{ArrayData, Obj};
use crate::value::Value;
use crate::vm::Vm;
use jlx_bytecode::ModId;

pub fn install(rt: &crate::runtime::Runtime) {
    for (n, f) in [
        ("getindex", getindex as super::NativeFn),
        ("setindex!", setindex),
        ("iterate", iterate),
        ("getproperty", getproperty),
        ("setproperty!", setproperty),
        ("length", length),
        ("push!", push),
    ] {
        register(rt, ModId::BASE, n, f);
    }
}

/// Column-major linear index of `(i, j, ...)` (1-based) in `dims`, bounds-checked.
pub fn linear_index(dims: &[usize], idx: &[i64]) -> Option<usize> {
    if idx.len() == 1 {
        let total: usize = dims.iter().product();
        let i = idx[0];
        return if i >= 1 && (i as usize) <= total { Some(i as usize - 1) } else { None };
    }
    let mut k = 0usize;
    let mut stride = 1usize;
    for (d, (&n, &i)) in dims.iter().chain(std::iter::repeat(&1)).zip(idx.iter()).enumerate() {
        let _ = d;
        if i < 1 || i as usize > n {
            return None;
        }
        k += (i as usize - 1) * stride;
        stride *= n;
    }
    Some(k)
}

fn getindex(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    let _ = kw;
    match args {
        [Value::Type(t), items @ ..] => {
            // `T[a, b]`: a typed vector.
            let mut all = vec![Value::Type(t.clone())];
            all.extend_from_slice(items);
            match vm.base_func("__typed_vect__") {
                Some(f) => Err(crate::runtime::Flow::Call(Value::Func(f), all, None)),
                None => Err(no_method(vm, "getindex", args)),
            }
        }
        [obj, idx] => {
            if let Some(r) = crate::index::get_fast(obj, idx) {
                return r;
            }
            match obj {
                Value::Obj(o) => match &**o {
                    Obj::Dict(d) => {
                        let g = d.data.lock();
                        match g.get(idx) {
                            Some(v) => Ok(v.clone()),
                            None => Err(errors::key_error(idx.clone())),
                        }
                    }
                    Obj::NamedTuple(names, vals) => match idx {
                        Value::Sym(s) => names
                            .iter()
                            .position(|n| n == s)
                            .map(|i| vals[i].clone())
                            .ok_or_else(|| errors::error(format!("type NamedTuple has no field {s}"))),
                        Value::Int(i) if *i >= 1 && (*i as usize) <= vals.len() => {
                            Ok(vals[*i as usize - 1].clone())
                        }
                        _ => Err(errors::bounds_error(obj.clone(), idx.clone())),
                    },
                    Obj::Struct(s) if s.ty == crate::types::tid::PAIR => match idx {
                        Value::Int(1) => Ok(s.fields[0].clone()),
                        Value::Int(2) => Ok(s.fields[1].clone()),
                        _ => Err(errors::bounds_error(obj.clone(), idx.clone())),
                    },
                    _ => getindex_range(vm, obj, idx, args),
                },
                Value::Str(s) => match idx {
                    Value::Int(i) => {
                        let i = *i;
                        if i < 1 || i as usize > s.0.len() {
                            return Err(errors::bounds_error(obj.clone(), Value::tuple(vec![Value::Int(i)])));
                        }
                        match s.0.get(i as usize - 1..).and_then(|r| r.chars().next()) {
                            Some(c) if s.0.is_char_boundary(i as usize - 1) => Ok(Value::Char(c)),
                            _ => Err(errors::Flow::Throw(errors::exc(
                                crate::types::tid::STRINGINDEXERROR,
                                vec![obj.clone(), Value::Int(i)],
                            ))),
                        }
                    }
                    _ => getindex_range(vm, obj, idx, args),
                },
                _ => getindex_range(vm, obj, idx, args),
            }
        }
        [obj, rest @ ..] if !rest.is_empty() && rest.iter().all(|i| matches!(i, Value::Int(_))) => {
            let Value::Array(a) = obj else { return Err(no_method(vm, "getindex", args)) };
            let idx: Vec<i64> = rest.iter().map(|i| if let Value::Int(x) = i { *x } else { 0 }).collect();
            let g = a.inner.lock();
            match linear_index(&g.dims, &idx) {
                Some(k) => Ok(g.data.get(k)),
                None => {
                    drop(g);
                    Err(errors::bounds_error(obj.clone(), Value::tuple(rest.to_vec())))
                }
            }
        }
        [Value::Obj(o)] if matches!(&**o, Obj::Ref(..)) => {
            let Obj::Ref(_, c) = &**o else { unreachable!() };
            Ok(c.lock().clone())
        }
        [Value::Obj(o)] if matches!(&**o, Obj::Atomic(_)) => {
            let Obj::Atomic(a) = &**o else { unreachable!() };
            Ok(super::atomics::getindex(a))
        }
        // `x[]` of a number is the number; of an array, its only element.
        [x @ (Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Char(_))] => Ok(x.clone()),
        [obj @ Value::Array(a)] => {
            let g = a.inner.lock();
            if g.data.len() == 1 {
                return Ok(g.data.get(0));
            }
            drop(g);
            Err(errors::bounds_error(obj.clone(), Value::tuple(vec![])))
        }
        _ => slice_fallback(vm, args),
    }
}

/// `a[2:end]`, `a[[1, 3]]`, `s[1:3]`: indexing with a collection of indices (in jlx).
fn getindex_range(vm: &mut Vm, obj: &Value, idx: &Value, args: &[Value]) -> NResult {
    if let (Value::Str(s), Value::Obj(o)) = (obj, idx) {
        if let Obj::Range(crate::obj::Range::Unit(a, b)) = &**o {
            let (a, b) = (*a, *b);
            if b < a {
                return Ok(Value::str(""));
            }
            if a < 1 || b as usize > s.0.len() {
                return Err(errors::bounds_error(obj.clone(), idx.clone()));
            }
            let start = a as usize - 1;
            // b is the byte index of the last char's first byte.
            let end = s.0[b as usize - 1..]
                .chars()
                .next()
                .map(|c| b as usize - 1 + c.len_utf8())
                .unwrap_or(s.0.len());
            return s
                .0
                .get(start..end)
                .map(Value::str)
                .ok_or_else(|| errors::bounds_error(obj.clone(), idx.clone()));
        }
    }
    if let Value::Array(_) | Value::Tuple(_) = obj {
        if let Some(ids) = crate::iter::collect_native(idx) {
            if ids.iter().all(|i| matches!(i, Value::Int(_))) {
                let n = super::arrays_lib::dims_of(obj).map(|d| d.iter().product::<usize>()).unwrap_or(0);
                if ids.iter().any(|i| matches!(i, Value::Int(k) if *k < 1 || *k as usize > n)) {
                    return Err(errors::bounds_error(obj.clone(), Value::tuple(vec![idx.clone()])));
                }
                let mut out = Vec::with_capacity(ids.len());
                for i in &ids {
                    match crate::index::get_fast(obj, i) {
                        Some(r) => out.push(r?),
                        None => return Err(no_method(vm, "getindex", args)),
                    }
                }
                return Ok(match obj {
                    Value::Tuple(_) => Value::tuple(out),
                    Value::Array(a) => {
                        let elt = a.inner.lock().data.eltype();
                        arrays::new_array(vec![out.len()], arrays::data_for(&elt, out)?)
                    }
                    _ => unreachable!(),
                });
            }
            if ids.iter().all(|i| matches!(i, Value::Bool(_))) {
                let items = crate::iter::collect_native(obj).unwrap_or_default();
                let kept: Vec<Value> = items
                    .into_iter()
                    .zip(ids)
                    .filter(|(_, b)| matches!(b, Value::Bool(true)))
                    .map(|(x, _)| x)
                    .collect();
                return Ok(arrays::vector_from_values(&vm.world, kept, None));
            }
        }
    }
    slice_fallback(vm, args)
}

fn slice_fallback(vm: &mut Vm, args: &[Value]) -> NResult {
    match vm.base_func("__getindex_general__") {
        Some(f) => Err(crate::runtime::Flow::Call(Value::Func(f), args.to_vec(), None)),
        None => Err(no_method(vm, "getindex", args)),
    }
}

fn setindex(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [obj, v, idx] => {
            if let Some(r) = crate::index::set_fast(obj, idx, v) {
                r?;
                return Ok(obj.clone());
            }
            match obj {
                Value::Obj(o) => match &**o {
                    Obj::Dict(d) => {
                        let k = super::convert_to(vm, &d.key_type, idx.clone())?;
                        let val = super::convert_to(vm, &d.val_type, v.clone())?;
                        d.data.lock().insert(k, val);
                        Ok(obj.clone())
                    }
                    _ => setindex_fallback(vm, args),
                },
                _ => setindex_fallback(vm, args),
            }
        }
        [Value::Obj(o), v] if matches!(&**o, Obj::Ref(..)) => {
            let Obj::Ref(t, c) = &**o else { unreachable!() };
            let t = t.clone();
            let v = super::convert_to(vm, &t, v.clone())?;
            *c.lock() = v;
            Ok(args[0].clone())
        }
        [Value::Obj(o), v] if matches!(&**o, Obj::Atomic(_)) => {
            let Obj::Atomic(a) = &**o else { unreachable!() };
            super::atomics::setindex(vm, a, v)
        }
        [Value::Array(a), v, rest @ ..]
            if rest.iter().all(|i| matches!(i, Value::Int(_))) && rest.len() > 1 =>
        {
            let idx: Vec<i64> = rest.iter().map(|i| if let Value::Int(x) = i { *x } else { 0 }).collect();
            let mut g = a.inner.lock();
            match linear_index(&g.dims.clone(), &idx) {
                Some(k) => {
                    arrays::store(&mut g.data, k, v.clone())?;
                    Ok(args[0].clone())
                }
                None => {
                    drop(g);
                    Err(errors::bounds_error(args[0].clone(), Value::tuple(rest.to_vec())))
                }
            }
        }
        _ => setindex_fallback(vm, args),
    }
}

fn setindex_fallback(vm: &mut Vm, args: &[Value]) -> NResult {
    match (args.first(), vm.base_func("__setindex_general__")) {
        (Some(Value::Array(_)), Some(f)) => {
            Err(crate::runtime::Flow::Call(Value::Func(f), args.to_vec(), None))
        }
        _ => Err(no_method(vm, "setindex!", args)),
    }
}

/// Native `iterate(x[, state])` for built-in collections.
fn iterate(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let step = match args {
        [x] => crate::iter::first(x),
        [x, s] => crate::iter::next(x, s),
        _ => return Err(no_method(vm, "iterate", args)),
    };
    match step {
        crate::iter::Step::Item(v, s) => Ok(Value::tuple(vec![v, s])),
        crate::iter::Step::Done => Ok(Value::Nothing),
        crate::iter::Step::Generic => Err(no_method(vm, "iterate", args)),
    }
}

fn getproperty(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [x, Value::Sym(s)] => crate::fields::get_field(vm, x, *s),
        [x, f, order] => super::atomics::getproperty_ordered(vm, x, f, order),
        _ => Err(no_method(vm, "getproperty", args)),
    }
}

fn setproperty(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [x, Value::Sym(s), v] => {
            crate::fields::set_field(vm, x, *s, v.clone())?;
            Ok(v.clone())
        }
        [x, f, v, order] => super::atomics::setproperty_ordered(vm, x, f, v, order),
        _ => Err(no_method(vm, "setproperty!", args)),
    }
}

fn length(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "length", args)) };
    Ok(Value::Int(match x {
        Value::Array(a) => a.inner.lock().data.len() as i64,
        Value::Tuple(t) => t.0.len() as i64,
        Value::Str(s) => s.0.chars().count() as i64,
        Value::Obj(o) => match &**o {
            Obj::Range(r) => r.len(),
            Obj::Dict(d) | Obj::Set(d) => d.data.lock().len() as i64,
            Obj::NamedTuple(n, _) => n.len() as i64,
            Obj::Keys(d) | Obj::Values(d) => return length(vm, std::slice::from_ref(d), None),
            Obj::Enumerate(i) => return length(vm, std::slice::from_ref(i), None),
            Obj::Zip(parts) => {
                let mut n = i64::MAX;
                for p in parts.iter() {
                    if let Value::Int(k) = length(vm, std::slice::from_ref(p), None)? {
                        n = n.min(k);
                    }
                }
                if parts.is_empty() {
                    0
                } else {
                    n
                }
            }
            Obj::Struct(s) if s.ty == crate::types::tid::PAIR => 2,
            _ => return Err(no_method(vm, "length", args)),
        },
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Char(_) => 1,
        _ => return Err(no_method(vm, "length", args)),
    }))
}

fn push(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Array(a), items @ ..] => {
            {
                let mut g = a.inner.lock();
                if g.dims.len() != 1 {
                    return Err(no_method(vm, "push!", args));
                }
                for x in items {
                    let x = match &g.data {
                        ArrayData::Any(t, _) if !t.is_any() => {
                            let t = t.clone();
                            drop(g);
                            let x = super::convert_to(vm, &t, x.clone())?;
                            g = a.inner.lock();
                            x
                        }
                        _ => x.clone(),
                    };
                    arrays::push(&mut g.data, x)?;
                }
                let n = g.data.len();
                g.dims[0] = n;
            }
            Ok(args[0].clone())
        }
        [Value::Obj(o), items @ ..] if matches!(&**o, Obj::Set(_)) => {
            let Obj::Set(d) = &**o else { unreachable!() };
            for x in items {
                let k = super::convert_to(vm, &d.key_type, x.clone())?;
                d.data.lock().insert(k, Value::Nothing);
            }
            Ok(args[0].clone())
        }
        [Value::Obj(o), items @ ..] if matches!(&**o, Obj::Dict(_)) => {
            let Obj::Dict(d) = &**o else { unreachable!() };
            for p in items {
                let Some((k, v)) = super::core::pair_parts(p) else {
                    return Err(no_method(vm, "push!", args));
                };
                let k = super::convert_to(vm, &d.key_type, k.clone())?;
                let v = super::convert_to(vm, &d.val_type, v.clone())?;
                d.data.lock().insert(k, v);
            }
            Ok(args[0].clone())
        }
        _ => Err(no_method(vm, "push!", args)),
    }
}
