# args: float64, int64
def floors(x, n):
    return math.floor(x), math.ceil(x), math.floor(n), math.sqrt(n), math.trunc(x)
