# args: int64
# Every path returns (the loop has no `break`, its `else` returns): no implicit `return None`.
def f(n):
    for i in range(n):
        if i * i > n:
            return i
    else:
        return -1
