# args: int64
# NOTE: Numba types `m` as int64 here (its SSA form gives each assignment of `n` its own type);
# ferrojit gives `n` one type for the whole function, so `m` is a float64 floor division.
def retype(n):
    m = n // 2
    n = 0.5
    return m
