#!/usr/bin/env bash
# The main job on a fresh machine: install, then build the graph of seeds/ into exports/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/kg build seeds/ --out exports/ "$@"
