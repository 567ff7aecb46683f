"""Strings in compiled code, against CPython: operators, indexing, slicing, iteration, the str
methods, conversions (`str()`, `int(s)`, `float(s)`, `ord`, `chr`, `hash`), strings in lists,
dicts and sets, as arguments and results, with CPython's exceptions and messages; and memory:
nothing leaks on any path.

The tables are expressions: each row's expression becomes a function of the row's arguments,
written to a module (compiled code reads its source) and run both as plain Python and compiled.
Every expression runs on text of each of CPython's kinds (ASCII, Latin-1, UCS-2, UCS-4) and on
the empty string."""
import numpy as np
import pytest

import ferrojit
from ferrojit import _native
from helpers import assert_no_leak, assert_same, dispatcher_of, import_written_module

# Text of every kind CPython stores strings in, and the empty string.
TEXTS = {
    "ascii": "Hello, World! hello world",
    "latin1": "héllo Wörld ÿes  ÉTÉ",
    "ucs2": "αβγ ΔΕΖ αβγ ℌ  Σας",
    "ucs4": "a😀b 😀C d😀",
    "empty": "",
}

# (expression of `s` and the arguments `a`, `b`, `c`; the arguments after `s`). Each runs on
# every text of TEXTS.
METHODS = [
    ("len(s)", ()),
    ("s + a", ("xyz",)),
    ("s + a", ("αβ",)),
    ("a + s", ("😀",)),
    ("s * a", (3,)),
    ("a * s", (2,)),
    ("s * a", (0,)),
    ("s * a", (-2,)),
    ("s == a", ("Hello, World! hello world",)),
    ("s != a", ("x",)),
    ("(s < a, s <= a, s > a, s >= a)", ("hello",)),
    ("(s < a, s <= a, s > a, s >= a)", ("αβγ",)),
    ("a in s", ("o",)),
    ("a in s", ("",)),
    ("a not in s", ("😀",)),
    ("s[a]", (0,)),
    ("s[a]", (-1,)),
    ("s[a]", (3,)),
    ("s[a:b]", (1, 4)),
    ("s[a:b:c]", (None, None, -1)),
    ("s[a:b:c]", (1, None, 2)),
    ("s[a:b:c]", (-3, 1, -2)),
    ("s[a:b:c]", (0, 100, 3)),
    ("s[a:b:c]", (None, None, 0)),
    ("s.find(a)", ("l",)),
    ("s.find(a)", ("",)),
    ("s.find(a, b)", ("o", 5)),
    ("s.find(a, b, c)", ("o", -10, -2)),
    ("s.rfind(a)", ("o",)),
    ("s.rfind(a)", ("",)),
    ("s.index(a)", ("l",)),
    ("s.index(a)", ("zzz",)),
    ("s.rindex(a)", ("o",)),
    ("s.count(a)", ("l",)),
    ("s.count(a)", ("",)),
    ("s.count(a, b, c)", ("o", 2, -1)),
    ("s.startswith(a)", ("He",)),
    ("s.startswith(a, b)", ("llo", 2)),
    ("s.startswith((a, b))", ("x", "a")),
    ("s.endswith(a)", ("world",)),
    ("s.endswith(a, b, c)", ("ll", 0, 4)),
    ("s.replace(a, b)", ("l", "LL")),
    ("s.replace(a, b, c)", ("o", "0", 1)),
    ("s.replace(a, b)", ("", "-")),
    ("s.replace(a, b)", ("😀", "x")),
    ("s.strip()", ()),
    ("s.strip(a)", ("Hdlα😀",)),
    ("s.lstrip(a)", ("aHé",)),
    ("s.rstrip()", ()),
    ("s.split()", ()),
    ("s.split(a)", (" ",)),
    ("s.split(a)", ("l",)),
    ("s.split(a, b)", (" ", 1)),
    ("s.split(None, a)", (1,)),
    ("s.split(a)", ("",)),
    ("s.rsplit()", ()),
    ("s.rsplit(a, b)", (" ", 1)),
    ("s.rsplit(None, a)", (2,)),
    ("s.splitlines()", ()),
    ("a.join(s.split())", ("-",)),
    ("a.join([s, s])", ("αβ",)),
    ("s.partition(a)", (" ",)),
    ("s.rpartition(a)", (" ",)),
    ("s.partition(a)", ("",)),
    ("s.removeprefix(a)", ("He",)),
    ("s.removesuffix(a)", ("ld",)),
    ("s.upper()", ()),
    ("s.lower()", ()),
    ("s.title()", ()),
    ("s.capitalize()", ()),
    ("s.swapcase()", ()),
    ("s.casefold()", ()),
    ("s.center(a)", (30,)),
    ("s.center(a, b)", (31, "*")),
    ("s.center(a, b)", (30, "ab")),
    ("s.ljust(a, b)", (28, "😀")),
    ("s.rjust(a)", (3,)),
    ("s.zfill(a)", (30,)),
    ("s.expandtabs()", ()),
    ("s.isdigit()", ()),
    ("s.isalpha()", ()),
    ("s.isalnum()", ()),
    ("s.isspace()", ()),
    ("s.isupper()", ()),
    ("s.islower()", ()),
    ("s.isdecimal()", ()),
    ("s.isnumeric()", ()),
    ("s.istitle()", ()),
    ("s.isascii()", ()),
    ("s.isprintable()", ()),
    ("s.isidentifier()", ()),
    ("str(s)", ()),
    ("repr(s)", ()),
    ("hash(s)", ()),
    ("bool(s)", ()),
    ("[c for c in s]", ()),
    ("[ord(c) for c in s]", ()),
    ("{c: i for i, c in enumerate(s)}", ()),
    ("sorted(set(s))", ()),
    ("s.split() + [s]", ()),
]

# (expression, arguments): conversions and operations on particular values.
VALUES = [
    ("s.upper()", ("straße ǆ ﬁ",)),
    ("s.lower()", ("ΣΑΣ ΟΔΟΣ Σ",)),
    ("s.title()", ("hello wORLD ǆemal 'tis",)),
    ("s.capitalize()", ("ǆEMAL",)),
    ("s.isdigit(), s.isdecimal(), s.isnumeric()", ("²³",)),
    ("s.isdigit(), s.isdecimal(), s.isnumeric()", ("٣٤",)),
    ("s.isdigit(), s.isdecimal(), s.isnumeric()", ("½",)),
    ("s.isspace()", ("\t\n\x1c\u2003",)),
    ("s.split()", ("  a\tb\n\x1cc\u3000d  ",)),
    ("s.split(None, 1)", ("  a b c  ",)),
    ("s.rsplit(None, 1)", ("  a b c  ",)),
    ("s.splitlines()", ("a\nb\r\nc\rd\x0be\u2028f",)),
    ("s.splitlines(True)", ("a\nb\r\n\nc",)),
    ("s.zfill(6)", ("-42",)),
    ("s.zfill(6)", ("+4",)),
    ("s.expandtabs(4)", ("a\tbc\td\n\te",)),
    ("repr(s)", ("it's",)),
    ("repr(s)", ('say "hi"',)),
    ("repr(s)", ("both ' and \"",)),
    ("repr(s)", ("tab\there\nnl\\ \x00 \x7f \x85 é \u200b 😀",)),
    ("int(s)", ("42",)),
    ("int(s)", ("  -1_000_000  ",)),
    ("int(s)", ("٣٤",)),
    ("int(s)", ("0x1F",)),
    ("int(s)", ("1.5",)),
    ("int(s)", ("",)),
    ("int(s)", ("9223372036854775807",)),
    ("int(s, 16)", ("ff",)),
    ("int(s, 16)", ("0xff",)),
    ("int(s, 0)", ("0b101",)),
    ("int(s, 0)", ("010",)),
    ("int(s, 2)", ("102",)),
    ("int(s, 36)", ("zz",)),
    ("float(s)", ("1.5",)),
    ("float(s)", (" -2.5e-3 ",)),
    ("float(s)", ("1_000.25",)),
    ("float(s)", ("inf",)),
    ("float(s)", ("-Infinity",)),
    ("float(s)", ("1e400",)),
    ("float(s)", ("abc",)),
    ("float(s)", ("1__0",)),
    ("ord(s)", ("é",)),
    ("ord(s)", ("😀",)),
    ("ord(s)", ("ab",)),
    ("chr(s)", (955,)),
    ("chr(s)", (0x1F600,)),
    ("chr(s)", (0x110000,)),
    ("str(s)", (12345,)),
    ("str(s)", (-7,)),
    ("str(s)", (True,)),
    ("str(s)", (0.1,)),
    ("str(s)", (1e22,)),
    ("str(s)", (-0.0,)),
    ("str(s)", (1.5e-7,)),
    ("str(s)", (float("inf"),)),
    ("str(s) + '!'", (2**63 - 1,)),
    ("hex(s), oct(s), bin(s)", (255,)),
    ("hex(s), oct(s), bin(s)", (-10,)),
    ("hex(s), oct(s), bin(s)", (True,)),
    ("s[3]", ("ab",)),
    ("s[-3]", ("ab",)),
    ("'x' in s", ("",)),
]


# (expression of `s`, `a`, `b`; the arguments): f-strings, `format`, `str.format` and `%`.
FORMATS = [
    ("f'{s}|{a}|{b}'", ("x", 3, 2.5)),
    ("f'{a:>6}|{a:<6}|{a:^6}|{a:*^7}|{a:06}|{a:+}|{a: }|{a:,}|{a:_}'", ("", 1234567, 0.0)),
    ("f'{a:b}|{a:#b}|{a:o}|{a:#o}|{a:x}|{a:#X}|{a:#010x}|{a:_x}|{a:c}'", ("", 955, 0.0)),
    ("f'{a:d}|{a:5d}|{a:-5d}'", ("", -42, 0.0)),
    ("f'{b}|{b:.2f}|{b:10.3f}|{b:<10.1f}|{b:+.1e}|{b:E}|{b:g}|{b:.3g}|{b:.3}|{b:%}|{b:.0%}|{b:,.2f}|{b:#.0f}'", ("", 0, 1234.5678)),
    ("f'{b}|{b:.2f}|{b:g}|{b:.3}|{b:e}|{b:z.1f}|{b:+}'", ("", 0, -0.0)),
    ("f'{b}|{b:.2f}|{b:g}|{b:10}|{b:F}|{b:+}'", ("", 0, float("inf"))),
    ("f'{b}|{b:.2f}|{b:G}'", ("", 0, float("nan"))),
    ("f'{b:g}|{b:.10g}|{b:#g}|{b}'", ("", 0, 1e-5)),
    ("f'{b:g}|{b:.3g}|{b}|{b:.1}'", ("", 0, 123456789.0)),
    ("f'{a:.3f}|{a:e}|{a:%}|{a:g}'", ("", 7, 0.0)),
    ("f'{s!r}|{s!s}|{s:>8}|{s:.2}|{s:*<6.1}|{s:^9}'", ("αβγ", 0, 0.0)),
    ("f'{s=}|{a = }|{b=:.1f}|{s=!s}'", ("q", 5, 2.25)),
    ("f'{a:{b}}'", ("", 5, 0.0)),
    ("f'{True}|{True:>5}|{False:d}'", ("", 0, 0.0)),
    ("f'{{literal}} {a}'", ("", 1, 0.0)),
    ("f'{a:.2d}'", ("", 1, 0.0)),
    # A float32 formats as the float it widens to (NumPy's `__format__`), its `str()` gives its own digits.
    ("f'{b}|{b!s}|{b:>20}|{b:g}|{b:.3}|{b:}|{b:e}'", ("", 0, np.float32(7.1))),
    ("'{}|{:>12}|{!s}'.format(b, b, b) + '|' + format(b, '') + '|' + format(b) + '|' + str(b)", ("", 0, np.float32(0.1))),
    ("s.format(b, b)", ("{}|{:>20}", 0, np.float32(-2.3))),
    ("s.format(b, a, b)", ("{:>5}|{:x}|{:.3}", np.uint8(200), np.float32(0.3))),
    ("f'{b:d}'", ("", 1, 2.5)),
    ("f'{s:d}'", ("x", 1, 2.5)),
    ("f'{s:=5}'", ("x", 1, 2.5)),
    ("f'{a:,x}'", ("x", 1, 2.5)),
    ("format(a) + format(b, '.2e') + format(s, '>4') + format(a, '')", ("x", 42, 0.125)),
    ("'{} {} {}'.format(s, a, b)", ("x", 42, 0.125)),
    ("'{2}{1}{0}{1}'.format(s, a, b)", ("x", 42, 0.125)),
    ("'{:>{}}|{x:.{p}f}'.format(s, a, x=b, p=a)", ("x", 4, 0.125)),
    ("'{!r:^9}|{{}}|{}'.format(s, a)", ("é", 4, 0.125)),
    ("'%s %d %.3f %r' % (s, a, b, s)", ("x", 42, 0.125)),
    ("'%5s|%-5s|%05d|%+d|% d|%x|%#o|%X|%e|%10.2f|%-8.1f|%g|%%' % (s, s, a, a, a, a, a, a, b, b, b, b)", ("ab", 255, 3.5)),
    ("'%d|%i|%f' % (b, b, a)", ("", 3, -2.75)),
    ("'%c%c' % (a, s)", ("z", 65, 0.0)),
    ("'%s' % s", ("only", 0, 0.0)),
    ("'%s %s' % (s,)", ("x", 0, 0.0)),
    ("'%s' % (s, s)", ("x", 0, 0.0)),
    # `%(name)s` fields of a dict (CPython's `KeyError(name)` for a missing key).
    ("'%(x)s|%(y)5.1f|%(x)r|%%|%(y)d' % {'x': b, 'y': a}", ("", 7.0, 2.5)),
    ("'%(name)s=%(value)s' % {'name': s, 'value': s * 2}", ("ab", 0, 0.0)),
    ("'%(a(b))s' % {'a(b)': a}", ("", 3, 0.0)),
    ("'%(x)s %(z)s' % {'x': a}", ("", 3, 0.0)),
    # `str.format` of a template known only when running (`s`): positional and named fields.
    ("s.format(a, b)", ("{} and {}", 1, 2.5)),
    ("s.format(a, b)", ("{1}-{0}-{1}", "x", True)),
    ("s.format(a, b)", ("{:>5}|{!r:<6}|{!s}{!a}", 3, "é")),
    ("s.format(a, b)", ("{0:{1}}|{{x}}", 42, ">6")),
    ("s.format(a, b)", ("{:.3f} {:08.2e} {:,}", 3.14159, 12345.678)),
    ("s.format(a, b)", ("{:{}}|{}", "ab", 5)),
    ("s.format(a, b)", ("", 1, 2)),
    ("s.format(a, b)", ("no fields", 1, 2)),
    ("s.format(a, b)", ("{2}", 1, 2)),
    ("s.format(a, b)", ("{", 1, 2)),
    ("s.format(a, b)", ("a}b", 1, 2)),
    ("s.format(a, b)", ("{0", 1, 2)),
    ("s.format(a, b)", ("{} {1}", 1, 2)),
    ("s.format(a, b)", ("{1} {}", 1, 2)),
    ("s.format(a, b)", ("{x}", 1, 2)),
    ("s.format(a, b)", ("{!z}", 1, 2)),
    ("s.format(a, b)", ("{:d}", 1.5, 2)),
    ("s.format(*(a, b), a)", ("{2}{1}{0}", "p", "q")),
    ("(s + '{}').format(a)", ("{}-", 7, 0)),
    ("s.format(a, x=b, w=5)", ("{x}|{0:>{w}}|{x!r:^7}|{w:{x}}", 3, "3")),
    ("s.format(x=a, y=b)", ("{y}{x}{y}", 1.5, "q")),
    ("s.format(a, x=b)", ("{y}", 1, 2)),
    ("s.format(a, x=b)", ("{x}{}{}", 1, 2)),
    ("s.format()", ("plain {{}}", 0, 0)),
    ("s.format()", ("{}", 0, 0)),
    ("s.format(a, a, a)", ("{:{:{}}}", 1, 0)),
]


# (expression of the bytes `s` and `a`; the arguments): bytes are indexed (integers), sliced,
# measured, iterated, compared, hashed and concatenated.
BYTES = [
    ("len(s), s[0], s[-1], s[1:3], s[::-1], s[::2]", (b"ab\xff\x00c", b"")),
    ("[x for x in s], sum([x for x in s]), s[a[0]:]", (b"\x01\x80\xfe", b"\x01")),
    ("s + a, s * 2, 2 * a, s == a, s != a, s < a, s >= a", (b"abc", b"abd")),
    ("a in s, 98 in s, 255 in s, s in s", (b"xabcx", b"bc")),
    ("hash(s), {s: 1, a: 2}, sorted({s, a, s})", (b"key", b"\xe9t\xe9")),
    ("s[a[0]]", (b"ab", b"\x05")),
    ("str(len(s)) + repr(len(a))", (b"", b"")),
    # The methods shared with str; whitespace and letters are ASCII's (`\x85`, `\xa0`, `\x1c`
    # are whitespace in str, not in bytes; `\xe9` is a letter in str, not in bytes).
    ("s.find(a), s.rfind(a, 2, 20), s.find(a, -5), s.count(a), s.count(b''), s.index(a)", (b"  Hello, World\x85 lo", b"lo")),
    ("s.rindex(a)", (b"abc", b"zz")),
    ("s.index(a, 1)", (b"abc", b"a")),
    ("s.startswith(a), s.startswith(a, 1), s.endswith((a, b'n ')), s.endswith(a, 0, 3)", (b"  He\n ", b"  H")),
    ("s.replace(a, b'LL'), s.replace(a, b'', 1), s.replace(b'', b'.'), s.replace(a, a + a, 0)", (b"hello world", b"l")),
    ("s.strip(), s.lstrip(), s.rstrip(), s.strip(a), s.lstrip(a), s.rstrip(a)", (b" \t\x85Hello\xa0 \x1c\n\x0b\x0c", b" \x85\x0b")),
    ("s.split(), s.split(None, 1), s.rsplit(None, 1), s.rsplit(), s.split(None, 0)", (b"  Hello, World\x85\xa0 \x1c abc\txyz\n ", b"")),
    ("s.split(), s.rsplit(None, 2), s.split(None, 2)", (b" \t\n", b"")),
    ("s.split(a), s.rsplit(a, 1), s.split(a, 0), s.split(a, -1)", (b"a,b,,c,", b",")),
    ("s.split(a)", (b"abc", b"")),
    ("a.join(s.split()), a.join((s[:2], s[3:5])), a.join([s])", (b"x y  z", b"--")),
    ("s.upper(), s.lower(), a.upper(), a.lower()", (b"Hello World \xe9\xc9 az AZ @[`{", b"")),
    ("s.hex(), a.hex()", (b"\x00\x0f\xf0\xffAz", b"")),
    ("s.title(), s.capitalize(), s.swapcase(), a.title(), a.capitalize()", (b"hello wORLD \xe9t\xe9 a1b 'x", b"")),
    ("[(x.isdigit(), x.isalpha(), x.isalnum(), x.isspace(), x.isupper(), x.islower(), x.istitle(), x.isascii()) for x in s.split(a)]", (b"123|abc|aB1|AB|ab|Ab Cd|\xe9|\x85| \t||Ab1|A b|1", b"|")),
    ("s.center(9), s.ljust(8, a), s.rjust(7, a), s.center(2), s.zfill(8), a.zfill(3), b'-5'.zfill(4)", (b"ab\xe9", b"*")),
    ("s.center(9, a)", (b"ab", b"**")),
    ("s.partition(a), s.rpartition(a), s.partition(b'q'), s.rpartition(b'q')", (b"k=v=w", b"=")),
    ("s.partition(a)", (b"k=v=w", b"")),
    ("s.removeprefix(a), s.removesuffix(a), s.removeprefix(b'q'), s.removesuffix(s)", (b"abcab", b"ab")),
]


def _source(rows):
    lines = []
    for k, (expr, args) in enumerate(rows):
        params = ", ".join(["s", "a", "b", "c"][: 1 + len(args)])
        lines.append(f"def f{k}({params}):\n    return {expr}\n")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def methods_module(tmp_path_factory):
    return import_written_module(tmp_path_factory.mktemp("strings"), "string_methods", _source(METHODS))


@pytest.fixture(scope="module")
def values_module(tmp_path_factory):
    rows = [(expr, args[1:]) for expr, args in VALUES]
    return import_written_module(tmp_path_factory.mktemp("strings"), "string_values", _source(rows))


@pytest.fixture(scope="module")
def bytes_module(tmp_path_factory):
    return import_written_module(tmp_path_factory.mktemp("strings"), "bytes_rows", _source([(e, a[1:]) for e, a in BYTES]))


@pytest.fixture(scope="module")
def formats_module(tmp_path_factory):
    return import_written_module(tmp_path_factory.mktemp("strings"), "string_formats", _source([(e, a[1:]) for e, a in FORMATS]))


# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def run_both(pyfunc, *args):
    """Runs `pyfunc` plain and compiled; asserts the same result (type and value) or the same
    exception (class and message)."""
    cfunc = dispatcher_of(pyfunc, compiled=_COMPILED)
    try:
        expected = pyfunc(*args)
    except Exception as exc:  # noqa: BLE001 - the compiled function must raise the same
        with pytest.raises(type(exc)) as info:
            cfunc(*args)
        assert str(info.value) == str(exc)
        return
    assert_same(cfunc(*args), expected)


@pytest.mark.parametrize("text", list(TEXTS), ids=list(TEXTS))
@pytest.mark.parametrize("row", range(len(METHODS)), ids=[f"{e}{a}" for e, a in METHODS])
def test_methods_and_operators(methods_module, row, text):
    run_both(getattr(methods_module, f"f{row}"), TEXTS[text], *METHODS[row][1])


@pytest.mark.parametrize("row", range(len(VALUES)), ids=[f"{e}{a}" for e, a in VALUES])
def test_values(values_module, row):
    run_both(getattr(values_module, f"f{row}"), *VALUES[row][1])


@pytest.mark.parametrize("row", range(len(FORMATS)), ids=[e for e, _ in FORMATS])
def test_formatting(formats_module, row):
    run_both(getattr(formats_module, f"f{row}"), *FORMATS[row][1])


@pytest.mark.parametrize("row", range(len(BYTES)), ids=[e for e, _ in BYTES])
def test_bytes(bytes_module, row):
    run_both(getattr(bytes_module, f"f{row}"), *BYTES[row][1])


def test_bytes_print_and_memory(capsys):
    @ferrojit.njit
    def show(b):
        print(b, [b, b"q'"], b[1:])
        return b + b

    before = _native.live_allocations()
    assert show(b"a\n\x00\xff") == b"a\n\x00\xffa\n\x00\xff"
    assert capsys.readouterr().out == "b'a\\n\\x00\\xff' [b'a\\n\\x00\\xff', b\"q'\"] b'\\n\\x00\\xff'\n"
    assert _native.live_allocations() == before


def bytes_methods_churn(b, n):
    total = 0
    for _ in range(n):
        words = b.upper().split()
        joined = b"-".join(words).replace(b"-", b"+").strip(b"+")
        head, sep, tail = joined.partition(b"+")
        total += len(joined) + len(head) + len(b.lower().hex()) + joined.count(b"+") + len(b.rsplit(None, 1))
    return total


def bytes_index_raising(b):
    return b.upper().split()[0].index(b"zz")


def test_bytes_methods_leak_nothing():
    churn, raising = ferrojit.njit(bytes_methods_churn), ferrojit.njit(bytes_index_raising)
    churn(b"a b", 1)
    with pytest.raises(ValueError):
        raising(b"a b")
    before = _native.live_allocations()
    assert churn(b" ab cd\t\xe9f ", 30) == bytes_methods_churn(b" ab cd\t\xe9f ", 30)
    for _ in range(30):
        with pytest.raises(ValueError, match="subsection not found"):
            raising(b"xy zw")
    assert _native.live_allocations() == before


def from_hex(text):
    return bytes.fromhex(text), bytes.fromhex(text).hex()


@pytest.mark.parametrize("text", ["0aff", " 0a ff\t10 ", "", "ABcd", "a", "0 a", "zz", "0a\x85"])
def test_bytes_fromhex(text):
    run_both(from_hex, text)


def find_str_in_bytes(b):
    return b.find("o")


def split_bytes_by_str(b):
    return b.split(",")


def join_str_with_bytes(b):
    return b.join(["a", "b"])


@pytest.mark.parametrize("func, message", [
    (find_str_in_bytes, "`bytes.find()` argument must be bytes, not `Literal[str](o)`"),
    (split_bytes_by_str, "must be bytes or None, not `Literal[str](,)`"),
    (join_str_with_bytes, "sequence item 0: expected a bytes-like object, `unicode_type` found"),
])
def test_bytes_methods_take_bytes(func, message):
    with pytest.raises(ferrojit.errors.TypingError) as info:
        ferrojit.njit(func)(b"o,k")
    assert message in str(info.value)


# ---- functions over strings -------------------------------------------------------------------


def word_count(text):
    counts = {}
    for word in text.lower().split():
        counts[word] = counts.get(word, 0) + 1
    return counts


def build(n):
    out = ""
    for i in range(n):
        out += str(i) + ("," if i % 2 else ";")
    return out


def caesar(text, shift):
    out = []
    for c in text:
        if c.isalpha() and c.isascii():
            base = ord("a") if c.islower() else ord("A")
            out.append(chr((ord(c) - base + shift) % 26 + base))
        else:
            out.append(c)
    return "".join(out)


def parse_csv_line(line):
    fields = line.split(",")
    return [float(f) for f in fields if f.strip() != ""]


def longest_word(words):
    best = ""
    for w in words:
        if len(w) > len(best) or (len(w) == len(best) and w < best):
            best = w
    return best


def sort_words(words):
    words.sort()
    return words, sorted(words, reverse=True), words.index("b"), "b" in words, words.count("a")


def tuple_keys(pairs):
    d = {}
    for name, n in pairs:
        d[(name, n % 2)] = d.get((name, n % 2), 0) + n
    return d


def string_sets(a, b):
    s, t = set(a.split()), set(b.split())
    return sorted(s | t), sorted(s & t), sorted(s - t), "x" in s


def zip_strings(a, b):
    return [x + y for x, y in zip(a, b)]


@pytest.mark.parametrize(
    "func, args",
    [
        (word_count, ("The cat and the Hat and THE bat",)),
        (build, (12,)),
        (caesar, ("Hello, World! ÿ", 3)),
        (parse_csv_line, ("1.5, 2,,-3e2 ,  ",)),
        (parse_csv_line, ("1.5,x",)),
        (longest_word, (["pear", "fig", "apple", "grape"],)),
        (sort_words, (["b", "a", "c", "a"],)),
        (tuple_keys, ([("a", 1), ("b", 2), ("a", 3), ("a", 2)],)),
        (string_sets, ("a b c x", "b c d")),
        (zip_strings, ("abc", "αβγδ")),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_functions(func, args):
    run_both(func, *args)


def test_a_list_of_strings_argument_is_reflected():
    @ferrojit.njit
    def shout(words):
        for i in range(len(words)):
            words[i] = words[i].upper()
        words.append("!")

    words = ["a", "b"]
    shout(words)
    assert words == ["A", "B", "!"]


def test_dict_of_strings_argument_and_result():
    @ferrojit.njit
    def invert(d):
        out = {}
        for k, v in d.items():
            out[v] = k
        d["new"] = "entry"
        return out

    d = {"a": "x", "b": "y"}
    assert invert(d) == {"x": "a", "y": "b"}
    assert d == {"a": "x", "b": "y", "new": "entry"}


def test_print_of_strings(capsys):
    @ferrojit.njit
    def show(s):
        print(s, [s, "b"], (s, 1), s.split())

    show("a b")
    assert capsys.readouterr().out == "a b ['a b', 'b'] ('a b', 1) ['a', 'b']\n"


def test_str_argument_type_and_signature():
    @ferrojit.njit("unicode_type(unicode_type)")
    def twice(s):
        return s * 2

    assert twice("ab") == "abab"
    assert [str(t) for t in twice.signatures[0]] == ["unicode_type"]


def test_hash_agrees_with_cpython_in_this_process():
    @ferrojit.njit
    def h(s):
        return hash(s), hash(s + "")

    for text in TEXTS.values():
        assert h(text) == (hash(text), hash(text))


# Written to a module of its own: pytest rewrites the `assert` statements of test files.
RAISING = """
def raising(x, s):
    if x < 0:
        raise ValueError(f"bad {x} for {s!r}")
    assert x != 3, "three: " + s
    if x == 4:
        raise KeyError(s)
    if x == 5:
        raise IndexError(x)
    if x == 6:
        raise RuntimeError(str(x) * 2)
    return x
"""


@pytest.mark.parametrize("x", [-1, 3, 4, 5, 6, 1])
def test_exceptions_with_messages_made_at_run_time(tmp_path, x):
    raising = import_written_module(tmp_path, "raising", RAISING).raising
    compiled = ferrojit.njit(raising)
    try:
        expected = raising(x, "ab")
    except Exception as exc:  # noqa: BLE001 - the compiled function must raise the same
        with pytest.raises(type(exc)) as info:
            compiled(x, "ab")
        assert info.value.args == exc.args
        return
    assert compiled(x, "ab") == expected


# ---- errors at compile time --------------------------------------------------------------------


def add_number(s):
    return s + 1


def ordering_with_number(s):
    return s < 1


def index_by_float(s):
    return s[1.5]


def percent_mapping_keys_and_plain_fields(s):
    return "%(x)s %s" % {"x": s}


def percent_mapping_keys_of_a_tuple(s):
    return "%(x)s" % (s,)


@pytest.mark.parametrize(
    "func, message",
    [
        (percent_mapping_keys_and_plain_fields, "a `%` template with mapping keys (`%(name)s`) needs a key in every field"),
        (percent_mapping_keys_of_a_tuple, "`%` with mapping keys (`%(name)s`) formats a dict with string keys, not a `UniTuple(unicode_type x 1)`"),
        (add_number, "unsupported operand types for `+`: `unicode_type` and `int64`"),
        (ordering_with_number, "`<` is not supported between `unicode_type` and `int64`"),
        (index_by_float, "string indices must be integers, not `float64`"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_typing_errors(func, message):
    with pytest.raises(ferrojit.errors.TypingError) as info:
        ferrojit.njit(func)("abc")
    assert message in str(info.value)


# ---- memory ------------------------------------------------------------------------------------


def churn(text, n):
    total = 0
    for _ in range(n):
        parts = text.split()
        joined = "-".join(parts)
        d = {}
        for p in parts:
            d[p.upper()] = d.get(p.upper(), 0) + len(p)
        total += len(joined) + len(d) + len(str(total))
    return total


def raise_midway(text):
    words = text.split()
    d = {w: w * 2 for w in words}
    return int(words[-1]) + len(d)


def format_churn(template, n):
    total = 0
    for i in range(n):
        total += len(template.format(i, "ab", 2.5)) + len("%(k)s-%(v)s" % {"k": str(i), "v": template})
    return total


def test_nothing_leaks_after_loops_and_exceptions():
    compiled, raising = ferrojit.njit(churn), ferrojit.njit(raise_midway)
    formats = ferrojit.njit(format_churn)
    compiled("a b c", 2)
    with pytest.raises(ValueError):
        raising("a b c")
    formats("{}", 1)
    before = _native.live_allocations()
    for text in TEXTS.values():
        assert compiled(text, 20) == churn(text, 20)
        with pytest.raises(ValueError, match="invalid literal"):
            raising(text + " x")
    assert formats("{0:>5}|{1!r:{0}}|{2:.1f}", 50) == format_churn("{0:>5}|{1!r:{0}}|{2:.1f}", 50)
    for bad in ["{3}", "{", "{:d}|{1}"]:
        with pytest.raises((IndexError, ValueError)):
            formats(bad, 3)
    assert _native.live_allocations() == before


def test_resident_size_stays_flat_over_many_calls():
    import resource

    compiled = ferrojit.njit(churn)
    text = "lorem ipsum dolor sit amet " * 20
    compiled(text, 50)
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(200):
        compiled(text, 50)
    # Each call makes and frees ~10^4 strings (a few MB in all): a leak would show here.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start < 20_000


# ---- str() and repr() of containers ----------------------------------------------------------


def container_texts(n, x, s):
    t = (n, s, x, (True, None))
    return (
        str([n, n + 1]),
        repr([s, s + "'", 'q"']),
        str({s: [x]}),
        str({n, n + 1}),
        str({n} - {n}),
        str(t),
        repr((s,)),
        str(()),
        repr([[x], [x * 2]]),
        f"{[s]}|{(n, x)!r}",
        str([(s, n)]),
        str({(n, s): {n: x}}),
    )


@pytest.mark.parametrize("args", [(1, 2.5, "a"), (-7, -0.0, ""), (0, float("inf"), "日本"), (2, 1e-300, "\n\t\\")])
def test_str_of_containers_is_cpythons(args):
    # Sets of consecutive small ints: their insertion order is their hash order, the one case
    # where a compiled set prints in CPython's order.
    assert_same(ferrojit.njit(container_texts)(*args), container_texts(*args))


# ---- str.encode and bytes.decode -------------------------------------------------------------

CODEC_TEXTS = ["", "plain", "héllo", "日本語", "emoji 🎉", "\ud800 lone", "a\x00b", "\xff\x80"]
CODEC_BYTES = [b"", b"plain", "héllo".encode(), "日本語 🎉".encode(), b"\xff\xfe", b"a\xe2\x82", b"a\xe2\x82b\xffc", b"\xc0\xaf", b"\xed\xa0\x80", b"\x80abc"]
# (call as written, the codec's arguments): the codec is chosen at compile time, so each is a
# function of its own.
CODEC_CALLS = [("encode()", ()), ("decode()", ())] + [
    (f"{op}({encoding!r}, {errors!r})", (encoding, errors))
    for op in ("encode", "decode")
    for encoding in ("utf-8", "ascii", "latin-1", "UTF8", "iso-8859-1")
    for errors in ("strict", "ignore", "replace")
] + [("encode(errors='replace', encoding='ascii')", ()), ("decode(encoding='latin_1')", ())]


@pytest.fixture(scope="module")
def codec_functions(tmp_path_factory):
    source = "".join(f"def f{i}(x):\n    return x.{call}\n\n" for i, (call, _) in enumerate(CODEC_CALLS))
    module = import_written_module(tmp_path_factory.mktemp("codecs"), "codecs_written", source)
    return [getattr(module, f"f{i}") for i in range(len(CODEC_CALLS))]


def codec_outcome(func, x):
    try:
        return "value", func(x)
    except (UnicodeError, ValueError) as exc:
        return type(exc).__name__, str(exc), exc.args


@pytest.mark.parametrize("k", range(len(CODEC_CALLS)), ids=[call for call, _ in CODEC_CALLS])
def test_codecs_are_cpythons(codec_functions, k):
    func = codec_functions[k]
    compiled = ferrojit.njit(func)
    operands = CODEC_TEXTS if CODEC_CALLS[k][0].startswith("encode") else CODEC_BYTES
    for x in operands:
        assert codec_outcome(compiled, x) == codec_outcome(func, x), x


# A codec's error caught in compiled code, by each class it is an instance of: its text, `repr`
# and arguments are CPython's (Python's own codec makes the exception).
CAUGHT_CODEC_SOURCE = """
def caught_{name}(x):
    try:
        x.{call}
        return "no error"
    except {cls} as e:
        return str(e) + "|" + repr(e) + "|" + str(len(e.args)) + "|" + e.args[0] + "|" + e.args[4]
"""
CAUGHT_CODEC_CLASSES = ["UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError", "ValueError", "Exception"]


@pytest.fixture(scope="module")
def caught_codec_functions(tmp_path_factory):
    source = "".join(
        CAUGHT_CODEC_SOURCE.format(name=f"{op}_{encoding.replace('-', '')}_{cls}", call=f"{op}({encoding!r})", cls=cls)
        for op in ("encode", "decode") for encoding in ("utf-8", "ascii", "latin-1") for cls in CAUGHT_CODEC_CLASSES
        if (op, cls) not in (("encode", "UnicodeDecodeError"), ("decode", "UnicodeEncodeError"))
    )
    module = import_written_module(tmp_path_factory.mktemp("caught_codecs"), "caught_codecs_written", source)
    return {name: f for name, f in vars(module).items() if name.startswith("caught_")}


@pytest.mark.parametrize("op", ["encode", "decode"])
def test_codec_errors_caught_in_compiled_code_are_cpythons(caught_codec_functions, op):
    operands = CODEC_TEXTS if op == "encode" else CODEC_BYTES
    functions = [(name, f) for name, f in caught_codec_functions.items() if name.startswith(f"caught_{op}")]
    assert functions
    for name, func in functions:
        compiled = ferrojit.njit(func)
        for x in operands:
            assert compiled(x) == func(x), (name, x)


def test_caught_codec_errors_leak_nothing(caught_codec_functions):
    assert_no_leak(ferrojit.njit(caught_codec_functions["caught_decode_utf8_UnicodeError"]), b"ab\xffcd")
    assert_no_leak(ferrojit.njit(caught_codec_functions["caught_encode_ascii_ValueError"]), "aé")


@pytest.mark.parametrize("call, message", [
    ("encode('utf-16')", "supports the encodings utf-8, ascii and latin-1 in compiled code, not 'utf-16'"),
    ("decode('ascii', 'backslashreplace')", "supports the error handlers 'strict', 'ignore' and 'replace'"),
    ("encode(e)", "takes its `encoding` and `errors` as string constants"),
])
def test_codec_errors_at_compile_time(tmp_path, call, message):
    module = import_written_module(tmp_path, "codec_error", f"def f(x, e):\n    return x.{call}\n")
    with pytest.raises(ferrojit.errors.TypingError) as info:
        ferrojit.njit(module.f)("é" if call.startswith("encode") else b"x", "ascii")
    assert message in str(info.value) and module.__file__ in str(info.value)


# ---- ascii() and !a ----------------------------------------------------------------------------


def ascii_texts(s, n, x):
    return ascii(s), f"{s!a}|{n!a:>5}|{x!a}", "%a %a" % (s, n), ascii([s, s + "é"]), ascii((s, x)), ascii(x), ascii(None)


@pytest.mark.parametrize("args", [("héllo 日本 🎉\x00\n'", 3, 2.5), ("", -1, float("nan")), ("plain \"q\"", 0, -0.0), ("\x7f\x80\uffff\U0010ffff", 2**40, 1e300)])
def test_ascii_is_cpythons(args):
    assert_same(ferrojit.njit(ascii_texts)(*args), ascii_texts(*args))


@ferrojit.njit
def _reprs_and_strs(a):
    out = []
    for x in a:
        out.append(repr(x) + " " + str(x) + " " + f"{x}")
    return out


@pytest.mark.parametrize(
    "kind",
    ["scaled", "widened float32", "bit patterns", "edges"],
)
def test_float_text_is_cpythons(kind):
    # The shortest round-trip digits, an exact tie at the 17th digit rounded to even as CPython's
    # `repr` does (float32 values widened to float64 often end in such a tie).
    rng = np.random.default_rng(5)
    if kind == "scaled":
        values = rng.random(5000) * 10.0 ** rng.integers(-30, 30, 5000)
    elif kind == "widened float32":
        values = (rng.random(5000) * 1000).astype(np.float32).astype(np.float64)
    elif kind == "bit patterns":
        values = rng.integers(0, 2**63, 5000, dtype=np.uint64).view(np.float64)
        values = values[np.isfinite(values)]
    else:
        values = np.array([0.0, -0.0, 1e16, 1e15, 123456789012345678.0, 1e-5, 1e-4, 5e-324, 1.7976931348623157e308, 0.1, 0.3, -1.5e-7, 1e22, 192.100006103515625, np.inf, -np.inf, np.nan])
    expected = [repr(float(x)) + " " + str(float(x)) + " " + f"{float(x)}" for x in values]
    assert _reprs_and_strs(values) == expected


@ferrojit.njit
def _strs(a):
    out = []
    for x in a:
        out.append(str(x) + " " + f"{x!s}")
    return out


@pytest.mark.parametrize("kind", ["scaled", "bit patterns", "edges"])
def test_float32_text_is_numpys(kind):
    # NumPy 2's `str(np.float32)`: the float32's own shortest digits, positional from 1e-4 up to
    # 1e6 (float64's cutoff is 1e16), else scientific.
    rng = np.random.default_rng(7)
    if kind == "scaled":
        values = (rng.random(5000) * 10.0 ** rng.integers(-40, 38, 5000)).astype(np.float32)
    elif kind == "bit patterns":
        values = rng.integers(0, 2**31, 5000, dtype=np.uint32).view(np.float32)
        values = values[np.isfinite(values)]
    else:
        values = np.array([0.0, -0.0, 1e-4, 1.5e-4, 999999.0, 1e6, 9999999.0, 16777217.0, 1e16, 3.4e38, 1e-45, 0.1, np.inf, -np.inf, np.nan], dtype=np.float32)
    assert _strs(values) == [str(x) + " " + str(x) for x in values]


# ---- the text of every number type ------------------------------------------------------------

# The values of each number type as compiled code receives them: NumPy's own scalars for the
# types only NumPy has (their `repr` is NumPy 2's, `np.float32(7.1)`), Python's numbers for
# int64, float64, complex128 and bool, which compiled code cannot tell from NumPy's (both are
# written as Python writes them).
_EDGE_FLOATS = [0.0, -0.0, 1.5, -2.25, 0.1, 1e-4, 1.5e-5, 999999.0, 2e6, 1e16, 1e22, float("inf"), float("-inf"), float("nan")]
NUMBER_VALUES = (
    [np.dtype(t).type(v) for t in ("int8", "int16", "int32") for v in (0, -1, 7, np.iinfo(t).min, np.iinfo(t).max)]
    + [np.dtype(t).type(v) for t in ("uint8", "uint16", "uint32", "uint64") for v in (0, 3, np.iinfo(t).max)]
    + [np.float32(v) for v in _EDGE_FLOATS]
    + [np.complex64(complex(re, im)) for re, im in [(1.1, 2.2), (0.0, 2.0), (-0.0, 1.0), (0.0, -0.0), (2e6, 1e-4), (1e16, float("nan")), (float("inf"), float("-inf"))]]
    + [complex(re, im) for re, im in [(1.5, 2.0), (0.0, 1e16), (-0.0, -0.0), (1e-5, float("nan")), (float("-inf"), 0.1)]]
    + [0, -5, 2**63 - 1, -(2**63), True, False]
    + _EDGE_FLOATS
)


def number_texts(x):
    return (str(x), repr(x), f"{x}|{x!r}|{x!s}", str((x,)), repr([x, x]), ascii(x))


@pytest.mark.parametrize("x", NUMBER_VALUES, ids=[f"{type(x).__name__}({x!r})" for x in NUMBER_VALUES])
def test_text_of_numbers_is_pythons_and_numpys(x):
    assert ferrojit.njit(number_texts)(x) == number_texts(x)


def print_number(x):
    print(x, (x,), [x])


@pytest.mark.parametrize("x", NUMBER_VALUES, ids=[f"{type(x).__name__}({x!r})" for x in NUMBER_VALUES])
def test_print_of_numbers_is_pythons_and_numpys(x, capsys):
    print_number(x)
    expected = capsys.readouterr().out
    ferrojit.njit(print_number)(x)
    assert capsys.readouterr().out == expected


def raise_with_arguments(x):
    raise ValueError(x, "and", x)


@pytest.mark.parametrize("x", [x for x in NUMBER_VALUES if not isinstance(x, (complex, np.complexfloating))], ids=lambda x: f"{type(x).__name__}({x!r})")
def test_exception_arguments_keep_numpys_scalars(x):
    # The arguments reach Python as the same values of the same types (NumPy's scalars too), and
    # the exception's text is CPython's of them.
    caught = []
    for f in (ferrojit.njit(raise_with_arguments), raise_with_arguments):
        with pytest.raises(ValueError) as info:
            f(x)
        caught.append(info.value)
    compiled, python = caught
    assert str(compiled) == str(python)
    assert [type(a) for a in compiled.args] == [type(a) for a in python.args]
    assert repr(compiled.args) == repr(python.args)
