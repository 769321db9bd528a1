#!/usr/bin/env bash
# Set up Voicemail Coach on a Debian/Ubuntu machine and open it.
#   scripts/setup.sh              install system packages (as root or with sudo), create .venv, open the app
#   scripts/setup.sh --no-launch  the same without opening the app (used by CI)
set -euo pipefail
cd "$(dirname "$0")/.."

launch=1
[ "${1:-}" = "--no-launch" ] && launch=0

APT_PACKAGES=(
  python3 python3-venv python3-pip
  libportaudio2 libsndfile1 libasound2-plugins
  pulseaudio pulseaudio-utils espeak-ng flite sox xvfb x11-utils imagemagick poppler-utils strace stress-ng
  postgresql
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-xkb1 fonts-dejavu-core
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = "none" ]; then
    echo "Voicemail Coach needs these system packages. Ask an administrator to run:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"

if [ $launch -eq 1 ]; then
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ] && [ "$(uname)" != Darwin ]; then
    echo "Set up. No display was found, so the window cannot open here; grade from the command line: .venv/bin/voicemail-coach grade FILE.wav (see --help)"
    exit 0
  fi
  echo "Opening Voicemail Coach…"
  exec .venv/bin/voicemail-coach
fi
