# args: int64
def f(n):
    for i in range(n):
        yield i
    return n
