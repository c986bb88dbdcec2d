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
use crate::obj::{Captures, Closure, Obj, INLINE_CAPTURES};
use crate::value::Value;
use jlx_num::rng::Xoshiro;
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
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
    /// The wait queue of a `Condition` (the value is the condition), or the
    /// completion waiters of another task (the value is that task). One
    /// variant keeps `Queue` at 16 bytes (a million tasks stay small).
    Wait(Value),
    /// Asleep until a timer fires.
    Timer,
    /// The REPL's main task, waiting for the next input line (only the
    /// driver wakes it, when a line arrives).
    Input,
}

/// `TaskInner::live` of a task not in `Sched::live`.
pub const NOT_LIVE: u32 = u32::MAX;

#[derive(Debug)]
pub struct TaskInner {
    pub state: TaskState,
    pub started: bool,
    /// The function the task runs (`Nothing` for the main task and once
    /// the task has finished).
    pub func: TaskFunc,
    /// The suspended fiber (`None` while running or before starting).
    pub fiber: Option<Box<Fiber>>,
    /// The return value, or the exception of a failed task. While the task
    /// waits to resume it holds the value (or, when `resume_err`, the
    /// exception) its pending wait returns (throws), as Julia's `t.result`.
    pub result: Value,
    resume_err: bool,
    pub queue: Queue,
    pub sticky: bool,
    /// A driver holds the task's fiber and runs it (set when it is taken
    /// off a run queue, cleared when it suspends or ends). A task woken
    /// while running is marked `Queue::Run` but queued only when it
    /// suspends, so no thread can pick it up before its fiber is stored.
    pub running: bool,
    /// The thread (1-based) the task must run on, Julia's `tid`; 0 while
    /// unpinned. A sticky task is pinned to the thread that first
    /// schedules it or switches to it (`yieldto`); `@threads :static`
    /// pins its tasks to the default threads in turn.
    pub home: u16,
    /// The task belongs to the interactive thread pool (Julia's
    /// `threadpoolid`): made on thread 1 with workers around, or by
    /// `Threads.@spawn :interactive`. An unpinned task of that pool runs
    /// on thread 1.
    pub interactive: bool,
    /// Bumped at each suspension, so a stale timer cannot wake a later wait.
    pub epoch: u32,
    /// Index in `Sched::live` while started and unfinished, else `NOT_LIVE`.
    pub live: u32,
    /// Rarely used state, allocated on first use (keeps a million tasks small).
    pub extra: Option<Box<TaskExtra>>,
    /// The task's random stream (Julia's task-local RNG), split from its
    /// parent's at creation, as the split's inputs: the parent's four words
    /// (shared by every task the parent made between two of its draws) and
    /// its fifth word then (`rng_x`); the stream itself is made from them
    /// the first time the task draws or makes a task (`stream`). Once made,
    /// it is saved in `TaskExtra::rng` while the task is not running (and
    /// `rng_base` is dropped). This keeps a task 24 bytes smaller than a
    /// whole stream would (a million tasks in the 128-byte class).
    pub rng_base: Option<Arc<[u64; 4]>>,
    pub rng_x: u64,
}

/// What a task runs.
#[derive(Debug)]
pub enum TaskFunc {
    /// Any callable (`Nothing` for the main task and once finished).
    Value(Value),
    /// The thunk of `@async`/`@spawn` (a closure of no parameters with at
    /// most [`INLINE_CAPTURES`] captures), kept in the task instead of in a
    /// closure object of its own: its code and its captures (the first
    /// `code.proto.ncaptures`; the rest hold `nothing`). A million tasks
    /// alive at once save the closure's 64 bytes and its allocation each.
    /// The task's frame runs without a closure and reads its captures from
    /// here ([`TaskFunc::captures`]); `t.code` makes the closure on demand
    /// ([`TaskFunc::value`]).
    Thunk(&'static Code, [Value; INLINE_CAPTURES]),
}

impl TaskFunc {
    /// The function of a task `@async`/`@spawn` make from `f`: a thunk
    /// closure keeps only its code and captures. Only for a closure
    /// nobody else can reach (the compiler's thunk), as `t.code` makes a
    /// new closure object from them.
    pub fn thunk_of(f: &Value) -> TaskFunc {
        if let Value::Closure(c) = f {
            let p = &c.code.proto;
            if p.nparams == 0 && !p.vararg && !p.has_kw {
                if let Captures::Inline(_, [a, b]) = &c.captures {
                    return TaskFunc::Thunk(c.code, [a.clone(), b.clone()]);
                }
            }
        }
        TaskFunc::Value(f.clone())
    }

    /// The function as a value; a thunk becomes a closure again, kept in
    /// its place (so `t.code === t.code`, and the running frame finds its
    /// captures in it).
    pub fn value(&mut self) -> Value {
        if let TaskFunc::Thunk(code, caps) = self {
            let n = code.proto.ncaptures as usize;
            let c = Closure { code, captures: Captures::from_slice(&caps[..n]) };
            *self = TaskFunc::Value(Value::Closure(Arc::new(c)));
        }
        match self {
            TaskFunc::Value(v) => v.clone(),
            TaskFunc::Thunk(..) => unreachable!("made a closure above"),
        }
    }

    /// The code and captures of the closure the task runs, if it is one.
    pub fn captures(&self) -> Option<(&'static Code, &[Value])> {
        match self {
            TaskFunc::Thunk(code, caps) => Some((code, &caps[..code.proto.ncaptures as usize])),
            TaskFunc::Value(Value::Closure(c)) => Some((c.code, &c.captures)),
            TaskFunc::Value(_) => None,
        }
    }
}

/// The random stream a new task starts with.
#[derive(Debug)]
pub enum TaskRng {
    /// A whole stream (the main task, a thread's root).
    State(Xoshiro),
    /// Split from a parent whose four words were `.0` and fifth word `.1`
    /// (`Xoshiro::split_child` makes it).
    Split(Arc<[u64; 4]>, u64),
}

#[derive(Debug, Default)]
pub struct TaskExtra {
    /// Tasks to schedule when this one finishes (Julia's `donenotify`).
    pub done_waiters: Vec<Value>,
    /// Task-local storage (a `Dict`), created on first use.
    pub storage: Value,
    /// Where the exception of a failed task was thrown.
    pub backtrace: Vec<(&'static Code, u32)>,
    /// A failed task's exception stack (Julia's `current_exceptions(t)`).
    pub excstack: Vec<crate::fiber::ExcEntry>,
    /// The task's random stream once made (see `TaskInner::rng_base`).
    pub rng: Option<Xoshiro>,
}

impl TaskInner {
    pub fn set_resume(&mut self, r: Result<Value, Value>) {
        (self.result, self.resume_err) = match r {
            Ok(v) => (v, false),
            Err(e) => (e, true),
        };
    }

    /// Whether the pending resume throws `result` (clears the flag; take
    /// `result` after it).
    pub fn resume_thrown(&mut self) -> bool {
        std::mem::take(&mut self.resume_err)
    }

    /// The running task is about to wait in `q`: record it, unless it was
    /// woken already (another thread took it off the queue it just joined:
    /// then it stays `Queue::Run`). Returns the task's epoch, bumped for a
    /// new wait.
    #[inline]
    pub fn begin_wait(&mut self, q: Queue) -> u32 {
        if !matches!(self.queue, Queue::Run) {
            self.epoch = self.epoch.wrapping_add(1);
            self.queue = q;
        }
        self.epoch
    }

    /// Woken (taken out of a wait queue) to resume with `r`: whether the
    /// waker must queue it now. A running task is only marked
    /// `Queue::Run` (its driver queues it when it suspends); a finished
    /// one is left alone.
    #[inline]
    pub fn wake(&mut self, r: Result<Value, Value>) -> bool {
        if self.state != TaskState::Runnable {
            self.queue = Queue::None;
            return false;
        }
        self.queue = Queue::Run;
        self.set_resume(r);
        !self.running
    }

    /// The running task suspended (its fiber stored by the caller in the
    /// same lock): whether it must be queued now (it was woken meanwhile,
    /// or yielded).
    #[inline]
    pub fn suspend(&mut self) -> bool {
        self.running = false;
        matches!(self.queue, Queue::Run)
    }

    /// Taken off a run queue by thread `thread`: whether it runs now
    /// (marked running, out of the queue); false for a stale entry (it
    /// runs elsewhere, was queued twice, finished, or was pinned to another
    /// thread since the entry was made: a `yieldto` took it out of a deque
    /// and it became sticky where it then ran, so its live entry is in its
    /// own thread's queue).
    #[inline]
    pub fn take_to_run(&mut self, thread: u16) -> bool {
        if !matches!(self.queue, Queue::Run)
            || self.running
            || self.state != TaskState::Runnable
            || (self.home != 0 && self.home != thread)
        {
            return false;
        }
        self.queue = Queue::None;
        self.running = true;
        true
    }

    /// The task's random stream as saved: the stream kept in `extra`, else
    /// the one its split at creation gives.
    pub fn stream(&self) -> Xoshiro {
        if let Some(r) = self.extra.as_ref().and_then(|e| e.rng.as_ref()) {
            return r.clone();
        }
        match &self.rng_base {
            Some(base) => Xoshiro::split_child(base, self.rng_x),
            // Not reached: every task is made with a stream or a split.
            None => Xoshiro::seeded(0),
        }
    }

    /// Save the task's stream `r` (it has drawn or split since it was made).
    pub fn save_stream(&mut self, r: Xoshiro) {
        self.extra().rng = Some(r);
        self.rng_base = None;
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
    /// A new runnable task running `func`: `sticky` (Julia's `t.sticky`)
    /// and of the interactive pool or not.
    pub fn new_value(func: Value, rng: TaskRng, sticky: bool, interactive: bool) -> Value {
        Value::Task(TaskObj::new_arc(TaskFunc::Value(func), rng, sticky, interactive))
    }

    /// [`TaskObj::new_value`] as the task's own `Arc` (not shared yet, so
    /// the creator can set it up through `Arc::get_mut` without locking).
    pub fn new_arc(func: TaskFunc, rng: TaskRng, sticky: bool, interactive: bool) -> Arc<TaskObj> {
        let (rng_base, rng_x, extra) = match rng {
            TaskRng::Split(base, x) => (Some(base), x, None),
            TaskRng::State(r) => {
                (None, 0, Some(Box::new(TaskExtra { rng: Some(r), ..TaskExtra::default() })))
            }
        };
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
                sticky,
                running: false,
                home: 0,
                interactive,
                epoch: 0,
                live: NOT_LIVE,
                extra,
                rng_base,
                rng_x,
            }),
        };
        Arc::new(t)
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
        Value::Task(t) if !deterministic => Arc::as_ptr(t) as *const u8 as usize,
        _ => id as usize,
    }
}

/// Julia's `Condition`: a FIFO queue of waiting tasks.
#[derive(Debug, Default)]
pub struct CondObj {
    waitq: Mutex<VecDeque<Value>>,
    /// `waitq.len()`, changed under the lock and read without it, so a
    /// `notify` with nobody waiting (each `put!` into a buffer) takes no
    /// lock. A waiter that arrives just after that read is missed exactly
    /// as it would be just after a locked check.
    waiting: AtomicUsize,
    /// The thread a program's `Condition()` was made on (Julia's
    /// `AlwaysLockedST`: waiting or notifying from another thread is a
    /// `ConcurrencyViolationError`); 0 for the library's own queues and
    /// with one thread, which any thread may use.
    pub owner: u16,
}

impl CondObj {
    /// A condition only thread `owner` may wait on or notify (0: any).
    pub fn owned_by(owner: u16) -> CondObj {
        CondObj { owner, ..CondObj::default() }
    }

    /// Append a waiting task.
    pub fn push(&self, t: Value) {
        let mut q = self.waitq.lock();
        q.push_back(t);
        self.waiting.store(q.len(), Ordering::Release);
    }

    /// Whether a task may be waiting (one atomic load, no lock).
    #[inline(always)]
    pub fn has_waiters(&self) -> bool {
        self.waiting.load(Ordering::Acquire) != 0
    }

    /// Take the first waiting task.
    #[inline]
    pub fn pop(&self) -> Option<Value> {
        if self.waiting.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut q = self.waitq.lock();
        let t = q.pop_front();
        self.waiting.store(q.len(), Ordering::Release);
        t
    }

    /// Take `t` out of the queue (a wait that ended another way).
    pub fn remove(&self, t: &Value) {
        let mut q = self.waitq.lock();
        if let Some(p) = q.iter().position(|w| same(w, t)) {
            q.remove(p);
        }
        self.waiting.store(q.len(), Ordering::Release);
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.load(Ordering::Acquire) == 0
    }

    /// The first and the last waiting task.
    pub fn ends(&self) -> (Option<Value>, Option<Value>) {
        let q = self.waitq.lock();
        (q.front().cloned(), q.back().cloned())
    }
}

/// Whether two values are the same heap object (task identity).
#[inline]
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Task(x), Value::Task(y)) => Arc::ptr_eq(x, y),
        (Value::Obj(x), Value::Obj(y)) => Arc::ptr_eq(x, y),
        _ => false,
    }
}

/// The task behind a value, if it is one.
#[inline]
pub fn task_of(v: &Value) -> Option<&TaskObj> {
    match v {
        Value::Task(t) => Some(t),
        _ => None,
    }
}

/// The condition behind a value, if it is one.
#[inline]
pub fn cond_of(v: &Value) -> Option<&CondObj> {
    match v {
        Value::Obj(o) => match &**o {
            Obj::Cond(c) => Some(c),
            _ => None,
        },
        _ => None,
    }
}

/// Remove `t` from the queue `q` it is recorded in (a condition's wait queue
/// or a task's completion waiters).
pub fn unlink(t: &Value, q: &Queue) {
    let Queue::Wait(w) = q else { return };
    if let Some(c) = cond_of(w) {
        c.remove(t);
    } else if let Some(d) = task_of(w) {
        let mut i = d.inner.lock();
        if let Some(e) = &mut i.extra {
            if let Some(p) = e.done_waiters.iter().position(|x| same(x, t)) {
                e.done_waiters.remove(p);
            }
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
        // 128 bytes keep the task's `Arc` allocation (16 + 8 + 8 + 128) in
        // jemalloc's 160-byte class; the thunk of `@async` lives inside it
        // (`TaskFunc::Thunk`, 40 bytes), so `@async` makes no closure object.
        assert!(std::mem::size_of::<TaskFunc>() <= 40, "TaskFunc grew");
        assert!(std::mem::size_of::<TaskInner>() <= 128, "TaskInner grew");
        assert!(std::mem::size_of::<TaskObj>() <= 144, "TaskObj grew");
        assert!(std::mem::size_of::<Obj>() <= 64, "Obj grew: box large variants");
        // A closure's `Arc` (16 + 48 bytes) in jemalloc's 64-byte class.
        assert!(std::mem::size_of::<crate::obj::Closure>() <= 48, "Closure grew");
    }
}
