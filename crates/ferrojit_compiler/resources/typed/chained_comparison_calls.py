# args: int64
def in_bounds(x):
    if 0 <= abs(x) < SIZE != x:
        return True
    return False
