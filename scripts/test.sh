#!/usr/bin/env bash
# Run the whole test suite: starts its own PulseAudio (virtual microphone), PostgreSQL server and Qt offscreen.
# Then the tests of everything that keeps the practice history run once more with the history on PostgreSQL
# (the app's other backend). Naming tests or files runs only those, on the backend chosen
# (--database-backend sqlite|postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "Run scripts/setup.sh first." >&2; exit 1; }
export QT_QPA_PLATFORM=offscreen

HISTORY_TESTS=(tests/test_storage.py tests/test_privacy_controls.py tests/test_privacy.py tests/test_bundles.py
               tests/test_playbook.py tests/test_hardening.py tests/test_cli.py tests/test_review.py
               tests/test_unsure.py tests/test_touches.py tests/test_drills.py tests/test_ui.py tests/test_ui_review.py
               tests/test_team_ui.py)

for arg in "$@"; do
  # a test file or test named (tests/test_x.py::test_y): run those only
  [ -e "${arg%%::*}" ] && exec .venv/bin/python -m pytest "$@"
done
.venv/bin/python -m pytest "$@"
echo "--- the history's tests again, on PostgreSQL ---"
exec .venv/bin/python -m pytest "$@" --database-backend postgresql "${HISTORY_TESTS[@]}"
