# args: int64
# The error is in the callee `g`: the message names `g`, its line and its source.
def f(x):
    return g(x) + 1

def g(y):
    return y + (y, y)
