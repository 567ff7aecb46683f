# args: int64, float64
# NOTE: Numba returns Tuple(float64, int64) here (SSA: the swapped names keep their own types);
# ferrojit unifies each name over the whole function, giving UniTuple(float64 x 2).
def swap(a, b):
    a, b = b, a
    return a, b
