//! `typeof`, `isa`, the subtype relation and type names, over a [`World`]
//! snapshot of the type table.
//!
//! Simplifications (documented in ARCHITECTURE.md): `AbstractVector{T}` /
//! `AbstractMatrix{T}` are treated as `AbstractArray{T,1|2}`; parameters of
//! user parametric structs' supertypes are not tracked.

use crate::obj::{IoObj, Obj, Range};
use crate::runtime::World;
use crate::types::{tid, JType, TParam, TypeId};
use crate::value::Value;
use jlx_bytecode::ModId;
use std::sync::Arc;

impl World {
    pub fn supertype(&self, id: TypeId) -> TypeId {
        self.types.get(id.0 as usize).map(|d| d.supertype).unwrap_or(tid::ANY)
    }

    /// Nominal subtyping on ids (`Int64 <: Integer`).
    pub fn is_subid(&self, mut a: TypeId, b: TypeId) -> bool {
        if b == tid::ANY || a == b {
            return true;
        }
        if b == tid::ABSTRACTVECTOR || b == tid::ABSTRACTMATRIX {
            return self.is_subid(a, tid::ABSTRACTARRAY);
        }
        loop {
            if a == b {
                return true;
            }
            if a == tid::ANY {
                return false;
            }
            a = self.supertype(a);
        }
    }

    /// The nominal id of a value's type.
    pub fn value_tid(&self, v: &Value) -> TypeId {
        match v {
            Value::Undef | Value::Nothing => tid::NOTHING,
            Value::Bool(_) => tid::BOOL,
            Value::Int(_) => tid::INT64,
            Value::Float(_) => tid::FLOAT64,
            Value::Char(_) => tid::CHAR,
            Value::Sym(_) => tid::SYMBOL,
            Value::Func(_) | Value::Closure(_) => tid::FUNCTION,
            Value::Type(t) => match &**t {
                JType::Union(_) => tid::UNION,
                t if self.is_unionall(t) => tid::UNIONALL,
                _ => tid::DATATYPE,
            },
            Value::Str(_) => tid::STRING,
            Value::Array(_) => tid::ARRAY,
            Value::Tuple(_) => tid::TUPLE,
            Value::Task(_) => tid::TASK,
            Value::Obj(o) => match &**o {
                Obj::Struct(s) => s.ty,
                Obj::MStruct(s) => s.ty,
                Obj::Range(Range::Unit(..)) => tid::UNITRANGE,
                Obj::Range(Range::Step(..)) => tid::STEPRANGE,
                Obj::Range(Range::Float(..)) => tid::STEPRANGELEN,
                Obj::NamedTuple(..) => tid::NAMEDTUPLE,
                Obj::Dict(d) => d.type_id(),
                Obj::Set(_) => tid::SET,
                Obj::Ref(..) => tid::REFVALUE,
                Obj::Cell(_) => tid::CELL,
                Obj::Io(IoObj::Buffer(_)) => tid::IOBUFFER,
                Obj::Io(_) => tid::IOSTREAM,
                Obj::Module(_) => tid::MODULE,
                Obj::Hole(..) => tid::HOLE,
                Obj::TypeVar(_) => tid::TYPEVAR,
                Obj::Enumerate(_) => tid::ENUMERATE,
                Obj::Zip(_) => tid::ZIP,
                Obj::Keys(_) => tid::KEYSET,
                Obj::Values(_) => tid::VALUEITERATOR,
                Obj::Chan(_) => tid::CHANNEL,
                Obj::Cond(_) => tid::CONDITION,
                Obj::Atomic(_) => tid::ATOMIC,
            },
        }
    }

    /// Is `t` a type with free parameters (`Vector`, `Dict`, `Vector{T} where T`)?
    pub fn is_unionall(&self, t: &JType) -> bool {
        match t {
            JType::Data(id, ps) => {
                (ps.is_empty()
                    && self.types.get(id.0 as usize).map(|d| !d.params.is_empty()).unwrap_or(false))
                    || t.has_vars()
            }
            _ => t.has_vars(),
        }
    }

    /// Julia's `typeof`.
    pub fn typeof_(&self, v: &Value) -> JType {
        match v {
            Value::Array(a) => {
                let g = a.inner.lock();
                JType::array(g.data.eltype(), g.dims.len())
            }
            Value::Tuple(t) => JType::Tuple(t.0.iter().map(|x| self.typeof_(x)).collect()),
            Value::Func(f) => JType::Function(*f),
            Value::Obj(o) => match &**o {
                Obj::Struct(s) => {
                    if s.ty == tid::PAIR {
                        return JType::with(
                            tid::PAIR,
                            s.fields.iter().map(|f| TParam::Type(self.typeof_(f))).collect(),
                        );
                    }
                    if s.ty == tid::SOME {
                        return JType::with(tid::SOME, vec![TParam::Type(self.typeof_(&s.fields[0]))]);
                    }
                    JType::Data(s.ty, s.params.clone())
                }
                Obj::MStruct(s) => JType::Data(s.ty, s.params.clone()),
                Obj::Range(Range::Unit(..)) => {
                    JType::with(tid::UNITRANGE, vec![TParam::Type(JType::data(tid::INT64))])
                }
                Obj::Range(Range::Step(..)) => JType::with(
                    tid::STEPRANGE,
                    vec![TParam::Type(JType::data(tid::INT64)), TParam::Type(JType::data(tid::INT64))],
                ),
                Obj::NamedTuple(names, vals) => {
                    JType::NamedTuple(names.clone(), vals.iter().map(|x| self.typeof_(x)).collect())
                }
                Obj::Dict(d) => JType::with(
                    d.type_id(),
                    vec![TParam::Type(d.key_type.clone()), TParam::Type(d.val_type.clone())],
                ),
                Obj::Set(d) => JType::with(tid::SET, vec![TParam::Type(d.key_type.clone())]),
                Obj::Ref(t, _) => JType::with(tid::REFVALUE, vec![TParam::Type(t.clone())]),
                Obj::Chan(c) => JType::with(tid::CHANNEL, vec![TParam::Type(c.eltype.clone())]),
                Obj::Atomic(a) => JType::with(tid::ATOMIC, vec![TParam::Type(a.kind.jtype())]),
                _ => JType::data(self.value_tid(v)),
            },
            _ => JType::data(self.value_tid(v)),
        }
    }

    /// Julia's `isa`.
    pub fn isa(&self, v: &Value, t: &JType) -> bool {
        match t {
            JType::Data(id, ps) if ps.is_empty() => {
                if *id == tid::ANY {
                    return true;
                }
                if *id == tid::ABSTRACTVECTOR || *id == tid::ABSTRACTMATRIX {
                    let n = if *id == tid::ABSTRACTVECTOR { 1 } else { 2 };
                    return match v {
                        Value::Array(a) => a.inner.lock().dims.len() == n,
                        Value::Obj(o) => n == 1 && matches!(&**o, Obj::Range(_)),
                        _ => false,
                    };
                }
                let vt = self.value_tid(v);
                if *id == tid::FUNCTION {
                    return vt == tid::FUNCTION || self.is_subid(vt, tid::FUNCTION);
                }
                self.is_subid(vt, *id)
            }
            JType::TypeOf(inner) => match v {
                Value::Type(x) => match &**inner {
                    JType::Var(tv) => self.subtype(x, &tv.ub),
                    other => **x == *other,
                },
                _ => false,
            },
            JType::Var(tv) => self.isa(v, &tv.ub),
            JType::Union(ts) => ts.iter().any(|t| self.isa(v, t)),
            JType::Bottom => false,
            JType::Function(f) => matches!(v, Value::Func(g) if g == f),
            _ => self.subtype(&self.typeof_(v), t),
        }
    }

    /// Parameters of `a` viewed as its supertype `b` (`Vector{Int}` as `AbstractArray{Int,1}`).
    fn super_params(&self, a: &JType, b: TypeId) -> Option<Vec<TParam>> {
        let JType::Data(ia, pa) = a else { return None };
        let int = |n| TParam::Int(n);
        let t = |x: &JType| TParam::Type(x.clone());
        let elt = match *ia {
            tid::ARRAY => pa.first().cloned(),
            tid::UNITRANGE | tid::STEPRANGE | tid::STEPRANGELEN => pa.first().cloned(),
            _ => None,
        };
        match b {
            tid::ABSTRACTARRAY => {
                let n = match *ia {
                    tid::ARRAY => pa.get(1).cloned().unwrap_or(int(1)),
                    _ => int(1),
                };
                Some(vec![elt?, n])
            }
            tid::ABSTRACTVECTOR | tid::ABSTRACTMATRIX | tid::ABSTRACTRANGE => Some(vec![elt?]),
            tid::ABSTRACTDICT => Some(pa.to_vec()),
            tid::ABSTRACTSET | tid::ABSTRACTCHANNEL | tid::REF => pa.first().map(|p| vec![p.clone()]),
            _ => {
                let _ = t;
                None
            }
        }
    }

    fn param_matches(&self, a: &TParam, b: &TParam) -> bool {
        match (a, b) {
            (_, TParam::Type(JType::Var(tv))) => match a {
                TParam::Type(x) => self.subtype(x, &tv.ub),
                TParam::Int(_) => true,
            },
            (TParam::Int(x), TParam::Int(y)) => x == y,
            (TParam::Type(x), TParam::Type(y)) => x == y || (self.subtype(x, y) && self.subtype(y, x)),
            _ => false,
        }
    }

    /// The subtype relation `a <: b`.
    pub fn subtype(&self, a: &JType, b: &JType) -> bool {
        match (a, b) {
            (_, b) if b.is_any() => true,
            (JType::Bottom, _) => true,
            (_, JType::Var(tv)) => self.subtype(a, &tv.ub),
            (JType::Var(tv), _) => self.subtype(&tv.ub, b),
            (JType::Union(xs), _) => xs.iter().all(|x| self.subtype(x, b)),
            (_, JType::Union(ys)) => ys.iter().any(|y| self.subtype(a, y)),
            (JType::Tuple(xs), JType::Tuple(ys)) => {
                xs.len() == ys.len() && xs.iter().zip(ys.iter()).all(|(x, y)| self.subtype(x, y))
            }
            (JType::Tuple(_), JType::Data(id, ps)) => *id == tid::TUPLE && ps.is_empty(),
            (JType::NamedTuple(n1, t1), JType::NamedTuple(n2, t2)) => {
                n1 == n2 && t1.iter().zip(t2.iter()).all(|(x, y)| self.subtype(x, y))
            }
            (JType::NamedTuple(..), JType::Data(id, ps)) => *id == tid::NAMEDTUPLE && ps.is_empty(),
            (JType::TypeOf(x), JType::TypeOf(y)) => match &**y {
                JType::Var(tv) => self.subtype(x, &tv.ub),
                y => **x == *y,
            },
            (JType::TypeOf(_), JType::Data(id, _)) => self.is_subid(tid::DATATYPE, *id),
            (JType::Function(_), JType::Data(id, _)) => self.is_subid(tid::FUNCTION, *id),
            (JType::Function(f), JType::Function(g)) => f == g,
            (JType::Data(ia, pa), JType::Data(ib, pb)) => {
                if !self.is_subid(*ia, *ib) {
                    return false;
                }
                if pb.is_empty() {
                    if *ib == tid::ABSTRACTVECTOR || *ib == tid::ABSTRACTMATRIX {
                        let n = if *ib == tid::ABSTRACTVECTOR { 1 } else { 2 };
                        return match *ia {
                            tid::ARRAY => {
                                matches!(pa.get(1), Some(TParam::Int(k)) if *k == n) || pa.is_empty()
                            }
                            tid::UNITRANGE | tid::STEPRANGE | tid::STEPRANGELEN => n == 1,
                            _ => true,
                        };
                    }
                    return true;
                }
                let view: Vec<TParam> = if ia == ib {
                    pa.to_vec()
                } else {
                    match self.super_params(a, *ib) {
                        Some(p) => p,
                        None => return pb.iter().all(|p| matches!(p, TParam::Type(JType::Var(_)))),
                    }
                };
                if view.is_empty() {
                    // `Vector` (no params) is not a subtype of `Vector{Int}`.
                    return pb.iter().all(|p| matches!(p, TParam::Type(JType::Var(_))));
                }
                view.len() >= pb.len() && view.iter().zip(pb.iter()).all(|(x, y)| self.param_matches(x, y))
            }
            _ => false,
        }
    }

    pub fn type_name_of_id(&self, id: TypeId) -> String {
        let d = &self.types[id.0 as usize];
        let n = d.name.as_str();
        match id {
            tid::REFVALUE | tid::GENERATOR | tid::ENUMERATE | tid::ZIP | tid::KEYSET | tid::VALUEITERATOR => {
                format!(
                    "Base.{}",
                    if id == tid::ENUMERATE {
                        "Iterators.Enumerate"
                    } else if id == tid::ZIP {
                        "Iterators.Zip"
                    } else {
                        n
                    }
                )
            }
            tid::ATOMIC | tid::SPINLOCK => format!("Base.Threads.{n}"),
            // `Threads.Condition` is Julia's `GenericCondition{ReentrantLock}`,
            // `Base.ThreadSynchronizer` its `GenericCondition{Threads.SpinLock}`.
            _ if d.module == ModId::BASE && n == "ThreadsCondition" => {
                "Base.GenericCondition{ReentrantLock}".into()
            }
            _ if d.module == ModId::BASE && n == "SpinLock" => "Base.Threads.SpinLock".into(),
            _ if d.module == ModId::BASE && n == "ThreadSynchronizer" => {
                "Base.GenericCondition{Base.Threads.SpinLock}".into()
            }
            _ if d.module == ModId::BASE && jlx_bytecode::THREADS_TYPES.contains(&n) => {
                format!("Base.Threads.{n}")
            }
            // Unexported Base types written in the jlx stdlib.
            _ if d.module == ModId::BASE && jlx_bytecode::BASE_UNEXPORTED.contains(&n) => format!("Base.{n}"),
            _ => n.to_string(),
        }
    }

    /// Julia's printed form of a type.
    pub fn type_name(&self, t: &JType) -> String {
        let p = |x: &TParam| match x {
            TParam::Type(t) => self.type_name(t),
            TParam::Int(i) => i.to_string(),
        };
        match t {
            JType::Bottom => "Union{}".into(),
            JType::Data(id, ps) => {
                if ps.is_empty() {
                    return self.type_name_of_id(*id);
                }
                if *id == tid::ARRAY {
                    match ps.get(1) {
                        Some(TParam::Int(1)) => return format!("Vector{{{}}}", p(&ps[0])),
                        Some(TParam::Int(2)) => return format!("Matrix{{{}}}", p(&ps[0])),
                        _ => {}
                    }
                }
                let inner: Vec<String> = ps.iter().map(p).collect();
                format!("{}{{{}}}", self.type_name_of_id(*id), inner.join(", "))
            }
            JType::Tuple(ts) => {
                let inner: Vec<String> = ts.iter().map(|t| self.type_name(t)).collect();
                format!("Tuple{{{}}}", inner.join(", "))
            }
            JType::NamedTuple(ns, ts) => {
                let inner: Vec<String> =
                    ns.iter().zip(ts.iter()).map(|(n, t)| format!("{}::{}", n, self.type_name(t))).collect();
                format!("@NamedTuple{{{}}}", inner.join(", "))
            }
            JType::Union(ts) => {
                let inner: Vec<String> = ts.iter().map(|t| self.type_name(t)).collect();
                format!("Union{{{}}}", inner.join(", "))
            }
            JType::Var(tv) => tv.name.as_str().to_string(),
            JType::TypeOf(t) => format!("Type{{{}}}", self.type_name(t)),
            JType::Function(f) => format!("typeof({})", self.funcs[f.0 as usize].name),
        }
    }

    /// Build `base{params...}` (`Vector{Int}`, `Dict{String,Int}`, `Type{T}`).
    pub fn apply_type(&self, base: &JType, args: &[TParam]) -> Option<JType> {
        match base {
            JType::Data(id, ps) => {
                if *id == tid::TYPE {
                    if let Some(TParam::Type(t)) = args.first() {
                        return Some(JType::TypeOf(Arc::new(t.clone())));
                    }
                }
                if ps.is_empty() {
                    let mut v = args.to_vec();
                    if *id == tid::ARRAY && v.len() == 1 {
                        return Some(JType::Data(*id, v.into()));
                    }
                    if *id == tid::ABSTRACTVECTOR || *id == tid::ABSTRACTMATRIX {
                        v.truncate(1);
                    }
                    return Some(JType::Data(*id, v.into()));
                }
                // Fill free variables in order (`Vector` = `Array{T,1} where T`).
                let mut it = args.iter();
                let filled: Vec<TParam> = ps
                    .iter()
                    .map(|q| match q {
                        TParam::Type(JType::Var(_)) => it.next().cloned().unwrap_or_else(|| q.clone()),
                        other => other.clone(),
                    })
                    .collect();
                Some(JType::Data(*id, filled.into()))
            }
            _ => None,
        }
    }
}

/// Whether `v` can be stored as it is in a slot of declared type `t`
/// (`Any`, or the common scalar types; checked without the type system).
/// False means: `convert` it first.
#[inline]
pub fn holds_as_is(t: &JType, v: &Value) -> bool {
    if t.is_any() {
        return true;
    }
    matches!(
        (t.id(), v),
        (Some(tid::INT64), Value::Int(_))
            | (Some(tid::FLOAT64), Value::Float(_))
            | (Some(tid::BOOL), Value::Bool(_))
            | (Some(tid::STRING), Value::Str(_))
    )
}
