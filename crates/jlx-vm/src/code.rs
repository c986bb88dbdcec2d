//! Loaded code: a [`Proto`] with its constants turned into [`Value`]s and
//! its nested prototypes loaded too. Loaded code lives for the whole
//! process (`&'static`), as Julia never frees compiled code; frames then
//! hold a plain reference and calls touch no reference count. Every
//! prototype is verified when loaded (`jlx_bytecode::verify`), which is
//! what lets the dispatch loop fetch ops and read constants unchecked.

use crate::obj::{Captures, Closure};
use crate::value::Value;
use jlx_bytecode::{Const, Op, Proto};
use std::sync::Arc;

#[derive(Debug)]
pub struct Code {
    /// The prototype, kept for as long as the program runs (as the code is).
    pub proto: &'static Proto,
    /// `proto.code`, one load away from the code (the dispatch loop reads
    /// it at every frame switch).
    pub ops: &'static [Op],
    pub consts: Box<[Value]>,
    pub children: Box<[&'static Code]>,
    /// How many registers a frame of this code needs: at least
    /// `proto.nregs` and at least [`jlx_bytecode::Op::reg_bound`] of every op, computed
    /// here from the ops themselves. The VM makes every frame's register
    /// window this long and then indexes registers without bounds checks
    /// (`vm::Window`), so this is what makes that sound.
    pub window: usize,
    /// How many blocks of [`RELEASE_BLOCK`] registers a returning frame's
    /// release scan covers (`Window::release_heap`): `window` rounded up to
    /// whole blocks, at least one. The rounding stays inside the
    /// `SCRATCH` registers every frame push leaves past the window (`vm.rs`
    /// asserts `RELEASE_BLOCK - 1 <= SCRATCH`), which belong to no live frame.
    pub release: usize,
    /// Whether the code installs exception handlers (`PushHandler`): only
    /// then can a returning frame leave handlers of its own behind.
    pub has_handlers: bool,
}

impl Code {
    /// Constant `k` without a bounds check.
    ///
    /// # Safety
    /// `k` is a constant operand (`jlx_bytecode::verify::const_operand`)
    /// of an op of this code: [`load`] verified the code, so `k <
    /// proto.consts.len() == consts.len()`.
    #[inline(always)]
    pub(crate) unsafe fn konst(&self, k: usize) -> &Value {
        debug_assert!(k < self.consts.len(), "constant {k} outside the table");
        // SAFETY: `k < self.consts.len()` (the caller's contract).
        unsafe { self.consts.get_unchecked(k) }
    }
}

/// The release scan of a returning frame reads registers in blocks of this many.
pub const RELEASE_BLOCK: usize = 8;

/// [`Code::release`] of code whose frames need `window` registers.
pub fn release_of(window: usize) -> usize {
    window.max(1).div_ceil(RELEASE_BLOCK)
}

/// The register window `proto`'s frames need (see [`Code::window`]).
pub fn window_of(proto: &Proto) -> usize {
    let ops = proto.code.iter().map(|op| op.reg_bound(proto.nparams) as usize);
    ops.fold(proto.nregs as usize, usize::max)
}

/// The value of constant `c` of code whose children are `children`.
fn const_value(c: &Const, children: &[&'static Code]) -> Value {
    match c {
        Const::Int(i) => Value::Int(*i),
        Const::Float(f) => Value::Float(*f),
        Const::Str(s) => Value::str(s.to_string()),
        Const::Char(c) => Value::Char(*c),
        Const::Sym(s) => Value::Sym(*s),
        Const::Syms(ss) => Value::tuple(ss.iter().map(|s| Value::Sym(*s)).collect()),
        Const::GlobalId(g) => Value::Int(*g as i64),
        Const::Proto(i) => {
            let code = children[*i as usize];
            Value::Closure(Arc::new(Closure { code, captures: Captures::from_slice(&[]) }))
        }
    }
}

/// Load a prototype (and its children) for execution.
///
/// Panics when the prototype is malformed (`jlx_bytecode::verify`): the
/// compiler never makes such code, and the dispatch loop fetches ops and
/// reads constants without bounds checks on the strength of this check.
pub fn load(proto: &Arc<Proto>) -> &'static Code {
    if let Err(e) = jlx_bytecode::verify::verify_one(proto) {
        panic!("malformed bytecode: {e}");
    }
    let children: Box<[&'static Code]> = proto.protos.iter().map(load).collect();
    let consts = proto.consts.iter().map(|c| const_value(c, &children)).collect();
    let window = window_of(proto);
    let release = release_of(window);
    let has_handlers = proto.code.iter().any(|op| matches!(op, jlx_bytecode::Op::PushHandler { .. }));
    // The code lives as long as the program, and so does its prototype.
    let proto: &'static Proto = Box::leak(Box::new(proto.clone()));
    let ops: &'static [Op] = &proto.code;
    Box::leak(Box::new(Code { proto, ops, consts, children, window, release, has_handlers }))
}

#[cfg(test)]
mod tests {
    use jlx_base::{Span, Sym};
    use jlx_bytecode::{Op, Proto};
    use std::sync::Arc;

    #[test]
    #[should_panic(expected = "malformed bytecode")]
    fn malformed_code_is_refused_at_load() {
        // A jump past the end: the dispatch loop would fetch outside the ops.
        let proto = Proto {
            name: Sym::new("bad"),
            span: Span::default(),
            nparams: 0,
            vararg: false,
            has_kw: false,
            ncaptures: 0,
            nregs: 1,
            code: vec![Op::Jmp { off: 4 }, Op::Ret { src: 0 }],
            spans: vec![Span::default(); 2],
            consts: vec![],
            protos: vec![],
            param_names: vec![],
            toplevel: false,
        };
        super::load(&Arc::new(proto));
    }
}
