# args: bool, bool
def bools(p, q):
    return p + q, p & q, -p, not p, p or q
