# args: float64, int64
def conversions(x, n):
    return round(x), round(x, 2), divmod(n, 3), int(x), float(n), bool(n)
