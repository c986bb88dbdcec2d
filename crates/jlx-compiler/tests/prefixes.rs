//! Robustness: every prefix of every golden test program either fails to
//! parse or compiles without panicking (compile errors are fine) into code
//! the bytecode verifier accepts; every whole program's code stays inside
//! its frames' registers; and every loop it compiles closes with an op the
//! VM checks for Ctrl-C.

use jlx_base::SourceMap;
use jlx_bytecode::{GlobalNames, ModId, Proto};
use jlx_compiler::{compile_program, Options};
use std::path::{Path, PathBuf};

fn programs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            programs(&p, out);
        } else if p.extension().is_some_and(|x| x == "jlx") {
            out.push(p);
        }
    }
}

#[test]
fn no_prefix_panics_the_compiler() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    programs(&root.join("tests/run"), &mut files);
    programs(&root.join("examples"), &mut files);
    programs(&root.join("stdlib"), &mut files);
    assert!(!files.is_empty());
    let names = GlobalNames::new();
    let sources = SourceMap::new();
    let opts = Options { source_name: "prefix".into(), module: ModId::MAIN, interactive: false };
    for f in files {
        let src = std::fs::read_to_string(&f).expect("read");
        // Every line boundary and, for short files, every char boundary.
        let cuts: Vec<usize> = if src.len() < 600 {
            (0..=src.len()).filter(|i| src.is_char_boundary(*i)).collect()
        } else {
            std::iter::once(0).chain(src.match_indices('\n').map(|(i, _)| i)).chain([src.len()]).collect()
        };
        for cut in cuts {
            let text = &src[..cut];
            let file = sources.add("prefix", text);
            if let Ok(prog) = jlx_syntax::parse_program(text, file) {
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    compile_program(&prog, file, text, &names, &opts).ok()
                }));
                assert!(r.is_ok(), "compiler panicked on a prefix of {} ({cut} bytes):\n{text}", f.display());
                // The VM fetches ops and reads constants unchecked on the
                // strength of the verifier: what compiles must pass it.
                if let Ok(Some(c)) = r {
                    if let Err(e) = jlx_bytecode::verify::verify(&c.proto) {
                        panic!("malformed code for a prefix of {} ({cut} bytes): {e}\n{text}", f.display());
                    }
                }
            }
        }
    }
}

// The compiler's register count covers every register its code touches:
// for every function of every test program, example and library file,
// each op's `reg_bound` is at most the prototype's `nregs`. (The VM does
// not rely on this — it computes each code's window from the ops — but a
// bound above `nregs` would mean the compiler and `Op::reg_bound` disagree
// about which registers an op uses.)
/// Every op of `p` and its nested functions whose bound exceeds `nregs`.
fn overreach(p: &Proto, out: &mut Vec<String>) {
    for (pc, op) in p.code.iter().enumerate() {
        if op.reg_bound(p.nparams) > p.nregs as u32 {
            out.push(format!("{} pc {pc}: {op:?} (nregs {})", p.name, p.nregs));
        }
    }
    for c in &p.protos {
        overreach(c, out);
    }
}

/// Every backward jump of `p` and its nested functions that the VM does
/// not treat as an interrupt safepoint. The VM checks for Ctrl-C only on
/// taken backward `Jmp`/`JmpIf` and on the loop step of `IterNext`/
/// `IterUnpackNext` (`jlx_vm::interrupt`); a loop closed by any other op
/// (a backward `JmpIfNot`, say) could not be interrupted.
fn unchecked_back_edges(p: &Proto, out: &mut Vec<String>) {
    use jlx_bytecode::Op;
    for (pc, op) in p.code.iter().enumerate() {
        let backward = op.jump_offset().is_some_and(|off| off < 0);
        let checked =
            matches!(op, Op::Jmp { .. } | Op::JmpIf { .. } | Op::IterNext { .. } | Op::IterUnpackNext { .. });
        if backward && !checked {
            out.push(format!("{} pc {pc}: {op:?}", p.name));
        }
        if matches!(op, Op::IterNext { .. } | Op::IterUnpackNext { .. }) && !backward {
            out.push(format!("{} pc {pc}: {op:?} is not a backward loop step", p.name));
        }
    }
    for c in &p.protos {
        unchecked_back_edges(c, out);
    }
}

#[test]
fn every_loop_back_edge_is_an_interrupt_safepoint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for d in ["tests/run", "tests/repl", "examples", "stdlib"] {
        programs(&root.join(d), &mut files);
    }
    let names = GlobalNames::new();
    let sources = SourceMap::new();
    let (mut compiled, mut bad) = (0, Vec::new());
    for interactive in [false, true] {
        let opts = Options { source_name: "loops".into(), module: ModId::MAIN, interactive };
        for f in &files {
            let src = std::fs::read_to_string(f).expect("read");
            let file = sources.add("loops", &src);
            let Ok(prog) = jlx_syntax::parse_program(&src, file) else { continue };
            if let Ok(c) = compile_program(&prog, file, &src, &names, &opts) {
                compiled += 1;
                unchecked_back_edges(&c.proto, &mut bad);
                if let Err(e) = jlx_bytecode::verify::verify(&c.proto) {
                    bad.push(format!("{} (interactive: {interactive}): {e}", f.display()));
                }
            }
        }
    }
    assert!(compiled > 200, "only {compiled} programs compiled");
    assert!(bad.is_empty(), "loop back edges the VM does not check for Ctrl-C:\n{}", bad.join("\n"));
}

#[test]
fn every_op_stays_inside_its_frame() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for d in ["tests/run", "tests/repl", "examples", "stdlib"] {
        programs(&root.join(d), &mut files);
    }
    assert!(files.len() > 100);
    let names = GlobalNames::new();
    let sources = SourceMap::new();
    let opts = Options { source_name: "window".into(), module: ModId::MAIN, interactive: false };
    let (mut compiled, mut bad) = (0, Vec::new());
    for f in files {
        let src = std::fs::read_to_string(&f).expect("read");
        let file = sources.add("window", &src);
        let Ok(prog) = jlx_syntax::parse_program(&src, file) else { continue };
        if let Ok(c) = compile_program(&prog, file, &src, &names, &opts) {
            compiled += 1;
            overreach(&c.proto, &mut bad);
        }
    }
    assert!(compiled > 100, "only {compiled} programs compiled");
    assert!(bad.is_empty(), "ops beyond their frame's registers:\n{}", bad.join("\n"));
}
