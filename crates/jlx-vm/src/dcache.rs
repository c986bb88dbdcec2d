//! A per-VM monomorphic dispatch cache. For a generic function whose
//! methods all dispatch on the type ids of the arguments alone
//! (`FuncDef::by_tid`: every declared parameter type is `Any` or a type
//! without parameters), the method chosen for one tuple of argument type
//! ids is remembered, so the next call with the same ids skips the walk
//! over the method table (`put!`, `take!`, `getindex`, `push!` in loops).
//!
//! Invariant: an entry is used only while the world it was filled in is
//! current (`World::version`) and only for the same function, arity and
//! argument type ids; its method index then names the method
//! `dispatch::select` would choose.

use crate::runtime::{Method, World};
use crate::types::{tid, JType};
use crate::value::{FuncId, Value};

/// Arguments beyond this many are not cached.
const MAX_ARGS: usize = 4;

#[derive(Clone, Copy, Default)]
struct Entry {
    version: u64,
    nargs: u32,
    /// Index into the function's method table, plus one (0: empty).
    method: u32,
    /// The argument type ids, two to a word (see `DispatchCache::select`).
    key: (u64, u64),
}

/// One entry per generic function (indexed by `FuncId`).
#[derive(Default)]
pub struct DispatchCache {
    entries: Vec<Entry>,
}

/// Whether `m`'s applicability depends only on its arguments' type ids.
pub fn by_tid(m: &Method) -> bool {
    m.sig.iter().all(|t| match t {
        JType::Data(id, ps) => ps.is_empty() && !matches!(*id, tid::ABSTRACTVECTOR | tid::ABSTRACTMATRIX),
        _ => false,
    })
}

/// `w.value_tid(v)` with the common cases inline (scalars, strings,
/// arrays, tuples, tasks, channels, structs), so a cached call makes no
/// call to learn its arguments' types.
#[inline(always)]
fn quick_tid(w: &World, v: &Value) -> u64 {
    use crate::obj::Obj;
    let id = match v {
        Value::Int(_) => tid::INT64,
        Value::Float(_) => tid::FLOAT64,
        Value::Bool(_) => tid::BOOL,
        Value::Str(_) => tid::STRING,
        Value::Array(_) => tid::ARRAY,
        Value::Tuple(_) => tid::TUPLE,
        Value::Task(_) => tid::TASK,
        Value::Obj(o) => match &**o {
            Obj::Chan(_) => tid::CHANNEL,
            Obj::Struct(s) => s.ty,
            Obj::MStruct(s) => s.ty,
            _ => w.value_tid(v),
        },
        _ => w.value_tid(v),
    };
    id.0 as u64
}

impl DispatchCache {
    /// The method of `f` (whose table is `methods`) for `args`: cached when
    /// the function allows it, else `dispatch::select`.
    #[inline]
    pub fn select<'w>(
        &mut self,
        w: &'w World,
        f: FuncId,
        methods: &'w [Method],
        args: &[Value],
    ) -> Option<&'w Method> {
        if args.len() > MAX_ARGS || !w.funcs[f.0 as usize].by_tid {
            return crate::dispatch::select(w, methods, args);
        }
        // The key is built in registers: an array filled element by element
        // and compared as one 16-byte load would stall store forwarding.
        let t = |a: &Value| quick_tid(w, a);
        let key = match args {
            [a] => (t(a), 0),
            [a, b] => (t(a) | t(b) << 32, 0),
            [a, b, c] => (t(a) | t(b) << 32, t(c)),
            [a, b, c, d] => (t(a) | t(b) << 32, t(c) | t(d) << 32),
            _ => (0, 0),
        };
        let k = f.0 as usize;
        if let Some(e) = self.entries.get(k) {
            if e.key == key && e.version == w.version && e.nargs == args.len() as u32 && e.method > 0 {
                return methods.get(e.method as usize - 1);
            }
        }
        let m = crate::dispatch::select(w, methods, args)?;
        let i = methods.iter().position(|x| std::ptr::eq(x, m)).expect("method of the table");
        if self.entries.len() <= k {
            self.entries.resize(k + 1, Entry::default());
        }
        self.entries[k] = Entry { version: w.version, nargs: args.len() as u32, method: i as u32 + 1, key };
        Some(m)
    }
}
