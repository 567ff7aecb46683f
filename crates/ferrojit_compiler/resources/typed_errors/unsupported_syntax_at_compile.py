# args: int64
def f(x):
    try:
        return 1 // x
    except ZeroDivisionError as error:
        raise ValueError("no zero") from x
