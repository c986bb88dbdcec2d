//! The deadlock report: when no task can run and no timer can wake one,
//! list every blocked task, the library call it waits in (with its first
//! argument, e.g. the channel) and the user line that made the call, and
//! where the task was created. The text is laid out by the jlx function
//! `Base.__deadlock_report__`, so channels and locks print with their own
//! `show` methods. A script prints it as its uncaught error; the REPL
//! throws it (as text) into the blocked evaluation.

use jlx_vm::code::Code;
use jlx_vm::fiber::Fiber;
use jlx_vm::obj::{IoObj, Obj};
use jlx_vm::task::{task_of, TaskFunc};
use jlx_vm::{Value, Vm};

/// Print the report to stderr, as an uncaught error.
pub fn deadlock(vm: &mut Vm, main: &Value, main_fb: &Fiber) {
    jlx_vm::natives::io::flush_stdout(vm);
    eprint!("ERROR: ");
    let stderr = Value::obj(Obj::Io(IoObj::Stderr));
    if !write_report(vm, main, main_fb, stderr) {
        eprintln!("deadlock detected: every task is blocked and nothing can wake one");
    }
    jlx_vm::natives::io::flush_stdout(vm);
}

/// The report as text (the REPL throws it into the blocked evaluation).
pub fn deadlock_text(vm: &mut Vm, main: &Value, main_fb: &Fiber) -> String {
    let buf = Value::obj(Obj::Io(IoObj::Buffer(Default::default())));
    let mut text = String::new();
    if write_report(vm, main, main_fb, buf.clone()) {
        if let Value::Obj(o) = &buf {
            if let Obj::Io(IoObj::Buffer(b)) = &**o {
                text = String::from_utf8_lossy(&b.lock().data).into_owned();
            }
        }
    }
    if text.is_empty() {
        text = "deadlock detected: every task is blocked and nothing can wake one".into();
    }
    text.trim_end().to_string()
}

/// Lay the report out with `Base.__deadlock_report__(io, entries)`.
fn write_report(vm: &mut Vm, main: &Value, main_fb: &Fiber, io: Value) -> bool {
    // Every live task outside the run queue is blocked (with nothing able
    // to run, that is all of them).
    let mut blocked: Vec<(u64, Value)> = vm
        .sched
        .live_tasks()
        .iter()
        .filter_map(|v| {
            let t = task_of(v)?;
            let queued = matches!(t.inner.lock().queue, jlx_vm::task::Queue::Run);
            (!queued).then(|| (t.id, v.clone()))
        })
        .collect();
    blocked.sort_by_key(|(k, _)| *k);
    let mut entries = Vec::new();
    for (_, t) in &blocked {
        let Some(task) = task_of(t) else { continue };
        let (call, arg, at, created) = if t.egal(main) {
            let (c, a, l) = waiting_in(vm, &main_fb.clone_view());
            (c, a, l, String::new())
        } else {
            let i = task.inner.lock();
            let created = created_at(vm, &i.func);
            match &i.fiber {
                Some(f) => {
                    let f = f.clone_view();
                    drop(i);
                    let (c, a, l) = waiting_in(vm, &f);
                    (c, a, l, created)
                }
                None => (String::new(), Value::tuple(vec![]), String::new(), created),
            }
        };
        entries.push(Value::tuple(vec![
            t.clone(),
            Value::str(call),
            arg,
            Value::str(at),
            Value::str(created),
        ]));
    }
    let list = jlx_vm::arrays::vector_from_values(&vm.world, entries, None);
    vm.base_func("__deadlock_report__")
        .map(|f| vm.call_value(Value::Func(f), vec![io, list], None).is_ok())
        .unwrap_or(false)
}

/// What a suspended fiber waits in: (library function, a tuple of its first
/// argument or empty, `file:line` of the user call).
fn waiting_in(vm: &Vm, fb: &FiberView) -> (String, Value, String) {
    let frames = &fb.frames;
    // The innermost frame running user code (not the stdlib).
    let user = (0..frames.len()).rev().find(|&k| !is_stdlib(vm, frames[k].0));
    let Some(k) = user else { return (String::new(), Value::tuple(vec![]), String::new()) };
    let (code, pc, _) = frames[k];
    let at = vm.rt.sources.describe(code.proto.span_at(pc.saturating_sub(1) as usize));
    // The callee sits in the register just below its window; a native
    // called directly from user code sits in the pending slot.
    let slot = match frames.get(k + 1) {
        Some(&(_, _, base)) => base as usize - 1,
        None => fb.pending as usize,
    };
    let callee = fb.regs.get(slot).cloned().unwrap_or(Value::Nothing);
    // The call op says whether there is a first argument (`wait()` has none).
    let nargs = match code.proto.code.get(pc.saturating_sub(1) as usize) {
        Some(jlx_bytecode::Op::Call { nargs, .. } | jlx_bytecode::Op::CallKw { nargs, .. }) => {
            *nargs as usize
        }
        Some(jlx_bytecode::Op::CallGlobal { nargs, .. }) => *nargs as usize,
        _ => 1,
    };
    let arg = match fb.regs.get(slot + 1) {
        Some(a) if nargs > 0 => Value::tuple(vec![a.clone()]),
        _ => Value::tuple(vec![]),
    };
    let name = match &callee {
        Value::Func(id) => public_name(vm.world.funcs[id.0 as usize].name.as_str()).to_string(),
        _ => String::new(),
    };
    (name, arg, at)
}

/// The function a user called, for library slow paths that replaced it by a
/// tail call (a channel native that had to wait).
fn public_name(name: &str) -> &str {
    match name {
        "__chan_put_slow__" | "__chan_put_unbuffered_slow__" => "put!",
        "__chan_take_slow__" | "__chan_take_unbuffered_slow__" | "__chan_relock__" => "take!",
        "__chan_fetch_slow__" => "fetch",
        "__chan_close_slow__" => "close",
        "__chan_iterate_slow__" => "iterate",
        other => other,
    }
}

fn is_stdlib(vm: &Vm, code: &Code) -> bool {
    let span = code.proto.span;
    vm.rt.sources.get(span.file).name.starts_with("stdlib/")
}

/// `file:line` of the function a task runs. A library wrapper (the task
/// of `Channel(f)`, a `Timer` callback) stands for the user function it
/// captured, so the report names the user's code.
fn created_at(vm: &Vm, f: &TaskFunc) -> String {
    fn closure_code(vm: &Vm, code: &'static Code, captures: &[Value], depth: u32) -> Option<&'static Code> {
        if is_stdlib(vm, code) && depth < 4 {
            if let Some(inner) = captures.iter().find_map(|v| code_of(vm, v, depth + 1)) {
                return Some(inner);
            }
        }
        Some(code)
    }
    fn code_of(vm: &Vm, f: &Value, depth: u32) -> Option<&'static Code> {
        let code = match f {
            Value::Closure(c) => closure_code(vm, c.code, &c.captures, depth),
            Value::Func(id) => vm.world.funcs[id.0 as usize].methods.iter().find_map(|m| match &m.body {
                jlx_vm::runtime::MethodBody::Jlx(c) => Some(c.code),
                _ => None,
            }),
            _ => None,
        };
        // Inside a wrapper, only user code counts.
        code.filter(|c| depth == 0 || !is_stdlib(vm, c))
    }
    let code = match f {
        TaskFunc::Value(v) => code_of(vm, v, 0),
        TaskFunc::Thunk(..) => f.captures().and_then(|(code, caps)| closure_code(vm, code, caps, 0)),
    };
    code.map(|c| vm.rt.sources.describe(c.proto.span)).unwrap_or_default()
}

/// The parts of a fiber the report reads.
pub struct FiberView {
    frames: Vec<(&'static Code, u32, u32)>,
    regs: Vec<Value>,
    pending: u32,
}

trait ViewExt {
    fn clone_view(&self) -> FiberView;
}

impl ViewExt for Fiber {
    fn clone_view(&self) -> FiberView {
        FiberView {
            frames: self.frames.iter().map(|f| (f.code, f.pc, f.base)).collect(),
            regs: self.regs.clone(),
            pending: self.pending,
        }
    }
}
