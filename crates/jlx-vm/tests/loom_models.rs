//! Loom models (exhaustive interleavings, within a preemption bound) of
//! the two hand-offs the thread pool rests on:
//! - parking (`src/pool/parking.rs`, included here and compiled against
//!   loom's primitives): a worker that goes to sleep while work is
//!   published is always woken or finds the work;
//! - the wait/wake step of a task (the `TaskInner` transitions the
//!   natives and drivers use, under loom mutexes laid out as the real
//!   locks): a task that looks at a channel and waits, while another
//!   thread puts an item and wakes it, either takes the item or is queued
//!   to run exactly once, and only after its fiber is stored.
//!
//! Run with `cargo test --release -p jlx-vm loom_`.

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;

/// The primitives `parking.rs` is written against.
mod prims {
    pub use loom::sync::atomic::{fence, AtomicUsize, Ordering};
    pub use loom::thread::park;

    /// parking_lot's locking interface over loom's mutex.
    pub struct Mutex<T>(loom::sync::Mutex<T>);

    impl<T> Mutex<T> {
        pub fn new(t: T) -> Mutex<T> {
            Mutex(loom::sync::Mutex::new(t))
        }

        pub fn lock(&self) -> loom::sync::MutexGuard<'_, T> {
            self.0.lock().expect("no panics while locked")
        }
    }
}

#[path = "../src/pool/parking.rs"]
#[allow(dead_code)]
mod parking;

use parking::Parking;
use prims::Mutex;

fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut b = loom::model::Builder::new();
    b.preemption_bound = Some(3);
    b.check(f);
}

/// Whether an item is published, as the workers' look for work after
/// announcing themselves. Loom treats `SeqCst` accesses as `AcqRel`, so
/// it would let this look and the publisher's look at the sleeper count
/// both miss the other's write — the store-buffering outcome that the
/// `SeqCst` fence of `Parking::take_sleeper` rules out for the real code
/// (C++20 [atomics.order]: a `SeqCst` load after the fence sees every
/// `SeqCst` write before it). A read-modify-write reads the latest value
/// in loom too, so it stands in for that order here.
fn work_visible(work: &AtomicUsize) -> bool {
    work.fetch_add(0, Ordering::SeqCst) > 0
}

/// Take one published item, if any.
fn try_take(work: &AtomicUsize) -> bool {
    let mut n = work.load(Ordering::Acquire);
    while n > 0 {
        match work.compare_exchange(n, n - 1, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return true,
            Err(m) => n = m,
        }
    }
    false
}

/// Two workers each take one of two items published one at a time (as
/// `Pool::inject`: make it visible, then wake a sleeper). A lost wake-up
/// leaves a worker parked with an item left: loom reports the deadlock.
#[test]
fn loom_parked_workers_take_published_work() {
    model(|| {
        let p = Arc::new(Parking::new());
        let work = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let (p, work) = (p.clone(), work.clone());
                thread::spawn(move || loop {
                    if try_take(&work) {
                        return;
                    }
                    p.sleep(w, 2, || work_visible(&work), || {});
                })
            })
            .collect();
        let threads: Vec<_> = workers.iter().map(|h| h.thread().clone()).collect();
        for _ in 0..2 {
            work.fetch_add(1, Ordering::Release);
            if let Some(w) = p.take_sleeper() {
                threads[w].unpark();
            }
        }
        for h in workers {
            h.join().expect("worker");
        }
        assert_eq!(work.load(Ordering::SeqCst), 0);
    });
}

/// A task handed to one worker's inbox (as `Pool::push_inbox`) wakes that
/// worker, whether it is awake, announcing itself, or parked; meanwhile
/// another worker sleeps and is not needed.
#[test]
fn loom_worker_woken_for_its_inbox() {
    model(|| {
        let p = Arc::new(Parking::new());
        let inbox = Arc::new(Mutex::new(0usize));
        let worker = {
            let (p, inbox) = (p.clone(), inbox.clone());
            thread::spawn(move || loop {
                {
                    let mut q = inbox.lock();
                    if *q > 0 {
                        *q -= 1;
                        return;
                    }
                }
                p.sleep(0, 2, || *inbox.lock() > 0, || {});
            })
        };
        *inbox.lock() += 1;
        prims::fence(Ordering::SeqCst);
        if p.take_worker(0) {
            worker.thread().unpark();
        }
        worker.join().expect("worker");
        assert!(!p.all_asleep(1, || true), "the worker left the list");
    });
}

/// The task's state as the real locks hold it: `TaskInner` (behind the
/// task's mutex) and whether its fiber is stored in it.
struct Task {
    inner: jlx_vm::task::TaskInner,
    fiber_stored: bool,
}

fn new_task() -> Task {
    let v = jlx_vm::task::TaskObj::new_value(
        jlx_vm::Value::Nothing,
        jlx_vm::task::TaskRng::State(jlx_num::rng::Xoshiro::seeded(1)),
        true,
        false,
    );
    let jlx_vm::Value::Task(t) = v else { unreachable!("a task") };
    let t = std::sync::Arc::try_unwrap(t).expect("only reference");
    let mut inner = t.inner.into_inner();
    // Running on its thread (the driver took it off a run queue).
    inner.queue = jlx_vm::task::Queue::Run;
    assert!(inner.take_to_run(1));
    Task { inner, fiber_stored: false }
}

/// A task takes from a channel or waits (the look and the join in one hold
/// of the channel, as `take!`), then suspends (its driver stores the fiber
/// and queues it if it was woken meanwhile, in one lock of the task); on
/// another thread a `put!` adds an item in one hold of the channel and
/// then wakes the first waiter (queued at once unless it still runs); a
/// third thread pops the run queue and starts what it finds. Whatever the
/// interleaving: the task takes the item or is queued exactly once, and a
/// task is queued and started only with its fiber stored.
#[test]
fn loom_wait_and_wake_hand_off_once() {
    hand_off(false);
}

/// The same with the queue joined before the wait is recorded (as
/// `__task_wait__` joins a task's completion waiters, then parks): a wake
/// that comes in between must not be undone by the recording.
#[test]
fn loom_wake_before_wait_recorded_is_kept() {
    hand_off(true);
}

fn hand_off(join_first: bool) {
    use jlx_vm::task::Queue;
    model(move || {
        let items = Arc::new(Mutex::new(0usize));
        let waitq = Arc::new(Mutex::new(Vec::<()>::new()));
        let task = Arc::new(Mutex::new(new_task()));
        let runq = Arc::new(Mutex::new(0usize));
        let pushes = Arc::new(AtomicUsize::new(0));

        let runner = {
            let (items, waitq, task, runq, pushes) =
                (items.clone(), waitq.clone(), task.clone(), runq.clone(), pushes.clone());
            thread::spawn(move || {
                let took = {
                    let mut c = items.lock();
                    if *c > 0 {
                        *c -= 1;
                        true
                    } else {
                        if join_first {
                            // Joined in the look's hold; the wait is
                            // recorded after it is released.
                            waitq.lock().push(());
                        } else {
                            // `wait_on`: record the wait, then join the
                            // queue, in one lock of the task.
                            let mut t = task.lock();
                            t.inner.begin_wait(Queue::Wait(jlx_vm::Value::Nothing));
                            waitq.lock().push(());
                        }
                        false
                    }
                };
                if !took && join_first {
                    task.lock().inner.begin_wait(Queue::Wait(jlx_vm::Value::Nothing));
                }
                if !took {
                    // The driver's `park`.
                    let mut t = task.lock();
                    t.fiber_stored = true;
                    if t.inner.suspend() {
                        *runq.lock() += 1;
                        pushes.fetch_add(1, Ordering::SeqCst);
                    }
                }
                took
            })
        };
        let putter = {
            let (items, waitq, task, runq, pushes) =
                (items.clone(), waitq.clone(), task.clone(), runq.clone(), pushes.clone());
            thread::spawn(move || {
                *items.lock() += 1;
                let popped = waitq.lock().pop();
                if popped.is_some() {
                    // `wake_popped`.
                    let mut t = task.lock();
                    if t.inner.wake(Ok(jlx_vm::Value::Nothing)) {
                        assert!(t.fiber_stored, "queued before its fiber was stored");
                        *runq.lock() += 1;
                        pushes.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        };
        let popper = {
            let (task, runq) = (task.clone(), runq.clone());
            thread::spawn(move || {
                let got = {
                    let mut q = runq.lock();
                    let got = *q > 0;
                    if got {
                        *q -= 1;
                    }
                    got
                };
                if got {
                    // `start_current`.
                    let mut t = task.lock();
                    assert!(t.fiber_stored, "started before its fiber was stored");
                    assert!(t.inner.take_to_run(1), "a queued task is startable");
                }
                got
            })
        };
        let took = runner.join().expect("runner");
        putter.join().expect("putter");
        let started = popper.join().expect("popper");
        let queued = pushes.load(Ordering::SeqCst);
        if took {
            assert_eq!(queued, 0, "a task that took the item is not woken");
            assert_eq!(*items.lock(), 0);
        } else {
            assert_eq!(queued, 1, "a waiting task is queued exactly once");
            assert_eq!(*items.lock(), 1, "the item waits for the woken task");
            let left = *runq.lock();
            assert_eq!(left + started as usize, 1);
        }
    });
}
