//! The REPL's input thread. It owns the line source: a rustyline `Editor`
//! when stdin and stdout are terminals (history, Ctrl-R search, completion
//! through `assist`, continuation lines decided by the parser), otherwise
//! plain lines from stdin grouped into complete inputs by the same parser
//! check. Each input goes to the interactive thread as an [`Event`] over a
//! channel, followed by a wake-up of the driver's event loop, so tasks run
//! on that thread while the prompt waits.
//!
//! Help mode, as Julia's: `?` typed at an empty `jlx> ` prompt switches
//! the prompt to `help?> ` (a key handler ends the read with a flag, and
//! the prompt line is redrawn); the next line goes out as `?line`;
//! Backspace at an empty `help?> ` or Ctrl-C goes back to `jlx> `.
//!
//! Continuation lines are shown as Julia's line editor shows them: under
//! the first column after the prompt (`jlx> ` is 5 wide). Enter on an
//! incomplete input inserts a newline and that indentation, and the
//! indentation is taken off again before the input is evaluated
//! (`strip_continuation`), so the text run is what was typed.
//!
//! Pasting (the terminal's bracketed paste) works as in Julia's REPL:
//! pasted text at the end of the input runs as if typed, so each complete
//! input in it is evaluated in turn with its own prompt and answer (the
//! paste markers only set `ModeKeys::paste`: its newlines submit complete
//! inputs and continue incomplete ones, blank lines are skipped, a Tab is
//! a Tab, not a completion); pasted into the middle of an input, it is
//! inserted as it is (its newlines included).
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
use rustyline::{
    Cmd, ConditionalEventHandler, Config, Context, Editor, EventContext, EventHandler, ExternalPrinter,
    Helper, KeyCode, KeyEvent, Modifiers, RepeatCount,
};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;

/// The prompt of help mode.
pub const HELP_PROMPT: &str = "help?> ";

/// What a mode key asked for (`ModeKeys::switch`).
const STAY: u8 = 0;
const TO_HELP: u8 = 1;
const TO_NORMAL: u8 = 2;

/// What pasted text does (`ModeKeys::paste`): nothing is being pasted;
/// pasted at the end of the input, it runs as typed; pasted inside the
/// input, it is inserted as it is.
const NO_PASTE: u8 = 0;
const PASTE_RUN: u8 = 1;
const PASTE_INSERT: u8 = 2;

/// The line editor's mode state, shared by the key handlers and the input
/// thread.
#[derive(Default)]
struct ModeKeys {
    /// The prompt shown is `help?> `.
    help: AtomicBool,
    /// Set by a key handler that ended the read to change the mode.
    switch: AtomicU8,
    /// Between the terminal's paste markers: `PASTE_RUN` or
    /// `PASTE_INSERT` (a paste may span several reads: each complete
    /// input in it ends one).
    paste: AtomicU8,
}

impl ModeKeys {
    fn paste(&self) -> u8 {
        self.paste.load(Ordering::Relaxed)
    }
}

/// The terminal's paste markers (`ESC [200~`, `ESC [201~`): the pasted
/// text then arrives as keys, which the other handlers treat as pasted.
/// (Without this, rustyline would insert the whole text at once.)
struct PasteKey {
    modes: Arc<ModeKeys>,
    start: bool,
}

impl ConditionalEventHandler for PasteKey {
    fn handle(&self, _: &rustyline::Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        let line = ctx.line();
        let mode = if !self.start {
            NO_PASTE
        } else if ctx.pos() == line.len() && !line.contains('\n') {
            // As Julia: pasted at the end of a one-line input, it runs.
            PASTE_RUN
        } else {
            PASTE_INSERT
        };
        self.modes.paste.store(mode, Ordering::Relaxed);
        Some(Cmd::Noop)
    }
}

/// Tab: completion, but a Tab character in pasted text.
struct TabKey(Arc<ModeKeys>);

impl ConditionalEventHandler for TabKey {
    fn handle(&self, _: &rustyline::Event, _: RepeatCount, _: bool, _: &EventContext) -> Option<Cmd> {
        (self.0.paste() != NO_PASTE).then(|| Cmd::Insert(1, "\t".to_string()))
    }
}

/// `?` at an empty normal prompt: go to help mode.
struct HelpKey(Arc<ModeKeys>);

impl ConditionalEventHandler for HelpKey {
    fn handle(&self, _: &rustyline::Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        if self.0.help.load(Ordering::Relaxed) || !ctx.line().is_empty() || self.0.paste() != NO_PASTE {
            return None;
        }
        self.0.switch.store(TO_HELP, Ordering::Relaxed);
        // Ending the read this way keeps any keys typed after `?`.
        Some(Cmd::AcceptLine)
    }
}

/// Backspace at an empty `help?> `: back to the normal prompt.
struct BackKey(Arc<ModeKeys>);

impl ConditionalEventHandler for BackKey {
    fn handle(&self, _: &rustyline::Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        if !self.0.help.load(Ordering::Relaxed) || !ctx.line().is_empty() {
            return None;
        }
        self.0.switch.store(TO_NORMAL, Ordering::Relaxed);
        Some(Cmd::AcceptLine)
    }
}

/// Enter at the end of an incomplete input: a new line, indented to the
/// prompt's width (`CONT_INDENT`). Elsewhere the default (submit, or the
/// validator's plain newline). In pasted text: a blank line is skipped,
/// and inside a `PASTE_INSERT` paste every newline is inserted.
struct EnterKey(Arc<ModeKeys>);

/// The indentation of a continuation line: the width of `jlx> `.
pub const CONT_INDENT: usize = 5;

impl ConditionalEventHandler for EnterKey {
    fn handle(&self, _: &rustyline::Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        let line = ctx.line();
        match self.0.paste() {
            PASTE_INSERT => return Some(Cmd::Insert(1, "\n".to_string())),
            PASTE_RUN if line.trim().is_empty() => return Some(Cmd::Noop),
            _ => {}
        }
        if ctx.pos() != line.len() || is_complete(line) {
            return None;
        }
        Some(Cmd::Insert(1, format!("\n{}", " ".repeat(CONT_INDENT))))
    }
}

/// The input as typed: each continuation line loses the indentation the
/// editor put there (up to `CONT_INDENT` leading spaces).
pub fn strip_continuation(text: &str) -> String {
    let mut lines = text.split('\n');
    let mut out = String::from(lines.next().unwrap_or(""));
    for l in lines {
        out.push('\n');
        let n = l.len() - l.trim_start_matches(' ').len();
        out.push_str(&l[n.min(CONT_INDENT)..]);
    }
    out
}

/// The editor left the line of the abandoned prompt behind: move up onto
/// it and clear it, so the new prompt takes its place.
fn replace_prompt_line() {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(b"\x1b[1A\r\x1b[2K");
    let _ = o.flush();
}

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
    let modes = Arc::new(ModeKeys::default());
    ed.bind_sequence(
        KeyEvent(KeyCode::Char('?'), Modifiers::NONE),
        EventHandler::Conditional(Box::new(HelpKey(modes.clone()))),
    );
    ed.bind_sequence(
        KeyEvent(KeyCode::Backspace, Modifiers::NONE),
        EventHandler::Conditional(Box::new(BackKey(modes.clone()))),
    );
    // Enter, and Ctrl-J (a bare line feed, as pasted text or a pipe sends it).
    for key in [KeyEvent(KeyCode::Enter, Modifiers::NONE), KeyEvent(KeyCode::Char('J'), Modifiers::CTRL)] {
        ed.bind_sequence(key, EventHandler::Conditional(Box::new(EnterKey(modes.clone()))));
    }
    ed.bind_sequence(
        KeyEvent(KeyCode::Tab, Modifiers::NONE),
        EventHandler::Conditional(Box::new(TabKey(modes.clone()))),
    );
    for (code, start) in [(KeyCode::BracketedPasteStart, true), (KeyCode::BracketedPasteEnd, false)] {
        ed.bind_sequence(
            KeyEvent(code, Modifiers::NONE),
            EventHandler::Conditional(Box::new(PasteKey { modes: modes.clone(), start })),
        );
    }
    let printer = ed.create_external_printer().ok().map(|p| Box::new(p) as Box<dyn ExternalPrinter + Send>);
    let (rtx, rrx) = channel::<Request>();
    std::thread::spawn(move || read_terminal(ed, rrx, etx, waker, history, modes));
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
    modes: Arc<ModeKeys>,
) {
    while let Ok(Request::Read(prompt)) = requests.recv() {
        let mut help = false;
        let event = loop {
            modes.help.store(help, Ordering::Relaxed);
            match ed.readline(if help { HELP_PROMPT } else { &prompt }) {
                Ok(line) => {
                    match modes.switch.swap(STAY, Ordering::Relaxed) {
                        TO_HELP => help = true,
                        TO_NORMAL => help = false,
                        _ => {}
                    }
                    if line.is_empty() && modes.help.load(Ordering::Relaxed) != help {
                        replace_prompt_line();
                        continue;
                    }
                    let line = if help { format!("?{line}") } else { line };
                    if !line.trim().is_empty() && ed.add_history_entry(line.as_str()).unwrap_or(false) {
                        if let Some(h) = &history {
                            // Append at once, so a crash loses nothing.
                            let _ = ed.append_history(h);
                        }
                    }
                    break Event::Line(strip_continuation(&line));
                }
                // Ctrl-C at the prompt: drop the line, prompt again (the
                // normal prompt, from help mode too).
                Err(ReadlineError::Interrupted) => {
                    help = false;
                    modes.paste.store(NO_PASTE, Ordering::Relaxed);
                    continue;
                }
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

#[cfg(test)]
mod tests {
    use super::strip_continuation;

    #[test]
    fn continuation_indent_is_removed() {
        assert_eq!(strip_continuation("function f()\n         1\n     end"), "function f()\n    1\nend");
        // Fewer spaces than the indent (deleted by the user): all go.
        assert_eq!(strip_continuation("\"x\n  y\""), "\"x\ny\"");
        assert_eq!(strip_continuation("1 + 1"), "1 + 1");
    }
}
