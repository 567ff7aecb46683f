# args: int64
def f(n):
    for i in range(n):
        if i * i > n:
            return i
    else:
        return -1
