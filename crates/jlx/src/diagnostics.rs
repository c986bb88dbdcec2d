//! Rendering `Diagnostic`s with ariadne: byte-indexed spans, colour only
//! when stderr is a terminal.

use ariadne::{Config, IndexType, Label, Report, ReportKind, Source};
use jlx_base::{Diagnostic, Severity};
use jlx_vm::Runtime;
use std::io::IsTerminal;

fn render(rt: &Runtime, d: &Diagnostic) {
    let file = rt.sources.get(d.span.file);
    let name = file.name.clone();
    let color = std::io::stderr().is_terminal();
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
    let _ = report.finish().eprint((name, Source::from(file.text.as_str())));
}

pub fn render_errors(rt: &Runtime, diags: &[Diagnostic]) {
    for d in diags {
        render(rt, d);
    }
}

/// Compiler warnings in the form Julia's logger prints them.
pub fn render_warnings(rt: &Runtime, diags: &[Diagnostic]) {
    for d in diags {
        eprint!("┌ Warning: {}\n└ @ {}\n", d.message, rt.sources.describe(d.span));
    }
}
