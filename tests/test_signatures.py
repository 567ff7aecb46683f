"""Eager compilation from declared signatures (the seed's `@jit("int32(int32, int32)")`)."""

import numpy as np
import pytest

import ferrojit
from ferrojit import float32, float64, int32, int64, jit, njit, void


def add(x, y):
    return x + y


def test_seed_f2_string_signature_returns_int():
    f2 = jit("int32(int32, int32)", nopython=True)(add)
    # Compiled at decoration time: the signature is there before any call.
    assert [tuple(str(t) for t in sig) for sig in f2.signatures] == [("int32", "int32")]
    result = f2(1, 2)
    assert result == 3 and type(result) is int


def test_type_object_signature():
    f = jit(int32(int32, int32))(add)
    assert f(20, 22) == 42
    assert str(int32(int32, int32)) == "int32(int32, int32)"


def test_declared_return_type_converts_the_result():
    f = njit(float32(float64, float64))(add)
    assert f(0.1, 0.2) == float(np.float32(0.1 + 0.2))
    g = njit("int32(int64, int64)")(add)
    # int64 arithmetic, then converted to int32 (wrapping, as NumPy's astype does).
    assert g(2**31 - 1, 1) == -(2**31)


def test_arguments_convert_to_declared_types():
    f = njit("float64(float64, float64)")(add)
    assert f(1, 2) == 3.0 and type(f(1, 2)) is float
    g = njit("int32(int32, int32)")(add)
    assert g(np.int64(5), np.int8(3)) == 8


def test_no_new_specialisation_and_a_clear_type_error():
    f = njit("int32(int32, int32)")(add)
    with pytest.raises(TypeError, match=r"int32\(int32, int32\)"):
        f(1.5, 2)
    with pytest.raises(TypeError, match="matches none"):
        f(2**40, 1)  # does not fit in int32
    assert len(f.signatures) == 1


def total(a):
    s = 0
    for v in a:
        s += v
    return s


def test_list_of_signatures_with_array_types():
    f = njit([float64(float64[:]), "int64(int64[::1])"])(total)
    assert f(np.arange(4.0)) == 6.0
    assert f(np.arange(4)) == 6
    # A strided view is accepted by the `A`-layout signature.
    assert f(np.arange(8.0)[::2]) == 12.0
    assert [str(s[0]) for s in f.signatures] == ["array(float64, 1d, A)", "array(int64, 1d, C)"]


def fill_zero(a):
    a[:] = 0


def test_void_signature():
    f = njit(void(float64[:, ::1]))(fill_zero)
    x = np.ones((2, 3))
    assert f(x) is None
    assert (x == 0).all()
    assert str(float64[:, ::1]) == "array(float64, 2d, C)"
    assert str(float64[::1, :]) == "array(float64, 2d, F)"


def test_bad_signatures_are_type_errors():
    with pytest.raises(TypeError, match="unknown type `int33`"):
        njit("int33(int32)")(add)
    with pytest.raises(TypeError):
        njit(12)(add)


def test_return_type_that_cannot_convert_is_a_typing_error():
    def pair(x):
        return (x, x)

    with pytest.raises(ferrojit.errors.TypingError, match="declared return type `int64`"):
        njit(int64(int64))(pair)


def test_unknown_option_is_a_type_error():
    with pytest.raises(TypeError, match="unknown option"):
        njit(nopythonn=True)


def test_types_namespace_mirrors_numba():
    from ferrojit import types

    assert types.Array(types.float64, 2, "C") == float64[:, ::1]
    assert str(types.UniTuple(types.int64, 2)) == "UniTuple(int64 x 2)"
    assert str(types.Tuple([types.int64, types.float64])) == "Tuple(int64, float64)"
    f = njit(types.float64(types.Array(types.float64, 1, "A")))(total)
    assert f(np.arange(4.0)) == 6.0


def one(x):
    return x


def two_with_default(x, y=2.0):
    return x + y


def three(x, y, z):
    return x + y + z


@pytest.mark.parametrize(
    "func, signature, args",
    [
        (one, "float64(float64, float64)", (1.0, 2.0)),
        (one, "float64()", ()),
        (two_with_default, "float64(float64, float64, float64)", (1.0, 2.0, 3.0)),
        (three, "float64(float64)", (1.0,)),
        (three, "float64()", ()),
        (three, [(float64, float64, float64, float64)], (1.0, 2.0, 3.0, 4.0)),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_a_signature_of_another_length_is_cpythons_type_error_at_the_def(func, signature, args):
    with pytest.raises(TypeError) as cpython:
        func(*args)
    with pytest.raises(TypeError) as compiled:
        njit(signature)(func)
    assert isinstance(compiled.value, ferrojit.errors.TypingError)
    lines = str(compiled.value).splitlines()
    assert lines[0] == str(cpython.value)
    assert lines[1].startswith(f'  File "{__file__}", line {func.__code__.co_firstlineno},')
    assert f"the signature gives {len(args)} argument type" in lines[-1]


def test_a_vectorize_signature_of_another_length_is_cpythons_type_error():
    with pytest.raises(TypeError, match=r"^one\(\) takes 1 positional argument but 2 were given\n"):
        ferrojit.vectorize(["float64(float64, float64)"])(one)


def test_a_signature_leaving_out_a_parameter_with_a_default_is_refused_clearly():
    # Python binds `two_with_default(1.0)`; a compiled signature names every parameter's type.
    with pytest.raises(ferrojit.errors.ArgumentCountError, match=r"^two_with_default\(\) is compiled for 1 argument but takes 2 arguments\n(.|\n)*those with defaults too"):
        njit("float64(float64)")(two_with_default)
