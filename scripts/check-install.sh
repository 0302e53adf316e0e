#!/usr/bin/env bash
# Install reportgen as declared — `pip install .` with the pins, no extras, not editable — into a fresh
# venv, and build the example workspace and ../shared/sample-2023 (when beside the repo) with it, from
# another folder; then starts a new workspace with `reportgen init` and checks `reportgen validate` lists what it
# still lacks. Fails when a runtime import is missing from pyproject.toml's dependencies (the test
# extra hides that from `make test`), or when the installed package cannot find its templates or starter files.
# Exit 0 or 1 from a build both count (1: written, with blocking issues); paper.docx and paper.pdf must exist.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-$(command -v python3.11 || command -v python3)}"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/reportgen-install.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

echo "check-install: pip install $repo (no extras) into $scratch/venv"
"$python" -m venv "$scratch/venv"
if ! { "$scratch/venv/bin/python" -m pip install --quiet --upgrade pip \
        && "$scratch/venv/bin/python" -m pip install --quiet "$repo" -c "$repo/constraints.txt"; } \
        > "$scratch/pip.log" 2>&1; then
    cat "$scratch/pip.log" >&2
    echo "check-install: pip install failed" >&2
    exit 1
fi

build() {  # build WORKSPACE NAME: a draft into $scratch/NAME, run from an unrelated folder
    local status=0
    (cd "$scratch" && "$scratch/venv/bin/reportgen" build --workspace "$1" --out "$scratch/$2") \
        > "$scratch/$2.log" 2>&1 || status=$?
    if [ "$status" -gt 1 ] || [ ! -s "$scratch/$2/paper.docx" ] || [ ! -s "$scratch/$2/paper.pdf" ]; then
        cat "$scratch/$2.log" >&2
        echo "check-install: building $1 with the installed package failed (exit $status)" >&2
        exit 1
    fi
    echo "check-install: $2 built (exit $status): $(ls "$scratch/$2" | tr '\n' ' ')"
}

build "$repo" example
if [ -d "$repo/../shared/sample-2023" ]; then
    build "$(cd "$repo/../shared/sample-2023" && pwd)" sample-2023
else
    echo "check-install: ../shared/sample-2023 is not beside the repo; built the example only"
fi
# a new office's workspace from the installed package alone: init writes it, validate lists what is to fill in
(cd "$scratch" && "$scratch/venv/bin/reportgen" init --workspace "$scratch/new-office") > "$scratch/init.log" 2>&1 || {
    cat "$scratch/init.log" >&2; echo "check-install: reportgen init failed" >&2; exit 1; }
status=0
(cd "$scratch" && "$scratch/venv/bin/reportgen" validate --workspace "$scratch/new-office") \
    > "$scratch/validate.log" 2>&1 || status=$?
if [ "$status" -ne 1 ] || grep -q Traceback "$scratch/validate.log" \
        || ! grep -q "holds no actions" "$scratch/validate.log" || ! grep -q "no period folder" "$scratch/validate.log"; then
    cat "$scratch/init.log" "$scratch/validate.log" >&2
    echo "check-install: validate straight after init did not list what is to fill in (exit $status)" >&2
    exit 1
fi
echo "check-install: init wrote $(cd "$scratch/new-office" && find . -type f | sort | tr '\n' ' ')and validate listed what is to fill in"
echo "check-install: ok"
