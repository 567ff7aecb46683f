# args: bool
def f(c):
    if c:
        return 1
    return (1, 2)
