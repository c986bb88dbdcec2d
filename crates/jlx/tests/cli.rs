//! The command line: non-terminal stdin is read as Julia's fallback REPL
//! reads it (and `jlx -` runs it as a program), `-i FILE` runs the file and
//! then reads REPL inputs, `-e`/`-E`, `--help` lists every option, bad `-t`
//! values are refused. Each run has a timeout.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn jlx(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jlx"))
        .args(args)
        .current_dir(root())
        .env("JLX_HISTORY", "")
        .env("JLX_DETERMINISTIC", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn jlx");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).expect("write stdin");
    drop(input);
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("jlx {args:?} timed out");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.wait_with_output().expect("output")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `jlx ARGS` with standard input read from the file `input` (a regular
/// file, not a pipe), in the repository root.
fn jlx_file_stdin(args: &[&str], input: &str) -> Output {
    let path = std::env::temp_dir().join(format!("jlx-cli-stdin-{}-{}", std::process::id(), args.len()));
    std::fs::write(&path, input).expect("write input");
    let child = Command::new(env!("CARGO_BIN_EXE_jlx"))
        .args(args)
        .current_dir(root())
        .env("JLX_HISTORY", "")
        .env("JLX_DETERMINISTIC", "1")
        .stdin(std::fs::File::open(&path).expect("open input"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn jlx");
    let out = child.wait_with_output().expect("output");
    let _ = std::fs::remove_file(&path);
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Inputs for the fallback-REPL tests: values, a `;`, an error in the
/// middle (line 4), a multi-line definition, `nothing`, two statements on
/// one line.
const FALLBACK_INPUT: &str = "println(1+1)\nx = 3\nx;\nerror(\"boom\")\nprintln(\"after\")\n[1, 2]\n\
function f(a)\n    a + 1\nend\nf(x)\nnothing\ny = 1; y + 1\nans\n";

/// What Julia 1.11 prints for them (jlx lists no frame for `error` itself).
const FALLBACK_OUT: &str = "2\n3\n3\nafter\n2-element Vector{Int64}:\n 1\n 2\n\
f (generic function with 1 method)\n4\n2\n2\n";

#[test]
fn piped_stdin_is_read_as_julia_s_fallback_repl() {
    // `echo ... | julia`: no prompt; each complete input is evaluated and
    // its value displayed (a `;` does not hide it); an error is reported
    // and the next input runs; the status is 0.
    let o = jlx(&[], FALLBACK_INPUT);
    assert_eq!(stdout(&o), FALLBACK_OUT);
    // Each piped input is its own `none`, counted from line 1.
    assert_eq!(stderr(&o), "ERROR: boom\nStacktrace:\n [1] top-level scope\n   @ none:1\n");
    assert_eq!(o.status.code(), Some(0));
    // Values are displayed in full (no `:limit`), as Julia's TextDisplay.
    let o = jlx(&[], "collect(1:30)\n");
    let want: String = std::iter::once("30-element Vector{Int64}:\n".to_string())
        .chain((1..=30).map(|i| format!(" {i:>2}\n")))
        .collect();
    assert_eq!(stdout(&o), want);
    // A syntax error spoils only its own input; `?` is not help mode here.
    let o = jlx(&[], "x = 1 )\n1 + 1\n");
    assert_eq!(stdout(&o), "2\n");
    assert!(stderr(&o).starts_with("Error: unexpected `)`\n   ╭─[ none:1:7 ]\n"), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(0));
    // Background tasks run while the input is read; a deadlock is the
    // input's error; `exit(n)` sets the status.
    let o = jlx(&[], "c = Channel(1);\n@async put!(c, 42);\ntake!(c)\ntake!(Channel())\nexit(4)\n");
    assert_eq!(stdout(&o), "Channel{Any}(1) (empty)\nTask (runnable) @0x0000000000000002\n42\n");
    assert!(stderr(&o).starts_with("ERROR: deadlock detected"), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(4));
}

#[test]
fn stdin_from_a_file_is_parsed_whole() {
    // `julia < file`: the text is parsed at once, then each top-level
    // statement (those of one line together) is evaluated and displayed,
    // with line numbers of the whole text.
    let o = jlx_file_stdin(&[], FALLBACK_INPUT);
    assert_eq!(stdout(&o), FALLBACK_OUT);
    assert_eq!(stderr(&o), "ERROR: boom\nStacktrace:\n [1] top-level scope\n   @ none:4\n");
    assert_eq!(o.status.code(), Some(0));
    // A syntax error anywhere: reported, and nothing runs.
    let o = jlx_file_stdin(&[], "println(\"first\")\nx = 1 )\n");
    assert_eq!(stdout(&o), "");
    assert!(stderr(&o).starts_with("Error: unexpected `)`\n   ╭─[ none:2:7 ]\n"), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(0));
    // An error in a statement stops the rest of its line only.
    let o = jlx_file_stdin(&[], "x = 1; error(\"a\"); println(\"not run\")\nprintln(\"run\")\n");
    assert_eq!(stdout(&o), "run\n");
    assert_eq!(stderr(&o), "ERROR: a\nStacktrace:\n [1] top-level scope\n   @ none:1\n");
}

#[test]
fn dash_runs_stdin_as_a_program() {
    // `julia -`: standard input is a program file named `stdin`; nothing is
    // displayed, the first uncaught error ends the run with status 1.
    for o in [jlx(&["-", "a1"], FALLBACK_INPUT), jlx_file_stdin(&["-", "a1"], FALLBACK_INPUT)] {
        assert_eq!(stdout(&o), "2\n");
        assert_eq!(stderr(&o), "ERROR: boom\nStacktrace:\n [1] top-level scope\n   @ stdin:4\n");
        assert_eq!(o.status.code(), Some(1));
    }
    let o = jlx(&["-", "a1", "b2"], "println(PROGRAM_FILE, \" \", ARGS)\nx = 3\n");
    assert_eq!(stdout(&o), "- [\"a1\", \"b2\"]\n");
    assert!(o.status.success());
}

#[test]
fn interactive_file_then_repl_inputs() {
    let o = jlx(&["-q", "-i", "tests/cli/interactive_file.jlx"], "greeting\nlength(greeting)\n");
    assert_eq!(stdout(&o), "file ran\njlx> greeting\n\"hi from the file\"\n\njlx> length(greeting)\n16\n\n");
    assert!(o.status.success());
}

#[test]
fn banner_unless_quiet() {
    let o = jlx(&["-i"], "1\n");
    let text = stdout(&o);
    assert!(text.starts_with("jlx 0.1.0 - a Julia-flavoured interpreter with built-in tasks\n"), "{text}");
    assert!(text.ends_with("jlx> 1\n1\n\n"), "{text}");
}

#[test]
fn eval_and_print_options() {
    assert_eq!(stdout(&jlx(&["-e", "println(6 * 7)"], "")), "42\n");
    // -E prints with `show`, as `julia -E` does (not the REPL's display).
    assert_eq!(stdout(&jlx(&["-E", "[1, 2]"], "")), "[1, 2]\n");
    assert_eq!(stdout(&jlx(&["-E", "\"a\" => 'b'"], "")), "\"a\" => 'b'\n");
    assert_eq!(stdout(&jlx(&["-E", "nothing"], "")), "nothing\n");
    let user = "struct P; x; end; Base.show(io::IO, p::P) = print(io, \"P<\", p.x, \">\"); [P(1)]";
    assert_eq!(stdout(&jlx(&["-E", user], "")), "P[P<1>]\n");
    let o = jlx(&["-e", "x = 2", "-i", "-q"], "x + 1\n");
    assert_eq!(stdout(&o), "jlx> x + 1\n3\n\n");
}

#[test]
fn help_lists_every_option() {
    let text = stdout(&jlx(&["--help"], ""));
    for opt in [
        "-e, --eval",
        "-E, --print",
        "-i, --interactive",
        "-q, --quiet",
        "-t, --threads",
        "--virtual-time",
        "--disasm",
        "--help-for NAME",
        "FILE `-` runs standard input as a program",
        "-h, --help",
        "-v, --version",
        "JLX_HISTORY",
        "JLX_NUM_THREADS",
    ] {
        assert!(text.contains(opt), "--help lacks {opt}:\n{text}");
    }
}

#[test]
fn bad_thread_count_is_refused() {
    let o = jlx(&["-t", "zero", "-e", "1"], "");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "jlx: -t: expected a number of threads from 1 to 1024 or `auto`, got `zero`\n"
    );
    let o = jlx(&["-t", "4", "-e", "print(Threads.nthreads(), Threads.maxthreadid())"], "");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "45");
    let o = jlx(&["-t", "auto", "-e", "print(Threads.nthreads() >= 1)"], "");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "true");
}

#[test]
fn thread_count_from_the_environment() {
    let out = |env: &str, args: &[&str]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_jlx"));
        c.args(args).env("JLX_NUM_THREADS", env).env("JLX_HISTORY", "");
        c.output().expect("run jlx")
    };
    let o = out("3", &["-e", "print(Threads.nthreads())"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "3");
    // `-t` wins over the environment.
    let o = out("3", &["-t", "1", "-e", "print(Threads.nthreads())"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "1");
    let o = out("x", &["-e", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "jlx: JLX_NUM_THREADS: expected a number of threads from 1 to 1024 or `auto`, got `x`\n"
    );
}

#[test]
fn exit_code_of_exit_in_the_repl() {
    let o = jlx(&["-q", "-i"], "exit(3)\n1 + 1\n");
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(stdout(&o), "jlx> exit(3)\n");
}

/// CPU seconds (user + system, all threads) process `pid` has used so
/// far, from `/proc/PID/stat` (`utime`, `stime`: fields 14 and 15, in clock
/// ticks of 1/100 s).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/PID/stat");
    // The fields after the parenthesised command name start at field 3.
    let rest = &stat[stat.rfind(')').expect("comm") + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f[i - 3].parse::<f64>().expect("ticks");
    (ticks(14) + ticks(15)) / 100.0
}

#[test]
fn idle_threads_sleep_in_the_kernel() {
    // The main task sleeps and four parked workers have nothing to do: the
    // process must use almost no CPU while it waits (no spinning). Its CPU
    // time is read while it still sleeps, after startup.
    let child = Command::new(env!("CARGO_BIN_EXE_jlx"))
        .args(["-t", "4", "-e", "sleep(3); println(:done)"])
        .env("JLX_HISTORY", "")
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn jlx");
    std::thread::sleep(std::time::Duration::from_millis(800));
    let early = cpu_seconds(child.id());
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let used = cpu_seconds(child.id()) - early;
    let o = child.wait_with_output().expect("wait");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "done\n");
    assert!(used < 0.2, "an idle `jlx -t 4` used {used} s of CPU in 1.5 s");
}

/// Run `args` with stdout a pipe whose reader takes one line and closes
/// it; returns the exit status and stderr.
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    use std::io::{BufRead, Read};
    let mut child = Command::new(env!("CARGO_BIN_EXE_jlx"))
        .args(args)
        .current_dir(root())
        .env("JLX_HISTORY", "")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn jlx");
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("read");
    // The reader is gone now, as `| head -1` leaves it.
    assert!(!first.is_empty(), "jlx {args:?} printed nothing");
    let mut err = child.stderr.take().expect("stderr");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("jlx {args:?} kept running after its stdout closed");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut text = String::new();
    err.read_to_string(&mut text).expect("stderr");
    (child.wait().expect("status").code(), text)
}

#[test]
fn a_closed_stdout_is_an_ioerror_not_a_panic() {
    // Julia: `julia -e 'for i in 1:10^6 println(i) end' | head -1` ends
    // with `ERROR: IOError: write: broken pipe (EPIPE)` and status 1.
    for args in [
        &["-e", "for i in 1:10^6; println(i); end"][..],
        &["-E", "(println(\"first\"); sleep(0.2); collect(1:10^6))"][..],
        &["-e", "for i in 1:10^6; print(i, i % 10 == 0 ? '\\n' : ' '); end"][..],
    ] {
        let (code, err) = with_closed_stdout(args);
        assert!(!err.contains("panicked"), "jlx {args:?} panicked:\n{err}");
        assert!(err.starts_with("ERROR: IOError: write: broken pipe (EPIPE)\n"), "jlx {args:?}:\n{err}");
        assert_eq!(code, Some(1), "jlx {args:?}:\n{err}");
    }
    // The error is catchable, and then stdout stays closed.
    let prog =
        "try; for i in 1:10^6; println(i); end; catch e; println(stderr, e); end; println(stderr, \"after\")";
    let (code, err) = with_closed_stdout(&["-e", prog]);
    assert_eq!(err, "IOError(\"write: broken pipe (EPIPE)\", -32)\nafter\n");
    assert_eq!(code, Some(0));
}

#[test]
fn virtual_time_does_not_depend_on_how_fast_input_arrives() {
    // With --virtual-time, a timer due while the session waits for piped
    // input does not fire then (the clock would jump only because the
    // next line is late): it fires when an evaluation waits.
    let mut child = Command::new(env!("CARGO_BIN_EXE_jlx"))
        .args(["--virtual-time", "-q", "-i"])
        .env("JLX_HISTORY", "")
        .env("JLX_DETERMINISTIC", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn jlx");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(b"@async (sleep(50); println(\"after 50\"));\n").expect("write");
    input.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(400));
    input.write_all(b"1 + 1\nsleep(60)\n").expect("write");
    drop(input);
    let o = child.wait_with_output().expect("output");
    assert_eq!(
        stdout(&o),
        "jlx> @async (sleep(50); println(\"after 50\"));\n\njlx> 1 + 1\n2\n\njlx> sleep(60)\nafter 50\n\n"
    );
}

#[test]
fn a_closed_stderr_is_not_a_panic() {
    // A syntax error report (and a compiler warning) written to a stderr
    // pipe whose reader is gone: the write fails quietly, the status is
    // the run's.
    let prog = "s = 0\nfor i in 1:2\n    s = i\nend\nx = 1 )\n";
    let path = std::env::temp_dir().join(format!("jlx-cli-stderr-{}.jlx", std::process::id()));
    std::fs::write(&path, prog).expect("write program");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jlx"))
        .arg(&path)
        .env("JLX_HISTORY", "")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn jlx");
    // The reader goes before jlx has loaded its library.
    drop(child.stderr.take());
    let o = child.wait_with_output().expect("output");
    let _ = std::fs::remove_file(&path);
    assert_eq!(o.status.code(), Some(1));
}
