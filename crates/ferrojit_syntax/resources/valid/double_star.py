def f(a, b):
    merged = {**a, "k": 1, **b}
    return g(1, **{"x": 2}), dict(a, y=3, **b), merged
