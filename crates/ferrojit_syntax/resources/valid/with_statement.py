def f(x):
    with lock:
        x += 1
    return x
