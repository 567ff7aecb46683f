# args: float64
def chain(x):
    a = b = x
    a += 1
    return a, b
