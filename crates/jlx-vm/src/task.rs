//! Task and condition objects: the data of the task system. A [`TaskObj`]
//! owns the fiber of a jlx task while it is not running; a [`CondObj`] is a
//! FIFO wait queue of tasks (Julia's `Condition`). The scheduler state that
//! moves tasks between queues lives in [`crate::sched`].
//!
//! Invariants: a task is in at most one queue at a time, recorded in
//! `TaskInner::queue`; a task's fiber is `None` exactly while the task runs
//! (or before it starts); `state` only moves from `Runnable` to `Done` or
//! `Failed`, once.

use crate::code::Code;
use crate::fiber::Fiber;
use crate::obj::{NativeObj, Obj};
use crate::types::{tid, TypeId};
use crate::value::Value;
use jlx_num::rng::Xoshiro;
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    Runnable,
    Done,
    Failed,
}

impl TaskState {
    pub fn name(self) -> &'static str {
        match self {
            TaskState::Runnable => "runnable",
            TaskState::Done => "done",
            TaskState::Failed => "failed",
        }
    }
}

/// Where a task is queued, if anywhere.
#[derive(Clone, Debug, Default)]
pub enum Queue {
    #[default]
    None,
    /// The run queue.
    Run,
    /// The wait queue of a `Condition` (the value is the condition).
    Cond(Value),
    /// The completion waiters of another task (the value is that task).
    Done(Value),
    /// Asleep until a timer fires.
    Timer,
}

/// `TaskInner::live` of a task not in `Sched::live`.
pub const NOT_LIVE: u32 = u32::MAX;

#[derive(Debug)]
pub struct TaskInner {
    pub state: TaskState,
    pub started: bool,
    /// The function the task runs (`Nothing` for the main task).
    pub func: Value,
    /// The suspended fiber (`None` while running or before starting).
    pub fiber: Option<Box<Fiber>>,
    /// The return value, or the exception of a failed task. While the task
    /// waits to resume it holds the value (or, when `resume_err`, the
    /// exception) its pending wait returns (throws), as Julia's `t.result`.
    pub result: Value,
    resume_err: bool,
    pub queue: Queue,
    /// Tasks to schedule when this one finishes (Julia's `donenotify`).
    pub done_waiters: Vec<Value>,
    pub sticky: bool,
    /// Bumped at each suspension, so a stale timer cannot wake a later wait.
    pub epoch: u32,
    /// Index in `Sched::live` while started and unfinished, else `NOT_LIVE`.
    pub live: u32,
    /// Rarely used state, allocated on first use (keeps a million tasks small).
    pub extra: Option<Box<TaskExtra>>,
    /// The task's random stream (Julia's task-local RNG), split from its
    /// parent's at creation; saved here while the task is not running.
    pub rng: Xoshiro,
}

#[derive(Debug, Default)]
pub struct TaskExtra {
    /// Task-local storage (a `Dict`), created on first use.
    pub storage: Value,
    /// Where the exception of a failed task was thrown.
    pub backtrace: Vec<(&'static Code, u32)>,
    /// A failed task's exception stack (Julia's `current_exceptions(t)`).
    pub excstack: Vec<crate::fiber::ExcEntry>,
}

impl TaskInner {
    pub fn set_resume(&mut self, r: Result<Value, Value>) {
        (self.result, self.resume_err) = match r {
            Ok(v) => (v, false),
            Err(e) => (e, true),
        };
    }

    pub fn take_resume(&mut self) -> Result<Value, Value> {
        let v = std::mem::take(&mut self.result);
        if std::mem::take(&mut self.resume_err) {
            Err(v)
        } else {
            Ok(v)
        }
    }

    pub fn extra(&mut self) -> &mut TaskExtra {
        self.extra.get_or_insert_with(Default::default)
    }

    pub fn backtrace(&self) -> Vec<(&'static Code, u32)> {
        self.extra.as_ref().map(|e| e.backtrace.clone()).unwrap_or_default()
    }
}

#[derive(Debug)]
pub struct TaskObj {
    /// Sequential id: the address shown in deterministic mode.
    pub id: u64,
    pub inner: Mutex<TaskInner>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The next sequential object id (tasks and other objects whose address is
/// printed use one sequence in deterministic mode).
pub fn next_object_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

impl TaskObj {
    pub fn new_value(func: Value, rng: Xoshiro) -> Value {
        let t = TaskObj {
            id: next_object_id(),
            inner: Mutex::new(TaskInner {
                state: TaskState::Runnable,
                started: false,
                func,
                fiber: None,
                result: Value::Nothing,
                resume_err: false,
                queue: Queue::None,
                done_waiters: Vec::new(),
                sticky: true,
                epoch: 0,
                live: NOT_LIVE,
                extra: None,
                rng,
            }),
        };
        Value::obj(Obj::Native(Box::new(t)))
    }

    /// `Task (runnable) @0x...` (`, started` while it has started but not finished).
    pub fn describe(&self, v: &Value, deterministic: bool) -> String {
        let i = self.inner.lock();
        let started = if i.state == TaskState::Runnable && i.started { ", started" } else { "" };
        format!("Task ({}{}) @0x{:016x}", i.state.name(), started, address(v, self.id, deterministic))
    }
}

/// The address printed for an object: its heap address, or a sequential id
/// in deterministic mode.
pub fn address(v: &Value, id: u64, deterministic: bool) -> usize {
    match v {
        Value::Obj(o) if !deterministic => Arc::as_ptr(o) as *const u8 as usize,
        _ => id as usize,
    }
}

impl NativeObj for TaskObj {
    fn jl_type(&self) -> TypeId {
        tid::TASK
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Julia's `Condition`: a FIFO queue of waiting tasks.
#[derive(Debug, Default)]
pub struct CondObj {
    pub waitq: Mutex<VecDeque<Value>>,
}

impl NativeObj for CondObj {
    fn jl_type(&self) -> TypeId {
        tid::CONDITION
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Whether two values are the same heap object (task identity).
#[inline]
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Obj(x), Value::Obj(y)) => std::sync::Arc::ptr_eq(x, y),
        _ => false,
    }
}

/// The task behind a value, if it is one.
pub fn task_of(v: &Value) -> Option<&TaskObj> {
    crate::obj::native_of(v)
}

/// The condition behind a value, if it is one.
pub fn cond_of(v: &Value) -> Option<&CondObj> {
    crate::obj::native_of(v)
}

/// Remove `t` from the queue `q` it is recorded in (a condition's wait queue
/// or a task's completion waiters).
pub fn unlink(t: &Value, q: &Queue) {
    let list = match q {
        Queue::Cond(c) => cond_of(c).map(|c| c.waitq.lock()),
        Queue::Done(d) => {
            if let Some(d) = task_of(d) {
                let mut i = d.inner.lock();
                if let Some(p) = i.done_waiters.iter().position(|w| same(w, t)) {
                    i.done_waiters.remove(p);
                }
            }
            None
        }
        _ => None,
    };
    if let Some(mut l) = list {
        if let Some(p) = l.iter().position(|w| same(w, t)) {
            l.remove(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million tasks alive at once must fit in 400 MiB (`spawn_wait`):
    /// keep the per-task objects small.
    #[test]
    fn task_objects_stay_small() {
        assert!(std::mem::size_of::<TaskInner>() <= 152, "TaskInner grew");
        assert!(std::mem::size_of::<Obj>() <= 64, "Obj grew: box large variants");
    }
}
