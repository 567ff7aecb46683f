# args: int64
def odd_sum(n):
    total = 0
    for i in range(1, n, 1):
        if i % 2 == 0:
            continue
        total += i
    else:
        total = -total
    return total
