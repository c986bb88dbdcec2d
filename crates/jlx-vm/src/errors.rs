//! Constructors for Julia's built-in exceptions as jlx values, and their
//! `showerror` texts.
//!
//! Error constructors are `#[cold]`: they only run when something fails.

use crate::obj::{Obj, StructObj};
pub use crate::runtime::Flow;
use crate::types::{tid, JType, TypeId};
use crate::value::Value;
use crate::vm::Vm;

/// Build an instance of a built-in exception type.
#[cold]
pub fn exc(ty: TypeId, fields: Vec<Value>) -> Value {
    Value::obj(Obj::Struct(StructObj {
        ty,
        params: crate::types::no_params(),
        fields: fields.into_boxed_slice(),
    }))
}

#[cold]
pub fn error(msg: impl Into<String>) -> Flow {
    Flow::Throw(exc(tid::ERROREXCEPTION, vec![Value::str(Into::<String>::into(msg))]))
}

#[cold]
pub fn argument_error(msg: impl Into<String>) -> Flow {
    Flow::Throw(exc(tid::ARGUMENTERROR, vec![Value::str(Into::<String>::into(msg))]))
}

#[cold]
pub fn bounds_error(a: Value, i: Value) -> Flow {
    Flow::Throw(exc(tid::BOUNDSERROR, vec![a, i]))
}

#[cold]
pub fn key_error(k: Value) -> Flow {
    Flow::Throw(exc(tid::KEYERROR, vec![k]))
}

#[cold]
pub fn divide_error() -> Flow {
    Flow::Throw(exc(tid::DIVIDEERROR, vec![]))
}

#[cold]
pub fn domain_error(v: Value, msg: impl Into<String>) -> Flow {
    Flow::Throw(exc(tid::DOMAINERROR, vec![v, Value::str(Into::<String>::into(msg))]))
}

#[cold]
pub fn inexact_error(func: &str, ty: crate::types::JType, v: Value) -> Flow {
    Flow::Throw(exc(tid::INEXACTERROR, vec![Value::Sym(jlx_base::Sym::new(func)), Value::ty(ty), v]))
}

#[cold]
pub fn overflow_error(msg: impl Into<String>) -> Flow {
    Flow::Throw(exc(tid::OVERFLOWERROR, vec![Value::str(Into::<String>::into(msg))]))
}

#[cold]
pub fn dimension_mismatch(msg: impl Into<String>) -> Flow {
    Flow::Throw(exc(tid::DIMENSIONMISMATCH, vec![Value::str(Into::<String>::into(msg))]))
}

#[cold]
pub fn invalid_state(msg: impl Into<String>, state: &str) -> Flow {
    Flow::Throw(exc(
        tid::INVALIDSTATEEXCEPTION,
        vec![Value::str(Into::<String>::into(msg)), Value::Sym(jlx_base::Sym::new(state))],
    ))
}

#[cold]
pub fn type_error(vm: &Vm, func: &str, expected: crate::types::JType, got: &Value) -> Flow {
    let _ = vm;
    type_error_of(func, expected, got)
}

/// Julia's `TypeError(func, "", expected, got)`.
fn type_error_of(func: &str, expected: crate::types::JType, got: &Value) -> Flow {
    Flow::Throw(exc(
        tid::TYPEERROR,
        vec![Value::Sym(jlx_base::Sym::new(func)), Value::str(""), Value::ty(expected), got.clone()],
    ))
}

/// Julia's `TypeError(:if, "", Bool, v)` for a condition `v` that is no
/// `Bool` (the exception holds the value; its message names the type).
#[cold]
pub fn non_boolean(v: &Value) -> Flow {
    type_error_of("if", JType::data(tid::BOOL), v)
}

/// Julia's `TypeError(:typeassert, "", Bool, v)` of `v::Bool`.
#[cold]
pub fn not_bool_typeassert(v: &Value) -> Flow {
    type_error_of("typeassert", JType::data(tid::BOOL), v)
}

/// The generic function `convert` (set when the natives are registered).
pub static CONVERT: std::sync::OnceLock<crate::value::FuncId> = std::sync::OnceLock::new();

/// `MethodError(convert, (T, x))`, as Julia throws for a failed `convert`.
pub fn convert_error(t: &JType, x: &Value) -> Flow {
    let f = CONVERT.get().map(|f| Value::Func(*f)).unwrap_or(Value::Sym(jlx_base::Sym::new("convert")));
    method_error(f, &[Value::ty(t.clone()), x.clone()])
}

/// The generic function `Core.kwcall(kws, f, args...)`: a call with
/// keywords, which a `MethodError` names when the keywords do not match.
pub static KWCALL: std::sync::OnceLock<crate::value::FuncId> = std::sync::OnceLock::new();

/// `MethodError(Core.kwcall, (kws, f, args...))`, as Julia throws when `f`
/// does not accept the keyword arguments `kws` (a NamedTuple).
#[cold]
pub fn kw_method_error(f: Value, args: &[Value], kws: Value) -> Flow {
    let Some(kwcall) = KWCALL.get() else { return method_error(f, args) };
    let mut all = Vec::with_capacity(args.len() + 2);
    all.push(kws);
    all.push(f);
    all.extend_from_slice(args);
    method_error(Value::Func(*kwcall), &all)
}

/// `MethodError(f, args)`.
#[cold]
pub fn method_error(f: Value, args: &[Value]) -> Flow {
    Flow::Throw(exc(tid::METHODERROR, vec![f, Value::tuple(args.to_vec()), Value::Int(0)]))
}

/// `Stacktrace:` and one entry per jlx frame of `bt` (innermost first),
/// runs of one recursive frame folded into `(repeats N times)`. Frames of
/// the jlx standard library show `Base stdlib/<file>` without a line.
pub fn format_stacktrace(rt: &crate::runtime::Runtime, bt: &[(&'static crate::code::Code, u32)]) -> String {
    let mut out = String::from("Stacktrace:\n");
    let frames: Vec<(String, String)> = bt
        .iter()
        .map(|(code, pc)| {
            let p = &code.proto;
            let span = p.span_at(*pc as usize);
            // Library frames name their file without a line, so traces stay
            // stable while the library changes (Julia: `@ Base ./file.jl:N`).
            let file = rt.sources.get(span.file).name.clone();
            let loc =
                if file.starts_with("stdlib/") { format!("Base {file}") } else { rt.sources.describe(span) };
            (p.name.as_str().to_string(), loc)
        })
        .collect();
    let mut i = 0;
    let mut k = 1;
    while i < frames.len() {
        let mut j = i + 1;
        while j < frames.len() && frames[j] == frames[i] {
            j += 1;
        }
        let (name, loc) = &frames[i];
        if j - i > 1 {
            out.push_str(&format!(" [{k}] {name} (repeats {} times)\n   @ {loc}\n", j - i));
        } else {
            out.push_str(&format!(" [{k}] {name}\n   @ {loc}\n"));
        }
        k += 1;
        i = j;
        if k > 60 && i < frames.len() {
            out.push_str(&format!(" ... ({} more frames)\n", frames.len() - i));
            break;
        }
    }
    out
}
