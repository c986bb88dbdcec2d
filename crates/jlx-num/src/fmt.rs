//! Julia-exact text for numbers: `show`/`print`/`string` of `Float64` (full and
//! `:compact => true`), `Int` decimal text and `string(x; base, pad)`.
//!
//! Owns the layout rule of Julia's `Base.Ryu.writeshortest` (1.9+ with `append_sign`):
//! with shortest digits `d₁…dₙ` and `|x| = d × 10^nexp`, let `pt = nexp + n`; the number is
//! written in fixed notation iff `-4 < pt <= 6` and — when the digits look like an integer
//! (`pt >= n`) — `x` really is within 0.05 of that integer (the
//! `abs(mod(x + 0.05, 10^(pt - n)) - 0.05) > 0.05` test, which only bites in compact mode);
//! otherwise `d.ddde-X`. Always at least one fractional digit, no `+`, no exponent padding.
//!
//! Invariants: [`write_float`] takes its digits from the `ryu` crate (shortest round-trip,
//! identical to Julia's); [`write_float_compact`] takes them from the faithful port of
//! Julia's `reduce_shortest(x, 999_999)` in the private `shortest` module. Output always matches
//! `-?\d+\.\d+(e-?\d+)?` for finite input and parses back (full form) to the same `f64`.

pub use crate::parse::{parse_float, parse_int};
pub use crate::round::{round_digits, round_sigdigits};

/// Append Julia's `show(io, x::Float64)` (= `print`, `string`) text for `x` to `out`.
///
/// ```
/// let mut s = String::new();
/// jlx_num::write_float(&mut s, 1e6);
/// assert_eq!(s, "1.0e6");
/// ```
pub fn write_float(out: &mut String, x: f64) {
    if let Some(s) = special(x) {
        out.push_str(s);
        return;
    }
    let (digits, nexp) = ryu_digits(x);
    layout(out, x, digits, nexp);
}

/// Append Julia's `show(IOContext(io, :compact => true), x::Float64)` text: at most six
/// significant digits, as used for the elements of a matrix display.
pub fn write_float_compact(out: &mut String, x: f64) {
    if let Some(s) = special(x) {
        out.push_str(s);
        return;
    }
    let (digits, nexp) = crate::shortest::reduce_shortest(x, Some(999_999));
    layout(out, x, digits, nexp);
}

/// Julia's `string(x::Float64)` as a new `String`.
pub fn float_to_string(x: f64) -> String {
    let mut s = String::new();
    write_float(&mut s, x);
    s
}

/// Julia's compact form as a new `String`.
pub fn float_to_string_compact(x: f64) -> String {
    let mut s = String::new();
    write_float_compact(&mut s, x);
    s
}

fn special(x: f64) -> Option<&'static str> {
    if x.is_nan() {
        Some("NaN")
    } else if x.is_infinite() {
        Some(if x > 0.0 { "Inf" } else { "-Inf" })
    } else if x == 0.0 {
        Some(if x.is_sign_negative() { "-0.0" } else { "0.0" })
    } else {
        None
    }
}

/// Shortest round-trip digits of a finite nonzero `x` from the `ryu` crate, as
/// `(digits, nexp)` with `|x| = digits * 10^nexp` and no trailing zeros in `digits`.
pub(crate) fn ryu_digits(x: f64) -> (u64, i32) {
    let mut buf = ryu::Buffer::new();
    let s = buf.format_finite(x.abs());
    let (mant, exp) = match s.find('e') {
        Some(p) => (&s[..p], s[p + 1..].parse::<i32>().expect("ryu exponent")),
        None => (s, 0),
    };
    let mut digits: u64 = 0;
    let mut frac_len = 0i32;
    let mut seen_point = false;
    for ch in mant.bytes() {
        if ch == b'.' {
            seen_point = true;
        } else {
            digits = digits * 10 + u64::from(ch - b'0');
            if seen_point {
                frac_len += 1;
            }
        }
    }
    let mut nexp = exp - frac_len;
    while digits != 0 && digits.is_multiple_of(10) {
        digits /= 10;
        nexp += 1;
    }
    (digits, nexp)
}

fn decimal_length(v: u64) -> i32 {
    let mut n = 1;
    let mut t = v;
    while t >= 10 {
        t /= 10;
        n += 1;
    }
    n
}

/// Julia's `mod(x::Float64, y::Float64)`.
fn jl_mod(x: f64, y: f64) -> f64 {
    let r = x % y;
    if r == 0.0 {
        r.copysign(y)
    } else if (r > 0.0) != (y > 0.0) {
        r + y
    } else {
        r
    }
}

fn layout(out: &mut String, x: f64, digits: u64, nexp: i32) {
    if x.is_sign_negative() {
        out.push('-');
    }
    let ds = digits.to_string();
    let olength = decimal_length(digits);
    let pt = nexp + olength;
    let fixed = -4 < pt
        && pt <= 6
        && !(pt >= olength && (jl_mod(x + 0.05, 10f64.powi(pt - olength)) - 0.05).abs() > 0.05);
    if fixed {
        if pt <= 0 {
            out.push_str("0.");
            for _ in 0..-pt {
                out.push('0');
            }
            out.push_str(&ds);
        } else if pt >= olength {
            out.push_str(&ds);
            for _ in 0..nexp {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            let p = pt as usize;
            out.push_str(&ds[..p]);
            out.push('.');
            out.push_str(&ds[p..]);
        }
    } else {
        out.push_str(&ds[..1]);
        out.push('.');
        if olength > 1 {
            out.push_str(&ds[1..]);
        } else {
            out.push('0');
        }
        out.push('e');
        let exp = pt - 1;
        out.push_str(&exp.to_string());
    }
}

/// Julia's `string(i::Int)`.
pub fn format_int(i: i64) -> String {
    i.to_string()
}

/// Julia's `string(i; base, pad)`: digits `0-9a-z` for `base <= 36`, `0-9A-Za-z` above,
/// a leading `-` for negatives, zero-padded to at least `pad` digits.
///
/// # Panics
/// If `base` is outside `2..=62` (Julia throws `DomainError`).
pub fn string_with_base(i: i64, base: u32, pad: usize) -> String {
    assert!((2..=62).contains(&base), "base must satisfy 2 ≤ base ≤ 62, got {base}");
    const LOWER: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    const UPPER: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let table = if base <= 36 { LOWER } else { UPPER };
    let mut n = i.unsigned_abs();
    let mut rev = Vec::new();
    while n > 0 {
        rev.push(table[(n % base as u64) as usize]);
        n /= base as u64;
    }
    while rev.len() < pad {
        rev.push(b'0');
    }
    let mut s = String::with_capacity(rev.len() + 1);
    if i < 0 {
        s.push('-');
    }
    s.extend(rev.iter().rev().map(|&c| c as char));
    s
}

#[cfg(test)]
#[allow(clippy::approx_constant)]
mod tests {
    use super::*;

    fn full(x: f64) -> String {
        float_to_string(x)
    }
    fn compact(x: f64) -> String {
        float_to_string_compact(x)
    }

    #[test]
    fn full_table() {
        let cases: &[(f64, &str)] = &[
            (0.1, "0.1"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1.0e-5, "1.0e-5"),
            (0.0001, "0.0001"),
            (0.00012, "0.00012"),
            (100000.0, "100000.0"),
            (1.0e6, "1.0e6"),
            (1234567.0, "1.234567e6"),
            (1.0e15, "1.0e15"),
            (1.0e16, "1.0e16"),
            (5e-324, "5.0e-324"),
            (2f64.powi(70), "1.1805916207174113e21"),
            (100.0, "100.0"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Inf"),
            (f64::NEG_INFINITY, "-Inf"),
            (1.5, "1.5"),
            (123456.7, "123456.7"),
            (-123456.7, "-123456.7"),
            (999999.0, "999999.0"),
            (999999.5, "999999.5"),
            (1.0, "1.0"),
            (-2.5, "-2.5"),
            (1.0e-4, "0.0001"),
            (1.5e-5, "1.5e-5"),
            (12.0e-5, "0.00012"),
            (f64::MAX, "1.7976931348623157e308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (1.0 / 3.0, "0.3333333333333333"),
            (2.0 / 3.0, "0.6666666666666666"),
            (1e22, "1.0e22"),
            (1e23, "1.0e23"),
            (123.456, "123.456"),
            (0.5, "0.5"),
            (3.0e-7, "3.0e-7"),
            (9007199254740993.0, "9.007199254740992e15"),
        ];
        for &(x, want) in cases {
            assert_eq!(full(x), want, "x = {x:e}");
        }
    }

    #[test]
    fn compact_table() {
        let cases: &[(f64, &str)] = &[
            (0.123456789, "0.123457"),
            (1.0e-5, "1.0e-5"),
            (123456.7, "1.23457e5"),
            (-123456.7, "-1.23457e5"),
            (100000.0, "100000.0"),
            (999999.0, "999999.0"),
            (1234567.0, "1.23457e6"),
            (0.1 + 0.2, "0.3"),
            (1.0 / 3.0, "0.333333"),
            (2.0 / 3.0, "0.666667"),
            (1.0, "1.0"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Inf"),
            (3.14159265, "3.14159"),
            (1.0e6, "1.0e6"),
            (12345.678, "12345.7"),
            (99999.95, "99999.9"),
            (0.000123456789, "0.000123457"),
            (1.23456789e-5, "1.23457e-5"),
            (f64::MAX, "1.79769e308"),
            // A large exact integer with a tie at the sixth digit: Julia's quirk rounds up.
            (1.234565e18, "1.23457e18"),
            // An exact tie below 2^53 rounds to even.
            (1234565.0, "1.23456e6"),
            (1234575.0, "1.23458e6"),
            // Julia quirk (ported): for an exactly representable lower bound the `a_allzero`
            // loop keeps stripping while `a` ends in 0, losing the sixth digit here.
            (1.0661085450626312e16, "1.0661e16"),
        ];
        for &(x, want) in cases {
            assert_eq!(compact(x), want, "x = {x:e}");
        }
    }

    #[test]
    fn int_text() {
        assert_eq!(format_int(-42), "-42");
        assert_eq!(format_int(i64::MIN), "-9223372036854775808");
        assert_eq!(string_with_base(255, 16, 0), "ff");
        assert_eq!(string_with_base(-255, 16, 0), "-ff");
        assert_eq!(string_with_base(5, 2, 8), "00000101");
        assert_eq!(string_with_base(0, 10, 0), "");
        assert_eq!(string_with_base(0, 10, 1), "0");
        assert_eq!(string_with_base(i64::MIN, 16, 0), "-8000000000000000");
        assert_eq!(string_with_base(61, 62, 0), "z");
        assert_eq!(string_with_base(36, 62, 0), "a");
        assert_eq!(string_with_base(35, 36, 0), "z");
    }
}
