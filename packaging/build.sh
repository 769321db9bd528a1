#!/usr/bin/env bash
# Build the standalone one-folder app and a tarball: dist/voicemail-coach/ and dist/voicemail-coach-<os>-<arch>.tar.gz
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh --no-launch
.venv/bin/python -m pip install -q "pyinstaller>=6.5"
start=$(date +%s)
rm -rf build/pyinstaller dist/voicemail-coach
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --workpath build/pyinstaller --distpath dist packaging/voicemail-coach.spec
# desktop integration files travel with the build
cp packaging/linux/app.voicemailcoach.VoicemailCoach.desktop packaging/linux/app.voicemailcoach.VoicemailCoach.metainfo.xml dist/voicemail-coach/
cp -r packaging/icons dist/voicemail-coach/icons
name="voicemail-coach-$(uname -s | tr 'A-Z' 'a-z')-$(uname -m)"
tar -C dist -czf "dist/$name.tar.gz" voicemail-coach
end=$(date +%s)
echo "{\"build_seconds\": $((end - start)), \"folder_mb\": $(du -sm dist/voicemail-coach | cut -f1), \"tarball_mb\": $(du -sm "dist/$name.tar.gz" | cut -f1)}"
