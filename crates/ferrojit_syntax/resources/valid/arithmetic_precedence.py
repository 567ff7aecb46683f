def arithmetic(a, b, c):
    x = a + b * c - (a - b) / c
    y = -a ** 2 + a // b % c
    p = a ** b ** c
    z = (a | b ^ c & ~a) << 2 >> 1
    w = not a or b and c
    q = 1.5e3 + 2j - 0x10
    r = a if b else c
    return x, y, p, z, w, q, r
