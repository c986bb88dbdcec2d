//! The driver loop of one thread: run the current task until the VM halts,
//! react to the `Halt` (finish the task, keep it suspended, or continue it
//! after safepoint duties), then pick the next task: a `yieldto` target,
//! else the head of the FIFO run queue (after scheduling expired timers),
//! else sleep in the event loop until the nearest timer; with nothing left
//! to wait for, report a deadlock.
//!
//! With several threads this is thread 1's loop: it also takes the tasks
//! other threads hand it (its inbox) and the timers they set, and it moves
//! the virtual clock or reports a deadlock only when every worker sleeps
//! with nothing queued (`Pool::quiescent`). Workers run `crate::worker`.
//!
//! Invariants: exactly one task runs at a time on a thread and
//! `sched.current` names it; a non-main task's fiber is owned by the
//! driver while it runs (`TaskInner::running`) and by the task while it is
//! suspended; finished fibers go back to the pool.

use crate::events::EventLoop;
use crate::report;
use jlx_vm::fiber::Fiber;
use jlx_vm::sched::Sched;
use jlx_vm::task::{same, task_of, Queue, TaskFunc, TaskState};
use jlx_vm::{Halt, Value, Vm};
use std::time::Duration;

/// How a run of the main task ended.
pub enum Outcome {
    Finished(Value),
    /// The main task threw; the fiber holds the backtrace.
    Threw(Value),
    /// No task can run and nothing can wake one; the report is printed.
    Deadlock,
    /// Ctrl-C with [`Sigint::Exit`]: the run stops where it is (the main
    /// fiber keeps its frames, for the caller's report).
    Interrupted,
}

/// What a Ctrl-C (`jlx_vm::interrupt`) does to the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sigint {
    /// Throw `InterruptException` into the main task's evaluation (Julia's
    /// REPL, `-e`, `-E`, piped input): it can be caught.
    Throw,
    /// End the run ([`Outcome::Interrupted`]): Julia's `exit_on_sigint`,
    /// set for a non-interactive `julia FILE`.
    Exit,
}

/// Where the REPL's input lines come from: called without blocking while
/// the main task waits in `Queue::Input`; `Some(line)` (a `String`, or
/// `nothing` at the end of input) resumes it. The source wakes the event
/// loop (`Driver::waker`) when a line arrives.
pub type InputSource = Box<dyn FnMut() -> Option<Value>>;

pub struct Driver {
    events: EventLoop,
    /// The main (root) task.
    pub main: Value,
    /// Set by the REPL: a deadlock throws into the main task's evaluation
    /// instead of ending the run, and the main task can wait for input
    /// lines (where a Ctrl-C is left to the line editor).
    pub interactive: bool,
    /// What a Ctrl-C does (it only arrives once the binary installed a
    /// handler).
    pub sigint: Sigint,
    pub input: Option<InputSource>,
}

/// Fibers kept for reuse.
const POOL_MAX: usize = 256;

impl Driver {
    pub fn new() -> std::io::Result<Driver> {
        let main = jlx_vm::task::TaskObj::new_value(
            Value::Nothing,
            jlx_vm::task::TaskRng::State(jlx_num::rng::Xoshiro::seeded(0)),
            true,
            false,
        );
        if let Some(t) = task_of(&main) {
            t.inner.lock().started = true;
        }
        Ok(Driver { events: EventLoop::new()?, main, interactive: false, sigint: Sigint::Throw, input: None })
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
            let mut i = t.inner.lock();
            i.running = true;
            i.home = 1;
            i.interactive = !vm.sched.single;
            Sched::register_live(&mut vm.sched.live, &vm.rt.pool, &self.main, &mut i);
        }
        if matches!(vm.sched.rng_owner, Value::Nothing) {
            // Thread 1's stream is the main task's.
            vm.sched.rng_owner = self.main.clone();
        }
        let waker = self.events.waker();
        let _ = vm.rt.pool.main_waker.set(Box::new(move || {
            let _ = waker.wake();
        }));
        // The running task's fiber, unless it is the main task (`fb`).
        let mut cur_fb: Option<Box<Fiber>> = None;
        let mut halt = vm.run(fb, 0);
        loop {
            match (halt, &mut cur_fb) {
                (Halt::Preempted, _) => {
                    let interrupt = match self.safepoint(vm, cur_fb.is_none()) {
                        Interrupt::Exit => return self.interrupted(vm, cur_fb),
                        Interrupt::Throw(e) => Some(e),
                        Interrupt::None => None,
                    };
                    halt = match (&mut cur_fb, interrupt) {
                        (Some(f), _) => vm.run(f, 0),
                        (None, Some(e)) => vm.resume_with(fb, e, true),
                        (None, None) => vm.run(fb, 0),
                    };
                    continue;
                }
                (Halt::Finished, None) => return Outcome::Finished(std::mem::take(&mut fb.outcome)),
                (Halt::Threw, None) => return Outcome::Threw(std::mem::take(&mut fb.outcome)),
                (Halt::Finished | Halt::Threw, Some(f)) => {
                    let v = std::mem::take(&mut f.outcome);
                    let f = cur_fb.take().expect("task fiber");
                    finish(vm, if halt == Halt::Finished { Ok(v) } else { Err(v) }, f);
                }
                (Halt::Suspended, _) => {
                    if let Err((f, e)) = park(vm, cur_fb.take()) {
                        // `yield()` refused: the error is thrown from it.
                        cur_fb = f;
                        halt = match &mut cur_fb {
                            Some(f) => vm.resume_with(f, e, true),
                            None => vm.resume_with(fb, e, true),
                        };
                        continue;
                    }
                }
            }
            halt = loop {
                let claimed = loop {
                    match self.pick(vm) {
                        Pick::Task(claimed) => break claimed,
                        Pick::Interrupted => return self.interrupted(vm, cur_fb),
                        Pick::Nothing => {}
                    }
                    if !self.interactive {
                        report::deadlock(vm, &self.main, fb);
                        return Outcome::Deadlock;
                    }
                    // The REPL: the evaluation gets the report as its error.
                    let text = report::deadlock_text(vm, &self.main, fb);
                    let e = jlx_vm::errors::exc(jlx_vm::types::tid::ERROREXCEPTION, vec![Value::str(text)]);
                    if vm.sched.schedule(&self.main, Err(e)).is_err() {
                        return Outcome::Deadlock;
                    }
                };
                let main = same(&vm.sched.current, &self.main).then_some(&mut *fb);
                if let Some(h) = start_current(vm, main, &mut cur_fb, claimed) {
                    break h;
                }
            };
        }
    }

    /// Make the next task to run `vm.sched.current`, waiting for timers if
    /// none is runnable: `Pick::Task(true)` for a `yieldto` target (claimed
    /// by `Sched::switch_to`), `Pick::Task(false)` for a task from the run
    /// queue; `Pick::Nothing` when nothing can ever wake a task.
    fn pick(&mut self, vm: &mut Vm) -> Pick {
        loop {
            if let Some(t) = vm.sched.next.take() {
                vm.sched.current = t;
                return Pick::Task(true);
            }
            fire_due_timers(vm);
            // Tasks other threads handed over join the queue as they came.
            take_inbox(vm);
            // (`start_current` clears the task's `queue`.)
            if let Some(t) = vm.sched.runq.pop_front() {
                vm.sched.current = Value::Task(t);
                return Pick::Task(false);
            }
            jlx_vm::natives::io::flush_stdout(vm);
            let waiting_input = self.poll_input(vm);
            if !vm.sched.runq.is_empty() {
                continue;
            }
            if jlx_vm::interrupt::take() {
                if self.sigint == Sigint::Exit {
                    return Pick::Interrupted;
                }
                self.interrupt_main(vm);
                continue;
            }
            let deadline = vm.sched.next_deadline();
            // Workers still run (or have work queued): they wake this loop
            // when they hand it a task or a timer, or all go to sleep.
            let quiet = vm.rt.pool.quiescent();
            let Some(deadline) = deadline else {
                if waiting_input || !quiet {
                    self.events.wait(None);
                    continue;
                }
                return Pick::Nothing;
            };
            if vm.sched.clock.is_virtual() {
                if quiet {
                    vm.sched.clock.advance_to(deadline);
                } else {
                    self.events.wait(None);
                }
            } else {
                let now = vm.sched.clock.now();
                if deadline > now {
                    self.events.wait(Some(Duration::from_nanos(deadline - now)));
                }
            }
        }
    }

    /// Duties when the fuel runs out (or a loop saw an interrupt): poll the
    /// event loop without blocking, schedule the tasks of expired timers,
    /// collect a REPL input line. The current task goes on, unless Ctrl-C
    /// was pressed: then the run ends (`Sigint::Exit`), or, if the main
    /// task runs (`main_running`), the `InterruptException` to throw into
    /// it is returned (another task runs: the main task is woken with it).
    fn safepoint(&mut self, vm: &mut Vm, main_running: bool) -> Interrupt {
        self.events.wait(Some(Duration::ZERO));
        fire_due_timers(vm);
        take_inbox(vm);
        self.poll_input(vm);
        if !jlx_vm::interrupt::take() {
            return Interrupt::None;
        }
        if self.sigint == Sigint::Exit {
            return Interrupt::Exit;
        }
        if main_running {
            return Interrupt::Throw(interrupt_exception());
        }
        self.interrupt_main(vm);
        Interrupt::None
    }

    /// End the run for a Ctrl-C (`Sigint::Exit`). The main fiber keeps its
    /// frames for the report; a running task's fiber is dropped.
    fn interrupted(&mut self, vm: &mut Vm, cur_fb: Option<Box<Fiber>>) -> Outcome {
        drop(cur_fb);
        jlx_vm::natives::io::flush_stdout(vm);
        Outcome::Interrupted
    }

    /// Ctrl-C while another task runs or every task waits: the main task's
    /// evaluation, if it is blocked, is woken with `InterruptException`
    /// (taken out of whatever it waits in). At the prompt it is ignored.
    fn interrupt_main(&mut self, vm: &mut Vm) {
        let Some(t) = task_of(&self.main) else { return };
        if matches!(t.inner.lock().queue, Queue::Input) {
            return;
        }
        let _ = vm.sched.schedule(&self.main, Err(interrupt_exception()));
    }

    /// If the main task waits for a REPL input line and one has arrived,
    /// wake it with the line. Returns whether it (still) waits for input.
    fn poll_input(&mut self, vm: &mut Vm) -> bool {
        let Some(input) = &mut self.input else { return false };
        let Some(t) = task_of(&self.main) else { return false };
        let mut i = t.inner.lock();
        if !matches!(i.queue, Queue::Input) {
            return false;
        }
        let Some(line) = input() else { return true };
        i.queue = Queue::None;
        drop(i);
        vm.sched.wake(&self.main, Ok(line));
        false
    }
}

/// What `Driver::pick` found.
enum Pick {
    /// `vm.sched.current` is the next task to run (`true`: a `yieldto`
    /// target, already claimed).
    Task(bool),
    /// No task can ever run again (a deadlock).
    Nothing,
    /// Ctrl-C with `Sigint::Exit`.
    Interrupted,
}

/// What a safepoint does about a Ctrl-C.
enum Interrupt {
    None,
    Throw(Value),
    Exit,
}

fn interrupt_exception() -> Value {
    jlx_vm::errors::exc(jlx_vm::types::tid::INTERRUPTEXCEPTION, vec![])
}

/// Schedule the tasks of the timers due now (thread 1; with workers, their
/// timers first move into the heap).
fn fire_due_timers(vm: &mut Vm) {
    vm.sched.take_remote_timers();
    if !vm.sched.timers.is_empty() {
        let now = vm.sched.clock.now();
        vm.sched.fire_timers(now);
    }
}

/// Move the tasks other threads handed this one into its run queue.
pub(crate) fn take_inbox(vm: &mut Vm) {
    if !vm.sched.single {
        vm.rt.pool.drain_inbox(vm.sched.thread, &mut vm.sched.runq);
    }
}

/// Continue or start `vm.sched.current`, just picked: one lock of the task
/// takes it out of its queue and takes what it resumes with and its fiber
/// (or the function of a new task). `main` is the main task's fiber when
/// the picked task is the main task. The fiber of any other task goes to
/// `cur_fb`. `None` when the entry was stale (the task was queued more
/// than once, or runs elsewhere): nothing ran. A `claimed` task (a
/// `yieldto` target) is already marked running and out of every queue; a
/// wake-up since then left it `Queue::Run`, which stays, so it is queued
/// again when it suspends.
#[inline]
pub(crate) fn start_current(
    vm: &mut Vm,
    main: Option<&mut Fiber>,
    cur_fb: &mut Option<Box<Fiber>>,
    claimed: bool,
) -> Option<Halt> {
    let task = task_of(&vm.sched.current).expect("run queue holds tasks");
    let mut i = task.inner.lock();
    if claimed {
        debug_assert!(i.running, "a yieldto target is claimed");
    } else if !i.take_to_run(vm.sched.thread as u16) {
        drop(i);
        vm.sched.current = Value::Nothing;
        return None;
    }
    let thrown = i.resume_thrown();
    let v = std::mem::take(&mut i.result);
    if let Some(fb) = main {
        drop(i);
        return Some(vm.resume_with(fb, v, thrown));
    }
    if i.started {
        let mut f = i.fiber.take().expect("suspended task has a fiber");
        drop(i);
        let h = vm.resume_with(&mut f, v, thrown);
        // `cur_fb` is `None` (the last task's fiber was parked or
        // recycled): skip the drop glue of the old value.
        std::mem::forget(cur_fb.replace(f));
        return Some(h);
    }
    i.started = true;
    let mut f = vm.sched.fiber_pool.pop().unwrap_or_default();
    // A thunk starts from its code, its captures copied into the fiber.
    let func = match &i.func {
        TaskFunc::Thunk(code, [a, b]) => {
            f.set_thunk(a.clone(), b.clone());
            Err(*code)
        }
        TaskFunc::Value(v) => Ok(v.clone()),
    };
    drop(i);
    let h = match func {
        Ok(func) => vm.start_task(&mut f, func),
        Err(code) => vm.start_thunk(&mut f, code),
    };
    *cur_fb = Some(f);
    Some(h)
}

/// The running task suspended: keep its fiber (`None` for the main task)
/// in the task and, after `yield()` or when it was woken while it ran,
/// queue it again, all in one lock. A refused `yield()` gives the fiber
/// back with the exception to resume it with.
#[inline]
pub(crate) fn park(vm: &mut Vm, mut f: Option<Box<Fiber>>) -> Result<(), (Option<Box<Fiber>>, Value)> {
    let requeue = std::mem::take(&mut vm.sched.yield_requested);
    let cur = std::mem::take(&mut vm.sched.current);
    let Value::Task(t) = cur else { return Ok(()) };
    let (refused, push) = {
        let mut i = t.inner.lock();
        let refused = if requeue { Sched::mark_yielded(&mut i).err() } else { None };
        let mut push = false;
        if refused.is_none() {
            if let Some(f) = f.take() {
                i.fiber = Some(f);
            }
            if i.live == jlx_vm::task::NOT_LIVE {
                // A task joins the live set when it first suspends: one
                // that runs to its end without waiting is never blocked,
                // so the deadlock report never needs it.
                Sched::register_live(&mut vm.sched.live, &vm.rt.pool, &Value::Task(t.clone()), &mut i);
            }
            vm.sched.release_rng(&t, &mut i);
            push = vm.sched.requeue(&t, &mut i);
        }
        (refused, push)
    };
    if let Some(msg) = refused {
        vm.sched.current = Value::Task(t);
        let e = jlx_vm::errors::exc(jlx_vm::types::tid::ERROREXCEPTION, vec![Value::str(msg)]);
        return Err((f, e));
    }
    // `f` is `None` now (the fiber went into the task): skip its drop glue.
    std::mem::forget(f);
    if push {
        vm.sched.runq.push_back(t);
    } else if !requeue {
        vm.sched.current = Value::Task(t);
    }
    Ok(())
}

/// Record the running task's result, wake the tasks waiting for it,
/// recycle its fiber.
pub(crate) fn finish(vm: &mut Vm, r: Result<Value, Value>, mut fb: Box<Fiber>) {
    let t = std::mem::take(&mut vm.sched.current);
    let Some(task) = task_of(&t) else {
        vm.sched.current = t;
        return;
    };
    let waiters = {
        let mut i = task.inner.lock();
        vm.sched.unregister_live(task, &mut i);
        i.running = false;
        i.queue = Queue::None;
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
        i.func = TaskFunc::Value(Value::Nothing);
        match &mut i.extra {
            Some(e) if !e.done_waiters.is_empty() => std::mem::take(&mut e.done_waiters),
            _ => Vec::new(),
        }
    };
    vm.sched.current = t;
    if !waiters.is_empty() {
        for w in waiters {
            vm.sched.wake_popped(w, Ok(Value::Nothing));
        }
    }
    if vm.sched.fiber_pool.len() < POOL_MAX {
        fb.recycle();
        vm.sched.fiber_pool.push(fb);
    }
}
