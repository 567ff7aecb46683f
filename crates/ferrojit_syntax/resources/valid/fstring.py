def f(x, width):
    print(f"x = {x}")
    return f"{x!r:>{width}}|{x=}" "tail" f"{{}}"
