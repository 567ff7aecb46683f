def f(x):
    d = {"x": x}
    return d
