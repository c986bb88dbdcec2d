//! Process-wide state shared by every thread: global bindings, generic
//! functions and their method tables, the type table, and a version counter;
//! plus [`World`], the per-thread snapshot of the tables that the
//! interpreter reads without locks.
//!
//! Protocol: any change to functions, types or the set of globals is
//! appended to a change log and bumps `version` (one more than the log's
//! length); a thread refreshes its `World` when it sees a new version
//! (after each native call and when a task resumes) by replaying the log
//! from its own version: it copies the entries that changed and the ones
//! added, so a refresh costs what changed, not the size of the tables.
//! Global *values* are not snapshotted: each `GlobalCell` is shared and
//! read through its cell.

use crate::obj::Closure;
use crate::types::{builtin_typedefs, JType, TypeDef, TypeId};
use crate::value::{FuncId, Value};
use crate::vm::Vm;
use jlx_base::{SourceMap, Sym};
use jlx_bytecode::{GlobalId, GlobalNames, ModId};
use parking_lot::{Mutex, RwLock};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

/// Why a native did not simply return a value.
#[derive(Debug)]
pub enum Flow {
    /// Throw this exception.
    Throw(Value),
    /// Tail-call: the native's result is the result of calling `f(args...; kw...)`.
    Call(Value, Vec<Value>, Option<Value>),
    /// Suspend the current task. The native has already arranged how it
    /// is woken (a wait queue, a timer, the run queue); the value it is
    /// resumed with becomes the native's result.
    Suspend,
    /// Suspend as `Suspend`, but when resumed with a value, call the native
    /// again with the same positional arguments (no keywords) and let that
    /// call's result be the result: a wait loop (`while !ready; wait(c);
    /// end`) without a jlx slow path. Resumed with an exception, it throws.
    Retry,
}

pub type NResult = Result<Value, Flow>;

/// A native function: positional arguments and the keyword NamedTuple (if any).
pub type NativeFn = fn(&mut Vm, &[Value], Option<&Value>) -> NResult;

#[derive(Clone, Debug)]
pub enum MethodBody {
    Jlx(Arc<Closure>),
    Native(NativeFn),
}

#[derive(Clone, Debug)]
pub struct Method {
    /// Declared positional parameter types (the last is the element type when `vararg`).
    pub sig: Box<[JType]>,
    pub vararg: bool,
    pub body: MethodBody,
    /// Every parameter is `Any` and there is no vararg: only arity matters.
    pub simple: bool,
}

impl Method {
    pub fn is_native(&self) -> bool {
        matches!(self.body, MethodBody::Native(_))
    }

    /// A native `f(::Any...)` method: the last resort of its function.
    #[inline]
    pub fn is_fallback(&self) -> bool {
        self.is_native() && self.vararg && self.sig.len() == 1 && self.sig[0].is_any()
    }
}

#[derive(Clone, Debug)]
pub struct FuncDef {
    pub name: Sym,
    pub module: ModId,
    pub methods: Arc<[Method]>,
    /// Set when the function has exactly one method and it is a plain jlx
    /// method (untyped parameters, no captures, keywords or varargs): the
    /// call fast path needs only the arity check.
    pub fast: Option<FastMethod>,
    /// Set when the function's only method is a native taking any
    /// arguments (`f(::Any...)`): the interpreter calls it without dispatch.
    pub fast_native: Option<NativeFn>,
    /// Every method is a native: the interpreter may select and call one
    /// without leaving its dispatch loop.
    pub all_native: bool,
    /// Every method dispatches on argument type ids alone, so the VM may
    /// cache its choice (`crate::dcache`).
    pub by_tid: bool,
}

/// The one simple method of a function (see [`FuncDef::fast`]).
#[derive(Clone, Copy, Debug)]
pub struct FastMethod {
    pub nargs: u32,
    pub code: &'static crate::code::Code,
}

impl FastMethod {
    fn of(methods: &[Method]) -> Option<FastMethod> {
        let [m] = methods else { return None };
        let MethodBody::Jlx(c) = &m.body else { return None };
        let p = &c.code.proto;
        if !m.simple || m.vararg || !c.captures.is_empty() || p.vararg || p.has_kw {
            return None;
        }
        Some(FastMethod { nargs: m.sig.len() as u32, code: c.code })
    }
}

/// One global binding.
#[derive(Debug, Default)]
pub struct GlobalCell {
    pub konst: OnceLock<Value>,
    pub var: Mutex<Value>,
}

impl GlobalCell {
    pub fn new() -> GlobalCell {
        GlobalCell { konst: OnceLock::new(), var: Mutex::new(Value::Undef) }
    }

    #[inline]
    pub fn get(&self) -> Option<Value> {
        if let Some(v) = self.konst.get() {
            return Some(v.clone());
        }
        let v = self.var.lock();
        match &*v {
            Value::Undef => None,
            v => Some(v.clone()),
        }
    }
}

/// Compiles source text for `include`; supplied by the binary, which owns
/// the parser and compiler (the VM never reaches back up the pipeline).
pub trait Loader: Send + Sync {
    /// Parse and compile `src` (named `path`) as top-level code of Main.
    fn load(&self, rt: &Runtime, path: &str, src: &str) -> Result<Arc<jlx_bytecode::Proto>, String>;
}

/// What separates the docstrings of one name in [`Runtime::docs`].
pub const DOC_SEPARATOR: &str = "\n\n---\n\n";

/// Options fixed for a whole run.
#[derive(Clone, Debug, Default)]
pub struct RuntimeOptions {
    /// Show sequential object ids instead of addresses (golden tests).
    pub deterministic: bool,
    pub virtual_time: bool,
    /// Poll the event loop at every safepoint (`JLX_TORTURE=1`).
    pub torture: bool,
    pub program_file: String,
    pub args: Vec<String>,
    /// Default worker threads for `Threads.@spawn` (`-t N`; 0 or 1: none,
    /// everything runs on the main thread).
    pub threads: usize,
    /// Stdout is a terminal: program output is flushed line by line.
    pub stdout_tty: bool,
}

pub struct Runtime {
    pub names: GlobalNames,
    pub sources: SourceMap,
    pub opts: RuntimeOptions,
    cells: RwLock<Vec<Arc<GlobalCell>>>,
    funcs: RwLock<Vec<FuncDef>>,
    types: RwLock<Vec<Arc<TypeDef>>>,
    /// Every change to the tables, in order (`version` is its length + 1).
    changes: Mutex<Vec<Change>>,
    version: AtomicU64,
    /// The world `add_method` orders methods in (kept current by replay).
    method_world: Mutex<Option<World>>,
    /// The threads of the run and what they share.
    pub pool: Arc<crate::pool::Pool>,
    /// The run's clock (real or virtual), one for all threads.
    pub clock: Arc<crate::sched::Clock>,
    /// Docstrings by (module, name).
    pub docs: RwLock<std::collections::HashMap<(ModId, Sym), String>>,
    /// How `include` compiles files (set once by the binary).
    pub loader: OnceLock<Arc<dyn Loader>>,
}

/// One entry of the change log: what a world replaying it must copy
/// again besides the entries added to the end of each table.
#[derive(Clone, Copy, Debug)]
enum Change {
    /// A table grew (new entries are copied on every replay).
    Grew,
    /// The function with this id was replaced.
    Func(u32),
    /// The type with this id was replaced.
    Type(u32),
}

/// Past this many changes to replay, a refresh copies the tables whole.
const REPLAY_MAX: usize = 256;

/// A thread's lock-free snapshot of the runtime's tables.
pub struct World {
    pub version: u64,
    pub cells: Vec<Arc<GlobalCell>>,
    pub funcs: Vec<FuncDef>,
    pub types: Vec<Arc<TypeDef>>,
    /// The call cache, by global: the simple method ([`FuncDef::fast`]) of
    /// the constant function a global is bound to, filled by the calls
    /// that look it up (`Op::CallGlobal`). A constant binding never
    /// changes, and a function's methods change only with the world's
    /// version: every replay empties the cache.
    pub calls: Vec<Option<CachedCall>>,
}

/// A [`World::calls`] entry: global function `func`'s simple method.
#[derive(Clone, Copy, Debug)]
pub struct CachedCall {
    pub code: &'static crate::code::Code,
    pub nargs: u32,
    pub func: FuncId,
}

impl World {
    /// Record in the call cache that global `g` is bound to `func`, whose
    /// simple method of `nargs` arguments is `code`.
    #[inline(never)]
    pub fn cache_call(
        &mut self,
        g: u32,
        func: FuncId,
        code: &'static crate::code::Code,
        nargs: u32,
    ) -> CachedCall {
        let e = CachedCall { code, nargs, func };
        let g = g as usize;
        if self.calls.len() <= g {
            self.calls.resize(g + 1, None);
        }
        self.calls[g] = Some(e);
        e
    }
}

impl Runtime {
    pub fn new(opts: RuntimeOptions) -> Arc<Runtime> {
        let types = builtin_typedefs().into_iter().map(Arc::new).collect();
        Arc::new(Runtime {
            names: GlobalNames::new(),
            sources: SourceMap::new(),
            cells: RwLock::new(Vec::new()),
            funcs: RwLock::new(Vec::new()),
            types: RwLock::new(types),
            changes: Mutex::new(Vec::new()),
            version: AtomicU64::new(1),
            method_world: Mutex::new(None),
            pool: crate::pool::Pool::new(if opts.threads >= 2 { opts.threads } else { 0 }),
            clock: Arc::new(crate::sched::Clock::new(opts.virtual_time)),
            docs: RwLock::new(Default::default()),
            loader: OnceLock::new(),
            opts,
        })
    }

    #[inline]
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    /// Log a change made to a table (after its write lock is released).
    fn record(&self, c: Change) {
        let mut log = self.changes.lock();
        log.push(c);
        self.version.store(log.len() as u64 + 1, Ordering::Release);
    }

    pub fn snapshot(&self) -> World {
        self.sync_cells();
        // The version is read first: the tables may be newer than it, and
        // a later refresh copies those entries again.
        World {
            version: self.version(),
            cells: self.cells.read().clone(),
            funcs: self.funcs.read().clone(),
            types: self.types.read().clone(),
            calls: Vec::new(),
        }
    }

    /// Bring `w` up to date by replaying the changes made since its version.
    pub fn refresh_world(&self, w: &mut World) {
        self.sync_cells();
        let v = self.version();
        if v != w.version {
            self.replay(w, v);
        }
        // Cells are added before their change is logged: copy new ones
        // even when the version has not moved yet (another thread may be
        // between the two), as the caller may be about to read one.
        let cs = self.cells.read();
        w.cells.extend_from_slice(&cs[w.cells.len()..]);
    }

    /// Copy into `w` what changed since its version, up to version `v`.
    fn replay(&self, w: &mut World, v: u64) {
        // Copied out so no table lock is taken while the log is locked
        // (writers take a table's lock, then the log's).
        let changed: Vec<Change> = {
            let log = self.changes.lock();
            let from = (w.version as usize).saturating_sub(1);
            let to = (v as usize - 1).min(log.len());
            if to - from > REPLAY_MAX {
                drop(log);
                *w = self.snapshot();
                return;
            }
            log[from..to].to_vec()
        };
        let funcs = changed.iter().filter_map(|c| match *c {
            Change::Func(i) => Some(i as usize),
            _ => None,
        });
        replay_table(&self.funcs, &mut w.funcs, funcs);
        let types = changed.iter().filter_map(|c| match *c {
            Change::Type(i) => Some(i as usize),
            _ => None,
        });
        replay_table(&self.types, &mut w.types, types);
        w.calls.clear();
        w.version = v;
    }

    /// Make sure every interned global name has a cell.
    fn sync_cells(&self) {
        let n = self.names.len();
        if self.cells.read().len() >= n {
            return;
        }
        let mut cells = self.cells.write();
        while cells.len() < n {
            cells.push(Arc::new(GlobalCell::new()));
        }
        drop(cells);
        self.record(Change::Grew);
    }

    pub fn cell(&self, g: GlobalId) -> Arc<GlobalCell> {
        self.sync_cells();
        self.cells.read()[g.0 as usize].clone()
    }

    pub fn global(&self, m: ModId, name: &str) -> GlobalId {
        let g = self.names.intern(m, Sym::new(name));
        self.sync_cells();
        g
    }

    /// Bind a constant global (functions, types, modules).
    pub fn set_const(&self, g: GlobalId, v: Value) -> Result<(), Value> {
        let cell = self.cell(g);
        if let Some(old) = cell.konst.get() {
            if old.egal(&v) {
                return Ok(());
            }
            return Err(v);
        }
        let _ = cell.konst.set(v);
        Ok(())
    }

    pub fn new_function(&self, name: Sym, module: ModId) -> FuncId {
        let mut fs = self.funcs.write();
        fs.push(FuncDef {
            name,
            module,
            methods: Arc::from(Vec::new()),
            fast: None,
            fast_native: None,
            all_native: false,
            by_tid: true,
        });
        let id = FuncId(fs.len() as u32 - 1);
        drop(fs);
        self.record(Change::Grew);
        id
    }

    pub fn func_name(&self, f: FuncId) -> Sym {
        self.funcs.read()[f.0 as usize].name
    }

    /// Add (or replace) a method, keeping the table ordered most specific first.
    pub fn add_method(&self, f: FuncId, m: Method) {
        let mut world = self.method_world.lock();
        let world = match &mut *world {
            Some(w) => {
                self.refresh_world(w);
                w
            }
            None => world.insert(self.snapshot()),
        };
        let mut fs = self.funcs.write();
        let def = &mut fs[f.0 as usize];
        let mut methods: Vec<Method> = def.methods.iter().cloned().collect();
        if let Some(i) =
            methods.iter().position(|e| e.vararg == m.vararg && *e.sig == *m.sig && !e.is_native())
        {
            methods[i] = m;
        } else {
            let pos = methods
                .iter()
                .position(|e| e.is_fallback() || crate::dispatch::more_specific(&*world, &m, e))
                .unwrap_or(methods.len());
            methods.insert(pos, m);
        }
        def.fast = FastMethod::of(&methods);
        def.all_native = methods.iter().all(|m| m.is_native());
        def.by_tid = methods.iter().all(crate::dcache::by_tid);
        def.fast_native = match &methods[..] {
            [m] if m.is_fallback() => match m.body {
                MethodBody::Native(nf) => Some(nf),
                MethodBody::Jlx(_) => None,
            },
            _ => None,
        };
        def.methods = methods.into();
        drop(fs);
        self.record(Change::Func(f.0));
    }

    pub fn add_type(&self, def: TypeDef) -> TypeId {
        let mut ts = self.types.write();
        ts.push(Arc::new(def));
        let id = TypeId(ts.len() as u32 - 1);
        drop(ts);
        self.record(Change::Grew);
        id
    }

    pub fn update_type(&self, id: TypeId, f: impl FnOnce(&mut TypeDef)) {
        let mut ts = self.types.write();
        let mut d = (*ts[id.0 as usize]).clone();
        f(&mut d);
        ts[id.0 as usize] = Arc::new(d);
        drop(ts);
        self.record(Change::Type(id.0));
    }

    pub fn type_def(&self, id: TypeId) -> Arc<TypeDef> {
        self.types.read()[id.0 as usize].clone()
    }

    /// Record a docstring of `m.name`. Docstrings of several methods of
    /// one function are kept in definition order, separated by a `---`
    /// line (a horizontal rule, as Julia's help prints between them); the
    /// same text again (a re-run definition) is not added twice.
    pub fn set_doc(&self, m: ModId, name: Sym, doc: String) {
        let mut docs = self.docs.write();
        match docs.get_mut(&(m, name)) {
            Some(old) if old.split(DOC_SEPARATOR).any(|d| d == doc) => {}
            Some(old) => {
                old.push_str(DOC_SEPARATOR);
                old.push_str(&doc);
            }
            None => {
                docs.insert((m, name), doc);
            }
        }
    }
}

/// Bring `copy` up to date with `table`: re-copy the entries at `changed`
/// (the indices the change log names) and append the entries `copy` lacks.
/// The table is read only when there is something to copy.
fn replay_table<T: Clone>(table: &RwLock<Vec<T>>, copy: &mut Vec<T>, changed: impl Iterator<Item = usize>) {
    let mut changed = changed.peekable();
    if changed.peek().is_none() && table.read().len() <= copy.len() {
        return;
    }
    let t = table.read();
    for i in changed {
        if let Some(slot) = copy.get_mut(i) {
            *slot = t[i].clone();
        }
    }
    copy.extend_from_slice(&t[copy.len()..]);
}
