//! The interpreter: [`Vm::run`] executes a fiber's frames until the fiber
//! finishes or throws, and [`Vm::invoke`] performs calls (dispatch, frame
//! push, natives, constructors).
//!
//! Hot-path rules: operands are borrowed from registers, results moved in;
//! Int/Float arithmetic and comparisons never leave the dispatch loop; a
//! jlx→jlx call pushes a frame and continues the same loop; loaded code is
//! `&'static`, so frames hold no reference counts unless they run a closure
//! with captures.

use crate::code::Code;
use crate::dispatch;
use crate::errors;
use crate::fiber::{Fiber, Frame, Halt, Handler};
use crate::obj::{Closure, Obj};
use crate::runtime::{Flow, MethodBody, Runtime, World};
use crate::types::{tid, JType};
use crate::value::{set, FuncId, Num, Value};
use crate::window::Window;
use jlx_base::Sym;
use jlx_bytecode::{ModId, Op};
use std::sync::Arc;

/// Registers past a frame's own, used to stage generic fallback calls
/// (callee + up to 3 arguments + the callee's first window slot).
const SCRATCH: usize = 8;

// `Window::release_heap` rounds a frame's window up into its SCRATCH registers.
const _: () = assert!(crate::code::RELEASE_BLOCK - 1 <= SCRATCH);

/// Maximum call depth before `StackOverflowError`.
pub const MAX_FRAMES: usize = 400_000;

/// Generic functions the interpreter falls back to.
#[derive(Clone, Copy, Debug)]
pub struct WellKnown {
    pub add: FuncId,
    pub sub: FuncId,
    pub mul: FuncId,
    pub div: FuncId,
    pub rem: FuncId,
    pub intdiv: FuncId,
    pub pow: FuncId,
    pub lt: FuncId,
    pub le: FuncId,
    pub eq: FuncId,
    pub not: FuncId,
    pub neg: FuncId,
    pub getindex: FuncId,
    pub setindex: FuncId,
    pub iterate: FuncId,
    pub unpack: FuncId,
    pub construct: FuncId,
    pub getproperty: FuncId,
    pub band: FuncId,
    pub bor: FuncId,
    pub bxor: FuncId,
    pub shl: FuncId,
    pub shr: FuncId,
    pub ushr: FuncId,
}

/// Receives flushed program output (see `Vm::out_sink`).
pub type OutSink = Box<dyn FnMut(&str) + Send>;

pub struct Vm {
    pub rt: Arc<Runtime>,
    pub world: World,
    pub wk: Option<WellKnown>,
    /// Base functions natives refer to by name (`show`, `print`, ...).
    pub named_funcs: std::collections::HashMap<&'static str, FuncId>,
    /// Output written by natives, flushed to the OS at safe points.
    pub stdout_buf: String,
    /// Flush `stdout_buf` at the end of every line: stdout is a terminal
    /// (`RuntimeOptions::stdout_tty`) or several threads print.
    pub line_flush: bool,
    /// Set when a write of stdout failed (the `IOError` message and
    /// code): the stream is closed for the rest of the run (see
    /// `natives::io`).
    pub stdout_error: Option<Box<(String, i64)>>,
    /// Whether `stdout_error` was thrown to the program (or reported).
    pub stdout_error_thrown: bool,
    /// Where flushed output goes instead of the process's stdout/stderr
    /// while set (the REPL's printer while a prompt is shown).
    pub out_sink: Option<OutSink>,
    /// Scheduler state of this thread: run queue, current task, timers, clock.
    pub sched: crate::sched::Sched,
    /// Dispatch exits left before `run` returns `Halt::Preempted` for
    /// safepoint duties; refilled from `fuel_refill`.
    pub fuel: u32,
    pub fuel_refill: u32,
    /// `display` cuts big arrays to a 24×80 screen (Julia's `:limit`, set
    /// by the REPL; scripts print arrays whole).
    pub display_limit: bool,
    /// Memo of `base_func_static`: (address of the name, function).
    static_funcs: Vec<(usize, FuncId)>,
    /// The method last chosen per generic function (see `crate::dcache`).
    pub dcache: crate::dcache::DispatchCache,
}

enum Exit {
    Call {
        slot: usize,
        nargs: usize,
        kw: Option<Value>,
    },
    Splat {
        slot: usize,
    },
    Ret(Value),
    Throw(Value),
    Rethrow(Value),
    /// A native called from the dispatch loop did not return a value; its
    /// arguments are at `slot + 1..`, its result (or tail call's) goes to `ret`.
    Native {
        slot: usize,
        nargs: usize,
        ret: usize,
        native: crate::runtime::NativeFn,
        outcome: crate::runtime::NResult,
    },
    /// A native called from the dispatch loop suspended the task; its
    /// result goes to register `slot` on resume.
    Suspend {
        slot: usize,
    },
    /// The running frame was called with keywords it does not accept.
    KwMismatch {
        nparams: usize,
    },
    /// A backward jump saw a pending interrupt: return `Halt::Preempted`.
    Preempt,
    /// Call generic function `f` on `args` (placed above the frame), result into `ret`.
    Generic {
        f: FuncId,
        nargs: usize,
        ret: usize,
    },
}

/// What a native's return asks for next (see `Vm::native_outcome`).
enum NativeOutcome {
    Done(Invoked),
    TailCall { nargs: usize, kw: Option<Value> },
}

/// Outcome of starting a call.
pub enum Invoked {
    Pushed,
    Value(Value),
    /// A native suspended the task; the result arrives on resume.
    Suspended,
}

// Int-vs-Float compares are exact (`jlx_num::cmp`, branch-free).
#[inline]
fn cmp_lt(a: &Value, b: &Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::Int(x), Value::Int(y)) => x < y,
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::Int(x), Value::Float(y)) => jlx_num::cmp::int_lt_float(*x, *y),
        (Value::Float(x), Value::Int(y)) => jlx_num::cmp::float_lt_int(*x, *y),
        _ => return None,
    })
}

/// The register a fused comparison's resume op branches on (the op after
/// a fused comparison is its resume jump: `jlx_bytecode::verify`).
#[cold]
#[inline(never)]
fn resume_reg(op: &Op) -> u16 {
    match *op {
        Op::JmpIf { cond, .. } | Op::JmpIfNot { cond, .. } => cond,
        _ => unreachable!("a fused comparison without its resume jump (verified code)"),
    }
}

// Fast paths of the bitwise ops; anything else (other integer types, shift
// counts outside 0..63) goes to the generic function. Kept out of line so
// the rarely hot bit ops do not crowd the arithmetic in `dispatch`.
#[inline(never)]
fn bit_and(x: &Value, y: &Value) -> Option<Value> {
    match (x, y) {
        (Value::Int(x), Value::Int(y)) => Some(Value::Int(x & y)),
        (Value::Bool(x), Value::Bool(y)) => Some(Value::Bool(x & y)),
        _ => None,
    }
}

#[inline(never)]
fn bit_or(x: &Value, y: &Value) -> Option<Value> {
    match (x, y) {
        (Value::Int(x), Value::Int(y)) => Some(Value::Int(x | y)),
        (Value::Bool(x), Value::Bool(y)) => Some(Value::Bool(x | y)),
        _ => None,
    }
}

#[inline(never)]
fn bit_xor(x: &Value, y: &Value) -> Option<Value> {
    match (x, y) {
        (Value::Int(x), Value::Int(y)) => Some(Value::Int(x ^ y)),
        (Value::Bool(x), Value::Bool(y)) => Some(Value::Bool(x ^ y)),
        _ => None,
    }
}

#[inline(never)]
fn shift_left(x: &Value, y: &Value) -> Option<Value> {
    match (x, y) {
        (Value::Int(x), Value::Int(y)) if (0..64).contains(y) => Some(Value::Int(x << y)),
        _ => None,
    }
}

#[inline(never)]
fn shift_right(x: &Value, y: &Value) -> Option<Value> {
    match (x, y) {
        (Value::Int(x), Value::Int(y)) if (0..64).contains(y) => Some(Value::Int(x >> y)),
        _ => None,
    }
}

#[inline(never)]
fn shift_right_logical(x: &Value, y: &Value) -> Option<Value> {
    match (x, y) {
        (Value::Int(x), Value::Int(y)) if (0..64).contains(y) => Some(Value::Int(((*x as u64) >> y) as i64)),
        _ => None,
    }
}

/// `/` on numbers (always Float64), as the `Div` fast path.
#[inline]
fn float_div(x: &Value, y: &Value) -> Option<Num> {
    match (x, y) {
        (Value::Int(x), Value::Int(y)) => Some(Num::F(*x as f64 / *y as f64)),
        (Value::Float(x), Value::Float(y)) => Some(Num::F(x / y)),
        (Value::Int(x), Value::Float(y)) => Some(Num::F(*x as f64 / y)),
        (Value::Float(x), Value::Int(y)) => Some(Num::F(x / *y as f64)),
        _ => None,
    }
}

#[inline]
fn cmp_le(a: &Value, b: &Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::Int(x), Value::Int(y)) => x <= y,
        (Value::Float(x), Value::Float(y)) => x <= y,
        (Value::Int(x), Value::Float(y)) => jlx_num::cmp::int_le_float(*x, *y),
        (Value::Float(x), Value::Int(y)) => jlx_num::cmp::float_le_int(*x, *y),
        _ => return None,
    })
}

#[inline]
fn num_eq(a: &Value, b: &Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => {
            jlx_num::cmp::int_eq_float(*x, *y)
        }
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Char(x), Value::Char(y)) => x == y,
        (Value::Sym(x), Value::Sym(y)) => x == y,
        (Value::Nothing, Value::Nothing) => true,
        (Value::Str(x), Value::Str(y)) => x.0 == y.0,
        _ => return None,
    })
}

/// `+ - *` on numbers for the constant-operand ops: Int wraps, mixed
/// operands promote to Float; `None` for anything else.
macro_rules! arith {
    ($a:expr, $b:expr, $iop:ident, $fop:tt) => {
        match ($a, $b) {
            (Value::Int(x), Value::Int(y)) => Some(Num::I(x.$iop(*y))),
            (Value::Float(x), Value::Float(y)) => Some(Num::F(x $fop y)),
            (Value::Int(x), Value::Float(y)) => Some(Num::F((*x as f64) $fop y)),
            (Value::Float(x), Value::Int(y)) => Some(Num::F(x $fop (*y as f64))),
            _ => None,
        }
    };
}

impl Vm {
    /// The VM of thread 1 (the main task's).
    pub fn new(rt: Arc<Runtime>) -> Vm {
        Vm::for_thread(rt, 1, jlx_num::rng::default_seed_from_entropy())
    }

    /// The VM of worker thread `thread` (2 and up), once the standard
    /// library is loaded.
    pub fn new_worker(rt: Arc<Runtime>, thread: usize) -> Vm {
        let mut vm = Vm::for_thread(rt, thread, jlx_num::rng::Xoshiro::seeded(thread as i64));
        vm.init_well_known();
        vm
    }

    fn for_thread(rt: Arc<Runtime>, thread: usize, rng: jlx_num::rng::Xoshiro) -> Vm {
        let world = rt.snapshot();
        let sched = crate::sched::Sched::new(rt.pool.clone(), rt.clock.clone(), thread, rng);
        // Torture mode: every dispatch exit is a safepoint that polls the event loop.
        let fuel = if rt.opts.torture { 1 } else { 1 << 20 };
        let line_flush = rt.opts.stdout_tty || !sched.single;
        Vm {
            rt,
            world,
            wk: None,
            named_funcs: Default::default(),
            line_flush,
            stdout_buf: String::new(),
            stdout_error: None,
            stdout_error_thrown: false,
            out_sink: None,
            sched,
            fuel,
            fuel_refill: fuel,
            static_funcs: Vec::new(),
            display_limit: false,
            dcache: Default::default(),
        }
    }

    #[inline]
    pub fn refresh(&mut self) {
        if self.rt.version() != self.world.version {
            self.rt.refresh_world(&mut self.world);
        }
    }

    /// Look up a Base function by name (after natives are registered).
    pub fn base_func(&mut self, name: &str) -> Option<FuncId> {
        let g = self.rt.global(ModId::BASE, name);
        match self.rt.cell(g).get() {
            Some(Value::Func(f)) => Some(f),
            _ => None,
        }
    }

    /// `base_func` memoized by the address of a static name (for natives
    /// that tail-call library functions on hot paths).
    pub fn base_func_static(&mut self, name: &'static str) -> Option<FuncId> {
        let key = name.as_ptr() as usize;
        if let Some((_, f)) = self.static_funcs.iter().find(|(k, _)| *k == key) {
            return Some(*f);
        }
        let f = self.base_func(name)?;
        self.static_funcs.push((key, f));
        Some(f)
    }

    pub fn init_well_known(&mut self) {
        let f = |vm: &mut Vm, n: &str| vm.base_func(n).unwrap_or_else(|| panic!("Base.{n} missing"));
        self.wk = Some(WellKnown {
            add: f(self, "+"),
            sub: f(self, "-"),
            mul: f(self, "*"),
            div: f(self, "/"),
            rem: f(self, "rem"),
            intdiv: f(self, "div"),
            pow: f(self, "^"),
            lt: f(self, "<"),
            le: f(self, "<="),
            eq: f(self, "=="),
            not: f(self, "!"),
            neg: f(self, "-"),
            getindex: f(self, "getindex"),
            setindex: f(self, "setindex!"),
            iterate: f(self, "iterate"),
            unpack: f(self, "__unpack__"),
            construct: f(self, "__construct__"),
            getproperty: f(self, "getproperty"),
            band: f(self, "&"),
            bor: f(self, "|"),
            bxor: f(self, "⊻"),
            shl: f(self, "<<"),
            shr: f(self, ">>"),
            ushr: f(self, ">>>"),
        });
        for n in [
            "show",
            "print",
            "showerror",
            "__print_pieces__",
            "__string_pieces__",
            "string",
            "repr",
            "convert",
        ] {
            if let Some(id) = self.base_func(n) {
                self.named_funcs.insert(n, id);
            }
        }
    }

    #[inline]
    fn wk(&self) -> WellKnown {
        self.wk.expect("well-known functions not initialised")
    }

    /// Push the frame of a top-level chunk onto `fb` (a fresh fiber); `run` executes it.
    pub fn push_toplevel(&mut self, fb: &mut Fiber, code: &'static Code) {
        let base = fb.regs.len();
        fb.ensure(base + code.window + SCRATCH);
        fb.frames.push(Frame { code, pc: 0, base: base as u32, ret: base as u32, closure: None });
    }

    /// Start `f()` as the body of a task in the empty fiber `fb`.
    pub fn start_task(&mut self, fb: &mut Fiber, f: Value) -> Halt {
        // Most tasks are shallow: start with room for one frame (a suspended
        // task keeps its fiber, and a million of them must stay small).
        fb.frames.reserve_exact(1);
        // A closure of no parameters (the thunk of `@async`/`@spawn`): its
        // frame is pushed here, as `invoke` would (callee in register 0,
        // window from 1, result into 0), without the general call path.
        if let Value::Closure(c) = &f {
            let code = c.code;
            let p = &code.proto;
            if p.nparams == 0 && !p.vararg && !p.has_kw {
                let closure = if c.captures.is_empty() { None } else { Some(c.clone()) };
                fb.ensure(1 + code.window + SCRATCH);
                fb.regs[0] = f;
                fb.frames.push(Frame { code, pc: 0, base: 1, ret: 0, closure });
                return self.run(fb, 0);
            }
        }
        match fb.regs.first_mut() {
            Some(r) => *r = f,
            None => fb.regs.push(f),
        }
        fb.ensure(2);
        match self.invoke(fb, 0, 0, None, 0) {
            Ok(Invoked::Pushed) => self.run(fb, 0),
            Ok(Invoked::Value(v)) => fb.finished(v),
            Ok(Invoked::Suspended) => {
                fb.pending = 0;
                Halt::Suspended
            }
            Err(e) => {
                fb.record_throw(&e);
                fb.threw(e)
            }
        }
    }

    /// Start the thunk of `@async`/`@spawn` (a closure of no parameters
    /// kept in the task as its code and captures, `TaskFunc::Thunk`) as the
    /// body of a task in the empty fiber `fb`, whose `thunk` holds the
    /// captures: its frame is pushed as `start_task` pushes a closure's,
    /// but without a closure (register 0, the callee's, holds `nothing`),
    /// so `GetCapture` reads the captures from `fb.thunk`.
    pub fn start_thunk(&mut self, fb: &mut Fiber, code: &'static Code) -> Halt {
        fb.frames.reserve_exact(1);
        fb.ensure(1 + code.window + SCRATCH);
        set(&mut fb.regs[0], Value::Nothing);
        fb.frames.push(Frame { code, pc: 0, base: 1, ret: 0, closure: None });
        self.run(fb, 0)
    }

    /// Continue a suspended fiber: `v` becomes the result of the call that
    /// suspended, or, when `thrown`, is thrown from it. (Value and flag come
    /// apart: no `Result` is built and copied on the task-switch path.)
    pub fn resume_with(&mut self, fb: &mut Fiber, v: Value, thrown: bool) -> Halt {
        let retry = fb.retry.take();
        match thrown {
            false => match retry {
                None => {
                    if fb.frames.is_empty() {
                        return fb.finished(v);
                    }
                    fb.regs[fb.pending as usize] = v;
                }
                // `Flow::Retry`: call the same native again (its loop goes
                // on); its callee and arguments are still in place.
                Some(rt) => {
                    let ret = fb.pending as usize;
                    let (slot, nargs) = (rt.slot as usize, rt.nargs as usize);
                    let r = (rt.native)(self, &fb.regs[slot + 1..slot + 1 + nargs], None);
                    self.refresh();
                    let step = match r {
                        Ok(v) => Ok(Invoked::Value(v)),
                        Err(Flow::Throw(e)) => Err(e),
                        Err(Flow::Suspend) => Ok(Invoked::Suspended),
                        Err(Flow::Retry) => {
                            fb.retry = Some(rt);
                            Ok(Invoked::Suspended)
                        }
                        Err(Flow::Call(f, args, k)) => {
                            let n = self.place_call(fb, slot, f, args);
                            self.invoke(fb, slot, n, k, ret)
                        }
                    };
                    match step {
                        Ok(Invoked::Pushed) => {}
                        Ok(Invoked::Value(v)) => {
                            if fb.frames.is_empty() {
                                return fb.finished(v);
                            }
                            fb.regs[ret] = v;
                        }
                        Ok(Invoked::Suspended) => {
                            fb.pending = ret as u32;
                            return Halt::Suspended;
                        }
                        Err(e) => {
                            if let Some(h) = self.unwind(fb, e, 0, true) {
                                return h;
                            }
                        }
                    }
                }
            },
            true => {
                if let Some(h) = self.unwind(fb, v, 0, true) {
                    return h;
                }
            }
        }
        self.run(fb, 0)
    }

    /// Call `f(args...)` to completion in a fresh fiber.
    // The error carries the fiber (for its backtrace); it is the cold path.
    #[allow(clippy::result_large_err)]
    pub fn call_value(
        &mut self,
        f: Value,
        args: Vec<Value>,
        kw: Option<Value>,
    ) -> Result<Value, (Value, Fiber)> {
        let mut fb = Fiber::new();
        let nargs = args.len();
        fb.regs.push(f);
        fb.regs.extend(args);
        fb.ensure(nargs + 2);
        match self.invoke(&mut fb, 0, nargs, kw, 0) {
            Ok(Invoked::Value(v)) => Ok(v),
            Ok(Invoked::Suspended) => Err((cannot_switch(), fb)),
            Ok(Invoked::Pushed) => {
                let mut h = self.run(&mut fb, 0);
                loop {
                    match h {
                        Halt::Finished => return Ok(std::mem::take(&mut fb.outcome)),
                        Halt::Threw => return Err((std::mem::take(&mut fb.outcome), fb)),
                        // No driver here to take an interrupt: throw it.
                        Halt::Preempted if crate::interrupt::take() => {
                            let e = errors::exc(crate::types::tid::INTERRUPTEXCEPTION, vec![]);
                            h = self.resume_with(&mut fb, e, true);
                        }
                        Halt::Preempted => h = self.run(&mut fb, 0),
                        Halt::Suspended => return Err((cannot_switch(), fb)),
                    }
                }
            }
            Err(e) => {
                fb.record_throw(&e);
                Err((e, fb))
            }
        }
    }

    /// Start a call: callee in `regs[slot]`, arguments after it; the result
    /// goes to `regs[ret]` when the callee returns.
    pub fn invoke(
        &mut self,
        fb: &mut Fiber,
        slot: usize,
        nargs: usize,
        kw: Option<Value>,
        ret: usize,
    ) -> Result<Invoked, Value> {
        let mut nargs = nargs;
        let mut kw = kw;
        loop {
            let callee = std::mem::take(&mut fb.regs[slot]);
            let (code, closure): (&'static Code, Option<Arc<Closure>>) = match &callee {
                Value::Func(id) => {
                    let methods = &self.world.funcs[id.0 as usize].methods;
                    let args = &fb.regs[slot + 1..slot + 1 + nargs];
                    let m = match methods.first() {
                        Some(m) if m.simple && methods.len() == 1 && m.sig.len() == nargs => Some(m),
                        // A function with only its native `Any...` method.
                        Some(m) if methods.len() == 1 && m.is_fallback() => Some(m),
                        _ => self.dcache.select(&self.world, *id, methods, args),
                    };
                    let Some(m) = m else {
                        let e = errors::method_error(callee.clone(), args);
                        fb.regs[slot] = callee;
                        return Err(flow_exc(e));
                    };
                    match &m.body {
                        MethodBody::Native(nf) => {
                            let nf = *nf;
                            fb.regs[slot] = callee;
                            let r = nf(self, &fb.regs[slot + 1..slot + 1 + nargs], kw.as_ref());
                            self.refresh();
                            match self.native_outcome(fb, slot, nargs, nf, r)? {
                                NativeOutcome::Done(done) => return Ok(done),
                                NativeOutcome::TailCall { nargs: n, kw: k } => {
                                    (nargs, kw) = (n, k);
                                    continue;
                                }
                            }
                        }
                        MethodBody::Jlx(c) => {
                            let closure = if c.captures.is_empty() { None } else { Some(c.clone()) };
                            let code = c.code;
                            fb.regs[slot] = callee;
                            (code, closure)
                        }
                    }
                }
                Value::Closure(c) => {
                    let code = c.code;
                    let closure = if c.captures.is_empty() { None } else { Some(c.clone()) };
                    let p = &code.proto;
                    let ok =
                        if p.vararg { nargs + 1 >= p.nparams as usize } else { nargs == p.nparams as usize };
                    fb.regs[slot] = callee;
                    if !ok {
                        let args = fb.regs[slot + 1..slot + 1 + nargs].to_vec();
                        return Err(flow_exc(errors::method_error(fb.regs[slot].clone(), &args)));
                    }
                    (code, closure)
                }
                Value::Type(t) => {
                    // User constructors first, then the built-in constructor.
                    let ctor = t.id().and_then(|id| self.world.types.get(id.0 as usize).and_then(|d| d.ctor));
                    // `T{P}(args...)`: a constructor method taking the applied
                    // type first (`Channel(::Type, sz)`) wins when there is one.
                    if let (Some(c), JType::Data(_, ps)) = (ctor, &**t) {
                        if !ps.is_empty() {
                            let mut all = Vec::with_capacity(nargs + 1);
                            all.push(callee.clone());
                            all.extend_from_slice(&fb.regs[slot + 1..slot + 1 + nargs]);
                            let methods = &self.world.funcs[c.0 as usize].methods;
                            if let Some(m) = dispatch::select(&self.world, methods, &all) {
                                if matches!(
                                    m.sig.first(),
                                    Some(JType::Data(tid::TYPE | tid::DATATYPE, _) | JType::TypeOf(_))
                                ) {
                                    nargs = self.place_call(fb, slot, Value::Func(c), all);
                                    continue;
                                }
                            }
                        }
                    }
                    let args = &fb.regs[slot + 1..slot + 1 + nargs];
                    let found = ctor.and_then(|c| {
                        dispatch::select(&self.world, &self.world.funcs[c.0 as usize].methods, args)
                            .map(|m| m.body.clone())
                    });
                    fb.regs[slot] = callee.clone();
                    match found {
                        Some(MethodBody::Jlx(c)) => {
                            let closure = if c.captures.is_empty() { None } else { Some(c.clone()) };
                            (c.code, closure)
                        }
                        _ => {
                            // __construct__(T, args...)
                            let mut all = Vec::with_capacity(nargs + 1);
                            all.push(callee.clone());
                            all.extend_from_slice(&fb.regs[slot + 1..slot + 1 + nargs]);
                            nargs = self.place_call(fb, slot, Value::Func(self.wk().construct), all);
                            continue;
                        }
                    }
                }
                other => {
                    // Callable objects: methods of `Base.__call__(obj, args...)`.
                    if let Some(call) = self.base_func("__call__") {
                        let mut all = Vec::with_capacity(nargs + 1);
                        all.push(other.clone());
                        all.extend_from_slice(&fb.regs[slot + 1..slot + 1 + nargs]);
                        nargs = self.place_call(fb, slot, Value::Func(call), all);
                        continue;
                    }
                    fb.regs[slot] = callee.clone();
                    let args = &fb.regs[slot + 1..slot + 1 + nargs];
                    return Err(flow_exc(errors::method_error(callee.clone(), args)));
                }
            };
            return self.push_frame(fb, slot, nargs, kw, ret, code, closure);
        }
    }

    /// What follows a native's return at `slot` (its `nargs` arguments
    /// after it): a value, a suspension (with `Flow::Retry`, the native runs
    /// again on resume), or a tail call placed at `slot`.
    fn native_outcome(
        &mut self,
        fb: &mut Fiber,
        slot: usize,
        nargs: usize,
        nf: crate::runtime::NativeFn,
        r: crate::runtime::NResult,
    ) -> Result<NativeOutcome, Value> {
        match r {
            Ok(v) => Ok(NativeOutcome::Done(Invoked::Value(v))),
            Err(Flow::Throw(e)) => Err(e),
            Err(Flow::Suspend) => Ok(NativeOutcome::Done(Invoked::Suspended)),
            Err(Flow::Retry) => {
                let (slot, nargs) = (slot as u32, nargs as u32);
                fb.retry = Some(crate::fiber::Retry { native: nf, slot, nargs });
                Ok(NativeOutcome::Done(Invoked::Suspended))
            }
            Err(Flow::Call(f, args, kw)) => {
                let nargs = self.place_call(fb, slot, f, args);
                Ok(NativeOutcome::TailCall { nargs, kw })
            }
        }
    }

    /// Fast path of a call: a generic function with one untyped jlx method
    /// and no captures, keywords or varargs (most user functions). Returns
    /// false to take the general path.
    #[inline(always)]
    fn push_simple(&mut self, fb: &mut Fiber, slot: usize, nargs: usize) -> bool {
        let Value::Func(id) = fb.regs[slot] else { return false };
        let Some(code) = self.simple_code(id, nargs) else { return false };
        if fb.frames.len() >= MAX_FRAMES {
            return false;
        }
        let base = slot + 1;
        fb.ensure(base + code.window + SCRATCH);
        fb.frames.push(Frame { code, pc: 0, base: base as u32, ret: slot as u32, closure: None });
        true
    }

    /// The code of a callee `push_simple` would push (see `FuncDef::fast`).
    #[inline(always)]
    fn simple_code(&self, id: FuncId, nargs: usize) -> Option<&'static Code> {
        match self.world.funcs[id.0 as usize].fast {
            Some(m) if m.nargs as usize == nargs => Some(m.code),
            _ => None,
        }
    }

    /// Put `f(args...)` at `slot` for a tail call; returns the argument count.
    fn place_call(&mut self, fb: &mut Fiber, slot: usize, f: Value, args: Vec<Value>) -> usize {
        let n = args.len();
        fb.ensure(slot + n + 2);
        fb.regs[slot] = f;
        for (i, a) in args.into_iter().enumerate() {
            fb.regs[slot + 1 + i] = a;
        }
        n
    }

    #[allow(clippy::too_many_arguments)]
    fn push_frame(
        &mut self,
        fb: &mut Fiber,
        slot: usize,
        nargs: usize,
        kw: Option<Value>,
        ret: usize,
        code: &'static Code,
        closure: Option<Arc<Closure>>,
    ) -> Result<Invoked, Value> {
        let p = &code.proto;
        let base = slot + 1;
        let np = p.nparams as usize;
        fb.ensure(base + code.window + np + SCRATCH);
        if p.vararg {
            let rest: Vec<Value> =
                fb.regs[base + np - 1..base + nargs].iter_mut().map(std::mem::take).collect();
            fb.regs[base + np - 1] = Value::tuple(rest);
        }
        if p.has_kw {
            fb.regs[base + np] = kw.unwrap_or(Value::Nothing);
        } else if let Some(k) = kw {
            let has_any = match &k {
                Value::Obj(o) => matches!(&**o, Obj::NamedTuple(n, _) if !n.is_empty()),
                _ => false,
            };
            if has_any {
                let args = fb.regs[base..base + nargs].to_vec();
                return Err(flow_exc(errors::kw_method_error(fb.regs[slot].clone(), &args, k)));
            }
        }
        if fb.frames.len() >= MAX_FRAMES {
            return Err(errors::exc(tid::STACKOVERFLOWERROR, vec![]));
        }
        fb.frames.push(Frame { code, pc: 0, base: base as u32, ret: ret as u32, closure });
        Ok(Invoked::Pushed)
    }

    /// Unwind to the innermost handler above `stop`; `None` means execution continues.
    fn unwind(&mut self, fb: &mut Fiber, e: Value, stop: usize, fresh: bool) -> Option<Halt> {
        if fresh {
            fb.record_throw(&e);
        } else {
            fb.record_rethrow(&e);
        }
        if let Some(h) = fb.handlers.last().copied() {
            if h.depth as usize > stop {
                fb.handlers.pop();
                fb.frames.truncate(h.depth as usize);
                let f = fb.frames.last_mut().expect("frame");
                f.pc = h.pc;
                fb.regs[h.exc as usize] = e;
                fb.regs[h.exc as usize + 1] = Value::Int(h.excs as i64);
                return None;
            }
        }
        fb.frames.truncate(stop);
        Some(fb.threw(e))
    }

    /// Execute until the frame count drops to `stop`.
    pub fn run(&mut self, fb: &mut Fiber, stop: usize) -> Halt {
        self.refresh();
        loop {
            if self.fuel == 0 {
                self.fuel = self.fuel_refill;
                return Halt::Preempted;
            }
            self.fuel -= 1;
            let fi = fb.frames.len() - 1;
            let (code, base) = {
                let f = &fb.frames[fi];
                (f.code, f.base as usize)
            };
            let mut pc = fb.frames[fi].pc as usize;
            let ops: &[Op] = code.ops;
            let exit = self.dispatch(fb, code, base, ops, &mut pc, stop);
            // Simple calls and returns stay inside `dispatch`, so the frame
            // that exited is the top one, not necessarily the one entered.
            let fi = fb.frames.len() - 1;
            let (code, base) = (fb.frames[fi].code, fb.frames[fi].base as usize);
            fb.frames[fi].pc = pc as u32;
            match exit {
                Exit::Call { slot, nargs, kw: None } if self.push_simple(fb, slot, nargs) => {}
                Exit::Call { slot, nargs, kw } => match self.invoke(fb, slot, nargs, kw, slot) {
                    Ok(Invoked::Pushed) => {}
                    Ok(Invoked::Value(v)) => fb.regs[slot] = v,
                    Ok(Invoked::Suspended) => {
                        fb.pending = slot as u32;
                        return Halt::Suspended;
                    }
                    Err(e) => {
                        if let Some(h) = self.unwind(fb, e, stop, true) {
                            return h;
                        }
                    }
                },
                Exit::Suspend { slot } => {
                    fb.pending = slot as u32;
                    return Halt::Suspended;
                }
                Exit::Native { slot, nargs, ret, native, outcome } => {
                    let started = match self.native_outcome(fb, slot, nargs, native, outcome) {
                        Ok(NativeOutcome::Done(d)) => Ok(d),
                        Ok(NativeOutcome::TailCall { nargs, kw }) => self.invoke(fb, slot, nargs, kw, ret),
                        Err(e) => Err(e),
                    };
                    match started {
                        Ok(Invoked::Pushed) => {}
                        Ok(Invoked::Value(v)) => fb.regs[ret] = v,
                        Ok(Invoked::Suspended) => {
                            fb.pending = ret as u32;
                            return Halt::Suspended;
                        }
                        Err(e) => {
                            if let Some(h) = self.unwind(fb, e, stop, true) {
                                return h;
                            }
                        }
                    }
                }
                Exit::Splat { slot } => {
                    let args = match std::mem::take(&mut fb.regs[slot + 1]) {
                        Value::Tuple(t) => t.0.to_vec(),
                        _ => vec![],
                    };
                    let kw = match std::mem::take(&mut fb.regs[slot + 2]) {
                        Value::Nothing => None,
                        k => Some(k),
                    };
                    let f = std::mem::take(&mut fb.regs[slot]);
                    let n = self.place_call(fb, slot, f, args);
                    match self.invoke(fb, slot, n, kw, slot) {
                        Ok(Invoked::Pushed) => {}
                        Ok(Invoked::Value(v)) => fb.regs[slot] = v,
                        Ok(Invoked::Suspended) => {
                            fb.pending = slot as u32;
                            return Halt::Suspended;
                        }
                        Err(e) => {
                            if let Some(h) = self.unwind(fb, e, stop, true) {
                                return h;
                            }
                        }
                    }
                }
                Exit::Preempt => return Halt::Preempted,
                Exit::Generic { f, nargs, ret } => {
                    let slot = base + code.window;
                    fb.regs[slot] = Value::Func(f);
                    match self.invoke(fb, slot, nargs, None, ret) {
                        Ok(Invoked::Pushed) => {}
                        Ok(Invoked::Value(v)) => fb.regs[ret] = v,
                        Ok(Invoked::Suspended) => {
                            fb.pending = ret as u32;
                            return Halt::Suspended;
                        }
                        Err(e) => {
                            if let Some(h) = self.unwind(fb, e, stop, true) {
                                return h;
                            }
                        }
                    }
                }
                Exit::Ret(v) => {
                    let f = fb.frames.pop().expect("frame");
                    scrub(fb.regs.iter_mut().skip(f.base as usize).take(f.code.window));
                    while fb.handlers.last().map(|h| h.depth as usize > fb.frames.len()).unwrap_or(false) {
                        fb.handlers.pop();
                    }
                    if fb.frames.len() <= stop {
                        return fb.finished(v);
                    }
                    put(&mut fb.regs[f.ret as usize], v);
                }
                Exit::Throw(e) => {
                    if let Some(h) = self.unwind(fb, e, stop, true) {
                        return h;
                    }
                }
                Exit::Rethrow(e) => {
                    if let Some(h) = self.unwind(fb, e, stop, false) {
                        return h;
                    }
                }
                Exit::KwMismatch { nparams } => {
                    // The callee sits just below the frame's window; the
                    // keywords follow the parameters.
                    let f = fb.regs[base - 1].clone();
                    let args = fb.regs[base..base + nparams].to_vec();
                    let kws = fb.regs[base + nparams].clone();
                    let e = flow_exc(errors::kw_method_error(f, &args, kws));
                    // Julia throws at the call site: the callee never ran.
                    fb.frames.pop();
                    if let Some(h) = self.unwind(fb, e, stop, true) {
                        return h;
                    }
                }
            }
        }
    }

    /// Put arguments for a generic fallback above the current frame.
    #[inline]
    fn generic<const N: usize>(
        &self,
        win: &mut [Value],
        code: &Code,
        f: FuncId,
        args: [Value; N],
        ret: usize,
    ) -> Exit {
        // The window has SCRATCH registers past `window` to stage the callee's arguments.
        let slot = code.window;
        for (i, a) in args.into_iter().enumerate() {
            set(&mut win[slot + 1 + i], a);
        }
        Exit::Generic { f, nargs: N, ret }
    }

    /// A generic fallback of the dispatch loop (`"k" * s`, `d[k] = v`,
    /// `iterate(x)`, ...): when the function's method for `args` is a
    /// native (`FuncDef::fast_native`, or every method is native and the
    /// dispatch cache picks one), call it here and store its result in
    /// `win[ret - base]` (`None`: the loop goes on in the same frame).
    /// Otherwise the exit that makes `run` finish the call.
    #[cold]
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn generic_native<const N: usize>(
        &mut self,
        win: &mut [Value],
        code: &Code,
        base: usize,
        f: FuncId,
        args: [Value; N],
        ret: usize,
    ) -> Option<Exit> {
        let Some(nf) = self.native_for(f, &args) else { return Some(self.generic(win, code, f, args, ret)) };
        self.fuel -= 1;
        let outcome = nf(self, &args, None);
        self.refresh();
        Self::finish_native(win, code, base, ret, nf, N, outcome, |win, slot| {
            for (i, a) in args.into_iter().enumerate() {
                set(&mut win[slot + 1 + i], a);
            }
        })
    }

    /// What the loop does with a native's `outcome` after calling it in
    /// place: store a value into `ret`, or leave with a throw; a
    /// suspension, retry or tail call leaves for `run`, which finishes it
    /// with the `n` arguments that `stage` copies to the registers after
    /// the caller's window (`win[slot + 1..]`, where a retry reads them).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn finish_native(
        win: &mut [Value],
        code: &Code,
        base: usize,
        ret: usize,
        native: crate::runtime::NativeFn,
        n: usize,
        outcome: Result<Value, Flow>,
        stage: impl FnOnce(&mut [Value], usize),
    ) -> Option<Exit> {
        match outcome {
            Ok(v) => {
                put(&mut win[ret - base], v);
                None
            }
            Err(Flow::Throw(e)) => Some(Exit::Throw(e)),
            outcome => {
                let slot = code.window;
                stage(win, slot);
                Some(Exit::Native { slot: base + slot, nargs: n, ret, native, outcome })
            }
        }
    }

    /// [`Vm::generic_native`] of `f(win[a], win[b])`: adjacent registers
    /// are passed to a native in place (no reference counts touched).
    /// Out of line, so the arithmetic arms of the loop stay small.
    #[cold]
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn generic_rr(
        &mut self,
        win: &mut [Value],
        code: &Code,
        base: usize,
        f: FuncId,
        a: usize,
        b: usize,
        ret: usize,
    ) -> Option<Exit> {
        if b == a + 1 {
            return self.generic_native_at(win, code, base, f, a, 2, ret);
        }
        let args = [win[a].clone(), win[b].clone()];
        self.generic_native(win, code, base, f, args, ret)
    }

    /// [`Vm::generic_native`] with the arguments in the registers
    /// `win[a..a + n]`, passed to a native in place.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    fn generic_native_at(
        &mut self,
        win: &mut [Value],
        code: &Code,
        base: usize,
        f: FuncId,
        a: usize,
        n: usize,
        ret: usize,
    ) -> Option<Exit> {
        let Some(nf) = self.native_for(f, &win[a..a + n]) else {
            stage_copies(win, a, code.window + 1, n);
            return Some(Exit::Generic { f, nargs: n, ret });
        };
        self.fuel -= 1;
        let outcome = nf(self, &win[a..a + n], None);
        self.refresh();
        Self::finish_native(win, code, base, ret, nf, n, outcome, |win, slot| {
            stage_copies(win, a, slot + 1, n)
        })
    }

    /// The native method a call of `f` on `args` runs, when the loop can
    /// call it in place: `f`'s only method is a native taking anything
    /// (`FuncDef::fast_native`), or the dispatch cache applies and picks a
    /// native (`all_native`/`by_tid`; a jlx method is then left to
    /// `invoke`, whose lookup hits the same cache entry). `None` also when
    /// the fuel is about to run out (the call goes through `run`).
    #[inline(always)]
    fn native_for(&mut self, f: FuncId, args: &[Value]) -> Option<crate::runtime::NativeFn> {
        if self.fuel <= 1 {
            return None;
        }
        let fd = &self.world.funcs[f.0 as usize];
        match fd.fast_native {
            Some(nf) => Some(nf),
            None if fd.all_native || fd.by_tid => {
                match self.dcache.select(&self.world, f, &fd.methods, args).map(|m| &m.body) {
                    Some(MethodBody::Native(nf)) => Some(*nf),
                    _ => None,
                }
            }
            None => None,
        }
    }

    /// The instruction loop for one frame; returns when control leaves the frame's straight-line code.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn dispatch(
        &mut self,
        fb: &mut Fiber,
        code: &'static Code,
        base: usize,
        ops: &'static [Op],
        pc_out: &mut usize,
        stop: usize,
    ) -> Exit {
        let (mut code, mut base, mut ops) = (code, base, ops);
        // The instruction pointer: `ops[pc]` is the next op to run.
        //
        // Invariant (what makes the unchecked reads through `ip` sound):
        // `ip` always points at an op of `ops`, the running code's ops. Its
        // code passed `jlx_bytecode::verify::verify` when it was loaded
        // (`code::load`), so every place control can go from an op (its
        // `verify::successors`: the next op, jump and handler targets,
        // `IterFirst`/`IterNext`'s step past the next op, `KwGet`'s skip)
        // indexes an op, and the last op is a terminator, so the op after
        // any non-terminator exists. `ip` is set (1) here, from a frame's
        // saved pc, checked below; (2) on a frame switch, to 0 of the
        // callee (verified code is not empty) or to the caller's saved pc
        // (which the Call arm saved: the op after the call, a successor);
        // (3) by an op to one of its successors: `ip + 1` once fetched, and
        // from there each arm moves it only along its op's successors (see
        // `verify::successors`, which lists exactly these moves). A fused
        // compare-and-branch op (`BrLt`, ...) moves to its resume op (the
        // next op, which its generic path reads), past it, or along the
        // resume op's jump. The arithmetic uses `wrapping_*`, so only the
        // reads rely on the invariant.
        assert!(*pc_out < ops.len(), "pc outside the code");
        let mut ip: *const Op = ops.as_ptr().wrapping_add(*pc_out);
        // The pc of `ip` (to save in a frame or hand back to `run`).
        macro_rules! pc {
            () => {
                (ip as usize - ops.as_ptr() as usize) / std::mem::size_of::<Op>()
            };
        }
        // The op at `ip`.
        macro_rules! at_ip {
            () => {{
                debug_assert!(pc!() < ops.len(), "ip outside the code");
                // SAFETY: `ip` points at an op of `ops` (invariant above).
                unsafe { &*ip }
            }};
        }
        let Fiber { regs, frames, handlers, excstack, thunk, .. } = fb;
        let mut win = Window::new(&mut regs[base..], code);
        macro_rules! r {
            ($x:expr) => {
                win[$x as usize]
            };
        }
        // Constant `k` of the running code; `k` must be a constant operand
        // of the running op.
        macro_rules! konst {
            ($k:expr) => {{
                // SAFETY: `$k` is a constant operand of an op of `code`,
                // which `code::load` verified (`Code::konst`'s contract).
                unsafe { code.konst($k as usize) }
            }};
        }
        macro_rules! throw {
            ($e:expr) => {{
                *pc_out = pc!();
                return Exit::Throw(flow_exc($e));
            }};
        }
        // A loop's backward jump (already taken): a safepoint when an
        // interrupt is pending, so `while true end` can be stopped.
        macro_rules! backedge {
            ($off:expr) => {
                if $off < 0 && crate::interrupt::pending() {
                    *pc_out = pc!();
                    return Exit::Preempt;
                }
            };
        }
        // The step of a `for` loop back to its body (`IterNext`,
        // `IterUnpackNext`: always a backward jump): the same safepoint, one
        // relaxed load, so `for i in 1:10^12 end` can be stopped too.
        macro_rules! loop_step {
            () => {
                if crate::interrupt::pending() {
                    *pc_out = pc!();
                    return Exit::Preempt;
                }
            };
        }
        // Call generic function `f` on `args` (an array of owned values),
        // result into the absolute register `ret`: a native method runs
        // here and the loop goes on, anything else leaves to `run`.
        macro_rules! generic {
            ($f:expr, $args:expr, $ret:expr) => {{
                let (f, args, ret) = ($f, $args, $ret);
                *pc_out = pc!();
                match self.generic_native(&mut win, code, base, f, args, ret) {
                    None => continue,
                    Some(exit) => return exit,
                }
            }};
        }
        // Call the generic function `wk.$f(x, y)` for operands the fast
        // path does not handle; its result goes to `R[dst]`.
        macro_rules! fallback {
            ($dst:expr, $f:ident, $x:expr, $y:expr) => {{
                let f = self.wk().$f;
                generic!(f, [$x, $y], base + $dst as usize)
            }};
        }
        // `wk.$f(R[a], R[b])`: operands in adjacent registers are passed
        // to a native in place (no reference counts touched).
        macro_rules! fallback_rr {
            ($dst:expr, $f:ident, $a:expr, $b:expr) => {{
                let f = self.wk().$f;
                *pc_out = pc!();
                match self.generic_rr(&mut win, code, base, f, $a as usize, $b as usize, base + $dst as usize)
                {
                    None => continue,
                    Some(exit) => return exit,
                }
            }};
        }
        // A comparison with a fast path for numbers (a comparison that
        // decides a jump is fused with it by the compiler: `compare_br!`).
        macro_rules! compare_rr {
            ($dst:expr, $a:expr, $b:expr, $cmp:ident, $f:ident) => {{
                let Some(t) = $cmp(&r!($a), &r!($b)) else { fallback_rr!($dst, $f, $a, $b) };
                put_bool(&mut r!($dst), t);
            }};
        }
        macro_rules! binop {
            ($dst:expr, $a:expr, $b:expr, $fast:expr, $f:ident) => {{
                let v = $fast(&r!($a), &r!($b));
                match v {
                    Some(v) => RegValue::store(v, &mut r!($dst)),
                    None => fallback_rr!($dst, $f, $a, $b),
                }
            }};
        }
        // `+ - *` on numbers: Int wraps, mixed operands promote to Float;
        // anything else calls the generic function.
        macro_rules! arith_rr {
            ($dst:expr, $a:expr, $b:expr, $iop:ident, $fop:tt, $f:ident) => {{
                match (&r!($a), &r!($b)) {
                    (Value::Int(x), Value::Int(y)) => {
                        let v = x.$iop(*y);
                        put_int(&mut r!($dst), v)
                    }
                    (Value::Float(x), Value::Float(y)) => {
                        let v = x $fop y;
                        put_float(&mut r!($dst), v)
                    }
                    (Value::Int(x), Value::Float(y)) => {
                        let v = (*x as f64) $fop y;
                        put_float(&mut r!($dst), v)
                    }
                    (Value::Float(x), Value::Int(y)) => {
                        let v = x $fop (*y as f64);
                        put_float(&mut r!($dst), v)
                    }
                    _ => fallback_rr!($dst, $f, $a, $b),
                }
            }};
        }
        // Constant-operand arithmetic (`..K`: R op K, `K..`: K op R).
        macro_rules! binop_k {
            ($dst:expr, $a:expr, $k:expr, $kleft:expr, $fast:expr, $f:ident) => {{
                let kv = konst!($k);
                let v = if $kleft { $fast(kv, &r!($a)) } else { $fast(&r!($a), kv) };
                match v {
                    Some(v) => RegValue::store(v, &mut r!($dst)),
                    None => {
                        let (x, y) =
                            if $kleft { (kv.clone(), r!($a).clone()) } else { (r!($a).clone(), kv.clone()) };
                        fallback!($dst, $f, x, y)
                    }
                }
            }};
        }
        // `+ - *` with a constant operand (see `arith!`).
        macro_rules! arith_k {
            ($dst:expr, $a:expr, $k:expr, $kleft:expr, $iop:ident, $fop:tt, $f:ident) => {
                binop_k!($dst, $a, $k, $kleft, |x: &Value, y: &Value| arith!(x, y, $iop, $fop), $f)
            };
        }
        // Constant-operand comparison.
        macro_rules! compare_k {
            ($dst:expr, $a:expr, $k:expr, $kleft:expr, $cmp:ident, $f:ident) => {{
                let kv = konst!($k);
                let res = if $kleft { $cmp(kv, &r!($a)) } else { $cmp(&r!($a), kv) };
                let Some(t) = res else {
                    let (x, y) =
                        if $kleft { (kv.clone(), r!($a).clone()) } else { (r!($a).clone(), kv.clone()) };
                    fallback!($dst, $f, x, y)
                };
                put_bool(&mut r!($dst), t);
            }};
        }
        // The cell of global `g`. One compare: a cell past the snapshot's
        // table was made since it was taken (refresh, then index checked).
        macro_rules! global_cell {
            ($g:expr) => {
                match self.world.cells.get($g as usize) {
                    Some(cell) => cell,
                    None => {
                        self.rt.refresh_world(&mut self.world);
                        &self.world.cells[$g as usize]
                    }
                }
            };
        }
        // `R[dst] = ` the value of `cell`, global `g`'s cell, which is not
        // a constant, or throw `UndefVarError`.
        macro_rules! get_global_var {
            ($dst:expr, $g:expr, $cell:expr) => {
                match $cell.get() {
                    Some(v) => put(&mut r!($dst), v),
                    None => {
                        let (m, name) = self.rt.names.name_of(jlx_bytecode::GlobalId($g));
                        throw!(Flow::Throw(errors::exc(
                            tid::UNDEFVARERROR,
                            vec![Value::Sym(name), Value::obj(Obj::Module(m))]
                        )))
                    }
                }
            };
        }
        // `R[dst] = global g`, or throw `UndefVarError`. Constants
        // (functions, types) are read without a lock.
        macro_rules! get_global {
            ($dst:expr, $g:expr) => {{
                let cell = global_cell!($g);
                match cell.konst.get() {
                    Some(Value::Func(f)) => put_func(&mut r!($dst), *f),
                    Some(v) => put_copy(&mut r!($dst), v),
                    None => get_global_var!($dst, $g, cell),
                }
            }};
        }
        // A fused compare-and-branch op (`Op::BrLt`, ...) whose fast path
        // gave `t`: `ip` is at the resume op; skip it, and jump by `off`
        // (from the op after it) when `t == when` (`true` for `Br..`,
        // `false` for `BrNot..`), as the resume op would.
        macro_rules! branch_on {
            ($t:expr, $when:expr, $off:expr) => {{
                ip = ip.wrapping_add(1);
                if $t == $when {
                    ip = ip.wrapping_offset($off as isize);
                    backedge!($off);
                }
            }};
        }
        // A fused comparison of two registers; without a fast path the
        // generic function's result goes to the resume op's register and the
        // loop continues at the resume op (`ip`).
        macro_rules! compare_br {
            ($a:expr, $b:expr, $when:expr, $off:expr, $cmp:ident, $f:ident) => {{
                match $cmp(&r!($a), &r!($b)) {
                    Some(t) => branch_on!(t, $when, $off),
                    None => {
                        let dst = resume_reg(at_ip!());
                        fallback_rr!(dst, $f, $a, $b)
                    }
                }
            }};
        }
        // A fused constant-operand comparison (see `compare_br!`).
        macro_rules! compare_br_k {
            ($a:expr, $k:expr, $kleft:expr, $when:expr, $off:expr, $cmp:ident, $f:ident) => {{
                let kv = konst!($k);
                let res = if $kleft { $cmp(kv, &r!($a)) } else { $cmp(&r!($a), kv) };
                match res {
                    Some(t) => branch_on!(t, $when, $off),
                    None => {
                        let dst = resume_reg(at_ip!());
                        let (x, y) =
                            if $kleft { (kv.clone(), r!($a).clone()) } else { (r!($a).clone(), kv.clone()) };
                        fallback!(dst, $f, x, y)
                    }
                }
            }};
        }
        // A call of `callee`, the simple jlx method of the function in (or
        // meant for) register `cb`: push its frame and go on in this loop,
        // unless the fuel or the frame stack runs out (then the code after
        // the macro makes the call, with the function in `cb`).
        macro_rules! push_simple {
            ($cb:expr, $callee:expr) => {{
                let (cb, callee): (u16, &'static Code) = ($cb, $callee);
                // One compare for the depth: `1 <= frames.len() <
                // MAX_FRAMES` (the running frame is on the stack, so
                // `last_mut` below needs no check either).
                if self.fuel > 1 && frames.len().wrapping_sub(1) < MAX_FRAMES - 1 {
                    self.fuel -= 1;
                    if let Some(f) = frames.last_mut() {
                        f.pc = pc!() as u32;
                    }
                    let slot = base + cb as usize;
                    let nbase = slot + 1;
                    let need = nbase + callee.window + SCRATCH;
                    if regs.len() < need {
                        grow_regs(regs, need);
                    }
                    frames.push(Frame {
                        code: callee,
                        pc: 0,
                        base: nbase as u32,
                        ret: slot as u32,
                        closure: None,
                    });
                    (code, base, ops) = (callee, nbase, callee.ops);
                    ip = ops.as_ptr();
                    win = Window::new(&mut regs[base..], code);
                    continue;
                }
            }};
        }
        // Any other call of the function in register `cb`: a native taking
        // any arguments runs here, anything else leaves to `run`.
        macro_rules! call_other {
            ($cb:expr, $nargs:expr) => {{
                let (cb, nargs): (u16, u16) = ($cb, $nargs);
                // A native taking any arguments: call it here.
                if self.fuel > 1 {
                    if let Value::Func(id) = r!(cb) {
                        let s = cb as usize;
                        let fd = &self.world.funcs[id.0 as usize];
                        let nf = match fd.fast_native {
                            Some(nf) => Some(nf),
                            // Only natives: select one here (no jlx frame to push).
                            // Natives chosen by the dispatch cache (a jlx
                            // method goes on to `invoke`, which hits the
                            // same entry).
                            None if fd.all_native || fd.by_tid => {
                                let args = &win[s + 1..s + 1 + nargs as usize];
                                match self.dcache.select(&self.world, id, &fd.methods, args).map(|m| &m.body)
                                {
                                    Some(MethodBody::Native(nf)) => Some(*nf),
                                    _ => None,
                                }
                            }
                            None => None,
                        };
                        if let Some(nf) = nf {
                            self.fuel -= 1;
                            let outcome = nf(self, &win[s + 1..s + 1 + nargs as usize], None);
                            self.refresh();
                            match outcome {
                                Ok(v) => put(&mut r!(cb), v),
                                Err(Flow::Suspend) => {
                                    // Nothing to drop (skips the drop glue call).
                                    std::mem::forget(outcome);
                                    if let Some(f) = frames.last_mut() {
                                        f.pc = pc!() as u32;
                                    }
                                    *pc_out = pc!();
                                    return Exit::Suspend { slot: base + s };
                                }
                                outcome => {
                                    if let Some(f) = frames.last_mut() {
                                        f.pc = pc!() as u32;
                                    }
                                    *pc_out = pc!();
                                    return Exit::Native {
                                        slot: base + s,
                                        nargs: nargs as usize,
                                        ret: base + s,
                                        native: nf,
                                        outcome,
                                    };
                                }
                            }
                            continue;
                        }
                    }
                }
                *pc_out = pc!();
                return Exit::Call { slot: base + cb as usize, nargs: nargs as usize, kw: None };
            }};
        }
        // The unpacking of `iterate`'s result in `R[a+1]` into the value
        // (`R[a+2]`) and the state (`R[a+1]`): `IterUnpack` after
        // `IterFirst` (`next` false: jump by `off` at the end) and
        // `IterUnpackNext` after `IterNext` (`next`: jump back by `off` to
        // the body unless at the end).
        macro_rules! iter_unpack {
            ($a:expr, $off:expr, $next:expr) => {{
                let (a, off, next): (u16, i32, bool) = ($a, $off, $next);
                match std::mem::take(&mut r!(a + 1)) {
                    Value::Nothing => {
                        if !next {
                            ip = ip.wrapping_offset(off as isize);
                        }
                    }
                    Value::Tuple(t) if t.0.len() == 2 => {
                        set(&mut r!(a + 2), t.0[0].clone());
                        set(&mut r!(a + 1), t.0[1].clone());
                        if next {
                            ip = ip.wrapping_offset(off as isize);
                            loop_step!();
                        }
                    }
                    other => throw!(errors::error(format!(
                        "iterate returned {} (expected `nothing` or a 2-tuple)",
                        crate::show::repr(self, &other)
                    ))),
                }
            }};
        }
        loop {
            let op: &Op = at_ip!();
            ip = ip.wrapping_add(1);
            match *op {
                Op::Move { dst, src } => {
                    let (d, sr) = (dst as usize, src as usize);
                    if d != sr {
                        let (lo, hi) = win.split_at_mut(d.max(sr));
                        if d < sr {
                            put_copy(&mut lo[d], &hi[0]);
                        } else {
                            put_copy(&mut hi[0], &lo[sr]);
                        }
                    }
                }
                Op::LoadNothing { dst } => set(&mut r!(dst), Value::Nothing),
                Op::LoadBool { dst, val } => put_bool(&mut r!(dst), val),
                Op::LoadInt { dst, val } => put_int(&mut r!(dst), val as i64),
                Op::LoadConst { dst, k } => put_copy(&mut r!(dst), konst!(k)),
                Op::GetGlobal { dst, g } => get_global!(dst, g),
                Op::SetGlobal { g, src } => {
                    if g as usize >= self.world.cells.len() {
                        self.rt.refresh_world(&mut self.world);
                    }
                    let cell = &self.world.cells[g as usize];
                    if cell.konst.get().is_some() {
                        let (_, name) = self.rt.names.name_of(jlx_bytecode::GlobalId(g));
                        throw!(errors::error(format!("invalid assignment to constant {name}")))
                    }
                    *cell.var.lock() = r!(src).clone();
                }
                Op::SetConstGlobal { g, src } => {
                    let v = r!(src).clone();
                    if self.rt.set_const(jlx_bytecode::GlobalId(g), v).is_err() {
                        let (_, name) = self.rt.names.name_of(jlx_bytecode::GlobalId(g));
                        throw!(errors::error(format!("invalid redefinition of constant {name}")))
                    }
                    self.refresh();
                }
                Op::GetCapture { dst, idx } => {
                    let v = match frames.last().and_then(|f| f.closure.as_ref()) {
                        Some(c) => &c.captures[idx as usize],
                        // The frame of a task's thunk (`start_thunk`).
                        None => thunk.get(idx as usize).unwrap_or(&Value::Undef),
                    };
                    if matches!(v, Value::Undef) {
                        throw!(undef_local(Sym::new("(captured)")))
                    }
                    put_copy(&mut r!(dst), v);
                }
                Op::NewBox { dst } => {
                    set(&mut r!(dst), Value::obj(Obj::Cell(parking_lot::Mutex::new(Value::Undef))))
                }
                Op::BoxGet { dst, boxr, name } => {
                    let v = match &r!(boxr) {
                        Value::Obj(o) => match &**o {
                            Obj::Cell(c) => c.lock().clone(),
                            _ => Value::Undef,
                        },
                        _ => Value::Undef,
                    };
                    if matches!(v, Value::Undef) {
                        let n = match &code.consts[name as usize] {
                            Value::Sym(s) => *s,
                            _ => Sym::new("?"),
                        };
                        throw!(undef_local(n))
                    }
                    set(&mut r!(dst), v);
                }
                Op::BoxSet { boxr, src } => {
                    let v = r!(src).clone();
                    if let Value::Obj(o) = &r!(boxr) {
                        if let Obj::Cell(c) = &**o {
                            *c.lock() = v;
                        }
                    }
                }
                Op::Closure { dst, proto, base: cb } => {
                    let child = code.children[proto as usize];
                    let n = child.proto.ncaptures as usize;
                    let caps = crate::obj::Captures::from_slice(&win[cb as usize..cb as usize + n]);
                    set(&mut r!(dst), Value::Closure(Arc::new(Closure { code: child, captures: caps })));
                }
                Op::CheckDefined { reg, name } => {
                    if matches!(r!(reg), Value::Undef) {
                        let n = match &code.consts[name as usize] {
                            Value::Sym(s) => *s,
                            _ => Sym::new("?"),
                        };
                        throw!(undef_local(n))
                    }
                }
                Op::Undef { reg } => set(&mut r!(reg), Value::Undef),
                Op::Add { dst, a, b } => arith_rr!(dst, a, b, wrapping_add, +, add),
                Op::Sub { dst, a, b } => arith_rr!(dst, a, b, wrapping_sub, -, sub),
                Op::Mul { dst, a, b } => arith_rr!(dst, a, b, wrapping_mul, *, mul),
                Op::Div { dst, a, b } => binop!(
                    dst,
                    a,
                    b,
                    |x: &Value, y: &Value| match (x, y) {
                        (Value::Int(x), Value::Int(y)) => Some(Num::F(*x as f64 / *y as f64)),
                        (Value::Float(x), Value::Float(y)) => Some(Num::F(x / y)),
                        (Value::Int(x), Value::Float(y)) => Some(Num::F(*x as f64 / y)),
                        (Value::Float(x), Value::Int(y)) => Some(Num::F(x / *y as f64)),
                        _ => None,
                    },
                    div
                ),
                Op::Rem { dst, a, b } => binop!(
                    dst,
                    a,
                    b,
                    |x: &Value, y: &Value| match (x, y) {
                        (Value::Int(x), Value::Int(y)) if *y != 0 => Some(Num::I(x.wrapping_rem(*y))),
                        (Value::Float(x), Value::Float(y)) => Some(Num::F(x % y)),
                        _ => None,
                    },
                    rem
                ),
                Op::IntDiv { dst, a, b } => binop!(
                    dst,
                    a,
                    b,
                    |x: &Value, y: &Value| match (x, y) {
                        (Value::Int(x), Value::Int(y)) if *y != 0 && !(*x == i64::MIN && *y == -1) => {
                            Some(Num::I(x / y))
                        }
                        _ => None,
                    },
                    intdiv
                ),
                Op::Pow { dst, a, b } => binop!(
                    dst,
                    a,
                    b,
                    |x: &Value, y: &Value| match (x, y) {
                        (Value::Float(x), Value::Float(y)) => Some(Num::F(x.powf(*y))),
                        (Value::Float(x), Value::Int(y))
                            if *y >= i32::MIN as i64 && *y <= i32::MAX as i64 =>
                        {
                            Some(Num::F(x.powi(*y as i32)))
                        }
                        (Value::Int(x), Value::Int(y)) if *y >= 0 => Some(Num::I(ipow(*x, *y))),
                        _ => None,
                    },
                    pow
                ),
                Op::Lt { dst, a, b } => compare_rr!(dst, a, b, cmp_lt, lt),
                Op::Le { dst, a, b } => compare_rr!(dst, a, b, cmp_le, le),
                Op::Eq { dst, a, b } => {
                    binop!(dst, a, b, |x: &Value, y: &Value| num_eq(x, y).map(Num::B), eq)
                }
                Op::Ne { dst, a, b } => match num_eq(&r!(a), &r!(b)) {
                    Some(t) => put_bool(&mut r!(dst), !t),
                    None => {
                        // a != b  ==  !(a == b): call ==, then negate via a follow-up.
                        let (x, y) = (r!(a).clone(), r!(b).clone());
                        let f = self.base_ne();
                        generic!(f, [x, y], base + dst as usize)
                    }
                },
                Op::Is { dst, a, b } => {
                    let t = r!(a).egal(&r!(b));
                    put_bool(&mut r!(dst), t);
                }
                Op::AddImm { dst, a, imm } => match &r!(a) {
                    Value::Int(x) => {
                        let v = x.wrapping_add(imm as i64);
                        put_int(&mut r!(dst), v)
                    }
                    Value::Float(x) => {
                        let v = x + imm as f64;
                        put_float(&mut r!(dst), v)
                    }
                    other => {
                        let x = other.clone();
                        let f = self.wk().add;
                        generic!(f, [x, Value::Int(imm as i64)], base + dst as usize)
                    }
                },
                Op::BitAnd { dst, a, b } => binop!(dst, a, b, bit_and, band),
                Op::BitOr { dst, a, b } => binop!(dst, a, b, bit_or, bor),
                Op::BitXor { dst, a, b } => binop!(dst, a, b, bit_xor, bxor),
                Op::Shl { dst, a, b } => binop!(dst, a, b, shift_left, shl),
                Op::Shr { dst, a, b } => binop!(dst, a, b, shift_right, shr),
                Op::UShr { dst, a, b } => binop!(dst, a, b, shift_right_logical, ushr),
                Op::AddK { dst, a, k } => arith_k!(dst, a, k, false, wrapping_add, +, add),
                Op::SubK { dst, a, k } => arith_k!(dst, a, k, false, wrapping_sub, -, sub),
                Op::MulK { dst, a, k } => arith_k!(dst, a, k, false, wrapping_mul, *, mul),
                Op::DivK { dst, a, k } => binop_k!(dst, a, k, false, float_div, div),
                Op::KAdd { dst, a, k } => arith_k!(dst, a, k, true, wrapping_add, +, add),
                Op::KSub { dst, a, k } => arith_k!(dst, a, k, true, wrapping_sub, -, sub),
                Op::KMul { dst, a, k } => arith_k!(dst, a, k, true, wrapping_mul, *, mul),
                Op::KDiv { dst, a, k } => binop_k!(dst, a, k, true, float_div, div),
                Op::RemK { dst, a, k } => binop_k!(
                    dst,
                    a,
                    k,
                    false,
                    |x: &Value, y: &Value| match (x, y) {
                        (Value::Int(x), Value::Int(y)) if *y != 0 => Some(Num::I(x.wrapping_rem(*y))),
                        (Value::Float(x), Value::Float(y)) => Some(Num::F(x % y)),
                        _ => None,
                    },
                    rem
                ),
                Op::EqK { dst, a, k } => compare_k!(dst, a, k, false, num_eq, eq),
                Op::NeK { dst, a, k } => match num_eq(&r!(a), konst!(k)) {
                    Some(t) => put_bool(&mut r!(dst), !t),
                    None => {
                        let (x, y) = (r!(a).clone(), code.consts[k as usize].clone());
                        let f = self.base_ne();
                        generic!(f, [x, y], base + dst as usize)
                    }
                },
                Op::LtK { dst, a, k } => compare_k!(dst, a, k, false, cmp_lt, lt),
                Op::LeK { dst, a, k } => compare_k!(dst, a, k, false, cmp_le, le),
                Op::GtK { dst, a, k } => compare_k!(dst, a, k, true, cmp_lt, lt),
                Op::GeK { dst, a, k } => compare_k!(dst, a, k, true, cmp_le, le),
                Op::BrLt { a, b, off } => compare_br!(a, b, true, off, cmp_lt, lt),
                Op::BrNotLt { a, b, off } => compare_br!(a, b, false, off, cmp_lt, lt),
                Op::BrLe { a, b, off } => compare_br!(a, b, true, off, cmp_le, le),
                Op::BrNotLe { a, b, off } => compare_br!(a, b, false, off, cmp_le, le),
                Op::BrLtK { a, k, off } => compare_br_k!(a, k, false, true, off, cmp_lt, lt),
                Op::BrNotLtK { a, k, off } => compare_br_k!(a, k, false, false, off, cmp_lt, lt),
                Op::BrLeK { a, k, off } => compare_br_k!(a, k, false, true, off, cmp_le, le),
                Op::BrNotLeK { a, k, off } => compare_br_k!(a, k, false, false, off, cmp_le, le),
                Op::BrGtK { a, k, off } => compare_br_k!(a, k, true, true, off, cmp_lt, lt),
                Op::BrNotGtK { a, k, off } => compare_br_k!(a, k, true, false, off, cmp_lt, lt),
                Op::BrGeK { a, k, off } => compare_br_k!(a, k, true, true, off, cmp_le, le),
                Op::BrNotGeK { a, k, off } => compare_br_k!(a, k, true, false, off, cmp_le, le),
                Op::Neg { dst, src } => match &r!(src) {
                    Value::Int(x) => {
                        let v = x.wrapping_neg();
                        put_int(&mut r!(dst), v)
                    }
                    Value::Float(x) => {
                        let v = -x;
                        put_float(&mut r!(dst), v)
                    }
                    other => {
                        let x = other.clone();
                        let f = self.wk().neg;
                        generic!(f, [x], base + dst as usize)
                    }
                },
                Op::Not { dst, src } => match &r!(src) {
                    Value::Bool(b) => {
                        let v = !b;
                        put_bool(&mut r!(dst), v)
                    }
                    other => {
                        let x = other.clone();
                        let f = self.wk().not;
                        generic!(f, [x], base + dst as usize)
                    }
                },
                Op::Jmp { off } => {
                    ip = ip.wrapping_offset(off as isize);
                    backedge!(off);
                }
                Op::JmpIf { cond, off } => match &r!(cond) {
                    Value::Bool(true) => {
                        ip = ip.wrapping_offset(off as isize);
                        backedge!(off);
                    }
                    Value::Bool(false) => {}
                    other => throw!(errors::non_boolean(other)),
                },
                Op::JmpIfNot { cond, off } => match &r!(cond) {
                    Value::Bool(false) => ip = ip.wrapping_offset(off as isize),
                    Value::Bool(true) => {}
                    other => throw!(errors::non_boolean(other)),
                },
                Op::CallGlobal { base: cb, nargs, g } => {
                    // A constant global function's simple method is called
                    // without storing the function in `cb` (nothing reads it
                    // while the callee runs, and its return value lands
                    // there); every other path finds the function in `cb`.
                    // The world's call cache has that method when an earlier
                    // call found it.
                    let simple = match self.world.calls.get(g as usize) {
                        Some(&Some(e)) if e.nargs == nargs as u32 => Some(e),
                        _ => {
                            let cell = global_cell!(g as u32);
                            match cell.konst.get() {
                                Some(&Value::Func(id)) => match self.simple_code(id, nargs as usize) {
                                    Some(code) => {
                                        Some(self.world.cache_call(g as u32, id, code, nargs as u32))
                                    }
                                    None => {
                                        put_func(&mut r!(cb), id);
                                        None
                                    }
                                },
                                Some(v) => {
                                    put_copy(&mut r!(cb), v);
                                    None
                                }
                                None => {
                                    get_global_var!(cb, g as u32, cell);
                                    None
                                }
                            }
                        }
                    };
                    if let Some(e) = simple {
                        push_simple!(cb, e.code);
                        put_func(&mut r!(cb), e.func);
                    }
                    call_other!(cb, nargs)
                }
                Op::Call { base: cb, nargs } => {
                    if let Value::Func(id) = r!(cb) {
                        if let Some(callee) = self.simple_code(id, nargs as usize) {
                            push_simple!(cb, callee);
                        }
                    }
                    call_other!(cb, nargs)
                }
                Op::CallKw { base: cb, nargs } => {
                    let kw = std::mem::take(&mut r!(cb as usize + nargs as usize + 1));
                    *pc_out = pc!();
                    return Exit::Call { slot: base + cb as usize, nargs: nargs as usize, kw: Some(kw) };
                }
                Op::CallSplat { base: cb } => {
                    *pc_out = pc!();
                    return Exit::Splat { slot: base + cb as usize };
                }
                Op::Ret { src } => {
                    // Back to a caller frame of this run: continue it here.
                    if frames.len() > stop + 1 {
                        // The result moves out whole (its register is left
                        // `nothing`, which the release scan passes over).
                        let v = take(&mut r!(src));
                        win.release_heap(code);
                        let Some(Frame { ret, closure, .. }) = frames.pop() else {
                            unreachable!("a returning frame")
                        };
                        if code.has_handlers {
                            while handlers.last().is_some_and(|h| h.depth as usize > frames.len()) {
                                handlers.pop();
                            }
                        }
                        let Some(cf) = frames.last() else { unreachable!("the caller's frame") };
                        (code, base) = (cf.code, cf.base as usize);
                        ops = code.ops;
                        ip = ops.as_ptr().wrapping_add(cf.pc as usize);
                        set(&mut regs[ret as usize], v);
                        drop(closure);
                        win = Window::new(&mut regs[base..], code);
                        continue;
                    }
                    *pc_out = pc!();
                    return Exit::Ret(take(&mut r!(src)));
                }
                Op::GetField { dst, obj, name } => {
                    let Value::Sym(s) = code.consts[name as usize] else { unreachable!("field name") };
                    match crate::fields::get_field(self, &r!(obj), s) {
                        Ok(v) => set(&mut r!(dst), v),
                        Err(e) => throw!(e),
                    }
                }
                Op::SetField { obj, name, src } => {
                    let Value::Sym(s) = code.consts[name as usize] else { unreachable!("field name") };
                    let v = r!(src).clone();
                    if let Err(e) = crate::fields::set_field(self, &r!(obj), s, v) {
                        throw!(e)
                    }
                }
                Op::GetIndex { dst, obj, idx } => {
                    if let Some(n) = crate::index::get_scalar(&r!(obj), &r!(idx)) {
                        n.store(&mut r!(dst));
                        continue;
                    }
                    match crate::index::get_general(&r!(obj), &r!(idx)) {
                        Some(Ok(v)) => put(&mut r!(dst), v),
                        Some(Err(e)) => throw!(e),
                        None => {
                            let (x, y) = (r!(obj).clone(), r!(idx).clone());
                            let f = self.wk().getindex;
                            generic!(f, [x, y], base + dst as usize)
                        }
                    }
                }
                Op::SetIndex { obj, idx, src } => {
                    let fast = crate::index::set_fast(&r!(obj), &r!(idx), &r!(src));
                    match fast {
                        Some(Ok(())) => {}
                        Some(Err(e)) => throw!(e),
                        None => {
                            let (x, v, i) = (r!(obj).clone(), r!(src).clone(), r!(idx).clone());
                            let f = self.wk().setindex;
                            let scratch = base + code.proto.nregs as usize - 1;
                            generic!(f, [x, v, i], scratch)
                        }
                    }
                }
                Op::GetRef { dst, obj } => {
                    if let Value::Obj(o) = &r!(obj) {
                        if let Obj::Ref(_, cell) = &**o {
                            let v = cell.lock().clone();
                            put(&mut r!(dst), v);
                            continue;
                        }
                    }
                    let x = r!(obj).clone();
                    let f = self.wk().getindex;
                    generic!(f, [x], base + dst as usize)
                }
                Op::SetRef { obj, src } => {
                    if let Value::Obj(o) = &r!(obj) {
                        if let Obj::Ref(t, cell) = &**o {
                            if crate::typesys::holds_as_is(t, &r!(src)) {
                                let v = r!(src).clone();
                                *cell.lock() = v;
                                continue;
                            }
                        }
                    }
                    let (x, v) = (r!(obj).clone(), r!(src).clone());
                    let f = self.wk().setindex;
                    let scratch = base + code.proto.nregs as usize - 1;
                    generic!(f, [x, v], scratch)
                }
                Op::Tuple { dst, base: tb, n } => {
                    let items: Vec<Value> = win[tb as usize..tb as usize + n as usize].to_vec();
                    set(&mut r!(dst), Value::tuple(items));
                }
                Op::Vect { dst, base: tb, n } => {
                    let items: Vec<Value> = win[tb as usize..tb as usize + n as usize].to_vec();
                    set(&mut r!(dst), crate::arrays::vector_from_values(&self.world, items, None));
                }
                Op::Splat { dst, src } => {
                    let extra = match crate::iter::collect_native(&r!(src)) {
                        Some(v) => v,
                        None => {
                            throw!(errors::argument_error("cannot splat this value (not iterable natively)"))
                        }
                    };
                    let mut items = match &r!(dst) {
                        Value::Tuple(t) => t.0.to_vec(),
                        _ => vec![],
                    };
                    items.extend(extra);
                    set(&mut r!(dst), Value::tuple(items));
                }
                Op::Push { dst, src } => {
                    let mut items = match &r!(dst) {
                        Value::Tuple(t) => t.0.to_vec(),
                        _ => vec![],
                    };
                    items.push(r!(src).clone());
                    set(&mut r!(dst), Value::tuple(items));
                }
                Op::IterFirst { a, off } => {
                    // A unit range's end goes to `R[a+3]` for `IterNext`.
                    match unit_range_end(&r!(a)) {
                        Some(end) => put_int(&mut r!(a + 3), end),
                        None => set(&mut r!(a + 3), Value::Nothing),
                    }
                    match crate::iter::first(&r!(a)) {
                        crate::iter::Step::Item(v, s) => {
                            put(&mut r!(a + 2), v);
                            put(&mut r!(a + 1), s);
                            ip = ip.wrapping_add(1);
                        }
                        crate::iter::Step::Done => ip = ip.wrapping_offset(off as isize),
                        crate::iter::Step::Generic => {
                            if let Some(v) = crate::natives::channels::pop_item(self, &r!(a)) {
                                set(&mut r!(a + 2), v);
                                set(&mut r!(a + 1), Value::Nothing);
                                ip = ip.wrapping_add(1);
                                continue;
                            }
                            let x = r!(a).clone();
                            let f = self.wk().iterate;
                            generic!(f, [x], base + a as usize + 1)
                        }
                    }
                }
                Op::IterUnpack { a, off } => iter_unpack!(a, off, false),
                Op::IterUnpackNext { a, off } => iter_unpack!(a, off, true),
                // `for i in a:b`: count from the Int state to the range's end
                // (in `R[a+3]` since `IterFirst`); no `Step` round trip.
                Op::IterNext { a, off }
                    if matches!((&r!(a + 3), &r!(a + 1)), (Value::Int(_), Value::Int(_))) =>
                {
                    let (Value::Int(end), Value::Int(s)) = (&r!(a + 3), &r!(a + 1)) else { continue };
                    let (end, s) = (*end, *s);
                    if s < end {
                        let i = s + 1;
                        put_int(&mut r!(a + 2), i);
                        put_int(&mut r!(a + 1), i);
                        ip = ip.wrapping_offset(off as isize);
                        loop_step!();
                    } else {
                        ip = ip.wrapping_add(1);
                    }
                }
                Op::IterNext { a, off } => match crate::iter::next(&r!(a), &r!(a + 1)) {
                    crate::iter::Step::Item(v, s) => {
                        put(&mut r!(a + 2), v);
                        put(&mut r!(a + 1), s);
                        ip = ip.wrapping_offset(off as isize);
                        loop_step!();
                    }
                    crate::iter::Step::Done => ip = ip.wrapping_add(1),
                    crate::iter::Step::Generic => {
                        if let Some(v) = crate::natives::channels::pop_item(self, &r!(a)) {
                            set(&mut r!(a + 2), v);
                            set(&mut r!(a + 1), Value::Nothing);
                            ip = ip.wrapping_offset(off as isize);
                            loop_step!();
                            continue;
                        }
                        let (x, s) = (r!(a).clone(), r!(a + 1).clone());
                        let f = self.wk().iterate;
                        generic!(f, [x, s], base + a as usize + 1)
                    }
                },
                Op::Unpack { dst, src, idx } => match crate::iter::unpack(&r!(src), idx as usize) {
                    Some(Ok(v)) => set(&mut r!(dst), v),
                    Some(Err(e)) => throw!(e),
                    None => {
                        let x = r!(src).clone();
                        let f = self.wk().unpack;
                        generic!(f, [x, Value::Int(idx as i64)], base + dst as usize)
                    }
                },
                Op::PushHandler { exc, off } => {
                    let target = (pc!() as i64 + off as i64) as u32;
                    handlers.push(Handler {
                        depth: frames.len() as u32,
                        pc: target,
                        exc: (base + exc as usize) as u32,
                        excs: excstack.len() as u32,
                    });
                }
                Op::PopHandler => {
                    handlers.pop();
                }
                Op::ExcRestore { src } => {
                    if let Value::Int(h) = r!(src) {
                        excstack.truncate(h as usize);
                    }
                }
                Op::Throw { src } => {
                    *pc_out = pc!();
                    return Exit::Throw(r!(src).clone());
                }
                Op::Rethrow { src } => {
                    *pc_out = pc!();
                    return Exit::Rethrow(r!(src).clone());
                }
                Op::KwGet { dst, name, skip } => {
                    let Value::Sym(s) = code.consts[name as usize] else { unreachable!("kw name") };
                    let np = code.proto.nparams as usize;
                    if let Some(v) = crate::fields::namedtuple_get(&r!(np), s) {
                        set(&mut r!(dst), v);
                        ip = ip.wrapping_add(skip as usize);
                    }
                }
                Op::KwRest { dst, names } => {
                    let np = code.proto.nparams as usize;
                    let rest = crate::fields::namedtuple_without(&r!(np), &code.consts[names as usize]);
                    set(&mut r!(dst), rest);
                }
                Op::KwCheck { names } => {
                    let np = code.proto.nparams as usize;
                    if crate::fields::namedtuple_extra(&r!(np), &code.consts[names as usize]).is_some() {
                        *pc_out = pc!();
                        return Exit::KwMismatch { nparams: np };
                    }
                }
            }
        }
    }

    fn base_ne(&mut self) -> FuncId {
        self.base_func("!=").expect("Base.!=")
    }
}

/// Store an Int into a register. Writing the payload alone when the
/// register already holds an Int (the common case in loops) keeps each
/// store the same width as the loads that read it back, so the CPU can
/// forward it: building a whole `Value` on the stack and copying it as one
/// 16-byte move stalls every following read of the register.
#[inline(always)]
fn put_int(slot: &mut Value, x: i64) {
    match slot {
        Value::Int(p) => *p = x,
        _ => set(slot, Value::Int(x)),
    }
}

/// Store a Float into a register (see [`put_int`]).
#[inline(always)]
fn put_float(slot: &mut Value, x: f64) {
    match slot {
        Value::Float(p) => *p = x,
        _ => set(slot, Value::Float(x)),
    }
}

/// Store a Bool into a register (see [`put_int`]).
#[inline(always)]
fn put_bool(slot: &mut Value, x: bool) {
    match slot {
        Value::Bool(p) => *p = x,
        _ => set(slot, Value::Bool(x)),
    }
}

/// Copy the registers `win[from..from + n]` to `win[to..to + n]` (the
/// staging area of a call that leaves the loop).
fn stage_copies(win: &mut [Value], from: usize, to: usize, n: usize) {
    for i in 0..n {
        let v = win[from + i].clone();
        set(&mut win[to + i], v);
    }
}

/// Make the register file at least `need` long (at least doubling it).
#[cold]
#[inline(never)]
fn grow_regs(regs: &mut Vec<Value>, need: usize) {
    let n = need.max(regs.len() * 2);
    regs.resize(n, Value::Nothing);
}

/// Store a function handle into a register (see [`put_int`]).
#[inline(always)]
fn put_func(slot: &mut Value, f: FuncId) {
    match slot {
        Value::Func(p) => *p = f,
        _ => set(slot, Value::Func(f)),
    }
}

/// Copy `v` into a register field by field (see [`put_int`]): each arm
/// writes the tag and the payload itself, so no freshly built `Value`
/// is copied as one 16-byte move.
#[inline(always)]
fn put_copy(slot: &mut Value, v: &Value) {
    match v {
        Value::Int(x) => put_int(slot, *x),
        Value::Float(x) => put_float(slot, *x),
        Value::Bool(x) => put_bool(slot, *x),
        Value::Func(f) => set(slot, Value::Func(*f)),
        Value::Nothing => set(slot, Value::Nothing),
        Value::Str(p) => set(slot, Value::Str(p.clone())),
        Value::Array(p) => set(slot, Value::Array(p.clone())),
        Value::Tuple(p) => set(slot, Value::Tuple(p.clone())),
        Value::Closure(p) => set(slot, Value::Closure(p.clone())),
        Value::Obj(p) => set(slot, Value::Obj(p.clone())),
        other => set(slot, other.clone()),
    }
}

/// The last element of a unit range `a:b`; `None` if `c` is not one.
#[inline(always)]
fn unit_range_end(c: &Value) -> Option<i64> {
    match c {
        Value::Obj(o) => match &**o {
            Obj::Range(crate::obj::Range::Unit(_, b)) => Some(*b),
            _ => None,
        },
        _ => None,
    }
}

/// A fast path's result, stored into a register field by field.
trait RegValue {
    fn store(self, slot: &mut Value);
}

impl RegValue for Num {
    #[inline(always)]
    fn store(self, slot: &mut Value) {
        match self {
            Num::I(x) => put_int(slot, x),
            Num::F(x) => put_float(slot, x),
            Num::B(x) => put_bool(slot, x),
        }
    }
}

impl RegValue for Value {
    #[inline(always)]
    fn store(self, slot: &mut Value) {
        put(slot, self)
    }
}

/// Take a register's value, reading scalars field by field (see [`put_int`]).
#[inline(always)]
fn take(slot: &mut Value) -> Value {
    match *slot {
        Value::Int(x) => Value::Int(x),
        Value::Float(x) => Value::Float(x),
        Value::Bool(x) => Value::Bool(x),
        _ => std::mem::take(slot),
    }
}

/// Move `v` into a register field by field (see [`put_copy`]).
#[inline(always)]
fn put(slot: &mut Value, v: Value) {
    match v {
        Value::Int(x) => put_int(slot, x),
        Value::Float(x) => put_float(slot, x),
        Value::Bool(x) => put_bool(slot, x),
        Value::Nothing => set(slot, Value::Nothing),
        Value::Str(p) => set(slot, Value::Str(p)),
        Value::Array(p) => set(slot, Value::Array(p)),
        Value::Tuple(p) => set(slot, Value::Tuple(p)),
        Value::Closure(p) => set(slot, Value::Closure(p)),
        Value::Obj(p) => set(slot, Value::Obj(p)),
        other => set(slot, other),
    }
}

/// Release what a returning frame's registers hold on the heap. Scalars
/// may stay: no register is read before it is written (jlx-compiler's
/// `opt` assumes nothing of a frame's registers at entry but its
/// parameters, and locals that may be unassigned get an explicit `Undef`).
#[inline(always)]
fn scrub<'a>(regs: impl Iterator<Item = &'a mut Value>) {
    for r in regs {
        if !r.is_scalar() {
            *r = Value::Nothing;
        }
    }
}

#[inline]
fn flow_exc(f: Flow) -> Value {
    match f {
        Flow::Throw(e) => e,
        Flow::Call(..) => errors::exc(tid::ERROREXCEPTION, vec![Value::str("internal: unexpected call")]),
        Flow::Suspend | Flow::Retry => cannot_switch(),
    }
}

#[cold]
/// A task switch requested where the VM cannot suspend (inside a
/// native's nested call).
fn cannot_switch() -> Value {
    errors::exc(
        tid::ERROREXCEPTION,
        vec![Value::str("task switch not allowed from inside a native callback")],
    )
}

fn undef_local(name: Sym) -> Flow {
    Flow::Throw(errors::exc(tid::UNDEFVARERROR, vec![Value::Sym(name), Value::Sym(Sym::new("local"))]))
}

/// Int power with wrapping, by squaring.
pub fn ipow(mut b: i64, mut e: i64) -> i64 {
    let mut r: i64 = 1;
    while e > 0 {
        if e & 1 == 1 {
            r = r.wrapping_mul(b);
        }
        b = b.wrapping_mul(b);
        e >>= 1;
    }
    r
}
