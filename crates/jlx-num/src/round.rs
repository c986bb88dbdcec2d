//! Julia-exact `round(x)`, `round(x; digits=d)` and `round(x; sigdigits=n)` for `Float64`
//! (rounding mode `RoundNearest`, base 10).
//!
//! Owns Julia's algorithm from `base/floatfuncs.jl` (`_round_digits`, `_round_invstep`,
//! `_round_invstepsqrt`, `_round_step`, `hidigit`, `_round_sigdigits`): the rounding is done in
//! binary floating point, `round(x * 10^d) / 10^d` with ties to even on the *rounded*
//! product. So `round(1.005; digits=2) == 1.0` (1.005 * 100 == 100.49999999999999),
//! `round(0.125; digits=2) == 0.12` (exact tie, to even), and — unlike Python —
//! `round(2.675; digits=2) == 2.68` and `round(1.15; digits=1) == 1.2`, because the products
//! `2.675 * 100` and `1.15 * 10` round to the ties `267.5` and `11.5`. (Julia's own `round`
//! docstring shows the `1.15 -> 1.2` case; an exactly rounded `_mul_round` variant exists only
//! in unreleased Julia, PR #63105.)
//!
//! Invariants: non-finite input is returned unchanged; `10^d` is the correctly rounded
//! power (exact for `0 <= d <= 22`). For negative `digits`, this implements the
//! `round(x / 10^-d) * 10^-d` form (`_round_step` without the later exact two-product
//! refinement, which only changes results when `x / 10^-d` is inexact at a tie).

/// Julia's `round(x::Float64)`: nearest integer, ties to even.
pub fn round_nearest(x: f64) -> f64 {
    x.round_ties_even()
}

/// Correctly rounded `10.0^n` (Julia's `Float64 ^ Int` is accurate to well under an ulp).
fn pow10(n: i32) -> f64 {
    if (0..=22).contains(&n) {
        const P: [f64; 23] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
            1e18, 1e19, 1e20, 1e21, 1e22,
        ];
        P[n as usize]
    } else {
        format!("1e{n}").parse().expect("power of ten")
    }
}

/// Julia's `round(x; digits)` with `RoundNearest`.
pub fn round_digits(x: f64, digits: i32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    if digits >= 0 {
        let invstep = pow10(digits);
        if invstep.is_finite() {
            // _round_invstep
            let y = round_nearest(x * invstep) / invstep;
            if y.is_finite() {
                y
            } else {
                x
            }
        } else {
            // _round_invstepsqrt: base^(digits/2) with a Float64 exponent
            let s = 10f64.powf(f64::from(digits) / 2.0);
            let y = round_nearest((x * s) * s) / s / s;
            if y.is_finite() {
                y
            } else {
                x
            }
        }
    } else {
        // _round_step
        let step = pow10(-digits);
        let y = round_nearest(x / step) * step;
        if y.is_finite() {
            y
        } else if x > 0.0 {
            0.0
        } else if x < 0.0 {
            -0.0
        } else {
            x
        }
    }
}

/// Julia's `hidigit(x, 10)`: `1 + floor(Int, log10(abs(x)))`, `0` for zero.
fn hidigit(x: f64) -> i32 {
    if x == 0.0 {
        0
    } else {
        1 + x.abs().log10().floor() as i32
    }
}

/// Julia's `round(x; sigdigits=n)` with `RoundNearest`.
pub fn round_sigdigits(x: f64, sigdigits: i32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    round_digits(x, sigdigits - hidigit(x))
}

#[cfg(test)]
#[allow(clippy::approx_constant)]
mod tests {
    use super::*;

    #[test]
    fn digits_table() {
        let cases: &[(f64, i32, f64)] = &[
            (2.675, 2, 2.68),
            (1.15, 1, 1.2),
            (0.285, 2, 0.28),
            (0.125, 2, 0.12),
            (0.375, 2, 0.38),
            (1.005, 2, 1.0),
            (3.14159, 3, 3.142),
            (-3.14159, 3, -3.142),
            (2.5, 0, 2.0),
            (3.5, 0, 4.0),
            (1234.5678, -2, 1200.0),
            (1250.0, -2, 1200.0),
            (1350.0, -2, 1400.0),
            (0.1 + 0.2, 1, 0.3),
            (1e300, 400, 1e300),
            (123.456, 1, 123.5),
            (-0.004, 2, -0.0),
        ];
        for &(x, d, want) in cases {
            let got = round_digits(x, d);
            assert_eq!(got.to_bits(), want.to_bits(), "round({x}, digits={d}) = {got}");
        }
        assert!(round_digits(f64::NAN, 2).is_nan());
        assert_eq!(round_digits(f64::INFINITY, 2), f64::INFINITY);
    }

    #[test]
    fn plain_round() {
        assert_eq!(round_nearest(0.5), 0.0);
        assert_eq!(round_nearest(1.5), 2.0);
        assert_eq!(round_nearest(2.5), 2.0);
        assert_eq!(round_nearest(-0.5).to_bits(), (-0.0f64).to_bits());
        assert_eq!(round_nearest(-1.5), -2.0);
    }

    #[test]
    fn sigdigits_table() {
        let cases: &[(f64, i32, f64)] = &[
            (123456.0, 2, 120000.0),
            (0.00123456, 3, 0.00123),
            (3.14159, 3, 3.14),
            (-2.675, 3, -2.68),
            (1.0, 1, 1.0),
            (99.5, 2, 100.0),
            (0.0, 3, 0.0),
        ];
        for &(x, n, want) in cases {
            assert_eq!(round_sigdigits(x, n), want, "round({x}, sigdigits={n})");
        }
    }
}
