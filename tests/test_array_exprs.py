"""Arrays as values: operators on arrays and scalars, compared with NumPy 2 (same dtype, shape
and values) over dtype pairs and layouts (C, F, strided, reversed, broadcast, 0-d, empty);
fusion (one loop, no temporary array), in-place operators and slice assignment (with NumPy's
overlap semantics), errors, and memory."""

import numpy as np
import pytest

import ferrojit
from ferrojit import njit
from ferrojit.errors import TypingError

from array_cases import ALL_DTYPES, values
import helpers
from helpers import assert_same_array

# One dispatcher per function for the whole module: a row compiles only the argument types it
# is the first to meet.
_COMPILED = {}


def check_arrays(pyfunc, *args, **kwargs):
    """`helpers.check_arrays` with the module's dispatcher of `pyfunc`."""
    return helpers.check_arrays(pyfunc, *args, compiled=_COMPILED, **kwargs)


# --- the operators, as functions of two operands -----------------------------------------------


def op_add(a, b):
    return a + b


def op_sub(a, b):
    return a - b


def op_mul(a, b):
    return a * b


def op_truediv(a, b):
    return a / b


def op_floordiv(a, b):
    return a // b


def op_mod(a, b):
    return a % b


def op_pow(a, b):
    return a**b


def op_and(a, b):
    return a & b


def op_or(a, b):
    return a | b


def op_xor(a, b):
    return a ^ b


def op_lshift(a, b):
    return a << b


def op_rshift(a, b):
    return a >> b


def op_lt(a, b):
    return a < b


def op_le(a, b):
    return a <= b


def op_eq(a, b):
    return a == b


def op_ne(a, b):
    return a != b


def op_gt(a, b):
    return a > b


def op_ge(a, b):
    return a >= b


ARITHMETIC = [op_add, op_sub, op_mul, op_truediv, op_floordiv, op_mod, op_pow]
BITWISE = [op_and, op_or, op_xor, op_lshift, op_rshift]
COMPARISONS = [op_lt, op_le, op_eq, op_ne, op_gt, op_ge]

# Pairs of operand dtypes: each dtype with itself, and mixed pairs across kinds and widths.
SAME = [(d, d) for d in ALL_DTYPES]
MIXED = [
    (np.int8, np.uint8),
    (np.uint8, np.int16),
    (np.int32, np.float32),
    (np.uint64, np.int64),
    (np.int64, np.float64),
    (np.float32, np.float64),
    (np.bool_, np.int8),
    (np.bool_, np.float32),
    (np.int16, np.complex64),
    (np.float32, np.complex128),
    (np.uint32, np.float32),
]

# Shapes that broadcast: (left maker, right maker), each given a dtype.
LAYOUTS = {
    "1d_C": (lambda dt: values(7, dt), lambda dt: values(9, dt)[1:8]),
    "1d_strided_reversed": (lambda dt: values(14, dt)[::2], lambda dt: values(7, dt)[::-1]),
    "2d_C_F": (lambda dt: values(12, dt).reshape(3, 4), lambda dt: np.asfortranarray(values(12, dt).reshape(3, 4)[::-1])),
    "2d_with_row": (lambda dt: values(12, dt).reshape(3, 4).T, lambda dt: values(3, dt)),
    "column_with_row": (lambda dt: values(3, dt).reshape(3, 1), lambda dt: values(4, dt).reshape(1, 4)),
    "3d_with_2d": (lambda dt: values(24, dt).reshape(2, 3, 4)[:, ::-1], lambda dt: values(12, dt).reshape(3, 4)),
    "0d_with_1d": (lambda dt: np.array(values(1, dt)[0]), lambda dt: values(5, dt)),
    "empty": (lambda dt: values(0, dt), lambda dt: values(1, dt)),
}


def safe_operands(func, a, b):
    """Operands NumPy computes without an error or an undefined result: small non-negative
    exponents and shift counts, no zero divisors for integers (those are tested on their own)."""
    kind = b.dtype.kind
    if func in (op_pow, op_lshift, op_rshift) and kind in "iu":
        b = (np.abs(b.astype(np.int64)) % 5).astype(b.dtype)
    if func in (op_floordiv, op_mod) and kind in "iub":
        b = np.where(b == 0, np.ones_like(b), b)
    if func is op_pow and a.dtype.kind in "iu" and kind in "f":
        a = np.abs(a)
    if func is op_pow and "c" in (a.dtype.kind, kind):
        # Moderate exponents: huge ones underflow complex64 powers to subnormals, where the
        # two algorithms' relative differences are large (but no value is wrong).
        b = (b / 40).astype(b.dtype) if kind in "fc" else b
    return a, b


def numpy_refuses(func, dl, dr):
    """Operator and dtypes NumPy has no loop for (a TypeError in NumPy; tested on their own)."""
    kinds = {np.dtype(dl).kind, np.dtype(dr).kind}
    if func in BITWISE and kinds & {"f", "c"}:
        return True
    if func in (op_floordiv, op_mod) and "c" in kinds:
        return True
    if func in (op_lshift, op_rshift) and "b" in kinds:
        return True
    if func is op_sub and kinds == {"b"}:
        return True
    if func in (op_lshift, op_rshift, op_and, op_or, op_xor) and {np.dtype(dl).name, np.dtype(dr).name} == {"uint64", "int64"}:
        return True
    # NumPy has no loop for integer to a negative... and bool ** bool is int8 in NumPy.
    if func is op_pow and kinds == {"b"}:
        return True
    return False


def not_yet(func, dl, dr):
    """What NumPy computes and ferrojit refuses (a TypingError, tested below): ordering
    comparisons of complex numbers, which NumPy orders lexicographically."""
    kinds = {np.dtype(dl).kind, np.dtype(dr).kind}
    return func in (op_lt, op_le, op_gt, op_ge) and "c" in kinds


def tolerance(func, dl, dr):
    """Complex division and powers: NumPy's algorithms (Smith's division, its complex `pow`)
    may round the last bit differently from ours; everything else is exact."""
    kinds = {np.dtype(dl).kind, np.dtype(dr).kind}
    if "c" in kinds and func in (op_truediv, op_pow):
        return 1e-5 if {np.dtype(dl).name, np.dtype(dr).name} & {"complex64"} else 1e-12
    if func is op_pow and kinds & {"f"}:
        # float32 powers: NumPy computes float32 `powf`; LLVM's may differ in the last bit.
        # float64 powers: on AVX-512 machines NumPy evaluates contiguous runs with SVML's `pow`
        # (within an ulp, not correctly rounded as the C library's that compiled code calls).
        return 1e-6 if "float32" in {np.dtype(dl).name, np.dtype(dr).name} else 2 * np.finfo(np.float64).eps
    return None


# Dtype pairs that run over every layout; the others run over two layouts each, chosen in
# turn so that every layout meets every operator.
EVERY_LAYOUT = [(np.float64, np.float64), (np.int32, np.int32), (np.int8, np.uint8), (np.float32, np.complex128), (np.bool_, np.bool_)]


def binary_cases():
    names = list(LAYOUTS)
    turn = 0
    for func in ARITHMETIC + BITWISE + COMPARISONS:
        for dl, dr in SAME + MIXED:
            if numpy_refuses(func, dl, dr) or not_yet(func, dl, dr):
                continue
            if (dl, dr) in EVERY_LAYOUT:
                layouts = names
            else:
                layouts = [names[turn % len(names)], names[(turn + 3) % len(names)]]
                turn += 1
            for layout in layouts:
                yield pytest.param(func, dl, dr, layout, id=f"{func.__name__}-{np.dtype(dl).name}-{np.dtype(dr).name}-{layout}")


@pytest.mark.parametrize("func, dl, dr, layout", list(binary_cases()))
def test_binary_operators_match_numpy(func, dl, dr, layout):
    make_l, make_r = LAYOUTS[layout]
    a, b = safe_operands(func, make_l(dl), make_r(dr))
    check_arrays(func, a, b, rel=tolerance(func, dl, dr))


# --- arrays with scalars: literals are weak (NEP 50), scalar arguments are not -------------------


def add_literal_int(a):
    return a + 3


def mul_literal_float(a):
    return a * 0.5


def literal_minus_array(a):
    return 10 - a


def literal_pow(a):
    return a**2


def literal_compare(a):
    return a > 1


def complex_literal(a):
    return a * 1j


def scalar_argument(a, s):
    return a * s - s


@pytest.mark.parametrize("func", [add_literal_int, mul_literal_float, literal_minus_array, literal_pow, literal_compare, complex_literal])
@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(5,), (2, 3), (), (0,)], ids=str)
def test_operators_with_literals_keep_numpy_s_weak_typing(func, dtype, shape):
    a = values(int(np.prod(shape)), dtype).reshape(shape)
    if np.dtype(dtype).kind == "c" and func is literal_compare:
        pytest.skip("ordering comparisons of complex arrays are not supported yet (tested with the errors)")
    if np.dtype(dtype).kind == "b" and func is literal_pow:
        pytest.skip("NumPy's `power` of a bool array by a Python int is int8 (its loop table), unlike every other operator; ferrojit gives int64")
    check_arrays(func, a)


@pytest.mark.parametrize(
    "a, s",
    [
        (values(6, np.float32), np.float32(1.5)),
        (values(6, np.int8), np.int8(3)),
        (values(6, np.uint16), np.uint16(7)),
        (values(6, np.float64).reshape(2, 3), 2.5),
        (values(6, np.complex128), 1 - 2j),
    ],
    ids=str,
)
def test_operators_with_scalar_arguments(a, s):
    check_arrays(scalar_argument, a, s)


# --- unary operators ------------------------------------------------------------------------------


def neg(a):
    return -a


def pos(a):
    return +a


def invert(a):
    return ~a


@pytest.mark.parametrize("func", [neg, pos, invert])
@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("layout", ["C", "reversed", "F", "0d", "empty"])
def test_unary_operators_match_numpy(func, dtype, layout):
    kind = np.dtype(dtype).kind
    if func is invert and kind in "fc" or func in (neg, pos) and kind == "b":
        pytest.skip("NumPy has no such loop (tested with the errors)")
    a = {
        "C": lambda: values(6, dtype),
        "reversed": lambda: values(12, dtype)[::-3],
        "F": lambda: np.asfortranarray(values(12, dtype).reshape(3, 4)),
        "0d": lambda: np.array(values(1, dtype)[0]),
        "empty": lambda: values(0, dtype).reshape(0, 3),
    }[layout]()
    check_arrays(func, a)


# --- special values and zero divisors follow NumPy, not Python ---------------------------------------


@pytest.mark.parametrize("func", [op_truediv, op_floordiv, op_mod])
@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint32, np.float32, np.float64], ids=lambda d: np.dtype(d).name)
def test_division_by_zero_gives_numpy_s_values(func, dtype):
    a = np.array([3, -3, 0, 7], dtype=dtype) if np.dtype(dtype).kind != "u" else np.array([3, 0, 7, 1], dtype=dtype)
    b = np.zeros(4, dtype=dtype)
    check_arrays(func, a, b)


def test_integer_overflow_wraps_as_numpy_s():
    a = np.array([127, -128, 100], dtype=np.int8)
    check_arrays(op_add, a, a)
    check_arrays(op_mul, a, a)
    check_arrays(neg, a)


# --- fusion -----------------------------------------------------------------------------------------


def distance(a, b):
    d = (a - b) ** 2
    return np.sqrt(d.sum())


def fused_sum(a, b):
    return ((a - b) * (a - b)).sum()


def fused_mean(a, b, c):
    return (a * b + c).mean()


def fused_min_max(a, b):
    return (a - b).min(), (a * b).max()


def fused_functions(a, b):
    return np.sum((a - b) * 2), np.amin(a + b), np.max(a * b), np.mean(a - b)


def long_expression(a, b, c):
    return (a - b) ** 2 * c + 0.5 * (a + b) / (c + 2.0) - (a > b) * 1.5


@pytest.mark.parametrize("func, nargs", [(fused_sum, 2), (fused_mean, 3), (fused_min_max, 2), (fused_functions, 2)])
@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.float32, np.float64], ids=lambda d: np.dtype(d).name)
def test_reductions_of_expressions_match_numpy_and_allocate_nothing(func, nargs, dtype):
    args = [values(12, dtype).reshape(3, 4)[:, ::-1], values(4, dtype), values(12, dtype).reshape(3, 4)][:nargs]
    if np.dtype(dtype).kind == "f":
        # NumPy sums pairwise, ferrojit in order: the same values up to rounding.
        check_arrays(func, *args, rel=1e-6 if dtype == np.float32 else 1e-13)
    else:
        check_arrays(func, *args)
    compiled = njit(func)
    compiled(*args)
    before = ferrojit._native.allocations_made()
    compiled(*args)
    assert ferrojit._native.allocations_made() == before


def test_one_expression_makes_one_array():
    a, b, c = values(12, np.float64).reshape(3, 4), values(4, np.float64), np.abs(values(12, np.float64).reshape(3, 4))
    check_arrays(long_expression, a, b, c)
    compiled = njit(long_expression)
    compiled(a, b, c)
    before = ferrojit._native.allocations_made()
    compiled(a, b, c)
    assert ferrojit._native.allocations_made() == before + 1


def test_fused_expression_in_the_ir(tmp_path):
    """The typed IR shows one map (one loop) for a whole expression."""
    import os
    import subprocess
    import sys

    code = "import numpy as np\nfrom ferrojit import njit\n@njit\ndef f(a, b, c):\n    return (a - b) ** 2 * c\nf(np.ones(3), np.ones(3), np.ones(3))\n"
    script = tmp_path / "fused.py"
    script.write_text(code)
    out = subprocess.run([sys.executable, str(script)], env=dict(os.environ, FERROJIT_DUMP_IR="1"), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    typed = out.stdout.split("---- typed IR")[1]
    assert typed.count("map (") == 1, typed
    assert typed.count("new(") == 1, typed


# --- fusion across statements ------------------------------------------------------------------------


def distance_statements(a, b):
    d = a - b
    return np.sqrt((d * d).sum())


def chain_statements(a, b):
    d = a - b
    e = d * d
    s = e.mean()
    return s


def in_loop_statements(a, b):
    total = 0.0
    for k in range(3):
        d = a * k - b
        total += d.max()
    return total


def used_twice(a, b):
    # `d` is read twice: it stays an array; the result (a row plus a number) is the second.
    d = a - b
    first = d[0]
    return (d * d).sum() + first


def written_between(a, b):
    d = a - b
    a[0] = 100.0
    return d.sum()


def expensive_read_twice(a, b):
    d = np.sin(a) * np.exp(b)
    return (d * d).sum()


def into_slice(u):
    v = u[:-2] + u[2:]
    u[1:-1] = v * 0.5
    return u


@pytest.mark.parametrize(
    "func, allocations",
    [(distance_statements, 0), (chain_statements, 0), (in_loop_statements, 0), (used_twice, 2), (written_between, 1), (expensive_read_twice, 1)],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_statements_fuse_when_the_variable_is_only_read_by_the_next_one(func, allocations):
    a, b = values(12, np.float64).reshape(3, 4), values(4, np.float64)
    check_arrays(func, a, b, rel=1e-13)
    compiled = njit(func)
    compiled(a.copy(), b)
    before = ferrojit._native.allocations_made()
    compiled(a.copy(), b)
    assert ferrojit._native.allocations_made() - before == allocations


def sum_of_expression_in_int8(a, b):
    return np.sum(a * b, dtype=np.int8)


def mean_of_expression_in_float32(a, b):
    return np.mean(a - b, dtype=np.float32)


@pytest.mark.parametrize("func", [sum_of_expression_in_int8, mean_of_expression_in_float32], ids=lambda f: f.__name__)
def test_reduction_of_an_expression_keeps_its_dtype_argument(func):
    # Products within int8, whose sum (200) wraps as NumPy wraps it.
    check_arrays(func, np.arange(5.0), np.full(5, 20.0))


def complex_mean_expression(a, b):
    return (a * b).mean()


def complex_mean_statements(a, b):
    d = a * b
    return d.mean()


def complex_mean_function(a, b):
    return np.mean(a * b - b)


@pytest.mark.parametrize("func", [complex_mean_expression, complex_mean_statements, complex_mean_function], ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128], ids=lambda d: np.dtype(d).name)
def test_complex_mean_of_an_expression_matches_numpy_and_allocates_nothing(func, dtype):
    a, b = values(12, dtype).reshape(3, 4)[:, ::-1], values(4, dtype)
    # NumPy sums pairwise, ferrojit in blocks: the same values up to rounding.
    check_arrays(func, a, b, rel=1e-5 if dtype == np.complex64 else 1e-13)
    compiled = njit(func)
    compiled(a, b)
    before = ferrojit._native.allocations_made()
    compiled(a, b)
    assert ferrojit._native.allocations_made() == before


def test_statement_fused_into_an_overlapping_slice_assignment_reads_old_values():
    check_arrays(into_slice, values(9, np.float64) ** 2)


# --- in-place operators and slice assignment ---------------------------------------------------------


def iadd(a, b):
    a += b
    return a


def imul_scalar(a):
    a *= 3
    return a


def islice(a, b):
    a[1:-1] += b[2:]
    return a


def jacobi(u):
    u[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
    return u


def shift_right(u):
    u[1:] = u[:-1] * 2
    return u


def shift_left(u):
    u[:-1] = u[1:] + 1
    return u


def reverse_into_self(u):
    u[:] = u[::-1]
    return u


def broadcast_row(u, row):
    u[:] = row
    return u


def assign_scalar_expression(u, b):
    u[::2] = b[::2] * 2 + 1
    return u


@pytest.mark.parametrize(
    "func, args",
    [
        (iadd, (values(6, np.float64), values(6, np.float64))),
        (iadd, (values(12, np.int32).reshape(3, 4), values(4, np.int16))),
        (iadd, (np.asfortranarray(values(12, np.float32).reshape(3, 4)), np.float32(2))),
        (iadd, (values(6, np.complex128), values(6, np.float64))),
        (imul_scalar, (values(6, np.uint8),)),
        (islice, (values(8, np.float64), values(8, np.float64))),
        (jacobi, (values(30, np.float64).reshape(5, 6),)),
        (jacobi, (np.asfortranarray(values(30, np.float64).reshape(5, 6)),)),
        (shift_right, (values(8, np.int64) ** 2,)),
        (shift_left, (values(8, np.float64) ** 2,)),
        (reverse_into_self, (values(7, np.float64) ** 2,)),
        (reverse_into_self, (values(12, np.int16).reshape(3, 4)[::-1],)),
        (reverse_into_self, (np.asfortranarray(values(24, np.complex128).reshape(2, 3, 4)),)),
        (shift_right, (values(9, np.complex64),)),
        (shift_right, (np.zeros(0),)),
        (broadcast_row, (np.zeros((3, 4)), values(4, np.float64))),
        (broadcast_row, (np.zeros((3, 4), dtype=np.int32), values(4, np.float64))),
        (assign_scalar_expression, (np.zeros(7), values(7, np.int8))),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_in_place_and_slice_assignment_match_numpy(func, args):
    check_arrays(func, *args)


def test_aliasing_self_assignment_through_a_parameter():
    """Two parameters viewing one buffer: NumPy reads the old values; so does ferrojit."""

    @njit
    def assign(dst, src):
        dst[:] = src + 1.0

    buf = np.arange(10.0) ** 2
    expected = buf.copy()
    expected[1:] = expected[:-1] + 1.0
    assign(buf[1:], buf[:-1])
    assert_same_array(buf, expected)


# --- errors ------------------------------------------------------------------------------------------


def test_shapes_that_do_not_broadcast_raise_numpy_s_error():
    with pytest.raises(ValueError, match=r"^operands could not be broadcast together with shapes \(3,\) \(4,\) $"):
        njit(op_add)(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match=r"^operands could not be broadcast together with shapes \(2,3\) \(2,\) $"):
        njit(op_mul)(np.ones((2, 3)), np.ones(2))


@pytest.mark.parametrize("dst_shape, src_shape", [((2, 4), (3,)), ((5,), (2,)), ((2, 3), (2, 2))], ids=str)
def test_assignment_that_does_not_broadcast_raises_numpy_s_error(dst_shape, src_shape):
    with pytest.raises(ValueError) as numpy_error:
        broadcast_row(np.zeros(dst_shape), np.ones(src_shape))
    with pytest.raises(ValueError) as ours:
        njit(broadcast_row)(np.zeros(dst_shape), np.ones(src_shape))
    assert str(ours.value) == str(numpy_error.value)


@pytest.mark.parametrize(
    "func, args, message",
    [
        (op_sub, (np.array([True]), np.array([False])), "numpy boolean subtract"),
        (neg, (np.array([True]),), "numpy boolean negative"),
        (pos, (np.array([True]),), "unary `\\+` of a bool array"),
        (imul_scalar, (np.array([1.5]),), None),
    ],
    ids=["bool-subtract", "bool-negative", "bool-positive", "ok"],
)
def test_operations_numpy_refuses_are_typing_errors(func, args, message):
    if message is None:
        check_arrays(func, *args)
        return
    with pytest.raises(TypeError):
        func(*args)
    with pytest.raises(TypingError, match=message):
        njit(func)(*args)


def test_ordering_comparisons_of_complex_arrays_are_not_supported_yet():
    with pytest.raises(TypingError):
        njit(op_lt)(np.ones(2, dtype=np.complex128), np.ones(2, dtype=np.complex128))


def test_in_place_results_must_cast_same_kind():
    with pytest.raises(TypingError, match="casting rule 'same_kind'"):
        njit(iadd)(np.arange(3), np.ones(3))
    with pytest.raises(TypeError):
        iadd(np.arange(3), np.ones(3))


def test_read_only_arrays_cannot_be_assigned():
    a = np.zeros(3)
    a.setflags(write=False)
    with pytest.raises(TypingError, match="read-only"):
        njit(broadcast_row)(a, np.ones(3))


# --- memory ------------------------------------------------------------------------------------------


def raises_midway(a, b):
    c = a * 2
    return c ** b


def test_exceptions_midway_leak_nothing():
    f = njit(raises_midway)
    a, b = np.arange(1, 6), np.array([1, 2, -1, 3, 4])
    with pytest.raises(ValueError):
        f(a, b)
    before = ferrojit._native.live_allocations()
    for _ in range(50):
        with pytest.raises(ValueError):
            f(a, b)
    assert ferrojit._native.live_allocations() == before


def test_results_and_temporaries_are_freed():
    f = njit(long_expression)
    a, b, c = values(12, np.float64).reshape(3, 4), values(4, np.float64), np.abs(values(12, np.float64).reshape(3, 4))
    g = njit(jacobi)
    f(a, b, c)
    g(np.zeros((5, 5)))
    before = ferrojit._native.live_allocations()
    for _ in range(200):
        f(a, b, c)
        g(np.ones((6, 7)))
    assert ferrojit._native.live_allocations() == before



# --- truth values and unpacking -------------------------------------------------------------------


def truth_of(a):
    if a:
        return 1
    return 0


@pytest.mark.parametrize(
    "a",
    [np.array([2.0]), np.array([0]), np.array(True), np.array(0.0), np.zeros((1, 1)), np.array([1.0, 2.0]), np.array([]), np.ones((2, 2))],
    ids=str,
)
def test_truth_of_an_array_is_numpy_s(a):
    check_arrays(truth_of, a, exc_msg=True)


def unpack3(p):
    x, y, z = p
    return x * 100 + y * 10 + z


@pytest.mark.parametrize("p", [np.array([1, 2, 3]), np.array([1.5, 2.5, 3.5])[::-1], np.arange(6).reshape(3, 2), np.array([1, 2]), np.array([1, 2, 3, 4])], ids=str)
def test_unpacking_an_array(p):
    check_arrays(unpack3, p)


def strides_nbytes(a):
    return a.strides, a.nbytes


@pytest.mark.parametrize(
    "a",
    [values(6, np.float64), values(12, np.int16).reshape(3, 4), np.asfortranarray(values(12, np.float32).reshape(3, 4)), values(24, np.complex64)[::-3], values(0, np.uint8)],
    ids=str,
)
def test_strides_and_nbytes_as_numpy(a):
    # Compared with the argument itself: the harness's copies for Python have other strides.
    assert njit(strides_nbytes)(a) == (a.strides, a.nbytes)


# --- new axes ----------------------------------------------------------------------------------------


def pairwise_distances(X):
    return np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=-1))


def outer_product(a, b):
    return a[:, np.newaxis] * b[np.newaxis, :]


def new_axes_views(a):
    return a[None], a[:, None], a[None, 1:, None], a[0, None]


@pytest.mark.parametrize("X", [values(12, np.float64).reshape(4, 3), np.asfortranarray(values(6, np.float32).reshape(3, 2)), values(20, np.int64).reshape(5, 4)[::-2]], ids=str)
def test_broadcasting_through_new_axes(X):
    check_arrays(pairwise_distances, X, rel=1e-6 if X.dtype == np.float32 else 1e-14)
    check_arrays(outer_product, X[0], X[:, 0])


@pytest.mark.parametrize("a", [values(6, np.float64).reshape(2, 3), values(6, np.int8)[::-2].reshape(1, 3)], ids=str)
def test_new_axes_are_views_of_numpy_s_shape(a):
    check_arrays(new_axes_views, a)


# --- real and imaginary parts ------------------------------------------------------------------------


def parts(a):
    return a.real, a.imag, a.real * 2 + a.imag


def write_parts(a):
    a.real[:] = 1.5
    a.imag[::2] = a.real[::2] * -1
    return a


@pytest.mark.parametrize(
    "a",
    [values(6, np.complex128), values(12, np.complex64).reshape(3, 4).T, values(12, np.complex128)[::-3], values(5, np.float64), values(4, np.int16)],
    ids=str,
)
def test_real_and_imaginary_parts_as_numpy(a):
    check_arrays(parts, a)
    if a.dtype.kind == "c":
        check_arrays(write_parts, a.copy())


# --- transposes with axes ----------------------------------------------------------------------------


def transposes(a):
    return a.transpose(1, 0, 2), a.transpose((2, 0, 1)), np.transpose(a, (0, 2, 1)), a.transpose(-1, 0, 1) * 2, a.transpose(0, 1, 2)


@pytest.mark.parametrize("a", [values(24, np.float64).reshape(2, 3, 4), np.asfortranarray(values(24, np.int32).reshape(2, 3, 4)), values(48, np.float32).reshape(2, 4, 6)[:, ::-1, ::2]], ids=str)
def test_transposes_with_axes_as_numpy(a):
    check_arrays(transposes, a)


def test_transpose_axes_must_be_a_permutation():
    @njit
    def bad(a):
        return a.transpose(0, 0, 1)

    with pytest.raises(TypingError, match="axes don't match array"):
        bad(np.zeros((2, 2, 2)))
