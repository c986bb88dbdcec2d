//! The task runtime: the driver loop that runs tasks on the main thread,
//! reacts to each `Halt` of the VM, picks the next task from the scheduler
//! state (`jlx_vm::sched`), waits for timers in one mio `Poll`, and reports
//! deadlocks; the worker threads of `-t N` (`worker`); and the standard
//! library's file list and load sequence (`stdlib`).
//!
//! Data flows one way: this crate drives the VM; the VM never calls it.

mod driver;
mod events;
mod report;
pub mod stdlib;
mod worker;

pub use driver::{Driver, Outcome, Sigint};
pub use worker::start_workers;
