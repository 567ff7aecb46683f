# args: int64
def f(x):
    y = x + (1, 2)
    return y
