def f(x):
    return t"x = {x}"
