//! The tree of a pairwise floating-point sum, for compiled code.
//!
//! Compiled code sums a float or complex array expression as NumPy does, pairwise: it adds the
//! elements of each block of a few hundred in a loop of its own (vectorised), then hands the
//! block's sum to [`ferrojit_rt_pairwise_push`], which keeps a stack of partial sums, level `j`
//! holding the sum of 2**j blocks when bit `j` of the block count is set. The tree's work runs
//! once per block, so a call costs nothing measurable, and keeping it here spares LLVM two
//! loops per summed expression (a third of the compile time of `(a * b).sum()`).
//!
//! The order of the additions is fixed (the generated code relied on it before and the results
//! are bit-identical): a finished block merges with the partial sums below it as
//! `below + carry`, and the total adds the partial sums to the open block smallest first.

use std::ops::Add;

/// `kind` of the functions below: the sum's type, the layout of the values behind the pointers
/// (a complex number is its real part then its imaginary part).
pub const PAIRWISE_F32: i64 = 0;
pub const PAIRWISE_F64: i64 = 1;
pub const PAIRWISE_C64: i64 = 2;
pub const PAIRWISE_C128: i64 = 3;

/// A complex value as compiled code stores it.
#[derive(Clone, Copy)]
#[repr(C)]
struct Complex<F> {
    re: F,
    im: F,
}

impl<F: Add<Output = F>> Add for Complex<F> {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Complex { re: self.re + other.re, im: self.im + other.im }
    }
}

/// # Safety
/// `levels` holds 64 values of type `T`, `blocks` the number of blocks pushed so far, `block`
/// one value.
unsafe fn push<T: Copy + Add<Output = T>>(levels: *mut T, blocks: *mut i64, block: *const T) {
    let k = *blocks;
    *blocks = k + 1;
    let mut carry = *block;
    let mut bits = k as u64;
    let mut level = 0;
    // Block number k's trailing one bits count the equal-sized partial sums below it.
    while bits & 1 == 1 {
        carry = *levels.add(level) + carry;
        level += 1;
        bits >>= 1;
    }
    *levels.add(level) = carry;
}

/// # Safety
/// As [`push`]; `open` holds the open block's sum and receives the total.
unsafe fn total<T: Copy + Add<Output = T>>(levels: *const T, blocks: i64, open: *mut T) {
    let mut sum = *open;
    let blocks = blocks as u64;
    for level in 0..(64 - blocks.leading_zeros()) as usize {
        if (blocks >> level) & 1 == 1 {
            sum = sum + *levels.add(level);
        }
    }
    *open = sum;
}

/// Adds a finished block's sum (`*block`) to the tree in `levels` (64 values) and counts it in
/// `*blocks`.
///
/// # Safety
/// The pointers address values of the type `kind` names (see [`PAIRWISE_F32`]): 64 at
/// `levels`, one at `block`; `blocks` an int64.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_pairwise_push(levels: *mut u8, blocks: *mut i64, block: *const u8, kind: i64) {
    match kind {
        PAIRWISE_F32 => push(levels as *mut f32, blocks, block as *const f32),
        PAIRWISE_F64 => push(levels as *mut f64, blocks, block as *const f64),
        PAIRWISE_C64 => push(levels as *mut Complex<f32>, blocks, block as *const Complex<f32>),
        _ => push(levels as *mut Complex<f64>, blocks, block as *const Complex<f64>),
    }
}

/// The sum: `*open` (the open block's sum) plus the partial sums of the `blocks` blocks pushed
/// into `levels`, stored into `*open`.
///
/// # Safety
/// As [`ferrojit_rt_pairwise_push`], `open` addressing one value.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_pairwise_total(levels: *const u8, blocks: i64, open: *mut u8, kind: i64) {
    match kind {
        PAIRWISE_F32 => total(levels as *const f32, blocks, open as *mut f32),
        PAIRWISE_F64 => total(levels as *const f64, blocks, open as *mut f64),
        PAIRWISE_C64 => total(levels as *const Complex<f32>, blocks, open as *mut Complex<f32>),
        _ => total(levels as *const Complex<f64>, blocks, open as *mut Complex<f64>),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NumPy's pairwise tree over blocks (each block's sum given), by recursion on halves of
    /// a power-of-two-aligned split: the shape the stack builds.
    fn tree(blocks: &[f64]) -> f64 {
        let mut sum = 0.0;
        let mut levels = [0.0f64; 64];
        let mut count = 0i64;
        for b in blocks {
            unsafe { ferrojit_rt_pairwise_push(levels.as_mut_ptr() as *mut u8, &mut count, b as *const f64 as *const u8, PAIRWISE_F64) };
        }
        unsafe { ferrojit_rt_pairwise_total(levels.as_ptr() as *const u8, count, &mut sum as *mut f64 as *mut u8, PAIRWISE_F64) };
        sum
    }

    #[test]
    fn the_stack_adds_equal_sized_subtrees() {
        // Four blocks: ((b0 + b1) + (b2 + b3)); rounding shows the grouping.
        let b = [1e16, 1.0, 1.0, -1e16];
        assert_eq!(tree(&b), ((1e16 + 1.0) + (1.0 + -1e16)));
        // Three blocks: (b0 + b1) then b2 added to the total, open block first.
        assert_eq!(tree(&[1.0, 2.0, 3.0]), 0.0 + 3.0 + (1.0 + 2.0));
        assert_eq!(tree(&[]), 0.0);
        let many: Vec<f64> = (0..1000).map(|k| k as f64).collect();
        assert_eq!(tree(&many), 499_500.0);
    }

    #[test]
    fn complex_sums_add_both_parts() {
        let mut levels = [Complex { re: 0.0f32, im: 0.0 }; 64];
        let mut count = 0i64;
        for k in 0..5 {
            let b = Complex { re: k as f32, im: -(k as f32) };
            unsafe { ferrojit_rt_pairwise_push(levels.as_mut_ptr() as *mut u8, &mut count, &b as *const _ as *const u8, PAIRWISE_C64) };
        }
        let mut open = Complex { re: 0.5f32, im: 0.25 };
        unsafe { ferrojit_rt_pairwise_total(levels.as_ptr() as *const u8, count, &mut open as *mut _ as *mut u8, PAIRWISE_C64) };
        assert_eq!((open.re, open.im, count), (10.5, -9.75, 5));
    }
}
