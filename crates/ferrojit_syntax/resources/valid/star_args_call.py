def f(t):
    return g(*t)
