//! Calls into BLAS and LAPACK for `np.dot`, `@` and `np.linalg`.
//!
//! ferrojit links no BLAS of its own: the Python side (`ferrojit/_lib/linalg.py`) finds a
//! provider once per process, before the first compiled call that needs one, and hands over
//! the addresses of the Fortran routines with [`set_provider`]. The provider is NumPy's own
//! OpenBLAS when NumPy has one (so results are NumPy's own), else SciPy's `cython_blas` /
//! `cython_lapack`. Providers differ in the width of their integers (NumPy's OpenBLAS is built
//! with 64-bit integers, SciPy's with 32-bit ones); the wrappers here take int64 arguments
//! from compiled code and convert.
//!
//! Every routine is called the Fortran way: all arguments by pointer, matrices in column-major
//! order, and one hidden length per character argument at the end (gfortran's convention;
//! C implementations ignore the extra arguments). Element kinds: 0 float32, 1 float64,
//! 2 complex64, 3 complex128 (LAPACK's `s`, `d`, `c`, `z`).

use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::RwLock;

struct Provider {
    /// The provider's integers are 64-bit (else 32-bit).
    int64: bool,
    /// Routine name, with its kind letter (`"dgemm"`) -> address.
    routines: HashMap<String, usize>,
}

static PROVIDER: RwLock<Option<Provider>> = RwLock::new(None);

/// The routine names the wrappers use, for each of the four kinds (`s`, `d`, `c`, `z` + these):
/// what the Python side must look up.
pub const ROUTINES: [&str; 4] = ["gemm", "gesv", "getrf", "potrf"];

/// Installs the provider: `int64` tells its integer width, `routines` maps names such as
/// `"dgemm"` to addresses. Replaces an earlier provider.
pub fn set_provider(int64: bool, routines: HashMap<String, usize>) {
    *PROVIDER.write().unwrap_or_else(|p| p.into_inner()) = Some(Provider { int64, routines });
}

/// Whether a provider was installed.
pub fn has_provider() -> bool {
    PROVIDER.read().unwrap_or_else(|p| p.into_inner()).is_some()
}

const KIND_LETTERS: [char; 4] = ['s', 'd', 'c', 'z'];

/// The address of routine `name` (without its letter) for `kind`, and the integer width.
fn routine(kind: i64, name: &str) -> Option<(usize, bool)> {
    let letter = *KIND_LETTERS.get(usize::try_from(kind).ok()?)?;
    let guard = PROVIDER.read().unwrap_or_else(|p| p.into_inner());
    let provider = guard.as_ref()?;
    provider.routines.get(&format!("{letter}{name}")).map(|&address| (address, provider.int64))
}

/// An integer argument in the provider's width, by pointer.
enum Int {
    Wide(i64),
    Narrow(i32),
}

impl Int {
    fn new(value: i64, int64: bool) -> Int {
        if int64 {
            Int::Wide(value)
        } else {
            // Sizes beyond 32 bits cannot reach a 32-bit provider; the Python side checks.
            Int::Narrow(value as i32)
        }
    }
    fn ptr(&mut self) -> *mut c_void {
        match self {
            Int::Wide(v) => v as *mut i64 as *mut c_void,
            Int::Narrow(v) => v as *mut i32 as *mut c_void,
        }
    }
    fn get(&self) -> i64 {
        match self {
            Int::Wide(v) => *v,
            Int::Narrow(v) => *v as i64,
        }
    }
}

/// Pivot indices as the provider writes them (its integer width), `n` of them.
enum Pivots {
    Wide(Vec<i64>),
    Narrow(Vec<i32>),
}

impl Pivots {
    fn new(n: i64, int64: bool) -> Pivots {
        let n = n.max(1) as usize;
        if int64 {
            Pivots::Wide(vec![0; n])
        } else {
            Pivots::Narrow(vec![0; n])
        }
    }
    fn ptr(&mut self) -> *mut c_void {
        match self {
            Pivots::Wide(v) => v.as_mut_ptr() as *mut c_void,
            Pivots::Narrow(v) => v.as_mut_ptr() as *mut c_void,
        }
    }
    /// How many rows the factorisation swapped, modulo 2 (1-based pivots as LAPACK's).
    fn parity(&self, n: i64) -> i64 {
        let swapped = |k: usize, p: i64| (p != k as i64 + 1) as i64;
        let count: i64 = match self {
            Pivots::Wide(v) => v.iter().take(n as usize).enumerate().map(|(k, &p)| swapped(k, p)).sum(),
            Pivots::Narrow(v) => v.iter().take(n as usize).enumerate().map(|(k, &p)| swapped(k, p as i64)).sum(),
        };
        count & 1
    }
}

/// One scalar of the element kind, for `alpha` and `beta`.
#[repr(C)]
union Scalar {
    f32: f32,
    f64: f64,
    /// A complex64 as its (real, imaginary) pair.
    c64: [f32; 2],
    /// A complex128 as its (real, imaginary) pair.
    c128: [f64; 2],
}

impl Scalar {
    fn of(kind: i64, value: f64) -> Scalar {
        match kind {
            0 => Scalar { f32: value as f32 },
            1 => Scalar { f64: value },
            2 => Scalar { c64: [value as f32, 0.0] },
            _ => Scalar { c128: [value, 0.0] },
        }
    }
}

/// The status of a call whose routine the provider lacks. It cannot happen in compiled code:
/// the Python side installs a provider only with every routine of [`ROUTINES`], and types no
/// call before one is installed.
const MISSING: i64 = i64::MIN;

type F = *mut c_void;

/// `C = A @ B` in column-major terms: `C (m x n) = op(A) (m x k) * op(B) (k x n)`, with
/// `trans_a`/`trans_b` 0 for `N` and 1 for `T`. Returns 0, or [`MISSING`].
///
/// # Safety
/// The addresses point to matrices of the sizes and leading dimensions given.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_blas_gemm(kind: i64, trans_a: i64, trans_b: i64, m: i64, n: i64, k: i64, a: i64, lda: i64, b: i64, ldb: i64, c: i64, ldc: i64) -> i64 {
    let Some((address, int64)) = routine(kind, "gemm") else { return MISSING };
    let gemm: unsafe extern "C" fn(F, F, F, F, F, F, F, F, F, F, F, F, F, usize, usize) = std::mem::transmute(address);
    let (mut ta, mut tb) = (if trans_a != 0 { b'T' } else { b'N' }, if trans_b != 0 { b'T' } else { b'N' });
    let (mut m, mut n, mut k) = (Int::new(m, int64), Int::new(n, int64), Int::new(k, int64));
    let (mut lda, mut ldb, mut ldc) = (Int::new(lda, int64), Int::new(ldb, int64), Int::new(ldc, int64));
    let (mut alpha, mut beta) = (Scalar::of(kind, 1.0), Scalar::of(kind, 0.0));
    gemm(
        &mut ta as *mut u8 as F,
        &mut tb as *mut u8 as F,
        m.ptr(),
        n.ptr(),
        k.ptr(),
        &mut alpha as *mut Scalar as F,
        a as F,
        lda.ptr(),
        b as F,
        ldb.ptr(),
        &mut beta as *mut Scalar as F,
        c as F,
        ldc.ptr(),
        1,
        1,
    );
    0
}

/// Solves `A X = B` in place (`gesv`): `A` (n x n) is overwritten by its LU factors and `B`
/// (n x nrhs) by `X`. Returns LAPACK's `info` (> 0: `A` is singular), or [`MISSING`].
///
/// # Safety
/// The addresses point to column-major matrices of the sizes and leading dimensions given.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_lapack_gesv(kind: i64, n: i64, nrhs: i64, a: i64, lda: i64, b: i64, ldb: i64) -> i64 {
    let Some((address, int64)) = routine(kind, "gesv") else { return MISSING };
    let gesv: unsafe extern "C" fn(F, F, F, F, F, F, F, F) = std::mem::transmute(address);
    let mut pivots = Pivots::new(n, int64);
    let (mut n, mut nrhs, mut lda, mut ldb) = (Int::new(n, int64), Int::new(nrhs, int64), Int::new(lda, int64), Int::new(ldb, int64));
    let mut info = Int::new(0, int64);
    gesv(n.ptr(), nrhs.ptr(), a as F, lda.ptr(), pivots.ptr(), b as F, ldb.ptr(), info.ptr());
    info.get()
}

/// Factorises `A` (n x n) in place (`getrf`). Returns `2 * info + parity` (`info` > 0: `A`
/// is singular; `parity`: the row swaps' count modulo 2, the determinant's sign), or
/// [`MISSING`].
///
/// # Safety
/// `a` points to a column-major n x n matrix with leading dimension `lda`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_lapack_getrf(kind: i64, n: i64, a: i64, lda: i64) -> i64 {
    let Some((address, int64)) = routine(kind, "getrf") else { return MISSING };
    let getrf: unsafe extern "C" fn(F, F, F, F, F, F) = std::mem::transmute(address);
    let mut pivots = Pivots::new(n, int64);
    let size = n;
    let (mut m, mut n, mut lda) = (Int::new(size, int64), Int::new(size, int64), Int::new(lda, int64));
    let mut info = Int::new(0, int64);
    getrf(m.ptr(), n.ptr(), a as F, lda.ptr(), pivots.ptr(), info.ptr());
    let info = info.get();
    if info < 0 {
        return info;
    }
    2 * info + pivots.parity(size)
}

/// The Cholesky factor of `A` (n x n) in place (`potrf`), lower (`lower` = 1) or upper.
/// Returns LAPACK's `info` (> 0: `A` is not positive definite), or [`MISSING`].
///
/// # Safety
/// `a` points to a column-major n x n matrix with leading dimension `lda`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_lapack_potrf(kind: i64, lower: i64, n: i64, a: i64, lda: i64) -> i64 {
    let Some((address, int64)) = routine(kind, "potrf") else { return MISSING };
    let potrf: unsafe extern "C" fn(F, F, F, F, F, usize) = std::mem::transmute(address);
    let mut uplo = if lower != 0 { b'L' } else { b'U' };
    let (mut n, mut lda) = (Int::new(n, int64), Int::new(lda, int64));
    let mut info = Int::new(0, int64);
    potrf(&mut uplo as *mut u8 as F, n.ptr(), a as F, lda.ptr(), info.ptr(), 1);
    info.get()
}
