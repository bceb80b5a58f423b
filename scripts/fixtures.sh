#!/usr/bin/env bash
# Test photographs, taken from a Debian package at test time (never committed): skimage's
# astronaut.png (Eileen Collins, 512x512) from python3-skimage. Writes to $TRTC_CACHE_DIR/fixtures:
#   astronaut.png  the original
#   astronaut.ppm  RGB, for the GoogleTests (native and WASM)
#   astronaut.y4m  I420, 30 fps, for Chromium's fake camera (--use-file-for-fake-video-capture)
# Idempotent: nothing is downloaded when the files exist.
set -euo pipefail
source "$(dirname "$0")/env.sh"
out="$TRTC_CACHE_DIR/fixtures"
mkdir -p "$out"
if [ ! -s "$out/astronaut.png" ]; then
  log "fixtures: astronaut.png from the python3-skimage package"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download -q python3-skimage >/dev/null 2>&1) ||
    { echo "fixtures: apt-get download python3-skimage failed (is the Debian mirror reachable?)" >&2; exit 1; }
  dpkg-deb --fsys-tarfile "$tmp"/python3-skimage_*.deb |
    tar -xO ./usr/lib/python3/dist-packages/skimage/data/astronaut.png >"$tmp/astronaut.png"
  mv "$tmp/astronaut.png" "$out/astronaut.png"
fi
if [ ! -s "$out/astronaut.y4m" ] || [ "$out/astronaut.png" -nt "$out/astronaut.y4m" ]; then
  node "$ROOT/scripts/lib/make-fixtures.mjs" "$out/astronaut.png" "$out/astronaut"
fi
