    @njit
    def method(self, x):
        return x +* 2
