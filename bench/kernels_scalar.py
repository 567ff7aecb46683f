"""Scalar benchmark kernels: plain, undecorated Python functions.

bench/run.py decorates each of them with ``ferrojit.njit`` and with ``numba.njit``.
They use only ints, floats and bools, loops over ``range`` and ``while`` loops, and
calls to themselves: no arrays, no complex numbers.
"""


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
