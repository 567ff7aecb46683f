def f(x, **kwargs):
    return x
