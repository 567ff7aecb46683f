# args: int16, float32, int32, uint64
def mixed(a, x, b, u):
    return a * x, b * x, a + a, u + a, u // 2
