//! Native fast paths of `ReentrantLock` (the jlx struct of
//! `stdlib/tasks.jlx`, with Julia 1.11's fields `locked_by`,
//! `reentrancy_cnt`, `havelock`, `cond_wait`): `trylock` and `unlock`
//! follow Julia's base/lock.jl; the contended `lock` loop, which waits,
//! stays in jlx. `Base.Event`'s `wait` and `notify` (Julia's hold its
//! spin lock around the look at `set` and the wait or wake); the wait on a
//! condition that releases its lock (`__wait_unlocking__`). Also the
//! construction of Base structs from natives (a channel's lock and its
//! condition views).

use super::{no_method, register, NResult};
use crate::errors;
use crate::obj::{MStructObj, Obj};
use crate::runtime::Flow;
use crate::value::Value;
use crate::vm::Vm;
use jlx_base::Sym;
use jlx_bytecode::ModId;

pub fn install(rt: &crate::runtime::Runtime) {
    for (n, f) in [
        ("__rl_trylock__", trylock as super::NativeFn),
        ("__rl_lock__", lock),
        ("__rl_unlock__", unlock),
        ("__relockall__", relockall),
        ("__wait_unlocking__", wait_unlocking),
        ("__event_wait__", event_wait),
        ("__event_notify__", event_notify),
    ] {
        register(rt, ModId::BASE, n, f);
    }
}

/// A new instance of the Base struct `name` (defined in `stdlib/tasks.jlx`)
/// with the given field values.
pub fn base_struct(vm: &Vm, name: &str, fields: &[(&str, Value)]) -> Result<Value, Flow> {
    let missing = || errors::error(format!("Base.{name} is not a struct"));
    let g = vm.rt.names.lookup(ModId::BASE, Sym::new(name)).ok_or_else(missing)?;
    let Some(Value::Type(t)) = vm.rt.cell(g).get() else { return Err(missing()) };
    let id = t.id().ok_or_else(missing)?;
    let crate::types::TypeKind::Struct { fields: names, .. } = &vm.world.types[id.0 as usize].kind else {
        return Err(missing());
    };
    let vals = names
        .iter()
        .map(|n| fields.iter().find(|(f, _)| *f == n.as_str()).map(|(_, v)| v.clone()).ok_or_else(missing))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Value::obj(Obj::MStruct(MStructObj {
        ty: id,
        params: crate::types::no_params(),
        fields: parking_lot::Mutex::new(vals.into_boxed_slice()),
    })))
}

/// The positions of a lock's fields.
struct Layout {
    owner: usize,
    count: usize,
    have: usize,
    cond: usize,
}

fn layout(vm: &Vm, s: &MStructObj) -> Option<Layout> {
    let crate::types::TypeKind::Struct { fields: names, .. } = &vm.world.types[s.ty.0 as usize].kind else {
        return None;
    };
    static NAMES: std::sync::OnceLock<[Sym; 4]> = std::sync::OnceLock::new();
    let [owner, count, have, cond] = *NAMES.get_or_init(|| {
        [Sym::new("locked_by"), Sym::new("reentrancy_cnt"), Sym::new("havelock"), Sym::new("cond_wait")]
    });
    let at = |n: Sym| names.iter().position(|f| *f == n);
    Some(Layout { owner: at(owner)?, count: at(count)?, have: at(have)?, cond: at(cond)? })
}

/// The lock struct behind `args[0]` and its field layout.
fn lock_arg<'a>(vm: &mut Vm, name: &str, args: &'a [Value]) -> Result<(&'a MStructObj, Layout), Flow> {
    if let Some(Value::Obj(o)) = args.first() {
        if let Obj::MStruct(s) = &**o {
            if let Some(l) = layout(vm, s) {
                return Ok((s, l));
            }
        }
    }
    Err(no_method(vm, name, args))
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        _ => 0,
    }
}

/// Take the lock (its fields `f`, laid out as `l`) for `cur` if it is free
/// or already `cur`'s (then one level deeper); whether it did.
fn acquire(f: &mut [Value], l: &Layout, cur: Value) -> bool {
    if crate::task::same(&f[l.owner], &cur) {
        f[l.count] = Value::Int(int(&f[l.count]) + 1);
        return true;
    }
    if int(&f[l.have]) != 0 {
        return false;
    }
    f[l.have] = Value::Int(1);
    f[l.count] = Value::Int(1);
    f[l.owner] = cur;
    true
}

/// The wait queue of a lock's `cond_wait`, a ThreadSynchronizer whose
/// only field is its queue.
fn wait_queue(sync: &Value) -> Option<Value> {
    match sync {
        Value::Obj(o) => match &**o {
            Obj::MStruct(s) => s.fields.lock().first().cloned(),
            _ => None,
        },
        _ => None,
    }
}

/// `__rl_trylock__(l)`: Julia's `trylock(rl::ReentrantLock)`.
fn trylock(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (s, l) = lock_arg(vm, "__rl_trylock__", args)?;
    let cur = vm.sched.current.clone();
    let mut f = s.fields.lock();
    Ok(Value::Bool(acquire(&mut f, &l, cur)))
}

/// `__rl_lock__(l)`: Julia's `lock(rl::ReentrantLock)`. Taken at once
/// when free (or held by the running task); otherwise the lock is marked
/// contended (`havelock = 2`) and the task joins `cond_wait`'s queue in
/// the same hold of the lock's fields, so an `unlock` on another thread
/// cannot slip between the look and the wait; woken, it tries again
/// (`Flow::Retry`: Julia's loop, where the first woken task wins).
fn lock(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (s, l) = lock_arg(vm, "__rl_lock__", args)?;
    let cur = vm.sched.current.clone();
    let mut f = s.fields.lock();
    if acquire(&mut f, &l, cur) {
        return Ok(Value::Nothing);
    }
    f[l.have] = Value::Int(2);
    let q = wait_queue(&f[l.cond]);
    let Some((q, c)) = q.as_ref().and_then(|q| Some((q, crate::task::cond_of(q)?))) else {
        return Err(errors::error("ReentrantLock without a wait queue"));
    };
    super::tasks::wait_on(vm, q, c);
    drop(f);
    Err(Flow::Retry)
}

/// `__rl_unlock__(l)`: Julia's `unlock(rl::ReentrantLock)`; a contended
/// lock (`havelock == 2`) wakes every task waiting for it.
fn unlock(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (s, l) = lock_arg(vm, "__rl_unlock__", args)?;
    release(vm, s, &l)
}

/// `__wait_unlocking__(q, l)`: the step of Julia's `wait(c::GenericCondition)`
/// on a condition guarded by the `ReentrantLock` `l`, which the running
/// task holds: join the wait queue `q`, then release `l` entirely (however
/// often it is held; the caller read that count and takes it back with
/// `__relockall__`). In that order, so a task that takes `l` next and
/// notifies `q` (on any thread) finds this task waiting. Returns what the
/// wait returns (the notified value).
fn wait_unlocking(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (Some(q), Some(c)) = (args.first(), args.first().and_then(crate::task::cond_of)) else {
        return Err(no_method(vm, "__wait_unlocking__", args));
    };
    let (s, l) = lock_arg(vm, "__wait_unlocking__", &args[1..])?;
    let cur = vm.sched.current.clone();
    {
        let mut f = s.fields.lock();
        if !crate::task::same(&f[l.owner], &cur) {
            return Err(Flow::Throw(errors::exc(
                crate::types::tid::CONCURRENCYVIOLATIONERROR,
                vec![Value::str("lock must be held")],
            )));
        }
        f[l.count] = Value::Int(1);
    }
    let flow = super::tasks::wait_on(vm, q, c);
    release(vm, s, &l)?;
    Err(flow)
}

/// An `Event`'s fields (`notify`, `autoreset`, `set`) and the wait queue
/// of its `notify` ThreadSynchronizer.
fn event_arg<'a>(
    vm: &mut Vm,
    name: &str,
    args: &'a [Value],
) -> Result<(&'a MStructObj, [usize; 2], Value), Flow> {
    if let [Value::Obj(o)] = args {
        if let Obj::MStruct(s) = &**o {
            if let crate::types::TypeKind::Struct { fields: names, .. } =
                &vm.world.types[s.ty.0 as usize].kind
            {
                let at = |n: &str| names.iter().position(|f| f.as_str() == n);
                if let (Some(n), Some(a), Some(st)) = (at("notify"), at("autoreset"), at("set")) {
                    let sync = s.fields.lock()[n].clone();
                    if let Some(q) = wait_queue(&sync).filter(|q| crate::task::cond_of(q).is_some()) {
                        return Ok((s, [a, st], q));
                    }
                }
            }
        }
    }
    Err(no_method(vm, name, args))
}

/// `__event_wait__(e)`: Julia's `wait(e::Event)`. A set event lets the
/// task through (an autoreset one is cleared by it); otherwise the task
/// joins the event's queue. The look and the join are one hold of the
/// event's fields, as `notify` changes them, so a `notify` on another
/// thread cannot fall between them.
fn event_wait(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (s, [auto, set], q) = event_arg(vm, "__event_wait__", args)?;
    let mut f = s.fields.lock();
    if matches!(f[set], Value::Bool(true)) {
        if matches!(f[auto], Value::Bool(true)) {
            f[set] = Value::Bool(false);
        }
        return Ok(Value::Nothing);
    }
    let c = crate::task::cond_of(&q).expect("checked");
    Err(super::tasks::wait_on(vm, &q, c))
}

/// `__event_notify__(e)`: Julia's `notify(e::Event)`. An autoreset event
/// wakes one waiter, or stays set when nobody waits; another event is set
/// and wakes every waiter (once: notifying a set event does nothing).
fn event_notify(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (s, [auto, set], q) = event_arg(vm, "__event_notify__", args)?;
    let c = crate::task::cond_of(&q).expect("checked");
    let mut woken = Vec::new();
    {
        let mut f = s.fields.lock();
        if matches!(f[auto], Value::Bool(true)) {
            match c.pop() {
                Some(t) => woken.push(t),
                None => f[set] = Value::Bool(true),
            }
        } else if !matches!(f[set], Value::Bool(true)) {
            f[set] = Value::Bool(true);
            while let Some(t) = c.pop() {
                woken.push(t);
            }
        }
    }
    for t in woken {
        vm.sched.wake_popped(t, Ok(Value::Nothing));
    }
    Ok(Value::Nothing)
}

/// `__relockall__(l, n)`: take the lock back with count `n` after a
/// condition wait (Julia's `relockall`); waits in jlx when it is taken.
fn relockall(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (s, l) = lock_arg(vm, "__relockall__", args)?;
    let Some(n) = args.get(1).cloned() else { return Err(no_method(vm, "__relockall__", args)) };
    let cur = vm.sched.current.clone();
    let mut f = s.fields.lock();
    if int(&f[l.have]) != 0 {
        drop(f);
        let slow = vm
            .base_func_static("__relockall_slow__")
            .ok_or_else(|| errors::error("Base.__relockall_slow__ missing"))?;
        return Err(Flow::Call(Value::Func(slow), args.to_vec(), None));
    }
    f[l.have] = Value::Int(1);
    f[l.owner] = cur;
    f[l.count] = n;
    Ok(Value::Nothing)
}

fn release(vm: &mut Vm, s: &MStructObj, l: &Layout) -> NResult {
    let cur = vm.sched.current.clone();
    let waiters = {
        let mut f = s.fields.lock();
        if !crate::task::same(&f[l.owner], &cur) {
            let msg = if int(&f[l.count]) == 0 {
                "unlock count must match lock count"
            } else {
                "unlock from wrong thread"
            };
            return Err(errors::error(msg));
        }
        let n = int(&f[l.count]) - 1;
        f[l.count] = Value::Int(n);
        if n != 0 {
            return Ok(Value::Nothing);
        }
        f[l.owner] = Value::Nothing;
        let old = int(&f[l.have]);
        f[l.have] = Value::Int(0);
        if old != 2 {
            return Ok(Value::Nothing);
        }
        f[l.cond].clone()
    };
    if let Some(q) = wait_queue(&waiters) {
        if let Some(c) = crate::task::cond_of(&q) {
            super::tasks::notify_cond(vm, c, Ok(Value::Nothing), true);
        }
    }
    Ok(Value::Nothing)
}
