#!/usr/bin/env bash
# The README's demo command: sets the machine up, builds, and starts the room server with the
# demo page on http://127.0.0.1:${PORT:-8080}/ (Ctrl+C stops it).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/bootstrap.sh
bash scripts/build.sh
bash scripts/ensure-ice-ip.sh

# Embedded defaults: a demo sdkAppId and a secret key made once for this machine (kept outside
# git, never sent to the browser). Pass --sdk-app-id/--secret-key (or TRTC_* variables) to override.
host="${HOST:-127.0.0.1}"
key_file="$TRTC_CACHE_DIR/demo-secret-key"
if [ ! -s "$key_file" ]; then
  mkdir -p "$TRTC_CACHE_DIR"
  (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$key_file")
fi
args=(--host "$host" --port "${PORT:-8080}" --static demo --static /dist=dist)
args+=(--sdk-app-id "${TRTC_SDK_APP_ID:-1400000001}" --secret-key "${TRTC_SECRET_KEY:-$(cat "$key_file")}")
case "$host" in 127.* | localhost | ::1) args+=(--dev-usersig) ;; esac
log "demo: open http://$host:${PORT:-8080}/ (Ctrl+C to stop)"
exec node build/server/index.js "${args[@]}" "$@"
