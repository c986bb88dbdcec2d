//! Rendering `Diagnostic`s with ariadne: byte-indexed spans, colour only
//! when stderr is a terminal.

use ariadne::{Config, IndexType, Label, Report, ReportKind, Source};
use jlx_base::{Diagnostic, Severity};
use jlx_vm::Runtime;
use std::io::IsTerminal;

/// Diagnostics as plain text (for errors raised inside a running program, e.g. by `include`).
pub fn to_text(rt: &Runtime, diags: &[Diagnostic]) -> String {
    let mut out = Vec::new();
    for d in diags {
        write_report(rt, d, false, &mut out);
    }
    String::from_utf8_lossy(&out).trim_end().to_string()
}

fn render(rt: &Runtime, d: &Diagnostic) {
    let color = std::io::stderr().is_terminal();
    let mut out = Vec::new();
    write_report(rt, d, color, &mut out);
    crate::session::eprint_quietly(&String::from_utf8_lossy(&out));
}

fn write_report(rt: &Runtime, d: &Diagnostic, color: bool, out: &mut Vec<u8>) {
    let file = rt.sources.get(d.span.file);
    let name = file.name.clone();
    let kind = match d.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let mut report = Report::build(kind, (name.clone(), d.span.range()))
        .with_config(Config::default().with_index_type(IndexType::Byte).with_color(color))
        .with_message(&d.message);
    if d.labels.is_empty() {
        report = report.with_label(Label::new((name.clone(), d.span.range())).with_message(&d.message));
    }
    for l in &d.labels {
        report = report.with_label(Label::new((name.clone(), l.span.range())).with_message(&l.message));
    }
    for n in &d.notes {
        report = report.with_note(n);
    }
    let _ = report.finish().write((name, Source::from(file.text.as_str())), out);
}

pub fn render_errors(rt: &Runtime, diags: &[Diagnostic]) {
    for d in diags {
        render(rt, d);
    }
}

/// Compiler warnings in the form Julia's logger prints them.
pub fn render_warnings(rt: &Runtime, diags: &[Diagnostic]) {
    for d in diags {
        crate::session::eprint_quietly(&format!(
            "┌ Warning: {}\n└ @ {}\n",
            d.message,
            rt.sources.describe(d.span)
        ));
    }
}
