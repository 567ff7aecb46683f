# args: int64
def f(x):
    if x:
        break
    return x
