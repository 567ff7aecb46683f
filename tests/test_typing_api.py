"""The public API as type checkers see it: mypy run on user code written to a temporary file.

A decorated function keeps its signature (``Dispatcher[[x: int], float]``, calls checked
against it); the stubs match the modules they describe; ``import ferrojit`` stays cheap.
"""

import os
import re
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("mypy", reason="mypy is not installed (make test installs it)")

DISPATCHER = "ferrojit._dispatcher.Dispatcher"

# (definitions using NAME for the function's name, expression given to reveal_type, what mypy
# reveals). Each row gets a function name of its own.
REVEALED = [
    pytest.param(
        "@njit\ndef NAME(x: int, y: float = 1.0) -> float:\n    return x * y",
        "NAME",
        f"{DISPATCHER}[[x: int, y: float =], float]",
        id="njit-bare",
    ),
    pytest.param("@njit\ndef NAME(x: int, y: float = 1.0) -> float:\n    return x * y", "NAME(1)", "float", id="njit-call"),
    pytest.param("@njit\ndef NAME(x: int, y: float = 1.0) -> float:\n    return x * y", "NAME(1, y=2.5)", "float", id="njit-call-keyword"),
    pytest.param("@njit\ndef NAME(x: int) -> float:\n    return x / 2", "NAME.py_func", "def (x: int) -> float", id="py_func"),
    pytest.param("@njit(cache=True, fastmath=True)\ndef NAME(n: int) -> int:\n    return n", "NAME", f"{DISPATCHER}[[n: int], int]", id="njit-options"),
    pytest.param('@njit("float64(int64)")\ndef NAME(n: int) -> float:\n    return n', "NAME", f"{DISPATCHER}[[n: int], float]", id="njit-string-signature"),
    pytest.param("@njit(int32(int32))\ndef NAME(n: int) -> int:\n    return n", "NAME(3)", "int", id="njit-signature-object"),
    pytest.param(
        '@jit([int32(int32), "float64(float64)"], nopython=True)\ndef NAME(x: float) -> float:\n    return x',
        "NAME",
        f"{DISPATCHER}[[x: float], float]",
        id="jit-signature-list",
    ),
    pytest.param("@jit\ndef NAME(s: str) -> bytes:\n    return b''", "NAME('a')", "bytes", id="jit-bare-call"),
    pytest.param("@jit(forceobj=True)\ndef NAME() -> None:\n    pass", "NAME", f"{DISPATCHER}[[], None]", id="jit-options"),
    pytest.param("def NAME(x: int) -> int:\n    return x", "njit(NAME)", f"{DISPATCHER}[[x: int], int]", id="njit-called-on-function"),
    pytest.param("@njit\ndef NAME(x: int) -> int:\n    return x", "NAME.signatures", "list[tuple[ferrojit.types.Type, ...]]", id="signatures"),
    pytest.param(
        "@njit\ndef NAME(x: int) -> int:\n    return x",
        "NAME.inspect_llvm()",
        "dict[tuple[ferrojit.types.Type, ...], str]",
        id="inspect-llvm-all",
    ),
    pytest.param("@njit\ndef NAME(x: int) -> int:\n    return x", "NAME.inspect_asm((int64,))", "str", id="inspect-asm-one"),
    pytest.param("@vectorize\ndef NAME(x: float) -> float:\n    return x", "NAME", "ferrojit._vectorize.LazyUFunc", id="vectorize-bare"),
    pytest.param("@vectorize(identity=0)\ndef NAME(x: float) -> float:\n    return x", "NAME", "ferrojit._vectorize.LazyUFunc", id="vectorize-options"),
    pytest.param('@vectorize(["float64(float64)"])\ndef NAME(x: float) -> float:\n    return x', "NAME", "numpy.ufunc", id="vectorize-signatures"),
    pytest.param(
        '@guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")\ndef NAME(x: Any, out: Any) -> None:\n    out[:] = x',
        "NAME",
        "numpy.ufunc",
        id="guvectorize",
    ),
    pytest.param(
        "@njit\ndef NAME_kernel(x: int) -> float:\n    return x * 0.5\n"
        "def NAME(kernel: Dispatcher[[int], float]) -> float:\n    return kernel(1)",
        "NAME(NAME_kernel)",
        "float",
        id="dispatcher-as-parameter-type",
    ),
    pytest.param("@stencil\ndef NAME(a: Any) -> Any:\n    return a[-1] + a[1]", "NAME", "ferrojit._stencil.StencilFunc", id="stencil-bare"),
    pytest.param("@stencil(cval=1.0)\ndef NAME(a: Any) -> Any:\n    return a[-1] + a[1]", "NAME", "ferrojit._stencil.StencilFunc", id="stencil-options"),
    pytest.param("", "int32(int32, float64[:, ::1])", "ferrojit.types.Signature", id="type-call"),
    pytest.param("", "float64[:, ::1]", "ferrojit.types.Array", id="array-type"),
    pytest.param("", "UniTuple(int64, 2)", "ferrojit.types.UniTuple", id="unituple"),
]

# (definitions, a statement mypy must reject, the error it reports)
REJECTED = [
    pytest.param(
        "@njit\ndef NAME(x: int) -> float:\n    return x",
        'NAME("x")',
        'Argument 1 to "__call__" of "Dispatcher" has incompatible type "str"; expected "int"  [arg-type]',
        id="wrong-argument-type",
    ),
    pytest.param("@njit\ndef NAME(x: int) -> float:\n    return x", "NAME(1, 2)", 'Too many arguments for "__call__" of "Dispatcher"  [call-arg]', id="too-many-arguments"),
    pytest.param(
        "@njit\ndef NAME(x: int) -> float:\n    return x",
        "NAME()",
        'Missing positional argument "x" in call to "__call__" of "Dispatcher"  [call-arg]',
        id="missing-argument",
    ),
    pytest.param(
        "@njit(cache=True)\ndef NAME(x: int) -> float:\n    return x",
        "NAME(y=1)",
        'Unexpected keyword argument "y" for "__call__" of "Dispatcher"  [call-arg]',
        id="options-form-unknown-keyword",
    ),
    pytest.param(
        "@njit\ndef NAME(x: int) -> float:\n    return x",
        "result: str = NAME(1)",
        'Incompatible types in assignment (expression has type "float", variable has type "str")  [assignment]',
        id="result-type",
    ),
    pytest.param(
        "@njit\ndef NAME(x: int) -> float:\n    return x",
        "NAME.py_func('x')",
        'Argument 1 has incompatible type "str"; expected "int"  [arg-type]',
        id="py_func-argument",
    ),
    pytest.param(
        "@njit\ndef NAME_kernel(x: str) -> float:\n    return 0.5\n"
        "def NAME(kernel: Dispatcher[[int], float]) -> float:\n    return kernel(1)",
        "NAME(NAME_kernel)",
        'Argument 1 to "NAME" has incompatible type "Dispatcher[[str], float]"; expected "Dispatcher[[int], float]"  [arg-type]',
        id="dispatcher-of-other-parameters",
    ),
]

HEADER = """\
from typing import Any
from ferrojit import Dispatcher, guvectorize, jit, njit, stencil, vectorize
from ferrojit import UniTuple, float64, int32, int64
"""


def _user_file():
    """The user code of every row; for each row id the line its checked statement is on, and the
    name that stands for NAME."""
    lines = HEADER.splitlines()
    line_of, name_of = {}, {}
    for kind, rows in (("reveal", REVEALED), ("reject", REJECTED)):
        for number, row in enumerate(rows):
            definitions, statement = row.values[0], row.values[1]
            name = f"{kind}_{number}"
            lines += ["", *definitions.replace("NAME", name).splitlines()]
            statement = statement.replace("NAME", name)
            lines.append(f"reveal_type({statement})" if kind == "reveal" else statement)
            line_of[row.id] = len(lines)
            name_of[row.id] = name
    return "\n".join(lines) + "\n", line_of, name_of


def _mypy(arguments, cwd, cache_dir):
    env = dict(os.environ, MYPY_CACHE_DIR=str(cache_dir))
    env.pop("MYPYPATH", None)
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--no-color-output", "--no-error-summary", "--show-error-codes", *arguments],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("mypy_cache")


@pytest.fixture(scope="module")
def mypy_messages(tmp_path_factory, mypy_cache):
    """mypy --strict on the user file: {line: [(severity, message)]}."""
    directory = tmp_path_factory.mktemp("user_code")
    text, line_of, name_of = _user_file()
    (directory / "user_code.py").write_text(text)
    done = _mypy(["--strict", "user_code.py"], directory, mypy_cache)
    messages = {}
    for line in done.stdout.splitlines():
        match = re.match(r"user_code\.py:(\d+): (error|note): (.*)$", line)
        assert match, f"unexpected mypy output: {line}\n{done.stdout}{done.stderr}"
        messages.setdefault(int(match.group(1)), []).append((match.group(2), match.group(3)))
    return messages, line_of, name_of, text


@pytest.mark.parametrize("definitions, expression, revealed", REVEALED)
def test_revealed_type(request, mypy_messages, definitions, expression, revealed):
    messages, line_of, _, text = mypy_messages
    line = line_of[request.node.callspec.id]
    assert messages.get(line) == [("note", f'Revealed type is "{revealed}"')], text.splitlines()[line - 1]


@pytest.mark.parametrize("definitions, statement, error", REJECTED)
def test_wrong_call_is_an_error(request, mypy_messages, definitions, statement, error):
    messages, line_of, name_of, text = mypy_messages
    line = line_of[request.node.callspec.id]
    error = error.replace("NAME", name_of[request.node.callspec.id])
    assert ("error", error) in messages.get(line, []), (text.splitlines()[line - 1], messages.get(line))


def test_no_other_errors(mypy_messages):
    """Typed user code using the API passes `mypy --strict` but for the rejected statements."""
    messages, line_of, _, text = mypy_messages
    rejected = {line_of[row.id] for row in REJECTED}
    others = {line: found for line, found in messages.items() if line not in rejected and any(s == "error" for s, _ in found)}
    assert not others, "\n".join(f"{text.splitlines()[line - 1]}: {found}" for line, found in others.items())


# mypy's own checks of the package: its modules type-check, and each stub describes the module
# beside it as it is at run time (names, signatures, classes that cannot be subclassed).
PACKAGE_CHECKS = [
    pytest.param(["-p", "ferrojit"], id="package-type-checks"),
    pytest.param(["-m", "mypy.stubtest", "ferrojit._native", "ferrojit.types"], id="stubs-match-modules"),
]


@pytest.mark.parametrize("arguments", PACKAGE_CHECKS)
def test_package_checks(tmp_path, mypy_cache, arguments):
    if arguments[0] == "-m":
        env = dict(os.environ, MYPY_CACHE_DIR=str(mypy_cache))
        done = subprocess.run([sys.executable, *arguments], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    else:
        done = _mypy(arguments, tmp_path, mypy_cache)
    assert done.returncode == 0, done.stdout + done.stderr


# Modules `import ferrojit` must not load: the annotations cost nothing at run time (typing
# alone would be the largest part of the import), and NumPy or inspect load only when used.
NOT_IMPORTED = [
    pytest.param("typing", id="typing"),
    pytest.param("numpy", id="numpy"),
    pytest.param("inspect", id="inspect"),
    pytest.param("ferrojit._stencil", id="stencil"),
]


@pytest.fixture(scope="module")
def modules_after_import():
    code = "import sys, ferrojit; print('\\n'.join(sys.modules))"
    env = dict(os.environ, FERROJIT_WARM_UP="0")
    return set(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split())


@pytest.mark.parametrize("module", NOT_IMPORTED)
def test_import_is_cheap(modules_after_import, module):
    assert "ferrojit._dispatcher" in modules_after_import
    assert module not in modules_after_import


# Modules that neither `ferrojit.extending` nor a program's first compilations may load (when
# the program itself does not): the first call of a function, and of one calling an overload
# the program defines, pay for compiling only (importing typing costs milliseconds).
FIRST_COMPILATION_PROGRAM = """
import sys
from ferrojit import njit
from ferrojit.extending import overload

def twice(x):
    return 2 * x

@overload(twice)
def twice_typing(x):
    def impl(x):
        return 2 * x
    return impl

@njit
def plain(x):
    return x + 1

@njit
def calls_overload(x):
    return twice(x) + 1

assert plain(1) == 2 and calls_overload(1) == 3
print(" ".join(sys.modules))
"""

NOT_IMPORTED_BY_FIRST_COMPILATION = [
    pytest.param("typing", id="typing"),
    pytest.param("importlib", id="importlib"),
]


@pytest.fixture(scope="module")
def modules_loaded_by_first_compilation(tmp_path_factory):
    path = tmp_path_factory.mktemp("first_compilation") / "program.py"
    path.write_text(FIRST_COMPILATION_PROGRAM)
    env = dict(os.environ, FERROJIT_WARM_UP="0")
    done = subprocess.run([sys.executable, str(path)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


@pytest.mark.parametrize("module", NOT_IMPORTED_BY_FIRST_COMPILATION)
def test_first_compilation_is_cheap(modules_loaded_by_first_compilation, module):
    assert "ferrojit._lib" in modules_loaded_by_first_compilation
    assert module not in modules_loaded_by_first_compilation


def test_dispatcher_subscripts_at_run_time():
    """`Dispatcher[[int], float]` in an annotation evaluated at run time is an alias of it."""
    from ferrojit import Dispatcher

    alias = Dispatcher[[int], float]
    assert alias.__origin__ is Dispatcher
    assert alias.__args__ == ([int], float)


def test_dispatcher_stays_a_plain_runtime_class():
    """The generic base exists for type checkers only: at run time Dispatcher's bases are the
    native one and object, so its fast call path and layout are as before."""
    import ferrojit
    from ferrojit import _native

    assert ferrojit.Dispatcher.__mro__ == (ferrojit.Dispatcher, _native.DispatcherBase, object)
    # Its Python `__call__` serves `f.__call__(...)` only: calls take the native call slot and
    # vectorcall that `install_fast_call` put in place, which never look the method up. A
    # profile hook sees each run of the method; the class is left as it is (CPython 3.12
    # turns a class's vectorcall off when its `__call__` is reassigned).
    method = ferrojit.Dispatcher.__call__.__code__
    runs = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code is method:
            runs.append(frame.f_locals["args"])

    f = ferrojit.njit(lambda_free_identity)
    sys.setprofile(profile)
    try:
        plain = f(3)
        after_plain = list(runs)
        through_method = f.__call__(4)
    finally:
        sys.setprofile(None)
    assert plain == 3 and after_plain == []
    assert through_method == 4 and runs == [(4,)]


def lambda_free_identity(x):
    return x
