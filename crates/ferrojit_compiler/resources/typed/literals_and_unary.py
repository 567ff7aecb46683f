# args: bool, int64, float64
def literals(p, n, x):
    big = 9223372036854775808
    top = 18446744073709551615
    return big, top, -big, +p, ~p, ~n, -x, n is None, 1e308 * 10
