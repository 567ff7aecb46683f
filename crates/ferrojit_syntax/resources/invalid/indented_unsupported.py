    @njit
    def method(x):
        if x:
            import math
        return x
