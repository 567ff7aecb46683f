"""pytest configuration for the ferrojit differential test suite.

The test modules import their helpers with ``from helpers import ...``; make that work whatever
import mode pytest runs in.
"""
import gc
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import pytest  # noqa: E402

# Rich assertion messages for the shared helpers too.
pytest.register_assert_rewrite("helpers")


# The memory tests call `gc.collect()` around the code they measure, and a full collection
# walks every object the process tracks: the collected test items of the whole suite and what
# the files run before have left alive, about a second per collection late in a run. Before
# each test file, what is alive then is collected and moved out of the collector's sight
# (`gc.freeze`): later collections walk only what was made since, which is all a test can
# leave behind. Garbage is collected before it is frozen, so nothing freed today is kept.
_file_of_last_freeze = [None]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if item.path != _file_of_last_freeze[0]:
        _file_of_last_freeze[0] = item.path
        gc.collect()
        gc.freeze()
