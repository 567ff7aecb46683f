"""Reference functions using `assert`, kept out of test modules so pytest leaves their
assertion messages as CPython makes them."""


def assert_with_msg(x):
    assert x > 0, "x must be positive"
    return x * 2


def assert_no_msg(x):
    assert x != 3
    return x


def assert_in_loop(n):
    s = 0
    for i in range(n):
        assert i < 5, "loop ran too long"
        s += i
    return s


def assertion_caught(x):
    try:
        assert x > 0, "must be positive"
        r = x
    except AssertionError:
        r = 0
    return r


def assert_with_fstring(x):
    assert x < 0, f"x is {x}, not negative ({x * 0.5!r}, {'it' + 's'!r})"
    return x
