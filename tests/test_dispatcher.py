"""The dispatcher object: decorator forms, py_func, lazy per-signature compilation and
`signatures` with Numba-style type names."""
import numpy as np
import pytest

import ferrojit
from ferrojit import jit, njit


def plain(x):
    return x + 1


def two_args(a, b):
    return a * b


def with_default(a, b=2):
    return a - b


@njit
def decorated_bare(x):
    return x * 2


@njit(cache=False)
def decorated_with_options(x):
    return x * 3


@njit()
def decorated_empty_call(x):
    return x * 4


@jit
def decorated_jit(x):
    return x * 5


@jit(nopython=True)
def decorated_jit_options(x):
    return x * 6


def sig_names(dispatcher):
    return [tuple(str(t) for t in sig) for sig in dispatcher.signatures]


def test_decorator_forms():
    assert decorated_bare(2) == 4
    assert decorated_with_options(2) == 6
    assert decorated_empty_call(2) == 8
    assert decorated_jit(2) == 10
    assert decorated_jit_options(2) == 12
    assert type(decorated_bare(2.5)) is float


def test_py_func_is_original():
    f = njit(plain)
    assert f.py_func is plain
    g = jit(plain)
    assert g.py_func is plain
    assert decorated_bare.py_func(21) == 42
    assert decorated_bare.py_func.__name__ == "decorated_bare"
    h = njit(cache=False)(plain)
    assert h.py_func is plain


def test_signatures_grow_per_new_type_signature():
    f = njit(plain)
    assert len(f.signatures) == 0
    assert f(1) == 2
    assert len(f.signatures) == 1
    assert f(41) == 42
    assert len(f.signatures) == 1  # same types: no new compilation
    assert f(1.5) == 2.5
    assert len(f.signatures) == 2
    assert f(2.5) == 3.5
    assert len(f.signatures) == 2
    assert f(np.int32(3)) == 4
    assert len(f.signatures) == 3
    assert f(True) == 2
    assert len(f.signatures) == 4
    assert f(1j) == 1 + 1j
    assert len(f.signatures) == 5
    assert f(7) == 8
    assert f(np.int32(9)) == 10
    assert len(f.signatures) == 5


def test_signatures_for_two_args():
    f = njit(two_args)
    f(2, 3)
    f(2, 3.0)
    f(2.0, 3)
    f(4, 5)
    f(2.0, 3)
    assert len(f.signatures) == 3
    assert sig_names(f) == [("int64", "int64"), ("int64", "float64"), ("float64", "int64")]


def test_keyword_call_same_signature_as_positional():
    f = njit(two_args)
    assert f(2, 3) == 6
    assert f(a=2, b=3) == 6
    assert f(2, b=3) == 6
    assert len(f.signatures) == 1


def test_every_way_of_calling_reaches_the_same_code():
    # A call from Python code passes its arguments as an array (vectorcall); `*args`,
    # `**kwargs`, functools.partial and an explicit __call__ go through the call slot with a
    # tuple and a dict. All must bind, compile and convert alike.
    import functools

    f = njit(two_args)
    assert f(2, 3) == 6
    assert f(*(2, 3)) == 6
    assert f(**{"a": 2, "b": 3}) == 6
    assert f(2, **{"b": 3}) == 6
    assert functools.partial(f, 2)(3) == 6
    assert functools.partial(f, b=3)(2) == 6
    assert f.__call__(2, 3) == 6
    assert type(f).__call__(f, 2, b=3) == 6
    assert len(f.signatures) == 1


def three_with_default(a, b, c=2.0):
    return a + b + c


@pytest.mark.parametrize("func, call", [
    (two_args, lambda g: g(1)), (two_args, lambda g: g(1, 2, 3)), (two_args, lambda g: g(1, c=2)),
    (two_args, lambda g: g(1, a=2)), (two_args, lambda g: g()),
    (three_with_default, lambda g: g(1)), (three_with_default, lambda g: g(c=3)),
    (three_with_default, lambda g: g(1, 2, 3, 4)), (three_with_default, lambda g: g(1, b=2, d=3)),
    (three_with_default, lambda g: g(1, 2, b=3)),
])
@pytest.mark.parametrize("compiled_first", [False, True])
def test_wrong_calls_raise_pythons_type_errors(func, call, compiled_first):
    f = njit(func)
    if compiled_first:
        assert f(1, 2) == func(1, 2)
    with pytest.raises(TypeError) as expected:
        call(func)
    with pytest.raises(TypeError) as got:
        call(f)
    assert str(got.value) == str(expected.value)


def test_a_subclass_of_the_dispatcher_still_calls():
    # Subclasses made later do not inherit the vectorcall entry; they take the call slot.
    class Traced(type(njit(two_args))):
        pass

    g = Traced(two_args)
    assert g(2, 3) == 6
    assert g(a=2, b=3) == 6


def test_default_argument_calls():
    f = njit(with_default)
    assert f(5) == 3
    assert f(5, 1) == 4
    assert f(5, b=1) == 4
    assert f(b=10, a=5) == -5
    n = len(f.signatures)
    assert 1 <= n <= 2
    f(6)
    f(6, 2)
    assert len(f.signatures) == n


@pytest.mark.parametrize("value,name", [
    (1, "int64"), (1.0, "float64"), (1j, "complex128"), (True, "bool"),
    (np.int8(1), "int8"), (np.int16(1), "int16"), (np.int32(1), "int32"), (np.int64(1), "int64"),
    (np.uint8(1), "uint8"), (np.uint16(1), "uint16"), (np.uint32(1), "uint32"), (np.uint64(1), "uint64"),
    (np.float32(1), "float32"), (np.float64(1), "float64"),
    (np.complex64(1), "complex64"), (np.complex128(1), "complex128"), (np.bool_(True), "bool"),
    ((1, 2), "UniTuple(int64 x 2)"), ((1.0, 2.0, 3.0), "UniTuple(float64 x 3)"),
    ((1, 2.0), "Tuple(int64, float64)"), (((1, 2), 3.0), "Tuple(UniTuple(int64 x 2), float64)"),
    ((np.int32(1), True), "Tuple(int32, bool)"),
], ids=lambda v: repr(v))
def test_signature_type_names(value, name):
    f = njit(plain_identity)
    f(value)
    assert len(f.signatures) == 1
    sig = f.signatures[0]
    assert isinstance(sig, tuple)
    assert len(sig) == 1
    assert str(sig[0]) == name


def plain_identity(x):
    return x


def test_same_function_separate_dispatchers():
    f = njit(plain)
    g = njit(plain)
    f(1)
    assert len(f.signatures) == 1
    assert len(g.signatures) == 0
    g(1.0)
    g(2)
    assert len(g.signatures) == 2
    assert len(f.signatures) == 1


def test_results_are_python_scalars():
    f = njit(plain_identity)
    assert type(f(np.int8(3))) is int
    assert type(f(np.uint64(3))) is int
    assert type(f(np.float32(3))) is float
    assert type(f(np.complex64(3))) is complex
    assert type(f(np.bool_(True))) is bool
    assert type(f((np.int16(1), np.float32(2)))) is tuple
    assert f((np.int16(1), np.float32(2))) == (1, 2.0)


def prints_twice(n):
    print("first", n)
    print("second", n + 1)
    return n


@pytest.mark.parametrize("options", [{}, {"nogil": True}], ids=["gil", "nogil"])
def test_print_output_is_written_by_the_time_the_call_returns(options, capsys):
    # With nogil=True the output is queued while the GIL is released and written when the
    # call returns, in order with the Python prints around it.
    f = njit(**options)(prints_twice)
    print("before")
    assert f(1) == 1
    print("after")
    assert capsys.readouterr().out == "before\nfirst 1\nsecond 2\nafter\n"


@pytest.mark.parametrize("options", [{}, {"nogil": True}], ids=["holding the GIL", "nogil"])
def test_print_output_of_other_threads_is_written_when_the_call_returns(options, capsys):
    # Off the main thread compiled output waits until the call returns (writing may release
    # and retake the GIL, which must not happen inside compiled frames of a thread that may be
    # a daemon); it comes out whole and in order.
    import threading

    f = njit(**options)(prints_twice)
    results = []
    thread = threading.Thread(target=lambda: results.append(f(5)))
    thread.start()
    thread.join()
    assert results == [5]
    assert capsys.readouterr().out == "first 5\nsecond 6\n"
