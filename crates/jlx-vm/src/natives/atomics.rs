//! Atomics: `Threads.Atomic{T}` (T = Int64, Float64, Bool) and its
//! `atomic_*!` operations, `Threads.atomic_fence`, and the per-field
//! atomics of mutable structs (`@atomic` fields): the ordered forms of
//! `getfield`/`setfield!`/`getproperty`/`setproperty!`, `swapfield!`,
//! `replacefield!`, `setfieldonce!`, their `*property!` forms, and the
//! compare-and-swap step of `modifyfield!` (whose loop, which calls the
//! user's operator, is jlx code in `stdlib/tasks.jlx`).
//!
//! Invariants: an `Atomic` operation is one machine atomic operation on
//! [`AtomicObj::bits`] (a compare-exchange loop for the float arithmetic and
//! the Bool `nand`, as Julia's), so it is atomic with respect to every OS
//! thread. A field operation holds the struct's field lock for its whole
//! read-compare-write, which makes it atomic with respect to every other
//! field access (all of them take that lock). The checks and error messages
//! follow Julia 1.11's `src/builtins.c` and `base/atomics.jl`: the methods
//! take exactly `T` (no conversion, `MethodError` otherwise), `Atomic{Bool}`
//! has no `add`/`sub`, `Atomic{Float64}` no bitwise operations, and every
//! operation returns the old value.

use super::{convert_to, no_method, register, NResult};
use crate::errors;
use crate::obj::{AtomicKind, AtomicObj, MStructObj, Obj};
use crate::runtime::Flow;
use crate::types::{tid, JType, TParam, TypeKind};
use crate::value::Value;
use crate::vm::Vm;
use jlx_base::Sym;
use jlx_bytecode::ModId;
use std::sync::atomic::Ordering::{AcqRel, Acquire};
use std::sync::Arc;

pub fn install(rt: &crate::runtime::Runtime) {
    super::constant(rt, ModId::THREADS, "Atomic", Value::ty(JType::data(tid::ATOMIC)));
    for (n, f) in [
        ("atomic_cas!", atomic_cas as super::NativeFn),
        ("atomic_xchg!", atomic_xchg),
        ("atomic_add!", atomic_add),
        ("atomic_sub!", atomic_sub),
        ("atomic_and!", atomic_and),
        ("atomic_nand!", atomic_nand),
        ("atomic_or!", atomic_or),
        ("atomic_xor!", atomic_xor),
        ("atomic_max!", atomic_max),
        ("atomic_min!", atomic_min),
        ("atomic_fence", atomic_fence),
    ] {
        register(rt, ModId::THREADS, n, f);
    }
    for (n, f) in [
        ("swapfield!", swapfield as super::NativeFn),
        ("replacefield!", replacefield),
        ("setfieldonce!", setfieldonce),
        ("swapproperty!", swapproperty),
        ("replaceproperty!", replaceproperty),
        ("setpropertyonce!", setpropertyonce),
        ("__modifyfield_begin__", modifyfield_begin),
        ("__modifyfield_cas__", modifyfield_cas),
    ] {
        register(rt, ModId::BASE, n, f);
    }
}

// ---------- Threads.Atomic ----------

/// A read-modify-write operation of `Threads.Atomic`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rmw {
    Xchg,
    Add,
    Sub,
    And,
    Nand,
    Or,
    Xor,
    Max,
    Min,
}

/// Apply `op` with operand `v` to `a` atomically and return the old value;
/// `None` when Julia has no such method (`v` not exactly of type `T`, or an
/// operation `T` lacks).
pub fn rmw(a: &AtomicObj, op: Rmw, v: &Value) -> Option<Value> {
    use AtomicKind::{Bool, Float, Int};
    let b = a.kind.bits_of(v)?;
    let x = &a.bits;
    let float_op = |f: fn(f64, f64) -> f64| {
        let y = f64::from_bits(b as u64);
        let step = |old: i64| Some(f(f64::from_bits(old as u64), y).to_bits() as i64);
        x.fetch_update(AcqRel, Acquire, step).unwrap_or_else(|old| old)
    };
    let old = match (a.kind, op) {
        (_, Rmw::Xchg) => x.swap(b, AcqRel),
        (Int, Rmw::Add) => x.fetch_add(b, AcqRel),
        (Int, Rmw::Sub) => x.fetch_sub(b, AcqRel),
        (Int | Bool, Rmw::And) => x.fetch_and(b, AcqRel),
        (Int, Rmw::Nand) => x.fetch_nand(b, AcqRel),
        // `~(x & v)` of two Bools, kept 0 or 1.
        (Bool, Rmw::Nand) => x.fetch_update(AcqRel, Acquire, |old| Some((old & b) ^ 1)).unwrap_or_else(|o| o),
        (Int | Bool, Rmw::Or) => x.fetch_or(b, AcqRel),
        (Int | Bool, Rmw::Xor) => x.fetch_xor(b, AcqRel),
        (Int | Bool, Rmw::Max) => x.fetch_max(b, AcqRel),
        (Int | Bool, Rmw::Min) => x.fetch_min(b, AcqRel),
        (Float, Rmw::Add) => float_op(|p, q| p + q),
        (Float, Rmw::Sub) => float_op(|p, q| p - q),
        (Float, Rmw::Max) => float_op(super::math::fmax),
        (Float, Rmw::Min) => float_op(super::math::fmin),
        (Float, Rmw::And | Rmw::Nand | Rmw::Or | Rmw::Xor) | (Bool, Rmw::Add | Rmw::Sub) => return None,
    };
    Some(a.kind.value_of(old))
}

/// `atomic_cas!(x, cmp, new)`: store `new` if `x` holds `cmp` (compared
/// bit for bit, as Julia's `cmpxchg`); returns the old value. `None` when
/// `cmp` or `new` is not exactly of type `T`.
pub fn cas(a: &AtomicObj, cmp: &Value, new: &Value) -> Option<Value> {
    let (c, n) = (a.kind.bits_of(cmp)?, a.kind.bits_of(new)?);
    let old = a.bits.compare_exchange(c, n, AcqRel, Acquire).unwrap_or_else(|o| o);
    Some(a.kind.value_of(old))
}

/// The `Atomic` behind a value.
#[inline]
pub fn atomic_of(v: &Value) -> Option<&AtomicObj> {
    match v {
        Value::Obj(o) => match &**o {
            Obj::Atomic(a) => Some(a),
            _ => None,
        },
        _ => None,
    }
}

/// `MethodError` for the `Threads` function `name`.
#[cold]
fn threads_no_method(vm: &Vm, name: &str, args: &[Value]) -> Flow {
    let f = vm
        .rt
        .names
        .lookup(ModId::THREADS, Sym::new(name))
        .and_then(|g| vm.rt.cell(g).get())
        .unwrap_or_else(|| Value::Sym(Sym::new(name)));
    errors::method_error(f, args)
}

fn rmw_native(vm: &mut Vm, name: &str, op: Rmw, args: &[Value]) -> NResult {
    if let [x, v] = args {
        if let Some(old) = atomic_of(x).and_then(|a| rmw(a, op, v)) {
            return Ok(old);
        }
    }
    Err(threads_no_method(vm, name, args))
}

macro_rules! rmw_natives {
    ($($f:ident, $name:expr, $op:ident;)*) => {
        $(
            fn $f(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
                rmw_native(vm, $name, Rmw::$op, args)
            }
        )*
    };
}

rmw_natives! {
    atomic_xchg, "atomic_xchg!", Xchg;
    atomic_add, "atomic_add!", Add;
    atomic_sub, "atomic_sub!", Sub;
    atomic_and, "atomic_and!", And;
    atomic_nand, "atomic_nand!", Nand;
    atomic_or, "atomic_or!", Or;
    atomic_xor, "atomic_xor!", Xor;
    atomic_max, "atomic_max!", Max;
    atomic_min, "atomic_min!", Min;
}

fn atomic_cas(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if let [x, cmp, new] = args {
        if let Some(old) = atomic_of(x).and_then(|a| cas(a, cmp, new)) {
            return Ok(old);
        }
    }
    Err(threads_no_method(vm, "atomic_cas!", args))
}

/// `atomic_fence()`: a sequentially consistent fence.
fn atomic_fence(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if !args.is_empty() {
        return Err(threads_no_method(vm, "atomic_fence", args));
    }
    std::sync::atomic::fence(std::sync::atomic::Ordering::SeqCst);
    Ok(Value::Nothing)
}

/// The text of Julia's `AtomicTypes` bound, as its TypeError prints it.
const ATOMIC_TYPES: &str = "T<:Union{Bool, Float16, Float32, Float64, Int128, Int16, Int32, Int64, Int8, UInt128, UInt16, UInt32, UInt64, UInt8}";

/// Julia's atomic element types that jlx has no values of.
const UNSUPPORTED: &[&str] = &[
    "Int8", "Int16", "Int32", "Int128", "UInt8", "UInt16", "UInt32", "UInt64", "UInt128", "Float16",
    "Float32",
];

/// The check of `Atomic{p}` at type application: Julia's `TypeError` when
/// `p` is not one of its atomic types.
pub fn check_param(vm: &Vm, params: &[TParam]) -> Result<(), Flow> {
    let Some(TParam::Type(t)) = params.first() else {
        let got = params.first().map(|p| match p {
            TParam::Int(i) => Value::Int(*i),
            TParam::Type(t) => Value::ty(t.clone()),
        });
        return Err(bound_error(got.unwrap_or(Value::Nothing)));
    };
    if t.has_vars()
        || AtomicKind::of_type(t).is_some()
        || UNSUPPORTED.contains(&vm.world.type_name(t).as_str())
    {
        return Ok(());
    }
    Err(bound_error(Value::ty(t.clone())))
}

#[cold]
fn bound_error(got: Value) -> Flow {
    Flow::Throw(errors::exc(
        tid::TYPEERROR,
        vec![Value::Sym(Sym::new("Atomic")), Value::str("T"), Value::str(ATOMIC_TYPES), got],
    ))
}

/// Calling `Threads.Atomic{T}`: `Atomic{T}()` holds zero, `Atomic{T}(v)`
/// holds `convert(T, v)`, and a bare `Atomic()` is `Atomic{Int64}()`.
pub fn construct(vm: &mut Vm, t: &JType, args: &[Value]) -> NResult {
    let param = match t {
        JType::Data(_, ps) => ps.first().cloned(),
        _ => None,
    };
    let no_method = || errors::method_error(Value::ty(t.clone()), args);
    let elt = match param {
        None if args.is_empty() => JType::data(tid::INT64),
        None => return Err(no_method()),
        Some(TParam::Type(p)) => p,
        Some(TParam::Int(_)) => return Err(no_method()),
    };
    let Some(kind) = AtomicKind::of_type(&elt) else {
        let name = vm.world.type_name(&elt);
        if UNSUPPORTED.contains(&name.as_str()) {
            return Err(errors::error(format!(
                "Threads.Atomic{{{name}}} is not supported by jlx (it has no {name} values); use Int64, Float64 or Bool"
            )));
        }
        return Err(no_method());
    };
    let v = match args {
        [] => kind.value_of(0),
        [v] => convert_to(vm, &elt, v.clone())?,
        _ => return Err(no_method()),
    };
    let a = AtomicObj::new(kind, &v).ok_or_else(|| errors::convert_error(&elt, &v))?;
    Ok(Value::obj(Obj::Atomic(a)))
}

/// `x[]` of an `Atomic`.
pub fn getindex(a: &AtomicObj) -> Value {
    a.load()
}

/// `x[] = v`: Julia's `setindex!(x::Atomic{T}, v)`, which stores
/// `convert(T, v)`; returns `nothing`.
pub fn setindex(vm: &mut Vm, a: &AtomicObj, v: &Value) -> NResult {
    let v = convert_to(vm, &a.kind.jtype(), v.clone())?;
    if !a.store(&v) {
        return Err(errors::convert_error(&a.kind.jtype(), &v));
    }
    Ok(Value::Nothing)
}

// ---------- per-field atomics ----------

/// Julia's memory orderings (`jl_memory_order`), weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Order {
    NotAtomic,
    Unspecified,
    Unordered,
    Monotonic,
    Acquire,
    Release,
    AcqRel,
    SeqCst,
}

#[cold]
fn violation(msg: impl Into<String>) -> Flow {
    Flow::Throw(errors::exc(tid::CONCURRENCYVIOLATIONERROR, vec![Value::str(msg.into())]))
}

/// Julia's `jl_get_atomic_order_checked(order, loading, storing)`, after
/// its check that `order` is a Symbol.
fn order_of(vm: &Vm, who: &str, order: &Value, loading: bool, storing: bool) -> Result<Order, Flow> {
    let Value::Sym(s) = order else {
        return Err(errors::type_error(vm, who, JType::data(tid::SYMBOL), order));
    };
    let o = match s.as_str() {
        "not_atomic" => Some(Order::NotAtomic),
        "unordered" if loading ^ storing => Some(Order::Unordered),
        "monotonic" if loading || storing => Some(Order::Monotonic),
        "acquire" if loading => Some(Order::Acquire),
        "release" if storing => Some(Order::Release),
        "acquire_release" if loading && storing => Some(Order::AcqRel),
        "sequentially_consistent" => Some(Order::SeqCst),
        _ => None,
    };
    o.ok_or_else(|| violation("invalid atomic ordering"))
}

/// Where a field lives: a slot of a mutable struct, or the `x` of a `Ref`.
enum Slot<'a> {
    Struct(&'a MStructObj, usize),
    Ref(&'a parking_lot::Mutex<Value>),
}

/// A field of a mutable object, located by `getfield`'s rules.
struct Field<'a> {
    slot: Slot<'a>,
    atomic: bool,
    ty: JType,
}

impl Field<'_> {
    /// Run `f` on the field's value with the object's field lock held.
    fn with<T>(&self, f: impl FnOnce(&mut Value) -> T) -> T {
        match &self.slot {
            Slot::Struct(s, i) => f(&mut s.fields.lock()[*i]),
            Slot::Ref(c) => f(&mut c.lock()),
        }
    }
}

#[cold]
fn no_field(vm: &Vm, x: &Value, name: &str) -> Flow {
    let t = vm.world.type_name(&vm.world.typeof_(x));
    errors::error(format!("type {t} has no field {name}"))
}

/// The field `f` (a Symbol or a 1-based position) of the mutable object
/// `x`, with Julia's errors for an immutable object or a missing field.
fn mutable_field<'a>(vm: &Vm, who: &str, x: &'a Value, f: &Value) -> Result<Field<'a>, Flow> {
    let immutable = || {
        let t = vm.world.type_name_of_id(vm.world.value_tid(x));
        errors::error(format!("{who}: immutable struct of type {t} cannot be changed"))
    };
    let Value::Obj(o) = x else { return Err(immutable()) };
    match &**o {
        Obj::MStruct(s) => {
            let d = &vm.world.types[s.ty.0 as usize];
            let TypeKind::Struct { fields, field_types, atomic, .. } = &d.kind else {
                return Err(no_field(vm, x, &field_name(f)));
            };
            let i = field_position(vm, who, x, f, fields)?;
            let ty = match &field_types[i] {
                JType::Var(tv) => {
                    match d.params.iter().position(|p| *p == tv.name).and_then(|k| s.params.get(k)) {
                        Some(TParam::Type(t)) => t.clone(),
                        _ => tv.ub.clone(),
                    }
                }
                t => t.clone(),
            };
            Ok(Field { slot: Slot::Struct(s, i), atomic: atomic.get(i).copied().unwrap_or(false), ty })
        }
        Obj::Ref(t, c) => {
            field_position(vm, who, x, f, &[Sym::new("x")])?;
            Ok(Field { slot: Slot::Ref(c), atomic: false, ty: t.clone() })
        }
        Obj::Struct(_) | Obj::NamedTuple(..) | Obj::Range(_) => Err(immutable()),
        _ => Err(no_field(vm, x, &field_name(f))),
    }
}

fn field_name(f: &Value) -> String {
    match f {
        Value::Sym(s) => s.as_str().to_string(),
        Value::Int(i) => i.to_string(),
        _ => String::new(),
    }
}

/// The position of field `f` among `names`: Julia's `get_checked_fieldindex`.
fn field_position(vm: &Vm, who: &str, x: &Value, f: &Value, names: &[Sym]) -> Result<usize, Flow> {
    match f {
        Value::Sym(s) => names.iter().position(|n| n == s).ok_or_else(|| no_field(vm, x, s.as_str())),
        Value::Int(i) if *i >= 1 && (*i as usize) <= names.len() => Ok(*i as usize - 1),
        Value::Int(_) => Err(errors::bounds_error(x.clone(), f.clone())),
        _ => Err(errors::type_error(
            vm,
            who,
            JType::Union(vec![JType::data(tid::INT64), JType::data(tid::SYMBOL)].into()),
            f,
        )),
    }
}

/// Julia's check that a write uses an atomic ordering exactly when the
/// field is atomic.
fn check_write(who: &str, fld: &Field, order: Order) -> Result<(), Flow> {
    if fld.atomic == (order == Order::NotAtomic) {
        return Err(violation(if fld.atomic {
            format!("{who}: atomic field cannot be written non-atomically")
        } else {
            format!("{who}: non-atomic field cannot be written atomically")
        }));
    }
    Ok(())
}

/// The failure-ordering check of `replacefield!`/`setfieldonce!`.
fn check_access(who: &str, fld: &Field, order: Order) -> Result<(), Flow> {
    if fld.atomic == (order == Order::NotAtomic) {
        return Err(violation(if fld.atomic {
            format!("{who}: atomic field cannot be accessed non-atomically")
        } else {
            format!("{who}: non-atomic field cannot be accessed atomically")
        }));
    }
    Ok(())
}

/// Julia's type check of a stored value (`TypeError` naming `who`).
fn check_type(vm: &Vm, who: &str, fld: &Field, v: &Value) -> Result<(), Flow> {
    if vm.world.isa(v, &fld.ty) {
        Ok(())
    } else {
        Err(errors::type_error(vm, who, fld.ty.clone(), v))
    }
}

#[cold]
fn undef_ref() -> Flow {
    Flow::Throw(errors::exc(tid::UNDEFREFERROR, vec![]))
}

/// `getfield(x, f, order)`: an atomic field may be read with any load
/// ordering (or none), a plain field only without one.
pub fn getfield_ordered(vm: &mut Vm, x: &Value, f: &Value, order: &Value) -> NResult {
    let order = match order {
        Value::Bool(_) => Order::Unspecified, // `getfield(x, f, boundscheck)`
        o => order_of(vm, "getfield", o, true, false)?,
    };
    let is_mutable = matches!(x, Value::Obj(o) if matches!(&**o, Obj::MStruct(_) | Obj::Ref(..)));
    if !is_mutable {
        // Immutable values have no atomic fields; find the field first
        // (its errors come before the ordering's).
        let v = match f {
            Value::Sym(_) | Value::Int(_) => getfield(vm, &[x.clone(), f.clone()], None)?,
            _ => return Err(no_method(vm, "getfield", &[x.clone(), f.clone()])),
        };
        if order != Order::NotAtomic && order != Order::Unspecified {
            return Err(violation("getfield: non-atomic field cannot be accessed atomically"));
        }
        return Ok(v);
    }
    let fld = mutable_field(vm, "getfield", x, f)?;
    if !fld.atomic && order != Order::NotAtomic && order != Order::Unspecified {
        return Err(violation("getfield: non-atomic field cannot be accessed atomically"));
    }
    if fld.atomic && order == Order::NotAtomic {
        return Err(violation("getfield: atomic field cannot be accessed non-atomically"));
    }
    let v = fld.with(|v| v.clone());
    if matches!(v, Value::Undef) {
        return Err(undef_ref());
    }
    Ok(v)
}

/// The plain two-argument `getfield`.
fn getfield(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    super::core::getfield(vm, args, kw)
}

/// `setfield!(x, f, v, order)`: Julia's, which stores `v` only if it has
/// the field's type (no conversion); returns `v`.
pub fn setfield_ordered(vm: &mut Vm, x: &Value, f: &Value, v: &Value, order: &Value) -> NResult {
    let order = order_of(vm, "setfield!", order, false, true)?;
    let fld = mutable_field(vm, "setfield!", x, f)?;
    check_write("setfield!", &fld, order)?;
    check_type(vm, "setfield!", &fld, v)?;
    fld.with(|slot| *slot = v.clone());
    Ok(v.clone())
}

/// `getproperty(x, f, order)`.
pub fn getproperty_ordered(vm: &mut Vm, x: &Value, f: &Value, order: &Value) -> NResult {
    getfield_ordered(vm, x, f, order)
}

/// `setproperty!(x, f, v, order)`: converts `v` to the field's type first.
pub fn setproperty_ordered(vm: &mut Vm, x: &Value, f: &Value, v: &Value, order: &Value) -> NResult {
    let v = convert_field(vm, "setfield!", x, f, v)?;
    setfield_ordered(vm, x, f, &v, order)
}

/// A `*property!` form: check the arity (`prop`'s name and range),
/// convert the value at `args[at]` to the field's type (as `field`, the
/// `*field!` form, reports errors) and call that form.
fn via_field(
    vm: &mut Vm,
    args: &[Value],
    (prop, arity): (&str, std::ops::RangeInclusive<usize>),
    (field, at): (&str, usize),
    form: super::NativeFn,
) -> NResult {
    if !arity.contains(&args.len()) {
        return Err(no_method(vm, prop, args));
    }
    let mut a = args.to_vec();
    a[at] = convert_field(vm, field, &args[0], &args[1], &args[at])?;
    form(vm, &a, None)
}

/// `convert(fieldtype(typeof(x), f), v)`.
fn convert_field(vm: &mut Vm, who: &str, x: &Value, f: &Value, v: &Value) -> Result<Value, Flow> {
    let ty = mutable_field(vm, who, x, f)?.ty;
    convert_to(vm, &ty, v.clone())
}

/// The ordering argument at `i` (default `:not_atomic`).
fn order_arg<'a>(args: &'a [Value], i: usize) -> std::borrow::Cow<'a, Value> {
    match args.get(i) {
        Some(v) => std::borrow::Cow::Borrowed(v),
        None => std::borrow::Cow::Owned(Value::Sym(Sym::new("not_atomic"))),
    }
}

/// `swapfield!(x, f, v, order=:not_atomic)`: store `v`, return the old value.
fn swapfield(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (3 | 4) = args.len() else { return Err(no_method(vm, "swapfield!", args)) };
    let order = order_of(vm, "swapfield!", &order_arg(args, 3), true, true)?;
    let fld = mutable_field(vm, "swapfield!", &args[0], &args[1])?;
    check_write("swapfield!", &fld, order)?;
    check_type(vm, "swapfield!", &fld, &args[2])?;
    let old = fld.with(|slot| std::mem::replace(slot, args[2].clone()));
    if matches!(old, Value::Undef) {
        return Err(undef_ref());
    }
    Ok(old)
}

fn swapproperty(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    via_field(vm, args, ("swapproperty!", 3..=4), ("swapfield!", 2), swapfield)
}

/// The success and failure orderings of `replacefield!`/`setfieldonce!`
/// from `args[i]`, `args[i + 1]`.
fn two_orders(vm: &Vm, who: &str, args: &[Value], i: usize) -> Result<(Order, Order), Flow> {
    let success = order_of(vm, who, &order_arg(args, i), true, true)?;
    let failure = match args.get(i + 1) {
        Some(o) => order_of(vm, who, o, true, false)?,
        None => success,
    };
    if failure > success {
        return Err(violation("invalid atomic ordering"));
    }
    Ok((success, failure))
}

/// `(old = ..., success = ...)`, as `replacefield!` returns.
fn old_success(old: Value, ok: bool) -> Value {
    let names: Arc<[Sym]> = Arc::from(vec![Sym::new("old"), Sym::new("success")]);
    Value::obj(Obj::NamedTuple(names, vec![old, Value::Bool(ok)].into()))
}

/// `replacefield!(x, f, expected, desired, success_order=:not_atomic,
/// fail_order=success_order)`: store `desired` if the field `===
/// expected`; returns `(; old, success)`.
fn replacefield(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (4..=6) = args.len() else { return Err(no_method(vm, "replacefield!", args)) };
    let (success, failure) = two_orders(vm, "replacefield!", args, 4)?;
    let fld = mutable_field(vm, "replacefield!", &args[0], &args[1])?;
    check_write("replacefield!", &fld, success)?;
    check_access("replacefield!", &fld, failure)?;
    check_type(vm, "replacefield!", &fld, &args[3])?;
    let (old, ok) = fld.with(|slot| {
        let old = slot.clone();
        let ok = !matches!(old, Value::Undef) && old.egal(&args[2]);
        if ok {
            *slot = args[3].clone();
        }
        (old, ok)
    });
    if matches!(old, Value::Undef) {
        return Err(undef_ref());
    }
    Ok(old_success(old, ok))
}

fn replaceproperty(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    via_field(vm, args, ("replaceproperty!", 4..=6), ("replacefield!", 3), replacefield)
}

/// `setfieldonce!(x, f, v, success_order=:not_atomic, fail_order=success_order)`:
/// store `v` if the field is not yet assigned; returns whether it did.
fn setfieldonce(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (3..=5) = args.len() else { return Err(no_method(vm, "setfieldonce!", args)) };
    let (success, failure) = two_orders(vm, "setfieldonce!", args, 3)?;
    let fld = mutable_field(vm, "setfieldonce!", &args[0], &args[1])?;
    check_write("setfieldonce!", &fld, success)?;
    check_access("setfieldonce!", &fld, failure)?;
    check_type(vm, "setfieldonce!", &fld, &args[2])?;
    let ok = fld.with(|slot| {
        let unset = matches!(slot, Value::Undef);
        if unset {
            *slot = args[2].clone();
        }
        unset
    });
    Ok(Value::Bool(ok))
}

fn setpropertyonce(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    via_field(vm, args, ("setpropertyonce!", 3..=5), ("setfieldonce!", 2), setfieldonce)
}

/// `__modifyfield_begin__(x, f, order)`: the checks of Julia's
/// `modifyfield!` (before the operator runs); returns the field's
/// position and current value for the compare-and-swap loop.
fn modifyfield_begin(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x, f, order] = args else { return Err(no_method(vm, "__modifyfield_begin__", args)) };
    let order = order_of(vm, "modifyfield!", order, true, true)?;
    let fld = mutable_field(vm, "modifyfield!", x, f)?;
    check_write("modifyfield!", &fld, order)?;
    let old = fld.with(|v| v.clone());
    if matches!(old, Value::Undef) {
        return Err(undef_ref());
    }
    let pos = match fld.slot {
        Slot::Struct(_, i) => i as i64 + 1,
        Slot::Ref(_) => 1,
    };
    Ok(Value::tuple(vec![Value::Int(pos), old]))
}

/// `__modifyfield_cas__(x, i, old, new)`: store `new` in field `i` if it
/// still holds `old` (`===`); returns `(current value, success)`. `new`
/// must have the field's type (Julia's `TypeError` in `modifyfield!`).
fn modifyfield_cas(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x, i, old, new] = args else { return Err(no_method(vm, "__modifyfield_cas__", args)) };
    let fld = mutable_field(vm, "modifyfield!", x, i)?;
    check_type(vm, "modifyfield!", &fld, new)?;
    let (cur, ok) = fld.with(|slot| {
        if slot.egal(old) {
            *slot = new.clone();
            (new.clone(), true)
        } else {
            (slot.clone(), false)
        }
    });
    Ok(Value::tuple(vec![cur, Value::Bool(ok)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_atomic(kind: AtomicKind, v: Value) -> Value {
        Value::obj(Obj::Atomic(AtomicObj::new(kind, &v).expect("value of the kind")))
    }

    #[test]
    fn atomic_add_from_four_threads_loses_no_update() {
        // Four OS threads each add 1 to one shared `Threads.Atomic{Int}`
        // 100_000 times through the operation the native runs; a lost
        // update (a non-atomic read-modify-write) would leave less.
        let x = new_atomic(AtomicKind::Int, Value::Int(0));
        let f = new_atomic(AtomicKind::Float, Value::Float(0.0));
        let n = 100_000;
        let ts: Vec<_> = (0..4)
            .map(|_| {
                let (x, f) = (x.clone(), f.clone());
                std::thread::spawn(move || {
                    let (a, b) = (atomic_of(&x).expect("atomic"), atomic_of(&f).expect("atomic"));
                    for _ in 0..n {
                        rmw(a, Rmw::Add, &Value::Int(1)).expect("add on Int");
                        rmw(b, Rmw::Add, &Value::Float(1.0)).expect("add on Float64");
                    }
                })
            })
            .collect();
        for t in ts {
            t.join().expect("thread");
        }
        assert!(matches!(atomic_of(&x).expect("atomic").load(), Value::Int(v) if v == 4 * n));
        assert!(matches!(atomic_of(&f).expect("atomic").load(), Value::Float(v) if v == 4.0 * n as f64));
    }

    #[test]
    fn cas_counter_from_four_threads() {
        // A counter incremented only through `atomic_cas!` retry loops.
        let x = new_atomic(AtomicKind::Int, Value::Int(0));
        let ts: Vec<_> = (0..4)
            .map(|_| {
                let x = x.clone();
                std::thread::spawn(move || {
                    let a = atomic_of(&x).expect("atomic");
                    for _ in 0..20_000 {
                        let mut old = a.load();
                        loop {
                            let Value::Int(o) = old else { panic!("int") };
                            let seen = cas(a, &old, &Value::Int(o + 1)).expect("cas");
                            if seen.egal(&old) {
                                break;
                            }
                            old = seen;
                        }
                    }
                })
            })
            .collect();
        for t in ts {
            t.join().expect("thread");
        }
        assert!(matches!(atomic_of(&x).expect("atomic").load(), Value::Int(80_000)));
    }

    #[test]
    fn operations_return_the_old_value() {
        let x = new_atomic(AtomicKind::Int, Value::Int(5));
        let a = atomic_of(&x).expect("atomic");
        assert!(matches!(rmw(a, Rmw::Max, &Value::Int(7)), Some(Value::Int(5))));
        assert!(matches!(rmw(a, Rmw::Nand, &Value::Int(2)), Some(Value::Int(7))));
        assert!(matches!(a.load(), Value::Int(-3)));
        assert!(rmw(a, Rmw::Add, &Value::Float(1.0)).is_none());
        let b = new_atomic(AtomicKind::Bool, Value::Bool(true));
        let b = atomic_of(&b).expect("atomic");
        assert!(matches!(rmw(b, Rmw::Nand, &Value::Bool(true)), Some(Value::Bool(true))));
        assert!(matches!(b.load(), Value::Bool(false)));
        assert!(rmw(b, Rmw::Add, &Value::Bool(true)).is_none());
        let f = new_atomic(AtomicKind::Float, Value::Float(1.5));
        let f = atomic_of(&f).expect("atomic");
        assert!(rmw(f, Rmw::And, &Value::Float(1.0)).is_none());
        assert!(matches!(rmw(f, Rmw::Min, &Value::Float(-2.0)), Some(Value::Float(v)) if v == 1.5));
        assert!(
            matches!(cas(f, &Value::Float(-2.0), &Value::Float(3.0)), Some(Value::Float(v)) if v == -2.0)
        );
        assert!(matches!(f.load(), Value::Float(v) if v == 3.0));
    }
}
