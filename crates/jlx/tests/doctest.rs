//! Runs the `julia> ` examples of the built-in docstrings
//! (`stdlib/docs/*.md`) through the real `jlx` binary: every input of an
//! entry runs in order in one program, and what it prints followed by its
//! displayed value (none when the input ends with `;` or is `nothing`)
//! must equal the lines written below it.

#[path = "../src/docs.rs"]
#[allow(dead_code)]
mod docs;

use std::path::Path;
use std::process::{Command, Stdio};

const MARK: &str = "\u{1}next";

fn program(ex: &[docs::Example]) -> String {
    let mut p = String::new();
    for e in ex {
        p.push_str(&format!("println({MARK:?})\n"));
        let quiet = e.input.trim_end().ends_with(';');
        p.push_str(&format!("__doctest__ = begin\n{}\nend\n", e.input));
        if !quiet {
            p.push_str("__doctest__ === nothing || display(__doctest__)\n");
        }
    }
    p
}

fn run(program: &str) -> Result<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jlx"))
        // `-`: standard input as a program file (`julia -`).
        .args(["--virtual-time", "-"])
        .current_dir(dir)
        .env("JLX_DETERMINISTIC", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(program.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() || !stderr.is_empty() {
        return Err(format!("exit {:?}, stderr:\n{stderr}", out.status.code()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn docstring_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib/docs");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("docs dir").flatten().map(|e| e.path()).collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read docs");
        for entry in docs::parse(&text) {
            let ex = docs::examples(&entry.text);
            if ex.is_empty() {
                continue;
            }
            count += ex.len();
            let name = format!("{}: {}", f.file_name().unwrap_or_default().to_string_lossy(), entry.names[0]);
            match run(&program(&ex)) {
                Err(e) => failures.push(format!("{name}: {e}")),
                Ok(out) => {
                    let got: Vec<&str> = out.split(&format!("{MARK}\n")).skip(1).collect();
                    for (i, e) in ex.iter().enumerate() {
                        let want: String = e.output.iter().map(|l| format!("{l}\n")).collect();
                        let have = got.get(i).copied().unwrap_or("<missing>");
                        if want != have {
                            failures.push(format!(
                                "{name}: julia> {}\n--- expected\n{want}--- got\n{have}",
                                e.input
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(count > 0, "no examples found");
    assert!(failures.is_empty(), "{} failing examples:\n\n{}", failures.len(), failures.join("\n\n"));
}
