# args: int64
def f(x):
    return undefined_thing + x
