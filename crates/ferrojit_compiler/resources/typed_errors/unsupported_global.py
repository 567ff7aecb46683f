# args: int64
def f(x):
    return GREETING
