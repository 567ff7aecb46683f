def f(x, *, scale=1.0):
    return x * scale
