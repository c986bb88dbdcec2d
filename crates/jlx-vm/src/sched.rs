//! The scheduler state of one thread: the FIFO run queue, the running task,
//! a direct-switch target for `yieldto`, the timer heap and the clock
//! (real or virtual). Natives change this state (`schedule`, `yield`,
//! `wait`, `sleep`); the driver loop in `jlx-runtime` reads it to pick the
//! next task and to wait for the nearest timer.
//!
//! Invariants: a task is in `runq` iff its `queue` is `Queue::Run`; a timer
//! entry wakes its task only if the task's `epoch` still equals the entry's
//! (the task has not been woken another way since it went to sleep); a task
//! is in `live` (at index `TaskInner::live`) from its start to its end, so
//! no switch touches a registry; the random stream in `Runtime::rng` is
//! `rng_owner`'s, swapped for the running task's only when it draws
//! (`sync_rng`).

use crate::task::{same, task_of, unlink, Queue, TaskInner, TaskObj, TaskState, NOT_LIVE};
use crate::value::Value;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// A pending wake-up.
#[derive(Debug)]
pub struct TimerEntry {
    /// Deadline in nanoseconds on the scheduler's monotonic clock.
    pub deadline: u64,
    seq: u64,
    pub task: Value,
    pub epoch: u32,
}

impl PartialEq for TimerEntry {
    fn eq(&self, o: &Self) -> bool {
        (self.deadline, self.seq) == (o.deadline, o.seq)
    }
}
impl Eq for TimerEntry {}
impl PartialOrd for TimerEntry {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for TimerEntry {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.deadline, self.seq).cmp(&(o.deadline, o.seq))
    }
}

/// The run's clock: monotonic nanoseconds since start, real or virtual.
#[derive(Debug)]
pub struct Clock {
    start: Instant,
    start_unix_ns: i64,
    /// `Some(now)` under `--virtual-time`.
    virt: Option<u64>,
}

impl Clock {
    pub fn new(virtual_time: bool) -> Clock {
        let start_unix_ns =
            SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as i64).unwrap_or(0);
        Clock { start: Instant::now(), start_unix_ns, virt: virtual_time.then_some(0) }
    }

    /// Monotonic nanoseconds since the run started.
    #[inline]
    pub fn now(&self) -> u64 {
        match self.virt {
            Some(v) => v,
            None => self.start.elapsed().as_nanos() as u64,
        }
    }

    /// Nanoseconds since the Unix epoch.
    pub fn unix_ns(&self) -> i64 {
        self.start_unix_ns + self.now() as i64
    }

    pub fn is_virtual(&self) -> bool {
        self.virt.is_some()
    }

    /// Move virtual time forward to `t` (no-op on the real clock).
    pub fn advance_to(&mut self, t: u64) {
        if let Some(v) = &mut self.virt {
            *v = (*v).max(t);
        }
    }
}

#[derive(Debug)]
pub struct Sched {
    /// Tasks as their `Arc`s: a switch moves 8 bytes, not a `Value`.
    pub runq: VecDeque<Arc<TaskObj>>,
    /// The running task.
    pub current: Value,
    /// Set by `yieldto`: run this task next, before the run queue.
    pub next: Option<Value>,
    pub timers: BinaryHeap<Reverse<TimerEntry>>,
    timer_seq: u64,
    pub clock: Clock,
    /// Started, unfinished tasks and the main task (for the deadlock
    /// report: when nothing can run, each of them is blocked).
    pub live: Vec<Value>,
    /// Finished fibers kept for reuse, so starting a task does not allocate.
    pub fiber_pool: Vec<Box<crate::fiber::Fiber>>,
    /// The task whose random stream `Runtime::rng` holds (`Nothing` until
    /// the first `sync_rng`: then it is the main task's).
    pub rng_owner: Value,
    /// Set by `yield()`: the task that just suspended goes to the back of
    /// the run queue. The driver does it in the same lock of the task that
    /// stores its fiber, moving `current` into the queue (no reference
    /// count traffic on a plain switch).
    pub yield_requested: bool,
}

pub const NOT_RUNNABLE: &str = "schedule: Task not runnable";

impl Sched {
    pub fn new(virtual_time: bool) -> Sched {
        Sched {
            runq: VecDeque::new(),
            current: Value::Nothing,
            next: None,
            timers: BinaryHeap::new(),
            timer_seq: 0,
            clock: Clock::new(virtual_time),
            live: Vec::new(),
            fiber_pool: Vec::new(),
            rng_owner: Value::Nothing,
            yield_requested: false,
        }
    }

    /// Append `t` to the run queue; `r` is what its pending wait returns
    /// (or throws). Julia's `schedule(t, val; error)`.
    pub fn schedule(&mut self, t: &Value, r: Result<Value, Value>) -> Result<(), &'static str> {
        let Value::Task(task) = t else { return Err(NOT_RUNNABLE) };
        let mut i = task.inner.lock();
        if i.state != TaskState::Runnable {
            return Err(NOT_RUNNABLE);
        }
        match (&i.queue, &r) {
            (Queue::None, _) => {}
            (_, Err(_)) => {
                let q = std::mem::take(&mut i.queue);
                if matches!(q, Queue::Run) {
                    self.unqueue(task);
                } else {
                    drop(i);
                    unlink(t, &q);
                    i = task.inner.lock();
                }
            }
            _ => return Err(NOT_RUNNABLE),
        }
        i.set_resume(r);
        i.queue = Queue::Run;
        drop(i);
        self.runq.push_back(task.clone());
        Ok(())
    }

    /// Take `t` out of the run queue.
    pub fn unqueue(&mut self, t: &Arc<TaskObj>) {
        if let Some(p) = self.runq.iter().position(|w| Arc::ptr_eq(w, t)) {
            self.runq.remove(p);
        }
    }

    /// `yield()` of the task that just suspended (`yield_requested`), whose
    /// state `i` is locked: mark it queued to run, resuming with `nothing`
    /// (the caller appends it to `runq`). Julia's error when it is already
    /// queued somewhere.
    pub fn mark_yielded(i: &mut TaskInner) -> Result<(), &'static str> {
        if i.state != TaskState::Runnable || !matches!(i.queue, Queue::None) {
            return Err(NOT_RUNNABLE);
        }
        i.set_resume(Ok(Value::Nothing));
        i.queue = Queue::Run;
        Ok(())
    }

    /// Record in `live` (a `Sched::live`) that the started task `t`, whose
    /// state `i` is locked, is alive.
    pub fn register_live(live: &mut Vec<Value>, t: &Value, i: &mut TaskInner) {
        if i.live == NOT_LIVE {
            i.live = live.len() as u32;
            live.push(t.clone());
        }
    }

    /// Forget a finished task (its state `i` is locked).
    pub fn unregister_live(&mut self, i: &mut TaskInner) {
        let k = std::mem::replace(&mut i.live, NOT_LIVE) as usize;
        if k >= self.live.len() {
            return;
        }
        self.live.swap_remove(k);
        if let Some(moved) = self.live.get(k).and_then(task_of) {
            moved.inner.lock().live = k as u32;
        }
    }

    /// Make `Runtime::rng` (passed as `rng`) hold the running task's
    /// stream: save the owner's, load the current task's. Call before
    /// drawing from it or splitting it.
    pub fn sync_rng(&mut self, rng: &parking_lot::Mutex<jlx_num::rng::Xoshiro>) {
        if same(&self.rng_owner, &self.current) {
            return;
        }
        let Some(cur) = task_of(&self.current) else { return };
        if let Some(owner) = task_of(&self.rng_owner) {
            let mut g = rng.lock();
            owner.inner.lock().rng = g.clone();
            *g = cur.inner.lock().rng.clone();
        }
        self.rng_owner = self.current.clone();
    }

    /// Enqueue a task that was taken out of a wait queue (its `queue` is
    /// already cleared by the caller), resuming it with `r`.
    pub fn wake(&mut self, t: &Value, r: Result<Value, Value>) {
        if let Value::Task(task) = t {
            let mut i = task.inner.lock();
            if i.state != TaskState::Runnable {
                return;
            }
            i.queue = Queue::Run;
            i.set_resume(r);
            drop(i);
            self.runq.push_back(task.clone());
        }
    }

    /// Enqueue a task just taken out of a wait queue (one lock of the task:
    /// its `queue` is still the one it left), resuming it with `r`.
    pub fn wake_popped(&mut self, t: Value, r: Result<Value, Value>) {
        if let Value::Task(task) = t {
            let mut i = task.inner.lock();
            if i.state != TaskState::Runnable {
                i.queue = Queue::None;
                return;
            }
            i.queue = Queue::Run;
            i.set_resume(r);
            drop(i);
            self.runq.push_back(task);
        }
    }

    /// Record that the current task is about to suspend in queue `q`.
    /// Returns the task's new epoch.
    pub fn park_current(&mut self, q: Queue) -> u32 {
        let Some(task) = task_of(&self.current) else { return 0 };
        let mut i = task.inner.lock();
        i.epoch = i.epoch.wrapping_add(1);
        i.queue = q;
        i.epoch
    }

    /// Put the current task to sleep until `deadline` (scheduler clock).
    pub fn sleep_current(&mut self, deadline: u64) {
        let epoch = self.park_current(Queue::Timer);
        self.timer_seq += 1;
        let e = TimerEntry { deadline, seq: self.timer_seq, task: self.current.clone(), epoch };
        self.timers.push(Reverse(e));
    }

    /// Schedule the tasks of every timer due at `now`; returns how many woke.
    pub fn fire_timers(&mut self, now: u64) -> usize {
        let mut n = 0;
        while let Some(Reverse(top)) = self.timers.peek() {
            if top.deadline > now {
                break;
            }
            let Reverse(e) = self.timers.pop().expect("peeked");
            let Some(task) = task_of(&e.task) else { continue };
            let mut i = task.inner.lock();
            if i.epoch == e.epoch && matches!(i.queue, Queue::Timer) && i.state == TaskState::Runnable {
                i.queue = Queue::None;
                drop(i);
                self.wake(&e.task, Ok(Value::Nothing));
                n += 1;
            }
        }
        n
    }

    /// The nearest timer deadline still able to wake its task.
    pub fn next_deadline(&mut self) -> Option<u64> {
        while let Some(Reverse(top)) = self.timers.peek() {
            let live = task_of(&top.task).is_some_and(|t| {
                let i = t.inner.lock();
                i.epoch == top.epoch && matches!(i.queue, Queue::Timer) && i.state == TaskState::Runnable
            });
            if live {
                return Some(top.deadline);
            }
            self.timers.pop();
        }
        None
    }
}
