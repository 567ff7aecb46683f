# args: int64
def f(x):
    s = "text"
    return s + x
