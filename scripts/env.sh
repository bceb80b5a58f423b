# Shared environment for the build and test scripts. Source it, do not run it.
# Emscripten 3.1.6 (Debian) needs these two under Node 20 (see docs/building.md):
#   NODE_PATH    lets emcc's optimizer find Debian's acorn module;
#   NODE_OPTIONS stops the 3.1.6 glue from fetch()-ing the .wasm under Node >= 18.
export NODE_PATH=/usr/share/nodejs
export NODE_OPTIONS=--no-experimental-fetch

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# Build outputs that are expensive and independent of the checkout (codec libraries built
# from Debian source packages) live outside git, so a fresh clone on the same machine reuses them.
export TRTC_CACHE_DIR="${TRTC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/trtc-web}"
export BUILD_DIR="$ROOT/build"
export JOBS="${JOBS:-$(nproc)}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
