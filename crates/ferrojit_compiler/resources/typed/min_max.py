# args: int64, float64
def extremes(a, b):
    return min(a, b), max(a, 3), min((a, 2, 7)), max(b, 1.5), max(a, True)
