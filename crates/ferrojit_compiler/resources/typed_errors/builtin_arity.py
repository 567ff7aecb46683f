# args: int64
def f(x):
    return abs(x, 2)
