def f(n, x):
    squares = [x * x for x in range(n) if x % 2]
    pairs = [(i, j) for i in range(n) for j in range(i)]
    return sum(v for v in squares), x
