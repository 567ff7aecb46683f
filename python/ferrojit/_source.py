"""How a Python function's source reaches the compiler.

ferrojit compiles source text, while Python runs the code object it compiled when the module was
imported. The two must be the same function, so:

- the text is captured when the decorator runs (:func:`capture`), not at the first call: a file
  edited after its import does not change what is compiled;
- before its first compilation the captured text is compiled by CPython and compared with the
  function's own code object (:func:`source_info` calls :func:`_matches_code`): bytecode,
  constants, names and parameters. A text that is not the code Python runs is an error, never
  compiled.

The disk cache keys on the same captured text, so it follows it too.

A function defined where Python keeps no file (``exec()``, ``python -c``, the interactive
prompt: a ``co_filename`` such as ``<string>`` or ``<stdin>``) has its text looked for in
``linecache`` and, for ``python -c``, in the command itself (``sys.orig_argv``), each checked as
above; failing those, the text is rebuilt from the code object (``ferrojit._decompile``) and
checked the same way before it is compiled (:func:`_reconstructed_source`).
"""

from __future__ import annotations

import os
from types import CodeType

from .errors import UnsupportedError

# filename -> ((st_mtime_ns, st_size), lines): one read per file however many functions it
# decorates. An entry is reused only while the file's stat is unchanged.
_file_lines_cache: dict[str, tuple[tuple[int, int], list[str]]] = {}


# File of ferrojit's own library (`ferrojit._lib`) -> its stamp taken just before its module was
# imported (see `trust_library_file`).
_library_file_stamps: dict[str, tuple[int, int]] = {}


def file_stamp(filename):
    """``(st_mtime_ns, st_size)`` of the file, or None when it cannot be read."""
    try:
        stat = os.stat(filename)
    except (OSError, ValueError):
        return None
    return (stat.st_mtime_ns, stat.st_size)


def trust_library_file(filename, stamp):
    """``filename`` is a module file of ferrojit's own library, and ``stamp`` its
    :func:`file_stamp` taken before Python imported it. While the file keeps that stamp, the
    text captured from it is the text Python compiled the module from, so :func:`source_info`
    does not compile its functions again to compare them (a first call that needs a dozen
    library functions would otherwise pay a CPython compilation for each). Once the file
    changes, its functions are checked as any other's."""
    _library_file_stamps[filename] = stamp


def _is_unchanged_library_text(filename, lines):
    """Whether ``lines`` were captured from a file of ferrojit's library that had the stamp
    it had before its module was imported."""
    trusted = _library_file_stamps.get(filename)
    cached = _file_lines_cache.get(filename)
    return trusted is not None and cached is not None and cached[1] is lines and cached[0] == trusted


def capture(func):
    """The lines of ``func``'s file as they are now (a list shared by the functions of one file,
    never modified), or None when the file's text is not available. Called by the decorator."""
    filename = func.__code__.co_filename
    stamp = file_stamp(filename)
    if stamp is None:
        return _linecache_lines(filename)
    cached = _file_lines_cache.get(filename)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        with open(filename, encoding="utf-8") as f:
            lines = f.readlines()
    except (OSError, UnicodeDecodeError):
        return _linecache_lines(filename)
    _file_lines_cache[filename] = (stamp, lines)
    return lines


def _linecache_lines(filename):
    """Sources that are not plain files (zip imports, interactive shells that register their
    cells with `linecache`); `linecache` imports `tokenize` on first use, so it is the fallback.
    For ``<string>``, the command of ``python -c`` when there is one: a function defined in
    ``exec()`` is also in ``<string>``, so this text is only a candidate, checked against the
    function's code like any other."""
    import sys

    if _has_no_file(filename) and "linecache" not in sys.modules:
        # Only what registered text in `linecache`'s cache can give `<string>` or `<stdin>`
        # lines, and nothing did if it is not imported: the import (of `tokenize` and `re`,
        # milliseconds) would find nothing.
        lines = None
    else:
        import linecache

        lines = linecache.getlines(filename)
    if not lines and filename == "<string>":
        lines = _command_lines()
    return lines or None


def _command_lines():
    """The lines of ``python -c``'s command (``sys.orig_argv``), or None."""
    import sys

    argv = getattr(sys, "orig_argv", None) or []
    for k, arg in enumerate(argv[1:], 1):
        if arg == "-c" and k + 1 < len(argv):
            return argv[k + 1].splitlines(keepends=True)
        if arg == "-m" or not arg.startswith("-"):
            break  # a module or a script: no command
    return None


def _has_no_file(filename):
    """Whether ``filename`` names no file but where Python compiled some text (``<string>``,
    ``<stdin>``, ``<console>``, ...)."""
    return filename.startswith("<") and filename.endswith(">")


def source_info(func, lines, fast=True):
    """Return ``(filename, first_line, text, defaults)`` for ``func``, from ``lines``,
    the file's lines captured when it was decorated.

    ``text`` is the function's source as written in its file (decorators and indentation
    included), ``first_line`` the line it starts on, and ``defaults`` one tuple per positional
    parameter: ``()`` when it has no default, ``(value,)`` when it has one.

    With ``fast``, the block is cut by indentation (no ``inspect``, whose import and tokenizing
    cost milliseconds); a block that does not parse (a multi-line string or continuation line
    indented less than the function) is asked for again with ``fast=False``.

    Raises UnsupportedError when there is no source, or when the text is not the code Python
    runs for ``func``.
    """
    code = func.__code__
    first_line = code.co_firstlineno
    if not lines:
        # No text at all (`exec`, the prompt, a module whose file is gone): rebuilt from the
        # code object, or an UnsupportedError saying why not.
        return _reconstructed_source(func)
    # ferrojit's own library, unchanged since Python read it, is what Python runs.
    trusted = _is_unchanged_library_text(code.co_filename, lines)
    text = _indented_block(lines, first_line) if fast else None
    if text is None or not (trusted or _matches_code(func, text, first_line, lines)):
        # The cut by indentation misses lines indented less than the function (in a
        # multi-line string, a continuation line); tokenizing finds them.
        text = _tokenized_block(lines, first_line)
        if text is None or not (trusted or _matches_code(func, text, first_line, lines)):
            if _has_no_file(code.co_filename):
                # Text found for `<string>` (the `-c` command) that is not this function's:
                # the function was defined in `exec()`.
                return _reconstructed_source(func)
            raise UnsupportedError(
                f"the source of `{func.__qualname__}` in {code.co_filename}, line {first_line}, is "
                f"not the code Python is running: the file changed after the function was "
                f"defined, so ferrojit will not compile it (it compiles the source text, and would "
                f"run something other than what Python runs)\n  hint: reload the module "
                f"(`importlib.reload`) or restart Python after editing its file"
            )
    return code.co_filename, max(first_line, 1), text, parameter_defaults(func)


# code object -> (filename, first_line, text) rebuilt and checked, or the UnsupportedError saying
# why not. Code objects are immutable, so neither can change; an entry goes with its code
# object (a `weakref.WeakKeyDictionary`, made on first use).
_reconstructed = None


def _origin(code, line):
    """Where a function without a file was defined, for messages."""
    where = {
        "<stdin>": "at the interactive prompt",
        "<string>": "in `exec()` or `python -c`",
    }.get(code.co_filename, "in code compiled from a string" if _has_no_file(code.co_filename) else "in a file that cannot be read")
    return f"{where} ({code.co_filename}, line {line})"


def _reconstructed_source(func):
    """``source_info``'s result for a function that has no source text: the text is rebuilt
    from its code object (``ferrojit._decompile``, imported only here), then compiled by
    CPython and compared with the code object as text read from a file is (the comparison
    tolerates only line-number NOPs, see :func:`_same_code_but_line_nops`). A text that is not
    the code Python runs is never returned: UnsupportedError names the function, where it
    was defined and the construct not rebuilt."""
    global _reconstructed
    if _reconstructed is None:
        import weakref

        _reconstructed = weakref.WeakKeyDictionary()
    code = func.__code__
    known = _reconstructed.get(code)
    if known is None:
        known = _reconstructed[code] = _reconstruct(func)
    if isinstance(known, UnsupportedError):
        raise UnsupportedError(str(known))
    filename, first_line, text = known
    return filename, first_line, text, parameter_defaults(func)


def _reconstruct(func):
    """``(filename, first_line, text)`` rebuilt from ``func``'s code object and checked, or the
    UnsupportedError to raise (returned, so that it is kept for later calls)."""
    code = func.__code__
    hint = "\n  hint: define the function in a .py file and import it"
    from . import _native

    # The native reader gives the Python reader's text for the constructs numerical kernels are
    # made of, without importing it (milliseconds on a first call); None hands over to it.
    rebuilt = _native.function_text(code)
    try:
        text, first_line = rebuilt if rebuilt is not None else _python_function_text(code)
    except _DecompileError as e:
        return UnsupportedError(
            f"cannot find the source code of `{func.__qualname__}` (defined {_origin(code, e.line or code.co_firstlineno)}), "
            f"and rebuilding it from its bytecode does not handle {e.construct}; ferrojit compiles "
            f"functions from their source{hint}"
        )
    except (IndexError, KeyError, AttributeError, TypeError, ValueError) as e:
        # A pattern the rebuilding misread: refused like a construct it does not handle.
        return UnsupportedError(
            f"cannot find the source code of `{func.__qualname__}` (defined {_origin(code, code.co_firstlineno)}), "
            f"and rebuilding it from its bytecode failed ({type(e).__name__}: {e}); ferrojit compiles "
            f"functions from their source{hint}"
        )
    except (RecursionError, MemoryError):
        return UnsupportedError(
            f"cannot find the source code of `{func.__qualname__}` (defined {_origin(code, code.co_firstlineno)}), "
            f"and it is too deeply nested to rebuild from its bytecode{hint}"
        )
    # A module whose import CPython compiled with the function (`import numpy as np` in the
    # same `exec` text) has its functions called as attributes, one imported by an earlier
    # statement at the prompt as methods: the text is compiled with the imports of the first.
    method_calls, attribute_calls = _global_calls(func)
    if not _compiles_to(text, first_line, func, method_calls, attribute_calls):
        compiled, text_first_line = _compile_in_place(text, first_line, func, method_calls, attribute_calls)
        candidates = [c for c in _nested_code(compiled) if c.co_name == code.co_name and c.co_firstlineno == text_first_line] if compiled else []
        line = _first_difference_line(candidates[0], code) if candidates else None
        return UnsupportedError(
            f"cannot find the source code of `{func.__qualname__}` (defined {_origin(code, line or code.co_firstlineno)}), "
            f"and the text rebuilt from its bytecode is not the code Python runs"
            f"{f' from line {line} on' if line else ''} (a construct the rebuilding does not handle"
            f"{' there' if line else ''}), so ferrojit will not compile it{hint}"
        )
    return code.co_filename, max(first_line, 1), text


class _DecompileError(Exception):
    """Stands for ``ferrojit._decompile.DecompileError`` (see :func:`_python_function_text`)."""

    def __init__(self, construct, line):
        super().__init__(construct)
        self.construct = construct
        self.line = line


# The Pythons whose bytecode the native reader reads (`ferrojit._native.function_text`, the
# constructs of numerical kernels), and those the Python reader reads (`ferrojit._decompile`'s
# `_READERS`: every construct it handles, and its errors naming the construct). The Python
# reader is not even imported on others, whose `opcode` tables it does not know: there a
# function the native reader hands over is the clear error naming the version.
NATIVE_REBUILT_VERSIONS = ((3, 11), (3, 12))
REBUILT_VERSIONS = ((3, 11), (3, 12))


def _python_function_text(code):
    """``ferrojit._decompile.function_text(code)``, its DecompileError raised as
    :class:`_DecompileError` (so that the native reader's success path does not import the
    Python reader to name its exception)."""
    import sys

    if sys.version_info[:2] not in REBUILT_VERSIONS:
        readable = ", ".join(f"{major}.{minor}" for major, minor in REBUILT_VERSIONS)
        version = f"{sys.version_info[0]}.{sys.version_info[1]}"
        if sys.version_info[:2] in NATIVE_REBUILT_VERSIONS:
            # The native reader reads this Python's bytecode, but not this function's: named by
            # the first instruction it does not read, when one is the reason.
            import opcode

            from . import _native

            unread = _native.first_unread_instruction(code)
            what = f"`{opcode.opname[unread[0]]}`" if unread else "this function's constructs"
            raise _DecompileError(
                f"{what} in Python {version}'s bytecode (only the common constructs of numerical code are read on "
                f"Python {version}, without comprehensions, generators, `try`/`with`/`match`, imports or annotations; "
                f"all of them on Python {readable})",
                unread[1] if unread else None,
            )
        raise _DecompileError(f"Python {version}'s bytecode (only that of Python {readable} is read)", None)
    from . import _decompile

    try:
        return _decompile.function_text(code)
    except _decompile.DecompileError as e:
        raise _DecompileError(e.construct, e.line) from None


def _first_difference_line(rebuilt, code):
    """The line of ``code`` where the instructions compiled from a rebuilt text first differ
    from it (nested code objects searched in order), or None."""
    # `dis` (slow to import, see `ferrojit._bytecode.instructions`) only for the message of a text that
    # failed: its `argrepr` says how two arguments differ.
    import dis

    ours = [i for i in dis.get_instructions(rebuilt) if i.opname not in ("NOP", "EXTENDED_ARG")]
    theirs = [i for i in dis.get_instructions(code) if i.opname not in ("NOP", "EXTENDED_ARG")]
    for a, b in zip(ours, theirs):
        if a.opname != b.opname or (a.argrepr != b.argrepr and not hasattr(a.argval, "co_code")):
            return b.positions.lineno if b.positions else None
    nested = [(x, y) for x, y in zip(rebuilt.co_consts, code.co_consts) if hasattr(x, "co_code") and hasattr(y, "co_code")]
    for x, y in nested:
        if not _same_code_but_line_nops(x, y):
            return _first_difference_line(x, y)
    if len(ours) != len(theirs):
        shorter = min(len(ours), len(theirs))
        rest = theirs[shorter:] or theirs[-1:]
        return rest[0].positions.lineno if rest and rest[0].positions else None
    return None


def _global_calls(func):
    """``(methods, attributes)``: the globals whose attributes ``func``'s code calls as methods
    (``LOAD_GLOBAL np; LOAD_METHOD tanh``) and as attributes (``LOAD_GLOBAL NULL + np;
    LOAD_ATTR tanh``). CPython 3.11 compiles the second when the name was bound by an import
    compiled with the function (`import numpy as np` in the same `exec` text), the first
    otherwise (an import typed at the prompt before)."""
    from . import _native

    # A local or enclosing variable counts too: CPython asks whether the module's top level
    # imports the name, whatever the name is bound to where it is used (the loads are those
    # of globals, locals, enclosing variables and names).
    methods, attributes = set(), set()
    for code in (func.__code__, *_nested_code(func.__code__)):
        code_methods, code_attributes = _native.global_calls(code)
        methods.update(code_methods)
        attributes.update(code_attributes)
    return methods, attributes


def _compiles_to(text, first_line, func, not_imported, also_imported):
    """Whether ``text`` compiles to ``func``'s code (see :func:`_compile_in_place`)."""
    code = func.__code__
    compiled, text_first_line = _compile_in_place(text, first_line, func, not_imported, also_imported)
    return compiled is not None and any(
        c.co_name == code.co_name and c.co_firstlineno == text_first_line and _same_code_but_line_nops(c, code)
        for c in _nested_code(compiled)
    )


def _same_code_but_line_nops(a, b):
    """:func:`_same_code`, except that ``NOP`` instructions are left out of the comparison (jumps
    and exception ranges compared by position among the other instructions, and jump arguments'
    ``EXTENDED_ARG`` prefixes left out as part of their instruction). CPython
    keeps a ``NOP`` where a line would otherwise have no instruction, so a rebuilt text,
    whose statements may share or move lines (a multi-line statement is written on one),
    can differ from the original in its NOPs alone, which compute nothing."""
    if _same_code(a, b):
        return True
    return _instructions_but_nops(a) == _instructions_but_nops(b) and _same_names_and_constants(a, b, _same_code_but_line_nops)


def _instructions_but_nops(code):
    """The instructions of ``code`` without NOPs, jump targets and exception-table ranges
    given as positions in that list."""
    from ._bytecode import JUMPS, exception_table, instructions

    # `EXTENDED_ARG` prefixes go too: their bits are in the argument of the instruction they
    # extend, and whether a jump needs one depends on the NOPs before its target.
    left_out = ("NOP", "EXTENDED_ARG")
    listed = instructions(code)
    position = {}
    kept = 0
    for ins in listed:
        position[ins.offset] = kept
        if ins.opname not in left_out:
            kept += 1
    end = kept

    def at(offset):
        return position.get(offset, end)

    stream = [
        (ins.opname, at(ins.argval) if ins.opcode in JUMPS else ins.arg)
        for ins in listed
        if ins.opname not in left_out
    ]
    table = [(at(start), at(stop), at(target), depth, lasti) for start, stop, target, depth, lasti in exception_table(code)]
    return stream, table


# `code.co_flags` bits (`inspect.CO_VARARGS`, `inspect.CO_VARKEYWORDS`; `inspect` is slow to
# import).
CO_VARARGS = 0x04
CO_VARKEYWORDS = 0x08


def parameter_defaults(func):
    """One tuple per parameter of ``func`` in the order compiled code takes them (positional
    ones, ``*args``, keyword-only ones, ``**kwargs``): ``()`` without a default, ``(value,)``
    with one."""
    code = func.__code__
    nparams = code.co_argcount
    given = func.__defaults__ or ()
    defaults = [()] * (nparams - len(given)) + [(v,) for v in given]
    if code.co_flags & CO_VARARGS:
        defaults.append(())
    keyword_defaults = func.__kwdefaults__ or {}
    for name in code.co_varnames[nparams : nparams + code.co_kwonlyargcount]:
        defaults.append((keyword_defaults[name],) if name in keyword_defaults else ())
    if code.co_flags & CO_VARKEYWORDS:
        defaults.append(())
    return defaults


def _indented_block(lines, first_line):
    """The decorators and ``def`` line starting at ``first_line`` plus the following lines
    indented deeper than them, or None when there is no ``def`` there."""
    start = first_line - 1
    if not 0 <= start < len(lines):
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


def _tokenized_block(lines, first_line):
    """The block starting at ``first_line`` as ``inspect`` finds it, by tokenizing."""
    if not 0 < first_line <= len(lines) or not lines[first_line - 1].lstrip().startswith(("def ", "async def ", "@")):
        # A function's code starts on its `def` line or its first decorator's: text without one
        # there is not the function's (the `-c` command around an `exec`), and `inspect`, whose
        # import costs milliseconds, would find nothing.
        return None
    import inspect

    try:
        return "".join(inspect.getblock(lines[first_line - 1 :]))
    except (SyntaxError, IndentationError, ValueError):
        return None


def _matches_code(func, text, first_line, lines):
    """Whether CPython compiles ``text``, at ``first_line`` of the file whose lines are
    ``lines``, into ``func``'s code object: same bytecode, constants (nested code objects
    included), names, local names and parameter counts; line tables may differ.

    The text is compiled alone first (tens of microseconds): in its place in the file, under
    the enclosing function's variables, with the module's imports that the bytecode depends on.
    Only when that differs is the whole file compiled (milliseconds per thousand lines; once
    per file) and the function looked up in it."""
    code = func.__code__
    if _assertions_rewritten(code):
        return _same_definition(code, _compile_in_place(text, first_line, func), text, first_line)
    compiled, text_first_line = _compile_in_place(text, first_line, func)
    if compiled is not None and any(
        c.co_name == code.co_name and c.co_firstlineno == text_first_line and _same_code(c, code)
        for c in _nested_code(compiled)
    ):
        return True
    module = _compiled_file(lines, code)
    return (
        module is not None
        and _covers(code, text, first_line)
        and any(c.co_name == code.co_name and c.co_firstlineno == code.co_firstlineno and _same_code(c, code) for c in _nested_code(module))
    )


# id(lines) -> (lines, the file compiled); `lines` is kept so that its id stays its own.
_compiled_files: dict[int, tuple[list[str], CodeType | None]] = {}


def _compiled_file(lines, code):
    """The captured file compiled as a module (None if it does not compile), once per file."""
    cached = _compiled_files.get(id(lines))
    if cached is None:
        try:
            compiled = _compile("".join(lines), code.co_filename, _future_flags(code))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            compiled = None
        cached = _compiled_files[id(lines)] = (lines, compiled)
    return cached[1]


def _covers(code, text, first_line):
    """Whether ``text`` (starting at ``first_line``) spans every line ``code`` has code on."""
    last_line = first_line + text.count("\n") - (0 if text.endswith("\n") else -1) - 1
    return all(line is None or first_line <= line <= last_line for _, _, line in code.co_lines())


def _assertions_rewritten(code):
    """pytest rewrites `assert` statements in test modules: the code Python runs is then not
    what the text compiles to, by design. Such functions are checked by their definition."""
    return any(name.startswith("@py") for name in code.co_varnames + code.co_names) or any(
        hasattr(c, "co_code") and _assertions_rewritten(c) for c in code.co_consts
    )


def _same_definition(code, compiled_at, text, first_line):
    """The weaker check for rewritten code: a function of the same name, parameters and first
    line, whose text spans all of the code's lines."""
    compiled, text_first_line = compiled_at
    n = code.co_argcount + code.co_kwonlyargcount
    return compiled is not None and _covers(code, text, first_line) and any(
        c.co_name == code.co_name
        and c.co_firstlineno == text_first_line
        and c.co_argcount == code.co_argcount
        and c.co_varnames[:n] == code.co_varnames[:n]
        for c in _nested_code(compiled)
    )


def _compile_in_place(text, first_line, func, not_imported=(), also_imported=()):
    """``text`` compiled by CPython, and the line its first line has in the result (``(None,
    0)`` if it does not compile).

    Module-level names of ``func``'s globals that hold modules are imported first: CPython
    compiles ``module.function(...)`` differently when ``module`` comes from an import in the
    same file. An indented function is put under ``if 1:`` (which compiles to nothing); a
    function that reads variables of an enclosing function (``co_freevars``) is put inside a
    function that defines them, so that it reads them the same way (``LOAD_DEREF``). Blank
    lines in front put the first line where the file has it, when there is room for them.
    The modules named in ``not_imported`` are not imported first (a function compiled apart
    from their imports, as at the interactive prompt), the names in ``also_imported`` are
    (whatever they hold: what matters is that an import binds them)."""
    code = func.__code__
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    module_type = type(os)
    imported = [n for n in _global_names(code) if (isinstance(func.__globals__.get(n), module_type) or n in also_imported) and n not in not_imported]
    head = f"import {', '.join(imported)}\n" if imported else ""
    if code.co_freevars:
        if not indent:
            return None, 0
        head += f"def _enclosing():\n{indent}{' = '.join(code.co_freevars)} = None\n"
    elif indent:
        head += "if 1:\n"
    padding = "\n" * max(first_line - 1 - head.count("\n"), 0)
    try:
        compiled = _compile(padding + head + text, code.co_filename, _future_flags(code))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None, 0
    return compiled, len(padding) + head.count("\n") + 1


def _compile(source, filename, flags):
    """CPython's ``compile`` of a module text, on a stack deep enough for any nesting CPython
    accepts (the calling thread's may be small), without showing again the warnings Python
    showed when it compiled the file.

    No Python code may run inside that native call (a thread switch there, while the
    interpreter exits, would end a daemon thread through frames that cannot be unwound): the
    warnings are silenced and the garbage collector, whose finalizers run Python code, waits."""
    import gc
    import warnings

    from . import _native

    collecting = gc.isenabled()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gc.disable()
        try:
            return _native.compile_on_deep_stack(source, filename, flags)
        finally:
            if collecting:
                gc.enable()


def _global_names(code):
    """The names ``code`` and the code nested in it look up (globals among them)."""
    names = set(code.co_names)
    for c in _nested_code(code):
        names.update(c.co_names)
    return sorted(names)


def _future_flags(code):
    """The ``from __future__`` flags ``code`` was compiled with."""
    import __future__

    flags = 0
    for feature in __future__.all_feature_names:
        flags |= code.co_flags & getattr(__future__, feature).compiler_flag
    return flags


def _nested_code(code):
    """Every code object inside ``code`` (itself excluded), depth first."""
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            yield const
            yield from _nested_code(const)


def _same_code(a, b):
    """The same compiled function: what runs and what it names, not where its lines are."""
    return (
        a.co_code == b.co_code
        and getattr(a, "co_exceptiontable", None) == getattr(b, "co_exceptiontable", None)
        and _same_names_and_constants(a, b, _same_code)
    )


def _same_names_and_constants(a, b, same_nested):
    """What two code objects must share beside their instructions: names, local names,
    parameter counts and constants, nested code objects compared by ``same_nested``."""
    return (
        a.co_names == b.co_names
        and a.co_varnames == b.co_varnames
        and a.co_freevars == b.co_freevars
        and a.co_cellvars == b.co_cellvars
        and a.co_argcount == b.co_argcount
        and a.co_posonlyargcount == b.co_posonlyargcount
        and a.co_kwonlyargcount == b.co_kwonlyargcount
        and len(a.co_consts) == len(b.co_consts)
        and all(
            same_nested(x, y) if hasattr(x, "co_code") and hasattr(y, "co_code") else _same_constant(x, y)
            for x, y in zip(a.co_consts, b.co_consts)
        )
    )


def _same_constant(x, y):
    if hasattr(x, "co_code") or hasattr(y, "co_code"):
        return hasattr(x, "co_code") and hasattr(y, "co_code") and _same_code(x, y)
    # repr tells 0.0 from -0.0 and compares NaNs, which == does not.
    return type(x) is type(y) and repr(x) == repr(y)
