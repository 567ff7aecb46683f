def chained(a, b, c):
    r1 = a < b <= c
    r2 = a == b != c
    r3 = 0 <= a < b < c <= 10
    r4 = a is None or b is not None
    r5 = a in b and c not in b
    return r1, r2, r3, r4, r5
