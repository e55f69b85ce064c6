#!/bin/sh
# Compiles the official BLAKE3 C implementation (Debian's librust-blake3-dev ships it under c/)
# with our small shim into one shared library, written where the class loader finds it:
#   $1/dev/hearth/s9pk/hash/<os>-<arch>/libhearth-blake3.so
# Skipped with a warning when gcc or the sources are missing: the library then falls back to
# Bouncy Castle at run time. Rebuilds only when an input is newer than the output.
set -eu
out_root=$1
here=$(cd "$(dirname "$0")" && pwd)
src=${BLAKE3_C_SOURCES:-$(ls -d /usr/share/cargo/registry/blake3-*/c 2>/dev/null | sort -V | tail -n 1)}
machine=$(uname -m)
case "$machine" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch=$machine ;;
esac
out_dir="$out_root/dev/hearth/s9pk/hash/linux-$arch"
out="$out_dir/libhearth-blake3.so"

if [ "$(uname -s)" != Linux ] || ! command -v gcc >/dev/null 2>&1 || [ -z "$src" ] || [ ! -f "$src/blake3.c" ]; then
  echo "warning: native BLAKE3 not built (needs Linux, gcc and librust-blake3-dev); hashing falls back to Bouncy Castle" >&2
  exit 0
fi

if [ -f "$out" ] && [ -z "$(find "$src" "$here" -newer "$out" -type f | head -n 1)" ]; then
  exit 0
fi

mkdir -p "$out_dir"
# blake3.c is compiled inside hearth_blake3.c, which includes it for its tree internals.
common="$src/blake3_dispatch.c $src/blake3_portable.c $here/hearth_blake3.c"
case "$arch" in
  # The assembly versions of every SIMD level; blake3_dispatch.c picks one per CPU at run time.
  x86_64) simd="$src/blake3_sse2_x86-64_unix.S $src/blake3_sse41_x86-64_unix.S $src/blake3_avx2_x86-64_unix.S $src/blake3_avx512_x86-64_unix.S"; flags="" ;;
  aarch64) simd="$src/blake3_neon.c"; flags="-DBLAKE3_USE_NEON=1" ;;
  *) simd=""; flags="-DBLAKE3_NO_SSE2 -DBLAKE3_NO_SSE41 -DBLAKE3_NO_AVX2 -DBLAKE3_NO_AVX512" ;;
esac
# shellcheck disable=SC2086
gcc -O3 -shared -fPIC -pthread -fvisibility=hidden $flags -I"$src" -o "$out.tmp" $common $simd
mv "$out.tmp" "$out"
echo "built $out"
