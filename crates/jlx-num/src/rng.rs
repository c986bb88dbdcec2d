//! Julia's default random number generator, bit for bit: `Xoshiro256++` as used by
//! `Random.Xoshiro` and the task-local `TaskLocalRNG`, its seeding, the task-fork split and
//! the samplers behind `rand()`, `rand(a:b)`, `rand(Bool)`, `rand(Int)`, `randn()`,
//! `shuffle!` and `randperm`.
//!
//! Sources (Julia 1.11 unless noted): `stdlib/Random/src/{Xoshiro,RNGs,generation,misc,
//! normal}.jl` and `src/task.c` (`jl_rng_split`).
//!
//! * Seeding (`Random.seed!(rng, n::Integer)` / `Xoshiro(n)`): `hash_seed(n)` = SHA-256 of
//!   the 32-bit little-endian words of `n` (of `~n` followed by the byte `0x01` when
//!   `n < 0`), reinterpreted as four little-endian `UInt64` words `s0..s3`; the fifth (split)
//!   word is `s0 + 3s1 + 5s2 + 7s3` (`initstate!`). For `n >= 0` this equals the Julia
//!   1.7–1.10 seeding (`make_seed` + SHA-256), which the test vectors below come from.
//! * `rand()` = `Float64(next >>> 11) * 2^-53`; `rand(Bool)` = bit 56 of `next`; `rand(Int)` =
//!   `next` reinterpreted; arrays (`rand(n)`, `rand(Int, n)`, `rand(Bool, n)`) use Julia's
//!   bulk `XoshiroSimd` scheme ([`Xoshiro::fill_f64`]); `rand(a:b)` for `Int` = Lemire's "nearly division-less" sampler
//!   (`SamplerRangeNDL{UInt64}`); `randn()` = the 256-layer ziggurat of `normal.jl` on
//!   `next >>> 12`.
//! * Task fork ([`Xoshiro::split`]): `jl_rng_split` from the stored `src/task.c`, i.e. the
//!   DotMix-style construction with multiplicative mixing (PR #53408, merged Feb 2024, a few
//!   days after `release-1.11` branched — whether 1.11.x carries it or the earlier additive
//!   1.10 variant is NOT verified). The child's four words are non-linear mixes of the
//!   parent's words with an LCG stream kept in the fifth word. The parent's *main* stream is
//!   not advanced; only its fifth (LCG) word moves, so spawning a task never changes what the
//!   parent's `rand()` returns next (this property is verified, PR #49110).
//!
//! Invariants: no global state; every operation is a pure function of the five state words.

use crate::sha256::Sha256;
use crate::ziggurat::{FI, KI, WI};

/// Xoshiro256++ state plus Julia's fifth word (`rngState4`/`s4`) driving task splits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Xoshiro {
    s: [u64; 4],
    s4: u64,
}

/// Julia's `Random.hash_seed(seed::Integer)`: SHA-256 over the seed's 32-bit words.
pub fn hash_seed(seed: i128) -> [u8; 32] {
    let mut ctx = Sha256::new();
    let neg = seed < 0;
    let mut n = if neg { !seed } else { seed } as u128;
    loop {
        let word = n as u32;
        n >>= 32;
        ctx.update(&word.to_le_bytes());
        if n == 0 {
            break;
        }
    }
    if neg {
        ctx.update(&[0x01]);
    }
    ctx.finish()
}

impl Xoshiro {
    /// A generator with exactly these five state words (Julia's 5-argument constructor).
    pub fn from_state(s: [u64; 4], s4: u64) -> Self {
        Xoshiro { s, s4 }
    }

    /// Julia's `initstate!`: the four main words, split word `s0 + 3s1 + 5s2 + 7s3`.
    pub fn from_words(s: [u64; 4]) -> Self {
        let s4 = s[0]
            .wrapping_add(s[1].wrapping_mul(3))
            .wrapping_add(s[2].wrapping_mul(5))
            .wrapping_add(s[3].wrapping_mul(7));
        Xoshiro { s, s4 }
    }

    /// The five state words `([s0, s1, s2, s3], s4)`.
    pub fn state(&self) -> ([u64; 4], u64) {
        (self.s, self.s4)
    }

    /// `Xoshiro(seed)` / the state after `Random.seed!(seed)` for an `Int` seed.
    pub fn seeded(seed: i64) -> Self {
        Self::seeded_i128(i128::from(seed))
    }

    /// Like [`Xoshiro::seeded`] for integer seeds outside `Int64` (e.g. `UInt64` values).
    pub fn seeded_i128(seed: i128) -> Self {
        let d = hash_seed(seed);
        let mut s = [0u64; 4];
        for (i, w) in s.iter_mut().enumerate() {
            *w = u64::from_le_bytes(d[8 * i..8 * i + 8].try_into().expect("8 bytes"));
        }
        Self::from_words(s)
    }

    /// `Random.seed!(rng, seed)` in place.
    pub fn reseed(&mut self, seed: i64) {
        *self = Self::seeded(seed);
    }

    /// `rand(rng, UInt64)`: one Xoshiro256++ step.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = self.s;
        let tmp = s0.wrapping_add(s3);
        let res = tmp.rotate_left(23).wrapping_add(s0);
        let t = s1 << 17;
        let s2 = s2 ^ s0;
        let s3 = s3 ^ s1;
        let s1 = s1 ^ s2;
        let s0 = s0 ^ s3;
        let s2 = s2 ^ t;
        let s3 = s3.rotate_left(45);
        self.s = [s0, s1, s2, s3];
        res
    }

    /// `rand(rng, Int)`.
    pub fn next_i64(&mut self) -> i64 {
        self.next_u64() as i64
    }

    /// `rand(rng)`: a `Float64` in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `rand(rng, Bool)`: Julia takes the top byte and keeps its lowest bit.
    pub fn next_bool(&mut self) -> bool {
        (self.next_u64() >> 56) & 1 == 1
    }

    /// `rand(rng, lo:hi)` for `Int` ranges (`SamplerRangeNDL`, Lemire's method).
    ///
    /// # Panics
    /// If `lo > hi`; Julia throws `ArgumentError("collection must be non-empty")`, so callers
    /// check emptiness first.
    pub fn range_i64(&mut self, lo: i64, hi: i64) -> i64 {
        assert!(lo <= hi, "collection must be non-empty");
        let s = (hi as u64).wrapping_sub(lo as u64).wrapping_add(1); // 0 means the full range
        let mut x = u128::from(self.next_u64());
        let mut m = x * u128::from(s);
        let mut l = m as u64;
        if l < s {
            let t = s.wrapping_neg() % s;
            while l < t {
                x = u128::from(self.next_u64());
                m = x * u128::from(s);
                l = m as u64;
            }
        }
        let r = if s == 0 { x as u64 } else { (m >> 64) as u64 };
        (r as i64).wrapping_add(lo)
    }

    /// `rand(rng, v)` for a 1-based collection of length `len >= 1`: a 0-based index.
    pub fn index(&mut self, len: usize) -> usize {
        (self.range_i64(1, len as i64) - 1) as usize
    }

    /// Julia's `ltm52(n, mask)` sampler: uniform in `0:n-1` from masked 52-bit draws.
    fn below_masked(&mut self, n: u64, mask: u64) -> u64 {
        loop {
            let x = (self.next_u64() >> 12) & mask;
            if x < n {
                return x;
            }
        }
    }

    /// `shuffle!(rng, v)`: Julia's Fisher–Yates variant (front to back, masked draws).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        let n = v.len();
        let mut mask: u64 = 3;
        for i in 2..=n {
            let j = 1 + self.below_masked(i as u64, mask) as usize;
            v.swap(i - 1, j - 1);
            if i as u64 == 1 + mask {
                mask = 2 * mask + 1;
            }
        }
    }

    /// `randperm(rng, n)`: a random permutation of `1:n`.
    pub fn randperm(&mut self, n: usize) -> Vec<i64> {
        let mut a = vec![0i64; n];
        if n == 0 {
            return a;
        }
        a[0] = 1;
        let mut mask: u64 = 3;
        for i in 2..=n {
            let j = 1 + self.below_masked(i as u64, mask) as usize;
            if i != j {
                a[i - 1] = a[j - 1];
            }
            a[j - 1] = i as i64;
            if i as u64 == 1 + mask {
                mask = 2 * mask + 1;
            }
        }
        a
    }

    /// Julia's `forkRand(rng, Val(8))`: eight lane generators for bulk filling, drawn from
    /// `self` (32 draws: eight per state word, lane-major within each word).
    fn fork_lanes(&mut self) -> [[u64; 8]; 4] {
        const C: [u64; 4] = [0x02011ce34bce797f, 0x5a94851fb48a6e05, 0x3688cf5d48899fa7, 0x867b4bb4c42e5661];
        let mut lanes = [[0u64; 8]; 4];
        for (word, c) in lanes.iter_mut().zip(C) {
            for lane in word.iter_mut() {
                *lane = c.wrapping_mul(self.next_u64());
            }
        }
        lanes
    }

    /// One Xoshiro256++ step of each of the eight lanes (`xoshiro_bulk_simd`'s loop body),
    /// written lane-wise over the state words so that it compiles to vector operations.
    #[inline(always)]
    fn lanes_next(l: &mut [[u64; 8]; 4]) -> [u64; 8] {
        let [s0, s1, s2, s3] = l;
        let mut out = [0u64; 8];
        for j in 0..8 {
            out[j] = s0[j].wrapping_add(s3[j]).rotate_left(23).wrapping_add(s0[j]);
            let t = s1[j] << 17;
            s2[j] ^= s0[j];
            s3[j] ^= s1[j];
            s1[j] ^= s2[j];
            s0[j] ^= s3[j];
            s2[j] ^= t;
            s3[j] = s3[j].rotate_left(45);
        }
        out
    }

    /// Julia's `xoshiro_bulk` for 8-byte elements, `f` mapping each 64-bit output to an
    /// element: `out.len() * 8 >= 64` bytes go through the 8-lane path (lanes forked from
    /// `self`, `self` advanced by 32 draws), the remaining `< 8` elements come from `self`
    /// directly.
    #[inline(always)]
    fn bulk<T>(&mut self, out: &mut [T], f: impl Fn(u64) -> T) {
        let long = out.len() >= 8;
        let mut chunks = out.chunks_exact_mut(8);
        if long {
            let mut lanes = self.fork_lanes();
            for chunk in &mut chunks {
                for (o, x) in chunk.iter_mut().zip(Self::lanes_next(&mut lanes)) {
                    *o = f(x);
                }
            }
        }
        for o in chunks.into_remainder() {
            *o = f(self.next_u64());
        }
    }

    /// `rand!(rng, A::Array{Float64})` / `rand(rng, n)`: Julia fills arrays of eight or more
    /// `Float64`s with eight interleaved generators forked from `rng` (`XoshiroSimd`), so
    /// this is *not* the same as calling [`Xoshiro::next_f64`] `n` times when `n >= 8`.
    pub fn fill_f64(&mut self, out: &mut [f64]) {
        self.bulk(out, |x| (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64));
    }

    /// `rand!(rng, A::Array{Int64})` / `rand(rng, Int, n)` (same bulk scheme as
    /// [`Xoshiro::fill_f64`], raw 64-bit outputs).
    pub fn fill_i64(&mut self, out: &mut [i64]) {
        self.bulk(out, |x| x as i64);
    }

    /// `rand!(rng, A::Array{Bool})` / `rand(rng, Bool, n)`: Julia's bulk `Bool` scheme, one
    /// bit per byte of each 64-bit output (8-lane path from 640 elements on).
    pub fn fill_bool(&mut self, out: &mut [bool]) {
        const MSK: u64 = 0x0101010101010101;
        fn put(out: &mut [bool], at: usize, word: u64, n: usize) {
            for (k, b) in word.to_le_bytes().iter().take(n).enumerate() {
                out[at + k] = *b != 0;
            }
        }
        let len = out.len();
        let mut i = 0;
        if len >= 640 {
            let mut lanes = self.fork_lanes();
            while i + 512 <= len {
                let r = Self::lanes_next(&mut lanes);
                for k in 0..8 {
                    for (j, rj) in r.iter().enumerate() {
                        put(out, i + k * 64 + j * 8, (rj >> k) & MSK, 8);
                    }
                }
                i += 512;
            }
        }
        while i + 8 <= len {
            let r = self.next_u64();
            let mut shift = 0;
            while i + 8 <= len && shift < 8 {
                put(out, i, (r >> shift) & MSK, 8);
                i += 8;
                shift += 1;
            }
        }
        if i < len {
            let r = self.next_u64();
            put(out, i, r & MSK, len - i);
        }
    }

    /// `randcycle(rng, n)`: a uniformly random cyclic permutation of `1:n` (Sattolo).
    pub fn randcycle(&mut self, n: usize) -> Vec<i64> {
        let mut a = vec![0i64; n];
        if n == 0 {
            return a;
        }
        a[0] = 1;
        let mut mask: u64 = 3;
        for i in 2..=n {
            let j = 1 + self.below_masked(i as u64 - 1, mask) as usize;
            a[i - 1] = a[j - 1];
            a[j - 1] = i as i64;
            if i as u64 == 1 + mask {
                mask = 2 * mask + 1;
            }
        }
        a
    }

    /// `randn(rng)`: standard normal by Julia's ziggurat (`normal.jl`).
    ///
    /// The rare slow paths use `f64::ln`/`f64::exp` (the platform libm) where Julia uses its
    /// own `log`/`exp`; both are faithfully rounded, so results can only differ when the two
    /// disagree in the last bit inside the ~1% of draws that take those paths.
    pub fn randn(&mut self) -> f64 {
        // Julia: `3.6541528853610087963519472518` (same double).
        const ZIGGURAT_NOR_R: f64 = 3.654_152_885_361_009;
        loop {
            let r = self.next_u64() >> 12;
            let rabs = (r >> 1) as i64;
            let idx = (rabs & 0xff) as usize;
            let x = (if r & 1 == 1 { -rabs } else { rabs }) as f64 * WI[idx];
            if (rabs as u64) < KI[idx] {
                return x;
            }
            if idx == 0 {
                let inv_r = 1.0 / ZIGGURAT_NOR_R;
                loop {
                    let xx = -inv_r * self.next_f64().ln();
                    let yy = -self.next_f64().ln();
                    if yy + yy > xx * xx {
                        return if (rabs >> 8) & 1 == 1 { -ZIGGURAT_NOR_R - xx } else { ZIGGURAT_NOR_R + xx };
                    }
                }
            } else if (FI[idx - 1] - FI[idx]) * self.next_f64() + FI[idx] < (-0.5 * x * x).exp() {
                return x;
            }
            // otherwise Julia recurses into randn(rng): loop
        }
    }

    /// Julia's `jl_rng_split`: the RNG a new task gets from its parent (`self`).
    ///
    /// Advances only the parent's fifth (LCG) word; the parent's `rand()` stream is unchanged.
    pub fn split(&mut self) -> Xoshiro {
        let x = self.split_word();
        Xoshiro::split_child(&self.s, x)
    }

    /// The first half of [`Xoshiro::split`]: advance the fifth word and return its old value.
    /// The child is `Xoshiro::split_child(parent's four words, that value)`; the four words
    /// do not change here, so a child can be made later from a copy of them (a task that
    /// never draws needs no state of its own).
    pub fn split_word(&mut self) -> u64 {
        let x = self.s4;
        self.s4 = x.wrapping_mul(0xd1342543de82ef95).wrapping_add(1);
        x
    }

    /// The parent's four xoshiro words (what [`Xoshiro::split_child`] reads).
    pub fn words(&self) -> [u64; 4] {
        self.s
    }

    /// The child of a parent with words `s` whose fifth word was `x` at the split.
    pub fn split_child(s: &[u64; 4], x: u64) -> Xoshiro {
        const A: [u64; 4] = [0x214c146c88e47cb7, 0xa66d8cc21285aafa, 0x68c7ef2d7b1a54d4, 0xb053a7d7aa238c61];
        const M: [u64; 4] = [0xaef17502108ef2d9, 0xf34026eeb86766af, 0x38fd70ad58dd9fbb, 0x6677f9b93ab0c04d];
        let next = x.wrapping_mul(0xd1342543de82ef95).wrapping_add(1);
        let mut child = [0u64; 4];
        for i in 0..4 {
            let mut c = s[i];
            let w = x ^ A[i];
            c = c.wrapping_add(w.wrapping_mul(c.wrapping_mul(2).wrapping_add(1)));
            c ^= c >> ((c >> 59) + 5);
            c = c.wrapping_mul(M[i]);
            c ^= c >> 43;
            child[i] = c;
        }
        Xoshiro { s: child, s4: next }
    }
}

/// A generator seeded from OS entropy, for programs that never call `Random.seed!`
/// (Julia seeds its root task from `RandomDevice`). Reads `/dev/urandom` when available,
/// else hashes the clock, the process id and a stack address.
pub fn default_seed_from_entropy() -> Xoshiro {
    let mut bytes = [0u8; 32];
    let from_os = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .is_ok();
    if !from_os {
        let mut ctx = Sha256::new();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        ctx.update(&now.to_le_bytes());
        ctx.update(&std::process::id().to_le_bytes());
        let local = 0u8;
        ctx.update(&(std::ptr::addr_of!(local) as usize).to_le_bytes());
        bytes = ctx.finish();
    }
    let mut s = [0u64; 4];
    for (i, w) in s.iter_mut().enumerate() {
        *w = u64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().expect("8 bytes"));
    }
    if s == [0; 4] {
        s[0] = 1; // the all-zero state is a fixed point of xoshiro
    }
    Xoshiro::from_words(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ziggurat_r_is_julias_literal() {
        let julia: f64 = "3.6541528853610087963519472518".parse().unwrap();
        assert_eq!(julia, 3.654_152_885_361_009);
    }

    #[test]
    fn seeding_words_and_split_word() {
        let r = Xoshiro::seeded(42);
        let (s, s4) = r.state();
        let d = hash_seed(42);
        assert_eq!(s[0], u64::from_le_bytes(d[..8].try_into().unwrap()));
        assert_eq!(
            s4,
            s[0].wrapping_add(s[1].wrapping_mul(3))
                .wrapping_add(s[2].wrapping_mul(5))
                .wrapping_add(s[3].wrapping_mul(7))
        );
        // 1.11 negative seeds: hash of ~n plus a 0x01 marker, distinct from every n >= 0.
        assert_ne!(hash_seed(-1), hash_seed(0));
        let mut ctx = Sha256::new();
        ctx.update(&0u32.to_le_bytes());
        ctx.update(&[1]);
        assert_eq!(hash_seed(-1), ctx.finish());
        // Seeds wider than 32 bits hash all their 32-bit words, low word first.
        let mut ctx = Sha256::new();
        ctx.update(&[0, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(hash_seed(1 << 32), ctx.finish());
        assert_eq!(Xoshiro::seeded(7), Xoshiro::seeded_i128(7));
        let mut a = Xoshiro::seeded(1);
        a.next_u64();
        a.reseed(1);
        assert_eq!(a, Xoshiro::seeded(1));
    }

    /// A child made later from a copy of the parent's words (a task's lazy
    /// stream) is the child `split` makes, and the parent goes on the same.
    #[test]
    fn deferred_split_equals_split() {
        let mut p1 = Xoshiro::seeded(9);
        let mut p2 = Xoshiro::seeded(9);
        let words = p2.words();
        for _ in 0..3 {
            let c1 = p1.split();
            let x = p2.split_word();
            assert_eq!(c1, Xoshiro::split_child(&words, x));
        }
        assert_eq!(p1, p2);
        assert_eq!(p1.next_u64(), p2.next_u64());
    }

    #[test]
    fn split_is_deterministic_and_leaves_main_stream() {
        let mut p1 = Xoshiro::seeded(5);
        let mut p2 = Xoshiro::seeded(5);
        let c1 = p1.split();
        let c2 = p2.split();
        assert_eq!(c1, c2);
        assert_eq!(p1.state().0, Xoshiro::seeded(5).state().0);
        assert_ne!(p1.state().1, Xoshiro::seeded(5).state().1);
        let second = p1.split();
        assert_ne!(second, c1);
        let mut q = Xoshiro::seeded(5);
        let mut p = Xoshiro::seeded(5);
        p.split();
        assert_eq!(p.next_u64(), q.next_u64());
    }

    #[test]
    fn ranges() {
        let mut r = Xoshiro::seeded(9);
        for _ in 0..10_000 {
            let v = r.range_i64(-3, 4);
            assert!((-3..=4).contains(&v));
        }
        assert_eq!(r.range_i64(7, 7), 7);
        // full Int64 range: s == 0, the raw draw offset by `first` (wrapping, as in Julia)
        let mut a = Xoshiro::seeded(9);
        let mut b = Xoshiro::seeded(9);
        assert_eq!(a.range_i64(i64::MIN, i64::MAX), (b.next_u64() as i64).wrapping_add(i64::MIN));
        // roughly uniform
        let mut counts = [0usize; 6];
        for _ in 0..60_000 {
            counts[r.index(6)] += 1;
        }
        assert!(counts.iter().all(|&c| (9_000..11_000).contains(&c)), "{counts:?}");
    }

    #[test]
    fn bulk_fill_matches_scalar_below_eight() {
        let mut a = Xoshiro::seeded(11);
        let mut b = Xoshiro::seeded(11);
        let mut v = [0.0; 7];
        a.fill_f64(&mut v);
        for x in v {
            assert_eq!(x, b.next_f64());
        }
        assert_eq!(a, b);
        // From eight elements on, Julia forks eight lanes (32 parent draws).
        let mut a = Xoshiro::seeded(11);
        let mut b = Xoshiro::seeded(11);
        let mut v = [0.0; 9];
        a.fill_f64(&mut v);
        for _ in 0..32 {
            b.next_u64();
        }
        assert_eq!(v[8], b.next_f64());
        assert_eq!(a, b);
        assert!(v.iter().all(|x| (0.0..1.0).contains(x)));
        let mut ints = [0i64; 3];
        let mut c = Xoshiro::seeded(11);
        c.fill_i64(&mut ints);
        assert_eq!(ints[0], Xoshiro::seeded(11).next_i64());
        let mut bools = [false; 700];
        c.fill_bool(&mut bools);
        let ones = bools.iter().filter(|&&x| x).count();
        assert!((250..450).contains(&ones));
    }

    #[test]
    fn bulk_fill_is_eight_forked_generators() {
        // Reference: the eight lanes as separate scalar generators, interleaved.
        let mut parent = Xoshiro::seeded(5);
        let mut words = [[0u64; 8]; 4];
        let c = [0x02011ce34bce797f_u64, 0x5a94851fb48a6e05, 0x3688cf5d48899fa7, 0x867b4bb4c42e5661];
        for (w, c) in words.iter_mut().zip(c) {
            for lane in w.iter_mut() {
                *lane = c.wrapping_mul(parent.next_u64());
            }
        }
        let mut lanes: Vec<Xoshiro> = (0..8)
            .map(|j| Xoshiro::from_words([words[0][j], words[1][j], words[2][j], words[3][j]]))
            .collect();
        let mut want = vec![0.0; 8 * 40 + 5];
        for i in 0..40 {
            for (j, g) in lanes.iter_mut().enumerate() {
                want[8 * i + j] = g.next_f64();
            }
        }
        for w in &mut want[320..] {
            *w = parent.next_f64();
        }
        let mut rng = Xoshiro::seeded(5);
        let mut got = vec![0.0; want.len()];
        rng.fill_f64(&mut got);
        assert_eq!(got, want);
        assert_eq!(rng.state().0, parent.state().0);
    }

    #[test]
    fn normal_moments() {
        let mut r = Xoshiro::seeded(2024);
        let n = 200_000;
        let (mut s1, mut s2) = (0.0, 0.0);
        for _ in 0..n {
            let x = r.randn();
            s1 += x;
            s2 += x * x;
        }
        let mean = s1 / n as f64;
        let var = s2 / n as f64 - mean * mean;
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((var - 1.0).abs() < 0.02, "{var}");
    }

    #[test]
    fn entropy_seeds_differ() {
        assert_ne!(default_seed_from_entropy(), default_seed_from_entropy());
    }
}
