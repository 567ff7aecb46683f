"""Linear algebra: ``np.matmul`` (and ``@``), ``np.dot``, ``np.linalg`` (solvers,
decompositions, eigenproblems, norms; stacks of matrices where NumPy takes them), and the
polynomial functions built on it, ``np.roots`` and ``np.polyfit``.

The work is done by BLAS and LAPACK, never by hand-written loops, for float32, float64,
complex64 and complex128 (other numbers are converted as NumPy converts them; integer and
bool matrix products, which BLAS lacks, are loops, as NumPy's own are).

**The provider.** ferrojit links no BLAS of its own. The first typing of a call here finds
one and hands its routines' addresses to the runtime (``_native.set_linalg_provider``):

1. NumPy's own OpenBLAS (``scipy-openblas``, which NumPy's wheels ship and load): the very
   library ``np.linalg`` calls, so results agree with NumPy's, at no extra dependency;
2. else SciPy's ``scipy.linalg.cython_blas`` / ``cython_lapack`` function pointers (what
   Numba uses), for a NumPy built against another BLAS;
3. else the call is refused with a message that says what to install.

The compiled code calls the routines through ``blas_gemm`` and ``lapack_*`` below, which
take int64 arguments: the element kind (0 float32, 1 float64, 2 complex64, 3 complex128),
sizes, flags and the data addresses of arrays (``_lib.data_address``). LAPACK works on
column-major matrices; the implementations follow NumPy's own (``_umath_linalg``) step for
step (the same LAPACK calls on the same Fortran-ordered copies; ``inv`` solves ``A X = I``,
``det`` is ``sign * exp(log|det|)``), so that results are NumPy's to the bit.
"""

import cmath
import ctypes
import importlib
import os
import sys

import numpy as np

from .. import _native, types
from ..extending import CallRefused, overload, register_jitable
from . import axis_error, data_address
from .dtypes import numpy_type

_KINDS = {np.float32: 0, np.float64: 1, np.complex64: 2, np.complex128: 3}
_INSTALL_HINT = (
    "np.linalg, np.dot and `@` need a BLAS/LAPACK: ferrojit uses NumPy's own OpenBLAS (NumPy's wheels from "
    "PyPI ship it) or SciPy's; install SciPy (`pip install scipy`) or a NumPy wheel from PyPI"
)


# ---- the runtime calls (meaningful in compiled code only) --------------------------------------


def blas_dot(kind, n, x, incx, y, incy):
    """The dot product of two real vectors (``sdot``/``ddot``), as a float64. In compiled
    code, a call of the provider's routine."""
    raise NotImplementedError("blas_dot is called from compiled code only")


def blas_dot_into(kind, n, x, incx, y, incy, out):
    """Stores at the address ``out`` the unconjugated dot product of two vectors (``sdot``,
    ``ddot``, ``cdotu``, ``zdotu``) in their element type; 0, or a negative status when the
    provider lacks the routine. In compiled code, a call of the provider's routine."""
    raise NotImplementedError("blas_dot_into is called from compiled code only")


def blas_gemm(kind, trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc):
    """``C = op(A) @ op(B)`` in column-major terms (``C``: m x n), ``op`` the transpose when
    its flag is 1. In compiled code, a call of the provider's ``?gemm``."""
    raise NotImplementedError("blas_gemm is called from compiled code only")


def lapack_gesv(kind, n, nrhs, a, lda, b, ldb):
    """Solves ``A X = B`` in place (column-major ``A``: n x n, ``B``: n x nrhs); returns
    LAPACK's ``info`` (> 0: singular)."""
    raise NotImplementedError("lapack_gesv is called from compiled code only")


def lapack_getrf(kind, n, a, lda):
    """LU-factorises ``A`` (n x n) in place; returns ``2 * info + parity`` (``info`` > 0:
    singular; ``parity``: the number of row swaps modulo 2)."""
    raise NotImplementedError("lapack_getrf is called from compiled code only")


def lapack_potrf(kind, lower, n, a, lda):
    """The Cholesky factor of ``A`` (n x n) in place, in its lower (``lower`` = 1) or upper
    triangle; returns LAPACK's ``info`` (> 0: not positive definite)."""
    raise NotImplementedError("lapack_potrf is called from compiled code only")


def lapack_heevd(kind, vectors, lower, n, a, lda, w):
    """Eigenvalues (into the float64 ``w``) and, with ``vectors`` = 1, eigenvectors (into ``a``'s
    columns) of the symmetric or Hermitian ``A``; returns LAPACK's ``info``."""
    raise NotImplementedError("lapack_heevd is called from compiled code only")


def lapack_geev(kind, vectors, n, a, lda, wr, wi, vr, ldvr):
    """Eigenvalues and, with ``vectors`` = 1, right eigenvectors of the general ``A``; real:
    the values' real and imaginary parts into the float64 ``wr`` and ``wi`` and the vectors
    in LAPACK's packed real form; complex: the values into ``wr``; returns LAPACK's ``info``."""
    raise NotImplementedError("lapack_geev is called from compiled code only")


def lapack_gesdd(kind, job, m, n, a, lda, s, u, ldu, vt, ldvt):
    """Singular values into ``s`` and, with ``job`` 1 (reduced) or 2 (full), singular vectors
    into ``u`` and ``vt``; returns LAPACK's ``info``."""
    raise NotImplementedError("lapack_gesdd is called from compiled code only")


def lapack_geqrf(kind, m, n, a, lda, tau):
    """The QR factorisation of ``A`` in place (R above the diagonal, reflectors below, their
    factors in ``tau``); returns LAPACK's ``info``."""
    raise NotImplementedError("lapack_geqrf is called from compiled code only")


def lapack_orgqr(kind, m, n, k, a, lda, tau):
    """The first ``n`` columns of Q from ``k`` reflectors of ``geqrf``, in place; returns
    LAPACK's ``info``."""
    raise NotImplementedError("lapack_orgqr is called from compiled code only")


def lapack_gelsd(kind, m, n, nrhs, a, lda, b, ldb, s, rcond):
    """Least-squares solutions into ``b``'s first n rows and ``A``'s singular values into
    ``s``; returns the effective rank, or ``-1 - info`` when LAPACK failed."""
    raise NotImplementedError("lapack_gelsd is called from compiled code only")


# ---- finding the provider ---------------------------------------------------------------------

_provider_state: list[bool] = []  # [True] once installed, [False] once none was found


def _numpy_openblas():
    """(path, symbol prefix, symbol suffix, int64) of NumPy's own scipy-openblas, if loaded."""
    try:
        config = np.__config__.CONFIG["Build Dependencies"]["lapack"]
    except (AttributeError, KeyError, TypeError):
        return None
    if config.get("name") != "scipy-openblas":
        return None
    path = None
    if sys.platform.startswith("linux"):
        # The library is loaded with NumPy's extension modules; find the file mapped.
        try:
            with open("/proc/self/maps") as maps:
                for line in maps:
                    name = line.rsplit(None, 1)[-1]
                    if os.path.basename(name).startswith("libscipy_openblas"):
                        path = name
                        break
        except OSError:
            path = None
    if path is None:
        return None
    int64 = "64" in os.path.basename(path).split(".")[0].split("-")[0]
    # Fortran names end in `_`; the 64-bit-integer build appends `64_` to them (`dgemm_64_`).
    return path, "scipy_", "_64_" if int64 else "_", int64


def _capsule_address(capsule):
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype, get_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    return get_pointer(capsule, get_name(capsule))


def _scipy_routines(names):
    try:
        cython_blas = importlib.import_module("scipy.linalg.cython_blas")
        cython_lapack = importlib.import_module("scipy.linalg.cython_lapack")
    except ImportError:
        return None
    capsules = {**cython_blas.__pyx_capi__, **cython_lapack.__pyx_capi__}
    if not all(name in capsules for name in names):
        return None
    return {name: _capsule_address(capsules[name]) for name in names}


def _install_provider():
    """Finds a provider and installs it; whether one was found (cached)."""
    if _provider_state:
        return _provider_state[0]
    names = _native.linalg_routines()
    found = _numpy_openblas()
    routines, int64 = None, False
    if found is not None:
        path, prefix, suffix, int64 = found
        library = ctypes.CDLL(path)
        try:
            routines = {name: ctypes.cast(getattr(library, prefix + name + suffix), ctypes.c_void_p).value for name in names}
        except AttributeError:
            routines = None
    if routines is None:
        routines, int64 = _scipy_routines(names), False
    if routines is not None:
        _native.set_linalg_provider(int64, routines)
    _provider_state.append(routines is not None)
    return _provider_state[0]


def _require_provider(name):
    if not _install_provider():
        raise CallRefused(f"`{name}` cannot run: no BLAS/LAPACK was found", hint=_INSTALL_HINT)


# ---- typing helpers ---------------------------------------------------------------------------

_NUMBER = (types.Boolean, types.Integer, types.Float, types.Complex)


def _element(x):
    """The NumPy scalar type of an array's elements or of a number."""
    return numpy_type(x.dtype if isinstance(x, types.Array) else x)


def _lapack_types(name, *operands):
    """(the type LAPACK computes in, the result's type) for these operands, as ``np.linalg``
    chooses them (its ``_commonType``): the computation is always in double precision
    (float64, or complex128 when an operand is complex); the result is single precision
    when every operand is float32 or complex64, else the computation's type."""
    single, complex_ = True, False
    for x in operands:
        t = _element(x)
        if issubclass(t, np.complexfloating):
            complex_ = True
        if t not in (np.float32, np.complex64):
            single = False
        if issubclass(t, np.floating) and t not in (np.float32, np.float64):
            raise CallRefused(f"array type {np.dtype(t).name} is unsupported in linalg (`{name}`)")
    if complex_:
        return np.complex128, np.complex64 if single else np.complex128
    return np.float64, np.float32 if single else np.float64


def _check_numbers(name, a):
    """``a`` is an array of numbers, else the call is refused."""
    if not isinstance(a, types.Array) or not isinstance(a.dtype, _NUMBER):
        raise CallRefused(f"`{name}` takes an array of numbers, not a `{a}`")


def _check_matrix(name, a, ndims=(2,)):
    _check_numbers(name, a)
    if a.ndim not in ndims:
        raise CallRefused(
            f"`{name}` of a {a.ndim}-dimensional array is not supported yet (only {' or '.join(map(str, ndims))} dimensions)",
            hint="this function takes no stacks of matrices in compiled code yet; loop over them",
        )


@register_jitable
def _fortran_copy(a, element):
    """A Fortran-ordered copy of the 2-d ``a`` with elements of type ``element``."""
    copy = np.empty((a.shape[0], a.shape[1]), element, "F")
    copy[:, :] = a
    return copy


@register_jitable
def _c_copy(a, element):
    """A C-ordered copy of the 2-d ``a`` with elements of type ``element``."""
    copy = np.empty((a.shape[0], a.shape[1]), element, "C")
    copy[:, :] = a
    return copy


@register_jitable
def _square_size(a):
    if a.shape[0] != a.shape[1]:
        raise np.linalg.LinAlgError("Last 2 dimensions of the array must be square")
    return a.shape[0]


# ---- stacks of matrices ------------------------------------------------------------------------
#
# np.linalg's functions of one matrix take stacks (..., m, n) as NumPy's do: the function of
# each matrix, the results stacked with the stack's leading shape.


def _is_stack(a):
    return isinstance(a, types.Array) and a.ndim > 2 and isinstance(a.dtype, _NUMBER)


@register_jitable
def _stack_size(a):
    """The number of matrices in the stack ``a`` (..., m, n); 1 for a matrix. (The size of
    an array of the leading shape: a product over a tuple of any length.)"""
    return np.empty(a.shape[:-2], np.int8).size


@register_jitable
def _matrices(a):
    """The stack ``a`` as a C-ordered (count, m, n) array (a view when ``a`` is C-ordered)."""
    return np.ascontiguousarray(a).reshape((_stack_size(a), a.shape[-2], a.shape[-1]))


@register_jitable
def _check_stack(a, square):
    # NumPy checks the shape before any matrix, so an empty stack of non-square ones raises too.
    if square and a.shape[-2] != a.shape[-1]:
        raise np.linalg.LinAlgError("Last 2 dimensions of the array must be square")


@register_jitable
def _stacked_output(a, core, element):
    """An uninitialised result for the stack ``a``: its leading shape then ``core``, and
    the same memory as (count,) + ``core``."""
    out = np.empty(a.shape[:-2] + core, element)
    return out, out.reshape((_stack_size(a),) + core)


@register_jitable
def _scalar_core(m, n):
    return ()


@register_jitable
def _square_core(m, n):
    return (m, m)


@register_jitable
def _vector_core(m, n):
    return (m,)


@register_jitable
def _smaller_core(m, n):
    return (min(m, n),)


@register_jitable
def _left_reduced_core(m, n):
    return (m, min(m, n))


@register_jitable
def _right_reduced_core(m, n):
    return (min(m, n), n)


@register_jitable
def _right_square_core(m, n):
    return (n, n)


def _stacked(function, square, *outputs):
    """``a -> results`` for a stack ``a``: ``function`` (compiled, of one matrix) of each
    matrix, giving one result or a tuple of them; ``outputs`` are (element type, core
    shape function of (m, n)) for each, a result's shape being the stack's leading shape
    then its core shape. ``square``: the matrices must be square."""
    if len(outputs) == 1:
        ((element, core),) = outputs

        def one(a):
            _check_stack(a, square)
            m, n = a.shape[-2], a.shape[-1]
            flat = _matrices(a)
            out, flat_out = _stacked_output(a, core(m, n), element)
            for i in range(flat.shape[0]):
                flat_out[i] = function(flat[i])
            return out

        return one
    if len(outputs) == 2:
        (element0, core0), (element1, core1) = outputs

        def two(a):
            _check_stack(a, square)
            m, n = a.shape[-2], a.shape[-1]
            flat = _matrices(a)
            out0, flat0 = _stacked_output(a, core0(m, n), element0)
            out1, flat1 = _stacked_output(a, core1(m, n), element1)
            for i in range(flat.shape[0]):
                r0, r1 = function(flat[i])
                flat0[i] = r0
                flat1[i] = r1
            return out0, out1

        return two
    (element0, core0), (element1, core1), (element2, core2) = outputs

    def three(a):
        _check_stack(a, square)
        m, n = a.shape[-2], a.shape[-1]
        flat = _matrices(a)
        out0, flat0 = _stacked_output(a, core0(m, n), element0)
        out1, flat1 = _stacked_output(a, core1(m, n), element1)
        out2, flat2 = _stacked_output(a, core2(m, n), element2)
        for i in range(flat.shape[0]):
            r0, r1, r2 = function(flat[i])
            flat0[i] = r0
            flat1[i] = r1
            flat2[i] = r2
        return out0, out1, out2

    return three


def _stack_types(name, a):
    """(result type, its real type) of a np.linalg function of the stack ``a``."""
    _require_provider(name)
    result = _lapack_types(name, a)[1]
    return result, _real_of(result)


# ---- np.matmul, `@`, np.dot -------------------------------------------------------------------


@register_jitable
def _blas_product(a, b, out, kind, trans_a, trans_b):
    """``out = a @ b`` for 2-d ``a`` (m x k) and ``b`` (k x n), each C-contiguous or, with its
    ``trans_`` flag 1, Fortran-contiguous, and a C-contiguous ``out`` (m x n), by ``?gemm``
    as NumPy calls it: a C-ordered buffer is the column-major transpose, so
    ``out.T = b.T @ a.T``, and a Fortran-ordered operand is passed transposed."""
    m, k = a.shape
    n = b.shape[1]
    if m == 0 or n == 0:
        return out
    if k == 0:
        out[:, :] = 0
        return out
    if m == 1 and n == 1:
        # A row times a column, as NumPy's matmul computes it: BLAS's dot product, whose
        # kernel may round otherwise than ?gemm's (contiguous operands: elements 1 apart).
        blas_dot_into(kind, k, data_address(a), 1, data_address(b), 1, data_address(out))
        return out
    lda = m if trans_a else k
    ldb = k if trans_b else n
    blas_gemm(kind, trans_b, trans_a, n, m, k, data_address(b), ldb, data_address(a), lda, data_address(out), n)
    return out


@register_jitable
def _loop_product(a, b, out, kind, trans_a, trans_b):
    """``out = a @ b`` for 2-d arrays of integers or booleans, which BLAS lacks: the sums of
    products in ``out``'s type (the other arguments are unused)."""
    m, k = a.shape
    n = b.shape[1]
    out[:, :] = 0
    for i in range(m):
        for p in range(k):
            x = a[i, p]
            for j in range(n):
                out[i, j] += x * b[p, j]
    return out


@register_jitable
def _row_matrix(a, element):
    """The 1-d ``a`` as a C-ordered 1 x n matrix of ``element`` (a view when it can be)."""
    return _c_copy(a[None, :], element)


@register_jitable
def _column_matrix(b, element):
    """The 1-d ``b`` as a C-ordered n x 1 matrix of ``element``."""
    return _c_copy(b[:, None], element)


@register_jitable
def _unchanged(x, element):
    """``x`` itself: an operand already of the element type and memory order needed."""
    return x


@register_jitable
def _real_dot(x, y, kind):
    """``x . y`` of real 1-d vectors of the element type ``kind`` (0 float32, 1 float64) by
    BLAS's ``?dot``, as ``np.dot`` computes it (a vector whose step is not positive is copied
    first), returned as a float64."""
    n = x.shape[0]
    if n == 0:
        return 0.0
    size = x.itemsize
    if x.strides[0] <= 0:
        x = x.copy()
    if y.strides[0] <= 0:
        y = y.copy()
    return blas_dot(kind, n, data_address(x), x.strides[0] // size, data_address(y), y.strides[0] // size)


@register_jitable
def _vector_as(x, element):
    return x.astype(element)


@register_jitable
def _product_shapes(a, b):
    if a.shape[1] != b.shape[0]:
        raise ValueError("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?)")


@register_jitable
def _scalar_result(out, result):
    return result(out[0, 0])


@register_jitable
def _vector_result(out, result):
    return out.ravel().astype(result)


@register_jitable
def _matrix_result(out, result):
    return out.astype(result)


@register_jitable
def _matrix_as_is(out, result):
    return out


def _matmul_impl(name, a, b):
    """The implementation of ``matmul(a, b)`` for 1-d and 2-d operands: both as C-ordered
    matrices of the computation type (copied unless they are), multiplied by BLAS or, for
    integers and booleans, by a loop, then shaped and typed as NumPy's result."""
    for x in (a, b):
        if not isinstance(x, types.Array):
            raise CallRefused(f"`{name}` takes arrays, not a `{x}`; use `*` to multiply by a scalar")
        _check_matrix(name, x, (1, 2))
    result = np.result_type(_element(a), _element(b)).type
    blas = result in _KINDS
    if blas:
        _require_provider(name)
    kind = _KINDS.get(result, -1)
    multiply = _blas_product if blas else _loop_product
    # NumPy's boolean product is whether any product is true: sums in int8, then converted.
    work = np.int8 if result is np.bool_ else result

    def operand(x, vector_form):
        """(how to make the operand a matrix BLAS takes, whether it is passed transposed)."""
        if x.ndim == 1:
            return vector_form, 0
        if x.layout in ("C", "F") and _element(x) is work and blas:
            return _unchanged, int(x.layout == "F")
        return _c_copy, 0

    (left, trans_a), (right, trans_b) = operand(a, _row_matrix), operand(b, _column_matrix)
    if a.ndim == 1 and b.ndim == 1 and kind in (0, 1):
        # As NumPy's: the dot product of real vectors is BLAS's `?dot`.
        to_work_a = _unchanged if _element(a) is work else _vector_as
        to_work_b = _unchanged if _element(b) is work else _vector_as

        def vector_dot(a, b):
            if a.shape[0] != b.shape[0]:
                _product_shapes(a[None, :], b[:, None])
            return result(_real_dot(to_work_a(a, work), to_work_b(b, work), kind))

        return vector_dot
    if a.ndim == 1 and b.ndim == 1:
        finish = _scalar_result
    elif a.ndim == 1 or b.ndim == 1:
        finish = _vector_result
    else:
        finish = _matrix_as_is if work is result else _matrix_result

    def impl(a, b):
        a2 = left(a, work)
        b2 = right(b, work)
        _product_shapes(a2, b2)
        out = np.empty((a2.shape[0], b2.shape[1]), work)
        multiply(a2, b2, out, kind, trans_a, trans_b)
        return finish(out, result)

    return impl


@register_jitable
def _stack_indices(x):
    """The index of each matrix of the stack ``x`` in ``_matrices(x)``, in an array of the
    stack's leading shape (0-d for a matrix)."""
    return np.arange(_stack_size(x)).reshape(x.shape[:-2])


@register_jitable
def _broadcast_pairs(left, right):
    """For two stacks whose leading shapes broadcast (NumPy's ValueError when they do not):
    arrays of the broadcast leading shape holding, for each matrix of the result, the index
    of the left operand's matrix and of the right operand's."""
    index_left = _stack_indices(left)
    index_right = _stack_indices(right)
    return index_left + 0 * index_right, index_right + 0 * index_left


@register_jitable
def _row_of(a):
    return a[None, :]


@register_jitable
def _column_of(b):
    return b[:, None]


@register_jitable
def _drop_rows(out):
    # The product of a vector (as a 1 x k matrix) and a stack: the row axis removed.
    return out.reshape(out.shape[:-2] + (out.shape[-1],))


@register_jitable
def _drop_columns(out):
    return out.reshape(out.shape[:-1])


def _stacked_matmul_impl(name, a, b):
    """``matmul`` with a stack of matrices (an operand of 3 or more dimensions), as NumPy's:
    a vector operand is a 1 x k (left) or k x 1 (right) matrix whose axis the result drops;
    the stacks' leading shapes broadcast; each pair of matrices is multiplied as 2-d ones."""
    for x in (a, b):
        if not isinstance(x, types.Array) or not isinstance(x.dtype, _NUMBER):
            raise CallRefused(f"`{name}` takes arrays of numbers, not a `{x}`")
        if x.ndim == 0:
            raise CallRefused(f"`{name}` takes arrays of at least 1 dimension; use `*` to multiply by a scalar")
    as_left = _row_of if a.ndim == 1 else _as_given
    as_right = _column_of if b.ndim == 1 else _as_given
    finish = _drop_rows if a.ndim == 1 else (_drop_columns if b.ndim == 1 else _as_given)
    result = np.result_type(_element(a), _element(b)).type

    def impl(a, b):
        left = as_left(a)
        right = as_right(b)
        m, k = left.shape[-2], left.shape[-1]
        n = right.shape[-1]
        if right.shape[-2] != k:
            raise ValueError("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?)")
        pairs_left, pairs_right = _broadcast_pairs(left, right)
        matrices_left = _matrices(left)
        matrices_right = _matrices(right)
        out = np.empty(pairs_left.shape + (m, n), result)
        flat_out = out.reshape((pairs_left.size, m, n))
        flat_left = pairs_left.ravel()
        flat_right = pairs_right.ravel()
        for i in range(flat_left.shape[0]):
            flat_out[i] = np.matmul(matrices_left[flat_left[i]], matrices_right[flat_right[i]])
        return finish(out)

    return impl


@overload(np.matmul)
def matmul(x1, x2, /):
    if isinstance(x1, types.Array) and isinstance(x2, types.Array) and (x1.ndim > 2 or x2.ndim > 2):
        return _stacked_matmul_impl("np.matmul", x1, x2)
    return _matmul_impl("np.matmul", x1, x2)


@register_jitable
def _shape_text(shape):
    """A shape as NumPy's messages spell it: ``(4,)``, ``(2,3,4)``."""
    if len(shape) == 1:
        return "(" + str(shape[0]) + ",)"
    return "(" + ",".join([str(d) for d in shape]) + ")"


@register_jitable
def _product(dims):
    """The product of a tuple of lengths (1 for an empty tuple)."""
    total = 1
    for d in dims:
        total *= d
    return total


def _dot_shapes_check(a, b):
    """``check(a, b)``: NumPy's ``ValueError`` unless ``np.dot(a, b)`` sums over axes of one
    length, a's last and b's second-to-last (its only one when 1-d)."""
    axis_a, axis_b = a.ndim - 1, max(b.ndim - 2, 0)

    def check(a, b):
        if a.shape[axis_a] != b.shape[axis_b]:
            raise ValueError(
                "shapes " + _shape_text(a.shape) + " and " + _shape_text(b.shape) + " not aligned: "
                + str(a.shape[axis_a]) + " (dim " + str(axis_a) + ") != " + str(b.shape[axis_b]) + " (dim " + str(axis_b) + ")"
            )

    return check


@register_jitable
def _summed_rows(a):
    """The N-d ``a`` (..., k) as a (count, k) matrix (a view when ``a`` is C-ordered)."""
    k = a.shape[-1]
    return np.ascontiguousarray(a).reshape((_product(a.shape[:-1]), k))


@register_jitable
def _summed_columns(b):
    """The N-d ``b`` (..., k, n) as a (k, count * n) matrix whose column ``c * n + j`` is
    ``b[c..., :, j]`` (a copy with the summed axis first)."""
    k = b.shape[-2]
    return np.ascontiguousarray(np.moveaxis(b, -2, 0)).reshape((k, _product(b.shape[:-2]) * b.shape[-1]))


def _nd_dot_impl(a, b):
    """``np.dot(a, b)`` with an operand of more than 2 dimensions, NumPy's rule:
    ``dot(a, b)[i..., j..., m] = sum(a[i..., :] * b[j..., :, m])``. Both operands are made
    matrices (a's leading axes as rows; b's summed axis first, its other axes as columns), so
    that the product is one call of the 2-d ``np.dot`` (BLAS's ``?gemm`` for floats and complex
    numbers, as ``_matmul_impl`` decides), then shaped as NumPy's result. NumPy computes each
    element by BLAS's ``?dot`` instead: the same sums, associated differently (a few ulps)."""
    check = _dot_shapes_check(a, b)
    left = _summed_rows if a.ndim > 1 else _as_given
    right = _summed_columns if b.ndim > 2 else _as_given
    if b.ndim == 1:

        def result_shape(a, b):
            return a.shape[:-1]

    else:

        def result_shape(a, b):
            return a.shape[:-1] + b.shape[:-2] + b.shape[-1:]

    def impl(a, b, out=None):
        check(a, b)
        return np.dot(left(a), right(b)).reshape(result_shape(a, b))

    return impl


def _is_scalar(x):
    """A number or a 0-d array: ``np.dot`` of one and an array is NumPy's ``a * b``."""
    return isinstance(x, _NUMBER) or (isinstance(x, types.Array) and x.ndim == 0)


@overload(np.dot)
def dot(a, b, out=None):
    if out is not None:
        raise CallRefused("`np.dot(..., out=...)` is not supported in compiled code yet")
    if _is_scalar(a) or _is_scalar(b):
        if isinstance(a, types.Array) or isinstance(b, types.Array):

            def scaled(a, b, out=None):
                return a * b

            return scaled
        return None
    if isinstance(a, types.Array) and isinstance(b, types.Array) and (a.ndim > 2 or b.ndim > 2):
        for x in (a, b):
            if not isinstance(x.dtype, _NUMBER):
                raise CallRefused(f"`np.dot` takes arrays of numbers, not a `{x}`")
        return _nd_dot_impl(a, b)
    impl = _matmul_impl("np.dot", a, b)
    check = _dot_shapes_check(a, b)

    def dot_of(a, b, out=None):
        check(a, b)
        return impl(a, b)

    return dot_of


# ---- np.linalg --------------------------------------------------------------------------------


@register_jitable
def _column_view(b):
    return b[:, None]


@register_jitable
def _as_given(b):
    return b


@register_jitable
def _first_column(x, element):
    return x[:, 0].astype(element)


def _stacked_solve_impl(a, b):
    """``solve`` with a stack: ``b`` of one dimension is one right-hand side for every matrix
    (NumPy's ``solve1``), else a stack of right-hand-side matrices; leading shapes broadcast."""
    name = "np.linalg.solve"
    for x in (a, b):
        if not isinstance(x, types.Array) or not isinstance(x.dtype, _NUMBER) or x.ndim == 0:
            raise CallRefused(f"`{name}` takes arrays of numbers, not a `{x}`")
    _require_provider(name)
    result = _lapack_types(name, a, b)[1]
    vector = b.ndim == 1
    as_right = _column_of if vector else _as_given
    finish = _drop_columns if vector else _as_given

    def impl(a, b):
        _check_stack(a, True)
        right = as_right(b)
        m, n = a.shape[-1], right.shape[-1]
        if right.shape[-2] != m:
            raise ValueError("solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,m),(m,n)->(m,n)")
        pairs_left, pairs_right = _broadcast_pairs(a, right)
        matrices_left = _matrices(a)
        matrices_right = _matrices(right)
        out = np.empty(pairs_left.shape + (m, n), result)
        flat_out = out.reshape((pairs_left.size, m, n))
        flat_left = pairs_left.ravel()
        flat_right = pairs_right.ravel()
        for i in range(flat_left.shape[0]):
            flat_out[i] = np.linalg.solve(matrices_left[flat_left[i]], matrices_right[flat_right[i]])
        return finish(out)

    return impl


@overload(np.linalg.solve, any_layout=True)
def solve(a, b):
    if _is_stack(a) or _is_stack(b):
        return _stacked_solve_impl(a, b)
    _check_matrix("np.linalg.solve", a)
    _check_matrix("np.linalg.solve", b, (1, 2))
    _require_provider("np.linalg.solve")
    element, result = _lapack_types("np.linalg.solve", a, b)
    kind = _KINDS[element]
    # A 1-d `b` is one right-hand side, solved as an n x 1 matrix.
    as_matrix, finish = (_column_view, _first_column) if b.ndim == 1 else (_as_given, _c_copy)

    def impl(a, b):
        n = _square_size(a)
        rhs = as_matrix(b)
        if rhs.shape[0] != n:
            raise ValueError(
                "solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,m),(m,n)->(m,n)"
            )
        x = _fortran_copy(rhs, element)
        if n > 0 and x.shape[1] > 0:
            lu = _fortran_copy(a, element)
            if lapack_gesv(kind, n, x.shape[1], data_address(lu), n, data_address(x), n) > 0:
                raise np.linalg.LinAlgError("Singular matrix")
        return finish(x, result)

    return impl


@overload(np.linalg.inv, any_layout=True)
def inv(a):
    if _is_stack(a):
        result, real = _stack_types("np.linalg.inv", a)
        return _stacked(np.linalg.inv, True, (result, _square_core))
    _check_matrix("np.linalg.inv", a)
    _require_provider("np.linalg.inv")
    element, result = _lapack_types("np.linalg.inv", a)
    kind = _KINDS[element]

    def impl(a):
        # As NumPy's: solves A X = I.
        n = _square_size(a)
        x = np.zeros((n, n), element, "F")
        for i in range(n):
            x[i, i] = 1
        if n > 0:
            lu = _fortran_copy(a, element)
            if lapack_gesv(kind, n, n, data_address(lu), n, data_address(x), n) > 0:
                raise np.linalg.LinAlgError("Singular matrix")
        return _c_copy(x, result)

    return impl


def _slogdet_arguments(name, a):
    """(the function ``a -> (sign, log|det|)`` computed as NumPy computes them, the result
    type, the type of the logarithm) for ``det`` and ``slogdet`` of ``a``: in double
    precision, the LU factors of ``a`` (``getrf``), the sign from the row swaps and the
    diagonal's signs (phases, for complex), and the sum of the logarithms of the diagonal's
    magnitudes, in order."""
    _check_matrix(name, a)
    _require_provider(name)
    element, result = _lapack_types(name, a)
    real = np.float32 if result in (np.float32, np.complex64) else np.float64
    sign_update = _complex_sign if issubclass(element, np.complexfloating) else _real_sign
    kind = _KINDS[element]

    def sign_and_log(a):
        n = _square_size(a)
        if n == 0:
            return element(1), 0.0
        lu = _fortran_copy(a, element)
        status = lapack_getrf(kind, n, data_address(lu), n)
        if (status >> 1) > 0:
            return element(0), -np.inf
        sign = element(-1) if status & 1 else element(1)
        log_abs = 0.0
        for i in range(n):
            d = lu[i, i]
            magnitude = abs(d)
            sign = sign_update(sign, d, magnitude)
            log_abs += np.log(magnitude)
        return sign, log_abs

    return sign_and_log, result, real


@register_jitable
def _real_sign(sign, d, magnitude):
    return -sign if d < 0 else sign


@register_jitable
def _complex_sign(sign, d, magnitude):
    return sign * (d / magnitude)


@overload(np.linalg.det, any_layout=True)
def det(a):
    if _is_stack(a):
        result, real = _stack_types("np.linalg.det", a)
        return _stacked(np.linalg.det, True, (result, _scalar_core))
    sign_and_log, result, real = _slogdet_arguments("np.linalg.det", a)

    def impl(a):
        # NumPy's determinant is sign * exp(log|det|).
        sign, log_abs = sign_and_log(a)
        return result(sign * np.exp(log_abs))

    return impl


@overload(np.linalg.slogdet, any_layout=True)
def slogdet(a):
    if _is_stack(a):
        result, real = _stack_types("np.linalg.slogdet", a)
        return _stacked(np.linalg.slogdet, True, (result, _scalar_core), (real, _scalar_core))
    sign_and_log, result, real = _slogdet_arguments("np.linalg.slogdet", a)

    def impl(a):
        sign, log_abs = sign_and_log(a)
        return result(sign), real(log_abs)

    return impl


@register_jitable
def _upper_cholesky(a):
    return np.linalg.cholesky(a, upper=True)


@overload(np.linalg.cholesky, any_layout=True)
def cholesky(a, /, *, upper=False):
    if _is_stack(a):
        result, real = _stack_types("np.linalg.cholesky", a)
        stacked = _stacked(_upper_cholesky if _constant("np.linalg.cholesky", "upper", upper, False) else np.linalg.cholesky, True, (result, _square_core))

        def stacked_impl(a, upper=False):
            return stacked(a)

        return stacked_impl
    _check_matrix("np.linalg.cholesky", a)
    _require_provider("np.linalg.cholesky")
    if not isinstance(upper, (bool, types.Boolean)):
        raise CallRefused(f"`upper` of `np.linalg.cholesky` must be a bool, not a `{upper}`")
    element, result = _lapack_types("np.linalg.cholesky", a)
    kind = _KINDS[element]

    def impl(a, upper=False):
        n = _square_size(a)
        factor = _fortran_copy(a, element)
        if n > 0 and lapack_potrf(kind, 0 if upper else 1, n, data_address(factor), n) > 0:
            raise np.linalg.LinAlgError("Matrix is not positive definite")
        # LAPACK leaves the other triangle as it was; NumPy's factor has zeros there.
        out = np.zeros((n, n), result)
        for i in range(n):
            for j in range(n):
                if (j >= i) if upper else (j <= i):
                    out[i, j] = factor[i, j]
        return out

    return impl


@overload(np.linalg.matrix_power)
def matrix_power(a, n):
    if _is_stack(a) and isinstance(n, types.Integer):
        # Each matrix's power, by the same products as one matrix's (NumPy multiplies the stack).
        element = _element(a)

        def stacked_power(a, n):
            _check_stack(a, True)
            m = a.shape[-1]
            flat = _matrices(a)
            out, flat_out = _stacked_output(a, (m, m), element)
            for i in range(flat.shape[0]):
                flat_out[i] = np.linalg.matrix_power(flat[i], n)
            return out

        return stacked_power
    _check_matrix("np.linalg.matrix_power", a)
    if not isinstance(n, types.Integer):
        raise CallRefused(f"the exponent of `np.linalg.matrix_power` must be an integer, not a `{n}`")
    element = _element(a)
    floating = element in _KINDS
    if floating:
        _require_provider("np.linalg.matrix_power")
    negative = _matrix_inverse if floating else _integer_inverse

    def impl(a, n):
        size = _square_size(a)
        if n == 0:
            identity = np.zeros((size, size), element)
            for i in range(size):
                identity[i, i] = 1
            return identity
        base = negative(a) if n < 0 else _c_copy(a, element)
        n = -n if n < 0 else n
        if n == 1:
            return base
        if n == 2:
            return base @ base
        if n == 3:
            return (base @ base) @ base
        # NumPy's binary decomposition: the same products in the same order.
        power = base
        result = base
        first_power, first_result = True, True
        while n > 0:
            if not first_power:
                power = power @ power
            first_power = False
            bit = n & 1
            n >>= 1
            if bit:
                result = power if first_result else result @ power
                first_result = False
        return result

    return impl


@register_jitable
def _matrix_inverse(a):
    return np.linalg.inv(a)


@register_jitable
def _integer_inverse(a):
    # NumPy inverts to a float matrix: a result type that would depend on the exponent's sign.
    raise NotImplementedError(
        "np.linalg.matrix_power of an integer matrix with a negative exponent is not supported in compiled code; convert the matrix to float first"
    )
    return a


# ---- decompositions ---------------------------------------------------------------------------


def _real_of(t):
    return np.float32 if t in (np.float32, np.complex64) else np.float64


def _check_uplo(name, uplo):
    value = uplo if isinstance(uplo, str) else getattr(uplo, "literal_value", None)
    if value not in ("L", "U"):
        raise CallRefused(f"`UPLO` of `{name}` must be the constant 'L' or 'U'")
    return 1 if value == "L" else 0


def _eigh_function(name, a, UPLO, vectors):
    _check_matrix(name, a)
    _require_provider(name)
    element, result = _lapack_types(name, a)
    real = _real_of(result)
    kind, lower = _KINDS[element], _check_uplo(name, UPLO)

    def decompose(a):
        n = _square_size(a)
        factor = _fortran_copy(a, element)
        w = np.empty(n, np.float64)
        if n > 0 and lapack_heevd(kind, vectors, lower, n, data_address(factor), n, data_address(w)) > 0:
            raise np.linalg.LinAlgError("Eigenvalues did not converge")
        return w.astype(real), _c_copy(factor, result)

    return decompose


@register_jitable
def _eigh_upper(a):
    return np.linalg.eigh(a, "U")


@register_jitable
def _eigvalsh_upper(a):
    return np.linalg.eigvalsh(a, "U")


@overload(np.linalg.eigh, any_layout=True)
def eigh(a, UPLO="L"):
    if _is_stack(a):
        result, real = _stack_types("np.linalg.eigh", a)
        one = np.linalg.eigh if _check_uplo("np.linalg.eigh", UPLO) else _eigh_upper
        stacked = _stacked(one, True, (real, _vector_core), (result, _square_core))

        def stacked_impl(a, UPLO=None):
            return stacked(a)

        return stacked_impl
    decompose = _eigh_function("np.linalg.eigh", a, UPLO, 1)

    def impl(a, UPLO=None):
        return decompose(a)

    return impl


@overload(np.linalg.eigvalsh, any_layout=True)
def eigvalsh(a, UPLO="L"):
    if _is_stack(a):
        result, real = _stack_types("np.linalg.eigvalsh", a)
        one = np.linalg.eigvalsh if _check_uplo("np.linalg.eigvalsh", UPLO) else _eigvalsh_upper
        stacked = _stacked(one, True, (real, _vector_core))

        def stacked_impl(a, UPLO=None):
            return stacked(a)

        return stacked_impl
    decompose = _eigh_function("np.linalg.eigvalsh", a, UPLO, 0)

    def impl(a, UPLO=None):
        return decompose(a)[0]

    return impl


@register_jitable
def _real_finite(x):
    return np.isfinite(x).all()


@register_jitable
def _complex_finite(x):
    return np.isfinite(x.real).all() and np.isfinite(x.imag).all()


@register_jitable
def _real_eigenpairs(factor, vectors, complex_result):
    """``geev`` of the real Fortran-ordered float64 ``factor`` (destroyed): the eigenvalues
    and (``vectors`` = 1) eigenvectors as complex arrays, NumPy's unpacking of LAPACK's
    packed form (a pair ``a +- bi`` has ``vr[:, j] +- i vr[:, j + 1]`` as its vectors)."""
    n = factor.shape[0]
    wr = np.zeros(n, np.float64)
    wi = np.zeros(n, np.float64)
    size = n if vectors else 1
    vr = np.zeros((size, size), np.float64, "F")
    if n > 0 and lapack_geev(1, vectors, n, data_address(factor), n, data_address(wr), data_address(wi), data_address(vr), size) > 0:
        raise np.linalg.LinAlgError("Eigenvalues did not converge")
    w = np.empty(n, complex_result)
    w.real[:] = wr
    w.imag[:] = wi
    v = np.zeros((n if vectors else 0, n if vectors else 0), complex_result)
    if vectors:
        j = 0
        while j < n:
            if wi[j] == 0:
                v.real[:, j] = vr[:, j]
                j += 1
            else:
                v.real[:, j] = vr[:, j]
                v.imag[:, j] = vr[:, j + 1]
                v.real[:, j + 1] = vr[:, j]
                v.imag[:, j + 1] = -vr[:, j + 1]
                j += 2
    return w, v


@register_jitable
def _complex_eigenpairs(factor, vectors, complex_result):
    """``geev`` of the complex Fortran-ordered complex128 ``factor`` (destroyed)."""
    n = factor.shape[0]
    w = np.zeros(n, np.complex128)
    size = n if vectors else 1
    vr = np.zeros((size, size), np.complex128, "F")
    if n > 0 and lapack_geev(3, vectors, n, data_address(factor), n, data_address(w), data_address(w), data_address(vr), size) > 0:
        raise np.linalg.LinAlgError("Eigenvalues did not converge")
    v = _c_copy(vr, complex_result) if vectors else np.zeros((0, 0), complex_result)
    return w.astype(complex_result), v


def _eig_function(name, a, vectors):
    """``a -> (w, v)`` by ``geev``, in double precision as NumPy's; ``v`` is empty unless
    ``vectors`` is 1. Both are always complex, also for real ``a``: NumPy 2.5's rule (NumPy
    up to 2.4 returns real arrays when every imaginary part is zero, a type that depends on
    the values, which compiled code cannot have)."""
    _check_matrix(name, a)
    _require_provider(name)
    element, result = _lapack_types(name, a)
    complex_result = np.complex64 if _real_of(result) is np.float32 else np.complex128
    eigenpairs = _complex_eigenpairs if issubclass(element, np.complexfloating) else _real_eigenpairs
    finite = _complex_finite if issubclass(element, np.complexfloating) else _real_finite

    def decompose(a):
        _square_size(a)
        factor = _fortran_copy(a, element)
        if not finite(factor):
            raise np.linalg.LinAlgError("Array must not contain infs or NaNs")
        return eigenpairs(factor, vectors, complex_result)

    return decompose


@overload(np.linalg.eig, any_layout=True)
def eig(a):
    if _is_stack(a):
        result, real = _stack_types("np.linalg.eig", a)
        return _stacked(np.linalg.eig, True, (_complex_of(result), _vector_core), (_complex_of(result), _square_core))
    decompose = _eig_function("np.linalg.eig", a, 1)

    def impl(a):
        return decompose(a)

    return impl


@overload(np.linalg.eigvals, any_layout=True)
def eigvals(a):
    if _is_stack(a):
        result, real = _stack_types("np.linalg.eigvals", a)
        return _stacked(np.linalg.eigvals, True, (_complex_of(result), _vector_core))
    decompose = _eig_function("np.linalg.eigvals", a, 0)

    def impl(a):
        return decompose(a)[0]

    return impl


def _constant(name, argument, value, default):
    """The value of a constant bool argument (its default when left out)."""
    if isinstance(value, bool):
        return value
    literal = getattr(value, "literal_value", None)
    if isinstance(literal, bool):
        return literal
    raise CallRefused(f"`{argument}` of `{name}` must be the constant True or False")


def _svd_function(name, a, job, failure_as_nan=False):
    """``a -> (u, s, vh)`` by ``gesdd`` with ``job`` 0 (values only: ``u`` and ``vh`` are
    empty), 1 (reduced) or 2 (full). A failure is NumPy's ``LinAlgError`` or, with
    ``failure_as_nan``, NaN singular values (NumPy's SVD ufunc with errors ignored)."""
    _check_matrix(name, a)
    _require_provider(name)
    element, result = _lapack_types(name, a)
    real, kind = _real_of(result), _KINDS[element]

    def decompose(a):
        m, n = a.shape
        k = min(m, n)
        factor = _fortran_copy(a, element)
        s = np.empty(k, np.float64)
        ucols, vrows = (m, n) if job == 2 else ((k, k) if job == 1 else (0, 0))
        u = np.zeros((m if job else 0, ucols), element, "F")
        vt = np.zeros((vrows, n), element, "F")
        if k > 0:
            status = lapack_gesdd(kind, job, m, n, data_address(factor), max(m, 1), data_address(s), data_address(u), max(m, 1), data_address(vt), max(vrows, 1))
            # As NumPy's: any failure (LAPACK refuses a matrix holding a NaN) is non-convergence.
            if status != 0:
                if failure_as_nan:
                    s[:] = np.nan
                else:
                    raise np.linalg.LinAlgError("SVD did not converge")
        elif job == 2:
            # No singular values: the singular vectors are the identity's columns.
            for i in range(m):
                u[i, i] = 1
            for j in range(n):
                vt[j, j] = 1
        return _c_copy(u, result), s.astype(real), _c_copy(vt, result)

    return decompose


@register_jitable
def _hermitian_svd(a):
    """NumPy's SVD of a Hermitian ``a`` from its eigendecomposition: the eigenvalues'
    magnitudes in descending order (``argsort(|w|)[::-1]``), their eigenvectors as ``u``, and
    ``vh`` the conjugate transpose of ``u`` times the eigenvalues' signs."""
    w, v = np.linalg.eigh(a)
    signs = np.sign(w)
    magnitudes = np.abs(w)
    order = np.argsort(magnitudes)[::-1]
    u = v[:, order]
    vh = (u * signs[order][None, :]).T.conj()
    return u, magnitudes[order], vh


@register_jitable
def _hermitian_singular_values(a):
    return np.sort(np.abs(np.linalg.eigvalsh(a)))[::-1]


@register_jitable
def _hermitian_svd_of(a):
    return np.linalg.svd(a, hermitian=True)


@register_jitable
def _hermitian_values_of(a):
    return np.linalg.svd(a, compute_uv=False, hermitian=True)


@overload(np.linalg.svd, any_layout=True)
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    name = "np.linalg.svd"
    vectors = _constant(name, "compute_uv", compute_uv, True)
    if _is_stack(a):
        result, real = _stack_types(name, a)
        full = _constant(name, "full_matrices", full_matrices, True)
        if _constant(name, "hermitian", hermitian, False):
            if vectors:
                stacked = _stacked(_hermitian_svd_of, True, (result, _square_core), (real, _vector_core), (result, _square_core))
            else:
                stacked = _stacked(_hermitian_values_of, True, (real, _vector_core))
        elif not vectors:
            stacked = _stacked(_singular_values, False, (real, _smaller_core))
        elif full:
            stacked = _stacked(np.linalg.svd, False, (result, _square_core), (real, _smaller_core), (result, _right_square_core))
        else:
            stacked = _stacked(_reduced_svd, False, (result, _left_reduced_core), (real, _smaller_core), (result, _right_reduced_core))

        def stacked_impl(a, full_matrices=True, compute_uv=True, hermitian=False):
            return stacked(a)

        return stacked_impl
    if _constant(name, "hermitian", hermitian, False):
        # full_matrices has no effect on a square (Hermitian) matrix.
        _constant(name, "full_matrices", full_matrices, True)
        _check_matrix(name, a)
        decompose_hermitian = _hermitian_svd if vectors else _hermitian_singular_values

        def hermitian_impl(a, full_matrices=True, compute_uv=True, hermitian=False):
            return decompose_hermitian(a)

        return hermitian_impl
    decompose = _svd_function(name, a, (2 if _constant(name, "full_matrices", full_matrices, True) else 1) if vectors else 0)
    if vectors:

        def impl(a, full_matrices=True, compute_uv=True, hermitian=False):
            return decompose(a)

    else:

        def impl(a, full_matrices=True, compute_uv=True, hermitian=False):
            return decompose(a)[1]

    return impl


@register_jitable
def _qr_complete(a):
    return np.linalg.qr(a, "complete")


@register_jitable
def _qr_r(a):
    return np.linalg.qr(a, "r")


@register_jitable
def _whole_core(m, n):
    return (m, n)


@overload(np.linalg.qr, any_layout=True)
def qr(a, mode="reduced"):
    name = "np.linalg.qr"
    if _is_stack(a):
        result, real = _stack_types(name, a)
        value = _literal(mode)
        if value == "reduced":
            stacked = _stacked(np.linalg.qr, False, (result, _left_reduced_core), (result, _right_reduced_core))
        elif value == "complete":
            stacked = _stacked(_qr_complete, False, (result, _square_core), (result, _whole_core))
        elif value == "r":
            stacked = _stacked(_qr_r, False, (result, _right_reduced_core))
        else:
            raise CallRefused(f"`mode` of `{name}` must be the constant 'reduced', 'complete' or 'r' ('raw' is not supported in compiled code)")

        def stacked_impl(a, mode=None):
            return stacked(a)

        return stacked_impl
    _check_matrix(name, a)
    _require_provider(name)
    value = mode if isinstance(mode, str) else getattr(mode, "literal_value", None)
    if value not in ("reduced", "complete", "r"):
        raise CallRefused(f"`mode` of `{name}` must be the constant 'reduced', 'complete' or 'r' ('raw' is not supported in compiled code)")
    element, result = _lapack_types(name, a)
    kind = _KINDS[element]

    def factors(a):
        m, n = a.shape
        k = min(m, n)
        factor = _fortran_copy(a, element)
        tau = np.empty(k, element)
        if k > 0:
            lapack_geqrf(kind, m, n, data_address(factor), max(m, 1), data_address(tau))
        return factor, tau

    def upper(factor, rows):
        # R: the upper triangle of the factors' first `rows` rows.
        n = factor.shape[1]
        r = np.zeros((rows, n), result)
        for i in range(rows):
            for j in range(i, n):
                r[i, j] = factor[i, j]
        return r

    if value == "r":

        def only_r(a, mode=None):
            factor, tau = factors(a)
            return upper(factor, min(a.shape[0], a.shape[1]))

        return only_r
    complete = value == "complete"

    def impl(a, mode=None):
        m, n = a.shape
        k = min(m, n)
        factor, tau = factors(a)
        columns = m if complete and m > n else k
        q = np.zeros((m, columns), element, "F")
        q[:, : min(n, columns)] = factor[:, : min(n, columns)]
        if m > 0 and columns > 0:
            lapack_orgqr(kind, m, columns, k, data_address(q), m, data_address(tau))
        return _c_copy(q, result), upper(factor, columns)

    return impl


@register_jitable
def _squared_magnitude(x):
    return (x * np.conj(x)).real


@register_jitable
def _default_cutoff(rcond, m, n):
    # NumPy 2's default: the machine precision times the larger dimension.
    return 2.220446049250313e-16 * max(m, n)


@register_jitable
def _given_cutoff(rcond, m, n):
    return float(rcond)


@overload(np.linalg.lstsq, any_layout=True)
def lstsq(a, b, rcond=None):
    name = "np.linalg.lstsq"
    _check_matrix(name, a)
    _check_matrix(name, b, (1, 2))
    _require_provider(name)
    element, result = _lapack_types(name, a, b)
    real, kind = _real_of(result), _KINDS[element]
    if not (rcond is None or isinstance(rcond, (types.NoneType, types.Integer, types.Float))):
        raise CallRefused(f"`rcond` of `{name}` must be a real number or None, not a `{rcond}`")
    cutoff_of = _default_cutoff if rcond is None or isinstance(rcond, types.NoneType) else _given_cutoff
    as_matrix, finish = (_column_view, _first_column) if b.ndim == 1 else (_as_given, _c_copy)

    def impl(a, b, rcond=None):
        m, n = a.shape
        rhs = as_matrix(b)
        if rhs.shape[0] != m:
            raise np.linalg.LinAlgError("Incompatible dimensions")
        nrhs = rhs.shape[1]
        cutoff = cutoff_of(rcond, m, n)
        rows = max(m, n)
        x = np.zeros((rows, nrhs), element, "F")
        x[:m, :] = rhs
        s = np.zeros(min(m, n), np.float64)
        rank = 0
        if m > 0 and n > 0 and nrhs > 0:
            factor = _fortran_copy(a, element)
            rank = lapack_gelsd(kind, m, n, nrhs, data_address(factor), max(m, 1), data_address(x), max(rows, 1), data_address(s), cutoff)
            if rank < 0:
                raise np.linalg.LinAlgError("SVD did not converge in Linear Least Squares")
        elif m > 0 and n > 0:
            # No right-hand side: only the singular values and the rank.
            factor = _fortran_copy(a, element)
            empty = np.zeros((rows, 1), element, "F")
            rank = lapack_gelsd(kind, m, n, 1, data_address(factor), max(m, 1), data_address(empty), max(rows, 1), data_address(s), cutoff)
        solution = x[:n, :]
        if m == 0:
            solution[:, :] = 0
        # Residuals only for a full-rank overdetermined system, as NumPy's.
        count = nrhs if rank == n and m > n else 0
        residuals = np.zeros(count, real)
        for j in range(count):
            total = 0.0
            for i in range(n, m):
                total += _squared_magnitude(x[i, j])
            residuals[j] = total
        return finish(solution, result), residuals, rank, s.astype(real)

    return impl


# ---- norms ------------------------------------------------------------------------------------


def _literal(value):
    """The value of a constant argument (a plain Python default, or a literal type's value),
    else None."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return getattr(value, "literal_value", None)


@register_jitable
def _array_power(x, exponent):
    """``x ** exponent`` for an array and a scalar exponent as NumPy computes it: its exact
    forms for the exponents 1, -1, 0, 0.5 and 2 (``fast_scalar_power``), else ``power``."""
    if exponent == 1:
        return x.copy()
    if exponent == -1:
        return 1 / x
    if exponent == 0:
        return np.ones_like(x)
    if exponent == 0.5:
        return np.sqrt(x)
    if exponent == 2:
        return x * x
    return x**exponent


@register_jitable
def _vector_norm(x, ord, real):
    """NumPy's norm of the 1-d ``x`` for a numeric ``ord`` (its branches in NumPy's order)."""
    magnitudes = np.abs(x)
    if ord == np.inf:
        return real(magnitudes.max(initial=0))
    if ord == -np.inf:
        return real(magnitudes.min())
    if ord == 0:
        return real((x != 0).astype(real).sum())
    if ord == 1:
        return real(magnitudes.sum())
    # NumPy raises to `ord` and to its reciprocal in the array's own type.
    total = _array_power(magnitudes, real(ord)).sum()
    return real(total ** (real(1) / real(ord)))


@register_jitable
def _matrix_norm(x, ord, real):
    """NumPy's norm of the 2-d ``x`` for a numeric ``ord``: 2 and -2 from the singular
    values, 1 and -1 from the column sums of magnitudes, inf and -inf from the row sums."""
    if ord == 2 or ord == -2:
        s = np.linalg.svd(x, compute_uv=False)
        return real(s.max(initial=0) if ord == 2 else s.min())
    magnitudes = np.abs(x)
    if ord == 1:
        return real(magnitudes.sum(axis=0).max(initial=0))
    if ord == -1:
        return real(magnitudes.sum(axis=0).min())
    if ord == np.inf:
        return real(magnitudes.sum(axis=1).max(initial=0))
    if ord == -np.inf:
        return real(magnitudes.sum(axis=1).min())
    raise ValueError("Invalid norm order for matrices.")


@overload(np.linalg.norm)
def norm(x, ord=None, axis=None, keepdims=False):
    name = "np.linalg.norm"
    _check_numbers(name, x)
    if not (axis is None or isinstance(axis, types.NoneType)):
        return None  # norm_along_axes
    keep = _constant(name, "keepdims", keepdims, False)
    _require_provider(name)
    t = _element(x)
    work = t if issubclass(t, np.inexact) else np.float64
    real = _real_of(work)
    complex_ = issubclass(work, np.complexfloating)
    kind = 0 if real is np.float32 else 1
    ndim = x.ndim
    order = _literal(ord)
    numeric = isinstance(ord, (int, float, types.Integer, types.Float)) and not isinstance(ord, bool)
    if ord is not None and not isinstance(ord, types.NoneType) and not numeric and order not in ("fro", "f", "nuc"):
        raise CallRefused(f"`ord` of `{name}` must be None, a number, 'fro' or 'nuc', not a `{ord}`")
    if order in ("fro", "f", "nuc") and ndim != 2:
        raise CallRefused(f"`{name}(..., ord={order!r})` needs a 2-dimensional array, not a {ndim}-dimensional one")
    # The F-ordered array's own memory order, as NumPy's `ravel(order='K')`.
    flat = _memory_order_ravel if x.layout == "F" else _c_ravel
    shape = (1,) * ndim

    def euclidean(x, ord):
        v = flat(x.astype(work))
        if complex_:
            total = _real_dot(v.real, v.real, kind) + _real_dot(v.imag, v.imag, kind)
        else:
            total = _real_dot(v, v, kind)
        return np.sqrt(real(total))

    if ord is None or isinstance(ord, types.NoneType) or order in ("fro", "f"):
        compute = euclidean
    elif order == "nuc":

        def compute(x, ord):
            return real(np.linalg.svd(x.astype(work), compute_uv=False).sum())

    elif ndim == 1:

        def compute(x, ord):
            if ord == 2:
                return euclidean(x, ord)
            return _vector_norm(x.astype(work), ord, real)

    elif ndim == 2:

        def compute(x, ord):
            return _matrix_norm(x.astype(work), ord, real)

    else:
        raise CallRefused(f"`{name}` with `ord` of a {ndim}-dimensional array needs `axis`", hint="NumPy raises ValueError: Improper number of dimensions to norm.")
    if keep:

        def impl(x, ord=None, axis=None, keepdims=False):
            return np.full(shape, compute(x, ord), real)

    else:

        def impl(x, ord=None, axis=None, keepdims=False):
            return compute(x, ord)

    return impl


def _axis_count(name, axis):
    """How many axes ``axis`` (an integer or a tuple of integers) names."""
    if isinstance(axis, types.Integer):
        return 1
    if isinstance(axis, types.BaseTuple) and all(isinstance(t, types.Integer) for t in axis.types):
        return len(axis.types)
    raise CallRefused(f"`axis` of `{name}` must be an integer or a tuple of 1 or 2 integers, not a `{axis}`")


@register_jitable
def _first_axis(axis):
    return axis[0]


@register_jitable
def _the_axis(axis):
    return axis


@register_jitable
def _normalised_axis(axis, ndim):
    if axis < -ndim or axis >= ndim:
        axis_error(axis, ndim)
    return axis + ndim if axis < 0 else axis


@register_jitable
def _number_power(x, exponent):
    return x**exponent


@register_jitable
def _euclidean_norms(x, axis):
    return np.sqrt((x.conj() * x).real.sum(axis=axis))


@register_jitable
def _singular_values_along(x, row, col):
    """The singular values of the matrices of ``x`` whose rows run along ``row`` and columns
    along ``col``, along the last axis (NumPy's ``_multi_svd_norm``)."""
    return np.linalg.svd(np.moveaxis(x, (row, col), (-2, -1)), compute_uv=False)


@register_jitable
def _matrix_norms(x, ord, row, col, real):
    """NumPy's norms of the matrices of ``x`` (rows along ``row``, columns along ``col``,
    both normalised) for a numeric ``ord``, its branches in NumPy's order."""
    if ord == 2:
        return _singular_values_along(x, row, col).max(axis=-1)
    if ord == -2:
        return _singular_values_along(x, row, col).min(axis=-1)
    if ord == 1 or ord == -1:
        column_sums = np.abs(x).sum(axis=row)
        remaining = col - 1 if col > row else col
        if ord == 1:
            return column_sums.max(axis=remaining, initial=0)
        return column_sums.min(axis=remaining)
    if ord == np.inf or ord == -np.inf:
        row_sums = np.abs(x).sum(axis=col)
        remaining = row - 1 if row > col else row
        if ord == np.inf:
            return row_sums.max(axis=remaining, initial=0)
        return row_sums.min(axis=remaining)
    raise ValueError("Invalid norm order for matrices.")


@register_jitable
def _keep_one_axis(result, axis):
    return np.expand_dims(result, axis)


@register_jitable
def _keep_two_axes(result, row, col):
    return np.expand_dims(result, (row, col))


@register_jitable
def _scalar_kept_1(result, axis):
    return np.full((1,), result)


@register_jitable
def _scalar_kept_2(result, row, col):
    return np.full((1, 1), result)


@register_jitable
def _not_kept_1(result, axis):
    return result


@register_jitable
def _not_kept_2(result, row, col):
    return result


@overload(np.linalg.norm, any_layout=True)
def norm_along_axes(x, ord=None, axis=None, keepdims=False):
    """``norm(x, ord, axis, keepdims)`` with ``axis`` given: vector norms along one axis or
    matrix norms over two, NumPy's formulas (in ``x``'s floating type; other numbers as
    float64), the reduced axes kept with length 1 when ``keepdims``. The array's layout does
    not matter: its first step is a copy (``astype``)."""
    name = "np.linalg.norm"
    if axis is None or isinstance(axis, types.NoneType):
        return None  # norm
    _check_numbers(name, x)
    keep = _constant(name, "keepdims", keepdims, False)
    count = _axis_count(name, axis)
    t = _element(x)
    work = t if issubclass(t, np.inexact) else np.float64
    real = _real_of(work)
    ndim = x.ndim
    order = _literal(ord)
    no_order = ord is None or isinstance(ord, types.NoneType)
    numeric = isinstance(ord, (int, float, types.Integer, types.Float)) and not isinstance(ord, (bool, types.Boolean))
    if not (no_order or numeric or order in ("fro", "f", "nuc")):
        raise CallRefused(f"`ord` of `{name}` must be None, a number, 'fro' or 'nuc', not a `{ord}`")
    if count not in (1, 2):

        def improper(x, ord=None, axis=None, keepdims=False):
            raise ValueError("Improper number of dimensions to norm.")

        return improper
    if count == 1 and order in ("fro", "f", "nuc"):
        message = f"Invalid norm order '{order}' for vectors"

        def matrix_order(x, ord=None, axis=None, keepdims=False):
            raise ValueError(message)

        return matrix_order
    if count == 1:
        one_axis = _first_axis if isinstance(axis, types.BaseTuple) else _the_axis
        finish = (_keep_one_axis if ndim > 1 else _scalar_kept_1) if keep else _not_kept_1
        # The sums along the axis are a number for a vector, else an array (NumPy's ** of each).
        power_of_sums = _array_power if ndim > 1 else _number_power

        def vector_norms(x, ord, axis):
            # NumPy's norms of the vectors along `axis` of `x` (of a floating type) for a
            # numeric `ord`, its branches in NumPy's order (a number when x is a vector).
            if ord == np.inf:
                return np.abs(x).max(axis=axis, initial=0)
            if ord == -np.inf:
                return np.abs(x).min(axis=axis)
            if ord == 0:
                return (x != 0).astype(real).sum(axis=axis)
            if ord == 1:
                return np.abs(x).sum(axis=axis)
            if ord == 2:
                return _euclidean_norms(x, axis)
            total = _array_power(np.abs(x), real(ord)).sum(axis=axis)
            return power_of_sums(total, real(1) / real(ord))

        if no_order:

            def vector_impl(x, ord=None, axis=None, keepdims=False):
                a = _normalised_axis(one_axis(axis), x.ndim)
                return finish(_euclidean_norms(x.astype(work), a), a)

        else:

            def vector_impl(x, ord=None, axis=None, keepdims=False):
                a = _normalised_axis(one_axis(axis), x.ndim)
                return finish(vector_norms(x.astype(work), ord, a), a)

        return vector_impl
    finish = (_keep_two_axes if ndim > 2 else _scalar_kept_2) if keep else _not_kept_2

    def axes(x, axis):
        row = _normalised_axis(axis[0], x.ndim)
        col = _normalised_axis(axis[1], x.ndim)
        if row == col:
            raise ValueError("Duplicate axes given.")
        return row, col

    if no_order or order in ("fro", "f"):

        def compute(x, ord, row, col):
            return _euclidean_norms(x, (row, col))

    elif order == "nuc":

        def compute(x, ord, row, col):
            return _singular_values_along(x, row, col).sum(axis=-1)

    else:

        def compute(x, ord, row, col):
            return _matrix_norms(x, ord, row, col, real)

    def matrix_impl(x, ord=None, axis=None, keepdims=False):
        row, col = axes(x, axis)
        return finish(compute(x.astype(work), ord, row, col), row, col)

    return matrix_impl


@register_jitable
def _c_ravel(x):
    return x.ravel()


@register_jitable
def _memory_order_ravel(x):
    return x.T.ravel()


# ---- derived: pinv, matrix_rank, cond ---------------------------------------------------------


# `rtol=` of np.linalg.pinv left out: NumPy's default is its own `_NoValue`, distinct from an
# explicit `rtol=None` (which asks for the precision-based cutoff). The typing functions see
# this string as the value of a left-out `rtol` (a string passed by the caller arrives as a
# `types.StringLiteral`, never as this `str`), and the implementations repeat it as their
# default without reading it.
_NO_RTOL = "<no value>"


def _finfo_refusal(element):
    """The message of the running NumPy's ``ValueError`` for ``np.finfo`` of the non-inexact
    scalar type ``element`` ("... not inexact" before NumPy 2.5, "... not compatible with finfo"
    from it)."""
    try:
        np.finfo(element)
    except ValueError as error:
        return str(error)
    raise AssertionError(f"np.finfo accepts {element}, which is not inexact")


def _given_kind(name, argument, value, arrays):
    """How ``argument`` of ``name`` is given: "none" (left out or None), "number" or, when
    ``arrays`` (a stack of matrices), "array" (its values broadcast to the stack's shape)."""
    if value is None or isinstance(value, types.NoneType):
        return "none"
    if isinstance(value, (types.Integer, types.Float)) and not isinstance(value, types.Boolean):
        return "number"
    if arrays and isinstance(value, types.Array) and isinstance(value.dtype, (types.Integer, types.Float)) and not isinstance(value.dtype, types.Boolean):
        return "array"
    what = "a real number, an array of them (for a stack of matrices) or None" if arrays else "a real number or None"
    raise CallRefused(f"`{argument}` of `{name}` must be {what}, not a `{value}`")


@register_jitable
def _per_matrix(value, a):
    """``value`` (a number or an array) broadcast to the leading shape of the stack ``a``, as
    float64s, one per matrix of ``_matrices(a)``; NumPy's ``ValueError`` when the shapes do
    not broadcast. (A result of a larger shape, which NumPy's ``matrix_rank`` would make of a
    tolerance of more dimensions than the stack, is a ``ValueError`` here.)"""
    lead = a.shape[:-2]
    values = np.zeros(lead) + value
    if values.shape != lead:
        raise ValueError("the tolerances' shape does not broadcast to the shape of the stack of matrices")
    return values.ravel()


@overload(np.linalg.pinv, any_layout=True)
def pinv(a, rcond=None, hermitian=False, *, rtol=_NO_RTOL):
    """NumPy 2's cutoff of the singular values: ``rcond`` times the largest, ``rcond``
    defaulting to 1e-15, to ``rtol`` when given, and to the input type's precision times the
    larger dimension for ``rtol=None``; ``rcond`` and ``rtol`` both given are a ValueError.
    Numbers, or for a stack of matrices arrays broadcast to its leading shape."""
    name = "np.linalg.pinv"
    _check_numbers(name, a)
    stack = _is_stack(a)
    rcond_kind = _given_kind(name, "rcond", rcond, stack)
    rtol_given = not isinstance(rtol, str)
    rtol_kind = _given_kind(name, "rtol", rtol, stack) if rtol_given else "none"
    herm = _constant(name, "hermitian", hermitian, False)
    # An empty matrix's pseudo-inverse keeps an inexact type (float64 for integers; NumPy keeps
    # the integer type for empty matrices only, a type that would depend on the shape).
    given = _element(a) if issubclass(_element(a), np.inexact) else np.float64
    if rcond_kind != "none" and rtol_given:

        def both(a, rcond=None, hermitian=False, rtol=_NO_RTOL):
            raise ValueError("`rtol` and `rcond` can't be both set.")

        return both
    by_precision = rtol_given and rtol_kind == "none"
    if by_precision and not issubclass(_element(a), np.inexact):
        # NumPy's `finfo` of an integer type, with the running NumPy's own message (NumPy 2.5
        # reworded it).
        message = _finfo_refusal(_element(a))

        def not_inexact(a, rcond=None, hermitian=False, rtol=_NO_RTOL):
            raise ValueError(message)

        return not_inexact
    if stack:
        _require_provider(name)
        result = _lapack_types(name, a)[1]
        element = np.result_type(result, given).type
        # Each matrix's pseudo-inverse as one matrix's, with its own factor: rcond, rtol or None
        # (the precision-based cutoff).
        if rcond_kind != "none" or rtol_kind != "none":
            factors_of = _per_matrix

            def one(x, factor):
                return np.linalg.pinv(x, factor, herm)

        else:
            factors_of = _no_factors

            if by_precision:

                def one(x, factor):
                    return np.linalg.pinv(x, hermitian=herm, rtol=None)

            else:

                def one(x, factor):
                    return np.linalg.pinv(x, hermitian=herm)

        given_factor = _second if rcond_kind == "none" else _first

        def stacked_impl(a, rcond=None, hermitian=False, rtol=_NO_RTOL):
            m, n = a.shape[-2], a.shape[-1]
            factors = factors_of(given_factor(rcond, rtol), a)
            flat = _matrices(a)
            out, flat_out = _stacked_output(a, (n, m), element)
            for i in range(flat.shape[0]):
                flat_out[i] = one(flat[i], factors[i])
            return out

        return stacked_impl
    _check_matrix(name, a)
    _require_provider(name)
    singular_triple = _hermitian_svd if herm else _reduced_svd
    real = _real_of(_lapack_types(name, a)[1])
    if by_precision:
        # NumPy: max(m, n) times finfo(a.dtype).eps, a scalar of a's real type, times the
        # largest singular value: in that type.
        eps = _real_of(given)(np.finfo(given).eps)
        given_real = _real_of(given)

        def cutoff_of(rcond, rtol, m, n, largest):
            return given_real(max(m, n)) * eps * largest

    elif rcond_kind == "none" and not rtol_given:

        def cutoff_of(rcond, rtol, m, n, largest):
            return 1e-15 * float(largest)

    else:
        # NumPy: asarray(rcond) (a float64 array) times the largest singular value, in float64.
        given_factor = _second if rcond_kind == "none" else _first

        def cutoff_of(rcond, rtol, m, n, largest):
            return float(given_factor(rcond, rtol)) * float(largest)

    def impl(a, rcond=None, hermitian=False, rtol=_NO_RTOL):
        # NumPy's steps, in the singular values' type (single precision stays single): the
        # SVD of conj(a), small singular values dropped, vt.T @ (1/s * u.T).
        m, n = a.shape
        if m == 0 or n == 0:
            return np.zeros((n, m), given)
        u, s, vt = singular_triple(a.conj())
        cutoff = cutoff_of(rcond, rtol, m, n, s.max())
        inverse = np.zeros(s.shape[0], real)
        for i in range(s.shape[0]):
            if s[i] > cutoff:
                inverse[i] = 1 / s[i]
        return vt.T @ (inverse[:, None] * u.T)

    return impl


@register_jitable
def _no_factors(value, a):
    """The unused factors of a stack's matrices when no tolerance is given."""
    return np.zeros(_stack_size(a))


@register_jitable
def _first(x, y):
    return x


@register_jitable
def _second(x, y):
    return y


@register_jitable
def _reduced_svd(a):
    return np.linalg.svd(a, full_matrices=False)


@overload(np.linalg.matrix_rank, any_layout=True)
def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):
    """NumPy 2's count of the singular values above ``tol``, or above ``rtol`` times the
    largest (``rtol`` defaulting to the singular values' precision times the larger dimension);
    ``tol`` and ``rtol`` both given are a ValueError. Numbers, or for a stack of matrices
    arrays broadcast to its leading shape."""
    name = "np.linalg.matrix_rank"
    _check_numbers(name, A)
    stack = _is_stack(A)
    tol_kind = _given_kind(name, "tol", tol, stack)
    rtol_kind = _given_kind(name, "rtol", rtol, stack)
    herm = _constant(name, "hermitian", hermitian, False)
    if tol_kind != "none" and rtol_kind != "none":

        def both(A, tol=None, hermitian=False, rtol=None):
            raise ValueError("`tol` and `rtol` can't be both set.")

        return both
    if stack:
        _require_provider(name)
        if tol_kind != "none":

            def one(x, factor):
                return np.linalg.matrix_rank(x, factor, herm)

        elif rtol_kind != "none":

            def one(x, factor):
                return np.linalg.matrix_rank(x, hermitian=herm, rtol=factor)

        else:

            def one(x, factor):
                return np.linalg.matrix_rank(x, hermitian=herm)

        factors_of = _no_factors if tol_kind == "none" and rtol_kind == "none" else _per_matrix
        given_factor = _second if tol_kind == "none" else _first

        def stacked_impl(A, tol=None, hermitian=False, rtol=None):
            factors = factors_of(given_factor(tol, rtol), A)
            flat = _matrices(A)
            out, flat_out = _stacked_output(A, (), np.int64)
            for i in range(flat.shape[0]):
                flat_out[i] = one(flat[i], factors[i])
            return out

        return stacked_impl
    if A.ndim < 2:

        def vector_rank(A, tol=None, hermitian=False, rtol=None):
            return int((A != 0).any())

        return vector_rank
    _check_matrix(name, A)
    _require_provider(name)
    singular_values = _hermitian_singular_values if herm else _singular_values
    real = _real_of(_lapack_types(name, A)[1])
    if tol_kind != "none":

        def threshold_of(tol, rtol, m, n, largest):
            return float(tol)

    elif rtol_kind != "none":
        # NumPy: the largest singular value times asarray(rtol), a float64 array: in float64.
        def threshold_of(tol, rtol, m, n, largest):
            return float(largest) * float(rtol)

    else:
        # NumPy: the largest singular value times max(m, n) * finfo(S.dtype).eps, a scalar of
        # the singular values' type: in that type.
        eps = real(np.finfo(real).eps)

        def threshold_of(tol, rtol, m, n, largest):
            return largest * (real(max(m, n)) * eps)

    def impl(A, tol=None, hermitian=False, rtol=None):
        s = singular_values(A)
        if s.shape[0] == 0:
            return 0
        threshold = threshold_of(tol, rtol, A.shape[0], A.shape[1], s.max())
        return int((s > threshold).sum())

    return impl


@register_jitable
def _singular_values(a):
    return np.linalg.svd(a, compute_uv=False)


@register_jitable
def _real_has_nan(x):
    return np.isnan(x).any()


@register_jitable
def _complex_has_nan(x):
    return np.isnan(x.real).any() or np.isnan(x.imag).any()


@register_jitable
def _inverse_or_nan(x, element, kind):
    """The inverse of the square ``x`` in ``element`` (double precision, not cast back), NaN
    everywhere when ``x`` is singular: NumPy's ``cond`` inverts with errors ignored."""
    n = _square_size(x)
    inverse = np.zeros((n, n), element, "F")
    for i in range(n):
        inverse[i, i] = 1
    if n > 0:
        lu = _fortran_copy(x, element)
        if lapack_gesv(kind, n, n, data_address(lu), n, data_address(inverse), n) > 0:
            inverse[:, :] = np.nan
    # C-ordered, as NumPy's, so that sums over its rows and columns run in NumPy's order.
    return _c_copy(inverse, element)


@register_jitable
def _frobenius(x):
    """NumPy's Frobenius norm over the last two axes: the square root of the sum of the
    squared magnitudes (not BLAS's dot, as the whole-array norm)."""
    return np.sqrt((x.conj() * x).real.sum())


def _cond_svd_failure_is_nan():
    """Whether the running NumPy's ``cond`` takes a failed SVD as NaN singular values rather
    than raising ``LinAlgError`` (NumPy 2.5's change, numpy/numpy#32591): asked of NumPy itself,
    on a 1 x 1 matrix holding a NaN."""
    try:
        with np.errstate(all="ignore"):
            np.linalg.cond(np.array([[np.nan]]))
    except np.linalg.LinAlgError:
        return False
    return True


_COND_SVD_FAILURE_IS_NAN = _cond_svd_failure_is_nan()


@overload(np.linalg.cond, any_layout=True)
def cond(x, p=None):
    name = "np.linalg.cond"
    if _is_stack(x):
        real = _real_of(_lapack_types(name, x)[1])

        def stacked_cond(x, p=None):
            # NumPy refuses a stack of empty matrices even when it holds none.
            if x.shape[-2] == 0 or x.shape[-1] == 0:
                raise np.linalg.LinAlgError("cond is not defined on empty arrays")
            flat = _matrices(x)
            out, flat_out = _stacked_output(x, (), real)
            for i in range(flat.shape[0]):
                flat_out[i] = np.linalg.cond(flat[i], p)
            return out

        return stacked_cond
    _check_matrix(name, x)
    _require_provider(name)
    element, result = _lapack_types(name, x)
    real = _real_of(result)
    has_nan = _complex_has_nan if isinstance(x.dtype, types.Complex) else _real_has_nan
    given = _element(x) if issubclass(_element(x), np.inexact) else np.float64
    given_real = _real_of(given)
    element_real = _real_of(element)
    order = _literal(p)
    no_order = p is None or isinstance(p, types.NoneType)
    numeric = isinstance(p, (int, float, types.Integer, types.Float)) and not isinstance(p, (bool, types.Boolean))
    if not (no_order or numeric or order in ("fro", "f", "nuc")):
        raise CallRefused(f"`p` of `{name}` must be None, a number, 'fro' or 'nuc', not a `{p}`")
    kind = _KINDS[element]
    # The singular values of x and of its inverse: from NumPy 2.5 NaN where the SVD fails (a
    # matrix holding a NaN or an infinity, a singular matrix's NaN inverse), so that the result
    # is NaN or inf; NumPy 2.4 and older raise its LinAlgError.
    failure_as_nan = _COND_SVD_FAILURE_IS_NAN
    values_of_x = _svd_function(name, x, 0, failure_as_nan)
    values_of_inverse = _svd_function(name, types.Array(types.from_name(np.dtype(element).name), 2, "C"), 0, failure_as_nan)

    def singular_values(x):
        return values_of_x(x)[1]

    def ratio(x):
        # NumPy: the ratio of the largest and smallest singular values (their inverse for -2).
        s = singular_values(x)
        return s[0] / s[s.shape[0] - 1]

    def norm_product(x, p):
        # NumPy: norm(x, p) * norm(inv(x), p), the inverse in double precision.
        inverse = _inverse_or_nan(x, element, kind)
        return real(_matrix_norm(x.astype(given), p, given_real) * _matrix_norm(inverse, p, element_real))

    if no_order:

        def compute(x, p):
            return real(ratio(x))

    elif order in ("fro", "f"):

        def compute(x, p):
            inverse = _inverse_or_nan(x, element, kind)
            return real(given_real(_frobenius(x.astype(given))) * _frobenius(inverse))

    elif order == "nuc":

        def compute(x, p):
            inverse = _inverse_or_nan(x, element, kind)
            return real(singular_values(x).sum() * values_of_inverse(inverse)[1].sum())

    else:

        def compute(x, p):
            if p == 2:
                return real(ratio(x))
            if p == -2:
                s = singular_values(x)
                return real(s[s.shape[0] - 1] / s[0])
            return norm_product(x, p)

    def impl(x, p=None):
        if x.shape[0] == 0 or x.shape[1] == 0:
            raise np.linalg.LinAlgError("cond is not defined on empty arrays")
        r = compute(x, p)
        # NumPy turns a NaN (a zero singular value, a singular matrix) into inf unless x holds a NaN.
        if np.isnan(r) and not has_nan(x):
            return real(np.inf)
        return r

    return impl


# ---- polynomials: np.roots, np.polyfit --------------------------------------------------------


def _complex_of(t):
    return np.complex64 if t in (np.float32, np.complex64) else np.complex128


@overload(np.roots)
def roots(p):
    """NumPy's steps: the leading and trailing zeros dropped, the eigenvalues of the
    companion matrix, a zero root per trailing zero. Always complex (NumPy's eigenvalues of
    a real matrix are real when every one is, and its result for fewer than two coefficients
    is an empty float64 array: types that depend on the values)."""
    name = "np.roots"
    if not isinstance(p, types.Array) or not isinstance(p.dtype, _NUMBER):
        raise CallRefused(f"`{name}` takes a 1-dimensional array of coefficients, not a `{p}`", hint="lists are not supported in compiled code yet")
    if p.ndim != 1:

        def not_one_dimensional(p):
            raise ValueError("Input must be a rank-1 array.")

        return not_one_dimensional
    _require_provider(name)
    t = _element(p)
    work = t if issubclass(t, np.inexact) else np.float64
    complex_result = _complex_of(work)

    def impl(p):
        first, last = -1, -1
        for i in range(p.shape[0]):
            if p[i] != 0:
                if first < 0:
                    first = i
                last = i
        if first < 0:
            return np.zeros(0, complex_result)
        trailing = p.shape[0] - last - 1
        q = p[first : last + 1].astype(work)
        n = q.shape[0]
        out = np.zeros(n - 1 + trailing, complex_result)
        if n > 1:
            companion = np.zeros((n - 1, n - 1), work)
            for i in range(1, n - 1):
                companion[i, i - 1] = 1
            companion[0, :] = -q[1:] / q[0]
            out[: n - 1] = np.linalg.eigvals(companion)
        return out

    return impl


def _cov_mode(name, cov):
    value = _literal(cov)
    if value is None and not (cov is None or isinstance(cov, types.NoneType)):
        value = getattr(cov, "literal_value", None)
    if value in (False, True, "unscaled"):
        return value
    raise CallRefused(f"`cov` of `{name}` must be the constant False, True or 'unscaled'")


@register_jitable
def _unweighted(lhs, rhs, w):
    return lhs, rhs


@register_jitable
def _fit_weights(rhs, w):
    weights = w + 0.0
    if weights.shape[0] != rhs.shape[0]:
        raise TypeError("expected w and y to have the same length")
    return weights


@register_jitable
def _weighted_vector(lhs, rhs, w):
    """The rows of ``lhs`` and the elements of the 1-d ``rhs`` times the weights ``w``, in
    place and in their own types, as NumPy's."""
    weights = _fit_weights(rhs, w)
    lhs *= weights[:, None]
    rhs *= weights
    return lhs, rhs


@register_jitable
def _weighted_matrix(lhs, rhs, w):
    """The rows of ``lhs`` and of the 2-d ``rhs`` times the weights ``w``, in place."""
    weights = _fit_weights(rhs, w)
    lhs *= weights[:, None]
    rhs *= weights[:, None]
    return lhs, rhs


@register_jitable
def _real_by_real(x, scale):
    return x / scale


@register_jitable
def _complex_by_real(x, scale):
    # NumPy divides by the real scale as by a complex number of imaginary part 0, Smith's
    # algorithm: both parts times the reciprocal of the scale.
    return x * (1 / scale)


@register_jitable
def _real_column_scales(lhs):
    return np.sqrt((lhs * lhs).sum(axis=0))


@register_jitable
def _complex_column_scales(lhs):
    # np.sqrt of complex arrays is not compiled: cmath's square root of each sum (both are
    # the correctly rounded principal root of the C library's algorithm).
    sums = (lhs * lhs).sum(axis=0)
    out = np.empty_like(sums)
    for j in range(sums.shape[0]):
        out[j] = cmath.sqrt(sums[j])
    return out


@register_jitable
def _fit_default_cutoff(rcond, count, eps):
    return count * eps


@register_jitable
def _given_fit_cutoff(rcond, count, eps):
    return float(rcond)


@register_jitable
def _unscaled_cov(base, resids, count, order):
    return base


@register_jitable
def _unscaled_matrix_cov(base, resids, count, order):
    return base.reshape((order, order, 1))


@register_jitable
def _residual_factor(resids, count, order):
    if count <= order:
        raise ValueError("the number of data points must exceed order to scale the covariance matrix")
    return resids / (count - order)


@register_jitable
def _scaled_cov(base, resids, count, order):
    return base * _residual_factor(resids, count, order)


@register_jitable
def _scaled_matrix_cov(base, resids, count, order):
    return base.reshape((order, order, 1)) * _residual_factor(resids, count, order)


@overload(np.polyfit)
def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """NumPy's steps: the Vandermonde matrix of ``x``, rows weighted by ``w``, columns scaled
    to unit norm, ``lstsq``, the coefficients scaled back. NumPy's ``RankWarning`` for a
    rank-deficient fit is not issued (compiled code has no warnings)."""
    name = "np.polyfit"
    for argument, value in (("x", x), ("y", y)):
        if not isinstance(value, types.Array) or not isinstance(value.dtype, _NUMBER):
            raise CallRefused(f"`{argument}` of `{name}` must be an array of numbers, not a `{value}`", hint="lists are not supported in compiled code yet")
    if not isinstance(deg, types.Integer):
        raise CallRefused(f"`deg` of `{name}` must be an integer, not a `{deg}`")
    weighted = not (w is None or isinstance(w, types.NoneType))
    if weighted and (not isinstance(w, types.Array) or not isinstance(w.dtype, _NUMBER)):
        raise CallRefused(f"`w` of `{name}` must be an array of numbers or None, not a `{w}`")
    if not (rcond is None or isinstance(rcond, (types.NoneType, types.Integer, types.Float))):
        raise CallRefused(f"`rcond` of `{name}` must be a real number or None, not a `{rcond}`")
    full_result = _constant(name, "full", full, False)
    cov_mode = False if full_result else _cov_mode(name, cov)
    _require_provider(name)
    if x.ndim != 1 or y.ndim not in (1, 2) or (weighted and w.ndim != 1):
        message = "expected 1D vector for x" if x.ndim != 1 else ("expected 1D or 2D array for y" if y.ndim not in (1, 2) else "expected a 1-d array for weights")

        def wrong_dimensions(x, y, deg, rcond=None, full=False, w=None, cov=False):
            raise TypeError(message)

        return wrong_dimensions
    xt = np.result_type(_element(x), 0.0).type
    # NumPy's default cutoff: len(x) times the precision of x's (floating) type.
    eps = float(np.finfo(xt).eps)
    weigh = (_weighted_matrix if y.ndim == 2 else _weighted_vector) if weighted else _unweighted
    cutoff_of = _fit_default_cutoff if rcond is None or isinstance(rcond, types.NoneType) else _given_fit_cutoff
    two_d = y.ndim == 2
    complex_y = isinstance(y.dtype, types.Complex)
    # A complex x makes the Vandermonde matrix, and so the column scales (NumPy's square roots
    # of the sums of squares, not of squared magnitudes), complex: the division is complex.
    complex_x = isinstance(x.dtype, types.Complex)
    divide_columns = _complex_by_real if complex_y and not complex_x else _real_by_real
    column_scales = _complex_column_scales if complex_x else _real_column_scales
    if complex_x:
        # `_complex_column_scales` calls cmath.sqrt, whose implementation (`pymath`) must be
        # registered first: its lazy loading serves calls in user code, not this one.
        from . import pymath  # noqa: F401

    def fit(x, y, deg, rcond, w):
        order = deg + 1
        xf = x + 0.0
        yf = y + 0.0
        if deg < 0:
            raise ValueError("expected deg >= 0")
        if xf.shape[0] == 0:
            raise TypeError("expected non-empty vector for x")
        if xf.shape[0] != yf.shape[0]:
            raise TypeError("expected x and y to have same length")
        cutoff = cutoff_of(rcond, xf.shape[0], eps)
        lhs, rhs = weigh(np.vander(xf, order), yf, w)
        scale = column_scales(lhs)
        lhs = lhs / scale
        c, resids, rank, s = np.linalg.lstsq(lhs, rhs, cutoff)
        c = divide_columns(c.T, scale).T
        return c, resids, rank, s, cutoff, lhs, scale

    if full_result:

        def impl(x, y, deg, rcond=None, full=False, w=None, cov=False):
            c, resids, rank, s, cutoff, lhs, scale = fit(x, y, deg, rcond, w)
            return c, resids, rank, s, cutoff

    elif cov_mode is False:

        def impl(x, y, deg, rcond=None, full=False, w=None, cov=False):
            return fit(x, y, deg, rcond, w)[0]

    else:
        unscaled = cov_mode == "unscaled"
        # NumPy's covariance: inv(lhs.T @ lhs) / outer(scale, scale), times the residuals over
        # the degrees of freedom unless 'unscaled'; a third axis of length 1 (unscaled) or of
        # y's columns for a 2-d y.
        if unscaled:
            finish = _unscaled_matrix_cov if two_d else _unscaled_cov
        else:
            finish = _scaled_matrix_cov if two_d else _scaled_cov

        def impl(x, y, deg, rcond=None, full=False, w=None, cov=False):
            c, resids, rank, s, cutoff, lhs, scale = fit(x, y, deg, rcond, w)
            base = np.linalg.inv(np.dot(lhs.T, lhs))
            base = base / np.outer(scale, scale)
            return c, finish(base, resids, x.shape[0], deg + 1)

    return impl
