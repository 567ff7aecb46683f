"""Container kernels: Python code using lists as Numba users write it, compiled as it is by each
engine (and run by CPython). Each takes its input as arguments and returns a number, so that
the engines' results can be compared."""


def list_append(n):
    """Appending to a list in a loop, then summing it."""
    out = []
    for i in range(n):
        out.append(i * 0.5)
    total = 0.0
    for x in out:
        total += x
    return total


def list_comprehension(n):
    """A list comprehension with a condition."""
    squares = [i * i for i in range(n) if i % 3 != 0]
    return len(squares) + squares[-1]


def list_argument(values):
    """A list argument read once: the cost is converting (reflecting) the list."""
    return len(values) + values[0]


def list_sort(values):
    """Sorting a copy of a list argument."""
    ordered = values.copy()
    ordered.sort()
    return ordered[len(ordered) // 2]


def list_of_arrays(n):
    """A list of small arrays, built and reduced."""
    rows = []
    for i in range(n):
        rows.append(np.full(4, i * 1.0))
    total = 0.0
    for row in rows:
        total += row.sum()
    return total


def word_count(text):
    """Counting words with a dict (written with `in`: Numba cannot type the `d.get(k, 0) + 1`
    idiom on an empty dict, which ferrojit compiles)."""
    counts = {}
    for word in text.split():
        if word in counts:
            counts[word] += 1
        else:
            counts[word] = 1
    return len(counts) + counts["the"]


def string_build(n):
    """Building a string piece by piece (`+=` of `str(i)` and a separator)."""
    out = ""
    for i in range(n):
        out += str(i) + ","
    return len(out)


def string_methods(lines):
    """A list of lines cleaned and parsed: strip, lower, startswith, split, join."""
    kept = []
    for line in lines:
        line = line.strip().lower()
        if not line.startswith("#"):
            kept.append("-".join(line.split(",")))
    return len(kept) + len(kept[-1])


import numpy as np  # noqa: E402 - used by list_of_arrays, kept out of the kernels' text
