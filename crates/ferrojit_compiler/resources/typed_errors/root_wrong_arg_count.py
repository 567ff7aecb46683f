# args: int64, int64
def f(x):
    return x
