"""Compiled functions for tests/test_arrays_unaligned.py's Dask test.

Dask's workers are separate processes that unpickle a dispatcher by reference (module and
name), so the functions they run must live in an importable module, not in the test file.
"""
import numpy as np

from ferrojit import njit


@njit
def total(a):
    """The sum of a 1-d array's elements, added in order."""
    t = 0
    for i in range(a.shape[0]):
        t += a[i]
    return t


@njit
def doubled_plus_index(a):
    """A new array: `2 * a[i] + i`."""
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] * 2 + i
    return out


def compiled_signatures():
    """The signatures this process compiled, as text (run on the workers)."""
    return sorted(str(sig) for f in (total, doubled_plus_index) for sig in f.signatures)
