#!/usr/bin/env bash
# The tests on a fresh machine: install (with test dependencies and chromium), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" = 5 ]; then   # pytest: no tests collected
  echo "test.sh: pytest collected no tests" >&2
  exit 0
fi
exit "$status"
