"""Array arguments shared by the test_arrays*.py modules: every dtype family, and views of every
layout (contiguous, strided, reversed, transposed, Fortran, empty, 0-d).

Every maker builds a fresh array on each call, so a test may write into what it gets."""
import numpy as np

BOOL = [np.bool_]
SIGNED = [np.int8, np.int16, np.int32, np.int64]
UNSIGNED = [np.uint8, np.uint16, np.uint32, np.uint64]
INTS = SIGNED + UNSIGNED
FLOATS = [np.float32, np.float64]
COMPLEXES = [np.complex64, np.complex128]
REALS = BOOL + INTS + FLOATS
ALL_DTYPES = REALS + COMPLEXES


def dtype_id(dt):
    return np.dtype(dt).name


def values(n, dtype):
    """`n` distinct-ish values of `dtype` (negative ones too where the dtype has them; wrapped
    modulo 2**bits for unsigned types, as astype does)."""
    base = np.arange(n, dtype=np.int64) * 37 - 100
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return np.arange(n) % 3 == 1
    if dt.kind in "iu":
        return base.astype(dt)
    if dt.kind == "f":
        return (base / 4).astype(dt)
    return (base / 4 + 1j * (np.arange(n) % 4 - 1.5)).astype(dt)


def extremes(dtype):
    """A 1-d array holding the extreme values of `dtype` (and NaN/inf/-0.0 for floats)."""
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return np.array([True, False])
    if dt.kind in "iu":
        info = np.iinfo(dt)
        return np.array([info.min, info.max, 0, 1, info.max - 1], dtype=dt)
    if dt.kind == "f":
        info = np.finfo(dt)
        return np.array([info.min, info.max, info.tiny, -0.0, np.inf, -np.inf, np.nan, info.eps], dtype=dt)
    f = np.finfo(dt)
    return np.array([complex(f.max, -f.max), complex(np.nan, 1.0), complex(-0.0, np.inf), f.eps * 1j], dtype=dt)


# name -> function(base 1-d array of 12 elements) -> 1-d view
VIEWS_1D = {
    "contiguous": lambda a: a,
    "inner_slice": lambda a: a[2:-3],
    "step2": lambda a: a[::2],
    "step3_offset": lambda a: a[1::3],
    "reversed": lambda a: a[::-1],
    "rev_step3": lambda a: a[-2::-3],
    "single": lambda a: a[4:5],
    "empty": lambda a: a[:0],
    "empty_reversed": lambda a: a[3:3:-1],
}

# name -> function(base 2-d C array of shape (4, 6)) -> 2-d array
VIEWS_2D = {
    "C": lambda m: m,
    "F": lambda m: np.asfortranarray(m),
    "T": lambda m: m.T,
    "cols_step2": lambda m: m[:, ::2],
    "rows_step2": lambda m: m[::2],
    "rows_reversed": lambda m: m[::-1],
    "both_reversed": lambda m: m[::-1, ::-1],
    "F_sub_reversed": lambda m: np.asfortranarray(m)[1:, ::-2],
    "T_reversed": lambda m: m.T[::-1],
    "one_row": lambda m: m[1:2],
    "one_col": lambda m: m[:, 2:3],
    "empty_3x0": lambda m: m[:3, :0],
    "empty_0x3": lambda m: m[:0, :3],
}


def make_1d(view, dtype=np.float64, n=12):
    return VIEWS_1D[view](values(n, dtype))


def make_2d(view, dtype=np.float64):
    return VIEWS_2D[view](values(24, dtype).reshape(4, 6))


def make_3d(dtype=np.float64, order="C"):
    return np.array(values(24, dtype).reshape(2, 3, 4), order=order)


def readonly(a):
    a.setflags(write=False)
    return a
