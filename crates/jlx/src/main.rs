//! The `jlx` command: runs a `.jlx` file, a `-e` string or standard
//! input, and starts the REPL (`repl.rs`).
//!
//! Standard input follows Julia 1.11: a terminal gets the REPL; otherwise
//! `jlx` reads it as Julia's fallback REPL does (`repl::Mode::Plain`: each
//! input evaluated and its value displayed, errors reported and the next
//! input run), and `jlx -` runs it as a program file named `stdin`
//! (`julia -`). `-i` with non-terminal stdin echoes a transcript.

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's run-time options (its `malloc_conf` global, read at its first
/// allocation; the `_RJEM_MALLOC_CONF` environment variable still
/// overrides them). `slab_sizes`: every small size class gets slabs of 16
/// pages instead of jemalloc's default of about one, so a program making
/// many objects of one size at once (a million tasks and their closures)
/// takes a new slab — an extent split, its metadata and its map entries —
/// 16 times less often; pages of a slab that no object reached are never
/// touched, so a small program's resident size does not grow.
///
/// jemalloc declares `const char *malloc_conf` weak and reads it as a
/// pointer to a NUL-terminated string: a `&[u8; N]` is exactly one such
/// pointer (a thin reference), and the literal ends in a NUL.
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: &[u8; 21] = b"slab_sizes:1-4096:16\0";

mod assist;
mod complete;
mod diagnostics;
mod docs;
mod help;
mod input;
mod repl;
mod session;

use jlx_bytecode::ModId;
use jlx_runtime::Sigint;
use jlx_vm::RuntimeOptions;
use session::{print_quietly, Outcome, Session};
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

const HELP: &str = "\
jlx - a Julia-flavoured interpreter with built-in tasks

usage: jlx [options] [FILE [ARGS...]]

With no FILE and no -e/-E, jlx starts the interactive REPL when stdin is a
terminal. Otherwise it evaluates standard input as Julia does: each
complete input in turn, its value displayed, an error reported and the
next input run (no prompt). FILE `-` runs standard input as a program.

options:
  -e, --eval CODE      run CODE
  -E, --print CODE     run CODE and show its value
  -i, --interactive    start the REPL (after running FILE or -e CODE), even
                       when stdin is not a terminal (inputs are then echoed)
  -q, --quiet          no REPL banner
  -t, --threads N      N worker threads for Threads.@spawn, besides the main
                       (interactive) thread; `auto`: one per core; 1 (the
                       default): everything runs on the main thread
  --virtual-time       sleep/timers use a logical clock (deterministic runs)
  --disasm FILE        print the bytecode of FILE instead of running it
  --help-for NAME      print what the REPL's help mode shows for ?NAME (after
                       running FILE or -e CODE, if given; may be repeated)
  -h, --help           this help
  -v, --version        print the version

environment:
  JLX_HISTORY          REPL history file (default ~/.jlx_history; empty: no history)
  JLX_NUM_THREADS      the default of -t
";

struct Cli {
    eval: Option<String>,
    print: Option<String>,
    file: Option<String>,
    args: Vec<String>,
    disasm: Option<String>,
    virtual_time: bool,
    interactive: bool,
    quiet: bool,
    /// `-t N` (or `JLX_NUM_THREADS`), 1 when absent.
    threads: usize,
    /// `--help-for NAME`: help texts printed after the program ran.
    help_for: Vec<String>,
}

/// `-t`'s value: a positive count, or `auto` (one thread per core).
fn parse_threads(v: &str) -> Result<usize, String> {
    match v.parse::<usize>() {
        Ok(n) if (1..=1024).contains(&n) => Ok(n),
        _ if v == "auto" => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
        _ => Err(format!("-t: expected a number of threads from 1 to 1024 or `auto`, got `{v}`")),
    }
}

fn parse_cli() -> Result<Option<Cli>, String> {
    let mut it = std::env::args().skip(1);
    let mut cli = Cli {
        eval: None,
        print: None,
        file: None,
        args: vec![],
        disasm: None,
        virtual_time: false,
        interactive: false,
        quiet: false,
        threads: 1,
        help_for: vec![],
    };
    if let Some(v) = std::env::var_os("JLX_NUM_THREADS") {
        cli.threads =
            parse_threads(&v.to_string_lossy()).map_err(|e| format!("JLX_NUM_THREADS{}", &e[2..]))?;
    }
    while let Some(a) = it.next() {
        if cli.file.is_some() {
            cli.args.push(a);
            continue;
        }
        match a.as_str() {
            "-h" | "--help" => {
                print_quietly(HELP);
                return Ok(None);
            }
            "-v" | "--version" => {
                print_quietly(&format!("jlx version {}\n", env!("CARGO_PKG_VERSION")));
                return Ok(None);
            }
            "-e" | "--eval" => cli.eval = Some(it.next().ok_or("-e needs an argument")?),
            "-E" | "--print" => cli.print = Some(it.next().ok_or("-E needs an argument")?),
            "-t" | "--threads" => cli.threads = parse_threads(&it.next().ok_or("-t needs an argument")?)?,
            "--virtual-time" => cli.virtual_time = true,
            "-q" | "--quiet" => cli.quiet = true,
            "-i" | "--interactive" => cli.interactive = true,
            "--help-for" => cli.help_for.push(it.next().ok_or("--help-for needs a name")?),
            "--disasm" => cli.disasm = Some(it.next().ok_or("--disasm needs a file")?),
            s if s.starts_with("--threads=") => cli.threads = parse_threads(&s["--threads=".len()..])?,
            s if s.starts_with("-t") && s.len() > 2 => cli.threads = parse_threads(&s[2..])?,
            s if s.starts_with('-') && s.len() > 1 => {
                return Err(format!("unknown option `{s}` (see jlx --help)"))
            }
            _ => cli.file = Some(a),
        }
    }
    Ok(Some(cli))
}

/// Ctrl-C (SIGINT) sets `jlx_vm::interrupt` and wakes the event loop; the
/// driver delivers it at the next safepoint (`Driver::sigint` says how).
/// In the line editor the terminal is in raw mode, so there Ctrl-C is a
/// key, not a signal. With `exit_on_sigint`, a second Ctrl-C before the
/// first was taken (a long native call never reaches a safepoint) ends
/// the process at once, as Julia tries harder on repeated requests.
fn install_sigint_handler(waker: std::sync::Arc<mio::Waker>, exit_on_sigint: bool) {
    let res = ctrlc::set_handler(move || {
        if exit_on_sigint && jlx_vm::interrupt::pending() {
            session::eprint_quietly(&format!("\n[{}] signal 2: Interrupt\n", std::process::id()));
            std::process::exit(130);
        }
        jlx_vm::interrupt::request();
        let _ = waker.wake();
    });
    if let Err(e) = res {
        session::eprint_quietly(&format!("jlx: cannot install the Ctrl-C handler: {e}\n"));
    }
}

fn main() -> ExitCode {
    let cli = match parse_cli() {
        Ok(Some(c)) => c,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            session::eprint_quietly(&format!("jlx: {e}\n"));
            return ExitCode::from(2);
        }
    };
    let opts = RuntimeOptions {
        deterministic: std::env::var_os("JLX_DETERMINISTIC").is_some_and(|v| v == "1"),
        virtual_time: cli.virtual_time,
        torture: std::env::var_os("JLX_TORTURE").is_some_and(|v| v == "1"),
        program_file: cli.file.clone().unwrap_or_default(),
        args: cli.args.clone(),
        threads: cli.threads,
        stdout_tty: std::io::stdout().is_terminal(),
    };
    let mut s = match Session::new(opts) {
        Ok(s) => s,
        Err(e) => {
            session::eprint_quietly(&format!("jlx: internal error: {e}\n"));
            return ExitCode::from(70);
        }
    };
    if let Some(path) = &cli.disasm {
        let src = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                session::eprint_quietly(&format!("jlx: cannot read {path}: {e}\n"));
                return ExitCode::FAILURE;
            }
        };
        return match s.disassemble(path, &src) {
            Ok(text) => {
                print_quietly(&text);
                ExitCode::SUCCESS
            }
            Err((_, d)) => {
                diagnostics::render_errors(&s.rt, &d);
                ExitCode::FAILURE
            }
        };
    }
    let program = if let Some(code) = &cli.eval {
        Some(("none".to_string(), code.clone(), false))
    } else if let Some(code) = &cli.print {
        Some(("none".to_string(), code.clone(), true))
    } else if let Some(path) = &cli.file {
        let text = if path == "-" {
            let mut t = String::new();
            std::io::stdin().read_to_string(&mut t).map(|_| t)
        } else {
            std::fs::read_to_string(path)
        };
        match text {
            Ok(t) => Some((if path == "-" { "stdin".to_string() } else { path.clone() }, t, false)),
            Err(e) if path == "-" => {
                session::eprint_quietly(&format!("jlx: cannot read standard input: {e}\n"));
                return ExitCode::FAILURE;
            }
            Err(e) => {
                session::eprint_quietly(&format!("ERROR: SystemError: opening file \"{path}\": {e}\n"));
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let stdin_tty = std::io::stdin().is_terminal();
    // Julia's fallback REPL: standard input that is not a terminal, and
    // nothing else to run or show.
    let plain = program.is_none() && cli.help_for.is_empty() && !cli.interactive && !stdin_tty;
    s.set_program_globals(&cli.file.clone().unwrap_or_default(), &cli.args);
    // Julia's `exit_on_sigint`: Ctrl-C ends a non-interactive run of a
    // file; everywhere else (the REPL, -e, -E, piped input) it throws a
    // catchable `InterruptException` into the evaluation.
    let from_file = cli.eval.is_none() && cli.print.is_none() && cli.file.is_some();
    let exit_on_sigint = from_file && !cli.interactive;
    s.driver.sigint = if exit_on_sigint { Sigint::Exit } else { Sigint::Throw };
    install_sigint_handler(s.driver.waker(), exit_on_sigint);
    let ran_program = program.is_some();
    let mut code = 0;
    if let Some((name, src, show)) = program {
        code = match s.run_source(&name, &src, ModId::MAIN, false) {
            Outcome::Value(v) => {
                if show && !s.show_value(&v) {
                    1
                } else {
                    0
                }
            }
            Outcome::Diagnostics(d) => {
                s.flush();
                diagnostics::render_errors(&s.rt, &d);
                1
            }
            Outcome::Uncaught => 1,
            // 128 + SIGINT, as Julia.
            Outcome::Interrupted => return ExitCode::from(130),
        };
        s.flush();
    }
    for name in &cli.help_for {
        s.flush();
        print_quietly(&format!("{}\n", help::help_text(&s.rt, name)));
    }
    if !cli.interactive && (ran_program || !cli.help_for.is_empty()) {
        s.flush();
        if let Some(msg) = jlx_vm::natives::io::unreported_stdout_error(&mut s.vm) {
            // Output still buffered when the program ended hit a closed
            // pipe: Julia's write would have thrown this (uncaught).
            session::eprint_quietly(&format!("ERROR: {msg}\n"));
            code = code.max(1);
        }
        let code = s.exit_code.unwrap_or(code) as u8;
        // Everything the program wrote is flushed, and dropping a session
        // writes nothing: freeing its heap (method tables, loaded code,
        // the world snapshots) would only add ~0.8M instructions (~15% of
        // `jlx -e 1`) to every run before the process exits anyway.
        std::mem::forget(s);
        return ExitCode::from(code);
    }
    if plain {
        return ExitCode::from(plain_stdin(&mut s) as u8);
    }
    let mode = if stdin_tty && std::io::stdout().is_terminal() {
        repl::Mode::Terminal
    } else {
        repl::Mode::Transcript
    };
    ExitCode::from(repl::run(&mut s, mode, cli.quiet) as u8)
}

/// Non-terminal standard input without `-i`, as Julia's fallback REPL
/// reads it: a regular file is read and parsed whole, anything else (a
/// pipe) input by input as it arrives.
fn plain_stdin(s: &mut Session) -> i32 {
    use std::os::fd::AsFd;
    let regular =
        std::io::stdin().as_fd().try_clone_to_owned().map(std::fs::File::from).and_then(|f| f.metadata());
    if !regular.is_ok_and(|m| m.is_file()) {
        return repl::run(s, repl::Mode::Plain, true);
    }
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        session::eprint_quietly(&format!("jlx: cannot read standard input: {e}\n"));
        return 1;
    }
    repl::run_plain_file(s, &text)
}

#[cfg(test)]
mod malloc_conf_tests {
    /// jemalloc reads `MALLOC_CONF` as a C string: one NUL, at its end.
    #[test]
    fn malloc_conf_is_one_c_string() {
        let s = super::MALLOC_CONF;
        assert_eq!(s.last(), Some(&0));
        assert_eq!(s.iter().filter(|&&b| b == 0).count(), 1);
        assert!(std::str::from_utf8(&s[..s.len() - 1]).is_ok());
    }
}
