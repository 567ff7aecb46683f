def unpacking(a, b):
    a, b = b, a
    (x, y), z = (a, b), 3
    [m, n] = a, b
    p = q = 0
    p += x
    q -= y
    z *= 2
    x **= 2
    m <<= 1
    n ^= m
    t = a,
    u = ()
    return p, q, z, t, u
