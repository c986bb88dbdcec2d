//! The `jlx` command: runs a `.jlx` file, a `-e` string, or standard input.

mod complete;
mod diagnostics;
mod docs;
mod help;
mod session;

use jlx_bytecode::ModId;
use jlx_vm::RuntimeOptions;
use session::{Outcome, Session};
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

const HELP: &str = "\
jlx - a Julia-flavoured interpreter with built-in tasks

usage: jlx [options] [FILE [ARGS...]]

options:
  -e, --eval CODE      run CODE
  -E, --print CODE     run CODE and show its value
  -t, --threads N      number of threads (accepted; tasks run on one thread for now)
  --virtual-time       sleep/timers use a logical clock (deterministic runs)
  --disasm FILE        print the bytecode of FILE instead of running it
  --help-for NAME      print what the REPL's help mode shows for ?NAME (after
                       running FILE or -e CODE, if given; may be repeated)
  -q, --quiet          no banner
  -h, --help           this help
  -v, --version        print the version

With no FILE and no -e, jlx reads a program from standard input.
";

struct Cli {
    eval: Option<String>,
    print: Option<String>,
    file: Option<String>,
    args: Vec<String>,
    disasm: Option<String>,
    virtual_time: bool,
    /// `--help-for NAME`: help texts printed after the program ran.
    help_for: Vec<String>,
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
        help_for: vec![],
    };
    while let Some(a) = it.next() {
        if cli.file.is_some() {
            cli.args.push(a);
            continue;
        }
        match a.as_str() {
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(None);
            }
            "-v" | "--version" => {
                println!("jlx version {}", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            "-e" | "--eval" => cli.eval = Some(it.next().ok_or("-e needs an argument")?),
            "-E" | "--print" => cli.print = Some(it.next().ok_or("-E needs an argument")?),
            "-t" | "--threads" => {
                it.next().ok_or("-t needs an argument")?;
            }
            "--virtual-time" => cli.virtual_time = true,
            "--help-for" => cli.help_for.push(it.next().ok_or("--help-for needs a name")?),
            "-q" | "--quiet" | "-i" => {}
            "--disasm" => cli.disasm = Some(it.next().ok_or("--disasm needs a file")?),
            s if s.starts_with("--threads=") || (s.starts_with("-t") && s.len() > 2) => {}
            s if s.starts_with('-') && s.len() > 1 => {
                return Err(format!("unknown option `{s}` (see jlx --help)"))
            }
            _ => cli.file = Some(a),
        }
    }
    Ok(Some(cli))
}

fn main() -> ExitCode {
    let cli = match parse_cli() {
        Ok(Some(c)) => c,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jlx: {e}");
            return ExitCode::from(2);
        }
    };
    let opts = RuntimeOptions {
        deterministic: std::env::var_os("JLX_DETERMINISTIC").is_some_and(|v| v == "1"),
        virtual_time: cli.virtual_time,
        torture: std::env::var_os("JLX_TORTURE").is_some_and(|v| v == "1"),
        program_file: cli.file.clone().unwrap_or_default(),
        args: cli.args.clone(),
    };
    let mut s = match Session::new(opts) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("jlx: internal error: {e}");
            return ExitCode::from(70);
        }
    };
    if let Some(path) = &cli.disasm {
        let src = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("jlx: cannot read {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        return match s.disassemble(path, &src) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err((_, d)) => {
                diagnostics::render_errors(&s.rt, &d);
                ExitCode::FAILURE
            }
        };
    }
    let (name, src, show) = if let Some(code) = &cli.eval {
        ("none".to_string(), code.clone(), false)
    } else if let Some(code) = &cli.print {
        ("none".to_string(), code.clone(), true)
    } else if let Some(path) = &cli.file {
        match std::fs::read_to_string(path) {
            Ok(t) => (path.clone(), t, false),
            Err(e) => {
                eprintln!("ERROR: SystemError: opening file \"{path}\": {e}");
                return ExitCode::FAILURE;
            }
        }
    } else if !cli.help_for.is_empty() {
        ("none".to_string(), String::new(), false)
    } else {
        let mut t = String::new();
        if std::io::stdin().is_terminal() {
            eprintln!(
                "jlx: the interactive REPL is not available yet; pass a FILE or -e CODE (see jlx --help)"
            );
            return ExitCode::from(2);
        }
        if std::io::stdin().read_to_string(&mut t).is_err() {
            eprintln!("jlx: cannot read standard input");
            return ExitCode::FAILURE;
        }
        ("stdin".to_string(), t, false)
    };
    s.set_program_globals(&cli.file.clone().unwrap_or_default(), &cli.args);
    let code = match s.run_source(&name, &src, ModId::MAIN, false) {
        Outcome::Value(v) => {
            if show {
                s.show_value(&v);
            }
            0
        }
        Outcome::Diagnostics(d) => {
            s.flush();
            diagnostics::render_errors(&s.rt, &d);
            1
        }
        Outcome::Uncaught => 1,
    };
    for name in &cli.help_for {
        s.flush();
        println!("{}", help::help_text(&s.rt, name));
    }
    s.flush();
    let code = s.exit_code.unwrap_or(code);
    ExitCode::from(code as u8)
}
