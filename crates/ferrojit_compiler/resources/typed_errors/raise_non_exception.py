# args: int64
def f(x):
    raise SIZE
