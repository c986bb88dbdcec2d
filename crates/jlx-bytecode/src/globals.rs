//! The table of global bindings, shared by the compiler (which turns names
//! into [`GlobalId`]s) and the VM (which keeps one cell per id).
//!
//! Invariant: ids are dense and never reused; `(module, name)` maps to one id
//! for the life of the process.

use jlx_base::Sym;
use parking_lot::RwLock;
use std::collections::HashMap;
use std::sync::Arc;

/// A module: `Base` (builtins and `stdlib/`), `Main` (user code), and the
/// small built-in submodules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ModId(pub u16);

impl ModId {
    pub const BASE: ModId = ModId(0);
    pub const MAIN: ModId = ModId(1);
    pub const THREADS: ModId = ModId(2);
    pub const RANDOM: ModId = ModId(3);

    pub fn name(self) -> &'static str {
        match self.0 {
            0 => "Base",
            1 => "Main",
            2 => "Threads",
            3 => "Random",
            _ => "Module",
        }
    }

    pub fn by_name(name: &str) -> Option<ModId> {
        Some(match name {
            "Base" | "Core" => ModId::BASE,
            "Main" => ModId::MAIN,
            "Threads" => ModId::THREADS,
            "Random" => ModId::RANDOM,
            _ => return None,
        })
    }
}

/// Names jlx binds in `Base` that Julia 1.11 does not export from `Base`:
/// code in `Main` sees them only qualified (`Base.Event`) or after a
/// `using`/`import` that names them (`using Base.Threads` for `Event`).
pub const BASE_UNEXPORTED: &[&str] = &[
    "Event",
    "Semaphore",
    "acquire",
    "release",
    "n_avail",
    "ThreadsCondition",
    "ThreadSynchronizer",
    "SpinLock",
    "Lockable",
    "AbstractSchedule",
    "StaticSchedule",
    "FairSchedule",
];

/// The types of [`BASE_UNEXPORTED`] that belong to `Base.Threads` in Julia
/// (the stdlib binds them there too): they print as `Base.Threads.Name`.
pub const THREADS_TYPES: &[&str] = &["AbstractSchedule", "StaticSchedule", "FairSchedule"];

/// The names of [`BASE_UNEXPORTED`] that Julia declares `public`: an
/// `UndefVarError` for one of them in `Main` hints that Base has it.
pub const BASE_PUBLIC: &[&str] = &["Event", "Semaphore", "acquire", "release", "Lockable"];

/// Julia's exports of `Base.Threads` that jlx defines: what `using
/// Base.Threads` (or `using .Threads`) makes visible in `Main`. The
/// macros are lowered by the compiler; the others are globals of `Threads`.
pub const THREADS_EXPORTS: &[&str] = &[
    "threadid",
    "nthreads",
    "threadpool",
    "Event",
    "@spawn",
    "@threads",
    "Atomic",
    "atomic_cas!",
    "atomic_xchg!",
    "atomic_add!",
    "atomic_sub!",
    "atomic_and!",
    "atomic_nand!",
    "atomic_or!",
    "atomic_xor!",
    "atomic_max!",
    "atomic_min!",
    "atomic_fence",
    "SpinLock",
];

/// Is `name` (as written in `module`) hidden from unqualified use, because
/// Julia does not export it from `Base`?
pub fn is_unexported_base(module: ModId, name: &str) -> bool {
    module != ModId::BASE && BASE_UNEXPORTED.contains(&name)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GlobalId(pub u32);

#[derive(Default)]
struct Table {
    /// Only looked up, never iterated (`list` keeps the order).
    map: HashMap<(ModId, Sym), GlobalId, foldhash::fast::FixedState>,
    list: Vec<(ModId, Sym)>,
}

/// Name → id table. Cheap to clone (shared).
#[derive(Clone, Default)]
pub struct GlobalNames {
    table: Arc<RwLock<Table>>,
}

impl GlobalNames {
    pub fn new() -> GlobalNames {
        GlobalNames::default()
    }

    pub fn lookup(&self, module: ModId, name: Sym) -> Option<GlobalId> {
        self.table.read().map.get(&(module, name)).copied()
    }

    pub fn intern(&self, module: ModId, name: Sym) -> GlobalId {
        if let Some(id) = self.lookup(module, name) {
            return id;
        }
        let mut t = self.table.write();
        if let Some(&id) = t.map.get(&(module, name)) {
            return id;
        }
        let id = GlobalId(t.list.len() as u32);
        t.list.push((module, name));
        t.map.insert((module, name), id);
        id
    }

    pub fn name_of(&self, id: GlobalId) -> (ModId, Sym) {
        self.table.read().list[id.0 as usize]
    }

    /// The entries added after the first `n` ids, in id order.
    pub fn entries_since(&self, n: usize) -> Vec<(ModId, Sym)> {
        self.table.read().list.get(n..).map_or_else(Vec::new, |s| s.to_vec())
    }

    pub fn len(&self) -> usize {
        self.table.read().list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All names bound in one module (for completion and help).
    pub fn names_in(&self, module: ModId) -> Vec<Sym> {
        self.table.read().list.iter().filter(|(m, _)| *m == module).map(|(_, s)| *s).collect()
    }
}
