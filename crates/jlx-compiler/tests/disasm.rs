//! Compiles small programs and checks the disassembly shows the intended
//! code shapes (register reuse, fast paths, loop protocol).

use jlx_base::SourceMap;
use jlx_bytecode::{disasm::disassemble, GlobalNames, ModId};
use jlx_compiler::{compile_program, Options};

/// A name table where Base binds the arithmetic operators, as at run time.
fn base_names() -> GlobalNames {
    let names = GlobalNames::new();
    for op in ["+", "-", "*", "/", "<", ":"] {
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
