# args: float64, float64
def magnitude(re, im):
    z = complex(re, im) * 2j
    return abs(z), z.real, z.imag, z + 1
