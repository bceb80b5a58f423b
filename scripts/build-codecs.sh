#!/usr/bin/env bash
# Builds Opus and libvpx for WebAssembly from Debian's source packages (apt-get source) into
# $TRTC_CACHE_DIR/codecs/<package>-<version>-<flags hash>/. Never committed; a second run is a no-op.
set -euo pipefail
source "$(dirname "$0")/env.sh"

CODEC_CFLAGS="-O3 -msimd128"
PREFIX_ROOT="$TRTC_CACHE_DIR/codecs"
mkdir -p "$PREFIX_ROOT"

# Version of the source package apt would fetch, e.g. 1.3.1-3.
src_version() {
  apt-cache showsrc "$1" 2>/dev/null | awk '/^Version:/ {print $2; exit}'
}

build_one() {
  local pkg="$1" version hash prefix work
  version="$(src_version "$pkg")"
  if [ -z "$version" ]; then
    echo "apt-get source $pkg: no source package (is deb-src enabled? run scripts/bootstrap.sh)" >&2
    exit 1
  fi
  hash="$(printf '%s|%s|%s' "$pkg" "$CODEC_CFLAGS" "$(emcc --version 2>/dev/null | sed -n 1p)" | sha1sum | cut -c1-8)"
  prefix="$PREFIX_ROOT/$pkg-$version-$hash"
  if [ -f "$prefix/.done" ]; then
    log "$pkg $version for WASM: cached in $prefix"
    ln -sfn "$prefix" "$PREFIX_ROOT/$pkg"
    return
  fi
  log "$pkg $version for WASM: building into $prefix"
  work="$(mktemp -d "$PREFIX_ROOT/src-$pkg.XXXXXX")"
  (cd "$work" && apt-get source --download-only "$pkg" >/dev/null 2>&1 || apt-get source --download-only "$pkg")
  (cd "$work" && dpkg-source -x ./*.dsc src >"$work/extract.log" 2>&1)
  local start=$SECONDS
  (
    cd "$work/src"
    case "$pkg" in
      opus)
        emscripten_env emconfigure ./configure --prefix="$prefix" --disable-shared --enable-static --disable-asm \
          --disable-rtcd --disable-intrinsics --disable-doc --disable-extra-programs \
          --disable-stack-protector CFLAGS="$CODEC_CFLAGS" >"$work/configure.log" 2>&1
        ;;
      libvpx)
        # Without STRIP=llvm-strip-14 the archive loses its symbol index.
        STRIP=llvm-strip-14 emscripten_env emconfigure ./configure --prefix="$prefix" --target=generic-gnu \
          --disable-examples --disable-docs --disable-unit-tests --disable-tools --enable-vp8 \
          --disable-vp9 --disable-multithread --disable-runtime-cpu-detect --enable-static \
          --disable-shared --disable-webm-io --disable-libyuv --enable-realtime-only \
          --extra-cflags="$CODEC_CFLAGS" >"$work/configure.log" 2>&1
        ;;
    esac
    emscripten_env emmake make -j"$JOBS" >"$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; exit 1; }
    emscripten_env emmake make install >>"$work/make.log" 2>&1
  ) || { echo "building $pkg for WASM failed; logs in $work" >&2; exit 1; }
  touch "$prefix/.done"
  ln -sfn "$prefix" "$PREFIX_ROOT/$pkg"
  rm -rf "$work"
  log "$pkg for WASM built in $((SECONDS - start)) s"
}

# The two builds are independent; run them side by side on the two cores.
build_one opus &
p1=$!
build_one libvpx &
p2=$!
rc=0
wait $p1 || rc=1
wait $p2 || rc=1
exit $rc
