//! The process-wide symbol interner. A [`Sym`] is a `u32` handle: comparing
//! two symbols is an integer compare, and symbols are never freed.
//!
//! Invariant: `Sym(n)` always maps to the same string for the whole process.

use parking_lot::RwLock;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub u32);

/// Looked up for every name the compiler and the natives' registration
/// touch, so it hashes with foldhash (only looked up, never iterated).
type Map = HashMap<&'static str, Sym, foldhash::fast::FixedState>;

struct Interner {
    map: Map,
    names: Vec<&'static str>,
}

fn interner() -> &'static RwLock<Interner> {
    static I: OnceLock<RwLock<Interner>> = OnceLock::new();
    I.get_or_init(|| RwLock::new(Interner { map: Map::default(), names: Vec::new() }))
}

impl Sym {
    pub fn new(name: &str) -> Sym {
        if let Some(&s) = interner().read().map.get(name) {
            return s;
        }
        let mut i = interner().write();
        if let Some(&s) = i.map.get(name) {
            return s;
        }
        // Symbols live for the whole process, so leaking the text is the point.
        let text: &'static str = Box::leak(name.to_owned().into_boxed_str());
        let s = Sym(i.names.len() as u32);
        i.names.push(text);
        i.map.insert(text, s);
        s
    }

    pub fn as_str(self) -> &'static str {
        interner().read().names[self.0 as usize]
    }

    /// How many symbols the process has interned so far.
    pub fn interned_count() -> usize {
        interner().read().names.len()
    }

    /// The texts of the symbols interned after the first `n`, in the order
    /// they were interned (a stdlib image replays them so that loading it
    /// numbers symbols as compiling the source would).
    pub fn interned_since(n: usize) -> Vec<&'static str> {
        interner().read().names.get(n..).map_or_else(Vec::new, |s| s.to_vec())
    }
}

impl std::fmt::Debug for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, ":{}", self.as_str())
    }
}

impl std::fmt::Display for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
