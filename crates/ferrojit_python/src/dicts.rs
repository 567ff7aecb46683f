//! Python dicts <-> compiled dicts, reflected as lists are (see `lists.rs`): a dict argument
//! becomes a new compiled dict remembering the Python dict; when the call returns or raises,
//! a changed one is written back (`parent.clear(); parent.update(...)`), so the caller sees the
//! compiled code's changes. A dict result is a new Python dict, or the caller's own when it is
//! an argument's.
//!
//! Keys that are jitclass instances box to their Python objects, which Python hashes and
//! compares with the same `__hash__` and `__eq__` (compiled, called through the Python class)
//! or by identity, as compiled code does. Packing a Python dict, a key compared by `__eq__` is
//! stored with the hash Python's `hash()` gives it (the one compiled code computes).

use crate::values::{pack, typeof_value, unpack};
use ferrojit_compiler::{FloatType, Leaf, Type};
use ferrojit_compiler::classes::{hashed_as_cpython, key_equality, KeyEquality};
use ferrojit_runtime::sets::{self, ferrojit_rt_set_new};
use ferrojit_runtime::dicts::{ferrojit_rt_dict_insert, ferrojit_rt_dict_insert_new, ferrojit_rt_dict_new, ferrojit_rt_dict_next, header, IDENTITY_KEY, KEY_OFFSET};
use ferrojit_runtime::memory::{ferrojit_rt_incref, release, MemInfo};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PySet};
use std::collections::HashMap;
use std::sync::Mutex;

/// The type of a Python dict argument: keys of the first key's type, values of the first
/// value's type, every item alike; keys must be numbers or tuples of numbers.
pub(crate) fn typeof_dict(dict: &Bound<'_, PyDict>) -> PyResult<Type> {
    let mut items = dict.iter();
    let Some((k0, v0)) = items.next() else {
        return Err(PyTypeError::new_err("cannot compile for an empty dict argument: its key and value types are unknown; pass a non-empty dict"));
    };
    let (key, value) = (typeof_value(&k0)?, typeof_value(&v0)?);
    if !hashable(&key) {
        return Err(PyTypeError::new_err(format!("cannot compile for a dict with `{key}` keys; compiled dicts take numbers, strings, jitclass instances and tuples of them as keys")));
    }
    for (k, v) in items {
        let (kt, vt) = (typeof_value(&k)?, typeof_value(&v)?);
        if kt != key || vt != value {
            return Err(PyTypeError::new_err(format!(
                "cannot compile for a dict whose items have different types (`{key}: {value}` and `{kt}: {vt}`); compiled code takes dicts of one key type and one value type"
            )));
        }
    }
    Ok(Type::Dict(Box::new(key), Box::new(value)))
}

/// The runtime's descriptor of an entry's meminfo pointers: the key's strings and instances,
/// then the value's (see `ferrojit_runtime::dicts::DictHeader::heap`), made once per key and
/// value types and kept for the life of the process (dicts made here point to it).
fn descriptor(key: &Type, value: &Type) -> *const i64 {
    static DESCRIPTORS: Mutex<Option<HashMap<(Type, Type), &'static [i64]>>> = Mutex::new(None);
    let mut table = DESCRIPTORS.lock().unwrap_or_else(|p| p.into_inner());
    let table = table.get_or_insert_with(HashMap::new);
    let words = table.entry((key.clone(), value.clone())).or_insert_with(|| Box::leak(Type::dict_heap_words(key, value, IDENTITY_KEY).into_boxed_slice()));
    if words[0] == 0 {
        return std::ptr::null();
    }
    words.as_ptr()
}

/// Whether values of `ty` can be keys of compiled dicts and items of sets: numbers, strings,
/// jitclass instances of hashable classes and tuples of them.
fn hashable(ty: &Type) -> bool {
    fn plain(ty: &Type) -> bool {
        match ty {
            Type::Tuple(items) => items.iter().all(plain),
            Type::NamedTuple(n) => n.items.iter().all(plain),
            Type::Str | Type::Bytes | Type::Instance(_) => true,
            other => !other.holds_heap(),
        }
    }
    plain(ty) && matches!(key_equality(ty), KeyEquality::Bytes | KeyEquality::ByEq)
}

/// `-0.0` keys as `0.0` (the compiled code's canonical form: keys compare by their bytes).
pub(crate) fn canonical(key: &Type, slots: &mut [u64]) {
    for (slot, leaf) in slots.iter_mut().zip(key.leaves()) {
        match leaf {
            Leaf::Float(FloatType::F64) if *slot == 1 << 63 => *slot = 0,
            Leaf::Float(FloatType::F32) if *slot == 1 << 31 => *slot = 0,
            _ => {}
        }
    }
}

/// Inserts the Python object `k` as a key of type `key` (its slots zeroed, then packed and
/// made canonical, as compiled code writes keys): the entry's position, or None when `k` is not
/// of that type or the table cannot grow.
fn insert_key(meminfo: *mut MemInfo, key: &Type, k: &Bound<'_, PyAny>) -> Option<i64> {
    let mut buffer = vec![0u64; key.leaves().len().max(1)];
    if !pack(k, key, &mut buffer, &mut 0) {
        return None;
    }
    canonical(key, &mut buffer);
    let at = if key_equality(key) == KeyEquality::ByEq {
        // The keys of a Python dict or set are distinct by the same `__eq__`.
        match k.hash() {
            // SAFETY: a live table; the buffer holds the key's slots.
            Ok(hash) => unsafe { ferrojit_rt_dict_insert_new(meminfo, buffer.as_ptr() as *const u8, hash as i64) },
            Err(_) => -1,
        }
    } else {
        // SAFETY: as above.
        unsafe { ferrojit_rt_dict_insert(meminfo, buffer.as_ptr() as *const u8) }
    };
    // The strings `pack` made for the key: the table took references of its own.
    crate::lists::release_packed(key, &buffer, &mut 0);
    (at >= 0).then_some(at)
}

/// Marks a table packed from a Python object as unchanged and made from `obj` (its parent,
/// for reflection).
fn adopt(meminfo: *mut MemInfo, obj: &Bound<'_, PyAny>) -> *mut MemInfo {
    // SAFETY: a live table.
    let h = unsafe { header(meminfo) };
    h.dirty = 0;
    h.parent = obj.as_ptr() as *mut std::ffi::c_void;
    meminfo
}

/// A new compiled dict holding the items of the Python dict `obj`, its parent set to `obj`;
/// None (having released what it made) when an item is not of the types.
pub(crate) fn pack_dict(obj: &Bound<'_, PyAny>, key: &Type, value: &Type) -> Option<*mut MemInfo> {
    let dict = obj.cast_exact::<PyDict>().ok()?;
    if !hashable(key) {
        return None;
    }
    let (key_slots, value_slots) = (key.leaves().len(), value.leaves().len());
    let meminfo = ferrojit_rt_dict_new(8 * key_slots as i64, 8 * value_slots as i64, descriptor(key, value), dict.len() as i64);
    if meminfo.is_null() {
        return None;
    }
    let value_leaves = value.meminfo_leaves();
    for (k, v) in dict.iter() {
        let at = insert_key(meminfo, key, &k).unwrap_or(-1);
        let stored = at >= 0 && {
            // SAFETY: a live entry; its value slots follow the key's.
            let h = unsafe { header(meminfo) };
            let entry = unsafe { h.entries.add((at * h.entry_size) as usize + KEY_OFFSET as usize + 8 * key_slots) };
            let slots = unsafe { std::slice::from_raw_parts_mut(entry as *mut u64, value_slots) };
            // The dict may outlive the call (compiled code can keep it): its values own their
            // arrays.
            pack(&v, value, slots, &mut 0) && {
                crate::values::own_packed_arrays(&value_leaves, slots);
                true
            }
        };
        if !stored {
            if at >= 0 {
                // The value's failed packing released what it made: leave its slots null.
                // SAFETY: as above.
                let h = unsafe { header(meminfo) };
                let entry = unsafe { h.entries.add((at * h.entry_size) as usize + KEY_OFFSET as usize + 8 * key_slots) };
                unsafe { std::ptr::write_bytes(entry, 0, 8 * value_slots) };
            }
            // SAFETY: this function's only reference.
            unsafe { release(meminfo) };
            return None;
        }
    }
    Some(adopt(meminfo, obj))
}

/// The entries of a live dict as boxed `(key, value)` pairs (values with references of their
/// own).
fn entries<'py>(py: Python<'py>, key: &Type, value: &Type, meminfo: *mut MemInfo) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
    let (key_slots, value_slots) = (key.leaves().len(), value.leaves().len());
    let (key_meminfos, meminfos) = (key.meminfo_leaves(), value.meminfo_leaves());
    let mut out = Vec::new();
    // SAFETY: a live dict; positions from the runtime are live entries.
    unsafe {
        let mut at = ferrojit_rt_dict_next(meminfo, 0);
        while at >= 0 {
            let h = header(meminfo);
            let entry = h.entries.add((at * h.entry_size) as usize + KEY_OFFSET as usize) as *const u64;
            let k = std::slice::from_raw_parts(entry, key_slots);
            let v = std::slice::from_raw_parts(entry.add(key_slots), value_slots);
            for &leaf in &meminfos {
                ferrojit_rt_incref(v[leaf] as *mut MemInfo);
            }
            for &leaf in &key_meminfos {
                ferrojit_rt_incref(k[leaf] as *mut MemInfo);
            }
            out.push((unpack(py, key, k, &mut 0)?, unpack(py, value, v, &mut 0)?));
            at = ferrojit_rt_dict_next(meminfo, at + 1);
        }
    }
    Ok(out)
}

/// Writes a changed dict back into its parent: the parent, or None for a dict compiled code
/// made.
fn reflect<'py>(py: Python<'py>, key: &Type, value: &Type, meminfo: *mut MemInfo) -> PyResult<Option<Bound<'py, PyAny>>> {
    // SAFETY: a live dict.
    let h = unsafe { header(meminfo) };
    if h.parent.is_null() {
        return Ok(None);
    }
    // SAFETY: the parent is a Python dict the caller of the compiled function still holds.
    let parent = unsafe { Bound::from_borrowed_ptr(py, h.parent as *mut pyo3::ffi::PyObject) };
    // Values holding lists or dicts are boxed (and so reflected) even when the dict itself is
    // unchanged.
    if h.dirty != 0 || crate::lists::holds_containers(std::slice::from_ref(value)) {
        let items = entries(py, key, value, meminfo)?;
        let target = parent.cast::<PyDict>()?;
        if h.dirty != 0 {
            target.clear();
        }
        for (k, v) in items {
            target.set_item(k, v)?;
        }
        h.dirty = 0;
    }
    Ok(Some(parent))
}

/// Boxes the dict `meminfo`, taking over the caller's reference.
pub(crate) fn box_dict<'py>(py: Python<'py>, key: &Type, value: &Type, meminfo: *mut MemInfo) -> PyResult<Bound<'py, PyAny>> {
    let ty = Type::Dict(Box::new(key.clone()), Box::new(value.clone()));
    // SAFETY: the caller's reference keeps the dict live.
    if unsafe { crate::typed::is_typed(&ty, meminfo) } {
        return crate::typed::box_typed(py, &ty, meminfo);
    }
    let boxed = reflect(py, key, value, meminfo).and_then(|parent| match parent {
        Some(parent) => Ok(parent),
        None => {
            let dict = PyDict::new(py);
            for (k, v) in entries(py, key, value, meminfo)? {
                dict.set_item(k, v)?;
            }
            Ok(dict.into_any())
        }
    });
    // SAFETY: the caller's reference, given to this function.
    unsafe { release(meminfo) };
    boxed
}

/// After a call: writes a dict argument back into its Python dict (see [`reflect`]).
pub(crate) fn reflect_argument(py: Python<'_>, key: &Type, value: &Type, meminfo: *mut MemInfo) -> PyResult<()> {
    reflect(py, key, value, meminfo).map(|_| ())
}

// ---- sets: tables of keys without values ------------------------------------------------------

/// The type of a Python set argument: of its first item's type, every item alike.
pub(crate) fn typeof_set(set: &Bound<'_, PySet>) -> PyResult<Type> {
    let mut items = set.iter();
    let Some(first) = items.next() else {
        return Err(PyTypeError::new_err("cannot compile for an empty set argument: its item type is unknown; pass a non-empty set"));
    };
    let item = typeof_value(&first)?;
    if !hashable(&item) {
        return Err(PyTypeError::new_err(format!("cannot compile for a set of `{item}`; compiled sets hold numbers, strings, jitclass instances and tuples of them")));
    }
    for other in items {
        let ty = typeof_value(&other)?;
        if ty != item {
            return Err(PyTypeError::new_err(format!("cannot compile for a set whose items have different types (`{item}` and `{ty}`); compiled code takes sets of one item type")));
        }
    }
    Ok(Type::Set(Box::new(item)))
}

/// A new compiled set holding the items of the Python set `obj`, its parent set to `obj`.
/// Items CPython's hash places as compiled code does (`hashed_as_cpython`, and instances with
/// `__hash__`) take the slots they have in `obj`, so that the set iterates and pops as `obj`
/// would; others are added one by one.
pub(crate) fn pack_set(obj: &Bound<'_, PyAny>, item: &Type) -> Option<*mut MemInfo> {
    let set = obj.cast_exact::<PySet>().ok()?;
    if !hashable(item) {
        return None;
    }
    let meminfo = ferrojit_rt_set_new(8 * item.leaves().len() as i64, descriptor(item, &Type::NoneType));
    if meminfo.is_null() {
        return None;
    }
    let packed = if hashed_as_cpython(item) || key_equality(item) == KeyEquality::ByEq { copy_layout(meminfo, set, item) } else { add_each(meminfo, set, item) };
    if !packed {
        // SAFETY: this function's only reference.
        unsafe { release(meminfo) };
        return None;
    }
    // SAFETY: a live set.
    let h = unsafe { sets::header(meminfo) };
    h.dirty = 0;
    h.parent = obj.as_ptr() as *mut std::ffi::c_void;
    Some(meminfo)
}

/// Lays the empty set `meminfo` out as the table of the Python set `set` (its slots, dummies
/// and finger: CPython's `setentry` array); false when an item is not of type `item`.
fn copy_layout(meminfo: *mut MemInfo, set: &Bound<'_, PySet>, item: &Type) -> bool {
    let n = item.leaves().len().max(1);
    // SAFETY: a live set object (the GIL is held, nothing runs Python code while its table is
    // read: packing an item calls no Python code of the item's).
    let (slots, finger, table) = unsafe {
        let so = set.as_ptr() as *mut pyo3::ffi::PySetObject;
        ((*so).mask + 1, (*so).finger, (*so).table)
    };
    let mut states = vec![0i64; slots as usize];
    let mut hashes = vec![0i64; slots as usize];
    let mut keys = vec![0u64; slots as usize * n];
    let mut ok = true;
    for i in 0..slots as usize {
        // SAFETY: the table holds `mask + 1` entries.
        let entry = unsafe { &*table.add(i) };
        if entry.key.is_null() {
            continue;
        }
        if entry.hash == -1 {
            // CPython's dummy: no live key hashes to -1.
            states[i] = sets::SLOT_DUMMY;
            continue;
        }
        // SAFETY: a live key of the set, borrowed while the set is.
        let k = unsafe { Bound::from_borrowed_ptr(set.py(), entry.key) };
        let slots_of_key = &mut keys[i * n..(i + 1) * n];
        if !pack(&k, item, slots_of_key, &mut 0) {
            ok = false;
            break;
        }
        canonical(item, slots_of_key);
        states[i] = sets::SLOT_LIVE;
        hashes[i] = entry.hash as i64;
    }
    // SAFETY: an empty set; the arrays hold `slots` items.
    let adopted = ok && unsafe { sets::adopt_layout(meminfo, slots as i64, &states, &hashes, bytes_of(&keys), finger as i64) };
    // The strings `pack` made: the set took references of its own.
    for i in (0..slots as usize).filter(|&i| states[i] == sets::SLOT_LIVE) {
        crate::lists::release_packed(item, &keys[i * n..(i + 1) * n], &mut 0);
    }
    adopted
}

fn bytes_of(words: &[u64]) -> &[u8] {
    // SAFETY: the bytes of the words.
    unsafe { std::slice::from_raw_parts(words.as_ptr() as *const u8, words.len() * 8) }
}

/// Adds the items of the Python set `set` to the set `meminfo` one by one, hashed by their
/// bytes (items CPython hashes by identity); false when one is not of type `item`.
fn add_each(meminfo: *mut MemInfo, set: &Bound<'_, PySet>, item: &Type) -> bool {
    set.iter().all(|k| {
        let mut buffer = vec![0u64; item.leaves().len().max(1)];
        if !pack(&k, item, &mut buffer, &mut 0) {
            return false;
        }
        canonical(item, &mut buffer);
        // SAFETY: a live set; the buffer holds the key's slots.
        let at = unsafe { sets::ferrojit_rt_set_insert(meminfo, buffer.as_ptr() as *const u8, sets::NO_HASH) };
        crate::lists::release_packed(item, &buffer, &mut 0);
        at >= 0
    })
}

/// The items of a live set, boxed, in slot order.
fn set_items<'py>(py: Python<'py>, item: &Type, meminfo: *mut MemInfo) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let slots = item.leaves().len();
    let meminfos = item.meminfo_leaves();
    let mut out = Vec::new();
    // SAFETY: a live set; slots from the runtime are live entries.
    unsafe {
        let mut at = sets::ferrojit_rt_set_next(meminfo, 0);
        while at >= 0 {
            let h = sets::header(meminfo);
            let entry = h.entries.add((at * h.entry_size) as usize + KEY_OFFSET as usize) as *const u64;
            let k = std::slice::from_raw_parts(entry, slots);
            for &leaf in &meminfos {
                ferrojit_rt_incref(k[leaf] as *mut MemInfo);
            }
            out.push(unpack(py, item, k, &mut 0)?);
            at = sets::ferrojit_rt_set_next(meminfo, at + 1);
        }
    }
    Ok(out)
}

fn reflect_set<'py>(py: Python<'py>, item: &Type, meminfo: *mut MemInfo) -> PyResult<Option<Bound<'py, PyAny>>> {
    // SAFETY: a live set.
    let h = unsafe { sets::header(meminfo) };
    if h.parent.is_null() {
        return Ok(None);
    }
    // SAFETY: the parent is a Python set the caller of the compiled function still holds.
    let parent = unsafe { Bound::from_borrowed_ptr(py, h.parent as *mut pyo3::ffi::PyObject) };
    if h.dirty != 0 {
        let target = parent.cast::<PySet>()?;
        target.clear();
        for k in set_items(py, item, meminfo)? {
            target.add(k)?;
        }
        h.dirty = 0;
    }
    Ok(Some(parent))
}

/// Boxes the set `meminfo`, taking over the caller's reference.
pub(crate) fn box_set<'py>(py: Python<'py>, item: &Type, meminfo: *mut MemInfo) -> PyResult<Bound<'py, PyAny>> {
    let boxed = reflect_set(py, item, meminfo).and_then(|parent| match parent {
        Some(parent) => Ok(parent),
        None => Ok(PySet::new(py, set_items(py, item, meminfo)?)?.into_any()),
    });
    // SAFETY: the caller's reference, given to this function.
    unsafe { release(meminfo) };
    boxed
}

/// After a call: writes a set argument back into its Python set.
pub(crate) fn reflect_set_argument(py: Python<'_>, item: &Type, meminfo: *mut MemInfo) -> PyResult<()> {
    reflect_set(py, item, meminfo).map(|_| ())
}
