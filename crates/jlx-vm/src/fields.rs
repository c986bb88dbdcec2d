//! Field access (`x.f`, `x.f = v`) on structs, named tuples, modules and
//! built-in objects, and keyword-argument NamedTuple helpers.

use crate::errors;
use crate::obj::Obj;
use crate::runtime::Flow;
use crate::types::{tid, TypeKind};
use crate::value::Value;
use crate::vm::Vm;
use jlx_base::Sym;

fn no_field(vm: &Vm, v: &Value, name: Sym) -> Flow {
    let t = vm.world.type_name(&vm.world.typeof_(v));
    errors::error(format!("type {t} has no field {name}"))
}

pub fn get_field(vm: &mut Vm, v: &Value, name: Sym) -> Result<Value, Flow> {
    match v {
        Value::Task(_) => crate::natives::native_field(vm, v, name).ok_or_else(|| no_field(vm, v, name)),
        Value::Obj(o) => match &**o {
            Obj::Struct(s) => match field_index(vm, s.ty, name) {
                Some(i) => Ok(s.fields[i].clone()),
                None => Err(no_field(vm, v, name)),
            },
            Obj::MStruct(s) => match field_index(vm, s.ty, name) {
                Some(i) => Ok(s.fields.lock()[i].clone()),
                None => Err(no_field(vm, v, name)),
            },
            Obj::NamedTuple(names, vals) => match names.iter().position(|n| *n == name) {
                Some(i) => Ok(vals[i].clone()),
                None => Err(no_field(vm, v, name)),
            },
            Obj::Module(m) => {
                let g = vm
                    .rt
                    .names
                    .lookup(*m, name)
                    .or_else(|| vm.rt.names.lookup(jlx_bytecode::ModId::BASE, name));
                match g.and_then(|g| vm.rt.cell(g).get()) {
                    Some(v) => Ok(v),
                    None => Err(Flow::Throw(errors::exc(
                        tid::UNDEFVARERROR,
                        vec![Value::Sym(name), Value::obj(Obj::Module(*m))],
                    ))),
                }
            }
            Obj::Ref(_, cell) if name.as_str() == "x" => Ok(cell.lock().clone()),
            Obj::Chan(_) | Obj::Cond(_) => {
                crate::natives::native_field(vm, v, name).ok_or_else(|| no_field(vm, v, name))
            }
            _ => Err(no_field(vm, v, name)),
        },
        Value::Type(t) => match name.as_str() {
            "name" => Ok(Value::Sym(Sym::new(&vm.world.type_name(t)))),
            _ => Err(no_field(vm, v, name)),
        },
        _ => Err(no_field(vm, v, name)),
    }
}

/// The position of field `name` in struct type `ty`.
#[inline]
fn field_index(vm: &Vm, ty: crate::types::TypeId, name: Sym) -> Option<usize> {
    match &vm.world.types[ty.0 as usize].kind {
        TypeKind::Struct { fields, .. } => fields.iter().position(|f| *f == name),
        _ => crate::types::exception_fields(ty).iter().position(|f| *f == name.as_str()),
    }
}

pub fn struct_fields(vm: &Vm, ty: crate::types::TypeId) -> Vec<Sym> {
    let d = &vm.world.types[ty.0 as usize];
    match &d.kind {
        TypeKind::Struct { fields, .. } => fields.clone(),
        _ => crate::types::exception_fields(ty).iter().map(|s| Sym::new(s)).collect(),
    }
}

pub fn set_field(vm: &mut Vm, v: &Value, name: Sym, val: Value) -> Result<(), Flow> {
    match v {
        Value::Task(_) => crate::natives::set_native_field(vm, v, name, val),
        Value::Obj(o) => match &**o {
            Obj::MStruct(s) => {
                let d = vm.world.types[s.ty.0 as usize].clone();
                let TypeKind::Struct { fields, field_types, atomic, .. } = &d.kind else {
                    return Err(no_field(vm, v, name));
                };
                let Some(i) = fields.iter().position(|f| *f == name) else {
                    return Err(no_field(vm, v, name));
                };
                if atomic.get(i).copied().unwrap_or(false) {
                    return Err(Flow::Throw(errors::exc(
                        tid::CONCURRENCYVIOLATIONERROR,
                        vec![Value::str("setfield!: atomic field cannot be written non-atomically")],
                    )));
                }
                let val = crate::natives::convert_to(vm, &field_types[i], val)?;
                s.fields.lock()[i] = val;
                Ok(())
            }
            Obj::Struct(s) => {
                let t = vm.world.type_name_of_id(s.ty);
                Err(errors::error(format!("setfield!: immutable struct of type {t} cannot be changed")))
            }
            Obj::Ref(_, cell) if name.as_str() == "x" => {
                *cell.lock() = val;
                Ok(())
            }
            Obj::Chan(_) | Obj::Cond(_) => crate::natives::set_native_field(vm, v, name, val),
            _ => Err(no_field(vm, v, name)),
        },
        _ => Err(no_field(vm, v, name)),
    }
}

/// The value of keyword `name` in a NamedTuple (or `None`).
pub fn namedtuple_get(nt: &Value, name: Sym) -> Option<Value> {
    if let Value::Obj(o) = nt {
        if let Obj::NamedTuple(names, vals) = &**o {
            return names.iter().position(|n| *n == name).map(|i| vals[i].clone());
        }
    }
    None
}

fn syms_of(names: &Value) -> Vec<Sym> {
    match names {
        Value::Tuple(t) => {
            t.0.iter().filter_map(|v| if let Value::Sym(s) = v { Some(*s) } else { None }).collect()
        }
        _ => vec![],
    }
}

/// The keywords of `nt` not listed in `names` (for `kws...`): a
/// `Dict{Symbol, Any}` in call order, which iterates as `k => v` pairs and
/// splats back into keywords like Julia's `Base.Pairs`.
pub fn namedtuple_without(nt: &Value, names: &Value) -> Value {
    use crate::types::{tid, JType};
    let known = syms_of(names);
    let mut data = crate::obj::DictData::default();
    if let Value::Obj(o) = nt {
        if let Obj::NamedTuple(n, v) = &**o {
            for (a, b) in n.iter().zip(v.iter()) {
                if !known.contains(a) {
                    data.insert(Value::Sym(*a), b.clone());
                }
            }
        }
    }
    Value::obj(Obj::Dict(Box::new(crate::obj::DictObj {
        key_type: JType::data(tid::SYMBOL),
        val_type: JType::any(),
        data: parking_lot::Mutex::new(data),
    })))
}

/// The first keyword of `nt` not listed in `names`.
pub fn namedtuple_extra(nt: &Value, names: &Value) -> Option<(Sym, Value)> {
    let known = syms_of(names);
    if let Value::Obj(o) = nt {
        if let Obj::NamedTuple(n, v) = &**o {
            for (a, b) in n.iter().zip(v.iter()) {
                if !known.contains(a) {
                    return Some((*a, b.clone()));
                }
            }
        }
    }
    None
}
