//! A compiled generator returned to Python: a Python iterator over the values it yields,
//! resumed lazily by `next()` (as Numba returns a generator object).
//!
//! The object owns one reference to the generator's state (see `ferrojit_codegen`'s generator
//! lowering); dropping it, half-way or after the end, drops that reference, and the state's
//! compiled destructor releases what the suspended generator held. Each `next()` calls the
//! `next_entry` the state records, which writes the yielded value into slots as a root's
//! entry point writes its result; the value is converted as results are. An exception raised
//! inside the generator is raised by that `next()`, after which the generator is finished (as
//! in CPython).
//!
//! Dropping a generator suspended inside a `try` statement closes it as CPython does: it
//! raises `GeneratorExit` at its `yield`, so that its `finally` blocks (and handlers of
//! `BaseException`) run; `close()` drops it so (an exception it raises then is reported as
//! unraisable rather than raised, see `ferrojit_rt_generator_closed`).
//!
//! A generator returned to Python outlives the call that made it, and with it the call's
//! borrow of its argument arrays: when it is boxed, the arrays its state borrows are adopted
//! (`ferrojit_rt_generator_adopt`), each then holding a reference to its ndarray.

use crate::values::unpack;
use ferrojit_runtime::memory::{generator_next_entry, release, MemInfo};
use ferrojit_compiler::runtime::ExcInfo;
use ferrojit_types::Type;
use pyo3::exceptions::PyStopIteration;
use pyo3::prelude::*;

/// The signature of a generator's `next_entry`: an entry point whose one argument slot holds
/// the state.
type NextEntry = unsafe extern "C" fn(ret_slots: *mut u64, exc: *mut ExcInfo, arg_slots: *const u64) -> i32;

/// A generator made by compiled code, as Python sees it.
#[pyclass(module = "ferrojit._native", name = "generator")]
pub struct CompiledGenerator {
    /// The state, owned; null once the generator has finished and released it.
    state: *mut MemInfo,
    yield_ty: Type,
    /// The generator function, for `repr`.
    name: String,
}

// SAFETY: the state is reached only through this object, with the GIL held (PyO3 gives
// `__next__` the object exclusively), and its last reference is dropped atomically.
unsafe impl Send for CompiledGenerator {}
unsafe impl Sync for CompiledGenerator {}

impl Drop for CompiledGenerator {
    fn drop(&mut self) {
        self.finish();
    }
}

impl CompiledGenerator {
    /// Drops the state (and with it what the generator held), once.
    fn finish(&mut self) {
        let state = std::mem::replace(&mut self.state, std::ptr::null_mut());
        if !state.is_null() {
            // SAFETY: the reference this object owned.
            unsafe { release(state) };
        }
    }
}

/// The Python object of a generator of type `ty` whose state is `state` (a reference the
/// object takes over), made by the call that just returned it: the arrays it borrows from
/// the call's arguments are still alive.
pub fn box_generator<'py>(py: Python<'py>, ty: &ferrojit_types::GeneratorType, state: *mut MemInfo) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: a live generator state; the GIL is held and the call's arguments are alive.
    unsafe { ferrojit_runtime::memory::ferrojit_rt_generator_adopt(state) };
    Ok(Bound::new(py, CompiledGenerator { state, yield_ty: ty.yield_ty.clone(), name: ty.name.clone() })?.into_any())
}

#[pymethods]
impl CompiledGenerator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if self.state.is_null() {
            return Err(PyStopIteration::new_err(()));
        }
        let mut slots = vec![0u64; self.yield_ty.leaves().len().max(1)];
        let args = [self.state as u64];
        let mut exc = ExcInfo::default();
        // SAFETY: the state is alive (this object owns a reference); its `next_entry` was
        // compiled for this yield type's slots and takes the state in one argument slot.
        let status = unsafe {
            let entry = std::mem::transmute::<*const u8, NextEntry>(generator_next_entry(self.state));
            crate::gil::run_holding_gil(|| entry(slots.as_mut_ptr(), &mut exc, args.as_ptr()))
        };
        // SAFETY: the GIL is held.
        unsafe { crate::write_pending_output() };
        match status {
            0 => unpack(py, &self.yield_ty, &slots, &mut 0),
            ferrojit_runtime::STATUS_FINISHED => {
                self.finish();
                Err(PyStopIteration::new_err(()))
            }
            _ => {
                self.finish();
                Err(crate::dispatcher::native_exception(py, &exc))
            }
        }
    }

    /// Closes the generator: one suspended inside a `try` statement runs its `finally` blocks
    /// (see the module documentation); later `next()` calls raise `StopIteration`.
    fn close(&mut self) {
        self.finish();
        // SAFETY: the GIL is held.
        unsafe { crate::write_pending_output() };
    }

    fn __repr__(&self) -> String {
        format!("<compiled generator object {} at {:#x}>", self.name, self as *const Self as usize)
    }
}
