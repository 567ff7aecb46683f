# args: int64
def countdown(n):
    last = 0
    for k in range(n, 0, -1):
        last = k
    return last
