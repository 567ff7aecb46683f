# ferrojit: set-up, build and test.
#
#   make demo    install what is missing, build the extension into .venv, run the seed's
#                examples/seed_timing.py, then examples/demo.py (CPython vs ferrojit vs Numba)
#   make test    install what is missing, build, cargo test --workspace, then pytest
#   make bench   install what is missing (and numba, matplotlib, pythran and g++), build, run
#                bench/run.py: ferrojit, Numba and CPython side by side, and on whole-array
#                code NumPy and Pythran too; tables in bench/results/summary.md,
#                chart in bench/results/summary.png
#   make test-pythons  the same build and Python tests on every other CPython the machine has
#   make clean   remove build artefacts (keeps .venv); make distclean also removes .venv
#                and bench/results
#
# Every step checks before it installs, so re-running on a ready machine is quick:
#   deps  -> apt-get only when /usr/lib/llvm-22/bin/llvm-config is missing and LLVM_SYS_221_PREFIX
#            names no other LLVM; then a check that prints one line if LLVM 22 is unusable
#   venv  -> python3 -m venv only when .venv/bin/python is missing or broken;
#            pip only when numpy/pytest/xdist/pandas/dask/distributed/mypy do not import or maturin is
#            missing
#   build -> maturin develop --release (cargo decides what to rebuild)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := demo
# The steps must run in order (apt, then venv, then cargo); cargo parallelises itself.
.NOTPARALLEL:

# cargo/rustc come from rustup; find them even when ~/.cargo/bin is not on PATH.
export PATH := $(HOME)/.cargo/bin:$(PATH)

# llvm-sys 221.x (inkwell feature llvm22-1) locates LLVM through this variable. One set in the
# environment is used as it is; the default one is installed with apt-get when missing.
LLVM_DEFAULT_PREFIX := /usr/lib/llvm-22
LLVM_SYS_221_PREFIX ?= $(LLVM_DEFAULT_PREFIX)
export LLVM_SYS_221_PREFIX
LLVM_PREFIX := $(LLVM_SYS_221_PREFIX)

APT_PACKAGES := llvm-22-dev libpolly-22-dev zlib1g-dev libzstd-dev
# SciPy's BLAS and LAPACK: ferrojit's second provider (it calls NumPy's own OpenBLAS first),
# and what Numba's linear algebra (np.dot, @, np.linalg) needs.
SCIPY        := scipy==1.16.3
# dask and distributed: tests/test_arrays_unaligned.py runs compiled functions on a local Dask
# cluster, whose workers receive arrays unaligned. mypy: tests/test_typing_api.py. scipy: the
# linear algebra's second BLAS/LAPACK provider (tests/test_np_linalg.py), and Numba's linear
# algebra in the benchmarks.
# pytest-xdist: the Python tests run on every core, one test file per worker at a time.
PY_PACKAGES  := numpy maturin==1.16.0 pytest pytest-xdist==3.8.0 pandas dask==2026.8.0 distributed==2026.8.0 mypy==2.4.1 $(SCIPY)
# The array-expression benchmarks (bench/run_exprs.py) compare with Pythran, ahead of time.
PYTHRAN      := pythran==0.19.0

# One pytest worker per core, each taking whole test files (a file's tests share compiled
# functions and fixtures, and some check process-wide counters before and after).
PYTEST_WORKERS := -n auto --dist loadfile

# The interpreter the virtual environment is made from, and where it is made: another Python
# is tested with e.g. `make test PYTHON=python3.13 VENV=.venv-3.13 CARGO_TARGET_DIR=target/3.13`
# (its own cargo target directory, or pyo3 would rebuild everything at each switch).
PYTHON  ?= python3
VENV    ?= $(CURDIR)/.venv
PY      := $(VENV)/bin/python
MATURIN := $(VENV)/bin/maturin

# apt-get needs root; use sudo when we are not root and sudo exists.
SUDO := $(shell [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && echo sudo)

# Environment shared by `maturin develop` and `cargo test`. maturin runs cargo with
# PYO3_BUILD_EXTENSION_MODULE, PYO3_ENVIRONMENT_SIGNATURE, PYO3_PYTHON and
# PYTHON_SYS_EXECUTABLE set; pyo3's build scripts rerun when any of them changes, so
# `cargo test` gets the very same values, otherwise every switch between the two
# would rebuild pyo3 and everything above it. The signature is maturin's format,
# e.g. cpython-3.11-64bit; it is computed by the shell at run time because .venv
# may not exist yet when make starts.
PYO3_SIGNATURE_PY := import sys; v = sys.version_info; t = "t" if getattr(sys, "_is_gil_enabled", lambda: True)() is False else ""; print(f"{sys.implementation.name}-{v[0]}.{v[1]}{t}-{64 if sys.maxsize > 2**32 else 32}bit")
BUILD_ENV := VIRTUAL_ENV="$(VENV)" PATH="$(VENV)/bin:$$PATH" \
	PYO3_BUILD_EXTENSION_MODULE=1 \
	PYO3_ENVIRONMENT_SIGNATURE="$$("$(PY)" -c '$(PYO3_SIGNATURE_PY)')" \
	PYO3_PYTHON="$(PY)" PYTHON_SYS_EXECUTABLE="$(PY)"

.PHONY: all deps venv build demo test test-rust test-python test-pythons bench clean distclean

all: build

# The check after apt-get is the one `pip install .` runs (build_backend/ferrojit_build.py): a
# missing or wrong LLVM is one line saying what to install, before cargo starts.
deps:
	@if [ ! -x "$(LLVM_PREFIX)/bin/llvm-config" ] && [ "$(LLVM_PREFIX)" = "$(LLVM_DEFAULT_PREFIX)" ]; then \
		echo "deps: installing $(APT_PACKAGES)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get update -qq; \
		$(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi
	@python3 build_backend/ferrojit_build.py | sed 's/^/deps: /'

venv:
	@if [ -x "$(PY)" ] && "$(PY)" -c '' >/dev/null 2>&1; then \
		echo "venv: $(VENV) exists"; \
	else \
		echo "venv: creating $(VENV)"; \
		rm -rf "$(VENV)"; \
		if ! $(PYTHON) -m venv "$(VENV)"; then \
			echo "venv: python3 -m venv failed; installing python3-venv"; \
			rm -rf "$(VENV)"; \
			export DEBIAN_FRONTEND=noninteractive; \
			$(SUDO) apt-get update -qq; \
			$(SUDO) apt-get install -y -qq python3-venv; \
			$(PYTHON) -m venv "$(VENV)"; \
		fi; \
	fi
	@if "$(PY)" -c 'import numpy, pytest, xdist, pandas, dask, distributed, mypy, scipy' >/dev/null 2>&1 && [ -x "$(MATURIN)" ]; then \
		echo "venv: numpy, pytest, pytest-xdist, pandas, dask, distributed, mypy, scipy and maturin present"; \
	else \
		echo "venv: pip installing numpy, maturin, pytest, pytest-xdist, pandas (the seed's object-mode example), dask and distributed (the Dask test), mypy (tests/test_typing_api.py), scipy (the second BLAS/LAPACK provider)"; \
		"$(PY)" -m pip install -q --disable-pip-version-check $(PY_PACKAGES); \
	fi

# Builds crates/ferrojit_python (release) and installs it into .venv as an editable
# package: python/ is put on sys.path by a .pth file and the compiled module lands in
# python/ferrojit/_native.*.so, stripped (pyproject's [tool.maturin] strip). maturin develop
# does not go through pyproject's build backend (whose LLVM check `deps` runs instead), and
# would warn that the backend is not maturin itself. cargo's output goes to target/release, the same
# directory `cargo test --workspace --release` uses. The package's bytecode is written as a
# wheel's installation writes it: an environment with PYTHONDONTWRITEBYTECODE=1 would otherwise
# compile every module from source at each import (about 5 ms more for `import ferrojit`).
build: deps venv
	$(BUILD_ENV) MATURIN_NO_MISSING_BUILD_BACKEND_WARNING=1 "$(MATURIN)" develop --release
	"$(PY)" -m compileall -q python/ferrojit

demo: build
	"$(PY)" examples/seed_timing.py
	"$(PY)" examples/demo.py

test: build
	$(BUILD_ENV) cargo test --workspace --release
	"$(PY)" -m pytest -q $(PYTEST_WORKERS) tests

# The two halves of `test`, for quick iteration (they assume `make build` was run).
test-rust:
	$(BUILD_ENV) cargo test --workspace --release

test-python:
	"$(PY)" -m pytest -q $(PYTEST_WORKERS) tests

# The other CPythons this machine has that pyproject.toml allows (3.10 on; pyenv's, and
# python3.X on PATH), not the one .venv is made from: `make test-pythons` builds and runs the
# Python tests on each, in .venv-3.X with cargo's output in target/python-3.X. Not part of
# `make test`: each version is a build of its own, more than CI's time allows.
test-pythons:
	@own=$$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	for py in $(HOME)/.pyenv/versions/3.*/bin/python3 $$(command -v python3.10 python3.11 python3.12 python3.13 python3.14 || true); do \
		[ -x "$$py" ] && "$$py" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2])' 2>/dev/null \
			&& echo "$$("$$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])') $$py" || true; \
	done | sort -u -k1,1 | while read -r v py; do \
		[ "$$v" = "$$own" ] && continue; \
		echo "test-pythons: CPython $$v ($$py)"; \
		$(MAKE) --no-print-directory build test-python PYTHON="$$py" VENV="$(CURDIR)/.venv-$$v" CARGO_TARGET_DIR="$(CURDIR)/target/python-$$v" </dev/null || exit 1; \
	done

bench: build
	@if "$(PY)" -c 'import numba' >/dev/null 2>&1; then \
		echo "bench: numba present"; \
	else \
		echo "bench: pip installing numba"; \
		"$(PY)" -m pip install -q --disable-pip-version-check numba; \
	fi
	@if "$(PY)" -c 'import matplotlib' >/dev/null 2>&1; then \
		echo "bench: matplotlib present"; \
	else \
		echo "bench: pip installing matplotlib (the chart bench/results/summary.png)"; \
		"$(PY)" -m pip install -q --disable-pip-version-check matplotlib; \
	fi
	@if "$(PY)" -c 'import pythran' >/dev/null 2>&1; then \
		echo "bench: pythran present"; \
	else \
		echo "bench: pip installing $(PYTHRAN) (the array-expression suite compares with it)"; \
		"$(PY)" -m pip install -q --disable-pip-version-check $(PYTHRAN); \
	fi
	@if command -v g++ >/dev/null 2>&1; then \
		echo "bench: g++ present (Pythran compiles with it)"; \
	else \
		echo "bench: installing g++ (Pythran compiles with it)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get update -qq; \
		$(SUDO) apt-get install -y -qq g++; \
	fi
	"$(PY)" bench/run.py

clean:
	cargo clean
	rm -f python/ferrojit/*.so
	rm -rf .pytest_cache
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf "$(VENV)" $(CURDIR)/.venv-3.* bench/results

# --- make memcheck ------------------------------------------------------------------------------
# Builds, then runs the array tests listed in tests/memcheck/subset.txt under valgrind's memcheck
# (installing valgrind with apt-get when it is missing). Fails when valgrind reports any error
# (invalid read or write, use after free, bad free, use of uninitialised memory outside CPython)
# or a test fails. Suppressions for CPython and loader noise: tests/memcheck/python.supp.
# PYTHONMALLOC=malloc sends CPython's small objects through malloc so that valgrind sees every
# block. Leak checking is off: CPython keeps memory until exit by design; ferrojit's own array
# allocations are checked by tests/test_arrays_memory.py (live_allocations() and resident size).
# The log is kept in target/memcheck.log. Takes about two minutes.
MEMCHECK_SUBSET := tests/memcheck/subset.txt
MEMCHECK_SUPP   := tests/memcheck/python.supp
MEMCHECK_LOG    := target/memcheck.log

.PHONY: memcheck
memcheck: build
	@if command -v valgrind >/dev/null 2>&1; then \
		echo "memcheck: $$(valgrind --version) found"; \
	else \
		echo "memcheck: installing valgrind"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get update -qq; \
		$(SUDO) apt-get install -y -qq valgrind; \
	fi
	@mkdir -p "$(dir $(MEMCHECK_LOG))"; \
	mapfile -t tests < <(grep -v '^[[:space:]]*#' "$(MEMCHECK_SUBSET)" | grep -v '^[[:space:]]*$$'); \
	echo "memcheck: running the $${#tests[@]} selections of $(MEMCHECK_SUBSET) under valgrind (log: $(MEMCHECK_LOG))"; \
	status=0; \
	PYTHONMALLOC=malloc PYTHONDONTWRITEBYTECODE=1 valgrind --tool=memcheck --error-exitcode=1 \
		--leak-check=no --smc-check=all-non-file --num-callers=40 \
		--suppressions="$(MEMCHECK_SUPP)" \
		"$(PY)" -m pytest -q -p no:cacheprovider "$${tests[@]}" >"$(MEMCHECK_LOG)" 2>&1 || status=$$?; \
	grep -E '(passed|failed|error)[^=]* in [0-9.]+s' "$(MEMCHECK_LOG)" || true; \
	grep 'ERROR SUMMARY' "$(MEMCHECK_LOG)" || true; \
	if [ "$$status" -ne 0 ] || ! grep -q 'ERROR SUMMARY: 0 errors' "$(MEMCHECK_LOG)"; then \
		echo "memcheck: FAILED (exit status $$status); valgrind's reports:"; \
		grep -E -A40 '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|Source and|Argument|Process terminating)' "$(MEMCHECK_LOG)" | head -400 || true; \
		grep -E '^(FAILED|ERROR) ' "$(MEMCHECK_LOG)" || true; \
		exit 1; \
	fi; \
	echo "memcheck: OK (ERROR SUMMARY: 0 errors)"
