"""Memory of arrays made by compiled code: no leaks over a million calls (resident set size and
ferrojit's own count of live allocations), freed on exception paths too, and views returned of
inputs keep their input alive."""
import gc

import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from helpers import assert_same_array

MB = 1 << 20


def rss_bytes():
    """Resident set size of this process (VmRSS from /proc/self/status)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


@ferrojit.njit
def new_small(x):
    a = np.empty(3)
    a[0] = x
    a[1] = x + 1.0
    a[2] = x + 2.0
    return a


@ferrojit.njit
def new_tuple(n):
    return np.zeros(n), (np.arange(n), n)


@ferrojit.njit
def view_of_input(a):
    return a[::-1]


@ferrojit.njit
def view_of_temporary(n):
    a = np.arange(n * 2.0).reshape(2, n)
    return a[1, ::-1]


@ferrojit.njit
def temporaries_only(n):
    s = 0.0
    for i in range(n):
        b = np.ones(4)
        c = b.reshape(2, 2).T
        s += c.sum() + b.copy()[i % 4]
    return s


@ferrojit.njit(boundscheck=True)
def raise_after_alloc(i):
    a = np.zeros(3)
    b = np.ones((2, 2))
    return a[i] + b.sum()


@ferrojit.njit
def raise_in_method(n):
    a = np.arange(10.0)
    return a.reshape(n, 3)


def _calls(func, arg, n):
    for _ in range(n):
        func(arg)


@pytest.mark.parametrize("func, arg", [
    (new_small, 1.5), (new_tuple, 3), (view_of_input, np.arange(4.0)), (view_of_temporary, 3),
], ids=["new_small", "new_tuple", "view_of_input", "view_of_temporary"])
def test_a_million_calls_do_not_leak(func, arg):
    n = 1_000_000 if func is new_small else 300_000
    _calls(func, arg, 50_000)  # warm-up: compile, fill allocator caches
    gc.collect()
    live0, rss0 = _native.live_allocations(), rss_bytes()
    _calls(func, arg, n)
    gc.collect()
    grown = rss_bytes() - rss0
    assert _native.live_allocations() == live0
    # A leak of even the 24 data bytes per call would be > 20 MB for a million calls.
    assert grown < 20 * MB, f"resident memory grew by {grown / MB:.1f} MB over {n} calls"


def test_allocations_inside_a_call_are_freed():
    live0, rss0 = _native.live_allocations(), rss_bytes()
    for _ in range(50):
        assert temporaries_only(10_000) == 10_000 * 5.0
    gc.collect()
    assert _native.live_allocations() == live0
    assert rss_bytes() - rss0 < 20 * MB


@pytest.mark.parametrize("func, arg, exc", [
    (raise_after_alloc, 5, IndexError), (raise_in_method, 7, ValueError),
], ids=["IndexError", "ValueError"])
def test_allocations_are_freed_when_an_exception_is_raised(func, arg, exc):
    with pytest.raises(exc):
        func(arg)
    live0 = _native.live_allocations()
    for _ in range(100_000):
        try:
            func(arg)
        except exc:
            pass
    gc.collect()
    assert _native.live_allocations() == live0


def test_live_allocations_count_returned_arrays_until_freed():
    gc.collect()
    live0 = _native.live_allocations()
    a = new_small(1.0)
    b, (c, _) = new_tuple(4)
    assert _native.live_allocations() == live0 + 3
    v = view_of_temporary(3)
    assert _native.live_allocations() == live0 + 4
    del a, b
    gc.collect()
    assert _native.live_allocations() == live0 + 2
    base_alive = v[::-1].copy()
    del c
    gc.collect()
    assert _native.live_allocations() == live0 + 1
    assert_same_array(v[::-1], base_alive)
    del v
    gc.collect()
    assert _native.live_allocations() == live0


def test_views_of_an_input_keep_it_alive():
    a = np.arange(1000.0)
    v = view_of_input(a)
    del a
    gc.collect()
    # Reuse the memory the input had, if it had been freed.
    junk = [np.full(1000, -1.0) for _ in range(100)]
    assert_same_array(v, np.arange(1000.0)[::-1])
    del junk


def test_many_views_of_one_input_keep_it_alive():
    a = np.arange(24.0).reshape(4, 6)
    views = [view_of_input(a) for _ in range(1000)]
    del a
    gc.collect()
    junk = [np.full((4, 6), -1.0) for _ in range(100)]
    for v in views[::97]:
        assert_same_array(v, np.arange(24.0).reshape(4, 6)[::-1])
    del views, junk
    gc.collect()


def test_view_of_an_input_view_keeps_the_base_alive():
    base = np.arange(100.0)
    middle = base[10:90:2]
    v = view_of_input(middle)
    del base, middle
    gc.collect()
    junk = [np.full(100, -1.0) for _ in range(100)]
    assert_same_array(v, np.arange(100.0)[10:90:2][::-1])
    del junk


def test_returned_view_of_a_temporary_keeps_its_memory():
    v = view_of_temporary(5)
    gc.collect()
    junk = [np.full(10, -1.0) for _ in range(100)]
    assert_same_array(v, np.array([9.0, 8.0, 7.0, 6.0, 5.0]))
    del junk


@ferrojit.njit
def new_filled(n, value):
    a = np.empty(n)
    for i in range(n):
        a[i] = value
    return a


def thp_eligible(address):
    """`THPeligible` of the mapping holding `address`, from /proc/self/smaps."""
    with open("/proc/self/smaps") as f:
        inside = False
        for line in f:
            first = line.split()[0]
            if "-" in first and not first.endswith(":"):
                start, end = (int(x, 16) for x in first.split("-"))
                inside = start <= address < end
            elif inside and first == "THPeligible:":
                return int(line.split()[1])
    return None


def thp_mode():
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            return f.read().split("[")[1].split("]")[0]
    except (OSError, IndexError):
        return None


@pytest.mark.skipif(thp_mode() not in ("madvise", "always"), reason="transparent huge pages are off")
def test_large_new_arrays_ask_for_huge_pages():
    # As NumPy's allocator does: arrays of 4 MB and more are advised to use huge pages, which
    # the kernel honours in "madvise" mode (in "always" mode every mapping is eligible).
    big = new_filled(MB, 1.5)  # 8 MB
    assert big.sum() == 1.5 * MB
    middle = big.ctypes.data + big.nbytes // 2
    assert thp_eligible(middle) == 1


@ferrojit.njit
def reassigned_everywhere(n, flag):
    # Every kind of place an array variable is stored to: a first store, stores in both arms of
    # an `if`, in a loop (its first store there replaces the previous iteration's array), after
    # the loop, in a loop's `else`, in a tuple, and an early return. Each replaced array must be
    # released and none released twice.
    a = np.ones(n)
    if flag:
        a = np.zeros(n)
        b = np.ones(2)
    else:
        b = np.zeros(3)
    for i in range(n):
        c = np.full(2, i * 1.0)
        a = a.copy() if i % 2 else a
        if i == 3:
            break
    else:
        c = np.empty(1)
    pair = (a, b)
    pair = (b, a)
    if n == 7:
        return c.sum()
    c = np.arange(3.0)
    k = 0
    while np.full(2, 1.0).sum() + k < n:  # a new array in a condition, made on every test
        k += 1
    return a.sum() + b.sum() + c.sum() + pair[0].sum() + k


def reassigned_everywhere_python(n, flag):
    return reassigned_everywhere.py_func(n, flag)


@pytest.mark.parametrize("n, flag", [(0, True), (2, False), (5, True), (7, False), (7, True)])
def test_arrays_replaced_in_every_kind_of_place_are_released(n, flag):
    assert reassigned_everywhere(n, flag) == reassigned_everywhere_python(n, flag)
    gc.collect()
    live0 = _native.live_allocations()
    for _ in range(2000):
        reassigned_everywhere(n, flag)
    gc.collect()
    assert _native.live_allocations() == live0


@ferrojit.njit
def passes_through(a):
    return a


@ferrojit.njit
def view_of_parameter(a, k):
    return a[k:]


@ferrojit.njit
def parameter_replaced(a, n):
    if n > 2:
        a = np.zeros(n)
    return a.sum()


@ferrojit.njit
def calls_with_parameters(n):
    # Callees that keep their parameter's reference borrowed from the caller: given a variable
    # and given a temporary that lives only for the call.
    a = np.arange(n * 1.0)
    b = passes_through(a)
    c = view_of_parameter(np.ones(n), 1)
    d = passes_through(view_of_parameter(a, 2))
    return b.sum() + c.sum() + d.sum() + parameter_replaced(a, n) + parameter_replaced(a, 1)


@pytest.mark.parametrize("n", [3, 10])
def test_array_parameters_borrow_the_callers_reference(n):
    assert calls_with_parameters(n) == calls_with_parameters.py_func(n)
    x = np.arange(5.0)
    assert passes_through(x) is not None and np.shares_memory(passes_through(x), x)
    gc.collect()
    live0 = _native.live_allocations()
    for _ in range(5000):
        calls_with_parameters(n)
        view_of_parameter(x, 1)
    gc.collect()
    assert _native.live_allocations() == live0
    # A view of an argument that was a temporary of the caller keeps that array alive.
    v = view_of_parameter(np.ones(4), 1)
    gc.collect()
    assert v.sum() == 3.0
