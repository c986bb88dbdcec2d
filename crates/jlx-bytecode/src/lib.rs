//! The bytecode contract between the compiler and the VM: the documented
//! [`Op`] set, function prototypes ([`Proto`]) with their constants and span
//! tables, the global-name table both sides share, the disassembler, and
//! the byte form of compiled code that embeds the standard library (`image`),
//! and the verifier of a prototype's structure (`verify`).
//!
//! Invariants: an `Op` is at most 8 bytes (pinned by a test); every jump
//! offset is relative to the instruction *after* the jump; a `Proto` is
//! immutable once built; the compiler only makes prototypes that pass
//! `verify::verify` (the VM's unchecked op fetch rests on it).

pub mod disasm;
pub mod globals;
pub mod image;
pub mod op;
pub mod proto;
pub mod verify;

pub use globals::{
    is_unexported_base, GlobalId, GlobalNames, ModId, BASE_PUBLIC, BASE_UNEXPORTED, THREADS_EXPORTS,
    THREADS_TYPES,
};
pub use op::{Op, Reg};
pub use proto::{Const, Proto, StructSpec};
