//! The parking protocol of idle worker threads: the list of parked
//! workers and its length, read without the lock by whoever publishes
//! work. It is written against the primitives of `super::prims` (the
//! standard ones in `crate::pool`, loom's in the loom model test
//! `tests/loom_models.rs`, which includes this file), so the model checks
//! this very code.
//!
//! Invariant: a worker is in `sleeping` iff it is parked (or about to park)
//! with no work visible to it; `nidle` is the list's length. A worker
//! announces itself (pushed, counted) and only then looks for work once
//! more; a publisher makes its work visible and only then reads `nidle`
//! (SeqCst on both sides), so one of the two sees the other: either the
//! worker finds the work, or the publisher finds the worker and takes it
//! off the list (and unparks it). A parked worker returns only once it is
//! off the list, so a spurious unpark does not make it lose its place.

use super::prims::{fence, park, AtomicUsize, Mutex, Ordering};

pub struct Parking {
    /// Worker indexes (0-based) parked for lack of work.
    sleeping: Mutex<Vec<usize>>,
    /// `sleeping.len()`, read without the lock.
    nidle: AtomicUsize,
}

impl Parking {
    pub fn new() -> Parking {
        Parking { sleeping: Mutex::new(Vec::new()), nidle: AtomicUsize::new(0) }
    }

    /// After work was made visible to any worker: take one sleeper off the
    /// list, for the caller to unpark.
    pub fn take_sleeper(&self) -> Option<usize> {
        fence(Ordering::SeqCst);
        if self.nidle.load(Ordering::SeqCst) == 0 {
            return None;
        }
        let mut g = self.sleeping.lock();
        let w = g.pop();
        if w.is_some() {
            self.nidle.fetch_sub(1, Ordering::SeqCst);
        }
        w
    }

    /// After work was made visible to worker `w` alone: take it off the
    /// list if it sleeps; whether it did (the caller then unparks it).
    pub fn take_worker(&self, w: usize) -> bool {
        let mut g = self.sleeping.lock();
        match g.iter().position(|&x| x == w) {
            Some(p) => {
                g.swap_remove(p);
                self.nidle.fetch_sub(1, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    /// Park worker `w` until someone takes it off the list. `work` looks
    /// for work visible to `w`, after `w` is announced: when there is some,
    /// `w` withdraws and returns at once. `last` runs (under the list's
    /// lock) when `w` is the `nworkers`-th worker to go to sleep.
    pub fn sleep(&self, w: usize, nworkers: usize, work: impl FnOnce() -> bool, last: impl FnOnce()) {
        {
            let mut g = self.sleeping.lock();
            g.push(w);
            let n = self.nidle.fetch_add(1, Ordering::SeqCst) + 1;
            if work() {
                let p = g.iter().position(|&x| x == w).expect("just pushed");
                g.swap_remove(p);
                self.nidle.fetch_sub(1, Ordering::SeqCst);
                return;
            }
            if n == nworkers {
                last();
            }
        }
        loop {
            park();
            if !self.sleeping.lock().contains(&w) {
                return;
            }
        }
    }

    /// Whether all `nworkers` workers sleep and `idle_too` (called under
    /// the list's lock, so no worker leaves meanwhile) holds.
    pub fn all_asleep(&self, nworkers: usize, idle_too: impl FnOnce() -> bool) -> bool {
        let _g = self.sleeping.lock();
        self.nidle.load(Ordering::SeqCst) == nworkers && idle_too()
    }
}
