"""``@vectorize``: scalar functions compiled into real NumPy ufuncs."""

from __future__ import annotations

import weakref

from . import _native
from ._dispatcher import Dispatcher, _check_options, _compiling, _signature_texts
from ._typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Callable, Literal, Union

    import numpy as np

    from ._dispatcher import Signatures

    Identity = Union[Literal[0, 1, "reorderable"], None]

_IDENTITIES = {None: -1, 0: 0, 1: 1, "reorderable": -2}

# ufunc -> the dispatcher of its scalar kernel, so compiled code calling the ufunc on scalars
# calls the kernel directly.
_kernels: weakref.WeakValueDictionary[int, Dispatcher[..., Any]] = weakref.WeakValueDictionary()
_ufunc_kernels: dict[int, Dispatcher[..., Any]] = {}


def kernel_of(obj: object) -> Dispatcher[..., Any] | None:
    """The compiled scalar kernel behind a ufunc made by ``@vectorize``, or None."""
    if isinstance(obj, LazyUFunc):
        return obj._dispatcher
    return _ufunc_kernels.get(id(obj))


def _identity_code(identity: Identity) -> int:
    try:
        return _IDENTITIES[identity]
    except (KeyError, TypeError):
        raise ValueError(f"identity must be 0, 1, None or 'reorderable', not {identity!r}") from None


def _parallel_target(options: dict[str, Any]) -> bool:
    """Whether ``target=`` asks for loops split over the thread pool (``'parallel'``); the
    default ``'cpu'`` runs them on the calling thread."""
    target = options.pop("target", None) or "cpu"
    if target not in ("cpu", "parallel"):
        raise ValueError(f"target {target!r} is not supported: ferrojit compiles for the CPU, with target='cpu' (the default) or target='parallel'")
    return target == "parallel"


def _build(dispatcher: Dispatcher[..., Any], loops: list[tuple[int, list[int]]], nin: int, identity: Identity, parallel: bool) -> np.ufunc:
    ufunc = _native.make_ufunc(dispatcher.__name__, dispatcher.__doc__ or "", nin, loops, _identity_code(identity), parallel=parallel)
    _ufunc_kernels[id(ufunc)] = dispatcher
    return ufunc


class LazyUFunc:
    """A ufunc-like object for ``@vectorize`` without signatures: each new combination of input
    dtypes compiles a loop, and a real ufunc with all loops so far does the work (broadcasting,
    ``out=``, ``reduce`` and the rest come from it)."""

    def __init__(self, dispatcher: Dispatcher[..., Any], identity: Identity, parallel: bool = False) -> None:
        self._dispatcher = dispatcher
        self._identity: Identity = identity
        self._parallel = parallel
        self._loops: dict[tuple[str, ...], tuple[int, list[int]]] = {}
        self._ufunc: np.ufunc | None = None
        self.__name__ = dispatcher.__name__
        self.__doc__ = dispatcher.__doc__
        self.nin = dispatcher.py_func.__code__.co_argcount
        self.nout = 1

    def _dtype_names(self, args: Any) -> tuple[str, ...]:
        names = []
        for a in args:
            if isinstance(a, bool):
                names.append("bool")
            elif isinstance(a, int):
                names.append("int64")
            elif isinstance(a, float):
                names.append("float64")
            elif isinstance(a, complex):
                names.append("complex128")
            else:
                import numpy as np

                dtype = np.asarray(a).dtype
                names.append("bool" if dtype == np.bool_ else dtype.name)
        return tuple(names)

    def _ensure(self, names: tuple[str, ...]) -> np.ufunc:
        if names not in self._loops:
            self._dispatcher._load_sources()
            self._loops[names] = _compiling(self._dispatcher._ufunc_loop, f"({', '.join(names)})")
            self._ufunc = _build(self._dispatcher, list(self._loops.values()), self.nin, self._identity, self._parallel)
        return self._ufunc  # type: ignore[return-value]  # set whenever a loop exists

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) != self.nin:
            raise TypeError(f"{self.__name__}() takes {self.nin} arguments ({len(args)} given)")
        return self._ensure(self._dtype_names(args))(*args, **kwargs)

    def reduce(self, array: Any, *args: Any, **kwargs: Any) -> Any:
        name = self._dtype_names([array])[0]
        return self._ensure((name,) * self.nin).reduce(array, *args, **kwargs)

    @property
    def types(self) -> Sequence[str]:
        return self._ufunc.types if self._ufunc is not None else []

    def __repr__(self) -> str:
        return f"<ferrojit lazy ufunc {self.__name__!r}>"


@overload
def vectorize(signatures: Signatures, /, *, identity: Identity = None, **options: Any) -> Callable[[Callable[..., Any]], np.ufunc]: ...
@overload
def vectorize(*, identity: Identity = None, **options: Any) -> Callable[[Callable[..., Any]], LazyUFunc]: ...
@overload
def vectorize(func: Callable[..., Any], /, *, identity: Identity = None, **options: Any) -> LazyUFunc: ...


def vectorize(*args: Any, identity: Identity = None, **options: Any) -> Any:
    """Compile a scalar function into a NumPy ufunc.

    ``@vectorize(["float64(float64, float64)", ...])`` compiles the listed signatures now and
    returns a real ``numpy.ufunc``; ``@vectorize`` without signatures returns a ufunc-like
    object that compiles a loop for each new combination of input dtypes. Division by zero
    follows NumPy (inf/NaN, 0 for integers) rather than raising.
    """
    parallel = _parallel_target(options)
    _check_options(options)
    func = None
    signatures: list[str] = []
    if args and callable(args[0]) and not isinstance(args[0], (str, list, tuple)):
        func = args[0]
    elif args:
        signatures = _signature_texts(args[0])

    def decorate(f: Callable[..., Any]) -> np.ufunc | LazyUFunc:
        dispatcher = Dispatcher(f, options)
        if not signatures:
            return LazyUFunc(dispatcher, identity, parallel)
        nin = f.__code__.co_argcount
        dispatcher._load_sources()
        loops = [_compiling(dispatcher._ufunc_loop, text) for text in signatures]
        return _build(dispatcher, loops, nin, identity, parallel)

    return decorate(func) if func is not None else decorate


def _parse_layout(layout: str) -> tuple[list[list[int]], list[list[int]]]:
    """``"(n),()->(n)"`` -> (input core dims, output core dims), dimension names numbered in
    order of first appearance."""
    text = layout.replace(" ", "")
    if "->" not in text:
        raise ValueError(f"layout {layout!r} needs `->` between inputs and outputs")
    numbers: dict[str, int] = {}

    def side(part: str) -> list[list[int]]:
        groups: list[list[int]] = []
        if not part:
            return groups
        if not (part.startswith("(") and part.endswith(")")):
            raise ValueError(f"cannot read layout {layout!r}")
        for group in part[1:-1].split("),("):
            names = [n for n in group.split(",") if n]
            for n in names:
                if not n.isidentifier():
                    raise ValueError(f"bad dimension name {n!r} in layout {layout!r}")
            groups.append([numbers.setdefault(n, len(numbers)) for n in names])
        return groups

    inputs, outputs = text.split("->")
    return side(inputs), side(outputs)


def guvectorize(signatures: Signatures, layout: str, **options: Any) -> Callable[[Callable[..., None]], np.ufunc]:
    """Compile a kernel over core dimensions into a NumPy generalised ufunc.

    ``@guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)")``: the kernel
    receives each input (an array for core dimensions, a scalar for ``()``) and the outputs,
    which it fills; outputs with ``()`` are one-element arrays (write ``res[0]``).
    """
    parallel = _parallel_target(options)
    _check_options(options)
    texts = _signature_texts(signatures)
    ins, outs = _parse_layout(layout)
    # The loop's `dims`: the outer loop's length, then one per core dimension name.
    ndims = 1 + len({d for group in ins + outs for d in group})

    def decorate(f: Callable[..., None]) -> np.ufunc:
        dispatcher = Dispatcher(f, options)
        core = ins + outs
        dispatcher._load_sources()
        loops = [_compiling(dispatcher._gufunc_loop, text, core) for text in texts]
        ufunc = _native.make_ufunc(f.__name__, f.__doc__ or "", len(ins), loops, -1, len(outs), layout.replace(" ", ""), parallel=parallel, ndims=ndims)
        _ufunc_kernels[id(ufunc)] = dispatcher
        return ufunc

    return decorate
