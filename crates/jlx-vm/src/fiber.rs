//! A fiber: the heap-allocated execution state of one task — one register
//! file, a frame list and an exception-handler list. A jlx call pushes a
//! [`Frame`] and the interpreter loop continues; nothing recurses on the
//! Rust stack, so a fiber can be suspended between any two instructions.
//!
//! Invariants: frame `i`'s registers are `regs[base .. base + nregs]`, and a
//! callee's window starts right after its caller's call slot; a handler's
//! `depth` is the frame count when it was installed, `excs` the height of
//! the exception stack then.

use crate::code::Code;
use crate::obj::Closure;
use crate::value::{set, Value};
use std::sync::Arc;

#[derive(Debug)]
pub struct Frame {
    pub code: &'static Code,
    pub pc: u32,
    pub base: u32,
    /// Absolute register receiving the return value.
    pub ret: u32,
    pub closure: Option<Arc<Closure>>,
}

#[derive(Debug, Clone, Copy)]
pub struct Handler {
    pub depth: u32,
    pub pc: u32,
    /// Absolute register receiving the exception (the next one receives `excs`).
    pub exc: u32,
    /// The height of `Fiber::excstack` when the handler was installed.
    pub excs: u32,
}

/// A backtrace: (code, pc) innermost first.
pub type Backtrace = Vec<(&'static Code, u32)>;

/// One exception of Julia's exception stack and where it was thrown.
#[derive(Debug, Clone)]
pub struct ExcEntry {
    pub exc: Value,
    pub bt: Arc<[(&'static Code, u32)]>,
}

/// The most registers a recycled fiber keeps (a deep recursion's register
/// file is not kept for every later task).
pub const RECYCLED_REGS: usize = 256;

#[derive(Debug, Default)]
pub struct Fiber {
    pub regs: Vec<Value>,
    pub frames: Vec<Frame>,
    pub handlers: Vec<Handler>,
    /// Where the exception in flight was first thrown: (code, pc) innermost first.
    pub backtrace: Backtrace,
    /// Julia's exception stack: every exception thrown and not yet left
    /// behind by the end of the `catch` that caught it, oldest first.
    pub excstack: Vec<ExcEntry>,
    /// While suspended: the absolute register that receives the value the
    /// fiber is resumed with (the destination of the blocking call).
    pub pending: u32,
    /// While suspended by `Flow::Retry`: the native call to repeat on resume.
    pub retry: Option<Retry>,
    /// After `Halt::Finished`: the return value; after `Halt::Threw`: the
    /// exception (take it).
    pub outcome: Value,
    /// The captures of the thunk the fiber's task was started from
    /// (`TaskFunc::Thunk`, `Vm::start_thunk`): its frame has no closure and
    /// `GetCapture` reads them here, without locking the task (which keeps
    /// its own copy for `t.code`). `nothing` otherwise.
    pub thunk: [Value; crate::obj::INLINE_CAPTURES],
}

/// A native call to repeat (`Flow::Retry`): the native, the register of
/// its callee (the arguments follow it) and the argument count.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    pub native: crate::runtime::NativeFn,
    pub slot: u32,
    pub nargs: u32,
}

impl Fiber {
    pub fn new() -> Fiber {
        Fiber::default()
    }

    /// Halt with the return value `v`.
    pub fn finished(&mut self, v: Value) -> Halt {
        self.outcome = v;
        Halt::Finished
    }

    /// Halt with the uncaught exception `e`.
    pub fn threw(&mut self, e: Value) -> Halt {
        self.outcome = e;
        Halt::Threw
    }

    /// Make a finished task's fiber ready for the next task: everything it
    /// held on the heap is released, but the register file keeps its length
    /// (up to [`RECYCLED_REGS`]), so the next task's frames need no resize.
    /// Scalars left in registers are harmless: no register is read before
    /// it is written (the compiler's definite-assignment rules assume only
    /// the parameters at entry).
    pub fn recycle(&mut self) {
        self.regs.truncate(RECYCLED_REGS);
        // One pass, register by register: a block scan (`window.rs`) cost
        // more here, when a finished task's first block always held a heap
        // value (the task's function in register 0; a thunk's is `nothing`).
        for r in &mut self.regs {
            if !r.is_scalar() {
                *r = Value::Nothing;
            }
        }
        self.frames.clear();
        self.handlers.clear();
        self.backtrace.clear();
        self.excstack.clear();
        self.retry = None;
        self.outcome = Value::Nothing;
        for r in &mut self.thunk {
            if !r.is_scalar() {
                *r = Value::Nothing;
            }
        }
    }

    /// Hold the captures of the thunk the fiber's task starts from.
    #[inline]
    pub fn set_thunk(&mut self, a: Value, b: Value) {
        // A fresh or recycled fiber holds only scalars here: no drop glue.
        let [x, y] = &mut self.thunk;
        set(x, a);
        set(y, b);
    }

    /// Make sure registers up to `n` exist.
    #[inline]
    pub fn ensure(&mut self, n: usize) {
        if self.regs.len() < n {
            self.regs.resize(n.max(self.regs.len() * 2), Value::Nothing);
        }
    }

    /// Record the current call stack as the exception's backtrace.
    pub fn capture_backtrace(&mut self) {
        self.backtrace = self.frames.iter().rev().map(|f| (f.code, f.pc.saturating_sub(1))).collect();
    }

    /// A fresh throw of `e`: record its backtrace and push it on the exception stack.
    pub fn record_throw(&mut self, e: &Value) {
        self.capture_backtrace();
        self.excstack.push(ExcEntry { exc: e.clone(), bt: self.backtrace.as_slice().into() });
    }

    /// A rethrow of `e` (Julia's `rethrow`/`rethrow(e)`): it replaces the
    /// exception on top of the stack and keeps that one's backtrace.
    pub fn record_rethrow(&mut self, e: &Value) {
        match self.excstack.last_mut() {
            Some(top) => {
                top.exc = e.clone();
                self.backtrace = top.bt.to_vec();
            }
            None => self.excstack.push(ExcEntry { exc: e.clone(), bt: self.backtrace.as_slice().into() }),
        }
    }
}

/// Why `run` returned. Fieldless, so it comes back in a register; the
/// value of `Finished` / the exception of `Threw` is in `Fiber::outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Halt {
    Finished,
    Threw,
    /// A native suspended the fiber (`Flow::Suspend`); resume it with
    /// [`crate::Vm::resume_with`].
    Suspended,
    /// The fuel for safepoint duties ran out; `run` again to continue.
    Preempted,
}

#[cfg(test)]
mod tests {
    use super::{Fiber, RECYCLED_REGS};
    use crate::value::Value;
    use std::sync::Arc;

    /// `recycle` releases every heap value of the register file (at the
    /// start, at the end, everywhere, and past the kept length), and keeps
    /// the scalars and the file's length (up to `RECYCLED_REGS`).
    #[test]
    fn recycle_releases_every_heap_register() {
        let s = Value::str("held");
        let Value::Str(arc) = &s else { unreachable!() };
        for n in [0usize, 1, 5, 7, 8, 9, 15, 16, 17, 63, 256, 300] {
            for heap in
                [vec![], vec![0], vec![n.saturating_sub(1)], (0..n).step_by(3).collect(), (0..n).collect()]
            {
                let heap: Vec<usize> = heap.into_iter().filter(|&i| i < n).collect();
                let mut fb = Fiber::new();
                fb.regs = (0..n)
                    .map(|i| if heap.contains(&i) { s.clone() } else { Value::Int(i as i64) })
                    .collect();
                assert_eq!(Arc::strong_count(arc), 1 + heap.len());
                fb.recycle();
                assert_eq!(Arc::strong_count(arc), 1, "n={n} heap={heap:?}: a heap value was kept");
                assert_eq!(fb.regs.len(), n.min(RECYCLED_REGS));
                for (i, r) in fb.regs.iter().enumerate() {
                    match r {
                        Value::Int(x) => assert_eq!(*x, i as i64),
                        Value::Nothing => assert!(heap.contains(&i)),
                        other => panic!("register {i} holds {other:?}"),
                    }
                }
            }
        }
    }
}
