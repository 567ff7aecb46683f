def f(x):
    try:
        return 1 / x
    except ZeroDivisionError as error:
        return 0.0
