#!/usr/bin/env bash
# clang-format over the C++ core: --check (default) fails on any difference, --fix rewrites.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -co --exclude-standard 'wasm/*.h' 'wasm/*.cpp')
[ ${#files[@]} -gt 0 ] || exit 0
if [ "${1:---check}" = "--fix" ]; then
  clang-format -i "${files[@]}"
else
  clang-format --dry-run --Werror "${files[@]}"
  echo "clang-format: ${#files[@]} files clean"
fi
