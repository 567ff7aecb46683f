def f(t):
    a, *rest = t
    return a
