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
//! `BaseException`) run; an exception it raises then is reported as unraisable (see
//! `ferrojit_rt_generator_closed`). `throw()` and `close()` raise their exception at the
//! `yield` too (see `ferrojit_runtime::throw_into_generator`), and raise what leaves it.
//!
//! A generator returned to Python outlives the call that made it, and with it the call's
//! borrow of its argument arrays: when it is boxed, the arrays its state borrows are adopted
//! (`ferrojit_rt_generator_adopt`), each then holding a reference to its ndarray.

use crate::values::unpack;
use ferrojit_runtime::memory::{generator_next_entry, release, MemInfo};
use ferrojit_compiler::runtime::ExcInfo;
use ferrojit_types::Type;
use pyo3::exceptions::{PyBaseException, PyRuntimeError, PyStopIteration, PyTypeError, PyValueError};
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
    /// Resumes the generator until its next `yield` (its value) or its end (`None`); an
    /// exception leaving it is raised. Either end finishes it.
    fn run<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        if self.state.is_null() {
            return Ok(None);
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
            0 => unpack(py, &self.yield_ty, &slots, &mut 0).map(Some),
            ferrojit_runtime::STATUS_FINISHED => {
                self.finish();
                Ok(None)
            }
            // Still suspended where it was.
            ferrojit_runtime::STATUS_THROW_REFUSED => Err(PyTypeError::new_err(
                "throw() into a compiled generator suspended in `yield from` is not supported: compiled code runs `yield from` as a loop, so the exception would not reach the inner generator as in CPython; write the loop (`for x in inner: yield x`) to have it raised at the `yield`",
            )),
            _ => {
                self.finish();
                Err(crate::dispatcher::native_exception(py, &exc))
            }
        }
    }

    /// Makes the next [`Self::run`] raise `exception` where the suspended generator is (see
    /// `ferrojit_runtime::throw_into_generator`); when it leaves the generator unchanged,
    /// Python gets the very object back.
    fn throw_into(&mut self, exception: Bound<'_, PyBaseException>) -> PyResult<()> {
        let (code, message) = crate::user_exceptions::encode(&exception);
        // SAFETY: the state is alive (this object owns a reference).
        if !unsafe { ferrojit_runtime::throw_into_generator(self.state, code, message.clone()) } {
            return Err(PyValueError::new_err("generator already executing"));
        }
        crate::objmode::keep_original(code, message, PyErr::from_value(exception.into_any()));
        Ok(())
    }

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
        self.run(py)?.ok_or_else(|| PyStopIteration::new_err(()))
    }

    /// CPython's `generator.throw`: raises the exception (an instance, or a class called with
    /// no argument; the deprecated `throw(type, value)` too) where the generator is suspended,
    /// so that its handlers and `finally` blocks run; returns the value it yields next, or
    /// raises what leaves it (`StopIteration` when it returns). A generator not started raises
    /// it before its first line; a finished one raises it at once.
    #[pyo3(signature = (kind, value=None, traceback=None, /))]
    fn throw<'py>(&mut self, py: Python<'py>, kind: Bound<'py, PyAny>, value: Option<Bound<'py, PyAny>>, traceback: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        let exception = thrown_exception(kind, value, traceback)?;
        if self.state.is_null() {
            return Err(PyErr::from_value(exception.into_any()));
        }
        let class = exception.get_type();
        if crate::user_exceptions::builtin_kind(&class).is_none() && crate::user_exceptions::code_of(&class).is_none() {
            let name = class.name().map(|n| n.to_string()).unwrap_or_default();
            return Err(PyTypeError::new_err(format!(
                "cannot throw `{name}` into a compiled generator: compiled code has no such exception class; throw one of the exception classes compiled code knows (`ValueError`, `KeyError`, ...) or a class defined in Python code deriving from one"
            )));
        }
        self.throw_into(exception)?;
        self.run(py)?.ok_or_else(|| PyStopIteration::new_err(()))
    }

    /// CPython's `generator.close`: raises `GeneratorExit` where the generator is suspended, so
    /// that its handlers and `finally` blocks run. Another exception leaving it is raised here;
    /// a value yielded instead is CPython's `RuntimeError("generator ignored GeneratorExit")`
    /// (the generator stays suspended). Later `next()` calls raise `StopIteration`.
    fn close(&mut self, py: Python<'_>) -> PyResult<()> {
        if self.state.is_null() {
            return Ok(());
        }
        let exit = pyo3::exceptions::PyGeneratorExit::new_err(()).into_value(py).into_bound(py);
        self.throw_into(exit)?;
        match self.run(py) {
            Ok(None) => Ok(()),
            Ok(Some(_yielded)) => Err(PyRuntimeError::new_err("generator ignored GeneratorExit")),
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyGeneratorExit>(py) || e.is_instance_of::<PyStopIteration>(py) => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn __repr__(&self) -> String {
        format!("<compiled generator object {} at {:#x}>", self.name, self as *const Self as usize)
    }
}

/// The exception `throw(kind, value, traceback)` raises, as CPython makes it: `kind` an
/// instance (then without `value`), or a class called with nothing, with `value` when it is
/// not an instance already (with its items, for a tuple); `traceback`, when given, attached.
fn thrown_exception<'py>(kind: Bound<'py, PyAny>, value: Option<Bound<'py, PyAny>>, traceback: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyBaseException>> {
    let value = value.filter(|v| !v.is_none());
    let exception = if let Ok(instance) = kind.cast::<PyBaseException>() {
        if value.is_some() {
            return Err(PyTypeError::new_err("instance exception may not have a separate value"));
        }
        instance.clone().into_any()
    } else if kind.cast::<pyo3::types::PyType>().is_ok_and(|t| t.is_subclass_of::<PyBaseException>().unwrap_or(false)) {
        match value {
            None => kind.call0()?,
            Some(v) if v.is_instance(&kind)? => v,
            Some(v) => match v.cast::<pyo3::types::PyTuple>() {
                Ok(items) => kind.call1(items.clone())?,
                Err(_) => kind.call1((v,))?,
            },
        }
    } else {
        let name = kind.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        return Err(PyTypeError::new_err(format!("exceptions must be classes or instances deriving from BaseException, not {name}")));
    };
    let exception = exception.cast_into::<PyBaseException>().map_err(|e| PyTypeError::new_err(format!("calling the exception class gave no exception: {e}")))?;
    if let Some(tb) = traceback.filter(|t| !t.is_none()) {
        exception.call_method1("with_traceback", (tb,))?;
    }
    Ok(exception)
}
