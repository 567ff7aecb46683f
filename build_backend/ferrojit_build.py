"""The build backend of ``pip install .`` / ``pip wheel .``: maturin's, behind a check of the
toolchain that says in one line what is missing before cargo starts.

Without the check, a missing or wrong LLVM shows up minutes into the build as a page of
llvm-sys build-script output. Every PEP 517 hook is maturin's; the two that compile
(``build_wheel``, ``build_editable``) check first. ``make build`` runs the same check as a
script: ``python3 build_backend/ferrojit_build.py``.

This module must import with nothing but the standard library (the Makefile runs it with the
system ``python3`` before the virtualenv exists), and must not import maturin at import time.
"""

import os
import re
import shutil
import subprocess
import sys

LLVM_MAJOR = 22
# llvm-sys 221.x (inkwell's feature llvm22-1) reads its LLVM location from this variable.
PREFIX_VARIABLE = "LLVM_SYS_221_PREFIX"
DEFAULT_PREFIX = "/usr/lib/llvm-22"
INSTALL_HINT = (
    "install llvm-22-dev (Debian/Ubuntu: apt-get install llvm-22-dev libpolly-22-dev zlib1g-dev libzstd-dev)"
    f" or set {PREFIX_VARIABLE} to an LLVM 22 installation"
)
# The oldest rustc that compiles the pinned dependencies (rustpython-ruff_* 0.15.8 declare 1.92).
RUST_MINIMUM = (1, 92)
RUST_HINT = "update it with `rustup update stable` (https://rustup.rs)"

# The names llvm-sys tries, in its order, in $LLVM_SYS_221_PREFIX/bin or else on PATH.
_LLVM_CONFIG_NAMES = (
    "llvm-config-22", "llvm-config22", "llvm22-config", "llvm-config-22.1", "llvm-config221", "llvm-config",
)


class ToolchainError(Exception):
    """A missing or unusable build tool; the message is the one line shown to the user."""


def _run(command):
    """stdout of ``command``, or None when it cannot run or fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _llvm_config_candidates(environ):
    """(where it was looked for, the llvm-config paths to try in order)."""
    prefix = environ.get(PREFIX_VARIABLE)
    if prefix:
        return prefix, [os.path.join(prefix, "bin", name) for name in _LLVM_CONFIG_NAMES]
    on_path = [shutil.which(name, path=environ.get("PATH")) for name in _LLVM_CONFIG_NAMES]
    # Debian's llvm-22 puts llvm-config-22 on PATH; a plain `llvm-config` there may be another
    # version, so the default prefix comes before it.
    candidates = [p for p in on_path[:-1] if p] + [os.path.join(DEFAULT_PREFIX, "bin", "llvm-config")]
    if on_path[-1]:
        candidates.append(on_path[-1])
    return f"{DEFAULT_PREFIX} or on PATH", candidates


def _missing_library_file(llvm_config):
    """None when the libraries to link are all present (static ones, or else shared ones, as
    llvm-sys prefers); otherwise the first missing file."""
    first_missing = None
    for link in ("--link-static", "--link-shared"):
        listed = _run([llvm_config, link, "--libfiles"])
        if listed is None:
            first_missing = first_missing or f"`{llvm_config} {link} --libfiles` failed"
            continue
        missing = [f for f in listed.split() if not os.path.exists(f)]
        if not missing:
            return None
        first_missing = first_missing or missing[0]
    return first_missing


def find_llvm(environ=None):
    """The prefix of a usable LLVM 22 (``llvm-config --prefix``), or ToolchainError saying in
    one line what is wrong and what to do."""
    environ = os.environ if environ is None else environ
    where, candidates = _llvm_config_candidates(environ)
    other_versions = []
    for llvm_config in candidates:
        if not os.path.isfile(llvm_config):
            continue
        version = _run([llvm_config, "--version"])
        if version is None:
            other_versions.append(f"{llvm_config} does not run")
            continue
        if not version.startswith(f"{LLVM_MAJOR}."):
            other_versions.append(f"{llvm_config} is LLVM {version}")
            continue
        prefix = _run([llvm_config, "--prefix"]) or os.path.dirname(os.path.dirname(llvm_config))
        include_dir = _run([llvm_config, "--includedir"]) or os.path.join(prefix, "include")
        if not os.path.isfile(os.path.join(include_dir, "llvm-c", "Core.h")):
            raise ToolchainError(
                f"LLVM {version} at {prefix} has no C headers ({include_dir}/llvm-c/Core.h); {INSTALL_HINT}"
            )
        missing = _missing_library_file(llvm_config)
        if missing:
            raise ToolchainError(f"LLVM {version} at {prefix} lacks libraries to link ({missing}); {INSTALL_HINT}")
        return prefix
    found = f": {'; '.join(other_versions)}" if other_versions else " (no llvm-config there)"
    raise ToolchainError(f"LLVM {LLVM_MAJOR} not found at {where}{found}; {INSTALL_HINT}")


def check_rust(environ=None):
    """ToolchainError when rustc is present but older than RUST_MINIMUM. Without cargo at all,
    maturin itself offers to install Rust, so that case is left to it."""
    environ = os.environ if environ is None else environ
    rustc = shutil.which("rustc", path=environ.get("PATH"))
    if rustc is None or shutil.which("cargo", path=environ.get("PATH")) is None:
        return
    version = _run([rustc, "--version"]) or ""
    match = re.match(r"rustc (\d+)\.(\d+)", version)
    if match and (int(match.group(1)), int(match.group(2))) < RUST_MINIMUM:
        minimum = ".".join(map(str, RUST_MINIMUM))
        raise ToolchainError(f"Rust {minimum} or newer is needed, {rustc} is {version}; {RUST_HINT}")


def check_toolchain():
    """Exit with one line on stderr if the build cannot work. On success, points llvm-sys at
    the LLVM that was checked (it would otherwise search PATH itself)."""
    try:
        check_rust()
        os.environ[PREFIX_VARIABLE] = find_llvm()
    except ToolchainError as problem:
        sys.stderr.write(f"error: {problem}\n")
        sys.stderr.flush()
        # SystemExit, not the exception: pip would show a traceback around the line.
        raise SystemExit(1) from None


# --- PEP 517 hooks: maturin's, with the check before the two that compile --------------------

# maturin warns when pyproject's build-backend is not its own; here it is, one level down.
os.environ.setdefault("MATURIN_NO_MISSING_BUILD_BACKEND_WARNING", "1")


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    check_toolchain()
    import maturin

    return maturin.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    check_toolchain()
    import maturin

    return maturin.build_editable(wheel_directory, config_settings, metadata_directory)


def __getattr__(name):
    # The other hooks (build_sdist, get_requires_for_*, prepare_metadata_for_*) compile
    # nothing: maturin's own. A hook maturin lacks stays missing, as PEP 517 expects.
    if name.startswith("_"):
        raise AttributeError(name)
    import maturin

    return getattr(maturin, name)


if __name__ == "__main__":
    check_toolchain()
    print(f"LLVM {LLVM_MAJOR} found at {os.environ[PREFIX_VARIABLE]}")
