//! The REPL in a real pseudo-terminal: the `jlx` binary runs under a pty
//! (rexpect), the test types keys and reads the screen output. Every
//! expectation has a timeout, so a hang fails the test instead of blocking
//! the suite.

use rexpect::session::{spawn_with_options, PtySession};
use std::process::Command;
use std::time::Duration;

const TIMEOUT_MS: u64 = 15_000;

fn start(history: &str) -> PtySession {
    start_with(&[], history)
}

/// `start` with extra command-line arguments.
fn start_with(args: &[&str], history: &str) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jlx"));
    cmd.arg("-q")
        .args(args)
        .env("JLX_HISTORY", history)
        .env("JLX_DETERMINISTIC", "1")
        .env("TERM", "xterm")
        .env_remove("JLX_TORTURE");
    let opts = rexpect::reader::Options { timeout_ms: Some(TIMEOUT_MS), strip_ansi_escape_codes: true };
    let mut p = spawn_with_options(cmd, opts).expect("spawn jlx in a pty");
    p.exp_string("jlx> ").expect("first prompt");
    p
}

/// Type a line and wait for the output `want` on a line of its own.
fn eval(p: &mut PtySession, line: &str, want: &str) {
    p.send_line(line).expect("send");
    let re = format!(r"\n{}\r?\n", regex_escape(want));
    p.exp_regex(&re).unwrap_or_else(|e| panic!("after `{line}`, expected `{want}`: {e}"));
    p.exp_string("jlx> ").expect("prompt");
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn quit(mut p: PtySession) {
    p.send_control('d').expect("ctrl-d");
    p.exp_eof().expect("exit on ctrl-d");
}

#[test]
fn multiline_display_semicolon_ans() {
    let mut p = start("");
    p.send_line("function f(a)").unwrap();
    p.send_line("a * 2").unwrap();
    p.send_line("end").unwrap();
    p.exp_string("f (generic function with 1 method)").expect("function display");
    p.exp_string("jlx> ").unwrap();
    eval(&mut p, "[f(1), f(2)]", "2-element Vector{Int64}:");
    p.send_line("x = 40;").unwrap();
    p.exp_string("jlx> ").unwrap();
    eval(&mut p, "ans + 2", "42");
    eval(&mut p, "Channel(2)", "Channel{Any}(2) (empty)");
    eval(&mut p, "t = @task 1", "Task (runnable) @0x0000000000000002");
    quit(p);
}

#[test]
fn scheduled_task_prints_while_the_prompt_waits() {
    let mut p = start("");
    p.send_line(r#"t = @task begin; sleep(1); println("done"); end"#).unwrap();
    p.exp_string("Task (runnable)").unwrap();
    p.exp_string("jlx> ").unwrap();
    p.send_line("schedule(t);").unwrap();
    p.exp_string("jlx> ").unwrap();
    // Half a line typed when the task prints: the line must survive.
    p.send("y = 1 +").unwrap();
    p.flush().unwrap();
    p.exp_string("done").expect("the task's output while the prompt waits");
    p.send_line(" 2").unwrap();
    p.exp_regex(r"\n3\r?\n").expect("the half-typed line was kept");
    p.exp_string("jlx> ").unwrap();
    quit(p);
}

#[test]
fn worker_thread_prints_while_the_prompt_waits() {
    // With -t 2 a spawned task runs on a worker thread; what it prints
    // while a line is half typed goes through the prompt's printer too.
    let mut p = start_with(&["-t", "2"], "");
    eval(&mut p, "Threads.nthreads()", "2");
    p.send_line(r#"t = Threads.@spawn (sleep(1); println("from thread ", Threads.threadid()));"#).unwrap();
    p.exp_string("jlx> ").unwrap();
    p.send("y = 1 +").unwrap();
    p.flush().unwrap();
    // -t 2: two workers, threads 2 and 3.
    p.exp_regex("from thread [23]").expect("the worker's output while the prompt waits");
    p.send_line(" 2").unwrap();
    p.exp_regex(r"\n3\r?\n").expect("the half-typed line was kept");
    p.exp_string("jlx> ").unwrap();
    eval(&mut p, "fetch(Threads.@spawn Threads.threadid()) in (2, 3)", "true");
    quit(p);
}

#[test]
fn ctrl_c_interrupts_a_busy_loop_and_background_tasks_go_on() {
    let mut p = start("");
    p.send_line(r#"bg = @async (sleep(2); println("bg alive"));"#).unwrap();
    p.exp_string("jlx> ").unwrap();
    p.send_line("while true; end").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    p.send_control('c').unwrap();
    p.exp_string("InterruptException").expect("the loop was interrupted");
    p.exp_string("jlx> ").unwrap();
    eval(&mut p, "1 + 41", "42");
    p.exp_string("bg alive").expect("the background task still ran");
    quit(p);
}

#[test]
fn ctrl_c_in_a_function_loop_is_a_catchable_exception() {
    let mut p = start("");
    p.send_line("function spin(); i = 0; while i >= 0; i += 1; end; i; end").unwrap();
    p.exp_string("spin (generic function with 1 method)").unwrap();
    p.exp_string("jlx> ").unwrap();
    p.send_line("try; spin(); catch e; e; end").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    p.send_control('c').unwrap();
    p.exp_regex(r"\nInterruptException\(\)\r?\n").expect("caught as a value");
    p.exp_string("jlx> ").unwrap();
    eval(&mut p, "typeof(ans)", "InterruptException");
    quit(p);
}

#[test]
fn ctrl_c_interrupts_a_blocked_take() {
    let mut p = start("");
    // A pending timer keeps this from being a deadlock.
    p.send_line("c = Channel(1); tm = @async sleep(60);").unwrap();
    p.exp_string("jlx> ").unwrap();
    p.send_line("take!(c)").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    p.send_control('c').unwrap();
    p.exp_string("InterruptException").expect("take! was interrupted");
    p.exp_string("jlx> ").unwrap();
    eval(&mut p, "put!(c, 7); take!(c)", "7");
    quit(p);
}

#[test]
fn ctrl_c_at_the_prompt_clears_the_line() {
    let mut p = start("");
    p.send("undefined_name_here").unwrap();
    p.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    p.send_control('c').unwrap();
    std::thread::sleep(Duration::from_millis(200));
    eval(&mut p, "2 + 3", "5");
    quit(p);
}

#[test]
fn deadlock_at_the_prompt_returns_to_the_prompt() {
    let mut p = start("");
    p.send_line("take!(Channel())").unwrap();
    p.exp_string("ERROR: deadlock detected").unwrap();
    p.exp_string("waiting in take!(Channel{Any}(0) (empty)) at REPL[1]:1").unwrap();
    p.exp_string("jlx> ").unwrap();
    eval(&mut p, "2 + 2", "4");
    quit(p);
}

#[test]
fn history_is_saved_and_recalled() {
    let path = std::env::temp_dir().join(format!("jlx-pty-history-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let hist = path.to_string_lossy().into_owned();
    let mut p = start(&hist);
    eval(&mut p, "1234 + 1", "1235");
    eval(&mut p, "10 * 10", "100");
    quit(p);
    let saved = std::fs::read_to_string(&path).expect("history file written");
    assert!(saved.contains("1234 + 1") && saved.contains("10 * 10"), "history file: {saved:?}");
    // A new session: Up recalls the last entry, Ctrl-R finds an older one.
    let mut p = start(&hist);
    p.send("\x1b[A").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_regex(r"\n100\r?\n").expect("Up recalled `10 * 10`");
    p.exp_string("jlx> ").unwrap();
    p.send_control('r').unwrap();
    p.send("1234").unwrap();
    p.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_regex(r"\n1235\r?\n").expect("Ctrl-R found `1234 + 1`");
    p.exp_string("jlx> ").unwrap();
    quit(p);
    let _ = std::fs::remove_file(&path);
}

/// `jlx ARGS` (no REPL) in a pty: stdout is a terminal, Ctrl-C a signal.
fn spawn_plain(args: &[&str]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jlx"));
    cmd.args(args).env("JLX_HISTORY", "").env("TERM", "xterm").env_remove("JLX_TORTURE");
    let opts = rexpect::reader::Options { timeout_ms: Some(TIMEOUT_MS), strip_ansi_escape_codes: true };
    spawn_with_options(cmd, opts).expect("spawn jlx in a pty")
}

/// Wait (bounded) for the end of output and the exit status.
fn exit_code(p: PtySession) -> i32 {
    finish(p).1
}

/// The rest of the output and the exit status (bounded waits).
fn finish(mut p: PtySession) -> (String, i32) {
    use rexpect::process::wait::WaitStatus;
    let rest = p.exp_eof().expect("end of output");
    let start = std::time::Instant::now();
    loop {
        match p.process.status() {
            Some(WaitStatus::Exited(_, code)) => return (rest, code),
            Some(WaitStatus::Signaled(_, sig, _)) => panic!("killed by {sig:?}"),
            _ if start.elapsed() > Duration::from_millis(TIMEOUT_MS) => panic!("jlx did not exit"),
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// Wait until the program says it started its busy part, then press Ctrl-C.
/// (The line shows up at once: stdout on a terminal is flushed per line.)
fn interrupt_after(p: &mut PtySession, marker: &str) {
    p.exp_string(marker).expect("the program's first line, before its loop");
    std::thread::sleep(Duration::from_millis(200));
    p.send_control('c').unwrap();
}

#[test]
fn ctrl_c_in_eval_is_a_catchable_interrupt_exception() {
    // As `julia -e`: the interrupt is thrown into the code, which catches it.
    let code = r#"println("spinning"); try; for i in 1:10^12 end; catch e; println("caught ", e); end; println("after")"#;
    let mut p = spawn_plain(&["-e", code]);
    interrupt_after(&mut p, "spinning");
    p.exp_string("caught InterruptException()").expect("caught");
    p.exp_string("after").expect("the program went on");
    assert_eq!(exit_code(p), 0);
    // Uncaught: Julia's error report, status 1.
    let mut p =
        spawn_plain(&["-e", r#"println("spinning"); v = collect(1:10); while true; for x in v end; end"#]);
    interrupt_after(&mut p, "spinning");
    p.exp_string("ERROR: InterruptException:").expect("the uncaught interrupt");
    assert_eq!(exit_code(p), 1);
}

#[test]
fn ctrl_c_in_print_option_interrupts_a_sleep() {
    let mut p = spawn_plain(&["-E", r#"try; println("sleeping"); sleep(60); catch e; e; end"#]);
    interrupt_after(&mut p, "sleeping");
    p.exp_string("InterruptException()").expect("-E showed the caught exception");
    assert_eq!(exit_code(p), 0);
}

#[test]
fn ctrl_c_ends_a_file_run_with_status_130() {
    // Julia sets `exit_on_sigint` for a non-interactive `julia FILE`: Ctrl-C
    // ends the run (even inside `try`) with the signal report and 128 + 2.
    let path = std::env::temp_dir().join(format!("jlx-pty-sigint-{}.jlx", std::process::id()));
    let src = "println(\"spinning\")\nfunction spin()\n    for i in 1:10^12 end\nend\ntry\n    spin()\ncatch e\n    println(\"caught \", e)\nend\n";
    std::fs::write(&path, src).unwrap();
    let file = path.to_string_lossy().into_owned();
    let mut p = spawn_plain(&[&file]);
    interrupt_after(&mut p, "spinning");
    p.exp_regex(r"\[\d+\] signal 2: Interrupt").expect("the signal report");
    p.exp_string(&format!("in expression starting at {file}:5")).expect("the top-level expression");
    p.exp_string(&format!("spin at {file}:3")).expect("the running function");
    let (rest, code) = finish(p);
    assert!(!rest.contains("caught"), "the interrupt was caught: {rest}");
    assert_eq!(code, 130);
    let _ = std::fs::remove_file(&path);
}

fn pty_options() -> rexpect::reader::Options {
    rexpect::reader::Options { timeout_ms: Some(TIMEOUT_MS), strip_ansi_escape_codes: true }
}

/// `jlx < file` with the terminal as stdout and the pty's Ctrl-C.
fn cmd_for_stdin(file: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(format!("exec '{}' < '{file}'", env!("CARGO_BIN_EXE_jlx"))).env_remove("JLX_TORTURE");
    cmd
}

#[test]
fn ctrl_c_with_piped_input_and_after_an_interactive_file() {
    // Standard input from a file (not a terminal): run as a program, and
    // the interrupt is catchable (Julia: not `exit_on_sigint`).
    let path = std::env::temp_dir().join(format!("jlx-pty-stdin-{}.jlx", std::process::id()));
    std::fs::write(
        &path,
        "println(\"spinning\")\ntry\n    while true end\ncatch e\n    println(\"caught \", e)\nend\n",
    )
    .unwrap();
    let file = path.to_string_lossy().into_owned();
    let mut p = spawn_with_options(cmd_for_stdin(&file), pty_options()).expect("spawn");
    interrupt_after(&mut p, "spinning");
    p.exp_string("caught InterruptException()").expect("caught");
    assert_eq!(exit_code(p), 0);
    // Uncaught, it is that statement's error, and the next one runs (Julia's
    // fallback REPL reads standard input statement by statement).
    std::fs::write(&path, "println(\"spinning\")\nwhile true end\nprintln(\"next statement\")\n").unwrap();
    let mut p = spawn_with_options(cmd_for_stdin(&file), pty_options()).expect("spawn");
    interrupt_after(&mut p, "spinning");
    p.exp_string("ERROR: InterruptException:\r\nStacktrace:\r\n [1] top-level scope\r\n   @ none:2\r\n")
        .expect("the statement's error");
    p.exp_string("next statement").expect("the next statement ran");
    assert_eq!(exit_code(p), 0);
    // -i FILE: the interrupt is the file's error, then the REPL starts.
    let src = "println(\"spinning\")\nfor i in 1:10^12 end\n";
    std::fs::write(&path, src).unwrap();
    let mut p = spawn_plain(&["-q", "-i", &file]);
    interrupt_after(&mut p, "spinning");
    p.exp_string("ERROR: InterruptException:").expect("the file's error");
    p.exp_string("jlx> ").expect("the REPL after the file");
    eval(&mut p, "1 + 1", "2");
    quit(p);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn question_mark_at_an_empty_prompt_is_help_mode() {
    let mut p = start("");
    // `?` alone switches the prompt, as Julia's REPL does.
    p.send("?").unwrap();
    p.flush().unwrap();
    p.exp_string("help?> ").expect("the help prompt");
    p.send_line("@sync").unwrap();
    p.exp_string("Run expr, then wait for every task started in it").expect("the help for @sync");
    p.exp_string("jlx> ").expect("back to the normal prompt after the help");
    // `?name` typed in one go.
    p.send_line("?put!").unwrap();
    p.exp_string("help?> ").expect("the help prompt");
    p.exp_string("Send v on channel c and return v.").expect("the help for put!");
    p.exp_string("jlx> ").unwrap();
    // Backspace at the empty help prompt goes back; a `?` inside a line is a character.
    p.send("?").unwrap();
    p.flush().unwrap();
    p.exp_string("help?> ").unwrap();
    p.send("\x7f").unwrap();
    p.flush().unwrap();
    p.exp_string("jlx> ").expect("back to the normal prompt");
    eval(&mut p, "true ? 1 : 2", "1");
    quit(p);
}

#[test]
fn tab_completes_names_and_unicode() {
    let mut p = start("");
    p.send("put\t").unwrap();
    p.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    p.send_line("(Channel(1), 5)").unwrap();
    p.exp_regex(r"\n5\r?\n").expect("`put<TAB>` became `put!`");
    p.exp_string("jlx> ").unwrap();
    p.send("\\alpha\t").unwrap();
    p.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    p.send_line(" = 3; α + 1").unwrap();
    p.exp_regex(r"\n4\r?\n").expect("`\\alpha<TAB>` became `α`");
    p.exp_string("jlx> ").unwrap();
    quit(p);
}

#[test]
fn continuation_lines_are_indented_under_the_prompt() {
    // Julia's line editor shows continuation lines without a prompt,
    // starting under the first column of the input.
    let mut p = start("");
    p.send_line("begin").unwrap();
    p.exp_regex(r"begin\r?\n {5}").expect("the continuation line starts under the input");
    p.send_line("x = 20").unwrap();
    p.exp_regex(r"\n {5}x = 20\r?\n {5}").expect("the next one too");
    p.send_line("x + 22").unwrap();
    p.send_line("end").unwrap();
    // (The editor's last redraw moves the cursor back over the indent, so
    // `end` does not follow the spaces in the byte stream.)
    p.exp_regex(r"\n {5}\r?end\r?\n42\r?\n").expect("the block ran");
    p.exp_string("jlx> ").unwrap();
    // The indentation is not part of the input: a string across lines.
    p.send_line("s = \"a").unwrap();
    p.send_line("b\"; s == \"a\\nb\"").unwrap();
    p.exp_regex(r"\ntrue\r?\n").expect("the string holds only what was typed");
    p.exp_string("jlx> ").unwrap();
    quit(p);
}

#[test]
fn pasted_text_runs_input_by_input() {
    // The terminal's bracketed paste, as Julia's REPL treats it: each
    // complete input of the pasted text is evaluated in turn with its own
    // answer; blank lines are skipped, Tabs indent (no completion).
    let mut p = start("");
    let paste = "function producer(c::Channel)\n\tput!(c, \"start\")\n\tfor n=1:4\n\t\tput!(c, 2n)\n\tend\n\tput!(c, \"stop\")\nend;\n\nchnl = Channel(producer);\ntake!(chnl)\ntake!(chnl)\nfor x in chnl\n    println(x)\nend\n";
    p.send(&format!("\x1b[200~{}\x1b[201~", paste.replace('\n', "\r"))).unwrap();
    p.flush().unwrap();
    p.exp_regex(r"take!\(chnl\)\r?\n\x22start\x22\r?\n").expect("the first take!");
    p.exp_regex(r"take!\(chnl\)\r?\n2\r?\n").expect("the second take!");
    p.exp_regex(r"\n4\r?\n6\r?\n8\r?\nstop\r?\n").expect("the for loop over the channel");
    p.exp_string("jlx> ").unwrap();
    // Pasted inside a line, the text is inserted as it is.
    p.send("[1, 3]\x1b[D\x1b[D").unwrap();
    p.send("\x1b[200~2,\r\x1b[201~").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_regex(r"\n3-element Vector\{Int64\}:\r?\n 1\r?\n 2\r?\n 3\r?\n").expect("[1, 2,\\n3]");
    p.exp_string("jlx> ").unwrap();
    // A Tab typed (not pasted) still completes.
    p.send("Threads.nthre\t").unwrap();
    p.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    p.send_line("()").unwrap();
    p.exp_regex(r"\n1\r?\n").expect("Threads.nthreads()");
    p.exp_string("jlx> ").unwrap();
    quit(p);
}

/// Paste `text` (newlines sent as the terminal sends them, `\r`).
fn paste(p: &mut PtySession, text: &str) {
    p.send(&format!("\x1b[200~{}\x1b[201~", text.replace('\n', "\r"))).unwrap();
    p.flush().unwrap();
}

/// The number the next input gets (`REPL[n]`), read from an error's
/// stack trace: how many inputs ran before it.
fn next_input_number(p: &mut PtySession) -> usize {
    p.send_line(r#"error("count")"#).unwrap();
    let (_, m) = p.exp_regex(r"@ REPL\[\d+\]").expect("the error's frame");
    p.exp_string("jlx> ").unwrap();
    m.trim_start_matches("@ REPL[").trim_end_matches(']').parse().unwrap()
}

#[test]
fn pasted_julia_transcript_runs_its_inputs_only() {
    // The manual's producer/consumer transcript, pasted with its prompts
    // and output: as Julia's REPL, each `julia> ` input runs once with the
    // prompt and its 7-space continuation indent removed; output is dropped.
    let mut p = start("");
    let transcript = r#"julia> function producer(c::Channel)
           put!(c, "start")
           for n=1:4
               put!(c, 2n)
           end
           put!(c, "stop")
       end;

julia> chnl = Channel(producer);

julia> take!(chnl)
"start"

julia> take!(chnl)
2

julia> for x in chnl
           println(x)
       end
4
6
8
stop
"#;
    paste(&mut p, transcript);
    p.exp_regex(r"take!\(chnl\)\r?\n\x22start\x22\r?\n").expect("the first take!");
    p.exp_regex(r"take!\(chnl\)\r?\n2\r?\n").expect("the second take! (each ran once)");
    p.exp_regex(r"\n4\r?\n6\r?\n8\r?\nstop\r?\n").expect("the for loop over the channel");
    p.exp_string("jlx> ").unwrap();
    // Five inputs ran: no output line was evaluated.
    assert_eq!(next_input_number(&mut p), 6);
    // An output line that is valid code is not run either.
    paste(&mut p, "julia> k = 1;\n\njulia> k += 1\n2\nk += 100\n\n");
    p.exp_regex(r"k \+= 1\r?\n2\r?\n").expect("the input ran");
    p.exp_string("jlx> ").unwrap();
    eval(&mut p, "k", "2");
    quit(p);
}

#[test]
fn pasted_jlx_transcript_and_continuation_indentation() {
    let mut p = start("");
    // jlx's own prompt, with its 5-space continuation lines.
    paste(&mut p, "jlx> function twice(x)\n         y = 2x\n         y\n     end\ntwice (generic function with 1 method)\n\njlx> twice(21)\n42\n\n");
    p.exp_regex(r"twice\(21\)\r?\n42\r?\n").expect("the function was defined and called");
    p.exp_string("jlx> ").unwrap();
    assert_eq!(next_input_number(&mut p), 3);
    // Exactly the prompt's width is removed from a continuation line (7
    // for `julia> `); a line with fewer spaces keeps all of them, in the
    // middle of an input, at its end, and at the end of the paste.
    paste(&mut p, "julia> s = \"x\n         y\n   z\n       w\"\n\"x\\n  y\\n   z\\nw\"\n\njulia> t = \"p\n  q\";\n\njulia> u = \"a\n   b\"");
    p.exp_string("jlx> ").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // The last input was left on the prompt line, for editing: run it.
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("jlx> ").unwrap();
    eval(&mut p, r#"(s, t, u) == ("x\n  y\n   z\nw", "p\n  q", "a\n   b")"#, "true");
    // A multi-line function with 7-space continuation lines and a nested
    // block (11 spaces): the body keeps its own indentation.
    paste(&mut p, "julia> function sumsq(v)\n           t = 0\n           for x in v\n               t += x^2\n           end\n           t\n       end\nsumsq (generic function with 1 method)\n\njulia> sumsq(1:3)\n14\n");
    p.exp_regex(r"sumsq\(1:3\)\r?\n14\r?\n").expect("the pasted function ran");
    p.exp_string("jlx> ").unwrap();
    quit(p);
}

#[test]
fn pasted_help_transcript_and_text_without_a_prompt() {
    let mut p = start("");
    // `help?> ` lines are help queries; after one, an indented `julia> `
    // in the (dropped) help text is not an input.
    paste(&mut p, "help?> put!\n  Some help text.\n\n    julia> k = 100\n\njulia> k = 7\n7\n");
    p.exp_string("Send v on channel c and return v.").expect("the help for put!");
    p.exp_regex(r"k = 7\r?\n7\r?\n").expect("the input after the help ran");
    p.exp_string("jlx> ").unwrap();
    eval(&mut p, "k", "7");
    // Pasted text whose first line has no prompt runs unchanged: a later
    // `julia> ` line is code (`julia > 3`).
    paste(&mut p, "julia = 10\njulia> 3\n");
    p.exp_regex(r"julia> 3\r?\ntrue\r?\n").expect("the prompt was not stripped");
    p.exp_string("jlx> ").unwrap();
    quit(p);
}

#[test]
fn history_defaults_to_home_and_empty_disables_it() {
    let home = std::env::temp_dir().join(format!("jlx-pty-home-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    let spawn = |history: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_jlx"));
        cmd.arg("-q").env("HOME", &home).env("TERM", "xterm").env_remove("JLX_TORTURE");
        match history {
            Some(h) => cmd.env("JLX_HISTORY", h),
            None => cmd.env_remove("JLX_HISTORY"),
        };
        let mut p = spawn_with_options(cmd, pty_options()).expect("spawn jlx in a pty");
        p.exp_string("jlx> ").expect("first prompt");
        p
    };
    // `JLX_HISTORY=` (empty): no history file at all.
    let mut p = spawn(Some(""));
    eval(&mut p, "7 * 6", "42");
    quit(p);
    assert!(std::fs::read_dir(&home).unwrap().next().is_none(), "a file was written with JLX_HISTORY empty");
    // Unset: ~/.jlx_history, one entry per input.
    let mut p = spawn(None);
    eval(&mut p, "7 * 6", "42");
    eval(&mut p, "1 + 1", "2");
    quit(p);
    let saved = std::fs::read_to_string(home.join(".jlx_history")).expect("~/.jlx_history written");
    let entries: Vec<&str> = saved.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(entries, ["7 * 6", "1 + 1"], "history file: {saved:?}");
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn banner_and_ctrl_d_exit() {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jlx"));
    cmd.env("JLX_HISTORY", "").env("TERM", "xterm").env_remove("JLX_TORTURE");
    let mut p = spawn_with_options(cmd, pty_options()).expect("spawn jlx in a pty");
    p.exp_string(&format!(
        "jlx {} - a Julia-flavoured interpreter with built-in tasks\r\nType ?name for help, Ctrl-D to exit.\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    ))
    .expect("the banner");
    p.exp_string("jlx> ").unwrap();
    // Ctrl-D on a line with text does not exit (it deletes forward); on an
    // empty line it does, with status 0.
    p.send("1 + 1").unwrap();
    p.send_control('d').unwrap();
    p.send_line("").unwrap();
    p.exp_regex(r"\n2\r?\n").expect("the line survived Ctrl-D");
    p.exp_string("jlx> ").unwrap();
    p.send_control('d').unwrap();
    assert_eq!(exit_code(p), 0);
}
