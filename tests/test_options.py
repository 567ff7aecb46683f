"""Decorator options: nogil, fastmath, error_model, boundscheck."""

import math
import threading
import time

import numpy as np
import pytest

from ferrojit import njit


def divide(a, b):
    return a / b, a // b, a % b


def test_error_model_python_raises():
    f = njit(divide)
    with pytest.raises(ZeroDivisionError):
        f(1.0, 0.0)
    with pytest.raises(ZeroDivisionError):
        f(1, 0)


def test_error_model_numpy_gives_inf_nan_and_zero():
    f = njit(error_model="numpy")(divide)
    q, fq, m = f(1.0, 0.0)
    assert q == math.inf and fq == math.inf and math.isnan(m)
    q, fq, m = f(-1.0, 0.0)
    assert q == -math.inf and fq == -math.inf
    q, fq, m = f(7, 0)
    assert math.isinf(q) and fq == 0 and m == 0
    # Ordinary values are unchanged.
    assert f(7, 2) == (3.5, 3, 1)


def test_bad_error_model():
    with pytest.raises(ValueError, match="error_model"):
        njit(error_model="c")(divide)


def dot(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


def test_fastmath_flags_compile_and_stay_close():
    a = np.linspace(0.0, 1.0, 1001)
    exact = njit(dot)(a, a)
    fast = njit(fastmath=True)(dot)(a, a)
    some = njit(fastmath={"reassoc", "contract"})(dot)(a, a)
    # Reassociation changes the summation order: equal within a few ulps of the sum.
    assert fast == pytest.approx(exact, rel=1e-13)
    assert some == pytest.approx(exact, rel=1e-13)
    with pytest.raises(ValueError, match="fastmath flag"):
        njit(fastmath={"fastest"})(dot)


def spin(n):
    x = 0.0
    for i in range(n):
        x += math.sqrt(i)
    return x


def test_nogil_lets_other_threads_run():
    f = njit(nogil=True)(spin)
    f(10)
    ticks = []
    started = threading.Event()
    done = threading.Event()

    def ticker():
        started.set()
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    started.wait()
    begin = time.perf_counter()
    f(1_000_000_000)
    finish = time.perf_counter()
    done.set()
    t.join()
    # With the GIL released the other thread kept running during the call; holding it, the
    # ticker could not record anything between `begin` and `finish`. The margins exclude the
    # switch interval (5 ms) around the call's start and end.
    assert finish - begin > 0.05
    assert any(begin + 0.02 < tick < finish - 0.02 for tick in ticks)
    assert f(4) == spin(4)
