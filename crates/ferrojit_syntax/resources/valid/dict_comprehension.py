def f(n):
    squares = {i: i * i for i in range(n)}
    return squares
