"""Exceptions raised by ferrojit.

Compilation failures are all :class:`CompileError`; their messages name the file, line and
column of the offending code, show the line, and say what to do instead.
"""


class CompileError(Exception):
    """A function could not be compiled."""


class UnsupportedError(CompileError):
    """The function uses Python syntax or a feature that ferrojit does not compile."""


class TypingError(CompileError):
    """The function's types do not work out (for example a variable that is a number on one
    path and a tuple on another, an unknown global name, or a call with wrong arguments)."""


class ArgumentCountError(TypingError, TypeError):
    """A function compiled for another number of arguments than it takes (a declared
    signature of the wrong length): a ``TypeError`` worded as CPython words a call with that
    many arguments (``f() takes 1 positional argument but 2 were given``)."""


class InternalError(CompileError):
    """A bug in ferrojit. Please report it with the code that triggered it."""


class FerrojitWarning(UserWarning):
    """Warnings from ferrojit."""
