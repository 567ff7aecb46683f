def f(x):
    @njit
    def g(y):
        return y
    return g(x)
