//! Real NumPy ufuncs over compiled inner loops (`@vectorize`).

use numpy::npyffi::{self, PY_UFUNC_API};
use pyo3::prelude::*;
use std::ffi::CString;
use std::os::raw::{c_char, c_int, c_void};

/// Builds a `numpy.ufunc` named `name` from compiled inner loops: each is (loop address,
/// NumPy type numbers of the inputs then the output). `identity` is NumPy's code
/// (`PyUFunc_Zero` 0, `PyUFunc_One` 1, `PyUFunc_None` -1, `PyUFunc_ReorderableNone` -2).
///
/// The tables NumPy keeps pointers into are leaked on purpose: a ufunc refers to them for as
/// long as it lives, and the loops they point to are never freed either.
///
/// With `signature` (a layout such as `"(n),()->(n)"`) it is a generalised ufunc with `nout`
/// outputs.
#[pyfunction]
#[pyo3(signature = (name, doc, nin, loops, identity, nout=1, signature=None))]
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
) -> PyResult<Py<PyAny>> {
    if loops.is_empty() {
        return Err(pyo3::exceptions::PyValueError::new_err("a ufunc needs at least one loop"));
    }
    let nargs = nin + nout;
    let mut funcs: Vec<npyffi::PyUFuncGenericFunction> = Vec::new();
    let mut types: Vec<c_char> = Vec::new();
    for (address, numbers) in &loops {
        if numbers.len() != nargs {
            return Err(pyo3::exceptions::PyValueError::new_err("each loop needs one type per input and one for the output"));
        }
        // SAFETY: the address is a compiled ufunc inner loop with exactly this signature.
        let f: unsafe extern "C" fn(*mut *mut c_char, *mut npyffi::npy_intp, *mut npyffi::npy_intp, *mut c_void) = unsafe { std::mem::transmute(*address) };
        funcs.push(Some(f));
        types.extend(numbers.iter().map(|n| *n as c_char));
    }
    let data: Vec<*mut c_void> = vec![std::ptr::null_mut(); loops.len()];
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
