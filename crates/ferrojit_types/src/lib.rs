//! ferrojit's type lattice and its promotion rules.
//!
//! [`Type`] is the type of a first-class runtime value: what a variable, argument or return value
//! can hold. Compile-time-only things (modules, built-in functions, exception classes) are not
//! `Type`s; the inference stage keeps them apart. A compiled function used as a value is one:
//! [`Type::Function`], a type per function.
//!
//! Operators follow NumPy 2's scalar rules (`np.result_type`, NEP 50) where NumPy and Numba
//! disagree:
//! - two integer types give NumPy's result type: the wider of the two when the signedness is
//!   the same, else the smallest signed type holding both (`uint8` with `int8` is `int16`), and
//!   `int64` with `uint64` is `float64`; arithmetic happens in that width and wraps;
//! - `bool` takes part as the other operand's type, and as `int64` with another `bool`
//!   (Python's `True + True == 2`);
//! - integers mixed with floats give the smallest float that holds the integer exactly
//!   (up to 16 bits: `float32`, wider: `float64`);
//! - reals mixed with complex give the complex type wide enough for both;
//! - a Python number literal is "weak" ([`promote_weak`]): it takes the other operand's type.
//!
//! Variables unify as in Numba ([`unify`]).
mod signature;
pub mod time;

/// The numbers compiled code passes to the runtime's functions on exception values
/// (`ferrojit_runtime::exceptions`): inference writes them, the runtime reads them.
pub mod exception_values {
    /// What `ferrojit_rt_exc_text` writes of an exception: `str(e)`, `repr(e)`, or
    /// `str(e.args)` (the tuple of its arguments, whose `str` is its `repr`).
    pub const TEXT_STR: i64 = 0;
    pub const TEXT_REPR: i64 = 1;
    pub const TEXT_ARGS: i64 = 2;
    /// Added to the code given to `ferrojit_rt_raise_from` when the text is an exception
    /// value's message, marks included (`raise e from cause`), rather than the exception's
    /// one argument.
    pub const RAW_MESSAGE: i64 = 1 << 32;
    /// What `ferrojit_rt_exc_cause_code` tells of an exception: its `__cause__`'s class code,
    /// or its `__suppress_context__`.
    pub const CAUSE_CODE: i64 = 0;
    pub const SUPPRESS_CONTEXT: i64 = 1;
}

pub use signature::{parse_signature, parse_type, register_named_type, Signature};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    Bool,
    Int(IntType),
    Float(FloatType),
    /// Named by total width as NumPy does: `complex64` is two `float32`s.
    Complex(FloatType),
    /// The type of `None`, and of a function that returns nothing.
    NoneType,
    Tuple(Vec<Type>),
    Array(ArrayType),
    /// NumPy's `datetime64[unit]`: a count of units since 1970-01-01T00:00 (an int64; its
    /// smallest value is NaT, "not a time").
    Datetime(TimeUnit),
    /// NumPy's `timedelta64[unit]`: a count of units (an int64; its smallest value is NaT).
    Timedelta(TimeUnit),
    /// A structured (record) dtype: only ever the element type of an array, never a value of
    /// its own. One record of an array (`a[i]`) is a 0-d view of the array (see
    /// [`RecordType`]).
    Record(RecordType),
    /// A Python list of items of one type: a reference-counted, growable vector (see
    /// `ferrojit_runtime::lists`). A list argument is reflected as Numba's are: the caller's
    /// Python list sees the compiled code's changes when the call returns.
    List(Box<Type>),
    /// A Python dict from keys of one type (numbers or tuples of numbers) to values of one
    /// type: a reference-counted hash table keeping insertion order (see
    /// `ferrojit_runtime::dicts`).
    Dict(Box<Type>, Box<Type>),
    /// A Python set of one item type (as dict keys): a dict table whose values are empty.
    Set(Box<Type>),
    /// A Python `str` (Numba's `unicode_type`): immutable Unicode text in a reference-counted
    /// allocation stored as CPython stores it (see `ferrojit_runtime::strings`).
    Str,
    /// A Python `bytes`: stored as a string of one byte per character (its bytes are the
    /// code points), so that the string runtime serves both; its items are integers.
    Bytes,
    /// A function as a value: an `@njit` function, an inner function or a lambda. Each
    /// function has a type of its own (as in Numba), so a call of a value of this type is a
    /// direct call, and a function taking it is compiled once per function passed.
    Function(Box<FunctionType>),
    /// An instance of a named tuple class (`collections.namedtuple`, `typing.NamedTuple`):
    /// laid out as the tuple of its items, typed with its class (see [`NamedTupleType`]).
    NamedTuple(Box<NamedTupleType>),
    /// A generator: what calling a generator function (a `def` with `yield`) gives, a
    /// reference-counted state (the function's variables and where it stopped) that each
    /// `next` resumes until the next `yield`. A type per generator function and argument types,
    /// as in Numba (see [`GeneratorType`]).
    Generator(Box<GeneratorType>),
    /// A value of the inner type or `None` (Numba's `Optional`), what `d.get(key)` without a
    /// default gives, and a function returning `None` on some paths: laid out as the tuple `(bool, inner)` (see [`Type::optional_layout`]),
    /// whether it holds a value, then the value, zeroed when it is `None` (a null reference
    /// for heap types, which releasing and retaining skip).
    Optional(Box<Type>),
    /// An instance of a class compiled with `@jitclass` (Numba's `ClassInstanceType`): a
    /// reference to a mutable, reference-counted record of its fields (see [`InstanceType`]),
    /// so that two names holding one instance see each other's changes, as in Python.
    Instance(Box<InstanceType>),
    /// A jitclass itself as a value (the `cls` of a class method, a class passed to a
    /// function): nothing at run time, the class (by the type of its instances) in the type.
    Class(Box<InstanceType>),
    /// An exception caught by `except ... as name`: its class's code (an `ExcKind`'s, or
    /// from `ferrojit_runtime::USER_EXCEPTION_BASE` for a class defined in Python code) and
    /// its message as the runtime wrote it, marks included (see
    /// `ferrojit_runtime::TEXT_ARGUMENT_MARK`), laid out as the tuple `(int64, str)` (see
    /// [`Type::exception_layout`]). Its class is known only at run time: one type for all.
    /// Code 0 is `None`: what `e.__cause__` gives for an exception without a cause (its
    /// `str` is `"None"`, `is None` holds, `raise` of it is CPython's `TypeError`).
    Exception,
    /// `NotImplemented`, what a jitclass's binary special method returns to let the other
    /// operand's reflected method answer. Holds nothing, as `None`.
    NotImplemented,
    /// The arguments of an exception value (`e.args`): a tuple whose length and items (a
    /// string, a `KeyError`'s number key, several values) are known only at run time, read
    /// from the exception's message (or asked of Python, see `ferrojit_runtime::exceptions`). Laid out as the exception itself ([`Type::exception_layout`]).
    ExceptionArgs,
}

/// The type of the instances of one jitclass. The value is the meminfo of a heap record
/// (`ferrojit_runtime::instances`) whose fields are laid out one after another as the slots
/// of the tuple of their types ([`InstanceType::layout`]), 8 bytes per leaf as the items of a
/// list, so that the code boxing and unboxing arguments reads and writes them too. Two
/// classes are two types, even of one name and fields.
///
/// A class is its identity: two `InstanceType`s of one `class` are equal whatever their
/// fields say. This is what lets a class name itself in its fields (`next: Optional[Node]`):
/// such a field's type is a *reference* to the class, without fields (which would otherwise
/// nest without end), and [`InstanceType::resolved`] gives the class's full type from the
/// registry ([`register_instance_type`]). Code reading fields goes through `resolved`.
#[derive(Clone, Debug)]
pub struct InstanceType {
    /// The class's identity for the process, as the binding crate registers it.
    pub class: u64,
    /// The class's `__name__`, for messages and type names.
    pub name: String,
    /// The fields in declaration order (a base class's first), with their types.
    pub fields: Vec<(String, Type)>,
    /// Per field, whether `__init__` may return without setting it: such a field has a flag
    /// in the record, set by every store, and a read of it while the flag is clear raises
    /// Python's `AttributeError` (where the others, set on every path through `__init__`, are
    /// read unchecked).
    pub may_be_unset: Vec<bool>,
}

impl PartialEq for InstanceType {
    fn eq(&self, other: &Self) -> bool {
        self.class == other.class
    }
}

impl Eq for InstanceType {}

impl std::hash::Hash for InstanceType {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.class.hash(state)
    }
}

impl PartialOrd for InstanceType {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for InstanceType {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.class.cmp(&other.class)
    }
}

/// The full types of the registered jitclasses, by identity (see [`InstanceType::resolved`]).
static INSTANCE_TYPES: std::sync::RwLock<Option<std::collections::HashMap<u64, std::sync::Arc<InstanceType>>>> = std::sync::RwLock::new(None);

/// Makes `ty` the full type of its class, for [`InstanceType::resolved`].
pub fn register_instance_type(ty: InstanceType) {
    let mut types = INSTANCE_TYPES.write().unwrap_or_else(|p| p.into_inner());
    types.get_or_insert_with(std::collections::HashMap::new).insert(ty.class, std::sync::Arc::new(ty));
}

impl InstanceType {
    /// A reference to the class `class` (named `name`), without its fields: the type of a
    /// field of the class's own type, resolved through the registry.
    pub fn reference(class: u64, name: String) -> InstanceType {
        InstanceType { class, name, fields: Vec::new(), may_be_unset: Vec::new() }
    }

    /// Whether this is a [`InstanceType::reference`] (a class with no fields at all is
    /// registered with none, and resolves to itself).
    pub fn is_reference(&self) -> bool {
        self.fields.is_empty()
    }

    /// The class's full type: this one, or the registered one for a reference.
    pub fn resolved(&self) -> std::sync::Arc<InstanceType> {
        if !self.is_reference() {
            return std::sync::Arc::new(self.clone());
        }
        let types = INSTANCE_TYPES.read().unwrap_or_else(|p| p.into_inner());
        types.as_ref().and_then(|t| t.get(&self.class).cloned()).unwrap_or_else(|| std::sync::Arc::new(self.clone()))
    }

    /// The tuple of the field types: the layout of an instance's fields in memory.
    pub fn layout(&self) -> Type {
        Type::Tuple(self.resolved().fields.iter().map(|(_, t)| t.clone()).collect())
    }

    /// The position of the field `name`.
    pub fn field(&self, name: &str) -> Option<usize> {
        self.resolved().fields.iter().position(|(f, _)| f == name)
    }

    /// The name and type of field `index`.
    pub fn field_at(&self, index: usize) -> Option<(String, Type)> {
        self.resolved().fields.get(index).cloned()
    }

    /// The first leaf of field `index` among the leaves of [`InstanceType::layout`]: the
    /// field's byte offset in the record is 8 times this.
    pub fn field_leaf(&self, index: usize) -> usize {
        self.resolved().fields[..index].iter().map(|(_, t)| t.leaves().len()).sum()
    }

    /// The 8-byte slot (after the fields) and the bit in it of the "set" flag of field
    /// `index`, when it has one (see [`InstanceType::may_be_unset`]).
    pub fn set_flag(&self, index: usize) -> Option<(usize, u32)> {
        if !self.resolved().may_be_unset.get(index).copied().unwrap_or(false) {
            return None;
        }
        Some((self.layout().leaves().len() + index / 64, (index % 64) as u32))
    }

    /// The 8-byte slots of a record: the fields', then the flags' (one per 64 fields, when
    /// any field has a flag).
    pub fn record_slots(&self) -> usize {
        let full = self.resolved();
        let flags = if full.may_be_unset.iter().any(|&u| u) { full.fields.len().div_ceil(64) } else { 0 };
        self.layout().leaves().len() + flags
    }
}

/// The type of the instances of one named tuple class with items of these types (Numba's
/// `NamedTuple`/`NamedUniTuple`). The value is laid out as the tuple of `items`: every tuple
/// operation applies to it, and its fields name the items. Two classes are two types, even of
/// one name: a result converts back to an instance of the very class.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NamedTupleType {
    /// The class's identity, as the binding crate registers it (which keeps the class alive
    /// for the process, so that the number is never another class's).
    pub class: u64,
    /// The class's `__name__`, for messages and type names.
    pub name: String,
    /// The field names, one per item.
    pub fields: Vec<String>,
    pub items: Vec<Type>,
}

impl NamedTupleType {
    /// The tuple type a value of this type is laid out as.
    pub fn layout(&self) -> Type {
        Type::Tuple(self.items.clone())
    }

    /// The same class with items of the types `items`.
    pub fn with_items(&self, items: Vec<Type>) -> Type {
        Type::NamedTuple(Box::new(NamedTupleType { class: self.class, name: self.name.clone(), fields: self.fields.clone(), items }))
    }

    /// The position of the field `name`.
    pub fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == name)
    }
}

impl Type {
    /// The items of a tuple or of a named tuple (whose operations are a tuple's).
    pub fn tuple_items(&self) -> Option<&[Type]> {
        match self {
            Type::Tuple(items) => Some(items),
            Type::NamedTuple(n) => Some(&n.items),
            _ => None,
        }
    }

    /// The tuple `(bool, inner)` a [`Type::Optional`] of `inner` is laid out as.
    pub fn optional_layout(inner: &Type) -> Type {
        Type::Tuple(vec![Type::Bool, inner.clone()])
    }

    /// The tuple `(int64 code, str message)` a [`Type::Exception`] is laid out as.
    pub fn exception_layout() -> Type {
        Type::Tuple(vec![Type::Int(IntType { bits: 64, signed: true }), Type::Str])
    }

    /// The plain tuple type a value of this type is laid out as, for tuples and named tuples.
    pub fn as_plain_tuple(&self) -> Option<Type> {
        self.tuple_items().map(|items| Type::Tuple(items.to_vec()))
    }
}

/// The type of the generators of one generator function compiled for some argument types.
/// The value is the meminfo of its state; code resuming it calls the function's `next`
/// ([`GeneratorType::next_symbol`]), compiled with the function itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GeneratorType {
    /// The compiler's id of the generator function (unique in the process).
    pub id: u64,
    /// Its name as written, for messages.
    pub name: String,
    /// The symbol of the generator function for these argument types: calling it makes a
    /// generator.
    pub symbol: String,
    /// The argument types it is compiled for.
    pub args: Vec<Type>,
    /// The type of the values it yields.
    pub yield_ty: Type,
}

impl GeneratorType {
    /// The symbol of the function that resumes a generator of this type: `i32 (ret, exc,
    /// meminfo)`, returning 0 with the next value at `ret`, `STATUS_EXCEPTION`, or
    /// `STATUS_FINISHED` when the generator has no more values.
    pub fn next_symbol(&self) -> String {
        format!("{}.next", self.symbol)
    }
}

/// The type of one function as a value (see [`Type::Function`]). The value is laid out as the
/// tuple of `captures`: what the function reads from the function that defined it (the
/// enclosing variables, then the defaults of its parameters), passed as its first arguments
/// when it is called. A module-level function captures nothing.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FunctionType {
    /// The compiler's id of the function (unique in the process).
    pub id: u64,
    /// Its name as written (`<lambda>` for a lambda), for messages.
    pub name: String,
    pub captures: Vec<Type>,
}

impl FunctionType {
    /// The tuple type a value of this function type is laid out as.
    pub fn layout(&self) -> Type {
        Type::Tuple(self.captures.clone())
    }

    /// The ids of the function types in `ty`, outermost first, as `#id` each: what tells apart
    /// types that print alike (two lambdas), for names that must be unique (symbols).
    pub fn ids(ty: &Type) -> String {
        fn walk(ty: &Type, out: &mut String) {
            match ty {
                Type::Function(f) => {
                    out.push_str(&format!("#{}", f.id));
                    f.captures.iter().for_each(|t| walk(t, out));
                }
                Type::Tuple(items) => items.iter().for_each(|t| walk(t, out)),
                // Two classes of one name whose items have the same types print alike.
                Type::NamedTuple(n) => {
                    out.push_str(&format!("@{}", n.class));
                    n.items.iter().for_each(|t| walk(t, out));
                }
                Type::Generator(g) => {
                    out.push_str(&format!("#{}", g.id));
                    g.args.iter().for_each(|t| walk(t, out));
                }
                // Two jitclasses of one name and fields print alike.
                Type::Instance(c) | Type::Class(c) => out.push_str(&format!("@{}", c.class)),
                Type::List(item) | Type::Set(item) | Type::Optional(item) => walk(item, out),
                Type::Dict(k, v) => {
                    walk(k, out);
                    walk(v, out);
                }
                _ => {}
            }
        }
        let mut out = String::new();
        walk(ty, &mut out);
        out
    }
}

/// The unit of a `datetime64`/`timedelta64`, as NumPy names them; `Generic` is the unit of a
/// `np.timedelta64(5)` without one, which takes the other operand's unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimeUnit {
    Generic,
    Years,
    Months,
    Weeks,
    Days,
    Hours,
    Minutes,
    Seconds,
    Millis,
    Micros,
    Nanos,
    Picos,
    Femtos,
    Attos,
}

impl TimeUnit {
    pub const ALL: [TimeUnit; 14] = [
        TimeUnit::Generic,
        TimeUnit::Years,
        TimeUnit::Months,
        TimeUnit::Weeks,
        TimeUnit::Days,
        TimeUnit::Hours,
        TimeUnit::Minutes,
        TimeUnit::Seconds,
        TimeUnit::Millis,
        TimeUnit::Micros,
        TimeUnit::Nanos,
        TimeUnit::Picos,
        TimeUnit::Femtos,
        TimeUnit::Attos,
    ];

    /// NumPy's code: `Y`, `M`, `W`, `D`, `h`, `m`, `s`, `ms`, `us`, `ns`, `ps`, `fs`, `as`
    /// (`generic` for none).
    pub fn code(self) -> &'static str {
        match self {
            TimeUnit::Generic => "generic",
            TimeUnit::Years => "Y",
            TimeUnit::Months => "M",
            TimeUnit::Weeks => "W",
            TimeUnit::Days => "D",
            TimeUnit::Hours => "h",
            TimeUnit::Minutes => "m",
            TimeUnit::Seconds => "s",
            TimeUnit::Millis => "ms",
            TimeUnit::Micros => "us",
            TimeUnit::Nanos => "ns",
            TimeUnit::Picos => "ps",
            TimeUnit::Femtos => "fs",
            TimeUnit::Attos => "as",
        }
    }

    pub fn from_code(code: &str) -> Option<TimeUnit> {
        TimeUnit::ALL.into_iter().find(|u| u.code() == code)
    }

    /// Attoseconds per unit for the units of fixed length (weeks and finer); `None` for years,
    /// months (of varying length) and the generic unit.
    pub fn attoseconds(self) -> Option<u128> {
        let second: u128 = 1_000_000_000_000_000_000;
        Some(match self {
            TimeUnit::Weeks => 7 * 86_400 * second,
            TimeUnit::Days => 86_400 * second,
            TimeUnit::Hours => 3_600 * second,
            TimeUnit::Minutes => 60 * second,
            TimeUnit::Seconds => second,
            TimeUnit::Millis => second / 1_000,
            TimeUnit::Micros => second / 1_000_000,
            TimeUnit::Nanos => second / 1_000_000_000,
            TimeUnit::Picos => 1_000_000,
            TimeUnit::Femtos => 1_000,
            TimeUnit::Attos => 1,
            TimeUnit::Generic | TimeUnit::Years | TimeUnit::Months => return None,
        })
    }
}

/// NumPy's structured dtype (`np.dtype([('x', 'f8'), ('n', 'i4')])`): named fields of number
/// types at fixed byte offsets in an item of `size` bytes (packed, or padded as `align=True`
/// lays them out). In compiled code one record, `a[i]`, is a 0-d view of the array, so that
/// reading `a[i].x` and writing `a[i].x = v` reach the array's memory as NumPy's `np.void`
/// does.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordType {
    pub fields: Vec<RecordField>,
    pub size: u64,
    /// NumPy's `isalignedstruct`: the dtype was made with `align=True` (C struct padding).
    pub aligned_struct: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordField {
    pub name: String,
    /// A number type (bool, integer, float or complex).
    pub ty: Type,
    pub offset: u64,
}

impl RecordType {
    pub fn field(&self, name: &str) -> Option<&RecordField> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A NumPy array: element type, number of dimensions, memory layout and alignment, as in Numba
/// (`array(float64, 2d, C)`, `unaligned array(float64, 1d, C)`). The layout is part of the
/// compiled signature: C- and Fortran-contiguous arrays index without reading their strides.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArrayType {
    /// A scalar type: bool, integer, float or complex.
    pub dtype: Box<Type>,
    pub ndim: u8,
    pub layout: Layout,
    /// Set for arrays NumPy marks non-writeable and for global arrays frozen as constants.
    pub readonly: bool,
    /// Whether every element sits at an address that is a multiple of its scalar's natural
    /// alignment (NumPy's `ALIGNED` flag). Code for an aligned array may assume it; code for an
    /// unaligned one (a buffer read at an odd offset, a pickle protocol-5 buffer) loads and
    /// stores elements byte-aligned. Arrays that compiled code creates are always aligned.
    pub aligned: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layout {
    /// C-contiguous (row-major).
    C,
    /// Fortran-contiguous (column-major).
    F,
    /// Any strides.
    A,
}

impl ArrayType {
    pub fn new(dtype: Type, ndim: u8, layout: Layout) -> ArrayType {
        ArrayType { dtype: Box::new(dtype), ndim, layout, readonly: false, aligned: true }
    }

    /// The same array type with another number of dimensions and layout: the type of a view,
    /// which keeps the writability and alignment of the array it views.
    pub fn with(&self, ndim: u8, layout: Layout) -> ArrayType {
        ArrayType { dtype: self.dtype.clone(), ndim, layout, readonly: self.readonly, aligned: self.aligned }
    }
}

impl Type {
    /// Size in bytes of one element of this scalar type in an array.
    pub fn itemsize(&self) -> Option<u64> {
        Some(match self {
            Type::Bool => 1,
            Type::Int(i) => i.bits as u64 / 8,
            Type::Float(f) => f.bits() as u64 / 8,
            Type::Complex(f) => 2 * f.bits() as u64 / 8,
            Type::Record(r) => r.size,
            Type::Datetime(_) | Type::Timedelta(_) => 8,
            _ => return None,
        })
    }
}

/// A kind of reference-counted value: what a value of this kind keeps on the heap and how code
/// reaches its reference count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeapKind {
    /// An array's meminfo (its first field): null for arrays the function does not own a part
    /// of (frozen globals); the runtime skips those.
    Array,
    /// A list: the value is its meminfo pointer.
    List,
    /// A dict or a set: the value is its meminfo pointer.
    Dict,
    /// A string: the value is its meminfo pointer.
    Str,
    /// A generator: the value is the meminfo pointer of its state.
    Generator,
    /// A jitclass instance: the value is the meminfo pointer of its record of fields.
    Instance,
}

/// One reference-counted value inside a value of some type: the tuple indices that lead to it
/// (outermost first; empty for the value itself) and its kind.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HeapPart {
    pub path: Vec<usize>,
    pub kind: HeapKind,
}

impl Type {
    /// The reference-counted values a value of this type holds, in order. The one place that
    /// says which types live on the heap: ownership (who takes and drops references) and
    /// codegen (how a reference is counted) ask here, so a new heap type (lists, strings, ...)
    /// joins by answering here with a kind of its own.
    pub fn heap_parts(&self) -> Vec<HeapPart> {
        fn collect(ty: &Type, path: &mut Vec<usize>, out: &mut Vec<HeapPart>) {
            match ty {
                Type::Array(_) => out.push(HeapPart { path: path.clone(), kind: HeapKind::Array }),
                Type::List(_) => out.push(HeapPart { path: path.clone(), kind: HeapKind::List }),
                Type::Dict(..) | Type::Set(_) => out.push(HeapPart { path: path.clone(), kind: HeapKind::Dict }),
                Type::Str | Type::Bytes => out.push(HeapPart { path: path.clone(), kind: HeapKind::Str }),
                Type::Generator(_) => out.push(HeapPart { path: path.clone(), kind: HeapKind::Generator }),
                Type::Instance(_) => out.push(HeapPart { path: path.clone(), kind: HeapKind::Instance }),
                Type::Tuple(items) => {
                    for (i, item) in items.iter().enumerate() {
                        path.push(i);
                        collect(item, path, out);
                        path.pop();
                    }
                }
                Type::Function(f) => collect(&f.layout(), path, out),
                Type::NamedTuple(n) => collect(&n.layout(), path, out),
                Type::Exception | Type::ExceptionArgs => collect(&Type::exception_layout(), path, out),
                Type::Optional(inner) => collect(&Type::optional_layout(inner), path, out),
                Type::Bool | Type::Int(_) | Type::Float(_) | Type::Complex(_) | Type::NoneType | Type::NotImplemented | Type::Record(_) | Type::Datetime(_) | Type::Timedelta(_) | Type::Class(_) => {}
            }
        }
        let mut out = Vec::new();
        collect(self, &mut Vec::new(), &mut out);
        out
    }

    /// Whether a value of this type holds a generator.
    pub fn holds_generator(&self) -> bool {
        match self {
            Type::Generator(_) => true,
            Type::Tuple(items) => items.iter().any(Type::holds_generator),
            Type::Function(f) => f.captures.iter().any(Type::holds_generator),
            Type::List(t) | Type::Set(t) | Type::Optional(t) => t.holds_generator(),
            Type::Dict(k, v) => k.holds_generator() || v.holds_generator(),
            _ => false,
        }
    }

    /// Whether a value of this type holds a jitclass instance or class (whose identities are
    /// the process's).
    pub fn holds_instance(&self) -> bool {
        match self {
            Type::Instance(_) | Type::Class(_) => true,
            Type::Tuple(items) => items.iter().any(Type::holds_instance),
            Type::NamedTuple(n) => n.items.iter().any(Type::holds_instance),
            Type::Function(f) => f.captures.iter().any(Type::holds_instance),
            Type::List(t) | Type::Set(t) | Type::Optional(t) => t.holds_instance(),
            Type::Dict(k, v) => k.holds_instance() || v.holds_instance(),
            _ => false,
        }
    }

    /// Whether a value of this type holds any reference-counted value (see [`Type::heap_parts`]).
    pub fn holds_heap(&self) -> bool {
        match self {
            Type::Tuple(items) => items.iter().any(Type::holds_heap),
            Type::NamedTuple(n) => n.items.iter().any(Type::holds_heap),
            Type::Function(f) => f.captures.iter().any(Type::holds_heap),
            Type::Optional(inner) => inner.holds_heap(),
            other => !other.heap_parts().is_empty(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IntType {
    pub bits: u8,
    pub signed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FloatType {
    F32,
    F64,
}

impl FloatType {
    pub fn bits(self) -> u8 {
        match self {
            FloatType::F32 => 32,
            FloatType::F64 => 64,
        }
    }
}

impl Type {
    pub const INT64: Type = Type::Int(IntType { bits: 64, signed: true });
    pub const UINT64: Type = Type::Int(IntType { bits: 64, signed: false });
    pub const FLOAT64: Type = Type::Float(FloatType::F64);
    pub const FLOAT32: Type = Type::Float(FloatType::F32);
    pub const COMPLEX128: Type = Type::Complex(FloatType::F64);

    pub fn int(bits: u8, signed: bool) -> Type {
        Type::Int(IntType { bits, signed })
    }

    /// Parses a NumPy-style scalar name (`int32`, `float64`, `complex64`, `bool`, `none`).
    pub fn from_name(name: &str) -> Option<Type> {
        Some(match name {
            "bool" | "boolean" | "bool_" => Type::Bool,
            "int8" => Type::int(8, true),
            "int16" => Type::int(16, true),
            "int32" => Type::int(32, true),
            "int64" | "intp" => Type::INT64,
            "uint8" => Type::int(8, false),
            "uint16" => Type::int(16, false),
            "uint32" => Type::int(32, false),
            "uint64" | "uintp" => Type::UINT64,
            "float32" => Type::FLOAT32,
            "float64" => Type::FLOAT64,
            "complex64" => Type::Complex(FloatType::F32),
            "complex128" => Type::COMPLEX128,
            "none" | "void" => Type::NoneType,
            "unicode_type" | "str" | "string" => Type::Str,
            "bytes" => Type::Bytes,
            _ => return None,
        })
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Type::Bool | Type::Int(_) | Type::Float(_) | Type::Complex(_))
    }

    pub fn is_integer_like(&self) -> bool {
        matches!(self, Type::Bool | Type::Int(_))
    }

    /// The smallest float type that represents every value of this integer or float type.
    fn as_float(&self) -> Option<FloatType> {
        match self {
            Type::Bool => Some(FloatType::F32),
            Type::Int(i) if i.bits <= 16 => Some(FloatType::F32),
            Type::Int(_) => Some(FloatType::F64),
            Type::Float(f) => Some(*f),
            _ => None,
        }
    }
}

/// One scalar in the flat argument/return buffer of a compiled function's entry point: every
/// leaf takes one 8-byte slot, its value stored at the start of the slot (little-endian).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leaf {
    /// One byte, 0 or 1.
    Bool,
    /// A pointer (an array's meminfo or data).
    Pointer,
    Int(IntType),
    Float(FloatType),
}

impl Type {
    /// The slots a value of this type occupies, in order: complex numbers are (real, imag),
    /// tuples their items flattened, `None` nothing.
    pub fn leaves(&self) -> Vec<Leaf> {
        let mut out = Vec::new();
        self.push_leaves(&mut out);
        out
    }

    /// The words of the runtime's descriptor of a dict's entries of `key` and `value` (see
    /// `ferrojit_runtime::dicts::DictHeader::heap`): their count, then the byte offsets of the
    /// meminfo pointers of the tuple `(key, value)`, each of the key's jitclass instances
    /// (compared by identity) plus `identity` (the runtime's `IDENTITY_KEY`).
    pub fn dict_heap_words(key: &Type, value: &Type, identity: i64) -> Vec<i64> {
        let instances: Vec<usize> = key.meminfo_leaves().into_iter().zip(key.heap_parts()).filter(|(_, part)| part.kind == HeapKind::Instance).map(|(leaf, _)| leaf).collect();
        let leaves = Type::Tuple(vec![key.clone(), value.clone()]).meminfo_leaves();
        std::iter::once(leaves.len() as i64).chain(leaves.iter().map(|&l| 8 * l as i64 + if instances.contains(&l) { identity } else { 0 })).collect()
    }

    /// The positions among [`Type::leaves`] of the meminfo pointers of the value's heap parts
    /// (what a list releases in each of its items).
    pub fn meminfo_leaves(&self) -> Vec<usize> {
        fn walk(ty: &Type, at: &mut usize, out: &mut Vec<usize>) {
            match ty {
                Type::Array(_) | Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str | Type::Bytes | Type::Generator(_) | Type::Instance(_) => {
                    out.push(*at);
                    *at += ty.leaves().len();
                }
                Type::Tuple(items) => items.iter().for_each(|t| walk(t, at, out)),
                Type::NamedTuple(n) => n.items.iter().for_each(|t| walk(t, at, out)),
                Type::Function(f) => f.captures.iter().for_each(|t| walk(t, at, out)),
                Type::Optional(inner) => walk(&Type::optional_layout(inner), at, out),
                Type::Exception | Type::ExceptionArgs => walk(&Type::exception_layout(), at, out),
                other => *at += other.leaves().len(),
            }
        }
        let mut out = Vec::new();
        walk(self, &mut 0, &mut out);
        out
    }

    fn push_leaves(&self, out: &mut Vec<Leaf>) {
        match self {
            Type::Bool => out.push(Leaf::Bool),
            Type::Int(i) => out.push(Leaf::Int(*i)),
            Type::Datetime(_) | Type::Timedelta(_) => out.push(Leaf::Int(IntType { bits: 64, signed: true })),
            Type::Float(f) => out.push(Leaf::Float(*f)),
            Type::Complex(f) => out.extend([Leaf::Float(*f), Leaf::Float(*f)]),
            // Records are array elements, never passed as values.
            Type::NoneType | Type::NotImplemented | Type::Record(_) | Type::Class(_) => {}
            Type::Tuple(items) => items.iter().for_each(|t| t.push_leaves(out)),
            Type::NamedTuple(n) => n.items.iter().for_each(|t| t.push_leaves(out)),
            Type::Function(f) => f.captures.iter().for_each(|t| t.push_leaves(out)),
            Type::Optional(inner) => Type::optional_layout(inner).push_leaves(out),
            Type::Exception | Type::ExceptionArgs => Type::exception_layout().push_leaves(out),
            // The list's (dict's, string's) meminfo.
            Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str | Type::Bytes | Type::Generator(_) | Type::Instance(_) => out.push(Leaf::Pointer),
            // {meminfo, data, shape[ndim], strides[ndim]}
            Type::Array(a) => {
                out.extend([Leaf::Pointer, Leaf::Pointer]);
                let i64 = Leaf::Int(IntType { bits: 64, signed: true });
                out.extend(std::iter::repeat_n(i64, 2 * a.ndim as usize));
            }
        }
    }
}

/// NumPy 2's result type for arithmetic on two integer types: the wider type when both have
/// the same signedness; for mixed signedness the smallest signed type holding both (`uint8` with
/// `int8` is `int16`, `uint32` with `int16` is `int64`), and `float64` for `uint64` with any
/// signed type, which no integer type holds.
pub fn integer_result(a: IntType, b: IntType) -> Type {
    if a.signed == b.signed {
        return Type::Int(IntType { bits: a.bits.max(b.bits), signed: a.signed });
    }
    let (signed, unsigned) = if a.signed { (a, b) } else { (b, a) };
    if signed.bits > unsigned.bits {
        Type::Int(signed)
    } else if unsigned.bits < 64 {
        Type::Int(IntType { bits: 2 * unsigned.bits, signed: true })
    } else {
        Type::FLOAT64
    }
}

/// The common numeric type for arithmetic on `a` and `b` (NumPy 2's `np.result_type`), or `None`
/// when either is not a number. `bool` with `bool` is `int64` as in Python.
pub fn promote_arith(a: &Type, b: &Type) -> Option<Type> {
    match (a, b) {
        (Type::Bool, Type::Bool) => return Some(Type::INT64),
        (Type::Bool, Type::Int(i)) | (Type::Int(i), Type::Bool) => return Some(Type::Int(*i)),
        (Type::Int(x), Type::Int(y)) => return Some(integer_result(*x, *y)),
        _ => {}
    }
    match (a, b) {
        (Type::Complex(x), Type::Complex(y)) => Some(Type::Complex((*x).max(*y))),
        (Type::Complex(c), other) | (other, Type::Complex(c)) => Some(Type::Complex((*c).max(other.as_float()?))),
        _ => Some(Type::Float(a.as_float()?.max(b.as_float()?))),
    }
}

/// The kinds of numbers, ordered as NEP 50 compares a weak operand with a typed one.
fn number_kind(t: &Type) -> Option<u8> {
    Some(match t {
        Type::Bool => 0,
        Type::Int(_) => 1,
        Type::Float(_) => 2,
        Type::Complex(_) => 3,
        _ => return None,
    })
}

/// The type of arithmetic between a value of type `typed` and a Python number literal of type
/// `weak` (`int64`/`uint64` for an int, `float64`, `complex128`, `bool`), by NEP 50: a literal
/// of a kind no higher than the typed operand's takes its type (`uint8 + 1` is `uint8`,
/// `float32 * 0.5` is `float32`); a higher kind gives its default type at the typed operand's
/// precision (`int8 + 0.5` is `float64`, `float32 + 1j` is `complex64`). `None` when either is
/// not a number.
pub fn promote_weak(typed: &Type, weak: &Type) -> Option<Type> {
    let (kt, kw) = (number_kind(typed)?, number_kind(weak)?);
    Some(match (typed, weak) {
        (Type::Bool, _) => promote_arith(typed, weak)?,
        _ if kw <= kt => typed.clone(),
        (Type::Float(f), Type::Complex(_)) => Type::Complex(*f),
        _ => promote_arith(&Type::INT64, weak)?,
    })
}

/// The type two integers of types `a` and `b` are compared in so that the comparison is exact
/// (as NumPy's and Python's are): their result type, or a 128-bit integer for `int64` with
/// `uint64`, which has no common 64-bit type. The 128-bit type only ever appears as the
/// operand type of a comparison.
pub fn exact_comparison(a: IntType, b: IntType) -> IntType {
    match integer_result(a, b) {
        Type::Int(i) => i,
        _ => IntType { bits: 128, signed: true },
    }
}

/// The type that can hold a value of either `a` or `b` (a variable assigned both), as Numba's
/// unification: numbers unify to their promotion (`int64` with `float64` is `float64`, `bool`
/// with `int64` is `int64`), tuples element-wise. `None` when they cannot be unified.
pub fn unify(a: &Type, b: &Type) -> Option<Type> {
    if a == b {
        return Some(a.clone());
    }
    match (a, b) {
        (Type::Bool, Type::Int(i)) | (Type::Int(i), Type::Bool) => Some(Type::Int(*i)),
        (Type::Int(x), Type::Int(y)) => {
            // Numba's unification: 64 bits, signed, when the signedness differs.
            let bits = if x.signed == y.signed { x.bits.max(y.bits) } else { 64 };
            Some(Type::Int(IntType { bits, signed: x.signed || y.signed }))
        }
        (Type::Tuple(xs), Type::Tuple(ys)) if xs.len() == ys.len() => {
            Some(Type::Tuple(xs.iter().zip(ys).map(|(x, y)| unify(x, y)).collect::<Option<_>>()?))
        }
        // One class whose instances were made with items of different types (`P(1, 2)` and
        // `P(1.5, 2)`): the items unify as a tuple's.
        (Type::NamedTuple(x), Type::NamedTuple(y)) if x.class == y.class && x.items.len() == y.items.len() => {
            let items = x.items.iter().zip(&y.items).map(|(a, b)| unify(a, b)).collect::<Option<_>>()?;
            Some(x.with_items(items))
        }
        // One function whose captured variables were typed differently (a variable widened
        // after a first walk): the captures unify as a tuple's items.
        (Type::Function(x), Type::Function(y)) if x.id == y.id && x.captures.len() == y.captures.len() => {
            let captures = x.captures.iter().zip(&y.captures).map(|(a, b)| unify(a, b)).collect::<Option<_>>()?;
            Some(Type::Function(Box::new(FunctionType { id: x.id, name: x.name.clone(), captures })))
        }
        // A value that may be `None` holds `None`, and values that convert to its own type
        // without loss (`int64` into an optional `float64`); never another optional.
        (Type::Optional(x), Type::NoneType) | (Type::NoneType, Type::Optional(x)) => Some(Type::Optional(x.clone())),
        (Type::Optional(x), other) | (other, Type::Optional(x)) if !matches!(other, Type::Optional(_)) && unify(x, other).as_ref() == Some(&**x) => Some(Type::Optional(x.clone())),
        // Arrays: layout `A` when the layouts differ, read-only when either is, unaligned when
        // either is (as Numba's `Array.unify`).
        (Type::Array(x), Type::Array(y)) if x.dtype == y.dtype && x.ndim == y.ndim => Some(Type::Array(ArrayType {
            dtype: x.dtype.clone(),
            ndim: x.ndim,
            layout: if x.layout == y.layout { x.layout } else { Layout::A },
            readonly: x.readonly || y.readonly,
            aligned: x.aligned && y.aligned,
        })),
        _ if a.is_number() && b.is_number() => promote_arith(a, b),
        _ => None,
    }
}

impl fmt::Display for Type {
    /// Numba's spelling: `int64`, `float32`, `UniTuple(int64 x 2)`, `Tuple(int64, float64)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => write!(f, "bool"),
            Type::Int(i) => write!(f, "{}int{}", if i.signed { "" } else { "u" }, i.bits),
            Type::Float(x) => write!(f, "float{}", x.bits()),
            Type::Complex(x) => write!(f, "complex{}", 2 * x.bits() as u32),
            Type::NoneType => write!(f, "none"),
            Type::Tuple(items) => {
                if !items.is_empty() && items.iter().all(|t| t == &items[0]) {
                    return write!(f, "UniTuple({} x {})", items[0], items.len());
                }
                write!(f, "Tuple(")?;
                for (i, t) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{t}")?;
                }
                write!(f, ")")
            }
            // Numba's spelling: `Point(int64 x 2)`, `Point(int64, float64)`.
            Type::NamedTuple(n) => {
                if !n.items.is_empty() && n.items.iter().all(|t| t == &n.items[0]) {
                    return write!(f, "{}({} x {})", n.name, n.items[0], n.items.len());
                }
                write!(f, "{}(", n.name)?;
                for (i, t) in n.items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{t}")?;
                }
                write!(f, ")")
            }
            Type::Array(a) => {
                let layout = match a.layout {
                    Layout::C => "C",
                    Layout::F => "F",
                    Layout::A => "A",
                };
                // Numba's order of the prefixes: `unaligned readonly array(...)`.
                let unaligned = if a.aligned { "" } else { "unaligned " };
                let readonly = if a.readonly { "readonly " } else { "" };
                write!(f, "{unaligned}{readonly}array({}, {}d, {layout})", a.dtype, a.ndim)
            }
            Type::List(item) => write!(f, "list({item})"),
            // `function(g)`, `function(<lambda>; int64, list(float64))`: two functions of one
            // name print alike (symbols add the ids, see `FunctionType::ids`).
            Type::Function(func) => {
                write!(f, "function({}", func.name)?;
                for (i, t) in func.captures.iter().enumerate() {
                    write!(f, "{}{t}", if i == 0 { "; " } else { ", " })?;
                }
                write!(f, ")")
            }
            // `generator(gen(int64) -> float64)`: the function, its argument types and what
            // it yields.
            Type::Generator(g) => {
                write!(f, "generator({}(", g.name)?;
                for (i, t) in g.args.iter().enumerate() {
                    write!(f, "{}{t}", if i == 0 { "" } else { ", " })?;
                }
                write!(f, ") -> {})", g.yield_ty)
            }
            Type::Dict(key, value) => write!(f, "dict({key}, {value})"),
            Type::Optional(inner) => write!(f, "OptionalType({inner})"),
            // Numba's spelling, the class's identity in place of Numba's address (two classes
            // of one name and fields must print apart: a type name parses back to its type):
            // `instance.jitclass.Counter#2<count:int64,data:array(float64, 1d, A)>`.
            // Numba's `class(...)` of the instance type.
            Type::Class(c) => write!(f, "class({})", Type::Instance(c.clone())),
            // A reference to a class inside its own fields: `...Node#3<...>`.
            Type::Instance(c) if c.is_reference() => write!(f, "instance.jitclass.{}#{}<...>", c.name, c.class),
            Type::Instance(c) => {
                write!(f, "instance.jitclass.{}#{}<", c.name, c.class)?;
                for (i, (name, t)) in c.fields.iter().enumerate() {
                    write!(f, "{}{name}:{t}", if i == 0 { "" } else { "," })?;
                }
                write!(f, ">")
            }
            Type::Set(item) => write!(f, "set({item})"),
            Type::Str => write!(f, "unicode_type"),
            Type::Exception => write!(f, "exception"),
            Type::ExceptionArgs => write!(f, "exception_args"),
            Type::NotImplemented => write!(f, "NotImplementedType"),
            Type::Bytes => write!(f, "bytes"),
            Type::Datetime(TimeUnit::Generic) => write!(f, "datetime64"),
            Type::Timedelta(TimeUnit::Generic) => write!(f, "timedelta64"),
            Type::Datetime(unit) => write!(f, "datetime64[{}]", unit.code()),
            Type::Timedelta(unit) => write!(f, "timedelta64[{}]", unit.code()),
            // Numba's spelling: `Record(x[type=float64;offset=0],n[type=int32;offset=8];12;False)`.
            Type::Record(r) => {
                write!(f, "Record(")?;
                for (i, field) in r.fields.iter().enumerate() {
                    if i > 0 {
                        write!(f, ",")?;
                    }
                    write!(f, "{}[type={};offset={}]", field.name, field.ty, field.offset)?;
                }
                write!(f, ";{};{})", r.size, if r.aligned_struct { "True" } else { "False" })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_promotion_rules() {
        let i32_ = Type::int(32, true);
        let u64_ = Type::UINT64;
        assert_eq!(promote_arith(&i32_, &i32_), Some(i32_.clone()));
        assert_eq!(promote_arith(&u64_, &Type::INT64), Some(Type::FLOAT64));
        assert_eq!(promote_arith(&Type::int(8, false), &Type::int(8, false)), Some(Type::int(8, false)));
        assert_eq!(promote_arith(&Type::int(8, false), &Type::int(8, true)), Some(Type::int(16, true)));
        assert_eq!(promote_arith(&Type::int(32, false), &Type::int(16, true)), Some(Type::INT64));
        assert_eq!(promote_arith(&Type::int(16, false), &Type::int(32, true)), Some(i32_.clone()));
        assert_eq!(promote_arith(&Type::Bool, &Type::int(8, false)), Some(Type::int(8, false)));
        assert_eq!(promote_arith(&Type::INT64, &Type::FLOAT64), Some(Type::FLOAT64));
        assert_eq!(promote_arith(&Type::FLOAT32, &Type::FLOAT32), Some(Type::FLOAT32));
        assert_eq!(promote_arith(&Type::FLOAT32, &i32_), Some(Type::FLOAT64));
        assert_eq!(promote_arith(&Type::FLOAT32, &Type::int(16, true)), Some(Type::FLOAT32));
        assert_eq!(promote_arith(&Type::Complex(FloatType::F32), &Type::FLOAT64), Some(Type::COMPLEX128));
        assert_eq!(promote_arith(&Type::Bool, &Type::Bool), Some(Type::INT64));
        assert_eq!(promote_arith(&Type::NoneType, &Type::INT64), None);
    }

    #[test]
    fn weak_literals() {
        let u8_ = Type::int(8, false);
        assert_eq!(promote_weak(&u8_, &Type::INT64), Some(u8_.clone()));
        assert_eq!(promote_weak(&u8_, &Type::FLOAT64), Some(Type::FLOAT64));
        assert_eq!(promote_weak(&Type::FLOAT32, &Type::INT64), Some(Type::FLOAT32));
        assert_eq!(promote_weak(&Type::FLOAT32, &Type::FLOAT64), Some(Type::FLOAT32));
        assert_eq!(promote_weak(&Type::FLOAT32, &Type::COMPLEX128), Some(Type::Complex(FloatType::F32)));
        assert_eq!(promote_weak(&u8_, &Type::COMPLEX128), Some(Type::COMPLEX128));
        assert_eq!(promote_weak(&Type::Bool, &Type::INT64), Some(Type::INT64));
        assert_eq!(promote_weak(&Type::Bool, &Type::Bool), Some(Type::INT64));
        assert_eq!(promote_weak(&Type::UINT64, &Type::INT64), Some(Type::UINT64));
    }

    #[test]
    fn unification() {
        assert_eq!(unify(&Type::INT64, &Type::FLOAT64), Some(Type::FLOAT64));
        assert_eq!(unify(&Type::Bool, &Type::INT64), Some(Type::INT64));
        assert_eq!(unify(&Type::UINT64, &Type::INT64), Some(Type::INT64));
        assert_eq!(unify(&Type::INT64, &Type::Tuple(vec![Type::INT64])), None);
        assert_eq!(
            unify(&Type::Tuple(vec![Type::INT64, Type::Bool]), &Type::Tuple(vec![Type::FLOAT64, Type::Bool])),
            Some(Type::Tuple(vec![Type::FLOAT64, Type::Bool]))
        );
    }

    #[test]
    fn an_optional_holds_none_and_what_converts_into_its_type() {
        let optional = |t: Type| Type::Optional(Box::new(t));
        assert_eq!(unify(&optional(Type::FLOAT64), &Type::NoneType), Some(optional(Type::FLOAT64)));
        assert_eq!(unify(&Type::NoneType, &optional(Type::Str)), Some(optional(Type::Str)));
        assert_eq!(unify(&optional(Type::FLOAT64), &Type::INT64), Some(optional(Type::FLOAT64)));
        assert_eq!(unify(&Type::FLOAT64, &optional(Type::INT64)), None);
        assert_eq!(unify(&optional(Type::INT64), &optional(Type::FLOAT64)), None);
        assert_eq!(unify(&Type::NoneType, &Type::INT64), None);
        assert_eq!(optional(Type::Str).to_string(), "OptionalType(unicode_type)");
        // Laid out as `(bool, value)`: the value's reference is the one heap part.
        assert_eq!(optional(Type::Str).heap_parts(), vec![HeapPart { path: vec![1], kind: HeapKind::Str }]);
    }

    #[test]
    fn named_tuples_are_tuples_of_their_class() {
        let point = |class: u64, items: Vec<Type>| Type::NamedTuple(Box::new(NamedTupleType { class, name: "Point".into(), fields: vec!["x".into(), "y".into()], items }));
        let ints = point(1, vec![Type::INT64, Type::INT64]);
        let mixed = point(1, vec![Type::FLOAT64, Type::INT64]);
        assert_eq!(ints.to_string(), "Point(int64 x 2)");
        assert_eq!(mixed.to_string(), "Point(float64, int64)");
        // Items unify within one class; two classes (even of one name) and plain tuples do not.
        assert_eq!(unify(&ints, &mixed), Some(mixed.clone()));
        assert_eq!(unify(&ints, &point(2, vec![Type::INT64, Type::INT64])), None);
        assert_eq!(unify(&ints, &Type::Tuple(vec![Type::INT64, Type::INT64])), None);
        assert_eq!(FunctionType::ids(&ints), "@1");
        // Laid out as the tuple of its items.
        let holding = point(1, vec![Type::Str, Type::FLOAT64]);
        assert_eq!(holding.leaves(), Type::Tuple(vec![Type::Str, Type::FLOAT64]).leaves());
        assert_eq!(holding.heap_parts(), vec![HeapPart { path: vec![0], kind: HeapKind::Str }]);
        assert_eq!(holding.as_plain_tuple(), Some(Type::Tuple(vec![Type::Str, Type::FLOAT64])));
    }

    #[test]
    fn display_matches_numba() {
        assert_eq!(Type::Tuple(vec![Type::INT64, Type::INT64]).to_string(), "UniTuple(int64 x 2)");
        assert_eq!(Type::Tuple(vec![Type::INT64, Type::FLOAT64]).to_string(), "Tuple(int64, float64)");
        assert_eq!(Type::Complex(FloatType::F32).to_string(), "complex64");
        assert_eq!(Type::int(8, false).to_string(), "uint8");
        assert_eq!(Type::Array(ArrayType::new(Type::FLOAT64, 2, Layout::C)).to_string(), "array(float64, 2d, C)");
        let unaligned = ArrayType { aligned: false, ..ArrayType::new(Type::FLOAT64, 1, Layout::C) };
        assert_eq!(Type::Array(unaligned.clone()).to_string(), "unaligned array(float64, 1d, C)");
        let both = ArrayType { readonly: true, ..unaligned };
        assert_eq!(Type::Array(both).to_string(), "unaligned readonly array(float64, 1d, C)");
    }

    #[test]
    fn records_print_as_numba_and_parse_back() {
        let record = Type::Record(RecordType {
            fields: vec![
                RecordField { name: "x".into(), ty: Type::FLOAT64, offset: 0 },
                RecordField { name: "n_2".into(), ty: Type::int(32, true), offset: 8 },
            ],
            size: 16,
            aligned_struct: true,
        });
        let text = "Record(x[type=float64;offset=0],n_2[type=int32;offset=8];16;True)";
        assert_eq!(record.to_string(), text);
        assert_eq!(parse_type(text), Ok(record.clone()));
        let array = Type::Array(ArrayType::new(record, 1, Layout::A));
        assert_eq!(parse_type(&array.to_string()), Ok(array));
        assert!(parse_type("Record(x[type=float64;offset=0];8)").is_err());
    }

    #[test]
    fn time_types_print_as_numba_and_parse_back() {
        for ty in [Type::Datetime(TimeUnit::Nanos), Type::Timedelta(TimeUnit::Days), Type::Timedelta(TimeUnit::Generic), Type::Datetime(TimeUnit::Attos)] {
            assert_eq!(parse_type(&ty.to_string()), Ok(ty.clone()));
            let array = Type::Array(ArrayType::new(ty, 2, Layout::F));
            assert_eq!(parse_type(&array.to_string()), Ok(array));
        }
        assert_eq!(Type::Datetime(TimeUnit::Micros).to_string(), "datetime64[us]");
        assert_eq!(parse_type("datetime64[ns][:]"), Ok(Type::Array(ArrayType::new(Type::Datetime(TimeUnit::Nanos), 1, Layout::A))));
        assert!(parse_type("datetime64[fortnight]").is_err());
    }

    #[test]
    fn unaligned_wins_unification_and_views_keep_it() {
        let aligned = ArrayType::new(Type::FLOAT64, 2, Layout::C);
        let unaligned = ArrayType { aligned: false, ..ArrayType::new(Type::FLOAT64, 2, Layout::F) };
        let Some(Type::Array(u)) = unify(&Type::Array(aligned.clone()), &Type::Array(unaligned.clone())) else { panic!("arrays unify") };
        assert!(!u.aligned);
        assert_eq!(u.layout, Layout::A);
        let Some(Type::Array(same)) = unify(&Type::Array(aligned.clone()), &Type::Array(aligned)) else { panic!("arrays unify") };
        assert!(same.aligned);
        assert!(!unaligned.with(1, Layout::A).aligned);
    }
}

#[cfg(test)]
mod heap_parts_tests {
    use super::*;

    #[test]
    fn heap_parts_are_arrays_wherever_they_sit_in_tuples() {
        let array = Type::Array(ArrayType::new(Type::FLOAT64, 2, Layout::C));
        let part = |path: &[usize]| HeapPart { path: path.to_vec(), kind: HeapKind::Array };
        let cases: Vec<(Type, Vec<HeapPart>)> = vec![
            (Type::FLOAT64, vec![]),
            (Type::Tuple(vec![Type::INT64, Type::Bool]), vec![]),
            (array.clone(), vec![part(&[])]),
            (Type::Tuple(vec![Type::INT64, array.clone()]), vec![part(&[1])]),
            (Type::Tuple(vec![array.clone(), Type::Tuple(vec![Type::FLOAT64, array.clone()])]), vec![part(&[0]), part(&[1, 1])]),
        ];
        for (ty, parts) in cases {
            assert_eq!(ty.heap_parts(), parts, "{ty}");
            assert_eq!(ty.holds_heap(), !parts.is_empty(), "{ty}");
        }
    }
}
