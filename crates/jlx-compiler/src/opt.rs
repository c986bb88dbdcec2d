//! Bytecode clean-up run on every finished prototype.
//!
//! Definite assignment: a forward must-analysis over the emitted code finds,
//! for each `CheckDefined { reg }`, whether `reg` holds a value (is not
//! `Undef`) on every path that reaches it; such checks are deleted. Working on
//! the bytecode rather than the AST means every construct that branches
//! (`if`, loops, `&&`, `try`, `break`, macro lowerings) is covered by the same
//! few rules: the control-flow successors of each op and the registers it
//! writes.
//!
//! Soundness rules (a register is "defined" when it cannot hold `Undef`):
//! - at entry only the parameters are defined;
//! - `Undef { reg }` undefines, `Move` copies the source's state, `CheckDefined`
//!   defines (it throws otherwise), every other op that writes a destination
//!   defines it;
//! - a call may leave stale values (also `Undef`) in the registers above its
//!   base (the callee's window when it throws), so those become undefined;
//! - an exception handler's entry state is the meet of the states of every op
//!   in its protected region. The handler nesting is computed per op; when
//!   two paths disagree on it, the function is left unchanged.
//!
//! Deleting ops remaps every jump offset (and `KwGet` skips) and the span table.

use jlx_base::Span;
use jlx_bytecode::{Op, Reg};

#[derive(Clone, PartialEq)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64).max(1)])
    }
    fn get(&self, r: usize) -> bool {
        self.0.get(r / 64).map(|w| w >> (r % 64) & 1 == 1).unwrap_or(false)
    }
    fn set(&mut self, r: usize, v: bool) {
        if let Some(w) = self.0.get_mut(r / 64) {
            if v {
                *w |= 1 << (r % 64);
            } else {
                *w &= !(1 << (r % 64));
            }
        }
    }
    /// Undefine every register `>= r`.
    fn clear_from(&mut self, r: usize) {
        for i in 0..self.0.len() * 64 {
            if i >= r {
                self.set(i, false);
            }
        }
    }
    /// `self &= other`; true if `self` changed.
    fn meet(&mut self, other: &Bits) -> bool {
        let mut changed = false;
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            let n = *a & *b;
            changed |= n != *a;
            *a = n;
        }
        changed
    }
}

fn target(pc: usize, off: i64) -> usize {
    (pc as i64 + 1 + off) as usize
}

/// Control-flow successors of the op at `pc` (normal flow, not exceptions).
fn successors(code: &[Op], pc: usize, out: &mut Vec<usize>) {
    out.clear();
    match code[pc] {
        Op::Jmp { off } => out.push(target(pc, off as i64)),
        Op::JmpIf { off, .. } | Op::JmpIfNot { off, .. } => {
            out.push(pc + 1);
            out.push(target(pc, off as i64));
        }
        Op::IterFirst { off, .. } => {
            out.push(pc + 1);
            out.push(pc + 2);
            out.push(target(pc, off as i64));
        }
        Op::IterUnpack { off, .. } | Op::IterUnpackNext { off, .. } => {
            out.push(pc + 1);
            out.push(target(pc, off as i64));
        }
        Op::IterNext { off, .. } => {
            out.push(pc + 1);
            out.push(pc + 2);
            out.push(target(pc, off as i64));
        }
        Op::KwGet { skip, .. } => {
            out.push(pc + 1);
            out.push(pc + 1 + skip as usize);
        }
        Op::PushHandler { .. } => out.push(pc + 1),
        Op::Ret { .. } | Op::Throw { .. } | Op::Rethrow { .. } => {}
        // Every other op goes on to the next; a fused comparison's jumps
        // are also its resume op's (the next op), so it is one of these.
        _ => out.push(pc + 1),
    }
    out.retain(|&t| t < code.len());
}

/// The state after the op at `pc` given the state before it.
fn transfer(op: Op, s: &mut Bits) {
    let def = |s: &mut Bits, r: Reg| s.set(r as usize, true);
    match op {
        Op::Move { dst, src } => {
            let v = s.get(src as usize);
            s.set(dst as usize, v);
        }
        Op::Undef { reg } => s.set(reg as usize, false),
        Op::CheckDefined { reg, .. } => def(s, reg),
        Op::LoadNothing { dst }
        | Op::LoadBool { dst, .. }
        | Op::LoadInt { dst, .. }
        | Op::LoadConst { dst, .. }
        | Op::GetGlobal { dst, .. }
        | Op::GetCapture { dst, .. }
        | Op::NewBox { dst }
        | Op::BoxGet { dst, .. }
        | Op::Closure { dst, .. }
        | Op::Add { dst, .. }
        | Op::Sub { dst, .. }
        | Op::Mul { dst, .. }
        | Op::Div { dst, .. }
        | Op::Rem { dst, .. }
        | Op::IntDiv { dst, .. }
        | Op::Pow { dst, .. }
        | Op::Lt { dst, .. }
        | Op::Le { dst, .. }
        | Op::Eq { dst, .. }
        | Op::Ne { dst, .. }
        | Op::Is { dst, .. }
        | Op::AddImm { dst, .. }
        | Op::BitAnd { dst, .. }
        | Op::BitOr { dst, .. }
        | Op::BitXor { dst, .. }
        | Op::Shl { dst, .. }
        | Op::Shr { dst, .. }
        | Op::UShr { dst, .. }
        | Op::AddK { dst, .. }
        | Op::SubK { dst, .. }
        | Op::MulK { dst, .. }
        | Op::DivK { dst, .. }
        | Op::KAdd { dst, .. }
        | Op::KSub { dst, .. }
        | Op::KMul { dst, .. }
        | Op::KDiv { dst, .. }
        | Op::LtK { dst, .. }
        | Op::LeK { dst, .. }
        | Op::GtK { dst, .. }
        | Op::GeK { dst, .. }
        | Op::EqK { dst, .. }
        | Op::NeK { dst, .. }
        | Op::RemK { dst, .. }
        | Op::Neg { dst, .. }
        | Op::Not { dst, .. }
        | Op::GetField { dst, .. }
        | Op::GetIndex { dst, .. }
        | Op::GetRef { dst, .. }
        | Op::Tuple { dst, .. }
        | Op::Vect { dst, .. }
        | Op::Splat { dst, .. }
        | Op::Push { dst, .. }
        | Op::Unpack { dst, .. }
        | Op::KwGet { dst, .. }
        | Op::KwRest { dst, .. } => def(s, dst),
        Op::Call { base, .. }
        | Op::CallGlobal { base, .. }
        | Op::CallKw { base, .. }
        | Op::CallSplat { base } => {
            s.clear_from(base as usize + 1);
            def(s, base);
        }
        Op::IterFirst { a, .. } => s.clear_from(a as usize + 1),
        Op::IterUnpack { a, .. } | Op::IterNext { a, .. } | Op::IterUnpackNext { a, .. } => {
            s.clear_from(a as usize + 1);
            def(s, a + 1);
            def(s, a + 2);
        }
        Op::SetGlobal { .. }
        | Op::SetConstGlobal { .. }
        | Op::BoxSet { .. }
        | Op::SetField { .. }
        | Op::SetIndex { .. }
        | Op::SetRef { .. }
        | Op::Jmp { .. }
        | Op::JmpIf { .. }
        | Op::JmpIfNot { .. }
        // A fused comparison writes its resume op's register only when it
        // continues at the resume op, which reads it; its other paths are
        // the resume op's own, so its state flows on through the resume op.
        | Op::BrLt { .. }
        | Op::BrNotLt { .. }
        | Op::BrLe { .. }
        | Op::BrNotLe { .. }
        | Op::BrLtK { .. }
        | Op::BrNotLtK { .. }
        | Op::BrLeK { .. }
        | Op::BrNotLeK { .. }
        | Op::BrGtK { .. }
        | Op::BrNotGtK { .. }
        | Op::BrGeK { .. }
        | Op::BrNotGeK { .. }
        | Op::Ret { .. }
        | Op::PushHandler { .. }
        | Op::PopHandler
        | Op::ExcRestore { .. }
        | Op::Throw { .. }
        | Op::Rethrow { .. }
        | Op::KwCheck { .. } => {}
    }
}

/// The state an exception thrown by the op at `pc` carries to the handler.
fn on_throw(op: Op, s: &mut Bits) {
    match op {
        Op::Call { base, .. }
        | Op::CallGlobal { base, .. }
        | Op::CallKw { base, .. }
        | Op::CallSplat { base } => s.clear_from(base as usize + 1),
        Op::IterFirst { a, .. }
        | Op::IterUnpack { a, .. }
        | Op::IterNext { a, .. }
        | Op::IterUnpackNext { a, .. } => s.clear_from(a as usize + 1),
        // Generic fallbacks of the other ops stage their arguments above `nregs`.
        _ => {}
    }
}

/// The innermost handler (its target pc) active at each op, or `None` when
/// paths disagree about the nesting.
fn handler_nesting(code: &[Op]) -> Option<Vec<Option<usize>>> {
    let n = code.len();
    let mut stacks: Vec<Option<Vec<usize>>> = vec![None; n];
    let mut work = vec![0usize];
    if n == 0 {
        return Some(vec![]);
    }
    stacks[0] = Some(vec![]);
    let mut succ = Vec::new();
    while let Some(pc) = work.pop() {
        let st = stacks[pc].clone().expect("visited");
        let mut flow = |t: usize, s: Vec<usize>, work: &mut Vec<usize>| -> bool {
            match &stacks[t] {
                Some(old) => old == &s,
                None => {
                    stacks[t] = Some(s);
                    work.push(t);
                    true
                }
            }
        };
        match code[pc] {
            Op::PushHandler { off, .. } => {
                let t = target(pc, off as i64);
                let mut inner = st.clone();
                inner.push(t);
                if t >= n || pc + 1 >= n {
                    return None;
                }
                if !flow(pc + 1, inner, &mut work) || !flow(t, st, &mut work) {
                    return None;
                }
            }
            Op::PopHandler => {
                let mut s = st;
                s.pop()?;
                if pc + 1 < n && !flow(pc + 1, s, &mut work) {
                    return None;
                }
            }
            _ => {
                successors(code, pc, &mut succ);
                for &t in &succ {
                    if !flow(t, st.clone(), &mut work) {
                        return None;
                    }
                }
            }
        }
    }
    Some(stacks.iter().map(|s| s.as_ref().and_then(|s| s.last().copied())).collect())
}

/// Delete the `CheckDefined` ops whose register is defined on every path.
pub fn optimize(code: &mut Vec<Op>, spans: &mut Vec<Span>, nparams: u16, nregs: u16) {
    if !code.iter().any(|op| matches!(op, Op::CheckDefined { .. })) {
        return;
    }
    let Some(nest) = handler_nesting(code) else { return };
    let n = code.len();
    let nbits = nregs as usize + 1;
    let mut entry = Bits::new(nbits);
    for r in 0..nparams as usize {
        entry.set(r, true);
    }
    let mut state: Vec<Option<Bits>> = vec![None; n];
    state[0] = Some(entry);
    let mut work: Vec<usize> = vec![0];
    let mut succ = Vec::new();
    while let Some(pc) = work.pop() {
        let Some(inp) = state[pc].clone() else { continue };
        let op = code[pc];
        let mut out = inp.clone();
        transfer(op, &mut out);
        let push =
            |t: usize, s: &Bits, work: &mut Vec<usize>, state: &mut Vec<Option<Bits>>| match &mut state[t] {
                Some(old) => {
                    if old.meet(s) {
                        work.push(t);
                    }
                }
                None => {
                    state[t] = Some(s.clone());
                    work.push(t);
                }
            };
        successors(code, pc, &mut succ);
        for &t in &succ {
            push(t, &out, &mut work, &mut state);
        }
        if let Op::PushHandler { exc, off } = op {
            // Entering the handler: only the exception register and the
            // exception-stack height after it are new.
            let mut h = inp.clone();
            h.set(exc as usize, true);
            h.set(exc as usize + 1, true);
            let t = target(pc, off as i64);
            if t < n {
                push(t, &h, &mut work, &mut state);
            }
        }
        if let Some(h) = nest[pc] {
            let mut s = inp;
            on_throw(op, &mut s);
            if let Some(Op::PushHandler { exc, .. }) = handler_op(code, h) {
                s.set(exc as usize, true);
                s.set(exc as usize + 1, true);
            }
            push(h, &s, &mut work, &mut state);
        }
    }
    let keep: Vec<bool> = (0..n)
        .map(|pc| match code[pc] {
            Op::CheckDefined { reg, .. } => !matches!(&state[pc], Some(s) if s.get(reg as usize)),
            _ => true,
        })
        .collect();
    compact(code, spans, &keep);
}

/// The `PushHandler` op whose target is `h`.
fn handler_op(code: &[Op], h: usize) -> Option<Op> {
    code.iter()
        .enumerate()
        .find(|(pc, op)| matches!(op, Op::PushHandler { off, .. } if target(*pc, *off as i64) == h))
        .map(|(_, op)| *op)
}

/// Remove the ops with `keep[pc] == false`, fixing jump offsets.
fn compact(code: &mut Vec<Op>, spans: &mut Vec<Span>, keep: &[bool]) {
    if keep.iter().all(|&k| k) {
        return;
    }
    let n = code.len();
    // map[pc] = new index of the first kept op at or after pc.
    let mut map = vec![0usize; n + 1];
    let mut k = 0;
    for pc in 0..n {
        map[pc] = k;
        if keep[pc] {
            k += 1;
        }
    }
    map[n] = k;
    let mut out = Vec::with_capacity(k);
    let mut out_spans = Vec::with_capacity(k);
    for pc in 0..n {
        if !keep[pc] {
            continue;
        }
        let me = map[pc];
        let re = |off: i64| (map[target(pc, off)] as i64 - (me as i64 + 1)) as i32;
        let mut op = code[pc];
        if let Some(off) = op.jump_offset_mut() {
            *off = re(*off as i64);
        } else if let Op::KwGet { skip, .. } = &mut op {
            *skip = re(*skip as i64) as u16;
        }
        out.push(op);
        out_spans.push(spans.get(pc).copied().unwrap_or_default());
    }
    *code = out;
    *spans = out_spans;
}
