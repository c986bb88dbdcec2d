//! Output: `print`, `println`, `show`, `display`, `repr`, `string`,
//! `showerror`, `IOBuffer`/`take!`, `stdout`/`stderr`, and `error`/`throw`.
//!
//! Invariant: stdout text is buffered in the VM and flushed before any
//! stderr write and at exit, so the two streams interleave as written;
//! with a terminal (or several threads) it is also flushed at the end of
//! each line. A failed write of stdout (a closed pipe: `jlx ... | head`)
//! closes the stream for the run: what was buffered is dropped and the
//! next write to it throws Julia's `IOError` (`write: broken pipe
//! (EPIPE)`); nothing panics.

use super::{register, Flow, NResult};
use crate::errors;
use crate::obj::{IoObj, Obj};
use crate::show::{Printed, Printer};
use crate::types::{tid, TypeKind};
use crate::value::Value;
use crate::vm::Vm;
use jlx_bytecode::ModId;
use std::io::Write;

pub fn install(rt: &crate::runtime::Runtime) {
    register(rt, ModId::BASE, "print", print);
    register(rt, ModId::BASE, "println", println);
    register(rt, ModId::BASE, "show", show);
    register(rt, ModId::BASE, "display", display);
    register(rt, ModId::BASE, "repr", repr);
    register(rt, ModId::BASE, "string", string);
    register(rt, ModId::BASE, "showerror", showerror);
    register(rt, ModId::BASE, "summary", summary_native);
    register(rt, ModId::BASE, "take!", take);
    register(rt, ModId::BASE, "flush", flush);
    register(rt, ModId::BASE, "write", write);
    register(rt, ModId::BASE, "exit", exit);
    register(rt, ModId::BASE, "include", include);
    register(rt, ModId::BASE, "error", error);
    register(rt, ModId::BASE, "throw", throw);
    register(rt, ModId::BASE, "__hole_value__", hole_value);
    register(rt, ModId::BASE, "__hole_is_show__", hole_is_show);
    register(rt, ModId::BASE, "__hole_is_display__", hole_is_display);
    register(rt, ModId::BASE, "__write_str__", write_str);
    super::constant(rt, ModId::BASE, "stdout", Value::obj(Obj::Io(IoObj::Stdout)));
    super::constant(rt, ModId::BASE, "stderr", Value::obj(Obj::Io(IoObj::Stderr)));
    super::constant(rt, ModId::BASE, "stdin", Value::obj(Obj::Io(IoObj::Stdin)));
}

fn io_of(v: &Value) -> Option<&IoObj> {
    match v {
        Value::Obj(o) => match &**o {
            Obj::Io(io) => Some(io),
            _ => None,
        },
        _ => None,
    }
}

/// Write text to an IO value.
pub fn write_io(vm: &mut Vm, io: &Value, s: &str) -> Result<(), Flow> {
    match io_of(io) {
        Some(IoObj::Stdout) => {
            stdout_closed(vm)?;
            vm.stdout_buf.push_str(s);
            // On a terminal, and with several threads, whole lines go out
            // at once (so lines of different threads never mix, and a line
            // printed before a wake-up of another thread's task comes
            // before what it prints).
            if vm.stdout_buf.len() > 1 << 14 || (vm.line_flush && s.contains('\n')) {
                flush_stdout(vm);
                stdout_closed(vm)?;
            }
        }
        Some(IoObj::Stderr) => {
            flush_stdout(vm);
            if let Some(sink) = &mut vm.out_sink {
                sink(s);
                return Ok(());
            }
            if let Some(sink) = shared_sink(vm) {
                sink(s);
                return Ok(());
            }
            let mut e = std::io::stderr().lock();
            let _ = e.write_all(s.as_bytes());
            let _ = e.flush();
        }
        Some(IoObj::Buffer(b)) => b.lock().data.extend_from_slice(s.as_bytes()),
        Some(IoObj::Stdin) => return Err(errors::argument_error("write: stdin is not writable")),
        None => return Err(errors::argument_error("not an IO stream")),
    }
    Ok(())
}

pub fn flush_stdout(vm: &mut Vm) {
    if let Some(sink) = &mut vm.out_sink {
        if !vm.stdout_buf.is_empty() {
            sink(&vm.stdout_buf);
            vm.stdout_buf.clear();
        }
        return;
    }
    if vm.stdout_buf.is_empty() {
        return;
    }
    if let Some(sink) = shared_sink(vm) {
        sink(&vm.stdout_buf);
        vm.stdout_buf.clear();
        return;
    }
    if !vm.stdout_buf.is_empty() {
        let mut o = std::io::stdout().lock();
        let res = o.write_all(vm.stdout_buf.as_bytes()).and_then(|_| o.flush());
        vm.stdout_buf.clear();
        if let Err(e) = res {
            vm.stdout_error = Some(Box::new(uv_error(&e)));
        }
    }
}

/// Julia's (libuv's) account of a failed write: the `IOError` message
/// (`write: broken pipe (EPIPE)`) and code (minus the errno).
pub fn uv_error(e: &std::io::Error) -> (String, i64) {
    let errno = e.raw_os_error().unwrap_or(0);
    let (text, name) = match errno {
        32 => ("broken pipe", "EPIPE"),
        5 => ("i/o error", "EIO"),
        28 => ("no space left on device", "ENOSPC"),
        27 => ("file too large", "EFBIG"),
        11 => ("resource temporarily unavailable", "EAGAIN"),
        9 => ("bad file descriptor", "EBADF"),
        _ => return (format!("write: {e}"), -(errno as i64)),
    };
    (format!("write: {text} ({name})"), -(errno as i64))
}

/// The `IOError` a write to a closed stdout throws (if it is closed).
fn stdout_closed(vm: &mut Vm) -> Result<(), Flow> {
    let Some((msg, code)) = vm.stdout_error.as_deref() else { return Ok(()) };
    let e = errors::exc(tid::IOERROR, vec![Value::str(msg.as_str()), Value::Int(*code)]);
    vm.stdout_error_thrown = true;
    Err(Flow::Throw(e))
}

/// The message of a failed stdout write that no write has thrown yet
/// (the output was still buffered when the program ended); taking it
/// marks it reported.
pub fn unreported_stdout_error(vm: &mut Vm) -> Option<String> {
    if vm.stdout_error_thrown {
        return None;
    }
    vm.stdout_error_thrown = true;
    vm.stdout_error.as_deref().map(|(m, _)| format!("IOError: {m}"))
}

/// The REPL's printer for other threads' output, while a prompt is shown.
fn shared_sink(vm: &Vm) -> Option<crate::pool::SharedSink> {
    if vm.sched.single {
        return None;
    }
    vm.rt.pool.prompt_sink.lock().clone()
}

fn stdout_value() -> Value {
    Value::obj(Obj::Io(IoObj::Stdout))
}

/// Split `(io, xs...)` or `(xs...)`.
fn split_io(args: &[Value]) -> (Value, &[Value]) {
    match args.first() {
        Some(v) if io_of(v).is_some() => (v.clone(), &args[1..]),
        _ => (stdout_value(), args),
    }
}

/// Print `xs` with `f`, writing text or tail-calling the piece printer for holes.
fn emit(vm: &mut Vm, io: Value, xs: &[Value], newline: bool, f: fn(&mut Printer, &Value)) -> NResult {
    let printed = {
        let mut p = Printer::new(vm);
        for x in xs {
            f(&mut p, x);
        }
        if newline {
            p.out.push('\n');
        }
        p.finish()
    };
    match printed {
        Printed::Text(t) => {
            write_io(vm, &io, &t)?;
            Ok(Value::Nothing)
        }
        Printed::Pieces(mut ps) => {
            let f = vm.named_funcs.get("__print_pieces__").copied().expect("__print_pieces__");
            ps.insert(0, io);
            Err(Flow::Call(Value::Func(f), ps, None))
        }
    }
}

fn print(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (io, xs) = split_io(args);
    emit(vm, io, xs, false, |p, x| p.print(x))
}

fn println(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (io, xs) = split_io(args);
    emit(vm, io, xs, true, |p, x| p.print(x))
}

fn show(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (io, xs) = split_io(args);
    // show(io, MIME"text/plain", x) is display-like; plain show otherwise.
    emit(vm, io, xs, false, |p, x| p.show(x))
}

fn display(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (io, xs) = split_io(args);
    emit(vm, io, xs, true, |p, x| p.display(x))
}

fn to_string_result(vm: &mut Vm, printed: Printed) -> NResult {
    match printed {
        Printed::Text(t) => Ok(Value::str(t)),
        Printed::Pieces(ps) => {
            let f = vm.named_funcs.get("__string_pieces__").copied().expect("__string_pieces__");
            Err(Flow::Call(Value::Func(f), ps, None))
        }
    }
}

fn repr(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let printed = {
        let mut p = Printer::new(vm);
        for x in args {
            p.show(x);
        }
        p.finish()
    };
    to_string_result(vm, printed)
}

fn string(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    if let (Some(Value::Int(i)), Some(b)) = (args.first(), super::kwarg(kw, "base")) {
        let base = match b {
            Value::Int(b) => b as u32,
            _ => 10,
        };
        let pad = match super::kwarg(kw, "pad") {
            Some(Value::Int(p)) => p as usize,
            _ => 1,
        };
        return Ok(Value::str(jlx_num::fmt::string_with_base(*i, base, pad)));
    }
    match args {
        [Value::Str(_)] => return Ok(args[0].clone()),
        [Value::Int(i)] => {
            let mut buf = [0u8; 20];
            return Ok(Value::str(crate::show::int_text(*i, &mut buf)));
        }
        _ => {}
    }
    if args.iter().all(crate::show::is_plain) {
        return Ok(Value::build_str(|s| {
            for a in args {
                crate::show::push_plain(s, a);
            }
        }));
    }
    let printed = {
        let mut p = Printer::new(vm);
        for x in args {
            p.print(x);
        }
        p.finish()
    };
    to_string_result(vm, printed)
}

fn take(vm: &mut Vm, args: &[Value], kw: Option<&Value>) -> NResult {
    if let Some(IoObj::Buffer(b)) = args.first().and_then(io_of) {
        let bytes = std::mem::take(&mut b.lock().data);
        return Ok(bytes_value(bytes));
    }
    super::core::dispatch_take(vm, args, kw)
}

/// A `Vector{UInt8}` of bytes (elements stored as Ints).
pub fn bytes_value(bytes: Vec<u8>) -> Value {
    let items: Vec<Value> = bytes.into_iter().map(|b| Value::Int(b as i64)).collect();
    let n = items.len();
    crate::arrays::new_array(
        vec![n],
        crate::obj::ArrayData::Any(crate::types::JType::data(tid::UINT8), items),
    )
}

/// `write(io, x)`: the raw text of strings and chars (bytes of others' `print`); returns the byte count.
fn write(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (io, xs) = split_io(args);
    let mut n = 0;
    for x in xs {
        let s = crate::show::print_string(vm, x);
        n += s.len();
        write_io(vm, &io, &s)?;
    }
    Ok(Value::Int(n as i64))
}

/// `exit(code=0)`: flush output and end the process.
fn exit(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let code = match args.first() {
        Some(Value::Int(c)) => *c as i32,
        _ => 0,
    };
    flush_stdout(vm);
    std::process::exit(code)
}

/// `include(path)`: compile the file and run it as a tail call in this task.
fn include(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let Some(Value::Str(p)) = args.first() else { return Err(super::no_method(vm, "include", args)) };
    let base =
        std::path::Path::new(&vm.rt.opts.program_file).parent().map(|d| d.to_path_buf()).unwrap_or_default();
    let path = if std::path::Path::new(&*p.0).is_absolute() {
        std::path::PathBuf::from(&*p.0)
    } else {
        base.join(&*p.0)
    };
    let shown = path.display().to_string();
    let src = std::fs::read_to_string(&path).map_err(|e| {
        Flow::Throw(errors::exc(
            tid::SYSTEMERROR,
            vec![Value::str(format!("opening file \"{shown}\": {e}")), Value::Int(0)],
        ))
    })?;
    let Some(loader) = vm.rt.loader.get().cloned() else { return Err(errors::error("include: no loader")) };
    let proto = loader.load(&vm.rt, &shown, &src).map_err(errors::error)?;
    let code = crate::code::load(&proto);
    let f = Value::Closure(std::sync::Arc::new(crate::obj::Closure {
        code,
        captures: crate::obj::Captures::from_slice(&[]),
    }));
    Err(Flow::Call(f, vec![], None))
}

fn flush(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if matches!(args.first().and_then(io_of), None | Some(IoObj::Stdout)) {
        stdout_closed(vm)?;
        flush_stdout(vm);
        stdout_closed(vm)?;
    }
    Ok(Value::Nothing)
}

fn error(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let msg = args.iter().map(|a| crate::show::print_string(vm, a)).collect::<String>();
    Err(errors::error(msg))
}

fn throw(_vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    Err(Flow::Throw(args.first().cloned().unwrap_or(Value::Nothing)))
}

fn hole_value(_vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args.first() {
        Some(Value::Obj(o)) => match &**o {
            Obj::Hole(v, _) => Ok(v.clone()),
            _ => Ok(args[0].clone()),
        },
        Some(v) => Ok(v.clone()),
        None => Ok(Value::Nothing),
    }
}

fn hole_is_display(_vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    Ok(Value::Bool(
        matches!(args.first(), Some(Value::Obj(o)) if matches!(&**o, Obj::Hole(_, crate::obj::HoleKind::Display))),
    ))
}

fn hole_is_show(_vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    Ok(Value::Bool(
        matches!(args.first(), Some(Value::Obj(o)) if matches!(&**o, Obj::Hole(_, crate::obj::HoleKind::Show))),
    ))
}

fn write_str(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    if let (Some(io), Some(Value::Str(s))) = (args.first(), args.get(1)) {
        write_io(vm, io, &s.0)?;
    }
    Ok(Value::Nothing)
}

fn showerror(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    let (io, xs) = split_io(args);
    let Some(e) = xs.first() else { return Ok(Value::Nothing) };
    let msg = error_message(vm, e);
    write_io(vm, &io, &msg)?;
    Ok(Value::Nothing)
}

fn summary(vm: &Vm, v: &Value) -> String {
    crate::show::summary(vm, v)
}

/// `summary(x)` / `summary(io, x)`.
fn summary_native(vm: &mut Vm, args: &[Value], _kw: Option<&Value>) -> NResult {
    match args {
        [x] => Ok(Value::str(summary(vm, x))),
        [io, x] if io_of(io).is_some() => {
            let s = summary(vm, x);
            write_io(vm, io, &s)?;
            Ok(Value::Nothing)
        }
        _ => Err(super::no_method(vm, "summary", args)),
    }
}

fn field(e: &Value, i: usize) -> Value {
    match e {
        Value::Obj(o) => match &**o {
            Obj::Struct(s) => s.fields.get(i).cloned().unwrap_or(Value::Nothing),
            _ => Value::Nothing,
        },
        _ => Value::Nothing,
    }
}

/// Julia's `showerror` text for built-in exceptions (`show` for others).
pub fn error_message(vm: &Vm, e: &Value) -> String {
    let w = &vm.world;
    let id = w.value_tid(e);
    let s = |v: Value| crate::show::print_string(vm, &v);
    let r = |v: Value| crate::show::repr(vm, &v);
    match id {
        tid::ERROREXCEPTION => s(field(e, 0)),
        tid::BOUNDSERROR => {
            let a = field(e, 0);
            let idx = field(e, 1);
            let items = match &idx {
                Value::Tuple(t) => t.0.iter().map(|x| r(x.clone())).collect::<Vec<_>>().join(", "),
                other => r(other.clone()),
            };
            if matches!(a, Value::Nothing) {
                "BoundsError".to_string()
            } else {
                format!("BoundsError: attempt to access {} at index [{items}]", summary(vm, &a))
            }
        }
        tid::DOMAINERROR => {
            let msg = s(field(e, 1));
            if msg.is_empty() {
                format!("DomainError with {}", r(field(e, 0)))
            } else {
                format!("DomainError with {}:\n{msg}", r(field(e, 0)))
            }
        }
        tid::ARGUMENTERROR => format!("ArgumentError: {}", s(field(e, 0))),
        tid::KEYERROR => format!("KeyError: key {} not found", r(field(e, 0))),
        tid::METHODERROR => {
            let mut f = field(e, 0);
            let mut args = match field(e, 1) {
                Value::Tuple(t) => t.0.to_vec(),
                _ => vec![],
            };
            let name_of = |f: &Value| match f {
                Value::Func(id) => Some(w.funcs[id.0 as usize].name.as_str().to_string()),
                _ => None,
            };
            // `Core.kwcall(kws, f, args...)`: report `f(args...; kws...)`.
            let mut kws: Vec<(String, Value)> = Vec::new();
            if name_of(&f).as_deref() == Some("kwcall") && args.len() >= 2 {
                if let Value::Obj(o) = &args[0] {
                    if let Obj::NamedTuple(names, vals) = &**o {
                        kws =
                            names.iter().map(|n| n.as_str().to_string()).zip(vals.iter().cloned()).collect();
                    }
                }
                f = args[1].clone();
                args.drain(..2);
            }
            let fname = match &f {
                Value::Func(id) => w.funcs[id.0 as usize].name.as_str().to_string(),
                Value::Sym(sy) => sy.as_str().to_string(),
                Value::Type(t) => w.type_name(t),
                other => r(other.clone()),
            };
            let ty_of = |v: &Value| w.type_name(&w.typeof_(v));
            let tys: Vec<String> = args.iter().map(|a| format!("::{}", ty_of(a))).collect();
            let kw_tys: Vec<String> = kws.iter().map(|(k, v)| format!("{k}::{}", ty_of(v))).collect();
            let callable = matches!(f, Value::Func(_) | Value::Closure(_) | Value::Type(_) | Value::Sym(_));
            let mut m = match (fname.as_str(), &args[..]) {
                ("convert", [Value::Type(t), x]) if kws.is_empty() => format!(
                    "MethodError: Cannot `convert` an object of type {} to an object of type {}",
                    ty_of(x),
                    w.type_name(t)
                ),
                _ if !callable => format!("MethodError: objects of type {} are not callable", ty_of(&f)),
                _ if kws.is_empty() => format!("MethodError: no method matching {fname}({})", tys.join(", ")),
                _ => format!(
                    "MethodError: no method matching {fname}({}; {})",
                    tys.join(", "),
                    kw_tys.join(", ")
                ),
            };
            let is_num = |v: &Value| matches!(v, Value::Int(_) | Value::Float(_) | Value::Bool(_));
            let is_num_array = |v: &Value| match v {
                Value::Array(a) => matches!(
                    a.inner.lock().data,
                    crate::obj::ArrayData::Int(_)
                        | crate::obj::ArrayData::Float(_)
                        | crate::obj::ArrayData::Bool(_)
                ),
                _ => false,
            };
            if let ("+" | "-", [a, b]) = (fname.as_str(), &args[..]) {
                if (is_num_array(a) && is_num(b)) || (is_num(a) && is_num_array(b)) {
                    let (first, second) = if is_num(a) { ("scalar", "array") } else { ("array", "scalar") };
                    let noun = if fname == "+" { "addition" } else { "subtraction" };
                    m.push_str(&format!(
                        "\nFor element-wise {noun}, use broadcasting with dot syntax: {first} .{fname} {second}"
                    ));
                }
            }
            if matches!(f, Value::Array(_)) {
                m.push_str("\nUse square brackets [] for indexing an Array.");
            }
            if !kws.is_empty() {
                m.push_str("\nThis method does not support all of the given keyword arguments (and may not support any).");
            } else if let Value::Func(id) = &f {
                if !w.funcs[id.0 as usize].methods.is_empty() {
                    m.push_str(&format!(
                        "\nThe function `{fname}` exists, but no method is defined for this combination of argument types."
                    ));
                }
            } else if let Value::Type(t) = &f {
                m.push_str(&format!(
                    "\nThe type `{}` exists, but no method is defined for this combination of argument types when trying to construct it.",
                    w.type_name(t)
                ));
            } else if !callable {
                m.push_str(&format!(
                    "\nThe object of type `{}` exists, but no method is defined for this combination of argument types when trying to treat it as a callable object.",
                    ty_of(&f)
                ));
                if is_num(&f) {
                    m.push_str("\nMaybe you forgot to use an operator such as *, ^, %, / etc. ?");
                }
            }
            m
        }
        tid::UNDEFVARERROR => {
            let var = s(field(e, 0));
            match field(e, 1) {
                Value::Obj(o) if matches!(&*o, Obj::Module(_)) => {
                    let m = if let Obj::Module(m) = &*o { *m } else { jlx_bytecode::ModId::MAIN };
                    // Julia's hint when Base exports or declares public a binding of that name.
                    let hint = if m != jlx_bytecode::ModId::BASE && jlx_bytecode::BASE_PUBLIC.contains(&var.as_str()) {
                        "\nHint: a global variable of this name also exists in Base."
                    } else {
                        ""
                    };
                    format!(
                        "UndefVarError: `{var}` not defined in `{}`\nSuggestion: check for spelling errors or missing imports.{hint}",
                        m.name()
                    )
                }
                Value::Sym(sy) if sy.as_str() == "local" => format!(
                    "UndefVarError: `{var}` not defined in local scope\nSuggestion: check for an assignment to a local variable that shadows a global of the same name."
                ),
                _ => format!("UndefVarError: `{var}` not defined"),
            }
        }
        tid::DIVIDEERROR => "DivideError: integer division error".into(),
        tid::INEXACTERROR => {
            // Julia: `trunc(UInt64, Inf)`, but `Int64(2.5)` (the type is the function).
            let func = s(field(e, 0));
            let ty = s(field(e, 1));
            if ty.is_empty() || ty == func {
                format!("InexactError: {func}({})", r(field(e, 2)))
            } else {
                format!("InexactError: {func}({ty}, {})", r(field(e, 2)))
            }
        }
        tid::OVERFLOWERROR => format!("OverflowError: {}", s(field(e, 0))),
        tid::STACKOVERFLOWERROR => "StackOverflowError:".into(),
        tid::INTERRUPTEXCEPTION => "InterruptException:".into(),
        tid::ASSERTIONERROR => format!("AssertionError: {}", s(field(e, 0))),
        tid::TYPEERROR => {
            let func = s(field(e, 0));
            let context = s(field(e, 1));
            let expected = s(field(e, 2));
            let got = field(e, 3);
            if func == "if" {
                format!("TypeError: non-boolean ({}) used in boolean context", w.type_name(&w.typeof_(&got)))
            } else {
                // Julia's showerror: the context, when given, says where.
                let place = if context.is_empty() {
                    format!("in {func}")
                } else if func == "keyword argument" {
                    format!("in keyword argument {context}")
                } else {
                    format!("in {func}, in {context}")
                };
                let got = match &got {
                    Value::Type(t) => format!("Type{{{}}}", w.type_name(t)),
                    _ => format!("a value of type {}", w.type_name(&w.typeof_(&got))),
                };
                format!("TypeError: {place}, expected {expected}, got {got}")
            }
        }
        tid::STRINGINDEXERROR => format!("StringIndexError: invalid index [{}]", r(field(e, 1))),
        tid::UNDEFKEYWORDERROR => {
            format!("UndefKeywordError: keyword argument `{}` not assigned", s(field(e, 0)))
        }
        tid::INVALIDSTATEEXCEPTION => format!("InvalidStateException: {}", s(field(e, 0))),
        tid::CONCURRENCYVIOLATIONERROR => format!("ConcurrencyViolationError: {}", s(field(e, 0))),
        tid::DIMENSIONMISMATCH => format!("DimensionMismatch: {}", s(field(e, 0))),
        tid::EOFERROR => "EOFError: read end of file".into(),
        tid::UNDEFREFERROR => "UndefRefError: access to undefined reference".into(),
        tid::DEADLOCKERROR => format!("DeadlockError: {}", s(field(e, 0))),
        tid::SYSTEMERROR => format!("SystemError: {}", s(field(e, 0))),
        tid::IOERROR => format!("IOError: {}", s(field(e, 0))),
        _ => {
            let d = &w.types[id.0 as usize];
            let _ = matches!(d.kind, TypeKind::Struct { .. });
            r(e.clone())
        }
    }
}
