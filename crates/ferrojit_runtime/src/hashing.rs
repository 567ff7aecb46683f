//! CPython's `hash()` of numbers and tuples (`Python/pyhash.c`, `Objects/tupleobject.c`), so
//! that `hash(x)` in compiled code gives the value Python gives: a number's hash is its value
//! modulo the Mersenne prime 2**61 - 1 (so that `hash(2.0) == hash(2)`), a tuple's mixes its
//! items' hashes as xxHash does. No hash is -1 (CPython's error value): it becomes -2.
//! Strings hash in `strings` ([`crate::strings::hash_bytes`]).

/// CPython's `_PyHASH_BITS` and `_PyHASH_MODULUS` on 64-bit machines.
const BITS: u32 = 61;
const MODULUS: u64 = (1 << BITS) - 1;
/// The hashes of infinities (`_PyHASH_INF`) and what `hash()` of a complex multiplies its
/// imaginary part's hash by (`_PyHASH_IMAG`).
const INF: i64 = 314_159;
const IMAG: u64 = 1_000_003;

fn not_minus_one(h: i64) -> i64 {
    if h == -1 {
        -2
    } else {
        h
    }
}

/// `hash(v)` of an integer (`unsigned`: `v` holds a uint64).
#[no_mangle]
pub extern "C" fn ferrojit_rt_hash_int(v: i64, unsigned: i64) -> i64 {
    let (magnitude, negative) = if unsigned != 0 { (v as u64, false) } else { (v.unsigned_abs(), v < 0) };
    let reduced = (magnitude % MODULUS) as i64;
    not_minus_one(if negative { -reduced } else { reduced })
}

/// `hash(v)` of a float (CPython's `_Py_HashDouble`): equal to the hash of the integer or
/// fraction it is. A NaN's hash is its object's address in CPython; here it is 0, as in
/// CPython before 3.10.
#[no_mangle]
pub extern "C" fn ferrojit_rt_hash_float(v: f64) -> i64 {
    if v.is_infinite() {
        return if v > 0.0 { INF } else { -INF };
    }
    if v.is_nan() {
        return 0;
    }
    let (mut m, mut e) = frexp(v);
    let sign: i64 = if m < 0.0 {
        m = -m;
        -1
    } else {
        1
    };
    // Process 28 bits of the mantissa at a time, rotating them into `x` modulo 2**61 - 1.
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & MODULUS) | (x >> (BITS - 28));
        m *= 268_435_456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= MODULUS {
            x -= MODULUS;
        }
    }
    // Multiplying by 2**e is a rotation of the 61 bits by e modulo 61.
    let e = if e >= 0 { e as u32 % BITS } else { BITS - 1 - ((-1 - e) as u32 % BITS) };
    x = ((x << e) & MODULUS) | (x >> (BITS - e));
    not_minus_one((x as i64).wrapping_mul(sign))
}

/// `frexp(v)`: `(m, e)` with `v == m * 2**e` and `0.5 <= |m| < 1` (`(0.0, 0)` for zero).
fn frexp(v: f64) -> (f64, i32) {
    if v == 0.0 {
        return (v, 0);
    }
    let bits = v.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    if exponent == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp(v * f64::from_bits(0x4350_0000_0000_0000)); // 2**54
        return (m, e - 54);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exponent - 1022)
}

/// `hash(z)` of a complex number from its parts' hashes, as CPython's.
#[no_mangle]
pub extern "C" fn ferrojit_rt_hash_complex(re: f64, im: f64) -> i64 {
    let (re, im) = (ferrojit_rt_hash_float(re) as u64, ferrojit_rt_hash_float(im) as u64);
    not_minus_one(re.wrapping_add(IMAG.wrapping_mul(im)) as i64)
}

const XXPRIME_1: u64 = 11_400_714_785_074_694_791;
const XXPRIME_2: u64 = 14_029_467_366_897_019_727;
const XXPRIME_5: u64 = 2_870_177_450_012_600_261;

/// The state a tuple's hash starts from (see [`ferrojit_rt_hash_tuple_item`]).
#[no_mangle]
pub extern "C" fn ferrojit_rt_hash_tuple_start() -> i64 {
    XXPRIME_5 as i64
}

/// The state after mixing in the hash `lane` of the tuple's next item.
#[no_mangle]
pub extern "C" fn ferrojit_rt_hash_tuple_item(acc: i64, lane: i64) -> i64 {
    let acc = (acc as u64).wrapping_add((lane as u64).wrapping_mul(XXPRIME_2));
    acc.rotate_left(31).wrapping_mul(XXPRIME_1) as i64
}

/// The hash of a tuple of `len` items from the state after its last item.
#[no_mangle]
pub extern "C" fn ferrojit_rt_hash_tuple_end(acc: i64, len: i64) -> i64 {
    let acc = (acc as u64).wrapping_add((len as u64) ^ (XXPRIME_5 ^ 3_527_539));
    if acc == u64::MAX {
        1_546_275_796
    } else {
        acc as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_hash_as_in_cpython() {
        // Values from CPython 3.11 (`hash(x)`).
        for (v, h) in [(0i64, 0i64), (1, 1), (-1, -2), (-2, -2), (1 << 61, 1), ((1 << 61) - 1, 0), (i64::MIN, -4), (i64::MAX, 3)] {
            assert_eq!(ferrojit_rt_hash_int(v, 0), h, "hash({v})");
        }
        assert_eq!(ferrojit_rt_hash_int(-1, 1), 7, "hash(2**64 - 1)");
        for (v, h) in [(0.0, 0i64), (-0.0, 0), (1.5, 1152921504606846977), (-1.0, -2), (2.0, 2), (0.1, 230584300921369408), (1e300, 1224995262755759164), (f64::INFINITY, 314159), (5e-324, 16777216)] {
            assert_eq!(ferrojit_rt_hash_float(v), h, "hash({v})");
        }
        assert_eq!(ferrojit_rt_hash_complex(1.0, 2.0), 2000007);
        let tuple = |items: &[i64]| {
            let acc = items.iter().fold(ferrojit_rt_hash_tuple_start(), |acc, &h| ferrojit_rt_hash_tuple_item(acc, h));
            ferrojit_rt_hash_tuple_end(acc, items.len() as i64)
        };
        assert_eq!(tuple(&[]), 5740354900026072187);
        assert_eq!(tuple(&[1, 2]), -3550055125485641917);
    }
}
