# args: int64
def f(x):
    return g(x) + 1

def g(y):
    return y + (y, y)
