//! The scheduler state of one thread: its FIFO run queue, the running
//! task, a direct-switch target for `yieldto`, the timer heap (thread 1)
//! and the clock (real or virtual, shared by all threads). Natives change
//! this state (`schedule`, `yield`, `wait`, `sleep`); the driver loops in
//! `jlx-runtime` read it to pick the next task and to wait for the nearest
//! timer. With several threads, a task made runnable goes where it may run
//! (`push_runnable`): this thread's queue, another thread's inbox, this
//! worker's deque or the global injector (see `crate::pool`).
//!
//! Invariants: a task is in a run queue only while its `queue` is
//! `Queue::Run` and it is not running (a task woken while it runs is
//! queued by the driver when it suspends: `Sched::requeue`); a timer
//! entry wakes its task only if the task's `epoch` still equals the
//! entry's (the task has not been woken another way since it went to
//! sleep); a started, unfinished task is in the live registry (`live`
//! with one thread, `Pool::live` with several), so the deadlock report can
//! find it; the random stream in `rng` is `rng_owner`'s, swapped for the
//! running task's only when it draws (`rng()`).

use crate::pool::{Pool, RemoteTimer};
use crate::task::{same, task_of, unlink, Queue, TaskInner, TaskObj, TaskRng, TaskState, NOT_LIVE};
use crate::value::Value;
use jlx_num::rng::Xoshiro;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
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

/// The run's clock: monotonic nanoseconds since start, real or virtual,
/// one for all threads.
#[derive(Debug)]
pub struct Clock {
    start: Instant,
    start_unix_ns: i64,
    /// `Some(now)` under `--virtual-time` (only thread 1 moves it).
    virt: Option<AtomicU64>,
}

impl Clock {
    pub fn new(virtual_time: bool) -> Clock {
        let start_unix_ns =
            SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as i64).unwrap_or(0);
        Clock { start: Instant::now(), start_unix_ns, virt: virtual_time.then(|| AtomicU64::new(0)) }
    }

    /// Monotonic nanoseconds since the run started.
    #[inline]
    pub fn now(&self) -> u64 {
        match &self.virt {
            Some(v) => v.load(Ordering::Acquire),
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
    pub fn advance_to(&self, t: u64) {
        if let Some(v) = &self.virt {
            v.fetch_max(t, Ordering::AcqRel);
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
    pub clock: Arc<Clock>,
    /// The main task and every unfinished task that has suspended at least
    /// once (for the deadlock report: when nothing can run, each of them is
    /// blocked), with one thread; with several, `Pool::live` holds them.
    pub live: Vec<Value>,
    /// Finished fibers kept for reuse, so starting a task does not allocate.
    pub fiber_pool: Vec<Box<crate::fiber::Fiber>>,
    /// The task whose random stream `rng` holds (thread 1 starts with the
    /// main task's; `Nothing`: nobody's, as on a new worker).
    pub rng_owner: Value,
    /// Set by `yield()`: the task that just suspended goes to the back of
    /// the run queue. The driver does it in the same lock of the task that
    /// stores its fiber, moving `current` into the queue (no reference
    /// count traffic on a plain switch).
    pub yield_requested: bool,
    /// The random stream of `rng_owner`.
    pub rng: Xoshiro,
    /// `rng`'s four words, shared by the tasks split from it since it last
    /// drew (`split_rng`); `None` once anyone may have drawn from `rng`.
    rng_words: Option<Arc<[u64; 4]>>,
    /// What all threads share.
    pub pool: Arc<Pool>,
    /// This thread's number (1-based, Julia's `threadid()`).
    pub thread: usize,
    /// A worker's deque of non-sticky tasks (others steal from it; set
    /// by the worker loop, whose stealers the pool holds).
    pub local: Option<crossbeam_deque::Worker<Arc<TaskObj>>>,
    /// `pool.single()`, kept here for the switch path.
    pub single: bool,
}

pub const NOT_RUNNABLE: &str = "schedule: Task not runnable";
/// Julia's `jl_switch` error for a switch to a task of another thread.
pub const OTHER_THREAD: &str = "cannot switch to task running on another thread";

impl Sched {
    /// The scheduler of thread `thread` (1-based). `rng` starts as nobody's
    /// stream.
    pub fn new(pool: Arc<Pool>, clock: Arc<Clock>, thread: usize, rng: Xoshiro) -> Sched {
        Sched {
            runq: VecDeque::new(),
            current: Value::Nothing,
            next: None,
            timers: BinaryHeap::new(),
            timer_seq: 0,
            clock,
            live: Vec::new(),
            fiber_pool: Vec::new(),
            rng_owner: Value::Nothing,
            yield_requested: false,
            rng,
            rng_words: None,
            thread,
            local: None,
            single: pool.single(),
            pool,
        }
    }

    /// Queue the task `t`, whose state `i` is locked and says `Queue::Run`,
    /// where it may run — unless it is running: then the driver queues it
    /// when it suspends (`requeue`).
    #[inline]
    fn enqueue(&mut self, t: &Arc<TaskObj>, i: &mut TaskInner) {
        if !i.running {
            self.push_runnable(t.clone(), i);
        }
    }

    /// Put the runnable, not running task `t` (state `i` locked) on the
    /// queue of a thread that may run it: with one thread, the run queue;
    /// else a sticky task is pinned to this thread if it is not pinned yet
    /// (Julia's `enq_work`), a pinned task goes to its thread, and a free
    /// one to this worker's deque or, from thread 1, the injector.
    #[inline]
    pub fn push_runnable(&mut self, t: Arc<TaskObj>, i: &mut TaskInner) {
        if self.single {
            self.runq.push_back(t);
        } else {
            self.push_routed(t, i);
        }
    }

    fn push_routed(&mut self, t: Arc<TaskObj>, i: &mut TaskInner) {
        if i.sticky && i.home == 0 {
            i.home = self.thread as u16;
        }
        // An unpinned task of the interactive pool runs on thread 1, the
        // pool's only thread.
        let target = if i.home == 0 && i.interactive { 1 } else { i.home };
        match target as usize {
            0 => match &self.local {
                Some(w) => {
                    w.push(t);
                    self.pool.notify_one();
                }
                None => self.pool.inject(t),
            },
            h if h == self.thread => self.runq.push_back(t),
            h => self.pool.push_inbox(h, t),
        }
    }

    /// The running task `t` just suspended (its state `i` locked, its fiber
    /// stored): it no longer runs, and if it was woken meanwhile (or
    /// yielded) it must be queued now. With several threads that is done
    /// here; with one, `true` asks the caller to append `t` to `runq` once
    /// the lock is released (moving its `Arc`: no reference count traffic).
    #[inline]
    pub fn requeue(&mut self, t: &Arc<TaskObj>, i: &mut TaskInner) -> bool {
        let queue = i.suspend();
        if self.single {
            return queue;
        }
        // A task made sticky while it ran (`current_task().sticky = true`)
        // stays on the thread it ran on, as Julia keeps a sticky task's tid.
        if i.sticky && i.home == 0 {
            i.home = self.thread as u16;
        }
        if !queue {
            return false;
        }
        self.push_routed(t.clone(), i);
        false
    }

    /// Julia's `enq_work` for a sticky task not pinned yet, scheduled by an
    /// unpinned (spawned) task: the scheduling task is pinned to this
    /// thread too, so the two stay together (Julia issue #41324).
    fn pin_current_for(&mut self, t: &TaskObj) {
        if self.single {
            return;
        }
        let unpinned_sticky = {
            let i = t.inner.lock();
            i.sticky && i.home == 0
        };
        if let (true, Some(cur)) = (unpinned_sticky, task_of(&self.current)) {
            let mut c = cur.inner.lock();
            if c.home == 0 {
                c.sticky = true;
                c.home = self.thread as u16;
            }
        }
    }

    /// Append `t` to the run queue; `r` is what its pending wait returns
    /// (or throws). Julia's `schedule(t, val; error)`.
    pub fn schedule(&mut self, t: &Value, r: Result<Value, Value>) -> Result<(), &'static str> {
        let Value::Task(task) = t else { return Err(NOT_RUNNABLE) };
        self.pin_current_for(task);
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
        self.enqueue(task, &mut i);
        Ok(())
    }

    /// [`Sched::schedule`] for a task just made and not shared yet (`t` is
    /// its only reference): nothing can have queued it or be looking at
    /// it, so with one thread its state is set through `Arc::get_mut`
    /// without taking its lock (`@async` in a loop: one lock and the
    /// queue checks less per task). `register` runs after that and before
    /// the task is queued (the `@sync` list gets it first, as when
    /// `__start_task__` pushes and then schedules). With several threads
    /// it takes the general path (the routing and the pinning of the
    /// creator need the locks anyway).
    pub fn schedule_new(
        &mut self,
        mut t: Arc<TaskObj>,
        register: impl FnOnce(&Arc<TaskObj>),
    ) -> Result<Arc<TaskObj>, &'static str> {
        let fresh = match Arc::get_mut(&mut t) {
            Some(task) if self.single => {
                let i = task.inner.get_mut();
                if i.state != TaskState::Runnable || !matches!(i.queue, Queue::None) {
                    return Err(NOT_RUNNABLE);
                }
                i.set_resume(Ok(Value::Nothing));
                i.queue = Queue::Run;
                debug_assert!(!i.running, "a new task does not run");
                true
            }
            _ => false,
        };
        register(&t);
        if fresh {
            self.runq.push_back(t.clone());
        } else {
            self.schedule(&Value::Task(t.clone()), Ok(Value::Nothing))?;
        }
        Ok(t)
    }

    /// Julia's `jl_switch` for `yieldto(t, x)` and `yield(t, x)`: make the
    /// runnable task `t` (not the running one) the next to run on this
    /// thread, resumed with `x`. As Julia's `jl_set_task_tid`, a task that
    /// runs, or is pinned to another thread, cannot be switched to (the
    /// error is Julia's); a sticky task not pinned yet is pinned here.
    /// In one lock of `t` it is claimed: marked running (so no other
    /// thread starts it from a stale queue entry, and a wake-up meanwhile
    /// only marks it `Queue::Run`, as for any running task) and taken out
    /// of the queue it was in. The driver starts it without looking at its
    /// queue (`start_current` with `claimed`).
    pub fn switch_to(&mut self, t: &Value, x: Value) -> Result<(), &'static str> {
        let Value::Task(task) = t else { return Err(NOT_RUNNABLE) };
        let old = {
            let mut i = task.inner.lock();
            if i.state != TaskState::Runnable {
                return Err(NOT_RUNNABLE);
            }
            if i.running || (!self.single && i.home != 0 && i.home as usize != self.thread) {
                return Err(OTHER_THREAD);
            }
            if i.sticky && i.home == 0 && !self.single {
                i.home = self.thread as u16;
            }
            i.running = true;
            i.set_resume(Ok(x));
            std::mem::take(&mut i.queue)
        };
        match old {
            Queue::Run => self.unqueue(task),
            Queue::Wait(_) => unlink(t, &old),
            // A timer entry is stale once the task's queue is not `Timer`.
            Queue::None | Queue::Timer | Queue::Input => {}
        }
        self.next = Some(t.clone());
        Ok(())
    }

    /// Take `t` out of this thread's run queue (an entry elsewhere becomes
    /// stale: the caller clears the task's `queue`).
    pub fn unqueue(&mut self, t: &Arc<TaskObj>) {
        if let Some(p) = self.runq.iter().position(|w| Arc::ptr_eq(w, t)) {
            self.runq.remove(p);
        }
    }

    /// `yield()` of the task that just suspended (`yield_requested`), whose
    /// state `i` is locked: mark it queued to run, resuming with `nothing`
    /// (`requeue` then queues it). Julia's error when it is already queued
    /// somewhere.
    pub fn mark_yielded(i: &mut TaskInner) -> Result<(), &'static str> {
        if i.state != TaskState::Runnable || !matches!(i.queue, Queue::None) {
            return Err(NOT_RUNNABLE);
        }
        i.set_resume(Ok(Value::Nothing));
        i.queue = Queue::Run;
        Ok(())
    }

    /// Record that the task `t`, whose state `i` is locked, is alive: the
    /// main task when it starts, any other when it first suspends (`live`
    /// is a `Sched::live`, used with one thread).
    pub fn register_live(live: &mut Vec<Value>, pool: &Pool, t: &Value, i: &mut TaskInner) {
        if i.live != NOT_LIVE {
            return;
        }
        if !pool.single() {
            let Some(task) = task_of(t) else { return };
            i.live = 0;
            pool.live.lock().insert(task.id, t.clone());
            return;
        }
        i.live = live.len() as u32;
        live.push(t.clone());
    }

    /// Every live task (oldest first with several threads).
    pub fn live_tasks(&self) -> Vec<Value> {
        if self.single {
            return self.live.clone();
        }
        let mut v: Vec<(u64, Value)> = self.pool.live.lock().iter().map(|(k, v)| (*k, v.clone())).collect();
        v.sort_by_key(|(k, _)| *k);
        v.into_iter().map(|(_, t)| t).collect()
    }

    /// Forget a finished task `t` (its state `i` is locked).
    #[inline]
    pub fn unregister_live(&mut self, t: &TaskObj, i: &mut TaskInner) {
        if !self.single {
            if std::mem::replace(&mut i.live, NOT_LIVE) != NOT_LIVE {
                self.pool.live.lock().remove(&t.id);
            }
            return;
        }
        let k = std::mem::replace(&mut i.live, NOT_LIVE) as usize;
        if k >= self.live.len() {
            return;
        }
        self.live.swap_remove(k);
        if let Some(moved) = self.live.get(k).and_then(task_of) {
            moved.inner.lock().live = k as u32;
        }
    }

    /// The running task's random stream: `rng` after saving the owner's
    /// stream in the owner and loading the current task's. (Thread 1 starts
    /// with the main task as the owner; a worker with no owner.) The caller
    /// may draw from it, so the shared copy of its words is dropped.
    pub fn rng(&mut self) -> &mut Xoshiro {
        self.own_rng();
        self.rng_words = None;
        &mut self.rng
    }

    /// Make `rng` the running task's stream.
    #[inline]
    fn own_rng(&mut self) {
        if !same(&self.rng_owner, &self.current) {
            if let Some(cur) = task_of(&self.current) {
                if let Some(owner) = task_of(&self.rng_owner) {
                    owner.inner.lock().save_stream(self.rng.clone());
                }
                self.rng = cur.inner.lock().stream();
                self.rng_owner = self.current.clone();
                self.rng_words = None;
            }
        }
    }

    /// Split the running task's stream for a new task (Julia's
    /// `jl_rng_split`): the parent's fifth word advances, and the child
    /// gets the split's inputs, its words shared with every other task
    /// split from them while the parent does not draw (the child's stream
    /// is made when it first needs it: `TaskInner::stream`).
    pub fn split_rng(&mut self) -> TaskRng {
        self.own_rng();
        let x = self.rng.split_word();
        let rng = &self.rng;
        let words = self.rng_words.get_or_insert_with(|| Arc::new(rng.words()));
        TaskRng::Split(words.clone(), x)
    }

    /// Before the running task (state `i` locked) leaves a thread of a
    /// multi-threaded run, where it may resume elsewhere: give it back its
    /// random stream if this thread holds it.
    #[inline]
    pub fn release_rng(&mut self, cur: &Arc<TaskObj>, i: &mut TaskInner) {
        if self.single {
            return;
        }
        if matches!(&self.rng_owner, Value::Task(o) if Arc::ptr_eq(o, cur)) {
            i.save_stream(self.rng.clone());
            self.rng_owner = Value::Nothing;
            self.rng_words = None;
        }
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
            self.enqueue(task, &mut i);
        }
    }

    /// Enqueue a task just taken out of a wait queue (one lock of the task:
    /// its `queue` is still the one it left), resuming it with `r`.
    pub fn wake_popped(&mut self, t: Value, r: Result<Value, Value>) {
        if let Value::Task(task) = t {
            let mut i = task.inner.lock();
            if i.wake(r) {
                self.push_runnable(task.clone(), &mut i);
            }
        }
    }

    /// Record that the current task is about to suspend in queue `q`.
    /// Returns the task's new epoch. A task already woken (another thread
    /// took it from the wait queue it just joined) stays `Queue::Run`.
    pub fn park_current(&mut self, q: Queue) -> u32 {
        let Some(task) = task_of(&self.current) else { return 0 };
        task.inner.lock().begin_wait(q)
    }

    /// Put the current task to sleep until `deadline` (scheduler clock).
    /// Timers live on thread 1; a worker hands its timer over.
    pub fn sleep_current(&mut self, deadline: u64) {
        let epoch = self.park_current(Queue::Timer);
        if self.thread != 1 {
            let t = RemoteTimer { deadline, task: self.current.clone(), epoch };
            self.pool.timers.lock().push(t);
            self.pool.wake_main();
            return;
        }
        self.add_timer(deadline, self.current.clone(), epoch);
    }

    fn add_timer(&mut self, deadline: u64, task: Value, epoch: u32) {
        self.timer_seq += 1;
        let e = TimerEntry { deadline, seq: self.timer_seq, task, epoch };
        self.timers.push(Reverse(e));
    }

    /// Move the timers workers set into this (thread 1's) heap.
    #[inline]
    pub fn take_remote_timers(&mut self) {
        if !self.single {
            self.take_remote_timers_slow();
        }
    }

    fn take_remote_timers_slow(&mut self) {
        let ts = std::mem::take(&mut *self.pool.timers.lock());
        for t in ts {
            self.add_timer(t.deadline, t.task, t.epoch);
        }
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
        self.take_remote_timers();
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
