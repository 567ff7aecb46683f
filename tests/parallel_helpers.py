"""What the tests of whole-array code on the thread pool share: every size goes to the pool
while a module using `every_size_runs_in_parallel` runs (the measured threshold, `MEASURED`,
is tested on its own), and `regions()` counts the parallel regions entered so far, to check
that the pool ran."""

import pytest

import ferrojit

# Float sums on the pool add per chunk, then the chunks in order: within these of the serial
# sum (float64, float32).
SUM_RTOL = 1e-12
SUM_RTOL32 = 1e-5

THREADS = ferrojit.get_num_threads()

# The measured threshold (`ARRAY_THRESHOLD`), while a module's tests run with 0.
MEASURED = ferrojit._native.parallel_threshold()


@pytest.fixture(autouse=True, scope="module")
def every_size_runs_in_parallel():
    """For the module that imports it: every whole-array operation of a `parallel=True`
    function runs on the pool, however small."""
    ferrojit._native.parallel_threshold(0)
    yield
    ferrojit._native.parallel_threshold(MEASURED)


def regions():
    return ferrojit._native.parallel_regions()
