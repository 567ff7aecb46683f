# args: int64
def f(x):
    t = 0
    for v in (x, x):
        t += v
    return t
