def f(p):
    p.x = 1
    return p
