"""Call-overhead kernels: near-empty functions with the call shapes of run_micro.py.

Each does almost nothing, so that calling it from a Python loop measures the cost of the
call itself: dispatch on the argument types, unboxing the arguments, boxing the result.
"""

import numpy as np


def no_args():
    return 0


def one_int(n):
    return n


def one_float(x):
    return x


def one_array(a):
    return a.shape[0]


def int_float_array(n, x, a):
    return n + x + a.shape[0]


def eight_ints(a, b, c, d, e, f, g, h):
    return a + b + c + d + e + f + g + h


def one_tuple(t):
    return t[0] + t[1]


def new_array():
    return np.empty(3)


def triad(a, b, c, out):
    """Streaming kernel for the bandwidth check: three reads and one write per element."""
    for i in range(a.shape[0]):
        out[i] = a[i] * b[i] + c[i]
