# args: int64
# KNOWN BUG: every path returns (the loop has no `break`, its `else` returns), so this is
# valid and Numba types it int64; ferrojit assumes the `for` can fall through and adds `return None`.
def f(n):
    for i in range(n):
        if i * i > n:
            return i
    else:
        return -1
