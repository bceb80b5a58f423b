# Shared environment for the build and test scripts. Source it, do not run it.
# Emscripten 3.1.6 (Debian) needs NODE_PATH under Node 20 to find Debian's acorn module for its
# optimizer (see docs/building.md). The other workaround, NODE_OPTIONS=--no-experimental-fetch,
# is set only around Emscripten steps (emscripten_env): Playwright needs Node's fetch.
export NODE_PATH=/usr/share/nodejs
emscripten_env() { NODE_OPTIONS=--no-experimental-fetch "$@"; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# Build outputs that are expensive and independent of the checkout (codec libraries built
# from Debian source packages) live outside git, so a fresh clone on the same machine reuses them.
export TRTC_CACHE_DIR="${TRTC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/trtc-web}"
export BUILD_DIR="$ROOT/build"
export JOBS="${JOBS:-$(nproc)}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
