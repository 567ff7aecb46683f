def f(t):
    *a = t
    return a
