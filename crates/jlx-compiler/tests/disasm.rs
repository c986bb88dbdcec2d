//! Compiles small programs and checks the disassembly shows the intended
//! code shapes (register reuse, fast paths, loop protocol).

use jlx_base::SourceMap;
use jlx_bytecode::{disasm::disassemble, GlobalNames, ModId};
use jlx_compiler::{compile_program, Options};

/// A name table where Base binds the arithmetic operators, as at run time.
fn base_names() -> GlobalNames {
    let names = GlobalNames::new();
    for op in ["+", "-", "*", "/", "<", ">", ":"] {
        names.intern(ModId::BASE, jlx_base::Sym::new(op));
    }
    names
}

fn disasm(src: &str) -> String {
    let sources = SourceMap::new();
    let file = sources.add("t.jlx", src);
    let prog = jlx_syntax::parse_program(src, file).expect("parses");
    let opts = Options { source_name: "t.jlx".into(), module: ModId::MAIN, interactive: false };
    let c = match compile_program(&prog, file, src, &base_names(), &opts) {
        Ok(c) => c,
        Err(e) => panic!("compile errors: {:?}", e.iter().map(|d| &d.message).collect::<Vec<_>>()),
    };
    disassemble(&c.proto)
}

#[test]
fn increment_uses_add_immediate() {
    let d = disasm("f(x) = x + 1");
    assert!(d.contains("AddImm { dst: 1, a: 0, imm: 1 }"), "{d}");
    assert!(d.contains("Ret { src: 1 }"), "{d}");
}

#[test]
fn local_assignment_writes_the_local_register() {
    let d = disasm("function g(a)\n  s = a * a\n  s = s - 2\n  return s\nend");
    assert!(d.contains("Mul { dst: 1, a: 0, b: 0 }"), "{d}");
    assert!(d.contains("AddImm { dst: 1, a: 1, imm: -2 }"), "{d}");
}

#[test]
fn for_loop_uses_the_iteration_ops() {
    let d = disasm("function h(n)\n  t = 0\n  for i in 1:n\n    t += i\n  end\n  t\nend");
    for op in ["IterFirst", "IterUnpack", "IterNext", "IterUnpackNext"] {
        assert!(d.contains(op), "{op} missing in\n{d}");
    }
}

#[test]
fn captured_and_reassigned_local_is_boxed() {
    let d = disasm("function k()\n  c = 0\n  inc = () -> (c += 1)\n  inc()\n  c\nend");
    assert!(d.contains("NewBox"), "{d}");
    assert!(d.contains("BoxSet"), "{d}");
}

#[test]
fn break_outside_loop_is_a_compile_error() {
    let sources = SourceMap::new();
    let src = "break";
    let file = sources.add("t.jlx", src);
    let prog = jlx_syntax::parse_program(src, file).expect("parses");
    let opts = Options { source_name: "t.jlx".into(), module: ModId::MAIN, interactive: false };
    let errs = compile_program(&prog, file, src, &GlobalNames::new(), &opts).err().expect("error");
    assert!(errs[0].message.contains("`break` outside a loop"));
}

#[test]
fn definitely_assigned_locals_are_read_without_checks() {
    let src = "function q(a, lo, hi)\n  i, j = lo, hi\n  while i < j\n    a[i], a[j] = a[j], a[i]\n    i, j = i + 1, j - 1\n  end\n  i\nend";
    let d = disasm(src);
    assert!(!d.contains("CheckDefined"), "{d}");
    assert!(!d.contains("Undef"), "{d}");
    // Statement-context destructuring builds no tuple, and locals are operands in place.
    assert!(!d.contains("Tuple"), "{d}");
    assert!(d.contains("BrNotLt { a: 3, b: 4, off: 8 }"), "{d}");
    assert!(d.contains("GetIndex { dst: 7, obj: 0, idx: 4 }"), "{d}");
}

#[test]
fn conditionally_assigned_local_keeps_its_check() {
    let d = disasm("function c(x)\n  if x\n    y = 1\n  end\n  y\nend");
    assert!(d.contains("Undef { reg: 1 }"), "{d}");
    assert!(d.contains("CheckDefined { reg: 1, name: 0 }"), "{d}");
}

#[test]
fn a_local_assigned_by_a_later_operand_is_copied_first() {
    let d = disasm("function e()\n  i = 1\n  i + (i = 2)\nend");
    assert!(d.contains("Move { dst: 2, src: 0 }"), "{d}");
    assert!(d.contains("Add { dst: 1, a: 2, b: 3 }"), "{d}");
}

#[test]
fn branches_of_a_tail_if_return_directly() {
    let d = disasm("fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)");
    assert!(d.contains("Ret { src: 0 }"), "{d}");
    assert!(!d.contains("Jmp {"), "{d}");
}

#[test]
fn literal_operands_use_constant_ops() {
    let d = disasm("h(x) = (x < 2) + 2.0 * x + x / 4.0 + (4.0 > x)");
    assert!(d.contains("LtK { dst: 4, a: 0, k: 0 }  ; K = 2"), "{d}");
    assert!(d.contains("KMul"), "{d}");
    assert!(d.contains("DivK"), "{d}");
    assert!(d.contains("LtK { dst: 3, a: 0, k: 2 }  ; K = 4.0"), "{d}");
    // The method body loads no constant (the top level loads `h`'s global id).
    let body = d.split("P0:h").nth(1).expect("the method's listing");
    assert!(!body.contains("LoadConst"), "{d}");
}

#[test]
fn while_tests_at_the_bottom_and_break_is_one_jump() {
    let d = disasm("function w(n)\n  i = 0\n  while i < n\n    if i > 10\n      break\n    end\n    i += 1\n  end\n  i\nend");
    // Rotated: the small condition is tested before the loop and at the
    // bottom, so no `Jmp` at all (one conditional branch per iteration);
    // each comparison is fused with its jump, which stays as its resume op.
    assert!(
        d.contains("BrNotLt { a: 1, b: 0, off: 5 }  ; -> 8\n     2  JmpIfNot { cond: 3, off: 5 }  ; -> 8"),
        "{d}"
    );
    assert!(
        d.contains(
            "BrGtK { a: 1, k: 0, off: 3 }  ; K = 10  ; -> 8\n     4  JmpIf { cond: 4, off: 3 }  ; -> 8"
        ),
        "{d}"
    );
    assert!(
        d.contains("BrLt { a: 1, b: 0, off: -5 }  ; -> 3\n     7  JmpIf { cond: 3, off: -5 }  ; -> 3"),
        "{d}"
    );
    assert!(!d.contains("Jmp {"), "{d}");
}

#[test]
fn large_while_condition_is_compiled_once_at_the_bottom() {
    let src = "function w(n)\n  i = 0\n  while i + i + i + i + i + i + i < n + n + n + n + n + n\n    i += 1\n  end\n  i\nend";
    let d = disasm(src);
    let body = d.split("P0:w").nth(1).expect("the method's listing");
    assert_eq!(body.matches("Lt {").count(), 1, "{d}");
    assert!(body.contains("Jmp { off: 1 }  ; -> 3"), "{d}");
}

#[test]
fn while_true_is_one_backward_jump() {
    let d = disasm("function w(n)\n  i = 0\n  while true\n    i += 1\n    i > n && break\n  end\n  i\nend");
    let body = d.split("P0:w").nth(1).expect("the method's listing");
    assert!(!body.contains("LoadTrue") && !body.contains("LoadBool"), "{d}");
    // `i > n && break` is one conditional jump out; the loop one `Jmp` back.
    assert!(body.contains("JmpIf { cond: 4, off: 1 }  ; -> 5"), "{d}");
    assert_eq!(body.matches("Jmp {").count(), 1, "{d}");
}

#[test]
fn for_loop_variable_is_the_iteration_register() {
    let d = disasm("function s(n)\n  t = 0\n  for k in 1:n\n    t += k\n  end\n  t\nend");
    assert!(d.contains("IterUnpack { a: 4, off: 3 }  ; -> 10\n     7  Add { dst: 1, a: 1, b: 6 }"), "{d}");
}

#[test]
fn call_of_a_global_reads_it_in_the_call_op() {
    // `g(x + 1, 2)`: the arguments, then one `CallGlobal` (no `GetGlobal`);
    // keyword and splatting calls load the callee first.
    let d = disasm("function f(x)\n  g(x + 1, 2)\nend\nfunction h(x)\n  g(x...; k = 1)\nend");
    let f = d.split("P0:f").nth(1).expect("f's listing").split("P1:h").next().unwrap();
    assert!(f.contains("AddImm { dst: 2, a: 0, imm: 1 }\n     1  LoadInt { dst: 3, val: 2 }\n     2  CallGlobal { base: 1, nargs: 2,"), "{d}");
    assert!(!f.contains("GetGlobal"), "{d}");
    let h = d.split("P1:h").nth(1).expect("h's listing");
    assert!(h.contains("GetGlobal") && h.contains("CallSplat") && !h.contains("CallGlobal"), "{d}");
}

#[test]
fn only_a_comparison_read_by_nothing_but_its_jump_is_fused() {
    // A local keeps its Bool.
    let d = disasm("function k(a, b)\n  c = a < b\n  if c\n    return 1\n  end\n  2\nend");
    assert!(d.contains("Lt { dst: 2, a: 0, b: 1 }\n     1  JmpIfNot { cond: 2"), "{d}");
    assert!(!d.contains("Br"), "{d}");
    // Both branches of a ternary condition reach the jump; only the last
    // comparison is fused, the first one's path jumps to the resume op.
    let d = disasm("function p(c, a, b)\n  if (c ? a < b : b < a)\n    return 1\n  end\n  2\nend");
    assert!(d.contains("1  Lt { dst: 4, a: 1, b: 2 }\n     2  Jmp { off: 1 }  ; -> 4"), "{d}");
    assert!(d.contains("BrNotLt { a: 2, b: 1, off: 2 }  ; -> 7\n     4  JmpIfNot { cond: 4"), "{d}");
}
