    @njit(cache=True)
    @staticmethod
    def method(x, y=2):
        """Docstring: not part of the AST.

        It spans several lines.
        """
        # A comment and a blank line.

        z = x * y
        return z
