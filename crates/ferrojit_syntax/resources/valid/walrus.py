def f(x):
    if (y := x + 1) > 2:
        return y
    return 0
