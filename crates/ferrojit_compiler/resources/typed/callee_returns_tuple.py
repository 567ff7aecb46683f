# args: float64
def norm(x):
    lo, hi = bounds(x)
    return hi - lo

def bounds(v):
    if v < 0:
        return v, 0
    return 0, v
