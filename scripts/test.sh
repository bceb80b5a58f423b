#!/usr/bin/env bash
# The README's test command: sets the machine up (bootstrap), builds everything, then runs every
# test suite and the benchmarks. Runs all suites even when one fails, prints each runner's summary
# line, and exits non-zero if any failed.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
started=$SECONDS

bash scripts/bootstrap.sh || { echo "bootstrap failed" >&2; exit 1; }
bash scripts/build.sh || { echo "build failed" >&2; exit 1; }
bash scripts/build-native.sh >/dev/null || { echo "native build failed" >&2; exit 1; }
bash scripts/fixtures.sh || { echo "test photographs could not be prepared" >&2; exit 1; }
bash scripts/ensure-ice-ip.sh || { echo "no address for WebRTC" >&2; exit 1; }

declare -a results=()
run() {
  local name="$1"
  shift
  log "$name"
  local t=$SECONDS
  if "$@"; then results+=("ok      $name ($((SECONDS - t)) s)"); else results+=("FAILED  $name ($((SECONDS - t)) s)"); fi
}

run "GoogleTest, native (ctest)" ctest --test-dir build/native --output-on-failure
run "GoogleTest, WASM under node (ctest)" ctest --test-dir build/wasm --output-on-failure
run "Jest: unit tests and room server (real Janus)" npx jest --ci
run "lint: eslint, prettier, clang-format, tsc on tests and the TypeScript sample app" \
  bash -c 'npx eslint . && npx prettier --check . && bash scripts/clang-format.sh --check && npx tsc --noEmit -p tests/e2e/tsconfig.json && npx tsc -p examples/typescript'
run "Playwright in Chromium" npx playwright test
run "benchmarks (native, Chromium, room server)" bash scripts/bench.sh

echo
log "summary ($((SECONDS - started)) s)"
failed=0
for r in "${results[@]}"; do
  echo "  $r"
  case "$r" in FAILED*) failed=$((failed + 1)) ;; esac
done
echo "$(( ${#results[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
