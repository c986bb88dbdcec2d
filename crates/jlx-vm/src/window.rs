//! The register window of the frame the dispatch loop is running: the
//! registers `regs[base..]` of the fiber, indexed by the operands of the
//! running code's ops without a bounds check.
//!
//! Invariant (what makes the unchecked indexing sound): a `Window` is made
//! only by [`Window::new`], which checks that it holds at least
//! `code.window` registers, and the dispatch loop indexes it only with
//! register operands of an op of that `code`, or registers those operands
//! imply (`a + 1`, `a + 2` of the iteration ops, a call's argument window,
//! the keyword register after the parameters of the keyword ops), all of
//! which are below [`jlx_bytecode::Op::reg_bound`] of the op, and
//! `code.window` is computed from exactly those bounds when the code is
//! loaded (`code::window_of`). The dispatch loop makes a new `Window`
//! whenever it switches frames (a call, a return) and never indexes one
//! with anything else. Slices of the window (`win[a..b]`, `iter_mut`) go
//! through `Deref` and stay checked.

use crate::code::{Code, RELEASE_BLOCK};
use crate::value::Value;
use std::ops::{Deref, DerefMut, Index, IndexMut, Range};

pub struct Window<'a> {
    regs: &'a mut [Value],
}

impl<'a> Window<'a> {
    /// The window `regs` (the registers from the frame's base on) of a
    /// frame running `code`.
    #[inline(always)]
    pub fn new(regs: &'a mut [Value], code: &Code) -> Window<'a> {
        assert!(regs.len() >= code.window, "register window shorter than its code needs");
        Window { regs }
    }

    /// Release the heap values of the registers of a returning frame
    /// running `code` (the code the window was made for), leaving scalars.
    #[inline(always)]
    pub fn release_heap(&mut self, code: &Code) {
        // Most frames return holding scalars only: one branch-free pass
        // ORs the tags of `code.release` blocks of `RELEASE_BLOCK`
        // registers (the window rounded up to whole blocks, a count known
        // at load time), and only a frame holding a heap value walks its
        // registers again to release them. The registers past the window
        // are `SCRATCH` registers of the frame (every frame push leaves
        // them), which belong to no live frame, so releasing them too is
        // harmless. A register file too short for the rounding (no frame
        // push makes one) is released exactly, never scanned past its end.
        // Most code needs one block: its pass is straight-line code here
        // (few registers taken in the dispatch loop); longer code loops
        // out of line.
        if code.release == 1 {
            if let Some(b) = self.regs.first_chunk_mut::<RELEASE_BLOCK>() {
                if block_tags(b) >= 8 {
                    release_slow(b);
                }
                return;
            }
        }
        release_blocks(self.regs, code);
    }
}

/// The OR of the tags of a block of registers (see [`tag`]): below 8
/// exactly when all of them are scalars.
#[inline(always)]
fn block_tags(b: &[Value; RELEASE_BLOCK]) -> u8 {
    b.iter().fold(0, |t, r| t | tag(r))
}

/// [`Window::release_heap`] of code needing more than one block.
#[inline(never)]
fn release_blocks(regs: &mut [Value], code: &Code) {
    let (blocks, _) = regs.as_chunks_mut::<RELEASE_BLOCK>();
    let Some(blocks) = blocks.get_mut(..code.release) else {
        release_slow(&mut regs[..code.window]);
        return;
    };
    // Scalars are exactly the tags below 8: the OR of scalar tags stays
    // below 8, and one heap tag (8 or more) makes it 8 or more.
    if blocks.iter().fold(0, |t, b| t | block_tags(b)) >= 8 {
        release_slow(blocks.as_flattened_mut());
    }
}

/// A register's tag for [`Window::release_heap`]: below 8 exactly for scalars
/// (the variants' own order, so the compiler reads the discriminant byte).
#[inline(always)]
fn tag(v: &Value) -> u8 {
    match v {
        Value::Undef => 0,
        Value::Nothing => 1,
        Value::Bool(_) => 2,
        Value::Int(_) => 3,
        Value::Float(_) => 4,
        Value::Char(_) => 5,
        Value::Sym(_) => 6,
        Value::Func(_) => 7,
        Value::Type(_) => 8,
        Value::Str(_) => 9,
        Value::Array(_) => 10,
        Value::Tuple(_) => 11,
        Value::Closure(_) => 12,
        Value::Obj(_) => 13,
        Value::Task(_) => 14,
    }
}

#[inline(never)]
fn release_slow(regs: &mut [Value]) {
    for r in regs {
        if !r.is_scalar() {
            *r = Value::Nothing;
        }
    }
}

impl Index<usize> for Window<'_> {
    type Output = Value;

    #[inline(always)]
    fn index(&self, i: usize) -> &Value {
        debug_assert!(i < self.regs.len(), "register {i} outside the window");
        // SAFETY: `i` is a register operand of an op of the window's code
        // (or one it implies), so `i < op.reg_bound(nparams) <= code.window <=
        // self.regs.len()` (module invariant; `Window::new` checks the last
        // inequality).
        unsafe { self.regs.get_unchecked(i) }
    }
}

impl IndexMut<usize> for Window<'_> {
    #[inline(always)]
    fn index_mut(&mut self, i: usize) -> &mut Value {
        debug_assert!(i < self.regs.len(), "register {i} outside the window");
        // SAFETY: as in `index`.
        unsafe { self.regs.get_unchecked_mut(i) }
    }
}

/// A slice of the window: checked, as any slice.
impl Index<Range<usize>> for Window<'_> {
    type Output = [Value];

    #[inline(always)]
    fn index(&self, r: Range<usize>) -> &[Value] {
        &self.regs[r]
    }
}

impl Deref for Window<'_> {
    type Target = [Value];

    #[inline(always)]
    fn deref(&self) -> &[Value] {
        self.regs
    }
}

impl DerefMut for Window<'_> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [Value] {
        self.regs
    }
}

#[cfg(test)]
mod tests {
    use super::Window;
    use crate::value::Value;
    use jlx_base::{Span, Sym};
    use jlx_bytecode::{Op, Proto};
    use std::sync::Arc;

    /// Code whose ops reach register 6 (`IterNext` on 3 uses 3 to 6).
    fn code() -> &'static crate::code::Code {
        code_with(2)
    }

    /// [`code`] declaring `nregs` registers (its window is at least 7).
    fn code_with(nregs: u16) -> &'static crate::code::Code {
        let proto = Proto {
            name: Sym::new("w"),
            span: Span::default(),
            nparams: 0,
            vararg: false,
            has_kw: false,
            ncaptures: 0,
            nregs,
            // (`IterNext` may step past the op after it: two `Ret`s follow,
            // so the code passes the verifier.)
            code: vec![Op::IterNext { a: 3, off: 0 }, Op::Ret { src: 0 }, Op::Ret { src: 0 }],
            spans: vec![Span::default(); 3],
            consts: vec![],
            protos: vec![],
            param_names: vec![],
            toplevel: false,
        };
        crate::code::load(&Arc::new(proto))
    }

    #[test]
    fn window_covers_every_register_an_op_implies() {
        // nregs says 2, the ops say 7: the window is the larger.
        assert_eq!(code().window, 7);
    }

    #[test]
    fn indexing_reads_and_writes_the_registers() {
        let mut regs: Vec<Value> = (0..7).map(Value::Int).collect();
        let c = code();
        {
            let mut w = Window::new(&mut regs, c);
            w[5] = Value::Int(50);
            assert!(matches!(w[0], Value::Int(0)));
            assert!(matches!(w[5], Value::Int(50)));
            assert_eq!(w[1..3].len(), 2);
        }
        assert!(matches!(regs[5], Value::Int(50)));
    }

    /// Registers `0..n`: strings at `heap`, Ints elsewhere.
    fn regs_with(n: usize, heap: &[usize]) -> Vec<Value> {
        (0..n)
            .map(|i| if heap.contains(&i) { Value::str(format!("s{i}")) } else { Value::Int(i as i64) })
            .collect()
    }

    fn check_released(regs: &[Value], upto: usize, heap: &[usize]) {
        for (i, r) in regs.iter().enumerate() {
            match r {
                Value::Int(x) => assert_eq!(*x, i as i64, "register {i} changed"),
                Value::Nothing => assert!(heap.contains(&i) && i < upto, "register {i} released"),
                Value::Str(_) => assert!(heap.contains(&i) && i >= upto, "register {i} kept"),
                other => panic!("register {i} holds {other:?}"),
            }
        }
    }

    #[test]
    fn release_scan_covers_whole_blocks() {
        use crate::code::{release_of, RELEASE_BLOCK};
        assert_eq!(release_of(0), 1);
        assert_eq!(release_of(1), 1);
        assert_eq!(release_of(RELEASE_BLOCK), 1);
        assert_eq!(release_of(RELEASE_BLOCK + 1), 2);
        assert_eq!(code().release, 1);
        assert_eq!(code_with(20).release, 3);
    }

    #[test]
    fn a_returning_frame_releases_its_heap_values_and_keeps_scalars() {
        // One block (window 7): heap values anywhere in the window, and in
        // the scratch register past it inside the block, are released;
        // those past the block are left alone.
        let c = code();
        let heap = [0, 6, 7, 9];
        let mut regs = regs_with(15, &heap);
        Window::new(&mut regs, c).release_heap(c);
        check_released(&regs, 8, &heap);
        // Only scalars: nothing changes.
        let mut regs = regs_with(15, &[]);
        Window::new(&mut regs, c).release_heap(c);
        check_released(&regs, 8, &[]);
        // Three blocks (window 20): each block is scanned.
        let c = code_with(20);
        for heap in [vec![3], vec![12], vec![23], vec![1, 17, 25]] {
            let mut regs = regs_with(30, &heap);
            Window::new(&mut regs, c).release_heap(c);
            check_released(&regs, 24, &heap);
        }
    }

    #[test]
    fn a_register_file_shorter_than_the_blocks_is_released_exactly() {
        // No frame push leaves one (they keep `SCRATCH` registers past the
        // window), but the scan never reads past the file.
        let c = code();
        let heap = [2, 6];
        let mut regs = regs_with(7, &heap);
        Window::new(&mut regs, c).release_heap(c);
        check_released(&regs, 7, &heap);
        let c = code_with(20);
        let heap = [19];
        let mut regs = regs_with(20, &heap);
        Window::new(&mut regs, c).release_heap(c);
        check_released(&regs, 20, &heap);
    }

    #[test]
    #[should_panic(expected = "register window shorter")]
    fn a_window_shorter_than_its_code_needs_is_refused() {
        let mut regs = vec![Value::Nothing; 6];
        let _ = Window::new(&mut regs, code());
    }
}
