//! The interactive REPL: banner, `jlx> ` prompt, evaluation of each input
//! in the main task, Julia's REPL display of the value (nothing for
//! `nothing` or after a trailing `;`), `ans`, errors that return to the
//! prompt, `?name` help (through `assist`).
//!
//! While the prompt waits, the main task is suspended in
//! `Base.__repl_input__()` (`Queue::Input`) and the driver runs every other
//! task; the input thread (`input.rs`) delivers lines through the driver's
//! input source and wakes its event loop. Task output written meanwhile goes
//! through rustyline's `ExternalPrinter` (whole lines, above the prompt);
//! during an evaluation, and for non-terminal input, it goes to stdout.
//! Ctrl-C during an evaluation raises `InterruptException` in it (the
//! signal handler sets `jlx_vm::interrupt`); a deadlock is thrown into it
//! as an error.
//!
//! With non-terminal stdin (`jlx -i < file`) each input is echoed after
//! the prompt, so the output reads as a transcript.

use crate::input::{self, Event, Request};
use crate::session::{Outcome, Session};
use jlx_bytecode::ModId;
use jlx_vm::Value;
use rustyline::ExternalPrinter;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc::TryRecvError;
use std::sync::{Arc, Mutex};

pub const PROMPT: &str = "jlx> ";

fn banner() -> String {
    format!(
        "jlx {} - a Julia-flavoured interpreter with built-in tasks\n\
         Type ?name for help, Ctrl-D to exit.\n\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// The history file: `JLX_HISTORY` (empty: none), else `~/.jlx_history`.
fn history_path() -> Option<PathBuf> {
    match std::env::var_os("JLX_HISTORY") {
        Some(p) if p.is_empty() => None,
        Some(p) => Some(PathBuf::from(p)),
        None => std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".jlx_history")),
    }
}

/// Task output while a prompt is shown: whole lines go to the printer, a
/// partial line waits for its end (or for the prompt to close).
struct PromptSink {
    printer: Box<dyn ExternalPrinter + Send>,
    partial: String,
}

impl PromptSink {
    fn write(&mut self, s: &str) {
        self.partial.push_str(s);
        if let Some(k) = self.partial.rfind('\n') {
            let rest = self.partial.split_off(k + 1);
            let lines = std::mem::replace(&mut self.partial, rest);
            if self.printer.print(lines.clone()).is_err() {
                crate::session::print_quietly(&lines);
            }
        }
    }
}

/// Whether the input ends with `;` (ignoring spaces and a final comment):
/// its value is not shown.
pub fn ends_with_semicolon(src: &str) -> bool {
    let last = src.trim_end().rsplit('\n').next().unwrap_or("");
    // Cut a `#` comment that is outside string and character literals.
    let (mut in_str, mut esc, mut cut) = (None::<char>, false, last.len());
    for (i, c) in last.char_indices() {
        match in_str {
            Some(q) => {
                if esc {
                    esc = false;
                } else if c == '\\' {
                    esc = true;
                } else if c == q {
                    in_str = None;
                }
            }
            None if c == '"' || c == '\'' => in_str = Some(c),
            None if c == '#' => {
                cut = i;
                break;
            }
            None => {}
        }
    }
    last[..cut].trim_end().ends_with(';')
}

/// Run the REPL until the end of input; returns the exit code.
pub fn run(s: &mut Session, quiet: bool) -> i32 {
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let waker = s.driver.waker();
    let mut inp = match input::start(s.rt.clone(), waker.clone(), terminal, history_path()) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("jlx: {e}");
            return 1;
        }
    };
    let events = std::mem::replace(&mut inp.events, std::sync::mpsc::channel().1);
    s.driver.interactive = true;
    s.driver.input = Some(Box::new(move || match events.try_recv() {
        Ok(Event::Line(l)) => Some(Value::str(l)),
        Ok(Event::Eof) | Err(TryRecvError::Disconnected) => Some(Value::Nothing),
        Err(TryRecvError::Empty) => None,
    }));
    s.vm.display_limit = true;
    let (wait_code, show_code) = match (
        s.compile("none", "__repl_input__()", ModId::MAIN, true),
        s.compile("none", "Base.display(ans)", ModId::MAIN, true),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        _ => {
            eprintln!("jlx: internal error: cannot compile the REPL's helpers");
            return 70;
        }
    };
    let sink =
        inp.printer.take().map(|p| Arc::new(Mutex::new(PromptSink { printer: p, partial: String::new() })));
    if !quiet {
        out(s, &banner());
    }
    let mut n = 1;
    loop {
        s.flush();
        if let Some(req) = &inp.requests {
            if req.send(Request::Read(PROMPT.to_string())).is_err() {
                break;
            }
        }
        if let Some(sink) = &sink {
            let mine = sink.clone();
            s.vm.out_sink = Some(Box::new(move |t| mine.lock().unwrap_or_else(|e| e.into_inner()).write(t)));
            // Worker threads print through the same printer meanwhile.
            let theirs = sink.clone();
            *s.rt.pool.prompt_sink.lock() =
                Some(Arc::new(move |t: &str| theirs.lock().unwrap_or_else(|e| e.into_inner()).write(t)));
        }
        let got = s.run_code(wait_code);
        s.flush();
        s.vm.out_sink = None;
        *s.rt.pool.prompt_sink.lock() = None;
        if let Some(sink) = &sink {
            let rest = std::mem::take(&mut sink.lock().unwrap_or_else(|e| e.into_inner()).partial);
            out(s, &rest);
        }
        let line = match got {
            Outcome::Value(Value::Str(l)) => l.0.to_string(),
            Outcome::Value(Value::Nothing) => break,
            // Woken some other way (an error thrown into the main task is
            // already printed): prompt again.
            _ => continue,
        };
        if !terminal {
            out(s, &format!("{PROMPT}{}\n", line.replace('\n', &format!("\n{}", " ".repeat(PROMPT.len())))));
        }
        if line.trim().is_empty() {
            continue;
        }
        if let Some(q) = line.trim_start().strip_prefix('?') {
            let text = crate::assist::help(&s.rt, q.trim());
            out(s, &text);
            out(s, if text.ends_with('\n') { "\n" } else { "\n\n" });
            continue;
        }
        let name = format!("REPL[{n}]");
        n += 1;
        match s.run_source(&name, &line, ModId::MAIN, true) {
            Outcome::Value(v) => {
                let show = !matches!(v, Value::Nothing) && !ends_with_semicolon(&line);
                let g = s.rt.global(ModId::MAIN, "ans");
                *s.rt.cell(g).var.lock() = v;
                if show {
                    // Errors in a user `show` method are printed by run_code.
                    let _ = s.run_code(show_code);
                }
            }
            Outcome::Diagnostics(d) => {
                s.flush();
                crate::diagnostics::render_errors(&s.rt, &d);
            }
            Outcome::Uncaught | Outcome::Interrupted => {}
        }
        out(s, "\n");
    }
    if terminal {
        out(s, "\n");
    }
    s.flush();
    s.exit_code.unwrap_or(0)
}

/// Write REPL text to stdout after the program's buffered output.
fn out(s: &mut Session, text: &str) {
    s.flush();
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(text.as_bytes());
    let _ = o.flush();
}
