"""Type stubs for the compiled module ``ferrojit._native``."""

from typing import Any, Callable, Optional

from typing_extensions import Self, disjoint_base, final

import numpy as np

__all__ = [
    "DispatcherBase",
    "install_fast_call",
    "ArrayMemory",
    "live_allocations",
    "start_warm_up",
    "wait_for_warm_up",
    "make_ufunc",
    "__version__",
]

__version__: str

# A native type: a subclass can add no instance layout of another native base.
@disjoint_base
class DispatcherBase:
    """The callable behind ``@njit``: compiles once per argument-type signature."""

    def __new__(cls, py_func: Callable[..., Any], options: Optional[dict[str, Any]] = ...) -> Self: ...
    def __call__(self, *args: Any, **kwargs: Any) -> Any: ...
    @property
    def py_func(self) -> Callable[..., Any]: ...
    @property
    def _signature_names(self) -> list[tuple[str, ...]]: ...
    def _stats(self) -> list[dict[str, Any]]: ...
    def _compile_signature(self, signature: str) -> None: ...
    def _inspect(self, type_names: list[str], what: str) -> str: ...
    def _variable_types(self) -> list[tuple[list[str], str, list[tuple[int, str, str]]]]: ...
    def _source_text(self) -> tuple[int, str]: ...
    def _ufunc_loop(self, signature: str) -> tuple[int, list[int]]: ...
    def _gufunc_loop(self, signature: str, core: list[list[int]]) -> tuple[int, list[int]]: ...

@final
class ArrayMemory:
    """Base object of ndarrays over memory allocated by compiled code."""

def live_allocations() -> int: ...
def start_warm_up() -> None: ...
def wait_for_warm_up() -> None: ...
def make_ufunc(
    name: str,
    doc: str,
    nin: int,
    loops: list[tuple[int, list[int]]],
    identity: int,
    nout: int = ...,
    signature: Optional[str] = ...,
) -> np.ufunc: ...
def install_fast_call(ty: type[DispatcherBase], sample: DispatcherBase) -> None: ...
