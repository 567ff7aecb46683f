def f(x):
    print(f"x = {x}")
    return x
