# args: int64
    @njit
    def method(x):
        with open("f") as fh:
            return x
