# args: int64
def f(x):
    t = (x, x)
    t[0] = 1
    return t
