//! Built-in (native) functions, grouped by area, and their registration as
//! methods of Base generic functions.
//!
//! Every native is a leaf: it returns a value, throws, or asks for a tail
//! call (`Flow::Call`) into jlx code; it never runs jlx code itself.
//! A native is registered as the least specific method (`Any...`) of its
//! function, so user methods on their own types always win.

mod arrays_lib;
pub mod atomics;
pub mod channels;
mod collections;
pub(crate) mod core;
pub mod io;
mod kernels;
mod linalg;
mod locks;
mod math;
mod seq_lib;
mod strings;
mod support;
pub mod tasks;

use crate::errors;
use crate::runtime::{Flow, Method, MethodBody, NResult, NativeFn, Runtime};
use crate::types::JType;
use crate::value::{FuncId, Value};
use crate::vm::Vm;
use jlx_base::Sym;
use jlx_bytecode::ModId;

pub use support::convert_to;

/// Register native `f` as a method of `module.name`.
pub fn register(rt: &Runtime, module: ModId, name: &str, f: NativeFn) -> FuncId {
    let fid = function_named(rt, module, name);
    rt.add_method(
        fid,
        Method { sig: vec![JType::any()].into(), vararg: true, body: MethodBody::Native(f), simple: false },
    );
    fid
}

/// Register native `f` as the method of `module.name` for the positional
/// signature `sig` (placed among the jlx methods by specificity).
pub fn register_sig(rt: &Runtime, module: ModId, name: &str, sig: Vec<JType>, f: NativeFn) {
    let fid = function_named(rt, module, name);
    rt.add_method(fid, Method { sig: sig.into(), vararg: false, body: MethodBody::Native(f), simple: false });
}

/// The generic function `module.name`, created if needed.
fn function_named(rt: &Runtime, module: ModId, name: &str) -> FuncId {
    let g = rt.global(module, name);
    let cell = rt.cell(g);
    match cell.get() {
        Some(Value::Func(id)) => id,
        _ => {
            let id = rt.new_function(Sym::new(name), module);
            let _ = cell.konst.set(Value::Func(id));
            id
        }
    }
}

/// Bind a constant in Base.
pub fn constant(rt: &Runtime, module: ModId, name: &str, v: Value) {
    let g = rt.global(module, name);
    let _ = rt.cell(g).konst.set(v);
}

/// Register every built-in function and constant.
pub fn register_all(rt: &Runtime) {
    core::install(rt);
    collections::install(rt);
    arrays_lib::install(rt);
    seq_lib::install(rt);
    linalg::install(rt);
    math::install(rt);
    strings::install(rt);
    io::install(rt);
    support::install(rt);
    tasks::install(rt);
    channels::install(rt);
    locks::install(rt);
    atomics::install(rt);
}

// ---------- argument helpers ----------

/// `MethodError` for `name(args...)` with a real MethodError value.
#[cold]
pub fn no_method(vm: &mut Vm, name: &str, args: &[Value]) -> Flow {
    let f = vm.base_func(name).map(Value::Func).unwrap_or(Value::Sym(Sym::new(name)));
    errors::method_error(f, args)
}

/// The keyword `name` from a keyword NamedTuple.
pub fn kwarg(kw: Option<&Value>, name: &str) -> Option<Value> {
    kw.and_then(|k| crate::fields::namedtuple_get(k, Sym::new(name)))
}

// ---------- hooks for object kinds defined outside the VM core ----------

pub fn native_field(vm: &mut Vm, v: &Value, name: Sym) -> Option<Value> {
    if let Some(c) = crate::chan::chan_of(v) {
        return channels::chan_field(vm, c, name);
    }
    crate::task::task_of(v).and_then(|t| tasks::task_field(t, name))
}

pub fn set_native_field(vm: &mut Vm, v: &Value, name: Sym, val: Value) -> Result<(), Flow> {
    if let Some(t) = crate::task::task_of(v) {
        return tasks::set_task_field(t, name, val);
    }
    let t = vm.world.type_name(&vm.world.typeof_(v));
    Err(errors::error(format!("type {t} has no field {name}")))
}
