# args: int64
def halve(n):
    n = n / 2
    return n
