//! Numeric kernels over typed array storage (plain slices, no `Value`s):
//! dense matrix products — `Float64` through `matrixmultiply`, `Int64`
//! with wrapping arithmetic — split over threads when they are large, and
//! the order in which Julia's `sum`/`prod` combine the elements of an
//! array (`Base._mapreduce` and `Base.mapreduce_impl`).
//!
//! Splitting a product over threads never changes its result: each thread
//! computes whole columns of `C` (whole rows for a matrix times a vector),
//! and an entry of `C` is computed by the same operations in the same order
//! wherever its column falls (matrixmultiply blocks only the inner
//! dimension, identically for every column; tested below).

use std::sync::OnceLock;

/// Products with at least this many multiply-adds (`m * k * n`) are split
/// over threads; below it, starting a thread costs more than it saves.
pub const PAR_MIN_WORK: usize = 1 << 20;

/// Julia's `pairwise_blocksize`: a range of at most this many elements is
/// reduced left to right.
pub const PAIRWISE_BLOCK: usize = 1024;

/// Below this many elements, `Base._mapreduce` reduces left to right.
const SHORT_REDUCE: usize = 16;

fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}

/// How many threads a product of `work` multiply-adds should use when it
/// can be cut into at most `parts` pieces.
fn threads_for(work: usize, parts: usize) -> usize {
    if work < PAR_MIN_WORK {
        return 1;
    }
    cores().min(parts).max(1)
}

/// Column-major `C = A * B` for `A` m×k and `B` k×n.
pub fn gemm_f64(m: usize, k: usize, n: usize, a: &[f64], b: &[f64]) -> Vec<f64> {
    gemm_f64_with(m, k, n, a, b, threads_for(m.saturating_mul(k).saturating_mul(n), pieces(m, n)))
}

/// Column-major `C = A * B` for `A` m×k and `B` k×n, with wrapping
/// arithmetic (Julia's `Int` overflow behaviour).
pub fn gemm_i64(m: usize, k: usize, n: usize, a: &[i64], b: &[i64]) -> Vec<i64> {
    gemm_i64_with(m, k, n, a, b, threads_for(m.saturating_mul(k).saturating_mul(n), pieces(m, n)))
}

/// Into how many pieces a product may be cut: columns of `C`, or rows of
/// `C` (in blocks of 64) when it has a single column.
fn pieces(m: usize, n: usize) -> usize {
    if n > 1 {
        n
    } else {
        m / 64
    }
}

/// `C = A * B` into `c` for `A` m×k with column stride `lda` (so row
/// blocks of a larger `A` can be passed), `B` k×n and `C` m×n contiguous.
fn dgemm_block(m: usize, k: usize, n: usize, a: &[f64], lda: usize, b: &[f64], c: &mut [f64]) {
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    assert!(lda >= m && a.len() >= (k - 1) * lda + m && b.len() >= k * n && c.len() >= m * n);
    // SAFETY: element (i, p) of A is read at `i + p * lda` for i < m, p < k,
    // which is at most `(k - 1) * lda + m - 1`, inside `a`; B is read at
    // `p + j * k` < k * n and C written at `i + j * m` < m * n, inside `b` and
    // `c` (asserted above). `c` is a unique borrow, so nothing else reads or
    // writes it meanwhile, and `a`/`b` are shared borrows nobody writes.
    unsafe {
        matrixmultiply::dgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            1,
            lda as isize,
            b.as_ptr(),
            1,
            k as isize,
            0.0,
            c.as_mut_ptr(),
            1,
            m as isize,
        );
    }
}

fn igemm_block(m: usize, k: usize, n: usize, a: &[i64], lda: usize, b: &[i64], c: &mut [i64]) {
    for j in 0..n {
        let cj = &mut c[j * m..(j + 1) * m];
        for p in 0..k {
            let bv = b[j * k + p];
            let ap = &a[p * lda..p * lda + m];
            for (ci, ai) in cj.iter_mut().zip(ap) {
                *ci = ci.wrapping_add(ai.wrapping_mul(bv));
            }
        }
    }
}

/// `kernel(m, k, n, a, lda, b, c)`: `C = A * B` for one block (see [`dgemm_block`]).
type BlockKernel<T> = fn(usize, usize, usize, &[T], usize, &[T], &mut [T]);

/// The shared driver of both element types: `kernel(m, k, n, a, lda, b, c)`
/// on `threads` disjoint pieces of `C`.
fn split_product<T: Copy + Default + Send + Sync>(
    m: usize,
    k: usize,
    n: usize,
    a: &[T],
    b: &[T],
    threads: usize,
    kernel: BlockKernel<T>,
) -> Vec<T> {
    let mut c = vec![T::default(); m * n];
    if m == 0 || n == 0 || k == 0 {
        return c;
    }
    let (a, b) = (&a[..m * k], &b[..k * n]);
    if threads <= 1 {
        kernel(m, k, n, a, m, b, &mut c);
        return c;
    }
    std::thread::scope(|s| {
        if n > 1 {
            // Columns j0.. of C need only columns j0.. of B.
            let cols = n.div_ceil(threads);
            let mut jobs = b.chunks(cols * k).zip(c.chunks_mut(cols * m));
            let mine = jobs.next();
            for (bj, cj) in jobs {
                s.spawn(move || kernel(m, k, bj.len() / k, a, m, bj, cj));
            }
            if let Some((bj, cj)) = mine {
                kernel(m, k, bj.len() / k, a, m, bj, cj);
            }
        } else {
            // One column: rows i0.. of C need only rows i0.. of A.
            let rows = m.div_ceil(threads);
            let mut jobs = c.chunks_mut(rows).enumerate();
            let mine = jobs.next();
            for (t, ci) in jobs {
                s.spawn(move || kernel(ci.len(), k, 1, &a[t * rows..], m, b, ci));
            }
            if let Some((_, ci)) = mine {
                kernel(ci.len(), k, 1, a, m, b, ci);
            }
        }
    });
    c
}

fn gemm_f64_with(m: usize, k: usize, n: usize, a: &[f64], b: &[f64], threads: usize) -> Vec<f64> {
    split_product(m, k, n, a, b, threads, dgemm_block)
}

fn gemm_i64_with(m: usize, k: usize, n: usize, a: &[i64], b: &[i64], threads: usize) -> Vec<i64> {
    split_product(m, k, n, a, b, threads, igemm_block)
}

/// Julia's `mapreduce(identity, op, A)` for an array `A` with at least one
/// element, in Julia's order: one element is returned as is, fewer than 16
/// are combined left to right, and longer ones go through
/// `mapreduce_impl`: halves (the first one taking the middle element) down
/// to pieces of at most [`PAIRWISE_BLOCK`] elements, each combined left to
/// right. `op` returns `None` to give up (an element it cannot combine).
///
/// Julia marks the left-to-right loop of a piece `@simd`, which lets LLVM
/// keep several partial sums; this follows the loop as written.
pub fn reduce_pairwise<T: Clone>(a: &[T], op: &mut impl FnMut(&T, &T) -> Option<T>) -> Option<T> {
    match a.len() {
        0 => None,
        n if n < SHORT_REDUCE => fold_left(a, op),
        _ => pairwise(a, op),
    }
}

fn fold_left<T: Clone>(a: &[T], op: &mut impl FnMut(&T, &T) -> Option<T>) -> Option<T> {
    let (first, rest) = a.split_first()?;
    let mut acc = first.clone();
    for x in rest {
        acc = op(&acc, x)?;
    }
    Some(acc)
}

fn pairwise<T: Clone>(a: &[T], op: &mut impl FnMut(&T, &T) -> Option<T>) -> Option<T> {
    if a.len() <= PAIRWISE_BLOCK {
        return fold_left(a, op);
    }
    let (lo, hi) = a.split_at(a.len().div_ceil(2));
    let x = pairwise(lo, op)?;
    let y = pairwise(hi, op)?;
    op(&x, &y)
}

/// `sum` of a `Float64` array in Julia's order (`0.0` when empty).
pub fn sum_f64(a: &[f64]) -> f64 {
    if a.len() <= PAIRWISE_BLOCK {
        // Below 16 elements and within one block alike: left to right.
        return match a.split_first() {
            None => 0.0,
            Some((first, rest)) => rest.iter().fold(*first, |s, x| s + x),
        };
    }
    let (lo, hi) = a.split_at(a.len().div_ceil(2));
    sum_f64(lo) + sum_f64(hi)
}

/// `prod` of a `Float64` array in Julia's order (`1.0` when empty).
pub fn prod_f64(a: &[f64]) -> f64 {
    if a.is_empty() {
        return 1.0;
    }
    reduce_pairwise(a, &mut |x, y| Some(x * y)).unwrap_or(1.0)
}

/// Julia's `max(x, y)` on `Float64`: NaN if either is NaN, and `0.0` above `-0.0`.
pub fn max_f64(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return x - y;
    }
    let d = x - y;
    if d.is_sign_negative() {
        y
    } else {
        x
    }
}

/// Julia's `min(x, y)` on `Float64`: NaN if either is NaN, and `-0.0` below `0.0`.
pub fn min_f64(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return x - y;
    }
    let d = x - y;
    if d.is_sign_negative() {
        x
    } else {
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic stream of values with many different magnitudes.
    fn values(n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed.wrapping_mul(0x9E3779B97F4A7C15) | 1;
        (0..n)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                ((s >> 11) as f64 / (1u64 << 53) as f64 - 0.3) * ((s % 7) as f64 + 1.0)
            })
            .collect()
    }

    #[test]
    fn gemm_column_major() {
        // [1 2; 3 4] * [5 6; 7 8] = [19 22; 43 50]
        let a = [1.0, 3.0, 2.0, 4.0];
        let b = [5.0, 7.0, 6.0, 8.0];
        assert_eq!(gemm_f64(2, 2, 2, &a, &b), vec![19.0, 43.0, 22.0, 50.0]);
        assert_eq!(gemm_i64(2, 2, 2, &[1, 3, 2, 4], &[5, 7, 6, 8]), vec![19, 43, 22, 50]);
        assert!(gemm_f64(0, 3, 2, &[], &[0.0; 6]).is_empty());
        assert_eq!(gemm_f64(2, 0, 2, &[], &[]), vec![0.0; 4]);
    }

    #[test]
    fn split_products_are_bitwise_the_same() {
        // Shapes whose column/row cuts fall inside matrixmultiply's tiles.
        for &(m, k, n) in &[(67, 129, 53), (300, 257, 3), (1000, 300, 1), (5, 700, 301), (1, 40, 999)] {
            let a = values(m * k, 1);
            let b = values(k * n, 2);
            let one = gemm_f64_with(m, k, n, &a, &b, 1);
            for t in [2, 3, 4, 7] {
                let many = gemm_f64_with(m, k, n, &a, &b, t);
                assert!(
                    one.iter().zip(&many).all(|(x, y)| x.to_bits() == y.to_bits()),
                    "{m}x{k}x{n} on {t} threads"
                );
            }
            let ai: Vec<i64> = (0..m * k).map(|i| (i as i64 * 7919) % 1000 - 500).collect();
            let bi: Vec<i64> = (0..k * n).map(|i| (i as i64 * 104729) % 999 - 499).collect();
            let one = gemm_i64_with(m, k, n, &ai, &bi, 1);
            assert_eq!(one, gemm_i64_with(m, k, n, &ai, &bi, 3));
            // and against the textbook triple loop
            let mut naive = vec![0i64; m * n];
            for j in 0..n {
                for i in 0..m {
                    naive[j * m + i] =
                        (0..k).fold(0i64, |s, p| s.wrapping_add(ai[p * m + i] * bi[j * k + p]));
                }
            }
            assert_eq!(one, naive);
        }
    }

    #[test]
    fn float_product_matches_naive_within_rounding() {
        let (m, k, n) = (33, 70, 41);
        let (a, b) = (values(m * k, 3), values(k * n, 4));
        let c = gemm_f64(m, k, n, &a, &b);
        for j in 0..n {
            for i in 0..m {
                let want: f64 = (0..k).map(|p| a[p * m + i] * b[j * k + p]).sum();
                assert!((c[j * m + i] - want).abs() < 1e-12, "({i}, {j})");
            }
        }
    }

    /// Julia's `mapreduce_impl` recursion written out with 1-based indices.
    fn julia_sum(a: &[f64]) -> f64 {
        fn imp(a: &[f64], ifirst: usize, ilast: usize) -> f64 {
            if ifirst == ilast {
                a[ifirst - 1]
            } else if ifirst + 1024 > ilast {
                let mut v = a[ifirst - 1] + a[ifirst];
                for i in ifirst + 2..=ilast {
                    v += a[i - 1];
                }
                v
            } else {
                let imid = ifirst + ((ilast - ifirst) >> 1);
                imp(a, ifirst, imid) + imp(a, imid + 1, ilast)
            }
        }
        match a.len() {
            0 => 0.0,
            1 => a[0],
            n if n < 16 => a[1..].iter().fold(a[0], |s, x| s + x),
            n => imp(a, 1, n),
        }
    }

    #[test]
    fn pairwise_sum_follows_julias_recursion() {
        for n in [0, 1, 2, 15, 16, 17, 1023, 1024, 1025, 2048, 2049, 3000, 4097, 10_000, 65_537] {
            let a = values(n, n as u64);
            assert_eq!(sum_f64(&a).to_bits(), julia_sum(&a).to_bits(), "n = {n}");
            let generic = reduce_pairwise(&a, &mut |x, y| Some(x + y)).unwrap_or(0.0);
            assert_eq!(generic.to_bits(), julia_sum(&a).to_bits(), "n = {n}");
        }
        // 2^53 in the second half absorbs each 1.0 added to it one by one,
        // but not the halves' sums: the order is observable.
        let mut b = vec![0.0; 2048];
        b[0] = 9007199254740992.0;
        for x in &mut b[1024..] {
            *x = 1.0;
        }
        assert_eq!(sum_f64(&b), 9007199254740992.0 + 1024.0);
        assert_eq!(b.iter().fold(0.0, |s, x| s + x), 9007199254740992.0);
        assert_eq!(sum_f64(&vec![0.1; 10_000]), 1000.0000000000099);
    }

    #[test]
    fn float_max_min_follow_julia() {
        assert_eq!(max_f64(0.0, -0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(max_f64(-0.0, 0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(min_f64(0.0, -0.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(min_f64(-0.0, 0.0).to_bits(), (-0.0f64).to_bits());
        assert!(max_f64(f64::NAN, 1.0).is_nan() && min_f64(1.0, f64::NAN).is_nan());
        assert_eq!(max_f64(f64::INFINITY, f64::INFINITY), f64::INFINITY);
        assert_eq!(min_f64(f64::NEG_INFINITY, f64::NEG_INFINITY), f64::NEG_INFINITY);
        assert_eq!(max_f64(2.0, 3.0), 3.0);
        assert_eq!(min_f64(2.0, 3.0), 2.0);
    }
}
