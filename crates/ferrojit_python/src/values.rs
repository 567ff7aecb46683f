//! Python values <-> ferrojit types and the slot buffers of compiled entry points.
//!
//! [`typeof_value`] gives the type a value is compiled for (Python `int` -> int64, `float` ->
//! float64, `complex` -> complex128, NumPy scalars keep their dtype, tuples item by item).
//! [`pack`] writes a value into slots *if and only if* its type is exactly the expected one; the
//! dispatcher uses it both to select a specialisation and to marshal the arguments, so the two
//! can never disagree. [`unpack`] boxes a result as Numba does: Python `bool`, `int`, `float`,
//! `complex`, `None` and tuples.

use ferrojit_compiler::{FloatType, IntType, Type};
use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt, PyTuple};
use std::collections::HashMap;

/// NumPy's scalar type objects (by address) and the ferrojit type of their instances; empty
/// until NumPy is imported.
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

/// The ferrojit type of an argument, or a `TypeError` saying what is accepted.
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
    if let Ok(t) = obj.cast_exact::<PyTuple>() {
        return Ok(Type::Tuple(t.iter().map(|i| typeof_value(&i)).collect::<PyResult<_>>()?));
    }
    if let Some(t) = numpy_scalar(obj) {
        return Ok(t);
    }
    Err(PyTypeError::new_err(format!(
        "compiled functions cannot take a `{}` argument; supported: bool, int, float, complex, NumPy scalars, None and tuples of them",
        obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
    )))
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
    Err(PyOverflowError::new_err("integer argument does not fit in 64 bits; compiled functions use int64 (or uint64) integers"))
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
            let parts = (obj.getattr("real").and_then(|r| r.extract::<f64>()), obj.getattr("imag").and_then(|i| i.extract::<f64>()));
            match parts {
                (Ok(re), Ok(im)) => {
                    for v in [re, im] {
                        put(if *f == FloatType::F32 { (v as f32).to_bits() as u64 } else { v.to_bits() });
                    }
                    true
                }
                _ => false,
            }
        }
        Type::NoneType => obj.is_none(),
        Type::Tuple(items) => match obj.cast_exact::<PyTuple>() {
            Ok(t) if t.len() == items.len() => t.iter().zip(items).all(|(o, ty)| pack(&o, ty, slots, at)),
            _ => false,
        },
    }
}

fn numpy_matches(obj: &Bound<'_, PyAny>, ty: &Type) -> bool {
    numpy_scalar(obj).as_ref() == Some(ty)
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
        Type::Tuple(items) => {
            let values = items.iter().map(|t| unpack(py, t, slots, at)).collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(py, values)?.into_any()
        }
    })
}

fn float(bits: u64, f: FloatType) -> f64 {
    match f {
        FloatType::F32 => f32::from_bits(bits as u32) as f64,
        FloatType::F64 => f64::from_bits(bits),
    }
}
