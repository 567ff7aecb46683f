# args: int64
def smallest_factor(n):
    i = 2
    while i * i <= n:
        if n % i == 0:
            break
        i += 1
    else:
        return -1
    return i
