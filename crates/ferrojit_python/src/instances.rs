//! Jitclass instances on the Python side (`python/ferrojit/_jitclass.py` builds the classes):
//! registering a class with the compiler, making instances, reading and writing their fields,
//! and passing them to and from compiled code.
//!
//! [`JitInstance`] is the native base of every jitclass's Python class. It owns one reference
//! to an instance record (`ferrojit_runtime::instances`), which compiled code shares without
//! copying:
//! - passing an instance to compiled code passes its meminfo, with a reference added for the
//!   call and dropped after (as a string argument's), so both sides see the same fields;
//! - an instance coming back from compiled code (returned, or read out of a field or a
//!   container) is boxed as the object that boxes it already, or as a new object of its
//!   class's Python class that takes over the reference: `f(c) is c`, as in Python.
//!
//! Invariant: at most one Python object boxes an instance at a time, and the instance's header
//! names it (`wrapper`, a borrowed pointer cleared when the object dies), as for typed
//! containers (see `typed.rs`).

use crate::values::unpack;
use ferrojit_compiler::classes::{JitClass, Member};
use ferrojit_compiler::{InstanceType, Type};
use ferrojit_runtime::instances::{ferrojit_rt_instance_new, fields, header};
use ferrojit_runtime::memory::{ferrojit_rt_incref, release, MemInfo};
use pyo3::exceptions::{PyMemoryError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyType};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The native part of a jitclass instance in Python: its class and one owned reference to its
/// record; None and 0 until `__init__` has made the record.
#[pyclass(subclass, module = "ferrojit._native")]
pub struct JitInstance {
    class: Option<Arc<Registered>>,
    meminfo: usize,
}

#[pymethods]
impl JitInstance {
    /// An object without a record: the class's `__init__` (`python/ferrojit/_jitclass.py`)
    /// makes it ([`instance_init`]) and runs the compiled `__init__` on it.
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn new(_args: &Bound<'_, PyTuple>, _kwargs: Option<&Bound<'_, PyDict>>) -> Self {
        JitInstance { class: None, meminfo: 0 }
    }
}

impl Drop for JitInstance {
    fn drop(&mut self) {
        if self.meminfo != 0 {
            let meminfo = self.meminfo as *mut MemInfo;
            // SAFETY: this object owns a reference to the live record and is the object its
            // header names: it forgets itself, then drops its reference. The GIL is held.
            unsafe {
                header(meminfo).wrapper = std::ptr::null_mut();
                release(meminfo);
            }
        }
    }
}

/// A registered class as the binding crate keeps it.
struct Registered {
    ty: InstanceType,
    /// `Type::Instance` of `ty`, made once (what `typeof` gives an instance).
    instance_type: Type,
    /// The Python class whose objects box its instances.
    python_class: Py<PyType>,
    /// The runtime's descriptor of where the fields' meminfo pointers are (`[count, byte
    /// offsets...]`, leaked: instances may outlive everything else), or null.
    heap: usize,
    /// The bytes of the fields.
    size: i64,
    /// Per field, where it sits in the record, computed once (Python reads fields often).
    layouts: Vec<FieldLayout>,
}

/// Where one field sits in its record.
struct FieldLayout {
    /// Its first 8-byte slot after the header.
    first: usize,
    /// How many slots it takes.
    slots: usize,
    /// Its meminfo pointers, by slot from `first`.
    meminfos: Vec<usize>,
    /// The slot and bit of its "set" flag, when it has one.
    flag: Option<(usize, u32)>,
}

static CLASSES: Mutex<Option<HashMap<u64, Arc<Registered>>>> = Mutex::new(None);

fn registered(class: u64) -> PyResult<Arc<Registered>> {
    let classes = CLASSES.lock().unwrap_or_else(|p| p.into_inner());
    classes.as_ref().and_then(|c| c.get(&class).cloned()).ok_or_else(|| PyTypeError::new_err("not a registered jitclass"))
}

/// The identity of the jitclass whose Python class is `python_class`, if it is one: the
/// class's own attribute, so that a plain Python subclass of a jitclass is not taken for it.
fn class_id_of(python_class: &Bound<'_, PyAny>) -> Option<u64> {
    let t = python_class.cast::<PyType>().ok()?;
    if !t.is_subclass_of::<JitInstance>().ok()? {
        return None;
    }
    t.getattr("__dict__").ok()?.get_item("_ferrojit_class_id_").ok()?.extract().ok()
}

/// The compiler's view of a global naming a jitclass: its identity.
pub(crate) fn class_global(value: &Bound<'_, PyAny>) -> Option<u64> {
    class_id_of(value)
}

/// Why values of `ty` cannot be fields, or None when they can: numbers, strings, arrays,
/// tuples of them, instances of other jitclasses, and typed Lists and Dicts of those (a
/// list or dict stored into a field is a typed one, shared with Python: see
/// `ferrojit_rt_list_mark_typed`).
fn unstorable(ty: &Type) -> Option<String> {
    match ty {
        Type::Bool | Type::Int(_) | Type::Float(_) | Type::Complex(_) | Type::Str | Type::Array(_) | Type::Instance(_) => None,
        Type::Tuple(items) => items.iter().find_map(unstorable),
        // `None` or a value: `optional(Point.class_type.instance_type)`, `Point | None`.
        Type::Optional(inner) => unstorable(inner),
        Type::List(item) => unstorable(item),
        Type::Dict(key, value) => match &**key {
            Type::Bool | Type::Int(_) | Type::Float(_) | Type::Str => unstorable(value),
            other => Some(format!("dict with `{other}` keys")),
        },
        other => Some(other.to_string()),
    }
}

/// The type a field of the class `id` (named `class`) is declared with: a `ferrojit.types`
/// type's name, or a jitclass. The class itself is spelled `instance.jitclass.<class><...>`
/// (`python/ferrojit/_jitclass.py` does not know its identity yet).
fn field_type(id: u64, class: &str, name: &str, declared: &Bound<'_, PyAny>) -> PyResult<Type> {
    if let Some(id) = class_id_of(declared) {
        return Ok(Type::Instance(Box::new(registered(id)?.ty.clone())));
    }
    let spelled: String = declared.str()?.extract()?;
    let itself = Type::Instance(Box::new(InstanceType::reference(id, class.to_string()))).to_string();
    let spelled = spelled.replace(&format!("instance.jitclass.{class}<...>"), &itself);
    let ty = ferrojit_compiler::parse_type(&spelled).map_err(|_| {
        PyTypeError::new_err(format!("the field `{name}` of the jitclass `{class}` is declared `{spelled}`, which is not a type compiled code knows; declare it with a type from `ferrojit.types` (`float64`, `int64`, `float64[:]`, `unicode_type`), `int`, `float`, `complex`, `bool`, `str`, or another jitclass"))
    })?;
    if let Some(what) = unstorable(&ty) {
        return Err(PyTypeError::new_err(format!(
            "the field `{name}` of the jitclass `{class}` is declared `{what}`, which a jitclass field cannot hold yet; fields hold numbers, strings, arrays, tuples of them and instances of other jitclasses"
        )));
    }
    Ok(ty)
}

static NEXT_CLASS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Registers the jitclass whose Python class is `python_class` (a subclass of
/// [`JitInstance`]) with its `fields` (name and declared type, in order, a base's first),
/// `members` (name -> `("method" | "static", dispatcher, None)` or `("property", getter,
/// setter or None)`, each a compiled function, a base's included), the jitclass `base` it
/// derives from and the dispatchers written in its own body (`own`, where `super()` is the
/// base), the fields its `__init__` sets on every path (`always_set`; the others are checked
/// when read), and, for a class whose `__init__` is made from its fields (dataclass style),
/// each field's default (`auto_init`: `()` or `(value,)` per field), and the attributes its
/// class patterns' positional sub-patterns match (`match_args`, its `__match_args__`);
/// returns its identity.
#[pyfunction]
#[pyo3(signature = (python_class, fields, members, base=None, own=Vec::new(), always_set=Vec::new(), auto_init=None, match_args=None))]
#[allow(clippy::too_many_arguments)]
pub fn register_jitclass(
    py: Python<'_>,
    python_class: &Bound<'_, PyType>,
    fields: Vec<(String, Bound<'_, PyAny>)>,
    members: &Bound<'_, PyDict>,
    base: Option<u64>,
    own: Vec<Bound<'_, PyAny>>,
    always_set: Vec<String>,
    auto_init: Option<Vec<Bound<'_, PyTuple>>>,
    match_args: Option<Vec<String>>,
) -> PyResult<u64> {
    let name: String = python_class.getattr("__name__")?.extract()?;
    let id = NEXT_CLASS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // The class's own type in its fields (`next: Optional[Node]`) is a reference to it, spelled
    // `instance.jitclass.Node#<id><...>` (see `InstanceType::reference`; `field_type` turns the
    // spelling without the identity that Python writes into this one).
    ferrojit_compiler::register_named_type(Type::Instance(Box::new(InstanceType::reference(id, name.clone()))));
    let mut typed = Vec::with_capacity(fields.len());
    for (field, declared) in &fields {
        typed.push((field.clone(), field_type(id, &name, field, declared)?));
    }
    let source = |d: &Bound<'_, PyAny>| -> PyResult<Arc<ferrojit_compiler::FunctionSource>> {
        let dispatcher = d.cast::<crate::dispatcher::DispatcherBase>()?;
        dispatcher.get().function_source(py)
    };
    let mut compiled = HashMap::new();
    for (member, entry) in members.iter() {
        let member: String = member.extract()?;
        let (kind, first, second): (String, Bound<'_, PyAny>, Bound<'_, PyAny>) = entry.extract()?;
        let m = match kind.as_str() {
            "method" => Member::Method(source(&first)?),
            "static" => Member::StaticMethod(source(&first)?),
            "class" => Member::ClassMethod(source(&first)?),
            "property" => Member::Property { getter: source(&first)?, setter: if second.is_none() { None } else { Some(source(&second)?) } },
            other => return Err(PyTypeError::new_err(format!("unknown jitclass member kind `{other}`"))),
        };
        compiled.insert(member, m);
    }
    let may_be_unset = typed.iter().map(|(f, _)| !always_set.contains(f)).collect();
    let auto_init = match auto_init {
        None => None,
        Some(defaults) => {
            let mut out = Vec::with_capacity(defaults.len());
            for (d, (field, _)) in defaults.iter().zip(&typed) {
                out.push(match d.len() {
                    0 => None,
                    _ => Some(crate::globals::constant(&d.get_item(0)?).ok_or_else(|| {
                        PyTypeError::new_err(format!("the default of the field `{field}` is not a constant compiled code can use (a number, bool, string, None or a tuple of them)"))
                    })?),
                });
            }
            Some(out)
        }
    };
    let ty = InstanceType { class: id, name, fields: typed, may_be_unset };
    let layout = ty.layout();
    let leaves = layout.meminfo_leaves();
    let heap = if leaves.is_empty() {
        0
    } else {
        let descriptor: Vec<i64> = std::iter::once(leaves.len() as i64).chain(leaves.iter().map(|&l| 8 * l as i64)).collect();
        Box::leak(descriptor.into_boxed_slice()).as_ptr() as usize
    };
    let size = 8 * ty.record_slots() as i64;
    let own = own.iter().map(|d| source(d).map(|s| s.id)).collect::<PyResult<Vec<u64>>>()?;
    ferrojit_compiler::register_instance_type(ty.clone());
    // `ferrojit.types` spells the instance type by its name (`List.empty_list(...)`).
    ferrojit_compiler::register_named_type(Type::Instance(Box::new(ty.clone())));
    ferrojit_compiler::register_named_type(Type::Class(Box::new(ty.clone())));
    let hash_is_none = python_class.getattr("__hash__")?.is_none();
    ferrojit_compiler::classes::register_class(JitClass { ty: ty.clone(), members: compiled, base, own, auto_init, match_args, hash_is_none });
    let layouts = (0..ty.fields.len())
        .map(|i| FieldLayout { first: ty.field_leaf(i), slots: ty.fields[i].1.leaves().len(), meminfos: ty.fields[i].1.meminfo_leaves(), flag: ty.set_flag(i) })
        .collect();
    let entry = Registered { instance_type: Type::Instance(Box::new(ty.clone())), layouts, ty, python_class: python_class.clone().unbind(), heap, size };
    CLASSES.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert_with(HashMap::new).insert(id, Arc::new(entry));
    Ok(id)
}

/// Gives `obj` (an object of the Python class of the jitclass `class`) a new record, every
/// field zero, unless it has one already (`__init__` called again runs on the same record,
/// as in Python).
#[pyfunction]
pub fn instance_init(obj: &Bound<'_, JitInstance>, class: u64) -> PyResult<()> {
    let mut this = obj.borrow_mut();
    if this.meminfo != 0 {
        return Ok(());
    }
    let entry = registered(class)?;
    let meminfo = ferrojit_rt_instance_new(entry.size, entry.heap as *const i64);
    let entry = entry.clone();
    if meminfo.is_null() {
        return Err(PyMemoryError::new_err("cannot allocate memory for the instance"));
    }
    // SAFETY: a live record just made, whose only reference this object takes.
    unsafe { header(meminfo).wrapper = obj.as_ptr() as *mut std::ffi::c_void };
    this.class = Some(entry);
    this.meminfo = meminfo as usize;
    Ok(())
}

/// The type of a jitclass instance passed to a compiled function; None when `obj` is not one.
pub(crate) fn type_of(obj: &Bound<'_, PyAny>) -> Option<PyResult<Type>> {
    let instance = obj.cast::<JitInstance>().ok()?;
    let instance = instance.borrow();
    if instance.meminfo == 0 {
        return Some(Err(PyTypeError::new_err("cannot pass a jitclass instance whose `__init__` has not run")));
    }
    Some(instance.class.as_ref().map(|r| r.instance_type.clone()).ok_or_else(|| PyTypeError::new_err("not a registered jitclass")))
}

/// The name of the type of the instances of the jitclass `class`, as compiled code prints it.
#[pyfunction]
pub fn jitclass_type_name(class: u64) -> PyResult<String> {
    Ok(registered(class)?.instance_type.to_string())
}

/// The type of a jitclass passed to a compiled function (the class itself, a
/// [`Type::Class`]); None when `obj` is not a jitclass.
pub(crate) fn class_type_of(obj: &Bound<'_, PyAny>) -> Option<PyResult<Type>> {
    let id = class_id_of(obj)?;
    Some(registered(id).map(|r| Type::Class(Box::new(r.ty.clone()))))
}

/// Whether `obj` is the jitclass of `ty` (a class value has no slots to pack).
pub(crate) fn is_class(obj: &Bound<'_, PyAny>, ty: &InstanceType) -> bool {
    class_id_of(obj) == Some(ty.class)
}

/// The Python class of the jitclass of `ty`, for a class value returned to Python.
pub(crate) fn box_class<'py>(py: Python<'py>, ty: &InstanceType) -> PyResult<Bound<'py, PyAny>> {
    Ok(registered(ty.class)?.python_class.bind(py).clone().into_any())
}

/// The record of the instance `obj` when it is of the class of `ty`, with a reference added
/// for the caller; None for any other object.
pub(crate) fn share(obj: &Bound<'_, PyAny>, ty: &InstanceType) -> Option<*mut MemInfo> {
    let instance = obj.cast::<JitInstance>().ok()?;
    let instance = instance.borrow();
    if instance.class.as_ref().is_none_or(|c| c.ty.class != ty.class) || instance.meminfo == 0 {
        return None;
    }
    let meminfo = instance.meminfo as *mut MemInfo;
    // SAFETY: the object owns a reference, so the record is live.
    unsafe { ferrojit_rt_incref(meminfo) };
    Some(meminfo)
}

/// Boxes the instance `meminfo` of type `ty`, taking over the caller's reference: the Python
/// object boxing it now, or a new object of its class.
pub(crate) fn box_instance<'py>(py: Python<'py>, ty: &InstanceType, meminfo: *mut MemInfo) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: the caller's reference keeps the record live.
    let record = unsafe { header(meminfo) };
    if !record.wrapper.is_null() {
        // SAFETY: a live object (it clears the field when it dies); the GIL is held.
        let existing = unsafe { Bound::from_borrowed_ptr(py, record.wrapper as *mut pyo3::ffi::PyObject) };
        // SAFETY: the caller's reference, given to this function; the object holds its own.
        unsafe { release(meminfo) };
        return Ok(existing);
    }
    let made = registered(ty.class).and_then(|entry| {
        let class = entry.python_class.bind(py);
        let made = class.call_method1("__new__", (class,))?;
        Ok((made.cast_into::<JitInstance>().map_err(PyErr::from)?, entry))
    });
    let (made, entry) = match made {
        Ok(m) => m,
        Err(e) => {
            // SAFETY: the caller's reference, given to this function.
            unsafe { release(meminfo) };
            return Err(e);
        }
    };
    {
        let mut this = made.borrow_mut();
        this.class = Some(entry);
        this.meminfo = meminfo as usize;
    }
    record.wrapper = made.as_ptr() as *mut std::ffi::c_void;
    Ok(made.into_any())
}

/// The class and record of `obj`, an initialised instance.
fn record_of(obj: &Bound<'_, JitInstance>) -> PyResult<(Arc<Registered>, *mut MemInfo)> {
    let this = obj.borrow();
    if this.meminfo == 0 {
        return Err(PyTypeError::new_err("the jitclass instance's `__init__` has not run"));
    }
    let class = this.class.clone().ok_or_else(|| PyTypeError::new_err("not a registered jitclass"))?;
    Ok((class, this.meminfo as *mut MemInfo))
}

/// The slots of field `index` of the record `meminfo` of class `ty`.
///
/// # Safety
/// `meminfo` is a live record of `ty`; `index` is one of its fields.
unsafe fn field_slots<'a>(layout: &FieldLayout, meminfo: *mut MemInfo) -> &'a mut [u64] {
    let start = (fields(meminfo) as *mut u64).add(layout.first);
    std::slice::from_raw_parts_mut(start, layout.slots)
}

/// The 8-byte slot of the record `meminfo` that holds field `index`'s "set" flag, and the
/// flag's bit; None when the field has none.
///
/// # Safety
/// `meminfo` is a live record of `ty`.
unsafe fn flag_word<'a>(layout: &FieldLayout, meminfo: *mut MemInfo) -> Option<(&'a mut u64, u32)> {
    let (slot, bit) = layout.flag?;
    Some((&mut *(fields(meminfo) as *mut u64).add(slot), bit))
}

/// Whether field `index` holds a value: it has no flag, or its flag is set.
///
/// # Safety
/// `meminfo` is a live record of `ty`.
unsafe fn is_set(layout: &FieldLayout, meminfo: *mut MemInfo) -> bool {
    flag_word(layout, meminfo).is_none_or(|(word, bit)| *word & (1 << bit) != 0)
}

/// Sets field `index`'s flag, when it has one.
///
/// # Safety
/// `meminfo` is a live record of `ty`.
unsafe fn mark_set(layout: &FieldLayout, meminfo: *mut MemInfo) {
    if let Some((word, bit)) = flag_word(layout, meminfo) {
        *word |= 1 << bit;
    }
}

/// `obj.field` from Python: the value of field `index`, boxed (arrays are views of the
/// field's array, which they keep alive; instances are the objects that box them).
#[pyfunction]
pub fn instance_get<'py>(py: Python<'py>, obj: &Bound<'py, JitInstance>, index: usize) -> PyResult<Bound<'py, PyAny>> {
    let (entry, meminfo) = record_of(obj)?;
    let ((name, ty), layout) = entry.ty.fields.get(index).zip(entry.layouts.get(index)).ok_or_else(|| PyTypeError::new_err("no such field"))?;
    // SAFETY: this object's reference keeps the record live.
    if unsafe { !is_set(layout, meminfo) } {
        return Err(pyo3::exceptions::PyAttributeError::new_err(format!("'{}' object has no attribute '{name}'", entry.ty.name)));
    }
    let slots = unsafe { field_slots(layout, meminfo) };
    // `unpack` takes over one reference to each meminfo of the value; the record keeps its own.
    for &leaf in &layout.meminfos {
        // SAFETY: live meminfos (or null) the record holds.
        unsafe { ferrojit_rt_incref(slots[leaf] as *mut MemInfo) };
    }
    unpack(py, ty, slots, &mut 0)
}

/// `obj.field = value` from Python: `value` converted to the field's type as an argument of
/// an explicit signature converts (an int into a `float64` field), else a `TypeError`
/// naming the type; arrays are kept by the instance, not copied.
#[pyfunction]
pub fn instance_set(obj: &Bound<'_, JitInstance>, index: usize, value: &Bound<'_, PyAny>) -> PyResult<()> {
    let (entry, meminfo) = record_of(obj)?;
    let ((name, ty), layout) = entry.ty.fields.get(index).zip(entry.layouts.get(index)).ok_or_else(|| PyTypeError::new_err("no such field"))?;
    let mut packed = vec![0u64; ty.leaves().len()];
    crate::typed::pack_owned(value, ty, &mut packed, &mut 0).map_err(|e| {
        let got = value.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        let _ = e;
        let hint = match ty {
            Type::List(_) => "; pass a ferrojit.typed.List of that type",
            Type::Dict(..) => "; pass a ferrojit.typed.Dict of those types",
            _ => "",
        };
        PyTypeError::new_err(format!("cannot set the field `{name}` of `{}` (declared `{ty}`) to a value of type `{got}`{hint}", entry.ty.name))
    })?;
    // SAFETY: this object's reference keeps the record live; the old value's references are
    // the record's, dropped once the new value is in place.
    unsafe {
        let slots = field_slots(layout, meminfo);
        let old = slots.to_vec();
        slots.copy_from_slice(&packed);
        mark_set(layout, meminfo);
        for &leaf in &layout.meminfos {
            release(old[leaf] as *mut MemInfo);
        }
    }
    Ok(())
}

/// A field of a jitclass's Python class: a data descriptor reading and writing field `index`
/// of the instance's record ([`instance_get`], [`instance_set`]) without a Python frame.
#[pyclass(frozen, module = "ferrojit._native")]
pub struct InstanceField {
    index: usize,
    #[pyo3(get)]
    __doc__: String,
}

#[pymethods]
impl InstanceField {
    #[new]
    fn new(index: usize, name: &str) -> Self {
        InstanceField { index, __doc__: format!("The field `{name}`.") }
    }

    /// The field's value of `obj`; the descriptor itself when read from the class.
    fn __get__<'py>(slf: &Bound<'py, Self>, obj: Option<&Bound<'py, PyAny>>, _owner: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        match obj {
            None => Ok(slf.clone().into_any()),
            Some(obj) => instance_get(slf.py(), obj.cast::<JitInstance>()?, slf.get().index),
        }
    }

    fn __set__(&self, obj: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        instance_set(obj.cast::<JitInstance>()?, self.index, value)
    }

    fn __delete__(&self, _obj: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(PyTypeError::new_err("a jitclass field cannot be deleted"))
    }
}
