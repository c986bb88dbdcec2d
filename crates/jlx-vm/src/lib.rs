//! The jlx virtual machine: values and heap objects, the type lattice,
//! loaded code, fibers of heap frames, the interpreter loop, dispatch,
//! built-in (native) functions and Julia's printed forms.
//!
//! Architecture invariant: the VM never calls the scheduler and never runs
//! jlx code recursively on the Rust stack; natives are leaves that return a
//! value, throw, or ask for a tail call.

pub mod arrays;
pub mod arrayshow;
pub mod chan;
pub mod code;
pub mod dcache;
pub mod dispatch;
pub mod errors;
pub mod fiber;
pub mod fields;
pub mod index;
pub mod interrupt;
pub mod iter;
pub mod natives;
pub mod obj;
pub mod pool;
pub mod runtime;
pub mod sched;
pub mod show;
pub mod task;
pub mod types;
pub mod typesys;
pub mod unicode;
pub mod value;
pub mod vm;
pub mod window;

pub use fiber::{Fiber, Halt};
pub use runtime::{Flow, NResult, Runtime, RuntimeOptions};
pub use value::Value;
pub use vm::Vm;
