def misc(t, /, n):
    assert n > 0, "n must be positive"
    if n > 100:
        raise ValueError("too big")
    first = t[0]
    part = t[1:n:2]
    r = t.real
    s = "text"
    x: float = 1.0
    y: int
    g(x)
    return None
