#!/usr/bin/env bash
# The README's demo command: sets the machine up, builds, and starts the room server with the
# demo page on http://127.0.0.1:${PORT:-8080}/ (Ctrl+C stops it).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/bootstrap.sh
bash scripts/build.sh
log "demo: open http://127.0.0.1:${PORT:-8080}/ (Ctrl+C to stop)"
exec node build/server/index.js --host "${HOST:-127.0.0.1}" --port "${PORT:-8080}" --static demo --static /dist=dist "$@"
