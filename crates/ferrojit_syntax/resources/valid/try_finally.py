def f(x):
    try:
        return 1 / x
    finally:
        x = 0
