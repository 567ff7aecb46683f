# args: int64, float64
def main(x, y):
    return twice(x) + twice(y)

def twice(v):
    return v * 2
