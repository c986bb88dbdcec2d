//! Julia-exact `parse(Int, s)` / `tryparse(Int, s; base)` and `parse(Float64, s)`.
//!
//! Owns the accepted grammar, following Julia's `parseint_preamble`/`tryparse_internal`:
//! optional whitespace, optional `+`/`-`, optional whitespace, a `0x`/`0o`/`0b` prefix (only
//! when no base is given), one or more digits of the base (`0-9`, `a-z`/`A-Z` for bases up to
//! 36; `A-Z` = 10.., `a-z` = 36.. above), optional trailing whitespace. No underscores.
//! Overflow of `Int64` is a failure (`None`), never a wrap.
//!
//! Floats follow Julia's `jl_try_substrtod`: surrounding whitespace, then a C `strtod`
//! decimal number (`1`, `1.`, `.5`, `1e5`, `+1.5E-3`) or `inf`/`infinity`/`nan` in any case,
//! signed. Like Julia on Linux, overflow to `±Inf` and underflow to zero are failures
//! (`strtod` sets `ERANGE`); gradual underflow to a subnormal is accepted. Hexadecimal floats
//! (`0x1p3`) are not supported (returns `None`).
//!
//! Invariants: decimal conversion is correctly rounded (Rust's parser, like glibc's strtod).

/// Julia's `isspace` for the characters that matter in number text.
fn is_space(c: char) -> bool {
    matches!(c, '\t'..='\r' | ' ' | '\u{85}' | '\u{a0}')
        || (c > '\u{ff}' && c.is_whitespace() && !matches!(c, '\u{2028}' | '\u{2029}'))
}

/// Julia's `tryparse(Int, s)` (`base = None`) or `tryparse(Int, s; base = b)`.
///
/// Returns `None` where Julia's `parse` would throw (empty, bad digit, overflow, bad base).
pub fn parse_int(s: &str, base: Option<u32>) -> Option<i64> {
    if let Some(b) = base {
        if !(2..=62).contains(&b) {
            return None;
        }
    }
    let t = s.trim_start_matches(is_space);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let t = t.trim_start_matches(is_space);
    let (base, t) = match base {
        Some(b) => (b, t),
        None => {
            let bytes = t.as_bytes();
            if bytes.len() >= 2 && bytes[0] == b'0' {
                match bytes[1] {
                    b'x' => (16, &t[2..]),
                    b'o' => (8, &t[2..]),
                    b'b' => (2, &t[2..]),
                    _ => (10, t),
                }
            } else {
                (10, t)
            }
        }
    };
    let body = t.trim_end_matches(is_space);
    if body.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for c in body.chars() {
        let d = digit_value(c, base)?;
        n = n.checked_mul(base as i64)?;
        n = if neg { n.checked_sub(d as i64)? } else { n.checked_add(d as i64)? };
    }
    Some(n)
}

fn digit_value(c: char, base: u32) -> Option<u32> {
    let d = match c {
        '0'..='9' => c as u32 - '0' as u32,
        'A'..='Z' => c as u32 - 'A' as u32 + 10,
        'a'..='z' => c as u32 - 'a' as u32 + if base <= 36 { 10 } else { 36 },
        _ => return None,
    };
    (d < base).then_some(d)
}

/// Julia's `tryparse(Float64, s)`; `None` where `parse` would throw.
pub fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim_matches(is_space);
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = body.to_ascii_lowercase();
    let v = if lower == "inf" || lower == "infinity" {
        f64::INFINITY
    } else if lower == "nan" {
        f64::NAN
    } else {
        if !is_decimal(body) {
            return None;
        }
        let v = body.parse::<f64>().ok()?;
        // strtod reports ERANGE on overflow and on underflow to zero; Julia then fails.
        let nonzero_mantissa =
            body.bytes().take_while(|&c| c != b'e' && c != b'E').any(|c| matches!(c, b'1'..=b'9'));
        if v.is_infinite() || (v == 0.0 && nonzero_mantissa) {
            return None;
        }
        v
    };
    Some(if neg { -v } else { v })
}

/// `digits [. digits] | . digits`, then optionally `e|E [sign] digits`.
fn is_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut ndigits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        ndigits += i - f;
    }
    if ndigits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        let ok: &[(&str, Option<u32>, i64)] = &[
            ("42", None, 42),
            ("  -17  ", None, -17),
            ("+5", None, 5),
            ("- 5", None, -5),
            ("0x1f", None, 31),
            ("-0x10", None, -16),
            ("0b101", None, 5),
            ("0o17", None, 15),
            ("007", None, 7),
            ("0", None, 0),
            ("ff", Some(16), 255),
            ("FF", Some(16), 255),
            ("z", Some(36), 35),
            ("Z", Some(36), 35),
            ("z", Some(62), 61),
            ("Z", Some(62), 35),
            ("9223372036854775807", None, i64::MAX),
            ("-9223372036854775808", None, i64::MIN),
            ("\t12\n", None, 12),
        ];
        for &(s, b, want) in ok {
            assert_eq!(parse_int(s, b), Some(want), "{s:?} base {b:?}");
        }
        let bad: &[(&str, Option<u32>)] = &[
            ("", None),
            ("   ", None),
            ("1_000", None),
            ("1.0", None),
            ("12a", None),
            ("0x", None),
            ("0xff", Some(16)),
            ("9223372036854775808", None),
            ("-9223372036854775809", None),
            ("1 2", None),
            ("-", None),
            ("2", Some(2)),
            ("1", Some(1)),
            ("1", Some(63)),
            ("0X1f", None),
        ];
        for &(s, b) in bad {
            assert_eq!(parse_int(s, b), None, "{s:?} base {b:?}");
        }
    }

    #[test]
    fn floats() {
        let ok: &[(&str, f64)] = &[
            ("1", 1.0),
            ("1.5", 1.5),
            ("1e5", 1e5),
            (".5", 0.5),
            ("5.", 5.0),
            ("-2.5E-3", -2.5e-3),
            ("  3.25 ", 3.25),
            ("Inf", f64::INFINITY),
            ("-Inf", f64::NEG_INFINITY),
            ("inf", f64::INFINITY),
            ("+infinity", f64::INFINITY),
            ("0.1", 0.1),
            ("5e-324", 5e-324),
            ("0e999", 0.0),
        ];
        for &(s, want) in ok {
            assert_eq!(parse_float(s), Some(want), "{s:?}");
        }
        assert!(parse_float("NaN").unwrap().is_nan());
        assert!(parse_float("-nan").unwrap().is_nan());
        for s in ["", "abc", "1e", "1_0", ".", "e5", "1.2.3", "--1", "1 2", "0x10", "1e400", "1e-400"] {
            assert_eq!(parse_float(s), None, "{s:?}");
        }
    }
}
