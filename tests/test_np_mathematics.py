"""NumPy's mathematical functions against NumPy: ``clip``, ``round``/``around`` (and the methods),
``fix``, ``isclose``, ``allclose``, ``array_equal``, ``trace``, ``take``, ``diff``, ``outer``,
``inner``, ``vdot``, ``kron``, ``cross``, ``convolve``, ``correlate``, ``interp``: dtypes x
layouts, NaN and infinite inputs, empty and 0-d arrays, every keyword; the same dtype, shape and
values as NumPy's, or its exception and message; no leak on any path."""

import re
import warnings

import numpy as np
import pytest

import ferrojit
from ferrojit import njit
from ferrojit.errors import CompileError

from array_cases import values
from helpers import check_arrays_compiled_once

_COMPILED = {}


def check_arrays(pyfunc, *args, rel=None, exc_msg=True):
    """The same dtype, shape and values as NumPy's (floats within ``rel`` when given), or the
    same exception (and message with ``exc_msg``); the arguments unchanged alike."""
    return check_arrays_compiled_once(_COMPILED, pyfunc, *args, rel=rel, exc_msg=exc_msg)


def special(dtype, n=24):
    """``values`` of ``dtype`` in eighths, with NaN, infinities, halves to round and signed
    zeros in floats (in either part for complex); integers of two digits (rounded to tens,
    they stay in range: NumPy casts the rounded float64 back, undefined out of range)."""
    a = values(n, dtype)
    if a.dtype.kind in "iu":
        a = (values(n, np.int64) % 100).astype(dtype)
    if a.dtype.kind in "fc":
        a = a / 2
        a[2] = np.nan
        a[5] = np.inf
        a[7] = -np.inf
        a[8] = -0.0
        a[9] = 2.5
        a[10] = -0.5
    if a.dtype.kind == "c":
        a[11] = complex(1.25, np.nan)
    return a


def layouts(dtype):
    c = special(dtype).reshape(4, 6)
    return {
        "C": c,
        "F": np.asfortranarray(c),
        "negative": c[::-1, ::-2],
        "empty": np.zeros((0, 6), dtype),
    }


DTYPES = [np.bool_, np.int8, np.int64, np.uint8, np.float32, np.float64, np.complex128]


def clip(a):
    return np.clip(a, 1, 5)


def clip_method_float(a):
    return a.clip(-0.5, 2.25)


def clip_upper_only(a):
    return np.clip(a, None, 3)


def round_1(a):
    return np.round(a, 1)


def round_method_negative(a):
    return a.round(-1)


def around(a):
    return np.around(a)


def fix(a):
    return np.fix(a)


def isclose_reversed(a):
    return np.isclose(a, a[::-1])


def isclose_nan(a):
    return np.isclose(a, a, equal_nan=True)


def allclose_shifted(a):
    return np.allclose(a, a + 1, rtol=0.5, atol=1.0)


def array_equal_itself(a):
    return np.array_equal(a, a), np.array_equal(a, a, equal_nan=True), np.array_equal(a, a[:1])


def trace(a):
    return np.trace(a)


def trace_offset_method(a):
    return a.trace(2)


def take_flat(a):
    return np.take(a, 3)


def take_rows_method(a):
    return a.take(1, axis=1)


def diff(a):
    return np.diff(a)


def diff_twice_axis0(a):
    return np.diff(a, n=2, axis=0)


REJECTED = {
    (clip, "c"), (clip_method_float, "c"), (clip_upper_only, "c"),
    (round_1, "b"), (round_method_negative, "b"), (around, "b"), (fix, "c"),
}
ELEMENTWISE = [clip, clip_method_float, clip_upper_only, round_1, round_method_negative, around, fix,
               isclose_reversed, isclose_nan, allclose_shifted, array_equal_itself, trace, trace_offset_method,
               take_flat, take_rows_method, diff, diff_twice_axis0]


# C-ordered arrays of every dtype; the other layouts (a type each) on fewer dtypes, so that
# the table compiles little.
@pytest.mark.parametrize(
    "dtype, layout",
    [(d, layout) for d in DTYPES for layout in ("C", "empty")] + [(d, layout) for d in (np.float64, np.int8) for layout in ("F", "negative")],
    ids=lambda v: v if isinstance(v, str) else np.dtype(v).name,
)
@pytest.mark.parametrize("func", ELEMENTWISE, ids=lambda f: f.__name__)
def test_functions_of_arrays(func, dtype, layout):
    a = layouts(dtype)[layout]
    if (func, np.dtype(dtype).kind) in REJECTED:
        # Complex clip and rounding of booleans are refused when compiling, with a clear error.
        with pytest.raises(CompileError):
            njit(func)(a)
        return
    check_arrays(func, a)


# --- keywords and arguments of every kind --------------------------------------------------------


def clip_arrays(a, low, high):
    return np.clip(a, low, high)


def clip_out(a, out):
    return np.clip(a, 0.0, 1.0, out=out)


def round_run_time(a, decimals):
    return np.round(a, decimals)


def round_out(a, out):
    return np.round(a, 2, out=out)


def round_number(x):
    return np.round(x, 1)


def isclose_numbers(x, y):
    return np.isclose(x, y)


def isclose_tolerances(a, b):
    return np.isclose(a, b, rtol=0.0, atol=0.3)


def allclose_numbers(x, y):
    return np.allclose(x, y, equal_nan=True)


def array_equal_two(a, b):
    return np.array_equal(a, b, equal_nan=True)


def array_equal_plain(a, b):
    return np.array_equal(a, b)


def trace_dtype(a):
    return np.trace(a, dtype=np.float32)


def trace_axes(a):
    return np.trace(a, 1, 2, 0)


def trace_offset(a, offset):
    return np.trace(a, offset)


def trace_out(a, out):
    return np.trace(a, axis1=1, axis2=2, out=out)


def take_indices(a, indices):
    return np.take(a, indices)


def take_axis_indices(a, indices):
    return np.take(a, indices, axis=0)


def take_wrap(a, indices):
    return np.take(a, indices, axis=-1, mode="wrap")


def take_clip(a, indices):
    return a.take(indices, mode="clip")


def take_out(a, indices, out):
    return np.take(a, indices, out=out)


def diff_run_time(a, n):
    return np.diff(a, n)


def diff_ends(a):
    return np.diff(a, prepend=0, append=2.5)


def diff_array_ends(a, before, after):
    return np.diff(a, axis=0, prepend=before, append=after)


def diff_order_zero_retyped(a):
    return np.diff(a, n=0, prepend=1.5)


def diff_negative(a):
    return np.diff(a, n=-1)


_F = special(np.float64).reshape(4, 6)
_I = values(24, np.int16).reshape(2, 3, 4)
_INDICES = np.array([[0, -1], [5, 2]])

KEYWORD_CASES = [
    (clip_arrays, (_F, np.zeros(6), 2.0)),
    (clip_arrays, (_F, 3.0, np.arange(4.0)[:, None])),
    (clip_arrays, (_F.astype(np.float32), np.float32(1), 2.0)),
    (clip_arrays, (_I, 5, 1)),
    (clip_arrays, (_I, np.int8(-3), 40.5)),
    (clip_arrays, (_F, np.zeros(5), 2.0), "class"),
    (clip_out, (_F, np.zeros((4, 6)))),
    (clip_out, (_F, np.zeros((4, 6), np.float32))),
    (round_run_time, (_F, 0)),
    (round_run_time, (_F, 3)),
    (round_run_time, (_F, -2)),
    (round_run_time, (_I * 7, -1)),
    (round_run_time, (_I * 7, -2)),
    (round_run_time, (np.array([0.125, 0.375, -1.5, 1e300, 1e-300, 2.675]), 2)),
    (round_run_time, (np.array([0.125, 0.375, -1.5, 2.675], np.float32), 2)),
    (round_out, (_F, np.zeros((4, 6)))),
    (round_number, (2.25,)),
    (round_number, (np.float32(-0.05),)),
    (round_number, (7,)),
    (round_number, (complex(1.25, -0.35),)),
    (isclose_numbers, (1.0, 1.0 + 1e-9)),
    (isclose_numbers, (1, 2)),
    (isclose_numbers, (np.nan, np.nan)),
    (isclose_numbers, (np.inf, np.inf)),
    (isclose_numbers, (_F, 0.5)),
    (isclose_numbers, (3, _F)),
    (isclose_numbers, (np.array(2.0), np.array(2.0 + 1e-9))),
    (isclose_numbers, (_F.astype(np.float32), _F.astype(np.float32) + np.float32(1e-6))),
    (isclose_numbers, (_I, _I[:, :1] + 1)),
    (isclose_tolerances, (_F, _F + 0.25)),
    (allclose_numbers, (_F, _F)),
    (allclose_numbers, (1.0, 1.1)),
    (allclose_numbers, (_F, _F[0])),
    (array_equal_two, (_F, _F.copy())),
    (array_equal_two, (_F, _F[:, :1])),
    (array_equal_two, (_F, _F[0])),
    (array_equal_two, (_I, _I.astype(np.float64))),
    (array_equal_plain, (_I, _I.astype(np.float64))),
    (array_equal_plain, (np.zeros((0, 2)), np.zeros((0, 2), np.int8))),
    (trace_dtype, (_I[0],)),
    (trace_dtype, (np.ones((3, 3), bool),)),
    (trace_axes, (_I,)),
    (trace_axes, (_I.astype(np.uint8),)),
    (trace_offset, (_F, 0)),
    (trace_offset, (_F, -2)),
    (trace_offset, (_F, 5)),
    (trace_offset, (_F, 6)),
    (trace_offset, (_F, -7)),
    (trace_offset, (_I, 1)),
    (trace_offset, (np.ones(3), 0)),
    (trace_out, (_I, np.zeros(2))),
    (take_indices, (_F, _INDICES)),
    (take_indices, (_F, np.array([24]))),
    (take_indices, (_F, np.array([-25]))),
    (take_indices, (_F, -24)),
    (take_indices, (_F, 24)),
    (take_indices, (_I, np.array([], np.int64))),
    (take_axis_indices, (_I, np.array([1, -2, 0], np.int32))),
    (take_axis_indices, (_I, np.array([2]))),
    (take_axis_indices, (_I, 1)),
    (take_wrap, (_I, _INDICES * 7)),
    (take_wrap, (np.zeros((2, 0)), np.array([1]))),
    (take_clip, (_F, np.array([-5, 3, 99]))),
    (take_out, (_F, _INDICES, np.zeros((2, 2)))),
    (diff_run_time, (_F, 0)),
    (diff_run_time, (_F, 3)),
    (diff_run_time, (_F, 7)),
    (diff_run_time, (_F, -1), "class"),
    (diff_run_time, (_I.astype(np.uint8), 1)),
    (diff_ends, (_I,)),
    (diff_ends, (_F.astype(np.float32),)),
    (diff_ends, (np.array([True, False, False]),)),
    (diff_array_ends, (_I, _I[:1] * 2, _I[:2])),
    (diff_array_ends, (_F, np.zeros((2, 6), np.int8), np.ones((1, 6)))),
    (diff_array_ends, (_F, np.zeros((2, 5)), np.ones((1, 6))), "class"),
    (diff_order_zero_retyped, (_I,)),
    (diff_negative, (_F,)),
]


# Rows marked "class" raise NumPy's exception class with another message: NumPy's names the
# shapes its own way (clip's three operands at once, concatenate's), and compiled code raises
# constant messages only (a negative `n` known at run time only is not named).
@pytest.mark.parametrize(
    "func, args, check", [(row + ("message",))[:3] for row in KEYWORD_CASES], ids=lambda v: v.__name__ if callable(v) else ""
)
def test_keywords_and_arguments(func, args, check):
    check_arrays(func, *args, exc_msg=check == "message")


def outer(a, b):
    return np.outer(a, b)


def outer_out(a, b, out):
    return np.outer(a, b, out=out)


def inner(a, b):
    return np.inner(a, b)


def vdot(a, b):
    return np.vdot(a, b)


def kron(a, b):
    return np.kron(a, b)


def cross(a, b):
    return np.cross(a, b)


def convolve(a, v):
    return np.convolve(a, v)


def convolve_same(a, v):
    return np.convolve(a, v, mode="same")


def convolve_valid(a, v):
    return np.convolve(a, v, "valid")


def correlate(a, v):
    return np.correlate(a, v)


def correlate_full(a, v):
    return np.correlate(a, v, mode="full")


def correlate_same(a, v):
    return np.correlate(a, v, mode="same")


def interp(x, xp, fp):
    return np.interp(x, xp, fp)


def interp_ends(x, xp, fp):
    return np.interp(x, xp, fp, left=-1.0, right=np.nan)


def interp_periodic(x, xp, fp):
    return np.interp(x, xp, fp, period=360)


def interp_period_zero(x, xp, fp):
    return np.interp(x, xp, fp, period=0.0)


_V = np.array([1.0, 2.5, -3.0, 4.0, 0.5])
_W = np.array([0.5, -1.0, 2.0])
_Z = _V + 1j * _V[::-1]
_M = (np.arange(6.0) - 2.5).reshape(2, 3)
_XP = np.array([0.0, 1.0, 1.0, 2.5, 4.0])
_FP = np.array([1.0, 2.0, 3.0, np.inf, -2.0])
_X = np.array([-1.0, 0.0, 0.5, 1.0, 1.5, 2.5, 3.0, 4.0, 5.0, np.nan, -np.inf, np.inf])

PRODUCT_CASES = [
    (outer, (_M, _V)),
    (outer, (_M > 0, _V > 1)),
    (outer, (_M.astype(np.int8), 3)),
    (outer, (_Z, _M.T)),
    (outer, (np.zeros(0), _V)),
    (outer_out, (_W, _V, np.zeros((3, 5)))),
    (inner, (_M, _M)),
    (inner, (_V, _V[::-1])),
    (inner, (_M.astype(np.int8), _M[0].astype(np.uint8))),
    (inner, (_M > 0, _M > 1)),
    (inner, (_Z[:3], _M)),
    (inner, (_M, _M[:, :2]), "class"),
    (vdot, (_Z, _V)),
    (vdot, (_M, _M.T)),
    (vdot, (_M.astype(np.int16), _M.astype(np.int8))),
    (vdot, (_M > 0, _M > 1)),
    (vdot, (_M, _V), "class"),
    (kron, (_M, _V)),
    (kron, (_V, _M)),
    (kron, (_M.astype(np.int8), np.arange(4).reshape(2, 2, 1))),
    (kron, (_M > 0, _M < 1)),
    (kron, (_Z[:2], _M.T)),
    (cross, (_M, _M[::-1])),
    (cross, (_M[0], _M[1])),
    (cross, (_M[:, :2], _M)),
    (cross, (_M[0], _M[:, ::-1].copy())),
    (cross, (_M.astype(np.int8), _M[0].astype(np.uint8))),
    (cross, (_Z[:3], _M)),
    (cross, (np.ones((2, 4)), _M)),
    (cross, (np.ones((3, 3)), _M), "class"),
]
for _f in (convolve, convolve_same, convolve_valid, correlate, correlate_full, correlate_same):
    PRODUCT_CASES += [
        (_f, (_V, _W)),
        (_f, (_W, _V)),
        (_f, (_V.astype(np.int8), _W.astype(np.int8))),
        (_f, (_Z, _W)),
        (_f, (_W, _Z)),
        (_f, (_Z, _Z[:4])),
        (_f, (_V > 1, _W > 0)),
        (_f, (_V[:0], _W)),
        (_f, (_V, _W[:0])),
        (_f, (_V[::-2], _V[:1])),
    ]
PRODUCT_CASES += [
    (interp_periodic, (np.array([-180.0, -170, -185, 185, -10, -5, 0, 365, np.nan]), np.array([190.0, -190, 350, -350]), np.array([5.0, 10, 3, 4]))),
    (interp_periodic, (7.5, np.array([0, 10, 370, 90]), np.array([1.0, 2.0, 3.0, 4.0]) + 1j)),
    (interp_periodic, (_X, _XP[:0], _FP[:0])),
    (interp_periodic, (_X, _XP, _FP[:3])),
    (interp_period_zero, (_X, _XP, _FP)),
]
for _f in (interp, interp_ends):
    PRODUCT_CASES += [
        (_f, (_X, _XP, _FP)),
        (_f, (2.0, _XP, _FP)),
        (_f, (3, _XP, _FP)),
        (_f, (_X, _XP, _FP + 1j * _FP[::-1])),
        (_f, (_X, _XP[:1], _FP[:1])),
        (_f, (_X, _XP[:0], _FP[:0])),
        (_f, (_X, _XP, _FP[:3])),
        (_f, (_X.astype(np.float32).reshape(3, 4), _XP.astype(np.int64), _FP.astype(np.float32))),
        (_f, (_X[::-3], _XP[::2], _FP[::2])),
    ]


# Rows marked "class": NumPy's message names the shapes or sizes, compiled code raises constant
# messages only.
@pytest.mark.parametrize(
    "func, args, check", [(row + ("message",))[:3] for row in PRODUCT_CASES], ids=lambda v: v.__name__ if callable(v) else ""
)
def test_products_convolutions_interpolation(func, args, check):
    check_arrays(func, *args, exc_msg=check == "message")


def cross_of_two_2_vectors(a, b):
    return np.cross(a, b)


@pytest.mark.parametrize("a, b", [(_V[:2], _W[:2]), (_M[:, :2], _M[::-1, :2])], ids=["vectors", "stacks"])
def test_cross_of_two_2_vectors_raises(a, b):
    # NumPy 2.0 to 2.4 deprecate them and return a number for 1-d vectors, an array otherwise:
    # which, depends on lengths known when the call runs only. NumPy 2.5 refuses them: its
    # ValueError and message.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            np.cross(a, b)
    except ValueError as error:
        message = re.escape(str(error))
    else:
        message = "give the vectors a third component"
    with pytest.raises(ValueError, match=message):
        njit(cross_of_two_2_vectors)(a, b)


def real(a):
    return np.real(a)


def imag(a):
    return np.imag(a)


def angle(a):
    return np.angle(a)


def angle_degrees(a):
    return np.angle(a, deg=True)


def nan_to_num(a):
    return np.nan_to_num(a)


def nan_to_num_values(a):
    return np.nan_to_num(a, nan=-1.0, posinf=9.0)


def nan_to_num_in_place(a):
    return np.nan_to_num(a, copy=False, neginf=-5.0)


def polyval(p, x):
    return np.polyval(p, x)


def trapezoid(y):
    return np.trapezoid(y)


def trapezoid_dx_axis(y):
    return np.trapezoid(y, dx=0.5, axis=0)


def trapezoid_x(y, x):
    return np.trapezoid(y, x)


def ediff1d(a):
    return np.ediff1d(a)


def ediff1d_ends(a, end):
    return np.ediff1d(a, to_end=end, to_begin=-1)


def ediff1d_float_begin(a):
    return np.ediff1d(a, to_begin=1.5)


def unwrap(p):
    return np.unwrap(p)


def unwrap_keywords(p):
    return np.unwrap(p, discont=4.0, axis=0, period=6.0)


def extract(condition, a):
    return np.extract(condition, a)


def place(a, mask, values):
    np.place(a, mask, values)
    return a


def put(a, indices, values):
    np.put(a, indices, values)
    return a


def put_wrap(a, indices, values):
    np.put(a, indices, values, mode="wrap")
    return a


def put_clip(a, indices, values):
    np.put(a, indices, values, mode="clip")
    return a


_S = np.array([[1.5, -2.0, np.nan, 0.5], [np.inf, 4.5, -np.inf, 0.25], [0.0, -0.0, 2.0, 3.0]])
_SZ = _S + 1j * _S[::-1]
_PHASES = np.array([0.0, 3.0, 6.5, 1.0, -4.0, 9.0, np.nan, 2.0])
_P = np.array([1.5, -2.0, 3.0])

MORE_CASES = []
# int8/int16 are left out of angle: NumPy computes their arctan2 in float16/float32, compiled
# code in float64 (see the README's typing rules).
for _x in (_S, np.array([[1, -2, 3], [0, 4, -5]]), _S.astype(np.float32), _SZ, _S > 1, 2.5, -3, 1 + 1j, _S[::-1, ::2]):
    MORE_CASES += [(_f, (_x,)) for _f in (real, imag, angle, angle_degrees, nan_to_num, nan_to_num_values)]
MORE_CASES += [(nan_to_num_in_place, (_x,)) for _x in (_S.copy(), _S.astype(np.float32), _SZ.copy(), np.asfortranarray(_S), np.arange(3))]
MORE_CASES += [
    (polyval, (_P, _S)),
    (polyval, (_P, 2.0)),
    (polyval, (_P.astype(np.int64), 2)),
    (polyval, (_P.astype(np.int8), _S.astype(np.float32))),
    (polyval, (_P, _SZ)),
    (polyval, (_P[:0], _S)),
    (polyval, (_P > 0, _S > 0)),
]
for _y in (_S, np.arange(12).reshape(3, 4), _S.astype(np.float32), _SZ, _S[0], np.zeros((3, 0)), _S[:, ::-1]):
    MORE_CASES += [(trapezoid, (_y,)), (trapezoid_dx_axis, (_y,))]
MORE_CASES += [
    (trapezoid_x, (_S, np.array([0.0, 1.0, 3.0, 6.0]))),
    (trapezoid_x, (_S[1], np.array([0, 1, 3, 6]))),
    (trapezoid_x, (_S, np.ones(3)), "class"),
]
for _a in (_S, np.array([1, 4, 9, 3], np.int8), np.array([True, False]), _S[:0], np.full(3, 3, np.uint8)):
    MORE_CASES += [(ediff1d, (_a,)), (ediff1d_ends, (_a, np.array([7, 8]))), (ediff1d_float_begin, (_a,))]
MORE_CASES += [(ediff1d_ends, (_S, 2.5))]
for _p in (_PHASES, _PHASES.reshape(2, 4), _PHASES.astype(np.float32), np.linspace(0, 20, 12).reshape(3, 4), _PHASES[::-1]):
    MORE_CASES += [(unwrap, (_p,)), (unwrap_keywords, (_p,))]
MORE_CASES += [
    (extract, (_S > 1, _S)),
    (extract, (np.array([0, 2, 0, 1]), np.arange(3.0))),
    (extract, (np.array([0, 2, 0]), np.arange(5))),
    (extract, (_S.T > 0, _S)),
    (place, (_S.copy(), _S > 1, np.array([9.0, 8.0]))),
    (place, (np.asfortranarray(_S), _S > 0, 7)),
    (place, (_S.copy(), _S > 100, np.zeros(0))),
    (place, (_S.copy(), _S > 1, np.zeros(0))),
    (place, (_S.copy(), np.ones(3, bool), 1.0)),
]
for _f in (put, put_wrap, put_clip):
    MORE_CASES += [
        (_f, (_S.copy(), np.array([0, 5, -1]), np.array([9.0, 8.0]))),
        (_f, (_S.copy(), 3, 7.5)),
        (_f, (np.arange(5), np.array([7, -9]), np.array([1, 2]))),
        (_f, (_S.copy(), np.array([1]), np.zeros(0))),
        (_f, (_S[::2, ::-1].copy(), np.array([[0, 2], [1, 3]]), -1.0)),
    ]


@pytest.mark.parametrize(
    "func, args, check", [(row + ("message",))[:3] for row in MORE_CASES], ids=lambda v: v.__name__ if callable(v) else ""
)
def test_elementwise_polynomials_selections(func, args, check):
    check_arrays(func, *args, rel=1e-12, exc_msg=check == "message")


def select(conditions, choices):
    return np.select(conditions, choices)


def select_default(conditions, choices):
    return np.select(conditions, choices, 5)


def select_nan_default(conditions, choices):
    return np.select(conditions, choices, default=np.nan)


def gradient(f):
    return np.gradient(f)


def gradient_spacing(f):
    return np.gradient(f, 0.5)


def gradient_axis_order_2(f):
    return np.gradient(f, axis=-1, edge_order=2)


def gradient_spacing_order_2(f):
    return np.gradient(f, 2.0, edge_order=2)


def gradient_order_3(f):
    return np.gradient(f, edge_order=3)


_G = np.arange(12.0).reshape(3, 4)
SELECT_GRADIENT_CASES = [
    (select, ((_G > 5, _G < 2), (_G, _G * 10))),
    (select_default, ((_G > 5, _G < 2), (_G.astype(np.int8), np.int8(3)))),
    (select_nan_default, ((_G > 5,), (_G.astype(np.float32),))),
    (select, ((_G > 5, _G[0] < 2), (_G, 1.5))),
    (select, ((_G > 5, _G), (_G, _G))),
    (select, ((), ())),
    (select, ((_G > 5,), (_G, _G))),
    (select_default, ((_G > 5, _G > 7), (_G.astype(np.int16), _G.astype(np.uint8)))),
]
for _f in (gradient, gradient_spacing, gradient_axis_order_2, gradient_spacing_order_2, gradient_order_3):
    for _x in (_S[:, ::-1].copy() * 0 + _G, _G[0], _G.astype(np.int8), _G.astype(np.float32) ** 2, _G + 1j * _G[::-1],
               _G[:, :2], np.arange(24.0).reshape(2, 3, 4) ** 2, _G[::-1, ::2] ** 3):
        SELECT_GRADIENT_CASES.append((_f, (_x,)))


@pytest.mark.parametrize("func, args", SELECT_GRADIENT_CASES, ids=lambda v: v.__name__ if callable(v) else "")
def test_select_and_gradient(func, args):
    # The gradient's quotients are NumPy's, but its array expressions may be fused differently.
    check_arrays(func, *args, rel=1e-12)


def everything(a, indices):
    return (
        np.clip(a, 0.0, 1.0).sum()
        + np.round(a, 1).sum()
        + np.fix(a).sum()
        + np.isclose(a, 1.0).sum()
        + np.trace(a)
        + np.take(a, indices).sum()
        + np.diff(a, 2, prepend=0.0).sum()
        + np.outer(a[0], a[1]).sum()
        + np.inner(a, a).sum()
        + np.kron(a, a[:1]).sum()
        + np.cross(a[:, :3], a[:, 3:]).sum()
        + np.convolve(a[0], a[1], "same").sum()
        + np.correlate(a[0], a[1, :2]).sum()
        + np.interp(a, a[0], a[1]).sum()
        + np.nan_to_num(a).sum()
        + np.polyval(a[0], a).sum()
        + np.trapezoid(a).sum()
        + np.ediff1d(a, to_begin=a[0]).sum()
        + np.unwrap(a).sum()
        + np.extract(a > 1, a).sum()
        + np.select((a > 1, a < 0.5), (a, a * 2)).sum()
        + np.gradient(a)[1].sum()
    )


@pytest.mark.parametrize("indices", [np.array([0, 5]), np.array([0, 99])], ids=["in_range", "out_of_range_raises"])
def test_leak_nothing(indices):
    a = np.arange(24.0).reshape(4, 6) / 7
    # The sums of the sum add in another order than NumPy's (pairwise).
    check_arrays(everything, a, indices, rel=1e-12)
    f = _COMPILED[everything]
    before = ferrojit._native.live_allocations()
    for _ in range(100):
        try:
            f(a, indices)
        except IndexError:
            pass
    assert ferrojit._native.live_allocations() == before


def trace_axis_out_of_range(a):
    return np.trace(a, axis1=5)


def take_axis_out_of_range(a):
    return np.take(a, 1, axis=1)


def clip_of_complex(a):
    return np.clip(a, 0, 1)


def gradient_with_coordinates(a):
    return np.gradient(a, a)


@pytest.mark.parametrize(
    "func, arg, message",
    [
        (trace_axis_out_of_range, np.ones((2, 2)), "axis 5 is out of bounds for array of dimension 2"),
        (take_axis_out_of_range, np.ones(3), "axis 1 is out of bounds for array of dimension 1"),
        (clip_of_complex, np.ones(2, complex), "`clip()` of complex numbers is not supported"),
        (gradient_with_coordinates, np.ones(3), "the spacing of `np.gradient()` must be one number"),
    ],
    ids=lambda v: v.__name__ if callable(v) else "",
)
def test_refused_when_compiling(func, arg, message):
    # Constant axes are checked when compiling; unsupported argument kinds are refused at the
    # call, with the user's line.
    with pytest.raises(CompileError, match=message.replace("(", r"\(").replace(")", r"\)")) as info:
        njit(func)(arg)
    assert "test_np_mathematics.py" in str(info.value)
