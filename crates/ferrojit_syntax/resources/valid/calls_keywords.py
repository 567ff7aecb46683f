def calls(x, y):
    a = abs(x)
    b = max(x, y, 0)
    c = round(x, ndigits=2)
    print("x =", x, sep=" ", end="\n")
    d = math.sqrt(x * x + y * y)
    e = np.float32(x)
    return pow(x, y, 7) + f(g(x), key=y)
