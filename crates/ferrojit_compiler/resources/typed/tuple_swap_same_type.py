# args: int64, int64
def swap(a, b):
    a, b = b, a
    t = a, b
    x, y = t
    return y, x
