//! The default worker threads of `-t N` (threads 2..=N+1): each has its own
//! VM over the shared runtime and runs `Threads.@spawn` tasks (and sticky
//! tasks pinned to it) until the process ends. A worker looks for work in
//! Tokio's and crossbeam's order: its `yieldto` target, the sticky tasks
//! pinned to it, its inbox, its own deque, a batch from the global
//! injector, then the deques of the other workers; with none it parks
//! (`Pool::sleep_worker`) until someone hands it work.
//!
//! Invariants: a worker runs one task at a time and never blocks the OS
//! thread while a task is runnable anywhere it may take it from; timers
//! and the virtual clock stay with thread 1. No queued task starves: tasks
//! that `yield()` on a worker go back to its own deque, which then never
//! empties, so every `INJECTOR_TICK`-th pick looks at the injector first
//! (Tokio's rule), and a task left there still gets its turn.

use crate::driver::{finish, park, start_current, take_inbox};
use crossbeam_deque::{Steal, Worker};
use jlx_vm::fiber::Fiber;
use jlx_vm::task::TaskObj;
use jlx_vm::{Halt, Runtime, Value, Vm};
use std::sync::{Arc, Barrier};

/// Start the worker threads of `rt`'s pool (none with `-t 1`). Call once,
/// after the standard library is loaded.
pub fn start_workers(rt: &Arc<Runtime>) -> std::io::Result<()> {
    let n = rt.pool.nworkers;
    if n == 0 {
        return Ok(());
    }
    let deques: Vec<Worker<Arc<TaskObj>>> = (0..n).map(|_| Worker::new_fifo()).collect();
    let _ = rt.pool.stealers.set(deques.iter().map(|d| d.stealer()).collect());
    // Workers may park only once every thread handle is known.
    let ready = Arc::new(Barrier::new(n + 1));
    let mut threads = Vec::with_capacity(n);
    for (k, deque) in deques.into_iter().enumerate() {
        let rt = rt.clone();
        let ready = ready.clone();
        let h = std::thread::Builder::new().name(format!("jlx-worker-{}", k + 2)).spawn(move || {
            ready.wait();
            run_worker(rt, k, deque)
        })?;
        threads.push(h.thread().clone());
    }
    let _ = rt.pool.threads.set(threads);
    ready.wait();
    Ok(())
}

/// How often (in picks) a worker takes from the injector before its own
/// deque (Tokio's global-queue interval).
const INJECTOR_TICK: u32 = 61;

fn run_worker(rt: Arc<Runtime>, k: usize, deque: Worker<Arc<TaskObj>>) {
    let mut vm = Vm::new_worker(rt, k + 2);
    vm.sched.local = Some(deque);
    let mut tick: u32 = 0;
    loop {
        tick = tick.wrapping_add(1);
        let Some(claimed) = find_task(&mut vm, k, tick.is_multiple_of(INJECTOR_TICK)) else {
            jlx_vm::natives::io::flush_stdout(&mut vm);
            vm.rt.pool.sleep_worker(k);
            continue;
        };
        run_current(&mut vm, claimed);
    }
}

/// Make the next task this worker should run `vm.sched.current`:
/// `Some(true)` for a `yieldto` target (claimed by `Sched::switch_to`),
/// `Some(false)` for a task from a queue, `None` when there is none.
/// `global_first`: take the injector's head before the own deque.
fn find_task(vm: &mut Vm, k: usize, global_first: bool) -> Option<bool> {
    if let Some(t) = vm.sched.next.take() {
        vm.sched.current = t;
        return Some(true);
    }
    take_inbox(vm);
    if let Some(t) = vm.sched.runq.pop_front() {
        vm.sched.current = Value::Task(t);
        return Some(false);
    }
    let pool = vm.rt.pool.clone();
    let local = vm.sched.local.as_ref().expect("a worker has a deque");
    let from_global = if global_first { pool.injector.steal().success() } else { None };
    let found = from_global.or_else(|| local.pop()).or_else(|| loop {
        match pool.injector.steal_batch_and_pop(local) {
            Steal::Success(t) => break Some(t),
            Steal::Retry => continue,
            Steal::Empty => {}
        }
        let stealers = pool.stealers.get().expect("stealers are set before workers start");
        let mut retry = false;
        for (j, s) in stealers.iter().enumerate() {
            if j == k {
                continue;
            }
            match s.steal() {
                Steal::Success(t) => return Some(t),
                Steal::Retry => retry = true,
                Steal::Empty => {}
            }
        }
        if !retry {
            break None;
        }
    });
    let t = found?;
    vm.sched.current = Value::Task(t);
    Some(false)
}

/// Run `vm.sched.current` until it suspends or ends (the loop then runs
/// a `yieldto` target it named next).
fn run_current(vm: &mut Vm, claimed: bool) {
    let mut cur_fb: Option<Box<Fiber>> = None;
    let Some(mut halt) = start_current(vm, None, &mut cur_fb, claimed) else { return };
    loop {
        match halt {
            Halt::Preempted => {
                let f = cur_fb.as_mut().expect("a running task has its fiber");
                halt = vm.run(f, 0);
            }
            Halt::Finished | Halt::Threw => {
                let mut f = cur_fb.take().expect("a running task has its fiber");
                let v = std::mem::take(&mut f.outcome);
                finish(vm, if halt == Halt::Finished { Ok(v) } else { Err(v) }, f);
                return;
            }
            Halt::Suspended => match park(vm, cur_fb.take()) {
                Ok(()) => return,
                Err((f, e)) => {
                    cur_fb = f;
                    let f = cur_fb.as_mut().expect("a refused yield keeps its fiber");
                    halt = vm.resume_with(f, e, true);
                }
            },
        }
    }
}
