//! The instruction set. Register-based, Lua style: a frame's locals sit in
//! fixed registers, temporaries above them; a call's function and arguments
//! occupy consecutive registers `base, base+1, ..` and the callee's frame
//! starts at `base+1`, so arguments are never copied.
//!
//! Conventions: `R[x]` is register `x` of the current frame, `K[k]` constant
//! `k` of the current prototype, `P[p]` nested prototype `p`. Jump offsets are
//! relative to the next instruction. "May suspend" marks ops that can call
//! jlx code (pushing a frame) or block the task; the VM then resumes *after*
//! the op, with the op's result delivered into its destination register.

/// A register index within a frame.
pub type Reg = u16;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    /// `R[dst] = R[src]`
    Move {
        dst: Reg,
        src: Reg,
    },
    /// `R[dst] = nothing`
    LoadNothing {
        dst: Reg,
    },
    /// `R[dst] = val`
    LoadBool {
        dst: Reg,
        val: bool,
    },
    /// `R[dst] = val` (an Int64 that fits 32 bits)
    LoadInt {
        dst: Reg,
        val: i32,
    },
    /// `R[dst] = K[k]`
    LoadConst {
        dst: Reg,
        k: u32,
    },
    /// `R[dst] = global g`; throws `UndefVarError` when unbound.
    GetGlobal {
        dst: Reg,
        g: u32,
    },
    /// `global g = R[src]`; throws if `g` is a constant.
    SetGlobal {
        g: u32,
        src: Reg,
    },
    /// `const g = R[src]` (functions and types are bound this way).
    SetConstGlobal {
        g: u32,
        src: Reg,
    },
    /// `R[dst] = captured value idx` of the running closure.
    GetCapture {
        dst: Reg,
        idx: u16,
    },
    /// `R[dst] = a fresh, unassigned box` (for captured-and-reassigned locals).
    NewBox {
        dst: Reg,
    },
    /// `R[dst] = contents of box R[boxr]`; throws `UndefVarError` (local `name`, K[name]) if unassigned.
    BoxGet {
        dst: Reg,
        boxr: Reg,
        name: u16,
    },
    /// `contents of box R[boxr] = R[src]`
    BoxSet {
        boxr: Reg,
        src: Reg,
    },
    /// `R[dst] = closure of P[proto]` capturing `R[base..base+ncaptures]`.
    Closure {
        dst: Reg,
        proto: u16,
        base: Reg,
    },
    /// Throws `UndefVarError` for local K[name] if `R[reg]` was never assigned.
    CheckDefined {
        reg: Reg,
        name: u16,
    },
    /// Marks `R[reg]` unassigned (start of a scope whose local may be read before assignment).
    Undef {
        reg: Reg,
    },

    // Arithmetic and comparison: `R[dst] = R[a] op R[b]`. Int and Float
    // operands take an inline fast path; anything else calls the generic
    // function (`+`, `<`, ...), which may run jlx code (may suspend).
    Add {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Sub {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Mul {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `/`: always Float64 for numbers.
    Div {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `%` / `rem`
    Rem {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `÷` / `div`
    IntDiv {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Pow {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Lt {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Le {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Eq {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Ne {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `===` (never calls user code)
    Is {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    /// `R[dst] = R[a] + imm` (Int fast path; else generic `+`).
    AddImm {
        dst: Reg,
        a: Reg,
        imm: i16,
    },
    // Bitwise ops `& | ⊻ << >> >>>`: `R[dst] = R[a] op R[b]`, inline for
    // Int operands (shift counts 0..63) and `& | ⊻` on Bools, else the
    // generic function (may suspend).
    BitAnd {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    BitOr {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    BitXor {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Shl {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    Shr {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    UShr {
        dst: Reg,
        a: Reg,
        b: Reg,
    },
    // Constant operand forms: `R[dst] = R[a] op K[k]` (`..K`) or
    // `R[dst] = K[k] op R[a]` (`K..`), with the register forms' Int/Float
    // fast paths and generic fallback (called with the operands in source order).
    AddK {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    SubK {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    MulK {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    DivK {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    KAdd {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    KSub {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    KMul {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    KDiv {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    /// `R[dst] = R[a] < K[k]` (a comparison whose result only decides the
    /// following jump is compiled to a fused op instead: `BrLtK`, ...).
    LtK {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    /// `R[dst] = R[a] == K[k]`
    EqK {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    /// `R[dst] = R[a] != K[k]`
    NeK {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    /// `R[dst] = R[a] % K[k]`
    RemK {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    /// `R[dst] = R[a] <= K[k]`
    LeK {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    /// `R[dst] = K[k] < R[a]` (`R[a] > K[k]`)
    GtK {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    /// `R[dst] = K[k] <= R[a]` (`R[a] >= K[k]`)
    GeK {
        dst: Reg,
        a: Reg,
        k: u16,
    },
    // Fused compare-and-branch: the comparison decides the jump of the
    // op right after it, its *resume op* (a `JmpIf` after `Br..`, a
    // `JmpIfNot` after `BrNot..`, with the same offset: the verifier checks
    // both), without storing a Bool. `Br..` jumps by `off` (relative to the
    // op after the resume op) when the comparison holds, `BrNot..` when it
    // does not; else execution continues after the resume op. Operands
    // without a fast path call the generic function with the result into
    // the resume op's `cond` register and continue at the resume op (may
    // suspend), which branches on it or throws the `TypeError` of a
    // non-Bool. The compiler fuses a comparison only when its result is a
    // temporary read by nothing but the jump. (The sense is in the opcode,
    // not in a field: a field in the op's second byte made every op's
    // decoding load it.)
    /// Jump when `R[a] < R[b]` (resume op `JmpIf`).
    BrLt {
        a: Reg,
        b: Reg,
        off: i16,
    },
    /// Jump unless `R[a] < R[b]` (resume op `JmpIfNot`).
    BrNotLt {
        a: Reg,
        b: Reg,
        off: i16,
    },
    /// Jump when `R[a] <= R[b]` (resume op `JmpIf`).
    BrLe {
        a: Reg,
        b: Reg,
        off: i16,
    },
    /// Jump unless `R[a] <= R[b]` (resume op `JmpIfNot`).
    BrNotLe {
        a: Reg,
        b: Reg,
        off: i16,
    },
    /// Jump when `R[a] < K[k]` (resume op `JmpIf`).
    BrLtK {
        a: Reg,
        k: u16,
        off: i16,
    },
    /// Jump unless `R[a] < K[k]` (resume op `JmpIfNot`).
    BrNotLtK {
        a: Reg,
        k: u16,
        off: i16,
    },
    /// Jump when `R[a] <= K[k]` (resume op `JmpIf`).
    BrLeK {
        a: Reg,
        k: u16,
        off: i16,
    },
    /// Jump unless `R[a] <= K[k]` (resume op `JmpIfNot`).
    BrNotLeK {
        a: Reg,
        k: u16,
        off: i16,
    },
    /// Jump when `K[k] < R[a]` (resume op `JmpIf`).
    BrGtK {
        a: Reg,
        k: u16,
        off: i16,
    },
    /// Jump unless `K[k] < R[a]` (resume op `JmpIfNot`).
    BrNotGtK {
        a: Reg,
        k: u16,
        off: i16,
    },
    /// Jump when `K[k] <= R[a]` (resume op `JmpIf`).
    BrGeK {
        a: Reg,
        k: u16,
        off: i16,
    },
    /// Jump unless `K[k] <= R[a]` (resume op `JmpIfNot`).
    BrNotGeK {
        a: Reg,
        k: u16,
        off: i16,
    },
    /// `R[dst] = -R[src]`
    Neg {
        dst: Reg,
        src: Reg,
    },
    /// `R[dst] = !R[src]`
    Not {
        dst: Reg,
        src: Reg,
    },

    /// `pc += off`
    Jmp {
        off: i32,
    },
    /// Jump if `R[cond]` is `true`; throws `TypeError` for a non-Bool.
    JmpIf {
        cond: Reg,
        off: i32,
    },
    /// Jump if `R[cond]` is `false`; throws `TypeError` for a non-Bool.
    JmpIfNot {
        cond: Reg,
        off: i32,
    },

    /// `R[base] = R[base](R[base+1], .., R[base+nargs])`. May suspend.
    Call {
        base: Reg,
        nargs: u16,
    },
    /// `R[base] = global g; R[base] = R[base](R[base+1], .., R[base+nargs])`:
    /// a call of a global (most calls), the global read when the call is
    /// made, after the arguments, as Julia's lowered code reads a
    /// `GlobalRef` callee. Throws `UndefVarError` when unbound. May suspend.
    /// (Its operands are three `u16`s like most ops, which keeps the
    /// dispatch loop's operand decoding common to all ops; a global past
    /// `u16::MAX` is called by `GetGlobal` and `Call`.)
    CallGlobal {
        base: Reg,
        nargs: u16,
        g: u16,
    },
    /// Like `Call`, with the keyword arguments as a NamedTuple in `R[base+nargs+1]`.
    CallKw {
        base: Reg,
        nargs: u16,
    },
    /// `R[base] = R[base](R[base+1]...; R[base+2]...)`: positional args as a
    /// tuple (built with `Splat`), keywords as a NamedTuple or `nothing`. May suspend.
    CallSplat {
        base: Reg,
    },
    /// Return `R[src]` to the caller.
    Ret {
        src: Reg,
    },

    /// `R[dst] = R[obj].K[name]` (`getproperty`; may suspend for user types).
    GetField {
        dst: Reg,
        obj: Reg,
        name: u16,
    },
    /// `R[obj].K[name] = R[src]`
    SetField {
        obj: Reg,
        name: u16,
        src: Reg,
    },
    /// `R[dst] = R[obj][R[idx]]` (one index; generic `getindex` fallback may suspend).
    GetIndex {
        dst: Reg,
        obj: Reg,
        idx: Reg,
    },
    /// `R[obj][R[idx]] = R[src]`
    SetIndex {
        obj: Reg,
        idx: Reg,
        src: Reg,
    },
    /// `R[dst] = R[obj][]` (a `Ref` inline; generic `getindex` otherwise).
    GetRef {
        dst: Reg,
        obj: Reg,
    },
    /// `R[obj][] = R[src]` (a `Ref` inline; generic `setindex!` otherwise).
    SetRef {
        obj: Reg,
        src: Reg,
    },

    /// `R[dst] = (R[base], .., R[base+n-1])`
    Tuple {
        dst: Reg,
        base: Reg,
        n: u16,
    },
    /// `R[dst] = [R[base], .., R[base+n-1]]` with Julia's element-type promotion.
    Vect {
        dst: Reg,
        base: Reg,
        n: u16,
    },
    /// `R[dst] = (tuple R[dst]..., collect(R[src])...)`: splat building for `CallSplat`.
    Splat {
        dst: Reg,
        src: Reg,
    },
    /// `R[dst] = (tuple R[dst]..., R[src])`
    Push {
        dst: Reg,
        src: Reg,
    },

    /// Start iterating `R[a]`: on builtin collections, set `R[a+2]` = first
    /// element, `R[a+1]` = state, and skip the following `IterUnpack`; jump by
    /// `off` (from the next instruction) when empty. Otherwise call
    /// `iterate(R[a])` into `R[a+1]` and continue at `IterUnpack` (may suspend).
    /// `R[a+3]` becomes the last element of a unit range `x:y` (an Int), for
    /// `IterNext`'s counted step, and `nothing` for any other iterable.
    IterFirst {
        a: Reg,
        off: i32,
    },
    /// After a generic `iterate` call: `nothing` jumps by `off`; a tuple
    /// `(x, s)` sets `R[a+2] = x`, `R[a+1] = s`.
    IterUnpack {
        a: Reg,
        off: i32,
    },
    /// Advance: with an Int in `R[a+3]` (a unit range, see `IterFirst`) and
    /// the Int state in `R[a+1]`, count to it. On builtin collections set `R[a+2]`, `R[a+1]` and jump by
    /// `off` (back to the body), or fall through past the following
    /// `IterUnpackNext` when done. Otherwise call `iterate(R[a], R[a+1])` (may suspend).
    IterNext {
        a: Reg,
        off: i32,
    },
    /// After a generic `iterate(x, s)`: `nothing` falls through; a tuple
    /// unpacks into `R[a+2]`, `R[a+1]` and jumps by `off`.
    IterUnpackNext {
        a: Reg,
        off: i32,
    },

    /// `R[dst] = R[src][idx]` for destructuring (tuples, arrays, pairs; generic fallback may suspend).
    Unpack {
        dst: Reg,
        src: Reg,
        idx: u16,
    },

    /// Install an exception handler: an exception thrown before the matching
    /// `PopHandler` unwinds to this frame, stores the exception in `R[exc]`
    /// and the height of the exception stack at this op in `R[exc + 1]`,
    /// and jumps by `off`.
    PushHandler {
        exc: Reg,
        off: i32,
    },
    /// Remove the innermost handler of this frame.
    PopHandler,
    /// Leave a `catch` body (or a `finally` body run for an exception):
    /// drop the exceptions caught since its `try` began, cutting the
    /// exception stack back to the height in `R[src]` (Julia's `pop_exception`).
    ExcRestore {
        src: Reg,
    },
    /// Throw `R[src]`.
    Throw {
        src: Reg,
    },
    /// Rethrow `R[src]` keeping its original backtrace.
    Rethrow {
        src: Reg,
    },

    /// Keyword prologue: if the call passed keyword K[name], `R[dst]` = its
    /// value and skip `skip` instructions (the default's code).
    KwGet {
        dst: Reg,
        name: u16,
        skip: u16,
    },
    /// `R[dst]` = the passed keywords not named in the tuple K[names] (`kws...`).
    KwRest {
        dst: Reg,
        names: u16,
    },
    /// Throw `MethodError` if a keyword not in tuple K[names] was passed.
    KwCheck {
        names: u16,
    },
}

impl Op {
    /// The relative jump offset of a branching op (see [`Op::jump_offset_mut`]).
    pub fn jump_offset(&self) -> Option<i32> {
        let mut op = *self;
        op.jump_offset_mut().map(|off| *off)
    }

    /// The relative jump offset of a branching op (`Jmp`, the conditional
    /// jumps, the iteration ops, `PushHandler`), to read or rewrite it.
    /// `KwGet`'s `skip` is a forward count of instructions, not listed here.
    pub fn jump_offset_mut(&mut self) -> Option<&mut i32> {
        match self {
            Op::Jmp { off }
            | Op::JmpIf { off, .. }
            | Op::JmpIfNot { off, .. }
            | Op::IterFirst { off, .. }
            | Op::IterUnpack { off, .. }
            | Op::IterNext { off, .. }
            | Op::IterUnpackNext { off, .. }
            | Op::PushHandler { off, .. } => Some(off),
            _ => None,
        }
    }

    /// The fused compare-and-branch form of comparison `self` (`Lt`, `Le`
    /// and the `..K` comparisons) for a following `JmpIf` (`when`) or
    /// `JmpIfNot` (`!when`) on its result, jumping by `off` (the compiler
    /// fuses with 0: [`Op::settle_fused`] sets the offset).
    pub fn fused(&self, when: bool, off: i16) -> Option<Op> {
        Some(match (*self, when) {
            (Op::Lt { a, b, .. }, true) => Op::BrLt { a, b, off },
            (Op::Lt { a, b, .. }, false) => Op::BrNotLt { a, b, off },
            (Op::Le { a, b, .. }, true) => Op::BrLe { a, b, off },
            (Op::Le { a, b, .. }, false) => Op::BrNotLe { a, b, off },
            (Op::LtK { a, k, .. }, true) => Op::BrLtK { a, k, off },
            (Op::LtK { a, k, .. }, false) => Op::BrNotLtK { a, k, off },
            (Op::LeK { a, k, .. }, true) => Op::BrLeK { a, k, off },
            (Op::LeK { a, k, .. }, false) => Op::BrNotLeK { a, k, off },
            (Op::GtK { a, k, .. }, true) => Op::BrGtK { a, k, off },
            (Op::GtK { a, k, .. }, false) => Op::BrNotGtK { a, k, off },
            (Op::GeK { a, k, .. }, true) => Op::BrGeK { a, k, off },
            (Op::GeK { a, k, .. }, false) => Op::BrNotGeK { a, k, off },
            _ => return None,
        })
    }

    /// The plain comparison of a fused op, storing its result in `dst`.
    pub fn unfused(&self, dst: Reg) -> Option<Op> {
        Some(match *self {
            Op::BrLt { a, b, .. } | Op::BrNotLt { a, b, .. } => Op::Lt { dst, a, b },
            Op::BrLe { a, b, .. } | Op::BrNotLe { a, b, .. } => Op::Le { dst, a, b },
            Op::BrLtK { a, k, .. } | Op::BrNotLtK { a, k, .. } => Op::LtK { dst, a, k },
            Op::BrLeK { a, k, .. } | Op::BrNotLeK { a, k, .. } => Op::LeK { dst, a, k },
            Op::BrGtK { a, k, .. } | Op::BrNotGtK { a, k, .. } => Op::GtK { dst, a, k },
            Op::BrGeK { a, k, .. } | Op::BrNotGeK { a, k, .. } => Op::GeK { dst, a, k },
            _ => return None,
        })
    }

    /// A fused compare-and-branch op's sense (`true`: `Br..`, jump when the
    /// comparison holds) and offset.
    pub fn fused_branch(&self) -> Option<(bool, i16)> {
        match *self {
            Op::BrLt { off, .. }
            | Op::BrLe { off, .. }
            | Op::BrLtK { off, .. }
            | Op::BrLeK { off, .. }
            | Op::BrGtK { off, .. }
            | Op::BrGeK { off, .. } => Some((true, off)),
            Op::BrNotLt { off, .. }
            | Op::BrNotLe { off, .. }
            | Op::BrNotLtK { off, .. }
            | Op::BrNotLeK { off, .. }
            | Op::BrNotGtK { off, .. }
            | Op::BrNotGeK { off, .. } => Some((false, off)),
            _ => None,
        }
    }

    /// Give every fused op of `code` its resume op's offset (set once all
    /// jumps are final); a fused op whose offset does not fit 16 bits
    /// becomes the plain comparison into the resume op's register again.
    pub fn settle_fused(code: &mut [Op]) {
        for pc in 0..code.len() {
            let Some((when, _)) = code[pc].fused_branch() else { continue };
            let (cond, off) = match code.get(pc + 1) {
                Some(Op::JmpIf { cond, off } | Op::JmpIfNot { cond, off }) => (*cond, *off),
                other => panic!("fused comparison at {pc} followed by {other:?}"),
            };
            let plain = code[pc].unfused(cond).expect("a fused op");
            code[pc] = match i16::try_from(off) {
                Ok(o) => plain.fused(when, o).expect("a comparison"),
                Err(_) => plain,
            };
        }
    }

    /// One past the highest register the VM may read or write as a single
    /// register while executing this op: its register operands and the
    /// registers implied by them (`a + 1`, `a + 2` of the iteration ops,
    /// the argument window of a call, and for the keyword ops the keyword
    /// register after the `nparams` parameters). The VM's unchecked register access
    /// rests on this bound (`jlx_vm::code::Code::window`), so the match
    /// lists every op, with no catch-all arm: a new op must say its bound.
    pub fn reg_bound(&self, nparams: u16) -> u32 {
        let r = |x: Reg| x as u32 + 1;
        match *self {
            Op::Jmp { .. } | Op::PopHandler => 0,
            // The keywords passed sit in the register after the parameters.
            Op::KwCheck { .. } => r(nparams),
            Op::KwGet { dst, .. } | Op::KwRest { dst, .. } => r(dst).max(r(nparams)),
            Op::LoadNothing { dst }
            | Op::LoadBool { dst, .. }
            | Op::LoadInt { dst, .. }
            | Op::LoadConst { dst, .. }
            | Op::GetGlobal { dst, .. }
            | Op::GetCapture { dst, .. }
            | Op::NewBox { dst } => r(dst),
            Op::SetGlobal { src, .. }
            | Op::SetConstGlobal { src, .. }
            | Op::Ret { src }
            | Op::ExcRestore { src }
            | Op::Throw { src }
            | Op::Rethrow { src } => r(src),
            Op::CheckDefined { reg, .. } | Op::Undef { reg } => r(reg),
            Op::JmpIf { cond, .. } | Op::JmpIfNot { cond, .. } => r(cond),
            Op::Move { dst, src }
            | Op::Neg { dst, src }
            | Op::Not { dst, src }
            | Op::Splat { dst, src }
            | Op::Push { dst, src }
            | Op::Unpack { dst, src, .. } => r(dst).max(r(src)),
            Op::BoxGet { dst, boxr, .. } => r(dst).max(r(boxr)),
            Op::BoxSet { boxr, src } => r(boxr).max(r(src)),
            // The captured values `base..` are read as a (checked) slice.
            Op::Closure { dst, .. } => r(dst),
            Op::Add { dst, a, b }
            | Op::Sub { dst, a, b }
            | Op::Mul { dst, a, b }
            | Op::Div { dst, a, b }
            | Op::Rem { dst, a, b }
            | Op::IntDiv { dst, a, b }
            | Op::Pow { dst, a, b }
            | Op::Lt { dst, a, b }
            | Op::Le { dst, a, b }
            | Op::Eq { dst, a, b }
            | Op::Ne { dst, a, b }
            | Op::Is { dst, a, b }
            | Op::BitAnd { dst, a, b }
            | Op::BitOr { dst, a, b }
            | Op::BitXor { dst, a, b }
            | Op::Shl { dst, a, b }
            | Op::Shr { dst, a, b }
            | Op::UShr { dst, a, b } => r(dst).max(r(a)).max(r(b)),
            Op::AddImm { dst, a, .. }
            | Op::AddK { dst, a, .. }
            | Op::SubK { dst, a, .. }
            | Op::MulK { dst, a, .. }
            | Op::DivK { dst, a, .. }
            | Op::KAdd { dst, a, .. }
            | Op::KSub { dst, a, .. }
            | Op::KMul { dst, a, .. }
            | Op::KDiv { dst, a, .. }
            | Op::LtK { dst, a, .. }
            | Op::EqK { dst, a, .. }
            | Op::NeK { dst, a, .. }
            | Op::RemK { dst, a, .. }
            | Op::LeK { dst, a, .. }
            | Op::GtK { dst, a, .. }
            | Op::GeK { dst, a, .. } => r(dst).max(r(a)),
            // The resume op's register is the resume op's to bound.
            Op::BrLt { a, b, .. }
            | Op::BrNotLt { a, b, .. }
            | Op::BrLe { a, b, .. }
            | Op::BrNotLe { a, b, .. } => r(a).max(r(b)),
            Op::BrLtK { a, .. }
            | Op::BrNotLtK { a, .. }
            | Op::BrLeK { a, .. }
            | Op::BrNotLeK { a, .. }
            | Op::BrGtK { a, .. }
            | Op::BrNotGtK { a, .. }
            | Op::BrGeK { a, .. }
            | Op::BrNotGeK { a, .. } => r(a),
            // The callee, its arguments and (`CallKw`) the keyword tuple after them.
            Op::Call { base, nargs } => base as u32 + nargs as u32 + 1,
            Op::CallGlobal { base, nargs, .. } => base as u32 + nargs as u32 + 1,
            Op::CallKw { base, nargs } => base as u32 + nargs as u32 + 2,
            // The callee (its arguments are read by the caller of the VM loop).
            Op::CallSplat { base } => r(base),
            Op::GetField { dst, obj, .. } => r(dst).max(r(obj)),
            Op::SetField { obj, src, .. } => r(obj).max(r(src)),
            Op::GetIndex { dst, obj, idx } => r(dst).max(r(obj)).max(r(idx)),
            Op::SetIndex { obj, idx, src } => r(obj).max(r(idx)).max(r(src)),
            Op::GetRef { dst, obj } => r(dst).max(r(obj)),
            Op::SetRef { obj, src } => r(obj).max(r(src)),
            Op::Tuple { dst, base, n } | Op::Vect { dst, base, n } => r(dst).max(base as u32 + n as u32),
            // The iterable, the state, the item and (`IterFirst`, `IterNext`)
            // the end of a unit range.
            Op::IterFirst { a, .. } | Op::IterNext { a, .. } => a as u32 + 4,
            Op::IterUnpack { a, .. } | Op::IterUnpackNext { a, .. } => a as u32 + 3,
            // The exception and the exception-stack height after it.
            Op::PushHandler { exc, .. } => exc as u32 + 2,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn op_is_at_most_8_bytes() {
        assert!(std::mem::size_of::<super::Op>() <= 8, "{}", std::mem::size_of::<super::Op>());
    }

    #[test]
    fn fused_ops_settle_or_unfuse() {
        use super::Op;
        let lt = Op::Lt { dst: 3, a: 1, b: 2 };
        let mut code = vec![lt.fused(false, 0).unwrap(), Op::JmpIfNot { cond: 3, off: -7 }];
        Op::settle_fused(&mut code);
        assert_eq!(code[0], Op::BrNotLt { a: 1, b: 2, off: -7 });
        let gek = Op::GeK { dst: 4, a: 0, k: 1 };
        let mut code = vec![gek.fused(true, 0).unwrap(), Op::JmpIf { cond: 4, off: 40000 }];
        Op::settle_fused(&mut code);
        assert_eq!(code[0], gek);
        assert_eq!(Op::Eq { dst: 0, a: 1, b: 2 }.fused(true, 0), None);
    }
}
