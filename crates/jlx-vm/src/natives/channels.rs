//! Channel natives: the paths of `put!`, `take!`, `fetch` and `iterate`
//! that complete without waiting, plus `close`, the state queries, fields
//! and printed forms. A buffered `take!`/`fetch` that has to wait joins
//! `cond_take` and returns `Flow::Retry` (woken, it runs again: Julia's
//! `while isempty(c.data); wait(c.cond_take); end`). The other waits
//! tail-call a slow path in `stdlib/tasks.jlx` (`__chan_put_slow__`, ...),
//! which waits on the channel's conditions and retries, as Julia's
//! `base/channels.jl` loops do. All paths leave the same state and wake
//! tasks in the same order as Julia.
//!
//! Julia's operations hold the channel's lock (`lock(c)`). A native
//! completes at once only when the lock is free or held by the running
//! task, and waits without it only when it is free (Julia releases it while
//! waiting); otherwise it runs the slow path, which takes the lock. A
//! native looks at the lock while it holds the channel's mutex
//! (`ChanObj::inner`), and a task holding the lock reads the channel only
//! through that mutex too, so a native that found the lock free acts
//! before the holder's first look (`isready(c)` then `take!(c)` under
//! `lock(c)` is one step, as in Julia). Lock order: `inner`, then the
//! lock's fields, a task, a wait queue.

use super::tasks::{notify_cond, wait_on};
use super::{no_method, register, NResult};
use crate::chan::{chan_of, ChanLock, ChanObj};
use crate::errors;
use crate::obj::Obj;
use crate::runtime::Flow;
use crate::types::{tid, JType};
use crate::value::Value;
use crate::vm::Vm;
use jlx_base::Sym;
use jlx_bytecode::ModId;

pub fn install(rt: &crate::runtime::Runtime) {
    for (n, f) in [
        ("__new_channel__", new_channel as super::NativeFn),
        ("__chan_put__", put),
        ("__chan_take__", take),
        ("__chan_fetch__", fetch),
        ("__chan_iterate__", iterate),
        ("__chan_close__", close),
        ("__chan_check__", check),
        ("__chan_avail__", avail),
        ("__chan_push__", push),
        ("__chan_isfull__", isfull),
        ("__chan_isempty__", isempty),
        ("__chan_isready__", isready),
        ("__chan_isopen__", isopen),
        ("__chan_lock__", chan_lock_native),
        ("__chan_lock_if_any__", lock_if_any),
        ("__chan_cond__", cond),
        ("__chan_handoff__", handoff),
        ("__chan_taken__", taken),
        ("__chan_pop__", pop),
        ("__chan_first__", first),
        ("__chan_wait_until__", wait_until),
    ] {
        register(rt, ModId::BASE, n, f);
    }
    // Methods on `Channel` itself, so a call dispatches straight to the native.
    let ch = || JType::data(tid::CHANNEL);
    let any = JType::any;
    for (n, sig, f) in [
        ("put!", vec![ch(), any()], put as super::NativeFn),
        ("take!", vec![ch()], take),
        ("fetch", vec![ch()], fetch),
        ("isopen", vec![ch()], isopen),
        ("isready", vec![ch()], isready),
        ("isempty", vec![ch()], isempty),
        ("isfull", vec![ch()], isfull),
        ("close", vec![ch()], close),
        ("close", vec![ch(), JType::data(tid::EXCEPTION)], close),
        ("iterate", vec![ch()], iterate),
        ("iterate", vec![ch(), any()], iterate),
    ] {
        super::register_sig(rt, ModId::BASE, n, sig, f);
    }
}

/// Who holds a channel's lock.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Held {
    Free,
    Mine,
    Other,
}

#[inline(always)]
fn held(vm: &Vm, c: &ChanObj) -> Held {
    match c.lock.get() {
        None => Held::Free,
        Some(l) => held_by(vm, l),
    }
}

#[cold]
fn held_by(vm: &Vm, l: &ChanLock) -> Held {
    let Value::Obj(o) = &l.lock else { return Held::Free };
    let Obj::MStruct(s) = &**o else { return Held::Free };
    match &s.fields.lock()[l.owner_field] {
        Value::Nothing => Held::Free,
        t if crate::task::same(t, &vm.sched.current) => Held::Mine,
        _ => Held::Other,
    }
}

/// The channel's lock and condition views, created on first use with the
/// fields `ReentrantLock()` and `Threads.Condition(lock)` give them.
pub fn chan_lock<'a>(vm: &Vm, c: &'a ChanObj) -> Result<&'a ChanLock, Flow> {
    if let Some(l) = c.lock.get() {
        return Ok(l);
    }
    let cond = Value::obj(Obj::Cond(crate::task::CondObj::default()));
    let sync = super::locks::base_struct(vm, "ThreadSynchronizer", &[("waitq", cond)])?;
    let lock = super::locks::base_struct(
        vm,
        "ReentrantLock",
        &[
            ("locked_by", Value::Nothing),
            ("reentrancy_cnt", Value::Int(0)),
            ("havelock", Value::Int(0)),
            ("cond_wait", sync),
        ],
    )?;
    let view = |q: &Value| {
        super::locks::base_struct(vm, "ThreadsCondition", &[("waitq", q.clone()), ("lock", lock.clone())])
    };
    let take = view(&c.cond_take)?;
    let wait = if c.buffered() { take.clone() } else { view(&c.cond_wait)? };
    let put = view(&c.cond_put)?;
    let owner_field = crate::fields::struct_fields(vm, vm.world.typeof_(&lock).id().unwrap_or(tid::ANY))
        .iter()
        .position(|f| f.as_str() == "locked_by")
        .unwrap_or(0);
    let _ = c.lock.set(ChanLock { lock, owner_field, views: [take, wait, put] });
    c.lock.get().ok_or_else(|| errors::error("channel lock"))
}

/// `__chan_lock__(c)`: the channel's ReentrantLock (Julia's `c.cond_take.lock`).
fn chan_lock_native(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "__chan_lock__", args)?;
    Ok(chan_lock(vm, c)?.lock.clone())
}

/// `__chan_lock_if_any__(c)`: the channel's lock if it has been created
/// (`nothing` while no program has used it: then nobody holds it, and the
/// library's own operations need not take it).
fn lock_if_any(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "__chan_lock_if_any__", args)?;
    Ok(c.lock.get().map(|l| l.lock.clone()).unwrap_or(Value::Nothing))
}

/// `__chan_cond__(c, k)`: the plain wait queue behind `cond_take` (1),
/// `cond_wait` (2; a buffered channel's is its `cond_take`) or `cond_put` (3).
fn cond(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "__chan_cond__", args)?;
    Ok(match args.get(1) {
        Some(Value::Int(1)) => c.cond_take.clone(),
        Some(Value::Int(2)) if c.buffered() => c.cond_take.clone(),
        Some(Value::Int(2)) => c.cond_wait.clone(),
        Some(Value::Int(3)) => c.cond_put.clone(),
        _ => return Err(no_method(vm, "__chan_cond__", args)),
    })
}

fn chan<'a>(vm: &mut Vm, name: &str, args: &'a [Value]) -> Result<&'a ChanObj, Flow> {
    match args.first().and_then(chan_of) {
        Some(c) => Ok(c),
        None => Err(no_method(vm, name, args)),
    }
}

/// Tail-call the jlx function `Base.name(args...)`.
fn slow(vm: &mut Vm, name: &'static str, args: &[Value]) -> NResult {
    let f = vm.base_func_static(name).ok_or_else(|| errors::error(format!("Base.{name} missing")))?;
    Err(Flow::Call(Value::Func(f), args.to_vec(), None))
}

/// `InvalidStateException("Channel is closed.", :closed)`
pub fn closed_exception() -> Value {
    errors::exc(
        tid::INVALIDSTATEEXCEPTION,
        vec![Value::str("Channel is closed."), Value::Sym(Sym::new("closed"))],
    )
}

/// Julia's `check_channel_state`: throw the closing exception of a closed channel.
fn check_state(c: &ChanObj) -> Result<(), Flow> {
    let i = c.inner.lock();
    if i.open {
        return Ok(());
    }
    Err(closed_error(&i))
}

/// The exception of a closed channel.
fn closed_error(i: &crate::chan::ChanInner) -> Flow {
    Flow::Throw(match &i.excp {
        Value::Nothing => closed_exception(),
        e => e.clone(),
    })
}

/// `__new_channel__(T, sz)`: `sz` is already validated (0 = unbuffered).
fn new_channel(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let [Value::Type(t), Value::Int(n)] = args else { return Err(no_method(vm, "__new_channel__", args)) };
    Ok(ChanObj::new_value((**t).clone(), *n))
}

fn put(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "put!", args)?;
    let [cv, v] = args else { return Err(no_method(vm, "put!", args)) };
    let v = if c.holds_as_is(v) {
        v.clone()
    } else {
        check_state(c)?;
        super::convert_to(vm, &c.eltype, v.clone())?
    };
    if c.buffered() {
        let mut i = c.inner.lock();
        if !i.open {
            return Err(closed_error(&i));
        }
        if (i.data.len() as i64) < c.sz_max && held(vm, c) != Held::Other {
            i.data.push_back(v.clone());
            i.n_avail += 1;
            drop(i);
            notify_cond(vm, c.take_q(), Ok(Value::Nothing), true);
            return Ok(v);
        }
        drop(i);
        return slow(vm, "__chan_put_slow__", &[cv.clone(), v]);
    }
    check_state(c)?;
    // Unbuffered: hand the value to a waiting taker, then yield to it.
    let taker = {
        let mut i = c.inner.lock();
        let taker = if held(vm, c) == Held::Other { None } else { c.take_q().pop() };
        if let Some(t) = &taker {
            i.handoff.push((t.clone(), v.clone()));
        }
        taker
    };
    let Some(taker) = taker else { return slow(vm, "__chan_put_unbuffered_slow__", &[cv.clone(), v]) };
    vm.sched.wake_popped(taker, Ok(Value::Nothing));
    let cur = vm.sched.current.clone();
    vm.sched.schedule(&cur, Ok(v)).map_err(|m| errors::error(m.to_string()))?;
    Err(Flow::Suspend)
}

/// The value a `put!` handed to `taker`, if any.
fn take_handoff(c: &ChanObj, taker: &Value) -> Option<Value> {
    let mut i = c.inner.lock();
    if i.handoff.is_empty() {
        return None;
    }
    let k = i.handoff.iter().position(|(t, _)| crate::task::same(t, taker))?;
    Some(i.handoff.swap_remove(k).1)
}

/// `__chan_handoff__(c, v)`: take the first waiting taker off `cond_take`
/// and hand it `v` (the caller schedules it); `nothing` when no taker
/// waits (one step: another thread's `put!` may have taken it first).
fn handoff(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "__chan_handoff__", args)?;
    let Some(v) = args.get(1) else { return Err(no_method(vm, "__chan_handoff__", args)) };
    let t = {
        let mut i = c.inner.lock();
        let Some(t) = c.take_q().pop() else { return Ok(Value::Nothing) };
        i.handoff.push((t.clone(), v.clone()));
        t
    };
    if let Some(task) = crate::task::task_of(&t) {
        task.inner.lock().queue = crate::task::Queue::None;
    }
    Ok(t)
}

/// `__chan_taken__(c)`: the value handed to the running task (`nothing` if none).
fn taken(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "__chan_taken__", args)?;
    Ok(take_handoff(c, &vm.sched.current).unwrap_or(Value::Nothing))
}

/// `__chan_pop__(c)`: take the first buffered item (there is one).
fn pop(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "__chan_pop__", args)?;
    pop_buffered(vm, c).ok_or_else(|| errors::argument_error("Channel is empty"))
}

/// `__chan_first__(c)`: the first buffered item (there is one).
fn first(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "__chan_first__", args)?;
    let v = c.inner.lock().data.front().cloned();
    v.ok_or_else(|| errors::argument_error("Channel is empty"))
}

/// Take the first buffered item, if any, and wake one `put!` (one slot is free).
fn pop_buffered(vm: &mut Vm, c: &ChanObj) -> Option<Value> {
    let v = {
        let mut i = c.inner.lock();
        let v = i.data.pop_front()?;
        i.n_avail -= 1;
        v
    };
    notify_cond(vm, c.put_q(), Ok(Value::Nothing), false);
    Some(v)
}

/// What a native `iterate` step found.
enum Step {
    Item(Value),
    /// Another task holds the lock: take the library's path.
    Locked,
    /// No item buffered (or an unbuffered channel).
    Empty,
}

/// The next buffered item unless another task holds the lock (looked at
/// in the same hold of the channel).
fn pop_unlocked(vm: &mut Vm, c: &ChanObj) -> Step {
    let v = {
        let mut i = c.inner.lock();
        if held(vm, c) == Held::Other {
            return Step::Locked;
        }
        if !c.buffered() {
            return Step::Empty;
        }
        let Some(v) = i.data.pop_front() else { return Step::Empty };
        i.n_avail -= 1;
        v
    };
    notify_cond(vm, c.put_q(), Ok(Value::Nothing), false);
    Step::Item(v)
}

/// `take!(c)`. A buffered channel waits for an item as Julia's
/// `take_buffered` loop does (`Flow::Retry` repeats the take on wake-up).
/// An unbuffered `take!` waits in `cond_take` the same way; the `put!` that
/// takes it off hands it the value (`handoff`) and the repeated call
/// collects it, after taking the lock back if another task holds it.
fn take(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "take!", args)?;
    if c.buffered() {
        // One hold of the channel: take an item, or join `cond_take`
        // (a `put!` on another thread cannot slip in between).
        let mut i = c.inner.lock();
        let h = held(vm, c);
        if h == Held::Other {
            drop(i);
            return slow(vm, "__chan_take_slow__", &args[..1]);
        }
        if let Some(v) = i.data.pop_front() {
            i.n_avail -= 1;
            drop(i);
            notify_cond(vm, c.put_q(), Ok(Value::Nothing), false);
            return Ok(v);
        }
        if !i.open {
            return Err(closed_error(&i));
        }
        if h == Held::Mine {
            drop(i);
            return slow(vm, "__chan_take_slow__", &args[..1]);
        }
        wait_on(vm, &c.cond_take, c.take_q());
        return Err(Flow::Retry);
    }
    // One hold of the channel: a value handed to this task, else its
    // state, else join `cond_take`.
    let (handed, h) = {
        let mut i = c.inner.lock();
        let h = held(vm, c);
        let handed = match i.handoff.iter().position(|(t, _)| crate::task::same(t, &vm.sched.current)) {
            Some(k) => Some(i.handoff.swap_remove(k).1),
            None if h == Held::Free && !i.open => return Err(closed_error(&i)),
            None if h == Held::Free => {
                wait_on(vm, &c.cond_take, c.take_q());
                None
            }
            None => None,
        };
        (handed, h)
    };
    if let Some(v) = handed {
        if h == Held::Other {
            return slow(vm, "__chan_relock__", &[args[0].clone(), v]);
        }
        return Ok(v);
    }
    if h != Held::Free {
        return slow(vm, "__chan_take_unbuffered_slow__", &args[..1]);
    }
    // Waiting now: wake a `put!` waiting for a taker.
    notify_cond(vm, c.put_q(), Ok(Value::Nothing), false);
    Err(Flow::Retry)
}

/// `fetch(c)`: the first item without taking it (waiting as `take!`).
fn fetch(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "fetch", args)?;
    if !c.buffered() {
        return Err(errors::error("`fetch` is not supported on an unbuffered Channel."));
    }
    let i = c.inner.lock();
    let h = held(vm, c);
    if h == Held::Other {
        drop(i);
        return slow(vm, "__chan_fetch_slow__", &args[..1]);
    }
    if let Some(v) = i.data.front() {
        return Ok(v.clone());
    }
    if !i.open {
        return Err(closed_error(&i));
    }
    if h == Held::Mine {
        drop(i);
        return slow(vm, "__chan_fetch_slow__", &args[..1]);
    }
    wait_on(vm, &c.cond_take, c.take_q());
    Err(Flow::Retry)
}

/// `__chan_wait_until__(c, k)`: the wait of the library's loops when
/// nobody holds the channel's lock. In one hold of the channel it looks
/// whether the loop must still wait — for an item (`k = 1`: joins
/// `cond_take`), for an item or a blocked `put!` (`k = 2`: `cond_wait`),
/// for room (`k = 3`: `cond_put`), for a taker of an unbuffered channel
/// (`k = 4`: `cond_put`) — and if so joins the queue; otherwise (or on a
/// closed channel) it returns at once and the loop looks again. So a
/// change made by another thread cannot fall between look and wait.
fn wait_until(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "__chan_wait_until__", args)?;
    let Some(Value::Int(k)) = args.get(1) else { return Err(no_method(vm, "__chan_wait_until__", args)) };
    let i = c.inner.lock();
    let wait = i.open
        && match k {
            1 => i.data.is_empty(),
            2 => i.n_avail <= 0,
            3 => i.data.len() as i64 >= c.sz_max,
            _ => c.take_q().is_empty(),
        };
    if !wait {
        return Ok(Value::Nothing);
    }
    let q = match k {
        1 => &c.cond_take,
        2 if c.buffered() => &c.cond_take,
        2 => &c.cond_wait,
        _ => &c.cond_put,
    };
    let Some(cond) = crate::task::cond_of(q) else { return Ok(Value::Nothing) };
    Err(wait_on(vm, q, cond))
}

/// The next item of `for x in c` when a buffered channel has one ready
/// (the interpreter's fast path, state `nothing`; `None` means take the
/// general `iterate` call). Never inlined: the interpreter loop's code
/// stays the same whatever the channel's code does.
#[inline(never)]
pub fn pop_item(vm: &mut Vm, c: &Value) -> Option<Value> {
    let c = chan_of(c)?;
    if !c.buffered() {
        return None;
    }
    match pop_unlocked(vm, c) {
        Step::Item(v) => Some(v),
        Step::Locked | Step::Empty => None,
    }
}

/// `iterate(c)`: the next item as `(v, nothing)`, or `nothing` once the
/// channel is closed and drained.
fn iterate(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "iterate", args)?;
    match pop_unlocked(vm, c) {
        Step::Item(v) => return Ok(Value::tuple(vec![v, Value::Nothing])),
        Step::Locked => return slow(vm, "__chan_iterate_slow__", &args[..1]),
        Step::Empty => {}
    }
    let i = c.inner.lock();
    if !i.open && i.n_avail <= 0 {
        return Ok(Value::Nothing);
    }
    drop(i);
    slow(vm, "__chan_iterate_slow__", &args[..1])
}

/// `close(c, excp)`: wake every waiter with the exception.
fn close(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "close", args)?;
    let excp = args.get(1).cloned().unwrap_or_else(closed_exception);
    {
        let mut i = c.inner.lock();
        if held(vm, c) == Held::Other {
            drop(i);
            return slow(vm, "__chan_close_slow__", args);
        }
        i.excp = excp.clone();
        i.open = false;
    }
    for q in [&c.cond_take, &c.cond_wait, &c.cond_put] {
        if let Some(q) = crate::task::cond_of(q) {
            notify_cond(vm, q, Err(excp.clone()), true);
        }
    }
    Ok(Value::Nothing)
}

fn check(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    check_state(chan(vm, "__chan_check__", args)?)?;
    Ok(Value::Nothing)
}

/// `__chan_avail__(c, d)`: adjust the count of available items.
fn avail(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "__chan_avail__", args)?;
    let Some(Value::Int(d)) = args.get(1) else { return Err(no_method(vm, "__chan_avail__", args)) };
    c.inner.lock().n_avail += d;
    Ok(Value::Nothing)
}

/// Slow-path `put!` into a buffer with room (the item was already counted).
/// `__chan_push__(c, v)`: buffer `v` if there is room (one step, so two
/// threads cannot overfill the buffer) and wake the takers; whether it did.
fn push(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "__chan_push__", args)?;
    let Some(v) = args.get(1) else { return Err(no_method(vm, "__chan_push__", args)) };
    {
        let mut i = c.inner.lock();
        if i.data.len() as i64 >= c.sz_max {
            return Ok(Value::Bool(false));
        }
        i.data.push_back(v.clone());
    }
    notify_cond(vm, c.take_q(), Ok(Value::Nothing), true);
    Ok(Value::Bool(true))
}

fn isfull(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "isfull", args)?;
    Ok(Value::Bool(if c.buffered() {
        c.inner.lock().data.len() as i64 >= c.sz_max
    } else {
        // Julia counts waiting takers (`n_avail_items`): with none, `put!` blocks.
        c.take_q().is_empty()
    }))
}

fn isempty(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let c = chan(vm, "isempty", args)?;
    Ok(Value::Bool(if c.buffered() { c.inner.lock().data.is_empty() } else { c.put_q().is_empty() }))
}

fn isready(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    Ok(Value::Bool(chan(vm, "isready", args)?.inner.lock().n_avail > 0))
}

fn isopen(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    Ok(Value::Bool(chan(vm, "isopen", args)?.inner.lock().open))
}

/// `c.data` (a copy), `c.sz_max`, `c.state`, `c.excp`, `c.n_avail_items`,
/// and `c.cond_take`, `c.cond_wait`, `c.cond_put` (Threads.Conditions).
pub fn chan_field(vm: &Vm, c: &ChanObj, name: Sym) -> Option<Value> {
    let view = match name.as_str() {
        "cond_take" => Some(0),
        "cond_wait" => Some(1),
        "cond_put" => Some(2),
        _ => None,
    };
    if let Some(k) = view {
        return chan_lock(vm, c).ok().map(|l| l.views[k].clone());
    }
    let i = c.inner.lock();
    Some(match name.as_str() {
        "data" => {
            let items: Vec<Value> = i.data.iter().cloned().collect();
            crate::arrays::vector_from_values(&vm.world, items, Some(c.eltype.clone()))
        }
        "sz_max" => Value::Int(c.sz_max),
        "state" => Value::Sym(Sym::new(if i.open { "open" } else { "closed" })),
        "excp" => i.excp.clone(),
        "n_avail_items" => Value::Int(i.n_avail),
        _ => return None,
    })
}

/// `Channel{Int64}(32)`
pub fn show(vm: &Vm, c: &ChanObj) -> String {
    let t = JType::with(tid::CHANNEL, vec![crate::types::TParam::Type(c.eltype.clone())]);
    format!("{}({})", vm.world.type_name(&t), c.sz_max)
}

/// `Channel{Int64}(32) (empty)`, `(1 item available)`, `(closed)`.
pub fn display(vm: &Vm, c: &ChanObj) -> String {
    let head = show(vm, c);
    let i = c.inner.lock();
    if !i.open {
        return format!("{head} (closed)");
    }
    match i.n_avail {
        0 => format!("{head} (empty)"),
        1 => format!("{head} (1 item available)"),
        n => format!("{head} ({n} items available)"),
    }
}
