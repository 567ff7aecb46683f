"""`str.format` of a template known only when the code runs (a constant template is parsed
when compiling: crates/ferrojit_infer/src/strings.rs)."""

from __future__ import annotations

import numpy as np

from .. import literal_unroll, types
from ..extending import overload, register_jitable
from . import str_format_runtime

# The template is parsed as CPython's `str.format` parses it, with its `ValueError`s; the
# arguments are a tuple whose types the compiler knows, so a field's argument is picked by its
# position among them (`literal_unroll`: each argument's formatting is compiled for its type).
# Fields name positions (`{}`, `{0}`) or keyword arguments (`{x}`: the keywords' names and
# values are two tuples), with a conversion (`!r`, `!s`, `!a`) and a spec, which may hold
# replacement fields itself (`{:{}}`, `{0:>{w}}`); attributes and items are not supported (a
# field naming no keyword raises CPython's `KeyError(name)`).


@register_jitable
def _formatted(args, k, conversion, spec):
    """``format(conversion(args[k]), spec)``: CPython's ``IndexError`` for a position past
    the arguments."""
    i = 0
    for x in literal_unroll(args):
        if i == k:
            if conversion == "r":
                return format(repr(x), spec)
            if conversion == "s":
                return format(str(x), spec)
            if conversion == "a":
                return format(ascii(x), spec)
            # `format(x, "")` is `str(x)` for every built-in type (a float32's is its float's).
            if len(spec) == 0:
                return format(x, "")
            # NumPy's numbers format as the Python numbers they convert to.
            if isinstance(x, (int, float, str, np.integer, np.floating)):
                return format(x, spec)
            raise TypeError("unsupported format string passed to the value's __format__")
        i += 1
    # Behind a test (always true here), so that the function gives text even of no arguments.
    if k >= i:
        raise IndexError(f"Replacement index {k} out of range for positional args tuple")
    return ""


@register_jitable
def _field_position(name, auto):
    """The argument position of a field named ``name`` (empty for the next one), and the
    next automatic position (-1 once a field has given a position: CPython forbids mixing
    the two). ``auto`` is -2 before any field."""
    if len(name) == 0:
        if auto == -1:
            raise ValueError("cannot switch from manual field specification to automatic field numbering")
        k = 0 if auto == -2 else auto
        return k, k + 1
    if auto >= 0:
        raise ValueError("cannot switch from automatic field numbering to manual field specification")
    return int(name), -1


@register_jitable
def _keyword_position(names, name):
    """The position of ``name`` among the keywords' ``names``; CPython's ``KeyError(name)``."""
    k = 0
    for known in literal_unroll(names):
        if known == name:
            return k
        k += 1
    # Behind a test (always true here), so that the function gives a position even of no names.
    if k >= 0:
        raise KeyError(name)
    return -1


@register_jitable
def _field_end(template, start):
    """The position of the ``}`` closing the field opened just before ``start`` (the braces
    inside balance, as CPython counts them)."""
    depth = 1
    j = start
    n = len(template)
    while j < n:
        c = template[j]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    raise ValueError("expected '}' before end of string")


@register_jitable
def _render(template, args, names, values, auto, nested):
    """The text of ``template`` with its fields replaced, and the next automatic position.
    ``nested``: ``template`` is a field's spec, whose fields hold no fields themselves."""
    pieces = [""]
    n = len(template)
    i = 0
    while i < n:
        brace = template.find("{", i)
        close = template.find("}", i)
        if close >= 0 and (brace < 0 or close < brace):
            if close + 1 < n and template[close + 1] == "}":
                pieces.append(template[i:close + 1])
                i = close + 2
                continue
            raise ValueError("Single '}' encountered in format string")
        if brace < 0:
            pieces.append(template[i:])
            break
        pieces.append(template[i:brace])
        if brace + 1 < n and template[brace + 1] == "{":
            pieces.append("{")
            i = brace + 2
            continue
        if brace + 1 == n:
            raise ValueError("Single '{' encountered in format string")
        end = _field_end(template, brace + 1)
        field = template[brace + 1:end]
        # The name runs to the first `!` or `:` (CPython's rule: a spec may hold either).
        stop = len(field)
        bang = field.find("!")
        colon = field.find(":")
        if bang >= 0 and (colon < 0 or bang < colon):
            stop = bang
        elif colon >= 0:
            stop = colon
        name = field[:stop]
        conversion = ""
        spec = ""
        if stop < len(field) and field[stop] == "!":
            if stop + 1 >= len(field):
                raise ValueError("end of string while looking for conversion specifier")
            conversion = field[stop + 1:stop + 2]
            if stop + 2 < len(field) and field[stop + 2] != ":":
                raise ValueError("expected ':' after conversion specifier")
            if conversion != "r" and conversion != "s" and conversion != "a":
                raise ValueError(f"Unknown conversion specifier {conversion}")
            spec = field[stop + 3:]
        elif stop < len(field):
            spec = field[stop + 1:]
        keyword = len(name) > 0 and not name.isdigit()
        if keyword:
            k = _keyword_position(names, name)
        else:
            k, auto = _field_position(name, auto)
        if spec.find("{") >= 0:
            if nested:
                raise ValueError("Max string recursion exceeded")
            spec, auto = _render(spec, args, names, values, auto, True)
        if keyword:
            pieces.append(_formatted(values, k, conversion, spec))
        else:
            pieces.append(_formatted(args, k, conversion, spec))
        i = end + 1
    return "".join(pieces), auto


@overload(str_format_runtime)
def _format_runtime(template, args, names, values):
    if not (isinstance(template, types.UnicodeType) and all(isinstance(t, types.BaseTuple) for t in (args, names, values))):
        return None

    def impl(template, args, names, values):
        text, auto = _render(template, args, names, values, -2, False)
        return text

    return impl
