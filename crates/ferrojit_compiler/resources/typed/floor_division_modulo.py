# args: int64, int64, float64
def floor_mod(a, b, x):
    return a // b, a % b, -a // 2, a % 3.0, x // 2, x % b
