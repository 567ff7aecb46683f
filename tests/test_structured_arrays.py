"""Structured (record) arrays: fields read and written by name (`a['x']`, `a[i].x`,
`a[i]['x']`), records as NumPy's `np.void` views, structured dtypes as globals; differential
against NumPy over field types, packed and aligned layouts and array layouts."""

import gc

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from helpers import assert_same_array, assert_same_value, check_arrays, to_python

NUMBER_CODES = ["?", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f4", "f8", "c8", "c16"]

# A field of each number type after a one-byte field, packed (unaligned fields) and padded as a
# C struct (align=True).
DTYPES = {
    "packed": np.dtype([("flag", "?"), ("x", "f8"), ("n", "i4"), ("z", "c16"), ("small", "u1")]),
    "aligned": np.dtype([("flag", "?"), ("x", "f8"), ("n", "i4"), ("z", "c16"), ("small", "u1")], align=True),
    "one-field": np.dtype([("x", "f8")]),
    "every-type": np.dtype([(f"f{i}", code) for i, code in enumerate(NUMBER_CODES)]),
}


def filled(dtype, shape):
    """An array of `dtype` whose every field holds distinct values (by position)."""
    a = np.zeros(shape, dtype)
    count = int(np.prod(shape))
    for k, name in enumerate(dtype.names):
        values = (np.arange(count) * 3 + k) % 7 - 2
        field = dtype.fields[name][0]
        if field.kind == "b":
            values = values > 0
        elif field.kind == "u":
            values = np.abs(values)
        elif field.kind in "fc":
            values = values * 1.5
        if field.kind == "c":
            values = values + 1j * (values - 1)
        a[name] = np.asarray(values).astype(field).reshape(shape)
    return a


def layouts(dtype):
    """Record arrays in every layout: C, strided, negative strides, 2-d C and F, empty."""
    base = filled(dtype, (8,))
    grid = filled(dtype, (3, 4))
    return {
        "C": base,
        "strided": base[::2],
        "reversed": base[::-1],
        "2d-C": grid,
        "2d-F": np.asfortranarray(grid),
        "empty": base[:0],
    }


CASES = [(d, l) for d in DTYPES for l in layouts(DTYPES[d])]


def array_for(dtype_name, layout):
    return layouts(DTYPES[dtype_name])[layout]


def field_x(a):
    return a[a.dtype.names[1] if len(a.dtype.names) > 1 else "x"]


def read_field(a):
    return a["x"]


def read_every_field(a):
    return a["flag"], a["x"], a["n"], a["z"], a["small"]


def field_arithmetic(a):
    return a["x"] * 2 + a["n"], a["z"].real.sum()


def sum_through_records(a):
    total = 0.0
    for i in range(a.shape[0]):
        total += a[i]["x"] * a[i]["n"]
    return total


def sum_by_iteration(a):
    total = 0
    for r in a:
        total += r["n"]
    return total


def write_records(a):
    for i in range(a.shape[0]):
        a[i]["x"] = i * 10.0
        a[i]["n"] = -i
        a[i]["flag"] = i % 2 == 0


# The same with fields as attributes of a record, as Numba (and NumPy's `np.record`, not its
# `np.void`) allows: compared with the subscript forms above.
def sum_through_records_by_attribute(a):
    total = 0.0
    for i in range(a.shape[0]):
        total += a[i].x * a[i].n
    return total


def sum_by_iteration_by_attribute(a):
    total = 0
    for r in a:
        total += r.n
    return total


def write_records_by_attribute(a):
    for i in range(a.shape[0]):
        a[i].x = i * 10.0
        a[i].n = -i
        a[i].flag = i % 2 == 0


def write_fields(a):
    a["z"] = 2 + 3j
    a["small"] = np.arange(a.shape[0])
    a["x"][1:] += 1.5


def record_of(a, i):
    return a[i]


def copy_of(a):
    return a.copy()


@pytest.mark.parametrize("layout", list(layouts(DTYPES["packed"])))
@pytest.mark.parametrize("dtype_name", ["packed", "aligned"])
@pytest.mark.parametrize("func", [read_field, read_every_field, field_arithmetic, copy_of])
def test_whole_fields_as_numpy(func, dtype_name, layout):
    check_arrays(func, array_for(dtype_name, layout))


@pytest.mark.parametrize("layout", ["C", "strided", "reversed", "empty"])
@pytest.mark.parametrize("dtype_name", ["packed", "aligned"])
@pytest.mark.parametrize("func", [sum_through_records, sum_by_iteration, write_records, write_fields])
def test_records_of_one_dimensional_arrays(func, dtype_name, layout):
    check_arrays(func, array_for(dtype_name, layout))


@pytest.mark.parametrize("by_attribute, by_subscript", [
    (sum_through_records_by_attribute, sum_through_records),
    (sum_by_iteration_by_attribute, sum_by_iteration),
    (write_records_by_attribute, write_records),
])
@pytest.mark.parametrize("layout", ["C", "reversed"])
def test_fields_as_attributes_of_records(by_attribute, by_subscript, layout):
    a = array_for("packed", layout)
    expected_array = a.copy()
    expected = by_subscript(expected_array)
    got = ferrojit.njit(by_attribute)(a)
    assert_same_value(got, to_python(expected))
    assert_same_array(a, expected_array)


@pytest.mark.parametrize("code", NUMBER_CODES)
def test_every_field_type_reads_and_writes(code):
    def roundtrip(a):
        b = a.copy()
        for i in range(a.shape[0]):
            b[i]["f0"] = a[a.shape[0] - 1 - i]["f0"]
        return b, a["f0"], a[1]["f0"]

    dtype = np.dtype([("pad", "u1"), ("f0", code)])
    a = filled(dtype, (5,))
    check_arrays(roundtrip, a)


def test_fields_of_two_dimensional_records():
    def by_index(a):
        total = 0.0
        for i in range(a.shape[0]):
            for j in range(a.shape[1]):
                total += a[i, j]["x"] - a[i, j]["n"]
                a[i, j]["n"] = i * 10 + j
        return total

    for layout in ("2d-C", "2d-F"):
        check_arrays(by_index, array_for("packed", layout))


def test_a_record_is_a_view_of_the_array_as_numpy_void():
    a = filled(DTYPES["packed"], (4,))
    got = ferrojit.njit(record_of)(a, 2)
    expected = a[2]
    assert type(got) is np.void and got.dtype == expected.dtype
    assert got.tolist() == expected.tolist()
    got["x"] = 99.0
    assert a["x"][2] == 99.0


def test_a_field_is_a_view_sharing_memory():
    a = filled(DTYPES["aligned"], (6,))
    got = ferrojit.njit(read_field)(a)
    assert np.shares_memory(got, a)
    assert got.flags.aligned == a["x"].flags.aligned
    assert got.strides == a["x"].strides


GLOBAL_DTYPE = np.dtype([("x", "f8"), ("n", "i4")], align=True)


@ferrojit.njit
def make_records(n):
    a = np.empty(n, dtype=GLOBAL_DTYPE)
    for i in range(n):
        a[i].x = i / 2
        a[i].n = i
    return a, a[n - 1], a["x"]


def test_structured_dtype_global_makes_new_arrays():
    a, last, xs = make_records(3)
    assert a.dtype == GLOBAL_DTYPE
    assert a.tolist() == [(0.0, 0), (0.5, 1), (1.0, 2)]
    assert last.tolist() == (1.0, 2) and np.shares_memory(xs, a)


def test_records_made_in_compiled_code_are_freed():
    make_records(5)
    gc.collect()
    live = _native.live_allocations()
    for _ in range(5_000):
        a, last, xs = make_records(5)
    del a, last, xs
    gc.collect()
    assert _native.live_allocations() == live


def unknown_field(a):
    return a["zz"]


def field_as_attribute_of_array(a):
    return a.x


def unknown_attribute_of_record(a):
    return a[0].zz


@pytest.mark.parametrize("body, message", [
    (unknown_field, "no field of name zz"),
    (field_as_attribute_of_array, "an array has no attribute `x`"),
    (unknown_attribute_of_record, "no field of name zz"),
])
def test_bad_field_names_are_typing_errors(body, message):
    with pytest.raises(ferrojit.errors.TypingError, match=message):
        ferrojit.njit(body)(filled(DTYPES["packed"], (3,)))


def test_writing_a_read_only_record_array_is_a_typing_error():
    a = filled(DTYPES["packed"], (3,))
    a.setflags(write=False)
    with pytest.raises(ferrojit.errors.TypingError, match="read-only"):
        ferrojit.njit(write_records)(a)


@pytest.mark.parametrize("dtype, message", [
    (np.dtype([("x", "f8", (3,))]), "sub-array"),
    (np.dtype([("inner", [("x", "f8")])]), "nested structure"),
    (np.dtype([("x y", "f8")]), "ASCII letters"),
    (np.dtype([("s", "U3")]), "fields must be"),
    (np.dtype([("x", ">f8")]), "fields must be"),
])
def test_unsupported_structured_dtypes_are_refused_clearly(dtype, message):
    with pytest.raises(TypeError, match=message):
        ferrojit.njit(read_field)(np.zeros(2, dtype))


def zeros_and_ones(n):
    return np.zeros(n, GLOBAL_DTYPE), np.ones((2, n), dtype=GLOBAL_DTYPE, order="F")


def filled_with(a, v):
    a.fill(v)
    b = a.copy()
    b[...] = 7
    return a, b, np.zeros_like(a)


@pytest.mark.parametrize("n", [0, 1, 4])
def test_zeros_ones_of_structured_dtypes(n):
    check_arrays(zeros_and_ones, n)
    got = ferrojit.njit(zeros_and_ones)(n)[0]
    # The padding between fields is zeroed too, as NumPy's `np.zeros`.
    assert got.tobytes() == np.zeros(n, GLOBAL_DTYPE).tobytes()


@pytest.mark.parametrize("dtype_name", ["packed", "aligned", "every-type"])
# An integer argument is int64 in compiled code (README, "Typing rules"), so NumPy gets it as
# np.int64, whose -3 wraps into a uint8 field (a Python int -3 would be refused by NEP 50).
@pytest.mark.parametrize("value", [0, 2.5, True, np.int64(-3)], ids=repr)
def test_filling_records_sets_every_field(dtype_name, value):
    check_arrays(filled_with, filled(DTYPES[dtype_name], (5,)), value)


def truth_of_records(a):
    return bool(a[0]), bool(a[1]), bool(a[2])


def test_truth_of_a_record_is_any_field_nonzero():
    a = np.zeros(3, DTYPES["packed"])
    a["x"][1] = -0.0
    a["small"][2] = 3
    check_arrays(truth_of_records, a)


@pytest.mark.parametrize("body, message", [
    ("print(a[0])", "printing a"),
    ("return a.item()", "structured array"),
    ("return a.astype(np.float64)", "converting an array"),
    ("return a.sum()", "is not supported yet"),
    ("return np.concatenate((a, a))", "joining structured"),
    ("return np.stack((a, a))", "joining structured"),
])
def test_unsupported_uses_of_records_are_clear_errors(tmp_path, body, message):
    from helpers import import_written_module
    module = import_written_module(tmp_path, "record_misuse", f"import numpy as np\n\n\ndef f(a):\n    {body}\n")
    with pytest.raises(ferrojit.errors.UnsupportedError, match=message):
        ferrojit.njit(module.f)(filled(DTYPES["packed"], (3,)))
