//! AST-shape tests for every syntax item, via the S-expression printer.

use jlx_base::FileId;
use jlx_syntax::sexp::program_sexp;
use jlx_syntax::{input_status, parse_program, InputStatus};

fn p(src: &str) -> String {
    match parse_program(src, FileId(0)) {
        Ok(prog) => program_sexp(&prog),
        Err(errs) => panic!(
            "parse failed for {src:?}:\n{}",
            errs.iter()
                .map(|e| format!("{} at {}..{}", e.message, e.span.start, e.span.end))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn errs(src: &str) -> Vec<String> {
    match parse_program(src, FileId(0)) {
        Ok(prog) => panic!("expected an error for {src:?}, got {}", program_sexp(&prog)),
        Err(errs) => errs.into_iter().map(|e| e.message).collect(),
    }
}

#[track_caller]
fn check(src: &str, want: &str) {
    assert_eq!(p(src), want, "source: {src:?}");
}

#[test]
fn literals() {
    check("1_000", "1000");
    check("0xff", "255");
    check("0b101", "5");
    check("1.5", "1.5");
    check("1e-3", "0.001");
    check(".5", "0.5");
    check("1.", "1.0");
    check("2.5e10", "25000000000.0");
    check("true", "true");
    check("'a'", "'a'");
    check("'\\n'", "'\\n'");
    check("'\\''", "'\\''");
    check("'α'", "'α'");
    check("\"abc\\n\"", "\"abc\\n\"");
    check(":name", ":name");
    check(":(==)", ":==");
    check(":end", ":end");
    check("nothing", "nothing");
    check("-1", "-1");
    check("-9223372036854775808", "-9223372036854775808");
    check("\"\\u{e9}\\x41\\t\\\\\\\"\\$\"", "\"éA\\t\\\\\\\"$\"");
}

#[test]
fn strings() {
    check("\"a$(x)b\"", "(string \"a\" x \"b\")");
    check("\"$x and $(f(y))\"", "(string x \" and \" (call f y))");
    check("\"n=$n value=$(pingpong(n))\"", "(string \"n=\" n \" value=\" (call pingpong n))");
    check("\"$(\"inner $(x)\")!\"", "(string (string \"inner \" x) \"!\")");
    check("\"\"\"\n    hello\n      world\n    \"\"\"", "\"hello\\n  world\\n\"");
    check("\"\"\"abc\"\"\"", "\"abc\"");
    check("r\"a\\d+\"", "(strmacro r \"a\\\\d+\")");
    check("raw\"C:\\x\"", "(strmacro raw \"C:\\\\x\")");
}

#[test]
fn operators_precedence() {
    check("1 + 2 * 3", "(call + 1 (call * 2 3))");
    check("1 - 2 - 3", "(call - (call - 1 2) 3)");
    check("-2^2", "(call - (call ^ 2 2))");
    check("2^3^2", "(call ^ 2 (call ^ 3 2))");
    check("2^-1", "(call ^ 2 -1)");
    check("-x", "(call - x)");
    check("!x", "(call ! x)");
    check("√x", "(call √ x)");
    check("a && b || c", "(|| (&& a b) c)");
    check("a || b && c", "(|| a (&& b c))");
    check("a < b", "(call < a b)");
    check("a < b <= c", "(comparison a < b <= c)");
    check("a ∈ b", "(call in a b)");
    check("a in b", "(call in a b)");
    check("a ∉ b", "(call ∉ a b)");
    check("a ≤ b", "(call <= a b)");
    check("x isa Int", "(call isa x Int)");
    check("T <: Real", "(call <: T Real)");
    check("a ÷ b", "(call ÷ a b)");
    check("a ⊻ b", "(call ⊻ a b)");
    check("a \\ b", "(call \\ a b)");
    check("a % b", "(call % a b)");
    check("a // b", "(call // a b)");
    check("1 << 2 * 3", "(call * (call << 1 2) 3)");
    check("a >>> 1", "(call >>> a 1)");
    check("x |> f |> g", "(call |> (call |> x f) g)");
    check("1:n", "(call : 1 n)");
    check("1:2:10", "(call : 1 2 10)");
    check("0:n-1", "(call : 0 (call - n 1))");
    check("a => b => c", "(call => a (call => b c))");
    check("a ? b : c", "(if a b c)");
    check("a ? b : c ? d : e", "(if a b (if c d e))");
    check("x -> x + 1", "(-> (x) (call + x 1))");
    check("x'", "(call adjoint x)");
    check("x::Int", "(:: x Int)");
    check("2n", "(call * 2 n)");
    check("2(x+1)", "(call * 2 (call + x 1))");
    check("2x^2", "(call * 2 (call ^ x 2))");
    check("a .+ b", "(.call + a b)");
    check("a .== b", "(.call == a b)");
    check(".!x", "(.call ! x)");
    check("f.(x, y)", "(.call f x y)");
    check("a !== b", "(call !== a b)");
    check("a!=b", "(call != a b)");
    check("f ∘ g", "(call ∘ f g)");
    check("x < 0 && return", "(&& (call < x 0) (return))");
    check("x > 0 || error(\"neg\")", "(|| (call > x 0) (call error \"neg\"))");
    check("c ? 1:2 : 3", "(if c (call : 1 2) 3)");
    check("!isempty(x)", "(call ! (call isempty x))");
}

#[test]
fn assignment() {
    check("x = 1", "(= x 1)");
    check("x = y = 1", "(= x (= y 1))");
    check("x += 1", "(+= x 1)");
    check("x ÷= 2", "(÷= x 2)");
    check("x .= y", "(.= x y)");
    check("x .+= 1", "(.= x (.call + x 1))");
    check("a, b = f()", "(= (tuple a b) (call f))");
    check("a, b = 1, 2", "(= (tuple a b) (tuple 1 2))");
    check("(a, b) = t", "(= (tuple a b) t)");
    check("a[i], a[j] = a[j], a[i]", "(= (tuple (ref a i) (ref a j)) (tuple (ref a j) (ref a i)))");
    check("p.x = 1", "(= (. p x) 1)");
    check("d[\"k\"] = v", "(= (ref d \"k\") v)");
    check("r[] += 1", "(+= (ref r) 1)");
    check("x::Int = 1", "(= (:: x Int) 1)");
    check("global x", "(global x)");
    check("global x = 1", "(global (= x 1))");
    check("global a, b", "(global a b)");
    check("local x", "(local x)");
    check("const x = 1", "(const (= x 1))");
}

#[test]
fn blocks() {
    check("begin\n a\n b\nend", "(block a b)");
    check("begin; a; b; end", "(block a b)");
    check("(a; b)", "(block a b)");
    check("let a = 1, b = 2\n a + b\nend", "(let (binds (= a 1) (= b 2)) (block (call + a b)))");
    check("let\n x\nend", "(let (binds) (block x))");
    check("if a\n 1\nelseif b\n 2\nelse\n 3\nend", "(if a (block 1) (if b (block 2) (block 3)))");
    check("if a; 1; end", "(if a (block 1))");
    check("while i < n\n i += 1\nend", "(while (call < i n) (block (+= i 1)))");
    check("for x in xs\n f(x)\nend", "(for (in x xs) (block (call f x)))");
    check("for i = 1:n\nend", "(for (in i (call : 1 n)) (block))");
    check("for i ∈ xs\nend", "(for (in i xs) (block))");
    check("for (k, v) in d\nend", "(for (in (tuple k v) d) (block))");
    check("for i in 1:2, j in 1:3\nend", "(for (in i (call : 1 2)) (in j (call : 1 3)) (block))");
    check("while true\n break\n continue\nend", "(while true (block break continue))");
    check("return", "(return)");
    check("return x", "(return x)");
    check("return a, b", "(return (tuple a b))");
    check("try\n f()\ncatch e\n g(e)\nend", "(try (block (call f)) (catch e (block (call g e))))");
    check("try\n f()\ncatch\n g()\nend", "(try (block (call f)) (catch _ (block (call g))))");
    check("try; f(); catch; end", "(try (block (call f)) (catch _ (block)))");
    check(
        "try\n f()\ncatch e\n 1\nelse\n 2\nfinally\n 3\nend",
        "(try (block (call f)) (catch e (block 1)) (else (block 2)) (finally (block 3)))",
    );
    check("try\n f()\nfinally\n g()\nend", "(try (block (call f)) (finally (block (call g))))");
    check("quote\n x + 1\nend", "(quote (block (call + x 1)))");
    check("x = if c\n 1\nelse\n 2\nend", "(= x (if c (block 1) (block 2)))");
}

#[test]
fn do_blocks() {
    check("map(xs) do x\n x + 1\nend", "(do (call map xs) (-> (x) (block (call + x 1))))");
    check("open(f) do\n g()\nend", "(do (call open f) (-> () (block (call g))))");
    check("Channel() do ch\n put!(ch, 1)\nend", "(do (call Channel) (-> (ch) (block (call put! ch 1))))");
    check("foreach(d) do (a, b)\nend", "(do (call foreach d) (-> ((tuple a b)) (block)))");
    check("f(x) do a, b\nend", "(do (call f x) (-> (a b) (block)))");
}

#[test]
fn functions() {
    check(
        "function f(x, y=2; kw=3, kws...)\n x\nend",
        "(function f (x (= y 2) ; (= kw 3) (... kws)) (block x))",
    );
    check("f(x) = x + 1", "(function f (x) (call + x 1))");
    check("f(x::T) where T = x", "(function f ((:: x T)) (where T) x)");
    check("f(x)::Int = x", "(function f (x) (ret Int) x)");
    check(
        "function f(x::T)::T where {T<:Real}\nend",
        "(function f ((:: x T)) (ret T) (where (<: T Real)) (block))",
    );
    check("function f(x) where T<:Number\nend", "(function f (x) (where (<: T Number)) (block))");
    check("x -> x", "(-> (x) x)");
    check("(a, b) -> a + b", "(-> (a b) (call + a b))");
    check("() -> 1", "(-> () 1)");
    check("(x::Int) -> x", "(-> ((:: x Int)) x)");
    check("function (x)\n x\nend", "(-> (x) (block x))");
    check("function (a, b)\nend", "(-> (a b) (block))");
    check("f(xs...) = xs", "(function f ((... xs)) xs)");
    check("f(xs::Int...) = xs", "(function f ((... (:: xs Int))) xs)");
    check("f(::Type{T}) where T = 1", "(function f ((:: (curly Type T))) (where T) 1)");
    check(
        "function Base.show(io::IO, p::Point)\nend",
        "(function Base.show ((:: io IO) (:: p Point)) (block))",
    );
    check("Base.:+(a::V, b::V) = 1", "(function Base.+ ((:: a V) (:: b V)) 1)");
    check("Base.length(x::MyType) = 1", "(function Base.length ((:: x MyType)) 1)");
    check("function f(; k::Int=1)\nend", "(function f ( ; (= (:: k Int) 1)) (block))");
    check("function f(x) x end", "(function f (x) (block x))");
    check("\"doc\"\nfunction f()\nend", "(function f () (doc \"doc\") (block))");
    check("\"\"\"\n  doc\n  \"\"\"\nf(x) = 1", "(function f (x) (doc \"doc\\n\") 1)");
    check("\"not doc\"\n\nf(x) = 1", "\"not doc\"\n(function f (x) 1)");
    check("map(x -> x > 0 ? 1 : 2, xs)", "(call map (-> (x) (if (call > x 0) 1 2)) xs)");
    check("macro m(ex)\n ex\nend", "(macro-def m (ex) (block ex))");
    check("(p::Poly)(x) = p", "(function ((:: p Poly) x) p)");
    check("function area end", "(block)");
    check("Base.:(==)(a, b) = true", "(function Base.== (a b) true)");
    check("return xs, () -> total", "(return (tuple xs (-> () total)))");
}

#[test]
fn types() {
    check("struct Point x; y end", "(struct Point (fields x y))");
    check("struct Point\n x::Int\n y::Int\nend", "(struct Point (fields (:: x Int) (:: y Int)))");
    check("mutable struct A\n x\nend", "(mutable-struct A (fields x))");
    check("struct P{T} x::T end", "(struct P (params T) (fields (:: x T)))");
    check("struct A <: B\n x\nend", "(struct A (<: B) (fields x))");
    check(
        "struct Point\n x\n y\n Point(x) = new(x, 0)\nend",
        "(struct Point (fields x y) (function Point (x) (call new x 0)))",
    );
    check(
        "struct Point\n x\n function Point(a)\n  new(a)\n end\nend",
        "(struct Point (fields x) (function Point (a) (block (call new a))))",
    );
    check("mutable struct C\n @atomic x::Int\nend", "(mutable-struct C (fields (atomic (:: x Int))))");
    check("abstract type T end", "(abstract T)");
    check("abstract type T <: S end", "(abstract T (<: S))");
    check("Vector{Int}", "(curly Vector Int)");
    check("Vector{<:Number}", "(curly Vector (call <: Number))");
    check("0.1 + 0.2 ≈ 0.3", "(call ≈ (call + 0.1 0.2) 0.3)");
    check("Dict{String,Int}()", "(call (curly Dict String Int))");
    check("Channel{Int}(32)", "(call (curly Channel Int) 32)");
    check("Ref{Int}(0)", "(call (curly Ref Int) 0)");
    check("\"A point\"\nstruct P\n x\nend", "(struct P (fields x) (doc \"A point\"))");
}

#[test]
fn collections() {
    check("(1, 2)", "(tuple 1 2)");
    check("(1,)", "(tuple 1)");
    check("()", "(tuple)");
    check("(a=1, b=2)", "(namedtuple (= a 1) (= b 2))");
    check("(; a, b)", "(namedtuple (= a a) (= b b))");
    check("[1, 2, 3]", "(vect 1 2 3)");
    check("[1 2 3]", "(hcat 1 2 3)");
    check("[1 2; 3 4]", "(vcat (row 1 2) (row 3 4))");
    check("[1 2\n 3 4]", "(vcat (row 1 2) (row 3 4))");
    check("[a; b]", "(vcat (row a) (row b))");
    check("[1 -2]", "(hcat 1 -2)");
    check("[1 - 2]", "(vect (call - 1 2))");
    check("[]", "(vect)");
    check("Int[]", "(typed_vect Int)");
    check("Float64[1, 2]", "(typed_vect Float64 1 2)");
    check("Any[]", "(typed_vect Any)");
    check("[x^2 for x in 1:3]", "(comprehension (call ^ x 2) (in x (call : 1 3)))");
    check(
        "[f(i,j) for i in 1:2, j in 1:3]",
        "(comprehension (call f i j) (in i (call : 1 2)) (in j (call : 1 3)))",
    );
    check("[x for x in xs if iseven(x)]", "(comprehension x (in x xs) (if (call iseven x)))");
    check("Int[x for x in 1:3]", "(typed_comprehension Int x (in x (call : 1 3)))");
    check("(x for x in xs)", "(generator x (in x xs))");
    check("sum(x^2 for x in 1:10)", "(call sum (generator (call ^ x 2) (in x (call : 1 10))))");
    check("sum(fetch, tasks)", "(call sum fetch tasks)");
    check("a[i]", "(ref a i)");
    check("a[end]", "(ref a end)");
    check("a[end-1]", "(ref a (call - end 1))");
    check("a[2:end]", "(ref a (call : 2 end))");
    check("a[begin]", "(ref a begin)");
    check("m[i, j]", "(ref m i j)");
    check("A[:, j]", "(ref A : j)");
    check("x[]", "(ref x)");
    check("a[max(1, end-2):end]", "(ref a (call : (call max 1 (call - end 2)) end))");
    check("\"abc\"[1]", "(ref \"abc\" 1)");
    check("[1, 2,\n 3]", "(vect 1 2 3)");
    check("[\n 1, 2\n]", "(vect 1 2)");
}

#[test]
fn calls() {
    check("f(a, b)", "(call f a b)");
    check("f(a; k=1)", "(call f a (kw k 1))");
    check("f(a, k=1)", "(call f a (kw k 1))");
    check("f(; k)", "(call f (kw k k))");
    check("f(x...)", "(call f (... x))");
    check("f()", "(call f)");
    check("f(x)(y)", "(call (call f x) y)");
    check("a.b.c(x)", "(call (. (. a b) c) x)");
    check("Threads.nthreads()", "(call (. Threads nthreads))");
    check("x |> f", "(call |> x f)");
    check("map(+, xs)", "(call map + xs)");
    check("reduce(*, xs; init=1)", "(call reduce * xs (kw init 1))");
    check("+(1, 2)", "(call + 1 2)");
    check("f(a,\n b)", "(call f a b)");
    check(
        "round(Int, 100 * sum(C) / n^3)",
        "(call round Int (call / (call * 100 (call sum C)) (call ^ n 3)))",
    );
    check("in(x, xs)", "(call in x xs)");
}

#[test]
fn macros() {
    check("@m a b", "(macro @m a b)");
    check("@m(a, b)", "(macro @m a b)");
    check("@sync begin\n @async f()\nend", "(macro @sync (block (macro @async (call f))))");
    check("@async for i in 1:3\n f(i)\nend", "(macro @async (for (in i (call : 1 3)) (block (call f i))))");
    check("@time @sync @async sleep(2)", "(macro @time (macro @sync (macro @async (call sleep 2))))");
    check("@elapsed while n > 0\n n -= 1\nend", "(macro @elapsed (while (call > n 0) (block (-= n 1))))");
    check("Threads.@spawn f(x)", "(macro @Threads.spawn (call f x))");
    check("Base.Threads.@spawn f(x)", "(macro @Base.Threads.spawn (call f x))");
    check("Threads.@spawn :interactive f(x)", "(macro @Threads.spawn :interactive (call f x))");
    check("Threads.@threads for i in 1:n\nend", "(macro @Threads.threads (for (in i (call : 1 n)) (block)))");
    check("@show x", "(macro @show x)");
    check("@assert x > 0 \"msg\"", "(macro @assert (call > x 0) \"msg\")");
    check("@async println($x)", "(macro @async (call println ($ x)))");
    check("@atomic x.f += 1", "(macro @atomic (+= (. x f) 1))");
    check("@lock l f()", "(macro @lock l (call f))");
    check("@info \"msg\" x", "(macro @info \"msg\" x)");
    check(
        "t = @task begin; sleep(5); println(\"done\"); end",
        "(= t (macro @task (block (call sleep 5) (call println \"done\"))))",
    );
    check("@__FILE__", "(macro @__FILE__)");
    check("x = @__LINE__\ny", "(= x (macro @__LINE__))\ny");
    check("@async begin\n x\nend\ny", "(macro @async (block x))\ny");
    check(
        "[Threads.@spawn fib(n) for _ in 1:jobs]",
        "(comprehension (macro @Threads.spawn (call fib n)) (in _ (call : 1 jobs)))",
    );
    check(
        "errormonitor(Threads.@spawn make_jobs(n)); n",
        "(call errormonitor (macro @Threads.spawn (call make_jobs n)))\nn",
    );
    check("@show a, b", "(macro @show (tuple a b))");
    check("@time sleep(2);", "(macro @time (call sleep 2))");
    check(
        "@sync for i in 1:n\n @async begin\n  sleep(1.0)\n end\nend",
        "(macro @sync (for (in i (call : 1 n)) (block (macro @async (block (call sleep 1.0))))))",
    );
}

#[test]
fn modules() {
    check("using Random", "(using Random)");
    check("using Base.Threads", "(using Base.Threads)");
    check("import Base: show", "(import Base : show)");
    check("using Base.Threads: @spawn, nthreads", "(using Base.Threads : @spawn nthreads)");
    check("import Base: +, show", "(import Base : + show)");
    check("module M\n x = 1\nend", "(module M (block (= x 1)))");
}

#[test]
fn statements_and_newlines() {
    check("x = 1 +\n 2", "(= x (call + 1 2))");
    check("x\n+1", "x\n1");
    check("a; b;", "a\nb");
    check("f(x,\n  y)", "(call f x y)");
    check("x = [1,\n 2]", "(= x (vect 1 2))");
    check("# comment\nx #= inline =# + 1", "(call + x 1)");
    check("#= #= nested =# =#\nx", "x");
    check("", "");
    check("\n\n", "");
}

#[test]
fn errors_are_curated() {
    let e = errs("function f(x)\n x\n");
    assert_eq!(e, vec!["expected `end` to close `function`"]);
    let e = errs("f(x))");
    assert_eq!(e, vec!["unexpected `)`"]);
    let e = errs("\"abc");
    assert_eq!(e, vec!["unterminated string literal"]);
    let e = errs("#= abc");
    assert_eq!(e, vec!["unterminated comment: missing `=#`"]);
    let e = errs("x = §");
    assert_eq!(e, vec!["invalid character `§`"]);
    let e = errs("x = [1, 2");
    assert_eq!(e, vec!["missing closing `]`"]);
    let e = errs("f(x]");
    assert!(e[0].starts_with("unexpected `]`"), "{e:?}");
    // several errors in one file
    let e = errs("x = )\ny = 2\nz = (]\n");
    assert_eq!(e.len(), 2, "{e:?}");
    let e = errs("1 = x");
    assert_eq!(e, vec!["cannot assign to a literal"]);
}

#[test]
fn error_labels() {
    let errs = parse_program("if x\n  y\n", FileId(0)).unwrap_err();
    assert_eq!(errs[0].message, "expected `end` to close `if`");
    assert_eq!(errs[0].labels[0].message, "`if` started here");
    assert_eq!(errs[0].labels[0].span.start, 0);
}

#[test]
fn repl_input_status() {
    use InputStatus::*;
    for src in [
        "function f(x)",
        "x = 1 +",
        "\"abc",
        "#= ...",
        "begin",
        "f(1,",
        "[1, 2",
        "if x\n 1\nelse",
        "x = \"\"\"\nabc",
    ] {
        assert_eq!(input_status(src), Incomplete, "{src:?}");
    }
    for src in ["x = 1", "f(x))", "end", "function f(x) end", "1 +* 2", "x = 1\n", "@async begin\nend", ""] {
        assert_eq!(input_status(src), Complete, "{src:?}");
    }
}
