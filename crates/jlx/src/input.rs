//! The REPL's input thread. It owns the line source: a rustyline `Editor`
//! when stdin and stdout are terminals (history, Ctrl-R search, completion
//! through `assist`, continuation lines decided by the parser), otherwise
//! plain lines from stdin grouped into complete inputs by the same parser
//! check. Each input goes to the interactive thread as an [`Event`] over a
//! channel, followed by a wake-up of the driver's event loop, so tasks run
//! on that thread while the prompt waits.
//!
//! Invariants: the editor reads only after the interactive thread asks
//! (`Request::Read`), so the terminal is in raw mode only while a prompt is
//! shown and Ctrl-C during an evaluation is a signal; the thread never
//! touches the VM (it reads only the `Runtime`'s name tables for
//! completion).

use jlx_vm::Runtime;
use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Config, Context, Editor, ExternalPrinter, Helper};
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;

/// What the input thread sends.
pub enum Event {
    /// One complete input (possibly several lines, without the final newline).
    Line(String),
    /// End of input (Ctrl-D, or the end of piped stdin).
    Eof,
}

/// What the interactive thread asks of a terminal input thread.
pub enum Request {
    /// Show this prompt and read one input.
    Read(String),
}

/// The interactive thread's side of the input thread.
pub struct Input {
    pub events: Receiver<Event>,
    /// `Some` for a terminal: ask for each input.
    pub requests: Option<Sender<Request>>,
    /// Prints above the prompt while the editor reads (terminal only).
    pub printer: Option<Box<dyn ExternalPrinter + Send>>,
}

/// Whether the REPL input is complete: decided by the parser (an unclosed
/// block, bracket, string or comment needs more lines). `?help` lines and
/// blank input are always complete.
pub fn is_complete(src: &str) -> bool {
    let t = src.trim_start();
    t.is_empty() || t.starts_with('?') || jlx_syntax::input_status(src) == jlx_syntax::InputStatus::Complete
}

/// The rustyline helper: parser-based validation and completion.
struct JlxHelper {
    rt: Arc<Runtime>,
}

impl Completer for JlxHelper {
    type Candidate = String;
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(crate::assist::complete(&self.rt, line, pos))
    }
}

impl Hinter for JlxHelper {
    type Hint = String;
}

impl Highlighter for JlxHelper {}

impl Validator for JlxHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if is_complete(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

impl Helper for JlxHelper {}

/// Start the input thread. `terminal`: use the line editor; `history`:
/// the history file (terminal only).
pub fn start(
    rt: Arc<Runtime>,
    waker: Arc<mio::Waker>,
    terminal: bool,
    history: Option<PathBuf>,
) -> Result<Input, String> {
    let (etx, erx) = channel();
    if !terminal {
        std::thread::spawn(move || read_plain(etx, waker));
        return Ok(Input { events: erx, requests: None, printer: None });
    }
    let config =
        Config::builder().auto_add_history(false).history_ignore_dups(true).map_err(|e| e.to_string())?;
    let mut ed: Editor<JlxHelper, DefaultHistory> =
        Editor::with_config(config.build()).map_err(|e| format!("line editor: {e}"))?;
    ed.set_helper(Some(JlxHelper { rt }));
    if let Some(h) = &history {
        // A missing file is normal the first time.
        let _ = ed.load_history(h);
    }
    let printer = ed.create_external_printer().ok().map(|p| Box::new(p) as Box<dyn ExternalPrinter + Send>);
    let (rtx, rrx) = channel::<Request>();
    std::thread::spawn(move || read_terminal(ed, rrx, etx, waker, history));
    Ok(Input { events: erx, requests: Some(rtx), printer })
}

fn send(tx: &Sender<Event>, waker: &mio::Waker, e: Event) -> bool {
    let ok = tx.send(e).is_ok();
    let _ = waker.wake();
    ok
}

fn read_terminal(
    mut ed: Editor<JlxHelper, DefaultHistory>,
    requests: Receiver<Request>,
    tx: Sender<Event>,
    waker: Arc<mio::Waker>,
    history: Option<PathBuf>,
) {
    while let Ok(Request::Read(prompt)) = requests.recv() {
        let event = loop {
            match ed.readline(&prompt) {
                Ok(line) => {
                    if !line.trim().is_empty() && ed.add_history_entry(line.as_str()).unwrap_or(false) {
                        if let Some(h) = &history {
                            // Append at once, so a crash loses nothing.
                            let _ = ed.append_history(h);
                        }
                    }
                    break Event::Line(line);
                }
                // Ctrl-C at the prompt: drop the line, prompt again.
                Err(ReadlineError::Interrupted) => continue,
                Err(_) => break Event::Eof,
            }
        };
        if !send(&tx, &waker, event) {
            return;
        }
    }
}

/// Piped input: lines grouped into complete inputs, read ahead.
fn read_plain(tx: Sender<Event>, waker: Arc<mio::Waker>) {
    let stdin = std::io::stdin();
    let mut buf = String::new();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if buf.is_empty() && line.trim().is_empty() {
            continue;
        }
        if !buf.is_empty() {
            buf.push('\n');
        }
        buf.push_str(&line);
        if is_complete(&buf) && !send(&tx, &waker, Event::Line(std::mem::take(&mut buf))) {
            return;
        }
    }
    if !buf.is_empty() {
        send(&tx, &waker, Event::Line(buf));
    }
    send(&tx, &waker, Event::Eof);
}
