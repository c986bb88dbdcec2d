//! Exact comparison of `Int64` with `Float64`, as Julia's `==`, `<`, `<=`
//! (and, built on them, `isless`, `cmp`, `isequal`).
//!
//! Converting the `Int` to `Float64` is exact only for magnitudes up to
//! 2^53, and Julia compares exactly: `2^53 + 1 > 2.0^53`,
//! `typemax(Int) < 2.0^63`. The operators (`int_lt_float`, ...) use Base's
//! branch-free formulas (a few more instructions than the inexact compare,
//! no branch or call, which matters inside the interpreter loop);
//! [`cmp_int_float`] compares as floats when `|i| <= 2^53` and takes an
//! out-of-line exact path otherwise.

use std::cmp::Ordering;

/// 2^63 as a `Float64` (the first float above every `Int64`).
const TWO_63: f64 = 9_223_372_036_854_775_808.0;

/// Whether `i as f64` is exact by the cheap test `|i| <= 2^53`.
#[inline(always)]
fn exact_in_f64(i: i64) -> bool {
    i.unsigned_abs() <= 1 << 53
}

/// The exact ordering of `i` against `f`; `None` when `f` is NaN.
#[inline]
pub fn cmp_int_float(i: i64, f: f64) -> Option<Ordering> {
    if exact_in_f64(i) {
        (i as f64).partial_cmp(&f)
    } else {
        cmp_big(i, f)
    }
}

/// [`cmp_int_float`] for `|i| > 2^53`.
#[cold]
#[inline(never)]
fn cmp_big(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f >= TWO_63 {
        return Some(Ordering::Less);
    }
    if f < -TWO_63 {
        return Some(Ordering::Greater);
    }
    // `f` is in [-2^63, 2^63), so its integer part is an exact `i64`.
    let t = f.trunc();
    Some(match i.cmp(&(t as i64)) {
        Ordering::Equal => t.partial_cmp(&f).expect("finite"),
        o => o,
    })
}

// The operators below follow Julia's `Base` formulas: convert the `Int`
// (rounding), compare the floats, and on a tie decide by converting the
// float back (exact there, since it is an integer of magnitude >= 2^53 or
// the conversion was exact); 2^63 is the one tie value outside `Int64`.
// Branch-free, so they are cheap in the interpreter's compare fast paths.

/// `i == f`, exactly.
#[inline(always)]
pub fn int_eq_float(i: i64, f: f64) -> bool {
    let fi = i as f64;
    (fi == f) & (fi != TWO_63) & (i == fi as i64)
}

/// `i < f`, exactly.
#[inline(always)]
pub fn int_lt_float(i: i64, f: f64) -> bool {
    let fi = i as f64;
    (fi < f) | ((fi == f) & ((fi == TWO_63) | (i < fi as i64)))
}

/// `i <= f`, exactly.
#[inline(always)]
pub fn int_le_float(i: i64, f: f64) -> bool {
    let fi = i as f64;
    (fi < f) | ((fi == f) & ((fi == TWO_63) | (i <= fi as i64)))
}

/// `f < i`, exactly.
#[inline(always)]
pub fn float_lt_int(f: f64, i: i64) -> bool {
    let fi = i as f64;
    (f < fi) | ((f == fi) & (fi < TWO_63) & ((fi as i64) < i))
}

/// `f <= i`, exactly.
#[inline(always)]
pub fn float_le_int(f: f64, i: i64) -> bool {
    let fi = i as f64;
    (f < fi) | ((f == fi) & (fi < TWO_63) & ((fi as i64) <= i))
}

/// Whether the float `f` is an integer in `Int64`'s range (Julia hashes
/// such a float as that `Int`, so `1.0` and `1` are the same `Dict` key).
#[inline]
pub fn float_is_int64(f: f64) -> bool {
    (-TWO_63..TWO_63).contains(&f) && f.trunc() == f
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    const P53: i64 = 1 << 53;

    #[test]
    fn small_ints_compare_as_floats() {
        assert_eq!(cmp_int_float(3, 3.5), Some(Less));
        assert_eq!(cmp_int_float(-3, -3.5), Some(Greater));
        assert_eq!(cmp_int_float(0, -0.0), Some(Equal));
        assert_eq!(cmp_int_float(P53, 2f64.powi(53)), Some(Equal));
        assert_eq!(cmp_int_float(1, f64::NAN), None);
        assert!(int_eq_float(1, 1.0) && !int_lt_float(1, 1.0) && int_le_float(1, 1.0));
    }

    #[test]
    fn large_ints_compare_exactly() {
        let f = 2f64.powi(53);
        assert_eq!(cmp_int_float(P53 + 1, f), Some(Greater));
        assert!(!int_eq_float(P53 + 1, f));
        assert!(float_lt_int(f, P53 + 1) && float_le_int(f, P53 + 1));
        assert!(!int_lt_float(P53 + 1, f) && !int_le_float(P53 + 1, f));
        assert!(int_lt_float(-P53 - 1, -f));
        assert!(int_lt_float(i64::MAX, 2f64.powi(63)));
        assert!(!int_eq_float(i64::MAX, 2f64.powi(63)));
        assert!(int_eq_float(i64::MIN, -(2f64.powi(63))));
        assert!(int_le_float(i64::MIN, -(2f64.powi(63))));
        assert!(float_lt_int(-(2f64.powi(63)), i64::MIN + 1));
        assert_eq!(cmp_int_float(i64::MIN, f64::NEG_INFINITY), Some(Greater));
        assert_eq!(cmp_int_float(i64::MAX, f64::INFINITY), Some(Less));
        assert_eq!(cmp_int_float(i64::MAX, f64::NAN), None);
        assert!(!int_le_float(i64::MAX, f64::NAN) && !float_le_int(f64::NAN, i64::MAX));
        // 2^60 + 2^8 is a float; its neighbours as ints are not.
        let g = (1i64 << 60) as f64 + 256.0;
        assert!(int_eq_float((1 << 60) + 256, g));
        assert!(int_lt_float((1 << 60) + 255, g) && float_lt_int(g, (1 << 60) + 257));
    }

    #[test]
    fn int_valued_floats() {
        assert!(float_is_int64(1.0) && float_is_int64(-0.0) && float_is_int64(-(2f64.powi(63))));
        assert!(!float_is_int64(2f64.powi(63)) && !float_is_int64(1.5));
        assert!(!float_is_int64(f64::NAN) && !float_is_int64(f64::INFINITY));
    }
}
