//! The scheduler state of one thread: the FIFO run queue, the running task,
//! a direct-switch target for `yieldto`, the timer heap and the clock
//! (real or virtual). Natives change this state (`schedule`, `yield`,
//! `wait`, `sleep`); the driver loop in `jlx-runtime` reads it to pick the
//! next task and to wait for the nearest timer.
//!
//! Invariants: a task is in `runq` iff its `queue` is `Queue::Run`; a timer
//! entry wakes its task only if the task's `epoch` still equals the entry's
//! (the task has not been woken another way since it went to sleep).

use crate::task::{same, task_of, unlink, Queue, TaskState};
use crate::value::Value;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Hasher for sequential task ids: one multiply (Fibonacci hashing) puts
/// the entropy in the high bits hashbrown uses.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

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
    pub runq: VecDeque<Value>,
    /// The running task.
    pub current: Value,
    /// Set by `yieldto`: run this task next, before the run queue.
    pub next: Option<Value>,
    pub timers: BinaryHeap<Reverse<TimerEntry>>,
    timer_seq: u64,
    pub clock: Clock,
    /// Tasks suspended outside the run queue, by id (for the deadlock report).
    pub blocked: HashMap<u64, Value, BuildHasherDefault<IdHasher>>,
    /// Finished fibers kept for reuse, so starting a task does not allocate.
    pub fiber_pool: Vec<Box<crate::fiber::Fiber>>,
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
            blocked: HashMap::default(),
            fiber_pool: Vec::new(),
        }
    }

    /// Append `t` to the run queue; `r` is what its pending wait returns
    /// (or throws). Julia's `schedule(t, val; error)`.
    pub fn schedule(&mut self, t: &Value, r: Result<Value, Value>) -> Result<(), &'static str> {
        let Some(task) = task_of(t) else { return Err(NOT_RUNNABLE) };
        let mut i = task.inner.lock();
        if i.state != TaskState::Runnable {
            return Err(NOT_RUNNABLE);
        }
        match (&i.queue, &r) {
            (Queue::None, _) => {}
            (_, Err(_)) => {
                let q = std::mem::take(&mut i.queue);
                if matches!(q, Queue::Run) {
                    if let Some(p) = self.runq.iter().position(|w| same(w, t)) {
                        self.runq.remove(p);
                    }
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
        let id = task.id;
        drop(i);
        if !self.blocked.is_empty() {
            self.blocked.remove(&id);
        }
        self.runq.push_back(t.clone());
        Ok(())
    }

    /// Enqueue a task that was taken out of a wait queue (its `queue` is
    /// already cleared by the caller), resuming it with `r`.
    pub fn wake(&mut self, t: &Value, r: Result<Value, Value>) {
        if let Some(task) = task_of(t) {
            let mut i = task.inner.lock();
            if i.state != TaskState::Runnable {
                return;
            }
            i.queue = Queue::Run;
            i.set_resume(r);
            let id = task.id;
            drop(i);
            self.blocked.remove(&id);
            self.runq.push_back(t.clone());
        }
    }

    /// Record that the current task is about to suspend in queue `q`.
    /// Returns the task's new epoch.
    pub fn park_current(&mut self, q: Queue) -> u32 {
        let t = self.current.clone();
        let Some(task) = task_of(&t) else { return 0 };
        let mut i = task.inner.lock();
        i.epoch = i.epoch.wrapping_add(1);
        let in_runq = matches!(q, Queue::Run);
        i.queue = q;
        let epoch = i.epoch;
        let id = task.id;
        drop(i);
        if !in_runq {
            self.blocked.insert(id, t);
        }
        epoch
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
