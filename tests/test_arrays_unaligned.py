"""Unaligned arrays: NumPy arrays whose elements do not sit at multiples of their natural
alignment (NumPy's ``ALIGNED`` flag unset), as ``np.frombuffer(buf, dtype, offset=1)``, pickle
protocol-5 buffers and Dask's workers hand them out.

They are accepted in place, never copied: their type is ``unaligned array(...)``, a signature
of its own, and compiled code loads and stores their elements with byte alignment. Every test
runs the compiled function on unaligned arrays and the plain Python function on aligned copies
(check_unaligned) or on an identical unaligned buffer (check_writes), and demands the same
results and the same bytes in memory afterwards."""
import gc
import io
import pickle

import numpy as np
import pytest

import ferrojit
from ferrojit import njit, types
from array_cases import dtype_id
from helpers import assert_same, assert_same_array, assert_same_value, clone_array, to_python

# Every dtype whose items are wider than one byte: only those can be unaligned.
WIDE_DTYPES = [
    np.int16, np.int32, np.int64, np.uint16, np.uint32, np.uint64,
    np.float32, np.float64, np.complex64, np.complex128,
]
# One of each element kind, for the functions that take longest to compile.
SOME_WIDE_DTYPES = [np.int16, np.uint64, np.float32, np.complex128]


def small_values(n, dtype):
    """`n` small values of `dtype` (exact in every dtype, sums of them too; non-negative for
    unsigned types, with fractions for floats and imaginary parts for complex)."""
    base = (np.arange(n) * 5) % 11 - (0 if np.dtype(dtype).kind == "u" else 4)
    kind = np.dtype(dtype).kind
    if kind in "iu":
        return base.astype(dtype)
    if kind == "f":
        return (base / 4).astype(dtype)
    return (base / 4 + 1j * (np.arange(n) % 3 - 1)).astype(dtype)


def unaligned_base(dtype, n=24):
    """(array, buffer): `n` small values of `dtype` in a bytearray, read with
    ``np.frombuffer(buffer, dtype, offset=1)``. A bytearray's storage is at least 8-byte aligned,
    so one byte in every element is misaligned."""
    itemsize = np.dtype(dtype).itemsize
    buf = bytearray(1 + n * itemsize)
    a = np.frombuffer(buf, dtype, offset=1)
    a[:] = small_values(n, dtype)
    assert not a.flags.aligned and a.flags.writeable
    return a, buf


# name -> function(unaligned 1-d array of 24 elements) -> a view of it, still unaligned
LAYOUTS_1D = {
    "C": lambda a: a[:12],
    "strided": lambda a: a[1::3],
    "reversed": lambda a: a[::-1],
    "reversed_step2": lambda a: a[-2::-2],
}

# name -> function(unaligned 1-d array of 24 elements) -> a 2-d view of it, still unaligned
LAYOUTS_2D = {
    "C": lambda a: a.reshape(4, 6),
    "F_reshape": lambda a: a.reshape((4, 6), order="F"),
    "F_transpose": lambda a: a.reshape(6, 4).T,
    "cols_step2": lambda a: a.reshape(4, 6)[:, ::2],
    "rows_step2": lambda a: a.reshape(4, 6)[::2],
    "negative_strides": lambda a: a.reshape(4, 6)[::-1, ::-2],
    "T_reversed": lambda a: a.reshape(4, 6).T[::-1],
}

CASES_1D = [pytest.param(dt, name, id=f"{dtype_id(dt)}-{name}") for dt in WIDE_DTYPES for name in LAYOUTS_1D]
CASES_2D = [pytest.param(dt, name, id=f"{dtype_id(dt)}-{name}") for dt in WIDE_DTYPES for name in LAYOUTS_2D]


def make_1d(dtype, name):
    a, _ = unaligned_base(dtype)
    view = LAYOUTS_1D[name](a)
    assert not view.flags.aligned
    return view


def make_2d(dtype, name):
    a, _ = unaligned_base(dtype)
    view = LAYOUTS_2D[name](a)
    assert not view.flags.aligned
    return view


_DISPATCHERS = {}


def compiled(pyfunc):
    """One dispatcher per function for the whole module: rows whose arrays have the same type
    (other strides, other data) run the code compiled for the first, which keeps this long
    table quick."""
    if pyfunc not in _DISPATCHERS:
        _DISPATCHERS[pyfunc] = njit(pyfunc)
    return _DISPATCHERS[pyfunc]


def check_unaligned(pyfunc, *args):
    """helpers.check_arrays with the module's dispatcher of `pyfunc`: the compiled function on
    `args` as given, the Python one on aligned copies; the same results (type, dtype, shape,
    values) and the same array arguments afterwards. Returns the compiled result."""
    py_args = tuple(clone_array(a) if isinstance(a, np.ndarray) else a for a in args)
    assert all(a.flags.aligned for a in py_args if isinstance(a, np.ndarray))
    with np.errstate(all="ignore"):
        expected = to_python(pyfunc(*py_args))
    got = compiled(pyfunc)(*args)
    assert_same_value(got, expected)
    for i, (a, p) in enumerate(zip(args, py_args)):
        if isinstance(a, np.ndarray):
            assert_same_array(a, p, where=f"argument {i} after the call")
    return got


def layout_of(a):
    if a.flags.c_contiguous:
        return "C"
    if a.flags.f_contiguous:
        return "F"
    return "A"


# --- the type: `unaligned array(...)`, a signature of its own --------------------------------------

def first_item_1d(a):
    return a[0]


def first_item_2d(a):
    return a[0, 0]


def check_signature(func, a):
    f = njit(func)
    assert_same(f(a), a.flat[0].item())
    expected = f"unaligned array({np.dtype(a.dtype).name}, {a.ndim}d, {layout_of(a)})"
    assert [str(t) for sig in f.signatures for t in sig] == [expected]
    assert f.signatures == [(types.Array(getattr(types, a.dtype.name), a.ndim, layout_of(a), aligned=False),)]


@pytest.mark.parametrize("dtype, name", CASES_1D)
def test_signature_1d(dtype, name):
    check_signature(first_item_1d, make_1d(dtype, name))


@pytest.mark.parametrize("dtype, name", CASES_2D)
def test_signature_2d(dtype, name):
    check_signature(first_item_2d, make_2d(dtype, name))


def test_aligned_and_unaligned_compile_separately():
    f = njit(first_item_1d)
    unaligned, _ = unaligned_base(np.float64)
    aligned = np.array(unaligned)
    assert_same(f(aligned), float(aligned[0]))
    assert_same(f(unaligned), float(aligned[0]))
    assert [str(sig[0]) for sig in f.signatures] == ["array(float64, 1d, C)", "unaligned array(float64, 1d, C)"]


def test_readonly_unaligned_array():
    data = bytes(1) + small_values(6, np.float64).tobytes()
    a = np.frombuffer(data, np.float64, offset=1)
    assert not a.flags.aligned and not a.flags.writeable
    f = njit(sum_loop_1d)
    assert_same(f(a), float(a.sum()))
    assert [str(sig[0]) for sig in f.signatures] == ["unaligned readonly array(float64, 1d, C)"]


# --- reading ---------------------------------------------------------------------------------------

# The accumulators start as the element type's zero (`a[0] * 0`), not as `0`: a Python int in a
# variable is int64 here (Numba's rule), which makes `uint64 + int64` float64 (NumPy 2's rule),
# while in Python the `0` is weak and the sum stays uint64. That rule is tested in
# test_small_int_ops.py; these tests are about reading unaligned memory.
def sum_loop_1d(a):
    t = a[0] * 0
    for i in range(a.shape[0]):
        t += a[i]
    return t


def sum_loop_2d(a):
    t = a[0, 0] * 0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            t += a[i, j]
    return t


def iterate_1d(a):
    t = a[0] * 0
    for x in a:
        t += x
    return t


def items_1d(a):
    n = len(a)
    return a[0], a[-1], a[n // 2], a[n - 2]


def items_2d(a):
    return a[0, 0], a[-1, -1], a[1, 2], a[-1][1], a[-2, 0]


def methods(a):
    return a.sum(), a.copy(), a.ravel(), a.flatten(), a.size


def real_methods(a):
    return a.min(), a.max(), a.mean(), a.astype(np.float64)


@pytest.mark.parametrize("dtype, name", CASES_1D)
@pytest.mark.parametrize("func", [sum_loop_1d, iterate_1d, items_1d, methods], ids=lambda f: f.__name__)
def test_read_1d(func, dtype, name):
    check_unaligned(func, make_1d(dtype, name))


@pytest.mark.parametrize("dtype, name", CASES_2D)
@pytest.mark.parametrize("func", [sum_loop_2d, items_2d], ids=lambda f: f.__name__)
def test_read_2d(func, dtype, name):
    check_unaligned(func, make_2d(dtype, name))


@pytest.mark.parametrize("dtype", SOME_WIDE_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("name", list(LAYOUTS_2D))
def test_methods_2d(dtype, name):
    check_unaligned(methods, make_2d(dtype, name))


@pytest.mark.parametrize("dtype", [dt for dt in SOME_WIDE_DTYPES if np.dtype(dt).kind != "c"], ids=dtype_id)
@pytest.mark.parametrize("name", ["C", "negative_strides", "F_transpose"])
def test_reductions_of_reals(dtype, name):
    check_unaligned(real_methods, make_2d(dtype, name))


# --- writing: the buffer itself changes, exactly where NumPy would change it -------------------------

def write_items_1d(a):
    for i in range(a.shape[0]):
        a[i] = a[i] * 2 + i


def write_items_2d(a):
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j] = a[i, j] * 3 + 1


def write_slices_1d(a):
    a[::2] = 7
    a[-2:] = a[0] + 1


def write_fill(a):
    a.fill(5)


def write_through_views_2d(a):
    v = a.T[1:, ::-1]
    for i in range(v.shape[0]):
        v[i, 0] = i + 1
    a[0] = 9


WRITERS_1D = [write_items_1d, write_slices_1d, write_fill]
WRITERS_2D = [write_items_2d, write_fill, write_through_views_2d]


def check_writes(func, layout, dtype):
    """Runs `func` compiled on an unaligned view of one buffer and as Python on the same view of
    an identical buffer; the two buffers must end up byte for byte the same, and changed."""
    compiled_base, compiled_buf = unaligned_base(dtype)
    python_base, python_buf = unaligned_base(dtype)
    before = bytes(compiled_buf)
    compiled(func)(layout(compiled_base))
    with np.errstate(all="ignore"):
        func(layout(python_base))
    assert bytes(python_buf) != before, "test case bug: the Python run changed nothing"
    assert bytes(compiled_buf) == bytes(python_buf)


@pytest.mark.parametrize("dtype, name", CASES_1D)
@pytest.mark.parametrize("func", WRITERS_1D, ids=lambda f: f.__name__)
def test_write_1d(func, dtype, name):
    check_writes(func, LAYOUTS_1D[name], dtype)


@pytest.mark.parametrize("dtype, name", CASES_2D)
@pytest.mark.parametrize("func", WRITERS_2D, ids=lambda f: f.__name__)
def test_write_2d(func, dtype, name):
    check_writes(func, LAYOUTS_2D[name], dtype)


def copy_between(dst, src):
    for i in range(dst.shape[0]):
        dst[i] = src[i] + src[-1 - i]


@pytest.mark.parametrize("dtype", WIDE_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("aligned_side", ["src", "dst", "neither"])
def test_copy_between_aligned_and_unaligned(dtype, aligned_side):
    dst, _ = unaligned_base(dtype, 10)
    src, _ = unaligned_base(dtype, 10)
    src[:] = src[::-1].copy()
    if aligned_side == "src":
        src = np.array(src)
    elif aligned_side == "dst":
        dst = np.array(dst)
    check_unaligned(copy_between, dst, src)


# --- views made in compiled code stay unaligned; new arrays are aligned ---------------------------

def view_sums(a):
    v = a[1::2]
    w = v[::-1]
    e = a[3:3]
    t = w[0] * 0
    for i in range(w.shape[0]):
        t += w[i]
    for i in range(e.shape[0]):
        t += e[i]
    return t, w, e, len(e)


def reshape_and_transpose(a):
    m = a.reshape(3, 4)
    return m.T, m.T[::-1, 1], m.ravel()


def new_arrays(a):
    out = np.zeros(a.shape[0], a.dtype)
    for i in range(a.shape[0]):
        out[i] = a[i]
    return out, a.copy()


@pytest.mark.parametrize("dtype, name", CASES_1D)
@pytest.mark.parametrize("func", [view_sums, new_arrays], ids=lambda f: f.__name__)
def test_views_and_new_arrays_1d(func, dtype, name):
    check_unaligned(func, make_1d(dtype, name))


@pytest.mark.parametrize("dtype", WIDE_DTYPES, ids=dtype_id)
def test_reshape_and_transpose(dtype):
    check_unaligned(reshape_and_transpose, make_1d(dtype, "C"))


def view_types(a):
    v = a[1:]
    t = a.T
    n = a.copy()
    return v[0] + t[0] + n[0]


def test_types_of_views_and_new_arrays():
    f = njit(view_types)
    a = make_1d(np.float64, "C")
    f(a)
    out = io.StringIO()
    f.inspect_types(file=out)
    text = out.getvalue()
    assert "v: unaligned array(float64, 1d, C)" in text
    assert "t: unaligned array(float64, 1d, C)" in text
    assert "n: array(float64, 1d, C)" in text


def pick(a, b, first):
    if first:
        x = a
    else:
        x = b
    t = 0.0
    for i in range(x.shape[0]):
        t += x[i]
    return t


@pytest.mark.parametrize("first", [True, False])
def test_unification_with_unaligned_is_unaligned(first):
    unaligned = make_1d(np.float64, "C")
    aligned = np.arange(5.0)
    f = njit(pick)
    assert_same(f(aligned, unaligned, first), float((aligned if first else unaligned).sum()))
    out = io.StringIO()
    f.inspect_types(file=out)
    assert "x: unaligned array(float64, 1d, C)" in out.getvalue()


# --- returning unaligned arrays and views: values, aliasing, lifetime ---------------------------

def return_same(a):
    return a


def return_view(a):
    return a[1:][::-1]


def return_transposed_view(a):
    return a.T[::-1]


RETURNS = [
    pytest.param(return_same, "C", id="same"),
    pytest.param(return_view, "C", id="view_1d"),
    pytest.param(return_view, "strided", id="view_of_strided"),
    pytest.param(return_same, "reversed", id="same_reversed"),
]


@pytest.mark.parametrize("dtype", WIDE_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("func, name", RETURNS)
def test_returned_views_alias_and_keep_the_buffer_alive(func, name, dtype):
    a = make_1d(dtype, name)
    expected = func(np.array(a))
    got = compiled(func)(a)
    assert_same_array(got, expected)
    assert np.shares_memory(got, a)
    assert not got.flags.aligned
    got[0] = 3
    assert func(a)[0] == 3, "a write through the returned view reaches the argument"
    kept = got.copy()
    del a
    gc.collect()
    # The argument and the bytearray are gone from here; the result's base chain holds them.
    filler = [bytearray(len(kept.tobytes()) + 1) for _ in range(8)]
    assert_same_array(got, kept)
    del filler


def empty_views_2d(a):
    rows = a[:0]
    cols = a[:, 2:2]
    cols.fill(1)
    return rows, cols.T, rows.shape, cols.size


@pytest.mark.parametrize("dtype", WIDE_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("name", list(LAYOUTS_2D))
def test_returned_2d_views(dtype, name):
    a = make_2d(dtype, name)
    got = check_unaligned(return_transposed_view, a)
    assert np.shares_memory(got, a)
    check_unaligned(empty_views_2d, a)


# --- pickle protocol 5: out-of-band buffers land wherever the receiver puts them -------------------

def unpickled_unaligned(values):
    """`values` through pickle protocol 5 with its buffer received at an odd address."""
    buffers = []
    data = pickle.dumps(values, protocol=5, buffer_callback=buffers.append)
    (buffer,) = buffers
    raw = buffer.raw()
    landing = bytearray(1 + raw.nbytes)
    landing[1:] = raw
    out = pickle.loads(data, buffers=[memoryview(landing)[1:]])
    assert not out.flags.aligned
    return out


@pytest.mark.parametrize("dtype", WIDE_DTYPES, ids=dtype_id)
@pytest.mark.parametrize("order", ["C", "F"])
def test_pickle_protocol_5_round_trip(dtype, order):
    values = np.array(small_values(24, dtype).reshape(4, 6), order=order)
    a = unpickled_unaligned(values)
    assert_same_array(a, values)
    check_unaligned(sum_loop_2d, a)
    check_unaligned(write_items_2d, a)
    f = njit(first_item_2d)
    f(a)
    assert str(f.signatures[0][0]) == f"unaligned array({np.dtype(dtype).name}, 2d, {order})"


# --- eager signatures -----------------------------------------------------------------------------

def test_declared_aligned_signature_compiles_once_more_for_unaligned_arrays():
    f = njit("float64(float64[:])")(sum_loop_1d)
    a = make_1d(np.float64, "strided")
    assert_same(f(a), float(a.sum()))
    assert_same(f(a[::-1]), float(a.sum()))
    assert_same(f(np.array(a)), float(a.sum()))
    assert [str(sig[0]) for sig in f.signatures] == ["array(float64, 1d, A)", "unaligned array(float64, 1d, A)"]


def test_declared_unaligned_signature_takes_both():
    f = njit(types.float64(types.Array(types.float64, 1, "C", aligned=False)))(sum_loop_1d)
    a = make_1d(np.float64, "C")
    assert_same(f(a), float(a.sum()))
    assert_same(f(np.array(a)), float(a.sum()))
    assert [str(sig[0]) for sig in f.signatures] == ["unaligned array(float64, 1d, C)"]
    with pytest.raises(TypeError, match="argument `a`: .* matches none of the declared signatures"):
        f(make_1d(np.float64, "strided"))


def test_declared_signature_returning_a_view_of_an_unaligned_argument():
    f = njit("float64[:](float64[::1])")(return_view)
    a = make_1d(np.float64, "C")
    got = f(a)
    assert_same_array(got, return_view(np.array(a)))
    assert np.shares_memory(got, a)


def test_declared_signature_still_rejects_other_types():
    f = njit("float64(float64[:])")(sum_loop_1d)
    with pytest.raises(TypeError, match=r"argument `a`: an `unaligned array\(float32, 1d, C\)` value matches none of the declared signatures"):
        f(make_1d(np.float32, "C"))


def takes_two(a, b):
    pass


def test_signature_strings_parse_unaligned():
    f = njit("void(unaligned float64[:], unaligned readonly array(int32, 2d, F))")(takes_two)
    assert [str(t) for t in f.signatures[0]] == ["unaligned array(float64, 1d, A)", "unaligned readonly array(int32, 2d, F)"]


# --- code: byte-aligned accesses for unaligned arrays only -----------------------------------------

def test_llvm_alignment_of_element_accesses():
    f = njit(write_items_1d)
    f(np.arange(8.0))
    f(make_1d(np.float64, "C"))
    llvm = f.inspect_llvm()
    aligned = llvm[(types.Array(types.float64, 1, "C"),)]
    unaligned = llvm[(types.Array(types.float64, 1, "C", aligned=False),)]
    for text, align in [(aligned, "align 8"), (unaligned, "align 1")]:
        accesses = [line for line in text.splitlines() if ("load double" in line or "store double" in line) and "ptr %" in line]
        assert accesses, "the function reads and writes doubles"
        assert all(line.rstrip().endswith(align) for line in accesses), accesses


# --- globals: frozen as an aligned copy ----------------------------------------------------------

UNALIGNED_GLOBAL = make_1d(np.int32, "strided")


def read_global():
    t = 0
    for i in range(UNALIGNED_GLOBAL.shape[0]):
        t += UNALIGNED_GLOBAL[i]
    return t


def test_unaligned_global_array():
    check_unaligned(read_global)


# --- Dask: workers receive unaligned arrays ---------------------------------------------------------

def test_dask_local_cluster_map():
    pytest.importorskip("dask", reason="dask is not installed (`make test` installs it)")
    distributed = pytest.importorskip("distributed", reason="dask's distributed is not installed (`make test` installs it)")
    import dask_kernels

    # Sizes and dtypes among which Dask's workers receive some buffers at odd offsets.
    arrays = [(np.arange(n) % 1000).astype(dt) for n in (10, 1000, 100000) for dt in (np.float64, np.int16, np.complex128)]
    with distributed.LocalCluster(
        processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        totals = client.gather(client.map(dask_kernels.total, arrays, pure=False))
        doubled = client.gather(client.map(dask_kernels.doubled_plus_index, arrays, pure=False))
        compiled = set().union(*client.run(dask_kernels.compiled_signatures).values())
    for a, t, d in zip(arrays, totals, doubled):
        assert_same(t, ferrojit_total_of(a))
        assert_same_array(d, (a * 2 + np.arange(a.size)).astype(a.dtype))
    assert any(s.startswith("(unaligned array(") for s in compiled), compiled


def ferrojit_total_of(a):
    """What `total` returns: an int for integers, a float or complex otherwise."""
    value = a.sum(dtype=np.int64 if a.dtype.kind in "iu" else a.dtype)
    return {"i": int, "u": int, "f": float, "c": complex}[a.dtype.kind](value)
