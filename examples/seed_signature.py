from ferrojit import jit, int32

@jit("int32(int32, int32)", nopython=True)
def f2(x, y):
    return x + y
