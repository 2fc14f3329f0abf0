#!/usr/bin/env bash
# Install everything into ./.venv and read the bundled examples into ./backchannel.duckdb.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh
.venv/bin/backchannel read examples/
