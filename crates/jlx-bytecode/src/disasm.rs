//! Human-readable listing of a prototype and its nested prototypes
//! (`jlx --disasm FILE`).

use crate::op::Op;
use crate::proto::{Const, Proto};
use std::fmt::Write;

fn konst(c: &Const) -> String {
    match c {
        Const::Int(i) => i.to_string(),
        Const::Float(f) => format!("{f:?}"),
        Const::Str(s) => format!("{s:?}"),
        Const::Char(c) => format!("{c:?}"),
        Const::Sym(s) => format!(":{s}"),
        Const::Syms(s) => format!("{s:?}"),
        Const::GlobalId(g) => format!("global {g}"),
        Const::Proto(i) => format!("thunk of proto {i}"),
    }
}

/// Disassemble `proto` and, recursively, its nested prototypes.
pub fn disassemble(proto: &Proto) -> String {
    let mut out = String::new();
    write_proto(&mut out, proto, "");
    out
}

fn write_proto(out: &mut String, p: &Proto, path: &str) {
    let _ = writeln!(
        out,
        "function {}{} (params {}{}{}, captures {}, registers {})",
        path,
        p.name,
        p.nparams,
        if p.vararg { " vararg" } else { "" },
        if p.has_kw { " +kw" } else { "" },
        p.ncaptures,
        p.nregs
    );
    for (i, c) in p.consts.iter().enumerate() {
        let _ = writeln!(out, "  K{i} = {}", konst(c));
    }
    for (pc, op) in p.code.iter().enumerate() {
        let target = |off: i64| (pc as i64 + 1 + off).to_string();
        let extra = if let Some(off) = op.jump_offset() {
            format!("  ; -> {}", target(off as i64))
        } else if let Some((_, off)) = op.fused_branch() {
            // Relative to the op after the resume op.
            let k = crate::verify::const_operand(op).and_then(|k| p.consts.get(k as usize));
            let shown = k.map(|k| format!("  ; K = {}", konst(k))).unwrap_or_default();
            format!("{shown}  ; -> {}", target(off as i64 + 1))
        } else {
            let k = crate::verify::const_operand(op);
            let shown = k.and_then(|k| p.consts.get(k as usize)).map(konst).unwrap_or_default();
            match (op, k) {
                (_, None) => String::new(),
                (Op::LoadConst { .. }, _) => format!("  ; {shown}"),
                _ => format!("  ; K = {shown}"),
            }
        };
        let _ = writeln!(out, "  {pc:4}  {op:?}{extra}");
    }
    for (i, child) in p.protos.iter().enumerate() {
        out.push('\n');
        write_proto(out, child, &format!("{path}{}/P{i}:", p.name));
    }
}
