"""The methods of strings in compiled code, with CPython's results and errors.

Each is written with primitives the compiler builds (crates/ferrojit_infer/src/strings.rs), one
runtime function each (crates/ferrojit_runtime/src/strings.rs), none of which checks its
arguments' types: the typing functions here do. ``None`` bounds pass as they are (the runtime
reads them as CPython's defaults). Python callers never reach the primitives.
"""

from __future__ import annotations

from .. import types
from ..extending import CallRefused, overload, overload_method, register_jitable
from . import bytes_fromhex, bytes_get_slice, str_get_slice
from .lists import _slice_span


def _compiled_only(name):
    def primitive(*args):
        raise NotImplementedError(f"{name} is called from compiled code only")

    primitive.__name__ = primitive.__qualname__ = name
    return primitive


# The primitives: `find(s, sub, start, end, last)` is `s.find` (`s.rfind` with `last`) and so on.
find = _compiled_only("find")
count = _compiled_only("count")
starts = _compiled_only("starts")
replace = _compiled_only("replace")
strip = _compiled_only("strip")
strip_whitespace = _compiled_only("strip_whitespace")
split = _compiled_only("split")
split_whitespace = _compiled_only("split_whitespace")
splitlines = _compiled_only("splitlines")
join = _compiled_only("join")
case = _compiled_only("case")
predicate = _compiled_only("predicate")
pad = _compiled_only("pad")
slice_of = _compiled_only("slice_of")
bytes_slice_of = _compiled_only("bytes_slice_of")
repr = _compiled_only("repr")  # noqa: A001 - the primitive of `repr(s)`
encode = _compiled_only("encode")
decode = _compiled_only("decode")


def _str(t):
    # A parameter's default value arrives as the value itself.
    return isinstance(t, (types.UnicodeType, types.StringLiteral, str))


def _none(t):
    return t is None or isinstance(t, types.NoneType)


def _int(t):
    return isinstance(t, (types.Integer, types.Boolean, int))


def _bound(t):
    return _none(t) or _int(t)


def _kind(s):
    """The name of the text type of ``s``: bytes share str's methods (and primitives)."""
    return "bytes" if isinstance(s, types.Bytes) else "str"


def _like(s, value):
    """Whether ``value`` is text of the same type as ``s`` (str with str, bytes with bytes)."""
    return isinstance(value, types.Bytes) if isinstance(s, types.Bytes) else _str(value)


def _need_like(s, value, method, what="argument"):
    if not _like(s, value):
        raise CallRefused(f"`{_kind(s)}.{method}()` {what} must be {_kind(s)}, not `{value}`")


def _need_bounds(method, *bounds):
    for b in bounds:
        if not _bound(b):
            raise CallRefused(f"`str.{method}()` slice indices must be integers or None, not `{b}`")


@overload(str_get_slice)
def _get_slice(s, start, stop, step):
    if not _str(s) or not all(_bound(t) for t in (start, stop, step)):
        return None

    def impl(s, start, stop, step):
        first, st, n = _slice_span(len(s), start, stop, step)
        return slice_of(s, first, st, n)

    return impl


@overload(bytes_get_slice)
def _bytes_get_slice(b, start, stop, step):
    if not isinstance(b, types.Bytes) or not all(_bound(t) for t in (start, stop, step)):
        return None

    def impl(b, start, stop, step):
        first, st, n = _slice_span(len(b), start, stop, step)
        return bytes_slice_of(b, first, st, n)

    return impl


# ---- searching ---------------------------------------------------------------------------------


def _searching(method, last):
    def typing(s, sub, start=None, end=None):
        _need_like(s, sub, method)
        _need_bounds(method, start, end)

        def impl(s, sub, start=None, end=None):
            return find(s, sub, start, end, last)

        return impl

    return typing




def _indexing(method, last):
    def typing(s, sub, start=None, end=None):
        _need_like(s, sub, method)
        _need_bounds(method, start, end)
        if isinstance(s, types.Bytes):

            def of_bytes(s, sub, start=None, end=None):
                at = find(s, sub, start, end, last)
                if at < 0:
                    raise ValueError("subsection not found")
                return at

            return of_bytes

        def impl(s, sub, start=None, end=None):
            at = find(s, sub, start, end, last)
            if at < 0:
                raise ValueError("substring not found")
            return at

        return impl

    return typing




def _count(s, sub, start=None, end=None):
    _need_like(s, sub, "count")
    _need_bounds("count", start, end)

    def impl(s, sub, start=None, end=None):
        return count(s, sub, start, end)

    return impl


def _affix(method, at_end):
    def typing(s, prefix, start=None, end=None):
        _need_bounds(method, start, end)
        if _like(s, prefix):

            def one(s, prefix, start=None, end=None):
                return starts(s, prefix, start, end, at_end)

            return one
        if isinstance(prefix, types.BaseTuple) and all(_like(s, p) for p in prefix):

            def any_of(s, prefix, start=None, end=None):
                for p in prefix:
                    if starts(s, p, start, end, at_end):
                        return True
                return False

            return any_of
        raise CallRefused(f"{method} first arg must be {_kind(s)} or a tuple of {_kind(s)}, not `{prefix}`")

    return typing




# ---- new strings -------------------------------------------------------------------------------


def _replace(s, old, new, count=-1):
    _need_like(s, old, "replace", "first argument")
    _need_like(s, new, "replace", "second argument")
    if not _int(count):
        raise CallRefused(f"`str.replace()` count must be an integer, not `{count}`")

    def impl(s, old, new, count=-1):
        return replace(s, old, new, count)

    return impl


def _stripping(method, sides):
    def typing(s, chars=None):
        if _none(chars) and isinstance(s, types.Bytes):

            def ascii_whitespace(s, chars=None):
                return strip(s, b" \t\n\r\x0b\x0c", sides)

            return ascii_whitespace
        if _none(chars):

            def whitespace(s, chars=None):
                return strip_whitespace(s, sides)

            return whitespace
        if not _like(s, chars):
            raise CallRefused(f"{method} arg must be None or {_kind(s)}, not `{chars}`")

        def given(s, chars=None):
            return strip(s, chars, sides)

        return given

    return typing




def _splitting(method, last):
    def typing(s, sep=None, maxsplit=-1):
        if not _int(maxsplit):
            raise CallRefused(f"`str.{method}()` maxsplit must be an integer, not `{maxsplit}`")
        if _none(sep) and isinstance(s, types.Bytes):

            def ascii_whitespace(s, sep=None, maxsplit=-1):
                return _split_ascii_whitespace(s, maxsplit, last)

            return ascii_whitespace
        if _none(sep):

            def whitespace(s, sep=None, maxsplit=-1):
                return split_whitespace(s, maxsplit, last)

            return whitespace
        if not _like(s, sep):
            raise CallRefused(f"must be {_kind(s)} or None, not `{sep}`")

        def given(s, sep=None, maxsplit=-1):
            return split(s, sep, maxsplit, last)

        return given

    return typing




@overload_method(types.UnicodeType, "splitlines")
def _splitlines(s, keepends=False):
    if not _int(keepends):
        raise CallRefused(f"`str.splitlines()` keepends must be a bool, not `{keepends}`")

    def impl(s, keepends=False):
        return splitlines(s, keepends)

    return impl


def _join(sep, iterable):
    if isinstance(iterable, types.List) and _like(sep, iterable.dtype):

        def of_list(sep, iterable):
            return join(sep, iterable)

        return of_list
    if isinstance(iterable, types.List) or (isinstance(iterable, types.BaseTuple) and not all(_like(sep, t) for t in iterable)):
        item = iterable.dtype if isinstance(iterable, types.List) else next(t for t in iterable if not _like(sep, t))
        expected = "a bytes-like object" if isinstance(sep, types.Bytes) else "str instance"
        raise CallRefused(f"sequence item 0: expected {expected}, `{item}` found")

    def of_items(sep, iterable):
        items = [x for x in iterable]
        return join(sep, items)

    return of_items


def _partitioning(method, last):
    def typing(s, sep):
        _need_like(s, sep, method)

        def impl(s, sep):
            if len(sep) == 0:
                raise ValueError("empty separator")
            at = find(s, sep, None, None, last)
            if at < 0:
                # `s[:0]`: the empty text of `s`'s type.
                if last:
                    return s[:0], s[:0], s
                return s, s[:0], s[:0]
            return s[:at], sep, s[at + len(sep) :]

        return impl

    return typing




def _removeprefix(s, prefix):
    _need_like(s, prefix, "removeprefix")

    def impl(s, prefix):
        if starts(s, prefix, None, None, 0):
            return s[len(prefix) :]
        return s[:]

    return impl


def _removesuffix(s, suffix):
    _need_like(s, suffix, "removesuffix")

    def impl(s, suffix):
        if len(suffix) > 0 and starts(s, suffix, None, None, 1):
            return s[: len(s) - len(suffix)]
        return s[:]

    return impl


def _casing(op):
    def typing(s):
        def impl(s):
            return case(s, op)

        return impl

    return typing


for _op, _name in enumerate(("upper", "lower", "title", "capitalize", "swapcase", "casefold")):
    overload_method(types.UnicodeType, _name)(_casing(_op))


def _padding(method, align):
    def typing(s, width, fillchar=" "):
        if not _int(width):
            raise CallRefused(f"`{_kind(s)}.{method}()` width must be an integer, not `{width}`")
        if isinstance(s, types.Bytes):
            # The default, `" "`, arrives as the value itself.
            if isinstance(fillchar, str):

                def space_filled(s, width, fillchar=" "):
                    return pad(s, width, b" ", align)

                return space_filled
            if not isinstance(fillchar, types.Bytes):
                raise CallRefused(f"{method}() argument 2 must be a byte string of length 1, not `{fillchar}`")

            def byte_filled(s, width, fillchar=" "):
                if len(fillchar) != 1:
                    raise TypeError(f"{method}() argument 2 must be a byte string of length 1, not bytes")
                return pad(s, width, fillchar, align)

            return byte_filled
        if not _str(fillchar):
            raise CallRefused(f"The fill character must be a unicode character, not `{fillchar}`")

        def impl(s, width, fillchar=" "):
            return pad(s, width, fillchar, align)

        return impl

    return typing


for _text in (types.UnicodeType, types.Bytes):
    overload_method(_text, "center")(_padding("center", 0))
    overload_method(_text, "ljust")(_padding("ljust", 1))
    overload_method(_text, "rjust")(_padding("rjust", 2))


def _zfill(s, width):
    if not _int(width):
        raise CallRefused(f"`{_kind(s)}.zfill()` width must be an integer, not `{width}`")

    def impl(s, width):
        return pad(s, width, s, 3)

    return impl


overload_method(types.UnicodeType, "zfill")(_zfill)
overload_method(types.Bytes, "zfill")(_zfill)


@overload_method(types.UnicodeType, "expandtabs")
def _expandtabs(s, tabsize=8):
    if not _int(tabsize):
        raise CallRefused(f"`str.expandtabs()` tabsize must be an integer, not `{tabsize}`")

    def impl(s, tabsize=8):
        out = []
        column = 0
        for c in s:
            if c == "\t":
                if tabsize > 0:
                    spaces = tabsize - column % tabsize
                    out.append(" " * spaces)
                    column += spaces
            else:
                out.append(c)
                column = 0 if c == "\n" or c == "\r" else column + 1
        return join("", out)

    return impl


# ---- predicates (bool results: Numba's are ints) -------------------------------------------------


def _predicate(op):
    def typing(s):
        def impl(s):
            return predicate(s, op)

        return impl

    return typing


for _op, _name in enumerate(
    ("isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isdecimal", "isnumeric", "istitle", "isascii", "isprintable", "isidentifier")
):
    overload_method(types.UnicodeType, _name)(_predicate(_op))


# The codecs of `str.encode` and `bytes.decode`, by Python's names for them (normalised as
# `codecs.lookup` normalises: case, `-` and `_`), and the error handlers, each by the code the
# runtime takes (crates/ferrojit_runtime/src/strings.rs).
_ENCODINGS = {"utf8": 0, "u8": 0, "utf": 0, "cp65001": 0, "ascii": 1, "usascii": 1, "646": 1, "latin1": 2, "latin": 2, "iso88591": 2, "l1": 2, "cp819": 2, "8859": 2}
_ERRORS = {"strict": 0, "ignore": 1, "replace": 2}


def _codec_arguments(method, encoding, errors):
    """The codes of a constant `encoding` and `errors`; a refusal naming what is supported."""

    def constant(t):
        # A default arrives as the value itself.
        if isinstance(t, str):
            return t
        if isinstance(t, types.StringLiteral):
            return t.literal_value
        raise CallRefused(f"`{method}()` takes its `encoding` and `errors` as string constants")

    name = constant(encoding)
    handler = constant(errors)
    code = _ENCODINGS.get(name.lower().replace("-", "").replace("_", "").replace(" ", ""))
    if code is None:
        raise CallRefused(f"`{method}()` supports the encodings utf-8, ascii and latin-1 in compiled code, not {name!r}")
    if handler not in _ERRORS:
        raise CallRefused(f"`{method}()` supports the error handlers 'strict', 'ignore' and 'replace' in compiled code, not {handler!r}")
    return code, _ERRORS[handler]


@overload_method(types.UnicodeType, "encode")
def _encode(s, encoding="utf-8", errors="strict"):
    code, handler = _codec_arguments("str.encode", encoding, errors)

    def impl(s, encoding="utf-8", errors="strict"):
        return encode(s, code, handler)

    return impl


@overload_method(types.Bytes, "decode")
def _decode(b, encoding="utf-8", errors="strict"):
    code, handler = _codec_arguments("bytes.decode", encoding, errors)

    def impl(b, encoding="utf-8", errors="strict"):
        return decode(b, code, handler)

    return impl



# ---- bytes: the methods shared with str, on the same primitives (bytes are stored as strings
# of one byte per character); whitespace and letters are ASCII's only ----------------------------


@register_jitable
def _is_ascii_space(c):
    return c == 32 or (c >= 9 and c <= 13)


@register_jitable
def _split_ascii_whitespace(s, maxsplit, last):
    """``s.split()`` (``s.rsplit()`` with ``last``) of bytes: runs of ASCII whitespace separate
    the items; past ``maxsplit`` splits (when not negative) the rest is one item."""
    out = [s[:0]]
    out.pop()
    n = len(s)
    splits = 0
    if not last:
        i = 0
        while True:
            while i < n and _is_ascii_space(s[i]):
                i += 1
            if i == n:
                break
            if maxsplit >= 0 and splits == maxsplit:
                out.append(s[i:])
                break
            j = i
            while j < n and not _is_ascii_space(s[j]):
                j += 1
            out.append(s[i:j])
            splits += 1
            i = j
        return out
    j = n
    while True:
        while j > 0 and _is_ascii_space(s[j - 1]):
            j -= 1
        if j == 0:
            break
        if maxsplit >= 0 and splits == maxsplit:
            out.append(s[:j])
            break
        i = j
        while i > 0 and not _is_ascii_space(s[i - 1]):
            i -= 1
        out.append(s[i:j])
        splits += 1
        j = i
    out.reverse()
    return out


# The case conversions of bytes, by the ops of `str`'s (`_casing`): 0 upper, 1 lower, 2 title,
# 3 capitalize, 4 swapcase; only ASCII letters change.


def _ascii_casing(op):
    def typing(s):
        def impl(s):
            # Runs of bytes that do not change are copied as slices.
            upper_letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            lower_letters = b"abcdefghijklmnopqrstuvwxyz"
            pieces = [s[:0]]
            start = 0
            previous_cased = False
            for i in range(len(s)):
                c = s[i]
                upper = c >= 65 and c <= 90
                lower = c >= 97 and c <= 122
                # Whether the letter becomes upper case (1), lower case (-1), or stays (0).
                to = 0
                if op == 0 or (op == 2 and not previous_cased) or (op == 3 and i == 0):
                    to = 1 if lower else 0
                elif op == 1 or op == 2 or op == 3:
                    to = -1 if upper else 0
                elif op == 4:
                    to = 1 if lower else (-1 if upper else 0)
                previous_cased = upper or lower
                if to != 0:
                    pieces.append(s[start:i])
                    k = c - 97 if to > 0 else c - 65
                    pieces.append(upper_letters[k : k + 1] if to > 0 else lower_letters[k : k + 1])
                    start = i + 1
            pieces.append(s[start:])
            return join(s[:0], pieces)

        return impl

    return typing


def _ascii_predicate(op):
    """The predicates of bytes, by the ops of `str`'s (`_predicate`), for ASCII only: 0
    isdigit, 1 isalpha, 2 isalnum, 3 isspace, 4 isupper, 5 islower, 8 istitle, 9 isascii."""

    def typing(s):
        def impl(s):
            if op == 9:
                for c in s:
                    if c >= 128:
                        return False
                return True
            if len(s) == 0:
                return False
            cased = False
            previous_cased = False
            for c in s:
                upper = c >= 65 and c <= 90
                lower = c >= 97 and c <= 122
                digit = c >= 48 and c <= 57
                if op == 0 and not digit:
                    return False
                if op == 1 and not (upper or lower):
                    return False
                if op == 2 and not (upper or lower or digit):
                    return False
                if op == 3 and not _is_ascii_space(c):
                    return False
                if op == 4 and lower:
                    return False
                if op == 5 and upper:
                    return False
                if op == 8 and ((upper and previous_cased) or (lower and not previous_cased)):
                    return False
                cased = cased or upper or lower
                previous_cased = upper or lower
            return cased or op < 4

        return impl

    return typing


@overload_method(types.Bytes, "hex")
def _hex(b):
    def impl(b):
        digits = "0123456789abcdef"
        out = [""]
        out.pop()
        for c in b:
            out.append(digits[c >> 4])
            out.append(digits[c & 15])
        return join("", out)

    return impl


for _text in (types.UnicodeType, types.Bytes):
    overload_method(_text, "find")(_searching("find", 0))
    overload_method(_text, "rfind")(_searching("rfind", 1))
    overload_method(_text, "index")(_indexing("index", 0))
    overload_method(_text, "rindex")(_indexing("rindex", 1))
    overload_method(_text, "count")(_count)
    overload_method(_text, "startswith")(_affix("startswith", 0))
    overload_method(_text, "endswith")(_affix("endswith", 1))
    overload_method(_text, "replace")(_replace)
    overload_method(_text, "strip")(_stripping("strip", 3))
    overload_method(_text, "lstrip")(_stripping("lstrip", 1))
    overload_method(_text, "rstrip")(_stripping("rstrip", 2))
    overload_method(_text, "split")(_splitting("split", 0))
    overload_method(_text, "rsplit")(_splitting("rsplit", 1))
    overload_method(_text, "join")(_join)
    overload_method(_text, "partition")(_partitioning("partition", 0))
    overload_method(_text, "rpartition")(_partitioning("rpartition", 1))
    overload_method(_text, "removeprefix")(_removeprefix)
    overload_method(_text, "removesuffix")(_removesuffix)
for _op, _name in enumerate(("upper", "lower", "title", "capitalize", "swapcase")):
    overload_method(types.Bytes, _name)(_ascii_casing(_op))
for _op, _name in ((0, "isdigit"), (1, "isalpha"), (2, "isalnum"), (3, "isspace"), (4, "isupper"), (5, "islower"), (8, "istitle"), (9, "isascii")):
    overload_method(types.Bytes, _name)(_ascii_predicate(_op))


@register_jitable
def _hex_digit(c):
    """The value of the hex digit of code point ``c``; -1 for none."""
    if c >= 48 and c <= 57:
        return c - 48
    if c >= 97 and c <= 102:
        return c - 87
    if c >= 65 and c <= 70:
        return c - 55
    return -1


@overload(bytes_fromhex)
def _fromhex(string):
    if not _str(string):
        raise CallRefused(f"fromhex() argument must be str, not `{string}`")

    def impl(string):
        # Each byte as the character of its code point; Latin-1 encodes them back.
        chars = [""]
        chars.pop()
        n = len(string)
        i = 0
        while i < n:
            c = ord(string[i])
            if _is_ascii_space(c):
                i += 1
                continue
            high = _hex_digit(c)
            if high < 0:
                raise ValueError(f"non-hexadecimal number found in fromhex() arg at position {i}")
            low = _hex_digit(ord(string[i + 1])) if i + 1 < n else -1
            if low < 0:
                raise ValueError(f"non-hexadecimal number found in fromhex() arg at position {i + 1}")
            chars.append(chr(high * 16 + low))
            i += 2
        return join("", chars).encode("latin-1")

    return impl
