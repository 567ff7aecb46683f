# args: int64
def checked(n):
    assert n >= 0, "n must be non-negative"
    if n > SIZE:
        raise ValueError("n is too large")
    if n == 13:
        raise ZeroDivisionError
    return n
