# args: bool, int64
def pick(c, n):
    v = n if c else 1.5
    w = n if c else 2
    return v, w
