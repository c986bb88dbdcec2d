//! The golden suite: every `tests/run/**/*.jlx` program and every
//! `examples/*.jlx` runs through the real `jlx` binary and its stdout,
//! stderr and exit code are compared with the expected `.out` file.
//!
//! `.out` format: stdout; then, if stderr is not empty, a line `--- stderr`
//! and stderr; then, if the exit code is not 0, a line `--- exit N`.
//! A first line `# args: ...` in the program adds command-line options.
//! `JLX_BLESS=1` rewrites the expected files (read them before committing).
//!
//! `tests/repl/*.jlx` are REPL transcripts (see `run_repl_case`).
//!
//! Programs run with `JLX_DETERMINISTIC=1` (objects print sequential ids
//! instead of addresses). Every case also runs a second time as
//! `torture::...` with `JLX_TORTURE=1`, where every safepoint polls the
//! event loop; the output must not change. Every program (not the REPL
//! transcripts) runs a third time as `threads4::...` with `-t 4`, with the
//! same expected output, unless one of the comment lines opening the file
//! is `# threads: 1` (the output depends on the thread count or on how
//! tasks are scheduled: no `-t 4` run) or `# threads: any-order` (in the
//! `-t 4` run the output's lines may come in any order).

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repo root")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().map(|e| e == "jlx").unwrap_or(false) {
            out.push(p);
        }
    }
}

/// Render a run in the `.out` format.
fn render(stdout: &str, stderr: &str, code: i32) -> String {
    let mut s = stdout.to_string();
    if !stderr.is_empty() {
        if !s.is_empty() && !s.ends_with('\n') {
            s.push('\n');
        }
        s.push_str("--- stderr\n");
        s.push_str(stderr);
    }
    if code != 0 {
        if !s.is_empty() && !s.ends_with('\n') {
            s.push('\n');
        }
        s.push_str(&format!("--- exit {code}\n"));
    }
    s
}

/// How one run of a program case is made.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Normal,
    /// `JLX_TORTURE=1`.
    Torture,
    /// `-t 4`; `any_order`: compare the output's lines as a multiset.
    Threads4 {
        any_order: bool,
    },
}

/// What a program's `# threads:` line asks of its `-t 4` run.
#[derive(Clone, Copy, PartialEq, Debug)]
enum ThreadsRun {
    Same,
    Skip,
    AnyOrder,
}

/// The `# threads: ...` directive among the comment lines opening `src`.
fn threads_directive(src: &str) -> Result<ThreadsRun, String> {
    for line in src.lines().take_while(|l| l.starts_with('#')) {
        if let Some(v) = line.strip_prefix("# threads:") {
            // The value may be followed by the reason: `# threads: 1 (prints nthreads())`.
            return match v.split_whitespace().next().unwrap_or("") {
                "1" => Ok(ThreadsRun::Skip),
                "any-order" => Ok(ThreadsRun::AnyOrder),
                other => Err(format!("unknown `# threads: {other}` (expected `1` or `any-order`)")),
            };
        }
    }
    Ok(ThreadsRun::Same)
}

fn run_case(program: &Path, expected: &Path, mode: Mode) -> Result<(), Failed> {
    let root = repo_root();
    let rel = program.strip_prefix(&root).unwrap_or(program);
    let src = std::fs::read_to_string(program).map_err(|e| format!("read: {e}"))?;
    let mut args: Vec<String> = Vec::new();
    if let Some(first) = src.lines().next() {
        if let Some(rest) = first.strip_prefix("# args:") {
            args.extend(rest.split_whitespace().map(String::from));
        }
    }
    if let Mode::Threads4 { .. } = mode {
        args.extend(["-t".to_string(), "4".to_string()]);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_jlx"))
        .args(&args)
        .arg(rel)
        .current_dir(&root)
        .env("JLX_HISTORY", "")
        .env("JLX_DETERMINISTIC", "1")
        .env("JLX_TORTURE", if mode == Mode::Torture { "1" } else { "0" })
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn: {e}"))?;
    let start = Instant::now();
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out_pipe, &mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err_pipe, &mut s);
        s
    });
    let status = wait_bounded(&mut child, start)?;
    let stdout = String::from_utf8_lossy(&t_out.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&t_err.join().unwrap_or_default()).into_owned();
    let actual = render(&stdout, &stderr, status.code().unwrap_or(-1));
    compare(expected, &actual, mode)
}

/// A REPL transcript case: the program's lines (minus an `# args:` line)
/// are fed to `jlx -i -q` through non-terminal stdin, which echoes each
/// input after the prompt; stdout and stderr go to one file, so errors
/// appear where they happen. `.out` holds the transcript (and `--- exit N`).
fn run_repl_case(input: &Path, expected: &Path, torture: bool) -> Result<(), Failed> {
    let root = repo_root();
    let src = std::fs::read_to_string(input).map_err(|e| format!("read: {e}"))?;
    let mut args: Vec<String> = vec!["-i".into(), "-q".into()];
    let mut body = src.as_str();
    if let Some(rest) = src.strip_prefix("# args:") {
        let (first, tail) = rest.split_once('\n').unwrap_or((rest, ""));
        args.extend(first.split_whitespace().map(String::from));
        body = tail;
    }
    static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let out_path = std::env::temp_dir().join(format!("jlx-repl-{}-{n}.out", std::process::id()));
    let file = std::fs::File::create(&out_path).map_err(|e| format!("temp file: {e}"))?;
    let file2 = file.try_clone().map_err(|e| format!("temp file: {e}"))?;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jlx"))
        .args(&args)
        .current_dir(&root)
        .env("JLX_HISTORY", "")
        .env("JLX_DETERMINISTIC", "1")
        .env("JLX_TORTURE", if torture { "1" } else { "0" })
        .stdin(Stdio::piped())
        .stdout(Stdio::from(file))
        .stderr(Stdio::from(file2))
        .spawn()
        .map_err(|e| format!("spawn: {e}"))?;
    let mut stdin = child.stdin.take().expect("stdin");
    let body = body.to_string();
    let feeder = std::thread::spawn(move || {
        let _ = std::io::Write::write_all(&mut stdin, body.as_bytes());
    });
    let start = Instant::now();
    let status = wait_bounded(&mut child, start).inspect_err(|_| {
        let _ = std::fs::remove_file(&out_path);
    })?;
    let _ = feeder.join();
    let text = std::fs::read_to_string(&out_path).unwrap_or_default();
    let _ = std::fs::remove_file(&out_path);
    let actual = render(&text, "", status.code().unwrap_or(-1));
    compare(expected, &actual, if torture { Mode::Torture } else { Mode::Normal })
}

/// Wait for `child`, killing it once it has run longer than `TIMEOUT`.
fn wait_bounded(child: &mut std::process::Child, start: Instant) -> Result<std::process::ExitStatus, Failed> {
    loop {
        if let Some(st) = child.try_wait().map_err(|e| format!("wait: {e}"))? {
            return Ok(st);
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("timed out after {}s", TIMEOUT.as_secs()).into());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn sorted_lines(s: &str) -> Vec<&str> {
    let mut v: Vec<&str> = s.lines().collect();
    v.sort_unstable();
    v
}

/// Compare `actual` with the expected file (or rewrite it under `JLX_BLESS`,
/// from the normal run only).
fn compare(expected: &Path, actual: &str, mode: Mode) -> Result<(), Failed> {
    if std::env::var_os("JLX_BLESS").is_some() {
        if mode != Mode::Normal {
            return Ok(());
        }
        if let Some(dir) = expected.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        std::fs::write(expected, actual).map_err(|e| format!("bless: {e}"))?;
        return Ok(());
    }
    let want = std::fs::read_to_string(expected)
        .map_err(|_| format!("missing expected output {}", expected.display()))?;
    let same = if mode == (Mode::Threads4 { any_order: true }) {
        sorted_lines(&want) == sorted_lines(actual)
    } else {
        want == actual
    };
    if !same {
        return Err(format!("output differs\n--- expected\n{want}\n--- actual\n{actual}").into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let root = repo_root();
    let mut trials = Vec::new();
    let mut progs = Vec::new();
    collect(&root.join("tests/run"), &mut progs);
    for p in progs {
        let name =
            p.strip_prefix(root.join("tests/run")).unwrap_or(&p).with_extension("").display().to_string();
        let expected = p.with_extension("out");
        add_trials(&mut trials, format!("run::{name}"), p, expected);
    }
    let mut examples = Vec::new();
    collect(&root.join("examples"), &mut examples);
    for p in examples {
        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let expected = root.join("tests/examples").join(format!("{stem}.out"));
        add_trials(&mut trials, format!("examples::{stem}"), p, expected);
    }
    let mut transcripts = Vec::new();
    collect(&root.join("tests/repl"), &mut transcripts);
    for p in transcripts {
        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let expected = p.with_extension("out");
        let (p2, e2) = (p.clone(), expected.clone());
        trials.push(Trial::test(format!("repl::{stem}"), move || run_repl_case(&p, &expected, false)));
        trials.push(Trial::test(format!("torture::repl::{stem}"), move || run_repl_case(&p2, &e2, true)));
    }
    trials.push(Trial::test("harness::threads_directives", check_threads_directives));
    libtest_mimic::run(&args, trials).exit();
}

/// The normal run of a program case, its torture-mode run and its `-t 4`
/// run (unless the program opts out).
fn add_trials(trials: &mut Vec<Trial>, name: String, program: PathBuf, expected: PathBuf) {
    let directive =
        std::fs::read_to_string(&program).map_err(|e| e.to_string()).and_then(|s| threads_directive(&s));
    let (p2, e2) = (program.clone(), expected.clone());
    let (p3, e3) = (program.clone(), expected.clone());
    trials.push(Trial::test(name.clone(), move || run_case(&program, &expected, Mode::Normal)));
    trials.push(Trial::test(format!("torture::{name}"), move || run_case(&p2, &e2, Mode::Torture)));
    let threads = match directive {
        Ok(ThreadsRun::Skip) => return,
        Ok(d) => Ok(Mode::Threads4 { any_order: d == ThreadsRun::AnyOrder }),
        Err(e) => Err(e),
    };
    trials.push(Trial::test(format!("threads4::{name}"), move || run_case(&p3, &e3, threads?)));
}

/// The harness's own check of `# threads:` parsing (run as a trial).
fn check_threads_directives() -> Result<(), Failed> {
    let cases = [
        ("println(1)\n# threads: 1\n", Ok(ThreadsRun::Same)),
        ("# args: -q\n# about\n# threads: 1\nx = 1\n", Ok(ThreadsRun::Skip)),
        ("# threads: any-order\n", Ok(ThreadsRun::AnyOrder)),
        ("# threads: 1 (prints nthreads())\n", Ok(ThreadsRun::Skip)),
    ];
    for (src, want) in cases {
        if threads_directive(src) != want {
            return Err(format!("{src:?}: got {:?}", threads_directive(src)).into());
        }
    }
    if threads_directive("# threads: 4\n").is_ok() {
        return Err("`# threads: 4` accepted".into());
    }
    Ok(())
}
