//! Core operations: arithmetic and comparison generics with Julia's
//! promotion rules, `typeof`/`isa`/`===`, `convert`, and the built-in
//! constructors behind calling a type (`Int(x)`, `Point(1, 2)`, `Dict()`).

use super::{no_method, register, NResult};
use crate::arrays;
use crate::errors;
use crate::obj::{DictData, DictObj, MStructObj, Obj, StructObj};
use crate::runtime::Flow;
use crate::types::{tid, JType, TParam, TypeKind};
use crate::value::Value;
use crate::vm::{ipow, Vm};
use jlx_bytecode::ModId;
use parking_lot::Mutex;
use std::sync::Arc;

pub fn install(rt: &crate::runtime::Runtime) {
    for (n, f) in [
        ("+", add as super::NativeFn),
        ("-", sub),
        ("*", mul),
        ("/", fdiv),
        ("div", div),
        ("rem", rem),
        ("mod", modulo),
        ("^", pow),
        ("<", lt),
        ("<=", le),
        (">", gt),
        (">=", ge),
        ("==", eq),
        ("!=", ne),
        ("isless", isless),
        ("isequal", isequal),
        ("!", not),
        ("===", egal),
        ("!==", not_egal),
        ("typeof", typeof_),
        ("isa", isa),
        ("convert", convert),
        ("__construct__", construct),
        ("&", band),
        ("|", bor),
        ("⊻", bxor),
        ("xor", bxor),
        ("<<", shl),
        (">>", shr),
        (">>>", ushr),
        ("~", bnot),
        ("typeassert", typeassert),
        ("<:", issubtype),
        (">:", issupertype),
        ("fieldnames", fieldnames),
        ("getfield", getfield),
        ("setfield!", setfield),
        ("nfields", nfields),
        ("supertype", supertype),
        ("isabstracttype", isabstracttype),
        ("=>", pair),
        ("rethrow", rethrow),
        ("__using__", using),
        ("kwcall", kwcall),
    ] {
        let id = register(rt, ModId::BASE, n, f);
        if n == "convert" {
            let _ = errors::CONVERT.set(id);
        }
        if n == "kwcall" {
            let _ = errors::KWCALL.set(id);
        }
        // `÷` is `div` and `%` is `rem`: the same generic functions in Julia.
        match n {
            "div" => super::constant(rt, ModId::BASE, "÷", Value::Func(id)),
            "rem" => super::constant(rt, ModId::BASE, "%", Value::Func(id)),
            _ => {}
        }
    }
    for (n, id) in [
        ("Any", tid::ANY),
        ("Nothing", tid::NOTHING),
        ("Number", tid::NUMBER),
        ("Real", tid::REAL),
        ("Integer", tid::INTEGER),
        ("Signed", tid::SIGNED),
        ("Unsigned", tid::UNSIGNED),
        ("Int64", tid::INT64),
        ("Int", tid::INT64),
        ("UInt8", tid::UINT8),
        ("Bool", tid::BOOL),
        ("AbstractFloat", tid::ABSTRACTFLOAT),
        ("Float64", tid::FLOAT64),
        ("AbstractChar", tid::ABSTRACTCHAR),
        ("Char", tid::CHAR),
        ("AbstractString", tid::ABSTRACTSTRING),
        ("String", tid::STRING),
        ("SubString", tid::SUBSTRING),
        ("Symbol", tid::SYMBOL),
        ("Function", tid::FUNCTION),
        ("Type", tid::TYPE),
        ("DataType", tid::DATATYPE),
        ("Union", tid::UNION),
        ("UnionAll", tid::UNIONALL),
        ("Tuple", tid::TUPLE),
        ("NamedTuple", tid::NAMEDTUPLE),
        ("AbstractArray", tid::ABSTRACTARRAY),
        ("AbstractVector", tid::ABSTRACTVECTOR),
        ("AbstractMatrix", tid::ABSTRACTMATRIX),
        ("Array", tid::ARRAY),
        ("AbstractRange", tid::ABSTRACTRANGE),
        ("UnitRange", tid::UNITRANGE),
        ("StepRange", tid::STEPRANGE),
        ("AbstractDict", tid::ABSTRACTDICT),
        ("Dict", tid::DICT),
        ("IdDict", tid::IDDICT),
        ("AbstractSet", tid::ABSTRACTSET),
        ("Set", tid::SET),
        ("Pair", tid::PAIR),
        ("Exception", tid::EXCEPTION),
        ("IO", tid::IO),
        ("IOBuffer", tid::IOBUFFER),
        ("Module", tid::MODULE),
        ("Ref", tid::REF),
        ("Some", tid::SOME),
        ("Colon", tid::COLON),
        ("Missing", tid::MISSING),
        ("ErrorException", tid::ERROREXCEPTION),
        ("BoundsError", tid::BOUNDSERROR),
        ("DomainError", tid::DOMAINERROR),
        ("ArgumentError", tid::ARGUMENTERROR),
        ("KeyError", tid::KEYERROR),
        ("MethodError", tid::METHODERROR),
        ("UndefVarError", tid::UNDEFVARERROR),
        ("DivideError", tid::DIVIDEERROR),
        ("InexactError", tid::INEXACTERROR),
        ("OverflowError", tid::OVERFLOWERROR),
        ("StackOverflowError", tid::STACKOVERFLOWERROR),
        ("InterruptException", tid::INTERRUPTEXCEPTION),
        ("AssertionError", tid::ASSERTIONERROR),
        ("TypeError", tid::TYPEERROR),
        ("StringIndexError", tid::STRINGINDEXERROR),
        ("UndefKeywordError", tid::UNDEFKEYWORDERROR),
        ("InvalidStateException", tid::INVALIDSTATEEXCEPTION),
        ("TaskFailedException", tid::TASKFAILEDEXCEPTION),
        ("CompositeException", tid::COMPOSITEEXCEPTION),
        ("ConcurrencyViolationError", tid::CONCURRENCYVIOLATIONERROR),
        ("DimensionMismatch", tid::DIMENSIONMISMATCH),
        ("EOFError", tid::EOFERROR),
        ("UndefRefError", tid::UNDEFREFERROR),
        ("SystemError", tid::SYSTEMERROR),
        ("IOError", tid::IOERROR),
        ("DeadlockError", tid::DEADLOCKERROR),
        ("Task", tid::TASK),
        ("AbstractChannel", tid::ABSTRACTCHANNEL),
        ("Condition", tid::CONDITION),
        ("Channel", tid::CHANNEL),
    ] {
        super::constant(rt, ModId::BASE, n, Value::ty(JType::data(id)));
    }
    let t = |n| JType::Var(Arc::new(crate::types::TypeVar { name: jlx_base::Sym::new(n), ub: JType::any() }));
    super::constant(
        rt,
        ModId::BASE,
        "Vector",
        Value::ty(JType::with(tid::ARRAY, vec![TParam::Type(t("T")), TParam::Int(1)])),
    );
    super::constant(
        rt,
        ModId::BASE,
        "Matrix",
        Value::ty(JType::with(tid::ARRAY, vec![TParam::Type(t("T")), TParam::Int(2)])),
    );
    super::constant(rt, ModId::BASE, "nothing", Value::Nothing);
    super::constant(rt, ModId::BASE, "missing", Value::Nothing);
    super::constant(rt, ModId::BASE, "Inf", Value::Float(f64::INFINITY));
    super::constant(rt, ModId::BASE, "NaN", Value::Float(f64::NAN));
    super::constant(rt, ModId::BASE, "pi", Value::Float(std::f64::consts::PI));
    super::constant(rt, ModId::BASE, "π", Value::Float(std::f64::consts::PI));
    super::constant(rt, ModId::BASE, "ℯ", Value::Float(std::f64::consts::E));
    super::constant(rt, ModId::BASE, "Base", Value::obj(Obj::Module(ModId::BASE)));
    super::constant(rt, ModId::BASE, "Core", Value::obj(Obj::Module(ModId::BASE)));
    super::constant(rt, ModId::BASE, "Main", Value::obj(Obj::Module(ModId::MAIN)));
    super::constant(rt, ModId::BASE, "Threads", Value::obj(Obj::Module(ModId::THREADS)));
    super::constant(rt, ModId::BASE, "Random", Value::obj(Obj::Module(ModId::RANDOM)));
    super::constant(rt, ModId::BASE, "__colon__", errors::exc(tid::COLON, vec![]));
}

type Args<'a> = &'a [Value];

fn num_pair(a: &Value, b: &Value) -> Option<(f64, f64)> {
    let f = |v: &Value| match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(x) => Some(*x),
        Value::Bool(b) => Some(*b as i64 as f64),
        _ => None,
    };
    Some((f(a)?, f(b)?))
}

/// The exact numeric order of two `Int`/`Float`/`Bool` values (Julia's
/// `<`/`==` do not round the `Int` to a float); `None` if either is not such
/// a number or a NaN is involved.
pub fn num_order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    let int = |v: &Value| match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    };
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Float(x), _) => Some(jlx_num::cmp::cmp_int_float(int(b)?, *x)?.reverse()),
        (_, Value::Float(y)) => jlx_num::cmp::cmp_int_float(int(a)?, *y),
        _ => Some(int(a)?.cmp(&int(b)?)),
    }
}

fn is_real(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Float(_) | Value::Bool(_))
}

fn int_pair(a: &Value, b: &Value) -> Option<(i64, i64)> {
    let f = |v: &Value| match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    };
    Some((f(a)?, f(b)?))
}

macro_rules! arith_native {
    ($name:ident, $sym:expr, $iop:ident, $fop:tt) => {
        fn $name(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
            match args {
                [a, b] => {
                    if let Some((x, y)) = int_pair(a, b) {
                        return Ok(Value::Int(x.$iop(y)));
                    }
                    if let Some((x, y)) = num_pair(a, b) {
                        return Ok(Value::Float(x $fop y));
                    }
                    arith_special(vm, $sym, args)
                }
                [a, rest @ ..] if rest.len() > 1 => {
                    // n-ary: fold left through the generic function.
                    let mut acc = a.clone();
                    for b in rest {
                        acc = $name(vm, &[acc, b.clone()], None)?;
                    }
                    Ok(acc)
                }
                _ => arith_special(vm, $sym, args),
            }
        }
    };
}

arith_native!(add2, "+", wrapping_add, +);
arith_native!(sub2, "-", wrapping_sub, -);
arith_native!(mul2, "*", wrapping_mul, *);

fn add(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    if let [a] = args {
        return match a {
            Value::Int(_) | Value::Float(_) => Ok(a.clone()),
            Value::Bool(b) => Ok(Value::Int(*b as i64)),
            _ => Err(no_method(vm, "+", args)),
        };
    }
    add2(vm, args, kw)
}

fn sub(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    if let [a] = args {
        return match a {
            Value::Int(i) => Ok(Value::Int(i.wrapping_neg())),
            Value::Float(x) => Ok(Value::Float(-x)),
            Value::Bool(b) => Ok(Value::Int(-(*b as i64))),
            _ => arith_special(vm, "-", args),
        };
    }
    sub2(vm, args, kw)
}

fn mul(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    if let [Value::Str(a), Value::Str(b)] = args {
        return Ok(Value::Str(std::sync::Arc::new(crate::obj::JStr(crate::obj::StrBuf::concat(&[
            &a.0, &b.0,
        ])))));
    }
    if let [Value::Str(_) | Value::Char(_), ..] = args {
        if !args.iter().all(|a| matches!(a, Value::Str(_) | Value::Char(_))) {
            return Err(no_method(vm, "*", args));
        }
        return Ok(Value::build_str(|s| {
            for a in args {
                match a {
                    Value::Str(x) => s.push_str(&x.0),
                    Value::Char(c) => s.push(*c),
                    _ => {}
                }
            }
        }));
    }
    mul2(vm, args, kw)
}

/// Arithmetic on arrays, chars and other non-scalar operands.
fn arith_special(vm: &mut Vm, op: &str, args: Args) -> NResult {
    match (op, args) {
        ("+", [Value::Char(c), Value::Int(i)]) | ("+", [Value::Int(i), Value::Char(c)]) => {
            char::from_u32((*c as i64 + i) as u32)
                .map(Value::Char)
                .ok_or_else(|| errors::argument_error("invalid char"))
        }
        ("-", [Value::Char(c), Value::Int(i)]) => char::from_u32((*c as i64 - i) as u32)
            .map(Value::Char)
            .ok_or_else(|| errors::argument_error("invalid char")),
        ("-", [Value::Char(a), Value::Char(b)]) => Ok(Value::Int(*a as i64 - *b as i64)),
        _ => {
            // Arrays and other types: the library's array arithmetic (in jlx).
            let f = vm.base_func("__arith__");
            match f {
                Some(f) if args.iter().any(|a| matches!(a, Value::Array(_) | Value::Obj(_))) => {
                    let mut all = vec![Value::Sym(jlx_base::Sym::new(op))];
                    all.extend_from_slice(args);
                    Err(Flow::Call(Value::Func(f), all, None))
                }
                _ => Err(no_method(vm, op, args)),
            }
        }
    }
}

fn fdiv(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    if let [a, b] = args {
        if let Some((x, y)) = num_pair(a, b) {
            return Ok(Value::Float(x / y));
        }
    }
    arith_special(vm, "/", args)
}

fn div(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => {
            if let Some((x, y)) = int_pair(a, b) {
                if y == 0 || (x == i64::MIN && y == -1) {
                    return Err(errors::divide_error());
                }
                return Ok(Value::Int(x / y));
            }
            if let Some((x, y)) = num_pair(a, b) {
                return Ok(Value::Float((x / y).trunc()));
            }
            Err(no_method(vm, "div", args))
        }
        _ => Err(no_method(vm, "div", args)),
    }
}

fn rem(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => {
            if let Some((x, y)) = int_pair(a, b) {
                if y == 0 {
                    return Err(errors::divide_error());
                }
                return Ok(Value::Int(x.wrapping_rem(y)));
            }
            if let Some((x, y)) = num_pair(a, b) {
                return Ok(Value::Float(x % y));
            }
            Err(no_method(vm, "rem", args))
        }
        _ => Err(no_method(vm, "rem", args)),
    }
}

fn modulo(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => {
            if let Some((x, y)) = int_pair(a, b) {
                if y == 0 {
                    return Err(errors::divide_error());
                }
                let r = x.wrapping_rem(y);
                return Ok(Value::Int(if r != 0 && ((r < 0) != (y < 0)) { r + y } else { r }));
            }
            if let Some((x, y)) = num_pair(a, b) {
                let r = x % y;
                return Ok(Value::Float(if r != 0.0 && ((r < 0.0) != (y < 0.0)) { r + y } else { r }));
            }
            Err(no_method(vm, "mod", args))
        }
        _ => Err(no_method(vm, "mod", args)),
    }
}

fn pow(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => {
            if let Some((x, y)) = int_pair(a, b) {
                if y < 0 {
                    if x == 1 {
                        return Ok(Value::Int(1));
                    }
                    if x == -1 {
                        return Ok(Value::Int(if y % 2 == 0 { 1 } else { -1 }));
                    }
                    return Err(errors::domain_error(
                        Value::Int(x),
                        format!(
                            "Cannot raise an integer x to a negative power {y}.\nConvert input to float."
                        ),
                    ));
                }
                return Ok(Value::Int(ipow(x, y)));
            }
            if let (Value::Float(x), Value::Int(y)) = (a, b) {
                return Ok(Value::Float(x.powi(*y as i32)));
            }
            if let Some((x, y)) = num_pair(a, b) {
                if x < 0.0 && y.fract() != 0.0 {
                    return Err(errors::domain_error(
                        Value::Float(x),
                        "Exponentiation yielding a complex result requires a complex argument.\nReplace x^y with (x+0im)^y, Complex(x)^y, or similar.",
                    ));
                }
                return Ok(Value::Float(x.powf(y)));
            }
            if let (Value::Str(s), Value::Int(n)) = (a, b) {
                return Ok(Value::str(s.0.repeat((*n).max(0) as usize)));
            }
            if let (Value::Char(c), Value::Int(n)) = (a, b) {
                return Ok(Value::str(c.to_string().repeat((*n).max(0) as usize)));
            }
            arith_special(vm, "^", args)
        }
        _ => Err(no_method(vm, "^", args)),
    }
}

/// Total order used by `<`/`isless` on non-numbers (strings, chars, tuples, symbols).
pub fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    Some(match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Str(x), Value::Str(y)) => x.0.cmp(&y.0),
        (Value::Char(x), Value::Char(y)) => x.cmp(y),
        (Value::Sym(x), Value::Sym(y)) => x.as_str().cmp(y.as_str()),
        (Value::Tuple(x), Value::Tuple(y)) => {
            for (p, q) in x.0.iter().zip(y.0.iter()) {
                match compare(p, q)? {
                    Ordering::Equal => continue,
                    o => return Some(o),
                }
            }
            x.0.len().cmp(&y.0.len())
        }
        _ => num_order(a, b)?,
    })
}

fn lt(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    if let [x] = args {
        return fix2(vm, "<", x);
    }
    match args {
        [a, b] => match (a, b) {
            (Value::Float(x), _) | (_, Value::Float(x)) if x.is_nan() => Ok(Value::Bool(false)),
            _ => match compare(a, b) {
                Some(o) => Ok(Value::Bool(o == std::cmp::Ordering::Less)),
                None => {
                    // Julia: `<` falls back to `isless` for user types.
                    match vm.base_func("isless") {
                        Some(f) if has_user_method(vm, f) => {
                            Err(Flow::Call(Value::Func(f), args.to_vec(), None))
                        }
                        _ => Err(no_method(vm, "<", args)),
                    }
                }
            },
        },
        _ => Err(no_method(vm, "<", args)),
    }
}

fn has_user_method(vm: &Vm, f: crate::value::FuncId) -> bool {
    vm.world.funcs[f.0 as usize].methods.iter().any(|m| !m.is_native())
}

fn le(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    if let [x] = args {
        return fix2(vm, "<=", x);
    }
    match args {
        [a, b] => {
            if is_real(a) && is_real(b) {
                // NaN: `None`, so false.
                return Ok(Value::Bool(matches!(num_order(a, b), Some(o) if o.is_le())));
            }
            if let Some(o) = compare(a, b) {
                return Ok(Value::Bool(o != std::cmp::Ordering::Greater));
            }
            // a <= b  ==  !(b < a)
            let r = lt(vm, &[b.clone(), a.clone()], kw)?;
            Ok(Value::Bool(matches!(r, Value::Bool(false))))
        }
        _ => Err(no_method(vm, "<=", args)),
    }
}

fn gt(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    if let [x] = args {
        return fix2(vm, ">", x);
    }
    match args {
        [a, b] => {
            if let Some(f) = vm.base_func("<") {
                if has_user_method(vm, f) {
                    return Err(Flow::Call(Value::Func(f), vec![b.clone(), a.clone()], None));
                }
            }
            lt(vm, &[b.clone(), a.clone()], kw)
        }
        _ => Err(no_method(vm, ">", args)),
    }
}

fn ge(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    if let [x] = args {
        return fix2(vm, ">=", x);
    }
    match args {
        [a, b] => le(vm, &[b.clone(), a.clone()], kw),
        _ => Err(no_method(vm, ">=", args)),
    }
}

/// Julia's `==` on built-in values.
pub fn values_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Tuple(x), Value::Tuple(y)) => {
            x.0.len() == y.0.len() && x.0.iter().zip(y.0.iter()).all(|(p, q)| values_eq(p, q))
        }
        (Value::Array(x), Value::Array(y)) => {
            if Arc::ptr_eq(x, y) {
                return true;
            }
            let (gx, gy) = (x.inner.lock(), y.inner.lock());
            gx.dims == gy.dims && (0..gx.data.len()).all(|i| values_eq(&gx.data.get(i), &gy.data.get(i)))
        }
        _ => {
            if is_real(a) && is_real(b) {
                return num_order(a, b) == Some(std::cmp::Ordering::Equal);
            }
            match (a, b) {
                (Value::Obj(x), Value::Obj(y)) => match (&**x, &**y) {
                    (Obj::Range(_), _) | (_, Obj::Range(_)) => {
                        let (p, q) = (crate::iter::collect_native(a), crate::iter::collect_native(b));
                        matches!((p, q), (Some(p), Some(q)) if p.len() == q.len() && p.iter().zip(q.iter()).all(|(u, v)| values_eq(u, v)))
                    }
                    (Obj::Dict(d1), Obj::Dict(d2)) | (Obj::Set(d1), Obj::Set(d2)) => {
                        let (g1, g2) = (d1.data.lock(), d2.data.lock());
                        g1.len() == g2.len()
                            && g1
                                .entries
                                .iter()
                                .flatten()
                                .all(|(k, v)| g2.get(k).map(|w| values_eq(v, w)).unwrap_or(false))
                    }
                    (Obj::Struct(s1), Obj::Struct(s2)) => {
                        s1.ty == s2.ty && s1.fields.iter().zip(s2.fields.iter()).all(|(p, q)| values_eq(p, q))
                    }
                    (Obj::NamedTuple(n1, v1), Obj::NamedTuple(n2, v2)) => {
                        n1 == n2 && v1.iter().zip(v2.iter()).all(|(p, q)| values_eq(p, q))
                    }
                    _ => a.egal(b),
                },
                (Value::Array(_), Value::Obj(_)) | (Value::Obj(_), Value::Array(_)) => {
                    let (p, q) = (crate::iter::collect_native(a), crate::iter::collect_native(b));
                    matches!((p, q), (Some(p), Some(q)) if p.len() == q.len() && p.iter().zip(q.iter()).all(|(u, v)| values_eq(u, v)))
                }
                _ => a.egal(b),
            }
        }
    }
}

/// `==(x)`, `<(x)`, ...: Julia's `Base.Fix2(op, x)`, a function `y -> op(y, x)`.
pub(super) fn fix2(vm: &mut Vm, op: &str, x: &Value) -> NResult {
    let f = vm.base_func(op).map(Value::Func).unwrap_or(Value::Nothing);
    match vm.base_func("__fix2__") {
        Some(g) => Err(Flow::Call(Value::Func(g), vec![f, x.clone()], None)),
        None => Err(no_method(vm, op, std::slice::from_ref(x))),
    }
}

fn eq(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x] => fix2(vm, "==", x),
        [a, b] => Ok(Value::Bool(values_eq(a, b))),
        _ => Ok(Value::Bool(false)),
    }
}

fn ne(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    if let Some(f) = vm.base_func("==") {
        if has_user_method(vm, f) {
            if let Some(not) = vm.base_func("__ne_generic__") {
                return Err(Flow::Call(Value::Func(not), args.to_vec(), None));
            }
        }
    }
    let r = eq(vm, args, kw)?;
    Ok(Value::Bool(matches!(r, Value::Bool(false))))
}

fn isless(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    if let [x] = args {
        return fix2(vm, "!=", x);
    }
    match args {
        [a, b] => match super::seq_lib::isless_cmp(a, b) {
            Some(o) => Ok(Value::Bool(o == std::cmp::Ordering::Less)),
            None => Err(no_method(vm, "isless", args)),
        },
        _ => Err(no_method(vm, "isless", args)),
    }
}

fn isequal(_vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => Ok(Value::Bool(crate::obj::isequal(a, b))),
        _ => Ok(Value::Bool(false)),
    }
}

fn not(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Bool(b)] => Ok(Value::Bool(!b)),
        [f @ (Value::Func(_) | Value::Closure(_))] => {
            // !f is a function: x -> !f(x)
            let g = vm.base_func("__negate_fn__").expect("__negate_fn__");
            Err(Flow::Call(Value::Func(g), vec![f.clone()], None))
        }
        _ => Err(no_method(vm, "!", args)),
    }
}

fn egal(_vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    Ok(Value::Bool(matches!(args, [a, b] if a.egal(b))))
}

fn not_egal(_vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    Ok(Value::Bool(!matches!(args, [a, b] if a.egal(b))))
}

fn int_bin(vm: &mut Vm, name: &str, args: Args, f: fn(i64, i64) -> i64) -> NResult {
    match args {
        [Value::Bool(a), Value::Bool(b)] => Ok(Value::Bool(f(*a as i64, *b as i64) != 0)),
        [a, b] => match int_pair(a, b) {
            Some((x, y)) => Ok(Value::Int(f(x, y))),
            None => Err(no_method(vm, name, args)),
        },
        _ => Err(no_method(vm, name, args)),
    }
}

fn band(vm: &mut Vm, a: Args, _kw: Option<&Value>) -> NResult {
    int_bin(vm, "&", a, |x, y| x & y)
}
fn bor(vm: &mut Vm, a: Args, _kw: Option<&Value>) -> NResult {
    int_bin(vm, "|", a, |x, y| x | y)
}
fn bxor(vm: &mut Vm, a: Args, _kw: Option<&Value>) -> NResult {
    int_bin(vm, "⊻", a, |x, y| x ^ y)
}
fn shl(vm: &mut Vm, a: Args, _kw: Option<&Value>) -> NResult {
    int_bin(vm, "<<", a, |x, y| if !(0..64).contains(&y) { 0 } else { x.wrapping_shl(y as u32) })
}
fn shr(vm: &mut Vm, a: Args, _kw: Option<&Value>) -> NResult {
    int_bin(vm, ">>", a, |x, y| {
        if y >= 64 {
            if x < 0 {
                -1
            } else {
                0
            }
        } else {
            x >> y.max(0)
        }
    })
}
fn ushr(vm: &mut Vm, a: Args, _kw: Option<&Value>) -> NResult {
    int_bin(vm, ">>>", a, |x, y| if !(0..64).contains(&y) { 0 } else { ((x as u64) >> y) as i64 })
}
fn bnot(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(x)] => Ok(Value::Int(!x)),
        [Value::Bool(b)] => Ok(Value::Bool(!b)),
        _ => Err(no_method(vm, "~", args)),
    }
}

fn typeof_(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [v] => Ok(Value::ty(vm.world.typeof_(v))),
        _ => Err(no_method(vm, "typeof", args)),
    }
}

fn isa(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [v, Value::Type(t)] => Ok(Value::Bool(vm.world.isa(v, t))),
        _ => Err(no_method(vm, "isa", args)),
    }
}

fn issubtype(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Type(a), Value::Type(b)] => Ok(Value::Bool(vm.world.subtype(a, b))),
        _ => Err(no_method(vm, "<:", args)),
    }
}

fn issupertype(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => issubtype(vm, &[b.clone(), a.clone()], kw),
        _ => Err(no_method(vm, ">:", args)),
    }
}

fn fieldnames(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Type(t)] => match t.id() {
            Some(id) => {
                Ok(Value::tuple(crate::fields::struct_fields(vm, id).into_iter().map(Value::Sym).collect()))
            }
            None => Ok(Value::tuple(vec![])),
        },
        _ => Err(no_method(vm, "fieldnames", args)),
    }
}

pub(super) fn getfield(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x, Value::Sym(s)] => crate::fields::get_field(vm, x, *s),
        [x, Value::Int(i)] => {
            let id = vm.world.value_tid(x);
            let names = crate::fields::struct_fields(vm, id);
            match names.get((*i - 1).max(0) as usize) {
                Some(s) if *i >= 1 => crate::fields::get_field(vm, x, *s),
                _ => Err(errors::bounds_error(x.clone(), Value::Int(*i))),
            }
        }
        [x, f, order] => super::atomics::getfield_ordered(vm, x, f, order),
        _ => Err(no_method(vm, "getfield", args)),
    }
}

fn setfield(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x, Value::Sym(s), v] => {
            crate::fields::set_field(vm, x, *s, v.clone())?;
            Ok(v.clone())
        }
        [x, f, v, order] => super::atomics::setfield_ordered(vm, x, f, v, order),
        _ => Err(no_method(vm, "setfield!", args)),
    }
}

fn nfields(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x] => {
            let id = vm.world.value_tid(x);
            Ok(Value::Int(crate::fields::struct_fields(vm, id).len() as i64))
        }
        _ => Err(no_method(vm, "nfields", args)),
    }
}

/// `isabstracttype(T)`: whether `T` was declared abstract (`Any` is;
/// unions and non-types are not).
fn isabstracttype(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Type(t)] => Ok(Value::Bool(match t.id() {
            Some(id) => vm.world.types[id.0 as usize].is_abstract(),
            None => t.is_any(),
        })),
        [_] => Ok(Value::Bool(false)),
        _ => Err(no_method(vm, "isabstracttype", args)),
    }
}

fn supertype(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Type(t)] => match t.id() {
            Some(id) => Ok(Value::ty(JType::data(vm.world.supertype(id)))),
            None => Ok(Value::ty(JType::any())),
        },
        _ => Err(no_method(vm, "supertype", args)),
    }
}

fn typeassert(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [v, Value::Type(t)] => {
            if vm.world.isa(v, t) {
                Ok(v.clone())
            } else {
                Err(Flow::Throw(errors::exc(
                    tid::TYPEERROR,
                    vec![
                        Value::Sym(jlx_base::Sym::new("typeassert")),
                        Value::str(""),
                        Value::Type(t.clone()),
                        v.clone(),
                    ],
                )))
            }
        }
        _ => Err(no_method(vm, "typeassert", args)),
    }
}

fn pair(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => Ok(errors::exc(tid::PAIR, vec![a.clone(), b.clone()])),
        _ => Err(no_method(vm, "=>", args)),
    }
}

/// `__using__(into, from, (:a, :b))`: bind `into.a` to `from.a` for each
/// name `from` has (Threads sees Base's names too) and `into` does not
/// bind yet, as `using from: a, b` does.
fn using(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let module = |v: &Value| match v {
        Value::Obj(o) => match &**o {
            Obj::Module(m) => Some(*m),
            _ => None,
        },
        _ => None,
    };
    let [into, from, Value::Tuple(names)] = args else { return Err(no_method(vm, "__using__", args)) };
    let (Some(into), Some(from)) = (module(into), module(from)) else {
        return Err(no_method(vm, "__using__", args));
    };
    for n in names.0.iter() {
        let Value::Sym(n) = n else { continue };
        let lookup = |m: ModId| vm.rt.names.lookup(m, *n).and_then(|g| vm.rt.cell(g).get());
        let v = lookup(from).or_else(|| if from == ModId::THREADS { lookup(ModId::BASE) } else { None });
        if let Some(v) = v {
            let g = vm.rt.global(into, n.as_str());
            if vm.rt.cell(g).get().is_none() {
                let _ = vm.rt.set_const(g, v);
            }
        }
    }
    Ok(Value::Nothing)
}

/// `rethrow(e)`; plain `rethrow()` inside `catch` is compiled to the `Rethrow` op.
fn rethrow(_vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [e] => Err(Flow::Throw(e.clone())),
        _ => Err(errors::error("rethrow() not allowed outside a catch block")),
    }
}

/// `Core.kwcall(kws, f, args...)`: call `f(args...; kws...)`.
fn kwcall(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [kws, f, rest @ ..] => {
            let kws = if kws.is_nothing() { None } else { Some(kws.clone()) };
            Err(Flow::Call(f.clone(), rest.to_vec(), kws))
        }
        _ => Err(no_method(vm, "kwcall", args)),
    }
}

pub fn dispatch_take(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    Err(no_method(vm, "take!", args))
}

/// `convert(T, x)` for built-in types; user methods of `convert` win by dispatch.
pub fn convert_to(vm: &mut Vm, t: &JType, x: Value) -> Result<Value, Flow> {
    // The common element/key/value types, without a type query.
    if let JType::Data(id, ps) = t {
        if ps.is_empty()
            && (*id == tid::ANY
                || matches!(
                    (*id, &x),
                    (tid::STRING, Value::Str(_))
                        | (tid::INT64, Value::Int(_))
                        | (tid::FLOAT64, Value::Float(_))
                ))
        {
            return Ok(x);
        }
    }
    if vm.world.isa(&x, t) {
        return Ok(x);
    }
    match t.id() {
        Some(tid::INT64) => arrays::to_int(&x).map(Value::Int),
        Some(tid::FLOAT64) | Some(tid::ABSTRACTFLOAT) => arrays::to_float(&x).map(Value::Float),
        Some(tid::BOOL) => match x {
            Value::Int(0) => Ok(Value::Bool(false)),
            Value::Int(1) => Ok(Value::Bool(true)),
            Value::Float(0.0) => Ok(Value::Bool(false)),
            Value::Float(1.0) => Ok(Value::Bool(true)),
            other => Err(errors::inexact_error("Bool", JType::data(tid::BOOL), other)),
        },
        Some(tid::STRING) | Some(tid::ABSTRACTSTRING) => match &x {
            Value::Str(_) => Ok(x),
            _ => Err(convert_err(vm, t, &x)),
        },
        Some(tid::CHAR) => match x {
            Value::Int(i) => {
                char::from_u32(i as u32).map(Value::Char).ok_or_else(|| convert_err(vm, t, &Value::Int(i)))
            }
            other => Err(convert_err(vm, t, &other)),
        },
        Some(tid::NUMBER) | Some(tid::REAL) | Some(tid::INTEGER) | Some(tid::SIGNED) => {
            Err(convert_err(vm, t, &x))
        }
        Some(tid::ARRAY) => {
            // Vector{T}(other array)
            let elt = t.param(0).cloned().unwrap_or_else(JType::any);
            match crate::iter::collect_native(&x) {
                Some(items) => Ok(arrays::new_array(vec![items.len()], arrays::data_for(&elt, items)?)),
                None => Err(convert_err(vm, t, &x)),
            }
        }
        _ => Err(convert_err(vm, t, &x)),
    }
}

#[cold]
fn convert_err(_vm: &Vm, t: &JType, x: &Value) -> Flow {
    errors::convert_error(t, x)
}

fn convert(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Type(t), x] => {
            let t = (**t).clone();
            convert_to(vm, &t, x.clone())
        }
        _ => Err(no_method(vm, "convert", args)),
    }
}

/// Calling a type: built-in constructors and default struct constructors.
fn construct(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    let [Value::Type(t), rest @ ..] = args else { return Err(no_method(vm, "__construct__", args)) };
    let t = (**t).clone();
    let Some(id) = t.id() else { return Err(errors::method_error(Value::Type(Arc::new(t)), rest)) };
    let def = vm.world.types[id.0 as usize].clone();
    if let TypeKind::Struct { fields, field_types, mutable, .. } = &def.kind {
        if def.inner_ctors || rest.len() != fields.len() {
            return Err(errors::method_error(Value::ty(t.clone()), rest));
        }
        return new_struct(vm, &t, id, field_types, *mutable, rest);
    }
    if crate::types::is_builtin_struct(id) {
        let n = crate::types::exception_fields(id).len();
        let mut fs: Vec<Value> = rest.to_vec();
        if fs.len() > n {
            return Err(errors::method_error(Value::ty(t), rest));
        }
        // Optional trailing fields default to nothing/empty (e.g. `BoundsError()`).
        while fs.len() < n {
            fs.push(if id == tid::ERROREXCEPTION || id == tid::ARGUMENTERROR {
                Value::str("")
            } else {
                Value::Nothing
            });
        }
        if id == tid::ASSERTIONERROR || id == tid::ERROREXCEPTION || id == tid::ARGUMENTERROR {
            fs[0] = Value::str(crate::show::print_string(vm, &fs[0]));
        }
        return Ok(errors::exc(id, fs));
    }
    if let Some(v) = super::tasks::construct(vm, id, rest) {
        return Ok(v);
    }
    if id == tid::ATOMIC {
        return super::atomics::construct(vm, &t, rest);
    }
    match (id, rest) {
        (tid::INT64, [x]) => match x {
            Value::Char(c) => Ok(Value::Int(*c as i64)),
            _ => arrays::to_int(x).map(Value::Int),
        },
        (tid::FLOAT64, [x]) => arrays::to_float(x).map(Value::Float),
        (tid::BOOL, [x]) => convert_to(vm, &t, x.clone()),
        (tid::CHAR, [Value::Int(i)]) => {
            char::from_u32(*i as u32).map(Value::Char).ok_or_else(|| errors::argument_error("invalid Char"))
        }
        (tid::CHAR, [c @ Value::Char(_)]) => Ok(c.clone()),
        (tid::STRING, [Value::Array(a)]) => {
            let g = a.inner.lock();
            let bytes: Vec<u8> = (0..g.data.len())
                .map(|i| match g.data.get(i) {
                    Value::Int(b) => b as u8,
                    Value::Char(c) => c as u8,
                    _ => b'?',
                })
                .collect();
            Ok(Value::str(String::from_utf8_lossy(&bytes).into_owned()))
        }
        (tid::STRING, xs) => {
            let mut s = String::new();
            for x in xs {
                s.push_str(&crate::show::print_string(vm, x));
            }
            Ok(Value::str(s))
        }
        (tid::SYMBOL, xs) => {
            let s: String = xs.iter().map(|x| crate::show::print_string(vm, x)).collect();
            Ok(Value::Sym(jlx_base::Sym::new(&s)))
        }
        (tid::DICT | tid::IDDICT, xs) => {
            let (kt, vt) = (t.param(0).cloned(), t.param(1).cloned());
            let mut data = DictData::with_ident(id == tid::IDDICT);
            let items: Vec<Value> = match xs {
                [] => vec![],
                [one] if !is_pair(one) => crate::iter::collect_native(one).unwrap_or_default(),
                _ => xs.to_vec(),
            };
            let mut ks = Vec::new();
            let mut vs = Vec::new();
            for p in &items {
                let (k, v) = pair_parts(p).ok_or_else(|| {
                    errors::argument_error("Dict(kv): kv needs to be an iterator of 2-tuples or pairs")
                })?;
                ks.push(k.clone());
                vs.push(v.clone());
            }
            let kt = kt.unwrap_or_else(|| arrays::promote_eltype(&vm.world, &ks));
            let vt = vt.unwrap_or_else(|| arrays::promote_eltype(&vm.world, &vs));
            for (k, v) in ks.into_iter().zip(vs) {
                let k = convert_to(vm, &kt, k)?;
                let v = convert_to(vm, &vt, v)?;
                data.insert(k, v);
            }
            Ok(Value::obj(Obj::Dict(Box::new(DictObj {
                key_type: kt,
                val_type: vt,
                data: Mutex::new(data),
            }))))
        }
        (tid::SET, xs) => {
            let items = match xs {
                [] => vec![],
                [one] => crate::iter::collect_native(one).unwrap_or_default(),
                _ => return Err(errors::method_error(Value::ty(t), xs)),
            };
            // `Set(v::Vector{T})` is a `Set{T}`; other iterables promote their items.
            let kt = match (t.param(0), xs) {
                (Some(p), _) => p.clone(),
                (None, [Value::Array(a)]) => a.inner.lock().data.eltype(),
                _ => arrays::promote_eltype(&vm.world, &items),
            };
            let mut data = DictData::default();
            for k in items {
                let k = convert_to(vm, &kt, k)?;
                data.insert(k, Value::Nothing);
            }
            Ok(Value::obj(Obj::Set(Box::new(DictObj {
                key_type: kt,
                val_type: JType::data(tid::NOTHING),
                data: Mutex::new(data),
            }))))
        }
        (tid::PAIR, [a, b]) => Ok(errors::exc(tid::PAIR, vec![a.clone(), b.clone()])),
        (tid::SOME, [a]) => Ok(errors::exc(tid::SOME, vec![a.clone()])),
        (tid::REF | tid::REFVALUE, xs) => {
            let x = xs.first().cloned().unwrap_or(Value::Undef);
            let et = t.param(0).cloned().unwrap_or_else(|| vm.world.typeof_(&x));
            let x = if matches!(x, Value::Undef) { x } else { convert_to(vm, &et, x)? };
            Ok(Value::obj(Obj::Ref(et, Mutex::new(x))))
        }
        (tid::ARRAY, xs) => {
            // Vector{T}(), Vector{T}(undef, n), Array{T}(undef, m, n)
            let elt = t.param(0).cloned().unwrap_or_else(JType::any);
            let dims: Vec<usize> = xs
                .iter()
                .skip(1)
                .map(|d| match d {
                    Value::Int(i) => *i as usize,
                    _ => 0,
                })
                .collect();
            let dims = if xs.is_empty() { vec![0] } else { dims };
            let n: usize = dims.iter().product();
            let data = match elt.id() {
                Some(tid::INT64) => crate::obj::ArrayData::Int(vec![0; n]),
                Some(tid::FLOAT64) => crate::obj::ArrayData::Float(vec![0.0; n]),
                Some(tid::BOOL) => crate::obj::ArrayData::Bool(vec![false; n]),
                _ => crate::obj::ArrayData::Any(elt, vec![Value::Undef; n]),
            };
            if xs.len() == 1 && !matches!(xs[0], Value::Nothing | Value::Sym(_)) {
                return convert_to(vm, &t, xs[0].clone());
            }
            Ok(arrays::new_array(dims, data))
        }
        (tid::TUPLE, [x]) => Ok(Value::tuple(crate::iter::collect_native(x).unwrap_or_default())),
        (tid::IOBUFFER, xs) => {
            let data = match xs.first() {
                Some(Value::Str(s)) => s.0.as_bytes().to_vec(),
                _ => Vec::new(),
            };
            Ok(Value::obj(Obj::Io(crate::obj::IoObj::Buffer(Mutex::new(crate::obj::IoBuffer {
                data,
                read_pos: 0,
            })))))
        }
        (tid::NAMEDTUPLE, []) => Ok(Value::obj(Obj::NamedTuple(Arc::from(Vec::new()), Box::new([])))),
        (tid::UNITRANGE, [Value::Int(a), Value::Int(b)]) => {
            Ok(Value::obj(Obj::Range(crate::obj::Range::Unit(*a, *b))))
        }
        _ => {
            let _ = kw;
            Err(errors::method_error(Value::ty(t), rest))
        }
    }
}

fn is_pair(v: &Value) -> bool {
    matches!(v, Value::Obj(o) if matches!(&**o, Obj::Struct(s) if s.ty == tid::PAIR))
}

pub fn pair_parts(v: &Value) -> Option<(&Value, &Value)> {
    match v {
        Value::Obj(o) => match &**o {
            Obj::Struct(s) if s.ty == tid::PAIR => Some((&s.fields[0], &s.fields[1])),
            _ => None,
        },
        Value::Tuple(t) if t.0.len() == 2 => Some((&t.0[0], &t.0[1])),
        _ => None,
    }
}

/// Build a struct instance, converting each field to its declared type.
pub fn new_struct(
    vm: &mut Vm,
    t: &JType,
    id: crate::types::TypeId,
    field_types: &[JType],
    mutable: bool,
    args: &[Value],
) -> NResult {
    let mut fs = Vec::with_capacity(args.len());
    let params: Arc<[TParam]> = match t {
        JType::Data(_, ps) if !ps.is_empty() && !t.has_vars() => ps.clone(),
        _ => {
            // Infer type parameters from fields declared with a type variable.
            let def = vm.world.types[id.0 as usize].clone();
            if def.params.is_empty() {
                crate::types::no_params()
            } else {
                let mut ps = Vec::new();
                for p in &def.params {
                    let found = field_types.iter().zip(args).find_map(|(ft, a)| match ft {
                        JType::Var(tv) if tv.name == *p => Some(vm.world.typeof_(a)),
                        _ => None,
                    });
                    ps.push(TParam::Type(found.unwrap_or_else(JType::any)));
                }
                ps.into()
            }
        }
    };
    for (ft, a) in field_types.iter().zip(args) {
        let ft = match ft {
            JType::Var(tv) => {
                let def = vm.world.types[id.0 as usize].clone();
                match def.params.iter().position(|p| *p == tv.name).and_then(|i| params.get(i)) {
                    Some(TParam::Type(x)) => x.clone(),
                    _ => JType::any(),
                }
            }
            other => other.clone(),
        };
        fs.push(convert_to(vm, &ft, a.clone())?);
    }
    Ok(if mutable {
        Value::obj(Obj::MStruct(MStructObj { ty: id, params, fields: Mutex::new(fs.into_boxed_slice()) }))
    } else {
        Value::obj(Obj::Struct(StructObj { ty: id, params, fields: fs.into_boxed_slice() }))
    })
}
