//! The bytecode verifier: the structural facts about a [`Proto`]'s ops
//! that the VM's dispatch loop relies on to fetch ops and read constants
//! without bounds checks. The VM runs it once per prototype when code is
//! loaded (`jlx_vm::code::load`); the compiler's tests run it on every
//! function of every test program.
//!
//! A prototype is *well formed* when
//! - it has at least one op and its last op is a terminator (`Ret`,
//!   `Throw`, `Rethrow`, `Jmp`): execution never falls off the end;
//! - every place control can go from an op is inside the code
//!   ([`successors`]: the next op, a jump's target, a handler's target,
//!   the op after `IterFirst`'s skipped `IterUnpack`, `KwGet`'s skip);
//! - every constant operand indexes `consts` and every `Closure` indexes
//!   `protos`;
//! - every fused compare-and-branch op (`BrLt`, `BrNotLt`, ...) is followed
//!   by its resume op: a `JmpIf` (`Br..`) or `JmpIfNot` (`BrNot..`) with its
//!   offset;
//! - its nested prototypes are well formed.
//!
//! So every pc the VM can reach (0, or a successor of an op it ran, or a
//! handler's target) indexes an op, and the op after any non-terminator
//! exists (a comparison may read it to fuse with a following jump).

use crate::op::Op;
use crate::proto::{Const, Proto};

/// The constant-table index an op reads (`K[..]`), if any. Every op is
/// listed (no catch-all arm), so a new op must say whether it reads one.
pub fn const_operand(op: &Op) -> Option<u32> {
    match *op {
        Op::LoadConst { k, .. } => Some(k),
        Op::AddK { k, .. }
        | Op::SubK { k, .. }
        | Op::MulK { k, .. }
        | Op::DivK { k, .. }
        | Op::KAdd { k, .. }
        | Op::KSub { k, .. }
        | Op::KMul { k, .. }
        | Op::KDiv { k, .. }
        | Op::LtK { k, .. }
        | Op::EqK { k, .. }
        | Op::NeK { k, .. }
        | Op::RemK { k, .. }
        | Op::LeK { k, .. }
        | Op::GtK { k, .. }
        | Op::GeK { k, .. }
        | Op::BrLtK { k, .. }
        | Op::BrNotLtK { k, .. }
        | Op::BrLeK { k, .. }
        | Op::BrNotLeK { k, .. }
        | Op::BrGtK { k, .. }
        | Op::BrNotGtK { k, .. }
        | Op::BrGeK { k, .. }
        | Op::BrNotGeK { k, .. } => Some(k as u32),
        Op::BoxGet { name, .. }
        | Op::CheckDefined { name, .. }
        | Op::GetField { name, .. }
        | Op::SetField { name, .. }
        | Op::KwGet { name, .. } => Some(name as u32),
        Op::KwRest { names, .. } | Op::KwCheck { names } => Some(names as u32),
        Op::Move { .. }
        | Op::LoadNothing { .. }
        | Op::LoadBool { .. }
        | Op::LoadInt { .. }
        | Op::GetGlobal { .. }
        | Op::SetGlobal { .. }
        | Op::SetConstGlobal { .. }
        | Op::GetCapture { .. }
        | Op::NewBox { .. }
        | Op::BoxSet { .. }
        | Op::Closure { .. }
        | Op::Undef { .. }
        | Op::Add { .. }
        | Op::Sub { .. }
        | Op::Mul { .. }
        | Op::Div { .. }
        | Op::Rem { .. }
        | Op::IntDiv { .. }
        | Op::Pow { .. }
        | Op::Lt { .. }
        | Op::Le { .. }
        | Op::Eq { .. }
        | Op::Ne { .. }
        | Op::Is { .. }
        | Op::AddImm { .. }
        | Op::BitAnd { .. }
        | Op::BitOr { .. }
        | Op::BitXor { .. }
        | Op::Shl { .. }
        | Op::Shr { .. }
        | Op::UShr { .. }
        | Op::BrLt { .. }
        | Op::BrNotLt { .. }
        | Op::BrLe { .. }
        | Op::BrNotLe { .. }
        | Op::Neg { .. }
        | Op::Not { .. }
        | Op::Jmp { .. }
        | Op::JmpIf { .. }
        | Op::JmpIfNot { .. }
        | Op::Call { .. }
        | Op::CallGlobal { .. }
        | Op::CallKw { .. }
        | Op::CallSplat { .. }
        | Op::Ret { .. }
        | Op::GetIndex { .. }
        | Op::SetIndex { .. }
        | Op::GetRef { .. }
        | Op::SetRef { .. }
        | Op::Tuple { .. }
        | Op::Vect { .. }
        | Op::Splat { .. }
        | Op::Push { .. }
        | Op::IterFirst { .. }
        | Op::IterUnpack { .. }
        | Op::IterNext { .. }
        | Op::IterUnpackNext { .. }
        | Op::Unpack { .. }
        | Op::PushHandler { .. }
        | Op::PopHandler
        | Op::ExcRestore { .. }
        | Op::Throw { .. }
        | Op::Rethrow { .. } => None,
    }
}

/// Whether control never goes from `op` to the op after it.
pub fn is_terminator(op: &Op) -> bool {
    matches!(op, Op::Ret { .. } | Op::Throw { .. } | Op::Rethrow { .. } | Op::Jmp { .. })
}

/// Every pc control may go to from the op at `pc` (as the VM runs it:
/// offsets are relative to `pc + 1`). Up to three; may lie outside the
/// code (the verifier's business). Every op is listed (no catch-all arm).
pub fn successors(op: &Op, pc: usize) -> impl Iterator<Item = i64> {
    let next = pc as i64 + 1;
    let (a, b, c): (Option<i64>, Option<i64>, Option<i64>) = match *op {
        Op::Ret { .. } | Op::Throw { .. } | Op::Rethrow { .. } => (None, None, None),
        Op::Jmp { off } => (Some(next + off as i64), None, None),
        // Taken or not; `PushHandler`'s target is where its handler resumes.
        Op::JmpIf { off, .. }
        | Op::JmpIfNot { off, .. }
        | Op::IterUnpack { off, .. }
        | Op::IterUnpackNext { off, .. }
        | Op::PushHandler { off, .. } => (Some(next), Some(next + off as i64), None),
        // The next op (`IterUnpack`/`IterUnpackNext`, after a generic
        // `iterate` call), the op after it (a builtin collection's
        // step), and the jump.
        Op::IterFirst { off, .. } | Op::IterNext { off, .. } => {
            (Some(next), Some(next + 1), Some(next + off as i64))
        }
        // The resume op (after a generic comparison), the op after it
        // (not taken) and the jump (relative to the op after the resume op).
        Op::BrLt { off, .. }
        | Op::BrNotLt { off, .. }
        | Op::BrLe { off, .. }
        | Op::BrNotLe { off, .. }
        | Op::BrLtK { off, .. }
        | Op::BrNotLtK { off, .. }
        | Op::BrLeK { off, .. }
        | Op::BrNotLeK { off, .. }
        | Op::BrGtK { off, .. }
        | Op::BrNotGtK { off, .. }
        | Op::BrGeK { off, .. }
        | Op::BrNotGeK { off, .. } => (Some(next), Some(next + 1), Some(next + 1 + off as i64)),
        // A passed keyword skips the default's `skip` ops.
        Op::KwGet { skip, .. } => (Some(next), Some(next + skip as i64), None),
        Op::Move { .. }
        | Op::LoadNothing { .. }
        | Op::LoadBool { .. }
        | Op::LoadInt { .. }
        | Op::LoadConst { .. }
        | Op::GetGlobal { .. }
        | Op::SetGlobal { .. }
        | Op::SetConstGlobal { .. }
        | Op::GetCapture { .. }
        | Op::NewBox { .. }
        | Op::BoxGet { .. }
        | Op::BoxSet { .. }
        | Op::Closure { .. }
        | Op::CheckDefined { .. }
        | Op::Undef { .. }
        | Op::Add { .. }
        | Op::Sub { .. }
        | Op::Mul { .. }
        | Op::Div { .. }
        | Op::Rem { .. }
        | Op::IntDiv { .. }
        | Op::Pow { .. }
        | Op::Lt { .. }
        | Op::Le { .. }
        | Op::Eq { .. }
        | Op::Ne { .. }
        | Op::Is { .. }
        | Op::AddImm { .. }
        | Op::BitAnd { .. }
        | Op::BitOr { .. }
        | Op::BitXor { .. }
        | Op::Shl { .. }
        | Op::Shr { .. }
        | Op::UShr { .. }
        | Op::AddK { .. }
        | Op::SubK { .. }
        | Op::MulK { .. }
        | Op::DivK { .. }
        | Op::KAdd { .. }
        | Op::KSub { .. }
        | Op::KMul { .. }
        | Op::KDiv { .. }
        | Op::LtK { .. }
        | Op::EqK { .. }
        | Op::NeK { .. }
        | Op::RemK { .. }
        | Op::LeK { .. }
        | Op::GtK { .. }
        | Op::GeK { .. }
        | Op::Neg { .. }
        | Op::Not { .. }
        | Op::Call { .. }
        | Op::CallGlobal { .. }
        | Op::CallKw { .. }
        | Op::CallSplat { .. }
        | Op::GetField { .. }
        | Op::SetField { .. }
        | Op::GetIndex { .. }
        | Op::SetIndex { .. }
        | Op::GetRef { .. }
        | Op::SetRef { .. }
        | Op::Tuple { .. }
        | Op::Vect { .. }
        | Op::Splat { .. }
        | Op::Push { .. }
        | Op::Unpack { .. }
        | Op::PopHandler
        | Op::ExcRestore { .. }
        | Op::KwRest { .. }
        | Op::KwCheck { .. } => (Some(next), None, None),
    };
    [a, b, c].into_iter().flatten()
}

/// Check that `p` and its nested prototypes are well formed (module doc);
/// the error names the function and the op.
pub fn verify(p: &Proto) -> Result<(), String> {
    verify_one(p)?;
    p.protos.iter().try_for_each(|c| verify(c))
}

/// Check `p` itself (not its nested prototypes): all of [`verify`] but
/// the last point.
pub fn verify_one(p: &Proto) -> Result<(), String> {
    let n = p.code.len();
    let bad = |pc: usize, what: &str| Err(format!("{}: pc {pc} ({:?}): {what}", p.name, p.code[pc]));
    match p.code.last() {
        None => return Err(format!("{}: no ops", p.name)),
        Some(op) if !is_terminator(op) => return bad(n - 1, "the last op is not a terminator"),
        Some(_) => {}
    }
    for (pc, op) in p.code.iter().enumerate() {
        if successors(op, pc).any(|t| t < 0 || t >= n as i64) {
            return bad(pc, "control leaves the code");
        }
        if const_operand(op).is_some_and(|k| k as usize >= p.consts.len()) {
            return bad(pc, "constant index out of range");
        }
        if let Op::Closure { proto, .. } = *op {
            if proto as usize >= p.protos.len() {
                return bad(pc, "prototype index out of range");
            }
        }
        if let Some((when, off)) = op.fused_branch() {
            let resumes = match p.code.get(pc + 1) {
                Some(Op::JmpIf { off: o, .. }) => when && *o == off as i32,
                Some(Op::JmpIfNot { off: o, .. }) => !when && *o == off as i32,
                _ => false,
            };
            if !resumes {
                return bad(pc, "a fused comparison without its resume jump");
            }
        }
    }
    if p.consts.iter().any(|c| matches!(c, Const::Proto(i) if *i as usize >= p.protos.len())) {
        return bad(0, "prototype index out of range");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::verify;
    use crate::op::Op;
    use crate::proto::{Const, Proto};
    use jlx_base::{Span, Sym};

    fn proto(code: Vec<Op>, consts: Vec<Const>) -> Proto {
        Proto {
            name: Sym::new("v"),
            span: Span::default(),
            nparams: 0,
            vararg: false,
            has_kw: false,
            ncaptures: 0,
            nregs: 8,
            spans: vec![Span::default(); code.len()],
            code,
            consts,
            protos: vec![],
            param_names: vec![],
            toplevel: false,
        }
    }

    #[test]
    fn well_formed_code_passes() {
        let code = vec![
            Op::LoadConst { dst: 0, k: 0 },
            Op::LtK { dst: 1, a: 0, k: 0 },
            Op::JmpIfNot { cond: 1, off: 1 },
            Op::Ret { src: 0 },
            Op::Jmp { off: -5 },
            Op::BrLtK { a: 0, k: 0, off: -7 },
            Op::JmpIf { cond: 1, off: -7 },
            Op::BrNotLe { a: 0, b: 1, off: -9 },
            Op::JmpIfNot { cond: 1, off: -9 },
            Op::Ret { src: 0 },
        ];
        assert_eq!(verify(&proto(code, vec![Const::Int(1)])), Ok(()));
    }

    #[test]
    fn bad_code_is_refused() {
        let ret = Op::Ret { src: 0 };
        let cases: Vec<(Vec<Op>, &str)> = vec![
            (vec![], "no ops"),
            (vec![Op::LoadInt { dst: 0, val: 1 }], "not a terminator"),
            (vec![Op::Jmp { off: 1 }, ret], "leaves"),
            (vec![Op::Jmp { off: -2 }, ret], "leaves"),
            (vec![Op::JmpIf { cond: 0, off: 5 }, ret], "leaves"),
            (vec![Op::PushHandler { exc: 0, off: 9 }, ret], "leaves"),
            // `IterFirst`/`IterNext` may step past the op after them.
            (vec![Op::IterFirst { a: 0, off: 0 }, ret], "leaves"),
            (vec![Op::IterNext { a: 0, off: -1 }, ret], "leaves"),
            (vec![Op::KwGet { dst: 1, name: 0, skip: 3 }, ret], "leaves"),
            (vec![Op::LoadConst { dst: 0, k: 1 }, ret], "constant"),
            (vec![Op::AddK { dst: 0, a: 0, k: 7 }, ret], "constant"),
            (vec![Op::Closure { dst: 0, proto: 0, base: 1 }, ret], "prototype"),
            (vec![Op::BrLtK { a: 0, k: 3, off: 0 }, Op::JmpIf { cond: 1, off: 0 }, ret], "constant"),
            // A fused comparison needs its resume jump, of its sense and offset.
            (vec![Op::BrLt { a: 0, b: 1, off: 0 }, Op::LoadNothing { dst: 2 }, ret], "resume"),
            (vec![Op::BrLt { a: 0, b: 1, off: 0 }, Op::JmpIfNot { cond: 2, off: 0 }, ret], "resume"),
            (vec![Op::BrNotLe { a: 0, b: 1, off: 0 }, Op::JmpIfNot { cond: 2, off: -1 }, ret], "resume"),
            (vec![Op::BrNotGeK { a: 0, k: 0, off: 1 }, Op::JmpIfNot { cond: 2, off: 1 }, ret], "leaves"),
        ];
        for (code, what) in cases {
            let r = verify(&proto(code.clone(), vec![Const::Int(1)]));
            assert!(r.as_ref().is_err_and(|e| e.contains(what)), "{code:?}: {r:?}");
        }
    }

    #[test]
    fn nested_prototypes_are_checked() {
        let mut p = proto(vec![Op::Ret { src: 0 }], vec![]);
        p.protos.push(std::sync::Arc::new(proto(vec![Op::Jmp { off: 3 }], vec![])));
        assert!(verify(&p).is_err());
    }
}
