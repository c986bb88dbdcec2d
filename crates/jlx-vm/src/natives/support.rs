//! Natives the compiler's lowered code calls: method and struct
//! definition, `new`, parametric type application, type variables, named
//! tuples and keyword merging, comprehensions, `@time`/`@elapsed`, logging,
//! docstrings.

use super::{no_method, register, NResult};
use crate::arrays;
use crate::errors;
use crate::obj::{ArrayData, Obj};
use crate::runtime::{Flow, Method, MethodBody};
use crate::types::{tid, JType, TParam, TypeDef, TypeKind, TypeVar};
use crate::value::Value;
use crate::vm::Vm;
use jlx_base::Sym;
use jlx_bytecode::{GlobalId, ModId};
use std::sync::Arc;

pub use super::core::convert_to;

pub fn install(rt: &crate::runtime::Runtime) {
    for (n, f) in [
        ("__defmethod__", defmethod as super::NativeFn),
        ("__defstruct__", defstruct),
        ("__defabstract__", defabstract),
        ("__setdoc__", setdoc),
        ("__inner_constructors__", inner_constructors),
        ("__new__", new),
        ("__curly__", curly),
        ("__typevar__", typevar),
        ("__namedtuple__", namedtuple),
        ("__kwmerge__", kwmerge),
        ("__comp_new__", comp_new),
        ("__comp_push__", comp_push),
        ("__comp_finish__", comp_finish),
        ("__retconvert__", retconvert),
        ("__time_macro__", time_macro),
        ("__elapsed_macro__", elapsed_macro),
        ("__log__", log),
        ("__rest__", rest),
        ("__typeparam__", typeparam),
        ("__vararg_eltype__", vararg_eltype),
        ("__undef_keyword__", undef_keyword),
        ("time_ns", time_ns),
        ("time", time),
        ("tuple", tuple),
        ("vect", vect),
        ("__typed_vect__", typed_vect),
    ] {
        register(rt, ModId::BASE, n, f);
    }
}

fn to_jtype(v: &Value) -> JType {
    match v {
        Value::Type(t) => (**t).clone(),
        Value::Obj(o) => match &**o {
            Obj::TypeVar(tv) => JType::Var(tv.clone()),
            _ => JType::any(),
        },
        _ => JType::any(),
    }
}

/// `__defmethod__(g, closure, vararg, types...)`
fn defmethod(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Int(g), Value::Closure(c), Value::Bool(vararg), types @ ..] = args else {
        return Err(no_method(vm, "__defmethod__", args));
    };
    let gid = GlobalId(*g as u32);
    let (module, name) = vm.rt.names.name_of(gid);
    let cell = vm.rt.cell(gid);
    let sig: Vec<JType> = types.iter().map(to_jtype).collect();
    let simple = !*vararg && sig.iter().all(|t| t.is_any());
    let m = Method { sig: sig.into(), vararg: *vararg, body: MethodBody::Jlx(c.clone()), simple };
    let result = match cell.get() {
        Some(Value::Func(f)) => {
            vm.rt.add_method(f, m);
            Value::Func(f)
        }
        Some(Value::Type(t)) => {
            let Some(tid_) = t.id() else { return Err(errors::error("cannot add constructor to this type")) };
            let def = vm.rt.type_def(tid_);
            let f = match def.ctor {
                Some(f) => f,
                None => {
                    let f = vm.rt.new_function(def.name, module);
                    vm.rt.update_type(tid_, |d| d.ctor = Some(f));
                    f
                }
            };
            vm.rt.add_method(f, m);
            Value::Type(t)
        }
        Some(other) => {
            return Err(errors::error(format!(
                "invalid method definition: `{name}` is bound to a {}",
                vm.world.type_name(&vm.world.typeof_(&other))
            )))
        }
        None => {
            let f = vm.rt.new_function(name, module);
            let _ = cell.konst.set(Value::Func(f));
            vm.rt.add_method(f, m);
            Value::Func(f)
        }
    };
    vm.refresh();
    Ok(result)
}

/// `__defstruct__(g, name, mutable, super, fieldnames, typeparams, atomicfields, fieldtypes...)`
fn defstruct(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Int(g), Value::Sym(name), Value::Bool(mutable), sup, Value::Tuple(fnames), Value::Tuple(tparams), Value::Tuple(atomic_names), ftypes @ ..] =
        args
    else {
        return Err(no_method(vm, "__defstruct__", args));
    };
    let gid = GlobalId(*g as u32);
    let (module, _) = vm.rt.names.name_of(gid);
    let fields: Vec<Sym> =
        fnames.0.iter().filter_map(|v| if let Value::Sym(s) = v { Some(*s) } else { None }).collect();
    let params: Vec<Sym> =
        tparams.0.iter().filter_map(|v| if let Value::Sym(s) = v { Some(*s) } else { None }).collect();
    let field_types: Vec<JType> = ftypes.iter().map(to_jtype).collect();
    if !atomic_names.0.is_empty() && !*mutable {
        return Err(errors::error("invalid field attribute atomic for immutable struct"));
    }
    let atomic: Vec<bool> = if atomic_names.0.is_empty() {
        Vec::new()
    } else {
        fields.iter().map(|f| atomic_names.0.iter().any(|a| matches!(a, Value::Sym(s) if s == f))).collect()
    };
    let supertype = match sup {
        Value::Type(t) => t.id().unwrap_or(tid::ANY),
        _ => tid::ANY,
    };
    if let Some(Value::Type(existing)) = vm.rt.cell(gid).get() {
        if let Some(id) = existing.id() {
            let d = vm.rt.type_def(id);
            let same_atomic = match &d.kind {
                TypeKind::Struct { atomic: a, .. } => *a == atomic,
                _ => false,
            };
            if d.fields() == fields.as_slice() && same_atomic {
                return Ok(Value::Type(existing));
            }
        }
        return Err(errors::error(format!("invalid redefinition of constant {name}")));
    }
    let def = TypeDef {
        name: *name,
        module,
        supertype,
        kind: TypeKind::Struct { fields, field_types, mutable: *mutable, atomic },
        params: params.clone(),
        ctor: None,
        inner_ctors: false,
    };
    let id = vm.rt.add_type(def);
    let t = if params.is_empty() { JType::data(id) } else { JType::Data(id, Arc::from(Vec::new())) };
    let v = Value::ty(t);
    let _ = vm.rt.set_const(gid, v.clone());
    vm.refresh();
    Ok(v)
}

/// `__setdoc__(g, text)`: the docstring written before a definition of
/// global `g` (a function, macro, struct or abstract type).
fn setdoc(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Int(g), Value::Str(text)] = args else {
        return Err(no_method(vm, "__setdoc__", args));
    };
    let (module, name) = vm.rt.names.name_of(GlobalId(*g as u32));
    vm.rt.set_doc(module, name, text.0.as_str().to_string());
    Ok(Value::Nothing)
}

fn defabstract(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Int(g), Value::Sym(name), sup] = args else {
        return Err(no_method(vm, "__defabstract__", args));
    };
    let gid = GlobalId(*g as u32);
    if let Some(v @ Value::Type(_)) = vm.rt.cell(gid).get() {
        return Ok(v);
    }
    let (module, _) = vm.rt.names.name_of(gid);
    let supertype = match sup {
        Value::Type(t) => t.id().unwrap_or(tid::ANY),
        _ => tid::ANY,
    };
    let id = vm.rt.add_type(TypeDef {
        name: *name,
        module,
        supertype,
        kind: TypeKind::Abstract,
        params: vec![],
        ctor: None,
        inner_ctors: false,
    });
    let v = Value::ty(JType::data(id));
    let _ = vm.rt.set_const(gid, v.clone());
    vm.refresh();
    Ok(v)
}

fn inner_constructors(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if let [Value::Type(t)] = args {
        if let Some(id) = t.id() {
            vm.rt.update_type(id, |d| d.inner_ctors = true);
            vm.refresh();
        }
    }
    Ok(Value::Nothing)
}

/// `new(args...)` inside an inner constructor.
fn new(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Type(t), rest @ ..] = args else { return Err(no_method(vm, "new", args)) };
    let Some(id) = t.id() else { return Err(errors::error("new: not a struct type")) };
    let def = vm.world.types[id.0 as usize].clone();
    let TypeKind::Struct { fields, field_types, mutable, .. } = &def.kind else {
        return Err(errors::error("new: not a struct type"));
    };
    if rest.len() > fields.len() {
        return Err(errors::error(format!("new: too many arguments (expected {})", fields.len())));
    }
    let mut vals = rest.to_vec();
    while vals.len() < fields.len() {
        vals.push(Value::Undef);
    }
    let ftypes: Vec<JType> = field_types
        .iter()
        .enumerate()
        .map(|(i, t)| if i < rest.len() { t.clone() } else { JType::any() })
        .collect();
    super::core::new_struct(vm, t, id, &ftypes, *mutable, &vals)
}

fn tparam(v: &Value) -> TParam {
    match v {
        Value::Int(i) => TParam::Int(*i),
        other => TParam::Type(to_jtype(other)),
    }
}

/// `T{P...}`
fn curly(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [base, params @ ..] = args else { return Err(no_method(vm, "__curly__", args)) };
    let ps: Vec<TParam> = params.iter().map(tparam).collect();
    match base {
        Value::Type(t) => {
            if t.id() == Some(tid::ATOMIC) {
                super::atomics::check_param(vm, &ps)?;
            }
            if t.id() == Some(tid::UNION) {
                return Ok(Value::ty(JType::Union(params.iter().map(to_jtype).collect())));
            }
            if t.id() == Some(tid::TUPLE) {
                return Ok(Value::ty(JType::Tuple(params.iter().map(to_jtype).collect())));
            }
            match vm.world.apply_type(t, &ps) {
                Some(x) => Ok(Value::ty(x)),
                None => {
                    Err(errors::error(format!("cannot apply type parameters to {}", vm.world.type_name(t))))
                }
            }
        }
        _ => Err(errors::error("type application `{...}` needs a type")),
    }
}

fn typevar(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Sym(name), ub] = args else { return Err(no_method(vm, "__typevar__", args)) };
    Ok(Value::ty(JType::Var(Arc::new(TypeVar { name: *name, ub: to_jtype(ub) }))))
}

fn namedtuple(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Tuple(names), vals @ ..] = args else { return Err(no_method(vm, "__namedtuple__", args)) };
    let ns: Vec<Sym> =
        names.0.iter().filter_map(|v| if let Value::Sym(s) = v { Some(*s) } else { None }).collect();
    Ok(Value::obj(Obj::NamedTuple(ns.into(), vals.to_vec().into())))
}

/// Merge keyword sources (NamedTuples, Dicts of Symbol keys, iterables of pairs).
fn kwmerge(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let mut ns: Vec<Sym> = Vec::new();
    let mut vs: Vec<Value> = Vec::new();
    let mut put = |k: Sym, v: Value| {
        if let Some(i) = ns.iter().position(|n| *n == k) {
            vs[i] = v;
        } else {
            ns.push(k);
            vs.push(v);
        }
    };
    for a in args {
        match a {
            Value::Obj(o) if matches!(&**o, Obj::NamedTuple(..)) => {
                if let Obj::NamedTuple(n, v) = &**o {
                    for (k, x) in n.iter().zip(v.iter()) {
                        put(*k, x.clone());
                    }
                }
            }
            Value::Nothing => {}
            other => {
                let items = crate::iter::collect_native(other)
                    .ok_or_else(|| errors::argument_error("cannot splat keywords"))?;
                for p in items {
                    match super::core::pair_parts(&p) {
                        Some((Value::Sym(k), v)) => put(*k, v.clone()),
                        _ => return Err(errors::argument_error("keyword names must be Symbols")),
                    }
                }
            }
        }
    }
    let _ = vm;
    Ok(Value::obj(Obj::NamedTuple(ns.into(), vs.into())))
}

fn comp_new(_vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let elt = match args.first() {
        Some(Value::Type(t)) => Some((**t).clone()),
        _ => None,
    };
    // A typed comprehension fixes its element type; an untyped one narrows at the end.
    let data = match &elt {
        Some(t) => arrays::data_for(t, vec![])?,
        None => ArrayData::Any(JType::data(tid::NOTHING), vec![]),
    };
    Ok(arrays::new_array(vec![0], data))
}

fn comp_push(_vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if let [Value::Array(a), v] = args {
        let mut g = a.inner.lock();
        arrays::push(&mut g.data, v.clone())?;
        let n = g.data.len();
        g.dims = vec![n];
    }
    Ok(Value::Nothing)
}

fn comp_finish(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Array(a), iters @ ..] = args else { return Err(no_method(vm, "__comp_finish__", args)) };
    let mut g = a.inner.lock();
    if let ArrayData::Any(t, items) = &g.data {
        if t.id() == Some(tid::NOTHING) {
            let items = items.clone();
            let elt = if items.is_empty() { JType::any() } else { arrays::promote_eltype(&vm.world, &items) };
            g.data = arrays::data_for(&elt, items.clone()).unwrap_or(ArrayData::Any(JType::any(), items));
        }
    }
    if iters.len() > 1 {
        let mut dims = Vec::new();
        for it in iters {
            let n = crate::iter::collect_native(it).map(|v| v.len()).unwrap_or(0);
            dims.push(n);
        }
        if dims.iter().product::<usize>() == g.data.len() {
            g.dims = dims;
        }
    } else {
        let n = g.data.len();
        g.dims = vec![n];
    }
    drop(g);
    Ok(Value::Array(a.clone()))
}

fn retconvert(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Type(t), x] => {
            let t = (**t).clone();
            convert_to(vm, &t, x.clone())
        }
        [_, x] => Ok(x.clone()),
        _ => Err(no_method(vm, "__retconvert__", args)),
    }
}

/// Nanoseconds on the run's clock (virtual under `--virtual-time`).
pub fn now_ns(vm: &Vm) -> i64 {
    vm.sched.clock.unix_ns()
}

fn time_ns(vm: &mut Vm, _args: &[Value], _kw: Option<&Value>) -> NResult {
    Ok(Value::Int(now_ns(vm)))
}

fn time(vm: &mut Vm, _args: &[Value], _kw: Option<&Value>) -> NResult {
    Ok(Value::Float(now_ns(vm) as f64 / 1e9))
}

fn time_macro(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Int(t0), v, ..] = args else { return Err(no_method(vm, "__time_macro__", args)) };
    let secs = (now_ns(vm) - t0) as f64 / 1e9;
    // Julia pads the time to 10 columns only when there is no label.
    let line = match args.get(2) {
        Some(Value::Str(s)) => format!("{}: {secs:.6} seconds\n", s.0),
        _ => format!("{secs:>10.6} seconds\n"),
    };
    let out = Value::obj(Obj::Io(crate::obj::IoObj::Stdout));
    super::io::write_io(vm, &out, &line)?;
    Ok(v.clone())
}

fn elapsed_macro(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Int(t0), ..] = args else { return Err(no_method(vm, "__elapsed_macro__", args)) };
    Ok(Value::Float((now_ns(vm) - t0) as f64 / 1e9))
}

/// `@info "msg" k=v ...` in Julia's console-logger format.
fn log(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Str(level), msg, Value::Tuple(names), Value::Tuple(vals)] = args else {
        return Err(no_method(vm, "__log__", args));
    };
    let msg = crate::show::print_string(vm, msg);
    let mut lines: Vec<String> = msg.lines().map(|l| l.to_string()).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    for (n, v) in names.0.iter().zip(vals.0.iter()) {
        let n = crate::show::print_string(vm, n);
        let v = crate::show::repr(vm, v);
        lines.push(format!("  {n} = {v}"));
    }
    let mut out = String::new();
    if lines.len() == 1 {
        out.push_str(&format!("[ {}: {}\n", level.0, lines[0]));
    } else {
        for (i, l) in lines.iter().enumerate() {
            let prefix = if i == 0 {
                format!("┌ {}: ", level.0)
            } else if i + 1 == lines.len() {
                "└ ".to_string()
            } else {
                "│ ".to_string()
            };
            out.push_str(&format!("{prefix}{l}\n"));
        }
    }
    let err = Value::obj(Obj::Io(crate::obj::IoObj::Stderr));
    super::io::write_io(vm, &err, &out)?;
    Ok(Value::Nothing)
}

/// `a, rest... = xs`: the elements from position `i` on.
fn rest(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x, Value::Int(i)] = args else { return Err(no_method(vm, "__rest__", args)) };
    let items = crate::iter::collect_native(x)
        .ok_or_else(|| errors::argument_error("cannot destructure this value"))?;
    let tail: Vec<Value> = items.into_iter().skip((*i - 1) as usize).collect();
    Ok(match x {
        Value::Array(_) => arrays::vector_from_values(&vm.world, tail, None),
        _ => Value::tuple(tail),
    })
}

fn typeparam(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x, Value::Int(j)] = args else { return Err(no_method(vm, "__typeparam__", args)) };
    let t = vm.world.typeof_(x);
    match t {
        JType::Data(_, ps) => match ps.get((*j - 1) as usize) {
            Some(TParam::Type(t)) => Ok(Value::ty(t.clone())),
            Some(TParam::Int(i)) => Ok(Value::Int(*i)),
            None => Ok(Value::ty(JType::any())),
        },
        _ => Ok(Value::ty(JType::any())),
    }
}

fn vararg_eltype(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args.first() {
        Some(Value::Tuple(t)) if !t.0.is_empty() => Ok(Value::ty(vm.world.typeof_(&t.0[0]))),
        _ => Ok(Value::ty(JType::any())),
    }
}

fn undef_keyword(_vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    Err(Flow::Throw(errors::exc(
        tid::UNDEFKEYWORDERROR,
        vec![args.first().cloned().unwrap_or(Value::Nothing)],
    )))
}

fn tuple(_vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    Ok(Value::tuple(args.to_vec()))
}

fn vect(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    Ok(arrays::vector_from_values(&vm.world, args.to_vec(), None))
}

fn typed_vect(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Type(t), xs @ ..] = args else { return Err(no_method(vm, "__typed_vect__", args)) };
    let mut items = Vec::with_capacity(xs.len());
    for x in xs {
        items.push(convert_to(vm, t, x.clone())?);
    }
    Ok(arrays::new_array(vec![items.len()], arrays::data_for(t, items)?))
}
