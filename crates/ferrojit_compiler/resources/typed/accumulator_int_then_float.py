# args: int64
def accumulate(n):
    s = 0
    for i in range(n):
        s += i * 0.5
    return s
