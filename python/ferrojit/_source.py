"""How a Python function's source reaches the compiler."""

from .errors import UnsupportedError


def source_info(func, fast=True):
    """Return ``(filename, first_line, text, defaults, globals)`` for ``func``.

    ``text`` is the function's source as written in its file (decorators and indentation
    included), ``first_line`` the line it starts on, and ``defaults`` one tuple per positional
    parameter: ``()`` when it has no default, ``(value,)`` when it has one.

    With ``fast``, the block is cut from the file by indentation (no ``inspect``, whose import
    and tokenizing cost milliseconds); a block that does not parse (a multi-line string or
    continuation line indented less than the function) is asked for again with ``fast=False``.
    """
    code = func.__code__
    text = _indented_block(code.co_filename, code.co_firstlineno) if fast else None
    first_line = code.co_firstlineno
    if text is None:
        import inspect

        try:
            lines, first_line = inspect.getsourcelines(func)
        except (OSError, TypeError) as exc:
            raise UnsupportedError(
                f"cannot find the source code of `{func.__qualname__}` ({exc}); ferrojit compiles "
                f"functions from their source\n  hint: define the function in a .py file (not in "
                f"`exec` or at an interactive prompt without source)"
            ) from None
        text = "".join(lines)
    nparams = code.co_argcount
    given = func.__defaults__ or ()
    defaults = [()] * (nparams - len(given)) + [(v,) for v in given]
    return code.co_filename, max(first_line, 1), text, defaults, func.__globals__


def _indented_block(filename, first_line):
    """The decorators and ``def`` line starting at ``first_line`` plus the following lines
    indented deeper than them, or None when the file's lines are not available."""
    lines = _file_lines(filename)
    start = first_line - 1
    if not lines or not 0 <= start < len(lines):
        return None
    base = len(lines[start]) - len(lines[start].lstrip())
    end = start
    # The decorators, then the `def` line, all at the base indentation.
    while end < len(lines) and lines[end].lstrip().startswith("@"):
        end += 1
    if end >= len(lines) or not lines[end].lstrip().startswith(("def ", "async def ")):
        return None
    last = end
    # The body: every line indented deeper; blank and comment lines do not end it.
    for i in range(end + 1, len(lines)):
        body = lines[i].strip()
        if not body or body.startswith("#"):
            continue
        if len(lines[i]) - len(lines[i].lstrip()) <= base:
            break
        last = i
    return "".join(lines[start : last + 1])


def _file_lines(filename):
    """The lines of a source file: read directly (cheap), else through `linecache`, which also
    knows sources that are not plain files (zip imports) but imports `tokenize` on first use."""
    try:
        with open(filename, encoding="utf-8") as f:
            return f.readlines()
    except (OSError, UnicodeDecodeError):
        import linecache

        return linecache.getlines(filename)
