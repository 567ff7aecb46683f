"""How a Python function's source reaches the compiler."""

from .errors import UnsupportedError


def source_info(func):
    """Return ``(filename, first_line, text, defaults, globals)`` for ``func``.

    ``text`` is the function's source as written in its file (decorators and indentation
    included), ``first_line`` the line it starts on, and ``defaults`` one tuple per positional
    parameter: ``()`` when it has no default, ``(value,)`` when it has one.
    """
    import inspect

    code = func.__code__
    try:
        lines, first_line = inspect.getsourcelines(func)
    except (OSError, TypeError) as exc:
        raise UnsupportedError(
            f"cannot find the source code of `{func.__qualname__}` ({exc}); ferrojit compiles "
            f"functions from their source\n  hint: define the function in a .py file (not in "
            f"`exec` or at an interactive prompt without source)"
        ) from None
    nparams = code.co_argcount
    given = func.__defaults__ or ()
    defaults = [()] * (nparams - len(given)) + [(v,) for v in given]
    return code.co_filename, max(first_line, 1), "".join(lines), defaults, func.__globals__
