# args: int64, int64
def divide(a, b):
    q = a / b
    h = a / 2
    k = SIZE / 3
    return q, h, k, SIZE * SCALE
