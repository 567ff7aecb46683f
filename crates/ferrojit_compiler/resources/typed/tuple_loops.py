# args: int64
# NOTE: a homogeneous tuple is walked by the loop index, its item chosen by a chain of
# conditional expressions (here of int64 and float64 items unified to float64, as in Numba);
# a run-time index checks its range first.
def f(i):
    t = (i, 2.5, 3)
    s = 0.0
    for x in t:
        s += x
    return s + t[i]
