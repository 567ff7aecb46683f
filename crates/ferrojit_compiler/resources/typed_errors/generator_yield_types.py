# args: int64
def f(n):
    yield n
    yield (n, n)
