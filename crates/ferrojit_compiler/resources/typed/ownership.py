# args: float64[::1], int64
def f(a, n):
    b = np.empty(n)
    b.fill(0.0)
    for i in range(n):
        b = b + a[i]
        if i == 3:
            return (b + a)[1:]
    a = a[::-1]
    x, y = pair(n)
    return x + y.sum() + a


def pair(n):
    return np.empty(n), np.empty(n)
