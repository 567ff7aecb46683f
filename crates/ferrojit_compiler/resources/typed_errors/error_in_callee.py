# args: int64
# KNOWN BUG: the error is in `g` (line and source are right) but the message says `in f`
# (the compiler formats every inference error with the root function's name).
def f(x):
    return g(x) + 1

def g(y):
    return y + (y, y)
