# args: float64
def f(x):
    t = 0
    for i in range(x):
        t += i
    return t
