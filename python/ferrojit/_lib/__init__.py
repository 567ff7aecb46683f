"""ferrojit's library written in Python: implementations that ferrojit compiles itself,
registered with ``ferrojit.extending.overload`` exactly as a user's own would be. One module
per area.

A module is imported only when compiled code first calls one of the callables it implements,
so that a program's first compilation pays only for what it uses: ``IMPLEMENTED_IN`` says
where each is defined, and ``load`` declares them to the compiler without importing anything.
tests/test_extending.py checks that the table and the modules agree.
"""

from __future__ import annotations

import os
import sys

# Callable (module-qualified name) -> the module of this package that implements it.
IMPLEMENTED_IN = {
    **{f"numpy.{name}": "creation" for name in ("zeros", "ones", "full", "empty_like", "zeros_like", "ones_like", "full_like", "arange", "eye", "identity", "linspace")},
    # `sum`, `min`, `max`, `mean`: the calls the compiler does not build itself.
    **{f"numpy.{name}": "reductions" for name in ("sum", "min", "amin", "max", "amax", "mean", "prod", "argmin", "argmax", "all", "any", "var", "std", "cumsum", "cumprod")},
    # Linear algebra (`a @ b` is `np.matmul(a, b)`).
    **{f"numpy.{name}": "linalg" for name in ("matmul", "dot")},
    **{f"numpy.linalg.{name}": "linalg" for name in ("solve", "inv", "det", "slogdet", "cholesky", "matrix_power", "eigh", "eigvalsh", "svd", "qr", "lstsq", "norm", "pinv", "matrix_rank", "cond")},
    # Linear algebra: general eigenproblems; polynomial fits and roots (eigenvalues and least squares).
    **{f"numpy.linalg.{name}": "linalg" for name in ("eig", "eigvals")},
    **{f"numpy.{name}": "linalg" for name in ("polyfit", "roots")},
    # Mathematics; statistics and nan-functions.
    **{f"numpy.{name}": "mathematics" for name in ("clip", "round", "around", "fix", "isclose", "allclose", "array_equal", "trace", "take", "diff", "outer", "inner", "vdot", "kron", "cross", "convolve", "correlate", "interp", "real", "imag", "angle", "nan_to_num", "polyval", "trapezoid", "ediff1d", "unwrap", "extract", "place", "put", "select", "gradient")},
    **{f"numpy.{name}": "statistics" for name in ("nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanargmin", "nanargmax", "nancumsum", "nancumprod", "ptp", "average", "cov", "corrcoef")},
    # `nanmin`, `nanmax`: the reductions' `min` and `max` passing NaNs over.
    **{f"numpy.{name}": "reductions" for name in ("nanmin", "nanmax")},
    # Sorting, searching and the order statistics.
    **{f"numpy.{name}": "sorting" for name in ("sort", "argsort", "lexsort", "partition", "argpartition", "median", "nanmedian", "quantile", "nanquantile", "percentile", "nanpercentile")},
    **{f"numpy.{name}": "searching" for name in ("searchsorted", "unique", "nonzero", "where", "argwhere", "flatnonzero", "count_nonzero", "bincount", "digitize", "histogram", "isin", "intersect1d", "union1d", "setdiff1d")},
    # Creation and shape: arrays made from values, joined, reordered and reshaped.
    **{
        f"numpy.{name}": "creation"
        for name in ("array", "asarray", "ascontiguousarray", "asfortranarray", "logspace", "geomspace", "diag", "diagflat", "tri", "tril", "triu", "vander", "meshgrid", "indices")
    },
    **{
        f"numpy.{name}": "shape"
        for name in (
            "concatenate", "stack", "hstack", "vstack", "dstack", "column_stack", "expand_dims", "squeeze", "flip", "fliplr", "flipud",
            "rot90", "swapaxes", "moveaxis", "atleast_1d", "atleast_2d", "atleast_3d", "repeat", "tile", "roll", "ravel", "copy",
            "broadcast_to", "broadcast_arrays", "resize", "append", "pad", "delete", "insert", "split", "array_split",
        )
    },
    # Built-ins over lists (and other iterables).
    **{f"builtins.{name}": "lists" for name in ("sum", "sorted", "list", "any", "all")},
    "builtins.set": "sets",
    "builtins.dict": "dicts",
    # Iterators (compiled generators).
    "builtins.iter": "iterators",
    # The built-ins taking functions.
    **{f"builtins.{name}": "functional" for name in ("map", "filter")},
    "functools.reduce": "functional",
    # Python's `heapq` and `bisect` modules (`bisect.bisect` and `bisect.insort` are other names
    # of `bisect_right` and `insort_right`).
    **{f"heapq.{name}": "heaps" for name in ("heappush", "heappop", "heapreplace", "heappushpop", "heapify", "nsmallest", "nlargest", "merge")},
    **{f"bisect.{name}": "bisection" for name in ("bisect_left", "bisect_right", "bisect", "insort_left", "insort_right", "insort")},
    # Random numbers: np.random's legacy functions and Python's `random` module.
    **{
        f"numpy.random.{name}": "random"
        for name in (
            "seed", "random", "random_sample", "rand", "randn", "standard_normal", "normal", "uniform", "randint", "choice", "shuffle",
            "permutation", "exponential", "poisson", "binomial", "geometric", "gamma", "beta", "chisquare", "laplace", "lognormal",
            "logistic", "triangular", "standard_t",
        )
    },
    # np.random.default_rng Generators (their methods are registered on their compiled form).
    "numpy.random.default_rng": "generator",
    **{
        f"random.{name}": "random"
        for name in ("seed", "random", "randint", "randrange", "uniform", "gauss", "normalvariate", "expovariate", "getrandbits", "shuffle", "choice")
    },
    # Python's numeric modules: `math` (what the compiler does not build), `cmath`, `operator`.
    **{
        f"math.{name}": "pymath"
        for name in (
            "factorial", "comb", "perm", "isqrt", "gcd", "lcm", "fsum", "prod", "modf", "frexp", "ldexp", "nextafter", "ulp", "dist",
            "remainder", "isclose", "hypot", "gamma", "lgamma",
        )
    },
    **{
        f"cmath.{name}": "pymath"
        for name in (
            "sqrt", "exp", "log", "log10", "cos", "sin", "tan", "acos", "asin", "atan", "cosh", "sinh", "tanh", "acosh", "asinh", "atanh",
            "phase", "polar", "rect", "isfinite", "isnan", "isinf", "isclose",
        )
    },
    **{
        f"operator.{name}": "pymath"
        for name in (
            "add", "iadd", "sub", "isub", "mul", "imul", "truediv", "itruediv", "floordiv", "ifloordiv", "mod", "imod", "pow", "ipow",
            "matmul", "and_", "iand", "or_", "ior", "xor", "ixor", "lshift", "ilshift", "rshift", "irshift", "eq", "ne", "lt", "le", "gt",
            "ge", "getitem", "setitem", "neg", "pos", "abs", "invert", "inv", "not_", "truth", "index",
        )
    },
}

# The modules whose callables `IMPLEMENTED_IN` names (`numpy.random` is imported only by programs
# that use it: it costs NumPy 100 ms and more).
LIBRARIES = ("builtins", "math", "numpy", "numpy.linalg", "numpy.random", "random", "cmath", "operator", "functools", "heapq", "bisect")

# Array methods (by name) -> the module of this package that implements them.
# The NumPy functions and array methods with another implementation for callers compiled with
# `parallel=True` (their typing functions take `_caller_parallel`; see `pool`).
SEE_CALLER_PARALLEL = frozenset(
    [
        "var", "std", "argmin", "argmax", "sum", "prod", "min", "amin", "max", "amax", "mean", "all", "any", "nanmin", "nanmax",
        "ones", "full", "zeros_like", "ones_like", "full_like", "arange", "linspace",
    ]
)

METHODS_IN = {
    **{name: "reductions" for name in ("sum", "min", "max", "mean", "prod", "argmin", "argmax", "all", "any", "var", "std", "cumsum", "cumprod")},
    # Mathematics.
    **{name: "mathematics" for name in ("clip", "round", "trace", "take")},
    # Sorting and searching.
    **{name: "sorting" for name in ("sort", "argsort", "partition", "argpartition")},
    "nonzero": "searching",
    # Shape.
    **{name: "shape" for name in ("squeeze", "swapaxes", "repeat", "ravel", "copy")},
    "conj": "elementwise",
    "conjugate": "elementwise",
}


# The methods of lists (`python/ferrojit/_lib/lists.py`), imported when compiled code first
# calls a method on a list.
LIST_METHODS = ("append", "extend", "insert", "pop", "remove", "index", "count", "reverse", "copy", "clear", "sort")


def select(a, index, axis):
    """``a[..., index, ...]`` with arrays among the items, once the compiler has made the view
    ``a`` whose first axes ``index`` covers (see ``indexing``): what that subscript compiles
    to. ``index`` is one array, or a tuple of index arrays and boolean scalars; ``axis`` is the
    indexed array's axis of each covered axis, for error messages."""
    return a[index]


def assign(a, index, value, axis, value_layout):
    """``a[..., index, ...] = value`` with arrays among the items: what that assignment
    compiles to (arguments as for ``select``; ``value_layout`` tells how ``value``'s axes were
    reordered, for the message of a value of the wrong shape)."""
    a[index] = value


def index_error(index, axis, size):
    """Raises NumPy's ``IndexError`` for ``index`` outside the axis ``axis`` of length ``size``.
    In compiled code, a runtime call (the message is formatted there); it never returns."""
    raise IndexError(f"index {index} is out of bounds for axis {axis} with size {size}")


def mask_shape_error(axis, size, mask_size):
    """Raises NumPy's ``IndexError`` for a boolean index of ``mask_size`` elements along the
    axis ``axis`` of length ``size``. In compiled code, a runtime call; it never returns."""
    raise IndexError(
        f"boolean index did not match indexed array along axis {axis}; size of axis is {size} but size of corresponding boolean axis is {mask_size}"
    )


# Shapes recorded for the next message that names shapes (in compiled code, kept by the runtime).
_message_shapes: list[list[int]] = []


def message_shape():
    """Starts a new shape for the next message naming shapes
    (``index_broadcast_error``, ``value_shape_error``)."""
    _message_shapes.append([])
    return 0


def message_dim(dim):
    """Adds the dimension ``dim`` to the shape last started."""
    _message_shapes[-1].append(int(dim))
    return 0


def _shape_text(dims):
    return f"({dims[0]},)" if len(dims) == 1 else "(" + ",".join(map(str, dims)) + ")"


# The parameters after the array (or the method's receiver) of the reductions whose usual calls
# the compiler builds itself (crates/ferrojit_infer/src/arrays.rs).
_COMPILER_REDUCTIONS = {
    **dict.fromkeys(("sum", "prod"), ("axis", "dtype", "out", "keepdims", "initial", "where")),
    **dict.fromkeys(("min", "amin", "max", "amax"), ("axis", "out", "keepdims", "initial", "where")),
    "mean": ("axis", "dtype", "out", "keepdims", "where"),
}


# `ravel` and `copy` (methods and NumPy functions) of an array are the compiler's without `order=`
# (`shape` implements the orders).
_COMPILER_WITHOUT_ORDER = ("ravel", "copy")


def compiler_builds(name, array, axis=None, keepdims=False, out=None, initial=None, where=None, **others):
    """Whether the compiler builds this call of ``sum``, ``prod``, ``min``, ``max`` or ``mean`` (the
    types of its arguments) itself: of a real array (``min``, ``max``) or any array, whole or
    along one integer axis, without ``out=``, ``where=``, ``initial=``; a tuple of axes, those
    arguments, the whole array's ``keepdims=True``, complex ``min``/``max``, the ``mean`` of
    time values, the ``sum`` of datetimes and the ``prod`` of any time values are
    ``reductions``'."""
    from .. import types

    def given(value):
        return value is not None and not isinstance(value, types.NoneType)

    if not isinstance(array, types.Array) or any(given(v) for v in (out, initial, where)) or isinstance(axis, types.BaseTuple):
        return False
    if name in ("min", "amin", "max", "amax") and isinstance(array.dtype, types.Complex):
        return False
    times = isinstance(array.dtype, (types.NPTimedelta, types.NPDatetime))
    if (name == "mean" and isinstance(array.dtype, types.NPTimedelta)) or (name in ("sum", "mean") and isinstance(array.dtype, types.NPDatetime)) or (name == "prod" and times):
        return False
    kept_whole = not given(axis) and isinstance(keepdims, types.BooleanLiteral) and keepdims.literal_value
    return not kept_whole


def declined_unloaded(name, args, keywords):
    """Whether ``reductions`` (``shape`` for ``ravel`` and ``copy``, ``searching`` for ``where``) would decline this call
    of ``name`` (an array method or a NumPy function's name; the types of its positional and
    keyword arguments), leaving it to the compiler: the answer without importing the module, which a program using only the
    compiler's reductions never needs. False when unsure (the module then answers)."""
    if name == "where":
        # `np.where(condition, x, y)` is the compiler's; the library has the one-argument form.
        return len(args) + len(keywords) > 1
    if name in _COMPILER_WITHOUT_ORDER:
        return len(args) <= 1 and "order" not in keywords
    parameters = _COMPILER_REDUCTIONS.get(name)
    if parameters is None or len(args) > len(parameters) + 1:
        return False
    bound = dict(zip(("array",) + parameters, args))
    for keyword, value in keywords.items():
        if keyword not in parameters or keyword in bound:
            return False
        bound[keyword] = value
    return compiler_builds(name, **bound)


def zeros(shape, dtype=None, order="C"):
    """``np.zeros``. In compiled code, ``np.empty``'s array from the allocator's cleared memory:
    a large one costs no pass over it (NumPy's ``calloc``)."""
    import numpy as np

    return np.zeros(shape, dtype, order)


def parallel_array_chunks(size, trip):
    """The number of chunks a parallel implementation of the library (compiled with
    ``parallel=True`` for callers compiled so) cuts its work of ``size`` elements into, over
    ``trip`` independent parts (at most one chunk each); 0 when the work should run serially,
    as a whole-array map of ``size`` elements would: below the threshold
    (``_native.parallel_threshold()``), with one thread, or inside a parallel loop's chunk. In
    compiled code, a runtime call; run as Python, always 0 (serial)."""
    return 0


def data_address(a):
    """The address of the array ``a``'s first element, as an int (for BLAS and LAPACK calls;
    ``a`` must stay alive while it is used). In compiled code, read from the array."""
    return a.ctypes.data


def _take_message_shapes():
    shapes = list(_message_shapes)
    _message_shapes.clear()
    return shapes


def index_broadcast_error():
    """Raises NumPy's ``IndexError`` for index arrays whose shapes (the recorded ones) do not
    broadcast together. In compiled code, a runtime call; it never returns."""
    texts = " ".join(_shape_text(s) for s in _take_message_shapes())
    raise IndexError(f"shape mismatch: indexing arrays could not be broadcast together with shapes {texts} ")


def value_shape_error(place, index_dims, missing):
    """Raises NumPy's ``ValueError`` for an assigned value that does not broadcast to the
    indexing result. The recorded shapes are the value's and the result's as the assignment
    walks them, the ``index_dims`` index dimensions first; in NumPy's order they are at
    ``place``, and the value's first ``missing`` dimensions were added. In compiled code, a
    runtime call; it never returns."""

    def numpy_order(walked):
        index, rest = walked[:index_dims], walked[index_dims:]
        return rest[:place] + index + rest[place:]

    value, result = (numpy_order(s) for s in _take_message_shapes()[:2])
    raise ValueError(
        f"shape mismatch: value array of shape {_shape_text(value[missing:])} could not be broadcast to indexing result of shape {_shape_text(result)}"
    )


def mask_value_count_error(values, selected):
    """Raises NumPy's ``ValueError`` for a value of ``values`` elements assigned through one
    boolean mask over every axis, which selects ``selected`` elements. In compiled code, a
    runtime call; it never returns."""
    raise ValueError(
        f"NumPy boolean array indexing assignment cannot assign {values} input values to the {selected} output values where the mask is true"
    )


def axis_error(axis, ndim):
    """Raises NumPy's ``AxisError`` for ``axis`` outside the dimensions of an array of ``ndim``
    dimensions. In compiled code, a runtime call; it never returns."""
    from numpy.exceptions import AxisError

    raise AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")


def reduction_shape_error(kind, x, y):
    """Raises one of NumPy's ``ValueError``s for the operands of a reduction (``out=``,
    ``where=``) whose shapes do not fit: ``kind`` 0, the recorded operands' shapes do not
    broadcast together (``x`` operands, each recorded once, or twice, as it is and remapped,
    when its bit is set in ``y``); 1, the reduced array (the first recorded shape) is not the
    broadcast shape (the second); 2, ``out`` has length 1 in its dimension ``x``, which the
    result does not have; 3, ``out`` has length ``y`` in the reduced axis ``x`` with
    ``keepdims=True``; 4, ``out`` of an accumulation (the first recorded shape; remapped,
    the second) has length 1 where the broadcast shape (the third) has not; 5, the mask (the
    first recorded shape) does not broadcast to the array's shape (the second), as
    ``np.broadcast_to`` says it. In compiled code, a runtime call; it never returns."""
    shapes = _take_message_shapes()
    if kind == 0:
        texts = ""
        for operand in range(x):
            texts += _shape_text(shapes.pop(0))
            if y & (1 << operand):
                remapped = list(shapes.pop(0))
                while remapped and remapped[0] < 0:
                    remapped.pop(0)
                texts += "->(" + ",".join("newaxis" if d < 0 else str(d) for d in remapped) + ")"
            texts += " "
        raise ValueError(f"operands could not be broadcast together with remapped shapes [original->remapped]: {texts}")
    if kind == 1:
        raise ValueError(f"non-broadcastable operand with shape {_shape_text(shapes[0])} doesn't match the broadcast shape {_shape_text(shapes[1])}")
    if kind == 4:
        own, remapped, broadcast = (_shape_text(s) for s in shapes[:3])
        raise ValueError(f"non-broadcastable output operand with shape {own} [remapped to {remapped}] doesn't match the broadcast shape {broadcast}")
    if kind == 5:
        raise ValueError(f"operands could not be broadcast together with remapped shapes [original->remapped]: {_shape_text(shapes[0])}  and requested shape {_shape_text(shapes[1])}")
    if kind == 2:
        raise ValueError(f"output operand requires a reduction along dimension {x}, but the reduction is not enabled. The dimension size of 1 does not match the expected output shape.")
    raise ValueError(f"operand was set up as a reduction along axis {x}, but the length of the axis is {y} (it has to be 1)")


# ferrojit's own callables that compiled code reaches through syntax, by the name the compiler
# asks for -> (the callable, the module of this package that implements it).
def list_concat(a, b):
    """``a + b`` of two lists: a new list."""
    return a + b


def list_repeat(a, n):
    """``a * n`` (and ``n * a``) of a list and an integer: a new list."""
    return a * n


def list_extend_in_place(a, b):
    """``a += b`` of lists: extends ``a`` itself and gives it back."""
    a += b
    return a


def list_repeat_in_place(a, n):
    """``a *= n`` of a list: repeats ``a``'s items in place and gives it back."""
    a *= n
    return a


def list_contains(a, x):
    """``x in a`` of a list."""
    return x in a


def list_compare(a, b, op):
    """A comparison of two lists, as CPython's: ``op`` is 0 for ``==``, 1 ``!=``, 2 ``<``, 3
    ``<=``, 4 ``>``, 5 ``>=``."""
    return [a == b, a != b, a < b, a <= b, a > b, a >= b][op]


def list_get_slice(a, start, stop, step):
    """``a[start:stop:step]`` of a list (each bound an integer or None): a new list."""
    return a[start:stop:step]


def list_set_slice(a, start, stop, step, values):
    """``a[start:stop:step] = values`` of a list."""
    a[start:stop:step] = values


def list_delete(a, index):
    """``del a[index]`` of a list (an integer index)."""
    del a[index]


def list_delete_slice(a, start, stop, step):
    """``del a[start:stop:step]`` of a list."""
    del a[start:stop:step]


def list_extremum(a, largest):
    """``min(a)`` (``max(a)`` with ``largest``) of a list."""
    return max(a) if largest else min(a)


def unpack_check(n, expected, starred):
    """Unpacking ``n`` items into ``expected`` targets (and a starred one taking any number,
    when ``starred``): CPython's ``ValueError`` when the count does not fit."""
    if n < expected or (n > expected and not starred):
        raise ValueError("wrong number of values to unpack")


def exception_args_list(args):
    """``e.args`` where compiled code needs its items as a list (a ``for`` loop over it,
    unpacking it): the list of its arguments."""
    return list(args)


def range_list(start, stop, step):
    """``range(start, stop, step)`` where compiled code needs its items as a value (an argument
    of ``sum``, ``sorted``, ``min``, ``map``, ...): the list of them."""
    return list(range(start, stop, step))


def extremum_by(items, key, default, largest):
    """``min``/``max`` (``largest``) of ``items`` (a list, a 1-d array, or the tuple of the
    arguments) with ``key=`` (a function, or ``None``) or ``default=`` (``None`` when not
    given)."""
    if key is None:
        key = _identity
    if not items and default is not None:
        return default
    return max(items, key=key) if largest else min(items, key=key)


def _identity(x):
    return x


def zip_iterator(a, b=None, c=None):
    """``zip(a, b, c)`` (of one to three iterables) where compiled code needs it as a value:
    an iterator."""
    return zip(*(x for x in (a, b, c) if x is not None))


def enumerate_iterator(iterable, start=0):
    """``enumerate(iterable, start)`` where compiled code needs it as a value: an iterator."""
    return enumerate(iterable, start)


def dict_getitem(d, key):
    """``d[key]`` of a dict."""
    return d[key]


def dict_setitem(d, key, value):
    """``d[key] = value`` of a dict."""
    d[key] = value


def dict_delitem(d, key):
    """``del d[key]`` of a dict."""
    del d[key]


def dict_contains(d, key):
    """``key in d`` of a dict."""
    return key in d


def dict_equal(a, b):
    """``a == b`` of two dicts."""
    return a == b


def dict_find_by_eq(d, key):
    """The position of the entry of ``key`` in ``d`` or -1, for keys compared by ``__eq__``
    (compiled code only)."""
    raise NotImplementedError("dict_find_by_eq is called from compiled code only")


def dict_insert_by_eq(d, key):
    """The position of the entry of ``key`` in ``d``, made when missing, for keys compared by
    ``__eq__`` (compiled code only)."""
    raise NotImplementedError("dict_insert_by_eq is called from compiled code only")


def dict_merge(d, other):
    """``**other`` in a dict display: ``other``'s items stored into ``d`` in their order."""
    d.update(other)


def set_contains(s, x):
    """``x in s`` of a set."""
    return x in s


def set_equal(a, b):
    """``a == b`` of two sets."""
    return a == b


def set_subset(a, b, proper):
    """``a <= b`` (``a < b`` with ``proper``) of two sets."""
    return a < b if proper else a <= b


def set_union(a, b):
    """``a | b`` of two sets."""
    return a | b


def set_intersection(a, b):
    """``a & b`` of two sets."""
    return a & b


def set_difference(a, b):
    """``a - b`` of two sets."""
    return a - b


def set_symmetric_difference(a, b):
    """``a ^ b`` of two sets."""
    return a ^ b


def set_union_in_place(a, b):
    """``a |= b`` of two sets: changes ``a`` itself and gives it back."""
    a |= b
    return a


def set_intersection_in_place(a, b):
    """``a &= b`` of two sets: changes ``a`` itself and gives it back."""
    a &= b
    return a


def set_difference_in_place(a, b):
    """``a -= b`` of two sets: changes ``a`` itself and gives it back."""
    a -= b
    return a


def set_symmetric_difference_in_place(a, b):
    """``a ^= b`` of two sets: changes ``a`` itself and gives it back."""
    a ^= b
    return a


# The methods of sets (`python/ferrojit/_lib/sets.py`).
SET_METHODS = (
    "add", "remove", "discard", "pop", "clear", "update", "union", "intersection", "difference", "symmetric_difference",
    "intersection_update", "difference_update", "symmetric_difference_update", "issubset", "issuperset", "isdisjoint", "copy",
)


def str_get_slice(s, start, stop, step):
    """``s[start:stop:step]`` of a string."""
    return s[start:stop:step]


def bytes_fromhex(string):
    """``bytes.fromhex(string)`` (a class method, which is a new object at each access: compiled
    code reaches this function for it)."""
    return bytes.fromhex(string)


def str_format_runtime(template, args, names, values):
    """``template.format(*args, **dict(zip(names, values)))`` of a template known only when
    the code runs."""
    return template.format(*args, **dict(zip(names, values)))


def bytes_get_slice(b, start, stop, step):
    """``b[start:stop:step]`` of bytes."""
    return b[start:stop:step]


def container_str(x):
    """``str(x)`` (and ``repr(x)``) of a tuple, list, dict or set."""
    return repr(x)


def time_str(x):
    """``str(x)`` of a datetime64 or timedelta64 value."""
    return str(x)


def time_repr(x):
    """``repr(x)`` of a datetime64 or timedelta64 value."""
    return repr(x)


# The methods of strings (`python/ferrojit/_lib/strings.py`).
STR_METHODS = (
    "find", "rfind", "index", "rindex", "count", "startswith", "endswith", "replace", "strip", "lstrip", "rstrip", "split",
    "rsplit", "splitlines", "join", "partition", "rpartition", "removeprefix", "removesuffix", "upper", "lower", "title",
    "capitalize", "swapcase", "casefold", "center", "ljust", "rjust", "zfill", "expandtabs", "isdigit", "isalpha", "isalnum",
    "isspace", "isupper", "islower", "isdecimal", "isnumeric", "istitle", "isascii", "isprintable", "isidentifier", "encode",
)

# The methods of bytes (`python/ferrojit/_lib/strings.py`).
BYTES_METHODS = (
    "decode", "hex", "find", "rfind", "index", "rindex", "count", "startswith", "endswith", "replace", "strip", "lstrip", "rstrip", "split",
    "rsplit", "join", "partition", "rpartition", "removeprefix", "removesuffix", "upper", "lower", "title", "capitalize", "swapcase",
    "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "istitle", "isascii", "center", "ljust", "rjust", "zfill",
)


# The methods of dicts (`python/ferrojit/_lib/dicts.py`).
DICT_METHODS = ("get", "setdefault", "pop", "popitem", "items", "keys", "values", "update", "clear", "copy")


# The callables the compiler calls for operations it does not build itself (their module, and
# how messages name them).
INTERNAL = {
    "ferrojit.select": (select, "indexing", "indexing with an array"),
    "ferrojit.assign": (assign, "indexing", "assigning through an array index"),
    **{
        f"ferrojit.{func.__name__}": (func, "lists", display)
        for func, display in (
            (list_concat, "`+` of lists"),
            (list_repeat, "`*` of a list"),
            (list_extend_in_place, "`+=` of a list"),
            (list_repeat_in_place, "`*=` of a list"),
            (list_contains, "`in` of a list"),
            (list_compare, "comparing lists"),
            (list_get_slice, "slicing a list"),
            (list_set_slice, "assigning to a list slice"),
            (list_delete, "`del` of a list item"),
            (list_delete_slice, "`del` of a list slice"),
            (list_extremum, "`min`/`max` of a list"),
            (extremum_by, "min()/max() with key= or default="),
            (range_list, "range() as a value"),
            (exception_args_list, "`e.args` iterated or unpacked"),
            (unpack_check, "unpacking into several targets"),
        )
    },
    **{
        f"ferrojit.{func.__name__}": (func, "dicts", display)
        for func, display in (
            (dict_getitem, "`d[key]` of a dict"),
            (dict_setitem, "`d[key] = value` of a dict"),
            (dict_delitem, "`del d[key]` of a dict"),
            (dict_contains, "`in` of a dict"),
            (dict_equal, "comparing dicts"),
            (dict_merge, "`**` in a dict display"),
            (dict_find_by_eq, "finding a key of a dict"),
            (dict_insert_by_eq, "storing a key into a dict"),
        )
    },
    **{
        f"ferrojit.{func.__name__}": (func, "sets", display)
        for func, display in (
            (set_contains, "`in` of a set"),
            (set_equal, "comparing sets"),
            (set_subset, "comparing sets"),
            (set_union, "`|` of sets"),
            (set_intersection, "`&` of sets"),
            (set_difference, "`-` of sets"),
            (set_symmetric_difference, "`^` of sets"),
            (set_union_in_place, "`|=` of sets"),
            (set_intersection_in_place, "`&=` of sets"),
            (set_difference_in_place, "`-=` of sets"),
            (set_symmetric_difference_in_place, "`^=` of sets"),
        )
    },
    "ferrojit.zip_iterator": (zip_iterator, "iterators", "zip() as a value"),
    "ferrojit.enumerate_iterator": (enumerate_iterator, "iterators", "enumerate() as a value"),
    "ferrojit.str_get_slice": (str_get_slice, "strings", "slicing a string"),
    "builtins.bytes.fromhex": (bytes_fromhex, "strings", "bytes.fromhex()"),
    "ferrojit.str_format_runtime": (str_format_runtime, "formatting", "str.format() of a template known when running"),
    "ferrojit.bytes_get_slice": (bytes_get_slice, "strings", "slicing bytes"),
    "ferrojit.container_str": (container_str, "container_text", "str() of a container"),
    "ferrojit.time_str": (time_str, "time_text", "str() of a datetime64 or timedelta64 value"),
    "ferrojit.time_repr": (time_repr, "time_text", "repr() of a datetime64 or timedelta64 value"),
}

_declared: set[str] = set()


def import_module(name: str) -> None:
    """Imports ``name``, a module of this package, when compiled code first needs it. Its
    file's stamp is taken before Python reads it, so that the functions it defines are known
    to be compiled from the file's text as long as the file keeps that stamp (see
    ``_source.trust_library_file``): an edit at any moment after the stamp changes it. A
    module some other code imported first is checked as user code is."""
    if name in sys.modules:
        return
    from .. import _source

    filename = os.path.join(os.path.dirname(__file__), name.rpartition(".")[2] + ".py")
    stamp = _source.file_stamp(filename)
    __import__(name)
    if stamp is not None and getattr(sys.modules[name], "__file__", None) == filename:
        _source.trust_library_file(filename, stamp)


def load() -> frozenset[str]:
    """Declares the callables implemented here of each library the process has imported (NumPy
    is never imported for this); returns the names of those libraries."""
    from ..extending import _declare_library_callable, _declare_library_method, _declare_receiver_methods

    if "core" not in _declared:
        for qualified, (func, module, display) in INTERNAL.items():
            _declare_library_callable(func, f"{__name__}.{module}", qualified, display)
        for name, module in METHODS_IN.items():
            _declare_library_method(name, f"{__name__}.{module}", name in SEE_CALLER_PARALLEL)
        from .. import types

        _declare_receiver_methods(types.List, LIST_METHODS, f"{__name__}.lists")
        _declare_receiver_methods(types.DictType, DICT_METHODS, f"{__name__}.dicts")
        _declare_receiver_methods(types.SetType, SET_METHODS, f"{__name__}.sets")
        _declare_receiver_methods(types.UnicodeType, STR_METHODS, f"{__name__}.strings")
        _declare_receiver_methods(types.Bytes, BYTES_METHODS, f"{__name__}.strings")
        _declared.add("core")
    for qualified, module in IMPLEMENTED_IN.items():
        library, _, name = qualified.rpartition(".")
        owner = sys.modules.get(library)
        if library not in _declared and owner is not None:
            _declare_library_callable(getattr(owner, name), f"{__name__}.{module}", alias=qualified, sees_caller_parallel=library == "numpy" and name in SEE_CALLER_PARALLEL)
    _declared.update(library for library in LIBRARIES if library in sys.modules)
    return frozenset(_declared)
