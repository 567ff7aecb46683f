//! The Mersenne Twister (MT19937) streams behind `np.random`'s legacy functions and Python's
//! `random` module in compiled code, one state per stream per thread, as in Numba.
//!
//! Only the generator's core is here: seeding (NumPy's and CPython's), 32-bit words, the
//! 53-bit double both libraries make from two words, masked rejection sampling of integers in
//! `[0, max]` (NumPy's `random_interval` and its legacy bounded integers), CPython's
//! `getrandbits`, and the slot that keeps the second value of a pair of normal deviates. The
//! distributions are written in Python on top of these (`ferrojit/_lib/random.py`).
//!
//! A stream of a thread is seeded from the operating system's entropy when that thread first
//! draws from it without having seeded it.

use std::cell::RefCell;

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// The streams: `np.random`'s (NumPy's global `RandomState`) and Python's `random` module's.
pub const STREAM_NUMPY: i64 = 0;
pub const STREAM_PYTHON: i64 = 1;
const STREAMS: usize = 2;

/// One MT19937 state, with the normal deviate kept for the next call (NumPy's `has_gauss` /
/// `gauss`, CPython's `gauss_next`; NaN when there is none: a deviate is never NaN).
struct Mt19937 {
    key: [u32; N],
    /// The index in `key` of the next word to temper: at most `N`, which means all are used.
    pos: usize,
    kept_gauss: f64,
}

impl Mt19937 {
    fn new() -> Self {
        Mt19937 { key: [0; N], pos: N, kept_gauss: f64::NAN }
    }

    /// The reference implementation's `init_genrand`.
    fn init_genrand(&mut self, seed: u32) {
        self.key[0] = seed;
        for i in 1..N {
            let prev = self.key[i - 1];
            self.key[i] = 1_812_433_253u32.wrapping_mul(prev ^ (prev >> 30)).wrapping_add(i as u32);
        }
        self.pos = N;
        self.kept_gauss = f64::NAN;
    }

    /// The reference implementation's `init_by_array`, as NumPy and CPython have it.
    fn init_by_array(&mut self, init_key: &[u32]) {
        self.init_genrand(19_650_218);
        let key_length = init_key.len().max(1);
        let word = |j: usize| init_key.get(j).copied().unwrap_or(0);
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key_length) {
            let prev = self.key[i - 1];
            self.key[i] = (self.key[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525)).wrapping_add(word(j)).wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                self.key[0] = self.key[N - 1];
                i = 1;
            }
            if j >= key_length {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = self.key[i - 1];
            self.key[i] = (self.key[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                self.key[0] = self.key[N - 1];
                i = 1;
            }
        }
        self.key[0] = 0x8000_0000;
        self.pos = N;
        self.kept_gauss = f64::NAN;
    }

    /// The next 624 words of state (the reference's loops, split where the indices wrap). Kept
    /// out of line: `next_u32` is inlined into the fills' loops, and this runs once per 624.
    #[inline(never)]
    fn generate(&mut self) {
        let twist = |upper: u32, lower: u32, far: u32| {
            let y = (upper & UPPER_MASK) | (lower & LOWER_MASK);
            far ^ (y >> 1) ^ (0u32.wrapping_sub(y & 1) & MATRIX_A)
        };
        let key = &mut self.key;
        for i in 0..N - M {
            key[i] = twist(key[i], key[i + 1], key[i + M]);
        }
        for i in N - M..N - 1 {
            key[i] = twist(key[i], key[i + 1], key[i + M - N]);
        }
        key[N - 1] = twist(key[N - 1], key[0], key[M - 1]);
        self.pos = 0;
    }

    #[inline(always)]
    fn next_u32(&mut self) -> u32 {
        if self.pos == N {
            self.generate();
        }
        // SAFETY: `pos` is at most `N` and was just brought below it.
        let mut y = unsafe { *self.key.get_unchecked(self.pos) };
        self.pos += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn next_u64(&mut self) -> u64 {
        let high = self.next_u32() as u64;
        (high << 32) | self.next_u32() as u64
    }

    /// A double in [0, 1) with 53 random bits, as NumPy's `next_double` and CPython's
    /// `random()` make it.
    fn next_double(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// NumPy's legacy normal deviate (`legacy_gauss`): the polar method, whose second value is
    /// kept for the next call.
    fn gauss(&mut self) -> f64 {
        if !self.kept_gauss.is_nan() {
            return std::mem::replace(&mut self.kept_gauss, f64::NAN);
        }
        loop {
            let x1 = 2.0 * self.next_double() - 1.0;
            let x2 = 2.0 * self.next_double() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                let f = (-2.0 * r2.ln() / r2).sqrt();
                self.kept_gauss = f * x1;
                return f * x2;
            }
        }
    }

    /// A value in `[0, max]`: the smallest bit mask covering `max` applied to 32-bit words
    /// (64-bit ones when `max` needs them) until one is not above `max` (NumPy's
    /// `random_interval`, and its legacy bounded integers with `use_masked`).
    fn masked_interval(&mut self, max: u64) -> u64 {
        masked_interval(self, max)
    }

    /// CPython's `getrandbits(k)` for `k` in 0..=64: 32-bit words from the least significant,
    /// the last one shifted right to the bits still wanted.
    fn getrandbits(&mut self, k: u32) -> u64 {
        if k == 0 {
            return 0;
        }
        if k <= 32 {
            return (self.next_u32() >> (32 - k)) as u64;
        }
        let low = self.next_u32() as u64;
        let high = (self.next_u32() >> (64 - k)) as u64;
        (high << 32) | low
    }
}

/// The distributions `draw` makes (the numbers are those of `ferrojit/_lib/random.py`'s
/// `_KIND_*`): each a bit generator's standard deviate, or NumPy's formula on it with the
/// parameters `a` and `b`, for the legacy functions and Generators alike.
pub(crate) const KIND_RANDOM: i64 = 0;
pub(crate) const KIND_STANDARD_NORMAL: i64 = 1;
pub(crate) const KIND_STANDARD_EXPONENTIAL: i64 = 2;
/// `a + b * random()`: `uniform(low=a)` with the width `b = high - low`.
pub(crate) const KIND_UNIFORM: i64 = 3;
/// `a + b * standard_normal()`: `normal(loc=a, scale=b)`.
pub(crate) const KIND_NORMAL: i64 = 4;
/// `a * standard_exponential()`: `exponential(scale=a)`.
pub(crate) const KIND_EXPONENTIAL: i64 = 5;

/// A bit generator: its 32- and 64-bit words, and its standard deviates as NumPy makes them
/// from it.
pub(crate) trait Deviates {
    fn word32(&mut self) -> u32;
    fn word64(&mut self) -> u64;
    fn double(&mut self) -> f64;
    fn standard_normal(&mut self) -> f64;
    fn standard_exponential(&mut self) -> f64;
}

impl Deviates for Mt19937 {
    fn word32(&mut self) -> u32 {
        self.next_u32()
    }

    fn word64(&mut self) -> u64 {
        self.next_u64()
    }

    fn double(&mut self) -> f64 {
        self.next_double()
    }

    fn standard_normal(&mut self) -> f64 {
        self.gauss()
    }

    /// `legacy_standard_exponential`.
    fn standard_exponential(&mut self) -> f64 {
        -(1.0 - self.next_double()).ln()
    }
}

/// One value of the distribution `kind` (see `KIND_RANDOM`...). The expressions are NumPy's,
/// evaluated in the same order (no fused multiply-add), so the values are bit for bit its own.
#[inline(always)]
pub(crate) fn draw<G: Deviates>(g: &mut G, kind: i64, a: f64, b: f64) -> f64 {
    match kind {
        KIND_STANDARD_NORMAL => g.standard_normal(),
        KIND_STANDARD_EXPONENTIAL => g.standard_exponential(),
        KIND_UNIFORM => a + b * g.double(),
        KIND_NORMAL => a + b * g.standard_normal(),
        KIND_EXPONENTIAL => a * g.standard_exponential(),
        KIND_RANDOM => g.double(),
        // No kind the library passes: a double as well, rather than a panic across the C boundary.
        _ => g.double(),
    }
}

/// Fills `out` with the values of as many `draw(g, kind, a, b)`, in order. The loop is
/// compiled once per distribution, so that the generator's state stays in registers through
/// it rather than being read and written for every value.
pub(crate) fn fill<G: Deviates>(g: &mut G, kind: i64, a: f64, b: f64, out: &mut [f64]) {
    fn each<const KIND: i64, G: Deviates>(g: &mut G, a: f64, b: f64, out: &mut [f64]) {
        out.iter_mut().for_each(|x| *x = draw(g, KIND, a, b));
    }
    match kind {
        KIND_STANDARD_NORMAL => each::<KIND_STANDARD_NORMAL, G>(g, a, b, out),
        KIND_STANDARD_EXPONENTIAL => each::<KIND_STANDARD_EXPONENTIAL, G>(g, a, b, out),
        KIND_UNIFORM => each::<KIND_UNIFORM, G>(g, a, b, out),
        KIND_NORMAL => each::<KIND_NORMAL, G>(g, a, b, out),
        KIND_EXPONENTIAL => each::<KIND_EXPONENTIAL, G>(g, a, b, out),
        _ => each::<KIND_RANDOM, G>(g, a, b, out),
    }
}

/// NumPy's `random_interval` on any bit generator `g`: a value in `[0, max]`, the smallest bit
/// mask covering `max` applied to its 32-bit words (64-bit ones when `max` needs them) until one
/// is not above `max`.
#[inline(always)]
pub(crate) fn masked_interval<G: Deviates>(g: &mut G, max: u64) -> u64 {
    if max == 0 {
        return 0;
    }
    let mask = u64::MAX >> max.leading_zeros();
    loop {
        let value = if max <= u32::MAX as u64 { g.word32() as u64 & mask } else { g.word64() & mask };
        if value <= max {
            return value;
        }
    }
}

thread_local! {
    static STATES: RefCell<[Option<Box<Mt19937>>; STREAMS]> = const { RefCell::new([None, None]) };
}

/// Words of entropy from the operating system (the clock and the thread's address mixed in,
/// should `/dev/urandom` be unreadable).
pub(crate) fn entropy_words() -> [u32; 8] {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if read.is_err() {
        use std::hash::{BuildHasher, Hasher};
        for chunk in bytes.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
            h.write_usize(&h as *const _ as usize);
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    std::array::from_fn(|i| u32::from_le_bytes([bytes[4 * i], bytes[4 * i + 1], bytes[4 * i + 2], bytes[4 * i + 3]]))
}

/// Runs `f` on this thread's slot of `stream` (None until the thread first uses it).
fn with_slot<R>(stream: i64, f: impl FnOnce(&mut Option<Box<Mt19937>>) -> R) -> R {
    STATES.with(|states| f(&mut states.borrow_mut()[(stream as usize).min(STREAMS - 1)]))
}

/// Runs `f` on this thread's state of `stream`, seeded from entropy first if it never was.
fn with_state<R>(stream: i64, f: impl FnOnce(&mut Mt19937) -> R) -> R {
    with_slot(stream, |slot| {
        f(slot.get_or_insert_with(|| {
            let mut state = Box::new(Mt19937::new());
            state.init_by_array(&entropy_words());
            state
        }))
    })
}

/// Runs `f`, which seeds it, on this thread's state of `stream`.
fn seed_state(stream: i64, f: impl FnOnce(&mut Mt19937)) {
    with_slot(stream, |slot| f(slot.get_or_insert_with(|| Box::new(Mt19937::new()))))
}

/// `np.random.seed(seed)` with an integer in [0, 2**32) (the caller checks it): NumPy's
/// `mt19937_seed`, the reference `init_genrand`. Returns 0.
#[no_mangle]
pub extern "C" fn ferrojit_rt_random_seed_numpy(stream: i64, seed: i64) -> i64 {
    seed_state(stream, |s| s.init_genrand(seed as u32));
    0
}

/// `random.seed(seed)` with an integer: CPython's `init_by_array` of the 32-bit words of
/// `abs(seed)`, least significant first (one word 0 for 0). Returns 0.
#[no_mangle]
pub extern "C" fn ferrojit_rt_random_seed_python(stream: i64, seed: i64) -> i64 {
    let magnitude = seed.unsigned_abs();
    let words: Vec<u32> = if magnitude >> 32 != 0 { vec![magnitude as u32, (magnitude >> 32) as u32] } else { vec![magnitude as u32] };
    seed_state(stream, |s| s.init_by_array(&words));
    0
}

/// `seed()` / `seed(None)`: fresh entropy from the operating system. Returns 0.
#[no_mangle]
pub extern "C" fn ferrojit_rt_random_seed_entropy(stream: i64) -> i64 {
    seed_state(stream, |s| s.init_by_array(&entropy_words()));
    0
}

/// The next double in [0, 1) of `stream` (two words).
#[no_mangle]
pub extern "C" fn ferrojit_rt_random_next_double(stream: i64) -> f64 {
    with_state(stream, |s| s.next_double())
}

/// One value of the distribution `kind` of `stream` (see `KIND_RANDOM`; `a` and `b` are its
/// parameters).
#[no_mangle]
pub extern "C" fn ferrojit_rt_random_draw(stream: i64, kind: i64, a: f64, b: f64) -> f64 {
    with_state(stream, |s| draw(s, kind, a, b))
}

/// Fills `data[..n]` with the next `n` values of the distribution `kind` of `stream`, in order:
/// the values of `n` calls of [`ferrojit_rt_random_draw`], in one call for a whole array.
/// Returns 0.
///
/// # Safety
/// `data` is the address of `n` writable, contiguous doubles.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_random_fill(stream: i64, kind: i64, a: f64, b: f64, data: i64, n: i64) -> i64 {
    if n <= 0 {
        return 0;
    }
    // SAFETY: the caller passes a contiguous array of `n` doubles it owns.
    let out = unsafe { std::slice::from_raw_parts_mut(data as *mut f64, n as usize) };
    with_state(stream, |s| fill(s, kind, a, b, out));
    0
}

/// Fills the `count` elements of `bits` bits (64 or 32) at `out` with `off + v`, `v` in
/// `[0, rng]` by masked rejection sampling (NumPy's legacy bounded integers), wrapped to the
/// element's width: `count` calls of [`ferrojit_rt_random_masked_interval`] in one. Returns 0.
///
/// # Safety
/// `out` is the address of `count` writable, contiguous elements of `bits` bits.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_random_bounded_fill(stream: i64, off: i64, rng: i64, count: i64, bits: i64, out: i64) -> i64 {
    // SAFETY: as the caller promises.
    with_state(stream, |s| unsafe { crate::pcg64::store_each(out, count, bits, || (off as u64).wrapping_add(masked_interval(s, rng as u64))) });
    0
}

/// A value in `[0, max]` (`max` read as unsigned 64 bits; so is the result) by masked
/// rejection sampling.
#[no_mangle]
pub extern "C" fn ferrojit_rt_random_masked_interval(stream: i64, max: i64) -> i64 {
    with_state(stream, |s| s.masked_interval(max as u64) as i64)
}

/// CPython's `getrandbits(k)`, `k` in 0..=64 (the caller checks it); the result's bits as
/// unsigned 64 bits.
#[no_mangle]
pub extern "C" fn ferrojit_rt_random_getrandbits(stream: i64, k: i64) -> i64 {
    with_state(stream, |s| s.getrandbits(k.clamp(0, 64) as u32) as i64)
}

/// Takes the normal deviate kept by the last pair drawn (NaN when none is kept).
#[no_mangle]
pub extern "C" fn ferrojit_rt_random_take_gauss(stream: i64) -> f64 {
    with_state(stream, |s| std::mem::replace(&mut s.kept_gauss, f64::NAN))
}

/// Keeps `value`, the second normal deviate of a pair, for the next call. Returns 0.
#[no_mangle]
pub extern "C" fn ferrojit_rt_random_keep_gauss(stream: i64, value: f64) -> i64 {
    with_state(stream, |s| s.kept_gauss = value);
    0
}

/// `x ** y` by the C library's `pow`, as NumPy's distributions compute it. Written in generated
/// code, a power whose exponent becomes a constant (`np.random.gamma(0.5)`: `u ** (1 / 0.5)`)
/// would be rewritten by LLVM (`pow(u, 2.0)` as `u * u`), which rounds differently from `pow`
/// in the last bit.
#[no_mangle]
pub extern "C" fn ferrojit_rt_random_pow(x: f64, y: f64) -> f64 {
    x.powf(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_outputs_of_init_by_array() {
        // The first outputs of mt19937ar.c's own test (init_by_array of 0x123, 0x234, 0x345, 0x456).
        let mut s = Mt19937::new();
        s.init_by_array(&[0x123, 0x234, 0x345, 0x456]);
        let first: Vec<u32> = (0..5).map(|_| s.next_u32()).collect();
        assert_eq!(first, [1_067_595_299, 955_945_823, 477_289_528, 4_107_218_783, 4_228_976_476]);
    }

    #[test]
    fn masked_interval_stays_in_range() {
        let mut s = Mt19937::new();
        s.init_genrand(5);
        for max in [0u64, 1, 2, 7, 1000, u32::MAX as u64, 1 << 40, u64::MAX] {
            for _ in 0..50 {
                assert!(s.masked_interval(max) <= max);
            }
        }
    }
}
