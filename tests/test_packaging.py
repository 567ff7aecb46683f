"""Building ferrojit as a user does (``pip install .``, ``pip wheel``, an sdist, ``make build``):
a missing or wrong LLVM 22 or Rust is one line saying what to install, before cargo builds
anything; the extension that ``make build`` installs is stripped."""

import importlib.util
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

import ferrojit

ROOT = Path(__file__).resolve().parent.parent
BACKEND = ROOT / "build_backend" / "ferrojit_build.py"
INSTALL_HINT = (
    "install llvm-22-dev (Debian/Ubuntu: apt-get install llvm-22-dev libpolly-22-dev zlib1g-dev libzstd-dev)"
    " or set LLVM_SYS_221_PREFIX to an LLVM 22 installation"
)
# Each failing run must end well within this: a cargo build of ferrojit takes minutes.
FAST_SECONDS = 60


def _load_backend():
    spec = importlib.util.spec_from_file_location("ferrojit_build", BACKEND)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


backend = _load_backend()


def _script(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def _fake_llvm(prefix, version, headers=True, libraries=True):
    """An LLVM installation at ``prefix`` whose llvm-config reports ``version``, with or without
    the C headers and the library files it lists."""
    library = prefix / "lib" / "libLLVMCore.a"
    _script(
        prefix / "bin" / "llvm-config",
        f"""case "$1" in
  --version) echo {version} ;;
  --prefix) echo {prefix} ;;
  --includedir) echo {prefix}/include ;;
  --link-static|--link-shared) echo {library} ;;
  *) exit 1 ;;
esac
""",
    )
    if headers:
        (prefix / "include" / "llvm-c").mkdir(parents=True)
        (prefix / "include" / "llvm-c" / "Core.h").write_text("")
    if libraries:
        library.parent.mkdir(parents=True, exist_ok=True)
        library.write_text("")
    return prefix


def _prefix_nonexistent(tmp_path):
    return "/nonexistent"


def _prefix_without_llvm_config(tmp_path):
    (tmp_path / "empty" / "bin").mkdir(parents=True)
    return str(tmp_path / "empty")


def _prefix_llvm_19(tmp_path):
    return str(_fake_llvm(tmp_path / "llvm-19", "19.1.7"))


def _prefix_llvm_config_broken(tmp_path):
    _script(tmp_path / "broken" / "bin" / "llvm-config", "exit 3\n")
    return str(tmp_path / "broken")


def _prefix_without_headers(tmp_path):
    return str(_fake_llvm(tmp_path / "runtime-only", "22.1.8", headers=False))


def _prefix_without_libraries(tmp_path):
    return str(_fake_llvm(tmp_path / "no-libs", "22.1.8", libraries=False))


# (LLVM_SYS_221_PREFIX made under tmp_path, what the one line says after "error: ")
BAD_LLVM = [
    pytest.param(_prefix_nonexistent, "LLVM 22 not found at /nonexistent (no llvm-config there); " + INSTALL_HINT, id="nonexistent"),
    pytest.param(_prefix_without_llvm_config, "LLVM 22 not found at {prefix} (no llvm-config there); " + INSTALL_HINT, id="no-llvm-config"),
    pytest.param(_prefix_llvm_19, "LLVM 22 not found at {prefix}: {prefix}/bin/llvm-config is LLVM 19.1.7; " + INSTALL_HINT, id="llvm-19"),
    pytest.param(_prefix_llvm_config_broken, "LLVM 22 not found at {prefix}: {prefix}/bin/llvm-config does not run; " + INSTALL_HINT, id="llvm-config-fails"),
    pytest.param(_prefix_without_headers, "LLVM 22.1.8 at {prefix} has no C headers ({prefix}/include/llvm-c/Core.h); " + INSTALL_HINT, id="no-headers"),
    pytest.param(
        _prefix_without_libraries, "LLVM 22.1.8 at {prefix} lacks libraries to link ({prefix}/lib/libLLVMCore.a); " + INSTALL_HINT, id="no-libraries"
    ),
]


@pytest.mark.parametrize("make_prefix, message", BAD_LLVM)
def test_find_llvm_names_the_problem(tmp_path, make_prefix, message):
    prefix = make_prefix(tmp_path)
    with pytest.raises(backend.ToolchainError) as caught:
        backend.find_llvm({"LLVM_SYS_221_PREFIX": prefix, "PATH": os.environ.get("PATH", "")})
    assert str(caught.value) == message.format(prefix=prefix)


def test_find_llvm_accepts_an_llvm_22_prefix(tmp_path):
    prefix = _fake_llvm(tmp_path / "llvm-22", "22.1.0")
    assert backend.find_llvm({"LLVM_SYS_221_PREFIX": str(prefix), "PATH": ""}) == str(prefix)


def test_find_llvm_without_prefix_skips_another_version_on_path(tmp_path):
    """Debian's plain `llvm-config` may be another version; without LLVM_SYS_221_PREFIX the
    check, like llvm-sys, tries `llvm-config-22` first."""
    llvm_19 = _fake_llvm(tmp_path / "llvm-19", "19.1.7")
    llvm_22 = _fake_llvm(tmp_path / "llvm-22", "22.1.0")
    path_dir = tmp_path / "path"
    path_dir.mkdir()
    (path_dir / "llvm-config").symlink_to(llvm_19 / "bin" / "llvm-config")
    (path_dir / "llvm-config-22").symlink_to(llvm_22 / "bin" / "llvm-config")
    assert backend.find_llvm({"PATH": str(path_dir)}) == str(llvm_22)


# (rustc --version on PATH, the one line, or None when the check passes)
RUST_VERSIONS = [
    pytest.param("rustc 1.63.0 (4b91a6ea7 2022-08-08)", "Rust 1.92 or newer is needed, {rustc} is rustc 1.63.0 (4b91a6ea7 2022-08-08); update it with `rustup update stable` (https://rustup.rs)", id="debian-12-rustc"),
    pytest.param("rustc 1.91.1 (ed61e7d7e 2025-11-07)", "Rust 1.92 or newer is needed, {rustc} is rustc 1.91.1 (ed61e7d7e 2025-11-07); update it with `rustup update stable` (https://rustup.rs)", id="one-too-old"),
    pytest.param("rustc 1.92.0 (ded5c06cf 2025-12-08)", None, id="minimum"),
    pytest.param("rustc 2.0.0", None, id="newer-major"),
]


@pytest.mark.parametrize("version, message", RUST_VERSIONS)
def test_check_rust(tmp_path, version, message):
    rustc = _script(tmp_path / "rustc", f"echo '{version}'\n")
    _script(tmp_path / "cargo", "exit 0\n")
    environ = {"PATH": str(tmp_path)}
    if message is None:
        backend.check_rust(environ)
    else:
        with pytest.raises(backend.ToolchainError) as caught:
            backend.check_rust(environ)
        assert str(caught.value) == message.format(rustc=rustc)


def _real_cargo():
    found = shutil.which("cargo") or str(Path.home() / ".cargo" / "bin" / "cargo")
    return found if os.path.exists(found) else None


def _logging_cargo(tmp_path):
    """A directory to put first on PATH whose `cargo` logs its subcommand, then runs the real one
    (maturin asks `cargo --version`, `metadata` and `tree` for a wheel's metadata; it builds
    with `cargo rustc`)."""
    real = _real_cargo()
    if real is None:
        pytest.skip("cargo is not installed")
    log = tmp_path / "cargo.log"
    _script(tmp_path / "logging-cargo" / "cargo", f'echo "$1" >> {log}\nexec {real} "$@"\n')
    return tmp_path / "logging-cargo", log


def _sdist(tmp_path):
    out = tmp_path / "sdist"
    maturin = shutil.which("maturin", path=str(Path(sys.executable).parent)) or shutil.which("maturin")
    if maturin is None:
        pytest.skip("maturin is not installed")
    subprocess.run([maturin, "sdist", "--out", str(out)], cwd=ROOT, capture_output=True, check=True, timeout=300)
    (archive,) = out.glob("ferrojit-*.tar.gz")
    return archive


def _make_deps(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    return ["make", "--no-print-directory", "-C", str(ROOT), "deps"]


def _check_script(tmp_path):
    return [sys.executable, str(BACKEND)]


def _pip_wheel(tmp_path):
    return [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "--disable-pip-version-check", "-w", str(tmp_path / "wheels")]


def _pip_wheel_from_sdist(tmp_path):
    return [sys.executable, "-m", "pip", "wheel", str(_sdist(tmp_path)), "--no-deps", "--no-build-isolation", "--disable-pip-version-check", "-w", str(tmp_path / "wheels")]


# How a user starts a build: `make build` (its step `deps`), the check as the Makefile runs it,
# `pip wheel .` / `pip install .` (the PEP 517 backend), and pip on the source distribution.
ENTRY_POINTS = [
    pytest.param(_check_script, id="check-script"),
    pytest.param(_make_deps, id="make-deps"),
    pytest.param(_pip_wheel, id="pip-wheel"),
    pytest.param(_pip_wheel_from_sdist, id="pip-wheel-sdist"),
]


@pytest.mark.parametrize("make_prefix, message", [BAD_LLVM[0], BAD_LLVM[2]])
@pytest.mark.parametrize("command", ENTRY_POINTS)
def test_bad_llvm_is_one_line_before_cargo_builds(tmp_path, command, make_prefix, message):
    argv = command(tmp_path)
    prefix = make_prefix(tmp_path)
    cargo_dir, cargo_log = _logging_cargo(tmp_path)
    env = dict(os.environ, LLVM_SYS_221_PREFIX=prefix, PATH=f"{cargo_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("MAKEFLAGS", None)
    started = time.monotonic()
    done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - started
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    line = "error: " + message.format(prefix=prefix)
    assert [l.strip() for l in output.splitlines()].count(line) == 1, output
    # The line is the backend's whole output, not the tail of a build's.
    if "pip" in argv:
        assert "[1 lines of output]" in output, output
    cargo_commands = cargo_log.read_text().split() if cargo_log.exists() else []
    assert not {"build", "rustc"} & set(cargo_commands), cargo_commands
    assert "Compiling" not in output
    assert elapsed < FAST_SECONDS, f"took {elapsed:.1f} s"


def test_sdist_carries_the_build_backend(tmp_path):
    with tarfile.open(_sdist(tmp_path)) as archive:
        names = {Path(*Path(n).parts[1:]).as_posix() for n in archive.getnames()}
    assert {"pyproject.toml", "build_backend/ferrojit_build.py", "python/ferrojit/py.typed", "python/ferrojit/_native.pyi", "python/ferrojit/types.pyi"} <= names


def test_installed_extension_is_stripped():
    """`make build` installs the extension without its symbol table (pyproject's
    [tool.maturin] strip); the functions compiled code calls are found by address."""
    if shutil.which("readelf") is None:
        pytest.skip("readelf is not installed")
    (extension,) = Path(ferrojit.__file__).parent.glob("_native*.so")
    sections = subprocess.run(["readelf", "-S", "-W", str(extension)], capture_output=True, text=True, check=True).stdout
    assert " .symtab " not in sections
    # Unwinding (a panic becoming InternalError) needs these, which stripping keeps.
    assert " .eh_frame " in sections and " .gcc_except_table " in sections
