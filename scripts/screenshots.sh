#!/usr/bin/env bash
# Retake the README's screenshots: the end-to-end test drives the real app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test.sh -q tests/test_e2e.py
mkdir -p docs/screenshots
for name in 1-record-view 2-recording-live-checklist 5-scorecard-1920 6-history 12-scorecard-unsure 27-board-with-exemplar \
            28-compare-with-exemplar 30-scorecard-1110x690 29-progress; do
  cp "artifacts/screenshots/$name.png" docs/screenshots/
done
echo "Screenshots updated in docs/screenshots/"
