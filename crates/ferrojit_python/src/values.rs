//! Python values <-> ferrojit types and the slot buffers of compiled entry points.
//!
//! [`typeof_value`] gives the type a value is compiled for (Python `int` -> int64, `float` ->
//! float64, `complex` -> complex128, NumPy scalars keep their dtype, tuples item by item).
//! [`pack`] writes a value into slots *if and only if* its type is exactly the expected one; the
//! dispatcher uses it both to select a specialisation and to marshal the arguments, so the two
//! can never disagree. [`unpack`] boxes a result as Numba does: Python `bool`, `int`, `float`,
//! `complex`, `None`, tuples and lists (see `lists.rs`).

use ferrojit_compiler::{ArrayType, FloatType, IntType, Layout, RecordField, RecordType, TimeUnit, Type};
use numpy::npyffi::{self, flags as npyflags, PY_ARRAY_API};
use numpy::{PyArrayDescrMethods, PyUntypedArray, PyUntypedArrayMethods};
use std::os::raw::c_int;
use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt, PyList, PyTuple};
use std::collections::HashMap;

/// NumPy's scalar type objects (by address) and the ferrojit type of their instances; empty
/// until NumPy is imported.
/// Fills the tables built on first use (NumPy's scalar types and dtypes, once NumPy is
/// loaded): see [`crate::prepare_lazy_state`].
pub(crate) fn prepare_tables(py: Python<'_>) {
    if numpy_scalar_types(py).is_some() {
        builtin_descrs(py);
    }
}

fn numpy_scalar_types(py: Python<'_>) -> Option<&'static HashMap<usize, Type>> {
    static TABLE: PyOnceLock<HashMap<usize, Type>> = PyOnceLock::new();
    if let Some(t) = TABLE.get(py) {
        return Some(t);
    }
    // Only look once NumPy is loaded: no NumPy scalar can exist before that.
    let modules = py.import("sys").ok()?.getattr("modules").ok()?;
    let np = modules.get_item("numpy").ok()?;
    let mut table = HashMap::new();
    for name in ["bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "complex64", "complex128"] {
        if let (Ok(t), Some(ty)) = (np.getattr(name), Type::from_name(name)) {
            table.insert(t.as_ptr() as usize, ty);
        }
    }
    Some(TABLE.get_or_init(py, || table))
}

fn numpy_scalar(obj: &Bound<'_, PyAny>) -> Option<Type> {
    let ty = obj.get_type().as_ptr() as usize;
    numpy_scalar_types(obj.py())?.get(&ty).cloned()
}

/// The ferrojit type of an argument, or a `TypeError` saying what is accepted (the dispatcher
/// puts the function and the parameter in front of the message).
pub fn typeof_value(obj: &Bound<'_, PyAny>) -> PyResult<Type> {
    if obj.is_exact_instance_of::<PyBool>() {
        return Ok(Type::Bool);
    }
    if obj.is_exact_instance_of::<PyInt>() {
        return int_type(obj);
    }
    if obj.is_exact_instance_of::<PyFloat>() {
        return Ok(Type::FLOAT64);
    }
    if obj.is_exact_instance_of::<PyComplex>() {
        return Ok(Type::COMPLEX128);
    }
    if obj.is_none() {
        return Ok(Type::NoneType);
    }
    if obj.is_instance_of::<pyo3::exceptions::PyBaseException>() {
        return Ok(Type::Exception);
    }
    if let Ok(t) = obj.cast_exact::<PyTuple>() {
        return Ok(Type::Tuple(t.iter().map(|i| typeof_value(&i)).collect::<PyResult<_>>()?));
    }
    if let Some(t) = crate::named_tuples::type_of(obj, typeof_value) {
        return t;
    }
    if let Ok(l) = obj.cast_exact::<PyList>() {
        return crate::lists::typeof_list(l);
    }
    if let Ok(d) = obj.cast_exact::<pyo3::types::PyDict>() {
        return crate::dicts::typeof_dict(d);
    }
    if let Ok(s) = obj.cast_exact::<pyo3::types::PySet>() {
        return crate::dicts::typeof_set(s);
    }
    if obj.is_exact_instance_of::<pyo3::types::PyString>() {
        return Ok(Type::Str);
    }
    if obj.is_exact_instance_of::<pyo3::types::PyBytes>() {
        return Ok(Type::Bytes);
    }
    if let Some(t) = crate::typed::type_of(obj) {
        return t;
    }
    if let Some(t) = crate::instances::type_of(obj) {
        return t;
    }
    if let Some(t) = crate::instances::class_type_of(obj) {
        return t;
    }
    if let Some(t) = numpy_scalar(obj) {
        return Ok(t);
    }
    if let Some(t) = time_scalar(obj) {
        return t;
    }
    if let Some(array) = as_ndarray(obj) {
        return array_type_of(array).map(Type::Array);
    }
    if let Some(source) = dispatcher_source(obj) {
        return source.map(|s| ferrojit_compiler::plain_function_type(&s));
    }
    if obj.is_instance_of::<pyo3::types::PyFunction>() {
        return Err(PyTypeError::new_err(
            "cannot compile for a plain Python function argument: compiled code calls compiled functions only; decorate the function with `@njit`",
        ));
    }
    Err(PyTypeError::new_err(format!(
        "cannot compile for a `{}` argument; compiled functions take bool, int, float, complex, str, bytes, NumPy scalars and arrays, None, and tuples, lists, dicts and sets of them",
        obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
    )))
}

/// The function source of a compiled function (`@njit`), `None` for other objects.
fn dispatcher_source(obj: &Bound<'_, PyAny>) -> Option<PyResult<std::sync::Arc<ferrojit_compiler::FunctionSource>>> {
    let d = obj.cast::<crate::dispatcher::DispatcherBase>().ok()?;
    Some(d.get().function_source(obj.py()))
}

/// The type of a `np.datetime64`/`np.timedelta64` scalar; `None` for other objects.
fn time_scalar(obj: &Bound<'_, PyAny>) -> Option<PyResult<Type>> {
    numpy_scalar_types(obj.py())?;
    let np = crate::globals::loaded_module(obj.py(), "numpy")?;
    let is_time = ["datetime64", "timedelta64"].iter().any(|name| np.getattr(*name).is_ok_and(|t| obj.get_type().is(&t)));
    is_time.then(|| time_dtype(&obj.getattr("dtype")?))
}

/// The type of a `datetime64[unit]`/`timedelta64[unit]` dtype (`<M8[ns]`, `<m8`), refusing
/// multiples of units (`M8[3ms]`) and non-native byte order.
fn time_dtype(dtype: &Bound<'_, PyAny>) -> PyResult<Type> {
    let spelled: String = dtype.getattr("str")?.extract()?;
    let refuse = || PyTypeError::new_err(format!("compiled functions cannot take the dtype `{spelled}`; datetime64 and timedelta64 take one unit (`M8[ns]`, `m8[D]`) in native byte order"));
    let body = spelled.strip_prefix('<').or_else(|| spelled.strip_prefix('=')).ok_or_else(refuse)?;
    let (kind, unit) = match body.split_once('[') {
        Some((kind, unit)) => (kind, TimeUnit::from_code(unit.strip_suffix(']').ok_or_else(refuse)?).ok_or_else(refuse)?),
        None => (body, TimeUnit::Generic),
    };
    match kind {
        "M8" => Ok(Type::Datetime(unit)),
        "m8" => Ok(Type::Timedelta(unit)),
        _ => Err(refuse()),
    }
}

/// A datetime64/timedelta64 scalar of `ty` holding the count `value`.
fn time_value<'py>(py: Python<'py>, ty: &Type, value: i64) -> PyResult<Bound<'py, PyAny>> {
    let (class, unit) = match ty {
        Type::Datetime(unit) => ("datetime64", unit),
        Type::Timedelta(unit) => ("timedelta64", unit),
        _ => return Err(PyTypeError::new_err(format!("`{ty}` is not a time type"))),
    };
    let class = py.import("numpy")?.getattr(class)?;
    match unit {
        // NumPy has only NaT as a datetime64 of generic units.
        TimeUnit::Generic if matches!(ty, Type::Datetime(_)) => class.call1(("NaT",)),
        TimeUnit::Generic => class.call1((value,)),
        unit => class.call1((value, unit.code())),
    }
}

fn int_type(obj: &Bound<'_, PyAny>) -> PyResult<Type> {
    let mut overflow = 0;
    // SAFETY: `obj` is an exact int.
    let v = unsafe { ffi::PyLong_AsLongLongAndOverflow(obj.as_ptr(), &mut overflow) };
    if overflow == 0 {
        let _ = v;
        return Ok(Type::INT64);
    }
    if overflow > 0 && obj.extract::<u64>().is_ok() {
        return Ok(Type::UINT64);
    }
    let bits = obj.call_method0("bit_length").and_then(|b| b.extract::<u64>()).unwrap_or(0);
    Err(PyOverflowError::new_err(format!(
        "an integer of {bits} bits does not fit in 64 bits; compiled functions use int64 (or uint64) integers"
    )))
}

/// Writes `obj` into `slots[*at..]` when its type is exactly `ty`; returns false (having
/// written garbage into the slots) when it is not.
pub fn pack(obj: &Bound<'_, PyAny>, ty: &Type, slots: &mut [u64], at: &mut usize) -> bool {
    let mut put = |v: u64| {
        if *at < slots.len() {
            slots[*at] = v;
        }
        *at += 1;
    };
    match ty {
        Type::Bool => {
            if obj.is_exact_instance_of::<PyBool>() {
                put(obj.is_truthy().unwrap_or(false) as u64);
                return true;
            }
            numpy_matches(obj, ty) && obj.is_truthy().map(|b| put(b as u64)).is_ok()
        }
        Type::Int(i) if obj.is_exact_instance_of::<PyInt>() => {
            let mut overflow = 0;
            // SAFETY: `obj` is an exact int.
            let v = unsafe { ffi::PyLong_AsLongLongAndOverflow(obj.as_ptr(), &mut overflow) };
            match (overflow, i.signed) {
                (0, true) if i.bits == 64 => {
                    put(v as u64);
                    true
                }
                (1, false) if i.bits == 64 => match obj.extract::<u64>() {
                    Ok(u) => {
                        put(u);
                        true
                    }
                    Err(_) => false,
                },
                _ => false,
            }
        }
        Type::Int(i) => numpy_matches(obj, ty) && put_int(obj, *i, &mut put),
        Type::Float(FloatType::F64) if obj.is_exact_instance_of::<PyFloat>() => {
            // SAFETY: `obj` is an exact float.
            put(unsafe { ffi::PyFloat_AS_DOUBLE(obj.as_ptr()) }.to_bits());
            true
        }
        Type::Float(f) => {
            numpy_matches(obj, ty)
                && obj
                    .extract::<f64>()
                    .map(|v| put(if *f == FloatType::F32 { (v as f32).to_bits() as u64 } else { v.to_bits() }))
                    .is_ok()
        }
        Type::Complex(f) => {
            let exact = *f == FloatType::F64 && obj.is_exact_instance_of::<PyComplex>();
            if !exact && !numpy_matches(obj, ty) {
                return false;
            }
            put_complex(obj, *f, &mut put)
        }
        Type::NoneType => obj.is_none(),
        Type::NotImplemented => obj.is(&py_not_implemented(obj.py())),
        // A compiled function passed as an argument: its value is empty (it captures nothing),
        // its identity is in the type.
        Type::Function(f) => f.captures.is_empty() && dispatcher_source(obj).is_some_and(|s| s.is_ok_and(|s| s.id == f.id)),
        // A generator returned to Python stays there (`typeof` gives no type for one).
        Type::Generator(_) => false,
        // The jitclass itself: nothing to pack.
        Type::Class(c) => crate::instances::is_class(obj, c),
        // A jitclass instance of the type's class: its record, with a reference for the call.
        Type::Instance(c) => match crate::instances::share(obj, c) {
            Some(meminfo) => {
                put(meminfo as u64);
                true
            }
            None => false,
        },
        // `None`, or a value of the inner type (an optional parameter of a declared
        // signature, a jitclass's optional field): the flag, then the value, zeroed for `None`.
        Type::Optional(inner) => {
            if obj.is_none() {
                put(0);
                (0..inner.leaves().len()).for_each(|_| put(0));
                return true;
            }
            put(1);
            pack(obj, inner, slots, at)
        }
        // An exception object, as compiled code holds one: its class's code and a new string
        // of its message (released after the call as a packed string is).
        Type::Exception => match obj.cast::<pyo3::exceptions::PyBaseException>() {
            Ok(e) => {
                let (code, message) = crate::user_exceptions::encode(e);
                let text = ferrojit_compiler::runtime::strings::from_str(&message);
                if text.is_null() {
                    return false;
                }
                put(code as u64);
                put(text as u64);
                true
            }
            Err(_) => false,
        },
        // A Python tuple is a tuple: compiled code makes `e.args` values only of its own
        // exceptions.
        Type::ExceptionArgs => false,
        Type::Array(expected) => match as_ndarray(obj) {
            Some(array) if is_array_of_type(array, expected) => {
                // SAFETY: a live ndarray, kept alive by the caller for the whole call.
                let raw = unsafe { &*array.as_array_ptr() };
                // The meminfo slot of a borrowed array is the ndarray itself, tagged with the
                // low bit: reference counting skips it, and returning the array (or a view of
                // it) makes an ndarray whose base is this one.
                put(obj.as_ptr() as u64 | 1);
                put(raw.data as u64);
                for k in 0..raw.nd as usize {
                    put(unsafe { *raw.dimensions.add(k) } as u64);
                }
                for k in 0..raw.nd as usize {
                    put(unsafe { *raw.strides.add(k) } as u64);
                }
                true
            }
            _ => false,
        },
        Type::Tuple(items) => match obj.cast_exact::<PyTuple>() {
            Ok(t) if t.len() == items.len() => pack_items(&t, items, slots, at),
            _ => false,
        },
        // An instance of exactly the type's class.
        Type::NamedTuple(n) => match obj.cast::<PyTuple>() {
            Ok(t) if crate::named_tuples::is_instance(obj, n) => pack_items(t, &n.items, slots, at),
            _ => false,
        },
        Type::Set(item) => match crate::dicts::pack_set(obj, item) {
            Some(meminfo) => {
                put(meminfo as u64);
                true
            }
            None => false,
        },
        Type::Dict(key, value) => match crate::typed::share(obj, ty).or_else(|| crate::dicts::pack_dict(obj, key, value)) {
            Some(meminfo) => {
                put(meminfo as u64);
                true
            }
            None => false,
        },
        Type::List(item) => match crate::typed::share(obj, ty).or_else(|| crate::lists::pack_list(obj, item)) {
            Some(meminfo) => {
                put(meminfo as u64);
                true
            }
            None => false,
        },
        Type::Bytes => match crate::strings::pack_bytes(obj) {
            Some(meminfo) => {
                put(meminfo as u64);
                true
            }
            None => false,
        },
        Type::Str => match crate::strings::pack_str(obj) {
            Some(meminfo) => {
                put(meminfo as u64);
                true
            }
            None => false,
        },
        Type::Record(_) => false,
        Type::Datetime(_) | Type::Timedelta(_) => match time_scalar(obj) {
            Some(Ok(t)) if t == *ty => obj.call_method1("view", ("i8",)).and_then(|v| v.extract::<i64>()).map(|v| put(v as u64)).is_ok(),
            _ => false,
        },
    }
}

/// Packs the items of the tuple `t` as values of `items` (as many).
fn pack_items(t: &Bound<'_, PyTuple>, items: &[Type], slots: &mut [u64], at: &mut usize) -> bool {
    let start = *at;
    for (k, (o, ty)) in t.iter().zip(items).enumerate() {
        if !pack(&o, ty, slots, at) {
            // The lists packed for the items before this one are nobody's.
            let mut from = start;
            items[..k].iter().for_each(|done| crate::lists::release_packed(done, slots, &mut from));
            return false;
        }
    }
    true
}

/// `obj` as an ndarray; never imports NumPy (no ndarray exists before NumPy is imported).
pub fn as_ndarray<'a, 'py>(obj: &'a Bound<'py, PyAny>) -> Option<&'a Bound<'py, PyUntypedArray>> {
    numpy_scalar_types(obj.py())?;
    obj.cast::<PyUntypedArray>().ok()
}

fn numpy_matches(obj: &Bound<'_, PyAny>, ty: &Type) -> bool {
    numpy_scalar(obj).as_ref() == Some(ty)
}

/// Writes the real and imaginary parts of a number as two slots of `f`.
fn put_complex(obj: &Bound<'_, PyAny>, f: FloatType, put: &mut impl FnMut(u64)) -> bool {
    let re = obj.getattr("real").and_then(|r| r.extract::<f64>());
    let im = obj.getattr("imag").and_then(|i| i.extract::<f64>());
    match (re, im) {
        (Ok(re), Ok(im)) => {
            for v in [re, im] {
                put(if f == FloatType::F32 { (v as f32).to_bits() as u64 } else { v.to_bits() });
            }
            true
        }
        _ => false,
    }
}

fn put_int(obj: &Bound<'_, PyAny>, i: IntType, put: &mut impl FnMut(u64)) -> bool {
    let v = if i.signed { obj.extract::<i64>().map(|v| v as u64) } else { obj.extract::<u64>() };
    v.map(put).is_ok()
}

/// Boxes the value of type `ty` stored in `slots[*at..]`.
pub fn unpack<'py>(py: Python<'py>, ty: &Type, slots: &[u64], at: &mut usize) -> PyResult<Bound<'py, PyAny>> {
    let mut take = || {
        let v = slots[*at];
        *at += 1;
        v
    };
    Ok(match ty {
        Type::Bool => PyBool::new(py, take() & 0xff != 0).to_owned().into_any(),
        Type::Int(i) => {
            let raw = take();
            let shift = 64 - i.bits as u32;
            if i.signed {
                (((raw << shift) as i64) >> shift).into_pyobject(py)?.into_any()
            } else {
                ((raw << shift) >> shift).into_pyobject(py)?.into_any()
            }
        }
        Type::Float(f) => float(take(), *f).into_pyobject(py)?.into_any(),
        Type::Complex(f) => {
            let re = float(take(), *f);
            let im = float(take(), *f);
            PyComplex::from_doubles(py, re, im).into_any()
        }
        Type::NoneType => py.None().into_bound(py),
        Type::NotImplemented => py_not_implemented(py),
        Type::Array(a) => {
            let (meminfo, data) = (take(), take());
            let mut dims: Vec<npyffi::npy_intp> = (0..a.ndim).map(|_| take() as npyffi::npy_intp).collect();
            let mut strides: Vec<npyffi::npy_intp> = (0..a.ndim).map(|_| take() as npyffi::npy_intp).collect();
            let array = box_array(py, a, meminfo, data, &mut dims, &mut strides)?;
            if a.ndim == 0 && matches!(*a.dtype, Type::Record(_)) {
                // One record (`a[i]`): NumPy's `np.void`, a view of the array's memory.
                array.get_item(())?
            } else {
                array
            }
        }
        Type::Record(_) => return Err(PyTypeError::new_err(format!("a `{ty}` cannot be returned on its own"))),
        // Typing refuses a root returning a function (`ferrojit_infer::infer_program`).
        Type::Function(_) => return Err(PyTypeError::new_err(format!("a `{ty}` cannot be returned to Python"))),
        Type::List(item) => crate::lists::box_list(py, item, take() as *mut ferrojit_runtime::memory::MemInfo)?,
        Type::Generator(g) => crate::generators::box_generator(py, g, take() as *mut ferrojit_runtime::memory::MemInfo)?,
        Type::Instance(c) => crate::instances::box_instance(py, c, take() as *mut ferrojit_runtime::memory::MemInfo)?,
        Type::Class(c) => crate::instances::box_class(py, c)?,
        Type::Dict(key, value) => crate::dicts::box_dict(py, key, value, take() as *mut ferrojit_runtime::memory::MemInfo)?,
        Type::Set(item) => crate::dicts::box_set(py, item, take() as *mut ferrojit_runtime::memory::MemInfo)?,
        Type::Str => crate::strings::box_str(py, take() as *mut ferrojit_runtime::memory::MemInfo)?,
        Type::Bytes => crate::strings::box_bytes(py, take() as *mut ferrojit_runtime::memory::MemInfo)?,
        Type::Datetime(_) | Type::Timedelta(_) => time_value(py, ty, take() as i64)?,
        Type::Tuple(items) => {
            let values = items.iter().map(|t| unpack(py, t, slots, at)).collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(py, values)?.into_any()
        }
        Type::NamedTuple(n) => {
            let values = n.items.iter().map(|t| unpack(py, t, slots, at)).collect::<PyResult<Vec<_>>>()?;
            crate::named_tuples::instance(py, n, values)?
        }
        // The exception as the dispatcher makes one that compiled code raised.
        Type::Exception => {
            let code = take() as u32;
            let message = crate::strings::box_str(py, take() as *mut ferrojit_runtime::memory::MemInfo)?;
            let message: String = message.extract()?;
            // Code 0: `None` (a `__cause__` that is none).
            if code == 0 {
                return Ok(py.None().into_bound(py));
            }
            let info = ferrojit_compiler::runtime::ExcInfo { kind: code, msg: message.as_ptr(), len: message.len() };
            crate::dispatcher::native_exception(py, &info).into_value(py).into_bound(py).into_any()
        }
        // `e.args`: the arguments of the exception the dispatcher makes of the same parts.
        Type::ExceptionArgs => unpack(py, &Type::Exception, slots, at)?.getattr("args")?,
        // `None`, or the value: a `None`'s value slots are zeroed and hold no reference.
        Type::Optional(inner) => {
            if take() & 0xff != 0 {
                unpack(py, inner, slots, at)?
            } else {
                *at += inner.leaves().len();
                py.None().into_bound(py)
            }
        }
    })
}

fn float(bits: u64, f: FloatType) -> f64 {
    match f {
        FloatType::F32 => f32::from_bits(bits as u32) as f64,
        FloatType::F64 => f64::from_bits(bits),
    }
}

/// NumPy's type number for an array element type.
pub fn type_number(ty: &Type) -> c_int {
    match ty {
        Type::Bool => 0,
        Type::Int(IntType { bits: 8, signed: true }) => 1,
        Type::Int(IntType { bits: 8, signed: false }) => 2,
        Type::Int(IntType { bits: 16, signed: true }) => 3,
        Type::Int(IntType { bits: 16, signed: false }) => 4,
        Type::Int(IntType { bits: 32, signed: true }) => 5,
        Type::Int(IntType { bits: 32, signed: false }) => 6,
        Type::Int(IntType { signed: true, .. }) => 7,
        Type::Int(IntType { signed: false, .. }) => 8,
        Type::Float(FloatType::F32) => 11,
        Type::Float(FloatType::F64) => 12,
        Type::Complex(FloatType::F32) => 14,
        Type::Complex(FloatType::F64) => 15,
        _ => -1,
    }
}

fn element_type(number: c_int, itemsize: usize) -> Option<Type> {
    Some(match number {
        0 => Type::Bool,
        1 => Type::int(8, true),
        2 => Type::int(8, false),
        3 => Type::int(16, true),
        4 => Type::int(16, false),
        5 => Type::int(32, true),
        6 => Type::int(32, false),
        // long and long long: 64-bit on the platforms we build for; checked by size.
        7 | 9 if itemsize == 8 => Type::INT64,
        8 | 10 if itemsize == 8 => Type::UINT64,
        11 => Type::FLOAT32,
        12 => Type::FLOAT64,
        14 => Type::Complex(FloatType::F32),
        15 => Type::COMPLEX128,
        _ => return None,
    })
}

/// NumPy's built-in (native byte order) dtype objects, by address, with their element types:
/// an ndarray's dtype is one of these singletons unless it was made specially, so comparing
/// the address types an argument without calling into NumPy.
fn builtin_descrs(py: Python<'_>) -> &'static HashMap<usize, Type> {
    static TABLE: PyOnceLock<HashMap<usize, Type>> = PyOnceLock::new();
    TABLE.get_or_init(py, || {
        let mut table = HashMap::new();
        for number in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15] {
            // SAFETY: NumPy's C API; the new reference is kept for the life of the process,
            // so the address stays valid.
            let descr = unsafe { PY_ARRAY_API.PyArray_DescrFromType(py, number) };
            let size = match number {
                0 | 1 | 2 => 1,
                3 | 4 => 2,
                5 | 6 | 11 => 4,
                14 => 8,
                15 => 16,
                _ => 8,
            };
            if let (false, Some(t)) = (descr.is_null(), element_type(number, size)) {
                table.insert(descr as usize, t);
            }
        }
        table
    })
}

/// The array type of an ndarray whose dtype is a built-in one, read from the object itself.
fn quick_array_type(array: &Bound<'_, PyUntypedArray>) -> Option<ArrayType> {
    // SAFETY: a live ndarray.
    let raw = unsafe { &*array.as_array_ptr() };
    let elem = builtin_descrs(array.py()).get(&(raw.descr as usize))?.clone();
    Some(with_flags(elem, raw))
}

/// The array type of elements `elem` with the dimensions, layout, writability and alignment
/// of `raw`. NumPy's `ALIGNED` flag covers the data pointer and every stride, so when it is
/// set every element is naturally aligned.
fn with_flags(elem: Type, raw: &npyffi::PyArrayObject) -> ArrayType {
    let mut t = ArrayType::new(elem, raw.nd as u8, layout_of(raw));
    t.readonly = raw.flags & npyflags::NPY_ARRAY_WRITEABLE == 0;
    t.aligned = raw.flags & npyflags::NPY_ARRAY_ALIGNED != 0;
    t
}

/// Whether an ndarray has exactly the array type `expected`, decided from the object's fields
/// without building a type (the call path allocates nothing).
fn is_array_of_type(array: &Bound<'_, PyUntypedArray>, expected: &ArrayType) -> bool {
    // SAFETY: a live ndarray.
    let raw = unsafe { &*array.as_array_ptr() };
    match builtin_descrs(array.py()).get(&(raw.descr as usize)) {
        Some(elem) => {
            raw.nd as u8 == expected.ndim
                && *elem == *expected.dtype
                && (raw.flags & npyflags::NPY_ARRAY_ALIGNED != 0) == expected.aligned
                && layout_of(raw) == expected.layout
                && (raw.flags & npyflags::NPY_ARRAY_WRITEABLE == 0) == expected.readonly
        }
        // A dtype object that is not one of NumPy's built-in ones: the general path.
        None => array_type_of(array).is_ok_and(|t| t == *expected),
    }
}

fn layout_of(raw: &npyffi::PyArrayObject) -> Layout {
    if raw.nd == 0 || raw.flags & npyflags::NPY_ARRAY_C_CONTIGUOUS != 0 {
        Layout::C
    } else if raw.flags & npyflags::NPY_ARRAY_F_CONTIGUOUS != 0 {
        Layout::F
    } else {
        Layout::A
    }
}

/// The ferrojit type of an ndarray: element type, dimensions, layout (C when C-contiguous,
/// else F when Fortran-contiguous, else A), writability and alignment.
pub fn array_type_of(array: &Bound<'_, PyUntypedArray>) -> PyResult<ArrayType> {
    if let Some(t) = quick_array_type(array) {
        return Ok(t);
    }
    let dtype = array.dtype();
    let elem = match dtype.has_fields() {
        true => record_type_of(dtype.as_any())?,
        false => number_dtype(dtype.as_any())?,
    };
    // SAFETY: a live ndarray.
    let raw = unsafe { &*array.as_array_ptr() };
    Ok(with_flags(elem, raw))
}

/// The number type of a NumPy dtype: bool, an integer, a float or a complex in native byte
/// order.
fn number_dtype(dtype: &Bound<'_, PyAny>) -> PyResult<Type> {
    let descr = dtype.cast::<numpy::PyArrayDescr>()?;
    if matches!(descr.kind(), b'M' | b'm') {
        return time_dtype(dtype);
    }
    element_type(descr.num(), descr.itemsize())
        .filter(|_| descr.is_native_byteorder() != Some(false))
        .ok_or_else(|| PyTypeError::new_err(format!("compiled functions cannot take arrays of dtype `{descr}`; supported: bool, integers, floats and complex in native byte order, and structured dtypes of those")))
}

/// The element type a NumPy dtype object stands for (a number or a structured dtype), or why
/// compiled code cannot use it; `None` when `obj` is not a dtype object.
pub fn dtype_object(obj: &Bound<'_, PyAny>) -> Option<PyResult<Type>> {
    numpy_scalar_types(obj.py())?;
    let descr = obj.cast::<numpy::PyArrayDescr>().ok()?;
    Some(if descr.has_fields() { record_type_of(obj) } else { number_dtype(obj) })
}

/// The record type of a structured dtype: its fields in order (each a number type, not a
/// nested structure or a sub-array), offsets and item size.
pub fn record_type_of(dtype: &Bound<'_, PyAny>) -> PyResult<Type> {
    let refuse = |why: String| PyTypeError::new_err(format!("compiled functions cannot take arrays of the structured dtype `{dtype}`: {why}"));
    let names = dtype.getattr("names")?;
    let fields = dtype.getattr("fields")?;
    let mut record = RecordType { fields: Vec::new(), size: dtype.getattr("itemsize")?.extract()?, aligned_struct: dtype.getattr("isalignedstruct")?.extract()? };
    for name in names.try_iter()? {
        let name = name?;
        let entry = fields.get_item(&name)?;
        let (field_dtype, offset) = (entry.get_item(0)?, entry.get_item(1)?.extract::<u64>()?);
        let name: String = name.extract()?;
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(refuse(format!("its field name {name:?} is not made of ASCII letters, digits and underscores, which compiled code requires")));
        }
        if field_dtype.getattr("shape")?.len()? != 0 {
            return Err(refuse(format!("its field `{name}` is a sub-array, which is not supported yet")));
        }
        if field_dtype.getattr("names")?.is_truthy()? {
            return Err(refuse(format!("its field `{name}` is a nested structure, which is not supported yet")));
        }
        let ty = number_dtype(&field_dtype).map_err(|_| refuse(format!("its field `{name}` has the dtype `{field_dtype}`; fields must be bool, integers, floats or complex in native byte order")))?;
        record.fields.push(RecordField { name, ty, offset });
    }
    Ok(Type::Record(record))
}

/// A new reference to the NumPy dtype of an array element type (built once per record type).
fn descr_of(py: Python<'_>, elem: &Type) -> PyResult<*mut npyffi::PyArray_Descr> {
    if !matches!(elem, Type::Record(_) | Type::Datetime(_) | Type::Timedelta(_)) {
        // SAFETY: NumPy's C API; returns a new reference.
        return Ok(unsafe { PY_ARRAY_API.PyArray_DescrFromType(py, type_number(elem)) });
    }
    static MADE_DTYPES: PyOnceLock<std::sync::Mutex<HashMap<Type, Py<PyAny>>>> = PyOnceLock::new();
    let table = MADE_DTYPES.get_or_init(py, Default::default);
    let known = table.lock().unwrap_or_else(|e| e.into_inner()).get(elem).map(|d| d.clone_ref(py));
    let dtype = match (known, elem) {
        (Some(dtype), _) => dtype,
        (None, Type::Datetime(unit) | Type::Timedelta(unit)) => {
            let kind = if matches!(elem, Type::Datetime(_)) { "M8" } else { "m8" };
            let spelled = if *unit == TimeUnit::Generic { kind.to_string() } else { format!("{kind}[{}]", unit.code()) };
            let dtype = py.import("numpy")?.getattr("dtype")?.call1((spelled,))?.unbind();
            table.lock().unwrap_or_else(|e| e.into_inner()).insert(elem.clone(), dtype.clone_ref(py));
            dtype
        }
        (None, Type::Record(record)) => {
            let spec = pyo3::types::PyDict::new(py);
            let formats = record.fields.iter().map(|f| descr_of(py, &f.ty).map(|d| unsafe { Bound::from_owned_ptr(py, d as *mut ffi::PyObject) })).collect::<PyResult<Vec<_>>>()?;
            spec.set_item("names", record.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>())?;
            spec.set_item("formats", formats)?;
            spec.set_item("offsets", record.fields.iter().map(|f| f.offset).collect::<Vec<_>>())?;
            spec.set_item("itemsize", record.size)?;
            spec.set_item("aligned", record.aligned_struct)?;
            let dtype = py.import("numpy")?.getattr("dtype")?.call1((spec,))?.unbind();
            table.lock().unwrap_or_else(|e| e.into_inner()).insert(elem.clone(), dtype.clone_ref(py));
            dtype
        }
        (None, _) => unreachable!("only records and time types are made here"),
    };
    Ok(dtype.into_ptr() as *mut npyffi::PyArray_Descr)
}

/// An ndarray over memory a compiled function returned. For a borrowed array (`meminfo` is
/// a tagged ndarray pointer) the result is a view whose base is that ndarray.
fn box_array<'py>(py: Python<'py>, a: &ArrayType, meminfo: u64, data: u64, dims: &mut [npyffi::npy_intp], strides: &mut [npyffi::npy_intp]) -> PyResult<Bound<'py, PyAny>> {
    // The new ndarray's base keeps the memory alive: the borrowed ndarray it views, or an
    // `ArrayMemory` taking over the reference the compiled function returned. Frozen global
    // arrays (null meminfo) live for ever and need none.
    // SAFETY: a meminfo a compiled function returned (one reference of its own), borrowed, or
    // null.
    let owner_of = unsafe { ferrojit_compiler::runtime::memory::owned_object(meminfo as *mut _) };
    let base: *mut pyo3::ffi::PyObject = if meminfo & 1 == 1 || owner_of.is_some() {
        let base = owner_of.map_or((meminfo & !1) as *mut pyo3::ffi::PyObject, |o| o as *mut pyo3::ffi::PyObject);
        // An ndarray a container kept (see `ferrojit_rt_own_array`): the ndarray itself takes
        // the place of its owner, whose reference this function took over. The ndarray gets its
        // new reference first: the owner may hold the last one.
        let release_owner = || {
            if owner_of.is_some() {
                // SAFETY: the reference the compiled function returned, now this function's.
                unsafe { ferrojit_compiler::runtime::memory::release(meminfo as *mut _) };
            }
        };
        // SAFETY: the tagged pointer is an ndarray the caller still holds.
        if unsafe { is_whole_of(py, base as *const npyffi::PyArrayObject, a, data, dims, strides) } {
            // The argument itself, unchanged (`np.sqrt(a, out=b)` returns `b`, as in NumPy).
            // SAFETY: as above; the new reference is the result's.
            unsafe { pyo3::ffi::Py_INCREF(base) };
            release_owner();
            return Ok(unsafe { Bound::from_owned_ptr(py, base) });
        }
        // SAFETY: the tagged pointer is an ndarray the caller still holds.
        unsafe { pyo3::ffi::Py_INCREF(base) };
        release_owner();
        base
    } else if meminfo != 0 {
        Py::new(py, ArrayMemory { meminfo: meminfo as usize })?.into_ptr()
    } else {
        std::ptr::null_mut()
    };
    let flags = if a.readonly { 0 } else { npyflags::NPY_ARRAY_WRITEABLE };
    // SAFETY: the NumPy C API with a descriptor reference that NewFromDescr steals, and a base
    // reference that SetBaseObject steals; `data`, `dims` and `strides` describe memory inside
    // `base`, which the new array keeps alive.
    unsafe {
        let descr = match descr_of(py, &a.dtype) {
            Ok(descr) => descr,
            Err(e) => {
                if !base.is_null() {
                    pyo3::ffi::Py_DECREF(base);
                }
                return Err(e);
            }
        };
        let array_type = PY_ARRAY_API.get_type_object(py, npyffi::NpyTypes::PyArray_Type);
        let array = PY_ARRAY_API.PyArray_NewFromDescr(
            py,
            array_type,
            descr,
            a.ndim as c_int,
            dims.as_mut_ptr(),
            strides.as_mut_ptr(),
            data as *mut std::ffi::c_void,
            flags,
            std::ptr::null_mut(),
        );
        if array.is_null() {
            if !base.is_null() {
                pyo3::ffi::Py_DECREF(base);
            }
            return Err(PyErr::fetch(py));
        }
        if !base.is_null() && PY_ARRAY_API.PyArray_SetBaseObject(py, array as *mut npyffi::PyArrayObject, base) < 0 {
            pyo3::ffi::Py_DECREF(array);
            return Err(PyErr::fetch(py));
        }
        Ok(Bound::from_owned_ptr(py, array))
    }
}

/// Whether the array `a` at `data` with `dims` and `strides` is exactly the ndarray `base`:
/// same memory, dimensions, strides, element type and writability (Numba gives back the
/// argument object in this case too).
///
/// # Safety
/// `base` is a live ndarray.
unsafe fn is_whole_of(py: Python<'_>, base: *const npyffi::PyArrayObject, a: &ArrayType, data: u64, dims: &[npyffi::npy_intp], strides: &[npyffi::npy_intp]) -> bool {
    let raw = &*base;
    raw.data as u64 == data
        && raw.nd as usize == dims.len()
        && (0..dims.len()).all(|k| *raw.dimensions.add(k) == dims[k] && *raw.strides.add(k) == strides[k])
        && builtin_descrs(py).get(&(raw.descr as usize)) == Some(&*a.dtype)
        && (raw.flags & npyflags::NPY_ARRAY_WRITEABLE == 0) == a.readonly
}

/// The base object of an ndarray over memory allocated by compiled code: holds one reference
/// to the meminfo and releases it when NumPy drops the array.
#[pyclass(frozen, module = "ferrojit._native")]
pub struct ArrayMemory {
    meminfo: usize,
}

impl Drop for ArrayMemory {
    fn drop(&mut self) {
        // SAFETY: this object owns one reference to a live meminfo.
        unsafe { ferrojit_compiler::runtime::memory::release(self.meminfo as *mut _) };
    }
}

/// Writes `obj` into the slots as type `ty` when Numba would convert it for an explicitly
/// declared signature: numbers to wider or narrower numbers of a kind that holds them (an
/// int to `int32` when in range, an int or float to `float32`; never a float to an int),
/// tuples item by item, arrays of the same element type and dimensions to an `A` layout and
/// aligned arrays to unaligned types (Numba's `Array.can_convert_to`); never by copying.
pub fn pack_converting(obj: &Bound<'_, PyAny>, ty: &Type, slots: &mut [u64], at: &mut usize) -> bool {
    let mut exact = *at;
    if pack(obj, ty, slots, &mut exact) {
        *at = exact;
        return true;
    }
    let mut put = |v: u64| {
        if *at < slots.len() {
            slots[*at] = v;
        }
        *at += 1;
    };
    let Ok(source) = typeof_value(obj) else { return false };
    match (ty, &source) {
        (Type::Bool, Type::Bool) => obj.is_truthy().map(|b| put(b as u64)).is_ok(),
        (Type::Int(i), Type::Int(_) | Type::Bool) => {
            let v: Option<i128> = obj.extract::<i64>().ok().map(i128::from).or_else(|| obj.extract::<u64>().ok().map(i128::from));
            let Some(v) = v else { return false };
            let (lo, hi) = if i.signed { (-(1i128 << (i.bits - 1)), (1i128 << (i.bits - 1)) - 1) } else { (0, (1i128 << i.bits) - 1) };
            if v < lo || v > hi {
                return false;
            }
            put(v as u64);
            true
        }
        (Type::Float(f), s) if s.is_number() && !matches!(s, Type::Complex(_)) => obj
            .extract::<f64>()
            .map(|v| put(if *f == FloatType::F32 { (v as f32).to_bits() as u64 } else { v.to_bits() }))
            .is_ok(),
        (Type::Complex(f), s) if s.is_number() => {
            put_complex(obj, *f, &mut put)
        }
        (Type::Tuple(items), Type::Tuple(_)) => match obj.cast_exact::<PyTuple>() {
            Ok(t) if t.len() == items.len() => t.iter().zip(items).all(|(o, ty)| pack_converting(&o, ty, slots, at)),
            _ => false,
        },
        (Type::Array(want), Type::Array(have)) => {
            let fits = want.dtype == have.dtype
                && want.ndim == have.ndim
                && (want.layout == Layout::A || want.layout == have.layout)
                && (want.readonly || !have.readonly)
                && (have.aligned || !want.aligned);
            // Every array type of one number of dimensions has the same slots: the array
            // is passed as it is, typed as what it is.
            fits && pack(obj, &source, slots, at)
        }
        _ => false,
    }
}

/// `declared` with every array that the argument's own type `given` has unaligned (at the same
/// place, inside tuples too) declared unaligned instead. An eagerly compiled dispatcher called
/// with unaligned arrays compiles this signature once more: its code for the declared aligned
/// arrays may assume an alignment that these do not have, and copying them is not an option.
pub fn unaligned_like(declared: &Type, given: &Type) -> Type {
    match (declared, given) {
        (Type::Array(d), Type::Array(g)) if !g.aligned => Type::Array(ArrayType { aligned: false, ..d.clone() }),
        (Type::Tuple(ds), Type::Tuple(gs)) if ds.len() == gs.len() => Type::Tuple(ds.iter().zip(gs).map(|(d, g)| unaligned_like(d, g)).collect()),
        _ => declared.clone(),
    }
}

/// `ty` with every array in it unaligned: the declared return type of such a signature, which
/// may return a view of its unaligned arguments (any array converts to its unaligned type).
pub fn all_unaligned(ty: &Type) -> Type {
    match ty {
        Type::Array(a) => Type::Array(ArrayType { aligned: false, ..a.clone() }),
        Type::Tuple(items) => Type::Tuple(items.iter().map(all_unaligned).collect()),
        other => other.clone(),
    }
}

/// Makes the arrays of a packed value (in `slots`) owned: a value packed for a
/// container that may outlive the call (a list or dict argument, a typed container's item)
/// must not borrow its arrays, as an argument does (see `ferrojit_rt_own_array`).
/// `leaves` are the value type's `meminfo_leaves()`.
pub(crate) fn own_packed_arrays(leaves: &[usize], slots: &mut [u64]) {
    for &leaf in leaves {
        // SAFETY: a packed meminfo slot: null, live, or a tagged live ndarray.
        slots[leaf] = unsafe { ferrojit_compiler::runtime::memory::ferrojit_rt_own_array(slots[leaf] as *mut _) } as u64;
    }
}

/// Python's reference counting for the runtime's owners of ndarrays (see
/// `ferrojit_runtime::memory::PythonObjects`): from any thread, taking the GIL when the
/// thread does not hold it; a release at interpreter exit from a thread that cannot take the
/// GIL any more leaves the object alone.
pub(crate) fn install_object_counting() {
    unsafe fn incref(object: *mut std::ffi::c_void) {
        let state = crate::gil::ensure_gil();
        ffi::Py_INCREF(object as *mut ffi::PyObject);
        ffi::PyGILState_Release(state);
    }
    unsafe fn decref(object: *mut std::ffi::c_void) {
        if ffi::PyGILState_Check() == 0 && crate::gil::would_be_ended() {
            return;
        }
        let state = crate::gil::ensure_gil();
        ffi::Py_DECREF(object as *mut ffi::PyObject);
        ffi::PyGILState_Release(state);
    }
    ferrojit_compiler::runtime::memory::install_python_objects(ferrojit_compiler::runtime::memory::PythonObjects { incref, decref });
}

/// Python's `NotImplemented`.
fn py_not_implemented(py: Python<'_>) -> Bound<'_, PyAny> {
    py.NotImplemented().into_bound(py)
}
