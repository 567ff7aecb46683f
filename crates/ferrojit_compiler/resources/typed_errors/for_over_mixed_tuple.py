# args: int64
def f(x):
    t = 0
    for v in (x, (x,)):
        t += 1
    return t
