//! The state all threads of a run share: which threads exist, the queues
//! through which one thread hands a task to another, the parking of idle
//! worker threads, timers set on worker threads, and (with several
//! threads) the registry of live tasks for the deadlock report.
//!
//! Layout (Julia 1.12's): with `-t 1` there is one thread, which runs
//! everything and never touches these queues. With `-t N` (N >= 2) thread 1
//! is the interactive thread (the main task, `@async` tasks, the REPL, the
//! mio loop and the timer heap) and threads 2..=N+1 are default workers
//! that run `Threads.@spawn` tasks: each worker has a FIFO crossbeam deque
//! others steal from, there is one global `injector`, and every thread has
//! an `inbox` for tasks pinned to it (sticky tasks woken elsewhere).
//!
//! Invariants:
//! - A task is pushed onto a queue only when its `TaskInner::queue` is
//!   `Queue::Run` and it is not running; an entry whose task no longer
//!   says so is stale and is skipped by whoever pops it.
//! - Parking (`parking.rs`, model-checked with loom): a worker is on the
//!   sleeper list iff it is parked (or about to park) with no work visible
//!   to it. Whoever makes work visible to a sleeper takes it off the list
//!   and unparks it, so a wake-up is never lost: the sleeper re-checks for
//!   work after announcing itself, and the waker checks the list's length
//!   after publishing.
//! - Only thread 1 moves the virtual clock or declares a deadlock, and only
//!   when every worker sleeps and no queue holds a task (`quiescent`).

use crate::task::TaskObj;
use crate::value::Value;
use crossbeam_deque::{Injector, Stealer};
use parking::Parking;
use parking_lot::Mutex;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{fence, Ordering};
use std::sync::{Arc, OnceLock};

mod parking;

/// The primitives `parking.rs` is written against (its loom model test
/// compiles the same file against loom's).
mod prims {
    pub use parking_lot::Mutex;
    pub use std::sync::atomic::{fence, AtomicUsize, Ordering};
    pub use std::thread::park;
}

/// How another thread wakes thread 1 out of its event loop.
pub type MainWaker = Box<dyn Fn() + Send + Sync>;

/// A timer set by a task on a worker thread, for thread 1's heap.
#[derive(Debug)]
pub struct RemoteTimer {
    pub deadline: u64,
    pub task: Value,
    pub epoch: u32,
}

pub struct Pool {
    /// Default worker threads (0 with `-t 1`).
    pub nworkers: usize,
    /// Non-sticky tasks made runnable by thread 1 (or overflowing a worker).
    pub injector: Injector<Arc<TaskObj>>,
    /// Every worker's deque, for stealing (set once the workers exist).
    pub stealers: OnceLock<Vec<Stealer<Arc<TaskObj>>>>,
    /// Tasks pinned to thread `k + 1`, made runnable by another thread.
    inboxes: Vec<Mutex<VecDeque<Arc<TaskObj>>>>,
    /// The workers' thread handles (for `unpark`), by worker index.
    pub threads: OnceLock<Vec<std::thread::Thread>>,
    /// The workers parked for lack of work (index `k`: thread `k + 2`).
    parking: Parking,
    /// Wakes thread 1's event loop (set by the driver).
    pub main_waker: OnceLock<MainWaker>,
    /// Timers set on worker threads, moved into thread 1's heap by it.
    pub timers: Mutex<Vec<RemoteTimer>>,
    /// The main task and the unfinished tasks that have suspended, by id,
    /// when there are several threads (with one, `Sched::live`).
    pub live: Mutex<HashMap<u64, Value>>,
    /// Where worker threads' output goes while the REPL shows a prompt
    /// (its printer, so lines do not break the one being typed).
    pub prompt_sink: Mutex<Option<SharedSink>>,
}

/// A printer several threads may write to.
pub type SharedSink = Arc<dyn Fn(&str) + Send + Sync>;

impl Pool {
    pub fn new(nworkers: usize) -> Arc<Pool> {
        let nthreads = nworkers + 1;
        Arc::new(Pool {
            nworkers,
            injector: Injector::new(),
            stealers: OnceLock::new(),
            inboxes: (0..nthreads).map(|_| Mutex::new(VecDeque::new())).collect(),
            threads: OnceLock::new(),
            parking: Parking::new(),
            main_waker: OnceLock::new(),
            timers: Mutex::new(Vec::new()),
            live: Mutex::new(HashMap::new()),
            prompt_sink: Mutex::new(None),
        })
    }

    /// One thread runs everything (`-t 1`).
    #[inline]
    pub fn single(&self) -> bool {
        self.nworkers == 0
    }

    /// Wake thread 1's event loop.
    pub fn wake_main(&self) {
        if let Some(w) = self.main_waker.get() {
            w();
        }
    }

    /// Hand `t` to thread `thread` (1-based) and wake that thread.
    pub fn push_inbox(&self, thread: usize, t: Arc<TaskObj>) {
        self.inboxes[thread - 1].lock().push_back(t);
        fence(Ordering::SeqCst);
        if thread == 1 {
            self.wake_main();
        } else {
            self.unpark_worker(thread - 2);
        }
    }

    /// Move the tasks handed to thread `thread` to the back of `runq`, in
    /// the order they came.
    pub fn drain_inbox(&self, thread: usize, runq: &mut VecDeque<Arc<TaskObj>>) {
        let mut q = self.inboxes[thread - 1].lock();
        if !q.is_empty() {
            runq.append(&mut q);
        }
    }

    pub fn inbox_is_empty(&self, thread: usize) -> bool {
        self.inboxes[thread - 1].lock().is_empty()
    }

    /// Publish a non-sticky task for the workers (from thread 1).
    pub fn inject(&self, t: Arc<TaskObj>) {
        self.injector.push(t);
        self.notify_one();
    }

    /// Wake one sleeping worker, if any, after work was published.
    #[inline]
    pub fn notify_one(&self) {
        if let Some(w) = self.parking.take_sleeper() {
            self.unpark(w);
        }
    }

    /// Wake worker `w` (0-based) if it sleeps.
    fn unpark_worker(&self, w: usize) {
        if self.parking.take_worker(w) {
            self.unpark(w);
        }
    }

    fn unpark(&self, w: usize) {
        if let Some(ts) = self.threads.get() {
            ts[w].unpark();
        }
    }

    /// Whether worker `w` could find a task without being handed one.
    fn work_for(&self, w: usize) -> bool {
        !self.injector.is_empty()
            || !self.inbox_is_empty(w + 2)
            || self.stealers.get().is_some_and(|s| s.iter().any(|s| !s.is_empty()))
    }

    /// Park worker `w` until it is handed work. Returns at once when work
    /// is already visible. The last worker to go to sleep wakes thread 1,
    /// which may then find the run quiescent.
    pub fn sleep_worker(&self, w: usize) {
        self.parking.sleep(w, self.nworkers, || self.work_for(w), || self.wake_main());
    }

    /// Every worker sleeps, no queue of theirs holds a task and nothing
    /// waits in thread 1's inbox: nothing but thread 1's run queue can make
    /// progress. Always true with one thread. (Thread 1's inbox counts: a
    /// worker may hand it a task after thread 1 last drained it and then
    /// fall asleep; the hand-off happens before the worker parks, so it is
    /// seen here.)
    pub fn quiescent(&self) -> bool {
        if self.single() {
            return true;
        }
        self.parking.all_asleep(self.nworkers, || {
            self.injector.is_empty()
                && (1..=self.nworkers + 1).all(|k| self.inbox_is_empty(k))
                && self.stealers.get().is_none_or(|s| s.iter().all(|s| s.is_empty()))
                && self.timers.lock().is_empty()
        })
    }
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pool({} workers)", self.nworkers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::TaskObj;
    use std::sync::atomic::{AtomicBool, AtomicUsize};

    fn task() -> Arc<TaskObj> {
        match TaskObj::new_value(
            Value::Nothing,
            crate::task::TaskRng::State(jlx_num::rng::Xoshiro::seeded(1)),
            true,
            false,
        ) {
            Value::Task(t) => t,
            _ => unreachable!("a task value"),
        }
    }

    /// The parking protocol never loses a wake-up: four workers that sleep
    /// whenever the injector looks empty take every one of 20 000 tasks
    /// published one at a time from another thread (a lost wake-up leaves
    /// tasks behind with every worker parked, and the test times out).
    #[test]
    fn parked_workers_take_every_published_task() {
        const N: usize = 20_000;
        let pool = Pool::new(4);
        let _ = pool.stealers.set(Vec::new());
        let taken = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let mut handles = Vec::new();
        for w in 0..4 {
            let (pool, taken, stop) = (pool.clone(), taken.clone(), stop.clone());
            handles.push(std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match pool.injector.steal() {
                        crossbeam_deque::Steal::Success(_) => {
                            taken.fetch_add(1, Ordering::SeqCst);
                        }
                        crossbeam_deque::Steal::Retry => {}
                        crossbeam_deque::Steal::Empty => pool.sleep_worker(w),
                    }
                }
            }));
        }
        let _ = pool.threads.set(handles.iter().map(|h| h.thread().clone()).collect());
        for k in 0..N {
            pool.inject(task());
            if k % 64 == 0 {
                std::thread::yield_now();
            }
        }
        let start = std::time::Instant::now();
        while taken.load(Ordering::SeqCst) < N {
            assert!(start.elapsed().as_secs() < 20, "tasks left behind: a wake-up was lost");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        // Every worker is asleep again, and the pool says so.
        while !pool.quiescent() {
            assert!(start.elapsed().as_secs() < 20, "workers did not all go to sleep");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        stop.store(true, Ordering::SeqCst);
        for w in 0..4 {
            pool.unpark_worker(w);
        }
        for h in handles {
            h.join().expect("worker");
        }
        assert_eq!(taken.load(Ordering::SeqCst), N);
    }

    /// A task a worker handed to thread 1 before falling asleep keeps the
    /// pool from looking quiescent (else thread 1, having drained its inbox
    /// just before, reports a deadlock while that task could run).
    #[test]
    fn a_task_handed_to_thread_one_is_progress() {
        let pool = Pool::new(2);
        let _ = pool.stealers.set(Vec::new());
        let sleepers: Vec<_> = (0..2)
            .map(|w| {
                let pool = pool.clone();
                std::thread::spawn(move || pool.sleep_worker(w))
            })
            .collect();
        let _ = pool.threads.set(sleepers.iter().map(|h| h.thread().clone()).collect());
        let start = std::time::Instant::now();
        while !pool.quiescent() {
            assert!(start.elapsed().as_secs() < 20, "workers did not go to sleep");
            std::thread::yield_now();
        }
        pool.push_inbox(1, task());
        assert!(!pool.quiescent(), "a task waits in thread 1's inbox");
        let mut runq = VecDeque::new();
        pool.drain_inbox(1, &mut runq);
        assert_eq!(runq.len(), 1);
        assert!(pool.quiescent());
        for w in 0..2 {
            pool.unpark_worker(w);
        }
        for h in sleepers {
            h.join().expect("worker");
        }
    }
}
