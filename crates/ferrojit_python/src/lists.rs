//! Python lists <-> compiled lists, reflected as Numba reflects them.
//!
//! A Python list argument becomes a new compiled list (its items packed as entry-point slots,
//! see `ferrojit_runtime::lists`) that remembers the Python list as its parent. When the call
//! returns, normally or with an exception, [`reflect_arguments`] writes every changed list
//! back into its parent (`parent[:] = items`), so the caller sees `append`, `pop`, `l[i] = x`
//! as in Python, then releases it. Items that are lists themselves are reflected the same way
//! and keep their identity; arrays inside lists are borrowed from the caller as array
//! arguments are.
//!
//! A list result becomes a new Python list, or its parent when it is an argument's list (so
//! `return l` gives back the caller's own list, as in Python).

use crate::values::{pack, typeof_value, unpack};
use ferrojit_compiler::Type;
use ferrojit_runtime::lists::{ferrojit_rt_list_new, header};
use ferrojit_runtime::memory::{ferrojit_rt_incref, release, MemInfo};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use std::collections::HashMap;
use std::sync::Mutex;

/// The runtime's descriptor of the meminfo pointers in an item of `item` (see
/// `ferrojit_runtime::lists`), made once per item type and kept for the life of the process
/// (lists made here point to it).
pub(crate) fn heap_descriptor(item: &Type) -> *const i64 {
    static DESCRIPTORS: Mutex<Option<HashMap<Type, &'static [i64]>>> = Mutex::new(None);
    let leaves = item.meminfo_leaves();
    if leaves.is_empty() {
        return std::ptr::null();
    }
    let mut table = DESCRIPTORS.lock().unwrap_or_else(|p| p.into_inner());
    let table = table.get_or_insert_with(HashMap::new);
    let descriptor = table.entry(item.clone()).or_insert_with(|| {
        let words: Vec<i64> = std::iter::once(leaves.len() as i64).chain(leaves.iter().map(|&l| 8 * l as i64)).collect();
        Box::leak(words.into_boxed_slice())
    });
    descriptor.as_ptr()
}

/// The type of a Python list argument: a list of its first item's type, every item of the
/// same type (Numba's reflected lists); an empty list has no item type to compile for.
pub(crate) fn typeof_list(list: &Bound<'_, PyList>) -> PyResult<Type> {
    let Some(first) = list.iter().next() else {
        return Err(PyTypeError::new_err(
            "cannot compile for an empty list argument: its item type is unknown; pass a non-empty list, or make the list inside the compiled function",
        ));
    };
    let item = typeof_value(&first)?;
    for other in list.iter().skip(1) {
        let ty = typeof_value(&other)?;
        if ty != item {
            return Err(PyTypeError::new_err(format!(
                "cannot compile for a list whose items have different types (`{item}` and `{ty}`); compiled code takes lists of one item type"
            )));
        }
    }
    Ok(Type::List(Box::new(item)))
}

/// A new compiled list holding the items of the Python list `obj` (each exactly of type
/// `item`), its parent set to `obj`: its meminfo, or None (having released what it made)
/// when an item is of another type.
pub(crate) fn pack_list(obj: &Bound<'_, PyAny>, item: &Type) -> Option<*mut MemInfo> {
    let list = obj.cast_exact::<PyList>().ok()?;
    let per_item = item.leaves().len();
    let n = list.len();
    let meminfo = ferrojit_rt_list_new(8 * per_item as i64, heap_descriptor(item), n as i64);
    if meminfo.is_null() {
        return None;
    }
    // SAFETY: a live list just made with `n` zeroed items of `per_item` slots.
    let h = unsafe { header(meminfo) };
    let items = unsafe { std::slice::from_raw_parts_mut(h.items as *mut u64, n * per_item) };
    let mut at = 0;
    // The list may outlive the call (compiled code can keep it): its items own their arrays.
    let leaves = item.meminfo_leaves();
    for (i, value) in list.iter().enumerate() {
        // A Python list can change length while its items are packed (a `__eq__`-free path,
        // but `typeof` calls Python code for some objects): stop at the packed length.
        let start = at;
        if i >= n || !pack(&value, item, items, &mut at) {
            // Items before `i` are complete and owned by the list; a failed `pack` released
            // what it made of item `i`, which lies past the length the list releases.
            h.len = i as i64;
            // SAFETY: the list is this function's only reference.
            unsafe { release(meminfo) };
            return None;
        }
        crate::values::own_packed_arrays(&leaves, &mut items[start..at]);
    }
    h.parent = obj.as_ptr() as *mut std::ffi::c_void;
    Some(meminfo)
}

/// Releases the compiled lists a packed value of `ty` holds in `slots[*at..]` (a value whose
/// packing failed later, or an argument after its call), advancing `at` past it.
pub(crate) fn release_packed(ty: &Type, slots: &[u64], at: &mut usize) {
    match ty {
        Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str | Type::Bytes | Type::Instance(_) => {
            if let Some(&meminfo) = slots.get(*at) {
                // SAFETY: a list `pack_list` made and nobody else released.
                unsafe { release(meminfo as *mut MemInfo) };
            }
            *at += 1;
        }
        Type::Tuple(items) => items.iter().for_each(|t| release_packed(t, slots, at)),
        Type::NamedTuple(n) => n.items.iter().for_each(|t| release_packed(t, slots, at)),
        Type::Exception | Type::ExceptionArgs => release_packed(&Type::exception_layout(), slots, at),
        // A `None` holds nothing; a value, what its type holds.
        Type::Optional(inner) => {
            let present = slots.get(*at).is_some_and(|&flag| flag & 0xff != 0);
            *at += 1;
            if present {
                release_packed(inner, slots, at);
            } else {
                *at += inner.leaves().len();
            }
        }
        other => *at += other.leaves().len(),
    }
}

/// Boxes the list `meminfo` of `item`s, taking over the reference the caller holds: its parent
/// (written back first) when it was made from a Python list, else a new Python list.
pub(crate) fn box_list<'py>(py: Python<'py>, item: &Type, meminfo: *mut MemInfo) -> PyResult<Bound<'py, PyAny>> {
    let ty = Type::List(Box::new(item.clone()));
    // SAFETY: the caller's reference keeps the list live.
    if unsafe { crate::typed::is_typed(&ty, meminfo) } {
        return crate::typed::box_typed(py, &ty, meminfo);
    }
    let boxed = reflect(py, item, meminfo).and_then(|parent| match parent {
        Some(parent) => Ok(parent),
        None => Ok(PyList::new(py, items(py, item, meminfo)?)?.into_any()),
    });
    // SAFETY: the caller's reference, given to this function.
    unsafe { release(meminfo) };
    boxed
}

/// The items of a live list, boxed (each with references of its own).
fn items<'py>(py: Python<'py>, item: &Type, meminfo: *mut MemInfo) -> PyResult<Vec<Bound<'py, PyAny>>> {
    // SAFETY: a live list.
    let h = unsafe { header(meminfo) };
    let per_item = item.leaves().len();
    let slots = unsafe { std::slice::from_raw_parts(h.items as *const u64, h.len as usize * per_item) };
    let meminfos = item.meminfo_leaves();
    (0..h.len as usize)
        .map(|i| {
            let one = &slots[i * per_item..(i + 1) * per_item];
            // `unpack` takes over one reference to each array and list inside the item; the
            // list keeps its own.
            for &leaf in &meminfos {
                // SAFETY: a live meminfo (or a borrowed one, which counting skips).
                unsafe { ferrojit_rt_incref(one[leaf] as *mut MemInfo) };
            }
            unpack(py, item, one, &mut 0)
        })
        .collect()
}

/// Writes the list `meminfo` back into its parent when it has one (after the lists among its
/// items), if compiled code changed it: the parent, or None for a list compiled code made.
fn reflect<'py>(py: Python<'py>, item: &Type, meminfo: *mut MemInfo) -> PyResult<Option<Bound<'py, PyAny>>> {
    // SAFETY: a live list.
    let h = unsafe { header(meminfo) };
    if h.parent.is_null() {
        return Ok(None);
    }
    // SAFETY: the parent is a Python list the caller of the compiled function still holds.
    let parent = unsafe { Bound::from_borrowed_ptr(py, h.parent as *mut pyo3::ffi::PyObject) };
    if h.dirty != 0 {
        let values = items(py, item, meminfo)?;
        parent.cast::<PyList>()?.set_slice(0, isize::MAX as usize, PyList::new(py, values)?.as_any())?;
        h.dirty = 0;
    } else if let Type::List(inner) = item {
        // Unchanged itself, its item lists may have changed: reflect each in place.
        let per_item = item.leaves().len();
        let slots = unsafe { std::slice::from_raw_parts(h.items as *const u64, h.len as usize * per_item) };
        for &m in slots {
            reflect(py, inner, m as *mut MemInfo)?;
        }
    }
    Ok(Some(parent))
}

/// After a call: writes each list argument back into its Python list and releases it.
pub(crate) fn reflect_arguments(py: Python<'_>, args: &[Type], slots: &[u64]) -> PyResult<()> {
    let mut first_error = None;
    let mut at = 0;
    for ty in args {
        reflect_value(py, ty, slots, &mut at, &mut first_error);
    }
    first_error.map_or(Ok(()), Err)
}

/// Clears the parents of the plain containers in a value of type `ty` at `slots` (an argument
/// after its call, reflected): a parent is valid only during the call that packed it, and
/// compiled code may have kept such a container (stored in a typed one), which must then box
/// as a new Python object rather than reach a Python object that may be gone. Typed containers
/// have no parent, nor hold containers packed with one, and are not walked.
fn forget_parents(ty: &Type, slots: &[u64]) {
    match ty {
        Type::List(item) => {
            let meminfo = slots[0] as *mut MemInfo;
            // SAFETY: a live list the dispatcher still holds.
            if meminfo.is_null() || unsafe { crate::typed::is_typed(ty, meminfo) } {
                return;
            }
            let h = unsafe { header(meminfo) };
            h.parent = std::ptr::null_mut();
            if holds_containers(std::slice::from_ref(&**item)) {
                let n = item.leaves().len();
                let items = unsafe { std::slice::from_raw_parts(h.items as *const u64, h.len as usize * n) };
                items.chunks(n).for_each(|one| forget_parents(item, one));
            }
        }
        Type::Dict(key, value) => {
            let meminfo = slots[0] as *mut MemInfo;
            // SAFETY: a live dict the dispatcher still holds.
            if meminfo.is_null() || unsafe { crate::typed::is_typed(ty, meminfo) } {
                return;
            }
            unsafe { ferrojit_runtime::dicts::header(meminfo) }.parent = std::ptr::null_mut();
            if holds_containers(std::slice::from_ref(&**value)) {
                let (k, v) = (key.leaves().len(), value.leaves().len());
                // SAFETY: live entries of a live dict.
                unsafe {
                    let mut at = ferrojit_runtime::dicts::ferrojit_rt_dict_next(meminfo, 0);
                    while at >= 0 {
                        let h = ferrojit_runtime::dicts::header(meminfo);
                        let entry = h.entries.add((at * h.entry_size) as usize + ferrojit_runtime::dicts::KEY_OFFSET as usize) as *const u64;
                        forget_parents(value, std::slice::from_raw_parts(entry.add(k), v));
                        at = ferrojit_runtime::dicts::ferrojit_rt_dict_next(meminfo, at + 1);
                    }
                }
            }
        }
        Type::Set(_) => {
            // SAFETY: a live set (a table of keys) the dispatcher still holds.
            if let Some(&m) = slots.first().filter(|&&m| m != 0) {
                unsafe { ferrojit_runtime::sets::header(m as *mut MemInfo) }.parent = std::ptr::null_mut();
            }
        }
        Type::Tuple(_) | Type::NamedTuple(_) => {
            let mut at = 0;
            for item in ty.tuple_items().unwrap_or_default() {
                let n = item.leaves().len();
                forget_parents(item, &slots[at..at + n]);
                at += n;
            }
        }
        _ => {}
    }
}

fn reflect_value(py: Python<'_>, ty: &Type, slots: &[u64], at: &mut usize, first_error: &mut Option<PyErr>) {
    match ty {
        Type::List(item) => {
            let meminfo = slots[*at] as *mut MemInfo;
            *at += 1;
            if let Err(e) = reflect(py, item, meminfo) {
                first_error.get_or_insert(e);
            }
            forget_parents(ty, &[meminfo as u64]);
            // SAFETY: the dispatcher's reference to the argument it packed.
            unsafe { release(meminfo) };
        }
        Type::Dict(key, value) => {
            let meminfo = slots[*at] as *mut MemInfo;
            *at += 1;
            if let Err(e) = crate::dicts::reflect_argument(py, key, value, meminfo) {
                first_error.get_or_insert(e);
            }
            forget_parents(ty, &[meminfo as u64]);
            // SAFETY: the dispatcher's reference to the argument it packed.
            unsafe { release(meminfo) };
        }
        Type::Set(item) => {
            let meminfo = slots[*at] as *mut MemInfo;
            *at += 1;
            if let Err(e) = crate::dicts::reflect_set_argument(py, item, meminfo) {
                first_error.get_or_insert(e);
            }
            forget_parents(ty, &[meminfo as u64]);
            // SAFETY: the dispatcher's reference to the argument it packed.
            unsafe { release(meminfo) };
        }
        Type::Str | Type::Bytes | Type::Instance(_) => {
            // SAFETY: the dispatcher's reference to the argument it packed (a copy, or an
            // instance's record shared with its Python object).
            unsafe { release(slots[*at] as *mut MemInfo) };
            *at += 1;
        }
        Type::Tuple(items) => items.iter().for_each(|t| reflect_value(py, t, slots, at, first_error)),
        Type::NamedTuple(n) => n.items.iter().for_each(|t| reflect_value(py, t, slots, at, first_error)),
        other => *at += other.leaves().len(),
    }
}

/// Whether values of these types include lists, dicts or sets (which need reflecting after a
/// call).
pub(crate) fn holds_containers(args: &[Type]) -> bool {
    holds(args, &|ty| matches!(ty, Type::List(_) | Type::Dict(..) | Type::Set(_)))
}

/// Whether arguments of these types need [`reflect_arguments`] after a call: containers to
/// reflect, strings (copies) to release.
pub(crate) fn needs_reflecting(args: &[Type]) -> bool {
    holds(args, &|ty| matches!(ty, Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str | Type::Bytes | Type::Instance(_)))
}

fn holds(args: &[Type], pred: &dyn Fn(&Type) -> bool) -> bool {
    fn has(ty: &Type, pred: &dyn Fn(&Type) -> bool) -> bool {
        match ty {
            Type::Tuple(items) => items.iter().any(|t| has(t, pred)),
            Type::NamedTuple(n) => n.items.iter().any(|t| has(t, pred)),
            other => pred(other),
        }
    }
    args.iter().any(|t| has(t, pred))
}
