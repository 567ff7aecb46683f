def loops(n):
    total = 0
    for i in range(0, n, 2):
        if i % 3 == 0:
            continue
        total += i
    else:
        total -= 1
    while total > 0:
        total //= 2
        if total == 7:
            break
    else:
        pass
    return total
