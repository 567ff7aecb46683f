def f(x):
    raise ValueError("bad") from None
