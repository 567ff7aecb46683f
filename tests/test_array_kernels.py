"""Whole kernels over arrays, as users write them (the shapes of bench/kernels_arrays.py), against
the same code run by CPython: a Lennard-Jones energy that passes rows ``x[i]`` of a 2-d array to
another compiled function inside a double loop, and a direct convolution, a 7-deep loop nest
over 4-d arrays. Each runs on C, F, strided and reversed inputs, with and without bounds
checking; both compute in the order CPython does, so results must be identical, bit for bit.
Passing views to compiled functions must leave the argument's reference count as it was."""
import sys
import types

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from helpers import assert_same, check_arrays, to_python


@ferrojit.njit
def lj_pair_energy(a, b):
    r2 = 0.0
    for k in range(a.shape[0]):
        d = a[k] - b[k]
        r2 += d * d
    inv6 = 1.0 / (r2 * r2 * r2)
    return 4.0 * (inv6 * inv6 - inv6)


def lj_energy(x):
    n = x.shape[0]
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            e += lj_pair_energy(x[i], x[j])
    return e


def lj_energy_rows_hoisted(x):
    n = x.shape[0]
    e = 0.0
    for i in range(n):
        xi = x[i]
        for j in range(i + 1, n):
            e += lj_pair_energy(xi, x[j, :])
    return e


def conv2d_nchw(inp, w):
    nb, nc, h, wd = inp.shape
    nco, nci, kh, kw = w.shape
    out = np.zeros((nb, nco, h - kh + 1, wd - kw + 1))
    for n in range(nb):
        for co in range(nco):
            for y in range(h - kh + 1):
                for x in range(wd - kw + 1):
                    for ci in range(nci):
                        for ky in range(kh):
                            for kx in range(kw):
                                out[n, co, y, x] += inp[n, ci, y + ky, x + kx] * w[co, ci, ky, kx]
    return out


def as_plain_python(kernel):
    """``kernel`` with its compiled helper replaced by the helper's plain Python function: the
    reference runs entirely in CPython."""
    plain_globals = dict(kernel.__globals__, lj_pair_energy=lj_pair_energy.py_func)
    return types.FunctionType(kernel.__code__, plain_globals, kernel.__name__)


def particles(n, columns=3):
    """``n`` particles on a jittered cubic lattice (no two closer than ~1)."""
    side = max(1, round(n ** (1 / 3)) + 1)
    grid = np.indices((side, side, side)).reshape(3, -1).T[:n].astype(np.float64)
    coords = grid * 1.12 + np.random.default_rng(7).uniform(-0.05, 0.05, grid.shape)
    return np.hstack([coords, np.zeros((n, columns - 3))]) if columns > 3 else coords[:, :columns]


# name -> positions (n x 3 unless said), in the layouts a caller may pass
LJ_INPUTS = {
    "C": lambda: particles(20),
    "F": lambda: np.asfortranarray(particles(20)),
    "rows_step2": lambda: particles(40)[::2],
    "cols_step2": lambda: np.repeat(particles(20), 2, axis=1)[:, ::2],
    "rows_reversed": lambda: particles(20)[::-1],
    "both_reversed": lambda: particles(20)[::-1, ::-1],
    "transposed_3xn": lambda: np.ascontiguousarray(particles(20).T).T,
    "four_columns": lambda: particles(15, columns=4),
    "two_columns": lambda: particles(15, columns=2),
    "one_particle": lambda: particles(1),
    "no_particles": lambda: np.zeros((0, 3)),
}


@pytest.mark.parametrize("kernel", [lj_energy, lj_energy_rows_hoisted], ids=lambda f: f.__name__)
@pytest.mark.parametrize("boundscheck", [False, True], ids=["unchecked", "boundscheck"])
@pytest.mark.parametrize("layout", list(LJ_INPUTS))
def test_lj_energy_matches_cpython(kernel, boundscheck, layout):
    x = LJ_INPUTS[layout]()
    expected = to_python(as_plain_python(kernel)(x.copy(order="K")))
    got = ferrojit.njit(boundscheck=boundscheck)(kernel)(x)
    assert_same(got, expected)


def lj_energy_of_copy(x):
    # Rows of an array the compiled code owns (a counted allocation, not a borrowed argument),
    # read through a reversed view of it.
    y = x.copy()[::-1]
    n = y.shape[0]
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            e += lj_pair_energy(y[i], y[j])
    return e


@pytest.mark.parametrize("kernel", [lj_energy, lj_energy_rows_hoisted, lj_energy_of_copy],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("layout", ["C", "F", "rows_reversed", "cols_step2"])
def test_lj_rows_passed_to_compiled_function_leave_counts_unchanged(kernel, layout):
    """Neither the argument's Python reference count nor ferrojit's live allocations move over
    many calls; the last result is still CPython's."""
    x = LJ_INPUTS[layout]()
    compiled = ferrojit.njit(kernel)
    compiled(x)

    def counts():
        base = sys.getrefcount(x.base) if x.base is not None else None
        return sys.getrefcount(x), base, _native.live_allocations()

    before = counts()
    for _ in range(300):
        got = compiled(x)
    assert counts() == before
    assert_same(got, to_python(as_plain_python(kernel)(x.copy(order="K"))))


def _conv_case(nb, nc, h, wd, nco, kh, kw):
    rng = np.random.default_rng(11)
    return rng.standard_normal((nb, nc, h, wd)), rng.standard_normal((nco, nc, kh, kw))


# name -> (inp, w), in the layouts a caller may pass
CONV_INPUTS = {
    "C": lambda: _conv_case(2, 3, 7, 6, 4, 3, 3),
    "F": lambda: tuple(np.asfortranarray(a) for a in _conv_case(2, 3, 7, 6, 4, 3, 3)),
    "inp_width_step2": lambda: (_conv_case(2, 3, 7, 12, 4, 3, 3)[0][..., ::2], _conv_case(2, 3, 7, 6, 4, 3, 3)[1]),
    "inp_reversed": lambda: (lambda i, w: (i[:, :, ::-1, ::-1], w))(*_conv_case(2, 3, 7, 6, 4, 3, 3)),
    "w_channels_swapped": lambda: (lambda i, w: (i, np.ascontiguousarray(w.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3)))(
        *_conv_case(2, 3, 7, 6, 4, 3, 3)),
    "kernel_1x1": lambda: _conv_case(1, 5, 4, 4, 3, 1, 1),
    "kernel_wide_5x2": lambda: _conv_case(1, 2, 8, 9, 2, 5, 2),
    "kernel_as_large_as_image": lambda: _conv_case(2, 2, 3, 4, 3, 3, 4),
    "empty_batch": lambda: _conv_case(0, 3, 7, 6, 4, 3, 3),
}


@pytest.mark.parametrize("boundscheck", [False, True], ids=["unchecked", "boundscheck"])
@pytest.mark.parametrize("layout", list(CONV_INPUTS))
def test_conv2d_nchw_matches_cpython(boundscheck, layout):
    inp, w = CONV_INPUTS[layout]()
    check_arrays(conv2d_nchw, inp, w, options={"boundscheck": boundscheck})
