# args: int64, float64
def swap(a, b):
    a, b = b, a
    return a, b
