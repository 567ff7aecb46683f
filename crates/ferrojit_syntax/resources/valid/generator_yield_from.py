def f(n):
    yield from range(n)
    if n > 2:
        return
    yield
