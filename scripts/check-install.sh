#!/usr/bin/env bash
# Install reportgen as declared — `pip install .` with the pins, no extras, not editable — into a fresh
# venv, and build the example workspace and ../shared/sample-2023 (when beside the repo) with it, from
# another folder. Fails when a runtime import is missing from pyproject.toml's dependencies (the test
# extra hides that from `make test`), or when the installed package cannot find its templates.
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
echo "check-install: ok"
