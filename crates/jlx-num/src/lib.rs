//! `jlx-num`: Julia-exact number text and Julia-exact random numbers.
//!
//! Owns everything whose output must match Julia 1.11 bit for bit and character for
//! character, independent of the rest of jlx (no other jlx crate is a dependency):
//!
//! * [`fmt`]: `show`/`print`/`string` of `Float64` (full and `:compact => true`), `Int`
//!   text, `string(x; base, pad)`;
//! * [`cmp`]: exact `Int64` vs `Float64` comparison (`==`, `<`, `<=`);
//! * [`round`]: `round(x)`, `round(x; digits)`, `round(x; sigdigits)`;
//! * [`parse`]: `parse(Int, s; base)`, `parse(Float64, s)`;
//! * [`rng`]: `Xoshiro`/`TaskLocalRNG` (seeding, task split, `rand`, `rand(a:b)`, `randn`,
//!   `shuffle!`, `randperm`), with [`sha256`] for seed hashing.
//!
//! Invariants: no `unsafe`, no global mutable state (the lazily built Ryu tables in
//! `shortest` are immutable once built), every function is deterministic given its inputs
//! (except [`rng::default_seed_from_entropy`]).

#![forbid(unsafe_code)]

pub mod cmp;
pub mod fmt;
pub mod parse;
pub mod rng;
pub mod round;
pub mod sha256;
mod shortest;
mod ziggurat;

pub use fmt::{
    float_to_string, float_to_string_compact, format_int, string_with_base, write_float, write_float_compact,
};
pub use parse::{parse_float, parse_int};
pub use rng::{default_seed_from_entropy, Xoshiro};
pub use round::{round_digits, round_nearest, round_sigdigits};
