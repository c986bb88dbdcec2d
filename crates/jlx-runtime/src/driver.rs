//! The driver loop of one thread: run the current task until the VM halts,
//! react to the `Halt` (finish the task, keep it suspended, or continue it
//! after safepoint duties), then pick the next task: a `yieldto` target,
//! else the head of the FIFO run queue (after scheduling expired timers),
//! else sleep in the event loop until the nearest timer; with nothing left
//! to wait for, report a deadlock.
//!
//! Invariants: exactly one task runs at a time and `sched.current` names
//! it; a non-main task's fiber is owned by the driver while it runs and by
//! the task while it is suspended; finished fibers go back to the pool.

use crate::events::EventLoop;
use crate::report;
use jlx_vm::fiber::Fiber;
use jlx_vm::task::{same, task_of, Queue, TaskState};
use jlx_vm::{Halt, Value, Vm};
use std::time::Duration;

/// How a run of the main task ended.
pub enum Outcome {
    Finished(Value),
    /// The main task threw; the fiber holds the backtrace.
    Threw(Value),
    /// No task can run and nothing can wake one; the report is printed.
    Deadlock,
}

pub struct Driver {
    events: EventLoop,
    /// The main (root) task.
    pub main: Value,
}

/// Fibers kept for reuse.
const POOL_MAX: usize = 256;

impl Driver {
    pub fn new() -> std::io::Result<Driver> {
        let main = jlx_vm::task::TaskObj::new_value(Value::Nothing, jlx_num::rng::Xoshiro::seeded(0));
        if let Some(t) = task_of(&main) {
            t.inner.lock().started = true;
        }
        Ok(Driver { events: EventLoop::new()?, main })
    }

    /// A handle other threads use to wake the event loop.
    pub fn waker(&self) -> std::sync::Arc<mio::Waker> {
        self.events.waker()
    }

    /// Run the main task's prepared fiber `fb` (and every task it wakes)
    /// until the main task finishes, throws or deadlocks.
    pub fn run_main(&mut self, vm: &mut Vm, fb: &mut Fiber) -> Outcome {
        vm.sched.current = self.main.clone();
        let mut cur = self.main.clone();
        let mut cur_fb: Option<Box<Fiber>> = None;
        let mut halt = vm.run(fb, 0);
        loop {
            let is_main = cur_fb.is_none();
            match halt {
                Halt::Preempted => {
                    self.safepoint(vm);
                    halt = match &mut cur_fb {
                        Some(f) => vm.run(f, 0),
                        None => vm.run(fb, 0),
                    };
                    continue;
                }
                Halt::Finished(v) if is_main => return Outcome::Finished(v),
                Halt::Threw(e) if is_main => return Outcome::Threw(e),
                Halt::Finished(v) => finish(vm, &cur, Ok(v), cur_fb.take().expect("task fiber")),
                Halt::Threw(e) => finish(vm, &cur, Err(e), cur_fb.take().expect("task fiber")),
                Halt::Suspended => {
                    if let (Some(f), Some(t)) = (cur_fb.take(), task_of(&cur)) {
                        t.inner.lock().fiber = Some(f);
                    }
                }
            }
            let Some(next) = self.pick(vm) else {
                report::deadlock(vm, &self.main, fb);
                return Outcome::Deadlock;
            };
            if !same(&next, &cur) {
                swap_rng(vm, &cur, &next);
            }
            vm.sched.current = next.clone();
            cur = next;
            let task = task_of(&cur).expect("run queue holds tasks");
            if same(&cur, &self.main) {
                let r = task.inner.lock().take_resume();
                halt = vm.resume(fb, r);
                continue;
            }
            let mut i = task.inner.lock();
            let r = i.take_resume();
            if i.started {
                let mut f = i.fiber.take().expect("suspended task has a fiber");
                drop(i);
                halt = vm.resume(&mut f, r);
                cur_fb = Some(f);
            } else {
                i.started = true;
                let func = i.func.clone();
                drop(i);
                let mut f = vm.sched.fiber_pool.pop().unwrap_or_default();
                halt = vm.start_task(&mut f, func);
                cur_fb = Some(f);
            }
        }
    }

    /// The next task to run, waiting for timers if none is runnable;
    /// `None` when nothing can ever wake a task.
    fn pick(&mut self, vm: &mut Vm) -> Option<Value> {
        loop {
            if let Some(t) = vm.sched.next.take() {
                dequeue(vm, &t);
                return Some(t);
            }
            if !vm.sched.timers.is_empty() {
                let now = vm.sched.clock.now();
                vm.sched.fire_timers(now);
            }
            if let Some(t) = vm.sched.runq.pop_front() {
                if let Some(task) = task_of(&t) {
                    task.inner.lock().queue = Queue::None;
                }
                return Some(t);
            }
            jlx_vm::natives::io::flush_stdout(vm);
            let deadline = vm.sched.next_deadline()?;
            if vm.sched.clock.is_virtual() {
                vm.sched.clock.advance_to(deadline);
            } else {
                let now = vm.sched.clock.now();
                if deadline > now {
                    self.events.wait(Some(Duration::from_nanos(deadline - now)));
                }
            }
        }
    }

    /// Duties when the fuel runs out: poll the event loop without blocking
    /// and schedule the tasks of expired timers. The current task goes on.
    fn safepoint(&mut self, vm: &mut Vm) {
        self.events.wait(Some(Duration::ZERO));
        if !vm.sched.timers.is_empty() {
            let now = vm.sched.clock.now();
            vm.sched.fire_timers(now);
        }
    }
}

/// Julia's task-local RNG: the running task's stream lives in the runtime's
/// generator; a switch saves it into the old task and loads the new one's.
fn swap_rng(vm: &mut Vm, from: &Value, to: &Value) {
    let (Some(a), Some(b)) = (task_of(from), task_of(to)) else { return };
    let mut g = vm.rt.rng.lock();
    a.inner.lock().rng = g.clone();
    *g = b.inner.lock().rng.clone();
}

/// Take a `yieldto` target out of any queue it is in.
fn dequeue(vm: &mut Vm, t: &Value) {
    let Some(task) = task_of(t) else { return };
    let q = std::mem::take(&mut task.inner.lock().queue);
    match q {
        Queue::Run => {
            if let Some(p) = vm.sched.runq.iter().position(|w| same(w, t)) {
                vm.sched.runq.remove(p);
            }
        }
        Queue::None | Queue::Timer => {}
        q => jlx_vm::task::unlink(t, &q),
    }
    vm.sched.blocked.remove(&task.id);
}

/// Record a task's result, wake the tasks waiting for it, recycle its fiber.
fn finish(vm: &mut Vm, t: &Value, r: Result<Value, Value>, mut fb: Box<Fiber>) {
    let Some(task) = task_of(t) else { return };
    let waiters = {
        let mut i = task.inner.lock();
        match r {
            Ok(v) => {
                i.state = TaskState::Done;
                i.result = v;
            }
            Err(e) => {
                i.state = TaskState::Failed;
                i.result = e;
                i.extra().backtrace = std::mem::take(&mut fb.backtrace);
            }
        }
        i.func = Value::Nothing;
        std::mem::take(&mut i.done_waiters)
    };
    for w in waiters {
        if let Some(wt) = task_of(&w) {
            wt.inner.lock().queue = Queue::None;
        }
        vm.sched.wake(&w, Ok(Value::Nothing));
    }
    if vm.sched.fiber_pool.len() < POOL_MAX {
        fb.regs.clear();
        fb.frames.clear();
        fb.handlers.clear();
        fb.backtrace.clear();
        vm.sched.fiber_pool.push(fb);
    }
}
