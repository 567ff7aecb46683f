# args: int64
# NOTE: a walk over several dimensions runs as nested loops when the body has no `break`
# (ndindex), else as one counted loop stepping per-dimension counters (flat of a transposed
# view); nditer of a C array walks its flat view.
def f(n):
    a = np.empty((n, 3))
    a.fill(0.0)
    s = 0.0
    for i, j in np.ndindex(a.shape):
        s += a[i, j]
    for x in a.T.flat:
        if x > 1.0:
            break
        s += x
    for x in np.nditer(a):
        s += x
    return s
