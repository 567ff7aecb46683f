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
    /// Routine name (`"dgemm"`) -> address.
    routines: HashMap<String, usize>,
}

static PROVIDER: RwLock<Option<Provider>> = RwLock::new(None);

/// The routines the wrappers call: what the Python side must find. Matrix products keep
/// their operands' precision (`sgemm`..`zgemm`); the rest of `np.linalg` computes in double
/// precision, real or complex, as NumPy's does.
pub const ROUTINES: [&str; 26] = [
    "sdot", "ddot", "cdotu", "zdotu", "sgemm", "dgemm", "cgemm", "zgemm", "dgesv", "zgesv", "dgetrf", "zgetrf", "dpotrf", "zpotrf", "dsyevd", "zheevd", "dgeev", "zgeev", "dgesdd", "zgesdd", "dgeqrf", "zgeqrf", "dorgqr", "zungqr", "dgelsd", "zgelsd",
];

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

/// The address of routine `name` and the provider's integer width.
fn routine_named(name: &str) -> Option<(usize, bool)> {
    let guard = PROVIDER.read().unwrap_or_else(|p| p.into_inner());
    let provider = guard.as_ref()?;
    provider.routines.get(name).map(|&address| (address, provider.int64))
}

/// The routine `name` (without its letter) for `kind`.
fn routine(kind: i64, name: &str) -> Option<(usize, bool)> {
    let letter = *KIND_LETTERS.get(usize::try_from(kind).ok()?)?;
    routine_named(&format!("{letter}{name}"))
}

/// The double-precision routine for `kind` (1: real, 3: complex; NumPy computes `np.linalg`
/// in double precision): `real` or `complex` by name.
fn double_routine(kind: i64, real: &str, complex: &str) -> Option<(usize, bool)> {
    match kind {
        1 => routine_named(real),
        3 => routine_named(complex),
        _ => None,
    }
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
            // A 32-bit provider (SciPy's) cannot take a dimension of 2**31 or more: such a size
            // would be truncated here. NumPy's own provider, the usual one, has 64-bit integers.
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

/// An array of the provider's integers (pivot indices, integer workspace), `n` of them.
enum Ints {
    Wide(Vec<i64>),
    Narrow(Vec<i32>),
}

impl Ints {
    fn new(n: i64, int64: bool) -> Ints {
        let n = n.max(1) as usize;
        if int64 {
            Ints::Wide(vec![0; n])
        } else {
            Ints::Narrow(vec![0; n])
        }
    }
    fn ptr(&mut self) -> *mut c_void {
        match self {
            Ints::Wide(v) => v.as_mut_ptr() as *mut c_void,
            Ints::Narrow(v) => v.as_mut_ptr() as *mut c_void,
        }
    }
    /// The first integer: the size a workspace query asks for.
    fn first(&self) -> i64 {
        match self {
            Ints::Wide(v) => v[0],
            Ints::Narrow(v) => v[0] as i64,
        }
    }
    /// How many rows the factorisation swapped, modulo 2 (1-based pivots as LAPACK's).
    fn parity(&self, n: i64) -> i64 {
        let swapped = |k: usize, p: i64| (p != k as i64 + 1) as i64;
        let count: i64 = match self {
            Ints::Wide(v) => v.iter().take(n as usize).enumerate().map(|(k, &p)| swapped(k, p)).sum(),
            Ints::Narrow(v) => v.iter().take(n as usize).enumerate().map(|(k, &p)| swapped(k, p as i64)).sum(),
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

/// The dot product of the real vectors `x` and `y` (`n` elements each, `incx`/`incy`
/// elements apart; `sdot` for `kind` 0, `ddot` for 1), as float64. NaN for another kind.
///
/// # Safety
/// The addresses point to vectors of the lengths and strides given.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_blas_dot(kind: i64, n: i64, x: i64, incx: i64, y: i64, incy: i64) -> f64 {
    let (Some((address, int64)), true) = (routine(kind, "dot"), kind == 0 || kind == 1) else { return f64::NAN };
    let (mut n, mut incx, mut incy) = (Int::new(n, int64), Int::new(incx, int64), Int::new(incy, int64));
    if kind == 0 {
        let sdot: unsafe extern "C" fn(F, F, F, F, F) -> f32 = std::mem::transmute(address);
        sdot(n.ptr(), x as F, incx.ptr(), y as F, incy.ptr()) as f64
    } else {
        let ddot: unsafe extern "C" fn(F, F, F, F, F) -> f64 = std::mem::transmute(address);
        ddot(n.ptr(), x as F, incx.ptr(), y as F, incy.ptr())
    }
}

/// A complex number as the provider returns it by value (C's `float complex` and
/// `double complex`: two floats of `T`, in the same registers as this struct).
#[repr(C)]
#[derive(Clone, Copy)]
struct ComplexOf<T> {
    re: T,
    im: T,
}

/// Stores at `out`, in the element type of `kind`, the unconjugated dot product of the vectors
/// `x` and `y` (`n` elements each, `incx`/`incy` elements apart): `sdot`, `ddot`, `cdotu` or
/// `zdotu`, the routine NumPy's `matmul` calls for a 1 x 1 product. Returns 0, or [`MISSING`].
///
/// # Safety
/// The addresses point to vectors of the lengths and strides given, and `out` to one element.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_blas_dot_into(kind: i64, n: i64, x: i64, incx: i64, y: i64, incy: i64, out: i64) -> i64 {
    let name = if kind >= 2 { "dotu" } else { "dot" };
    let Some((address, int64)) = routine(kind, name) else { return MISSING };
    let (mut n, mut incx, mut incy) = (Int::new(n, int64), Int::new(incx, int64), Int::new(incy, int64));
    let (n, x, incx, y, incy) = (n.ptr(), x as F, incx.ptr(), y as F, incy.ptr());
    match kind {
        0 => {
            let sdot: unsafe extern "C" fn(F, F, F, F, F) -> f32 = std::mem::transmute(address);
            *(out as *mut f32) = sdot(n, x, incx, y, incy);
        }
        1 => {
            let ddot: unsafe extern "C" fn(F, F, F, F, F) -> f64 = std::mem::transmute(address);
            *(out as *mut f64) = ddot(n, x, incx, y, incy);
        }
        2 => {
            let cdotu: unsafe extern "C" fn(F, F, F, F, F) -> ComplexOf<f32> = std::mem::transmute(address);
            *(out as *mut ComplexOf<f32>) = cdotu(n, x, incx, y, incy);
        }
        _ => {
            let zdotu: unsafe extern "C" fn(F, F, F, F, F) -> ComplexOf<f64> = std::mem::transmute(address);
            *(out as *mut ComplexOf<f64>) = zdotu(n, x, incx, y, incy);
        }
    }
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
    let mut pivots = Ints::new(n, int64);
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
    let mut pivots = Ints::new(n, int64);
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

/// A workspace of `count` elements of `size` bytes (at least one element: LAPACK reads
/// the first even when asked for none).
fn workspace(count: i64, size: usize) -> Vec<u8> {
    vec![0u8; count.max(1) as usize * size]
}

/// The element count a workspace query wrote into the first element of a real (`f64`) or
/// complex (its real part) workspace.
fn queried(buffer: &[u8]) -> i64 {
    f64::from_ne_bytes(buffer[..8].try_into().expect("a workspace holds one element")).max(1.0) as i64
}

/// `kind` 1 is real double precision, 3 complex: the size in bytes of its elements.
fn double_size(kind: i64) -> usize {
    if kind == 3 {
        16
    } else {
        8
    }
}

fn flag(yes: bool, on: u8, off: u8) -> u8 {
    if yes {
        on
    } else {
        off
    }
}

/// The workspaces of one LAPACK call: `work` (elements of the kind), `rwork` (float64, complex
/// routines only) and `iwork` (the provider's integers), with their sizes as passed.
struct Workspaces {
    work: Vec<u8>,
    rwork: Vec<u8>,
    iwork: Ints,
    lwork: Int,
    lrwork: Int,
    liwork: Int,
}

impl Workspaces {
    /// Workspaces for a size query: every size -1, one element each.
    fn query(int64: bool) -> Workspaces {
        Workspaces { work: workspace(1, 16), rwork: workspace(1, 8), iwork: Ints::new(1, int64), lwork: Int::new(-1, int64), lrwork: Int::new(-1, int64), liwork: Int::new(-1, int64) }
    }

    /// The workspaces a query asked for (its answers in the first elements), each at least
    /// `minimum` = (work, rwork, iwork) elements.
    fn answered(&self, kind: i64, minimum: (i64, i64, i64), int64: bool) -> Workspaces {
        let work = queried(&self.work).max(minimum.0);
        let rwork = queried(&self.rwork).max(minimum.1);
        let iwork = self.iwork.first().max(minimum.2).max(1);
        Workspaces {
            work: workspace(work, double_size(kind)),
            rwork: workspace(rwork, 8),
            iwork: Ints::new(iwork, int64),
            lwork: Int::new(work, int64),
            lrwork: Int::new(rwork, int64),
            liwork: Int::new(iwork, int64),
        }
    }
}

/// The eigenvalues (into `w`, ascending, float64) and, with `vectors` = 1, the eigenvectors
/// (into `a`'s columns) of the symmetric (Hermitian) `A` (n x n), from its lower (`lower` = 1)
/// or upper triangle (`dsyevd` / `zheevd`). Returns LAPACK's `info` (> 0: no convergence),
/// or [`MISSING`].
///
/// # Safety
/// `a` points to a column-major n x n matrix with leading dimension `lda`, `w` to n float64.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_lapack_heevd(kind: i64, vectors: i64, lower: i64, n: i64, a: i64, lda: i64, w: i64) -> i64 {
    let Some((address, int64)) = double_routine(kind, "dsyevd", "zheevd") else { return MISSING };
    let (mut jobz, mut uplo) = (flag(vectors != 0, b'V', b'N'), flag(lower != 0, b'L', b'U'));
    let (mut n, mut lda) = (Int::new(n, int64), Int::new(lda, int64));
    let mut info = Int::new(0, int64);
    let mut call = |ws: &mut Workspaces| {
        if kind == 3 {
            let heevd: unsafe extern "C" fn(F, F, F, F, F, F, F, F, F, F, F, F, F, usize, usize) = std::mem::transmute(address);
            heevd(&mut jobz as *mut u8 as F, &mut uplo as *mut u8 as F, n.ptr(), a as F, lda.ptr(), w as F, ws.work.as_mut_ptr() as F, ws.lwork.ptr(), ws.rwork.as_mut_ptr() as F, ws.lrwork.ptr(), ws.iwork.ptr(), ws.liwork.ptr(), info.ptr(), 1, 1);
        } else {
            let syevd: unsafe extern "C" fn(F, F, F, F, F, F, F, F, F, F, F, usize, usize) = std::mem::transmute(address);
            syevd(&mut jobz as *mut u8 as F, &mut uplo as *mut u8 as F, n.ptr(), a as F, lda.ptr(), w as F, ws.work.as_mut_ptr() as F, ws.lwork.ptr(), ws.iwork.ptr(), ws.liwork.ptr(), info.ptr(), 1, 1);
        }
        info.get()
    };
    let mut query = Workspaces::query(int64);
    if call(&mut query) != 0 {
        return info.get();
    }
    call(&mut query.answered(kind, (1, 1, 1), int64))
}

/// The eigenvalues and, with `vectors` = 1, the right eigenvectors of the general `A` (n x n,
/// destroyed) (`dgeev` / `zgeev`, no left eigenvectors). Real (`kind` 1): the eigenvalues'
/// real parts into `wr` and imaginary parts into `wi` (float64 each), the eigenvectors into
/// `vr` in LAPACK's packed real form (a complex pair's vectors as the real and imaginary
/// parts in two columns). Complex (`kind` 3): the eigenvalues into `wr` (complex128; `wi`
/// unused) and the eigenvectors into `vr`. Returns LAPACK's `info` (> 0: no convergence), or
/// [`MISSING`].
///
/// # Safety
/// `a` and `vr` (with `vectors` = 1) point to column-major n x n matrices with leading
/// dimensions `lda` and `ldvr`; `wr` and `wi` to n elements.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_lapack_geev(kind: i64, vectors: i64, n: i64, a: i64, lda: i64, wr: i64, wi: i64, vr: i64, ldvr: i64) -> i64 {
    let Some((address, int64)) = double_routine(kind, "dgeev", "zgeev") else { return MISSING };
    let (mut jobvl, mut jobvr) = (b'N', flag(vectors != 0, b'V', b'N'));
    // zgeev's real workspace: 2n float64.
    let minimum = (1, 2 * n, 1);
    // No left eigenvectors: LAPACK still reads their leading dimension (at least 1) and address.
    let mut unused_left = [0f64; 2];
    let (mut n, mut lda, mut ldvl, mut ldvr) = (Int::new(n, int64), Int::new(lda, int64), Int::new(1, int64), Int::new(ldvr.max(1), int64));
    let mut info = Int::new(0, int64);
    let vl = unused_left.as_mut_ptr() as F;
    let mut call = |ws: &mut Workspaces| {
        if kind == 3 {
            let geev: unsafe extern "C" fn(F, F, F, F, F, F, F, F, F, F, F, F, F, F, usize, usize) = std::mem::transmute(address);
            geev(&mut jobvl as *mut u8 as F, &mut jobvr as *mut u8 as F, n.ptr(), a as F, lda.ptr(), wr as F, vl, ldvl.ptr(), vr as F, ldvr.ptr(), ws.work.as_mut_ptr() as F, ws.lwork.ptr(), ws.rwork.as_mut_ptr() as F, info.ptr(), 1, 1);
        } else {
            let geev: unsafe extern "C" fn(F, F, F, F, F, F, F, F, F, F, F, F, F, F, usize, usize) = std::mem::transmute(address);
            geev(&mut jobvl as *mut u8 as F, &mut jobvr as *mut u8 as F, n.ptr(), a as F, lda.ptr(), wr as F, wi as F, vl, ldvl.ptr(), vr as F, ldvr.ptr(), ws.work.as_mut_ptr() as F, ws.lwork.ptr(), info.ptr(), 1, 1);
        }
        info.get()
    };
    let mut query = Workspaces::query(int64);
    query.rwork = workspace(minimum.1, 8);
    if call(&mut query) != 0 {
        return info.get();
    }
    call(&mut query.answered(kind, minimum, int64))
}

/// The singular values (into `s`, descending, float64) of `A` (m x n, destroyed) and, with
/// `job` 1 (`S`: the first min(m, n) columns) or 2 (`A`: all of them), the singular vectors
/// into `u` (m x ucol) and `vt` (vrow x n) (`dgesdd` / `zgesdd`; job 0 computes none and
/// ignores `u` and `vt`). Returns LAPACK's `info` (> 0: no convergence), or [`MISSING`].
///
/// # Safety
/// The addresses point to column-major matrices of the sizes and leading dimensions given.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_lapack_gesdd(kind: i64, job: i64, m: i64, n: i64, a: i64, lda: i64, s: i64, u: i64, ldu: i64, vt: i64, ldvt: i64) -> i64 {
    let Some((address, int64)) = double_routine(kind, "dgesdd", "zgesdd") else { return MISSING };
    let mut jobz = [b'N', b'S', b'A'][job.clamp(0, 2) as usize];
    let (small, large) = (m.min(n), m.max(n));
    // LAPACK's sizes for the real-valued workspace of zgesdd, and the integers of both.
    let rwork = if job == 0 { 7 * small } else { (5 * small * small + 5 * small).max(2 * large * small + 2 * small * small + small) };
    let minimum = (1, rwork, 8 * small);
    let (mut m, mut n, mut lda, mut ldu, mut ldvt) = (Int::new(m, int64), Int::new(n, int64), Int::new(lda, int64), Int::new(ldu, int64), Int::new(ldvt, int64));
    let mut info = Int::new(0, int64);
    let mut call = |ws: &mut Workspaces| {
        if kind == 3 {
            let gesdd: unsafe extern "C" fn(F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, usize) = std::mem::transmute(address);
            gesdd(&mut jobz as *mut u8 as F, m.ptr(), n.ptr(), a as F, lda.ptr(), s as F, u as F, ldu.ptr(), vt as F, ldvt.ptr(), ws.work.as_mut_ptr() as F, ws.lwork.ptr(), ws.rwork.as_mut_ptr() as F, ws.iwork.ptr(), info.ptr(), 1);
        } else {
            let gesdd: unsafe extern "C" fn(F, F, F, F, F, F, F, F, F, F, F, F, F, F, usize) = std::mem::transmute(address);
            gesdd(&mut jobz as *mut u8 as F, m.ptr(), n.ptr(), a as F, lda.ptr(), s as F, u as F, ldu.ptr(), vt as F, ldvt.ptr(), ws.work.as_mut_ptr() as F, ws.lwork.ptr(), ws.iwork.ptr(), info.ptr(), 1);
        }
        info.get()
    };
    let mut query = Workspaces::query(int64);
    query.rwork = workspace(minimum.1, 8);
    query.iwork = Ints::new(minimum.2.max(1), int64);
    if call(&mut query) != 0 {
        return info.get();
    }
    call(&mut query.answered(kind, minimum, int64))
}

/// The QR factorisation of `A` (m x n) in place (`dgeqrf` / `zgeqrf`): `R` in the upper
/// triangle, the reflectors below it and their factors in `tau` (min(m, n) elements).
/// Returns LAPACK's `info`, or [`MISSING`].
///
/// # Safety
/// `a` points to a column-major m x n matrix with leading dimension `lda`, `tau` to
/// min(m, n) elements.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_lapack_geqrf(kind: i64, m: i64, n: i64, a: i64, lda: i64, tau: i64) -> i64 {
    let Some((address, int64)) = double_routine(kind, "dgeqrf", "zgeqrf") else { return MISSING };
    let geqrf: unsafe extern "C" fn(F, F, F, F, F, F, F, F) = std::mem::transmute(address);
    let columns = n.max(1);
    let (mut m, mut n, mut lda) = (Int::new(m, int64), Int::new(n, int64), Int::new(lda, int64));
    let mut info = Int::new(0, int64);
    let mut call = |ws: &mut Workspaces| {
        geqrf(m.ptr(), n.ptr(), a as F, lda.ptr(), tau as F, ws.work.as_mut_ptr() as F, ws.lwork.ptr(), info.ptr());
        info.get()
    };
    let mut query = Workspaces::query(int64);
    if call(&mut query) != 0 {
        return info.get();
    }
    call(&mut query.answered(kind, (columns, 1, 1), int64))
}

/// The first `n` columns of the `Q` whose `k` reflectors `geqrf` left in `A` (m x n) and
/// `tau`, in place (`dorgqr` / `zungqr`). Returns LAPACK's `info`, or [`MISSING`].
///
/// # Safety
/// As for [`ferrojit_rt_lapack_geqrf`].
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_lapack_orgqr(kind: i64, m: i64, n: i64, k: i64, a: i64, lda: i64, tau: i64) -> i64 {
    let Some((address, int64)) = double_routine(kind, "dorgqr", "zungqr") else { return MISSING };
    let orgqr: unsafe extern "C" fn(F, F, F, F, F, F, F, F, F) = std::mem::transmute(address);
    let columns = n.max(1);
    let (mut m, mut n, mut k, mut lda) = (Int::new(m, int64), Int::new(n, int64), Int::new(k, int64), Int::new(lda, int64));
    let mut info = Int::new(0, int64);
    let mut call = |ws: &mut Workspaces| {
        orgqr(m.ptr(), n.ptr(), k.ptr(), a as F, lda.ptr(), tau as F, ws.work.as_mut_ptr() as F, ws.lwork.ptr(), info.ptr());
        info.get()
    };
    let mut query = Workspaces::query(int64);
    if call(&mut query) != 0 {
        return info.get();
    }
    call(&mut query.answered(kind, (columns, 1, 1), int64))
}

/// The least-squares solutions of `A X = B` (`dgelsd` / `zgelsd`): `A` (m x n, destroyed),
/// `B` (max(m, n) x nrhs, overwritten by `X` in its first n rows), the singular values of `A`
/// into `s` (float64), singular values below `rcond` times the largest treated as zero.
/// Returns the effective rank, `-1 - info` when LAPACK failed (info > 0: no convergence), or
/// [`MISSING`].
///
/// # Safety
/// The addresses point to column-major matrices of the sizes and leading dimensions given.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_lapack_gelsd(kind: i64, m: i64, n: i64, nrhs: i64, a: i64, lda: i64, b: i64, ldb: i64, s: i64, rcond: f64) -> i64 {
    let Some((address, int64)) = double_routine(kind, "dgelsd", "zgelsd") else { return MISSING };
    let (mut m, mut n, mut nrhs, mut lda, mut ldb) = (Int::new(m, int64), Int::new(n, int64), Int::new(nrhs, int64), Int::new(lda, int64), Int::new(ldb, int64));
    let mut rcond = rcond;
    let (mut rank, mut info) = (Int::new(0, int64), Int::new(0, int64));
    let mut call = |ws: &mut Workspaces| {
        if kind == 3 {
            let gelsd: unsafe extern "C" fn(F, F, F, F, F, F, F, F, F, F, F, F, F, F, F) = std::mem::transmute(address);
            gelsd(m.ptr(), n.ptr(), nrhs.ptr(), a as F, lda.ptr(), b as F, ldb.ptr(), s as F, &mut rcond as *mut f64 as F, rank.ptr(), ws.work.as_mut_ptr() as F, ws.lwork.ptr(), ws.rwork.as_mut_ptr() as F, ws.iwork.ptr(), info.ptr());
        } else {
            let gelsd: unsafe extern "C" fn(F, F, F, F, F, F, F, F, F, F, F, F, F, F) = std::mem::transmute(address);
            gelsd(m.ptr(), n.ptr(), nrhs.ptr(), a as F, lda.ptr(), b as F, ldb.ptr(), s as F, &mut rcond as *mut f64 as F, rank.ptr(), ws.work.as_mut_ptr() as F, ws.lwork.ptr(), ws.iwork.ptr(), info.ptr());
        }
        info.get()
    };
    let mut query = Workspaces::query(int64);
    if call(&mut query) != 0 || call(&mut query.answered(kind, (1, 1, 1), int64)) != 0 {
        return -1 - info.get();
    }
    rank.get()
}
