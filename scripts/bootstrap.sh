#!/usr/bin/env bash
# Makes a fresh Debian 12 machine ready to build, test and run everything. Idempotent, and quick
# on a second run: apt is skipped when every package is installed, npm ci when package-lock.json
# is unchanged, the codec builds when their cache entry exists.
#   - apt packages (Emscripten, CMake, GoogleTest, Google Benchmark, Opus, libvpx, Janus, Chromium…)
#   - deb-src enabled, Opus and libvpx source packages built for WASM into $TRTC_CACHE_DIR
#   - npm ci
set -euo pipefail
source "$(dirname "$0")/env.sh"

APT_PACKAGES=(
  emscripten cmake ninja-build pkg-config g++ git ca-certificates
  libgtest-dev libbenchmark-dev libopus-dev libvpx-dev
  janus janus-tools chromium dpkg-dev clang-format nodejs npm iproute2 procps python3
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "bootstrap: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

# deb-src, for `apt-get source opus libvpx`.
sources_changed=0
if [ -f /etc/apt/sources.list.d/debian.sources ] && grep -q '^Types: deb$' /etc/apt/sources.list.d/debian.sources; then
  $SUDO sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
  sources_changed=1
elif [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list && ! grep -q '^deb-src ' /etc/apt/sources.list; then
  grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | $SUDO tee -a /etc/apt/sources.list >/dev/null
  sources_changed=1
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  # nodejs from another repository (e.g. NodeSource) also counts; npm ships inside it there.
  if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
  if [ "$p" = nodejs ] && command -v node >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] || [ $sources_changed -eq 1 ] || [ -z "$(apt-cache showsrc opus 2>/dev/null | head -1)" ]; then
  log "apt-get update"
  $SUDO apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "apt packages: all ${#APT_PACKAGES[@]} installed"
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 18 ]; then
  echo "bootstrap: Node.js $node_major is too old; 18 or newer is needed (20 recommended)" >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install.
cd "$ROOT"
lock_hash="$(sha1sum package-lock.json | cut -c1-40)"
if [ "$(cat node_modules/.trtc-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >node_modules/.trtc-lock-hash
else
  log "node_modules: up to date with package-lock.json"
fi

bash "$ROOT/scripts/build-codecs.sh"
