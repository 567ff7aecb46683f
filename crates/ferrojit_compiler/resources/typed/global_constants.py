# args:
def constants():
    a, b = ORIGIN
    return SIZE + 1, SCALE * 2, a, b
