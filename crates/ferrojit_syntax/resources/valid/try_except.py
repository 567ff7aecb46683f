def f(x):
    try:
        return 1 / x
    except ZeroDivisionError:
        return 0.0
