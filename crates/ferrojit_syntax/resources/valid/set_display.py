def f(x):
    s = {x, 2}
    return s
