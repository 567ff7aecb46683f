def f(x):
    for i in range(3):
        try:
            x = 1 / x
        finally:
            if i:
                break
    return x
