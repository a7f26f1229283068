# The Python package sarx (python/, docs/PYTHON.md), included by the top
# Makefile (-include python/python.mk, beside the SQL front ends').
#   make                   also builds the package into $(BUILD)/python/lib
#                          (sarx/ with its C extension, libsarx.a linked in)
#                          when Debian's python3-dev, numpy and pandas are
#                          there (a one-line notice otherwise; CI=true: an error)
#   make check             builds it first; tests/run.sh runs python/run-tests.sh
#   make bench-python      bench/python_classify.py (part of `make bench`)
# PYTHON=/path/to/python3 picks another interpreter (default Debian's).
# Under SAN=1 the extension is built with the sanitizers too, against
# $(BUILD)/libsarx.a (AddressSanitizer + UBSan); python/run-tests.sh then
# runs python3 with the ASan runtime preloaded (LD_PRELOAD, leaks not looked
# for: the interpreter's own would count), which Dask's worker processes
# inherit.
PYTHON ?= /usr/bin/python3
PY_BUILD = $(BUILD)/python
PY_SRC = $(wildcard python/sarx/*.py python/src/*.c python/src/*.h) python/setup.py python/pyproject.toml
# found, not imported (importing pandas would cost every make a second)
PY_FOUND := $(shell $(PYTHON) -c 'import importlib.util as u, os, sysconfig; \
    print("yes" if all(u.find_spec(m) for m in ("numpy", "pandas", "setuptools")) and \
          os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")) else "")' 2>/dev/null)

PY_LIB_BUILD = $(BUILD)
PY_SANFLAGS  = $(SANFLAGS)

.PHONY: python bench-python
all: python
check: python
bench: bench-python

ifeq ($(PY_FOUND),)
python:
ifeq ($(CI),true)
	@echo "sarx: $(PYTHON) with python3-dev, numpy, pandas and setuptools not found: CI must build the Python package" >&2; exit 1
else
	@echo "sarx: $(PYTHON) with python3-dev, numpy, pandas and setuptools not found: the Python package is not built"
endif
bench-python:
else
python: $(PY_BUILD)/lib/.stamp
# setup.py builds out of the source tree: its build and temporary files go
# under $(PY_BUILD).
$(PY_BUILD)/lib/.stamp: $(PY_SRC) $(PY_LIB_BUILD)/libsarx.a include/sarx.h python/python.mk
	@mkdir -p $(PY_BUILD)
	cd python && SARX_BUILD='$(abspath $(PY_LIB_BUILD))' SARX_SANFLAGS='$(PY_SANFLAGS)' CC='$(CC)' \
	    $(PYTHON) setup.py -q egg_info --egg-base '$(abspath $(PY_BUILD))' build --force --build-base '$(abspath $(PY_BUILD))/build' \
	    --build-lib '$(abspath $(PY_BUILD))/lib' >'$(abspath $(PY_BUILD))/build.log' 2>&1 || \
	    { cat '$(abspath $(PY_BUILD))/build.log' >&2; exit 1; }
	touch $@
# bench/columns (the C engine alone) runs in the same rounds when it is built.
bench-python: python $(BUILD)/sarx $(if $(wildcard bench/columns.c),$(BUILD)/bench/columns)
	PYTHONPATH=$(PY_BUILD)/lib $(PYTHON) bench/python_classify.py $(BUILD)/sarx
endif
