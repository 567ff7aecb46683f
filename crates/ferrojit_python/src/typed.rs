//! `ferrojit.typed.List` and `ferrojit.typed.Dict` (Numba's typed containers): compiled lists
//! and dicts that Python code uses in place, shared with compiled code without copying.
//!
//! [`TypedContainer`] is the native base of both Python classes (`python/ferrojit/typed.py`
//! writes Python's list and dict protocols on its primitives). It owns one reference to a
//! compiled list or dict whose header says it is typed (`ferrojit_runtime::lists::Boxing`):
//! - passing it to compiled code passes that meminfo (its type is the same `Type::List`/
//!   `Type::Dict` as a plain list's or dict's, so the same specialisation serves both); the
//!   dispatcher adds a reference for the call and drops it after, with nothing to reflect, as
//!   both sides see the same memory;
//! - a typed container coming back from compiled code (returned, or read out of another
//!   container) is boxed as the object that already boxes it, or as a new one that takes over
//!   the reference; a plain one still becomes a Python list or dict.
//!
//! Items are stored as compiled results are boxed and arguments packed, strictly: a value
//! converts to the item type as an argument converts to an explicitly declared signature
//! (an int into `float64`, never a float into `int64`), anything else is a `TypeError` naming
//! the expected type. Items are numbers, strings, tuples of them, and typed containers of those
//! (arrays are not: an array argument is borrowed for one call, and a typed container
//! outlives the call).

use crate::values::{pack_converting, unpack};
use ferrojit_compiler::Type;
use ferrojit_runtime::dicts::{
    ferrojit_rt_dict_clear, ferrojit_rt_dict_delete, ferrojit_rt_dict_find, ferrojit_rt_dict_insert, ferrojit_rt_dict_mark_typed, ferrojit_rt_dict_new,
    ferrojit_rt_dict_next, KEY_OFFSET,
};
use ferrojit_runtime::lists::{ferrojit_rt_list_mark_typed, ferrojit_rt_list_new, ferrojit_rt_list_splice, Boxing};
use ferrojit_runtime::memory::{ferrojit_rt_incref, release, MemInfo};
use pyo3::exceptions::{PyIndexError, PyMemoryError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyString, PyTuple};

/// The native part of a `ferrojit.typed.List` or `Dict`: the container's type and one owned
/// reference to it. Untyped (`ty` None, `meminfo` 0) only between `List()`/`Dict()` and the
/// first item stored, which decides the types, as in Numba.
#[pyclass(subclass, module = "ferrojit._native")]
pub struct TypedContainer {
    ty: Option<Type>,
    meminfo: usize,
}

/// The boxing record in the header of the typed list or dict `meminfo` of type `ty`.
///
/// # Safety
/// `meminfo` is a live list (for `Type::List`) or dict (`Type::Dict`).
unsafe fn boxing<'a>(ty: &Type, meminfo: *mut MemInfo) -> &'a mut Boxing {
    match ty {
        Type::List(_) => &mut ferrojit_runtime::lists::header(meminfo).boxing,
        _ => &mut ferrojit_runtime::dicts::header(meminfo).boxing,
    }
}

impl Drop for TypedContainer {
    fn drop(&mut self) {
        if let (Some(ty), false) = (&self.ty, self.meminfo == 0) {
            let meminfo = self.meminfo as *mut MemInfo;
            // SAFETY: this object owns a reference to the live container, and is the object
            // its header names (the one boxing a typed container at a time): it forgets it,
            // then drops its reference. The GIL is held (PyO3 drops objects with it).
            unsafe {
                boxing(ty, meminfo).wrapper = std::ptr::null_mut();
                release(meminfo);
            }
        }
    }
}

/// Numba's name of a type, as its typed containers print them: `ListType[int64]`,
/// `DictType[unicode_type,float64]`; the others as ferrojit prints them (Numba's spelling).
pub(crate) fn numba_name(ty: &Type) -> String {
    match ty {
        Type::List(item) => format!("ListType[{}]", numba_name(item)),
        Type::Dict(key, value) => format!("DictType[{},{}]<iv=None>", numba_name(key), numba_name(value)),
        Type::Tuple(items) if !items.is_empty() && items.iter().all(|t| t == &items[0]) => format!("UniTuple({} x {})", numba_name(&items[0]), items.len()),
        Type::Tuple(items) => format!("Tuple({})", items.iter().map(numba_name).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

/// Why values of `ty` cannot be items of a typed container, or None when they can: numbers,
/// strings, arrays (which the container keeps alive: see `ferrojit_rt_own_array`), tuples of
/// them, typed containers of those; dict keys also hashable.
fn unstorable(ty: &Type) -> Option<String> {
    match ty {
        Type::Bool | Type::Int(_) | Type::Float(_) | Type::Complex(_) | Type::Str | Type::Array(_) | Type::Instance(_) => None,
        Type::Tuple(items) => items.iter().find_map(unstorable),
        Type::List(item) => unstorable(item),
        Type::Dict(key, value) => unhashable(key).or_else(|| unstorable(value)),
        other => Some(format!("typed containers cannot hold `{other}` values; they hold numbers, strings, arrays, tuples of them, and typed Lists and Dicts of those")),
    }
}

fn unhashable(ty: &Type) -> Option<String> {
    match ty {
        Type::Bool | Type::Int(_) | Type::Float(_) | Type::Complex(_) | Type::Str => None,
        Type::Tuple(items) => items.iter().find_map(unhashable),
        other => Some(format!("a typed Dict cannot have `{}` keys; keys are numbers, strings and tuples of them", numba_name(other))),
    }
}

/// The Python class boxing typed containers of `ty` (`ferrojit.typed.List` or `Dict`).
fn python_class<'py>(py: Python<'py>, ty: &Type) -> PyResult<Bound<'py, PyAny>> {
    static CLASSES: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();
    let (list, dict) = CLASSES.get_or_try_init(py, || -> PyResult<_> {
        let module = py.import("ferrojit.typed")?;
        Ok((module.getattr("List")?.unbind(), module.getattr("Dict")?.unbind()))
    })?;
    Ok(if matches!(ty, Type::List(_)) { list } else { dict }.bind(py).clone())
}

/// The type of a typed container passed to a compiled function; None when `obj` is not one.
pub(crate) fn type_of(obj: &Bound<'_, PyAny>) -> Option<PyResult<Type>> {
    let container = obj.cast::<TypedContainer>().ok()?;
    let container = container.borrow();
    Some(container.ty.clone().ok_or_else(|| {
        PyTypeError::new_err(format!(
            "cannot compile for an empty `{}` whose types are not known yet; make it with `{}` or store an item first",
            obj.get_type().name().map(|n| n.to_string()).unwrap_or_default(),
            if obj.get_type().name().is_ok_and(|n| n.to_string() == "Dict") { "Dict.empty(key_type, value_type)" } else { "List.empty_list(item_type)" },
        ))
    }))
}

/// The meminfo of the typed container `obj` when it is exactly of type `ty`, with a reference
/// added for the caller; None for any other object.
pub(crate) fn share(obj: &Bound<'_, PyAny>, ty: &Type) -> Option<*mut MemInfo> {
    let container = obj.cast::<TypedContainer>().ok()?;
    let container = container.borrow();
    if container.ty.as_ref() != Some(ty) {
        return None;
    }
    let meminfo = container.meminfo as *mut MemInfo;
    // SAFETY: the object owns a reference, so the container is live.
    unsafe { ferrojit_rt_incref(meminfo) };
    Some(meminfo)
}

/// Whether the list or dict `meminfo` of type `ty` is a typed one.
///
/// # Safety
/// `meminfo` is a live container of type `ty` (a list or a dict).
pub(crate) unsafe fn is_typed(ty: &Type, meminfo: *mut MemInfo) -> bool {
    boxing(ty, meminfo).typed != 0
}

/// Boxes the typed container `meminfo` of type `ty`, taking over the caller's reference: the
/// Python object boxing it now, or a new one (of `ferrojit.typed.List`/`Dict`).
pub(crate) fn box_typed<'py>(py: Python<'py>, ty: &Type, meminfo: *mut MemInfo) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: the caller's reference keeps the container live.
    let record = unsafe { boxing(ty, meminfo) };
    if !record.wrapper.is_null() {
        // SAFETY: a live object (it clears the field when it dies); the GIL is held.
        let existing = unsafe { Bound::from_borrowed_ptr(py, record.wrapper as *mut pyo3::ffi::PyObject) };
        // SAFETY: the caller's reference, given to this function; the object holds its own.
        unsafe { release(meminfo) };
        return Ok(existing);
    }
    let made = python_class(py, ty).and_then(|class| class.call_method1("__new__", (&class,)));
    let made = match made.and_then(|m| m.cast_into::<TypedContainer>().map_err(PyErr::from)) {
        Ok(m) => m,
        Err(e) => {
            // SAFETY: as above.
            unsafe { release(meminfo) };
            return Err(e);
        }
    };
    {
        let mut container = made.borrow_mut();
        container.ty = Some(ty.clone());
        container.meminfo = meminfo as usize;
    }
    record.wrapper = made.as_ptr() as *mut std::ffi::c_void;
    Ok(made.into_any())
}

/// Writes `obj` into `slots[*at..]` as a value of type `ty` to be stored in a typed container
/// (owning the references it makes: strings are copied, typed containers shared); a
/// `TypeError` naming `ty` when `obj` is not such a value, having released what it made.
pub(crate) fn pack_owned(obj: &Bound<'_, PyAny>, ty: &Type, slots: &mut [u64], at: &mut usize) -> PyResult<()> {
    let refuse = || {
        let got = obj.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        let shown = obj.repr().map(|r| r.to_string()).unwrap_or_default();
        let shown = if shown.chars().count() > 60 { format!("{}...", shown.chars().take(57).collect::<String>()) } else { shown };
        let hint = match ty {
            Type::List(_) => "; pass a ferrojit.typed.List of that type",
            Type::Dict(..) => "; pass a ferrojit.typed.Dict of those types",
            _ => "",
        };
        PyTypeError::new_err(format!("expected a value of type {}, got {shown} of type {got}{hint}", numba_name(ty)))
    };
    match ty {
        Type::Str => match crate::strings::pack_str(obj) {
            Some(s) => {
                slots[*at] = s as u64;
                *at += 1;
                Ok(())
            }
            None => Err(refuse()),
        },
        Type::List(_) | Type::Dict(..) => match share(obj, ty) {
            Some(m) => {
                slots[*at] = m as u64;
                *at += 1;
                Ok(())
            }
            None => Err(refuse()),
        },
        Type::Tuple(items) => {
            let tuple = obj.cast_exact::<PyTuple>().ok().filter(|t| t.len() == items.len()).ok_or_else(refuse)?;
            let start = *at;
            for (k, (o, item)) in tuple.iter().zip(items).enumerate() {
                if let Err(e) = pack_owned(&o, item, slots, at) {
                    let mut from = start;
                    items[..k].iter().for_each(|done| crate::lists::release_packed(done, slots, &mut from));
                    return Err(e);
                }
            }
            Ok(())
        }
        // `None` (a clear flag, the value zeroed) or the value, owned as the inner type's.
        Type::Optional(inner) => {
            slots[*at] = u64::from(!obj.is_none());
            *at += 1;
            if obj.is_none() {
                let n = inner.leaves().len();
                slots[*at..*at + n].fill(0);
                *at += n;
                return Ok(());
            }
            pack_owned(obj, inner, slots, at)
        }
        // Arrays: kept by the container (see `ferrojit_rt_own_array`).
        Type::Array(_) => {
            let start = *at;
            if !pack_converting(obj, ty, slots, at) {
                return Err(refuse());
            }
            crate::values::own_packed_arrays(&ty.meminfo_leaves(), &mut slots[start..*at]);
            Ok(())
        }
        // Numbers: converted as an argument of an explicit signature is.
        _ if pack_converting(obj, ty, slots, at) => Ok(()),
        _ => Err(refuse()),
    }
}

/// The value of type `ty` in `slots`, boxed; the slots keep their references.
fn box_slots<'py>(py: Python<'py>, ty: &Type, slots: &[u64]) -> PyResult<Bound<'py, PyAny>> {
    // `unpack` takes over one reference to each meminfo of the value.
    for leaf in ty.meminfo_leaves() {
        // SAFETY: live meminfos the container holds.
        unsafe { ferrojit_rt_incref(slots[leaf] as *mut MemInfo) };
    }
    unpack(py, ty, slots, &mut 0)
}

/// Releases the references of a value of type `ty` in `slots`.
fn release_slots(ty: &Type, slots: &[u64]) {
    for leaf in ty.meminfo_leaves() {
        // SAFETY: references the caller owns.
        unsafe { release(slots[leaf] as *mut MemInfo) };
    }
}

impl TypedContainer {
    fn typed(&self) -> PyResult<(&Type, *mut MemInfo)> {
        match &self.ty {
            Some(ty) => Ok((ty, self.meminfo as *mut MemInfo)),
            None => Err(PyTypeError::new_err("the container's types are not known yet")),
        }
    }

    fn list(&self) -> PyResult<(&Type, &mut ferrojit_runtime::lists::ListHeader)> {
        match self.typed()? {
            // SAFETY: a live list this object owns a reference to.
            (Type::List(item), m) => Ok((item, unsafe { ferrojit_runtime::lists::header(m) })),
            _ => Err(PyTypeError::new_err("not a typed List")),
        }
    }

    fn dict(&self) -> PyResult<(&Type, &Type, *mut MemInfo)> {
        match self.typed()? {
            (Type::Dict(key, value), m) => Ok((key, value, m)),
            _ => Err(PyTypeError::new_err("not a typed Dict")),
        }
    }

    /// The key `k` packed in canonical form into a zeroed buffer (owning the strings it
    /// made), or None when `k` is not a value of the key type.
    fn packed_key(key: &Type, k: &Bound<'_, PyAny>) -> PyResult<Vec<u64>> {
        Self::runtime_compares(key)?;
        let mut buffer = vec![0u64; key.leaves().len().max(1)];
        pack_owned(k, key, &mut buffer, &mut 0)?;
        crate::dicts::canonical(key, &mut buffer);
        Ok(buffer)
    }

    /// A `TypeError` for keys compared by a compiled `__eq__` (jitclass instances with
    /// `__hash__`), which compiled code alone finds in a dict (see `ferrojit_runtime::dicts`).
    fn runtime_compares(key: &Type) -> PyResult<()> {
        if ferrojit_compiler::classes::key_equality(key) == ferrojit_compiler::classes::KeyEquality::ByEq {
            return Err(PyTypeError::new_err(format!(
                "looking up keys of a typed Dict of `{}` keys from Python is not supported yet (they compare by `__eq__`); do it in compiled code, or return a plain dict",
                numba_name(key)
            )));
        }
        Ok(())
    }

    /// The slots of the entry at `at` of a dict: its key's and its value's.
    ///
    /// # Safety
    /// `meminfo` is a live dict of these types; `at` is a live entry.
    unsafe fn entry<'a>(key: &Type, value: &Type, meminfo: *mut MemInfo, at: i64) -> (&'a mut [u64], &'a mut [u64]) {
        let h = ferrojit_runtime::dicts::header(meminfo);
        let start = h.entries.add((at * h.entry_size) as usize + KEY_OFFSET as usize) as *mut u64;
        let (k, v) = (key.leaves().len(), value.leaves().len());
        (std::slice::from_raw_parts_mut(start, k), std::slice::from_raw_parts_mut(start.add(k), v))
    }
}

#[pymethods]
impl TypedContainer {
    /// An untyped container: `typed.py`'s classes type it (`_make`) at once or at the first item.
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn new(_args: &Bound<'_, PyTuple>, _kwargs: Option<&Bound<'_, pyo3::types::PyDict>>) -> Self {
        TypedContainer { ty: None, meminfo: 0 }
    }

    /// Makes the empty container of the type named `type_name` (`list(int64)`,
    /// `dict(unicode_type, float64)`) that this object boxes.
    fn _make(slf: &Bound<'_, Self>, type_name: &str) -> PyResult<()> {
        let ty = ferrojit_compiler::parse_type(type_name).map_err(PyTypeError::new_err)?;
        let why = match &ty {
            Type::List(item) => unstorable(item),
            Type::Dict(key, value) => unhashable(key).or_else(|| unstorable(value)),
            other => Some(format!("`{other}` is not a list or dict type")),
        };
        if let Some(why) = why {
            return Err(PyTypeError::new_err(why));
        }
        let mut this = slf.borrow_mut();
        if this.ty.is_some() {
            return Err(PyTypeError::new_err("the container is typed already"));
        }
        let meminfo = match &ty {
            Type::List(item) => {
                let m = ferrojit_rt_list_new(8 * item.leaves().len() as i64, crate::lists::heap_descriptor(item), 0);
                // SAFETY: a live list when not null.
                if !m.is_null() {
                    unsafe { ferrojit_rt_list_mark_typed(m) };
                }
                m
            }
            Type::Dict(key, value) => {
                let descriptor = crate::lists::heap_descriptor(&Type::Tuple(vec![(**key).clone(), (**value).clone()]));
                let m = ferrojit_rt_dict_new(8 * key.leaves().len() as i64, 8 * value.leaves().len() as i64, descriptor, 0);
                if !m.is_null() {
                    // SAFETY: a live dict.
                    unsafe { ferrojit_rt_dict_mark_typed(m) };
                }
                m
            }
            _ => unreachable!("checked above"),
        };
        if meminfo.is_null() {
            return Err(PyMemoryError::new_err("cannot allocate the container"));
        }
        // SAFETY: a live container just made; this object owns its one reference.
        unsafe { boxing(&ty, meminfo).wrapper = slf.as_ptr() as *mut std::ffi::c_void };
        this.ty = Some(ty);
        this.meminfo = meminfo as usize;
        Ok(())
    }

    /// The container's type as ferrojit names it (`list(int64)`), None while untyped.
    #[getter]
    fn _type_name(&self) -> Option<String> {
        self.ty.as_ref().map(|t| t.to_string())
    }

    /// The container's type as Numba names it (`ListType[int64]`), None while untyped.
    #[getter]
    fn _numba_type_name(&self) -> Option<String> {
        self.ty.as_ref().map(numba_name)
    }

    fn __len__(&self) -> PyResult<usize> {
        Ok(match self.typed() {
            Err(_) => 0,
            Ok((Type::List(_), m)) => unsafe { ferrojit_runtime::lists::header(m) }.len as usize,
            Ok((_, m)) => unsafe { ferrojit_runtime::dicts::header(m) }.len as usize,
        })
    }

    // ---- lists ----------------------------------------------------------------------------

    /// Item `i` (`0 <= i < len`: the Python class checks and wraps indices).
    fn _get<'py>(&self, py: Python<'py>, i: i64) -> PyResult<Bound<'py, PyAny>> {
        let (item, h) = self.list()?;
        if !(0..h.len).contains(&i) {
            return Err(PyIndexError::new_err("list index out of range"));
        }
        let n = item.leaves().len();
        // SAFETY: item `i` of a live list.
        let slots = unsafe { std::slice::from_raw_parts((h.items as *const u64).add(i as usize * n), n) };
        box_slots(py, item, slots)
    }

    /// Replaces item `i` by `value` (converted first: on a `TypeError` nothing changes).
    fn _set(&self, i: i64, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let (item, h) = self.list()?;
        if !(0..h.len).contains(&i) {
            return Err(PyIndexError::new_err("list assignment index out of range"));
        }
        let n = item.leaves().len();
        let mut new = vec![0u64; n];
        pack_owned(value, item, &mut new, &mut 0)?;
        // SAFETY: item `i` of a live list; it owned the old value's references.
        let slots = unsafe { std::slice::from_raw_parts_mut((h.items as *mut u64).add(i as usize * n), n) };
        let old = slots.to_vec();
        slots.copy_from_slice(&new);
        release_slots(item, &old);
        Ok(())
    }

    /// Replaces the `remove` items at `at` by `values` (all converted first: on a `TypeError`
    /// nothing changes): every change of the list's length.
    fn _splice(&self, at: i64, remove: i64, values: Vec<Bound<'_, PyAny>>) -> PyResult<()> {
        let (item, h) = self.list()?;
        if at < 0 || remove < 0 || at + remove > h.len {
            return Err(PyIndexError::new_err("list splice out of range"));
        }
        let n = item.leaves().len();
        let mut new = vec![0u64; n * values.len()];
        let mut written = 0;
        for (k, v) in values.iter().enumerate() {
            if let Err(e) = pack_owned(v, item, &mut new, &mut written) {
                let mut from = 0;
                (0..k).for_each(|_| crate::lists::release_packed(item, &new, &mut from));
                return Err(e);
            }
        }
        let meminfo = self.meminfo as *mut MemInfo;
        // SAFETY: a live list; the range was checked.
        if unsafe { ferrojit_rt_list_splice(meminfo, at, remove, values.len() as i64) } != 0 {
            let mut from = 0;
            values.iter().for_each(|_| crate::lists::release_packed(item, &new, &mut from));
            return Err(PyMemoryError::new_err("cannot grow the list"));
        }
        // SAFETY: the zeroed items just opened at `at` (the buffer may have moved: re-read it).
        let h = unsafe { ferrojit_runtime::lists::header(meminfo) };
        let slots = unsafe { std::slice::from_raw_parts_mut((h.items as *mut u64).add(at as usize * n), new.len()) };
        slots.copy_from_slice(&new);
        Ok(())
    }

    // ---- dicts ----------------------------------------------------------------------------

    /// The position of the entry of `key`, or -1 when there is none (also when `key` is not
    /// a value of the key type, as a Python dict would answer).
    fn _find(&self, k: &Bound<'_, PyAny>) -> PyResult<i64> {
        let (key, _, meminfo) = self.dict()?;
        Self::runtime_compares(key)?;
        let Ok(buffer) = Self::packed_key(key, k) else { return Ok(-1) };
        // SAFETY: a live dict; the buffer holds a key.
        let at = unsafe { ferrojit_rt_dict_find(meminfo, buffer.as_ptr() as *const u8) };
        crate::lists::release_packed(key, &buffer, &mut 0);
        Ok(at)
    }

    /// Stores `value` under `key` (both converted first: on a `TypeError` nothing changes).
    fn _store(&self, k: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>) -> PyResult<()> {
        let (key, value, meminfo) = self.dict()?;
        let buffer = Self::packed_key(key, k)?;
        let mut new = vec![0u64; value.leaves().len()];
        if let Err(e) = pack_owned(v, value, &mut new, &mut 0) {
            crate::lists::release_packed(key, &buffer, &mut 0);
            return Err(e);
        }
        // SAFETY: a live dict; the buffer holds a key (the dict takes references of its own to
        // its strings).
        let at = unsafe { ferrojit_rt_dict_insert(meminfo, buffer.as_ptr() as *const u8) };
        crate::lists::release_packed(key, &buffer, &mut 0);
        if at < 0 {
            release_slots(value, &new);
            return Err(PyMemoryError::new_err("cannot grow the dict"));
        }
        // SAFETY: a live entry; its value slots are null (new) or own the old value.
        let (_, slots) = unsafe { Self::entry(key, value, meminfo, at) };
        let old = slots.to_vec();
        slots.copy_from_slice(&new);
        release_slots(value, &old);
        Ok(())
    }

    /// The position of the first live entry at `from` or after, -1 past the last.
    fn _next(&self, from: i64) -> PyResult<i64> {
        let (_, _, meminfo) = self.dict()?;
        // SAFETY: a live dict.
        Ok(unsafe { ferrojit_rt_dict_next(meminfo, from) })
    }

    /// The key and the value of the live entry at `at` (a position `_find`/`_next` gave).
    fn _entry<'py>(&self, py: Python<'py>, at: i64) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let (key, value, meminfo) = self.dict()?;
        // SAFETY: a live dict; the position is checked to be a live entry.
        unsafe {
            if at < 0 || ferrojit_rt_dict_next(meminfo, at) != at {
                return Err(PyIndexError::new_err("no entry there"));
            }
            let (k, v) = Self::entry(key, value, meminfo, at);
            Ok((box_slots(py, key, k)?, box_slots(py, value, v)?))
        }
    }

    /// Removes the live entry at `at`.
    fn _delete_at(&self, at: i64) -> PyResult<()> {
        let (_, _, meminfo) = self.dict()?;
        // SAFETY: a live dict; the position is checked to be a live entry.
        unsafe {
            if at < 0 || ferrojit_rt_dict_next(meminfo, at) != at {
                return Err(PyIndexError::new_err("no entry there"));
            }
            ferrojit_rt_dict_delete(meminfo, at);
        }
        Ok(())
    }

    /// Removes every item (of a list or a dict).
    fn _clear(&self) -> PyResult<()> {
        match self.typed() {
            Err(_) => Ok(()),
            Ok((Type::List(_), m)) => {
                let len = unsafe { ferrojit_runtime::lists::header(m) }.len;
                // SAFETY: a live list; removing never allocates.
                unsafe { ferrojit_rt_list_splice(m, 0, len, 0) };
                Ok(())
            }
            // SAFETY: a live dict.
            Ok((_, m)) => {
                unsafe { ferrojit_rt_dict_clear(m) };
                Ok(())
            }
        }
    }

    /// Whether two containers share one compiled list or dict (for tests).
    fn _shares_memory_with(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<TypedContainer>().is_ok_and(|o| o.borrow().meminfo == self.meminfo && self.meminfo != 0)
    }
}

/// The type name of a Python value as typeof gives it (for `List()`/`Dict()` typed by their
/// first item): `int64`, `unicode_type`, `list(int64)` for a typed List.
#[pyfunction]
pub(crate) fn typeof_name(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if value.is_instance_of::<PyString>() && !value.is_exact_instance_of::<PyString>() {
        return Err(PyTypeError::new_err("str subclasses cannot be stored in typed containers"));
    }
    let ty = crate::values::typeof_value(value)?;
    if let Some(plain) = plain_container(value) {
        return Err(PyTypeError::new_err(format!(
            "a `{plain}` cannot be stored in a typed container: its items would be copied; store a ferrojit.typed.List or Dict instead"
        )));
    }
    if let Some(why) = unstorable(&ty) {
        return Err(PyTypeError::new_err(why));
    }
    Ok(ty.to_string())
}

/// The Python type name of a plain list, dict or set in `value` (itself or in its tuples).
fn plain_container(value: &Bound<'_, PyAny>) -> Option<String> {
    if let Ok(t) = value.cast_exact::<PyTuple>() {
        return t.iter().find_map(|item| plain_container(&item));
    }
    let plain = value.is_instance_of::<pyo3::types::PyList>() || value.is_instance_of::<pyo3::types::PyDict>() || value.is_instance_of::<pyo3::types::PySet>();
    plain.then(|| value.get_type().name().map(|n| n.to_string()).unwrap_or_default())
}
