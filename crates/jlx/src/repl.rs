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
//! Non-terminal stdin is read in one of two [`Mode`]s: with `-i`, each
//! input is echoed after the prompt, so the output reads as a transcript;
//! without, as Julia's fallback REPL (`julia < input`): no prompt, each
//! input's value displayed, errors reported and the next input run
//! (`run_plain_file` for a regular file, which Julia parses whole).

use crate::input::{self, Event, Request};
use crate::session::{Outcome, Session};
use jlx_bytecode::ModId;
use jlx_vm::Value;
use rustyline::ExternalPrinter;
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::TryRecvError;
use std::sync::{Arc, Mutex};

pub const PROMPT: &str = "jlx> ";

/// How the REPL reads its inputs and answers them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// stdin and stdout are terminals: the line editor.
    Terminal,
    /// `-i` with stdin or stdout not a terminal: each input is echoed after
    /// the prompt and each answer followed by a blank line, a transcript
    /// of the session (jlx's; Julia prints no prompts there).
    Transcript,
    /// Non-terminal stdin without `-i` (`echo 'x = 1' | jlx`, `jlx < file`):
    /// Julia's fallback REPL. No banner or prompt; each complete input
    /// (named `none`, its lines counted from 1) is evaluated in turn and
    /// its value, unless `nothing`, displayed in full (`display` without
    /// `:limit`), a trailing `;` notwithstanding; an error is reported and
    /// the next input runs; the exit status is 0 unless `exit(n)`.
    Plain,
}

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
pub fn run(s: &mut Session, mode: Mode, quiet: bool) -> i32 {
    let terminal = mode == Mode::Terminal;
    let waker = s.driver.waker();
    let history = if terminal { history_path() } else { None };
    let mut inp = match input::start(s.rt.clone(), waker.clone(), terminal, history) {
        Ok(i) => i,
        Err(e) => {
            crate::session::eprint_quietly(&format!("jlx: {e}\n"));
            return 1;
        }
    };
    let events = std::mem::replace(&mut inp.events, std::sync::mpsc::channel().1);
    s.driver.interactive = true;
    // With `--virtual-time`, input that is not typed is taken as ready:
    // the driver then waits for the next line instead of seeing every task
    // blocked and moving the clock on, so how fast the input arrives never
    // changes what the session prints.
    let input_is_ready = !terminal && s.rt.opts.virtual_time;
    s.driver.input = Some(Box::new(move || {
        let got = if input_is_ready {
            events.recv().map_err(|_| TryRecvError::Disconnected)
        } else {
            events.try_recv()
        };
        match got {
            Ok(Event::Line(l)) => Some(Value::str(l)),
            Ok(Event::Eof) | Err(TryRecvError::Disconnected) => Some(Value::Nothing),
            Err(TryRecvError::Empty) => None,
        }
    }));
    s.vm.display_limit = mode != Mode::Plain;
    let (wait_code, show_code) = match (
        s.compile("none", "__repl_input__()", ModId::MAIN, true),
        s.compile("none", "Base.display(ans)", ModId::MAIN, true),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        _ => {
            crate::session::eprint_quietly("jlx: internal error: cannot compile the REPL's helpers\n");
            return 70;
        }
    };
    let sink =
        inp.printer.take().map(|p| Arc::new(Mutex::new(PromptSink { printer: p, partial: String::new() })));
    if !quiet && mode != Mode::Plain {
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
        if mode == Mode::Plain {
            let got = s.run_source("none", &line, ModId::MAIN, false);
            answer(s, got, false, show_code);
            continue;
        }
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
        let got = s.run_source(&name, &line, ModId::MAIN, true);
        answer(s, got, ends_with_semicolon(&line), show_code);
        out(s, "\n");
    }
    if terminal {
        out(s, "\n");
    }
    s.flush();
    s.exit_code.unwrap_or(0)
}

/// One input's outcome: the value goes to `ans` and is displayed (unless
/// it is `nothing` or `hide`), an error is reported.
fn answer(s: &mut Session, got: Outcome, hide: bool, show_code: &'static jlx_vm::code::Code) {
    match got {
        Outcome::Value(v) => {
            let show = !matches!(v, Value::Nothing) && !hide;
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
}

/// [`Mode::Plain`] for standard input that is a regular file
/// (`jlx < file`), read as Julia's fallback REPL reads one: the whole text
/// is parsed at once (a syntax error anywhere is reported and nothing
/// runs), then each top-level statement is evaluated in turn, the
/// statements of one line (`x = 1; x + 1`) together, with line numbers
/// of the whole file. Returns the exit code.
pub fn run_plain_file(s: &mut Session, text: &str) -> i32 {
    s.driver.interactive = true;
    s.vm.display_limit = false;
    let Ok(show_code) = s.compile("none", "Base.display(ans)", ModId::MAIN, true) else {
        crate::session::eprint_quietly("jlx: internal error: cannot compile the REPL's helpers\n");
        return 70;
    };
    let file = s.rt.sources.add("none", text);
    let prog = match jlx_syntax::parse_program(text, file) {
        Ok(p) => p,
        Err(d) => {
            answer(s, Outcome::Diagnostics(d), false, show_code);
            return s.exit_code.unwrap_or(0);
        }
    };
    for unit in line_units(&prog.body, text) {
        let got = match s.compile_items(file, text, "none", unit, ModId::MAIN) {
            Ok(code) => s.run_code(code),
            Err(d) => Outcome::Diagnostics(d),
        };
        answer(s, got, false, show_code);
    }
    s.flush();
    s.exit_code.unwrap_or(0)
}

/// The top-level statements grouped as Julia's parser groups them: those
/// separated by `;` on one line form one unit (its value is the last
/// one's), a newline starts the next.
fn line_units<'a>(body: &'a [jlx_syntax::ast::Expr], text: &str) -> Vec<&'a [jlx_syntax::ast::Expr]> {
    let mut units = Vec::new();
    let mut start = 0;
    for k in 1..=body.len() {
        let ends = k == body.len()
            || text
                .get(body[k - 1].span.end as usize..body[k].span.start as usize)
                .is_none_or(|g| g.contains('\n'));
        if ends {
            units.push(&body[start..k]);
            start = k;
        }
    }
    units
}

/// Write REPL text to stdout after the program's buffered output.
fn out(s: &mut Session, text: &str) {
    s.flush();
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(text.as_bytes());
    let _ = o.flush();
}
