//! Property tests for float text over many random bit patterns (tiny xorshift, no crates).

use jlx_num::{float_to_string, float_to_string_compact};

struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// `-?\d+\.\d+(e-?\d+)?` without a regex crate.
fn has_julia_shape(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (mant, exp) = match s.split_once('e') {
        Some((m, e)) => (m, Some(e)),
        None => (s, None),
    };
    let Some((int, frac)) = mant.split_once('.') else { return false };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(int)
        && digits(frac)
        && exp.is_none_or(|e| digits(e.strip_prefix('-').unwrap_or(e)) && !e.starts_with('+'))
}

fn samples(n: usize, seed: u64) -> impl Iterator<Item = f64> {
    let mut g = XorShift(seed);
    (0..n).map(move |k| {
        let bits = g.next();
        match k % 4 {
            // uniformly random bit patterns (mostly huge/tiny magnitudes)
            0 | 1 => f64::from_bits(bits),
            // "human" magnitudes around 1e-6 .. 1e8
            2 => (bits >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((bits % 15) as i32 - 6),
            // short decimals and integers
            _ => ((bits % 2_000_000) as f64 - 1_000_000.0) / 10f64.powi((bits >> 60) as i32 % 8),
        }
    })
}

#[test]
fn full_form_round_trips_and_has_julia_shape() {
    let mut count = 0;
    for x in samples(400_000, 0x9e3779b97f4a7c15).filter(|x| x.is_finite()) {
        let s = float_to_string(x);
        assert!(has_julia_shape(&s), "{x:e} -> {s}");
        let back: f64 = s.parse().unwrap();
        assert_eq!(back.to_bits(), x.to_bits(), "{x:e} -> {s}");
        count += 1;
    }
    assert!(count > 300_000);
}

#[test]
fn compact_form_has_shape_and_six_digits() {
    for x in samples(200_000, 12345).filter(|x| x.is_finite() && *x != 0.0) {
        let s = float_to_string_compact(x);
        assert!(has_julia_shape(&s), "{x:e} -> {s}");
        let mant = s.trim_start_matches('-').split('e').next().unwrap();
        let sig = mant.replace('.', "");
        let sig = sig.trim_start_matches('0').trim_end_matches('0');
        assert!(sig.len() <= 6, "{x:e} -> {s}");
        let back: f64 = s.parse().unwrap();
        let rel = ((back - x) / x).abs();
        // Six-digit rounding is within 5e-6; Julia's `a_allzero` loop can drop one more
        // digit for values whose lower bound is exact (e.g. integers above 2^53), within 2e-5.
        assert!(rel <= 2e-5, "{x:e} -> {s} (rel {rel})");
    }
}

#[test]
fn regex_shape_helper_is_strict() {
    for ok in ["1.0", "-0.5", "1.0e6", "5.0e-324", "123.456"] {
        assert!(has_julia_shape(ok), "{ok}");
    }
    for bad in ["1", "1e6", "1.e6", ".5", "1.0e+6", "NaN", "1.0e"] {
        assert!(!has_julia_shape(bad), "{bad}");
    }
}
