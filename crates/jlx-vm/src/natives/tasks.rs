//! The native core of the task system: creating tasks, `schedule`,
//! `yield`, `yieldto`, Julia's bare `wait()`, conditions (`wait`/`notify`),
//! waiting for a task's completion, `sleep`, the clock, and the fields and
//! printed forms of tasks. Channels, `@sync`, locks, events, semaphores and
//! timers are written in jlx on top of these (`stdlib/tasks.jlx`), following
//! Julia's `base/task.jl` and `base/channels.jl`.
//!
//! Every blocking native first records how the current task is woken (a
//! queue, a timer) and then returns `Flow::Suspend`; the driver loop picks
//! the next task.

use super::{kwarg, no_method, register, NResult};
use crate::errors;
use crate::obj::Obj;
use crate::runtime::Flow;
use crate::task::{cond_of, same, task_of, CondObj, Queue, TaskObj, TaskState};
use crate::types::tid;
use crate::value::Value;
use crate::vm::Vm;
use jlx_base::Sym;
use jlx_bytecode::ModId;

pub fn install(rt: &crate::runtime::Runtime) {
    for (n, f) in [
        ("schedule", schedule as super::NativeFn),
        ("yield", yield_),
        ("__repl_input__", repl_input),
        ("yieldto", yieldto),
        ("wait", wait),
        ("notify", notify),
        ("current_task", current_task),
        ("istaskdone", istaskdone),
        ("istaskstarted", istaskstarted),
        ("istaskfailed", istaskfailed),
        ("__task_wait__", task_wait),
        ("__wait2__", wait2),
        ("__task_result__", task_result),
        ("sleep", sleep),
        ("__cond_isempty__", cond_isempty),
        ("__popwaiter__", popwaiter),
        ("__cond_ends__", cond_ends),
        ("__handle_address__", handle_address),
        ("__task_backtrace__", task_backtrace),
        ("__task_exception_stack__", task_exception_stack),
        ("__print_unhandled__", print_unhandled),
        ("__typeparam_of__", typeparam_of),
        ("__bind_threads__", bind_threads),
        ("__async__", async_),
        ("__spawn__", spawn),
        ("__sync_scan__", sync_scan),
        ("__sync_condition__", sync_condition),
        ("__set_task_tid__", set_task_tid),
        ("__set_task_threadpool__", set_task_threadpool),
    ] {
        register(rt, ModId::BASE, n, f);
    }

    for (n, f) in [
        ("threadid", threadid as super::NativeFn),
        ("nthreads", nthreads),
        ("maxthreadid", maxthreadid),
        ("threadpool", threadpool),
    ] {
        register(rt, ModId::THREADS, n, f);
    }
}

/// `Task(f)` and `Condition()` (called from the built-in constructor). A
/// new task's random stream is split from the creating task's.
pub fn construct(vm: &mut Vm, id: crate::types::TypeId, args: &[Value]) -> Option<Value> {
    match (id, args) {
        (tid::TASK, [f]) => {
            // A task joins its creator's thread pool (Julia's
            // `jl_new_task`): made by an interactive task (the main task,
            // its `@async` tasks) with workers around, it is interactive
            // too, and runs on thread 1 until something pins it.
            let interactive = creator_interactive(vm);
            Some(new_task(vm, f, true, interactive))
        }
        (tid::CONDITION, []) => {
            let owner = if vm.sched.single { 0 } else { vm.sched.thread as u16 };
            Some(Value::obj(Obj::Cond(CondObj::owned_by(owner))))
        }
        _ => None,
    }
}

/// Whether a task made now joins the interactive pool: the running task's
/// pool when there are workers (with one thread there is one pool).
fn creator_interactive(vm: &Vm) -> bool {
    !vm.sched.single && task_of(&vm.sched.current).is_some_and(|c| c.inner.lock().interactive)
}

/// A new task running `f`, with a random stream split from the running
/// task's (Julia's task-local RNG).
fn new_task(vm: &mut Vm, f: &Value, sticky: bool, interactive: bool) -> Value {
    let rng = vm.sched.split_rng();
    TaskObj::new_value(f.clone(), rng, sticky, interactive)
}

fn is_true(v: &Value) -> bool {
    matches!(v, Value::Bool(true))
}

fn err(msg: &str) -> Flow {
    errors::error(msg.to_string())
}

/// The task that is the first of at most `max` arguments (else a MethodError).
fn task_arg<'a>(vm: &mut Vm, name: &str, args: &'a [Value], max: usize) -> Result<&'a TaskObj, Flow> {
    match args.first().and_then(task_of) {
        Some(t) if args.len() <= max => Ok(t),
        _ => Err(no_method(vm, name, args)),
    }
}

/// `schedule(t, val=nothing; error=false)`
fn schedule(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    task_arg(vm, "schedule", args, 2)?;
    let val = args.get(1).cloned().unwrap_or(Value::Nothing);
    let r = if kwarg(kw, "error").is_some_and(|e| is_true(&e)) { Err(val) } else { Ok(val) };
    vm.sched.schedule(&args[0], r).map_err(err)?;
    Ok(args[0].clone())
}

/// `yield()`: go to the back of the run queue. `yield(t, x)`: switch to `t` now.
/// The REPL's main task waits for its next input: it suspends in
/// `Queue::Input` and the driver resumes it with the line (a `String`) or
/// `nothing` at the end of input. Every other task runs meanwhile.
fn repl_input(vm: &mut Vm, _args: &[Value], _kw: Option<&Value>) -> NResult {
    vm.sched.park_current(Queue::Input);
    Err(Flow::Suspend)
}

fn yield_(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if args.is_empty() {
        vm.sched.yield_requested = true;
        return Err(Flow::Suspend);
    }
    let cur = vm.sched.current.clone();
    let t = task_arg(vm, "yield", args, 2)?;
    if same(&args[0], &cur) {
        return Err(violation("Cannot yield to currently running task!"));
    }
    let running = {
        let i = t.inner.lock();
        if i.state != TaskState::Runnable || !matches!(i.queue, Queue::None) {
            return Err(violation("yield: Task not runnable"));
        }
        i.running
    };
    let x = args.get(1).cloned().unwrap_or(Value::Nothing);
    if let Err(msg) = vm.sched.switch_to(&args[0], x.clone()) {
        // Julia's `ensure_rescheduled`: the task that could not be
        // switched to is queued on its own thread instead (unless it
        // runs: then it is not queued twice).
        if !running {
            let _ = vm.sched.schedule(&args[0], Ok(x));
        }
        return Err(err(msg));
    }
    vm.sched.schedule(&cur, Ok(Value::Nothing)).map_err(err)?;
    Err(Flow::Suspend)
}

fn violation(msg: &str) -> Flow {
    Flow::Throw(errors::exc(tid::CONCURRENCYVIOLATIONERROR, vec![Value::str(msg)]))
}

/// `yieldto(t, x=nothing)`: run `t` next; the caller waits until someone
/// schedules it. As Julia: a finished task gives back `x`, a failed one
/// throws its exception, and a task running or pinned on another thread
/// cannot be switched to (`Sched::switch_to`).
fn yieldto(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let t = task_arg(vm, "yieldto", args, 2)?;
    let x = args.get(1).cloned().unwrap_or(Value::Nothing);
    {
        let i = t.inner.lock();
        match i.state {
            TaskState::Done => return Ok(x),
            TaskState::Failed => return Err(Flow::Throw(i.result.clone())),
            TaskState::Runnable => {}
        }
    }
    // Switching to the running task returns at once (Julia's `jl_switch`).
    if same(&args[0], &vm.sched.current) {
        return Ok(x);
    }
    vm.sched.switch_to(&args[0], x).map_err(err)?;
    vm.sched.park_current(Queue::None);
    Err(Flow::Suspend)
}

/// `__set_task_tid__(t, tid)`: pin the task `t`, not scheduled yet, to
/// thread `tid` (1-based; Julia's `jl_set_task_tid`, used by
/// `@threads :static` before it schedules the task). Returns whether it
/// is pinned there: false when it is pinned elsewhere, or was scheduled
/// or started unpinned (its queue entry may sit in a deque or the
/// injector, where a task pinned to another thread is never started:
/// pinning it now could strand it).
fn set_task_tid(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let t = task_arg(vm, "__set_task_tid__", args, 2)?;
    let Some(Value::Int(tid)) = args.get(1) else { return Err(no_method(vm, "__set_task_tid__", args)) };
    let max = vm.rt.pool.nworkers as i64 + 1;
    if !(1..=max).contains(tid) {
        return Err(errors::argument_error(format!("thread id {tid} is not in 1:{max}")));
    }
    if vm.sched.single {
        return Ok(Value::Bool(true));
    }
    let mut i = t.inner.lock();
    if i.home == 0 && !i.started && matches!(i.queue, Queue::None) {
        i.home = *tid as u16;
    }
    Ok(Value::Bool(i.home as i64 == *tid))
}

/// `__set_task_threadpool__(t, pool)`: put the task in the thread pool
/// `:default` or `:interactive` (Julia's `jl_set_task_threadpoolid`;
/// with one thread there is only the default pool).
fn set_task_threadpool(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let t = task_arg(vm, "__set_task_threadpool__", args, 2)?;
    let interactive = match args.get(1) {
        Some(Value::Sym(s)) if s.as_str() == "default" => false,
        Some(Value::Sym(s)) if s.as_str() == "interactive" => !vm.sched.single,
        _ => return Err(no_method(vm, "__set_task_threadpool__", args)),
    };
    t.inner.lock().interactive = interactive;
    Ok(Value::Nothing)
}

/// `__sync_condition__()`: a wait queue any thread may use (the queue of
/// a `ReentrantLock` or a `Threads.Condition`, guarded by its lock).
fn sync_condition(_vm: &mut Vm, _args: &[Value], _kw: Option<&Value>) -> NResult {
    Ok(Value::obj(Obj::Cond(CondObj::default())))
}

/// Julia's `assert_havelock` of a `Condition`'s `AlwaysLockedST`: only
/// the thread that made it may wait on it or notify it.
fn check_owner(vm: &Vm, c: &CondObj) -> Result<(), Flow> {
    if c.owner != 0 && c.owner as usize != vm.sched.thread {
        return Err(violation("lock must be held"));
    }
    Ok(())
}

/// `wait()`: suspend until scheduled. `wait(c::Condition)`: join its queue.
fn wait(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [] => {
            vm.sched.park_current(Queue::None);
            Err(Flow::Suspend)
        }
        [c] if cond_of(c).is_some() => {
            let cond = cond_of(c).expect("checked");
            check_owner(vm, cond)?;
            Err(wait_on(vm, c, cond))
        }
        _ => Err(no_method(vm, "wait", args)),
    }
}

/// `notify(c, val=nothing; all=true, error=false)`: wake waiters; returns how many.
fn notify(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    let Some(cond) = args.first().and_then(cond_of) else { return Err(no_method(vm, "notify", args)) };
    check_owner(vm, cond)?;
    let val = args.get(1).cloned().unwrap_or(Value::Nothing);
    let all = match args.get(2) {
        Some(v) => is_true(v),
        None => kwarg(kw, "all").is_none_or(|v| is_true(&v)),
    };
    let error = match args.get(3) {
        Some(v) => is_true(v),
        None => kwarg(kw, "error").is_some_and(|v| is_true(&v)),
    };
    Ok(Value::Int(notify_cond(vm, cond, if error { Err(val) } else { Ok(val) }, all)))
}

/// Wake the first waiter of `cond` (or all of them) with `r`; returns how many woke.
#[inline(always)]
pub fn notify_cond(vm: &mut Vm, cond: &CondObj, r: Result<Value, Value>, all: bool) -> i64 {
    // Nobody waiting (each `put!` into a buffer that has no taker): no call.
    if !cond.has_waiters() {
        return 0;
    }
    wake_waiters(vm, cond, r, all)
}

#[inline(never)]
fn wake_waiters(vm: &mut Vm, cond: &CondObj, r: Result<Value, Value>, all: bool) -> i64 {
    let mut n = 0;
    loop {
        let Some(t) = cond.pop() else { break };
        vm.sched.wake_popped(t, r.clone());
        n += 1;
        if !all {
            break;
        }
    }
    n
}

/// Suspend the current task in `cond`'s wait queue (`cv` is the condition
/// value). The task says where it waits before it joins the queue, in one
/// lock of it, so whoever takes it off the queue (on any thread) finds it
/// waiting there.
pub fn wait_on(vm: &mut Vm, cv: &Value, cond: &CondObj) -> Flow {
    match task_of(&vm.sched.current) {
        Some(task) => {
            let mut i = task.inner.lock();
            i.begin_wait(Queue::Wait(cv.clone()));
            cond.push(vm.sched.current.clone());
        }
        None => cond.push(vm.sched.current.clone()),
    }
    Flow::Suspend
}

fn current_task(vm: &mut Vm, _args: &[Value], _kw: Option<&Value>) -> NResult {
    Ok(vm.sched.current.clone())
}

fn istaskdone(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let t = task_arg(vm, "istaskdone", args, 1)?;
    Ok(Value::Bool(t.inner.lock().state != TaskState::Runnable))
}

fn istaskstarted(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let t = task_arg(vm, "istaskstarted", args, 1)?;
    Ok(Value::Bool(t.inner.lock().started))
}

fn istaskfailed(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let t = task_arg(vm, "istaskfailed", args, 1)?;
    Ok(Value::Bool(t.inner.lock().state == TaskState::Failed))
}

/// Julia's `_wait(t)`: block until `t` finishes, without error propagation.
fn task_wait(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let t = task_arg(vm, "wait", args, 1)?;
    if same(&args[0], &vm.sched.current) {
        return Err(Flow::Throw(errors::exc(
            tid::CONCURRENCYVIOLATIONERROR,
            vec![Value::str("deadlock detected: cannot wait on current task")],
        )));
    }
    let mut i = t.inner.lock();
    if i.state != TaskState::Runnable {
        return Ok(Value::Nothing);
    }
    i.extra().done_waiters.push(vm.sched.current.clone());
    drop(i);
    vm.sched.park_current(Queue::Wait(args[0].clone()));
    Err(Flow::Suspend)
}

/// `_wait2(t, waiter)`: schedule the unstarted task `waiter` when `t` finishes.
fn wait2(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [tv, w] = args else { return Err(no_method(vm, "__wait2__", args)) };
    let t = task_arg(vm, "__wait2__", args, usize::MAX)?;
    let mut i = t.inner.lock();
    if i.state == TaskState::Runnable {
        i.extra().done_waiters.push(w.clone());
        drop(i);
        if let Some(wt) = task_of(w) {
            wt.inner.lock().queue = Queue::Wait(tv.clone());
        }
        return Ok(Value::Nothing);
    }
    drop(i);
    vm.sched.schedule(w, Ok(Value::Nothing)).map_err(err)?;
    Ok(Value::Nothing)
}

/// `__async__(thunk, captures..., sync, pool)` (`@async`, a sticky task)
/// and `__spawn__` (`Threads.@spawn`): create the task, push it onto the
/// list of the enclosing `@sync` (`nothing` outside one), schedule it.
/// With captures, `thunk` is the template of the closure (`Const::Proto`:
/// its code, no captures) and the task keeps code and captures itself.
fn async_(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    start_task(vm, "__async__", args, true)
}

fn spawn(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    start_task(vm, "__spawn__", args, false)
}

fn start_task(vm: &mut Vm, name: &str, args: &[Value], sticky: bool) -> NResult {
    let [thunk, caps @ .., sync, pool] = args else { return Err(no_method(vm, name, args)) };
    let func = match (thunk, caps) {
        // A closure whose captures are missing (a template without them)
        // must not run.
        (Value::Closure(c), []) if c.captures.len() != c.code.proto.ncaptures as usize => {
            return Err(no_method(vm, name, args))
        }
        (_, []) => crate::task::TaskFunc::thunk_of(thunk),
        (Value::Closure(c), [a, rest @ ..])
            if c.captures.is_empty()
                && c.code.proto.nparams == 0
                && c.code.proto.ncaptures as usize == caps.len()
                && rest.len() < crate::obj::INLINE_CAPTURES =>
        {
            let b = rest.first().cloned().unwrap_or(Value::Nothing);
            crate::task::TaskFunc::Thunk(c.code, [a.clone(), b])
        }
        _ => return Err(no_method(vm, name, args)),
    };
    // The thread pool: `@async` keeps its creator's (`nothing`);
    // `Threads.@spawn` is `:default` unless `:interactive` is asked for
    // (which exists only when there are workers).
    let interactive = match pool {
        Value::Nothing if sticky => None,
        Value::Nothing => Some(false),
        Value::Sym(s) if s.as_str() == "default" => Some(false),
        Value::Sym(s) if s.as_str() == "interactive" => Some(!vm.sched.single),
        _ => {
            let shown = crate::show::repr(vm, pool);
            return Err(errors::argument_error(format!("Invalid threadpool specified: {shown}")));
        }
    };
    // The list of the enclosing `@sync`, locked (it is pushed onto below),
    // or `Err` when it is not the plain vector `@sync` makes.
    let list = match sync {
        Value::Nothing => Ok(None),
        Value::Array(a) => any_vector(a).map(Some).ok_or(()),
        _ => Err(()),
    };
    let Ok(list) = list else {
        // The library path (`push!`).
        let f = vm.base_func_static("__start_task__").ok_or_else(|| err("Base.__start_task__ missing"))?;
        let pool = match interactive {
            Some(true) => Value::Sym(Sym::new("interactive")),
            Some(false) => Value::Sym(Sym::new("default")),
            None => Value::Nothing,
        };
        let mut func = func;
        return Err(Flow::Call(
            Value::Func(f),
            vec![func.value(), sync.clone(), Value::Bool(sticky), pool],
            None,
        ));
    };
    let interactive = match interactive {
        Some(p) => p,
        None => creator_interactive(vm),
    };
    let rng = vm.sched.split_rng();
    let t = TaskObj::new_arc(func, rng, sticky, interactive);
    let t = vm.sched.schedule_new(t, |t| {
        if let Some(mut g) = list {
            if let crate::obj::ArrayData::Any(_, v) = &mut g.data {
                v.push(Value::Task(t.clone()));
            }
            let n = g.data.len();
            g.dims[0] = n;
        }
    });
    Ok(Value::Task(t.map_err(err)?))
}

/// The array locked, if it is a one-dimensional `Vector{Any}`.
fn any_vector(
    a: &crate::obj::Array,
) -> Option<lock_api::MutexGuard<'_, crate::obj::RawArrayLock, crate::obj::ArrayInner>> {
    let g = a.inner.lock();
    (g.dims.len() == 1 && matches!(&g.data, crate::obj::ArrayData::Any(t, _) if t.is_any())).then_some(g)
}

/// `__sync_scan__(tasks, i)`: the first index from `i` on whose task has
/// not finished without error (`length(tasks) + 1` when there is none).
fn sync_scan(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Array(a), Value::Int(i)] = args else { return Err(no_method(vm, "__sync_scan__", args)) };
    let g = a.inner.lock();
    let crate::obj::ArrayData::Any(_, v) = &g.data else { return Ok(Value::Int(*i)) };
    let mut k = (*i).max(1) as usize;
    while let Some(t) = v.get(k - 1).and_then(task_of) {
        if t.inner.lock().state != TaskState::Done {
            break;
        }
        k += 1;
    }
    Ok(Value::Int(k as i64))
}

/// The result (or exception) a finished task left.
fn task_result(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let t = task_arg(vm, "__task_result__", args, usize::MAX)?;
    Ok(t.inner.lock().result.clone())
}

/// `sleep(seconds)`
fn sleep(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let secs = match args {
        [Value::Int(i)] => *i as f64,
        [Value::Float(f)] => *f,
        [Value::Bool(b)] => *b as i64 as f64,
        _ => return Err(no_method(vm, "sleep", args)),
    };
    if secs.is_nan() || secs < 0.0 {
        let shown = crate::show::repr(vm, &args[0]);
        return Err(errors::argument_error(format!("cannot sleep for {shown} seconds")));
    }
    // Julia's timers count whole milliseconds (`round(UInt64, secs * 1000)`;
    // Julia adds 1 ms of libuv slack, which virtual time leaves out).
    let ms = (secs * 1000.0).round();
    if ms >= u64::MAX as f64 {
        // `UInt64(Inf)` in Julia's Timer.
        return Err(Flow::Throw(errors::exc(
            tid::INEXACTERROR,
            vec![Value::Sym(Sym::new("trunc")), Value::Sym(Sym::new("UInt64")), Value::Float(secs * 1000.0)],
        )));
    }
    let deadline = vm.sched.clock.now().saturating_add((ms * 1e6).min(u64::MAX as f64 / 2.0) as u64);
    vm.sched.sleep_current(deadline);
    Err(Flow::Suspend)
}

/// `Threads.threadid()`: the thread running the current task (1-based);
/// `threadid(t)`: the thread a task is pinned to (0 while it is not),
/// or, for the running task, the one it runs on.
fn threadid(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [] => Ok(Value::Int(vm.sched.thread as i64)),
        [t] if task_of(t).is_some() => {
            if same(t, &vm.sched.current) {
                return Ok(Value::Int(vm.sched.thread as i64));
            }
            let home = task_of(t).expect("checked").inner.lock().home;
            Ok(Value::Int(if vm.sched.single { 1 } else { home as i64 }))
        }
        _ => Err(no_method(vm, "threadid", args)),
    }
}

/// The size of a thread pool: `:default` (the workers; with `-t 1` the
/// main thread) or `:interactive` (thread 1 when there are workers).
fn pool_size(vm: &Vm, pool: &str) -> Option<i64> {
    let workers = vm.rt.pool.nworkers as i64;
    match pool {
        "default" => Some(workers.max(1)),
        "interactive" => Some((workers > 0) as i64),
        _ => None,
    }
}

/// `Threads.nthreads(pool=:default)`, `Threads.threadpoolsize(pool=:default)`.
fn nthreads(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let pool = match args {
        [] => "default".to_string(),
        [Value::Sym(s)] => s.as_str().to_string(),
        _ => return Err(no_method(vm, "nthreads", args)),
    };
    // Julia answers 0 for a pool name it does not know.
    Ok(Value::Int(pool_size(vm, &pool).unwrap_or(0)))
}

/// `Threads.maxthreadid()`: the largest thread id.
fn maxthreadid(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if !args.is_empty() {
        return Err(no_method(vm, "maxthreadid", args));
    }
    Ok(Value::Int(vm.rt.pool.nworkers as i64 + 1))
}

/// `Threads.threadpool(tid=threadid())`: `:interactive` for thread 1 when
/// there are workers, `:default` for a worker or the only thread;
/// `threadpool(t::Task)`: the task's pool.
fn threadpool(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let tid = match args {
        [] => vm.sched.thread as i64,
        [Value::Int(k)] => *k,
        // A task's pool (Julia's `jl_get_task_threadpoolid`).
        [Value::Task(t)] => {
            let interactive = !vm.sched.single && t.inner.lock().interactive;
            return Ok(Value::Sym(Sym::new(if interactive { "interactive" } else { "default" })));
        }
        _ => return Err(no_method(vm, "threadpool", args)),
    };
    let max = vm.rt.pool.nworkers as i64 + 1;
    let name = match tid {
        1 if max > 1 => "interactive",
        k if (1..=max).contains(&k) => "default",
        _ => "foreign",
    };
    Ok(Value::Sym(Sym::new(name)))
}

/// `t.state`, `t.result`, `t.exception`, `t.sticky`, `t.storage`.
pub fn task_field(t: &TaskObj, name: Sym) -> Option<Value> {
    let mut i = t.inner.lock();
    Some(match name.as_str() {
        "state" => Value::Sym(Sym::new(i.state.name())),
        "result" => i.result.clone(),
        "exception" => {
            if i.state == TaskState::Failed {
                i.result.clone()
            } else {
                Value::Nothing
            }
        }
        "sticky" => Value::Bool(i.sticky),
        "storage" => i.extra.as_ref().map(|e| e.storage.clone()).unwrap_or(Value::Nothing),
        "code" => i.func.value(),
        _ => return None,
    })
}

pub fn set_task_field(t: &TaskObj, name: Sym, val: Value) -> Result<(), Flow> {
    let mut i = t.inner.lock();
    match name.as_str() {
        "sticky" => i.sticky = is_true(&val),
        "storage" => i.extra().storage = val,
        "result" => return Err(err("Setting a Task's `result` field directly is disallowed. The result of a task is determined by the return value of its code; to pass a value to a suspended task, use `schedule(t, val)` or `yieldto(t, val)` instead.")),
        _ => return Err(err(&format!("type Task has no field {name}"))),
    }
    Ok(())
}

fn cond_arg<'a>(vm: &mut Vm, name: &str, args: &'a [Value]) -> Result<&'a CondObj, Flow> {
    match args.first().and_then(cond_of) {
        Some(c) => Ok(c),
        None => Err(no_method(vm, name, args)),
    }
}

/// Whether no task waits on the condition.
fn cond_isempty(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    Ok(Value::Bool(cond_arg(vm, "isempty", args)?.is_empty()))
}

/// `(first, last)` waiting task of a condition (`nothing` when none), as
/// Julia's `IntrusiveLinkedList` head and tail.
fn cond_ends(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (first, last) = cond_arg(vm, "__cond_ends__", args)?.ends();
    let end = |t: Option<Value>| t.unwrap_or(Value::Nothing);
    Ok(Value::tuple(vec![end(first), end(last)]))
}

/// `__handle_address__(x)`: an address standing for a handle owned by `x`
/// (a Timer's libuv handle): `x`'s own address, or a sequential id in
/// deterministic mode.
fn handle_address(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [x] = args else { return Err(no_method(vm, "__handle_address__", args)) };
    let id = crate::task::next_object_id();
    Ok(Value::Int(crate::task::address(x, id, vm.rt.opts.deterministic) as i64))
}

/// Take the first waiter off a condition without scheduling it.
fn popwaiter(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = cond_arg(vm, "__popwaiter__", args)?;
    let Some(t) = c.pop() else { return Err(errors::argument_error("no waiting task")) };
    if let Some(task) = task_of(&t) {
        task.inner.lock().queue = Queue::None;
    }
    Ok(t)
}

/// The `Stacktrace:` text of a failed task.
fn task_backtrace(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let t = task_arg(vm, "__task_backtrace__", args, usize::MAX)?;
    let bt = t.inner.lock().backtrace();
    Ok(Value::str(errors::format_stacktrace(&vm.rt, &bt)))
}

/// A failed task's exception stack, oldest first: its exceptions and where
/// they were thrown (the failure alone when no stack was kept).
fn exception_stack(t: &TaskObj) -> Vec<(Value, Vec<(&'static crate::code::Code, u32)>)> {
    let i = t.inner.lock();
    let stack: Vec<_> = match &i.extra {
        Some(x) if !x.excstack.is_empty() => {
            x.excstack.iter().map(|c| (c.exc.clone(), c.bt.to_vec())).collect()
        }
        _ => Vec::new(),
    };
    match stack.last() {
        Some((top, _)) if top.egal(&i.result) => stack,
        _ => vec![(i.result.clone(), i.backtrace())],
    }
}

/// `__task_exception_stack__(t)`: `[(exception, stack trace text), ...]`
/// of a failed task, oldest first (Julia's `current_exceptions(t)`).
fn task_exception_stack(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let t = task_arg(vm, "__task_exception_stack__", args, usize::MAX)?;
    let items = exception_stack(t)
        .into_iter()
        .map(|(e, bt)| Value::tuple(vec![e, Value::str(errors::format_stacktrace(&vm.rt, &bt))]))
        .collect();
    Ok(crate::arrays::vector_from_values(&vm.world, items, None))
}

/// `errormonitor`: print `Unhandled Task ERROR: ...` for a failed task to
/// stderr, with the exceptions it was handling (`caused by: ...`).
fn print_unhandled(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let t = task_arg(vm, "__print_unhandled__", args, usize::MAX)?;
    let mut text = String::from("Unhandled Task ERROR: ");
    for (k, (e, bt)) in exception_stack(t).into_iter().rev().enumerate() {
        if k > 0 {
            text.push_str("\ncaused by: ");
        }
        let msg = super::io::error_message(vm, &e);
        text.push_str(&format!("{msg}\n{}", errors::format_stacktrace(&vm.rt, &bt)));
    }
    super::io::flush_stdout(vm);
    let err = Value::obj(Obj::Io(crate::obj::IoObj::Stderr));
    super::io::write_io(vm, &err, &text)?;
    Ok(Value::Nothing)
}

/// Parameter `j` of the type `T` itself (`Int64` for `Channel{Int64}`).
fn typeparam_of(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Type(t), Value::Int(j)] = args else { return Err(no_method(vm, "__typeparam_of__", args)) };
    match &**t {
        crate::types::JType::Data(_, ps) => match ps.get((*j - 1) as usize) {
            Some(crate::types::TParam::Type(p)) => Ok(Value::ty(p.clone())),
            Some(crate::types::TParam::Int(i)) => Ok(Value::Int(*i)),
            None => Ok(Value::ty(crate::types::JType::any())),
        },
        _ => Ok(Value::ty(crate::types::JType::any())),
    }
}

/// `__bind_threads__(:name, value)`: define `Threads.name` (library code
/// is compiled into Base).
fn bind_threads(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Sym(name), v] = args else { return Err(no_method(vm, "__bind_threads__", args)) };
    let g = vm.rt.global(ModId::THREADS, name.as_str());
    let _ = vm.rt.set_const(g, v.clone());
    Ok(Value::Nothing)
}
