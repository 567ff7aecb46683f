# args: int64, float64
def powers(n, x):
    return n ** 2, n ** n, x ** 2, 2 ** 0.5, pow(n, 3), pow(n, 3, 7)
