"""The library's work on the thread pool, for callers compiled with ``parallel=True`` (Numba
parallelises reductions, ``argmin``/``argmax`` and array creation there).

A library function with a parallel implementation registers its typing function with
``_sees_caller_parallel=True`` (and is listed in ``SEE_CALLER_PARALLEL``): called from a
function compiled with ``parallel=True``, the typing function is given
``_caller_parallel=True`` and returns an implementation that hands its independent pieces of
work to a :func:`runner`, compiled with ``parallel=True``. Callers compiled without it get the
serial implementations, and compile none of this.

Whether the pool runs is decided when the call runs, as for the compiler's whole-array maps
(``parallel_array_chunks``, the runtime's ``ferrojit_rt_parallel_array_chunks``): below
``2**20`` elements (``ARRAY_THRESHOLD``), with one thread, or inside a ``prange`` loop, the
work runs in one piece on the calling thread, so small calls pay one runtime call. Each piece
is a contiguous run of the work's parts, in order, each part computed by the serial code:
results that do not depend on how the work is cut are the serial results bit for bit.
"""

import numpy as np

from .. import prange
from ..extending import _parallel_implementation, overload, register_jitable
from . import parallel_array_chunks


def runner(work, parallel=True):
    """The function ``(args, size, count)`` that runs ``work(args, first, last)`` over runs of
    the parts ``0`` to ``count - 1`` of a work of ``size`` elements, covering each part once.
    With ``parallel``, on the pool when the work is large, a run per chunk (contiguous, in
    order, their sizes differing by at most one: the runtime's cut of a ``prange`` loop);
    otherwise, and always without ``parallel``, as the single run ``work(args, 0, count)`` on
    this thread. ``work`` writes its results, at places no other part writes, into arrays
    among ``args``."""
    if not parallel:

        def run_here(args, size, count):
            work(args, 0, count)

        return run_here

    def run(args, size, count):
        chunks = parallel_array_chunks(size, count)
        if chunks == 0:
            work(args, 0, count)
        else:
            for c in prange(chunks):
                work(args, c * count // chunks, (c + 1) * count // chunks)

    return _parallel_implementation(run)


def flat_on_pool(a):
    """``a``'s elements in C order as a one-dimensional array, for a parallel implementation: a
    view of a C-ordered array, else a copy made by a whole-array assignment (itself on the pool
    when large), where ``a.ravel()`` would copy serially."""


@overload(flat_on_pool)
def _flat_on_pool_typing(a):
    if a.layout == "C":

        def flat_view(a):
            return a.ravel()

        return flat_view

    def flat_copy(a):
        copy = np.empty(a.shape, a.dtype)
        copy[...] = a
        return copy.ravel()

    return _parallel_implementation(flat_copy)


@register_jitable
def flat_in_c_order(a):
    """``a.ravel()``: the serial counterpart of :func:`flat_on_pool`."""
    return a.ravel()


def memory_flat(a):
    """The elements of ``a``, a new C- or Fortran-ordered array, in memory order as a
    one-dimensional view (for filling it in chunks)."""


@overload(memory_flat)
def _memory_flat_typing(a):
    if a.layout == "F" and a.ndim > 1:

        def reversed_axes(a):
            # The transpose of a Fortran-ordered array is C-ordered: its ravel is a view.
            return a.T.ravel()

        return reversed_axes

    def in_order(a):
        return a.ravel()

    return in_order
