# args: int64
def unbound_on_every_path(n):
    # Nothing assigns `y` before its read on any path: the read raises, with no flag.
    total = n + y
    y = 1
    return total
