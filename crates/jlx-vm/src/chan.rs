//! Channel objects: a buffer, its capacity and state, and the three wait
//! queues of Julia's `Channel` (`cond_take`, `cond_wait`, `cond_put`). The
//! operations on them are natives in `natives/channels.rs` with slow paths
//! in `stdlib/tasks.jlx`, following Julia's `base/channels.jl`.
//!
//! Invariants: `data.len() <= sz_max` for a buffered channel (`sz_max > 0`);
//! an unbuffered channel never holds data; `n_avail` counts buffered items
//! plus `put!`s blocked in an unbuffered handoff; `open` only goes to false.

use crate::obj::{NativeObj, Obj};
use crate::task::{cond_of, CondObj};
use crate::types::{tid, JType, TParam, TypeId};
use crate::value::Value;
use parking_lot::Mutex;
use std::collections::VecDeque;

#[derive(Debug)]
pub struct ChanInner {
    pub data: VecDeque<Value>,
    pub open: bool,
    /// The exception `put!`/`take!` throw once the channel is closed.
    pub excp: Value,
    pub n_avail: i64,
}

#[derive(Debug)]
pub struct ChanObj {
    pub eltype: JType,
    pub sz_max: i64,
    pub cond_take: Value,
    pub cond_wait: Value,
    pub cond_put: Value,
    pub inner: Mutex<ChanInner>,
}

impl ChanObj {
    pub fn new_value(eltype: JType, sz_max: i64) -> Value {
        let cond = || Value::obj(Obj::Cond(CondObj::default()));
        Value::obj(Obj::Chan(Box::new(ChanObj {
            eltype,
            sz_max,
            cond_take: cond(),
            cond_wait: cond(),
            cond_put: cond(),
            inner: Mutex::new(ChanInner {
                data: VecDeque::new(),
                open: true,
                excp: Value::Nothing,
                n_avail: 0,
            }),
        })))
    }

    /// Whether `v` needs no `convert` to go into the channel.
    #[inline]
    pub fn holds_as_is(&self, v: &Value) -> bool {
        crate::typesys::holds_as_is(&self.eltype, v)
    }

    pub fn buffered(&self) -> bool {
        self.sz_max > 0
    }

    pub fn take_q(&self) -> &CondObj {
        cond_of(&self.cond_take).expect("condition")
    }

    pub fn put_q(&self) -> &CondObj {
        cond_of(&self.cond_put).expect("condition")
    }
}

impl NativeObj for ChanObj {
    fn jl_type(&self) -> TypeId {
        tid::CHANNEL
    }
    fn jl_jtype(&self) -> Option<JType> {
        Some(JType::with(tid::CHANNEL, vec![TParam::Type(self.eltype.clone())]))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The channel behind a value, if it is one.
#[inline]
pub fn chan_of(v: &Value) -> Option<&ChanObj> {
    match v {
        Value::Obj(o) => match &**o {
            Obj::Chan(c) => Some(c),
            _ => None,
        },
        _ => None,
    }
}
