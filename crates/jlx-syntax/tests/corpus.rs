//! Whole programs: the benchmark programs and the Julia manual examples must parse, and no
//! input (every prefix of the samples, random bytes) may make the parser panic.

use jlx_base::FileId;
use jlx_syntax::{input_status, parse_program};
use std::path::Path;

const SAMPLES: &[&str] = &[
    r#"
"""
    Point(x, y)

A point.
"""
struct Point{T<:Real} <: AbstractPoint
    x::T
    y::T
    Point(x) = new{typeof(x)}(x, 0)
end

function Base.show(io::IO, p::Point)
    print(io, "($(p.x), $(p.y))")
end

Base.:+(a::Point, b::Point) = Point(a.x + b.x, a.y + b.y)

function f(x, y=2; kw=3, kws...)
    s = 0
    for i in 1:x, j in 1:y
        s += i * j
    end
    if s > 10 && kw == 3
        return s
    elseif s < 0
        error("negative")
    else
        s = s ÷ 2
    end
    t = try
        sqrt(-1)
    catch e
        0.0
    finally
        println("done")
    end
    xs = [k^2 for k in 1:10 if iseven(k)]
    m = [1 2; 3 4]
    v = Float64[1, 2, 3]
    d = Dict{String,Int}("a" => 1)
    d["b"] = 2
    c = Channel{Int}(32)
    @sync begin
        @async put!(c, 2n)
        Threads.@spawn :interactive take!(c)
    end
    map(xs) do x
        x + 1
    end
    g = (a, b) -> a * b'
    ch = 'x'
    r = a[end-1:end]
    n = x < 0 ? -x : x
    return s
end
"#,
    "let a = 1, b = [1 -2\n 3 4]\n  @show a b\nend\nx = \"\"\"\n   multi $(line)\n   \"\"\"\n",
    "t = @task begin; sleep(5); println(\"done\"); end\nschedule(t); wait(t)\n",
];

fn no_panic(src: &str) {
    let _ = parse_program(src, FileId(0));
    let _ = input_status(src);
}

#[test]
fn every_prefix_parses_without_panic() {
    for s in SAMPLES {
        for (i, _) in s.char_indices() {
            no_panic(&s[..i]);
        }
        no_panic(s);
        // and every suffix (starting mid-construct)
        for (i, _) in s.char_indices().step_by(7) {
            no_panic(&s[i..]);
        }
    }
}

#[test]
fn samples_parse() {
    for s in SAMPLES {
        if let Err(e) = parse_program(s, FileId(0)) {
            panic!("sample failed: {e:?}\n{s}");
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    // bias towards interesting characters
    let alphabet: Vec<char> = "abxyz019 \n\t()[]{}\"'$@:;,.=+-*/^!?<>|&#\\_αλ÷∈√'end".chars().collect();
    for round in 0..3000 {
        let len = (next() % 60) as usize;
        let s: String = if round % 3 == 0 {
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect()
        };
        no_panic(&s);
    }
    // random token soup from keywords
    let words = [
        "function", "end", "if", "else", "for", "in", "begin", "(", ")", "[", "]", "x", "1", "=", "+", "@m",
        "do", "\n", ";", ",", "'", "\"", "$(", "::", "->", "?", ":", "where", "{", "}", "struct", "try",
        "catch", "...",
    ];
    for _ in 0..3000 {
        let n = (next() % 25) as usize;
        let s: String =
            (0..n).map(|_| words[(next() % words.len() as u64) as usize]).collect::<Vec<_>>().join(" ");
        no_panic(&s);
    }
}

#[test]
fn bench_programs_parse() {
    let dir = Path::new("/work/shared/bench/jlx");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut n = 0;
    for e in entries.flatten() {
        let path = e.path();
        if path.extension().is_some_and(|x| x == "jl") {
            let src = std::fs::read_to_string(&path).unwrap_or_default();
            if let Err(errs) = parse_program(&src, FileId(0)) {
                panic!("{}: {:?}", path.display(), errs);
            }
            n += 1;
        }
    }
    assert!(n > 0);
}

/// Code blocks of a markdown page, with `julia> ` prompts stripped and REPL output dropped.
fn code_blocks(md: &str) -> Vec<String> {
    let mut out = vec![];
    let mut lines = md.lines();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("```julia") {
            let mut block = vec![];
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                block.push(l);
            }
            let repl = block.iter().any(|l| l.trim_start().starts_with("julia> "));
            if !repl {
                out.push(block.join("\n"));
                continue;
            }
            let mut code = String::new();
            let mut in_input = false;
            let mut indent = 0;
            for l in block {
                if let Some(pos) = l.find("julia> ") {
                    if l[..pos].trim().is_empty() {
                        in_input = true;
                        indent = pos + 7;
                        code.push_str(&l[pos + 7..]);
                        code.push('\n');
                        continue;
                    }
                }
                let cont = l.len() >= indent && l[..indent].trim().is_empty() && !l.trim().is_empty();
                if in_input && cont {
                    code.push_str(&l[indent..]);
                    code.push('\n');
                } else {
                    in_input = false;
                }
            }
            out.push(code);
        }
    }
    out
}

#[test]
fn manual_examples_parse() {
    let Ok(entries) = std::fs::read_dir("/work/shared/seeds") else { return };
    for e in entries.flatten() {
        let path = e.path();
        if !path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("001_")) {
            continue;
        }
        let md = std::fs::read_to_string(&path).unwrap_or_default();
        let blocks = code_blocks(&md);
        assert!(!blocks.is_empty());
        for b in blocks {
            if let Err(errs) = parse_program(&b, FileId(0)) {
                panic!("{}: {:?}\n---\n{b}", path.display(), errs);
            }
        }
    }
}
