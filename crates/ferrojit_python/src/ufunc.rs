//! Real NumPy ufuncs over compiled inner loops (`@vectorize`).

use numpy::npyffi::{self, PY_UFUNC_API};
use pyo3::prelude::*;
use std::ffi::CString;
use std::os::raw::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicI64, Ordering};

/// Builds a `numpy.ufunc` named `name` from compiled inner loops: each is (loop address,
/// NumPy type numbers of the inputs then the output). `identity` is NumPy's code
/// (`PyUFunc_Zero` 0, `PyUFunc_One` 1, `PyUFunc_None` -1, `PyUFunc_ReorderableNone` -2).
///
/// The tables NumPy keeps pointers into are leaked on purpose: a ufunc refers to them for as
/// long as it lives, and the loops they point to are never freed either.
///
/// With `signature` (a layout such as `"(n),()->(n)"`) it is a generalised ufunc with `nout`
/// outputs, and `ndims` is the length of its loops' `dims` (1 + the core dimensions).
///
/// With `parallel` (`target='parallel'`), NumPy calls [`parallel_loop`] instead of each
/// compiled loop, which cuts the outer loop into chunks run on the thread pool.
#[pyfunction]
#[pyo3(signature = (name, doc, nin, loops, identity, nout=1, signature=None, parallel=false, ndims=1))]
#[allow(clippy::too_many_arguments)]
pub fn make_ufunc(
    py: Python<'_>,
    name: &str,
    doc: &str,
    nin: usize,
    loops: Vec<(usize, Vec<i32>)>,
    identity: i32,
    nout: usize,
    signature: Option<&str>,
    parallel: bool,
    ndims: usize,
) -> PyResult<Py<PyAny>> {
    if loops.is_empty() {
        return Err(pyo3::exceptions::PyValueError::new_err("a ufunc needs at least one loop"));
    }
    let nargs = nin + nout;
    let mut funcs: Vec<npyffi::PyUFuncGenericFunction> = Vec::new();
    let mut types: Vec<c_char> = Vec::new();
    let mut data: Vec<*mut c_void> = Vec::new();
    for (address, numbers) in &loops {
        if numbers.len() != nargs {
            return Err(pyo3::exceptions::PyValueError::new_err("each loop needs one type per input and one for the output"));
        }
        // SAFETY: the address is a compiled ufunc inner loop with exactly this signature.
        let f: unsafe extern "C" fn(*mut *mut c_char, *mut npyffi::npy_intp, *mut npyffi::npy_intp, *mut c_void) = unsafe { std::mem::transmute(*address) };
        types.extend(numbers.iter().map(|n| *n as c_char));
        if parallel {
            funcs.push(Some(parallel_loop));
            data.push(Box::leak(Box::new(ParallelLoop { inner: f, nargs, ndims })) as *mut ParallelLoop as *mut c_void);
        } else {
            funcs.push(Some(f));
            data.push(std::ptr::null_mut());
        }
    }
    let funcs = Box::leak(funcs.into_boxed_slice());
    let types = Box::leak(types.into_boxed_slice());
    let data = Box::leak(data.into_boxed_slice());
    let name = Box::leak(CString::new(name)?.into_boxed_c_str());
    let doc = Box::leak(CString::new(doc)?.into_boxed_c_str());
    // SAFETY: NumPy's C API with tables that outlive the ufunc.
    unsafe {
        // With a NULL signature NumPy makes an ordinary (not generalised) ufunc.
        let layout = match signature {
            Some(layout) => Box::leak(CString::new(layout)?.into_boxed_c_str()).as_ptr(),
            None => std::ptr::null(),
        };
        let ufunc = PY_UFUNC_API.PyUFunc_FromFuncAndDataAndSignature(
            py,
            funcs.as_mut_ptr(),
            data.as_mut_ptr(),
            types.as_mut_ptr(),
            loops.len() as c_int,
            nin as c_int,
            nout as c_int,
            identity,
            name.as_ptr(),
            doc.as_ptr(),
            0,
            layout,
        );
        if ufunc.is_null() {
            return Err(PyErr::fetch(py));
        }
        Ok(Bound::from_owned_ptr(py, ufunc).unbind())
    }
}

type InnerLoop = unsafe extern "C" fn(*mut *mut c_char, *mut npyffi::npy_intp, *mut npyffi::npy_intp, *mut c_void);

/// A compiled loop of a `target='parallel'` ufunc, as [`parallel_loop`] finds it in the loop's
/// `data`.
struct ParallelLoop {
    inner: InnerLoop,
    /// Operands (inputs and outputs).
    nargs: usize,
    /// The length of `dims`: 1, or 1 + the core dimensions of a generalised ufunc.
    ndims: usize,
}

/// The number of elements (outer iterations times the core dimensions' sizes) from which a
/// parallel ufunc's loop runs on the pool; smaller calls run on the calling thread, where
/// handing chunks to the pool costs more than the chunks gain. Measured with
/// `bench/run_thresholds.py` (serial against parallel ufunc in one process, called
/// alternately, medians of 41 calls, 2 cores, this threshold at 0; three runs): `x * 2.0 + y`
/// on float64 took 1.61-1.67 / 0.87-1.11 / 0.68-1.00 / 0.64-0.77 of the serial time at 2^14 /
/// 2^15 / 2^16 / 2^17 elements, `math.sin(x) * y` 0.55-0.56 / 0.57-0.58 / 0.54-0.60 /
/// 0.52-0.62. Kernels that do more per element gain sooner; the threshold is for the cheapest
/// ones, which break even at 2^15.
pub(crate) const PARALLEL_FROM: i64 = 1 << 16;

static PARALLEL_FROM_NOW: AtomicI64 = AtomicI64::new(PARALLEL_FROM);

/// Changes the threshold of parallel ufuncs for the process (timings compare them with serial
/// ufuncs at every size); returns the previous one, or the current one without `elements`.
pub(crate) fn parallel_ufunc_threshold(elements: Option<i64>) -> i64 {
    match elements {
        Some(n) => PARALLEL_FROM_NOW.swap(n.max(0), Ordering::Relaxed),
        None => PARALLEL_FROM_NOW.load(Ordering::Relaxed),
    }
}

/// The loop NumPy calls for a `target='parallel'` ufunc: the outer loop's iterations cut
/// into chunks, each a call of the compiled loop on its part of the operands.
unsafe extern "C" fn parallel_loop(args: *mut *mut c_char, dims: *mut npyffi::npy_intp, steps: *mut npyffi::npy_intp, data: *mut c_void) {
    // SAFETY: `data` is the `ParallelLoop` `make_ufunc` registered with this loop; NumPy passes
    // `nargs` operand pointers and steps, and `ndims` dimensions.
    unsafe {
        let lp = &*(data as *const ParallelLoop);
        let n = *dims;
        // The elements the call touches: a generalised ufunc's outer iterations each work on
        // its core dimensions.
        let work = (1..lp.ndims).fold(n, |w, k| w.saturating_mul((*dims.add(k)).max(1)));
        if n < 2 || (work as i64) < PARALLEL_FROM_NOW.load(Ordering::Relaxed) {
            return (lp.inner)(args, dims, steps, std::ptr::null_mut());
        }
        let bases: Vec<usize> = (0..lp.nargs).map(|k| *args.add(k) as usize).collect();
        let outer_steps: Vec<isize> = (0..lp.nargs).map(|k| *steps.add(k) as isize).collect();
        let all_dims: Vec<npyffi::npy_intp> = (0..lp.ndims).map(|k| *dims.add(k)).collect();
        let steps = steps as usize;
        let inner = lp.inner;
        let chunks = ferrojit_compiler::runtime::parallel::chunk_count(n as i64);
        let chunk = |_c: i64, lo: i64, hi: i64| -> Result<(), (u32, String)> {
            let mut chunk_args: Vec<*mut c_char> = bases.iter().zip(&outer_steps).map(|(b, s)| (*b as isize + lo as isize * s) as *mut c_char).collect();
            let mut chunk_dims = all_dims.clone();
            chunk_dims[0] = (hi - lo) as npyffi::npy_intp;
            inner(chunk_args.as_mut_ptr(), chunk_dims.as_mut_ptr(), steps as *mut npyffi::npy_intp, std::ptr::null_mut());
            Ok(())
        };
        // Compiled ufunc loops cannot raise (an element that would gets NumPy's value).
        let _ = ferrojit_compiler::runtime::parallel::run_chunks(n as i64, chunks, &chunk);
    }
}
