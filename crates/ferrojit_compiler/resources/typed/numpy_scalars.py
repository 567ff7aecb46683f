# args: float64
def narrow(x):
    y = np.float32(x)
    return y * 2, np.sqrt(y), np.floor(x)
