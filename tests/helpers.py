"""Shared helpers for the differential tests: run a function compiled by ferrojit and as plain
Python, and demand the same result (type and value) or the same exception."""
import gc
import math

import numpy as np
import pytest

import ferrojit


def to_python(value):
    """What Numba/ferrojit return for a value the plain Python function computed: NumPy scalars are
    boxed as the Python scalar of the same kind (int for every integer dtype, float for float32 and
    float64, complex for complex64 and complex128, bool for bool_); tuples recursively."""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.complexfloating):
        return complex(value)
    if isinstance(value, tuple):
        return tuple(to_python(v) for v in value)
    if isinstance(value, list):
        return [to_python(v) for v in value]
    return value


def _float_same(got, expected, rel):
    if math.isnan(expected):
        return math.isnan(got)
    if rel is None:
        # Exact, including the sign of zero (-0.0 vs 0.0 is a real semantic difference).
        return got == expected and math.copysign(1.0, got) == math.copysign(1.0, expected)
    return got == pytest.approx(expected, rel=rel)


def assert_same(got, expected, rel=None, where="result"):
    """Assert `got` has exactly the type of `expected` and the same value: recursively for tuples
    and lists, NaN equals NaN, floats compared exactly (sign of zero included) unless `rel` is given."""
    assert type(got) is type(expected), (
        f"{where}: type {type(got).__name__} ({got!r}) != expected {type(expected).__name__} ({expected!r})"
    )
    if isinstance(expected, (tuple, list)):
        assert len(got) == len(expected), f"{where}: {got!r} != {expected!r}"
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_same(g, e, rel=rel, where=f"{where}[{i}]")
    elif isinstance(expected, np.ndarray):
        assert_same_array(got, expected, rel=rel, where=where)
    elif isinstance(expected, float):
        assert _float_same(got, expected, rel), f"{where}: {got!r} != expected {expected!r}"
    elif isinstance(expected, complex):
        ok = _float_same(got.real, expected.real, rel) and _float_same(got.imag, expected.imag, rel)
        assert ok, f"{where}: {got!r} != expected {expected!r}"
    else:
        assert got == expected, f"{where}: {got!r} != expected {expected!r}"


def run_python(pyfunc, *args, **kwargs):
    """Run the plain Python function; NumPy scalar warnings (overflow, invalid) are silenced."""
    with np.errstate(all="ignore"):
        return pyfunc(*args, **kwargs)


def _assert_raises_like(exc, exc_msg, cfunc, *args, **kwargs):
    """Assert that ``cfunc(*args, **kwargs)`` raises the class of ``exc`` (and its message with
    ``exc_msg``); return what it raised."""
    with pytest.raises(Exception) as excinfo:
        cfunc(*args, **kwargs)
    assert type(excinfo.value) is type(exc), (
        f"compiled raised {type(excinfo.value).__name__}: {excinfo.value}; "
        f"Python raised {type(exc).__name__}: {exc}"
    )
    if exc_msg:
        assert str(excinfo.value) == str(exc)
    return excinfo.value


def dispatcher_of(pyfunc, options=None, compiled=None):
    """A new dispatcher of `pyfunc` (``ferrojit.njit(**options)``), or, given `compiled` (a dict
    a test module keeps), the one it holds for `pyfunc` and `options`, made on first use: the
    rows sharing it compile only the argument types they are the first to meet (the same code
    as a new dispatcher would compile for them)."""
    if compiled is None:
        return ferrojit.njit(**(options or {}))(pyfunc)
    key = pyfunc if not options else (pyfunc, repr(sorted(options.items())))
    if key not in compiled:
        compiled[key] = ferrojit.njit(**(options or {}))(pyfunc)
    return compiled[key]


def check(pyfunc, *args, rel=None, exc_msg=False, compiled=None, **kwargs):
    """Compile pyfunc with ferrojit.njit, run it and the plain Python function on args, assert the
    same type and value (recursively for tuples; NaN equals NaN; for floats exact equality unless
    rel is given).

    If the Python function raises, the compiled one must raise the same exception class; with
    ``exc_msg=True`` the message (``str(exc)``) must match too.  Keyword arguments other than
    ``rel``/``exc_msg``/``compiled`` are passed to both functions; with `compiled` the dispatcher
    is shared (see :func:`dispatcher_of`).  Returns the compiled result (or the exception the
    compiled function raised)."""
    cfunc = dispatcher_of(pyfunc, compiled=compiled)
    try:
        expected = run_python(pyfunc, *args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - any exception Python raises must be reproduced
        return _assert_raises_like(exc, exc_msg, cfunc, *args, **kwargs)
    expected = to_python(expected)
    _assert_no_int_overflow(expected)
    got = cfunc(*args, **kwargs)
    assert_same(got, expected, rel=rel)
    return got


def _assert_no_int_overflow(expected):
    """Guard against test-case bugs: compiled integers are 64-bit, so a Python result outside the
    int64/uint64 range means the test case itself is wrong (wrapping is tested explicitly)."""
    if isinstance(expected, tuple):
        for e in expected:
            _assert_no_int_overflow(e)
    elif isinstance(expected, int) and not -(2 ** 63) <= expected < 2 ** 64:
        pytest.fail(f"test case bug: Python result {expected} does not fit in 64 bits")


def check_print(capsys, pyfunc, *args):
    """Like check(), and additionally the compiled function must print exactly what the Python
    function prints (ferrojit's print writes to Python's sys.stdout, so capsys sees it)."""
    cfunc = ferrojit.njit(pyfunc)
    capsys.readouterr()
    got = cfunc(*args)
    compiled_out = capsys.readouterr().out
    expected = run_python(pyfunc, *args)
    python_out = capsys.readouterr().out
    assert compiled_out == python_out
    expected = to_python(expected)
    _assert_no_int_overflow(expected)
    assert_same(got, expected)
    return compiled_out


def case_id(value):
    """Readable pytest id for a parametrize value (function, argument tuple, scalar)."""
    if callable(value) and hasattr(value, "__name__"):
        return value.__name__
    return repr(value)


# --- NumPy arrays --------------------------------------------------------------------------------

def assert_same_array(got, expected, rel=None, where="result"):
    """Assert `got` is a plain ndarray with exactly the dtype, shape and values of the ndarray
    `expected`. Values are compared exactly with ``np.testing.assert_array_equal`` (NaN equals
    NaN), plus the sign of floating zeros as in :func:`assert_same`; with `rel` the values are
    compared with that relative tolerance instead (NaN still equals NaN)."""
    assert type(got) is np.ndarray, f"{where}: type {type(got).__name__} ({got!r}) is not numpy.ndarray"
    assert got.dtype == expected.dtype, f"{where}: dtype {got.dtype} != expected {expected.dtype}"
    assert got.shape == expected.shape, f"{where}: shape {got.shape} != expected {expected.shape}"
    if rel is None:
        np.testing.assert_array_equal(got, expected, err_msg=where, strict=True)
        if expected.dtype.kind in "fc":
            for part in ("real", "imag") if expected.dtype.kind == "c" else ("real",):
                g, e = getattr(got, part), getattr(expected, part)
                zeros = (e == 0) & (g == 0)
                np.testing.assert_array_equal(
                    np.signbit(g[zeros]), np.signbit(e[zeros]), err_msg=f"{where}: sign of zero ({part})"
                )
    else:
        np.testing.assert_allclose(got, expected, rtol=rel, atol=0, equal_nan=True, err_msg=where)


def assert_same_value(got, expected, rel=None, where="result"):
    """:func:`assert_same` extended to ndarrays, also inside (nested) tuples and lists."""
    if isinstance(expected, np.ndarray):
        assert_same_array(got, expected, rel=rel, where=where)
    elif isinstance(expected, (tuple, list)):
        assert type(got) is type(expected), f"{where}: type {type(got).__name__} ({got!r}) != expected {type(expected).__name__}"
        assert len(got) == len(expected), f"{where}: {got!r} != {expected!r}"
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_same_value(g, e, rel=rel, where=f"{where}[{i}]")
    else:
        assert_same(got, expected, rel=rel, where=where)


def clone_array(a):
    """A copy of `a` with the same dtype, shape, memory order (C/F kept, otherwise C) and
    writeable flag, so that the plain Python run cannot disturb the arguments of the compiled one."""
    c = np.array(a, copy=True, order="K")
    if not a.flags.writeable:
        c.setflags(write=False)
    return c


def _clone_arg(x):
    if isinstance(x, np.ndarray):
        return clone_array(x)
    if isinstance(x, tuple):
        return tuple(_clone_arg(v) for v in x)
    return x


def _run_python_quiet(pyfunc, *args, **kwargs):
    """run_python, also silencing NumPy's RuntimeWarnings (e.g. "Mean of empty slice")."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return run_python(pyfunc, *args, **kwargs)


def check_arrays(pyfunc, *args, rel=None, exc_msg=False, options=None, compiled=None, **kwargs):
    """:func:`check` for functions taking or returning NumPy arrays.

    The compiled function (``ferrojit.njit(**options)(pyfunc)``, shared through `compiled` when
    given: see :func:`dispatcher_of`) gets the arguments as given; the
    plain Python function gets copies of the array arguments (see :func:`clone_array`). Results
    must match as in :func:`assert_same_value` (ndarrays: same dtype, shape and values; scalars as
    in :func:`check`), and afterwards the array arguments of both runs must hold the same values,
    so in-place writes are compared too. An exception raised by the Python function must be raised
    by the compiled one with the same class (and message with ``exc_msg=True``). Returns the
    compiled result (or the exception the compiled function raised)."""
    cfunc = dispatcher_of(pyfunc, options, compiled)
    py_args = tuple(_clone_arg(a) for a in args)
    try:
        expected = _run_python_quiet(pyfunc, *py_args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - any exception Python raises must be reproduced
        return _assert_raises_like(exc, exc_msg, cfunc, *args, **kwargs)
    expected = to_python(expected)
    _assert_no_int_overflow(expected)
    got = cfunc(*args, **kwargs)
    assert_same_value(got, expected, rel=rel)
    for i, (a, p) in enumerate(zip(args, py_args)):
        if isinstance(a, np.ndarray):
            assert_same_array(a, p, where=f"argument {i} after the call")
    return got


def check_arrays_compiled_once(compiled, pyfunc, *args, rel=None, exc_msg=True):
    """:func:`check_arrays` with one dispatcher per function for a whole test module, kept in
    ``compiled`` (function -> dispatcher): a row compiles only the argument types it is the
    first to meet. NumPy's message must match too unless ``exc_msg`` is False."""
    cfunc = dispatcher_of(pyfunc, compiled=compiled)
    py_args = tuple(_clone_arg(a) for a in args)
    try:
        expected = _run_python_quiet(pyfunc, *py_args)
    except Exception as exc:  # noqa: BLE001 - any exception NumPy raises must be reproduced
        return _assert_raises_like(exc, exc_msg, cfunc, *args)
    expected = to_python(expected)
    _assert_no_int_overflow(expected)
    got = cfunc(*args)
    assert_same_value(got, expected, rel=rel)
    for i, (a, p) in enumerate(zip(args, py_args)):
        if isinstance(a, np.ndarray):
            assert_same_array(a, p, where=f"argument {i} after the call")
    return got
def import_written_module(directory, name, source):
    """Writes `source` to `directory/name.py` and imports it: functions compiled from a table of
    calls, each written out as a user writes it (compiled code reads its functions' text)."""
    import importlib.util

    path = directory / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_cases(filename, jit):
    """The test module `filename` (next to this one) loaded as a module of its own, with the
    global `JIT` set before it runs: its classes and functions compiled (`jit`) or plain, to run
    the same cases both ways."""
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).with_name(filename)
    name = f"{path.stem}_{'jit' if jit else 'plain'}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    module.JIT = jit
    spec.loader.exec_module(module)
    return module


def compile_error_of_call(directory, header, call):
    """The text of the compile error of `return <call>` in a function written to a module
    (`header` imports what the call names); it names the module's file, `refused_call.py`."""
    module = import_written_module(directory, "refused_call", header + f"\n@ferrojit.njit\ndef refused():\n    return {call}\n")
    with pytest.raises((ferrojit.errors.TypingError, ferrojit.errors.UnsupportedError)) as error:
        module.refused()
    return str(error.value)


def plain_python(pyfunc):
    """`pyfunc` as plain Python all the way down: with the module's compiled functions replaced
    by their Python functions (a compiled function cannot take a Python function)."""
    import types

    namespace = dict(pyfunc.__globals__)
    for name, value in list(namespace.items()):
        if isinstance(value, ferrojit.Dispatcher):
            namespace[name] = types.FunctionType(value.py_func.__code__, namespace, name, value.py_func.__defaults__)
    return types.FunctionType(pyfunc.__code__, namespace, pyfunc.__name__, pyfunc.__defaults__)


def run_both(pyfunc, *args, plain=False, compiled=None, **kwargs):
    """Runs `pyfunc` as Python (with `plain`, calling the Python functions of the compiled ones it
    calls: see `plain_python`) and compiled, each on deep copies of the arguments: the same
    result (type and value), or the same exception class and message. Returns the compiled
    result or exception. With `compiled` the dispatcher is shared (see `dispatcher_of`)."""
    import copy

    cfunc = dispatcher_of(pyfunc, compiled=compiled)
    reference = plain_python(pyfunc) if plain else pyfunc
    try:
        expected = reference(*copy.deepcopy(args), **copy.deepcopy(kwargs))
    except Exception as exc:  # noqa: BLE001 - the compiled function must raise the same
        with pytest.raises(type(exc)) as info:
            cfunc(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        assert str(info.value) == str(exc)
        return info.value
    got = cfunc(*copy.deepcopy(args), **copy.deepcopy(kwargs))
    assert_same(got, to_python(expected))
    return got


def assert_no_leak(cfunc, *args, runs=100):
    """Calls the compiled ``cfunc(*args)`` ``runs`` times (after a first call, which compiles
    and fills what is made once) and asserts that the runtime holds as many allocations after
    as before (``live_allocations()``, garbage collected first). A call that raises counts
    too: its exception is dropped, so exception paths are checked as well."""

    def call():
        try:
            cfunc(*args)
        except Exception:  # noqa: BLE001 - a raising call must not leak either
            pass

    call()
    gc.collect()
    before = ferrojit._native.live_allocations()
    for _ in range(runs):
        call()
    gc.collect()
    assert ferrojit._native.live_allocations() == before, f"{ferrojit._native.live_allocations() - before} allocations left after {runs} calls"
