# args: int64, float64
def show(n, x):
    print("n =", n, x)
