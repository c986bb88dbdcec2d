//! The Ctrl-C flag. A signal handler (installed by the binary) sets it;
//! the interpreter loop reads it on every taken backward jump (`Jmp`,
//! `JmpIf`, the compare-and-branch fast paths) and on the step of every
//! `for` loop (`IterNext`/`IterUnpackNext` going back to the body), so
//! even a loop without calls (`while true end`, `for i in 1:10^12 end`)
//! reaches a safepoint; the driver takes it there and throws
//! `InterruptException` into the evaluation (or ends the run, for
//! `jlx FILE`). A test in `jlx-compiler` checks that the compiler closes
//! every loop with one of those ops.
//!
//! Invariant: only the driver clears the flag (`take`); the VM only reads
//! it, and returns `Halt::Preempted` when it sees it set.

use std::sync::atomic::{AtomicBool, Ordering};

static PENDING: AtomicBool = AtomicBool::new(false);

/// Ask the running evaluation to stop (called from a signal handler).
pub fn request() {
    PENDING.store(true, Ordering::SeqCst);
}

/// Whether an interrupt waits to be delivered (one relaxed load).
#[inline(always)]
pub fn pending() -> bool {
    PENDING.load(Ordering::Relaxed)
}

/// Take a pending interrupt, clearing the flag.
pub fn take() -> bool {
    PENDING.swap(false, Ordering::SeqCst)
}
