# args: int64
def count_pairs(n):
    count = 0
    for i in range(n):
        for j in range(i):
            if i + j > 10:
                break
            count += 1
    return count
