//! Julia's `Base.Ryu.reduce_shortest` for `Float64`, ported operation for operation.
//!
//! Owns: the decimal digits (`b`, `e10` with `|x| == b * 10^e10`) that Julia's
//! `show`/`print` lay out, including the `maxsignif` variant behind `:compact => true`.
//!
//! Why a port and not just the `ryu` crate: compact printing reduces the *pre-rounding*
//! shortest digits to six significant digits and needs Ryu's internal "are the removed
//! digits all zero" flags to break ties, and Julia's code has two observable quirks that a
//! faithful port must keep:
//! * the `v % 5` test in the `e2 >= 0` branch mixes a `UInt32` and a `UInt64` operand, so
//!   it is false for every normal float (`v >= 2^54`), and exact ties at the six-digit cut of
//!   large integers round *up* instead of to even (`1.234565e18` -> `1.23457e18`);
//! * the pending last removed digit of the slow loop is not folded into `b_allzero` before
//!   the `maxsignif` reduction;
//! * with `maxsignif`, the `a_allzero` loop keeps removing digits until `b < maxsignif` *and*
//!   `a` ends in a nonzero digit, so it can stop below six digits
//!   (`1.0661085450626312e16` -> `1.0661e16` in compact form).
//!
//! Invariants: the tables are built once from exact big-integer arithmetic (the same
//! definitions as Julia's `pow5invsplit`/`pow5split`); for `maxsignif == None` the result
//! equals the `ryu` crate's shortest digits (checked by a property test).

use std::sync::OnceLock;

const POW5_INV_BITCOUNT: i32 = 122;
const POW5_BITCOUNT: i32 = 121;
const QINVBOUND: i32 = 21;
const QBOUND: i32 = 63;
const SIGNIFICAND_BITS: i32 = 52;
const EXPONENT_BIAS: i32 = 1023;
const INV_TABLE_LEN: usize = 292; // 0:log10pow2(1023 - 53 - 2)
const POW_TABLE_LEN: usize = 326; // 0:(1 - e2_min - log10pow5(-e2_min)), e2_min = -1076

struct Tables {
    inv: Vec<u128>,
    pow: Vec<u128>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(build_tables)
}

/// Little-endian base-2^64 natural number, just enough for the table construction.
#[derive(Clone)]
struct Big(Vec<u64>);

impl Big {
    fn mul_small(&mut self, k: u64) {
        let mut carry = 0u128;
        for limb in &mut self.0 {
            let p = *limb as u128 * k as u128 + carry;
            *limb = p as u64;
            carry = p >> 64;
        }
        if carry != 0 {
            self.0.push(carry as u64);
        }
    }
    fn bitlen(&self) -> i32 {
        let top = self.0.iter().rposition(|&l| l != 0).unwrap_or(0);
        (top as i32) * 64 + (64 - self.0[top].leading_zeros() as i32)
    }
    fn bit(&self, i: i32) -> bool {
        let (w, b) = ((i / 64) as usize, i % 64);
        w < self.0.len() && (self.0[w] >> b) & 1 == 1
    }
    /// `floor(self / 2^s)` truncated to 128 bits (`s` may be negative: shift left).
    fn shifted_u128(&self, s: i32) -> u128 {
        let mut r = 0u128;
        for k in 0..128 {
            let src = k + s;
            if src >= 0 && self.bit(src) {
                r |= 1u128 << k;
            }
        }
        r
    }
    fn ge(&self, o: &Big) -> bool {
        let n = self.0.len().max(o.0.len());
        for i in (0..n).rev() {
            let a = self.0.get(i).copied().unwrap_or(0);
            let b = o.0.get(i).copied().unwrap_or(0);
            if a != b {
                return a > b;
            }
        }
        true
    }
    fn sub_assign(&mut self, o: &Big) {
        let mut borrow = 0u64;
        for i in 0..self.0.len() {
            let b = o.0.get(i).copied().unwrap_or(0);
            let (d1, o1) = self.0[i].overflowing_sub(b);
            let (d2, o2) = d1.overflowing_sub(borrow);
            self.0[i] = d2;
            borrow = (o1 || o2) as u64;
        }
    }
    fn shl1(&mut self) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let nc = *limb >> 63;
            *limb = (*limb << 1) | carry;
            carry = nc;
        }
        if carry != 0 {
            self.0.push(carry);
        }
    }
}

fn build_tables() -> Tables {
    let mut pow5 = Big(vec![1]);
    let mut inv = Vec::with_capacity(INV_TABLE_LEN);
    let mut pow = Vec::with_capacity(POW_TABLE_LEN);
    for i in 0..POW_TABLE_LEN.max(INV_TABLE_LEN) {
        let bl = pow5.bitlen();
        if i < POW_TABLE_LEN {
            // pow5split: 5^i >> (bitlen - 121)
            pow.push(pow5.shifted_u128(bl - POW5_BITCOUNT));
        }
        if i < INV_TABLE_LEN {
            // pow5invsplit: floor(2^(bitlen - 1 + 122) / 5^i) + 1, by binary long division.
            let mut r = Big(vec![0; pow5.0.len() + 1]);
            r.0[((bl - 1) / 64) as usize] = 1u64 << ((bl - 1) % 64);
            let mut q: u128 = 0;
            if r.ge(&pow5) {
                r.sub_assign(&pow5);
                q = 1;
            }
            for _ in 0..POW5_INV_BITCOUNT {
                r.shl1();
                q <<= 1;
                if r.ge(&pow5) {
                    r.sub_assign(&pow5);
                    q |= 1;
                }
            }
            inv.push(q + 1);
        }
        pow5.mul_small(5);
    }
    Tables { inv, pow }
}

fn log10pow2(e: i32) -> i32 {
    ((e as i64 * 78913) >> 18) as i32
}
fn log10pow5(e: i32) -> i32 {
    ((e as i64 * 732923) >> 20) as i32
}
fn pow5bits(e: i32) -> i32 {
    (((e as i64 * 1217359) >> 19) + 1) as i32
}

/// `(m * mul) >> j` with `j >= 64`, truncated to 64 bits (Julia `Ryu.mulshift`).
fn mulshift(m: u64, mul: u128, j: i32) -> u64 {
    let lo = mul as u64;
    let hi = (mul >> 64) as u64;
    let b0 = (m as u128 * lo as u128) >> 64;
    let b2 = m as u128 * hi as u128;
    ((b0 + b2) >> (j - 64)) as u64
}

/// `true` if `5^p` divides `x` (Julia `Ryu.pow5`).
fn pow5(mut x: u64, p: i32) -> bool {
    let mut count = 0;
    loop {
        let q = x / 5;
        if x - 5 * q != 0 {
            return count >= p;
        }
        x = q;
        count += 1;
    }
}

/// `true` if `2^p` divides `x` (Julia `Ryu.pow2`).
fn pow2(x: u64, p: i32) -> bool {
    x & ((1u64 << p) - 1) == 0
}

/// `x mod 10` the way Julia's Ryu computes it (`UInt32` wrapping arithmetic).
fn mod10(x: u64, xdiv10: u64) -> u32 {
    (x as u32).wrapping_sub(10u32.wrapping_mul(xdiv10 as u32))
}

/// Julia's `reduce_shortest(f, maxsignif)` for a finite, nonzero `Float64` (the sign is
/// ignored): returns `(b, e10)` with `|f| ≈ b * 10^e10`, `b` shortest round-trip digits, or
/// at most `maxsignif`'s digit count when `maxsignif` is given (Julia uses `999_999`).
pub fn reduce_shortest(f: f64, maxsignif: Option<u64>) -> (u64, i32) {
    let uf = f.to_bits();
    let m = uf & ((1u64 << SIGNIFICAND_BITS) - 1);
    let e = ((uf >> SIGNIFICAND_BITS) & 0x7ff) as i32;

    // Step 1: mf * 2^ef == f
    let mut mf = (1u64 << SIGNIFICAND_BITS) | m;
    let mut ef = e - EXPONENT_BIAS - SIGNIFICAND_BITS;
    let f_isinteger = (-SIGNIFICAND_BITS..=0).contains(&ef) && mf & ((1u64 << -ef) - 1) == 0;

    let mut b: u64;
    let mut e10: i32;
    if !(-SIGNIFICAND_BITS..=0).contains(&ef) || !f_isinteger {
        if e == 0 {
            ef = 1 - EXPONENT_BIAS - SIGNIFICAND_BITS;
            mf = m;
        }
        // Step 2: u, v, w = 4 * (midpoint below, f, midpoint above) in units of 2^e2
        let e2 = ef - 2;
        let mf_iseven = mf & 1 == 0;
        let v = 4 * mf;
        let w = v + 2;
        let u_shift_half = m == 0 && e > 1;
        let u = v - 2 + u_shift_half as u64;

        // Step 3
        let mut a_allzero = false;
        let mut b_allzero = false;
        let mut b_lastdigit: u8 = 0;
        let mut a: u64;
        let mut c: u64;
        let t = tables();
        if e2 >= 0 {
            let q = log10pow2(e2) - (e2 > 3) as i32;
            e10 = q;
            let k = POW5_INV_BITCOUNT + pow5bits(q) - 1;
            let i = -e2 + q + k;
            let mul = t.inv[q as usize];
            a = mulshift(u, mul, i);
            b = mulshift(v, mul, i);
            c = mulshift(w, mul, i);
            if q <= QINVBOUND {
                // Julia: `((v % UInt32) - 5 * div(v, 5)) == 0`, evaluated in UInt64 (quirk).
                if (v as u32 as u64).wrapping_sub(5 * (v / 5)) == 0 {
                    b_allzero = pow5(v, q);
                } else if mf_iseven {
                    a_allzero = pow5(u, q);
                } else {
                    c -= pow5(w, q) as u64;
                }
            }
        } else {
            let q = log10pow5(-e2) - (-e2 > 1) as i32;
            e10 = q + e2;
            let i = -e2 - q;
            let k = pow5bits(i) - POW5_BITCOUNT;
            let j = q - k;
            let mul = t.pow[i as usize];
            a = mulshift(u, mul, j);
            b = mulshift(v, mul, j);
            c = mulshift(w, mul, j);
            if q <= 1 {
                b_allzero = true;
                if mf_iseven {
                    a_allzero = !u_shift_half;
                } else {
                    c -= 1;
                }
            } else if q < QBOUND {
                b_allzero = pow2(v, q);
            }
        }

        // Step 4: reduction
        let mut roundup: bool;
        if a_allzero || b_allzero {
            loop {
                let c_div10 = c / 10;
                let a_div10 = a / 10;
                if c_div10 <= a_div10 {
                    break;
                }
                let a_mod10 = mod10(a, a_div10);
                let b_div10 = b / 10;
                let b_mod10 = mod10(b, b_div10);
                a_allzero &= a_mod10 == 0;
                b_allzero &= b_lastdigit == 0;
                b_lastdigit = b_mod10 as u8;
                b = b_div10;
                c = c_div10;
                a = a_div10;
                e10 += 1;
            }
            if a_allzero {
                loop {
                    let a_div10 = a / 10;
                    let a_mod10 = mod10(a, a_div10);
                    if a_mod10 != 0 && maxsignif.is_none_or(|ms| b < ms) {
                        break;
                    }
                    let c_div10 = c / 10;
                    let b_div10 = b / 10;
                    let b_mod10 = mod10(b, b_div10);
                    b_allzero &= b_lastdigit == 0;
                    b_lastdigit = b_mod10 as u8;
                    b = b_div10;
                    c = c_div10;
                    a = a_div10;
                    e10 += 1;
                }
            }
            if b_allzero && b_lastdigit == 5 && b.is_multiple_of(2) {
                b_lastdigit = 4;
            }
            roundup = (b == a && (!mf_iseven || !a_allzero)) || b_lastdigit >= 5;
        } else {
            roundup = b_lastdigit >= 5;
            let c_div100 = c / 100;
            let a_div100 = a / 100;
            if c_div100 > a_div100 {
                let b_div100 = b / 100;
                let b_mod100 = (b as u32).wrapping_sub(100u32.wrapping_mul(b_div100 as u32));
                roundup = b_mod100 >= 50;
                b = b_div100;
                c = c_div100;
                a = a_div100;
                e10 += 2;
            }
            loop {
                let c_div10 = c / 10;
                let a_div10 = a / 10;
                if c_div10 <= a_div10 {
                    break;
                }
                let b_div10 = b / 10;
                let b_mod10 = mod10(b, b_div10);
                roundup = b_mod10 >= 5;
                b = b_div10;
                c = c_div10;
                a = a_div10;
                e10 += 1;
            }
            roundup = b == a || roundup;
        }
        match maxsignif {
            Some(ms) if b > ms => {
                loop {
                    let b_div10 = b / 10;
                    let b_mod10 = mod10(b, b_div10);
                    if b <= ms {
                        break;
                    }
                    b = b_div10;
                    roundup = if b_allzero && b.is_multiple_of(2) { b_mod10 > 5 } else { b_mod10 >= 5 };
                    b_allzero &= b_mod10 == 0;
                    e10 += 1;
                }
                b += roundup as u64;
                strip_trailing_zeros(&mut b, &mut e10);
            }
            _ => b += roundup as u64,
        }
    } else {
        // f is an integer < 2^53
        b = mf >> -ef;
        e10 = 0;
        if let Some(ms) = maxsignif {
            if b > ms {
                let mut b_allzero = true;
                let mut roundup = false;
                loop {
                    let b_div10 = b / 10;
                    let b_mod10 = mod10(b, b_div10);
                    if b <= ms {
                        break;
                    }
                    b = b_div10;
                    roundup = if b_allzero && b.is_multiple_of(2) { b_mod10 > 5 } else { b_mod10 >= 5 };
                    b_allzero &= b_mod10 == 0;
                    e10 += 1;
                }
                b += roundup as u64;
            }
        }
        strip_trailing_zeros(&mut b, &mut e10);
    }
    (b, e10)
}

fn strip_trailing_zeros(b: &mut u64, e10: &mut i32) {
    loop {
        let d = *b / 10;
        if mod10(*b, d) != 0 {
            break;
        }
        *b = d;
        *e10 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_spot_values() {
        let t = tables();
        // 5^0 inverse: 2^122 + 1; 5^0 split: 1 << 120.
        assert_eq!(t.inv[0], (1u128 << 122) + 1);
        assert_eq!(t.pow[0], 1u128 << 120);
        // 5^1 = 0b101: split keeps 121 significant bits.
        assert_eq!(t.pow[1], 5u128 << 118);
        assert_eq!(t.inv.len(), INV_TABLE_LEN);
        assert_eq!(t.pow.len(), POW_TABLE_LEN);
        for p in &t.pow {
            assert_eq!(128 - p.leading_zeros(), POW5_BITCOUNT as u32);
        }
    }

    /// Without `maxsignif`, the port yields exactly the `ryu` crate's shortest digits.
    #[test]
    fn agrees_with_ryu_crate() {
        let mut g: u64 = 0x2545f4914f6cdd1d;
        let check = |x: f64| {
            if x.is_finite() && x != 0.0 {
                assert_eq!(reduce_shortest(x, None), crate::fmt::ryu_digits(x), "{x:e}");
            }
        };
        for _ in 0..1_000_000 {
            g ^= g << 13;
            g ^= g >> 7;
            g ^= g << 17;
            check(f64::from_bits(g));
            check((g >> 11) as f64 * 1e-3);
            check((g % 100_000_000) as f64 / 1000.0);
        }
        for e in -330..310 {
            let p: f64 = format!("1e{e}").parse().unwrap();
            for x in [
                p,
                p * 1.5,
                p * 9.999999,
                f64::from_bits(p.to_bits() + 1),
                f64::from_bits(p.to_bits().wrapping_sub(1)),
            ] {
                check(x);
            }
        }
        for k in 0..2000u64 {
            check(f64::from_bits(k));
            check(f64::from_bits(0x0010_0000_0000_0000 + k));
            check((1u64 << 53) as f64 + (k * 2) as f64);
        }
    }

    #[test]
    fn simple_values() {
        assert_eq!(reduce_shortest(0.1, None), (1, -1));
        assert_eq!(reduce_shortest(100.0, None), (1, 2));
        assert_eq!(reduce_shortest(0.1 + 0.2, None), (30000000000000004, -17));
        assert_eq!(reduce_shortest(5e-324, None), (5, -324));
        assert_eq!(reduce_shortest(2f64.powi(70), None), (11805916207174113, 5));
        assert_eq!(reduce_shortest(0.123456789, Some(999_999)), (123457, -6));
        assert_eq!(reduce_shortest(123456.7, Some(999_999)), (123457, 0));
        assert_eq!(reduce_shortest(1.0e-5, Some(999_999)), (1, -5));
    }
}
