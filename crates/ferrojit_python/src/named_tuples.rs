//! Named tuple classes (`collections.namedtuple`, `typing.NamedTuple`) and their instances:
//! a class is known to the compiler by a number ([`NamedTupleType::class`]), the address of
//! the class object, which a registry here keeps alive for the rest of the process (so that
//! the number never names another class), and maps back to the class when a result is boxed.
//!
//! A class may define `_ferrojit_box_(instance)`, a static method that turns a boxed instance
//! into the Python object it stands for: ferrojit's library types a value of its own as a
//! named tuple of such a class (a `np.random.Generator` is, in compiled code, a
//! `PCG64Generator` holding its state array; `ferrojit/_lib/generator.py`), so that a result
//! comes back as that object, not as its fields.

use ferrojit_compiler::{ConstValue, NamedTupleClass, NamedTupleType, Type};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple, PyType};
use std::collections::HashMap;
use std::sync::Mutex;

/// A class met so far, and its `_ferrojit_box_` when it has one (read once, when registered).
struct Registered {
    class: Py<PyType>,
    boxer: Option<Py<PyAny>>,
}

/// The classes met so far, by their number.
static CLASSES: Mutex<Option<HashMap<u64, Registered>>> = Mutex::new(None);

/// The field names of `class` when it is a named tuple class: a subclass of `tuple` whose
/// `_fields` is a tuple of strings.
fn fields_of(class: &Bound<'_, PyType>) -> Option<Vec<String>> {
    if class.is(class.py().get_type::<PyTuple>()) || !class.is_subclass_of::<PyTuple>().unwrap_or(false) {
        return None;
    }
    let fields = class.getattr("_fields").ok()?;
    let fields = fields.cast::<PyTuple>().ok()?;
    fields.iter().map(|f| f.cast::<PyString>().ok().and_then(|s| s.to_str().ok().map(str::to_string))).collect()
}

/// Registers `class` (kept alive from now on) and gives its number.
fn register(class: &Bound<'_, PyType>) -> u64 {
    let id = class.as_ptr() as u64;
    let mut classes = CLASSES.lock().unwrap_or_else(|p| p.into_inner());
    classes.get_or_insert_with(HashMap::new).entry(id).or_insert_with(|| {
        let boxer = class.getattr("_ferrojit_box_").ok().filter(|b| b.is_callable()).map(Bound::unbind);
        Registered { class: class.clone().unbind(), boxer }
    });
    id
}

fn class_name(class: &Bound<'_, PyType>) -> String {
    class.name().map(|n| n.to_string()).unwrap_or_else(|_| "namedtuple".into())
}

/// The type of `obj` when it is an instance of a named tuple class (its items typed by
/// `item_type`), `None` for anything else.
pub(crate) fn type_of(obj: &Bound<'_, PyAny>, item_type: impl Fn(&Bound<'_, PyAny>) -> PyResult<Type>) -> Option<PyResult<Type>> {
    let tuple = obj.cast::<PyTuple>().ok()?;
    let class = obj.get_type();
    let fields = fields_of(&class)?;
    if fields.len() != tuple.len() {
        return None;
    }
    let items = match tuple.iter().map(|i| item_type(&i)).collect::<PyResult<Vec<_>>>() {
        Ok(items) => items,
        Err(e) => return Some(Err(e)),
    };
    Some(Ok(Type::NamedTuple(Box::new(NamedTupleType { class: register(&class), name: class_name(&class), fields, items }))))
}

/// Whether `obj` is an instance of exactly the class of `ty` (what a compiled signature for
/// that class takes); the items are checked by the caller.
pub(crate) fn is_instance(obj: &Bound<'_, PyAny>, ty: &NamedTupleType) -> bool {
    obj.get_type().as_ptr() as u64 == ty.class && obj.cast::<PyTuple>().is_ok_and(|t| t.len() == ty.items.len())
}

/// An instance of the class of `ty` holding `items`, made as the class's `_make` makes one
/// (`tuple.__new__(cls, items)`), without running a `__new__` of the class's own; then what the
/// class's `_ferrojit_box_` makes of it, when it has one.
pub(crate) fn instance<'py>(py: Python<'py>, ty: &NamedTupleType, items: Vec<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    let registered = {
        let classes = CLASSES.lock().unwrap_or_else(|p| p.into_inner());
        classes.as_ref().and_then(|c| c.get(&ty.class)).map(|r| (r.class.clone_ref(py), r.boxer.as_ref().map(|b| b.clone_ref(py))))
    };
    let items = PyTuple::new(py, items)?;
    match registered {
        Some((class, boxer)) => {
            let instance = py.get_type::<PyTuple>().call_method1("__new__", (class, items))?;
            match boxer {
                // Called with the registry unlocked: it runs Python code.
                Some(boxer) => boxer.bind(py).call1((instance,)),
                None => Ok(instance),
            }
        }
        // Types come only from registered classes; a plain tuple rather than a crash.
        None => Ok(items.into_any()),
    }
}

/// The named tuple class `value` as the compiler sees a global bound to it, `None` when
/// `value` is not one.
pub(crate) fn class_global(value: &Bound<'_, PyAny>, constant: impl Fn(&Bound<'_, PyAny>) -> Option<ConstValue>) -> Option<NamedTupleClass> {
    let class = value.cast::<PyType>().ok()?;
    let fields = fields_of(class)?;
    let given: Option<Bound<'_, PyDict>> = class.getattr("_field_defaults").ok().and_then(|d| d.cast_into::<PyDict>().ok());
    let defaults = fields
        .iter()
        .map(|f| {
            let value = given.as_ref()?.get_item(f).ok()??;
            Some(constant(&value).ok_or_else(|| value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".into())))
        })
        .collect();
    Some(NamedTupleClass { class: register(class), name: class_name(class), fields, defaults })
}
