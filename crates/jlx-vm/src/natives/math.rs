//! Numeric library: `abs`/`sign`/`min`/`max`, elementary functions with
//! Julia's `DomainError`s, rounding (`round(x; digits)`, `round(Int, x)`),
//! integer functions (`fld`, `gcd`, `factorial`, `digits`, bit counts),
//! float queries (`eps`, `typemax`, `nextfloat`), `parse`/`tryparse`, and the
//! random functions backed by the runtime's Julia-exact Xoshiro.
//!
//! (`+ - * / div rem mod ^` and comparisons live in `core.rs`.)

use super::{kwarg, no_method, register, NResult, NativeFn};
use crate::arrays::new_array;
use crate::errors;
use crate::obj::{ArrayData, Obj, Range};
use crate::runtime::Flow;
use crate::types::{tid, JType};
use crate::value::Value;
use crate::vm::Vm;
use jlx_bytecode::ModId;

pub fn install(rt: &crate::runtime::Runtime) {
    for (n, f) in [
        ("abs", abs as NativeFn),
        ("abs2", abs2),
        ("sign", sign),
        ("signbit", signbit),
        ("copysign", copysign),
        ("flipsign", flipsign),
        ("min", min),
        ("max", max),
        ("minmax", minmax),
        ("clamp", clamp),
        ("sqrt", sqrt),
        ("cbrt", cbrt),
        ("exp", exp),
        ("exp2", exp2),
        ("exp10", exp10),
        ("expm1", expm1),
        ("log", log),
        ("log2", log2),
        ("log10", log10),
        ("log1p", log1p),
        ("sin", sin),
        ("cos", cos),
        ("tan", tan),
        ("asin", asin),
        ("acos", acos),
        ("atan", atan),
        ("sinh", sinh),
        ("cosh", cosh),
        ("tanh", tanh),
        ("asinh", asinh),
        ("acosh", acosh),
        ("atanh", atanh),
        ("sinpi", sinpi),
        ("cospi", cospi),
        ("sind", sind),
        ("cosd", cosd),
        ("tand", tand),
        ("deg2rad", deg2rad),
        ("rad2deg", rad2deg),
        ("hypot", hypot),
        ("inv", inv),
        ("muladd", muladd),
        ("fma", fma),
        ("floor", floor),
        ("ceil", ceil),
        ("trunc", trunc),
        ("round", round),
        ("fld", fld),
        ("cld", cld),
        ("mod1", mod1),
        ("divrem", divrem),
        ("fldmod", fldmod),
        ("gcd", gcd),
        ("lcm", lcm),
        ("isodd", isodd),
        ("iseven", iseven),
        ("iszero", iszero),
        ("isone", isone),
        ("ispow2", ispow2),
        ("isnan", isnan),
        ("isinf", isinf),
        ("isfinite", isfinite),
        ("isinteger", isinteger),
        ("zero", zero),
        ("one", one),
        ("typemax", typemax),
        ("typemin", typemin),
        ("eps", eps),
        ("floatmax", floatmax),
        ("floatmin", floatmin),
        ("nextfloat", nextfloat),
        ("prevfloat", prevfloat),
        ("float", float),
        ("factorial", factorial),
        ("binomial", binomial),
        ("count_ones", count_ones),
        ("count_zeros", count_zeros),
        ("leading_zeros", leading_zeros),
        ("trailing_zeros", trailing_zeros),
        ("leading_ones", leading_ones),
        ("trailing_ones", trailing_ones),
        ("digits", digits),
        ("ndigits", ndigits),
        ("bitstring", bitstring),
        ("powermod", powermod),
        ("cmp", cmp),
        ("isqrt", isqrt),
        ("\\", ldiv),
        ("isapprox", isapprox),
        ("≈", isapprox),
        ("≉", not_isapprox),
        ("promote", promote),
        ("oftype", oftype),
        ("parse", parse),
        ("tryparse", tryparse),
        ("rand", rand),
        ("randn", randn),
        ("shuffle", shuffle),
        ("shuffle!", shuffle_bang),
        ("randperm", randperm),
    ] {
        register(rt, ModId::BASE, n, f);
    }
    for (n, f) in [
        ("seed!", seed as NativeFn),
        ("rand", rand),
        ("randn", randn),
        ("shuffle", shuffle),
        ("shuffle!", shuffle_bang),
        ("randperm", randperm),
    ] {
        register(rt, ModId::RANDOM, n, f);
    }
}

type Args<'a> = &'a [Value];

// ---------- small helpers ----------

/// A real number argument as `f64` (Int, Float, Bool).
fn real(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(x) => Some(*x),
        Value::Bool(b) => Some(*b as i64 as f64),
        _ => None,
    }
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

fn is_type(v: &Value, id: crate::types::TypeId) -> bool {
    matches!(v, Value::Type(t) if t.id() == Some(id) && matches!(&**t, JType::Data(_, p) if p.is_empty()))
}

fn int_type(v: &Value) -> bool {
    is_type(v, tid::INT64) || is_type(v, tid::INTEGER) || is_type(v, tid::SIGNED)
}

fn float_type(v: &Value) -> bool {
    is_type(v, tid::FLOAT64) || is_type(v, tid::ABSTRACTFLOAT)
}

fn int64_type() -> JType {
    JType::data(tid::INT64)
}

/// Apply a `Float64 -> Float64` function to one real argument.
fn float1(vm: &mut Vm, name: &str, args: Args, f: fn(f64) -> f64) -> NResult {
    match args {
        [x] => match real(x) {
            Some(v) => Ok(Value::Float(f(v))),
            None => Err(no_method(vm, name, args)),
        },
        _ => Err(no_method(vm, name, args)),
    }
}

/// One real argument as a float, or a MethodError.
fn float_arg(vm: &mut Vm, name: &str, args: Args) -> Result<f64, Flow> {
    match args {
        [x] => real(x).ok_or_else(|| no_method(vm, name, args)),
        _ => Err(no_method(vm, name, args)),
    }
}

#[cold]
fn complex_domain_error(f: &str, x: f64) -> Flow {
    errors::domain_error(
        Value::Float(x),
        format!(
            "{f} was called with a negative real argument but will only return a complex result if called with a complex argument. Try {f}(Complex(x))."
        ),
    )
}

fn float_vec(v: Vec<f64>) -> Value {
    new_array(vec![v.len()], ArrayData::Float(v))
}

fn int_vec(v: Vec<i64>) -> Value {
    new_array(vec![v.len()], ArrayData::Int(v))
}

// ---------- sign, abs, min/max ----------

fn abs(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(i)] => Ok(Value::Int(i.wrapping_abs())),
        [Value::Float(x)] => Ok(Value::Float(x.abs())),
        [Value::Bool(b)] => Ok(Value::Bool(*b)),
        _ => Err(no_method(vm, "abs", args)),
    }
}

fn abs2(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(i)] => Ok(Value::Int(i.wrapping_mul(*i))),
        [Value::Float(x)] => Ok(Value::Float(x * x)),
        [Value::Bool(b)] => Ok(Value::Bool(*b)),
        _ => Err(no_method(vm, "abs2", args)),
    }
}

fn fsign(x: f64) -> f64 {
    if x == 0.0 || x.is_nan() {
        x
    } else {
        1f64.copysign(x)
    }
}

fn sign(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(i)] => Ok(Value::Int(i.signum())),
        [Value::Float(x)] => Ok(Value::Float(fsign(*x))),
        [Value::Bool(b)] => Ok(Value::Bool(*b)),
        _ => Err(no_method(vm, "sign", args)),
    }
}

fn signbit(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(i)] => Ok(Value::Bool(*i < 0)),
        [Value::Float(x)] => Ok(Value::Bool(x.is_sign_negative())),
        [Value::Bool(_)] => Ok(Value::Bool(false)),
        _ => Err(no_method(vm, "signbit", args)),
    }
}

fn sbit(v: &Value) -> Option<bool> {
    match v {
        Value::Int(i) => Some(*i < 0),
        Value::Float(x) => Some(x.is_sign_negative()),
        Value::Bool(_) => Some(false),
        _ => None,
    }
}

fn copysign(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(x), y] => match sbit(y) {
            Some(neg) => Ok(Value::Int(if (*x < 0) != neg { x.wrapping_neg() } else { *x })),
            None => Err(no_method(vm, "copysign", args)),
        },
        [Value::Float(x), y] => match (real(y), sbit(y)) {
            (Some(_), Some(neg)) => Ok(Value::Float(if neg { -x.abs() } else { x.abs() })),
            _ => Err(no_method(vm, "copysign", args)),
        },
        _ => Err(no_method(vm, "copysign", args)),
    }
}

fn flipsign(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(x), y] => match sbit(y) {
            Some(neg) => Ok(Value::Int(if neg { x.wrapping_neg() } else { *x })),
            None => Err(no_method(vm, "flipsign", args)),
        },
        [Value::Float(x), y] => match sbit(y) {
            Some(neg) => Ok(Value::Float(if neg { -x } else { *x })),
            None => Err(no_method(vm, "flipsign", args)),
        },
        _ => Err(no_method(vm, "flipsign", args)),
    }
}

/// Julia's `max` on two floats: NaN poisons, `max(-0.0, 0.0) == 0.0`.
pub(crate) fn fmax(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == y {
        if x.is_sign_negative() {
            y
        } else {
            x
        }
    } else if x > y {
        x
    } else {
        y
    }
}

/// Julia's `min` on two floats: NaN poisons, `min(-0.0, 0.0) == -0.0`.
pub(crate) fn fmin(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == y {
        if x.is_sign_negative() {
            x
        } else {
            y
        }
    } else if x < y {
        x
    } else {
        y
    }
}

/// `max(a, b)` / `min(a, b)` on built-in scalars; `None` for other types.
fn minmax2(a: &Value, b: &Value, want_max: bool) -> Option<Value> {
    Some(match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => Value::Bool(if want_max { *x || *y } else { *x && *y }),
        (Value::Int(_) | Value::Bool(_), Value::Int(_) | Value::Bool(_)) => {
            let (x, y) = (int(a)?, int(b)?);
            Value::Int(if want_max { x.max(y) } else { x.min(y) })
        }
        (
            Value::Int(_) | Value::Float(_) | Value::Bool(_),
            Value::Int(_) | Value::Float(_) | Value::Bool(_),
        ) => {
            let (x, y) = (real(a)?, real(b)?);
            Value::Float(if want_max { fmax(x, y) } else { fmin(x, y) })
        }
        (Value::Str(x), Value::Str(y)) => {
            let pick_b = if want_max { x.0 < y.0 } else { y.0 < x.0 };
            if pick_b {
                b.clone()
            } else {
                a.clone()
            }
        }
        (Value::Char(x), Value::Char(y)) => Value::Char(if want_max { *x.max(y) } else { *x.min(y) }),
        _ => return None,
    })
}

fn min_or_max(vm: &mut Vm, args: Args, want_max: bool) -> NResult {
    let name = if want_max { "max" } else { "min" };
    match args {
        [a] if real(a).is_some() => Ok(a.clone()),
        [a, rest @ ..] if !rest.is_empty() => {
            let mut acc = a.clone();
            for (i, b) in rest.iter().enumerate() {
                match minmax2(&acc, b, want_max) {
                    Some(v) => acc = v,
                    None => {
                        // Other types: Julia's generic `isless`-based definition (stdlib).
                        let generic = if want_max { "__max_generic__" } else { "__min_generic__" };
                        return match vm.base_func(generic) {
                            Some(f) => {
                                let mut all = vec![acc];
                                all.extend_from_slice(&rest[i..]);
                                Err(Flow::Call(Value::Func(f), all, None))
                            }
                            None => Err(no_method(vm, name, args)),
                        };
                    }
                }
            }
            Ok(acc)
        }
        _ => Err(no_method(vm, name, args)),
    }
}

fn max(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    min_or_max(vm, args, true)
}

fn min(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    min_or_max(vm, args, false)
}

fn minmax(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => match (minmax2(a, b, false), minmax2(a, b, true)) {
            (Some(lo), Some(hi)) => Ok(Value::tuple(vec![lo, hi])),
            _ => Err(no_method(vm, "minmax", args)),
        },
        _ => Err(no_method(vm, "minmax", args)),
    }
}

fn clamp(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x, lo, hi] => {
            if let (Some(x), Some(lo), Some(hi)) = (int(x), int(lo), int(hi)) {
                if matches!(args, [Value::Int(_), ..]) || args.iter().any(|a| matches!(a, Value::Int(_))) {
                    return Ok(Value::Int(if x > hi {
                        hi
                    } else if x < lo {
                        lo
                    } else {
                        x
                    }));
                }
                return Ok(Value::Bool(
                    (if x > hi {
                        hi
                    } else if x < lo {
                        lo
                    } else {
                        x
                    }) != 0,
                ));
            }
            match (real(x), real(lo), real(hi)) {
                (Some(x), Some(lo), Some(hi)) => Ok(Value::Float(if x > hi {
                    hi
                } else if x < lo {
                    lo
                } else {
                    x
                })),
                _ => Err(no_method(vm, "clamp", args)),
            }
        }
        _ => Err(no_method(vm, "clamp", args)),
    }
}

// ---------- elementary functions ----------

fn sqrt(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let x = float_arg(vm, "sqrt", args)?;
    if x < 0.0 {
        return Err(complex_domain_error("sqrt", x));
    }
    Ok(Value::Float(x.sqrt()))
}

fn cbrt(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "cbrt", args, f64::cbrt)
}

fn exp(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "exp", args, f64::exp)
}

fn exp2(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "exp2", args, f64::exp2)
}

fn exp10(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "exp10", args, |x| 10f64.powf(x))
}

fn expm1(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "expm1", args, f64::exp_m1)
}

fn checked_log(name: &str, x: f64, f: fn(f64) -> f64) -> Result<f64, Flow> {
    if x < 0.0 {
        return Err(complex_domain_error(name, x));
    }
    Ok(f(x))
}

fn log(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x] => {
            let x = real(x).ok_or_else(|| no_method(vm, "log", args))?;
            Ok(Value::Float(checked_log("log", x, f64::ln)?))
        }
        [b, x] => {
            let (Some(b), Some(x)) = (real(b), real(x)) else { return Err(no_method(vm, "log", args)) };
            let lx = checked_log("log", x, f64::ln)?;
            let lb = checked_log("log", b, f64::ln)?;
            Ok(Value::Float(lx / lb))
        }
        _ => Err(no_method(vm, "log", args)),
    }
}

fn log2(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let x = float_arg(vm, "log2", args)?;
    Ok(Value::Float(checked_log("log2", x, f64::log2)?))
}

fn log10(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let x = float_arg(vm, "log10", args)?;
    Ok(Value::Float(checked_log("log10", x, f64::log10)?))
}

fn log1p(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let x = float_arg(vm, "log1p", args)?;
    if x < -1.0 {
        return Err(errors::domain_error(
            Value::Float(x),
            "log1p was called with a real argument < -1 but will only return a complex result if called with a complex argument. Try log1p(Complex(x)).",
        ));
    }
    Ok(Value::Float(x.ln_1p()))
}

fn trig(vm: &mut Vm, name: &str, args: Args, f: fn(f64) -> f64) -> NResult {
    let x = float_arg(vm, name, args)?;
    if x.is_infinite() {
        return Err(errors::domain_error(
            Value::Float(x),
            format!("{name}(x) is only defined for finite x."),
        ));
    }
    Ok(Value::Float(f(x)))
}

fn sin(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    trig(vm, "sin", args, f64::sin)
}

fn cos(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    trig(vm, "cos", args, f64::cos)
}

fn tan(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    trig(vm, "tan", args, f64::tan)
}

fn asin(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let x = float_arg(vm, "asin", args)?;
    if x.abs() > 1.0 {
        return Err(errors::domain_error(Value::Float(x), "asin(x) is not defined for |x| > 1."));
    }
    Ok(Value::Float(x.asin()))
}

fn acos(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let x = float_arg(vm, "acos", args)?;
    if x.abs() > 1.0 {
        return Err(errors::domain_error(Value::Float(x), "acos(x) not defined for |x| > 1"));
    }
    Ok(Value::Float(x.acos()))
}

fn atan(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [y, x] => match (real(y), real(x)) {
            (Some(y), Some(x)) => Ok(Value::Float(y.atan2(x))),
            _ => Err(no_method(vm, "atan", args)),
        },
        _ => float1(vm, "atan", args, f64::atan),
    }
}

fn sinh(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "sinh", args, f64::sinh)
}

fn cosh(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "cosh", args, f64::cosh)
}

fn tanh(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "tanh", args, f64::tanh)
}

fn asinh(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "asinh", args, f64::asinh)
}

fn acosh(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let x = float_arg(vm, "acosh", args)?;
    if x < 1.0 {
        return Err(errors::domain_error(Value::Float(x), "acosh(x) is only defined for x ≥ 1."));
    }
    Ok(Value::Float(x.acosh()))
}

fn atanh(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let x = float_arg(vm, "atanh", args)?;
    if x.abs() > 1.0 {
        return Err(errors::domain_error(Value::Float(x), "atanh(x) is only defined for |x| ≤ 1."));
    }
    Ok(Value::Float(x.atanh()))
}

/// `sinpi(x)` / `cospi(x)` with exact results at integers and half-integers.
fn sinpi_f(x: f64) -> f64 {
    if x.is_infinite() || x.is_nan() {
        return f64::NAN;
    }
    let r = x % 2.0;
    let v = if r.fract() == 0.0 {
        0.0
    } else if (r.abs() - 0.5) == 0.0 {
        if r > 0.0 {
            1.0
        } else {
            -1.0
        }
    } else if (r.abs() - 1.5) == 0.0 {
        if r > 0.0 {
            -1.0
        } else {
            1.0
        }
    } else {
        (std::f64::consts::PI * r).sin()
    };
    if v == 0.0 {
        0f64.copysign(x)
    } else {
        v
    }
}

fn cospi_f(x: f64) -> f64 {
    if x.is_infinite() || x.is_nan() {
        return f64::NAN;
    }
    let r = (x % 2.0).abs();
    if r.fract() == 0.0 {
        if r == 0.0 {
            1.0
        } else {
            -1.0
        }
    } else if r == 0.5 || r == 1.5 {
        0.0
    } else {
        (std::f64::consts::PI * r).cos()
    }
}

fn sinpi(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "sinpi", args, sinpi_f)
}

fn cospi(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "cospi", args, cospi_f)
}

fn sind(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "sind", args, |x| sinpi_f(x / 180.0))
}

fn cosd(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "cosd", args, |x| cospi_f(x / 180.0))
}

fn tand(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "tand", args, |x| sinpi_f(x / 180.0) / cospi_f(x / 180.0))
}

fn deg2rad(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "deg2rad", args, |x| x * (std::f64::consts::PI / 180.0))
}

fn rad2deg(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "rad2deg", args, |x| x * (180.0 / std::f64::consts::PI))
}

fn hypot(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let xs: Option<Vec<f64>> = args.iter().map(real).collect();
    match xs {
        Some(xs) if !xs.is_empty() => {
            if xs.len() == 1 {
                return Ok(Value::Float(xs[0].abs()));
            }
            if xs.iter().any(|x| x.is_infinite()) {
                return Ok(Value::Float(f64::INFINITY));
            }
            Ok(Value::Float(xs[1..].iter().fold(xs[0], |a, b| a.hypot(*b))))
        }
        _ => Err(no_method(vm, "hypot", args)),
    }
}

fn inv(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    float1(vm, "inv", args, |x| 1.0 / x)
}

fn muladd(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b, c] => {
            if let (Some(x), Some(y), Some(z)) = (int(a), int(b), int(c)) {
                return Ok(Value::Int(x.wrapping_mul(y).wrapping_add(z)));
            }
            match (real(a), real(b), real(c)) {
                (Some(x), Some(y), Some(z)) => Ok(Value::Float(x.mul_add(y, z))),
                _ => Err(no_method(vm, "muladd", args)),
            }
        }
        _ => Err(no_method(vm, "muladd", args)),
    }
}

fn fma(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b, c] => {
            if let (Some(x), Some(y), Some(z)) = (int(a), int(b), int(c)) {
                return Ok(Value::Int(x.wrapping_mul(y).wrapping_add(z)));
            }
            match (real(a), real(b), real(c)) {
                (Some(x), Some(y), Some(z)) => Ok(Value::Float(x.mul_add(y, z))),
                _ => Err(no_method(vm, "fma", args)),
            }
        }
        _ => Err(no_method(vm, "fma", args)),
    }
}

// ---------- rounding ----------

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Nearest,
    Down,
    Up,
    ToZero,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Nearest => "round",
            Mode::Down => "floor",
            Mode::Up => "ceil",
            Mode::ToZero => "trunc",
        }
    }

    fn apply(self, x: f64) -> f64 {
        match self {
            Mode::Nearest => jlx_num::round_nearest(x),
            Mode::Down => x.floor(),
            Mode::Up => x.ceil(),
            Mode::ToZero => x.trunc(),
        }
    }
}

fn pow10(n: i32) -> f64 {
    if (0..=22).contains(&n) {
        10f64.powi(n)
    } else {
        format!("1e{n}").parse().unwrap_or(f64::INFINITY)
    }
}

/// `round(x, mode; digits=d)` for floats (Julia's `_round_invstep` / `_round_step`).
fn round_digits_mode(x: f64, d: i32, mode: Mode) -> f64 {
    if mode == Mode::Nearest {
        return jlx_num::round_digits(x, d);
    }
    if !x.is_finite() {
        return x;
    }
    if d >= 0 {
        let inv = pow10(d);
        if inv.is_finite() {
            let y = mode.apply(x * inv) / inv;
            return if y.is_finite() { y } else { x };
        }
        x
    } else {
        let step = pow10(-d);
        let y = mode.apply(x / step) * step;
        if y.is_finite() {
            y
        } else {
            x
        }
    }
}

fn hidigit(x: f64) -> i32 {
    if x == 0.0 {
        0
    } else {
        1 + x.abs().log10().floor() as i32
    }
}

/// Round an integer to `digits < 0` decimal places.
fn round_int_digits(x: i64, d: i64, mode: Mode) -> Result<i64, Flow> {
    if d >= 0 {
        return Ok(x);
    }
    if -d > 18 {
        return Ok(match mode {
            Mode::Up if x > 0 => return Err(errors::inexact_error("round", int64_type(), Value::Int(x))),
            Mode::Down if x < 0 => return Err(errors::inexact_error("round", int64_type(), Value::Int(x))),
            _ => 0,
        });
    }
    let step = 10i128.pow((-d) as u32);
    let xv = x as i128;
    let q = xv.div_euclid(step);
    let r = xv.rem_euclid(step);
    let q = match mode {
        Mode::Down => q,
        Mode::Up => {
            if r > 0 {
                q + 1
            } else {
                q
            }
        }
        Mode::ToZero => {
            if xv < 0 && r > 0 {
                q + 1
            } else {
                q
            }
        }
        Mode::Nearest => {
            if 2 * r > step || (2 * r == step && q % 2 != 0) {
                q + 1
            } else {
                q
            }
        }
    };
    i64::try_from(q * step).map_err(|_| errors::inexact_error("round", int64_type(), Value::Int(x)))
}

/// 2^63 (`i64::MAX as f64` rounds up to it).
const TWO63: f64 = i64::MAX as f64;

/// `round(T, x)` to `Int64` with Julia's `InexactError`s.
fn to_int_rounded(x: f64, mode: Mode) -> Result<i64, Flow> {
    let r = mode.apply(x);
    if r.is_nan() || !(-TWO63..TWO63).contains(&r) {
        // trunc(Int64, ::Float64) is specialized in Julia; the others go through convert.
        return Err(if mode == Mode::ToZero {
            errors::inexact_error("trunc", int64_type(), Value::Float(x))
        } else {
            errors::inexact_error("Int64", int64_type(), Value::Float(r))
        });
    }
    Ok(r as i64)
}

fn round_impl(vm: &mut Vm, args: Args, kw: Option<&Value>, mode: Mode) -> NResult {
    let name = mode.name();
    let digits = kwarg(kw, "digits");
    let sig = kwarg(kw, "sigdigits");
    let base = kwarg(kw, "base");
    if let Some(b) = &base {
        if !matches!(b, Value::Int(10)) {
            return Err(errors::argument_error("jlx: only base 10 rounding is supported"));
        }
    }
    match args {
        [t, x] if matches!(t, Value::Type(_)) => {
            if int_type(t) {
                return match x {
                    Value::Int(i) => Ok(Value::Int(*i)),
                    Value::Bool(b) => Ok(Value::Int(*b as i64)),
                    Value::Float(f) => {
                        let f = match (&digits, &sig) {
                            (Some(d), _) => round_digits_mode(*f, int(d).unwrap_or(0) as i32, mode),
                            _ => *f,
                        };
                        to_int_rounded(f, mode).map(Value::Int)
                    }
                    _ => Err(no_method(vm, name, args)),
                };
            }
            if float_type(t) {
                return match real(x) {
                    Some(f) => round_impl(vm, &[Value::Float(f)], kw, mode),
                    None => Err(no_method(vm, name, args)),
                };
            }
            if is_type(t, tid::BOOL) {
                if let Some(f) = real(x) {
                    let r = mode.apply(f);
                    return match r {
                        0.0 => Ok(Value::Bool(false)),
                        1.0 => Ok(Value::Bool(true)),
                        _ => Err(errors::inexact_error("Bool", JType::data(tid::BOOL), Value::Float(r))),
                    };
                }
            }
            Err(no_method(vm, name, args))
        }
        [Value::Float(x)] => {
            if let Some(d) = digits {
                let d = int(&d).ok_or_else(|| no_method(vm, name, args))?;
                return Ok(Value::Float(round_digits_mode(*x, d as i32, mode)));
            }
            if let Some(s) = sig {
                let s = int(&s).ok_or_else(|| no_method(vm, name, args))?;
                if s < 1 {
                    return Err(errors::domain_error(Value::Int(s), "`sigdigits` cannot be less than 1."));
                }
                if mode == Mode::Nearest {
                    return Ok(Value::Float(jlx_num::round_sigdigits(*x, s as i32)));
                }
                if !x.is_finite() {
                    return Ok(Value::Float(*x));
                }
                return Ok(Value::Float(round_digits_mode(*x, s as i32 - hidigit(*x), mode)));
            }
            Ok(Value::Float(mode.apply(*x)))
        }
        [Value::Int(i)] => {
            if let Some(d) = digits {
                let d = int(&d).ok_or_else(|| no_method(vm, name, args))?;
                return round_int_digits(*i, d, mode).map(Value::Int);
            }
            if let Some(s) = sig {
                let s = int(&s).ok_or_else(|| no_method(vm, name, args))?;
                if s < 1 {
                    return Err(errors::domain_error(Value::Int(s), "`sigdigits` cannot be less than 1."));
                }
                let nd = ndigits10(*i);
                return round_int_digits(*i, s - nd, mode).map(Value::Int);
            }
            Ok(Value::Int(*i))
        }
        [Value::Bool(b)] => Ok(Value::Bool(*b)),
        [Value::Array(_), ..] | [Value::Obj(_), ..] => Err(no_method(vm, name, args)),
        _ => Err(no_method(vm, name, args)),
    }
}

fn floor(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    round_impl(vm, args, kw, Mode::Down)
}

fn ceil(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    round_impl(vm, args, kw, Mode::Up)
}

fn trunc(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    round_impl(vm, args, kw, Mode::ToZero)
}

fn round(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    round_impl(vm, args, kw, Mode::Nearest)
}

// ---------- integer division family ----------

/// Julia's `mod` for floats.
fn fmod(x: f64, y: f64) -> f64 {
    let r = x % y;
    if r == 0.0 {
        0f64.copysign(y)
    } else if (r > 0.0) != (y > 0.0) {
        r + y
    } else {
        r
    }
}

pub fn int_fld(x: i64, y: i64) -> Result<i64, Flow> {
    if y == 0 || (x == i64::MIN && y == -1) {
        return Err(errors::divide_error());
    }
    let d = x / y;
    Ok(if x % y != 0 && ((x < 0) != (y < 0)) { d - 1 } else { d })
}

pub fn int_cld(x: i64, y: i64) -> Result<i64, Flow> {
    if y == 0 || (x == i64::MIN && y == -1) {
        return Err(errors::divide_error());
    }
    let d = x / y;
    Ok(if x % y != 0 && ((x < 0) == (y < 0)) { d + 1 } else { d })
}

fn int_mod(x: i64, y: i64) -> Result<i64, Flow> {
    if y == 0 {
        return Err(errors::divide_error());
    }
    if y == -1 {
        return Ok(0);
    }
    let r = x % y;
    Ok(if r != 0 && ((r < 0) != (y < 0)) { r + y } else { r })
}

fn fld(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => {
            if let (Some(x), Some(y)) = (int(a), int(b)) {
                return int_fld(x, y).map(Value::Int);
            }
            match (real(a), real(b)) {
                (Some(x), Some(y)) => Ok(Value::Float(jlx_num::round_nearest((x - fmod(x, y)) / y))),
                _ => Err(no_method(vm, "fld", args)),
            }
        }
        _ => Err(no_method(vm, "fld", args)),
    }
}

fn cld(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => {
            if let (Some(x), Some(y)) = (int(a), int(b)) {
                return int_cld(x, y).map(Value::Int);
            }
            match (real(a), real(b)) {
                (Some(x), Some(y)) => {
                    let f = jlx_num::round_nearest((x - fmod(x, y)) / y);
                    Ok(Value::Float(if f * y == x { f } else { f + 1.0 }))
                }
                _ => Err(no_method(vm, "cld", args)),
            }
        }
        _ => Err(no_method(vm, "cld", args)),
    }
}

fn mod1(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => {
            if let (Some(x), Some(y)) = (int(a), int(b)) {
                let m = int_mod(x, y)?;
                return Ok(Value::Int(if m == 0 { y } else { m }));
            }
            match (real(a), real(b)) {
                (Some(x), Some(y)) => {
                    let m = fmod(x, y);
                    Ok(Value::Float(if m == 0.0 { y } else { m }))
                }
                _ => Err(no_method(vm, "mod1", args)),
            }
        }
        _ => Err(no_method(vm, "mod1", args)),
    }
}

fn divrem(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => {
            if let (Some(x), Some(y)) = (int(a), int(b)) {
                if y == 0 || (x == i64::MIN && y == -1) {
                    return Err(errors::divide_error());
                }
                return Ok(Value::tuple(vec![Value::Int(x / y), Value::Int(x % y)]));
            }
            match (real(a), real(b)) {
                (Some(x), Some(y)) => {
                    Ok(Value::tuple(vec![Value::Float((x / y).trunc()), Value::Float(x % y)]))
                }
                _ => Err(no_method(vm, "divrem", args)),
            }
        }
        _ => Err(no_method(vm, "divrem", args)),
    }
}

fn fldmod(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => {
            if let (Some(x), Some(y)) = (int(a), int(b)) {
                return Ok(Value::tuple(vec![Value::Int(int_fld(x, y)?), Value::Int(int_mod(x, y)?)]));
            }
            match (real(a), real(b)) {
                (Some(x), Some(y)) => {
                    let m = fmod(x, y);
                    Ok(Value::tuple(vec![Value::Float(jlx_num::round_nearest((x - m) / y)), Value::Float(m)]))
                }
                _ => Err(no_method(vm, "fldmod", args)),
            }
        }
        _ => Err(no_method(vm, "fldmod", args)),
    }
}

pub fn int_gcd(a: i64, b: i64) -> Result<i64, Flow> {
    let (mut x, mut y) = (a.unsigned_abs(), b.unsigned_abs());
    while y != 0 {
        let t = x % y;
        x = y;
        y = t;
    }
    i64::try_from(x).map_err(|_| errors::overflow_error(format!("gcd({a}, {b}) overflows")))
}

fn gcd(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let xs: Option<Vec<i64>> =
        args.iter().map(|v| if let Value::Int(i) = v { Some(*i) } else { None }).collect();
    match xs {
        Some(xs) if !xs.is_empty() => {
            let mut g = xs[0];
            if xs.len() == 1 {
                return Ok(Value::Int(g));
            }
            for &x in &xs[1..] {
                g = int_gcd(g, x)?;
            }
            Ok(Value::Int(g))
        }
        _ => Err(no_method(vm, "gcd", args)),
    }
}

fn lcm2(a: i64, b: i64) -> Result<i64, Flow> {
    if a == 0 || b == 0 {
        return Ok(0);
    }
    let g = int_gcd(a, b)?;
    let q = b / g;
    a.checked_mul(q)
        .and_then(|p| p.checked_abs())
        .ok_or_else(|| errors::overflow_error(format!("{a} * {q} overflowed for type Int64")))
}

fn lcm(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let xs: Option<Vec<i64>> =
        args.iter().map(|v| if let Value::Int(i) = v { Some(*i) } else { None }).collect();
    match xs {
        Some(xs) if !xs.is_empty() => {
            let mut l = xs[0];
            if xs.len() == 1 {
                return Ok(Value::Int(l));
            }
            for &x in &xs[1..] {
                l = lcm2(l, x)?;
            }
            Ok(Value::Int(l))
        }
        _ => Err(no_method(vm, "lcm", args)),
    }
}

fn powermod(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(x), Value::Int(p), Value::Int(m)] => {
            if *p < 0 {
                return Err(errors::domain_error(Value::Int(*p), "`p` cannot be negative."));
            }
            if *m == 0 {
                return Err(errors::divide_error());
            }
            let m128 = *m as i128;
            let mut base = (*x as i128).rem_euclid(m128.abs());
            let mut e = *p;
            let mut r: i128 = 1 % m128.abs();
            while e > 0 {
                if e & 1 == 1 {
                    r = r * base % m128.abs();
                }
                base = base * base % m128.abs();
                e >>= 1;
            }
            // Julia returns a result with the sign of m.
            if *m < 0 && r != 0 {
                r += m128;
            }
            Ok(Value::Int(r as i64))
        }
        _ => Err(no_method(vm, "powermod", args)),
    }
}

// ---------- predicates ----------

fn isodd(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x] => match int(x) {
            Some(i) => Ok(Value::Bool(i & 1 == 1)),
            None => Err(no_method(vm, "isodd", args)),
        },
        _ => Err(no_method(vm, "isodd", args)),
    }
}

fn iseven(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x] => match int(x) {
            Some(i) => Ok(Value::Bool(i & 1 == 0)),
            None => Err(no_method(vm, "iseven", args)),
        },
        _ => Err(no_method(vm, "iseven", args)),
    }
}

fn all_numbers(v: &Value, f: fn(f64) -> bool) -> Option<bool> {
    match v {
        Value::Array(a) => {
            let g = a.inner.lock();
            let mut ok = true;
            for i in 0..g.data.len() {
                ok &= f(real(&g.data.get(i))?);
            }
            Some(ok)
        }
        _ => real(v).map(f),
    }
}

fn iszero(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x] => all_numbers(x, |f| f == 0.0).map(Value::Bool).ok_or_else(|| no_method(vm, "iszero", args)),
        _ => Err(no_method(vm, "iszero", args)),
    }
}

fn isone(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x] => real(x).map(|f| Value::Bool(f == 1.0)).ok_or_else(|| no_method(vm, "isone", args)),
        _ => Err(no_method(vm, "isone", args)),
    }
}

fn ispow2(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(i)] => Ok(Value::Bool(*i > 0 && (*i & (*i - 1)) == 0)),
        [Value::Bool(b)] => Ok(Value::Bool(*b)),
        [Value::Float(x)] => Ok(Value::Bool(
            *x > 0.0 && x.is_finite() && (x.to_bits() & ((1u64 << 52) - 1)) == 0 && x.is_normal(),
        )),
        _ => Err(no_method(vm, "ispow2", args)),
    }
}

fn isnan(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x] => real(x).map(|f| Value::Bool(f.is_nan())).ok_or_else(|| no_method(vm, "isnan", args)),
        _ => Err(no_method(vm, "isnan", args)),
    }
}

fn isinf(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x] => real(x).map(|f| Value::Bool(f.is_infinite())).ok_or_else(|| no_method(vm, "isinf", args)),
        _ => Err(no_method(vm, "isinf", args)),
    }
}

fn isfinite(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x] => real(x).map(|f| Value::Bool(f.is_finite())).ok_or_else(|| no_method(vm, "isfinite", args)),
        _ => Err(no_method(vm, "isfinite", args)),
    }
}

fn isinteger(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(_) | Value::Bool(_)] => Ok(Value::Bool(true)),
        [Value::Float(x)] => Ok(Value::Bool(x.is_finite() && x.fract() == 0.0)),
        _ => Err(no_method(vm, "isinteger", args)),
    }
}

// ---------- zero, one, limits ----------

fn zero_or_one(vm: &mut Vm, args: Args, one: bool) -> NResult {
    let name = if one { "one" } else { "zero" };
    let k = one as i64;
    match args {
        [Value::Int(_)] => Ok(Value::Int(k)),
        [Value::Float(_)] => Ok(Value::Float(k as f64)),
        [Value::Bool(_)] => Ok(Value::Bool(one)),
        [t] if int_type(t) => Ok(Value::Int(k)),
        [t] if float_type(t) => Ok(Value::Float(k as f64)),
        [t] if is_type(t, tid::BOOL) => Ok(Value::Bool(one)),
        [Value::Array(a)] if !one => {
            let g = a.inner.lock();
            let data = match &g.data {
                ArrayData::Int(v) => ArrayData::Int(vec![0; v.len()]),
                ArrayData::Float(v) => ArrayData::Float(vec![0.0; v.len()]),
                ArrayData::Bool(v) => ArrayData::Bool(vec![false; v.len()]),
                ArrayData::Any(..) => {
                    drop(g);
                    return Err(no_method(vm, name, args));
                }
            };
            Ok(new_array(g.dims.clone(), data))
        }
        _ => Err(no_method(vm, name, args)),
    }
}

fn zero(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    zero_or_one(vm, args, false)
}

fn one(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    zero_or_one(vm, args, true)
}

fn typemax(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [t] if is_type(t, tid::INT64) => Ok(Value::Int(i64::MAX)),
        [t] if is_type(t, tid::FLOAT64) => Ok(Value::Float(f64::INFINITY)),
        [t] if is_type(t, tid::BOOL) => Ok(Value::Bool(true)),
        [Value::Int(_)] => Ok(Value::Int(i64::MAX)),
        [Value::Float(_)] => Ok(Value::Float(f64::INFINITY)),
        _ => Err(no_method(vm, "typemax", args)),
    }
}

fn typemin(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [t] if is_type(t, tid::INT64) => Ok(Value::Int(i64::MIN)),
        [t] if is_type(t, tid::FLOAT64) => Ok(Value::Float(f64::NEG_INFINITY)),
        [t] if is_type(t, tid::BOOL) => Ok(Value::Bool(false)),
        [Value::Int(_)] => Ok(Value::Int(i64::MIN)),
        [Value::Float(_)] => Ok(Value::Float(f64::NEG_INFINITY)),
        _ => Err(no_method(vm, "typemin", args)),
    }
}

/// Julia's `eps(x::Float64)`: the gap from `|x|` to the next larger float.
pub fn float_eps(x: f64) -> f64 {
    if !x.is_finite() {
        return f64::NAN;
    }
    let a = x.abs();
    if a < f64::MIN_POSITIVE {
        return f64::from_bits(1);
    }
    let e = ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    2f64.powi(e - 52)
}

fn eps(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [] => Ok(Value::Float(f64::EPSILON)),
        [t] if is_type(t, tid::FLOAT64) => Ok(Value::Float(f64::EPSILON)),
        [Value::Float(x)] => Ok(Value::Float(float_eps(*x))),
        _ => Err(no_method(vm, "eps", args)),
    }
}

fn floatmax(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [] | [Value::Float(_)] => Ok(Value::Float(f64::MAX)),
        [t] if is_type(t, tid::FLOAT64) => Ok(Value::Float(f64::MAX)),
        _ => Err(no_method(vm, "floatmax", args)),
    }
}

fn floatmin(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [] | [Value::Float(_)] => Ok(Value::Float(f64::MIN_POSITIVE)),
        [t] if is_type(t, tid::FLOAT64) => Ok(Value::Float(f64::MIN_POSITIVE)),
        _ => Err(no_method(vm, "floatmin", args)),
    }
}

pub fn next_float(x: f64, n: i64) -> f64 {
    let mut x = x;
    let up = n >= 0;
    for _ in 0..n.unsigned_abs() {
        if x.is_nan() {
            return x;
        }
        x = if up {
            if x == f64::INFINITY {
                return x;
            }
            if x == 0.0 {
                f64::from_bits(1)
            } else if x > 0.0 {
                f64::from_bits(x.to_bits() + 1)
            } else {
                f64::from_bits(x.to_bits() - 1)
            }
        } else {
            if x == f64::NEG_INFINITY {
                return x;
            }
            if x == 0.0 {
                -f64::from_bits(1)
            } else if x > 0.0 {
                f64::from_bits(x.to_bits() - 1)
            } else {
                f64::from_bits(x.to_bits() + 1)
            }
        };
    }
    x
}

fn nextfloat(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Float(x)] => Ok(Value::Float(next_float(*x, 1))),
        [Value::Float(x), Value::Int(n)] => Ok(Value::Float(next_float(*x, *n))),
        _ => Err(no_method(vm, "nextfloat", args)),
    }
}

fn prevfloat(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Float(x)] => Ok(Value::Float(next_float(*x, -1))),
        [Value::Float(x), Value::Int(n)] => Ok(Value::Float(next_float(*x, -*n))),
        _ => Err(no_method(vm, "prevfloat", args)),
    }
}

fn float(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x @ Value::Float(_)] => Ok(x.clone()),
        [Value::Int(i)] => Ok(Value::Float(*i as f64)),
        [Value::Bool(b)] => Ok(Value::Float(*b as i64 as f64)),
        [t] if matches!(t, Value::Type(_)) && (int_type(t) || float_type(t) || is_type(t, tid::BOOL)) => {
            Ok(Value::ty(JType::data(tid::FLOAT64)))
        }
        [Value::Array(a)] => {
            let g = a.inner.lock();
            let data = match &g.data {
                ArrayData::Float(v) => ArrayData::Float(v.clone()),
                ArrayData::Int(v) => ArrayData::Float(v.iter().map(|&i| i as f64).collect()),
                ArrayData::Bool(v) => ArrayData::Float(v.iter().map(|&b| b as i64 as f64).collect()),
                ArrayData::Any(_, v) => {
                    let fs: Option<Vec<f64>> = v.iter().map(real).collect();
                    match fs {
                        Some(fs) => ArrayData::Float(fs),
                        None => {
                            drop(g);
                            return Err(no_method(vm, "float", args));
                        }
                    }
                }
            };
            Ok(new_array(g.dims.clone(), data))
        }
        _ => Err(no_method(vm, "float", args)),
    }
}

// ---------- combinatorics and bits ----------

fn factorial(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x] if int(x).is_some() => {
            let n = int(x).unwrap_or(0);
            if n < 0 {
                return Err(errors::domain_error(Value::Int(n), "`n` must not be negative."));
            }
            if n > 20 {
                return Err(errors::overflow_error(format!(
                    "{n} is too large to look up in the table; consider using `factorial(big({n}))` instead"
                )));
            }
            Ok(Value::Int((1..=n).product()))
        }
        _ => Err(no_method(vm, "factorial", args)),
    }
}

/// Julia's `binomial(n, k)` for `Int64`, with its overflow check.
pub fn int_binomial(n0: i64, k0: i64) -> Result<i64, Flow> {
    let (mut n, mut k) = (n0, k0);
    if k < 0 {
        return Ok(0);
    }
    let mut sgn = 1i64;
    if n < 0 {
        n = -n + k - 1;
        if k & 1 == 1 {
            sgn = -sgn;
        }
    }
    if k > n {
        return Ok(0);
    }
    if k == 0 || k == n {
        return Ok(sgn);
    }
    if k == 1 {
        return Ok(sgn * n);
    }
    if k > (n >> 1) {
        k = n - k;
    }
    let mut x: i64 = n - k + 1;
    let mut nn: i64 = x + 1;
    let mut rr: i64 = 2;
    while rr <= k {
        let xt = (x as i128 * nn as i128) / rr as i128;
        x = xt as i64;
        if x as i128 != xt {
            return Err(errors::overflow_error(format!("binomial({n0}, {k0}) overflows")));
        }
        rr += 1;
        nn += 1;
    }
    Ok(if sgn < 0 { -x } else { x })
}

fn binomial(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(n), Value::Int(k)] => int_binomial(*n, *k).map(Value::Int),
        _ => Err(no_method(vm, "binomial", args)),
    }
}

fn bits_fn(vm: &mut Vm, name: &str, args: Args, f: fn(u64) -> u32) -> NResult {
    match args {
        [Value::Int(i)] => Ok(Value::Int(f(*i as u64) as i64)),
        [Value::Float(x)] => Ok(Value::Int(f(x.to_bits()) as i64)),
        _ => Err(no_method(vm, name, args)),
    }
}

fn count_ones(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    if let [Value::Bool(b)] = args {
        return Ok(Value::Int(*b as i64));
    }
    bits_fn(vm, "count_ones", args, u64::count_ones)
}

fn count_zeros(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    bits_fn(vm, "count_zeros", args, u64::count_zeros)
}

fn leading_zeros(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    bits_fn(vm, "leading_zeros", args, u64::leading_zeros)
}

fn trailing_zeros(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    bits_fn(vm, "trailing_zeros", args, u64::trailing_zeros)
}

fn leading_ones(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    bits_fn(vm, "leading_ones", args, u64::leading_ones)
}

fn trailing_ones(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    bits_fn(vm, "trailing_ones", args, u64::trailing_ones)
}

/// Julia's `digits(n; base, pad)`: least significant first, signed digits for negative `n`.
pub fn int_digits(n: i64, base: i64, pad: usize) -> Vec<i64> {
    let mut out = Vec::new();
    let mut x = n;
    while x != 0 {
        out.push(x % base);
        x /= base;
    }
    while out.len() < pad.max(1) {
        out.push(0);
    }
    out
}

fn ndigits10(n: i64) -> i64 {
    int_digits(n, 10, 1).len() as i64
}

fn base_kw(vm: &mut Vm, name: &str, args: Args, kw: Option<&Value>) -> Result<(i64, usize), Flow> {
    let base = match kwarg(kw, "base") {
        Some(b) => int(&b).ok_or_else(|| no_method(vm, name, args))?,
        None => 10,
    };
    if base < 2 {
        return Err(errors::domain_error(
            Value::Int(base),
            "base must be ≥ 2 (negative bases are not supported by jlx)",
        ));
    }
    let pad = match kwarg(kw, "pad") {
        Some(p) => int(&p).ok_or_else(|| no_method(vm, name, args))?.max(0) as usize,
        None => 1,
    };
    Ok((base, pad))
}

fn digits(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    match args {
        [x] if int(x).is_some() => {
            let (base, pad) = base_kw(vm, "digits", args, kw)?;
            Ok(int_vec(int_digits(int(x).unwrap_or(0), base, pad)))
        }
        _ => Err(no_method(vm, "digits", args)),
    }
}

fn ndigits(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    match args {
        [x] if int(x).is_some() => {
            let (base, pad) = base_kw(vm, "ndigits", args, kw)?;
            Ok(Value::Int(int_digits(int(x).unwrap_or(0), base, pad).len() as i64))
        }
        _ => Err(no_method(vm, "ndigits", args)),
    }
}

fn bitstring(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(i)] => Ok(Value::str(format!("{:064b}", *i as u64))),
        [Value::Float(x)] => Ok(Value::str(format!("{:064b}", x.to_bits()))),
        [Value::Bool(b)] => Ok(Value::str(format!("{:08b}", *b as u8))),
        [Value::Char(c)] => {
            let mut buf = [0u8; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            let mut w: u32 = 0;
            for (i, b) in bytes.iter().enumerate() {
                w |= (*b as u32) << (24 - 8 * i);
            }
            Ok(Value::str(format!("{w:032b}")))
        }
        _ => Err(no_method(vm, "bitstring", args)),
    }
}

fn cmp(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    use std::cmp::Ordering::*;
    let o = match args {
        [Value::Str(a), Value::Str(b)] => a.0.cmp(&b.0),
        [Value::Char(a), Value::Char(b)] => a.cmp(b),
        [a, b] => {
            if let (Some(x), Some(y)) = (int(a), int(b)) {
                x.cmp(&y)
            } else if let (Some(x), Some(y)) = (real(a), real(b)) {
                // Julia's cmp on floats follows isless (NaN is largest, -0.0 < 0.0);
                // an Int is compared exactly.
                match (a, b) {
                    (Value::Int(_), Value::Float(_)) | (Value::Float(_), Value::Int(_)) => {
                        super::seq_lib::isless_cmp(a, b).expect("numbers")
                    }
                    _ => match (x.is_nan(), y.is_nan()) {
                        (true, true) => Equal,
                        (true, false) => Greater,
                        (false, true) => Less,
                        _ => x.total_cmp(&y),
                    },
                }
            } else {
                return Err(no_method(vm, "cmp", args));
            }
        }
        _ => return Err(no_method(vm, "cmp", args)),
    };
    Ok(Value::Int(match o {
        Less => -1,
        Equal => 0,
        Greater => 1,
    }))
}

/// `isqrt(n)`: the largest integer whose square is at most `n`.
fn isqrt(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x] if int(x).is_some() => {
            let n = int(x).unwrap_or(0);
            if n < 0 {
                return Err(errors::domain_error(Value::Int(n), "isqrt(x) is not defined for negative x."));
            }
            let mut r = (n as f64).sqrt() as i64;
            while r > 0 && r.checked_mul(r).is_none_or(|sq| sq > n) {
                r -= 1;
            }
            while (r + 1).checked_mul(r + 1).is_some_and(|sq| sq <= n) {
                r += 1;
            }
            Ok(Value::Int(r))
        }
        _ => Err(no_method(vm, "isqrt", args)),
    }
}

/// Scalar left division `x \ y == y / x`.
fn ldiv(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [a, b] => match (real(a), real(b)) {
            (Some(x), Some(y)) => Ok(Value::Float(y / x)),
            _ => Err(no_method(vm, "\\", args)),
        },
        _ => Err(no_method(vm, "\\", args)),
    }
}

// ---------- isapprox, promote ----------

/// Numbers of `v` for `isapprox`: the value(s) and whether any is a float.
fn approx_parts(v: &Value) -> Option<(Vec<f64>, bool, bool)> {
    match v {
        Value::Int(_) | Value::Bool(_) => Some((vec![real(v)?], false, true)),
        Value::Float(x) => Some((vec![*x], true, true)),
        Value::Array(a) => {
            let g = a.inner.lock();
            let mut out = Vec::with_capacity(g.data.len());
            let mut any_float = matches!(g.data, ArrayData::Float(_));
            for i in 0..g.data.len() {
                let x = g.data.get(i);
                any_float |= matches!(x, Value::Float(_));
                out.push(real(&x)?);
            }
            Some((out, any_float, false))
        }
        _ => None,
    }
}

fn isapprox(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    let [a, b] = args else { return Err(no_method(vm, "isapprox", args)) };
    let (Some((xs, fx, sx)), Some((ys, fy, sy))) = (approx_parts(a), approx_parts(b)) else {
        return Err(no_method(vm, "isapprox", args));
    };
    let atol = match kwarg(kw, "atol") {
        Some(v) => real(&v).ok_or_else(|| no_method(vm, "isapprox", args))?,
        None => 0.0,
    };
    let rtol = match kwarg(kw, "rtol") {
        Some(v) => real(&v).ok_or_else(|| no_method(vm, "isapprox", args))?,
        None if atol > 0.0 => 0.0,
        None if fx || fy => f64::EPSILON.sqrt(),
        None => 0.0,
    };
    let nans = matches!(kwarg(kw, "nans"), Some(Value::Bool(true)));
    if sx && sy {
        let (x, y) = (xs[0], ys[0]);
        let ok = x == y
            || (x.is_finite() && y.is_finite() && (x - y).abs() <= atol.max(rtol * x.abs().max(y.abs())))
            || (nans && x.is_nan() && y.is_nan());
        return Ok(Value::Bool(ok));
    }
    if sx != sy || xs.len() != ys.len() {
        if sx != sy {
            return Err(no_method(vm, "isapprox", args));
        }
        return Err(errors::dimension_mismatch(format!(
            "dimensions must match: a has dims ({},), b has dims ({},), mismatch at 1",
            xs.len(),
            ys.len()
        )));
    }
    let norm = |v: &[f64]| v.iter().map(|t| t * t).sum::<f64>().sqrt();
    let d: Vec<f64> = xs.iter().zip(&ys).map(|(p, q)| p - q).collect();
    let (nd, nx, ny) = (norm(&d), norm(&xs), norm(&ys));
    let ok = if nd.is_finite() {
        nd <= atol.max(rtol * nx.max(ny))
    } else {
        xs.iter().zip(&ys).all(|(p, q)| {
            p == q
                || (p.is_finite() && q.is_finite() && (p - q).abs() <= atol.max(rtol * p.abs().max(q.abs())))
        })
    };
    Ok(Value::Bool(ok))
}

fn not_isapprox(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    match isapprox(vm, args, kw)? {
        Value::Bool(b) => Ok(Value::Bool(!b)),
        other => Ok(other),
    }
}

fn promote(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    if args.iter().all(|a| matches!(a, Value::Bool(_))) || args.len() <= 1 {
        return Ok(Value::tuple(args.to_vec()));
    }
    if args.iter().all(|a| matches!(a, Value::Int(_) | Value::Bool(_))) {
        return Ok(Value::tuple(args.iter().map(|a| Value::Int(int(a).unwrap_or(0))).collect()));
    }
    if args.iter().all(|a| real(a).is_some()) {
        return Ok(Value::tuple(args.iter().map(|a| Value::Float(real(a).unwrap_or(0.0))).collect()));
    }
    let t0 = vm.world.typeof_(&args[0]);
    if args.iter().all(|a| vm.world.typeof_(a) == t0) {
        return Ok(Value::tuple(args.to_vec()));
    }
    Err(no_method(vm, "promote", args))
}

fn oftype(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [x, y] => {
            let t = vm.world.typeof_(x);
            super::convert_to(vm, &t, y.clone())
        }
        _ => Err(no_method(vm, "oftype", args)),
    }
}

// ---------- parse / tryparse ----------

fn is_space(c: char) -> bool {
    crate::natives::strings::is_julia_space(c)
}

/// Why `parse(Int, s)` failed, as Julia's `ArgumentError`/`OverflowError`.
fn int_parse_error(s: &str, base: Option<u32>) -> Flow {
    let t = s.trim_start_matches(is_space);
    if t.trim_end_matches(is_space).is_empty() {
        return errors::argument_error("input string is empty or only contains whitespace");
    }
    let (t, signed) = match t.as_bytes().first() {
        Some(b'-') | Some(b'+') => (&t[1..], true),
        _ => (t, false),
    };
    let t = t.trim_start_matches(is_space);
    let (b, body) = match base {
        Some(b) => (b, t),
        None => {
            let by = t.as_bytes();
            if by.len() >= 2 && by[0] == b'0' && matches!(by[1], b'x' | b'o' | b'b') {
                let b = match by[1] {
                    b'x' => 16,
                    b'o' => 8,
                    _ => 2,
                };
                (b, &t[2..])
            } else {
                (10, t)
            }
        }
    };
    if body.is_empty() {
        let _ = signed;
        return errors::argument_error(format!("premature end of integer: {}", show_str(s)));
    }
    for (i, c) in body.char_indices() {
        let ok = match c {
            '0'..='9' => (c as u32 - '0' as u32) < b,
            'a'..='z' => (c as u32 - 'a' as u32 + if b <= 36 { 10 } else { 36 }) < b,
            'A'..='Z' => (c as u32 - 'A' as u32 + 10) < b,
            _ => false,
        };
        if !ok {
            if is_space(c) && body[i..].chars().all(is_space) {
                break;
            }
            if is_space(c) {
                return errors::argument_error(format!(
                    "extra characters after whitespace in {}",
                    show_str(s)
                ));
            }
            let mut cs = String::new();
            crate::show::escape_char(&mut cs, c, '\'');
            return errors::argument_error(format!("invalid base {b} digit '{cs}' in {}", show_str(s)));
        }
    }
    errors::overflow_error(format!("overflow parsing {}", show_str(s)))
}

fn show_str(s: &str) -> String {
    let mut out = String::new();
    crate::show::show_string(&mut out, s);
    out
}

/// `parse`/`tryparse` core: `Ok(Some(v))`, `Ok(None)` (unparsable), or a hard error
/// (bad base, non-string input).
fn parse_value(vm: &mut Vm, name: &str, args: Args, kw: Option<&Value>) -> Result<Result<Value, Flow>, Flow> {
    let [t, s] = args else { return Err(no_method(vm, name, args)) };
    let text: String = match s {
        Value::Str(x) => x.0.to_string(),
        Value::Char(c) => c.to_string(),
        _ => return Err(no_method(vm, name, args)),
    };
    let base = match kwarg(kw, "base") {
        Some(b) => {
            let b = int(&b).ok_or_else(|| no_method(vm, name, args))?;
            if !(2..=62).contains(&b) {
                return Err(errors::argument_error(format!(
                    "invalid base: base must be 2 ≤ base ≤ 62, got {b}"
                )));
            }
            Some(b as u32)
        }
        None => None,
    };
    if int_type(t) {
        if let Value::Char(c) = s {
            let b = base.unwrap_or(10);
            return Ok(c.to_digit(b.min(36)).map(|d| Value::Int(d as i64)).ok_or_else(|| {
                let mut cs = String::new();
                crate::show::escape_char(&mut cs, *c, '\'');
                errors::argument_error(format!("invalid base {b} digit '{cs}'"))
            }));
        }
        return Ok(jlx_num::parse_int(&text, base)
            .map(Value::Int)
            .ok_or_else(|| int_parse_error(&text, base)));
    }
    if float_type(t) {
        return Ok(jlx_num::parse_float(&text)
            .map(Value::Float)
            .ok_or_else(|| errors::argument_error(format!("cannot parse {} as Float64", show_str(&text)))));
    }
    if is_type(t, tid::BOOL) {
        let tt = text.trim_matches(is_space);
        return Ok(match tt {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            _ => Err(errors::argument_error(format!("invalid Bool representation: {}", show_str(&text)))),
        });
    }
    Err(no_method(vm, name, args))
}

fn parse(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    parse_value(vm, "parse", args, kw)?
}

fn tryparse(vm: &mut Vm, args: Args, kw: Option<&Value>) -> NResult {
    Ok(parse_value(vm, "tryparse", args, kw)?.unwrap_or(Value::Nothing))
}

// ---------- random numbers ----------

fn dims_of(vm: &mut Vm, name: &str, args: Args, all: Args) -> Result<Vec<usize>, Flow> {
    let dims: Vec<usize> = match args {
        [Value::Tuple(t)] => t.0.iter().map(|d| int(d).map(|x| x.max(0) as usize)).collect::<Option<_>>(),
        _ => args.iter().map(|d| int(d).map(|x| x.max(0) as usize)).collect::<Option<_>>(),
    }
    .ok_or_else(|| no_method(vm, name, all))?;
    Ok(dims)
}

/// What `rand(S)` samples from.
enum Sampler {
    Float,
    Bool,
    Int,
    IntRange(i64, i64),
    Items(Vec<Value>),
}

fn sampler(vm: &mut Vm, s: &Value, args: Args) -> Result<Sampler, Flow> {
    if float_type(s) {
        return Ok(Sampler::Float);
    }
    if is_type(s, tid::BOOL) {
        return Ok(Sampler::Bool);
    }
    if is_type(s, tid::INT64) {
        return Ok(Sampler::Int);
    }
    match s {
        Value::Obj(o) => match &**o {
            Obj::Range(r @ (Range::Unit(..) | Range::Step(..))) => {
                if r.is_empty() {
                    return Err(errors::argument_error("collection must be non-empty"));
                }
                match *r {
                    Range::Unit(a, b) => Ok(Sampler::IntRange(a, b)),
                    _ => Ok(Sampler::Items(crate::iter::collect_native(s).unwrap_or_default())),
                }
            }
            Obj::Range(_) | Obj::Set(_) | Obj::Dict(_) | Obj::Keys(_) | Obj::Values(_) => {
                let items = crate::iter::collect_native(s).ok_or_else(|| no_method(vm, "rand", args))?;
                if items.is_empty() {
                    return Err(errors::argument_error("collection must be non-empty"));
                }
                Ok(Sampler::Items(items))
            }
            _ => Err(no_method(vm, "rand", args)),
        },
        Value::Array(_) | Value::Tuple(_) | Value::Str(_) => {
            let items = crate::iter::collect_native(s).unwrap_or_default();
            if items.is_empty() {
                return Err(errors::argument_error("collection must be non-empty"));
            }
            Ok(Sampler::Items(items))
        }
        _ => Err(no_method(vm, "rand", args)),
    }
}

fn sample_one(rng: &mut jlx_num::Xoshiro, s: &Sampler) -> Value {
    match s {
        Sampler::Float => Value::Float(rng.next_f64()),
        Sampler::Bool => Value::Bool(rng.next_bool()),
        Sampler::Int => Value::Int(rng.next_i64()),
        Sampler::IntRange(a, b) => Value::Int(rng.range_i64(*a, *b)),
        Sampler::Items(v) => v[rng.index(v.len())].clone(),
    }
}

fn rand(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    // rand(), rand(S), rand(dims...), rand(S, dims...)
    let (s, dims) = match args {
        [] => (Sampler::Float, None),
        [first, rest @ ..] if int(first).is_some() && !matches!(first, Value::Bool(_)) => {
            (Sampler::Float, Some(dims_of(vm, "rand", args, args)?))
        }
        [Value::Tuple(t)] if t.0.iter().all(|d| matches!(d, Value::Int(_))) => {
            (Sampler::Float, Some(dims_of(vm, "rand", args, args)?))
        }
        [s] => (sampler(vm, s, args)?, None),
        [s, rest @ ..] => {
            let smp = sampler(vm, s, args)?;
            (smp, Some(dims_of(vm, "rand", rest, args)?))
        }
    };
    let rng = vm.sched.rng();
    let Some(dims) = dims else { return Ok(sample_one(rng, &s)) };
    let n: usize = dims.iter().product();
    let data = match &s {
        Sampler::Float => {
            let mut v = vec![0.0; n];
            rng.fill_f64(&mut v);
            ArrayData::Float(v)
        }
        Sampler::Int => {
            let mut v = vec![0; n];
            rng.fill_i64(&mut v);
            ArrayData::Int(v)
        }
        Sampler::Bool => {
            let mut v = vec![false; n];
            rng.fill_bool(&mut v);
            ArrayData::Bool(v)
        }
        Sampler::IntRange(a, b) => ArrayData::Int((0..n).map(|_| rng.range_i64(*a, *b)).collect()),
        Sampler::Items(items) => {
            let picked: Vec<Value> = (0..n).map(|_| items[rng.index(items.len())].clone()).collect();
            let elt = match &args[0] {
                Value::Array(a) => a.inner.lock().data.eltype(),
                _ => crate::arrays::promote_eltype(&vm.world, &picked),
            };
            return Ok(new_array(dims, crate::arrays::data_for(&elt, picked)?));
        }
    };
    Ok(new_array(dims, data))
}

fn randn(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    let rest = match args {
        [t, rest @ ..] if float_type(t) => rest,
        _ => args,
    };
    if rest.is_empty() {
        return Ok(Value::Float(vm.sched.rng().randn()));
    }
    let dims = dims_of(vm, "randn", rest, args)?;
    let n: usize = dims.iter().product();
    let rng = vm.sched.rng();
    let v: Vec<f64> = (0..n).map(|_| rng.randn()).collect();
    if dims.len() == 1 {
        return Ok(float_vec(v));
    }
    Ok(new_array(dims, ArrayData::Float(v)))
}

fn shuffle_data(rng: &mut jlx_num::Xoshiro, d: &mut ArrayData) {
    match d {
        ArrayData::Int(v) => rng.shuffle(v),
        ArrayData::Float(v) => rng.shuffle(v),
        ArrayData::Bool(v) => rng.shuffle(v),
        ArrayData::Any(_, v) => rng.shuffle(v),
    }
}

fn shuffle_bang(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [v @ Value::Array(a)] => {
            shuffle_data(vm.sched.rng(), &mut a.inner.lock().data);
            Ok(v.clone())
        }
        _ => Err(no_method(vm, "shuffle!", args)),
    }
}

fn shuffle(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Array(a)] => {
            let (dims, mut data) = {
                let g = a.inner.lock();
                (g.dims.clone(), g.data.clone())
            };
            shuffle_data(vm.sched.rng(), &mut data);
            Ok(new_array(dims, data))
        }
        [r @ Value::Obj(o)] if matches!(&**o, Obj::Range(_)) => {
            let items = crate::iter::collect_native(r).unwrap_or_default();
            let mut data = crate::arrays::data_for(&crate::arrays::promote_eltype(&vm.world, &items), items)?;
            shuffle_data(vm.sched.rng(), &mut data);
            Ok(new_array(vec![data.len()], data))
        }
        _ => Err(no_method(vm, "shuffle", args)),
    }
}

fn randperm(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [Value::Int(n)] if *n >= 0 => {
            let p = vm.sched.rng().randperm(*n as usize);
            Ok(int_vec(p))
        }
        _ => Err(no_method(vm, "randperm", args)),
    }
}

fn seed(vm: &mut Vm, args: Args, _kw: Option<&Value>) -> NResult {
    match args {
        [] => *vm.sched.rng() = jlx_num::default_seed_from_entropy(),
        [Value::Int(k)] => vm.sched.rng().reseed(*k),
        _ => return Err(no_method(vm, "seed!", args)),
    }
    Ok(Value::Nothing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fld_cld_mod() {
        assert_eq!(int_fld(-7, 2).ok(), Some(-4));
        assert_eq!(int_cld(7, 2).ok(), Some(4));
        assert_eq!(int_cld(-7, 2).ok(), Some(-3));
        assert_eq!(int_mod(-1, 5).ok(), Some(4));
        assert_eq!(fmod(-1.0, 5.0), 4.0);
    }

    #[test]
    fn binomial_values() {
        assert_eq!(int_binomial(5, 2).ok(), Some(10));
        assert_eq!(int_binomial(-5, 2).ok(), Some(15));
        assert_eq!(int_binomial(-5, 3).ok(), Some(-35));
        assert_eq!(int_binomial(5, 7).ok(), Some(0));
        assert_eq!(int_binomial(62, 31).ok(), Some(465428353255261088));
        assert!(int_binomial(67, 33).is_err());
    }

    #[test]
    fn digits_and_eps() {
        assert_eq!(int_digits(123, 10, 1), vec![3, 2, 1]);
        assert_eq!(int_digits(0, 10, 1), vec![0]);
        assert_eq!(int_digits(-12, 10, 3), vec![-2, -1, 0]);
        assert_eq!(int_digits(5, 2, 1), vec![1, 0, 1]);
        assert_eq!(float_eps(1.0), f64::EPSILON);
        assert_eq!(float_eps(1000.0), 1.1368683772161603e-13);
        assert_eq!(next_float(1.0, 1), 1.0000000000000002);
        assert_eq!(next_float(0.0, -1), -5e-324);
    }

    #[test]
    fn rounding_helpers() {
        assert_eq!(round_int_digits(1234, -2, Mode::Nearest).ok(), Some(1200));
        assert_eq!(round_int_digits(1250, -2, Mode::Nearest).ok(), Some(1200));
        assert_eq!(round_int_digits(1350, -2, Mode::Nearest).ok(), Some(1400));
        assert_eq!(round_int_digits(-1234, -2, Mode::Down).ok(), Some(-1300));
        assert_eq!(round_digits_mode(1.23456, 2, Mode::Down), 1.23);
        assert_eq!(round_digits_mode(1.23456, 2, Mode::Up), 1.24);
        assert_eq!(sinpi_f(1.0), 0.0);
        assert_eq!(cospi_f(1.0), -1.0);
        assert_eq!(sinpi_f(0.5), 1.0);
    }
}
