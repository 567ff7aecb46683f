"""Finding a function's source: the quick cut by indentation and its fallback."""

import ferrojit
from ferrojit import njit
from ferrojit._source import source_info


def plain(x):
    # a comment line

    return x + 1


def with_flush_left_docstring(x):
    """A docstring whose second line is not indented:
this line starts at column 0, which the quick cut stops at."""
    return x * 2


class Holder:
    @staticmethod
    def method(x):
        return x - 1


def test_quick_cut_takes_the_whole_function():
    _, first, text, _, _ = source_info(plain)
    assert text.startswith("def plain(x):") and text.rstrip().endswith("return x + 1")
    assert njit(plain)(1) == 2


def test_flush_left_strings_fall_back_to_inspect():
    _, _, quick, _, _ = source_info(with_flush_left_docstring)
    assert "return x * 2" not in quick  # the quick cut stops early...
    assert njit(with_flush_left_docstring)(3) == 6  # ...and compiling falls back to inspect


def test_decorated_and_indented_methods():
    _, first, text, _, _ = source_info(Holder.method)
    assert text.lstrip().startswith("@staticmethod")
    assert njit(Holder.method)(5) == 4


@ferrojit.njit
def decorated(x):
    return x * x


def test_decorated_function_spans_its_decorator():
    _, first, text, _, _ = source_info(decorated.py_func)
    assert text.startswith("@ferrojit.njit\ndef decorated(x):")
    assert decorated(4) == 16
