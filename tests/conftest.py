"""pytest configuration for the ferrojit differential test suite.

The test modules import their helpers with ``from helpers import ...``; make that work whatever
import mode pytest runs in.
"""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import pytest  # noqa: E402

# Rich assertion messages for the shared helpers too.
pytest.register_assert_rewrite("helpers")
