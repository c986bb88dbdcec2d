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
        if let Some(t) = task_of(&self.main) {
            vm.sched.register_live(&self.main, &mut t.inner.lock());
        }
        // The running task's fiber, unless it is the main task (`fb`).
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
                Halt::Finished(v) => finish(vm, Ok(v), cur_fb.take().expect("task fiber")),
                Halt::Threw(e) => finish(vm, Err(e), cur_fb.take().expect("task fiber")),
                Halt::Suspended => {
                    if let (Some(f), Some(t)) = (cur_fb.take(), task_of(&vm.sched.current)) {
                        t.inner.lock().fiber = Some(f);
                    }
                }
            }
            let Some(next) = self.pick(vm) else {
                report::deadlock(vm, &self.main, fb);
                return Outcome::Deadlock;
            };
            // One lock of the next task: leave its queue, take what it
            // resumes with and its fiber (or the function of a new task).
            let start = {
                let cur = &next;
                let task = task_of(cur).expect("run queue holds tasks");
                let mut i = task.inner.lock();
                i.queue = Queue::None;
                let r = i.take_resume();
                if same(cur, &self.main) {
                    Start::Main(r)
                } else if i.started {
                    Start::Resume(i.fiber.take().expect("suspended task has a fiber"), r)
                } else {
                    i.started = true;
                    vm.sched.register_live(cur, &mut i);
                    Start::New(i.func.clone())
                }
            };
            vm.sched.current = next;
            halt = match start {
                Start::Main(r) => vm.resume(fb, r),
                Start::Resume(mut f, r) => {
                    let h = vm.resume(&mut f, r);
                    cur_fb = Some(f);
                    h
                }
                Start::New(func) => {
                    let mut f = vm.sched.fiber_pool.pop().unwrap_or_default();
                    let h = vm.start_task(&mut f, func);
                    cur_fb = Some(f);
                    h
                }
            };
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
            // (`run_main` clears the task's `queue`.)
            if let Some(t) = vm.sched.runq.pop_front() {
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

/// How the next task continues.
enum Start {
    Main(Result<Value, Value>),
    Resume(Box<Fiber>, Result<Value, Value>),
    New(Value),
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
}

/// Record the running task's result, wake the tasks waiting for it,
/// recycle its fiber.
fn finish(vm: &mut Vm, r: Result<Value, Value>, mut fb: Box<Fiber>) {
    let t = std::mem::take(&mut vm.sched.current);
    let Some(task) = task_of(&t) else {
        vm.sched.current = t;
        return;
    };
    let waiters = {
        let mut i = task.inner.lock();
        vm.sched.unregister_live(&mut i);
        match r {
            Ok(v) => {
                i.state = TaskState::Done;
                i.result = v;
            }
            Err(e) => {
                i.state = TaskState::Failed;
                i.result = e;
                i.extra().backtrace = std::mem::take(&mut fb.backtrace);
                i.extra().excstack = std::mem::take(&mut fb.excstack);
            }
        }
        i.func = Value::Nothing;
        std::mem::take(&mut i.done_waiters)
    };
    vm.sched.current = t;
    for w in waiters {
        vm.sched.wake_popped(w, Ok(Value::Nothing));
    }
    if vm.sched.fiber_pool.len() < POOL_MAX {
        fb.regs.clear();
        fb.frames.clear();
        fb.handlers.clear();
        fb.backtrace.clear();
        fb.excstack.clear();
        fb.retry = None;
        vm.sched.fiber_pool.push(fb);
    }
}
