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
//! Prompt pasting, as Julia's REPL does it: when pasted text (run as
//! typed) starts with a prompt (`julia> `, jlx's own `jlx> `, or
//! `help?> `), it is taken as a transcript. Every line that starts with a
//! prompt (after spaces and Tabs; only at the line start after a
//! `help?> ` line, so the examples in a docstring do not run) begins an
//! input, with the prompt taken off (`help?> x` becomes `?x`); its
//! continuation lines lose the prompt's width of leading spaces (7 for
//! `julia> `, 5 for `jlx> `) if they have that many, and keep all of them
//! otherwise; every other line -- the transcript's output -- is dropped.
//! A paste whose first line is not a prompt is run unchanged, and so is
//! piped input (Julia strips prompts only in its paste handler). This is
//! done as the keys arrive (`PromptPaste`): the space that completes a
//! prompt at the start of a new input deletes it, the prompt's indentation
//! of a continuation line is not inserted (the editor's own indentation
//! stands in for it; a line with fewer spaces gets them back when the
//! input is accepted), and the newline ending an output line deletes that
//! line. An input left unfinished at the end of the paste stays on the
//! prompt line for editing, as in Julia. (Deleted text goes to the kill
//! ring, as rustyline's deletions do.)
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
    Helper, KeyCode, KeyEvent, Modifiers, Movement, RepeatCount,
};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};

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
    /// Prompt pasting within a `PASTE_RUN` paste.
    prompt_paste: Mutex<PromptPaste>,
}

impl ModeKeys {
    fn paste(&self) -> u8 {
        self.paste.load(Ordering::Relaxed)
    }

    fn prompt_paste(&self) -> MutexGuard<'_, PromptPaste> {
        // Only the input thread takes the lock, and nothing panics under it.
        self.prompt_paste.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A prompt that pasted text may start with (Julia's `JULIA_PROMPT` and
/// `HELP_PROMPT`, and jlx's own).
struct PastePrompt {
    text: &'static str,
    /// `help?> `: the input is a help query.
    help: bool,
}

impl PastePrompt {
    /// The indentation of the prompt's continuation lines in a transcript.
    fn width(&self) -> usize {
        self.text.len()
    }
}

const PASTE_PROMPTS: [PastePrompt; 3] = [
    PastePrompt { text: "julia> ", help: false },
    PastePrompt { text: crate::repl::PROMPT, help: false },
    PastePrompt { text: HELP_PROMPT, help: true },
];

/// Whether a paste is a transcript (`PromptPaste::state`).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Transcript {
    /// Not a paste that runs, or its first line was not a prompt.
    #[default]
    No,
    /// The first line of the paste is still arriving.
    Undecided,
    Yes,
}

/// The state of prompt pasting, kept across the reads of one paste.
#[derive(Default)]
struct PromptPaste {
    state: Transcript,
    /// The prompt that began the input being read; `None` in a transcript:
    /// the line arriving is output, to be dropped.
    input: Option<&'static PastePrompt>,
    /// The last prompt was `help?> `: only a prompt at the very start of a
    /// line begins an input (Julia's `pasting_help`).
    after_help: bool,
    /// Leading spaces of the current continuation line not inserted so far
    /// (at most the prompt's width).
    taken: usize,
    /// Continuation lines of the input that had fewer leading spaces than
    /// the prompt's width, so they keep them all: (line index, spaces),
    /// put back when the input is accepted (the editor shows them at the
    /// usual indentation).
    short_lines: Vec<(usize, usize)>,
}

impl PromptPaste {
    /// The current (last) line of `input` ends: note it if its leading
    /// spaces were fewer than the prompt's width.
    fn end_line(&mut self, input: &str, p: &PastePrompt) {
        if input.contains('\n') && self.taken > 0 && self.taken < p.width() {
            self.short_lines.push((input.matches('\n').count(), self.taken));
        }
        self.taken = 0;
    }
}

/// The prompt that `before` (the input before a space) is, with that
/// space: leading spaces and Tabs are skipped, except after `help?> `.
fn match_prompt(before: &str, after_help: bool) -> Option<&'static PastePrompt> {
    let t = if after_help { before } else { before.trim_start_matches([' ', '\t']) };
    PASTE_PROMPTS.iter().find(|p| p.text.strip_suffix(' ') == Some(t))
}

/// The last line of `text`.
fn last_line(text: &str) -> &str {
    &text[text.rfind('\n').map_or(0, |i| i + 1)..]
}

/// Put the leading spaces of short-indented continuation lines back
/// (`PromptPaste::short_lines`): after the editor's `CONT_INDENT` spaces.
fn put_back_indent(input: &str, short_lines: &[(usize, usize)]) -> String {
    let mut lines: Vec<String> = input.split('\n').map(str::to_string).collect();
    for &(i, n) in short_lines {
        if let Some(l) = lines.get_mut(i) {
            let at = l.len() - l.trim_start_matches(' ').len();
            l.insert_str(at.min(CONT_INDENT), &" ".repeat(n));
        }
    }
    lines.join("\n")
}

/// A space in pasted text: in a transcript, it completes a prompt at the
/// start of an input (the prompt is deleted; a `help?> ` input becomes a
/// help query when it is accepted), or it
/// is leading space of an input or the prompt's indentation of its
/// continuation line, and is not inserted.
struct SpaceKey(Arc<ModeKeys>);

impl ConditionalEventHandler for SpaceKey {
    fn handle(&self, _: &rustyline::Event, _: RepeatCount, _: bool, ctx: &EventContext) -> Option<Cmd> {
        let line = ctx.line();
        if self.0.paste() != PASTE_RUN || ctx.pos() != line.len() {
            return None;
        }
        let mut pp = self.0.prompt_paste();
        match pp.input {
            None if pp.state != Transcript::No && !line.contains('\n') => {
                let p = match_prompt(line, pp.after_help)?;
                pp.state = Transcript::Yes;
                pp.input = Some(p);
                pp.after_help = p.help;
                pp.taken = 0;
                pp.short_lines.clear();
                Some(Cmd::Kill(Movement::WholeBuffer))
            }
            // Julia strips the input: no leading space.
            Some(_) if line.is_empty() => Some(Cmd::Noop),
            Some(p) if !p.help && line.contains('\n') && pp.taken < p.width() => {
                let cur = last_line(line);
                if cur.len() == CONT_INDENT && cur.bytes().all(|b| b == b' ') {
                    pp.taken += 1;
                    Some(Cmd::Noop)
                } else {
                    None
                }
            }
            _ => None,
        }
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
        let mut pp = self.modes.prompt_paste();
        if !self.start {
            self.modes.paste.store(NO_PASTE, Ordering::Relaxed);
            let mut cmd = Cmd::Noop;
            match (pp.state, pp.input) {
                // The transcript ends in an output line: dropped.
                (Transcript::Yes, None) if !line.is_empty() => cmd = Cmd::Kill(Movement::WholeBuffer),
                // It ends inside an input, left for editing: what is known
                // of that input stays for its acceptance.
                (Transcript::Yes, Some(p)) => pp.end_line(line, p),
                _ => {}
            }
            pp.state = Transcript::No;
            return Some(cmd);
        }
        // As Julia: pasted at the end of a one-line input, it runs.
        let run = ctx.pos() == line.len() && !line.contains('\n');
        self.modes.paste.store(if run { PASTE_RUN } else { PASTE_INSERT }, Ordering::Relaxed);
        // A transcript is recognised at the `jlx> ` prompt (Julia: the
        // paste handler belongs to the `julia> ` prompt, not to help mode).
        let transcript = run && !self.modes.help.load(Ordering::Relaxed);
        *pp = PromptPaste {
            state: if transcript { Transcript::Undecided } else { Transcript::No },
            ..PromptPaste::default()
        };
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
            PASTE_RUN => {
                if let Some(cmd) = self.transcript_newline(line) {
                    return Some(cmd);
                }
                if line.trim().is_empty() {
                    return Some(Cmd::Noop);
                }
            }
            _ => {}
        }
        if ctx.pos() != line.len() || is_complete(line) {
            return None;
        }
        Some(Cmd::Insert(1, format!("\n{}", " ".repeat(CONT_INDENT))))
    }
}

impl EnterKey {
    /// A newline in pasted text when the paste may be a transcript: `None`
    /// if it is not one.
    fn transcript_newline(&self, line: &str) -> Option<Cmd> {
        let mut pp = self.0.prompt_paste();
        let blank = line.trim().is_empty();
        match pp.state {
            Transcript::No => return None,
            // Blank lines before the first one are skipped.
            Transcript::Undecided if blank => return Some(Cmd::Noop),
            // The first line of the paste ends without a prompt.
            Transcript::Undecided => {
                pp.state = Transcript::No;
                return None;
            }
            Transcript::Yes => {}
        }
        let Some(p) = pp.input else {
            // A line of the transcript's output.
            return Some(if line.is_empty() { Cmd::Noop } else { Cmd::Kill(Movement::WholeBuffer) });
        };
        if blank {
            if p.help {
                // `help?> ` alone: nothing to look up (Julia skips it).
                pp.input = None;
                return Some(if line.is_empty() { Cmd::Noop } else { Cmd::Kill(Movement::WholeBuffer) });
            }
            // A prompt with nothing after it: the input is on the next
            // line (Julia's parser skips the newline).
            return Some(Cmd::Noop);
        }
        if p.help {
            return Some(Cmd::AcceptLine);
        }
        pp.end_line(line, p);
        Some(if is_complete(line) {
            Cmd::AcceptLine
        } else {
            Cmd::Insert(1, format!("\n{}", " ".repeat(CONT_INDENT)))
        })
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

/// A `help?> ` input of a transcript was shown after `jlx> `: show it on
/// its help prompt instead, as typed help is.
fn show_help_prompt(query: &str) {
    let mut o = std::io::stdout().lock();
    let _ = writeln!(o, "\x1b[1A\r\x1b[2K{HELP_PROMPT}{query}");
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
    ed.bind_sequence(
        KeyEvent(KeyCode::Char(' '), Modifiers::NONE),
        EventHandler::Conditional(Box::new(SpaceKey(modes.clone()))),
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
                Ok(mut line) => {
                    {
                        // What a transcript said of this input; the next
                        // input of a paste starts afresh.
                        let mut pp = modes.prompt_paste();
                        let short_lines = std::mem::take(&mut pp.short_lines);
                        if !short_lines.is_empty() {
                            line = put_back_indent(&line, &short_lines);
                        }
                        if pp.input.is_some_and(|p| p.help) {
                            show_help_prompt(&line);
                            line = format!("?{line}");
                        }
                        pp.input = None;
                        pp.taken = 0;
                    }
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
                    *modes.prompt_paste() = PromptPaste::default();
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
    use super::{match_prompt, put_back_indent, strip_continuation};

    #[test]
    fn prompts_of_a_transcript() {
        let text = |before, after_help| match_prompt(before, after_help).map(|p| p.text);
        assert_eq!(text("julia>", false), Some("julia> "));
        assert_eq!(text("jlx>", false), Some("jlx> "));
        assert_eq!(text("help?>", false), Some("help?> "));
        // Indented (a docstring's example), but not after `help?> `.
        assert_eq!(text("  \tjulia>", false), Some("julia> "));
        assert_eq!(text("  julia>", true), None);
        assert_eq!(text("julia>", true), Some("julia> "));
        assert_eq!(text("x julia>", false), None);
        assert_eq!(text("julia", false), None);
        assert_eq!(text("shell>", false), None);
    }

    #[test]
    fn short_indentation_is_put_back() {
        // Line 1 had 3 leading spaces (of `julia> `'s 7); line 2 had 7.
        let shown = "s = \"x\n     z\n     w\"";
        assert_eq!(put_back_indent(shown, &[(1, 3)]), "s = \"x\n        z\n     w\"");
        assert_eq!(strip_continuation(&put_back_indent(shown, &[(1, 3)])), "s = \"x\n   z\nw\"");
        // A line that is gone (edited away) is left alone.
        assert_eq!(put_back_indent("a", &[(4, 2)]), "a");
    }

    #[test]
    fn continuation_indent_is_removed() {
        assert_eq!(strip_continuation("function f()\n         1\n     end"), "function f()\n    1\nend");
        // Fewer spaces than the indent (deleted by the user): all go.
        assert_eq!(strip_continuation("\"x\n  y\""), "\"x\ny\"");
        assert_eq!(strip_continuation("1 + 1"), "1 + 1");
    }
}
