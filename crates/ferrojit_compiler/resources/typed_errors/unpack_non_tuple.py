# args: int64
def f(x):
    a, b = x
    return a
