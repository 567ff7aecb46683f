# args: int64
def f(x):
    s = "text"
    return x
