"""Numba's ``numba.experimental``: ``jitclass``."""

from __future__ import annotations

from ._jitclass import jitclass

__all__ = ["jitclass"]
