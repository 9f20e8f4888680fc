#!/usr/bin/env bash
# Installs footkg and what it needs into .venv (created if missing).
# Needs Debian's hspell (installed here when run as root).
# With --test also the test dependencies and Debian's chromium for the viewer tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# Debian's hspell: the Hebrew morphological analyser the rules read (kg/morphology.py).
if ! command -v hspell >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hspell >/dev/null
  else
    echo "setup: hspell is missing; install Debian's hspell (apt-get install hspell)" >&2
    exit 1
  fi
fi
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet -e '.[test]'
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "setup: chromium is missing; install Debian's chromium (apt-get install chromium)" >&2
    fi
  fi
else
  .venv/bin/python -m pip install --quiet -e .
fi
