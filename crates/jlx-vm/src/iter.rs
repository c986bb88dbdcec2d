//! Native iteration of built-in collections for `for` loops and
//! destructuring. The state is an Int (next 0-based position, or the current
//! value for unit ranges), so loops over ranges and arrays allocate nothing.
//! Anything else answers [`Step::Generic`] and the VM calls `iterate`.

use crate::errors;
use crate::obj::{Obj, Range};
use crate::runtime::Flow;
use crate::types::tid;
use crate::value::Value;

pub enum Step {
    Item(Value, Value),
    Done,
    Generic,
}

fn pair(a: Value, b: Value) -> Value {
    crate::errors::exc(tid::PAIR, vec![a, b])
}

/// The element at 0-based position `i` of a natively iterable collection, if any.
fn at(c: &Value, i: usize) -> Option<Option<Value>> {
    Some(match c {
        Value::Array(a) => {
            let g = a.inner.lock();
            if i < g.data.len() {
                Some(g.data.get(i))
            } else {
                None
            }
        }
        Value::Tuple(t) => t.0.get(i).cloned(),
        Value::Obj(o) => match &**o {
            Obj::Range(r) => {
                if (i as i64) < r.len() {
                    Some(r.get(i as i64))
                } else {
                    None
                }
            }
            Obj::NamedTuple(_, vals) => vals.get(i).cloned(),
            Obj::Dict(d) => {
                let g = d.data.lock();
                return Some(g.next_slot(i).map(|_| Value::Nothing));
            }
            Obj::Struct(s) if s.ty == tid::PAIR => s.fields.get(i).cloned(),
            _ => return None,
        },
        _ => return None,
    })
}

pub fn first(c: &Value) -> Step {
    match c {
        Value::Obj(o) => match &**o {
            Obj::Range(Range::Unit(a, b)) => {
                return if a > b { Step::Done } else { Step::Item(Value::Int(*a), Value::Int(*a)) };
            }
            Obj::Dict(_) | Obj::Set(_) | Obj::Keys(_) | Obj::Values(_) | Obj::Enumerate(_) | Obj::Zip(_) => {
                return slot_step(c, 0)
            }
            _ => {}
        },
        Value::Str(s) => {
            return match s.0.chars().next() {
                Some(ch) => Step::Item(Value::Char(ch), Value::Int(ch.len_utf8() as i64)),
                None => Step::Done,
            };
        }
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Char(_) => {
            return Step::Item(c.clone(), Value::Int(-1));
        }
        _ => {}
    }
    match at(c, 0) {
        Some(Some(v)) => Step::Item(v, Value::Int(1)),
        Some(None) => Step::Done,
        None => Step::Generic,
    }
}

pub fn next(c: &Value, state: &Value) -> Step {
    let Value::Int(s) = *state else { return Step::Generic };
    match c {
        Value::Obj(o) => match &**o {
            Obj::Range(Range::Unit(_, b)) => {
                return if s >= *b { Step::Done } else { Step::Item(Value::Int(s + 1), Value::Int(s + 1)) };
            }
            Obj::Dict(_) | Obj::Set(_) | Obj::Keys(_) | Obj::Values(_) | Obj::Enumerate(_) | Obj::Zip(_) => {
                return slot_step(c, s as usize)
            }
            _ => {}
        },
        Value::Str(st) => {
            let i = s as usize;
            return match st.0.get(i..).and_then(|r| r.chars().next()) {
                Some(ch) => Step::Item(Value::Char(ch), Value::Int((i + ch.len_utf8()) as i64)),
                None => Step::Done,
            };
        }
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Char(_) => return Step::Done,
        _ => {}
    }
    match at(c, s as usize) {
        Some(Some(v)) => Step::Item(v, Value::Int(s + 1)),
        Some(None) => Step::Done,
        None => Step::Generic,
    }
}

/// Dict-like iteration: the state is the next slot index.
fn slot_step(c: &Value, from: usize) -> Step {
    let Value::Obj(o) = c else { return Step::Generic };
    match &**o {
        Obj::Dict(d) | Obj::Set(d) => {
            let g = d.data.lock();
            match g.next_slot(from) {
                Some(i) => {
                    let (k, v) = g.entries[i].clone().expect("live slot");
                    let item = if matches!(&**o, Obj::Set(_)) { k } else { pair(k, v) };
                    Step::Item(item, Value::Int(i as i64 + 1))
                }
                None => Step::Done,
            }
        }
        Obj::Keys(inner) | Obj::Values(inner) => {
            let keys = matches!(&**o, Obj::Keys(_));
            let Value::Obj(io) = inner else { return Step::Generic };
            let (Obj::Dict(d) | Obj::Set(d)) = &**io else { return Step::Generic };
            let g = d.data.lock();
            match g.next_slot(from) {
                Some(i) => {
                    let (k, v) = g.entries[i].clone().expect("live slot");
                    Step::Item(if keys { k } else { v }, Value::Int(i as i64 + 1))
                }
                None => Step::Done,
            }
        }
        Obj::Enumerate(inner) => {
            // state = 0-based count; only for natively indexable collections.
            match at(inner, from) {
                Some(Some(v)) => Step::Item(
                    Value::tuple(vec![Value::Int(from as i64 + 1), v]),
                    Value::Int(from as i64 + 1),
                ),
                Some(None) => Step::Done,
                None => Step::Generic,
            }
        }
        Obj::Zip(parts) => {
            // state = 0-based position; only for natively indexable parts.
            let mut items = Vec::with_capacity(parts.len());
            for p in parts.iter() {
                match at(p, from) {
                    Some(Some(v)) => items.push(v),
                    Some(None) => return Step::Done,
                    None => return Step::Generic,
                }
            }
            if items.is_empty() {
                return Step::Done;
            }
            Step::Item(Value::tuple(items), Value::Int(from as i64 + 1))
        }
        _ => Step::Generic,
    }
}

/// Element `idx` (1-based) for destructuring `a, b = x`.
pub fn unpack(v: &Value, idx: usize) -> Option<Result<Value, Flow>> {
    let i = idx - 1;
    match v {
        Value::Tuple(t) => Some(
            t.0.get(i)
                .cloned()
                .ok_or_else(|| errors::bounds_error(v.clone(), Value::tuple(vec![Value::Int(idx as i64)]))),
        ),
        Value::Array(_) => match at(v, i) {
            Some(Some(x)) => Some(Ok(x)),
            _ => Some(Err(errors::bounds_error(v.clone(), Value::tuple(vec![Value::Int(idx as i64)])))),
        },
        Value::Obj(o) => match &**o {
            Obj::Struct(s) if s.ty == tid::PAIR => Some(
                s.fields
                    .get(i)
                    .cloned()
                    .ok_or_else(|| errors::bounds_error(v.clone(), Value::Int(idx as i64))),
            ),
            Obj::NamedTuple(_, vals) => Some(
                vals.get(i).cloned().ok_or_else(|| errors::bounds_error(v.clone(), Value::Int(idx as i64))),
            ),
            Obj::Range(r) => {
                if (i as i64) < r.len() {
                    Some(Ok(r.get(i as i64)))
                } else {
                    Some(Err(errors::bounds_error(v.clone(), Value::Int(idx as i64))))
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// All elements of a natively iterable collection (for splatting and `collect`).
pub fn collect_native(v: &Value) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    let mut step = first(v);
    loop {
        match step {
            Step::Item(x, s) => {
                out.push(x);
                step = next(v, &s);
            }
            Step::Done => return Some(out),
            Step::Generic => return None,
        }
    }
}
