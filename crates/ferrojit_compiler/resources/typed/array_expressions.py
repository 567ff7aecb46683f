# args: float64[::1], float64[::1], float64[:, ::1]
def f(a, b, m):
    c = np.sqrt(a * a + b)
    d = a - b
    s = np.sqrt((d * d).sum())
    m[1:, :] = m[:-1, :] * 0.5
    return c, s
