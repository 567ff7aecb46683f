"""ferrojit's library compiled once: each library function with a loop is a unit of its own,
shared by every caller in the process and kept in the library's disk cache
(``FERROJIT_LIBRARY_CACHE``) for later processes."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from ferrojit import _native, extending, njit

RUNNER = textwrap.dedent("""
    import json
    import numpy as np
    from ferrojit import _native, extending, njit

    def units():
        return sorted([name, from_disk] for name, from_disk in _native.library_units())

    @njit
    def first(a):
        return np.sort(a)

    @njit
    def second(a):
        s = np.sort(a)
        return s[0] + s[-1]

    def user_total(a):
        pass

    @extending.overload(user_total)
    def _user_total(a):
        def impl(a):
            t = 0.0
            for x in a:
                t += x
            return t
        return impl

    @njit
    def calls_user_overload(a):
        return user_total(a)

    a = np.array([3.0, 1.0, 2.0])
    out = {"first": first(a).tolist()}
    out["after_first"] = units()
    out["second"] = second(a)
    out["after_second"] = units()
    out["int32"] = first(a.astype(np.int32)).tolist()
    out["after_int32"] = units()
    out["checked"] = njit(boundscheck=True)(first.py_func)(a).tolist()
    out["after_checked"] = units()
    out["user"] = calls_user_overload(a)
    out["after_user"] = units()
    print(json.dumps(out))
""")


def run(tmp_path, cache):
    script = tmp_path / "runner.py"
    script.write_text(RUNNER)
    env = dict(os.environ, FERROJIT_LIBRARY_CACHE=str(cache))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def cache_files(cache):
    return sorted(cache.glob("library-*/*.fjc"))


def names(units):
    return [name for name, _ in units]


def test_callers_share_units_and_a_second_process_loads_them(tmp_path):
    cache = tmp_path / "library"
    out = run(tmp_path, cache)
    assert out["first"] == [1.0, 2.0, 3.0] and out["second"] == 4.0 and out["int32"] == [1, 2, 3]
    assert out["checked"] == [1.0, 2.0, 3.0] and out["user"] == 6.0
    # The sort is compiled once for float64 arrays: the second caller adds no unit.
    assert out["after_first"] and not any(from_disk for _, from_disk in out["after_first"])
    assert out["after_second"] == out["after_first"]
    # Other argument types and other options are other units.
    new_int32 = set(names(out["after_int32"])) - set(names(out["after_first"]))
    assert new_int32 and all("int32" in name for name in new_int32)
    assert len(out["after_checked"]) > len(out["after_int32"])
    # A user's overload stays in its caller's module.
    assert out["after_user"] == out["after_checked"]
    files = cache_files(cache)
    assert len(files) >= len(out["after_checked"])

    again = run(tmp_path, cache)
    assert {k: v for k, v in again.items() if not k.startswith("after")} == {k: v for k, v in out.items() if not k.startswith("after")}
    assert names(again["after_user"]) == names(out["after_user"])
    assert all(from_disk for _, from_disk in again["after_user"])
    assert cache_files(cache) == files


def test_a_damaged_cache_file_is_compiled_again(tmp_path):
    cache = tmp_path / "library"
    run(tmp_path, cache)
    for path in cache_files(cache):
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    damaged = run(tmp_path, cache)
    assert damaged["first"] == [1.0, 2.0, 3.0] and damaged["int32"] == [1, 2, 3]
    assert not any(from_disk for _, from_disk in damaged["after_user"])
    # Rewritten whole: the next process loads them.
    assert all(from_disk for _, from_disk in run(tmp_path, cache)["after_user"])


def test_no_disk_cache_when_switched_off(tmp_path):
    out = run(tmp_path, "0")
    assert out["first"] == [1.0, 2.0, 3.0]
    assert out["after_first"] and not any(from_disk for _, from_disk in out["after_user"])
    assert not (tmp_path / "0").exists()


def test_older_builds_directories_are_pruned(tmp_path):
    cache = tmp_path / "library"
    for age, name in enumerate(["library-old-a", "library-old-b", "library-old-c", "library-old-d"]):
        d = cache / name
        d.mkdir(parents=True)
        (d / "x.fjc").write_bytes(b"")
        stamp = 1_000_000_000 - age * 1000
        os.utime(d, (stamp, stamp))
    (cache / "unrelated").mkdir()
    run(tmp_path, cache)
    left = sorted(p.name for p in cache.iterdir())
    own = [n for n in left if n.startswith("library-") and not n.startswith("library-old")]
    assert len(own) == 1
    # The three newest build directories stay (this build's and the two newest old ones).
    assert left == sorted(own + ["library-old-a", "library-old-b", "unrelated"])


def singular_inverse(a):
    return np.linalg.inv(a)


def sort_then_sum(a):
    return np.sort(a).sum()


@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_calls_into_units_do_not_leak(dtype):
    f = njit(sort_then_sum)
    a = np.arange(50, 0, -1).astype(dtype)
    assert f(a) == np.sort(a).sum()
    before = _native.live_allocations()
    for _ in range(200):
        f(a)
    assert _native.live_allocations() == before


def test_an_exception_raised_in_a_unit_reaches_the_caller_without_a_leak():
    f = njit(singular_inverse)
    ok = np.array([[2.0, 1.0], [1.0, 3.0]])
    np.testing.assert_array_equal(f(ok), np.linalg.inv(ok))
    before = _native.live_allocations()
    for _ in range(20):
        with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
            f(np.ones((3, 3)))
    assert _native.live_allocations() == before


ANY_LAYOUT_RUNNER = textwrap.dedent("""
    import json
    import numpy as np
    from ferrojit import _native, njit

    @njit
    def inverse(a):
        return np.linalg.inv(a)

    a = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.25], [0.5, 0.25, 2.0]])
    same = []
    for laid_out in (a, np.asfortranarray(a), np.ascontiguousarray(a[::-1, ::-1])[::-1, ::-1], np.kron(a, np.ones((2, 2)))[::2, ::2]):
        same.append(bool((inverse(laid_out) == np.linalg.inv(laid_out)).all()))
    print(json.dumps({"same": same, "signatures": len(inverse.signatures), "units": sorted(name for name, _ in _native.library_units())}))
""")


def test_one_unit_serves_every_layout_of_an_any_layout_function(tmp_path):
    script = tmp_path / "any_layout.py"
    script.write_text(ANY_LAYOUT_RUNNER)
    env = dict(os.environ, FERROJIT_LIBRARY_CACHE="0")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["same"] == [True] * 4
    # C, F and A arrays: three signatures of the caller, one unit of np.linalg.inv.
    assert out["signatures"] == 3
    assert out["units"] == ["impl(array(float64, 2d, A)) -> array(float64, 2d, C)"], out["units"]


def first_row_total(a):
    pass


LAYOUTS_SEEN = []


@extending.overload(first_row_total, any_layout=True)
def _first_row_total(a):
    LAYOUTS_SEEN.append((a.layout, a.ndim))

    def impl(a):
        t = 0.0
        for x in a[0]:
            t += x
        return t

    return impl


@njit
def call_first_row_total(a):
    return first_row_total(a)


def test_an_any_layout_typing_function_sees_layout_a():
    a = np.arange(12.0).reshape(3, 4)
    for laid_out in (a, np.asfortranarray(a), a[:, ::2]):
        assert call_first_row_total(laid_out) == laid_out[0].sum()
    assert LAYOUTS_SEEN and all(s == ("A", 2) for s in LAYOUTS_SEEN)
