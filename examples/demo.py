"""ferrojit demo: compile a scalar Python function to machine code with @njit.

Run with ``make demo`` (or ``.venv/bin/python examples/demo.py``).

The kernel counts Mandelbrot escape iterations over a grid, with floats only: z = x + iy
is iterated as two real numbers. The first call compiles it for (int, int, int) through
LLVM; later calls reuse the machine code. ``.py_func`` is the original Python function.
"""

import time

from ferrojit import njit


@njit
def mandelbrot_count(width, height, max_iter):
    """Sum of the escape counts of a width x height grid over [-2, 1] x [-1.5, 1.5]."""
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


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - start


def fmt(seconds):
    return f"{seconds * 1e3:.1f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.0f} µs"


def main():
    args = (400, 300, 200)
    print(f"mandelbrot_count{args}: total escape iterations over a "
          f"{args[0]} x {args[1]} grid, at most {args[2]} per point")

    first, t_first = timed(mandelbrot_count, *args)
    second, t_second = timed(mandelbrot_count, *args)
    plain, t_plain = timed(mandelbrot_count.py_func, *args)
    assert first == second == plain, (first, second, plain)

    print(f"result: {first} (plain Python agrees)")
    print(f"with compilation: {fmt(t_first)} / after compilation: {fmt(t_second)} / "
          f"plain Python: {fmt(t_plain)}")
    print(f"compiled code is {t_plain / t_second:.0f}x faster than plain Python; "
          f"compiled signatures: {mandelbrot_count.signatures}")


if __name__ == "__main__":
    main()
