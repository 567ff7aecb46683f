# args: int64
def total(n):
    t = 0.0
    for x in squares(n):
        t += x
    return t


def squares(n):
    # The loop yields: it becomes a `while` over locals (the generators pass); the one that
    # does not yield keeps its counted form.
    s = 0
    for i in range(n):
        s += i
    for i in range(1, n, 2):
        yield i * i
    yield 0.5
