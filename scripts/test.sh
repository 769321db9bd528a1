#!/usr/bin/env bash
# Run the whole test suite: starts its own PulseAudio (virtual microphone) and uses Qt offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "Run scripts/setup.sh first." >&2; exit 1; }
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
