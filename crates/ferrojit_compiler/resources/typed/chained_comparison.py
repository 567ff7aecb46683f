# args: int64, float64, int64
def between(a, b, c):
    return a < b <= c
