# reportgen: set-up, demo and checks. On a fresh Debian 12 (as root, or with sudo):
#   make demo     install everything, then build the demo Panel paper from this example workspace
#   make test     install everything, then lint, type-check and run the whole test suite
# Other targets: make help

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Prefect keeps its state in the repo (not ~/.prefect) and sends nothing anywhere.
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PYTHON

.PHONY: help system venv demo test check-install bench example clean distclean

help:
	@echo "make demo       install everything, then build the demo paper (outputs/<period>/draft-NN/)"
	@echo "make test       install everything, then ruff, mypy, deptry, lint-imports and the whole pytest suite"
	@echo "make check-install   pip install . (no extras) in a fresh venv and build the example and sample with it"
	@echo "make bench      install everything, then run the benchmarks"
	@echo "make example    regenerate the example workspace (reportgen.toml, narrative.md, inputs/)"
	@echo "make system     install the Debian packages (scripts/install-system-deps.sh)"
	@echo "make venv       create $(VENV) and install reportgen with the pins in constraints.txt"
	@echo "make clean      remove caches and Prefect state; make distclean also removes $(VENV)"

system:
	bash scripts/install-system-deps.sh

venv: $(STAMP)

# Re-installs only when the dependencies or their pins change. `system` first: on Debian it brings
# python3-venv, without which the venv cannot be created.
$(STAMP): pyproject.toml constraints.txt | system
	@test -n "$(PYTHON)" || { echo "No python3.11 or python3 found: install Python 3.11." >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' -c constraints.txt
	touch $@

demo: system venv
	$(BIN)/python flows/panel_paper.py --workspace .

test: system venv
	$(BIN)/ruff check src tests flows benchmarks scripts
	$(BIN)/mypy
	$(BIN)/deptry src
	$(BIN)/lint-imports
	$(BIN)/pytest -q

check-install: system
	bash scripts/check-install.sh

bench: system venv
	bash scripts/install-system-deps.sh --bench
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

example: venv
	$(BIN)/python scripts/make_example.py

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .hypothesis .prefect build dist src/*.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
