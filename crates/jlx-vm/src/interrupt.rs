//! The Ctrl-C flag. A signal handler (installed by the binary for the
//! REPL) sets it; the interpreter loop reads it on every backward jump, so
//! even a loop without calls (`while true end`) reaches a safepoint, and
//! the driver takes it there and throws `InterruptException` into the
//! evaluation.
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
