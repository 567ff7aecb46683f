//! The PCG64 bit generator behind `np.random.default_rng` Generators in compiled code.
//!
//! A Generator's state is not kept here: it lives in a small uint64 array that compiled code
//! owns (reference-counted like any array, so it is freed with its last reference and never
//! leaks), and every function below takes the address of that array's data as `state`. Its
//! words, in order (`STATE_WORDS` of them, see `ferrojit/_lib/generator.py`):
//!
//! | word | meaning |
//! | --- | --- |
//! | 0, 1 | the 128-bit LCG state, low then high 64 bits |
//! | 2, 3 | the 128-bit increment, low then high |
//! | 4 | `has_uint32`: 1 when word 5 holds the upper half of the last 64-bit output |
//! | 5 | `uinteger`: that kept 32-bit half |
//!
//! These are the fields of NumPy's `pcg64_state` (and of `bit_generator.state`), so a
//! Generator passed in from Python continues its stream here and the other way round.
//!
//! What is here: SeedSequence's seeding of PCG64 (`numpy/random/bit_generator.pyx` and
//! `src/pcg64/pcg64.h`), the 64- and 32-bit outputs, the double and float NumPy makes of them,
//! the ziggurat normal and exponential deviates (`distributions.c`, tables from
//! `ziggurat_constants.h`), Lemire's bounded integers with NumPy's 32-bit buffer for the types
//! narrower than 32 bits, and `random_interval`. These loop on unsigned 64- and 128-bit words
//! and on C tables, which is why they are Rust; the distributions built on them are Python
//! (`ferrojit/_lib/generator.py`).

use crate::random::{draw, fill, Deviates, KIND_STANDARD_EXPONENTIAL, KIND_STANDARD_NORMAL};
use crate::ziggurat_tables::*;

/// Words of a Generator's state array.
pub const STATE_WORDS: usize = 6;

const MULTIPLIER: u128 = (2_549_297_995_355_413_924u128 << 64) | 4_865_540_595_714_422_341u128;

/// A copy of a state array's words, written back to the array when dropped: the generator
/// steps in registers through a whole fill rather than through memory the compiler must
/// assume the output may alias.
struct Pcg64 {
    words: [u64; STATE_WORDS],
    array: *mut [u64; STATE_WORDS],
}

impl Drop for Pcg64 {
    fn drop(&mut self) {
        // SAFETY: `array` is the live state array `at` read (see there).
        unsafe { *self.array = self.words };
    }
}

impl Pcg64 {
    /// # Safety
    /// `state` is the data address of a live, aligned array of at least `STATE_WORDS` uint64
    /// (the library checks the array's size before calling), which nothing else uses until the
    /// returned value is dropped.
    unsafe fn at(state: i64) -> Pcg64 {
        let array = state as usize as *mut [u64; STATE_WORDS];
        Pcg64 { words: *array, array }
    }

    fn lcg_state(&self) -> u128 {
        (self.words[1] as u128) << 64 | self.words[0] as u128
    }

    fn set_lcg_state(&mut self, value: u128) {
        self.words[0] = value as u64;
        self.words[1] = (value >> 64) as u64;
    }

    fn increment(&self) -> u128 {
        (self.words[3] as u128) << 64 | self.words[2] as u128
    }

    fn step(&mut self) {
        let next = self.lcg_state().wrapping_mul(MULTIPLIER).wrapping_add(self.increment());
        self.set_lcg_state(next);
    }

    /// `pcg_setseq_128_srandom_r`, and NumPy's reset of the kept 32-bit half.
    fn seed(&mut self, initstate: u128, initseq: u128) {
        self.set_lcg_state(0);
        let increment = initseq << 1 | 1;
        self.words[2] = increment as u64;
        self.words[3] = (increment >> 64) as u64;
        self.step();
        let state = self.lcg_state().wrapping_add(initstate);
        self.set_lcg_state(state);
        self.step();
        self.words[4] = 0;
        self.words[5] = 0;
    }

    /// `pcg64_next64`: step, then the XSL-RR output of the new state.
    fn next_u64(&mut self) -> u64 {
        self.step();
        let state = self.lcg_state();
        let high = (state >> 64) as u64;
        (high ^ state as u64).rotate_right((high >> 58) as u32)
    }

    /// `pcg64_next32`: the low half of a 64-bit output, its high half kept for the next call.
    fn next_u32(&mut self) -> u32 {
        if self.words[4] != 0 {
            self.words[4] = 0;
            return self.words[5] as u32;
        }
        let next = self.next_u64();
        self.words[4] = 1;
        self.words[5] = next >> 32;
        next as u32
    }

    fn next_double(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    fn next_float(&mut self) -> f32 {
        (self.next_u32() >> 8) as f32 * (1.0 / 16_777_216.0)
    }

    /// `random_standard_normal`.
    fn standard_normal(&mut self) -> f64 {
        loop {
            let mut r = self.next_u64();
            let idx = (r & 0xff) as usize;
            r >>= 8;
            let sign = r & 1;
            let rabs = (r >> 1) & 0x000f_ffff_ffff_ffff;
            let mut x = rabs as f64 * WI_DOUBLE[idx];
            if sign == 1 {
                x = -x;
            }
            if rabs < KI_DOUBLE[idx] {
                return x;
            }
            if idx == 0 {
                loop {
                    let xx = -ZIGGURAT_NOR_INV_R * (-self.next_double()).ln_1p();
                    let yy = -(-self.next_double()).ln_1p();
                    if yy + yy > xx * xx {
                        return if (rabs >> 8) & 1 == 1 { -(ZIGGURAT_NOR_R + xx) } else { ZIGGURAT_NOR_R + xx };
                    }
                }
            } else if (FI_DOUBLE[idx - 1] - FI_DOUBLE[idx]) * self.next_double() + FI_DOUBLE[idx] < (-0.5 * x * x).exp() {
                return x;
            }
        }
    }

    /// `random_standard_normal_f` (its acceptance test compares in double, as C promotes it).
    fn standard_normal_f(&mut self) -> f32 {
        loop {
            let r = self.next_u32();
            let idx = (r & 0xff) as usize;
            let sign = (r >> 8) & 1;
            let rabs = (r >> 9) & 0x0007_fffff;
            let mut x = rabs as f32 * WI_FLOAT[idx];
            if sign == 1 {
                x = -x;
            }
            if rabs < KI_FLOAT[idx] {
                return x;
            }
            if idx == 0 {
                loop {
                    let xx = -ZIGGURAT_NOR_INV_R_F * (-self.next_float()).ln_1p();
                    let yy = -(-self.next_float()).ln_1p();
                    if yy + yy > xx * xx {
                        return if (rabs >> 8) & 1 == 1 { -(ZIGGURAT_NOR_R_F + xx) } else { ZIGGURAT_NOR_R_F + xx };
                    }
                }
            } else if (((FI_FLOAT[idx - 1] - FI_FLOAT[idx]) * self.next_float() + FI_FLOAT[idx]) as f64) < (-0.5 * x as f64 * x as f64).exp() {
                return x;
            }
        }
    }

    /// `random_standard_exponential`.
    fn standard_exponential(&mut self) -> f64 {
        loop {
            let mut ri = self.next_u64() >> 3;
            let idx = (ri & 0xff) as usize;
            ri >>= 8;
            let x = ri as f64 * WE_DOUBLE[idx];
            if ri < KE_DOUBLE[idx] {
                return x;
            }
            if idx == 0 {
                return ZIGGURAT_EXP_R - (-self.next_double()).ln_1p();
            }
            if (FE_DOUBLE[idx - 1] - FE_DOUBLE[idx]) * self.next_double() + FE_DOUBLE[idx] < (-x).exp() {
                return x;
            }
            // NumPy draws again from the start (by recursion).
        }
    }

    /// `random_standard_exponential_f` (`expf` for the acceptance test).
    fn standard_exponential_f(&mut self) -> f32 {
        loop {
            let mut ri = self.next_u32() >> 1;
            let idx = (ri & 0xff) as usize;
            ri >>= 8;
            let x = ri as f32 * WE_FLOAT[idx];
            if ri < KE_FLOAT[idx] {
                return x;
            }
            if idx == 0 {
                return ZIGGURAT_EXP_R_F - (-self.next_float()).ln_1p();
            }
            if (FE_FLOAT[idx - 1] - FE_FLOAT[idx]) * self.next_float() + FE_FLOAT[idx] < (-x).exp() {
                return x;
            }
        }
    }

    /// `random_interval`, as NumPy's Generator shuffles with it.
    fn interval(&mut self, max: u64) -> u64 {
        crate::random::masked_interval(self, max)
    }

    /// `bounded_lemire_uint64` for `rng` below `u64::MAX`.
    fn lemire_u64(&mut self, rng: u64) -> u64 {
        let excl = rng + 1;
        let mut m = self.next_u64() as u128 * excl as u128;
        let mut leftover = m as u64;
        if leftover < excl {
            let threshold = (u64::MAX - rng) % excl;
            while leftover < threshold {
                m = self.next_u64() as u128 * excl as u128;
                leftover = m as u64;
            }
        }
        (m >> 64) as u64
    }

    /// `buffered_bounded_lemire_uint32` for `rng` below `u32::MAX`.
    fn lemire_u32(&mut self, rng: u32) -> u32 {
        let excl = rng + 1;
        let mut m = self.next_u32() as u64 * excl as u64;
        let mut leftover = m as u32;
        if leftover < excl {
            let threshold = (u32::MAX - rng) % excl;
            while leftover < threshold {
                m = self.next_u32() as u64 * excl as u64;
                leftover = m as u32;
            }
        }
        (m >> 32) as u32
    }
}

impl Deviates for Pcg64 {
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
        Pcg64::standard_normal(self)
    }

    fn standard_exponential(&mut self) -> f64 {
        Pcg64::standard_exponential(self)
    }
}

/// A float32 deviate of the distribution `kind` (`KIND_RANDOM`, `KIND_STANDARD_NORMAL` or
/// `KIND_STANDARD_EXPONENTIAL`, NumPy's float32 algorithms; the others have no float32 form).
fn draw_single(g: &mut Pcg64, kind: i64) -> f32 {
    match kind {
        KIND_STANDARD_NORMAL => g.standard_normal_f(),
        KIND_STANDARD_EXPONENTIAL => g.standard_exponential_f(),
        _ => g.next_float(),
    }
}

/// NumPy's buffer of one 32-bit output handed out in `bits`-bit pieces, lowest first
/// (`buffered_uint16`, `buffered_uint8`, and the bits of `buffered_bounded_bool`). It lives for
/// one fill: a new call starts with an empty buffer, as NumPy's does.
struct Buffer {
    bits: u32,
    word: u32,
    left: u32,
}

impl Buffer {
    fn next(&mut self, g: &mut Pcg64) -> u32 {
        if self.left == 0 {
            self.word = g.next_u32();
            self.left = 32 / self.bits - 1;
        } else {
            self.word >>= self.bits;
            self.left -= 1;
        }
        self.word & (u32::MAX >> (32 - self.bits))
    }

    /// `buffered_bounded_lemire_uint16`/`uint8`: Lemire's method on `bits`-bit pieces, for
    /// `rng` below the type's largest value.
    fn lemire(&mut self, g: &mut Pcg64, rng: u32) -> u32 {
        let excl = rng + 1;
        let mask = u32::MAX >> (32 - self.bits);
        let mut m = self.next(g) * excl;
        let mut leftover = m & mask;
        if leftover < excl {
            let threshold = (mask - rng) % excl;
            while leftover < threshold {
                m = self.next(g) * excl;
                leftover = m & mask;
            }
        }
        m >> self.bits
    }
}

/// Seeds from the 32-bit words of the entropy, as `PCG64(SeedSequence(entropy))` does:
/// SeedSequence's pool of four words, then `generate_state(4, np.uint64)`, whose first two
/// words (high first) are the initial state and the last two the sequence.
fn seed_from_words(g: &mut Pcg64, entropy: &[u32]) {
    const INIT_A: u32 = 0x43b0_d7e5;
    const MULT_A: u32 = 0x931e_8875;
    const INIT_B: u32 = 0x8b51_f9dd;
    const MULT_B: u32 = 0x58f3_8ded;
    const MIX_MULT_L: u32 = 0xca01_f9dd;
    const MIX_MULT_R: u32 = 0x4973_f715;
    const POOL: usize = 4;
    let mut hash_const = INIT_A;
    let mut hashmix = |value: u32| {
        let mut value = value ^ hash_const;
        hash_const = hash_const.wrapping_mul(MULT_A);
        value = value.wrapping_mul(hash_const);
        value ^ (value >> 16)
    };
    let mix = |x: u32, y: u32| {
        let result = MIX_MULT_L.wrapping_mul(x).wrapping_sub(MIX_MULT_R.wrapping_mul(y));
        result ^ (result >> 16)
    };
    let mut pool = [0u32; POOL];
    for (i, word) in pool.iter_mut().enumerate() {
        *word = hashmix(entropy.get(i).copied().unwrap_or(0));
    }
    for src in 0..POOL {
        for dst in 0..POOL {
            if src != dst {
                pool[dst] = mix(pool[dst], hashmix(pool[src]));
            }
        }
    }
    for &extra in entropy.iter().skip(POOL) {
        for word in pool.iter_mut() {
            *word = mix(*word, hashmix(extra));
        }
    }
    let mut hash_const = INIT_B;
    let mut words = [0u32; 8];
    for (i, out) in words.iter_mut().enumerate() {
        let mut value = pool[i % POOL] ^ hash_const;
        hash_const = hash_const.wrapping_mul(MULT_B);
        value = value.wrapping_mul(hash_const);
        *out = value ^ (value >> 16);
    }
    let u64_at = |k: usize| words[2 * k] as u64 | (words[2 * k + 1] as u64) << 32;
    let initstate = (u64_at(0) as u128) << 64 | u64_at(1) as u128;
    let initseq = (u64_at(2) as u128) << 64 | u64_at(3) as u128;
    g.seed(initstate, initseq);
}

/// `np.random.default_rng(seed)` for an integer `seed` >= 0 (the caller checks it): its 32-bit
/// words, least significant first (one word 0 for 0), through SeedSequence. Returns 0.
/// # Safety
/// `state` is the data address of a Generator's state array (see the module's documentation).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_pcg64_seed(state: i64, seed: i64) -> i64 {
    let seed = seed as u64;
    let words: &[u32] = if seed >> 32 != 0 { &[seed as u32, (seed >> 32) as u32] } else { &[seed as u32] };
    seed_from_words(&mut Pcg64::at(state), words);
    0
}

/// `np.random.default_rng()` / `default_rng(None)`: 128 bits of the operating system's entropy
/// through SeedSequence, as NumPy seeds it. Returns 0.
/// # Safety
/// `state` is the data address of a Generator's state array (see the module's documentation).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_pcg64_seed_entropy(state: i64) -> i64 {
    seed_from_words(&mut Pcg64::at(state), &crate::random::entropy_words()[..4]);
    0
}

/// One value of the distribution `kind` (`crate::random::KIND_RANDOM`...; `a` and `b` are
/// its parameters); with `single`, NumPy's float32 deviate of the standard distributions
/// (given as the double of the same value).
/// # Safety
/// `state` is the data address of a Generator's state array (see the module's documentation).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_pcg64_draw(state: i64, kind: i64, single: i64, a: f64, b: f64) -> f64 {
    let mut g = Pcg64::at(state);
    if single != 0 { draw_single(&mut g, kind) as f64 } else { draw(&mut g, kind, a, b) }
}

/// Fills the `n` contiguous elements at `data` (float64, or float32 with `single`) with the
/// next `n` values of `ferrojit_rt_pcg64_draw(state, kind, single, a, b)`, in one call.
/// Returns 0.
/// # Safety
/// `state` is the data address of a Generator's state array, and `data` that of `n` writable,
/// contiguous float64 (float32 with `single`).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_pcg64_fill(state: i64, kind: i64, single: i64, a: f64, b: f64, data: i64, n: i64) -> i64 {
    let mut g = Pcg64::at(state);
    let n = n.max(0) as usize;
    if single != 0 {
        let out = std::slice::from_raw_parts_mut(data as usize as *mut f32, n);
        // One loop per distribution, as `random::fill` has them.
        match kind {
            KIND_STANDARD_NORMAL => out.iter_mut().for_each(|x| *x = g.standard_normal_f()),
            KIND_STANDARD_EXPONENTIAL => out.iter_mut().for_each(|x| *x = g.standard_exponential_f()),
            _ => out.iter_mut().for_each(|x| *x = g.next_float()),
        }
    } else {
        fill(&mut g, kind, a, b, std::slice::from_raw_parts_mut(data as usize as *mut f64, n));
    }
    0
}

/// `random_interval(max)`: a value in `[0, max]` (unsigned 64 bits) by masked rejection, as
/// NumPy's Generator shuffles and permutes.
/// # Safety
/// `state` is the data address of a Generator's state array (see the module's documentation).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_pcg64_interval(state: i64, max: i64) -> i64 {
    Pcg64::at(state).interval(max as u64) as i64
}

/// A value in `[0, rng]` for an element of `bits` bits (64, 32, 16, 8, or 1 for bool), drawn as
/// NumPy's `random_bounded_uint64` and `random_buffered_bounded_uint{32,16,8}`/`bool` draw it
/// with Lemire's method (`use_masked` false, as `Generator.integers` always has it): `buffer`
/// carries NumPy's 32-bit buffer from one element of a call to the next (16, 8 and 1 bits).
fn bounded(g: &mut Pcg64, buffer: &mut Buffer, rng: u64, bits: i64) -> u64 {
    match bits {
        64 => {
            if rng == 0 {
                0
            } else if rng < u32::MAX as u64 {
                g.lemire_u32(rng as u32) as u64
            } else if rng == u32::MAX as u64 {
                g.next_u32() as u64
            } else if rng == u64::MAX {
                g.next_u64()
            } else {
                g.lemire_u64(rng)
            }
        }
        32 => match rng as u32 {
            0 => 0,
            u32::MAX => g.next_u32() as u64,
            rng => g.lemire_u32(rng) as u64,
        },
        16 | 8 => {
            let largest = u32::MAX >> (32 - buffer.bits);
            match rng as u32 & largest {
                0 => 0,
                rng if rng == largest => buffer.next(g) as u64,
                rng => buffer.lemire(g, rng) as u64,
            }
        }
        // bool (`buffered_bounded_bool`): one bit of the buffer per value unless the range is
        // empty.
        _ => {
            if rng == 0 {
                0
            } else {
                buffer.next(g) as u64
            }
        }
    }
}

/// Writes the values of `count` calls of `next`, in order, each wrapped to `bits` bits (64, 32,
/// 16, or 8 for 8 and bool), as the elements of the array data at `out`.
/// # Safety
/// `out` is the address of `count` writable, contiguous elements of `bits` bits.
pub(crate) unsafe fn store_each(out: i64, count: i64, bits: i64, mut next: impl FnMut() -> u64) {
    unsafe fn elements<T>(out: i64, count: i64) -> &'static mut [T] {
        std::slice::from_raw_parts_mut(out as usize as *mut T, count.max(0) as usize)
    }
    match bits {
        64 => elements::<u64>(out, count).iter_mut().for_each(|x| *x = next()),
        32 => elements::<u32>(out, count).iter_mut().for_each(|x| *x = next() as u32),
        16 => elements::<u16>(out, count).iter_mut().for_each(|x| *x = next() as u16),
        _ => elements::<u8>(out, count).iter_mut().for_each(|x| *x = next() as u8),
    }
}

fn new_buffer(bits: i64) -> Buffer {
    Buffer { bits: if bits == 16 || bits == 8 { bits as u32 } else { 1 }, word: 0, left: 0 }
}

/// Fills the `count` elements of `bits` bits (64, 32, 16, 8, or 1 for bool) at `out` with
/// `off + v`, `v` in `[0, rng]` (see `bounded`), as NumPy's `random_bounded_uint{bits}_fill`;
/// the sums wrap in the element's width. `off` and `rng` are the bits of unsigned values of
/// that width. Returns 0.
/// # Safety
/// `state` is the data address of a Generator's state array, and `out` that of `count`
/// writable elements of `bits` bits (a byte each for bool).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_pcg64_bounded_fill(state: i64, off: i64, rng: i64, count: i64, bits: i64, out: i64) -> i64 {
    let mut g = Pcg64::at(state);
    let mut buffer = new_buffer(bits);
    store_each(out, count, bits, || (off as u64).wrapping_add(bounded(&mut g, &mut buffer, rng as u64, bits)));
    0
}

/// As `ferrojit_rt_pcg64_bounded_fill` with an offset and a range per element, read from the
/// int64 arrays at `offs` and `rngs`: NumPy's `integers` with arrays of bounds (its
/// `_rand_*_broadcast`, one buffer for the whole call). Returns 0.
/// # Safety
/// As `ferrojit_rt_pcg64_bounded_fill`; `offs` and `rngs` are the data addresses of `count`
/// int64 each.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_pcg64_bounded_fill_each(state: i64, offs: i64, rngs: i64, count: i64, bits: i64, out: i64) -> i64 {
    let mut g = Pcg64::at(state);
    let mut buffer = new_buffer(bits);
    let mut i = 0;
    store_each(out, count, bits, || {
        let off = *(offs as usize as *const u64).add(i);
        let rng = *(rngs as usize as *const u64).add(i);
        i += 1;
        off.wrapping_add(bounded(&mut g, &mut buffer, rng, bits))
    });
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded(seed: i64) -> [u64; STATE_WORDS] {
        let mut words = [0u64; STATE_WORDS];
        unsafe { ferrojit_rt_pcg64_seed(words.as_mut_ptr() as i64, seed) };
        words
    }

    #[test]
    fn seed_sequence_state_of_seed_1() {
        // `np.random.default_rng(1).bit_generator.state['state']` (state and inc).
        let words = seeded(1);
        let state = (words[1] as u128) << 64 | words[0] as u128;
        let inc = (words[3] as u128) << 64 | words[2] as u128;
        assert_eq!(state, 207_833_532_711_051_698_738_587_646_355_624_148_094);
        assert_eq!(inc, 194_290_289_479_364_712_180_083_596_243_593_368_443);
    }

    #[test]
    fn bounded_values_stay_in_range() {
        let mut words = seeded(7);
        let mut out = [0u64; 64];
        for rng in [1u64, 2, 5, 1000, u32::MAX as u64 - 1, u32::MAX as u64, 1 << 40, u64::MAX - 1] {
            unsafe { ferrojit_rt_pcg64_bounded_fill(words.as_mut_ptr() as i64, 3, rng as i64, 64, 64, out.as_mut_ptr() as i64) };
            assert!(out.iter().all(|&v| v.wrapping_sub(3) <= rng));
        }
    }
}
