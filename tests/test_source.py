"""Finding a function's source: the quick cut by indentation and its fallback; the text is the
one captured at decoration and must be the code Python runs."""

import importlib.util
import os
import subprocess
import sys
import textwrap
import uuid
import warnings

import pytest

import ferrojit
from ferrojit import jit, njit
from ferrojit import _source
from ferrojit._source import _indented_block, capture
from ferrojit._source import source_info as _source_info
from ferrojit.errors import FerrojitWarning, UnsupportedError


def source_info(func, fast=True):
    return _source_info(func, capture(func), fast)


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
    _, first, text, _ = source_info(plain)
    assert text.startswith("def plain(x):") and text.rstrip().endswith("return x + 1")
    assert njit(plain)(1) == 2


def test_flush_left_strings_fall_back_to_inspect():
    func = with_flush_left_docstring
    quick = _indented_block(capture(func), func.__code__.co_firstlineno)
    assert "return x * 2" not in quick  # the quick cut stops early...
    _, _, text, _ = source_info(func)
    assert text.rstrip().endswith("return x * 2")  # ...and the tokenized block is complete
    assert njit(func)(3) == 6


def test_decorated_and_indented_methods():
    _, first, text, _ = source_info(Holder.method)
    assert text.lstrip().startswith("@staticmethod")
    assert njit(Holder.method)(5) == 4


@ferrojit.njit
def decorated(x):
    return x * x


def test_decorated_function_spans_its_decorator():
    _, first, text, _ = source_info(decorated.py_func)
    assert text.startswith("@ferrojit.njit\ndef decorated(x):")
    assert decorated(4) == 16


# --- the text compiled is the code Python runs ---------------------------------------------------

def _import_file(path):
    """Imports the module file `path` under a fresh name (nothing cached from earlier tests)."""
    name = f"edited_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _write(path, text):
    """Writes `text`, then moves the file's modification time forward so that no cache keyed on
    it can mistake the new text for the old one, however fast the edit."""
    path.write_text(textwrap.dedent(text))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


ORIGINAL = """
    from ferrojit import njit, jit

    @njit
    def decorated(x):
        return x + 1

    def plain(x):
        return x + 1
"""

# Each edit makes `decorated` and `plain` different functions in the file than in memory.
EDITS = [
    ("different bytecode", ORIGINAL.replace("x + 1", "x * 100")),
    ("different constant only", ORIGINAL.replace("x + 1", "x + 2")),
    ("lines moved down", ORIGINAL.replace("from ferrojit", "# a new first line\n    from ferrojit")),
    ("function renamed", ORIGINAL.replace("def plain", "def other").replace("def decorated", "def other2")),
    ("parameters renamed", ORIGINAL.replace("(x)", "(y)").replace("x + 1", "y + 1")),
]


@pytest.mark.parametrize("edit", [e[1] for e in EDITS], ids=[e[0] for e in EDITS])
def test_decorated_function_compiles_the_text_it_was_defined_with(tmp_path, edit):
    path = tmp_path / "mod.py"
    _write(path, ORIGINAL)
    module = _import_file(path)
    _write(path, edit)
    assert module.decorated.py_func(3) == 4
    assert module.decorated(3) == 4  # first call: compiles the text captured at decoration


@pytest.mark.parametrize("edit", [e[1] for e in EDITS], ids=[e[0] for e in EDITS])
def test_function_decorated_after_its_file_changed_is_refused(tmp_path, edit):
    path = tmp_path / "mod.py"
    _write(path, ORIGINAL)
    module = _import_file(path)
    _write(path, edit)
    late = njit(module.plain)
    with pytest.raises(UnsupportedError, match="is not the code Python is running") as info:
        late(3)
    assert "mod.py" in str(info.value) and "importlib.reload" in str(info.value)
    # @jit runs such a function as plain Python, which gives Python's answer.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert jit(module.plain)(3) == 4
    assert any(issubclass(w.category, FerrojitWarning) for w in caught)


def test_unchanged_file_compiles_functions_decorated_late(tmp_path):
    path = tmp_path / "mod.py"
    _write(path, ORIGINAL)
    module = _import_file(path)
    assert njit(module.plain)(3) == 4


def test_disk_cache_follows_the_captured_text(tmp_path):
    """A process that compiled the old text caches it under the old text's key; a later process
    that imports the edited file compiles and caches the new text, never loading the old code."""
    path = tmp_path / "cached_mod.py"
    original = ORIGINAL.replace("@njit", "@njit(cache=True)")
    _write(path, original)
    env = dict(os.environ, FERROJIT_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(tmp_path))
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-c", "import cached_mod; print(cached_mod.decorated(3), cached_mod.decorated.stats()[0]['cache_hit'])"],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    ).stdout.split()
    module = _import_file(path)
    _write(path, original.replace("x + 1", "x * 100"))
    with_cache = dict(os.environ)
    os.environ["FERROJIT_CACHE_DIR"] = str(tmp_path / "cache")
    try:
        assert module.decorated(3) == 4  # compiled from the old text, cached under its key
    finally:
        os.environ.clear()
        os.environ.update(with_cache)
    assert run() == ["300", "False"]  # the edited file: new key, compiled
    assert run() == ["300", "True"]  # and its own entry is reused


def test_nested_functions_are_checked_against_their_code():
    def no_capture(x):
        return x * 3

    assert njit(no_capture)(2) == 6

    k = 5

    def captures(x):
        return x + k

    # The text is the code Python runs; its closure variable is frozen as a global is.
    assert njit(captures)(1) == 6


def test_functions_without_a_source_file_compile_or_say_why():
    namespace = {}
    exec("def made_by_exec(x):\n    return x\n", namespace)
    assert njit(namespace["made_by_exec"])(1) == 1
    # A text the bytecode cannot be rebuilt into (here a `class` statement, which compiled code
    # refuses from files too) is refused, naming the function, where it was defined and what is not rebuilt.
    exec("def not_rebuilt(x, c):\n    class Local:\n        pass\n    return x + 1\n", namespace)
    with pytest.raises(UnsupportedError, match=r"cannot find the source code of `not_rebuilt` \(defined in `exec\(\)` or `python -c` \(<string>, line 2\)\), and rebuilding it"):
        njit(namespace["not_rebuilt"])(1, True)


def _run_program(tmp_path, program):
    """Runs `program` (a file in `tmp_path`) in a fresh process; returns what it printed."""
    path = tmp_path / "program.py"
    path.write_text(textwrap.dedent(program))
    env = dict(os.environ, FERROJIT_WARM_UP="0")
    done = subprocess.run([sys.executable, str(path)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_checking_a_source_does_not_call_the_compile_builtin(tmp_path):
    """The check compiles through CPython's C entry point: the builtin's first call in a process
    builds the `ast` module's classes (milliseconds), which a check does not need. The check
    compiles the function's text under its file's name; the builtin's other callers (the import
    of a module whose bytecode is not cached, which compiles the module's file) are not the
    check's."""
    program = """
        import builtins
        from ferrojit import njit

        calls = []
        compile_builtin = builtins.compile
        builtins.compile = lambda *args, **kwargs: calls.append(args[1]) or compile_builtin(*args, **kwargs)

        @njit
        def f(x):
            return x + 1

        print(f(1), calls.count(__file__))
    """
    assert _run_program(tmp_path, program) == ["2", "0"]


# What the source check compiled, by file, in a program calling a library function written in
# Python (`np.linspace`, in ferrojit/_lib/creation.py) from a function of its own.
CHECKED_PROGRAM = """
    import os
    import numpy as np
    from ferrojit import _source, njit
    {before}
    checked = []
    matches_code = _source._matches_code
    _source._matches_code = lambda func, *rest: checked.append(func.__code__.co_filename) or matches_code(func, *rest)

    @njit
    def user(n):
        return np.linspace(0.0, 1.0, n)[n - 1]

    assert user(3) == 1.0
    # Library functions: whether any was checked (linspace's implementation may call helpers).
    print(sum(f == __file__ for f in checked), min(1, sum(os.path.basename(f) == "creation.py" for f in checked)))
"""

# (code run before, user functions checked, library functions checked)
LIBRARY_CHECKS = [
    # The library module imported by the compiler, its file unchanged: its functions are not
    # compiled again to compare them; the user's function is.
    pytest.param("", ["1", "0"], id="library-module-imported-on-first-use"),
    # Imported by someone else first: nothing says when its file was read; checked as user code.
    pytest.param("import ferrojit._lib.creation", ["1", "1"], id="library-module-imported-before"),
]


@pytest.mark.parametrize("before, checked", LIBRARY_CHECKS)
def test_library_functions_are_checked_unless_their_file_is_unchanged_since_import(tmp_path, before, checked):
    assert _run_program(tmp_path, CHECKED_PROGRAM.format(before=before)) == checked


def _import_as_library_file(path):
    """Imports `path` as ferrojit imports its library's modules: its stamp taken first."""
    stamp = _source.file_stamp(str(path))
    module = _import_file(path)
    _source.trust_library_file(str(path), stamp)
    return module


def test_library_file_unchanged_since_import_is_not_compiled_again(tmp_path, monkeypatch):
    path = tmp_path / "library_mod.py"
    _write(path, ORIGINAL)
    module = _import_as_library_file(path)
    monkeypatch.setattr(_source, "_matches_code", lambda *args: pytest.fail("compiled again"))
    assert njit(module.plain)(3) == 4


@pytest.mark.parametrize("edit", [e[1] for e in EDITS], ids=[e[0] for e in EDITS])
def test_library_file_changed_after_import_is_checked(tmp_path, edit):
    path = tmp_path / "library_mod.py"
    _write(path, ORIGINAL)
    module = _import_as_library_file(path)
    _write(path, edit)
    with pytest.raises(UnsupportedError, match="is not the code Python is running"):
        njit(module.plain)(3)


OVERLOAD_ORIGINAL = """
    from ferrojit import njit
    from ferrojit.extending import overload

    def clip(x):
        return x

    @overload(clip)
    def clip_typing(x):
        def impl(x):
            return x + 1
        return impl

    @njit
    def calls_clip(x):
        return clip(x)
"""


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(OVERLOAD_ORIGINAL.replace("x + 1", "x + 2"), id="different constant"),
        pytest.param(OVERLOAD_ORIGINAL.replace("def clip(x):", "# a new line\n    def clip(x):"), id="lines moved down"),
    ],
)
def test_user_overload_implementation_is_checked(tmp_path, edit):
    """A user's implementation is read when compiled code first calls it: an edit of its file
    since the import is found, however the implementation was reached."""
    path = tmp_path / "overload_mod.py"
    _write(path, OVERLOAD_ORIGINAL)
    module = _import_file(path)
    _write(path, edit)
    with pytest.raises(UnsupportedError, match="is not the code Python is running"):
        module.calls_clip(3)
