# args: int64
    @njit
    def method(x):
        class Local:
            pass
        return x
