"""Scalar benchmark kernels: plain, undecorated Python functions.

bench/run.py decorates each of them with ``ferrojit.njit`` and with ``numba.njit`` (and
runs them undecorated under CPython). They take and return numbers (and tuples of
numbers): ints, floats, complex numbers, loops over ``range``, ``while`` loops, the
``math`` module and calls to themselves; no arrays.
"""

import math


def fib(n):
    """Naive doubly recursive Fibonacci number."""
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def collatz_longest(limit):
    """Start value below ``limit`` with the longest Collatz chain, and that chain's length.

    Returned packed into one int as ``best_start * 1000 + best_length`` (every chain below
    10**7 is shorter than 1000 steps).
    """
    best_start = 1
    best_length = 1
    for start in range(1, limit):
        n = start
        length = 1
        while n != 1:
            if n % 2 == 0:
                n = n // 2
            else:
                n = 3 * n + 1
            length += 1
        if length > best_length:
            best_length = length
            best_start = start
    return best_start * 1000 + best_length


def mandelbrot_count(width, height, max_iter):
    """Sum of Mandelbrot escape counts over a width x height grid of [-2, 1] x [-1.5, 1.5].

    Floats only: z = x + iy is iterated as two real numbers.
    """
    total = 0
    dx = 3.0 / width
    dy = 3.0 / height
    for j in range(height):
        ci = -1.5 + j * dy
        for i in range(width):
            cr = -2.0 + i * dx
            zr = 0.0
            zi = 0.0
            k = 0
            while k < max_iter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                k += 1
            total += k
    return total


def gcd_sum(n):
    """Sum of gcd(i, j) over 1 <= i, j < n, each by Euclid's algorithm (integer division)."""
    total = 0
    for i in range(1, n):
        for j in range(1, n):
            a = i
            b = j
            while b != 0:
                a, b = b, a % b
            total += a
    return total


def popcount_sum(n):
    """Total number of set bits of 0 .. n-1, clearing the lowest set bit in a loop."""
    total = 0
    for i in range(n):
        x = i
        while x != 0:
            x &= x - 1
            total += 1
    return total


def hash_mix(n):
    """32-bit integer hash (xor-shift-multiply) of 0 .. n-1, folded with xor and rotate.

    Masked to 32 bits after every product, so that no value exceeds 2**63: the same result
    with 64-bit integers (the engines) and Python's unbounded ones.
    """
    acc = 0
    for i in range(n):
        x = i
        x = (((x >> 16) ^ x) * 0x45D9F3B) & 0xFFFFFFFF
        x = (((x >> 16) ^ x) * 0x45D9F3B) & 0xFFFFFFFF
        x = (x >> 16) ^ x
        acc ^= x
        acc = ((acc << 1) | (acc >> 31)) & 0xFFFFFFFF
    return acc


def mandelbrot_complex(width, height, max_iter):
    """mandelbrot_count with complex numbers: z = z * z + c while abs(z) <= 2."""
    total = 0
    for j in range(height):
        for i in range(width):
            c = complex(-2.0 + 3.0 * i / width, -1.5 + 3.0 * j / height)
            z = 0j
            k = 0
            while k < max_iter and abs(z) <= 2.0:
                z = z * z + c
                k += 1
            total += k
    return total


def trapezoid(a, b, n):
    """Trapezoid rule for the integral of exp(-x**2) cos(3x) over [a, b] with n intervals."""
    h = (b - a) / n
    s = 0.5 * (math.exp(-a * a) * math.cos(3.0 * a) + math.exp(-b * b) * math.cos(3.0 * b))
    for k in range(1, n):
        x = a + k * h
        s += math.exp(-x * x) * math.cos(3.0 * x)
    return s * h


def newton_cbrt_sum(n):
    """Cube roots of 1 .. n by Newton's method (relative step below 1e-12): their sum and
    the total number of Newton steps, as a tuple."""
    total = 0.0
    iterations = 0
    for k in range(1, n + 1):
        target = float(k)
        x = target
        for _ in range(100):
            dx = (x * x * x - target) / (3.0 * x * x)
            x -= dx
            iterations += 1
            if abs(dx) < 1e-12 * x:
                break
        total += x
    return total, iterations
