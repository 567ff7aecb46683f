def f(x):
    try:
        return 1 // x
    except ZeroDivisionError:
        raise ValueError("bad") from ZeroDivisionError("x")
