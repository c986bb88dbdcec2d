//! Channel objects: a buffer, its capacity and state, and the three wait
//! queues of Julia's `Channel` (`cond_take`, `cond_wait`, `cond_put`). The
//! operations on them are natives in `natives/channels.rs` with slow paths
//! in `stdlib/tasks.jlx`, following Julia's `base/channels.jl`.
//!
//! Julia's channel also has a `ReentrantLock` shared by its three
//! `Threads.Condition`s (`c.cond_take.lock`); here it is created on first
//! use ([`ChanLock`]), and the natives check it before acting.
//!
//! Invariants: `data.len() <= sz_max` for a buffered channel (`sz_max > 0`);
//! an unbuffered channel never holds data; `n_avail` counts buffered items
//! plus `put!`s blocked in an unbuffered handoff; `open` only goes to false;
//! the lock, once created, stays; a `handoff` entry exists for a taker from
//! the moment a `put!` takes it off `cond_take` until the taker runs and
//! collects the value.

use crate::obj::Obj;
use crate::task::{cond_of, CondObj};
use crate::types::JType;
use crate::value::Value;
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::sync::OnceLock;

#[derive(Debug)]
pub struct ChanInner {
    pub data: VecDeque<Value>,
    pub open: bool,
    /// The exception `put!`/`take!` throw once the channel is closed.
    pub excp: Value,
    pub n_avail: i64,
    /// Values an unbuffered `put!` handed to takers that have not run yet:
    /// (taker, value). Woken, a taker collects its value, after taking the
    /// channel's lock back if another task holds it (as Julia's taker does
    /// at the end of `wait(c.cond_take)`).
    pub handoff: Vec<(Value, Value)>,
}

/// The channel's lock (a jlx `ReentrantLock`) and the `Threads.Condition`
/// views of `cond_take`, `cond_wait` and `cond_put` that share it (a
/// buffered channel's `cond_wait` is its `cond_take`, as in Julia).
#[derive(Debug)]
pub struct ChanLock {
    pub lock: Value,
    /// The position of `locked_by` among the lock's fields.
    pub owner_field: usize,
    pub views: [Value; 3],
}

#[derive(Debug)]
pub struct ChanObj {
    pub eltype: JType,
    pub sz_max: i64,
    pub cond_take: Value,
    pub cond_wait: Value,
    pub cond_put: Value,
    pub inner: Mutex<ChanInner>,
    /// Created on first use (`lock(c)`, `c.cond_take`); absent means free.
    pub lock: OnceLock<ChanLock>,
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
                handoff: Vec::new(),
            }),
            lock: OnceLock::new(),
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
