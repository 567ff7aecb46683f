# args: bool, int64
def maybe_unbound(c, n):
    # `both` is assigned on every path: read as it is. `lst` only when `c`, `last` only when the
    # loop runs: their flags say whether they are bound, and the reads test them first.
    if c:
        both = 1
        lst = [n]
    else:
        both = 2
    for i in range(n):
        last = i
    return both + len(lst) + last
